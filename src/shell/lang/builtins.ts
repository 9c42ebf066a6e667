/**
 * Builtins run by the interpreter itself (bash's builtins that a simulated terminal needs).
 * Messages follow bash's wording in an interactive shell (`bash: cd: x: No such file or directory`).
 */

import { RESERVED_WORDS } from './parser.ts';
import type { CommandIO, ShellRuntime } from './runtime.ts';
import { ShellExit } from './runtime.ts';
import {
  BreakSignal,
  ContinueSignal,
  type ExecContext,
  type ShellState,
  NAME_RE,
  ReturnSignal,
  resolvePath,
  shellQuote,
} from './state.ts';

/** What builtins need from the interpreter. */
export interface BuiltinHost {
  readonly runtime: ShellRuntime;
  /** The path `type` and `command -v` print for a runtime command. */
  commandPath(name: string): string;
  /** Parses and runs text in the given context (`eval`, `source`); syntax errors print and give 2. */
  evalSource(source: string, ctx: ExecContext): Promise<number>;
  /** Runs an argv as a simple command (for `command NAME ...`). */
  invoke(argv: readonly string[], ctx: ExecContext, skipFunctions: boolean): Promise<number>;
  /** Evaluates an arithmetic expression; throws an ExpansionError on a bad one. */
  arith(text: string, ctx: ExecContext): bigint;
  /** `$-` */
  shellFlags(ctx: ExecContext): string;
}

export interface BuiltinCall {
  readonly host: BuiltinHost;
  readonly ctx: ExecContext;
  readonly io: CommandIO;
}

/** A builtin gets its full argv (argv[0] is its name) and returns its exit status. */
export type Builtin = (argv: readonly string[], call: BuiltinCall) => number | Promise<number>;

// ---------------------------------------------------------------------------------------------
// Escapes shared by echo -e, printf and %b

/**
 * Backslash escapes. `echo` (and printf's `%b`) take octal as `\0nnn`; printf's format takes
 * `\nnn`. `\c` (echo, %b) stops all further output.
 */
export function processEscapes(s: string, mode: 'echo' | 'format'): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const e = s[i + 1]!;
    const simple: Record<string, string> = {
      a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\',
    };
    if (e in simple) {
      out += simple[e];
      i++;
      continue;
    }
    if (mode === 'format' && (e === '"' || e === "'" || e === '?')) {
      out += e;
      i++;
      continue;
    }
    if (e === 'c' && mode === 'echo') return { text: out, stop: true };
    if ((mode === 'echo' && e === '0') || (mode === 'format' && e >= '0' && e <= '7')) {
      let j = mode === 'echo' ? i + 2 : i + 1;
      let digits = '';
      while (digits.length < 3 && j < s.length && s[j]! >= '0' && s[j]! <= '7') digits += s[j++];
      out += String.fromCharCode(parseInt(digits || '0', 8) & 0xff);
      i = j - 1;
      continue;
    }
    if (e === 'x' || e === 'u' || e === 'U') {
      const max = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      let j = i + 2;
      let digits = '';
      while (digits.length < max && j < s.length && /[0-9A-Fa-f]/.test(s[j]!)) digits += s[j++];
      if (digits === '') {
        out += '\\' + e;
        i++;
        continue;
      }
      const code = parseInt(digits, 16);
      out += e === 'x' ? String.fromCharCode(code) : code <= 0x10ffff ? String.fromCodePoint(code) : '';
      i = j - 1;
      continue;
    }
    out += '\\' + e;
    i++;
  }
  return { text: out, stop: false };
}

// ---------------------------------------------------------------------------------------------
// echo

const echo: Builtin = (argv, { io }) => {
  let i = 1;
  let newline = true;
  let escapes = false;
  // Only arguments made entirely of n, e, E are options (bash: `echo -x` prints "-x").
  while (i < argv.length && /^-[neE]+$/.test(argv[i]!)) {
    for (const f of argv[i]!.slice(1)) {
      if (f === 'n') newline = false;
      else if (f === 'e') escapes = true;
      else escapes = false;
    }
    i++;
  }
  let text = argv.slice(i).join(' ');
  if (escapes) {
    const r = processEscapes(text, 'echo');
    if (r.stop) {
      io.out(r.text);
      return 0;
    }
    text = r.text;
  }
  io.out(newline ? text + '\n' : text);
  return 0;
};

// ---------------------------------------------------------------------------------------------
// printf

interface PrintfResult {
  output: string;
  errors: string[];
}

