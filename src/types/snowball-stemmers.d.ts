/** The part of `snowball-stemmers` (a port of the Snowball stemmers, no types of its own) this project uses. */
declare module 'snowball-stemmers' {
  export interface Stemmer { stem (word: string): string }
  export function newStemmer (language: string): Stemmer
  export function algorithms (): string[]
}
