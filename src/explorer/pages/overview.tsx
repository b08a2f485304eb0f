/**
 * The overview: charts from the statistics endpoints, each with its table and CSV, and the tariff
 * deadlines with a live countdown. Every request is revalidated when the change feed reports a write.
 */
import * as Plot from '@observablehq/plot'
import { useEffect, useState } from 'preact/hooks'
import { api, type Schemas, useApi } from '../api/client'
import { Chart } from '../components/chart'
import { Status } from '../components/status'
import { endOfDayIn, formatDate, formatDuration, percent } from '../format'
import { useWords } from '../i18n'
import { href, navigate, useLocation } from '../router'
import { cells, crossTable, type Stats } from '../stats'

const grey = '#8a8f98'
const csv = (path: string, query: Record<string, string>) => `/v1/stats/${path}.csv?${new URLSearchParams(query).toString()}`
const valuesOf = (stats: Stats, measure: string) => stats.series.find((series) => series.name === measure && series.group === undefined)?.data ?? []
const totalsOf = (stats: Stats) => stats.totals
interface Bar { label: string, value: number, attributed?: boolean }

/** Horizontal bars, one a bucket in the API's order, each labelled with its value. */
function labelledBars (rows: Bar[], { width, label, fill }: { width: number, label: string, fill: (row: Bar) => string }) {
  return Plot.plot({
    width,
    height: 60 + rows.length * 34,
    marginLeft: Math.min(260, width / 2.5),
    // Counts: whole-number ticks, however few.
    x: { label, grid: true, ticks: Math.min(8, Math.max(1, ...rows.map((row) => row.value))), tickFormat: 'd' },
    y: { label: null, domain: rows.map((row) => row.label) },
    marks: [
      Plot.barX(rows, { y: 'label', x: 'value', fill }),
      Plot.text(rows, { y: 'label', x: 'value', text: 'value', dx: 12 }),
      Plot.ruleX([0])
    ]
  })
}