function parseIntArg(arg: string | undefined, errors: string[]): bigint {
  if (arg === undefined || arg === '') return 0n;
  const s = arg.replace(/^[ \t\n]+/, '');
  if (s[0] === "'" || s[0] === '"') return s.length > 1 ? BigInt(s.codePointAt(1)!) : 0n;
  const m = /^([+-]?)(0[xX][0-9A-Fa-f]+|0[0-7]*|[1-9][0-9]*)/.exec(s);
  if (!m) {
    errors.push(`${arg}: invalid number`);
    return 0n;
  }
  const digits = m[2]!;
  let v = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits[0] === '0' ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  if (m[1] === '-') v = -v;
  if (m[0].length !== s.length) errors.push(`${arg}: invalid number`);
  return BigInt.asIntN(64, v);
}

function parseFloatArg(arg: string | undefined, errors: string[]): number {
  if (arg === undefined || arg === '') return 0;
  const s = arg.trim();
  if (s[0] === "'" || s[0] === '"') return s.length > 1 ? s.codePointAt(1)! : 0;
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s);
  if (!m) {
    errors.push(`${arg}: invalid number`);
    return 0;
  }
  if (m[0].length !== s.length) errors.push(`${arg}: invalid number`);
  return Number(m[0]);
}

function pad(s: string, width: number, left: boolean, zero: boolean): string {
  if (s.length >= width) return s;
  if (left) return s + ' '.repeat(width - s.length);
  if (zero) {
    const m = /^([+ -]?(?:0[xX])?)(.*)$/.exec(s)!;
    return m[1] + '0'.repeat(width - s.length) + m[2];
  }
  return ' '.repeat(width - s.length) + s;
}

/**
 * `v.toFixed(prec)` rounded the way C's printf does: on the exact binary value, ties to even
 * (printf "%.1f" 2.25 gives 2.2 where JavaScript's toFixed gives 2.3).
 */
function toFixedExact(v: number, prec: number): string {
  if (!Number.isFinite(v) || Math.abs(v) >= 1e21) return v.toFixed(prec);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) {
    exp = -1074;
  } else {
    mantissa |= 1n << 52n;
    exp = biased - 1075;
  }
  // |v| = mantissa * 2^exp = num / den
  let num = mantissa;
  let den = 1n;
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  const scaled = num * 10n ** BigInt(prec);
  let q = scaled / den;
  const r2 = (scaled % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q++;
  let digits = q.toString().padStart(prec + 1, '0');
  if (prec > 0) digits = digits.slice(0, -prec) + '.' + digits.slice(-prec);
  return (negative ? '-' : '') + digits;
}

