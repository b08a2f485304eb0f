/**
 * Progress for long commands, on standard error: a bar redrawn in place on a terminal, plain lines
 * otherwise (so a log file or CI gets one line per tenth of the work, not a thousand carriage
 * returns). Each line says what is counted: "export: 500 of 1,200 records, 1.2 MiB (41%)".
 */

/** The stream progress is drawn on: process.stderr, or a stand-in in tests. */
export interface ProgressStream {
  isTTY?: boolean
  write (text: string): unknown
}

export interface ProgressOptions {
  /** What is counted, in the plural ("records"), or a function describing `done` of `total`. */
  unit: string | ((done: number, total: number) => string)
  stream?: ProgressStream
}

export interface Progress {
  update (done: number): void
  /**
   * Draws the end of the work and, with a message, writes it as the last line. Off a terminal the
   * message stands for the 100 % line (the summary says as much), so it is not written twice.
   */
  done (message?: string): void
}

/** 1234 → "1,234": counts as people read them, whatever the locale. */
export const count = (n: number): string => n.toLocaleString('en-US')

/** Bytes in binary units: 4096 → "4 KiB", 2202009 → "2.1 MiB". */
export function bytes (n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = n
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  if (unit === 0) return `${n} ${n === 1 ? 'byte' : 'bytes'}`
  return `${value < 10 && !Number.isInteger(value) ? value.toFixed(1) : Math.round(value)} ${units[unit]}`
}

export function progress (label: string, total: number, { unit, stream = process.stderr }: ProgressOptions): Progress {
  const tty = stream.isTTY === true
  const describe = typeof unit === 'function' ? unit : (done: number) => `${count(done)} of ${count(total)} ${unit}`
  let lastTenth = -1
  let lastDraw = 0
  let drawn = -1
  const percent = (done: number) => Math.floor((total === 0 ? 1 : Math.min(1, done / total)) * 100)
  const draw = (done: number) => {
    if (tty) {
      const now = Date.now()
      if (now - lastDraw < 50 && done < total) return
      lastDraw = now
      drawn = done
      const width = 30
      const filled = Math.round(percent(done) / 100 * width)
      // \x1b[K clears what a longer previous line left on the right.
      stream.write(`\r${label} [${'='.repeat(filled)}${' '.repeat(width - filled)}] ${percent(done)}% ${describe(done, total)}\x1b[K`)
    } else {
      const tenth = Math.floor(percent(done) / 10)
      if (tenth === lastTenth) return
      lastTenth = tenth
      stream.write(`${label}: ${describe(done, total)} (${percent(done)}%)\n`)
    }
  }
  return {
    update (done) {
      if (!tty && done >= total) return // the end is drawn by done()
      draw(done)
    },
    done (message) {
      if (tty) {
        if (drawn !== total) draw(total)
        stream.write('\n')
      } else if (message === undefined) {
        draw(total)
      }
      if (message !== undefined) stream.write(message + '\n')
    }
  }
}
