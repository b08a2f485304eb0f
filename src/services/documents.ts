import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { RevisionRecordType } from '../db/schema/index.js'
import type { ProblemItem } from '../errors.js'
import { kinds } from '../kinds.js'
import { addPartialDateFormat } from '../query/dates.js'
import { allSchemas } from '../schemas/index.js'

/**
 * Validates record documents outside a route (merge-patched records, import lines, seeds) with the
 * same schemas and Ajv options as the routes, filling in defaults so every stored document is
 * complete.
 */
export function createDocumentValidator () {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, removeAdditional: false, coerceTypes: false, strict: false })
  addFormats.default(ajv)
  addPartialDateFormat(ajv)
  for (const schema of allSchemas) ajv.addSchema(schema)
  const validators = new Map<RevisionRecordType, ValidateFunction>()
  for (const [type, info] of Object.entries(kinds) as Array<[RevisionRecordType, typeof kinds[RevisionRecordType]]>) {
    validators.set(type, ajv.getSchema(info.input)!)
  }
  return (type: RevisionRecordType, doc: unknown): ProblemItem[] => {
    const validate = validators.get(type)!
    return validate(doc) ? [] : (validate.errors ?? []).map(toItem)
  }
}

export function toItem (e: ErrorObject): ProblemItem {
  const p = e.params as Record<string, unknown>
  if (e.keyword === 'additionalProperties') {
    return { in: 'body', name: `${e.instancePath}/${String(p.additionalProperty)}`, detail: 'is not a known field' }
  }
  if (e.keyword === 'required') {
    return { in: 'body', name: `${e.instancePath}/${String(p.missingProperty)}`, detail: 'is required' }
  }
  return { in: 'body', name: e.instancePath === '' ? '/' : e.instancePath, detail: e.message ?? 'is invalid' }
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
