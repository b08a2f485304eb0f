import { createHook } from 'node:async_hooks'

let kept: object | undefined

/**
 * Keeps one of `process.nextTick`'s queue entries alive for the life of the process, and with it
 * the hidden classes (V8 maps) that every entry shares. Call it once, first thing in a server
 * process; later calls return the same entry.
 *
 * Why: Node 20 builds each entry as an object literal with computed symbol keys,
 * `{ [async_id_symbol]: …, [trigger_async_id_symbol]: …, callback, args }`
 * (lib/internal/process/task_queues.js). V8 defines those properties through inline caches that
 * are either monomorphic or megamorphic, nothing in between. Between ticks nothing holds the
 * entries' maps strongly, so a full garbage collection while the queue is empty (the app's
 * start-up runs several) can free them. The next entry then gets new maps, the caches go
 * megamorphic for good, and optimized code builds every later entry through the V8 runtime.
 * Each request runs several ticks (stream ends, socket writes, `finish`), so this cost about 8 %
 * of the server's CPU on the 304 revalidation path. It happened in 5 of 6 start-ups of the app
 * and in none of 6 with the entry kept. See "Performance" in the README for how this was found.
 */
export function keepTickObjectShape (): object {
  if (kept !== undefined) return kept
  // Only an `init` hook sees the entry; it is enabled for one synchronous nextTick call.
  const hook = createHook({
    init (_asyncId, type, _triggerAsyncId, resource) {
      if (type === 'TickObject' && kept === undefined) kept = resource
    }
  })
  hook.enable()
  try {
    process.nextTick(() => {})
  } finally {
    hook.disable()
  }
  if (kept === undefined) throw new Error('process.nextTick created no TickObject while an init hook was enabled')
  return kept
}
