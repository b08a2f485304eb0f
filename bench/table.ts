/** A plain-text table: the first `leftColumns` columns left-aligned, the rest right-aligned. */
export function printTable (header: string[], lines: string[][], leftColumns = 1): void {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)))
  const format = (cells: string[]) => cells.map((c, i) => (i < leftColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')
  console.log(format(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
  for (const l of lines) console.log(format(l))
}

export const ms = (value: number) => (Number.isNaN(value) ? '–' : value.toFixed(2))
