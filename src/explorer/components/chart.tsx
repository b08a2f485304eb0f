/**
 * A chart with its numbers: an Observable Plot figure drawn at the width it is given (and again when
 * that changes), described for screen readers, then the same numbers as a table and a CSV link.
 */
import type { ComponentChildren, RefObject } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { useWords } from '../i18n'
import { Status } from './status'
import type { Loaded } from '../api/client'

export interface Table { columns: string[], rows: Array<Array<string | number>> }

interface ChartProps {
  id: string
  title: string
  state: Loaded<unknown>
  /** Draws the chart at a width (px). */
  draw: (width: number) => Element
  table: () => Table
  csv: string
  children?: ComponentChildren
}

/** The width of an element, in whole pixels, as it changes (0 until laid out). */
export function useWidth (element: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0)
  useEffect(() => {
    if (element.current === null) return
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)))
    observer.observe(element.current)
    return () => observer.disconnect()
  }, [])
  return width
}

export function Chart ({ id, title, state, draw, table, csv, children }: ChartProps) {
  const { t } = useWords()
  const holder = useRef<HTMLDivElement>(null)
  const width = useWidth(holder)
  useEffect(() => {
    const element = holder.current
    if (element === null || state.data === undefined || width === 0) return
    // The holder is the image (labelled); the table that follows has its numbers for screen readers.
    const chart = draw(width)
    chart.setAttribute('aria-hidden', 'true')
    element.replaceChildren(chart)
  }, [state.data, width, draw])
  const numbers = state.data !== undefined ? table() : undefined
  return (
    <figure class='chart' id={id} aria-labelledby={`${id}-title`} data-ready={numbers !== undefined ? 'true' : undefined}>
      <figcaption>
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
      </figcaption>
      <Status state={state} />
      <div class='plot' ref={holder} role='img' aria-label={t('chartOf', title)} />
      {numbers !== undefined && (
        <details>
          <summary>{t('numbers')}</summary>
          <div class='table-scroll'>
            <table>
              <caption class='visually-hidden'>{title}</caption>
              <thead><tr>{numbers.columns.map((column) => <th scope='col' key={column}>{column}</th>)}</tr></thead>
              <tbody>
                {numbers.rows.map((row, i) => (
                  <tr key={i}>{row.map((cell, j) => j === 0 ? <th scope='row' key={j}>{cell}</th> : <td key={j}>{cell}</td>)}</tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
      <p class='chart-links'><a href={csv} download aria-label={`${t('asCsv')}: ${title}`}>{t('csv')}</a></p>
    </figure>
  )
}
