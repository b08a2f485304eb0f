import type BetterSqlite3 from 'better-sqlite3'
import { bool, dateColumnNames, dateColumns, now, slug, type Link, type RecordWriter } from '../../writers/writer.js'
import type { CooperationMeasureDoc } from './schemas.js'

export function cooperationMeasureWriter (sqlite: BetterSqlite3.Database): RecordWriter<CooperationMeasureDoc> {
  const plain = ['kind', 'title', 'description', 'requesting_party_id', 'providing_party_id', 'receiving_party_id', 'place',
    'start_date_approximate', 'end_date_approximate', 'military', 'status'] as const
  const dates = ['start_date', 'end_date', 'as_of'] as const
  const cols = [...plain, ...dates.flatMap(dateColumnNames)]
  const insert = sqlite.prepare(`INSERT INTO cooperation_measures (id, ${cols.join(', ')}) VALUES (@id, ${cols.map((c) => '@' + c).join(', ')})`)
  const update = sqlite.prepare(`UPDATE cooperation_measures SET ${cols.map((c) => `${c} = @${c}`).join(', ')}, updated_at = ${now} WHERE id = @id`)
  const insertTransfer = sqlite.prepare('INSERT INTO cooperation_measure_transfers (measure_id, transfer_id) VALUES (?, ?)')
  const deleteTransfers = sqlite.prepare('DELETE FROM cooperation_measure_transfers WHERE measure_id = ?')
  const deleteRow = sqlite.prepare('DELETE FROM cooperation_measures WHERE id = ?')
  const params = (d: CooperationMeasureDoc & { id: string }) => ({
    ...Object.fromEntries(plain.map((c) => [c, d[c]])),
    ...Object.assign({}, ...dates.map((c) => dateColumns(c, d[c]))),
    id: d.id,
    start_date_approximate: bool(d.start_date_approximate),
    end_date_approximate: bool(d.end_date_approximate),
    military: bool(d.military)
  })
  return {
    table: 'cooperation_measures',
    baseId: (d) => slug(d.title),
    links: (d) => [
      ...(['requesting_party_id', 'providing_party_id', 'receiving_party_id'] as const).flatMap((f): Link[] =>
        d[f] === null ? [] : [{ pointer: `/${f}`, type: 'actor', id: d[f] }]),
      ...d.transfer_ids.map((id, i): Link => ({ pointer: `/transfer_ids/${i}`, type: 'transfer', id }))
    ],
    insertRow: (d) => { insert.run(params(d)) },
    updateRow: (d) => { update.run(params(d)) },
    insertChildren (d) {
      for (const t of d.transfer_ids) insertTransfer.run(d.id, t)
    },
    deleteChildren: (id) => { deleteTransfers.run(id) },
    deleteRow: (id) => { deleteRow.run(id) }
  }
}
