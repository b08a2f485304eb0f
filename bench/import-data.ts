/**
 * SYNTHETIC import data for the import benchmark: one invented source, a few invented actors and
 * N invented transfers as NDJSON lines, each transfer with participants, a resource and two
 * citations whose excerpts the server must verify (half with offsets, half located by search).
 */
const source = (() => {
  const sentences: string[] = ['SYNTHETIC IMPORT BENCHMARK SOURCE. Invented for load testing; it describes no real event, person or organisation.']
  for (let n = 1; n <= 400; n++) {
    sentences.push(`SYNTHETIC clause ${n}: ${n % 60 + 1} synthetic people were handed over under synthetic operation ${1000 + n * 7}.`)
  }
  return sentences.join('\n\n')
})()

const actors = ['synthetic-government-a', 'synthetic-government-b', 'synthetic-agency-c', 'synthetic-cartel-d']

export function importNdjson (transfers: number, prefix = 'synthetic-import'): { body: string, records: number } {
  const lines: string[] = []
  lines.push(JSON.stringify({ type: 'source', data: { id: `${prefix}-source`, title: 'SYNTHETIC import benchmark source', publisher: 'SYNTHETIC bench/import-data.ts', url: null, language: 'en', published_on: '2025-01-01', captured_text: source } }))
  const citeSource = { source_id: `${prefix}-source` }
  for (const [i, id] of actors.entries()) {
    const excerpt = `SYNTHETIC clause ${i + 1}: `
    lines.push(JSON.stringify({ type: 'actor', data: { id: `${prefix}-${id}`, kind: i === 3 ? 'criminal_group' : 'government', name: `SYNTHETIC ${id}`, country: i % 2 === 0 ? 'MX' : 'US', description: 'SYNTHETIC actor for the import benchmark.', aliases: [], roles: [], relations: [], citations: [{ ...citeSource, excerpt }] } }))
  }
  for (let n = 1; n <= transfers; n++) {
    const clause = (n % 400) + 1
    const excerpt = `SYNTHETIC clause ${clause}: ${clause % 60 + 1} synthetic people were handed over under synthetic operation ${1000 + clause * 7}.`
    const start = source.indexOf(excerpt)
    const year = 2000 + (n % 26)
    lines.push(JSON.stringify({
      type: 'transfer',
      data: {
        id: `${prefix}-transfer-${String(n).padStart(7, '0')}`,
        date: `${year}-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`,
        date_approximate: false,
        announced_on: null,
        from_country: 'MX',
        to_country: 'US',
        mechanism: (['extradition', 'expulsion', 'deportation'] as const)[n % 3],
        people_count: clause % 60 + 1,
        people_count_approximate: n % 7 === 0,
        summary: `SYNTHETIC transfer ${n} for the import benchmark.`,
        purpose: null,
        charges: 'SYNTHETIC drug trafficking charges',
        participants: [
          { actor_id: `${prefix}-${actors[0]}`, role: 'sent' },
          { actor_id: `${prefix}-${actors[1]}`, role: 'received' }
        ],
        resources: [{ id: `${prefix}-transfer-${n}--vehicles`, kind: 'vehicles', quantity: n % 90 + 1, approximate: false, description: `${n % 90 + 1} synthetic vehicles` }],
        citations: [
          { ...citeSource, excerpt, start_offset: start, end_offset: start + excerpt.length, fields: ['people_count'] },
          { ...citeSource, excerpt: `synthetic operation ${1000 + clause * 7}.`, fields: ['summary'] }
        ]
      }
    }))
  }
  return { body: lines.join('\n') + '\n', records: lines.length }
}
