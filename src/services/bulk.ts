import { getTableColumns, sql } from 'drizzle-orm'
import { rows, statement, type Dialect, type Read } from '../db/query.js'
import { AppError, type ProblemItem } from '../errors.js'
import { kindOf, kindTypes, withArticle, type KindDefinition, type KindType } from '../kinds/index.js'
import type { Reads } from '../repositories/reads.js'
import { recordDocument } from './documents.js'
import type { Doc, RecordWrites } from './record-writes.js'

export interface ImportLine {
  line: number
  type: KindType
  doc: Doc
}

export interface ImportResult {
  records: number
  by_type: Record<KindType, number>
}

const at = (line: number, name: string, detail: string): ProblemItem => ({ in: 'body', line, name, detail })

/** Splits NDJSON into `{ "type": …, "data": {…} }` lines; blank lines are skipped. */
export function parseNdjson (text: string): { lines: ImportLine[], problems: ProblemItem[] } {
  const lines: ImportLine[] = []
  const problems: ProblemItem[] = []
  text.split('\n').forEach((raw, i) => {
    const line = i + 1
    if (raw.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch (err) {
      problems.push(at(line, '/', `is not valid JSON (${(err as Error).message})`))
      return
    }
    const v = value as { type?: unknown, data?: unknown }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(at(line, '/', 'must be an object {"type": …, "data": {…}}'))
    } else if (typeof v.type !== 'string' || !(kindTypes as readonly string[]).includes(v.type)) {
      problems.push(at(line, '/type', `must be one of: ${kindTypes.join(', ')}`))
    } else if (v.data === null || typeof v.data !== 'object' || Array.isArray(v.data)) {
      problems.push(at(line, '/data', 'must be an object: the record'))
    } else if (Object.keys(value).some((k) => k !== 'type' && k !== 'data')) {
      problems.push(at(line, '/', 'has members other than "type" and "data"'))
    } else {
      lines.push({ line, type: v.type as KindType, doc: v.data as Doc })
    }
  })
  return { lines, problems }
}

/**
 * Imports records in one transaction. Every line is validated and every citation verified first;
 * on any problem nothing is written and the error lists each bad line. Records may point at
 * records of the same import, whatever their order; sources are written first.
 */
export function importLines (
  writes: RecordWrites,
  lines: ImportLine[],
  author: string,
  earlier: ProblemItem[] = [],
  onProgress?: (written: number) => void,
  /** The reason for the import, stored on every revision it writes. */
  comment?: string
): ImportResult {
  const { writers, validate, check, writeEvidence, appendRevision, snapshots, lastRevisionsOf, immediate, exists } = writes.internals
  const result = immediate(() => {
    const problems = [...earlier]
    const ids = new Map<KindType, Set<string>>(kindTypes.map((t) => [t, new Set()]))
    const texts = new Map<string, string>()
    const valid: ImportLine[] = []
    for (const item of lines) {
      const schemaProblems = validate(item.type, item.doc).map((p) => at(item.line, `/data${p.name === '/' ? '' : p.name}`, p.detail))
      if (schemaProblems.length > 0) {
        problems.push(...schemaProblems)
        continue
      }
      const id = item.doc.id
      const seen = ids.get(item.type)!
      if (id === undefined) problems.push(at(item.line, '/data/id', 'is required in an import, so that records can point at each other'))
      else if (seen.has(id)) problems.push(at(item.line, '/data/id', `"${id}" is used by an earlier line`))
      else if (exists(item.type, id)) problems.push(at(item.line, '/data/id', `${withArticle(kindOf(item.type).noun)} with the id "${id}" exists already`))
      else {
        seen.add(id)
        // Records of the import may cite sources of the same import.
        const evidence = kindOf(item.type).evidence
        if (evidence !== undefined) texts.set(id, evidence.textOf(item.doc))
        valid.push(item)
      }
    }
    const verified = new Map<ImportLine, ReturnType<typeof check>['verified']>()
    for (const item of valid) {
      const checked = check(item.type, item.doc, { ids, texts })
      problems.push(...checked.problems.map((p) => at(item.line, `/data${p.name}`, p.detail)))
      verified.set(item, checked.verified)
    }
    if (problems.length > 0) {
      problems.sort((a, b) => a.line! - b.line!)
      const badLines = new Set(problems.map((p) => p.line)).size
      throw new AppError('unprocessable', `${badLines} line(s) of the import have problems; nothing was written.`, problems)
    }
    const counts = Object.fromEntries(kindTypes.map((t) => [t, 0])) as Record<KindType, number>
    for (const type of kindTypes) {
      const ofType = valid.filter((item) => item.type === type)
      for (const item of ofType) writers[type].insertRow(item.doc)
      for (const item of ofType) writers[type].insertChildren(item.doc)
      counts[type] = ofType.length
    }
    for (const item of valid) {
      if (kindOf(item.type).cited) writeEvidence(item.type, item.doc.id!, item.doc, verified.get(item)!, false)
    }
    // Revisions in line order, their snapshots read back in batches of one kind.
    const batch = 500
    for (let from = 0; from < valid.length; from += batch) {
      const chunk = valid.slice(from, from + batch)
      const records = new Map<KindType, Map<string, object>>()
      const previous = new Map<KindType, Map<string, number>>()
      for (const type of new Set(chunk.map((item) => item.type))) {
        const ids = chunk.filter((item) => item.type === type).map((item) => item.doc.id!)
        records.set(type, snapshots(type, ids))
        previous.set(type, lastRevisionsOf(type, ids)) // an id may be re-created after a delete
      }
      for (const item of chunk) {
        const id = item.doc.id!
        appendRevision(item.type, id, 'create', author, records.get(item.type)!.get(id)!, previous.get(item.type)!.get(id) ?? 0, comment)
      }
      onProgress?.(Math.min(from + batch, valid.length))
    }
    return { records: valid.length, by_type: counts }
  })
  writes.changes.emit('change')
  return result
}

