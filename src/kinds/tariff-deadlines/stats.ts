import { countAll, counted } from '../../repositories/stats.js'
import { CountQuery } from '../../schemas/stats.js'
import type { StatsSource } from '../kind.js'
import { tariffDeadlines, tariffDeadlineStatuses } from './table.js'

export const tariffDeadlineStats: StatsSource<{ group_by?: 'status' }> = {
  summary: 'Count tariff deadlines by status',
  description: 'Tariff deadlines counted by status.',
  query: CountQuery(['status'] as const, 'tariff deadlines'),
  response: 'Stats',
  compute: (orm) => {
    const d = tariffDeadlines
    const byStatus = orm.select({ key: d.status, count: countAll }).from(d).groupBy(d.status).prepare()
    return (q) => counted(q.group_by ?? 'status', byStatus.all(), { enum: tariffDeadlineStatuses })
  }
}
