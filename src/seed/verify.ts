import { evidenceKind, kindOf, kinds, type KindType } from '../kinds/index.js'
import { locateExcerpt } from '../provenance/excerpts.js'
import type { Doc } from '../services/record-writes.js'

/** The seed data: every kind's documents (each with its id), by record type. */
export type SeedSet = Record<KindType, Array<Doc & { id: string }>>

export class SeedError extends Error {
  constructor (readonly problems: string[]) {
    super(`The seed data has ${problems.length} problem(s); nothing was written:\n` + problems.map((p) => `  - ${p}`).join('\n'))
    this.name = 'SeedError'
  }
}

const short = (s: string) => (s.length > 80 ? s.slice(0, 77) + '…' : s)

/**
 * Checks every citation of every seeded record against the text of its source, naming the seed
 * file, record and excerpt of each problem; the import that writes the seeds checks the rest
 * (links, and what a kind asks of its evidence besides). Returns the number of citations, or
 * throws one SeedError listing every problem.
 */
export function verifySeedSet (set: SeedSet): number {
  const problems: string[] = []
  const evidence = kindOf(evidenceKind.type).evidence!
  const texts = new Map(set[evidenceKind.type as KindType].map((doc) => [doc.id, evidence.textOf(doc)]))
  let verified = 0
  for (const kind of kinds.filter((k) => k.cited)) {
    const ids = new Set<string>()
    for (const record of set[kind.type]) {
      const where = `${kind.seedFile} › ${record.id}`
      if (ids.has(record.id)) problems.push(`${where}: the id is used twice`)
      ids.add(record.id)
      const citations = record.citations ?? []
      if (citations.length === 0) {
        problems.push(`${where}: has no citation; every record needs at least one`)
        continue
      }
      citations.forEach((c, i) => {
        const label = `${where} › citation ${i + 1} ("${short(c.excerpt ?? '')}")`
        const text = texts.get(c.source_id)
        if (text === undefined) {
          problems.push(`${label}: source "${c.source_id}" is not in seeds/${evidenceKind.seedFile}`)
          return
        }
        const check = locateExcerpt(text, c.excerpt ?? '', c.start_offset, c.end_offset)
        if (!check.ok) problems.push(`${label}: ${check.detail} of source "${c.source_id}"`)
        else verified++
      })
    }
  }
  if (problems.length > 0) throw new SeedError(problems)
  return verified
}
