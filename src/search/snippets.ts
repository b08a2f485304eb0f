import { fold, stem, stemLanguages, stemmedExpression, type StemLanguage } from './stemming.js'

/** Snippets mark matches with control characters, turned into `<mark>` after the text is escaped. */
export const markOpen = '\u0002'
export const markClose = '\u0003'

/** How many words a snippet shows, as FTS5's `snippet()` is asked for. */
export const snippetWords = 24

/** What the words of a text are matched against: the query's stems in each language, and its prefixes. */
export interface StemMatcher { stems: Record<StemLanguage, Set<string>>, prefixes: string[] }

/** The stems and prefixes of an FTS5 expression (as toMatchExpression makes it); undefined when it is scoped to a field. */
export function stemMatcher (expression: string): StemMatcher | undefined {
  const stems = {} as Record<StemLanguage, Set<string>>
  for (const language of stemLanguages) {
    const stemmed = stemmedExpression(expression, language)
    if (stemmed === undefined) return undefined
    const terms = stemmed.replace(/"[^"]*"\*|[^\s"()^,*]+\*/g, ' ').match(/[\p{L}\p{N}]+/gu) ?? []
    stems[language] = new Set(terms.filter((t) => !/^(AND|OR|NOT|NEAR)$/.test(t)))
  }
  const prefixes = (expression.match(/[\p{L}\p{N}]+(?="?\*)/gu) ?? []).map(fold)
  return { stems, prefixes }
}

const matches = (word: string, m: StemMatcher) =>
  stemLanguages.some((language) => m.stems[language].has(stem(word, language))) || m.prefixes.some((p) => fold(word).startsWith(p))

/**
 * A snippet of readable text marking the words that match by stem or prefix — for a hit that
 * FTS5's `snippet()` has nothing to mark in (it marks only words as typed): the window of
 * `snippetWords` words from just before the first match, or the text's beginning when no word
 * matches (a hit on its ids or title only).
 */
export function stemSnippet (text: string, m: StemMatcher | undefined): string {
  const words = Array.from(text.matchAll(/[\p{L}\p{N}\p{M}]+/gu))
  const first = m === undefined ? -1 : words.findIndex((w) => matches(w[0], m))
  const start = Math.max(0, first - 3)
  const end = Math.min(words.length, start + snippetWords)
  if (words.length === 0) return text
  let out = start > 0 ? '…' : ''
  let at = words[start]!.index
  for (let i = start; i < end; i++) {
    const w = words[i]!
    out += text.slice(at, w.index)
    out += m !== undefined && matches(w[0], m) ? `${markOpen}${w[0]}${markClose}` : w[0]
    at = w.index + w[0].length
  }
  return end < words.length ? `${out}…` : out + text.slice(at)
}
