import ValidatorSelector from '@fastify/ajv-compiler'
import SerializerSelector from '@fastify/fast-json-stringify-compiler'
import { nonFinite } from '../services/documents.js'

type Route = { schema: unknown, httpPart?: string }
type Compile = (route: Route) => unknown
type Factory = (externalSchemas: unknown, options?: Record<string, any>) => Compile

/**
 * Fastify compiles a validator and a serializer for every schema of every route; ours repeat
 * (the Problem body under each error status of some forty routes, the same path parameters).
 * These factories compile each distinct schema once per app, which cuts start-up (and so every
 * test that builds an app) severalfold.
 */
function memoized (factory: Factory): Factory {
  return (externalSchemas, options) => {
    const compile = factory(externalSchemas, options)
    const cache = new Map<string, unknown>()
    return (route) => {
      const key = `${route.httpPart ?? ''}|${JSON.stringify(route.schema)}`
      let compiled = cache.get(key)
      if (compiled === undefined) {
        compiled = compile(route)
        cache.set(key, compiled)
      }
      return compiled
    }
  }
}

interface Validate { (data: unknown): boolean, errors?: unknown[] | null }

/**
 * Refuses non-finite numbers after the schema's own checks: Ajv coerces `limit=Infinity` (and
 * `1e400`, which JSON reads as Infinity too) to a number that passes `integer` and, once coerced,
 * `maximum` as well.
 */
function finiteOnly (validate: Validate): Validate {
  const wrapped: Validate = (data) => {
    if (!validate(data)) {
      wrapped.errors = validate.errors
      return false
    }
    const at = nonFinite(data)
    wrapped.errors = at === undefined ? null : [{ keyword: 'finite', instancePath: at, params: {}, message: 'must be a finite number' }]
    return at === undefined
  }
  return wrapped
}

/**
 * Query strings, path parameters and headers are text, so their validator coerces (`limit=5` is a
 * number); a JSON body is typed already, so its validator does not (`"30"` is not a number).
 * Neither lets a non-finite number through.
 */
const validators: Factory = (externalSchemas, options = {}) => {
  const selector = (ValidatorSelector as unknown as () => Factory)()
  const coercing = selector(externalSchemas, options)
  const exact = (ValidatorSelector as unknown as () => Factory)()(externalSchemas, {
    ...options,
    customOptions: { ...options.customOptions, coerceTypes: false }
  })
  return (route) => finiteOnly((route.httpPart === 'body' ? exact : coercing)(route) as Validate)
}

export const compilersFactory = {
  buildValidator: memoized(validators),
  buildSerializer: memoized((SerializerSelector as unknown as () => Factory)())
}
