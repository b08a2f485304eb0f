/** Collapses whitespace and shortens to `max` code points at a word boundary, ending in `…`. */
export function oneLine (text: string, max: number): string {
  const flat = text.replace(/\s+/gu, ' ').trim()
  const chars = [...flat]
  if (chars.length <= max) return flat
  const cut = chars.slice(0, max - 1).join('')
  const space = cut.lastIndexOf(' ')
  const word = space > cut.length / 2 ? cut.slice(0, space) : cut
  const clipped = word.replace(/[\s,;:.!?—–-]+$/u, '') + '…'
  // Close a quotation the cut left open: `Joaquín “El…”`.
  return (clipped.split('“').length > clipped.split('”').length) ? `${clipped}”` : clipped
}
