/**
 * The simulated shell: sessions, scripts and the command set. Depends on the model only.
 */
import './commands/index.ts';

export { Session, type SessionOptions, type Job } from './session.ts';
export { runScript, runLine, commandLines, namespaceLabel, type LineResult } from './script.ts';
export { COMMANDS, register } from './registry.ts';
export type { Command, CommandContext, Place } from './context.ts';
export { analyzeInput, checkInput } from './lang/parser.ts';
