import type BetterSqlite3 from 'better-sqlite3'
import { bool, dateColumnNames, dateColumns, now, slug, type RecordWriter } from '../../writers/writer.js'
import type { EventDoc } from './schemas.js'

export function eventWriter (sqlite: BetterSqlite3.Database): RecordWriter<EventDoc> {
  const cols = ['kind', 'title', 'description', ...dateColumnNames('date'), 'date_approximate', 'place', 'country']
  const insert = sqlite.prepare(`INSERT INTO events (id, ${cols.join(', ')}) VALUES (@id, ${cols.map((c) => '@' + c).join(', ')})`)
  const update = sqlite.prepare(`UPDATE events SET ${cols.map((c) => `${c} = @${c}`).join(', ')}, updated_at = ${now} WHERE id = @id`)
  const insertParty = sqlite.prepare('INSERT INTO event_parties (event_id, actor_id, role) VALUES (?, ?, ?)')
  const deleteParties = sqlite.prepare('DELETE FROM event_parties WHERE event_id = ?')
  const deleteRow = sqlite.prepare('DELETE FROM events WHERE id = ?')
  const params = (d: EventDoc & { id: string }) => ({
    id: d.id,
    kind: d.kind,
    title: d.title,
    description: d.description,
    ...dateColumns('date', d.date),
    date_approximate: bool(d.date_approximate),
    place: d.place,
    country: d.country
  })
  return {
    table: 'events',
    baseId: (d) => `${slug(`event ${d.date ?? 'undated'}`)}-${slug(d.title)}`,
    links: (d) => d.parties.map((p, i) => ({ pointer: `/parties/${i}/actor_id`, type: 'actor', id: p.actor_id })),
    insertRow: (d) => { insert.run(params(d)) },
    updateRow: (d) => { update.run(params(d)) },
    insertChildren (d) {
      for (const p of d.parties) insertParty.run(d.id, p.actor_id, p.role)
    },
    deleteChildren: (id) => { deleteParties.run(id) },
    deleteRow: (id) => { deleteRow.run(id) },
    citableParts: (d) => d.parties.map((p) => `parties.${p.actor_id}.${p.role}`)
  }
}
