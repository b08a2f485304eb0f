import { Worker } from 'node:worker_threads'
import { AppError } from '../errors.js'
import { unbudgetedOperations, type OperationName, type Operations } from './operations.js'
import { deserializeError, type SerializedError } from './transport.js'
import type { WorkerSettings } from './worker.js'

type Reply = { id: number, ok: true, result: unknown, storageFault: boolean } | { id: number, ok: false, error: SerializedError, storageFault: boolean }

interface Job {
  op: OperationName
  arg: unknown
  resolve: (value: unknown) => void
  reject: (err: Error) => void
}

interface Slot {
  worker: Worker
  ready: Promise<void>
  job?: Job & { id: number, timer?: NodeJS.Timeout }
}

export interface PoolOptions {
  /** How many threads. */
  size: number
  settings: WorkerSettings
  /** A job running longer than this is cut off: its thread is replaced, and the caller gets a 503. */
  timeoutMs?: number
  /** Jobs that may wait for a thread; beyond, a 503 at once. */
  maxQueue: number
  onError?: (err: Error) => void
}

const fromSource = import.meta.url.endsWith('.ts')
/** The worker script beside this file: `.ts` when the server runs from source, `.js` when built. */
const workerUrl = new URL(`./worker${fromSource ? '.ts' : '.js'}`, import.meta.url)

/**
 * A thread running the worker script. From source (development, tests) the thread registers
 * tsx's loader first: on Node 20 a worker does not inherit the loader hooks of its parent.
 */
function startWorker (workerData: WorkerSettings): Worker {
  if (!fromSource) return new Worker(workerUrl, { workerData })
  const tsx = import.meta.resolve('tsx/esm/api')
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(workerUrl.href)}) })`, { eval: true, workerData })
}

/**
 * A fixed set of worker threads running operations one at a time each, first come first served.
 * A thread that dies or overruns its time is replaced; its job fails with a problem, the others go on.
 */
export function createWorkerPool (options: PoolOptions) {
  const queue: Job[] = []
  let nextId = 1
  let closing = false

  function spawn (): Slot {
    const worker = startWorker(options.settings)
    const slot: Slot = {
      worker,
      ready: new Promise((resolve, reject) => {
        worker.once('message', (message) => (message === 'ready' ? resolve() : reject(new Error(`worker: unexpected first message ${String(message)}`))))
        worker.once('error', reject)
      })
    }
    slot.ready.catch((err: Error) => options.onError?.(err))
    worker.on('message', (reply: Reply | 'ready') => {
      if (reply === 'ready' || slot.job?.id !== reply.id) return
      const job = slot.job
      clearTimeout(job.timer)
      slot.job = undefined
      if (reply.ok) job.resolve(reply.result)
      // `storageFault`: the thread's storage is at fault (a full disk, a replaced file…), not the request.
      else job.reject(Object.assign(deserializeError(reply.error), { storageFault: reply.storageFault }))
      next()
    })
    worker.on('error', (err) => options.onError?.(err))
    let started = false
    slot.ready.then(() => { started = true }, () => {})
    worker.on('exit', () => {
      const job = slot.job
      slot.job = undefined
      const i = slots.indexOf(slot)
      if (closing || i === -1) return
      // A thread that died is replaced; one that could not start is not (ready() reports it).
      if (started) slots[i] = spawn()
      job?.reject(new AppError('unavailable', 'The worker running this request stopped; nothing it did was kept. Retry.', undefined, { headers: { 'retry-after': '1' } }))
      next()
    })
    return slot
  }

  const slots: Slot[] = Array.from({ length: options.size }, spawn)

  function start (slot: Slot, job: Job) {
    const id = nextId++
    const running: NonNullable<Slot['job']> = { ...job, id }
    slot.job = running
    slot.ready.then(() => {
      slot.worker.postMessage({ id, op: job.op, arg: job.arg })
      // The budget counts from when the thread has the job, not from the thread's start-up.
      if (options.timeoutMs === undefined || unbudgetedOperations.has(job.op) || slot.job !== running) return
      running.timer = setTimeout(() => {
        job.reject(new AppError('unavailable', `The request ran longer than the server allows (${options.timeoutMs} ms) and was stopped; narrow it (more words, a kind or date filter) or retry later.`,
          undefined, { headers: { 'retry-after': '5' }, members: { limit: 'time_budget' } }))
        slot.job = undefined
        slots.splice(slots.indexOf(slot), 1, spawn())
        slot.worker.terminate().catch(() => {})
        next()
      }, options.timeoutMs)
    }, (err: Error) => job.reject(err))
  }

  function next () {
    for (const slot of slots) {
      if (queue.length === 0) return
      if (slot.job === undefined) start(slot, queue.shift()!)
    }
  }

  return {
    /** Resolves once every thread has opened its connection; rejects if one could not start. */
    ready: () => Promise.all(slots.map((slot) => slot.ready)).then(() => {}),

    /** Runs an operation in a thread of the pool. */
    run<K extends OperationName> (op: K, arg: Parameters<Operations[K]>[0]): Promise<ReturnType<Operations[K]>> {
      if (closing) return Promise.reject(new AppError('unavailable', 'The server is shutting down.', undefined, { headers: { 'retry-after': '5' } }))
      if (queue.length >= options.maxQueue) {
        return Promise.reject(new AppError('unavailable', `The server has ${queue.length} requests of this kind waiting already; retry shortly.`,
          undefined, { headers: { 'retry-after': '2' }, members: { limit: 'queue' } }))
      }
      return new Promise((resolve, reject) => {
        queue.push({ op, arg, resolve: resolve as (value: unknown) => void, reject })
        next()
      })
    },

    /** Lets running jobs finish, then closes the threads' connections. */
    async close () {
      closing = true
      for (const job of queue.splice(0)) job.reject(new AppError('unavailable', 'The server is shutting down.', undefined, { headers: { 'retry-after': '5' } }))
      await Promise.all(slots.map(async (slot) => {
        while (slot.job !== undefined) await new Promise((resolve) => setTimeout(resolve, 10))
        await slot.ready.catch(() => {})
        const exited = new Promise((resolve) => slot.worker.once('exit', resolve))
        slot.worker.postMessage('close')
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))])
        await slot.worker.terminate()
      }))
    }
  }
}

export type WorkerPool = ReturnType<typeof createWorkerPool>
