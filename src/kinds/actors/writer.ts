import type BetterSqlite3 from 'better-sqlite3'
import { bool, dateColumns, now, slug, type Link, type RecordWriter } from '../../writers/writer.js'
import type { ProblemItem } from '../../errors.js'
import { identifierSchemes, isIdentifierValue } from './identifiers.js'
import type { ActorDoc } from './schemas.js'

export function actorWriter (sqlite: BetterSqlite3.Database): RecordWriter<ActorDoc> {
  const insert = sqlite.prepare('INSERT INTO actors (id, kind, name, country, description) VALUES (@id, @kind, @name, @country, @description)')
  const update = sqlite.prepare(`UPDATE actors SET kind = @kind, name = @name, country = @country, description = @description, updated_at = ${now} WHERE id = @id`)
  const insertAlias = sqlite.prepare('INSERT INTO actor_aliases (actor_id, alias, kind, language) VALUES (?, ?, ?, ?)')
  const insertRole = sqlite.prepare(`INSERT INTO actor_roles (id, actor_id, title, organization_id, country, from_date, from_date_earliest, from_date_latest,
    from_date_approximate, to_date, to_date_earliest, to_date_latest, to_date_approximate, as_of, as_of_earliest, as_of_latest)
    VALUES (@id, @actor_id, @title, @organization_id, @country, @from_date, @from_date_earliest, @from_date_latest,
    @from_date_approximate, @to_date, @to_date_earliest, @to_date_latest, @to_date_approximate, @as_of, @as_of_earliest, @as_of_latest)`)
  const insertRelation = sqlite.prepare('INSERT INTO actor_relations (id, actor_id, relation, related_actor_id) VALUES (?, ?, ?, ?)')
  const insertIdentifier = sqlite.prepare('INSERT INTO actor_identifiers (actor_id, scheme, value) VALUES (?, ?, ?)')
  const identifierOwner = sqlite.prepare('SELECT actor_id FROM actor_identifiers WHERE scheme = ? AND value = ?').pluck()
  const deleteChildren = ['actor_aliases', 'actor_roles', 'actor_relations', 'actor_identifiers'].map((t) => sqlite.prepare(`DELETE FROM ${t} WHERE actor_id = ?`))
  const deleteRow = sqlite.prepare('DELETE FROM actors WHERE id = ?')
  const params = (d: ActorDoc & { id: string }) => ({ id: d.id, kind: d.kind, name: d.name, country: d.country, description: d.description })
  return {
    table: 'actors',
    baseId: (d) => slug(d.name),
    links: (d) => [
      ...d.roles.flatMap((r, i): Link[] => r.organization_id == null ? [] : [{ pointer: `/roles/${i}/organization_id`, type: 'actor', id: r.organization_id }]),
      ...d.relations.map((r, i): Link => ({ pointer: `/relations/${i}/related_actor_id`, type: 'actor', id: r.related_actor_id }))
    ],
    insertRow: (d) => { insert.run(params(d)) },
    updateRow: (d) => { update.run(params(d)) },
    insertChildren (d) {
      for (const a of d.aliases) insertAlias.run(d.id, a.alias, a.kind, a.language)
      for (const r of d.roles) {
        insertRole.run({
          id: r.id,
          actor_id: d.id,
          title: r.title,
          organization_id: r.organization_id,
          country: r.country,
          ...dateColumns('from_date', r.from),
          from_date_approximate: bool(r.from_approximate ?? false),
          ...dateColumns('to_date', r.to),
          to_date_approximate: bool(r.to_approximate ?? false),
          ...dateColumns('as_of', r.as_of)
        })
      }
      for (const r of d.relations) insertRelation.run(r.id, d.id, r.relation, r.related_actor_id)
      for (const i of d.identifiers) insertIdentifier.run(d.id, i.scheme, i.value)
    },
    checkDocument (d) {
      const problems: ProblemItem[] = []
      const seen = new Set<string>()
      d.identifiers.forEach((i, n) => {
        const key = `${i.scheme}:${i.value}`
        const owner = identifierOwner.get(i.scheme, i.value) as string | undefined
        if (!isIdentifierValue(i.scheme, i.value)) {
          problems.push({ in: 'body', name: `/identifiers/${n}/value`, detail: `"${i.value}" is not a ${i.scheme} identifier (${identifierSchemes[i.scheme].description}): it must match ${identifierSchemes[i.scheme].pattern} (e.g. "${identifierSchemes[i.scheme].example}")` })
        } else if (seen.has(key)) {
          problems.push({ in: 'body', name: `/identifiers/${n}`, detail: `${key} is given twice` })
        } else if (owner !== undefined && owner !== d.id) {
          problems.push({ in: 'body', name: `/identifiers/${n}`, detail: `${key} already identifies actor "${owner}"; one identifier names one actor (merge the two if they are the same)` })
        }
        seen.add(key)
      })
      return problems
    },
    deleteChildren (id) {
      for (const st of deleteChildren) st.run(id)
    },
    deleteRow: (id) => { deleteRow.run(id) },
    citableParts: (d) => [
      ...d.aliases.map((a) => `aliases.${a.alias}`),
      ...d.identifiers.map((i) => `identifiers.${i.scheme}:${i.value}`),
      ...d.roles.map((r) => `roles.${r.id}`),
      ...d.relations.map((r) => `relations.${r.id}`)
    ],
    childIds: (d) => [
      ...d.roles.map((r, i) => ({ pointer: `/roles/${i}/id`, table: 'actor_roles', owner: 'actor_id', id: r.id })),
      ...d.relations.map((r, i) => ({ pointer: `/relations/${i}/id`, table: 'actor_relations', owner: 'actor_id', id: r.id }))
    ]
  }
}
