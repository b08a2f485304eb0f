/** Bulk import and export, as NDJSON: the same documents as POST /v1/import and GET /v1/export. */
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import type { KindType } from '../kinds/index.js'
import { UsageError, type Command, type Options } from './command.js'
import { withDb } from './database.js'
import { checkTarget, fileError, tempBeside } from './files.js'
import { bytes, count, progress } from './progress.js'

const byTypeText = (byType: Record<string, number>) =>
  Object.entries(byType).filter(([, n]) => n > 0).map(([t, n]) => `${count(n)} ${t}`).join(', ')

export const importCommand: Command = {
  name: 'import',
  operands: ['<file.ndjson>'],
  options: ['database', 'author', 'json'],
  summary: 'import records, all or nothing',
  description: [
    'Imports NDJSON, one {"type": …, "data": {…}} line per record (what export writes), in one transaction: every line is validated and every citation checked first, and on any problem nothing is written and each bad line is listed. Records may point at records of the same file, in any order.',
    'With --json: {"file", "database", "records", "by_type"}; when lines have problems, {"error": {"message", "problems": [{"line", "name", "detail"}]}}.'
  ],
  examples: ['kb import records.ndjson', 'kb import backup.ndjson --database ./data/fresh.sqlite --author restore', 'kb import records.ndjson --json | jq .records'],
  run: async ({ operands: [file], options, databasePath, stderr }) => {
    let text
    try {
      text = readFileSync(file!, 'utf8')
    } catch (err) {
      throw fileError('read', file!, err)
    }
    const [{ createKnowledgeBase }, { importLines, parseNdjson }] = await Promise.all([import('../knowledge-base.js'), import('../services/bulk.js')])
    const { lines, problems } = parseNdjson(text)
    return withDb(databasePath(), (db) => {
      const bar = progress('import', lines.length, { unit: 'records', stream: stderr })
      const result = importLines(createKnowledgeBase(db).writes, lines, options.author ?? 'cli', problems, (done) => bar.update(done))
      bar.done(options.json === true ? undefined : `${file}: imported ${count(result.records)} records (${byTypeText(result.by_type)})`)
      return { json: { file, database: db.path, records: result.records, by_type: result.by_type } }
    })
  }
}

/** A write of the export: so many records, as bytes. */
interface Chunk { records: number, data: Buffer }

/** Lines grouped into writes of up to 1,000 records or 1 MiB. */
function * chunksOf (lines: string[]): Generator<Chunk> {
  for (let from = 0; from < lines.length;) {
    let to = from
    let size = 0
    while (to < lines.length && to - from < 1000 && size < 1 << 20) size += lines[to++]!.length
    yield { records: to - from, data: Buffer.from(lines.slice(from, to).join('')) }
    from = to
  }
}

/** Writes to standard output at the pace its reader takes it, failing if the reader goes away. */
async function toStdout (chunks: Iterable<Chunk>, written: (chunk: Chunk) => void) {
  const { stdout } = process
  let failure: Error | undefined
  const failed = (err: Error) => { failure ??= err }
  stdout.on('error', failed)
  try {
    for (const chunk of chunks) {
      if (failure !== undefined) throw failure
      if (!stdout.write(chunk.data)) await once(stdout, 'drain')
      written(chunk)
    }
    await new Promise<void>((resolve, reject) => stdout.write('', (err) => (err != null ? reject(err) : resolve())))
    if (failure !== undefined) throw failure
  } catch (err) {
    throw new Error(`standard output was closed before the export was written whole (${(err as Error).message})`)
  } finally {
    stdout.off('error', failed)
  }
}

/** Writes a temporary file beside `file` and renames it into place once complete and on disk. */
async function toFile (file: string, chunks: Iterable<Chunk>, written: (chunk: Chunk) => void) {
  const temp = tempBeside(file)
  try {
    const handle = await open(temp.path, 'wx')
    try {
      for (const chunk of chunks) {
        await handle.write(chunk.data)
        written(chunk)
      }
      await handle.sync()
    } finally {
      await handle.close()
    }
    temp.replace(file)
  } catch (err) {
    temp.discard()
    throw fileError('write', file, err)
  }
}

