import { countAll, counted } from '../../repositories/stats.js'
import { CountQuery } from '../../schemas/stats.js'
import type { StatsSource } from '../kind.js'
import { cooperationMeasureKinds, cooperationMeasures, cooperationMeasureStatuses } from './table.js'

const groupings = ['kind', 'status'] as const

export const cooperationMeasureStats: StatsSource<{ group_by?: typeof groupings[number] }> = {
  summary: 'Count cooperation measures by kind or status',
  description: 'Cooperation measures counted by kind or by status, in the order the API lists those values.',
  query: CountQuery(groupings, 'cooperation measures'),
  response: 'Stats',
  compute: (orm) => {
    const m = cooperationMeasures
    const byKind = orm.select({ key: m.kind, count: countAll }).from(m).groupBy(m.kind).prepare()
    const byStatus = orm.select({ key: m.status, count: countAll }).from(m).groupBy(m.status).prepare()
    return ({ group_by: groupBy = 'kind' }) => groupBy === 'kind'
      ? counted(groupBy, byKind.all(), { enum: cooperationMeasureKinds })
      : counted(groupBy, byStatus.all(), { enum: cooperationMeasureStatuses })
  }
}
