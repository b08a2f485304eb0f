import type BetterSqlite3 from 'better-sqlite3'
import type { RevisionRecordType } from '../db/schema/index.js'
import { actorWriter } from './actors.js'
import { cooperationMeasureWriter } from './cooperation-measures.js'
import { quoteWriter } from './quotes.js'
import { sourceWriter } from './sources.js'
import { tariffDeadlineWriter } from './tariff-deadlines.js'
import { transferWriter } from './transfers.js'
import type { RecordWriter } from './writer.js'

export type Writers = Record<RevisionRecordType, RecordWriter<any>>

/** One writer per kind, in the order an import writes them (what a record points at comes first). */
export function createWriters (sqlite: BetterSqlite3.Database): Writers {
  return {
    source: sourceWriter(sqlite),
    actor: actorWriter(sqlite),
    transfer: transferWriter(sqlite),
    quote: quoteWriter(sqlite),
    tariff_deadline: tariffDeadlineWriter(sqlite),
    cooperation_measure: cooperationMeasureWriter(sqlite)
  }
}
