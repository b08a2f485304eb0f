import type { Db } from '../db/client.js'
import { createSearchIndexer, rebuildSearchIndex } from '../search/indexer.js'
import type { RevisionListener } from './record-writes.js'

/**
 * What every write keeps in step, in its own transaction: used by the app, the seed loader and the CLI alike.
 * Records written before the search index existed are indexed here, once, when the index is still empty.
 */
export function revisionListeners (db: Db): RevisionListener[] {
  rebuildSearchIndex(db)
  return [createSearchIndexer(db)]
}
