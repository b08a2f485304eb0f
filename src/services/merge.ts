import type { Db } from '../db/client.js'
import { AppError, notFound } from '../errors.js'
import { etagOf, ifMatchAllows } from '../http/caching.js'
import { kindOf, kinds, type KindType } from '../kinds/index.js'
import type { CitationDoc } from '../schemas/common.js'
import type { Doc, RecordWrites, WriteResult } from './record-writes.js'

/** The JSON pointer `/a/0/b` of a document set to `value`. */
function setPointer (doc: Record<string, unknown>, pointer: string, value: unknown): void {
  const path = pointer.split('/').slice(1)
  let at = doc as Record<string, unknown>
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>
  at[path.at(-1)!] = value
}

/** What makes two rows of a record the same row: an actor in a role, or else all of it. */
const rowKey = (item: unknown) => {
  const row = item as { actor_id?: unknown, role?: unknown }
  return typeof row === 'object' && row !== null && typeof row.actor_id === 'string' && typeof row.role === 'string'
    ? `${row.actor_id}\u0000${row.role}`
    : JSON.stringify(item)
}

const isEmpty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0)

/**
 * Array items that became the same row once, in their first place: two participants that are
 * now one actor in one role keep the first's details and take the other's where the first has
 * none (case numbers from both).
 */
function withoutRepeats<T> (items: T[]): T[] {
  const rows = new Map<string, T>()
  for (const item of items) {
    const key = rowKey(item)
    const first = rows.get(key)
    if (first === undefined) {
      rows.set(key, item)
    } else if (typeof first === 'object' && first !== null) {
      const combined = { ...first } as Record<string, unknown>
      for (const [name, value] of Object.entries(item as Record<string, unknown>)) {
        const mine = combined[name]
        if (Array.isArray(mine) && Array.isArray(value)) combined[name] = [...new Set([...mine, ...value])]
        else if (isEmpty(mine)) combined[name] = value
      }
      rows.set(key, combined as T)
    }
  }
  return [...rows.values()]
}

type ActorDocument = Doc & {
  name: string
  description: string | null
  country: string | null
  aliases: Array<{ alias: string, kind: string, language: string | null }>
  roles: Array<{ id: string, organization_id: string | null }>
  relations: Array<{ id: string, relation: string, related_actor_id: string }>
  identifiers: Array<{ scheme: string, value: string }>
  citations: CitationDoc[]
}

/**
 * Folds a duplicate record into another, in one transaction: every record pointing at the
 * duplicate is rewritten to point at the survivor (a revision each), the survivor takes the
 * duplicate's names, roles, relations, identifiers and citations (a revision), and the duplicate
 * is deleted (a revision saying so) and remembered in `merged_records`, so its id answers 308 to
 * the survivor. Both histories stay. Actors only, for now: the one kind whose duplicates happen.
 */
