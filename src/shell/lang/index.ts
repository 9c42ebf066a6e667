/**
 * The shell language layer of Packet Path: parsing, expansion, interpretation and completion of
 * a bash-compatible command language. See runtime.ts for the contract with the session layer.
 */

export type {
  CommandIO,
  CommandRequest,
  FsResult,
  InterruptFlag,
  ShellRuntime,
} from './runtime.ts';
export { ShellExit } from './runtime.ts';

export type * from './ast.ts';

export {
  analyzeInput,
  checkInput,
  parse,
  RESERVED_WORDS,
  type CommandLine,
  type InputAnalysis,
  type ParseOptions,
  type ParseResult,
} from './parser.ts';

export { Interpreter, type InterpreterOptions } from './interp.ts';
export { BUILTIN_NAMES, formatPrintf } from './builtins.ts';
export { complete, type CompletionProvider, type CompletionResult } from './complete.ts';
export { matchPattern } from './expand.ts';
export { shellQuote } from './state.ts';
