import { createHash } from 'node:crypto'
import type BetterSqlite3 from 'better-sqlite3'
import { cleanCapture } from '../../text/clean-capture.js'
import { dateColumns, now, slug, type RecordWriter } from '../../writers/writer.js'
import type { SourceDoc } from './schemas.js'

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

/** Sources keep the capture as given and the cleaned text citations point into, with its sha256. */
export function sourceWriter (sqlite: BetterSqlite3.Database): RecordWriter<SourceDoc> {
  const insert = sqlite.prepare(`INSERT INTO sources (id, title, publisher, url, language, published_on, published_on_earliest, published_on_latest, captured_text, text, text_sha256)
    VALUES (@id, @title, @publisher, @url, @language, @published_on, @published_on_earliest, @published_on_latest, @captured_text, @text, @text_sha256)`)
  const update = sqlite.prepare(`UPDATE sources SET title = @title, publisher = @publisher, url = @url, language = @language,
    published_on = @published_on, published_on_earliest = @published_on_earliest, published_on_latest = @published_on_latest, updated_at = ${now} WHERE id = @id`)
  const deleteRow = sqlite.prepare('DELETE FROM sources WHERE id = ?')
  const capturedText = sqlite.prepare('SELECT captured_text FROM sources WHERE id = ?').pluck()
  const meta = (d: SourceDoc & { id: string }) => ({
    id: d.id, title: d.title, publisher: d.publisher, url: d.url, language: d.language, ...dateColumns('published_on', d.published_on)
  })
  return {
    table: 'sources',
    baseId: (d) => slug(d.title),
    links: () => [],
    insertRow (d) {
      const text = cleanCapture(d.captured_text)
      insert.run({ ...meta(d), captured_text: d.captured_text, text, text_sha256: sha256(text) })
    },
    updateRow: (d) => { update.run(meta(d)) },
    insertChildren: () => {},
    deleteChildren: () => {},
    deleteRow: (id) => { deleteRow.run(id) },
    // The capture is not part of the record as the API shows it, but it is part of its document.
    documentExtras: (id) => ({ captured_text: capturedText.get(id) as string })
  }
}
