import type BetterSqlite3 from 'better-sqlite3'
import { bool, dateColumnNames, dateColumns, now, slug, type Link, type RecordWriter } from '../../writers/writer.js'
import type { TariffDeadlineDoc } from './schemas.js'

export function tariffDeadlineWriter (sqlite: BetterSqlite3.Database): RecordWriter<TariffDeadlineDoc> {
  const plain = ['measure', 'rate_percent', 'imposing_country', 'targeted_country', 'imposing_party_id', 'targeted_party_id',
    'window_days', 'time_zone', 'status', 'description'] as const
  const dates = ['announced_on', 'window_start', 'deadline'] as const
  const cols = [...plain, ...dates.flatMap((c) => [...dateColumnNames(c), `${c}_approximate`])]
  const insert = sqlite.prepare(`INSERT INTO tariff_deadlines (id, ${cols.join(', ')}) VALUES (@id, ${cols.map((c) => '@' + c).join(', ')})`)
  const update = sqlite.prepare(`UPDATE tariff_deadlines SET ${cols.map((c) => `${c} = @${c}`).join(', ')}, updated_at = ${now} WHERE id = @id`)
  const deleteRow = sqlite.prepare('DELETE FROM tariff_deadlines WHERE id = ?')
  const params = (d: TariffDeadlineDoc & { id: string }) => ({
    ...Object.fromEntries(plain.map((c) => [c, d[c]])),
    ...Object.assign({}, ...dates.map((c) => dateColumns(c, d[c]))),
    id: d.id,
    announced_on_approximate: bool(d.announced_on_approximate),
    window_start_approximate: bool(d.window_start_approximate),
    deadline_approximate: bool(d.deadline_approximate)
  })
  return {
    table: 'tariff_deadlines',
    baseId: (d) => slug(`${d.imposing_country} ${d.measure} ${d.deadline ?? ''}`),
    links: (d) => (['imposing_party_id', 'targeted_party_id'] as const).flatMap((f): Link[] =>
      d[f] === null ? [] : [{ pointer: `/${f}`, type: 'actor', id: d[f] }]),
    insertRow: (d) => { insert.run(params(d)) },
    updateRow: (d) => { update.run(params(d)) },
    insertChildren: () => {},
    deleteChildren: () => {},
    deleteRow: (id) => { deleteRow.run(id) }
  }
}
