import type { Db } from '../db/client.js'
import type { RevisionListener } from './record-writes.js'

/** What every write keeps in step, in its own transaction: used by the app, the seed loader and the CLI alike. */
export function revisionListeners (_db: Db): RevisionListener[] {
  return []
}
