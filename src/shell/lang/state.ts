/**
 * Interpreter state shared by the interpreter and the builtins: variables, functions, positional
 * parameters, the current directory, open file descriptors, and the internal control-flow signals.
 */

import type { FunctionDef } from './ast.ts';
import type { CommandIO, InterruptFlag } from './runtime.ts';

export interface Variable {
  /** undefined: declared (e.g. `export X`) but unset. */
  readonly value: string | undefined;
  readonly exported: boolean;
}

/** Saved values to put back when a function returns or a temporary assignment ends. */
export type SavedVars = Map<string, Variable | undefined>;

export class ShellState {
  vars: Map<string, Variable>;
  functions: Map<string, FunctionDef>;
  positional: string[];
  cwd: string;
  /** `$?` */
  status = 0;
  /** `$!` ('' before the first background job). */
  lastBgPid = '';
  loopDepth = 0;
  funcDepth = 0;
  sourceDepth = 0;
  /** One frame per running function: the values its `local`s hide. */
  localFrames: SavedVars[] = [];
  /** `set -o` options that change behaviour: xtrace, pipefail (others are accepted and ignored). */
  options: Set<string>;
  /** True in a subshell (a copy): `exit` ends only the copy. */
  subshell = false;

  constructor(cwd: string) {
    this.vars = new Map();
    this.functions = new Map();
    this.positional = [];
    this.cwd = cwd;
    this.options = new Set();
  }

  /** A subshell's copy: later changes in either do not affect the other. */
  clone(): ShellState {
    const s = new ShellState(this.cwd);
    s.vars = new Map(this.vars);
    s.functions = new Map(this.functions);
    s.positional = [...this.positional];
    s.status = this.status;
    s.lastBgPid = this.lastBgPid;
    s.loopDepth = this.loopDepth;
    s.funcDepth = this.funcDepth;
    s.sourceDepth = this.sourceDepth;
    s.localFrames = this.localFrames.map((f) => new Map(f));
    s.options = new Set(this.options);
    s.subshell = true;
    return s;
  }

  get(name: string): string | undefined {
    return this.vars.get(name)?.value;
  }

  /** Sets a variable, keeping its export attribute. */
  set(name: string, value: string): void {
    const old = this.vars.get(name);
    this.vars.set(name, { value, exported: old?.exported ?? false });
  }

  setExported(name: string, exported: boolean): void {
    const old = this.vars.get(name);
    this.vars.set(name, { value: old?.value, exported });
  }

  unset(name: string): void {
    this.vars.delete(name);
  }

  /** The environment given to runtime commands: exported variables that have a value. */
  exportedEnv(): Map<string, string> {
    const env = new Map<string, string>();
    for (const [k, v] of this.vars) if (v.exported && v.value !== undefined) env.set(k, v.value);
    return env;
  }

  /** `local NAME`: remember the outer value in the current function's frame. */
  declareLocal(name: string): boolean {
    const frame = this.localFrames[this.localFrames.length - 1];
    if (!frame) return false;
    if (!frame.has(name)) frame.set(name, this.vars.get(name));
    return true;
  }

  restore(saved: SavedVars): void {
    for (const [name, v] of saved) {
      if (v === undefined) this.vars.delete(name);
      else this.vars.set(name, v);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// File descriptors

/** Materialized input: `read` consumes it line by line; commands see what is left. */
export class InputStream {
  readonly data: string;
  pos = 0;
  constructor(data: string) {
    this.data = data;
  }
  rest(): string {
    return this.data.slice(this.pos);
  }
}

export type Fd =
  | { readonly kind: 'in'; readonly input: InputStream }
  | { readonly kind: 'out'; readonly write: (text: string) => void; readonly tty?: boolean };

export type Fds = ReadonlyMap<number, Fd>;

export function inputFd(data: string): Fd {
  return { kind: 'in', input: new InputStream(data) };
}

export function fdsFromIo(io: CommandIO): Fds {
  return new Map<number, Fd>([
    [0, inputFd(io.stdin)],
    [1, { kind: 'out', write: (s) => io.out(s), tty: io.tty }],
    [2, { kind: 'out', write: (s) => io.err(s), tty: io.tty }],
  ]);
}

const discard = (): void => {};

/** The writer behind descriptor `fd` (output to a closed descriptor is dropped). */
export function writerOf(fds: Fds, fd: number): (text: string) => void {
  const f = fds.get(fd);
  return f && f.kind === 'out' ? f.write : discard;
}

export function ioFromFds(fds: Fds): CommandIO {
  const f0 = fds.get(0);
  return {
    stdin: f0 && f0.kind === 'in' ? f0.input.rest() : '',
    out: writerOf(fds, 1),
    err: writerOf(fds, 2),
    tty: isTty(fds, 1),
  };
}

/** isatty(fd): the descriptor is the terminal the session started with. */
export function isTty(fds: Fds, fd: number): boolean {
  const f = fds.get(fd);
  return !!f && f.kind === 'out' && !!f.tty;
}

/** Everything a command runs with. */
export interface ExecContext {
  readonly state: ShellState;
  readonly fds: Fds;
  readonly interrupt: InterruptFlag;
  /** Part of a list that ends with `&`. */
  readonly background: boolean;
}

// ---------------------------------------------------------------------------------------------
// Control-flow signals (thrown, never seen outside the interpreter)

export class BreakSignal {
  readonly levels: number;
  constructor(levels: number) {
    this.levels = levels;
  }
}

export class ContinueSignal {
  readonly levels: number;
  constructor(levels: number) {
    this.levels = levels;
  }
}

export class ReturnSignal {
  readonly status: number;
  constructor(status: number) {
    this.status = status;
  }
}

/** Ctrl+C: stop the command line; its status is 130. */
export class Interrupted {}

/** An error that abandons the rest of the command line (bash's jump to top level), e.g. `${X:?}`. */
export class AbortLine {
  readonly status: number;
  constructor(status: number) {
    this.status = status;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Lexically resolves `path` against `cwd` (`.` and `..` handled as `cd` does by default). */
export function resolvePath(cwd: string, path: string): string {
  const abs = path.startsWith('/') ? path : `${cwd.replace(/\/+$/, '')}/${path}`;
  const out: string[] = [];
  for (const seg of abs.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

/** Quotes a word for re-input to the shell (as `set`, `set -x` and `printf %q` show values). */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  if (/[\x00-\x1f\x7f]/.test(s)) {
    const body = s.replace(/[\\'\x00-\x1f\x7f]/g, (c) => {
      const named: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\t': '\\t', '\r': '\\r', '\x1b': '\\E' };
      return named[c] ?? '\\' + c.charCodeAt(0).toString(8).padStart(3, '0');
    });
    return `$'${body}'`;
  }
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
