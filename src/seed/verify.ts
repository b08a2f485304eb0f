import type { RecordType } from '../db/schema/index.js'
import { locateExcerpt } from '../provenance/excerpts.js'
import type { CitationDoc, SeedSet } from '../writers/types.js'

export interface VerifiedCitation {
  recordType: RecordType
  recordId: string
  sourceId: string
  excerpt: string
  startOffset: number
  endOffset: number
  fields: string[]
  note: string | null
}

export class SeedError extends Error {
  constructor (readonly problems: string[]) {
    super(`The seed data has ${problems.length} problem(s); nothing was written:\n` + problems.map((p) => `  - ${p}`).join('\n'))
    this.name = 'SeedError'
  }
}

const short = (s: string) => (s.length > 80 ? s.slice(0, 77) + '…' : s)

/**
 * Checks every citation of every seeded record against the cleaned text of its source, and every
 * quote's text against its cited sources. Returns the citations with their offsets, or throws one
 * SeedError naming each record and excerpt that does not match.
 */
export function verifySeedSet (set: SeedSet, sourceTexts: Map<string, string>): VerifiedCitation[] {
  const problems: string[] = []
  const verified: VerifiedCitation[] = []
  const kinds: Array<[RecordType, string, Array<{ id: string, citations: CitationDoc[] }>]> = [
    ['actor', 'actors.json', set.actors],
    ['transfer', 'transfers.json', set.transfers],
    ['quote', 'quotes.json', set.quotes],
    ['tariff_deadline', 'tariff-deadlines.json', set.tariffDeadlines],
    ['cooperation_measure', 'cooperation-measures.json', set.cooperationMeasures]
  ]
  for (const [recordType, file, records] of kinds) {
    const ids = new Set<string>()
    for (const record of records) {
      const where = `${file} › ${record.id}`
      if (ids.has(record.id)) problems.push(`${where}: the id is used twice`)
      ids.add(record.id)
      if (!Array.isArray(record.citations) || record.citations.length === 0) {
        problems.push(`${where}: has no citation; every record needs at least one`)
        continue
      }
      record.citations.forEach((c, i) => {
        const label = `${where} › citation ${i + 1} ("${short(c.excerpt ?? '')}")`
        const text = sourceTexts.get(c.source_id)
        if (text === undefined) {
          problems.push(`${label}: source "${c.source_id}" is not in seeds/sources.json`)
          return
        }
        const check = locateExcerpt(text, c.excerpt ?? '', c.start_offset, c.end_offset)
        if (!check.ok) {
          problems.push(`${label}: ${check.detail} of source "${c.source_id}"`)
          return
        }
        verified.push({
          recordType,
          recordId: record.id,
          sourceId: c.source_id,
          excerpt: c.excerpt,
          startOffset: check.start,
          endOffset: check.end,
          fields: c.fields ?? [],
          note: c.note ?? null
        })
      })
    }
  }
  for (const quote of set.quotes) {
    const cited = quote.citations.map((c) => sourceTexts.get(c.source_id)).filter((t) => t !== undefined)
    if (!cited.some((t) => t.includes(quote.text))) {
      problems.push(`quotes.json › ${quote.id}: its text ("${short(quote.text)}") does not occur in any source it cites`)
    }
  }
  if (problems.length > 0) throw new SeedError(problems)
  return verified
}
