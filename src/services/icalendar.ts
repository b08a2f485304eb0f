/** Just enough of RFC 5545 to publish all-day events: escaping, folding, CRLF. */

export interface CalendarEvent {
  uid: string
  /** The first and last day (YYYY-MM-DD) of an all-day event: one day, or the days a date may be. */
  start: string
  end: string
  summary: string
  description: string
  /** An absolute URL, or none. */
  url?: string | undefined
  status: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED'
  sequence: number
  /** ISO timestamp of the last change. */
  stamp: string
}

/**
 * A TEXT value (RFC 5545 §3.3.11): line breaks (CRLF, LF or a lone CR) as `\n`, backslashes,
 * semicolons and commas escaped, and the control characters TEXT may not hold removed.
 */
export function escapeText (text: string): string {
  return text.replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replaceAll('\\', '\\\\').replaceAll(';', '\\;').replaceAll(',', '\\,').replaceAll('\n', '\\n')
}

/** Folds a content line at 75 octets, never inside a UTF-8 sequence. */
export function fold (line: string): string {
  const out: string[] = []
  let current = ''
  let octets = 0
  for (const ch of line) {
    const size = Buffer.byteLength(ch)
    if (octets + size > (out.length === 0 ? 75 : 74)) {
      out.push(current)
      current = ''
      octets = 0
    }
    current += ch
    octets += size
  }
  out.push(current)
  return out.join('\r\n ')
}

const basicDate = (day: string) => day.replaceAll('-', '')

function nextDay (yyyymmdd: string): string {
  const d = new Date(Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8)) + 1))
  return d.toISOString().slice(0, 10).replaceAll('-', '')
}

const basicStamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d+/, '')

export function calendar (name: string, events: CalendarEvent[]): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//usmx-security-kb//tariff deadlines//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`
  ]
  for (const e of events) {
    const start = basicDate(e.start)
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${basicStamp(e.stamp)}`,
      `DTSTART;VALUE=DATE:${start}`,
      `DTEND;VALUE=DATE:${nextDay(basicDate(e.end))}`,
      `SUMMARY:${escapeText(e.summary)}`,
      `DESCRIPTION:${escapeText(e.description)}`,
      ...(e.url === undefined ? [] : [`URL:${e.url}`]),
      `STATUS:${e.status}`,
      `SEQUENCE:${e.sequence}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT'
    )
  }
  lines.push('END:VCALENDAR')
  return lines.map(fold).join('\r\n') + '\r\n'
}
