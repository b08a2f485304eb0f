/**
 * Offsets into a source's text count Unicode code points (what Python's `str` indexes), with the
 * end exclusive: `[...text].slice(start, end).join('') === excerpt`.
 */
export type ExcerptCheck =
  | { ok: true, start: number, end: number }
  | { ok: false, problem: 'mismatch' | 'not_found' | 'ambiguous' | 'bad_offsets', detail: string }

// Checking a long source text for astral characters costs a scan; verifying many citations of one
// source (an import) asks about the same text again and again.
let lastText: string | undefined
let lastHasAstral = false
function hasAstral (s: string): boolean {
  if (s.length < 256) return /[\uD800-\uDBFF]/.test(s)
  if (s !== lastText) {
    lastText = s
    lastHasAstral = /[\uD800-\uDBFF]/.test(s)
  }
  return lastHasAstral
}

function codeUnitToPoint (text: string, unitIndex: number): number {
  if (!hasAstral(text)) return unitIndex
  return [...text.slice(0, unitIndex)].length
}

function slicePoints (text: string, start: number, end: number): string {
  if (!hasAstral(text)) return text.slice(start, end)
  return [...text].slice(start, end).join('')
}

function pointLength (text: string): number {
  return hasAstral(text) ? [...text].length : text.length
}

/**
 * Checks an excerpt against a source text. With offsets, the text between them must equal the
 * excerpt; without, the excerpt must occur exactly once and its offsets are returned.
 */
export function locateExcerpt (text: string, excerpt: string, start?: number | null, end?: number | null): ExcerptCheck {
  if (excerpt.length === 0) return { ok: false, problem: 'not_found', detail: 'the excerpt is empty' }
  const hasStart = start !== undefined && start !== null
  const hasEnd = end !== undefined && end !== null
  if (hasStart || hasEnd) {
    if (!hasStart || !hasEnd) {
      return { ok: false, problem: 'bad_offsets', detail: 'give both start_offset and end_offset, or neither' }
    }
    const length = pointLength(text)
    if (start < 0 || end > length || start >= end) {
      return { ok: false, problem: 'bad_offsets', detail: `offsets ${start}..${end} are outside the source text (0..${length})` }
    }
    const found = slicePoints(text, start, end)
    if (found !== excerpt) {
      return { ok: false, problem: 'mismatch', detail: `the source text at ${start}..${end} is "${found}"` }
    }
    return { ok: true, start, end }
  }
  const first = text.indexOf(excerpt)
  if (first === -1) return { ok: false, problem: 'not_found', detail: 'the excerpt does not occur in the source text' }
  if (text.indexOf(excerpt, first + 1) !== -1) {
    return { ok: false, problem: 'ambiguous', detail: 'the excerpt occurs more than once; give start_offset and end_offset' }
  }
  const s = codeUnitToPoint(text, first)
  return { ok: true, start: s, end: s + pointLength(excerpt) }
}