/** `--types` and `--since`, read as GET /v1/export reads `types` and `since`: a usage error naming the option otherwise. */
async function exportScope (options: Options): Promise<{ types?: KindType[], since?: string }> {
  // Loaded here, not at the top: `kb --help` and the other commands start without the registry.
  const [{ kindTypes }, { isTime, startOf }] = await Promise.all([import('../kinds/index.js'), import('../query/instants.js')])
  const scope: { types?: KindType[], since?: string } = {}
  if (options.types !== undefined) {
    const types = options.types.split(',')
    const unknown = types.find((t) => !(kindTypes as readonly string[]).includes(t))
    if (unknown !== undefined) throw new UsageError(`--types names "${unknown}", which is not a record type; the types are ${kindTypes.join(', ')}`)
    scope.types = types as KindType[]
  }
  if (options.since !== undefined) {
    if (!isTime(options.since)) throw new UsageError(`--since takes an ISO 8601 timestamp or a date (2025-12-01, 2025-12-01T09:00:00Z), not "${options.since}"`)
    try {
      scope.since = startOf('since', options.since)
    } catch {
      throw new UsageError(`--since names a day that is not on the calendar ("${options.since}")`)
    }
  }
  return scope
}

export const exportCommand: Command = {
  name: 'export',
  operands: ['<file.ndjson | ->'],
  options: ['database', 'json', 'types', 'since'],
  summary: 'write every record as NDJSON (- for standard output)',
  description: [
    'Writes the whole knowledge base as NDJSON, sources first, each kind by id: the file import takes, and the same bytes as GET /v1/export. The file is written under a temporary name beside it and renamed into place once complete, so it is never left half-written; an existing file is replaced. With -, the records go to standard output and nothing else does: progress and the summary go to standard error.',
    '--types and --since keep some of it, as GET /v1/export?types=&since= does: the records of those types, created or changed from that time on (what was deleted is in the change feed, GET /v1/changes?action=delete).',
    'With --json (not with -): {"file", "database", "records", "bytes", "by_type"}.'
  ],
  examples: ['kb export kb.ndjson', 'kb export - | gzip > kb.ndjson.gz', 'kb export kb.ndjson --database /srv/kb/kb.sqlite --json', 'kb export changes.ndjson --types transfer,quote --since 2025-12-01'],
  check ({ operands: [file], options }) {
    if (file === '-' && options.json === true) throw new UsageError('--json prints a summary on stdout, where export - writes the records: export to a file for both, or leave --json out')
    if (file !== '-') checkTarget(file!)
  },
  run: ({ operands: [file], databasePath, options, stderr }) => withDb(databasePath(), async (db) => {
    const scope = await exportScope(options)
    if (stderr.isTTY === true) stderr.write('export: reading the records…')
    const [{ kindTypes }, { createKnowledgeBase }, { exportLines }] = await Promise.all([import('../kinds/index.js'), import('../knowledge-base.js'), import('../services/bulk.js')])
    const kb = createKnowledgeBase(db)
    const lines = kb.reader.run(exportLines(kb.reads, kb.reader.dialect, scope))
    const byType = Object.fromEntries(kindTypes.map((t) => [t, 0])) as Record<KindType, number>
    for (const line of lines) {
      const type = /^\{"type":"([a-z_]+)"/.exec(line)?.[1] as KindType | undefined
      if (type !== undefined && type in byType) byType[type]++
    }
    let records = 0
    let size = 0
    const bar = progress('export', lines.length, { unit: (done, total) => `${count(done)} of ${count(total)} records, ${bytes(size)}`, stream: stderr })
    const written = (chunk: Chunk) => {
      records += chunk.records
      size += chunk.data.length
      bar.update(records)
    }
    if (file === '-') await toStdout(chunksOf(lines), written)
    else await toFile(file!, chunksOf(lines), written)
    bar.done(options.json === true ? undefined : `${file === '-' ? 'stdout' : file}: exported ${count(records)} records (${bytes(size)})`)
    return { json: { file, database: db.path, records, bytes: size, by_type: byType } }
  })
}