export function createMerges (db: Db, writes: RecordWrites) {
  const { sqlite } = db
  const { writers, appendRevision, snapshots, writeEvidence, immediate, exists, revisionOf } = writes.internals
  const insertMerged = sqlite.prepare('INSERT INTO merged_records (record_type, record_id, into_id) VALUES (?, ?, ?)')
  const mergedInto = sqlite.prepare('SELECT into_id FROM merged_records WHERE record_type = ? AND record_id = ?').pluck()
  const snapshot = (type: KindType, id: string) => snapshots(type, [id]).get(id)!

  /** The records of other kinds (and other actors) whose links point at `id`. */
  function pointingAt (type: KindType, id: string): Array<{ type: KindType, id: string }> {
    // A record may point at it in several ways (an actor's role and its relation): once each.
    return kinds.flatMap((k) => [...new Set(k.references.filter((r) => r.target === type).flatMap((r) =>
      sqlite.prepare(r.sql).pluck().all({ id }) as string[]))].map((other) => ({ type: k.type as KindType, id: other })))
  }

  /** A document with every link to `from` pointing at `into`, and its citations' child rows renamed alike. */
  function relinked (type: KindType, doc: Doc, from: string, into: string): Doc {
    const copy = structuredClone(doc)
    for (const link of writers[type].links(copy)) {
      if (link.type === 'actor' && link.id === from) setPointer(copy, link.pointer, into)
    }
    for (const [name, value] of Object.entries(copy)) {
      if (Array.isArray(value) && name !== 'citations') copy[name] = withoutRepeats(value)
    }
    copy.citations = (copy.citations ?? []).map((c) => ({ ...c, fields: (c.fields ?? []).map((f) => f.split('.').map((part) => (part === from ? into : part)).join('.')) }))
    return copy
  }

  /** The survivor's document with the duplicate's names, roles, relations, identifiers and evidence. */
  function folded (survivor: ActorDocument, duplicate: ActorDocument, into: string): Doc {
    const names = new Set([survivor.name, ...survivor.aliases.map((a) => a.alias)])
    const aliases = [...survivor.aliases]
    for (const alias of [{ alias: duplicate.name, kind: 'alias', language: null }, ...duplicate.aliases]) {
      if (!names.has(alias.alias)) aliases.push(alias)
      names.add(alias.alias)
    }
    const takes = (field: 'description' | 'country') => survivor[field] === null && duplicate[field] !== null
    const fieldsOfDuplicate = (f: string) => f === 'name' ? (duplicate.name === survivor.name ? 'name' : `aliases.${duplicate.name}`) : f
    const keeps = (f: string) => f.includes('.') || f === 'name' || f === 'kind' || (f === 'description' && takes('description')) || (f === 'country' && takes('country'))
    const identifierKeys = new Set(survivor.identifiers.map((i) => `${i.scheme}:${i.value}`))
    const relations = [...survivor.relations, ...duplicate.relations].filter((r) => r.related_actor_id !== into)
    // A relation between the two is gone (an actor is not related to itself), and so is its evidence.
    const dropped = new Set([...survivor.relations, ...duplicate.relations].filter((r) => r.related_actor_id === into).map((r) => `relations.${r.id}`))
    const cited = (c: CitationDoc) => ({ ...c, fields: (c.fields ?? []).filter((f) => !dropped.has(f)) })
    /** A citation of fewer fields; none left of those it had, and it goes (one of the record as a whole stays). */
    const narrowed = (c: CitationDoc, fields: string[]) => (c.fields ?? []).length > 0 && fields.length === 0 ? [] : [{ ...c, fields }]
    return {
      ...survivor,
      description: takes('description') ? duplicate.description : survivor.description,
      country: takes('country') ? duplicate.country : survivor.country,
      aliases,
      roles: [...survivor.roles, ...duplicate.roles],
      relations,
      identifiers: [...survivor.identifiers, ...duplicate.identifiers.filter((i) => !identifierKeys.has(`${i.scheme}:${i.value}`))],
      citations: withoutRepeats([
        ...survivor.citations.flatMap((c) => narrowed(c, cited(c).fields)),
        ...duplicate.citations.flatMap((c) => narrowed(c, cited(c).fields.filter(keeps).map(fieldsOfDuplicate)))
      ])
    }
  }

  return {
    /** The record a merged id was folded into, following later merges; undefined when it was not merged. */
    mergedInto (type: KindType, id: string): string | undefined {
      let into = mergedInto.get(type, id) as string | undefined
      for (let hops = 0; into !== undefined && hops < 100; hops++) {
        const next = mergedInto.get(type, into) as string | undefined
        if (next === undefined) break
        into = next
      }
      return into
    },

    merge (type: KindType, id: string, into: string, opts: { ifMatch?: string, author: string, comment?: string }): WriteResult & { rewritten: Array<{ type: KindType, id: string, revision: number }> } {
      const noun = kindOf(type).noun
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
        const duplicate = writes.documentOfRecord(type, duplicateRecord) as ActorDocument
        const survivor = relinked(type, writes.documentOfRecord(type, snapshot(type, into)), id, into) as ActorDocument
        const pointing = pointingAt(type, id).filter((r) => !(r.type === type && (r.id === id || r.id === into)))
        const documents = pointing.map((r) => ({ ...r, doc: relinked(r.type, writes.documentOfRecord(r.type, snapshot(r.type, r.id)), id, into) }))

        // Links are checked when the transaction commits: the duplicate goes first, the records
        // pointing at it are rewritten after, and nothing may point at it by then.
        sqlite.pragma('defer_foreign_keys = ON')
        writers[type].deleteChildren(id)
        writeEvidence(type, id, {}, [])
        writers[type].deleteRow(id)
        appendRevision(type, id, 'delete', opts.author, duplicateRecord, current, comment)
        insertMerged.run(type, id, into)

        const { id: _id, ...survivorPatch } = folded(survivor, relinked(type, duplicate, id, into) as ActorDocument, into)
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
