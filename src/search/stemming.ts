import snowball from 'snowball-stemmers'

/**
 * English and Spanish stemming for the search index (Snowball's stemmers, the algorithms
 * PostgreSQL's `english` and `spanish` text search configurations use). A record's text is
 * indexed a second and third time, one stem a word in each language, in columns of their own
 * (`stems_en`, `stems_es`) so that word positions stay aligned and phrases, `NEAR` and `^` work on
 * stems as they do on words. A search matches the words as typed in the text columns, or their
 * stems in the stem columns: `tariff` finds `tariffs`, `extradited` finds `extradition` and
 * `carteles` finds `Cártel`, while a document with the exact words scores in both and ranks first.
 */

export const stemLanguages = ['en', 'es'] as const
export type StemLanguage = typeof stemLanguages[number]

const stemmers: Record<StemLanguage, snowball.Stemmer> = {
  en: snowball.newStemmer('english'),
  es: snowball.newStemmer('spanish')
}

/** A word as the index folds it: lower case, without diacritics (unicode61 `remove_diacritics 2`). */
export const fold = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

/**
 * A word's stem in a language. Spanish `-ción` is English `-tion` (`extradición`, `cooperación`),
 * so a Spanish word of that family is stemmed in English as its English cognate: a Spanish query
 * finds the English text and an English query a Spanish one.
 */
export function stem (word: string, language: StemLanguage): string {
  const known = memo[language].get(word)
  if (known !== undefined) return known
  // Folded first, as the index folds what it reads, so that `garcia` and `García` stem alike.
  const folded = fold(word)
  const cognate = language === 'en' ? folded.replace(/cion(es)?$/, (_, plural: string | undefined) => (plural === undefined ? 'tion' : 'tions')) : folded
  const stemmed = /^\p{N}+$/u.test(folded) ? folded : stemmers[language].stem(cognate)
  if (memo[language].size >= memoSize) memo[language].clear()
  memo[language].set(word, stemmed)
  return stemmed
}

/**
 * Stems already computed, by word as written: a text's words repeat (a language's commonest few
 * thousand make up most of any text), so most of an import's words are stemmed once. Emptied
 * when full, which bounds its memory to a few megabytes.
 */
const memoSize = 50_000
const memo: Record<StemLanguage, Map<string, string>> = { en: new Map(), es: new Map() }

/** The words of a text as the index's tokenizer splits them: runs of letters, digits and marks. */
const wordPattern = /[\p{L}\p{N}\p{M}]+/gu

/** A text as one stem a word, in the order of its words: the content of a stem column. */
export const stemText = (text: string, language: StemLanguage) =>
  Array.from(text.matchAll(wordPattern), (m) => stem(m[0], language)).join(' ')

/** The stems of a query's words, for marking a snippet's words that match by stem. */
export const wordsOf = (text: string) => Array.from(text.matchAll(wordPattern), (m) => m[0])

/**
 * The stemmed twin of an FTS5 expression as toMatchExpression makes it: each word of a term or
 * phrase replaced by its stem, operators, parentheses, `NEAR` distances and `^` kept; a prefix
 * (`extradi*`) kept as typed, since a stem may be shorter than the prefix. Undefined for an
 * expression scoped to a field (`title:drone`), which matches the words of that field only.
 */
export function stemmedExpression (expression: string, language: StemLanguage): string | undefined {
  let out = ''
  const tokens = expression.matchAll(/"((?:[^"]|"")*)"(\*?)|([^\s"()^,*]+)(\*?)|([\s()^,*]+)/g)
  for (const [, phrase, phrasePrefix, word, wordPrefix, other] of tokens) {
    if (other !== undefined) {
      out += other
    } else if (phrase !== undefined) {
      const words = wordsOf(phrase.replaceAll('""', '"'))
      const stems = words.map((w, i) => (phrasePrefix === '*' && i === words.length - 1 ? fold(w) : stem(w, language)))
      out += `"${stems.join(' ')}"${phrasePrefix!}`
    } else if (word !== undefined) {
      if (/^(AND|OR|NOT|NEAR)$/.test(word) || /^\d+$/.test(word)) {
        out += word
        continue
      }
      if (word.includes(':')) return undefined
      const words = wordsOf(word)
      const stems = words.map((w, i) => (wordPrefix === '*' && i === words.length - 1 ? fold(w) : stem(w, language)))
      out += stems.length === 1 ? `${stems[0]!}${wordPrefix!}` : `"${stems.join(' ')}"${wordPrefix!}`
    }
  }
  return out
}
