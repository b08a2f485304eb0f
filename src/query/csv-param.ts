import { invalidParameter } from '../errors.js'

/**
 * Parses a comma-separated parameter (`sort`, `include`, `fields`) against the values it accepts.
 * `strip` removes a leading marker before the lookup (the `-` of a descending sort).
 */
export function parseList<T extends string> (
  name: string,
  raw: string | undefined,
  allowed: readonly T[],
  strip: (item: string) => string = (item) => item
): string[] {
  if (raw === undefined) return []
  const items = raw.split(',').map((item) => item.trim())
  const seen = new Set<string>()
  for (const item of items) {
    const bare = strip(item)
    if (item === '') throw invalidParameter(name, 'has an empty item; separate values with single commas')
    if (!allowed.includes(bare as T)) {
      throw invalidParameter(name, `has an unknown value "${bare}"; allowed values are ${allowed.join(', ')}`)
    }
    if (seen.has(bare)) throw invalidParameter(name, `names "${bare}" twice`)
    seen.add(bare)
  }
  return items
}
