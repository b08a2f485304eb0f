/**
 * The registry: every kind of record, once, in the order an import writes them (what a record
 * points at comes first). Routes, repositories, writers, seeds, search, the timeline, statistics,
 * OpenAPI tags and the cross-cutting tests are derived from this list; adding a kind means one
 * folder beside these and one line here.
 */
import { actors } from './actors/index.js'
import { cooperationMeasures } from './cooperation-measures/index.js'
import { events } from './events/index.js'
import { inWords, type KindDefinition } from './kind.js'
import { quotes } from './quotes/index.js'
import { sources } from './sources/index.js'
import { tariffDeadlines } from './tariff-deadlines/index.js'
import { transfers } from './transfers/index.js'

export const kinds = [
  sources,
  actors,
  transfers,
  quotes,
  tariffDeadlines,
  cooperationMeasures,
  events
] as const

export type Kind = typeof kinds[number]
/** A record type: `source`, `actor`, `transfer`… */
export type KindType = Kind['type']

export const kindTypes: readonly KindType[] = kinds.map((k) => k.type)

const byType = new Map<string, KindDefinition>(kinds.map((k) => [k.type, k]))

/** The definition of a kind by its record type. */
export function kindOf (type: string): KindDefinition {
  const kind = byType.get(type)
  if (kind === undefined) throw new Error(`no kind of record is called "${type}"`)
  return kind
}

/** The kind whose records citations point into. */
export const evidenceKind: KindDefinition = kinds.find((k) => k.evidence !== undefined)!

/** The plural nouns of the kinds with dated records, in words: what the timeline merges. */
export const timelineNouns = inWords(kinds.filter((k) => k.timeline !== undefined).map((k) => `${k.noun}s`))

export { inWords, withArticle } from './kind.js'
export type { KindDefinition } from './kind.js'
