import type { Db } from '../db/client.js'
import { kindOf, type KindType } from '../kinds/index.js'
import type { RevisionListener } from '../services/record-writes.js'
import { dateColumns } from '../writers/writer.js'
import type { SearchDocument } from './documents.js'
import { stemText } from './stemming.js'

/**
 * The search document of a record, from the record as the API shows it (what a revision stores).
 * The body repeats the title so that a phrase is found whichever column it falls in.
 */
export function searchDocumentOf (type: KindType, record: object): SearchDocument {
  const doc = kindOf(type).searchDocument(record)
  // What other sources report is found too: "27 people" finds the transfer another wire counts so.
  const alternatives = ((record as { alternatives?: Array<{ value: unknown, note: string | null }> }).alternatives ?? [])
    .flatMap((a) => [typeof a.value === 'string' ? a.value : JSON.stringify(a.value), a.note ?? ''])
    .filter((text) => text !== '' && text !== 'null')
  return { ...doc, body: alternatives.length === 0 ? doc.body : `${doc.body} ${alternatives.join(' ')}`, date: doc.date ?? null }
}

/**
 * The `search_documents` row of a record: its document, the stems of its text in each language
 * (src/search/stemming.ts), and the bounds of its date the date filters read.
 */
export function documentRow (type: KindType, id: string, record: object) {
  const { date, keywords = '', ...doc } = searchDocumentOf(type, record)
  return { kind: type, id, ...doc, keywords, stems_en: stemText(doc.body, 'en'), stems_es: stemText(doc.body, 'es'), ...dateColumns('date', date) }
}

/**
 * `search_documents` has one row per live record; triggers (migration 0004) keep the FTS5 table
 * `search_index` in step with it. An unchanged document is not rewritten.
 */
function statements (db: Db) {
  const { sqlite } = db
  return {
    upsert: sqlite.prepare(`INSERT INTO search_documents (kind, record_id, date, date_earliest, date_latest, title, body, keywords, stems_en, stems_es)
      VALUES (@kind, @id, @date, @date_earliest, @date_latest, @title, @body, @keywords, @stems_en, @stems_es)
      ON CONFLICT (kind, record_id) DO UPDATE SET date = excluded.date, date_earliest = excluded.date_earliest, date_latest = excluded.date_latest,
        title = excluded.title, body = excluded.body, keywords = excluded.keywords, stems_en = excluded.stems_en, stems_es = excluded.stems_es
      WHERE date IS NOT excluded.date OR title IS NOT excluded.title OR body IS NOT excluded.body OR keywords IS NOT excluded.keywords`),
    remove: sqlite.prepare('DELETE FROM search_documents WHERE kind = ? AND record_id = ?')
  }
}

/** The revision listener that keeps the search index in step with every write, in its transaction. */
export function createSearchIndexer (db: Db): RevisionListener {
  const { upsert, remove } = statements(db)
  return (type, id, action, record) => {
    if (action === 'delete') remove.run(type, id)
    else upsert.run(documentRow(type, id, record))
  }
}

/**
 * Indexes every live record from its latest revision, when the index is empty but the knowledge
 * base is not (a database from before the search index), or always with `force` (after the
 * documents' make-up changes). Returns the number of records indexed. One transaction. Run after
 * migrating, since SQL cannot build the documents (see migrations/0004_search_index.sql).
 */
export function rebuildSearchIndex (db: Db, { force = false } = {}): number {
  const { sqlite } = db
  if (!force && sqlite.prepare('SELECT 1 FROM search_documents LIMIT 1').get() !== undefined) return 0
  const { upsert } = statements(db)
  return sqlite.transaction(() => {
    if (force) sqlite.prepare('DELETE FROM search_documents').run()
    let n = 0
    for (const { type, id, record } of latestRecords(db)) {
      upsert.run(documentRow(type, id, record))
      n++
    }
    return n
  }).immediate()
}

/** Every live record, as its latest revision stores it: what derived structures are rebuilt from. */
export function * latestRecords (db: Db): Generator<{ type: KindType, id: string, record: object }> {
  const latest = db.sqlite.prepare(`SELECT r.record_type AS type, r.record_id AS id, r.data
    FROM revisions r
    JOIN (SELECT record_type, record_id, max(revision) AS revision FROM revisions GROUP BY record_type, record_id) l
      ON l.record_type = r.record_type AND l.record_id = r.record_id AND l.revision = r.revision
    WHERE r.action <> 'delete'`)
  // All read first: the connection cannot write while a statement iterates.
  for (const row of latest.all() as Array<{ type: KindType, id: string, data: string }>) yield { type: row.type, id: row.id, record: JSON.parse(row.data) as object }
}
