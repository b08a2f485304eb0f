/**
 * The evidence view: a source's text with every cited passage highlighted, beside the facts resting
 * on it. Choosing a fact (a record's field) marks its excerpts and scrolls to them, says how each
 * supports the fact (stated, resolved, computed, inferred, external) and lists the other facts
 * resting on the same passage. The chosen fact is in the URL (`record=transfer:<id>&field=<field>`).
 */
import { useEffect, useMemo } from 'preact/hooks'
import { api, getJson, type Schemas, useApi } from '../api/client'
import { Status } from '../components/status'
import { covers, SupportBadge, supportWords, topField } from '../components/support'
import { formatDate } from '../format'
import { type Translate, useWords } from '../i18n'
import { kindByType, recordPath } from '../kinds'
import { href, navigate, useLocation } from '../router'

type Citation = Schemas['SourceCitation']

const recordOf = (citation: Citation) => `${citation.record_type}:${citation.record_id}`

export function EvidencePage ({ sourceId }: { sourceId: string }) {
  const { t, lang } = useWords()
  const { query } = useLocation()
  const chosenRecord = query.get('record') ?? ''
  const chosenField = query.get('field') ?? ''
  const state = useApi(`evidence ${sourceId}`, async () => await api.GET('/v1/sources/{id}', { params: { path: { id: sourceId }, query: { include: 'citations' } } }), { live: true })
  const source = state.data
  const citations = (source?.citations ?? []) as Citation[]
  const selected = useMemo(() => new Set(citations.filter((c) => recordOf(c) === chosenRecord && covers(c, chosenField)).map((c) => c.id)), [citations, chosenRecord, chosenField])

  useEffect(() => {
    if (selected.size === 0) return
    document.querySelector('mark.selected')?.scrollIntoView({ block: 'center', behavior: 'instant' as ScrollBehavior })
  }, [selected, source])

  const facts = useMemo(() => {
    const byRecord = new Map<string, { type: string, id: string, fields: Set<string> }>()
    for (const citation of citations) {
      const key = recordOf(citation)
      const entry = byRecord.get(key) ?? { type: citation.record_type, id: citation.record_id, fields: new Set<string>() }
      citation.fields.forEach((field) => entry.fields.add(topField(field)))
      byRecord.set(key, entry)
    }
    return [...byRecord.entries()]
  }, [citations])

  const choose = (record: string, field: string) => navigate(href(`/evidence/${encodeURIComponent(sourceId)}`, { record, field }))

  return (
    <div class='evidence-view'>
      <h1 tabIndex={-1}>{source?.title ?? sourceId}</h1>
      <Status state={state} />
      {source !== undefined && (
        <>
          <p class='kind-line'>
            {t('published')}: {formatDate(source.published_on, source.published_on_precision, lang)}
            {source.publisher !== null && <> · {source.publisher}</>}
            {source.url !== null && <> · <a href={source.url} rel='noreferrer noopener'>{source.url}</a></>}
            {' · '}<a href={href(`/sources/${encodeURIComponent(sourceId)}`)}>{t('k_source')}</a>
          </p>
          <div class='evidence-layout'>
            <section class='source-text' aria-labelledby='text-title'>
              <h2 id='text-title'>{t('sourceText')}</h2>
              <SourceText text={source.text} citations={citations} selected={selected} onChoose={(c) => choose(recordOf(c), topField(c.fields[0] ?? ''))} />
            </section>
            <aside class='facts' aria-labelledby='facts-title'>
              {selected.size > 0 && <Selected sourceId={sourceId} citations={citations.filter((c) => selected.has(c.id))} field={chosenField} record={chosenRecord} t={t} />}
              <h2 id='facts-title'>{t('facts')}</h2>
              <p class='hint'>{t('factsIntro')}</p>
              <ul class='plain'>
                {facts.map(([key, fact]) => (
                  <li key={key} class='fact-record'>
                    <a href={href(recordPath(fact.type, fact.id))}><span class='badge'>{t(kindByType(fact.type)?.singular ?? 'k_event')}</span> {fact.id}</a>
                    <div class='fact-fields' role='group' aria-label={fact.id}>
                      {[...fact.fields].map((field) => (
                        <button key={field} type='button' aria-pressed={key === chosenRecord && field === chosenField} onClick={() => choose(key, field)}>{field}</button>
                      ))}
                    </div>
                  </li>
                ))}
              </ul>
            </aside>
          </div>
        </>
      )}
    </div>
  )
}

