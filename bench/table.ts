/** A plain-text table: the first `leftColumns` columns left-aligned, the rest right-aligned. */
export function formatTable (header: string[], lines: string[][], leftColumns = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)))
  const format = (cells: string[]) => cells.map((c, i) => (i < leftColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')
  return [format(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(format)].join('\n')
}

export function printTable (header: string[], lines: string[][], leftColumns = 1): void {
  console.log(formatTable(header, lines, leftColumns))
}

export const ms = (value: number) => (Number.isNaN(value) ? '–' : value.toFixed(2))
