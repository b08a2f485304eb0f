import { kinds } from '../kinds/index.js'
import { bulkSchemas } from './bulk.js'
import { commonSchemas } from './common.js'
import { keySchemas } from './keys.js'
import { metaSchemas } from './meta.js'
import { changeSchemas, mergeSchemas, revisionSchemas } from './revisions.js'
import { searchSchemas } from './search.js'
import { Stats, StatsSeries } from './stats.js'
import { timelineSchemas } from './timeline.js'

/** Every named schema, registered with `app.addSchema` so OpenAPI components keep their `$id`. */
export const allSchemas = [
  ...commonSchemas,
  ...kinds.flatMap((k) => k.schemas.components),
  ...revisionSchemas,
  ...changeSchemas,
  ...mergeSchemas,
  ...timelineSchemas,
  StatsSeries,
  ...kinds.flatMap((k) => k.stats?.schemas ?? []),
  Stats,
  ...bulkSchemas,
  ...searchSchemas,
  ...keySchemas,
  ...metaSchemas
]
