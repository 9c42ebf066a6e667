/**
 * Tokenizer of the shell language.
 *
 * Like bash's own reader it is pulled one token at a time by the parser, so a syntax error in an
 * earlier token is reported before an unterminated quote further on is noticed. Words are split
 * into parts (literal, quoted, expansions) as they are read; command substitutions are parsed
 * right away through the {@link SubParser} hook (so `$(...)` finds its closing parenthesis the way
 * bash does: by parsing the commands inside it).
 *
 * Two exceptions travel out of the lexer and the parser:
 * - {@link IncompleteInput}: the text ends where more text could complete it (open quote,
 *   trailing backslash, unterminated here-document...). A terminal asks for another line.
 * - {@link ShellSyntaxError}: an unexpected token; bash prints
 *   `bash: syntax error near unexpected token `X'` and the status is 2.
 */

import type {
  HereDoc,
  ParamOp,
  Program,
  RedirectOp,
  WordPart,
} from './ast.ts';

// ---------------------------------------------------------------------------------------------
// Errors

/** A syntax error at a token; `message` is bash's wording. */
export class ShellSyntaxError extends Error {
  /** The offending token as bash prints it (`newline` for an end of line / end of input). */
  readonly token: string;
  /** Offset of the token in the source being parsed (-1 when unknown). */
  readonly pos: number;
  constructor(token: string, pos: number, message?: string) {
    super(message ?? `bash: syntax error near unexpected token \`${token}'`);
    this.token = token;
    this.pos = pos;
  }
}

/** The input ends too early; more lines could complete it. */
export class IncompleteInput extends Error {
  /** What bash prints when the input really ends here (e.g. `bash -c` on this text). */
  readonly eofMessage: string;
  /** True for an unterminated here-document (bash runs those with a warning at a real EOF). */
  readonly heredoc: boolean;
  constructor(eofMessage: string, heredoc = false) {
    super(eofMessage);
    this.eofMessage = eofMessage;
    this.heredoc = heredoc;
  }
}

export function unexpectedEof(): IncompleteInput {
  return new IncompleteInput('bash: syntax error: unexpected end of file');
}

function unmatched(ch: string): IncompleteInput {
  return new IncompleteInput(`bash: unexpected EOF while looking for matching \`${ch}'`);
}

// ---------------------------------------------------------------------------------------------
// Tokens

export type OperatorText =
  | ';' | ';;' | ';&' | ';;&'
  | '&' | '&&' | '|' | '||' | '|&'
  | '(' | ')'
  | RedirectOp;

export const REDIRECT_OPS: ReadonlySet<string> = new Set<RedirectOp>([
  '<', '>', '>>', '>|', '<>', '<<', '<<-', '<<<', '<&', '>&', '&>', '&>>',
]);

export interface WordToken {
  readonly kind: 'word';
  /** Source text with line continuations (backslash-newline) removed. */
  readonly raw: string;
  readonly parts: readonly WordPart[];
  /** Set on the delimiter word after `<<` / `<<-`. */
  readonly heredoc: HereDoc | null;
  readonly start: number;
  readonly end: number;
}

export type Token =
  | WordToken
  | { readonly kind: 'op'; readonly op: OperatorText; readonly start: number; readonly end: number }
  | { readonly kind: 'ionumber'; readonly fd: number; readonly start: number; readonly end: number }
  /** `end` is past the here-document bodies that follow the line. */
  | { readonly kind: 'newline'; readonly start: number; readonly end: number }
  | {
      readonly kind: 'arithcmd';
      readonly source: string;
      readonly parts: readonly WordPart[];
      readonly start: number;
      readonly end: number;
    }
  /** The `)` that closes a `$(`: the end of a nested input. */
  | { readonly kind: 'close'; readonly start: number; readonly end: number }
  | { readonly kind: 'eof'; readonly start: number; readonly end: number };

/** How bash names a token in `syntax error near unexpected token `X'`. */
export function tokenText(t: Token): string {
  switch (t.kind) {
    case 'word':
      return t.raw;
    case 'op':
      return t.op;
    case 'ionumber':
      return String(t.fd);
    case 'arithcmd':
      return '((';
    case 'close':
      return ')';
    case 'newline':
    case 'eof':
      return 'newline';
  }
}