function fixExponent(s: string): string {
  // JavaScript writes e+5, C writes e+05.
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function formatFloat(v: number, conv: string, prec: number | null, flags: string): string {
  let s: string;
  if (!Number.isFinite(v)) {
    s = Number.isNaN(v) ? 'nan' : v < 0 ? '-inf' : 'inf';
  } else if (conv === 'f' || conv === 'F') {
    s = toFixedExact(v, Math.min(prec ?? 6, 100));
  } else if (conv === 'e' || conv === 'E') {
    s = fixExponent(v.toExponential(Math.min(prec ?? 6, 100)));
  } else {
    const p = prec === null ? 6 : prec === 0 ? 1 : Math.min(prec, 100);
    const exp = v === 0 ? 0 : Math.floor(Math.log10(Math.abs(v)));
    if (exp < -4 || exp >= p) {
      s = v.toExponential(p - 1);
      if (!flags.includes('#')) s = s.replace(/\.?0+e/, 'e');
      s = fixExponent(s);
    } else {
      s = toFixedExact(v, Math.max(0, p - 1 - exp));
      if (!flags.includes('#') && s.includes('.')) s = s.replace(/\.?0+$/, '');
    }
  }
  if (conv === conv.toUpperCase()) s = s.toUpperCase();
  if (v >= 0 && !s.startsWith('-')) {
    if (flags.includes('+')) s = '+' + s;
    else if (flags.includes(' ')) s = ' ' + s;
  }
  return s;
}

/** Formats like bash's printf, reusing the format while arguments remain. */
export function formatPrintf(format: string, args: readonly string[]): PrintfResult {
  const errors: string[] = [];
  let output = '';
  let argi = 0;
  const next = (): string | undefined => (argi < args.length ? args[argi++] : (argi++, undefined));
  for (;;) {
    const before = argi;
    let stop = false;
    for (let p = 0; p < format.length && !stop; ) {
      const c = format[p]!;
      if (c === '\\') {
        // One escape at a time, so `\c` is not special here (only in %b).
        let q = p + 1;
        if (format[q] === undefined) {
          output += '\\';
          p++;
          continue;
        }
        if (/[0-7]/.test(format[q]!)) {
          while (q < format.length && q < p + 4 && /[0-7]/.test(format[q]!)) q++;
        } else if (format[q] === 'x') {
          q++;
          while (q < format.length && q < p + 4 && /[0-9A-Fa-f]/.test(format[q]!)) q++;
        } else if (format[q] === 'u' || format[q] === 'U') {
          const max = format[q] === 'u' ? 4 : 8;
          q++;
          const start = q;
          while (q < format.length && q < start + max && /[0-9A-Fa-f]/.test(format[q]!)) q++;
        } else {
          q++;
        }
        output += processEscapes(format.slice(p, q), 'format').text;
        p = q;
        continue;
      }
      if (c !== '%') {
        output += c;
        p++;
        continue;
      }
      if (format[p + 1] === '%') {
        output += '%';
        p += 2;
        continue;
      }
      const m = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([a-zA-Z]?)/.exec(format.slice(p))!;
      p += m[0].length;
      const flags = m[1]!;
      let width = 0;
      let left = flags.includes('-');
      if (m[2] === '*') {
        const w = Number(parseIntArg(next(), errors));
        if (w < 0) left = true;
        width = Math.abs(w);
      } else if (m[2]) {
        width = Number(m[2]);
      }
      let prec: number | null = null;
      if (m[3] !== undefined) prec = m[3] === '*' ? Math.max(0, Number(parseIntArg(next(), errors))) : Number(m[3] || '0');
      width = Math.min(width, 10000);
      if (prec !== null) prec = Math.min(prec, 10000);
      const conv = m[4]!;
      const zero = flags.includes('0') && !left;
      switch (conv) {
        case 's': {
          let s = next() ?? '';
          if (prec !== null) s = s.slice(0, prec);
          output += pad(s, width, left, false);
          break;
        }
        case 'q':
          output += pad(shellQuote(next() ?? ''), width, left, false);
          break;
        case 'b': {
          const r = processEscapes(next() ?? '', 'echo');
          let s = r.text;
          if (prec !== null) s = s.slice(0, prec);
          output += pad(s, width, left, false);
          if (r.stop) return { output, errors };
          break;
        }
        case 'c':
          output += pad((next() ?? '').slice(0, 1), width, left, false);
          break;
        case 'd':
        case 'i':
        case 'u':
        case 'o':
        case 'x':
        case 'X': {
          let n = parseIntArg(next(), errors);
          let digits: string;
          let sign = '';
          if (conv === 'd' || conv === 'i') {
            if (n < 0n) {
              sign = '-';
              n = -n;
            } else if (flags.includes('+')) sign = '+';
            else if (flags.includes(' ')) sign = ' ';
            digits = n.toString();
          } else {
            if (n < 0n) n = BigInt.asUintN(64, n);
            digits = n.toString(conv === 'o' ? 8 : conv === 'u' ? 10 : 16);
            if (conv === 'X') digits = digits.toUpperCase();
          }
          if (prec !== null) digits = prec === 0 && n === 0n ? '' : digits.padStart(prec, '0');
          if (flags.includes('#') && n !== 0n) {
            if (conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
            if (conv === 'x') sign = '0x';
            if (conv === 'X') sign = '0X';
          }
          output += pad(sign + digits, width, left, zero && prec === null);
          break;
        }
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G':
          output += pad(formatFloat(parseFloatArg(next(), errors), conv, prec, flags), width, left, zero);
          break;
        case '':
          errors.push(`\`${m[0]}': missing format character`);
          return { output, errors };
        default:
          errors.push(`\`${conv}': invalid format character`);
          return { output, errors };
      }
    }
    // Reuse the format while arguments remain, as long as it consumes some.
    if (argi >= args.length || argi === before) break;
  }
  return { output, errors };
}

const printf: Builtin = (argv, { io, ctx }) => {
  let i = 1;
  let varName: string | null = null;
  if (argv[i] === '-v') {
    varName = argv[i + 1] ?? null;
    if (varName === null) {
      io.err('bash: printf: -v: option requires an argument\nprintf: usage: printf [-v var] format [arguments]\n');
      return 2;
    }
    if (!NAME_RE.test(varName)) {
      io.err(`bash: printf: \`${varName}': not a valid identifier\n`);
      return 2;
    }
    i += 2;
  }
  if (argv[i] === '--') i++;
  const format = argv[i];
  if (format === undefined) {
    io.err('printf: usage: printf [-v var] format [arguments]\n');
    return 2;
  }
  const { output, errors } = formatPrintf(format, argv.slice(i + 1));
  if (varName !== null) ctx.state.set(varName, output);
  else io.out(output);
  for (const e of errors) io.err(`bash: printf: ${e}\n`);
  return errors.length > 0 ? 1 : 0;
};

// ---------------------------------------------------------------------------------------------
// test / [

class TestError {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

const UNARY_TESTS = new Set([
  '-a', '-b', '-c', '-d', '-e', '-f', '-g', '-h', '-k', '-n', '-p', '-r', '-s', '-t', '-u', '-w', '-x', '-z',
  '-G', '-L', '-N', '-O', '-S', '-v', '-o',
]);
const BINARY_TESTS = new Set([
  '=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef',
]);

/** The unary file and string tests of `test`, `[` and `[[`. */
export function unaryTest(op: string, arg: string, runtime: ShellRuntime, state: ShellState): boolean {
  const cwd = state.cwd;
  const isFile = (): boolean => runtime.isFile(arg, cwd);
  const isDir = (): boolean => runtime.isDirectory(arg, cwd);
  switch (op) {
    case '-z':
      return arg === '';
    case '-n':
      return arg !== '';
    case '-e':
    case '-a':
      return isFile() || isDir() || arg === '/dev/null';
    case '-f':
      return isFile();
    case '-d':
      return isDir();
    case '-r':
    case '-w':
    case '-x':
      return isFile() || isDir();
    case '-s': {
      if (isDir()) return true;
      if (!isFile()) return false;
      const r = runtime.readFile(arg, cwd);
      return r.ok && r.value.length > 0;
    }
    case '-c':
      return arg === '/dev/null' || arg === '/dev/zero' || arg === '/dev/tty';
    case '-v':
      return state.vars.get(arg)?.value !== undefined;
    case '-o':
      return state.options.has(arg);
    default:
      // -b -g -h -k -p -t -u -G -L -N -O -S: nothing in the simulation has those properties.
      return false;
  }
}

class TestEvaluator {
  private readonly args: readonly string[];
  private readonly call: BuiltinCall;
  private i = 0;

  constructor(args: readonly string[], call: BuiltinCall) {
    this.args = args;
    this.call = call;
  }

  /** POSIX rules by argument count, then a general parser for longer expressions. */
  evaluate(): boolean {
    const a = this.args;
    switch (a.length) {
      case 0:
        return false;
      case 1:
        return a[0] !== '';
      case 2:
        if (a[0] === '!') return a[1] === '';
        if (UNARY_TESTS.has(a[0]!)) return this.unary(a[0]!, a[1]!);
        throw new TestError(`${a[0]}: unary operator expected`);
      case 3:
        if (BINARY_TESTS.has(a[1]!)) return this.binary(a[0]!, a[1]!, a[2]!);
        if (a[1] === '-a' || a[1] === '-o') {
          return a[1] === '-a' ? a[0] !== '' && a[2] !== '' : a[0] !== '' || a[2] !== '';
        }
        if (a[0] === '!') return !new TestEvaluator(a.slice(1), this.call).evaluate();
        if (a[0] === '(' && a[2] === ')') return a[1] !== '';
        throw new TestError(`${a[1]}: binary operator expected`);
      case 4:
        if (a[0] === '!') return !new TestEvaluator(a.slice(1), this.call).evaluate();
        if (a[0] === '(' && a[3] === ')') return new TestEvaluator(a.slice(1, 3), this.call).evaluate();
    }
    const v = this.orExpr();
    if (this.i < a.length) throw new TestError('too many arguments');
    return v;
  }

  private peek(): string | undefined {
    return this.args[this.i];
  }

  private orExpr(): boolean {
    let v = this.andExpr();
    while (this.peek() === '-o') {
      this.i++;
      const r = this.andExpr();
      v = v || r;
    }
    return v;
  }

  private andExpr(): boolean {
    let v = this.notExpr();
    while (this.peek() === '-a') {
      this.i++;
      const r = this.notExpr();
      v = v && r;
    }
    return v;
  }

  private notExpr(): boolean {
    if (this.peek() === '!') {
      this.i++;
      return !this.notExpr();
    }
    return this.primary();
  }

  private primary(): boolean {
    const a = this.args;
    const t = this.peek();
    if (t === undefined) throw new TestError('argument expected');
    if (t === '(') {
      this.i++;
      const v = this.orExpr();
      if (this.peek() !== ')') throw new TestError("`)' expected");
      this.i++;
      return v;
    }
    const n = a[this.i + 1];
    if (n !== undefined && BINARY_TESTS.has(n) && a[this.i + 2] !== undefined) {
      this.i += 3;
      return this.binary(t, n, a[this.i - 1]!);
    }
    if (UNARY_TESTS.has(t) && n !== undefined) {
      this.i += 2;
      return this.unary(t, n);
    }
    this.i++;
    return t !== '';
  }

  private unary(op: string, arg: string): boolean {
    return unaryTest(op, arg, this.call.host.runtime, this.call.ctx.state);
  }

  private integer(s: string): bigint {
    const t = s.trim();
    if (!/^[+-]?[0-9]+$/.test(t)) throw new TestError(`${s}: integer expression expected`);
    return BigInt(t);
  }

  private binary(a: string, op: string, b: string): boolean {
    switch (op) {
      case '=':
      case '==':
        return a === b;
      case '!=':
        return a !== b;
      case '<':
        return a < b;
      case '>':
        return a > b;
      case '-eq':
        return this.integer(a) === this.integer(b);
      case '-ne':
        return this.integer(a) !== this.integer(b);
      case '-lt':
        return this.integer(a) < this.integer(b);
      case '-le':
        return this.integer(a) <= this.integer(b);
      case '-gt':
        return this.integer(a) > this.integer(b);
      case '-ge':
        return this.integer(a) >= this.integer(b);
      default:
        return false; // -nt -ot -ef: no timestamps or inodes in the simulation
    }
  }
}

const test: Builtin = (argv, call) => {
  const name = argv[0]!;
  let args = argv.slice(1);
  if (name === '[') {
    if (args[args.length - 1] !== ']') {
      call.io.err("bash: [: missing `]'\n");
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    return new TestEvaluator(args, call).evaluate() ? 0 : 1;
  } catch (e) {
    if (e instanceof TestError) {
      call.io.err(`bash: ${name}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
};

// ---------------------------------------------------------------------------------------------
// Directories

const cd: Builtin = (argv, { io, ctx, host }) => {
  const st = ctx.state;
  let args = argv.slice(1);
  while (args[0] === '-L' || args[0] === '-P' || args[0] === '--') {
    const a = args[0];
    args = args.slice(1);
    if (a === '--') break;
  }
  if (args.length > 1) {
    io.err('bash: cd: too many arguments\n');
    return 1;
  }
  let target: string | undefined = args[0];
  let print = false;
  if (target === undefined) {
    target = st.get('HOME');
    if (target === undefined) {
      io.err('bash: cd: HOME not set\n');
      return 1;
    }
  } else if (target === '-') {
    target = st.get('OLDPWD');
    if (target === undefined) {
      io.err('bash: cd: OLDPWD not set\n');
      return 1;
    }
    print = true;
  }
  if (target === '') return 0;
  const dir = resolvePath(st.cwd, target);
  if (!host.runtime.isDirectory(dir, st.cwd)) {
    const why = host.runtime.isFile(dir, st.cwd) ? 'Not a directory' : 'No such file or directory';
    io.err(`bash: cd: ${target}: ${why}\n`);
    return 1;
  }
  st.set('OLDPWD', st.cwd);
  st.cwd = dir;
  st.set('PWD', dir);
  if (print) io.out(dir + '\n');
  return 0;
};

const pwd: Builtin = (_argv, { io, ctx }) => {
  io.out(ctx.state.cwd + '\n');
  return 0;
};

// ---------------------------------------------------------------------------------------------
// Variables

function declareQuote(v: string): string {
  return '"' + v.replace(/[\\"$`]/g, (c) => '\\' + c) + '"';
}

const exportBuiltin: Builtin = (argv, { io, ctx }) => {
  const st = ctx.state;
  let unexport = false;
  let i = 1;
  for (; i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '-'; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    for (const f of a.slice(1)) {
      if (f === 'n') unexport = true;
      else if (f !== 'p' && f !== 'f') {
        io.err(`bash: export: -${f}: invalid option\nexport: usage: export [-fn] [name[=value] ...] or export -p\n`);
        return 2;
      }
    }
  }
  const names = argv.slice(i);
  if (names.length === 0) {
    const lines = [...st.vars.entries()]
      .filter(([, v]) => v.exported)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => (v.value === undefined ? `declare -x ${k}\n` : `declare -x ${k}=${declareQuote(v.value)}\n`));
    io.out(lines.join(''));
    return 0;
  }
  let status = 0;
  for (const arg of names) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq).replace(/\+$/, '');
    if (!NAME_RE.test(name)) {
      io.err(`bash: export: \`${arg}': not a valid identifier\n`);
      status = 1;
      continue;
    }
    if (eq >= 0) {
      const append = arg[eq - 1] === '+';
      const value = arg.slice(eq + 1);
      st.set(name, append ? (st.get(name) ?? '') + value : value);
    }
    st.setExported(name, !unexport);
  }
  return status;
};

const unset: Builtin = (argv, { io, ctx }) => {
  const st = ctx.state;
  let mode: 'v' | 'f' | 'any' = 'any';
  let i = 1;
  for (; i < argv.length && /^-[fvn]+$/.test(argv[i]!); i++) {
    if (argv[i]!.includes('f')) mode = 'f';
    else if (argv[i]!.includes('v')) mode = 'v';
  }
  let status = 0;
  for (const name of argv.slice(i)) {
    if (mode !== 'f' && !NAME_RE.test(name)) {
      io.err(`bash: unset: \`${name}': not a valid identifier\n`);
      status = 1;
      continue;
    }
    if (mode === 'f') {
      st.functions.delete(name);
    } else if (mode === 'v' || st.vars.has(name)) {
      st.unset(name);
    } else {
      st.functions.delete(name);
    }
  }
  return status;
};

/** `set`: print variables; `set -- args` / `set a b` sets $1...; `set -o`/`-x` options. */
const set: Builtin = (argv, { io, ctx }) => {
  const st = ctx.state;
  if (argv.length === 1) {
    const lines = [...st.vars.entries()]
      .filter(([, v]) => v.value !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${shellQuote(v.value!)}\n`);
    io.out(lines.join(''));
    return 0;
  }
  const letters: Record<string, string> = {
    e: 'errexit', u: 'nounset', x: 'xtrace', v: 'verbose', f: 'noglob', n: 'noexec', h: 'hashall',
    B: 'braceexpand', C: 'noclobber', a: 'allexport', b: 'notify', m: 'monitor', H: 'histexpand',
  };
  const longNames = new Set([...Object.values(letters), 'pipefail', 'posix', 'vi', 'emacs', 'ignoreeof', 'history']);
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      st.positional = argv.slice(i);
      return 0;
    }
    if (a === '-' || a === '+') {
      i++;
      break;
    }
    if (!/^[-+]/.test(a)) break;
    const on = a[0] === '-';
    for (const f of a.slice(1)) {
      if (f === 'o') {
        const opt = argv[i + 1];
        if (opt === undefined) {
          // `set -o` alone lists the options.
          const lines = [...longNames].sort().map((n) => `${n.padEnd(15)}\t${st.options.has(n) ? 'on' : 'off'}\n`);
          io.out(lines.join(''));
          return 0;
        }
        if (!longNames.has(opt)) {
          io.err(`bash: set: ${opt}: invalid option name\n`);
          return 2;
        }
        if (on) st.options.add(opt);
        else st.options.delete(opt);
        i++;
        continue;
      }
      const name = letters[f];
      if (name === undefined) {
        io.err(`bash: set: ${a[0]}${f}: invalid option\nset: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n`);
        return 2;
      }
      if (on) st.options.add(name);
      else st.options.delete(name);
    }
  }
  if (i < argv.length) st.positional = argv.slice(i);
  return 0;
};

const local: Builtin = (argv, { io, ctx }) => {
  const st = ctx.state;
  if (st.funcDepth === 0) {
    io.err('bash: local: can only be used in a function\n');
    return 1;
  }
  let status = 0;
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue;
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (!NAME_RE.test(name)) {
      io.err(`bash: local: \`${arg}': not a valid identifier\n`);
      status = 1;
      continue;
    }
    st.declareLocal(name);
    // A new local hides the outer value (bash: `local x` leaves it declared but unset).
    st.vars.set(name, { value: eq < 0 ? undefined : arg.slice(eq + 1), exported: false });
  }
  return status;
};

const shift: Builtin = (argv, { io, ctx }) => {
  const st = ctx.state;
  const arg = argv[1];
  let n = 1;
  if (arg !== undefined) {
    if (!/^[0-9]+$/.test(arg)) {
      io.err(`bash: shift: ${arg}: numeric argument required\n`);
      return 1;
    }
    n = Number(arg);
  }
  if (n > st.positional.length) return 1;
  st.positional = st.positional.slice(n);
  return 0;
};

/** `read [-r] [-p prompt] [-d delim] [NAME...]`: one line of standard input into variables. */
const read: Builtin = (argv, { io, ctx }) => {
  const st = ctx.state;
  let raw = false;
  let delim = '\n';
  let i = 1;
  for (; i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '-'; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j]!;
      if (f === 'r' || f === 's' || f === 'e') {
        if (f === 'r') raw = true;
        continue;
      }
      if (f === 'p' || f === 'd' || f === 't' || f === 'n' || f === 'N' || f === 'a' || f === 'u' || f === 'i') {
        const value = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (value === undefined) {
          io.err(`bash: read: -${f}: option requires an argument\n`);
          return 2;
        }
        if (f === 'p') io.err(value);
        if (f === 'd') delim = value === '' ? '\0' : value[0]!;
        break;
      }
      io.err(`bash: read: -${f}: invalid option\n`);
      return 2;
    }
  }
  const names = argv.slice(i);
  for (const n of names) {
    if (!NAME_RE.test(n)) {
      io.err(`bash: read: \`${n}': not a valid identifier\n`);
      return 1;
    }
  }
  const fd0 = ctx.fds.get(0);
  if (!fd0 || fd0.kind !== 'in') return 1;
  const input = fd0.input;
  if (input.pos >= input.data.length) {
    for (const n of names) st.set(n, '');
    if (names.length === 0) st.set('REPLY', '');
    return 1;
  }
  let line = '';
  let found = false;
  while (input.pos < input.data.length) {
    const c = input.data[input.pos++]!;
    if (c === delim) {
      found = true;
      break;
    }
    if (c === '\\' && !raw) {
      const n = input.data[input.pos];
      if (n === undefined) break;
      input.pos++;
      if (n === '\n') continue; // backslash-newline continues the line
      line += n;
      continue;
    }
    line += c;
  }
  if (names.length === 0) {
    st.set('REPLY', line);
    return found ? 0 : 1;
  }
  const ifs = st.get('IFS') ?? ' \t\n';
  const isWs = (c: string): boolean => ifs.includes(c) && (c === ' ' || c === '\t' || c === '\n');
  let p = 0;
  const skipWs = (): void => {
    while (p < line.length && isWs(line[p]!)) p++;
  };
  skipWs();
  names.forEach((name, idx) => {
    if (idx === names.length - 1) {
      let rest = line.slice(p);
      while (rest.length > 0 && isWs(rest[rest.length - 1]!)) rest = rest.slice(0, -1);
      st.set(name, rest);
      return;
    }
    let field = '';
    while (p < line.length && !ifs.includes(line[p]!)) field += line[p++];
    skipWs();
    if (p < line.length && ifs.includes(line[p]!) && !isWs(line[p]!)) {
      p++;
      skipWs();
    }
    st.set(name, field);
  });
  return found ? 0 : 1;
};

