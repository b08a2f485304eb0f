import { eq } from 'drizzle-orm'
import { countAll, counted } from '../../repositories/stats.js'
import { CountQuery } from '../../schemas/stats.js'
import { actors } from '../actors/table.js'
import type { StatsSource } from '../kind.js'
import { quotes } from './table.js'

export const quoteStats: StatsSource<{ group_by?: 'speaker' }> = {
  summary: 'Count quotes by speaker',
  description: 'Quotes (direct, partial and paraphrased) counted by speaker, most quoted first; labels are the speakers\' names.',
  query: CountQuery(['speaker'] as const, 'quotes'),
  response: 'Stats',
  compute: (orm) => {
    const bySpeaker = orm.select({ key: quotes.speakerId, label: actors.name, count: countAll }).from(quotes)
      .leftJoin(actors, eq(actors.id, quotes.speakerId)).groupBy(quotes.speakerId).prepare()
    return (q) => counted(q.group_by ?? 'speaker', bySpeaker.all(), {})
  }
}
