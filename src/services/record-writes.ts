import { EventEmitter } from 'node:events'
import type { Db } from '../db/client.js'
import type { AlternativeRank, CitationSupport } from '../db/schema/citations.js'
import type { RevisionAction } from '../db/schema/revisions.js'
import { AppError, gone, notFound, type ProblemItem } from '../errors.js'
import { etagOf, ifMatchAllows } from '../http/caching.js'
import { evidenceKind, kindOf, kinds, withArticle, type KindType } from '../kinds/index.js'
import { locateExcerpt } from '../provenance/excerpts.js'
import type { ReadRepository } from '../repositories/read-repository.js'
import type { CitationDoc } from '../schemas/common.js'
import type { RecordWriter } from '../writers/writer.js'
import { createDocumentValidator, mergePatch, recordDocument, resolveRef } from './documents.js'

/** A record's document as the write service handles it, whatever its kind. */
export type Doc = Record<string, unknown> & { id?: string, citations?: CitationDoc[], alternatives?: unknown[] }

/** One read repository per kind, by record type. */
export type Repositories = Record<KindType, ReadRepository<object>>

export interface WriteResult {
  record: object
  revision: number
  etag: string
}

interface VerifiedCitation {
  sourceId: string
  excerpt: string
  start: number
  end: number
  fields: string[]
  support: CitationSupport
  note: string | null
  /** The position of the alternative value it is evidence for; null for the record's own. */
  alternative: number | null
}

/** An alternative value of a document, as its create body gives it. */
interface AlternativeDoc {
  field: string
  value: unknown
  rank?: AlternativeRank
  note?: string | null
  citations: CitationDoc[]
}

const alternativesOf = (doc: Doc) => (doc.alternatives ?? []) as AlternativeDoc[]

/** What the note of a citation that is not `stated` must say. */
const notesOf: Record<Exclude<CitationSupport, 'stated'>, string> = {
  resolved: 'how the expression was resolved (e.g. "Wednesday" against the publication date)',
  computed: 'which facts the value is computed from',
  inferred: 'what the value is inferred from',
  external: 'where the value comes from, outside the stored sources'
}

const capitalize = (s: string) => s[0]!.toUpperCase() + s.slice(1)

/**
 * Called inside the write's transaction for every revision, with the record after the change (as it
 * was, for a delete): derived structures such as the search index stay in step with every write.
 */
export type RevisionListener = (type: KindType, id: string, action: RevisionAction, record: object) => void

/**
 * Creates, patches and deletes records. Every write is one IMMEDIATE transaction that validates
 * the document, checks its links and citations, writes the rows, and appends a revision (the
 * change feed); on any error nothing is written.
 */