// ---------------------------------------------------------------------------------------------
// Control

function parseExitStatus(arg: string): number | null {
  if (!/^\s*[+-]?[0-9]+\s*$/.test(arg)) return null;
  return Number(BigInt.asUintN(8, BigInt(arg.trim())));
}

const exit: Builtin = (argv, { io, ctx }) => {
  if (argv.length > 2) {
    io.err('bash: exit: too many arguments\n');
    return 1;
  }
  let status = ctx.state.status;
  if (argv[1] !== undefined) {
    const n = parseExitStatus(argv[1]);
    if (n === null) {
      io.err(`bash: exit: ${argv[1]}: numeric argument required\n`);
      status = 2;
    } else {
      status = n;
    }
  }
  throw new ShellExit(status);
};

const returnBuiltin: Builtin = (argv, { io, ctx }) => {
  const st = ctx.state;
  if (st.funcDepth === 0 && st.sourceDepth === 0) {
    io.err("bash: return: can only `return' from a function or sourced script\n");
    return 1;
  }
  let status = st.status;
  if (argv[1] !== undefined) {
    const n = parseExitStatus(argv[1]);
    if (n === null) {
      io.err(`bash: return: ${argv[1]}: numeric argument required\n`);
      status = 2;
    } else {
      status = n;
    }
  }
  throw new ReturnSignal(status);
};

