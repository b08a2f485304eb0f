/** Lower-cases and strips diacritics, so "García Harfuch" and "garcia harfuch" compare equal. */
export function fold (value: string): string {
  return value.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase()
}
