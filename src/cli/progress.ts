/**
 * Progress for long commands: a bar redrawn in place on a terminal, plain lines otherwise (so a
 * log file or CI gets one line per tenth of the work, not a thousand carriage returns).
 */
export function progress (label: string, total: number, stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY === true
  let lastTenth = -1
  let lastDraw = 0
  const draw = (done: number) => {
    const fraction = total === 0 ? 1 : Math.min(1, done / total)
    if (tty) {
      const now = Date.now()
      if (now - lastDraw < 50 && done < total) return
      lastDraw = now
      const width = 30
      const filled = Math.round(fraction * width)
      stream.write(`\r${label} [${'='.repeat(filled)}${' '.repeat(width - filled)}] ${Math.round(fraction * 100)}% (${done}/${total})`)
    } else {
      const tenth = Math.floor(fraction * 10)
      if (tenth === lastTenth) return
      lastTenth = tenth
      stream.write(`${label}: ${done}/${total} (${tenth * 10}%)\n`)
    }
  }
  return {
    update: draw,
    done (message?: string) {
      draw(total)
      if (tty) stream.write('\n')
      if (message !== undefined) stream.write(message + '\n')
    }
  }
}
