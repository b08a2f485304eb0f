import type { Db } from '../db/client.js'
import { AppError, notFound } from '../errors.js'
import { etagOf, ifMatchAllows } from '../http/caching.js'
import { kindOf, kinds, type KindType } from '../kinds/index.js'
import { withoutRepeats } from '../writers/writer.js'
import type { Doc, RecordWrites, WriteResult } from './record-writes.js'

/** The JSON pointer `/a/0/b` of a document set to `value`. */
function setPointer (doc: Record<string, unknown>, pointer: string, value: unknown): void {
  const path = pointer.split('/').slice(1)
  let at = doc as Record<string, unknown>
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>
  at[path.at(-1)!] = value
}

/**
 * Folds a duplicate record into another, in one transaction: every record pointing at the
 * duplicate is rewritten to point at the survivor (a revision each), the survivor takes the
 * duplicate's names, roles, relations, identifiers and citations (a revision), and the duplicate
 * is deleted (a revision saying so) and remembered in `merged_records`, so its id answers 308 to
 * the survivor. Both histories stay. What the survivor takes of the duplicate is the kind's own
 * `merge.fold` (actors, for now: the one kind whose duplicates happen).
 */
export function createMerges (db: Db, writes: RecordWrites) {
  const { sqlite } = db
  const { writers, appendRevision, snapshots, writeEvidence, immediate, exists, revisionOf } = writes.internals
  const insertMerged = sqlite.prepare('INSERT INTO merged_records (record_type, record_id, into_id) VALUES (?, ?, ?)')
  const snapshot = (type: KindType, id: string) => snapshots(type, [id]).get(id)!

  /** The records of other kinds (and other actors) whose links point at `id`. */
  function pointingAt (type: KindType, id: string): Array<{ type: KindType, id: string }> {
    // A record may point at it in several ways (an actor's role and its relation): once each.
    return kinds.flatMap((k) => [...new Set(k.references.filter((r) => r.target === type).flatMap((r) =>
      sqlite.prepare(r.sql).pluck().all({ id }) as string[]))].map((other) => ({ type: k.type as KindType, id: other })))
  }

  /**
   * A document of kind `type` with every link to the `target` record `from` pointing at `into`,
   * and its citations' child rows renamed alike.
   */
  function relinked (type: KindType, doc: Doc, target: KindType, from: string, into: string): Doc {
    const copy = structuredClone(doc)
    for (const link of writers[type].links(copy)) {
      if (link.type === target && link.id === from) setPointer(copy, link.pointer, into)
    }
    for (const [name, value] of Object.entries(copy)) {
      if (Array.isArray(value) && name !== 'citations') copy[name] = withoutRepeats(value)
    }
    copy.citations = (copy.citations ?? []).map((c) => ({ ...c, fields: (c.fields ?? []).map((f) => f.split('.').map((part) => (part === from ? into : part)).join('.')) }))
    return copy
  }

  return {
    merge (type: KindType, id: string, into: string, opts: { ifMatch?: string, author: string, comment?: string }): WriteResult & { rewritten: Array<{ type: KindType, id: string, revision: number }> } {
      const { noun, merge } = kindOf(type)
      if (merge === undefined) throw new Error(`records of kind "${type}" are not merged`)
      const { fold } = merge
      const result = immediate(() => {
        if (id === into) throw new AppError('unprocessable', `An ${noun} cannot be merged into itself.`, [{ in: 'body', name: '/into', detail: 'is the record being merged' }])
        if (!exists(type, id)) throw notFound(noun, id)
        if (!exists(type, into)) {
          throw new AppError('unprocessable', `No ${noun} has the id "${into}" to merge "${id}" into.`, [{ in: 'body', name: '/into', detail: `no ${noun} has the id "${into}"` }])
        }
        const current = revisionOf(type, id)?.revision ?? 0
        if (!ifMatchAllows(opts.ifMatch, current)) {
          throw new AppError('precondition_failed', `If-Match does not match the current revision of ${noun} "${id}" (${etagOf(current)}); fetch it again and retry.`,
            undefined, { members: { current_etag: etagOf(current) } })
        }
        const comment = opts.comment ?? `Merged ${noun} "${id}" into "${into}".`
        // Read everything the merge changes before anything is deleted (deleting cascades to links).
        const duplicateRecord = snapshot(type, id)
        const duplicate = writes.documentOfRecord(type, duplicateRecord)
        const survivor = relinked(type, writes.documentOfRecord(type, snapshot(type, into)), type, id, into)
        const pointing = pointingAt(type, id).filter((r) => !(r.type === type && (r.id === id || r.id === into)))
        const documents = pointing.map((r) => ({ ...r, doc: relinked(r.type, writes.documentOfRecord(r.type, snapshot(r.type, r.id)), type, id, into) }))

        // Links are checked when the transaction commits: the duplicate goes first, the records
        // pointing at it are rewritten after, and nothing may point at it by then.
        sqlite.pragma('defer_foreign_keys = ON')
        writers[type].deleteChildren(id)
        writeEvidence(type, id, {}, [])
        writers[type].deleteRow(id)
        appendRevision(type, id, 'delete', opts.author, duplicateRecord, current, comment)
        insertMerged.run(type, id, into)

        const { id: _id, ...survivorPatch } = fold(survivor, relinked(type, duplicate, type, id, into), into) as Doc
        const merged = writes.update(type, into, survivorPatch, { author: opts.author, comment })
        const rewritten = documents.map((r) => {
          const { id: _rid, ...patch } = r.doc
          return { type: r.type, id: r.id, revision: writes.update(r.type, r.id, patch, { author: opts.author, comment }).revision }
        })
        return { ...merged, rewritten }
      })
      writes.changes.emit('change')
      return result
    }
  }
}

export type Merges = ReturnType<typeof createMerges>
