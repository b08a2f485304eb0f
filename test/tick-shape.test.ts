/**
 * keepTickObjectShape (src/runtime/tick-shape.ts) holds one real process.nextTick entry for the
 * life of the process. Its effect (V8's inline caches for tick entries stay monomorphic) shows in
 * `npm run bench`, not here; these tests check what it holds and that it holds it once. They name
 * Node 20's own property names: if a Node upgrade changes the entry, they fail, and the workaround
 * should be measured again before it is adapted or removed.
 */
import t from 'tap'
import { keepTickObjectShape } from '../src/runtime/tick-shape.js'

t.test('holds an entry of the nextTick queue: its callback, args and two async ids', async (t) => {
  const entry = keepTickObjectShape() as Record<string | symbol, unknown>
  t.same(Object.getOwnPropertyNames(entry), ['callback', 'args'])
  t.same(Object.getOwnPropertySymbols(entry).map((s) => s.description), ['async_id_symbol', 'trigger_async_id_symbol'])
  t.type(entry.callback, 'function')
  for (const id of Object.getOwnPropertySymbols(entry)) t.type(entry[id], 'number')
})

t.test('later calls return the same entry, and ticks still run', async (t) => {
  const first = keepTickObjectShape()
  let ran = 0
  await new Promise<void>((resolve) => process.nextTick(() => { ran++; resolve() }))
  t.equal(keepTickObjectShape(), first)
  t.equal(ran, 1)
})
