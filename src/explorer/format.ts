/** Dates as the knowledge base keeps them: with their precision, their bounds, approximate or not. */
import type { Lang } from './i18n'

/** `2025-08-12` (day), `2025-08` (month), `2025`, or an EDTF interval `[..2025-08-13]`: in words of the language. */
export function formatDate (value: string | null | undefined, precision: string | null | undefined, lang: Lang, approximate = false): string {
  if (value === null || value === undefined) return '—'
  const mark = approximate ? '~' : ''
  const match = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(value)
  if (match === null) return mark + value
  const [, y, m, d] = match
  const date = new Date(Date.UTC(Number(y), Number(m ?? 1) - 1, Number(d ?? 1)))
  const options: Intl.DateTimeFormatOptions = precision === 'year' || m === undefined
    ? { year: 'numeric', timeZone: 'UTC' }
    : precision === 'month' || d === undefined ? { year: 'numeric', month: 'long', timeZone: 'UTC' } : { dateStyle: 'medium', timeZone: 'UTC' }
  return mark + new Intl.DateTimeFormat(lang, options).format(date)
}

export function formatTime (iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso))
}

/** A day (`2025-08-12`) as a time, at its start (UTC); `end` for the end of the day. */
export function dayTime (day: string, end = false): number {
  return Date.parse(`${day}T00:00:00Z`) + (end ? 86_400_000 : 0)
}

/** A duration in days, hours, minutes and seconds, for a countdown. */
export function formatDuration (ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000)
  const days = Math.floor(s / 86_400)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${days} d ${pad(Math.floor(s / 3600) % 24)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`
}

export const percent = (part: number, whole: number, lang: Lang) =>
  new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(whole === 0 ? 0 : part / whole)

/** The last second of a day in a time zone (`2025-10-28`, `America/New_York`), as a time. */
export function endOfDayIn (day: string, timeZone: string | null | undefined): number {
  const guess = Date.parse(`${day}T23:59:59Z`)
  if (timeZone === null || timeZone === undefined) return guess
  try {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'
    }).formatToParts(guess).map((part) => [part.type, Number(part.value)]))
    const shown = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    return guess - (shown - guess)
  } catch {
    return guess
  }
}
