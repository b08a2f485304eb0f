import { sql } from 'drizzle-orm'
import { rows, statement, type Dialect, type Read } from '../db/query.js'
import type { KindDefinition } from '../kinds/kind.js'
import { placeOf, precisionOf } from '../query/dates.js'
import type { ActorLinkDto } from '../schemas/common.js'

interface LinkRow { record_id: string, actor_id: string, role: string }
interface DatedRow { id: string, date: string | null, earliest: string | null, latest: string | null }

/**
 * What points at an actor, by kind (`include=quotes,transfers,events,measures,deadlines` on an
 * actor): each kind with `actorLinks` says which of its records name which actors in which role.
 * A page costs three queries an include — the links, the records' dates, their headlines — however
 * many actors and records it holds.
 */
export function createActorLinksLoader (dialect: Dialect, linked: readonly KindDefinition[]) {
  const byInclude = new Map(linked.map((kind) => {
    const links = statement<LinkRow>(kind.actorLinks!.sql((column) => dialect.inPlaceholder(column)))
    const headlines = kind.timeline!.headlines(dialect)
    const dated = statement<DatedRow>(sql`SELECT id, date, earliest, latest FROM (${kind.timeline!.entries(undefined)}) AS entries
      WHERE ${dialect.inPlaceholder(sql`id`)}`)
    return [kind.actorLinks!.include, { kind, links, headlines, dated }] as const
  }))

  /** The links of the include's kind to each of these actors, newest first. */
  return function * (include: string, actorIds: string[]): Read<Map<string, ActorLinkDto[]>> {
    const { kind, links, headlines, dated } = byInclude.get(include)!
    const found = yield * rows(links, { ids: dialect.list(actorIds) })
    const ids = [...new Set(found.map((r) => r.record_id))]
    const dates = new Map((yield * rows(dated, { ids: dialect.list(ids) })).map((d) => [d.id, d]))
    const lines = yield * headlines(ids)
    const out = new Map<string, ActorLinkDto[]>()
    for (const r of found) {
      const d = dates.get(r.record_id)
      const link: ActorLinkDto = {
        id: r.record_id,
        role: r.role,
        date: d?.date ?? null,
        date_precision: precisionOf(d?.date ?? null),
        headline: lines.get(r.record_id) ?? r.record_id,
        url: `/v1/${kind.path}/${encodeURIComponent(r.record_id)}`
      }
      const list = out.get(r.actor_id)
      if (list === undefined) out.set(r.actor_id, [link])
      else list.push(link)
    }
    const place = (l: ActorLinkDto) => { const d = dates.get(l.id); return placeOf(d?.earliest ?? null, d?.latest ?? null) }
    const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0)
    for (const list of out.values()) list.sort((a, b) => compare(place(b), place(a)) || compare(a.id, b.id) || compare(a.role, b.role))
    return out
  }
}
