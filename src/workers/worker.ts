/**
 * A worker thread of the server: a connection of its own to the database file, and a knowledge
 * base over it, running the operations the main thread sends (src/workers/operations.ts). Reading
 * workers open the file read-only; the writing one is the only writer of its process.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { createDb } from '../db/client.js'
import { createKnowledgeBase } from '../knowledge-base.js'
import { operations, type OperationName } from './operations.js'
import { serializeError } from './transport.js'

export interface WorkerSettings {
  databasePath: string
  readonly: boolean
  cursorSecret: string
  idempotencyTtlHours: number
}

export interface Request { id: number, op: OperationName, arg: unknown }

const settings = workerData as WorkerSettings
const db = createDb(settings.databasePath, { readonly: settings.readonly })
const ops = operations(createKnowledgeBase(db, { cursorSecret: settings.cursorSecret, idempotencyTtlHours: settings.idempotencyTtlHours }))

parentPort!.on('message', (request: Request | 'close') => {
  if (request === 'close') {
    db.close()
    parentPort!.close()
    return
  }
  try {
    const result = (ops[request.op] as (arg: unknown) => unknown)(request.arg)
    parentPort!.postMessage({ id: request.id, ok: true, result, storageFault: false })
  } catch (err) {
    parentPort!.postMessage({ id: request.id, ok: false, error: serializeError(err), storageFault: db.storageFault() !== undefined })
  }
})
parentPort!.postMessage('ready')