function loopControl(kind: 'break' | 'continue'): Builtin {
  return (argv, { io, ctx }) => {
    const st = ctx.state;
    let n = 1;
    if (argv[1] !== undefined) {
      if (!/^[0-9]+$/.test(argv[1]) || Number(argv[1]) < 1) {
        io.err(`bash: ${kind}: ${argv[1]}: loop count out of range\n`);
        return 1;
      }
      n = Number(argv[1]);
    }
    if (st.loopDepth === 0) {
      io.err(`bash: ${kind}: only meaningful in a \`for', \`while', or \`until' loop\n`);
      return 0;
    }
    n = Math.min(n, st.loopDepth);
    throw kind === 'break' ? new BreakSignal(n) : new ContinueSignal(n);
  };
}

const evalBuiltin: Builtin = (argv, { host, ctx }) => {
  const text = argv.slice(1).join(' ');
  if (text.trim() === '') return 0;
  return host.evalSource(text, ctx);
};

const source: Builtin = async (argv, { io, ctx, host }) => {
  const name = argv[0]!;
  const file = argv[1];
  if (file === undefined) {
    io.err(`bash: ${name}: filename argument required\n${name}: usage: ${name} filename [arguments]\n`);
    return 2;
  }
  const st = ctx.state;
  const r = host.runtime.readFile(file, st.cwd);
  if (!r.ok) {
    io.err(`bash: ${file}: ${r.message}\n`);
    return 1;
  }
  const savedPositional = st.positional;
  if (argv.length > 2) st.positional = argv.slice(2);
  st.sourceDepth++;
  try {
    return await host.evalSource(r.value, ctx);
  } catch (e) {
    if (e instanceof ReturnSignal) return e.status;
    throw e;
  } finally {
    st.sourceDepth--;
    if (argv.length > 2) st.positional = savedPositional;
  }
};