export function createRecordWrites (db: Db, repositories: Repositories, listeners: RevisionListener[] = []) {
  const { sqlite } = db
  const writers = Object.fromEntries(kinds.map((k) => [k.type, k.writer(sqlite)])) as Record<KindType, RecordWriter<any>>
  const validate = createDocumentValidator()
  const changes = new EventEmitter()
  changes.setMaxListeners(0)

  const evidenceText = sqlite.prepare(`SELECT text FROM ${writers[evidenceKind.type as KindType].table} WHERE id = ?`).pluck()
  const rowExists = Object.fromEntries(kinds.map((k) =>
    [k.type, sqlite.prepare(`SELECT 1 FROM ${writers[k.type].table} WHERE id = ?`).pluck()])) as Record<KindType, ReturnType<typeof sqlite.prepare>>
  /**
   * What points at a record of each kind: the references other kinds declare, and for the
   * evidence kind (sources) the citations of every cited kind.
   */
  const pointingAt = new Map(kinds.map((target) => [target.type, [
    ...kinds.flatMap((k) => k.references.filter((r) => r.target === target.type).map((r) => ({ noun: k.noun, query: sqlite.prepare(r.sql).pluck() }))),
    ...(target.evidence === undefined ? [] : [{ noun: 'citation of', query: sqlite.prepare("SELECT DISTINCT replace(record_type, '_', ' ') || ' ' || record_id FROM citations WHERE source_id = @id").pluck() }])
  ]]))
  /** Records whose fields point at this one: a delete would change them, so it is refused. */
  const dependents = (type: KindType, id: string) =>
    pointingAt.get(type)!.flatMap(({ noun, query }) => (query.all({ id }) as string[]).map((other) => `${noun} ${other}`))
  const lastRevision = sqlite.prepare('SELECT revision, action, at FROM revisions WHERE record_type = ? AND record_id = ? ORDER BY revision DESC LIMIT 1')
  const lastRevisions = sqlite.prepare(`SELECT record_id, max(revision) AS revision FROM revisions
    WHERE record_type = ? AND record_id IN (SELECT value FROM json_each(?)) GROUP BY record_id`)
  const insertRevision = sqlite.prepare('INSERT INTO revisions (record_type, record_id, revision, action, author, data, comment) VALUES (?, ?, ?, ?, ?, ?, ?)')
  const insertCitation = sqlite.prepare(`INSERT INTO citations (record_type, record_id, source_id, excerpt, start_offset, end_offset, fields, support, note, alternative)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertAlternative = sqlite.prepare('INSERT INTO alternatives (record_type, record_id, position, field, value, rank, note) VALUES (?, ?, ?, ?, ?, ?, ?)')
  const deleteAlternatives = sqlite.prepare('DELETE FROM alternatives WHERE record_type = ? AND record_id = ?')
  const deleteCitations = sqlite.prepare('DELETE FROM citations WHERE record_type = ? AND record_id = ?')

  const exists = (type: KindType, id: string) => rowExists[type].get(id) !== undefined
  const ownerQueries = new Map<string, ReturnType<typeof sqlite.prepare>>()
  /** Which record a child row (a role, relation or resource) with this id belongs to, if any. */
  function childOwner (table: string, ownerColumn: string, id: string): string | undefined {
    const key = `${table}.${ownerColumn}`
    let query = ownerQueries.get(key)
    if (query === undefined) {
      query = sqlite.prepare(`SELECT ${ownerColumn} FROM ${table} WHERE id = ?`).pluck()
      ownerQueries.set(key, query)
    }
    return query.get(id) as string | undefined
  }

  function revisionOf (type: KindType, id: string) {
    return lastRevision.get(type, id) as { revision: number, action: RevisionAction, at: string } | undefined
  }

  const snapshotIncludes = (type: KindType) => new Set(kindOf(type).cited ? ['citations'] : [])

  /** The record as the API shows it, citations included: what a revision stores. */
  function snapshot (type: KindType, id: string): object {
    return repositories[type].get(id, snapshotIncludes(type))!
  }

  /** The last revision numbers of many records of one kind (absent: never existed). */
  function lastRevisionsOf (type: KindType, ids: string[]): Map<string, number> {
    const rows = lastRevisions.all(type, JSON.stringify(ids)) as Array<{ record_id: string, revision: number }>
    return new Map(rows.map((r) => [r.record_id, r.revision]))
  }

  /** Snapshots of many records of one kind, a few queries per batch. */
  function snapshots (type: KindType, ids: string[]): Map<string, object> {
    const records = repositories[type].getMany(ids, snapshotIncludes(type)) as Array<{ id: string }>
    return new Map(records.map((r) => [r.id, r]))
  }

  /** The record as a document: what a create takes, what a patch merges into, what export writes. */
  function documentOfRecord (type: KindType, record: object): Doc {
    const doc = recordDocument(type, record) as Doc
    return { ...doc, ...writers[type].documentExtras?.(doc.id!) }
  }

  /** The top-level fields of each kind's create body a citation may name (all but `id` and `citations`). */
  const topLevelFields = new Map(kinds.map((k) => [k.type, Object.keys((resolveRef(k.schemas.input) as { properties: object }).properties)
    .filter((name) => name !== 'id' && name !== 'citations')]))

  /** What a citation of this document may name: its top-level fields and its child rows. */
  function citableFields (type: KindType, doc: Doc): Set<string> {
    return new Set([
      ...topLevelFields.get(type)!.filter((f) => f !== 'alternatives'),
      ...(writers[type].citableParts?.(doc) ?? []),
      ...alternativesOf(doc).map((_, n) => `alternatives.${n}`)
    ])
  }

  /** A citation naming something the record does not have, or reading the excerpt without saying how. */
  function citationFieldProblems (type: KindType, c: CitationDoc, at: string, label: string, citable: Set<string>): ProblemItem[] {
    const problems: ProblemItem[] = []
    const noun = kindOf(type).noun
    ;(c.fields ?? []).forEach((field, j) => {
      if (citable.has(field)) return
      const parts = [...citable].filter((f) => f.includes('.'))
      const known = `its fields are ${topLevelFields.get(type)!.map((f) => `"${f}"`).join(', ')}` +
        (parts.length > 0 ? `, and its child rows ${parts.slice(0, 8).map((f) => `"${f}"`).join(', ')}${parts.length > 8 ? '…' : ''}` : '')
      problems.push({ in: 'body', name: `${at}/fields/${j}`, detail: `${label} names "${field}", which is not a field or child row of this ${noun} (${known})` })
    })
    const support = c.support ?? 'stated'
    if (support !== 'stated' && (c.note ?? '').trim() === '') {
      problems.push({ in: 'body', name: `${at}/note`, detail: `${label} is "${support}": its note must say ${notesOf[support]}` })
    }
    return problems
  }

  /**
   * An alternative must be for a field of the record, with a value the field could hold (checked
   * by the record's own schema), `preferred` only when it is the record's value, and `normal`
   * only when it is not (a competing value): otherwise the ranks would say something untrue.
   */
  function alternativeProblems (type: KindType, doc: Doc): ProblemItem[] {
    const problems: ProblemItem[] = []
    const fields = topLevelFields.get(type)!.filter((f) => f !== 'alternatives')
    alternativesOf(doc).forEach((a, n) => {
      const at = `/alternatives/${n}`
      if (!fields.includes(a.field)) {
        problems.push({ in: 'body', name: `${at}/field`, detail: `"${a.field}" is not a field of this ${kindOf(type).noun} (its fields are ${fields.map((f) => `"${f}"`).join(', ')})` })
        return
      }
      const { alternatives: _alternatives, ...rest } = doc
      const invalid = validate(type, { ...rest, [a.field]: a.value }).filter((p) => p.name === `/${a.field}` || p.name.startsWith(`/${a.field}/`))
      for (const p of invalid) problems.push({ in: 'body', name: `${at}/value${p.name.slice(a.field.length + 1)}`, detail: `alternative ${n} of "${a.field}": ${p.detail}` })
      if (invalid.length > 0) return
      const same = JSON.stringify(a.value) === JSON.stringify(doc[a.field])
      const rank = a.rank ?? 'normal'
      if (rank === 'preferred' && !same) {
        problems.push({ in: 'body', name: `${at}/rank`, detail: `alternative ${n} is "preferred" but differs from the record's "${a.field}": the preferred value is the record's own; set "${a.field}" to it, or rank this one normal` })
      } else if (rank === 'normal' && same) {
        problems.push({ in: 'body', name: `${at}/rank`, detail: `alternative ${n} is the record's own value of "${a.field}": rank it "preferred" (a source agreeing) rather than "normal" (a competing value)` })
      }
    })
    return problems
  }

  /**
   * Checks what the schema cannot: that linked records exist (or are created by the same
   * import, `pending`), that every citation matches its source, and that a quote's text occurs in
   * a cited source. Returns the problems and, when there are none, the citations with offsets.
   */
  function check (type: KindType, doc: Doc, pending?: { ids: Map<KindType, Set<string>>, texts: Map<string, string> }) {
    const problems: ProblemItem[] = []
    const known = (t: KindType, id: string) => exists(t, id) || (pending?.ids.get(t)?.has(id) ?? false)
    for (const link of writers[type].links(doc)) {
      if (!known(link.type as KindType, link.id)) problems.push({ in: 'body', name: link.pointer, detail: `no ${kindOf(link.type).noun} has the id "${link.id}"` })
    }
    problems.push(...(writers[type].checkDocument?.(doc) ?? []))
    const seenChildIds = new Set<string>()
    for (const child of writers[type].childIds?.(doc) ?? []) {
      const owner = childOwner(child.table, child.owner, child.id)
      if (seenChildIds.has(`${child.table}/${child.id}`)) {
        problems.push({ in: 'body', name: child.pointer, detail: `"${child.id}" is used twice in this record` })
      } else if (owner !== undefined && owner !== doc.id) {
        problems.push({ in: 'body', name: child.pointer, detail: `"${child.id}" is already the id of a row of ${kindOf(type).noun} "${owner}"; ids of roles, relations and resources are unique` })
      }
      seenChildIds.add(`${child.table}/${child.id}`)
    }
    const verified: VerifiedCitation[] = []
    const texts: string[] = []
    const citable = citableFields(type, doc)
    /** Verifies one citation, the record's own (`alternative` null) or an alternative value's. */
    const verify = (c: CitationDoc, at: string, label: string, alternative: number | null, fieldsAllowed: Set<string>) => {
      problems.push(...citationFieldProblems(type, c, at, label, fieldsAllowed))
      const text = pending?.texts.get(c.source_id) ?? (evidenceText.get(c.source_id) as string | undefined)
      if (text === undefined) {
        problems.push({ in: 'body', name: `${at}/source_id`, detail: `no source has the id "${c.source_id}"` })
        return false
      }
      const located = locateExcerpt(text, c.excerpt, c.start_offset, c.end_offset)
      if (!located.ok) {
        const excerpt = c.excerpt.length > 60 ? c.excerpt.slice(0, 57) + '…' : c.excerpt
        problems.push({ in: 'body', name: `${at}/excerpt`, detail: `${label} of source "${c.source_id}", excerpt "${excerpt}": ${located.detail}` })
        return false
      }
      if (alternative === null) texts.push(text)
      verified.push({ sourceId: c.source_id, excerpt: c.excerpt, start: located.start, end: located.end, fields: c.fields ?? [], support: c.support ?? 'stated', note: c.note ?? null, alternative })
      return true
    }
    const ownVerified = (doc.citations ?? []).filter((c, i) => verify(c, `/citations/${i}`, `citation ${i}`, null, citable)).length
    problems.push(...alternativeProblems(type, doc))
    alternativesOf(doc).forEach((a, n) => {
      a.citations.forEach((c, i) => { verify(c, `/alternatives/${n}/citations/${i}`, `citation ${i} of alternative ${n}`, n, new Set([a.field])) })
    })
    const evidence = writers[type].checkEvidence
    if (evidence !== undefined && ownVerified === (doc.citations ?? []).length) problems.push(...evidence(doc, texts))
    return { problems, verified }
  }

  /** A record's citations and alternative values (with theirs), replacing what it had unless told not to. */
  function writeEvidence (type: KindType, id: string, doc: Doc, citations: VerifiedCitation[], replace = true) {
    if (replace) {
      deleteCitations.run(type, id)
      deleteAlternatives.run(type, id)
    }
    for (const c of citations) insertCitation.run(type, id, c.sourceId, c.excerpt, c.start, c.end, JSON.stringify(c.fields), c.support, c.note, c.alternative)
    alternativesOf(doc).forEach((a, n) => { insertAlternative.run(type, id, n, a.field, JSON.stringify(a.value), a.rank ?? 'normal', a.note ?? null) })
  }

  /**
   * Appends the next revision of a record; `previous` saves the lookup when the caller knows it,
   * `comment` is the writer's reason for the change.
   */
  function appendRevision (type: KindType, id: string, action: RevisionAction, author: string, data: object, previous?: number, comment?: string | null): number {
    const revision = (previous ?? revisionOf(type, id)?.revision ?? 0) + 1
    insertRevision.run(type, id, revision, action, author, JSON.stringify(data), comment ?? null)
    for (const listener of listeners) listener(type, id, action, data)
    return revision
  }

  /** A free id: the document's own, or a slug of it with -2, -3… when taken (or used before). */
  function newId (type: KindType, doc: Doc): string {
    const base = writers[type].baseId(doc)
    let id = base
    for (let n = 2; exists(type, id) || revisionOf(type, id) !== undefined; n++) id = `${base}-${n}`
    return id
  }

  function unprocessable (type: KindType, problems: ProblemItem[]): AppError {
    return new AppError('unprocessable', `The ${kindOf(type).noun} was not written: ${problems.map((p) => `${p.name} ${p.detail}`).join('; ')}.`, problems)
  }

  function current (type: KindType, id: string, ifMatch: string | undefined) {
    const rev = revisionOf(type, id)
    if (!exists(type, id)) {
      if (rev?.action === 'delete') throw gone(kindOf(type), id, rev.at)
      throw notFound(kindOf(type).noun, id)
    }
    const revision = rev?.revision ?? 0
    if (!ifMatchAllows(ifMatch, revision)) {
      throw new AppError('precondition_failed', `If-Match does not match the current revision of ${kindOf(type).noun} "${id}" (${etagOf(revision)}); fetch it again and retry.`,
        undefined, { members: { current_etag: etagOf(revision) } })
    }
    return revision
  }

  const immediate = <T>(fn: () => T): T => db.write(fn)

  const notify = (result: WriteResult | undefined) => {
    changes.emit('change')
    return result
  }

  return {
    changes,
    exists,
    documentOfRecord,

    create (type: KindType, body: Doc, author: string, comment?: string): WriteResult {
      const result = immediate(() => {
        const doc = structuredClone(body)
        if (doc.id !== undefined && exists(type, doc.id)) {
          throw new AppError('conflict', `${capitalize(withArticle(kindOf(type).noun))} with the id "${doc.id}" exists already; PATCH it, or choose another id.`)
        }
        const id = doc.id ?? newId(type, doc)
        const { problems, verified } = check(type, doc)
        if (problems.length > 0) throw unprocessable(type, problems)
        const withId = { ...doc, id }
        writers[type].insertRow(withId)
        writers[type].insertChildren(withId)
        if (kindOf(type).cited) writeEvidence(type, id, doc, verified)
        const record = snapshot(type, id)
        const revision = appendRevision(type, id, 'create', author, record, undefined, comment)
        return { record, revision, etag: etagOf(revision) }
      })
      return notify(result)!
    },

    update (type: KindType, id: string, patch: Doc, opts: { ifMatch?: string, author: string, comment?: string }): WriteResult {
      const result = immediate(() => {
        const previous = current(type, id, opts.ifMatch)
        const merged = mergePatch(documentOfRecord(type, snapshot(type, id)), patch) as Doc
        merged.id = id
        const schemaProblems = validate(type, merged)
        if (schemaProblems.length > 0) throw unprocessable(type, schemaProblems)
        const { problems, verified } = check(type, merged)
        if (problems.length > 0) throw unprocessable(type, problems)
        const doc = merged as Doc & { id: string }
        writers[type].updateRow(doc)
        writers[type].deleteChildren(id)
        writers[type].insertChildren(doc)
        if (kindOf(type).cited) writeEvidence(type, id, doc, verified)
        const record = snapshot(type, id)
        const revision = appendRevision(type, id, 'update', opts.author, record, previous, opts.comment)
        return { record, revision, etag: etagOf(revision) }
      })
      return notify(result)!
    },

    remove (type: KindType, id: string, opts: { ifMatch?: string, author: string, comment?: string }): { revision: number } {
      const result = immediate(() => {
        const previous = current(type, id, opts.ifMatch)
        const pointing = dependents(type, id)
        if (pointing.length > 0) {
          throw new AppError('conflict', `The ${kindOf(type).noun} "${id}" cannot be deleted while other records point at it: ${pointing.join(', ')}. Change or delete those first.`)
        }
        const record = snapshot(type, id)
        writers[type].deleteChildren(id)
        deleteCitations.run(type, id)
        deleteAlternatives.run(type, id)
        writers[type].deleteRow(id)
        return { revision: appendRevision(type, id, 'delete', opts.author, record, previous, opts.comment) }
      })
      changes.emit('change')
      return result
    },

    /** Internal: the pieces an import composes into one transaction. */
    internals: { writers, validate, check, writeEvidence, appendRevision, snapshots, lastRevisionsOf, immediate, exists, revisionOf }
  }
}

export type RecordWrites = ReturnType<typeof createRecordWrites>
