#!/usr/bin/env node
/**
 * The knowledge base's command line: `kb <command>` once installed, `npm run kb -- <command>` in a
 * clone. Exit status: 0 done, 1 failed (with a message saying what to do), 2 usage error (before
 * anything was done). With --json, stdout holds one JSON document: the result, or the error.
 */
import { parseCommandLine, resolve } from './cli/args.js'
import { UsageError, type Command, type Invocation } from './cli/command.js'
import { commands, groups } from './cli/commands.js'
import { commandHelp, commandUsage, globalHelp, groupHelp } from './cli/help.js'
import { loadConfig } from './config.js'
import { AppError, type ProblemItem } from './errors.js'
import { version } from './paths.js'

const exit = { done: 0, failed: 1, usage: 2 } as const

/** `kb help <words>`: a command's help, a group's, or the list of commands. */
function helpOf (words: string[]): string {
  if (words.length === 0) return globalHelp(commands, version)
  const { command, group, operands } = resolve(words, commands)
  if (command !== undefined && operands.length === 0) return commandHelp(command)
  if (command === undefined && group !== undefined && words.length === 1) return groupHelp(group, groups[group]!, commands)
  throw new UsageError(`there is no command "${words.join(' ')}"`, null)
}

/** The usage a usage error is shown with: its topic's, else the command's, else the list of commands. */
function usageOf (topic: string | null | undefined, current: Command | undefined): string {
  const name = topic === undefined ? current?.name : topic
  const command = commands.find((c) => c.name === name)
  if (command !== undefined) return commandUsage(command)
  if (name != null && name in groups) return groupHelp(name, groups[name]!, commands)
  return globalHelp(commands, version)
}

const print = (text: string) => process.stdout.write(text + '\n')
const printJson = (value: unknown) => print(JSON.stringify(value, null, 2))

/** Says what went wrong on stderr (and, with --json, as {"error": …} on stdout); returns the exit status. */
function report (err: unknown, json: boolean, current: Command | undefined): number {
  let problems: ProblemItem[] | undefined
  let message: string
  if (err instanceof UsageError) {
    message = err.message
    process.stderr.write(`kb: ${message}\n\n${usageOf(err.topic, current)}\n`)
  } else if (err instanceof AppError) {
    message = err.detail
    problems = err.errors
    process.stderr.write([`kb: ${message}`, ...(problems ?? []).map((p) => `  ${p.line !== undefined ? `line ${p.line}: ` : ''}${p.name} ${p.detail}`)].join('\n') + '\n')
  } else {
    // ConfigError and SeedError list their problems in their messages; anything else says what it is.
    message = (err as Error).message
    process.stderr.write(`kb: ${message}\n`)
  }
  if (json) {
    const listed = problems?.map(({ line, name, detail }) => ({ ...(line !== undefined ? { line } : {}), name, detail }))
    printJson({ error: { message, ...(listed !== undefined ? { problems: listed } : {}) } })
  }
  return err instanceof UsageError ? exit.usage : exit.failed
}

async function main (argv: string[]): Promise<number> {
  let json = argv.includes('--json')
  let current: Command | undefined
  try {
    const line = parseCommandLine(argv, commands)
    if (line.action === 'version') {
      if (line.json) printJson({ version })
      else print(version)
      return exit.done
    }
    if (line.action === 'help') {
      print(helpOf(line.topic))
      return exit.done
    }
    const { command, operands, options } = line
    current = command
    json = options.json === true
    const invocation: Invocation = {
      operands,
      options,
      databasePath: () => options.database ?? loadConfig().databasePath,
      stderr: process.stderr
    }
    await command.check?.(invocation)
    const outcome = await command.run(invocation)
    if (json) printJson(outcome.json)
    else for (const text of outcome.stdout ?? []) print(text)
    return exit.done
  } catch (err) {
    return report(err, json, current)
  }
}

// A reader that stops reading (`kb keys list | head -1`) is no error of ours.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err
})
process.exitCode = await main(process.argv.slice(2))
