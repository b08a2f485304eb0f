/**
 * The timeline: every dated record in date order, drawn as it is known. A date known to the day is
 * a point; a month, an approximate date or a bounded one is a span from its earliest to its latest
 * possible day, open-ended (dashed, to the edge) where a bound is unknown. Filters are the URL's.
 */
import * as Plot from '@observablehq/plot'
import { useEffect, useRef, useState } from 'preact/hooks'
import { api, type Schemas, useApi } from '../api/client'
import { useWidth } from '../components/chart'
import { Status } from '../components/status'
import { dayTime, formatDate } from '../format'
import { useWords } from '../i18n'
import { kindByType, recordPath, timelineTypes } from '../kinds'
import { href, navigate, useLocation } from '../router'

type Entry = Schemas['TimelineEntry']
const colors: Record<string, string> = { transfer: '#1b6ca8', quote: '#8e44ad', tariff_deadline: '#c0392b', cooperation_measure: '#2e7d4f', event: '#b9770e' }

export function Timeline () {
  const { t, lang } = useWords()
  const { query } = useLocation()
  const filters = { actor: query.get('actor') ?? '', types: query.get('types') ?? '', from: query.get('from') ?? '', to: query.get('to') ?? '' }
  const key = JSON.stringify(filters)
  const asked = { actor: filters.actor || undefined, types: filters.types || undefined, from: filters.from || undefined, to: filters.to || undefined }
  const state = useApi(`timeline ${key}`, async () => await api.GET('/v1/timeline', { params: { query: { limit: 200, count: true, ...asked } } }), { live: true })
  const actors = useApi('actors', async () => await api.GET('/v1/actors', { params: { query: { limit: 500, sort: 'name', fields: 'id,name' } } }))
  const [more, setMore] = useState<{ entries: Entry[], cursor: string | null }>({ entries: [], cursor: null })
  useEffect(() => setMore({ entries: [], cursor: state.data?.next_cursor ?? null }), [state.data])
  const entries = [...(state.data?.data ?? []), ...more.entries]
  const loadMore = async () => {
    if (more.cursor === null) return
    const { data } = await api.GET('/v1/timeline', { params: { query: { limit: 200, count: true, ...asked, cursor: more.cursor } } })
    if (data !== undefined) setMore({ entries: [...more.entries, ...data.data], cursor: data.next_cursor ?? null })
  }
  const chosenTypes = filters.types === '' ? timelineTypes : filters.types.split(',')

  const apply = (event: Event) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget as HTMLFormElement)
    const types = timelineTypes.filter((type) => form.getAll('types').includes(type))
    navigate(href('/timeline', {
      actor: String(form.get('actor') ?? ''),
      types: types.length === timelineTypes.length ? '' : types.join(','),
      from: String(form.get('from') ?? ''),
      to: String(form.get('to') ?? '')
    }))
  }

  return (
    <div class='timeline'>
      <h1 tabIndex={-1}>{t('timeline')}</h1>
      <p class='lede'>{t('timelineIntro')}</p>
      <form class='filters' onSubmit={apply} key={key}>
        <label>{t('actor')}
          <select name='actor' value={filters.actor}>
            <option value=''>{t('anyActor')}</option>
            {(actors.data?.data ?? []).map((actor) => <option key={actor.id} value={actor.id}>{actor.name}</option>)}
          </select>
        </label>
        <fieldset>
          <legend>{t('kinds')}</legend>
          {timelineTypes.map((type) => (
            <label key={type} class='check'>
              <input type='checkbox' name='types' value={type} checked={chosenTypes.includes(type)} />
              <span class='swatch' style={{ background: colors[type] }} aria-hidden='true' />
              {t(kindByType(type)?.singular ?? 'k_event')}
            </label>
          ))}
        </fieldset>
        <label>{t('from')} <input type='date' name='from' value={filters.from} /></label>
        <label>{t('to')} <input type='date' name='to' value={filters.to} /></label>
        <button type='submit'>{t('apply')}</button>
        <a class='button' href={href('/timeline')}>{t('clear')}</a>
      </form>
      <Status state={state} />
      {state.data !== undefined && (
        <>
          <p aria-live='polite' class='count'>{t('entries', state.data.count ?? entries.length)}</p>
          <TimelineChart entries={entries} />
          <ol class='entries' data-ready='true'>
            {entries.map((entry) => (
              <li key={`${entry.kind}:${entry.id}:${entry.date_field}`} data-id={entry.id} class={`entry kind-${entry.kind}`}>
                <span class='swatch' style={{ background: colors[entry.kind] }} aria-hidden='true' />
                <span class='when'>{describeDate(entry, lang, t)}</span>
                <span class='badge'>{t(kindByType(entry.kind)?.singular ?? 'k_event')}</span>
                <a href={href(recordPath(entry.kind, entry.id))}>{entry.headline}</a>
              </li>
            ))}
          </ol>
          {entries.length === 0 && <p>{t('empty')}</p>}
          {more.cursor !== null && <button type='button' onClick={() => { loadMore().catch(() => {}) }}>{t('loadMore')}</button>}
        </>
      )}
    </div>
  )
}

