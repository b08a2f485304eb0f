import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { validationItems, type ProblemItem } from '../errors.js'
import { kinds, type KindType } from '../kinds/index.js'
import { addFormats as addOwnFormats } from '../query/dates.js'
import { allSchemas } from '../schemas/index.js'

/**
 * Validates record documents outside a route (merge-patched records, import lines, seeds) with the
 * same schemas and Ajv options as the routes, filling in defaults so every stored document is
 * complete.
 */
export function createDocumentValidator () {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, removeAdditional: false, coerceTypes: false, strict: false })
  addFormats.default(ajv)
  addOwnFormats(ajv)
  for (const schema of allSchemas) ajv.addSchema(schema)
  const validators = new Map<string, ValidateFunction>(kinds.map((k) => [k.type, ajv.getSchema(k.schemas.input)!]))
  return (type: KindType, doc: unknown): ProblemItem[] => {
    const validate = validators.get(type)!
    if (!validate(doc)) return validationItems(validate.errors ?? [], 'body')
    const at = nonFinite(doc)
    return at === undefined ? [] : [{ in: 'body', name: at, detail: 'must be a finite number' }]
  }
}

/**
 * The JSON pointer of the first number in a value that is not finite: JSON reads `1e400` as
 * Infinity, and Ajv coerces `limit=Infinity` to a number that passes `integer` and `maximum`.
 */
export function nonFinite (data: unknown, path = ''): string | undefined {
  if (typeof data === 'number') return Number.isFinite(data) ? undefined : path
  if (data === null || typeof data !== 'object') return undefined
  for (const [key, value] of Object.entries(data)) {
    const found = nonFinite(value, `${path}/${key}`)
    if (found !== undefined) return found
  }
  return undefined
}

/** RFC 7396 JSON Merge Patch: objects merge recursively, `null` removes, anything else replaces. */
export function mergePatch (target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch
  const result: Record<string, unknown> = (target !== null && typeof target === 'object' && !Array.isArray(target))
    ? { ...(target as Record<string, unknown>) }
    : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key]
    else result[key] = mergePatch(result[key], value)
  }
  return result
}

const schemaById = new Map(allSchemas.map((s) => [(s as { $id?: string }).$id, s]))
/** A named schema by its `$id`. */
export const resolveRef = (ref: string) => schemaById.get(ref)

/**
 * A record of a kind as its document, without the fields only its document has (a source's
 * capture: `documentColumns`).
 */
export const recordDocument = (type: KindType, record: object): Record<string, unknown> =>
  documentOf(resolveRef(kinds.find((k) => k.type === type)!.schemas.input), record, resolveRef) as Record<string, unknown>

/**
 * The document form of a record (what a create takes, what export writes): the input schema's
 * fields picked from the response DTO, in schema order, recursively.
 */
export function documentOf (schema: unknown, value: unknown, resolve: (ref: string) => unknown): unknown {
  const s = schema as { $ref?: string, type?: unknown, properties?: Record<string, unknown>, items?: unknown }
  if (s.$ref !== undefined) return documentOf(resolve(s.$ref), value, resolve)
  if (value === null || value === undefined) return value
  if (s.properties !== undefined && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, prop] of Object.entries(s.properties)) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) out[key] = documentOf(prop, v, resolve)
    }
    return out
  }
  if (s.items !== undefined && Array.isArray(value)) return value.map((item) => documentOf(s.items, item, resolve))
  return value
}
