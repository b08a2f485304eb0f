import type BetterSqlite3 from 'better-sqlite3'
import type { ProblemItem } from '../../errors.js'
import { bool, dateColumnNames, dateColumns, now, slug, type Link, type RecordWriter } from '../../writers/writer.js'
import { participantDetails, type TransferDoc } from './schemas.js'

/** The details a participant carries: those given, neither null nor an empty list. */
const givenDetails = (p: TransferDoc['participants'][number]) =>
  participantDetails.filter((detail) => { const v = p[detail]; return v != null && !(Array.isArray(v) && v.length === 0) })

export function transferWriter (sqlite: BetterSqlite3.Database): RecordWriter<TransferDoc> {
  const cols = [...dateColumnNames('date'), 'date_approximate', ...dateColumnNames('announced_on'), 'from_country', 'to_country', 'mechanism',
    'people_count', 'people_count_approximate', 'summary', 'purpose', 'charges']
  const insert = sqlite.prepare(`INSERT INTO transfers (id, ${cols.join(', ')}) VALUES (@id, ${cols.map((c) => '@' + c).join(', ')})`)
  const update = sqlite.prepare(`UPDATE transfers SET ${cols.map((c) => `${c} = @${c}`).join(', ')}, updated_at = ${now} WHERE id = @id`)
  const insertParticipant = sqlite.prepare(`INSERT INTO transfer_participants (transfer_id, actor_id, role, organization_id, charges, wanted_by, case_numbers, held_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertResource = sqlite.prepare('INSERT INTO transfer_resources (id, transfer_id, kind, quantity, approximate, description) VALUES (?, ?, ?, ?, ?, ?)')
  const deleteParticipants = sqlite.prepare('DELETE FROM transfer_participants WHERE transfer_id = ?')
  const deleteResources = sqlite.prepare('DELETE FROM transfer_resources WHERE transfer_id = ?')
  const deleteRow = sqlite.prepare('DELETE FROM transfers WHERE id = ?')
  const params = (d: TransferDoc & { id: string }) => ({
    id: d.id,
    ...dateColumns('date', d.date),
    date_approximate: bool(d.date_approximate),
    ...dateColumns('announced_on', d.announced_on),
    from_country: d.from_country,
    to_country: d.to_country,
    mechanism: d.mechanism,
    people_count: d.people_count,
    people_count_approximate: bool(d.people_count_approximate),
    summary: d.summary,
    purpose: d.purpose,
    charges: d.charges
  })
  return {
    table: 'transfers',
    baseId: (d) => slug(`transfer ${d.date ?? 'undated'}`),
    links: (d) => d.participants.flatMap((p, i): Link[] => [
      { pointer: `/participants/${i}/actor_id`, type: 'actor', id: p.actor_id },
      ...(p.organization_id == null ? [] : [{ pointer: `/participants/${i}/organization_id`, type: 'actor', id: p.organization_id }])
    ]),
    insertRow: (d) => { insert.run(params(d)) },
    updateRow: (d) => { update.run(params(d)) },
    insertChildren (d) {
      for (const p of d.participants) {
        insertParticipant.run(d.id, p.actor_id, p.role, p.organization_id ?? null, p.charges ?? null, p.wanted_by ?? null, JSON.stringify(p.case_numbers ?? []), p.held_at ?? null)
      }
      for (const r of d.resources) insertResource.run(r.id, d.id, r.kind, r.quantity, bool(r.approximate), r.description)
    },
    deleteChildren (id) {
      deleteParticipants.run(id)
      deleteResources.run(id)
    },
    deleteRow: (id) => { deleteRow.run(id) },
    checkDocument (d) {
      const problems: ProblemItem[] = []
      const transferred = d.participants.filter((p) => p.role === 'transferred').length
      if (d.people_count !== null && transferred > d.people_count) {
        problems.push({ in: 'body', name: '/participants', detail: `${transferred} people are named as transferred, more than the people_count of ${d.people_count}` })
      }
      d.participants.forEach((p, i) => {
        const details = givenDetails(p)
        if (p.role !== 'transferred' && details.length > 0) {
          problems.push({ in: 'body', name: `/participants/${i}/${details[0]!}`, detail: `only a person transferred carries ${details.join(', ')}; this participant is "${p.role}"` })
        }
      })
      return problems
    },
    citableParts: (d) => [
      ...d.participants.flatMap((p) => {
        const row = `participants.${p.actor_id}.${p.role}`
        const given = givenDetails(p)
        return [row, ...given.map((detail) => `${row}.${detail}`)]
      }),
      ...d.resources.map((r) => `resources.${r.id}`)
    ],
    childIds: (d) => d.resources.map((r, i) => ({ pointer: `/resources/${i}/id`, table: 'transfer_resources', owner: 'transfer_id', id: r.id }))
  }
}