function describeDate (entry: Entry, lang: 'en' | 'es', t: ReturnType<typeof useWords>['t']): string {
  const shown = formatDate(entry.date, entry.date_precision, lang, entry.date_approximate)
  const notes: string[] = []
  if (entry.date_precision !== null && entry.date_precision !== 'day') notes.push(t('precision', entry.date_precision))
  if (entry.date_approximate) notes.push(t('approximate'))
  if (entry.date_earliest === null) notes.push(t('openStart'))
  if (entry.date_latest === null) notes.push(t('openEnd'))
  return notes.length === 0 ? shown : `${shown} (${notes.join(', ')})`
}

interface Mark { row: string, kind: string, start: number, end: number, point: boolean, open: boolean, title: string }

function TimelineChart ({ entries }: { entries: Entry[] }) {
  const holder = useRef<HTMLDivElement>(null)
  const width = useWidth(holder)
  useEffect(() => {
    const element = holder.current
    if (element === null || width === 0) return
    const known = entries.flatMap((entry) => [entry.date_earliest, entry.date_latest]).filter((day): day is string => day !== null)
    if (known.length === 0) return element.replaceChildren()
    const first = Math.min(...known.map((day) => dayTime(day))) - 15 * 86_400_000
    const last = Math.max(...known.map((day) => dayTime(day, true))) + 15 * 86_400_000
    const wide = width >= 700
    const marks: Mark[] = entries.map((entry, i) => {
      const start = entry.date_earliest === null ? first : dayTime(entry.date_earliest)
      const end = entry.date_latest === null ? last : dayTime(entry.date_latest, true)
      const label = `${i + 1}. ${entry.headline}`
      return {
        row: wide ? (label.length > 48 ? `${label.slice(0, 47)}…` : label) : String(i + 1),
        kind: entry.kind,
        start,
        end,
        point: entry.date_precision === 'day' && !entry.date_approximate && entry.date_earliest === entry.date_latest,
        open: entry.date_earliest === null || entry.date_latest === null,
        title: `${entry.headline} (${entry.date ?? '?'})`
      }
    })
    const spans = marks.filter((mark) => !mark.point)
    const points = marks.filter((mark) => mark.point)
    element.replaceChildren(Plot.plot({
      width,
      height: 40 + marks.length * 22,
      marginLeft: wide ? 330 : 36,
      x: { type: 'utc', domain: [new Date(first), new Date(last)], grid: true, label: null },
      y: { label: null, domain: marks.map((mark) => mark.row) },
      color: { domain: Object.keys(colors), range: Object.values(colors) },
      marks: [
        ...[false, true].map((open) => Plot.barX(spans.filter((mark) => mark.open === open), {
          y: 'row',
          x1: (d: Mark) => new Date(d.start),
          x2: (d: Mark) => new Date(d.end),
          fill: 'kind',
          fillOpacity: open ? 0.12 : 0.55,
          stroke: 'kind',
          strokeDasharray: open ? '4,3' : undefined,
          title: 'title',
          insetTop: 4,
          insetBottom: 4
        })),
        Plot.dot(points, { y: 'row', x: (d: Mark) => new Date(d.start), fill: 'kind', r: 5, title: 'title' })
      ]
    }))
  }, [entries, width])
  return <div class='plot timeline-chart' ref={holder} aria-hidden='true' />
}
