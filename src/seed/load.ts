import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import {
  actorAliases, actorRelations, actorRoles, actors, citations, cooperationMeasures, cooperationMeasureTransfers,
  quotes, sources, tariffDeadlines, transferParticipants, transferResources, transfers
} from '../db/schema/index.js'
import { seedsFolder } from '../paths.js'
import { cleanCapture } from '../text/clean-capture.js'
import type { SeedSet, SeedSource } from './types.js'
import { SeedError, verifySeedSet } from './verify.js'

export { SeedError }

function readJson<T> (folder: string, file: string): T {
  const path = join(folder, file)
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T
  } catch (err) {
    throw new SeedError([`${path}: ${(err as Error).message}`])
  }
}

/** Reads the seed files (and the captures they name) from a folder, `seeds/` by default. */
export function readSeedSet (folder = seedsFolder): SeedSet {
  const sourceMeta = readJson<SeedSource[]>(folder, 'sources.json')
  return {
    sources: sourceMeta.map((s) => ({ ...s, captured_text: readFileSync(join(folder, s.capture_file), 'utf8') })),
    actors: readJson(folder, 'actors.json'),
    transfers: readJson(folder, 'transfers.json'),
    quotes: readJson(folder, 'quotes.json'),
    tariffDeadlines: readJson(folder, 'tariff-deadlines.json'),
    cooperationMeasures: readJson(folder, 'cooperation-measures.json')
  }
}

export function isEmpty (db: Db): boolean {
  return db.orm.select({ n: sql<number>`count(*)` }).from(sources).get()!.n === 0
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

/**
 * Verifies every citation, then writes the whole seed set in one transaction: either all of it
 * is in the database afterwards, or (on any error) none of it.
 */
export function seedDatabase (db: Db, set: SeedSet = readSeedSet()): { records: number, citations: number } {
  const cleaned = new Map(set.sources.map((s) => [s.id, cleanCapture(s.captured_text)]))
  const verified = verifySeedSet(set, cleaned)
  const { orm } = db
  try {
    orm.transaction((tx) => {
      for (const s of set.sources) {
        const text = cleaned.get(s.id)!
        tx.insert(sources).values({
          id: s.id,
          title: s.title,
          publisher: s.publisher,
          url: s.url,
          language: s.language,
          publishedOn: s.published_on,
          capturedText: s.captured_text,
          text,
          textSha256: sha256(text)
        }).run()
      }
      for (const a of set.actors) {
        tx.insert(actors).values({ id: a.id, kind: a.kind, name: a.name, country: a.country, description: a.description }).run()
      }
      // Roles and relations point at other actors, so they follow all actors.
      for (const a of set.actors) {
        for (const al of a.aliases) tx.insert(actorAliases).values({ actorId: a.id, alias: al.alias, kind: al.kind, language: al.language }).run()
        for (const r of a.roles) {
          tx.insert(actorRoles).values({
            id: r.id,
            actorId: a.id,
            title: r.title,
            organizationId: r.organization_id,
            country: r.country,
            from: r.from,
            fromApproximate: r.from_approximate ?? false,
            to: r.to,
            toApproximate: r.to_approximate ?? false,
            asOf: r.as_of
          }).run()
        }
        for (const r of a.relations) tx.insert(actorRelations).values({ id: r.id, actorId: a.id, relation: r.relation, relatedActorId: r.related_actor_id }).run()
      }
      for (const t of set.transfers) {
        tx.insert(transfers).values({
          id: t.id,
          date: t.date,
          dateApproximate: t.date_approximate,
          announcedOn: t.announced_on,
          fromCountry: t.from_country,
          toCountry: t.to_country,
          mechanism: t.mechanism,
          peopleCount: t.people_count,
          peopleCountApproximate: t.people_count_approximate,
          summary: t.summary,
          purpose: t.purpose,
          charges: t.charges
        }).run()
        for (const p of t.participants) tx.insert(transferParticipants).values({ transferId: t.id, actorId: p.actor_id, role: p.role }).run()
        for (const r of t.resources) {
          tx.insert(transferResources).values({ id: r.id, transferId: t.id, kind: r.kind, quantity: r.quantity, approximate: r.approximate, description: r.description }).run()
        }
      }
      for (const q of set.quotes) {
        tx.insert(quotes).values({
          id: q.id,
          speakerId: q.speaker_id,
          text: q.text,
          kind: q.kind,
          language: q.language,
          date: q.date,
          dateApproximate: q.date_approximate,
          context: q.context
        }).run()
      }
      for (const d of set.tariffDeadlines) {
        tx.insert(tariffDeadlines).values({
          id: d.id,
          measure: d.measure,
          ratePercent: d.rate_percent,
          imposingCountry: d.imposing_country,
          targetedCountry: d.targeted_country,
          imposingPartyId: d.imposing_party_id,
          targetedPartyId: d.targeted_party_id,
          announcedOn: d.announced_on,
          announcedOnApproximate: d.announced_on_approximate,
          windowStart: d.window_start,
          windowStartApproximate: d.window_start_approximate,
          windowDays: d.window_days,
          deadline: d.deadline,
          deadlineApproximate: d.deadline_approximate,
          timeZone: d.time_zone,
          status: d.status,
          description: d.description
        }).run()
      }
      for (const m of set.cooperationMeasures) {
        tx.insert(cooperationMeasures).values({
          id: m.id,
          kind: m.kind,
          title: m.title,
          description: m.description,
          requestingPartyId: m.requesting_party_id,
          providingPartyId: m.providing_party_id,
          receivingPartyId: m.receiving_party_id,
          place: m.place,
          startDate: m.start_date,
          startDateApproximate: m.start_date_approximate,
          endDate: m.end_date,
          endDateApproximate: m.end_date_approximate,
          military: m.military,
          status: m.status,
          asOf: m.as_of
        }).run()
        for (const t of m.transfer_ids) tx.insert(cooperationMeasureTransfers).values({ measureId: m.id, transferId: t }).run()
      }
      for (const c of verified) tx.insert(citations).values(c).run()
    })
  } catch (err) {
    if (err instanceof SeedError) throw err
    throw new SeedError([`writing the seed data failed, nothing was written: ${(err as Error).message}`])
  }
  const records = set.sources.length + set.actors.length + set.transfers.length + set.quotes.length +
    set.tariffDeadlines.length + set.cooperationMeasures.length
  return { records, citations: verified.length }
}
