import type BetterSqlite3 from 'better-sqlite3'
import { bool, dateColumnNames, dateColumns, now, slug, type RecordWriter } from '../../writers/writer.js'
import type { QuoteDoc } from './schemas.js'

export function quoteWriter (sqlite: BetterSqlite3.Database): RecordWriter<QuoteDoc> {
  const cols = ['speaker_id', 'text', 'kind', 'language', ...dateColumnNames('date'), 'date_approximate', 'context', 'rendered_from', 'original_text']
  const insert = sqlite.prepare(`INSERT INTO quotes (id, ${cols.join(', ')}) VALUES (@id, ${cols.map((c) => '@' + c).join(', ')})`)
  const update = sqlite.prepare(`UPDATE quotes SET ${cols.map((c) => `${c} = @${c}`).join(', ')}, updated_at = ${now} WHERE id = @id`)
  const deleteRow = sqlite.prepare('DELETE FROM quotes WHERE id = ?')
  const params = (d: QuoteDoc & { id: string }) => ({
    id: d.id,
    speaker_id: d.speaker_id,
    text: d.text,
    kind: d.kind,
    language: d.language,
    ...dateColumns('date', d.date),
    date_approximate: bool(d.date_approximate),
    context: d.context,
    rendered_from: d.rendered_from,
    original_text: d.original_text
  })
  return {
    table: 'quotes',
    baseId: (d) => slug(`${d.speaker_id} ${d.text}`, 60),
    links: (d) => [{ pointer: '/speaker_id', type: 'actor', id: d.speaker_id }],
    insertRow: (d) => { insert.run(params(d)) },
    updateRow: (d) => { update.run(params(d)) },
    insertChildren: () => {},
    deleteChildren: () => {},
    deleteRow: (id) => { deleteRow.run(id) },
    checkDocument: (d) => [
      ...(d.original_text !== null && d.rendered_from === null
        ? [{ in: 'body' as const, name: '/original_text', detail: 'the original wording needs `rendered_from`, the language it was said in' }]
        : []),
      ...(d.rendered_from !== null && d.rendered_from === d.language
        ? [{ in: 'body' as const, name: '/rendered_from', detail: `the words were rendered from "${d.rendered_from}" into "${d.language}": the two languages must differ` }]
        : [])
    ],
    checkEvidence: (d, texts) => texts.some((t) => t.includes(d.text))
      ? []
      : [{ in: 'body', name: '/text', detail: 'the quote\'s text does not occur in any source it cites' }]
  }
}
