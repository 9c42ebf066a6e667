/**
 * Every command the simulated shell knows, by name. Adding a command: write it in commands/,
 * export a `Command`, list it here (docs/adding-a-command.md walks through it).
 */
import type { Command } from './context.ts';

export const COMMANDS = new Map<string, Command>();

export function register(...cmds: Command[]): void {
  for (const c of cmds) COMMANDS.set(c.name, c);
}
