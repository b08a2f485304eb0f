/** The commands, in the order the help lists them, and the groups some of them form. */
import { backup } from './backup.js'
import { copyCommand } from './copy.js'
import { exportCommand, importCommand } from './bulk-commands.js'
import type { Command } from './command.js'
import { migrate, reindex, seed } from './database-commands.js'
import { keysCreate, keysDescription, keysList, keysRevoke } from './keys.js'

export const commands: Command[] = [migrate, seed, importCommand, exportCommand, backup, copyCommand, reindex, keysCreate, keysList, keysRevoke]

/** Commands of two words (`keys create`) by their first, with what the group is for. */
export const groups: Record<string, string> = { keys: keysDescription }
