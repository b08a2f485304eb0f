import { actorSchemas } from './actors.js'
import { bulkSchemas } from './bulk.js'
import { commonSchemas } from './common.js'
import { cooperationMeasureSchemas } from './cooperation-measures.js'
import { quoteSchemas } from './quotes.js'
import { changeSchemas, revisionSchemas } from './revisions.js'
import { searchSchemas } from './search.js'
import { sourceSchemas } from './sources.js'
import { statsSchemas } from './stats.js'
import { tariffDeadlineSchemas } from './tariff-deadlines.js'
import { timelineSchemas } from './timeline.js'
import { transferSchemas } from './transfers.js'

/** Every named schema, registered with `app.addSchema` so OpenAPI components keep their `$id`. */
export const allSchemas = [
  ...commonSchemas,
  ...sourceSchemas,
  ...actorSchemas,
  ...transferSchemas,
  ...quoteSchemas,
  ...tariffDeadlineSchemas,
  ...cooperationMeasureSchemas,
  ...revisionSchemas,
  ...changeSchemas,
  ...timelineSchemas,
  ...statsSchemas,
  ...bulkSchemas,
  ...searchSchemas
]