/**
 * The whole knowledge base as NDJSON lines, sources first, each kind by id: the documents an
 * import takes, so export → import → export gives the same bytes. Built in one synchronous pass,
 * which on this single connection is a consistent snapshot.
 */
/**
 * The export's lines, sources first and each kind by id. `types`: only these kinds; `since` (an
 * ISO timestamp): only the records created or changed at or after it (what was deleted is in the
 * change feed, `action=delete`).
 */
export function * exportLines (reads: Reads, dialect: Dialect, { types, since }: { types?: readonly KindType[], since?: string } = {}): Read<string[]> {
  const lines: string[] = []
  for (const type of kindTypes.filter((t) => types === undefined || types.includes(t))) {
    const kind = kindOf(type)
    const include = new Set(kind.cited ? ['citations'] : [])
    const extras = documentColumnsOf(kind, dialect)
    let cursor: string | undefined
    do {
      const page = yield * reads.records[type].list({ limit: 500, sort: 'id', ...(cursor !== undefined ? { cursor } : {}) }, include)
      const records = (page.data as Array<{ id: string, updated_at: string }>).filter((r) => since === undefined || r.updated_at >= since)
      const extra = extras === undefined || records.length === 0 ? undefined : yield * extras(records.map((r) => r.id))
      for (const record of records) {
        lines.push(JSON.stringify({ type, data: { ...recordDocument(type, record), ...extra?.get(record.id) } }) + '\n')
      }
      cursor = page.nextCursor ?? undefined
    } while (cursor !== undefined)
  }
  return lines
}

/** The read of a page's `documentColumns` (a source's capture), by record id; undefined for a kind without. */
function documentColumnsOf (kind: KindDefinition, dialect: Dialect) {
  const columns = Object.entries(kind.documentColumns ?? {})
  if (columns.length === 0) return undefined
  const table = columns[0]![1].table
  const id = getTableColumns(table).id!
  const query = statement<Record<string, unknown> & { id: string }>(sql`SELECT ${id} AS id, ${sql.join(columns.map(([name, column]) => sql`${column} AS ${sql.identifier(name)}`), sql`, `)}
    FROM ${table} WHERE ${dialect.inPlaceholder(id)}`)
  return function * (ids: string[]): Read<Map<string, Record<string, unknown>>> {
    return new Map((yield * rows(query, { ids: dialect.list(ids) })).map(({ id, ...fields }) => [id, fields]))
  }
}
