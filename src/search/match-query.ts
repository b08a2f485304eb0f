import { AppError, invalidParameter } from '../errors.js'

/**
 * What one search may ask of the index. Each term is a posting list FTS5 reads whole and each
 * prefix a merge of many; what stays within these runs in milliseconds on the synthetic 100k data.
 * Searches run off the event loop in any case, within READ_TIMEOUT_MS.
 */
export const searchLimits = { max_terms: 16, max_prefix_terms: 4, min_prefix_length: 2, max_near_distance: 50 } as const

function tooCostly (limit: keyof typeof searchLimits, detail: string): AppError {
  return new AppError('invalid_parameter', `The query parameter "q" ${detail}.`, [{ in: 'query', name: 'q', detail }], { members: { limit } })
}

/** Refuses an FTS5 expression (as toMatchExpression makes it) that asks more than `searchLimits` allow. */
export function checkQueryCost (expression: string): void {
  const tokens = [...expression.matchAll(/"(?:[^"]|"")*"\*?|[^\s"()^,]+/g)].map((m) => m[0])
  const terms = tokens.filter((t) => !/^(AND|OR|NOT|NEAR)$/.test(t) && !/^\d+$/.test(t))
  if (terms.length > searchLimits.max_terms) {
    throw tooCostly('max_terms', `has ${terms.length} terms; a search takes at most ${searchLimits.max_terms}`)
  }
  const prefixes = terms.filter((t) => t.endsWith('*'))
  if (prefixes.length > searchLimits.max_prefix_terms) {
    throw tooCostly('max_prefix_terms', `has ${prefixes.length} prefix* terms; a search takes at most ${searchLimits.max_prefix_terms}`)
  }
  const short = prefixes.find((t) => [...t.replace(/^"|"?\*$/g, '').split(/\s+/).at(-1)!].length < searchLimits.min_prefix_length)
  if (short !== undefined) {
    throw tooCostly('min_prefix_length', `has the prefix ${short}; a prefix needs at least ${searchLimits.min_prefix_length} characters before the *`)
  }
  for (const near of expression.matchAll(/NEAR\s*\([^)]*,\s*(\d+)\s*\)/g)) {
    if (Number(near[1]) > searchLimits.max_near_distance) {
      throw tooCostly('max_near_distance', `asks for NEAR within ${near[1]} tokens; at most ${searchLimits.max_near_distance}`)
    }
  }
}

/** The fields a search may be scoped to (`title:drone`): the index's columns. */
export const searchFields = ['title', 'body'] as const

/** `field:` before a term or phrase: a scope, kept when the field is searchable, a 400 otherwise. */
const fieldScope = /^([A-Za-z_]+):(.*)$/s

/** What FTS5 accepts as a bareword: ASCII letters, digits, `_`, and any non-ASCII character. */
const bareword = /^[A-Za-z0-9_\u0080-\u{10FFFF}]+$/u
const hasLetterOrDigit = /[\p{L}\p{N}]/u
/** Characters with a meaning in FTS5's query syntax that we pass through. */
const syntax = /[\s"()*^]/

/**
 * Turns what a person types into an FTS5 query expression, keeping FTS5's syntax (`"phrases"`,
 * `prefix*`, `AND`/`OR`/`NOT`, `NEAR(a b, 5)`, parentheses, `^first`) and quoting the words FTS5
 * would otherwise reject or misread: `U.S.` and `non-military` become the phrases `"U.S."` and
 * `"non-military"` (the tokenizer reads them as `u s` and `non military`, as in the indexed text),
 * rather than a syntax error and a column filter. Runs of bare punctuation are dropped. What is
 * left malformed (`"unbalanced`, a lone `AND`) is for FTS5 to reject.
 */
export function toMatchExpression (q: string): string {
  let out = ''
  let depth = 0
  const nearGroups: number[] = []
  let i = 0
  while (i < q.length) {
    const c = q[i]!
    if (c === '"') {
      // A string runs to the next lone quote; `""` inside it is a literal quote. Unterminated: copied as is.
      let j = i + 1
      while (j < q.length && !(q[j] === '"' && q[j + 1] !== '"')) j += q[j] === '"' ? 2 : 1
      out += q.slice(i, j + 1)
      i = j + 1
      continue
    }
    if (c === '(') {
      depth++
      if (/(^|[\s(])NEAR\s*$/.test(out)) nearGroups.push(depth)
    } else if (c === ')') {
      if (nearGroups.at(-1) === depth) nearGroups.pop()
      depth--
    }
    // Inside NEAR( … ) a comma introduces the distance; elsewhere it is punctuation.
    const inNear = nearGroups.at(-1) === depth && depth > 0
    const delimits = (ch: string) => syntax.test(ch) || (ch === ',' && inNear)
    if (delimits(c)) {
      out += c
      i++
      continue
    }
    let j = i
    while (j < q.length && !delimits(q[j]!)) j++
    let word = q.slice(i, j)
    const scoped = fieldScope.exec(word)
    if (scoped !== null) {
      const field = scoped[1]!.toLowerCase()
      if (!(searchFields as readonly string[]).includes(field)) {
        throw invalidParameter('q', `scopes a term to "${scoped[1]!}", which is not a field the search has; scope to ${searchFields.map((f) => `${f}:`).join(' or ')}, or quote the term`)
      }
      out += `${field}:`
      word = scoped[2]!
    }
    if (word !== '') out += bareword.test(word) ? word : hasLetterOrDigit.test(word) ? `"${word}"` : ' '
    i = j
  }
  if (!hasLetterOrDigit.test(out)) throw invalidParameter('q', 'has no words to search for')
  checkQueryCost(out)
  return out
}

/** SQLite's messages for a malformed FTS5 query, as opposed to a fault of ours. */
const queryErrors = /^(fts5: |unterminated string|unknown special query|no such column)/

/** The 400 for a query FTS5 rejects, or undefined when the error is not about the query. */
export function queryProblem (err: unknown) {
  if (!(err instanceof Error) || (err as { code?: unknown }).code !== 'SQLITE_ERROR' || !queryErrors.test(err.message)) return undefined
  const reason = err.message === 'unterminated string'
    ? 'has a quote (") that is not closed'
    : `is not a valid search (${err.message.replace(/^fts5: /, '')})`
  return invalidParameter('q', `${reason}; write words, "quoted phrases" and prefix* terms, joined by AND, OR or NOT`)
}