/** Parses the commands of a substitution; implemented by the parser. */
export interface SubParser {
  /** Parse from `start` (just after `$(`) to the matching `)`; `end` is past the `)`. */
  parseNested(src: string, start: number): { program: Program; end: number };
  /** Parse a whole string (a backquoted command); an incomplete one is a syntax error. */
  parseStandalone(src: string): Program;
}

export interface LexerOptions {
  readonly sub: SubParser;
  /** Inside `$(...)`: the unmatched `)` ends the input (token `close`). */
  readonly nested?: boolean;
  /** A here-document still open at the end of the input ends there (bash's behaviour on a real EOF). */
  readonly eofEndsHeredoc?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Character classes

/** Characters that end an unquoted word (bash's metacharacters). */
function isMeta(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|' ||
    c === '(' || c === ')' || c === '<' || c === '>';
}

export function isNameStart(c: string | undefined): boolean {
  return c !== undefined && /^[A-Za-z_]$/.test(c);
}

export function isNameChar(c: string | undefined): boolean {
  return c !== undefined && /^[A-Za-z0-9_]$/.test(c);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

const SPECIAL_PARAMS = '@*#?$!-0';

// ---------------------------------------------------------------------------------------------
// Word scanner

/**
 * Where a word is being read:
 * - `word`: an ordinary unquoted word, ended by a metacharacter;
 * - `dquote`: inside `"..."`, ended by `"`;
 * - `heredoc`: an unquoted here-document body (like `dquote`, but `"` is an ordinary character);
 * - `param` / `param-dq`: the argument of `${NAME op ARG}` outside / inside double quotes;
 * - `arith`: the text of `$((...))` (quotes are removed; nothing ends it but its end).
 */
type ScanMode = 'word' | 'dquote' | 'heredoc' | 'param' | 'param-dq' | 'arith';

/** Collects parts, merging neighbouring literal (or quoted) text. */
class PartsBuilder {
  readonly parts: WordPart[] = [];

  literal(text: string): void {
    const last = this.parts[this.parts.length - 1];
    if (last && last.type === 'literal') {
      this.parts[this.parts.length - 1] = { type: 'literal', text: last.text + text };
    } else {
      this.parts.push({ type: 'literal', text });
    }
  }

  /** Quoted text; an empty string is kept (it makes `''` an argument). */
  quoted(text: string): void {
    const last = this.parts[this.parts.length - 1];
    if (last && last.type === 'quoted') {
      this.parts[this.parts.length - 1] = { type: 'quoted', text: last.text + text };
    } else {
      this.parts.push({ type: 'quoted', text });
    }
  }

  add(part: WordPart): void {
    this.parts.push(part);
  }
}

/** Reads the parts of one word (or of a quoted string, heredoc body, `${}` argument...). */
class WordScanner {
  readonly src: string;
  pos: number;
  private readonly sub: SubParser;
  /** Assignment value: a `~` after `:` is a tilde prefix too (`PATH=~/bin:~/sbin`). */
  private readonly assignment: boolean;

  constructor(src: string, pos: number, sub: SubParser, assignment = false) {
    this.src = src;
    this.pos = pos;
    this.sub = sub;
    this.assignment = assignment;
  }

  /** Reads until the end of the construct for `mode`; `stops` are extra terminators (`/`, `:`). */
  scan(mode: ScanMode, stops = ''): WordPart[] {
    const b = new PartsBuilder();
    const src = this.src;
    const inQuotes = mode === 'dquote' || mode === 'heredoc' || mode === 'param-dq';
    if (mode === 'word' && src[this.pos] === '~') this.tilde(b, mode);
    while (this.pos < src.length) {
      const c = src[this.pos]!;
      if (mode === 'word' && isMeta(c)) break;
      if (mode === 'dquote' && c === '"') break;
      if ((mode === 'param' || mode === 'param-dq') && (c === '}' || stops.includes(c))) break;

      if (c === '\\') {
        this.backslash(b, mode);
        continue;
      }
      if (c === "'" && !inQuotes) {
        const close = src.indexOf("'", this.pos + 1);
        if (close < 0) throw unmatched("'");
        b.quoted(src.slice(this.pos + 1, close));
        this.pos = close + 1;
        continue;
      }
      if (c === '"' && mode !== 'heredoc' && mode !== 'dquote') {
        this.pos++;
        const inner = this.scan('dquote');
        if (src[this.pos] !== '"') throw unmatched('"');
        this.pos++;
        b.add({ type: 'double', parts: inner });
        continue;
      }
      if (c === '`') {
        b.add(this.backquote(inQuotes));
        continue;
      }
      if (c === '$') {
        this.dollar(b, mode);
        continue;
      }
      // Plain text inside "${X%.*}" stays unquoted: the pattern is active even in double quotes
      // (a default value there is still protected, because the whole expansion is quoted).
      if (inQuotes && mode !== 'param-dq') b.quoted(c);
      else b.literal(c);
      this.pos++;
      if (this.assignment && c === ':' && mode === 'word' && src[this.pos] === '~') {
        this.tilde(b, mode);
      }
    }
    if (this.pos >= src.length) {
      if (mode === 'dquote') throw unmatched('"');
      if (mode === 'param' || mode === 'param-dq') throw unmatched('}');
    }
    return b.parts;
  }

  /** `~`, `~/x`, `~+`, `~-`, `~user` at the start of a word (only when entirely unquoted). */
  private tilde(b: PartsBuilder, mode: ScanMode): void {
    const src = this.src;
    let p = this.pos + 1;
    while (p < src.length) {
      const c = src[p]!;
      if (c === '/' || (mode === 'word' && isMeta(c)) || (this.assignment && c === ':')) break;
      if (c === '\\' || c === "'" || c === '"' || c === '$' || c === '`') return;
      p++;
    }
    const user = src.slice(this.pos + 1, p);
    if (user !== '' && user !== '+' && user !== '-' && !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(user)) return;
    b.add({ type: 'tilde', user });
    this.pos = p;
  }

  private backslash(b: PartsBuilder, mode: ScanMode): void {
    const src = this.src;
    const next = src[this.pos + 1];
    if (next === undefined) {
      // A trailing backslash: in a word it continues the line (bash prompts for more).
      if (mode === 'word' || mode === 'dquote' || mode === 'param' || mode === 'param-dq') {
        throw unexpectedEof();
      }
      b.quoted('\\');
      this.pos++;
      return;
    }
    if (next === '\n') {
      // Line continuation: backslash-newline disappears (not in single quotes, handled elsewhere).
      if (this.pos + 2 >= src.length && mode !== 'heredoc' && mode !== 'arith') throw unexpectedEof();
      this.pos += 2;
      return;
    }
    this.pos += 2;
    if (mode === 'word' || mode === 'param' || mode === 'arith') {
      b.quoted(next);
      return;
    }
    // Inside double quotes a backslash only escapes $ ` " \ (and newline); elsewhere it stays.
    const special = mode === 'heredoc' ? '$`\\' : mode === 'param-dq' ? '$`"\\}' : '$`"\\';
    if (special.includes(next)) {
      b.quoted(next);
    } else if (mode === 'param-dq') {
      // In "${X#a\*}" the backslash still quotes `*` for the pattern, while "${X:-a\b}" keeps
      // it: leave both characters unquoted and let the pattern (or quoted context) decide.
      b.literal('\\' + next);
    } else {
      b.quoted('\\' + next);
    }
  }

  /** `` `...` ``: inside, backslash escapes only $ ` \ (and " within double quotes). */
  private backquote(inDoubleQuotes: boolean): WordPart {
    const src = this.src;
    let p = this.pos + 1;
    let inner = '';
    for (;;) {
      if (p >= src.length) throw unmatched('`');
      const c = src[p]!;
      if (c === '`') break;
      if (c === '\\' && p + 1 < src.length) {
        const n = src[p + 1]!;
        if (n === '$' || n === '`' || n === '\\' || (inDoubleQuotes && n === '"')) {
          inner += n;
          p += 2;
          continue;
        }
        if (n === '\n') {
          p += 2;
          continue;
        }
      }
      inner += c;
      p++;
    }
    this.pos = p + 1;
    return { type: 'command', program: this.sub.parseStandalone(inner), source: inner };
  }

  private dollar(b: PartsBuilder, mode: ScanMode): void {
    const src = this.src;
    const inQuotes = mode === 'dquote' || mode === 'heredoc' || mode === 'param-dq';
    const n = src[this.pos + 1];
    if (n === '{') {
      b.add(this.brace(mode === 'dquote' || mode === 'param-dq' || mode === 'heredoc'));
      return;
    }
    if (n === '(') {
      if (src[this.pos + 2] === '(') {
        const arith = this.arith();
        if (arith) {
          b.add(arith);
          return;
        }
      }
      const start = this.pos + 2;
      const { program, end } = this.sub.parseNested(src, start);
      b.add({ type: 'command', program, source: src.slice(start, end - 1) });
      this.pos = end;
      return;
    }
    if (n === "'" && !inQuotes) {
      b.quoted(this.ansiC());
      return;
    }
    if (n === '"' && !inQuotes) {
      // $"..." (locale translation) is an ordinary double-quoted string here.
      this.pos++;
      return;
    }
    if (isNameStart(n)) {
      let p = this.pos + 1;
      while (isNameChar(src[p])) p++;
      const name = src.slice(this.pos + 1, p);
      b.add(simpleParam(name, src.slice(this.pos, p)));
      this.pos = p;
      return;
    }
    if (n !== undefined && (isDigit(n) || SPECIAL_PARAMS.includes(n))) {
      // $1 is one digit: $10 is ${1}0.
      b.add(simpleParam(n, '$' + n));
      this.pos += 2;
      return;
    }
    // A lone `$` is literal.
    if (inQuotes) b.quoted('$');
    else b.literal('$');
    this.pos++;
  }

  /** `$'...'`: ANSI-C escapes. */
  private ansiC(): string {
    const src = this.src;
    let p = this.pos + 2;
    let out = '';
    for (;;) {
      if (p >= src.length) throw unmatched("'");
      const c = src[p]!;
      if (c === "'") break;
      if (c !== '\\') {
        out += c;
        p++;
        continue;
      }
      const e = src[p + 1];
      if (e === undefined) throw unmatched("'");
      p += 2;
      const simple: Record<string, string> = {
        n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v',
        '\\': '\\', "'": "'", '"': '"', '?': '?',
      };
      if (e in simple) {
        out += simple[e];
      } else if (e >= '0' && e <= '7') {
        let digits = e;
        while (digits.length < 3 && /[0-7]/.test(src[p] ?? '')) digits += src[p++];
        out += String.fromCharCode(parseInt(digits, 8) & 0xff);
      } else if (e === 'x' && /[0-9A-Fa-f]/.test(src[p] ?? '')) {
        let digits = '';
        while (digits.length < 2 && /[0-9A-Fa-f]/.test(src[p] ?? '')) digits += src[p++];
        out += String.fromCharCode(parseInt(digits, 16));
      } else if ((e === 'u' || e === 'U') && /[0-9A-Fa-f]/.test(src[p] ?? '')) {
        let digits = '';
        const max = e === 'u' ? 4 : 8;
        while (digits.length < max && /[0-9A-Fa-f]/.test(src[p] ?? '')) digits += src[p++];
        const code = parseInt(digits, 16);
        out += code <= 0x10ffff ? String.fromCodePoint(code) : '';
      } else if (e === 'c' && p < src.length && src[p] !== "'") {
        out += String.fromCharCode(src.charCodeAt(p) & 0x1f);
        p++;
      } else {
        out += '\\' + e;
      }
    }
    this.pos = p + 1;
    return out;
  }

  /**
   * `$((...))`: returns null when the text is not arithmetic after all (bash then reads a command
   * substitution starting with a subshell, as in `$((cd /; pwd) )`).
   */
  private arith(): WordPart | null {
    const src = this.src;
    const close = findArithEnd(src, this.pos + 3);
    if (close === -1) return null;
    if (close === -2) throw unmatched(')');
    const source = src.slice(this.pos + 3, close);
    const parts = new WordScanner(source, 0, this.sub).scan('arith');
    this.pos = close + 2;
    return { type: 'arith', parts, source };
  }

  /** `${...}` */
  private brace(inDoubleQuotes: boolean): WordPart {
    const src = this.src;
    const start = this.pos;
    let p = this.pos + 2;
    const argMode: ScanMode = inDoubleQuotes ? 'param-dq' : 'param';
    let length = false;
    // ${#NAME} is a length; ${#} is $#; ${#-x} etc. are operators on $#.
    if (src[p] === '#' && src[p + 1] !== '}') {
      const nameEnd = readParamName(src, p + 1);
      if (nameEnd > p + 1 && src[nameEnd] === '}') {
        length = true;
        p++;
      }
    }
    const nameEnd = readParamName(src, p);
    const name = src.slice(p, nameEnd);
    p = nameEnd;
    if (name === '') return this.badSubst(start);
    if (length) {
      this.pos = p + 1;
      return { type: 'param', name, length: true, op: null, arg: null, arg2: null, raw: src.slice(start, this.pos) };
    }
    const c = src[p];
    if (c === undefined) throw unmatched('}');
    if (c === '}') {
      this.pos = p + 1;
      return simpleParam(name, src.slice(start, this.pos));
    }
    let op: ParamOp;
    const two = src.slice(p, p + 2);
    if (two === ':-' || two === ':=' || two === ':+' || two === ':?') {
      op = two;
      p += 2;
    } else if (c === ':') {
      op = ':';
      p += 1;
    } else if (c === '-' || c === '=' || c === '+' || c === '?') {
      op = c;
      p += 1;
    } else if (c === '#' || c === '%' || c === '^' || c === ',') {
      op = (src[p + 1] === c ? c + c : c) as ParamOp;
      p += op.length;
    } else if (c === '/') {
      const n = src[p + 1];
      op = n === '/' ? '//' : n === '#' ? '/#' : n === '%' ? '/%' : '/';
      p += op.length;
    } else {
      return this.badSubst(start);
    }
    this.pos = p;
    let arg: WordPart[];
    let arg2: WordPart[] | null = null;
    if (op === ':') {
      arg = this.scan(argMode, ':');
      if (src[this.pos] === ':') {
        this.pos++;
        arg2 = this.scan(argMode);
      }
    } else if (op[0] === '/') {
      arg = this.scan(argMode, '/');
      if (src[this.pos] === '/') {
        this.pos++;
        arg2 = this.scan(argMode);
      }
    } else {
      arg = this.scan(argMode);
    }
    if (src[this.pos] !== '}') throw unmatched('}');
    this.pos++;
    return { type: 'param', name, length: false, op, arg, arg2, raw: src.slice(start, this.pos) };
  }

  /** Skips to the `}` that closes a `${` bash cannot parse; reported when expanded. */
  private badSubst(start: number): WordPart {
    const src = this.src;
    let p = start + 2;
    let depth = 0;
    for (;;) {
      if (p >= src.length) throw unmatched('}');
      const c = src[p]!;
      if (c === '\\') {
        p += 2;
        continue;
      }
      if (c === "'") {
        const close = src.indexOf("'", p + 1);
        if (close < 0) throw unmatched("'");
        p = close + 1;
        continue;
      }
      if (c === '{') depth++;
      if (c === '}') {
        if (depth === 0) break;
        depth--;
      }
      p++;
    }
    this.pos = p + 1;
    return { type: 'badsubst', raw: src.slice(start, this.pos) };
  }
}

function simpleParam(name: string, raw: string): WordPart {
  return { type: 'param', name, length: false, op: null, arg: null, arg2: null, raw };
}

/** End of a parameter name at `p`: an identifier, a number, or one special character. */
function readParamName(src: string, p: number): number {
  if (isNameStart(src[p])) {
    let q = p + 1;
    while (isNameChar(src[q])) q++;
    return q;
  }
  if (isDigit(src[p])) {
    let q = p + 1;
    while (isDigit(src[q])) q++;
    return q;
  }
  if (src[p] !== undefined && SPECIAL_PARAMS.includes(src[p]!)) return p + 1;
  return p;
}

/**
 * Finds the `))` closing an arithmetic expression whose text starts at `from`.
 * Returns its offset, -1 when a `)` at depth 0 is not followed by `)` (not arithmetic),
 * or -2 when the input ends first.
 */
function findArithEnd(src: string, from: number): number {
  let depth = 0;
  let p = from;
  while (p < src.length) {
    const c = src[p]!;
    if (c === '\\') {
      p += 2;
      continue;
    }
    if (c === "'" || c === '"') {
      const close = src.indexOf(c, p + 1);
      if (close < 0) return -2;
      p = close + 1;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return src[p + 1] === ')' ? p : p + 1 >= src.length ? -2 : -1;
      depth--;
    }
    p++;
  }
  return -2;
}

/** Parses assignment value text (`~` after `=` and `:` is expanded, nothing ends it early). */
export function scanAssignmentValue(text: string, sub: SubParser): WordPart[] {
  const scanner = new WordScanner(text, 0, sub, true);
  return scanner.scan('word');
}

/** Parses arithmetic text (a `for ((...))` clause) into parts. */
export function scanArithText(text: string, sub: SubParser): WordPart[] {
  return new WordScanner(text, 0, sub).scan('arith');
}

/** Removes quotes from a here-document delimiter word as bash does (no expansion). */
function dequoteDelimiter(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length) {
      out += raw[++i];
    } else if (c === "'") {
      const close = raw.indexOf("'", i + 1);
      const end = close < 0 ? raw.length : close;
      out += raw.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      i++;
      while (i < raw.length && raw[i] !== '"') {
        if (raw[i] === '\\' && i + 1 < raw.length && '$`"\\'.includes(raw[i + 1]!)) i++;
        out += raw[i];
        i++;
      }
    } else if (c === '$' && (raw[i + 1] === "'" || raw[i + 1] === '"')) {
      // $'EOF' / $"EOF": the quotes are what matters here.
    } else {
      out += c;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Lexer

export class Lexer {
  readonly src: string;
  pos: number;
  private readonly opts: LexerOptions;
  /** Parenthesis depth inside a `$(...)`. */
  private depth = 0;
  /** Here-documents whose bodies start after the next newline. */
  private pendingHeredocs: HereDoc[] = [];
  /** The last token was `<<` or `<<-`: the next word is a delimiter. */
  private delimiterFor: { stripTabs: boolean } | null = null;
  /** Set by the parser around a `case` pattern: the next `)` belongs to it, not to `$(`. */
  casePatternParen = false;
  /** Inside `$(...)`: set once the closing `)` was read. */
  closed = false;
  /** Warnings bash prints while reading (here-document ended by end of input). */
  readonly warnings: string[] = [];

  constructor(src: string, pos: number, opts: LexerOptions) {
    this.src = src;
    this.pos = pos;
    this.opts = opts;
  }

  /** Scans a `for ((...))` clause or any other standalone arithmetic text. */
  scanArith(text: string): WordPart[] {
    return scanArithText(text, this.opts.sub);
  }

  /** Scans an assignment's value text. */
  scanAssignmentValue(text: string): WordPart[] {
    return scanAssignmentValue(text, this.opts.sub);
  }

  next(): Token {
    const src = this.src;
    if (this.closed) return { kind: 'close', start: this.pos, end: this.pos };
    // Blanks, line continuations and comments between tokens.
    for (;;) {
      const c = src[this.pos];
      if (c === ' ' || c === '\t') {
        this.pos++;
      } else if (c === '\\' && src[this.pos + 1] === '\n') {
        // Line continuation; at the very end of the input the next line is still to come.
        if (this.pos + 2 >= src.length) throw unexpectedEof();
        this.pos += 2;
      } else if (c === '#') {
        while (this.pos < src.length && src[this.pos] !== '\n') this.pos++;
      } else {
        break;
      }
    }
    const start = this.pos;
    if (start >= src.length) {
      if (this.pendingHeredocs.length > 0) this.readHeredocBodies();
      return { kind: 'eof', start, end: start };
    }
    const c = src[start]!;
    if (c === '\n') {
      this.pos++;
      this.delimiterFor = null;
      this.readHeredocBodies();
      return { kind: 'newline', start, end: this.pos };
    }
    if (c === ')' && this.opts.nested && this.depth === 0 && !this.casePatternParen) {
      this.pos++;
      this.closed = true;
      return { kind: 'close', start, end: this.pos };
    }
    const op = this.operator();
    if (op !== null) {
      this.delimiterFor = null;
      if (op === '(' && src[start + 1] === '(') {
        const arith = this.arithCommand(start);
        if (arith) return arith;
      }
      this.pos = start + op.length;
      if (op === '(') this.depth++;
      if (op === ')') {
        if (this.casePatternParen) this.casePatternParen = false;
        else this.depth--;
      }
      if (op === '<<' || op === '<<-') this.delimiterFor = { stripTabs: op === '<<-' };
      return { kind: 'op', op, start, end: this.pos };
    }
    // A word; all digits right before < or > is a file descriptor number.
    const scanner = new WordScanner(src, start, this.opts.sub);
    const parts = scanner.scan('word');
    this.pos = scanner.pos;
    const raw = src.slice(start, this.pos).replace(/\\\n/g, '');
    if (/^[0-9]+$/.test(raw) && (src[this.pos] === '<' || src[this.pos] === '>') && this.delimiterFor === null) {
      return { kind: 'ionumber', fd: Number(raw), start, end: this.pos };
    }
    let heredoc: HereDoc | null = null;
    if (this.delimiterFor) {
      heredoc = {
        delimiter: dequoteDelimiter(raw),
        quoted: /['"\\]/.test(raw),
        stripTabs: this.delimiterFor.stripTabs,
        body: '',
        parts: null,
      };
      this.pendingHeredocs.push(heredoc);
      this.delimiterFor = null;
    }
    return { kind: 'word', raw, parts, heredoc, start, end: this.pos };
  }

  private operator(): OperatorText | null {
    const s = this.src.slice(this.pos, this.pos + 3);
    const candidates: readonly OperatorText[] = [
      ';;&', '<<<', '<<-', '&>>',
      ';;', ';&', '&&', '||', '|&', '&>', '<<', '<&', '<>', '>>', '>&', '>|',
      ';', '&', '|', '(', ')', '<', '>',
    ];
    for (const op of candidates) if (s.startsWith(op)) return op;
    return null;
  }

  /** `(( expr ))` as a command; null when the parentheses do not close as `))`. */
  private arithCommand(start: number): Token | null {
    const close = findArithEnd(this.src, start + 2);
    if (close === -2) throw unmatched(')');
    if (close === -1) return null;
    const source = this.src.slice(start + 2, close);
    this.pos = close + 2;
    return { kind: 'arithcmd', source, parts: this.scanArith(source), start, end: this.pos };
  }

  /**
   * The word after `=~` in `[[ ]]`: bash reads it specially, so `(`, `)` and `|` are part of the
   * regular expression. It ends at unquoted whitespace outside parentheses.
   */
  readRegexWord(): WordToken | null {
    const src = this.src;
    while (src[this.pos] === ' ' || src[this.pos] === '\t') this.pos++;
    const start = this.pos;
    let depth = 0;
    while (this.pos < src.length) {
      const c = src[this.pos]!;
      if (c === '\\') {
        this.pos += 2;
        continue;
      }
      if (c === "'" || c === '"') {
        const close = src.indexOf(c, this.pos + 1);
        if (close < 0) throw unmatched(c);
        this.pos = close + 1;
        continue;
      }
      if (c === '(') depth++;
      if (c === ')') {
        if (depth === 0) break;
        depth--;
      }
      if ((c === ' ' || c === '\t' || c === '\n') && depth === 0) break;
      this.pos++;
    }
    if (this.pos > src.length) this.pos = src.length;
    if (this.pos === start) return null;
    const raw = src.slice(start, this.pos);
    return { kind: 'word', raw, parts: this.scanArith(raw), heredoc: null, start, end: this.pos };
  }

  /** After a newline: read the bodies of the here-documents opened on that line, in order. */
  private readHeredocBodies(): void {
    const src = this.src;
    const docs = this.pendingHeredocs;
    this.pendingHeredocs = [];
    for (const doc of docs) {
      const bodyStart = this.pos;
      const lines: string[] = [];
      let found = false;
      while (this.pos < src.length) {
        const eol = src.indexOf('\n', this.pos);
        const lineEnd = eol < 0 ? src.length : eol;
        let line = src.slice(this.pos, lineEnd);
        this.pos = eol < 0 ? src.length : eol + 1;
        if (doc.stripTabs) line = line.replace(/^\t+/, '');
        if (line === doc.delimiter) {
          found = true;
          break;
        }
        lines.push(line);
      }
      if (!found) {
        // The line of the `<<` operator: the one ended by the newline before the body.
        const before = src.slice(0, bodyStart);
        const line = before.split('\n').length - (before.endsWith('\n') ? 1 : 0);
        const warning =
          `bash: warning: here-document at line ${line} delimited by end-of-file (wanted \`${doc.delimiter}')`;
        if (!this.opts.eofEndsHeredoc) throw new IncompleteInput(warning, true);
        this.warnings.push(warning);
      }
      doc.body = lines.map((l) => l + '\n').join('');
      if (!doc.quoted) {
        try {
          doc.parts = new WordScanner(doc.body, 0, this.opts.sub).scan('heredoc');
        } catch (e) {
          // The body is complete; an unterminated `$(` in it is an error, not a reason to wait.
          if (e instanceof IncompleteInput) throw new ShellSyntaxError('newline', this.pos, e.eofMessage);
          throw e;
        }
      }
    }
  }
}
