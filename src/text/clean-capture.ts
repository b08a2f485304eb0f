/**
 * Turns a captured web page into the text citations point into: one paragraph per block, page
 * chrome dropped. The rules are deliberately few and line-based, so that an excerpt a reader
 * copies from the article is found verbatim in the cleaned text.
 */
const chromeLine = [
  /^[×✕✖]$/u, // close buttons of pop-ups
  /^Also Read:/u, // teasers for other articles
  /^(?:(?:Gallery|Videos|Share|Share on [A-Za-z]+)\s*)+$/u // the share/gallery footer
]

export function cleanCapture (captured: string): string {
  const paragraphs: string[] = []
  for (const rawLine of captured.normalize('NFC').split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/\s+/gu, ' ').trim()
    if (line === '' || chromeLine.some((re) => re.test(line))) continue
    // A headline repeated by the page layout (title, chrome, title) is kept once.
    if (paragraphs.at(-1) === line) continue
    paragraphs.push(line)
  }
  return paragraphs.join('\n\n')
}