const letBuiltin: Builtin = (argv, { io, ctx, host }) => {
  if (argv.length < 2) {
    io.err('bash: let: expression expected\n');
    return 1;
  }
  let last = 0n;
  for (const expr of argv.slice(1)) last = host.arith(expr, ctx);
  return last === 0n ? 1 : 0;
};

// ---------------------------------------------------------------------------------------------
// type / command

type Kind = 'keyword' | 'function' | 'builtin' | 'file' | null;

function kindOf(name: string, call: BuiltinCall): Kind {
  if (RESERVED_WORDS.includes(name)) return 'keyword';
  if (call.ctx.state.functions.has(name)) return 'function';
  if (BUILTINS.has(name)) return 'builtin';
  if (call.host.runtime.hasCommand(name)) return 'file';
  return null;
}

const type: Builtin = (argv, call) => {
  const { io, host } = call;
  let mode: 'describe' | 't' | 'p' = 'describe';
  let i = 1;
  for (; i < argv.length && /^-[tpPaf]+$/.test(argv[i]!); i++) {
    if (argv[i]!.includes('t')) mode = 't';
    else if (/[pP]/.test(argv[i]!)) mode = 'p';
  }
  let status = 0;
  for (const name of argv.slice(i)) {
    const kind = kindOf(name, call);
    if (kind === null) {
      if (mode === 'describe') io.err(`bash: type: ${name}: not found\n`);
      status = 1;
      continue;
    }
    if (mode === 't') {
      io.out(kind + '\n');
    } else if (mode === 'p') {
      if (kind === 'file') io.out(host.commandPath(name) + '\n');
    } else if (kind === 'keyword') {
      io.out(`${name} is a shell keyword\n`);
    } else if (kind === 'function') {
      io.out(`${name} is a function\n${call.ctx.state.functions.get(name)!.source}\n`);
    } else if (kind === 'builtin') {
      io.out(`${name} is a shell builtin\n`);
    } else {
      io.out(`${name} is ${host.commandPath(name)}\n`);
    }
  }
  return status;
};

