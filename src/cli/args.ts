/**
 * Reads the command line with node:util's parseArgs, loosely (every option of every command known,
 * none refused), then checks it against the command's own: so that each mistake is named in our
 * words (an unknown option, one the command does not take, a missing value, a stray argument) and
 * shown with that command's usage, rather than ignored.
 */
import { parseArgs } from 'node:util'
import { alwaysAccepted, optionSpecs, UsageError, type Command, type OptionName, type Options } from './command.js'

export type CommandLine =
  | { action: 'version', json: boolean }
  /** `topic`: the words of a command (`['keys', 'create']`), or none for the list of commands. */
  | { action: 'help', topic: string[] }
  | { action: 'run', command: Command, operands: string[], options: Options }

interface OptionToken { kind: 'option', name: string, rawName: string, value?: string, inlineValue?: boolean }

const parserOptions = Object.fromEntries(Object.entries(optionSpecs).map(([name, spec]) =>
  [name, 'short' in spec ? { type: spec.type, short: spec.short } : { type: spec.type }]))

const isOption = (name: string): name is OptionName => Object.hasOwn(optionSpecs, name)
const quoted = (args: string[]) => args.map((a) => `"${a}"`).join(' ')

/** The command the words name, the group they start (`keys`), and the words after the command. */
export function resolve (words: string[], commands: Command[]) {
  const [first, second] = words
  const group = commands.some((c) => c.name.startsWith(`${first} `)) ? first : undefined
  const name = group !== undefined && second !== undefined ? `${group} ${second}` : first
  const command = commands.find((c) => c.name === name)
  return { command, group, operands: words.slice(command?.name.split(' ').length ?? words.length) }
}

export function parseCommandLine (argv: string[], commands: Command[]): CommandLine {
  const { values, positionals, tokens } = parseArgs({ args: argv, options: parserOptions, strict: false, allowPositionals: true, tokens: true })
  const found = resolve(positionals, commands)
  const topic = found.command?.name ?? found.group
  const given = tokens.filter((t) => t.kind === 'option') as OptionToken[]

  const unknown = given.filter((t) => !isOption(t.name)).map((t) => t.rawName)
  if (unknown.length > 0) throw new UsageError(`unknown option${unknown.length > 1 ? 's' : ''} ${[...new Set(unknown)].join(', ')}`, topic ?? null)
  const seen = new Set<string>()
  for (const token of given) {
    const spec = optionSpecs[token.name as OptionName]
    const shown = `--${token.name}`
    if (seen.has(token.name)) throw new UsageError(`${shown} is given twice`, topic ?? null)
    seen.add(token.name)
    if (spec.type === 'boolean' && token.value !== undefined) throw new UsageError(`${shown} takes no value (got "${token.rawName}=${token.value}")`, topic ?? null)
    if (spec.type === 'string') {
      const form = `${shown} needs a value: ${shown} ${spec.value}`
      if (token.value === undefined || token.value.trim() === '') throw new UsageError(form, topic ?? null)
      // `--name --json`: an option where the value should be (parseArgs' strict mode refuses it too).
      if (token.inlineValue !== true && token.value.startsWith('-') && token.value !== '-') {
        throw new UsageError(`${form} ("${token.value}" looks like an option; write ${shown}=${token.value} if it is the value)`, topic ?? null)
      }
    }
  }

  if (values.version === true) return { action: 'version', json: values.json === true }
  if (positionals[0] === 'help') return { action: 'help', topic: positionals.slice(1) }
  if (values.help === true) {
    if (positionals.length > 0 && topic === undefined) throw new UsageError(`unknown command "${positionals[0]}"`, null)
    return { action: 'help', topic: topic?.split(' ') ?? [] }
  }
  if (positionals.length === 0) throw new UsageError('no command given', null)
  const { command, group, operands } = found
  if (command === undefined) {
    if (group === undefined) throw new UsageError(`unknown command "${positionals[0]}"`, null)
    const subs = commands.filter((c) => c.name.startsWith(`${group} `)).map((c) => c.name.slice(group.length + 1))
    const got = positionals[1] === undefined ? '' : ` (got "${positionals[1]}")`
    throw new UsageError(`${group} takes ${subs.slice(0, -1).join(', ')} or ${subs.at(-1)}${got}`, group)
  }

  const misplaced = [...seen].filter((name) => !command.options.includes(name as OptionName) && !alwaysAccepted.includes(name as OptionName))
  if (misplaced.length > 0) throw new UsageError(`${command.name} does not take ${misplaced.map((o) => `--${o}`).join(', ')}`, command.name)
  checkOperands(command, operands)
  return { action: 'run', command, operands, options: values as Options }
}

/** Exactly the arguments the command names: none missing, none ignored. */
function checkOperands (command: Command, operands: string[]): void {
  const expected = command.operands
  if (operands.length === expected.length) return
  if (operands.length < expected.length) throw new UsageError(`${command.name} needs ${expected.slice(operands.length).join(' ')}`, command.name)
  if (expected.length === 0) throw new UsageError(`${command.name} takes no arguments (got ${quoted(operands)})`, command.name)
  const takes = expected.length === 1 ? 'one argument' : `${expected.length} arguments`
  throw new UsageError(`${command.name} takes ${takes}, ${expected.join(' ')} (got ${quoted(operands)})`, command.name)
}