/** The text, cut where any citation starts or ends; each piece inside a citation is a mark. Offsets count code points. */
function SourceText ({ text, citations, selected, onChoose }: { text: string, citations: Citation[], selected: Set<number>, onChoose: (citation: Citation) => void }) {
  const pieces = useMemo(() => {
    const points = Array.from(text)
    const cuts = [...new Set([0, points.length, ...citations.flatMap((c) => [c.start_offset, c.end_offset])])].filter((n) => n >= 0 && n <= points.length).sort((a, b) => a - b)
    return cuts.slice(0, -1).map((start, i) => {
      const end = cuts[i + 1] ?? points.length
      return { text: points.slice(start, end).join(''), within: citations.filter((c) => c.start_offset <= start && c.end_offset >= end) }
    })
  }, [text, citations])
  return (
    <div class='text'>
      {pieces.map((piece, i) => {
        if (piece.within.length === 0) return piece.text
        const chosen = piece.within.some((c) => selected.has(c.id))
        return (
          <mark key={i} class={chosen ? 'selected' : undefined} data-citations={piece.within.map((c) => c.id).join(' ')} onClick={() => { const first = piece.within[0]; if (first !== undefined) onChoose(first) }}>
            {piece.text}
          </mark>
        )
      })}
    </div>
  )
}

/** The chosen fact: each excerpt for it, how it supports it, and what else rests on that passage. */
function Selected ({ sourceId, citations, field, record, t }: { sourceId: string, citations: Citation[], field: string, record: string, t: Translate }) {
  const [type, id] = record.split(/:(.*)/s)
  return (
    <section class='selected-fact' aria-labelledby='selected-title' aria-live='polite'>
      <h2 id='selected-title'>{t('selected')}</h2>
      <p><a href={href(recordPath(type ?? '', id ?? ''))}>{id}</a> · <strong>{field}</strong></p>
      {citations.map((citation) => (
        <div key={citation.id} class='citation'>
          <p><SupportBadge support={citation.support} t={t} /> {t(supportWords[citation.support])}</p>
          <blockquote>“{citation.excerpt}”</blockquote>
          {citation.note !== null && <p class='hint'>{t('note')}: {citation.note}</p>}
          <SamePassage sourceId={sourceId} citation={citation} field={field} t={t} />
        </div>
      ))}
    </section>
  )
}

function SamePassage ({ sourceId, citation, field, t }: { sourceId: string, citation: Citation, field: string, t: Translate }) {
  const state = useApi(`passage ${sourceId} ${citation.start_offset} ${citation.end_offset}`, async () =>
    await getJson<{ data: Citation[] }>(`/v1/sources/${encodeURIComponent(sourceId)}/citations`, { start: String(citation.start_offset), end: String(citation.end_offset), limit: '100' }))
  const others = (state.data?.data ?? []).flatMap((other) => other.fields
    .filter((f) => !(recordOf(other) === recordOf(citation) && topField(f) === field))
    .map((f) => ({ record: recordOf(other), id: other.record_id, field: topField(f), key: `${other.id}:${f}` })))
  const unique = [...new Map(others.map((other) => [`${other.record}|${other.field}`, other])).values()]
  return (
    <div class='same-passage'>
      <h3>{t('samePassage')}</h3>
      <Status state={state} />
      {state.data !== undefined && unique.length === 0 && <p>{t('none')}</p>}
      <ul class='plain'>
        {unique.map((other) => (
          <li key={other.key}><a href={href(`/evidence/${encodeURIComponent(sourceId)}`, { record: other.record, field: other.field })}>{other.id} · {other.field}</a></li>
        ))}
      </ul>
    </div>
  )
}