const command: Builtin = (argv, call) => {
  const { io, host, ctx } = call;
  let i = 1;
  let mode: 'run' | 'v' | 'V' = 'run';
  for (; i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '-'; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    for (const f of a.slice(1)) {
      if (f === 'v') mode = 'v';
      else if (f === 'V') mode = 'V';
      else if (f !== 'p') {
        io.err(`bash: command: -${f}: invalid option\ncommand: usage: command [-pVv] command [arg ...]\n`);
        return 2;
      }
    }
  }
  const rest = argv.slice(i);
  if (rest.length === 0) return 0;
  if (mode === 'run') return host.invoke(rest, ctx, true);
  if (mode === 'V') return type(['type', ...rest], call);
  let status = 0;
  for (const name of rest) {
    const kind = kindOf(name, call);
    if (kind === null) status = 1;
    else io.out((kind === 'file' ? host.commandPath(name) : name) + '\n');
  }
  return status;
};

/**
 * `exec CMD ARGS`: the command replaces the shell, so the shell ends with its status when it
 * returns (`sh -c 'setup && exec server'`, the entrypoint idiom). Without a command, only
 * redirections (`exec >file`), which the simulator does not keep: nothing happens.
 */
const execBuiltin: Builtin = async (argv, { host, ctx }) => {
  let i = 1;
  if (argv[i] === '--') i++;
  const rest = argv.slice(i);
  if (rest.length === 0) return 0;
  throw new ShellExit(await host.invoke(rest, ctx, true));
};

// ---------------------------------------------------------------------------------------------
// The table

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  [':', () => 0],
  ['true', () => 0],
  ['false', () => 1],
  ['.', source],
  ['[', test],
  ['break', loopControl('break')],
  ['cd', cd],
  ['command', command],
  ['continue', loopControl('continue')],
  ['echo', echo],
  ['eval', evalBuiltin],
  ['exec', execBuiltin],
  ['exit', exit],
  ['export', exportBuiltin],
  ['let', letBuiltin],
  ['local', local],
  ['printf', printf],
  ['pwd', pwd],
  ['read', read],
  ['return', returnBuiltin],
  ['set', set],
  ['shift', shift],
  ['source', source],
  ['test', test],
  ['type', type],
  ['unset', unset],
]);

/** Names of the builtins, sorted (for completion and `type`). */
export const BUILTIN_NAMES: readonly string[] = [...BUILTINS.keys()].sort();