/** `2025-02` as `Feb 2025` (`feb 2025`); a bucket that is not a month (`(month not known)`) as its label. */
const monthName = (key: string | null, label: string, lang: string) => key !== null && /^\d{4}-\d{2}$/.test(key)
  ? new Intl.DateTimeFormat(lang, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${key}-01T00:00:00Z`))
  : label

export function Overview () {
  const { t, lang } = useWords()
  const { query } = useLocation()
  // The by-month chart counts people or transfers (`?by_month=transfers`).
  const monthly = query.get('by_month') === 'transfers' ? 'occasions' : 'people'
  const byYear = useApi('transfers-year', async () => await api.GET('/v1/stats/transfers', { params: { query: { group_by: 'year' } } }), { live: true })
  const byMonth = useApi('transfers-month', async () => await api.GET('/v1/stats/transfers', { params: { query: { group_by: 'month,mechanism' } } }), { live: true })
  const byOrganization = useApi('transfers-organization', async () => await api.GET('/v1/stats/transfers', { params: { query: { group_by: 'organization' } } }), { live: true })
  const quotes = useApi('quotes-speaker-kind', async () => await api.GET('/v1/stats/quotes', { params: { query: { group_by: 'speaker,kind' } } }), { live: true })
  const measures = useApi('measures-status', async () => await api.GET('/v1/stats/cooperation-measures', { params: { query: { group_by: 'status' } } }), { live: true })
  const ready = [byYear, byMonth, byOrganization, quotes, measures].every((state) => state.data !== undefined)
  useEffect(() => {
    if (ready) (window as { overviewRenderedAt?: number }).overviewRenderedAt ??= performance.now()
  }, [ready])

  const latestYear = byYear.data !== undefined ? byYear.data.labels.length - 1 : -1
  const organizations = byOrganization.data
  const unattributed = organizations !== undefined ? valuesOf(organizations, 'people')[organizations.keys.indexOf(null)] ?? 0 : 0
  const people = organizations !== undefined ? totalsOf(organizations).people ?? 0 : 0

  return (
    <div class='overview' data-ready={ready ? 'true' : undefined}>
      <h1 tabIndex={-1}>{t('overview')}</h1>
      <p class='lede'>{t('overviewIntro')}</p>
      <div class='charts'>
        <Chart
          id='transfers-by-year' title={t('transfersByYear')} state={byYear} csv={csv('transfers', { group_by: 'year' })}
          draw={(width) => {
            const stats = byYear.data as Stats
            const rows = stats.labels.flatMap((label, i) => [
              { year: label, measure: t('transfers'), value: valuesOf(stats, 'occasions')[i] ?? 0 },
              { year: label, measure: t('people'), value: valuesOf(stats, 'people')[i] ?? 0 }
            ])
            return Plot.plot({
              width,
              height: 240,
              marginLeft: 48,
              x: { label: null },
              fx: { label: t('year') },
              y: { label: null, grid: true },
              color: { legend: true, range: ['#1b6ca8', '#c0392b'] },
              marks: [
                Plot.barY(rows, { fx: 'year', x: 'measure', y: 'value', fill: 'measure', title: (d: { measure: string, value: number }) => `${d.measure}: ${d.value}` }),
                Plot.text(rows, { fx: 'year', x: 'measure', y: 'value', text: 'value', dy: -8 }),
                Plot.ruleY([0])
              ]
            })
          }}
          table={() => {
            const stats = byYear.data as Stats
            return { columns: [t('year'), t('transfers'), t('people')], rows: stats.labels.map((label, i) => [label, valuesOf(stats, 'occasions')[i] ?? 0, valuesOf(stats, 'people')[i] ?? 0]) }
          }}
        >
          {byYear.data !== undefined && latestYear >= 0 && (
            <p class='headline'>{t('transfersByYearNote', byYear.data.labels[latestYear] ?? '', valuesOf(byYear.data, 'occasions')[latestYear] ?? 0, valuesOf(byYear.data, 'people')[latestYear] ?? 0)}</p>
          )}
        </Chart>

        <Chart
          id='by-month' title={t(monthly === 'people' ? 'peopleByMonth' : 'transfersByMonth')} state={byMonth} csv={csv('transfers', { group_by: 'month,mechanism' })}
          draw={(width) => Plot.plot({
            width,
            height: 260,
            marginLeft: 48,
            marginBottom: width < 500 ? 56 : 36,
            // Months by name in the page's language (as strings, in the API's order: no date parsing).
            x: { label: t('month'), domain: (byMonth.data as Stats).keys.map((key, i) => monthName(key, (byMonth.data as Stats).labels[i] ?? '', lang)), tickRotate: width < 500 ? -45 : 0 },
            y: { label: t(monthly === 'people' ? 'people' : 'transfers'), grid: true },
            color: { legend: true },
            marks: [
              Plot.barY(cells(byMonth.data as Stats).filter((cell) => cell.measure === monthly), { x: (d: { key: string, label: string }) => monthName(d.key, d.label, lang), y: 'value', fill: 'groupLabel', title: (d: { label: string, groupLabel: string, value: number }) => `${d.label} · ${d.groupLabel}: ${d.value}` }),
              Plot.ruleY([0])
            ]
          })}
          table={() => crossTable(byMonth.data as Stats, monthly, t('month'))}
        >
          <fieldset class='measure-switch'>
            <legend class='visually-hidden'>{t('measure')}</legend>
            {(['people', 'occasions'] as const).map((measure) => (
              <label key={measure} class='check'>
                <input type='radio' name='by-month' value={measure} checked={monthly === measure} onChange={() => navigate(href('/', { by_month: measure === 'people' ? '' : 'transfers' }), { replace: true })} />
                {t(measure === 'people' ? 'people' : 'transfers')}
              </label>
            ))}
          </fieldset>
        </Chart>

        <Chart
          id='people-by-organization' title={t('peopleByOrganization')} state={byOrganization} csv={csv('transfers', { group_by: 'organization' })}
          draw={(width) => {
            const stats = byOrganization.data as Stats
            const rows = stats.labels.map((label, i) => ({ label: stats.keys[i] === null ? t('notAttributed') : label, value: valuesOf(stats, 'people')[i] ?? 0, attributed: stats.keys[i] !== null }))
            return labelledBars(rows, { width, label: t('people'), fill: (d) => d.attributed === true ? '#1b6ca8' : grey })
          }}
          table={() => {
            const stats = byOrganization.data as Stats
            return {
              columns: [t('organization'), t('occasions'), t('people')],
              rows: stats.labels.map((label, i) => [stats.keys[i] === null ? t('notAttributed') : label, valuesOf(stats, 'occasions')[i] ?? 0, valuesOf(stats, 'people')[i] ?? 0])
            }
          }}
        >
          {organizations !== undefined && <p>{t('unattributedNote', people - unattributed, people, unattributed, percent(unattributed, people, lang))}</p>}
        </Chart>

        <Chart
          id='quotes-by-speaker' title={t('quotesBySpeaker')} state={quotes} csv={csv('quotes', { group_by: 'speaker,kind' })}
          draw={(width) => {
            const data = cells(quotes.data as Stats).filter((cell) => cell.measure === 'count')
            return Plot.plot({
              width,
              height: 60 + (quotes.data as Stats).labels.length * 30,
              marginLeft: Math.min(220, width / 2.5),
              x: { label: t('quotes'), grid: true },
              y: { label: null },
              color: { legend: true },
              marks: [
                Plot.barX(data, { y: 'label', x: 'value', fill: 'groupLabel', title: (d: { label: string, groupLabel: string, value: number }) => `${d.label} · ${d.groupLabel}: ${d.value}` }),
                Plot.ruleX([0])
              ]
            })
          }}
          table={() => crossTable(quotes.data as Stats, 'count', t('speaker'))}
        />

        <Chart
          id='measures-by-status' title={t('measuresByStatus')} state={measures} csv={csv('cooperation-measures', { group_by: 'status' })}
          draw={(width) => {
            const stats = measures.data as Stats
            return labelledBars(stats.labels.map((label, i) => ({ label, value: valuesOf(stats, 'count')[i] ?? 0 })), { width, label: t('measures'), fill: () => '#2e7d4f' })
          }}
          table={() => {
            const stats = measures.data as Stats
            return { columns: [t('status'), t('measures')], rows: stats.labels.map((label, i) => [label, valuesOf(stats, 'count')[i] ?? 0]) }
          }}
        />
        <Deadlines />
      </div>
    </div>
  )
}

/** Tariff deadlines with the time left to each (or since it passed), ticking each second. */
function Deadlines () {
  const { t, lang } = useWords()
  const state = useApi('deadlines', async () => await api.GET('/v1/tariff-deadlines', { params: { query: { sort: 'deadline', limit: 50 } } }), { live: true })
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  const deadlines: Array<Schemas['TariffDeadline']> = state.data?.data ?? []
  return (
    <section class='chart' id='deadlines' aria-labelledby='deadlines-title'>
      <h2 id='deadlines-title'>{t('deadlines')}</h2>
      <Status state={state} />
      {state.data !== undefined && deadlines.length === 0 && <p>{t('empty')}</p>}
      <ul class='deadlines'>
        {deadlines.map((deadline) => {
          const end = deadline.deadline_latest ?? deadline.deadline
          const left = end === null ? undefined : endOfDayIn(end, deadline.time_zone) - now
          return (
            <li key={deadline.id}>
              <a href={href(`/tariff-deadlines/${deadline.id}`)}>{deadline.measure}</a>
              <span> · {deadline.rate_percent ?? '?'}% · {t('deadline')}: {formatDate(deadline.deadline, deadline.deadline_precision, lang, deadline.deadline_approximate)} ({deadline.time_zone ?? 'UTC'}) · {t('status')}: {deadline.current_status}</span>
              {left !== undefined && (
                <span class={left < 0 ? 'countdown lapsed' : 'countdown'} role='timer' aria-live='off'>
                  {left < 0 ? t('lapsed', formatDuration(left)) : t('remaining', formatDuration(left))}
                </span>
              )}
            </li>
          )
        })}
      </ul>
      <p class='chart-links'><a href='/v1/tariff-deadlines.ics'>iCalendar</a> · <a href='/v1/tariff-deadlines.csv' download>{t('csv')}</a></p>
    </section>
  )
}
