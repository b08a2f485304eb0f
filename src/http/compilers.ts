import ValidatorSelector from '@fastify/ajv-compiler'
import SerializerSelector from '@fastify/fast-json-stringify-compiler'

type Factory = (...args: any[]) => (route: { schema: unknown }) => unknown

/**
 * Fastify compiles a validator and a serializer for every schema of every route; ours repeat
 * (the Problem body under each error status of some forty routes, the same path parameters).
 * These factories compile each distinct schema once per app, which cuts start-up (and so every
 * test that builds an app) severalfold.
 */
function memoized (selector: () => Factory): Factory {
  const base = selector()
  return (...args: unknown[]) => {
    const compile = base(...args)
    const cache = new Map<string, unknown>()
    return (route) => {
      const key = JSON.stringify(route.schema)
      let compiled = cache.get(key)
      if (compiled === undefined) {
        compiled = compile(route)
        cache.set(key, compiled)
      }
      return compiled
    }
  }
}

export const compilersFactory = {
  buildValidator: memoized(ValidatorSelector as unknown as () => Factory),
  buildSerializer: memoized(SerializerSelector as unknown as () => Factory)
}
