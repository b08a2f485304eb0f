/**
 * A record of any kind: its fields, each beside the evidence for it (a link to the passage in the
 * evidence view); the records it links to and that link to it; other sources' values for its facts
 * and its disputes; its history, and the record as it was at a chosen time (`as_of`).
 */
import type { ComponentChildren } from 'preact'
import { getJson, useApi, type Schemas } from '../api/client'
import { Status } from '../components/status'
import { covers, SupportBadge } from '../components/support'
import { formatTime } from '../format'
import { type Key, type Translate, useWords } from '../i18n'
import { kindByPath, recordLabel, type Kind } from '../kinds'
import { href, navigate, useLocation } from '../router'

type Citation = Schemas['Citation']
type Json = Record<string, unknown>

/** Fields that are not facts of the record: shown elsewhere on the page, or not at all. */
const apart = new Set(['citations', 'alternatives', 'disputed_fields', 'external_fields', 'created_at', 'updated_at', 'text', 'actors', 'measures', 'speaker', 'quotes', 'transfers', 'events', 'deadlines'])

/** An API URL (`/v1/transfers/x`) as the explorer's page of it. */
export const explorerHref = (url: string) => href(url.replace(/^\/v1/, ''))

export function RecordPage ({ kindPath, id }: { kindPath: string, id: string }) {
  const { t, lang } = useWords()
  const { query } = useLocation()
  const kind = kindByPath(kindPath)
  const asOf = query.get('as_of') ?? ''
  const url = `/v1/${kindPath}/${encodeURIComponent(id)}`
  // As of a time, the record comes as stored then, with its citations, and embeds nothing else.
  const record = useApi(`${url} ${asOf}`, async () => await getJson<Json>(url, asOf === '' ? { include: kind?.includes } : { as_of: asOf }), { live: true })
  const revisions = useApi(`${url} revisions`, async () => await getJson<{ data: Array<{ revision: number, action: string, at: string, author: string | null, comment: string | null }> }>(`${url}/revisions`, { limit: '100' }), { live: true })
  if (kind === undefined) return <><h1 tabIndex={-1}>{t('notFound')}</h1></>
  const data = record.data
  // A source is the evidence: its citations are other records' (listed as citing it), not its own fields'.
  const citations = (kindPath === 'sources' ? [] : data?.citations ?? []) as Citation[]
  const disputed = (data?.disputed_fields ?? []) as string[]
  const external = (data?.external_fields ?? []) as string[]

  const setAsOf = (event: Event) => {
    event.preventDefault()
    const value = String(new FormData(event.currentTarget as HTMLFormElement).get('as_of') ?? '')
    navigate(href(`/${kindPath}/${encodeURIComponent(id)}`, { as_of: value === '' ? '' : new Date(value).toISOString() }))
  }

  return (
    <article class='record'>
      <p class='kind-line'><span class='badge'>{t(kind.singular)}</span> <code>{id}</code> · <a href={url}>JSON</a></p>
      <h1 tabIndex={-1}>{data !== undefined ? recordLabel(data) : id}</h1>
      {asOf !== '' && <p class='notice' role='status'>{t('asOfShowing', formatTime(asOf, lang))} <a href={href(`/${kindPath}/${encodeURIComponent(id)}`)}>{t('now')}</a></p>}
      <Status state={record} />
      {data !== undefined && (
        <>
          {disputed.length > 0 && <p class='notice'><strong>{t('disputedFields')}:</strong> {disputed.join(', ')}</p>}
          <section aria-labelledby='fields-title'>
            <h2 id='fields-title'>{t('field')} · {t('evidence')}</h2>
            <div class='table-scroll'>
              <table class='fields'>
                <thead><tr><th scope='col'>{t('field')}</th><th scope='col'>{t('value')}</th><th scope='col'>{t('evidence')}</th></tr></thead>
                <tbody>
                  {Object.entries(data).filter(([field]) => !apart.has(field)).map(([field, value]) => (
                    <tr key={field} id={`field-${field}`} class={disputed.includes(field) ? 'disputed' : undefined}>
                      <th scope='row'>{field}{disputed.includes(field) && <span class='badge warn'>{t('disputed')}</span>}</th>
                      <td><Value field={field} value={value} /></td>
                      <td><Evidence citations={citations.filter((c) => covers(c, field))} kind={kind} id={id} field={field} external={external.includes(field)} t={t} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          {kindPath === 'sources' && <p><a class='button' href={href(`/evidence/${encodeURIComponent(id)}`)}>{t('sourceText')} · {t('facts')}</a></p>}
          <Related data={data} t={t} />
          <Alternatives data={data} kind={kind} id={id} t={t} />
        </>
      )}
      <section aria-labelledby='history-title'>
        <h2 id='history-title'>{t('history')}</h2>
        <form class='filters' onSubmit={setAsOf}>
          <label>{t('asOf')} <input type='datetime-local' name='as_of' step='1' value={asOf === '' ? '' : toLocalInput(asOf)} aria-describedby='as-of-help' /></label>
          <button type='submit'>{t('apply')}</button>
          <span id='as-of-help' class='hint'>{t('asOfHelp')}</span>
        </form>
        <Status state={revisions} />
        {revisions.data !== undefined && (
          <div class='table-scroll'>
            <table>
              <thead><tr><th scope='col'>{t('revision')}</th><th scope='col'>{t('when')}</th><th scope='col'>{t('action')}</th><th scope='col'>{t('author')}</th><th scope='col'>{t('comment')}</th></tr></thead>
              <tbody>
                {revisions.data.data.map((revision) => (
                  <tr key={revision.revision}>
                    <th scope='row'><a href={href(`/${kindPath}/${encodeURIComponent(id)}`, { as_of: revision.at })}>{revision.revision}</a></th>
                    <td>{formatTime(revision.at, lang)}</td><td>{revision.action}</td><td>{revision.author ?? '—'}</td><td>{revision.comment ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  )
}

/** An ISO time as a datetime-local input's value (local time, to the second). */
function toLocalInput (iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 19)
}

/** Lists of ids and the kind each names (any other `_ids` names actors). */
const idLists: Record<string, string> = { measure_ids: 'cooperation-measures', transfer_ids: 'transfers', event_ids: 'events', source_ids: 'sources' }

function Value ({ field, value }: { field: string, value: unknown }): ComponentChildren {
  if (value === null || value === undefined) return <span class='muted'>—</span>
  if (typeof value === 'boolean' || typeof value === 'number') return String(value)
  if (typeof value === 'string') {
    if (/_id$/.test(field) && field !== 'text_sha256') {
      const path = field === 'source_id' ? 'sources' : 'actors'
      return <a href={href(`/${path}/${encodeURIComponent(value)}`)}>{value}</a>
    }
    if (field === 'url' && /^https?:\/\//.test(value)) return <a href={value} rel='noreferrer noopener'>{value}</a>
    return value
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class='muted'>—</span>
    if (/_ids$/.test(field) && value.every((item) => typeof item === 'string')) {
      const path = idLists[field] ?? 'actors'
      return <ul class='plain'>{(value as string[]).map((id) => <li key={id}><a href={href(`/${path}/${encodeURIComponent(id)}`)}>{id}</a></li>)}</ul>
    }
    return <ul class='plain'>{value.map((item, i) => <li key={i}><Item item={item} /></li>)}</ul>
  }
  return <code>{JSON.stringify(value)}</code>
}

/** An item of a list field: a participant or party (an actor and a role), a resource, an alias… */
function Item ({ item }: { item: unknown }): ComponentChildren {
  if (typeof item !== 'object' || item === null) return String(item)
  const record = item as Json
  if (typeof record.actor_id === 'string') {
    return <>{String(record.role ?? '')}: <a href={href(`/actors/${encodeURIComponent(record.actor_id)}`)}>{record.actor_id}</a></>
  }
  if (typeof record.id === 'string' && typeof record.name === 'string') return <a href={href(`/actors/${encodeURIComponent(record.id)}`)}>{record.name}</a>
  if (typeof record.description === 'string') return record.description
  return Object.entries(record).filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' · ')
}

/** The citations of one field: how each supports it, its excerpt, a link that marks it in its source. */
function Evidence ({ citations, kind, id, field, external, t }: { citations: Citation[], kind: Kind, id: string, field: string, external: boolean, t: Translate }) {
  if (citations.length === 0) return external ? <span class='support support-external'>external</span> : <span class='muted'>—</span>
  return (
    <ul class='plain evidence'>
      {citations.map((citation) => (
        <li key={citation.id}>
          <SupportBadge support={citation.support} t={t} />{' '}
          <a href={href(`/evidence/${encodeURIComponent(citation.source_id)}`, { record: `${kind.type}:${id}`, field })}><span class='visually-hidden'>{t('showEvidence')} ({field}): </span>“{citation.excerpt}”</a>
          {citation.note !== null && <p class='hint'>{citation.note}</p>}
        </li>
      ))}
    </ul>
  )
}

/** The embedded lists of related records: the field, the kind its records are, its heading. */
const relatedLists: Array<[string, string, Key]> = [
  ['actors', 'actors', 'actors'], ['speaker', 'actors', 'speaker'], ['parties', 'actors', 'parties'], ['quotes', 'quotes', 'quotes'],
  ['transfers', 'transfers', 'transfers'], ['events', 'events', 'events'], ['measures', 'cooperation-measures', 'cooperation_measures'],
  ['deadlines', 'tariff-deadlines', 'tariff_deadlines']
]

/** The records this one names and, for an actor, those that name it (each with its role and date). */
function Related ({ data, t }: { data: Json, t: Translate }) {
  const groups = relatedLists.flatMap(([field, path, heading]) => {
    const raw = data[field]
    const items = (Array.isArray(raw) ? raw : raw !== null && typeof raw === 'object' ? [raw] : []) as Json[]
    const linked = items.filter((item) => typeof item.id === 'string')
    return linked.length === 0 ? [] : [{ field, path, heading, items: linked }]
  })
  // A source's citations name the records resting on it: each once.
  const citing = [...new Map(((data.citations ?? []) as Json[]).filter((c) => typeof c.record_id === 'string' && typeof c.url === 'string')
    .map((c) => [c.url as string, { id: c.record_id, url: c.url }])).values()]
  if (citing.length > 0) groups.push({ field: 'citations', path: '', heading: 'citedBy', items: citing })
  if (groups.length === 0) return null
  return (
    <section aria-labelledby='related-title'>
      <h2 id='related-title'>{t('related')}</h2>
      {groups.map(({ field, path, heading, items }) => (
        <div key={field}>
          <h3>{t(heading)}</h3>
          <ul class='plain'>
            {items.map((item) => (
              <li key={String(item.id)}>
                <a href={typeof item.url === 'string' ? explorerHref(item.url) : href(`/${path}/${encodeURIComponent(String(item.id))}`)}>{recordLabel(item)}</a>
                {typeof item.role === 'string' && <span class='muted'> · {item.role}</span>}
                {typeof item.date === 'string' && <span class='muted'> · {item.date}</span>}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  )
}

/** Values other sources give for this record's facts, how they rank, and their evidence. */
function Alternatives ({ data, kind, id, t }: { data: Json, kind: Kind, id: string, t: Translate }) {
  const alternatives = (data.alternatives ?? []) as Array<Schemas['Alternative']>
  if (alternatives.length === 0) return null
  return (
    <section aria-labelledby='alternatives-title'>
      <h2 id='alternatives-title'>{t('alternatives')}</h2>
      <p class='hint'>{t('alternativesNote')}</p>
      <ul>
        {alternatives.map((alternative, i) => (
          <li key={i}>
            <strong>{alternative.field}</strong>: <code>{JSON.stringify(alternative.value)}</code> · {alternative.rank}
            {alternative.note !== null && alternative.note !== undefined && <p class='hint'>{alternative.note}</p>}
            <Evidence citations={(alternative.citations ?? []) as Citation[]} kind={kind} id={id} field={alternative.field} external={false} t={t} />
          </li>
        ))}
      </ul>
    </section>
  )
}
