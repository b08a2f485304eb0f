import { Type, type Static, type TSchema } from 'typebox'
import { kinds, type KindType } from '../kinds/index.js'
import { Approximate, CountParam, DateBoundsOf, EdtfDate, ListOf, listParam, pageParams, PartialDate, Precision, RecordId, StringEnum } from './common.js'

/** The kinds of record a timeline merges: those whose definition places them on it. */
export const timelineKinds: readonly KindType[] = kinds.filter((k) => k.timeline !== undefined).map((k) => k.type)
export type TimelineKind = KindType

/** Which field of its record an entry's date is: a measure without a start date is placed at its `as_of`. */
export const timelineDateFields = [...new Set(kinds.flatMap((k) => k.timeline?.dateFields ?? []))]

export const TimelineEntry = Type.Object({
  kind: StringEnum([...timelineKinds], { description: 'Kind of record.', examples: ['transfer'] }),
  id: RecordId('The record\'s id (unique within its kind).', 'transfer-2025-08-12'),
  date: EdtfDate('The entry\'s date: a transfer\'s, quote\'s or event\'s `date`, a tariff deadline\'s `deadline`, a cooperation measure\'s `start_date` or, without one, its `as_of`. Entries are placed at `date_earliest`, or at `date_latest` when only that is known; a month-precise or bounded date is a span from one to the other.'),
  date_precision: Precision('date'),
  date_approximate: Approximate('date'),
  ...DateBoundsOf('date'),
  date_field: StringEnum([...timelineDateFields], {
    description: 'The field of the record `date` comes from. `as_of` means the source reports the measure as in force on that date, not that it started then.',
    examples: ['date']
  }),
  headline: Type.String({
    description: 'One line saying what happened, for lists and charts. Only `direct` quotes are shown in quotation marks; partial quotes and paraphrases are marked as reported.',
    examples: ['26 people handed over from MX to US (extradition)']
  }),
  url: Type.String({ description: 'Path of the record in this API.', examples: ['/v1/transfers/transfer-2025-08-12'] }),
  citations: Type.Array(Type.Ref('Citation'), { description: 'The record\'s evidence.' })
}, { $id: 'TimelineEntry', description: 'One dated record on the timeline, with a headline, its link and its evidence.', additionalProperties: false })
export type TimelineEntryDto = Static<typeof TimelineEntry>
export const timelineFields = Object.keys(TimelineEntry.properties)

export const Timeline = ListOf('TimelineEntry', 'Timeline', 'A page of the timeline: dated transfers, quotes, events, tariff deadlines and cooperation measures in date order.', { counted: true })

export const TimelineQuery = Type.Partial(Type.Object({
  ...pageParams,
  count: CountParam,
  from: PartialDate('Only entries that may be on or after this date (dates overlap: an entry dated `2025-02` matches `from=2025-02-15`, one dated `[2025-08-13..]` matches any later `from`).', '2025-01-01'),
  to: PartialDate('Only entries that may be on or before this date (dates overlap: one dated `[..2025-08-13]` matches `to=2025-08-10`).', '2025-12-31'),
  actor: RecordId('Only entries this actor takes part in: a transfer participant (any role), a quote\'s speaker, a tariff deadline\'s imposing or targeted party, a cooperation measure\'s requesting, providing or receiving party.', 'pam-bondi'),
  types: listParam('Only these kinds of record.', timelineKinds, 'transfer,quote'),
  sort: StringEnum(['date', '-date'], { description: '`date` for oldest first (the default), `-date` for newest first. Ties are broken by kind, then id, in the same direction.', examples: ['-date'] })
}), { additionalProperties: false })
export type TimelineQueryType = Static<typeof TimelineQuery>

export const timelineSchemas: TSchema[] = [TimelineEntry, Timeline]
