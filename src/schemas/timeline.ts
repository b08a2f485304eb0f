import { Type, type Static, type TSchema } from 'typebox'
import { kinds, type KindType } from '../kinds/index.js'
import { Approximate, ListOf, listParam, pageParams, PartialDate, RecordId, StringEnum } from './common.js'

/** The kinds of record a timeline merges: those whose definition places them on it. */
export const timelineKinds: readonly KindType[] = kinds.filter((k) => k.timeline !== undefined).map((k) => k.type)
export type TimelineKind = KindType

/** Which field of its record an entry's date is: a measure without a start date is placed at its `as_of`. */
export const timelineDateFields = [...new Set(kinds.flatMap((k) => k.timeline?.dateFields ?? []))]

export const TimelineEntry = Type.Object({
  kind: StringEnum([...timelineKinds], { description: 'Kind of record.', examples: ['transfer'] }),
  id: RecordId('The record\'s id (unique within its kind).', 'transfer-2025-08-12'),
  date: PartialDate('Where the entry sits on the timeline: a transfer\'s or quote\'s `date`, a tariff deadline\'s `deadline`, a cooperation measure\'s `start_date` or, without one, its `as_of`.'),
  date_precision: StringEnum(['year', 'month', 'day'], { description: 'Precision of `date`, derived from its length.', examples: ['day'] }),
  date_approximate: Approximate('date'),
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

export const Timeline = ListOf('TimelineEntry', 'Timeline', 'A page of the timeline: dated transfers, quotes, tariff deadlines and cooperation measures in date order.')

export const TimelineQuery = Type.Partial(Type.Object({
  ...pageParams,
  from: PartialDate('Only entries on or after this date (partial dates overlap: an entry dated `2025-02` matches `from=2025-02-15`).', '2025-01-01'),
  to: PartialDate('Only entries on or before this date (partial dates overlap).', '2025-12-31'),
  actor: RecordId('Only entries this actor takes part in: a transfer participant (any role), a quote\'s speaker, a tariff deadline\'s imposing or targeted party, a cooperation measure\'s requesting, providing or receiving party.', 'pam-bondi'),
  types: listParam('Only these kinds of record.', timelineKinds, 'transfer,quote'),
  sort: StringEnum(['date', '-date'], { description: '`date` for oldest first (the default), `-date` for newest first. Ties are broken by kind, then id, in the same direction.', examples: ['-date'] })
}), { additionalProperties: false })
export type TimelineQueryType = Static<typeof TimelineQuery>

export const timelineSchemas: TSchema[] = [TimelineEntry, Timeline]
