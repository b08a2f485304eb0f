/**
 * What the search index holds for one record: the hit's title; the text a person reads, searched
 * by its words and their stems and shown in snippets; the ids, codes and enumerated values the
 * record is found by but nobody reads (`keywords`); and the date filtered on.
 */
export interface SearchDocument {
  title: string
  body: string
  keywords?: string
  date: string | null
}

const titleLength = 120

/** Cuts long text at a word boundary, with an ellipsis. */
export function truncate (text: string, max = titleLength): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max - 1)
  const space = cut.lastIndexOf(' ')
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`
}

/**
 * Joins the searchable parts of a record. Control characters are dropped: snippets mark matches
 * with two of them before they are turned into `<mark>` tags.
 */
export const bodyOf = (parts: Array<string | null | undefined>) =>
  parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    // eslint-disable-next-line no-control-regex
    .map((p) => p.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ' '))
    .join(' · ')

/** Country codes with their English and Spanish names, so `mexico`, `méxico` and `MX` all match. */
const countryNames = ['en', 'es'].map((locale) => new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' }))
export const countryText = (code: string) => [code, ...countryNames.map((names) => names.of(code) ?? code)].join(' ')

/**
 * The DTO types leave referenced schemas (`Type.Ref`) untyped: a document builder reads the parts
 * it needs through this. A rebuild reads old revisions too, so a list a record did not have then
 * counts as empty.
 */
export const listOf = <T> (value: unknown): T[] => (Array.isArray(value) ? value as T[] : [])
