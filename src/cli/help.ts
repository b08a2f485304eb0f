/** The help texts, made from the commands' definitions so that they cannot drift from the parser. */
import { alwaysAccepted, optionSpecs, type Command, type OptionName } from './command.js'

const width = 100

/** `text` wrapped to the width, its first line after `lead` and the rest indented to match. */
function hanging (lead: string, text: string): string {
  const indent = ' '.repeat(lead.length)
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  lines.push(line)
  return lines.map((l, i) => (i === 0 ? lead : indent) + l).join('\n')
}

const paragraph = (text: string) => hanging('', text)

/** Two columns: each left cell padded to the widest. */
function table (rows: Array<[string, string]>): string {
  const left = Math.max(...rows.map(([l]) => l.length)) + 2
  return rows.map(([l, r]) => hanging(`  ${l.padEnd(left)}`, r)).join('\n')
}

function optionRows (names: OptionName[]): Array<[string, string]> {
  return names.map((name) => {
    const spec = optionSpecs[name]
    const flag = `${'short' in spec ? `-${spec.short}, ` : ''}--${name}${'value' in spec ? ` ${spec.value}` : ''}`
    return [flag, spec.help]
  })
}

export const usageLine = (command: Command) =>
  ['kb', command.name, ...command.operands, ...(command.synopsis !== undefined ? [command.synopsis] : []), '[options]'].join(' ')

/** What a usage error shows: how to type the command, and its options. */
export function commandUsage (command: Command): string {
  return [
    `Usage: ${usageLine(command)}`,
    '',
    'Options:',
    table(optionRows([...command.options, 'help'])),
    '',
    `kb help ${command.name} shows examples.`
  ].join('\n')
}

/** `kb <command> --help`, `kb help <command>`. */
export function commandHelp (command: Command): string {
  return [
    `Usage: ${usageLine(command)}`,
    '',
    ...command.description.flatMap((text) => [paragraph(text), '']),
    'Options:',
    table(optionRows([...command.options, 'help'])),
    '',
    'Examples:',
    ...command.examples.map((example) => `  ${example}`)
  ].join('\n')
}

/** `kb keys --help`: the commands of a group. */
export function groupHelp (group: string, description: string, commands: Command[]): string {
  const members = commands.filter((c) => c.name.startsWith(`${group} `))
  return [
    `Usage: kb ${group} <${members.map((c) => c.name.slice(group.length + 1)).join('|')}> [options]`,
    '',
    paragraph(description),
    '',
    'Commands:',
    table(members.map((c) => [[c.name, ...c.operands].join(' '), c.summary])),
    '',
    `kb help ${group} <command> shows a command's options and examples.`
  ].join('\n')
}

/** `kb --help`: every command, and the options all of them take. */
export function globalHelp (commands: Command[], version: string): string {
  return [
    'Usage: kb <command> [options]',
    '',
    paragraph(`The command line of the U.S.–Mexico security cooperation knowledge base (version ${version}): migrations, seeds, bulk import and export, backups, the search index and API keys. In a clone of the repository, run it as npm run kb -- <command> [options].`),
    '',
    'Commands:',
    table([...commands.map((c): [string, string] => [[c.name, ...c.operands].join(' '), c.summary]), ['help [command]', 'show a command\'s options and examples']]),
    '',
    'Options:',
    table(optionRows(['database', 'json', ...alwaysAccepted])),
    '',
    'Exit status: 0 done, 1 failed (the message says what to do), 2 usage error (nothing was done).',
    '',
    'kb help <command> (or kb <command> --help) shows a command\'s options and examples.'
  ].join('\n')
}
