/**
 * Word expansion, in bash's order: tilde, parameter, command substitution and arithmetic (left
 * to right), then field splitting of unquoted expansion results on IFS, then pathname expansion
 * of fields with an unquoted `*`, `?` or `[` (sorted matches; a pattern that matches nothing
 * stays as written, bash's default), then quote removal.
 */

import type { ParamPart, Program, Word, WordPart } from './ast.ts';

/** What expansion needs from the shell. */
export interface ExpandEnv {
  /** A shell variable (not a special parameter); undefined when unset. */
  getVar(name: string): string | undefined;
  /** Assigns a variable (`${X:=v}`, arithmetic assignment). */
  setVar(name: string, value: string): void;
  /** `$?`, `$$`, `$!`, `$-`, `$0`. */
  special(name: '?' | '$' | '!' | '-' | '0'): string;
  positional(): readonly string[];
  /** Runs a command substitution; resolves to its standard output (trailing newlines kept). */
  commandSubst(program: Program): Promise<string>;
  /** The filesystem pathname expansion reads: names in a directory (null when unreadable). */
  readonly files?: GlobFiles;
}

/** What globbing needs: a directory's entries, and whether a path exists. */
export interface GlobFiles {
  list(dir: string): readonly string[] | null;
  exists(path: string): boolean;
}

/** An expansion error: bash prints `message` and abandons the command line (status 1). */
export class ExpansionError extends Error {
  readonly status: number;
  constructor(message: string, status = 1) {
    super(message);
    this.status = status;
  }
}

// ---------------------------------------------------------------------------------------------
// Pieces: expanded text that remembers its quoting

/**
 * A piece of expanded text. `split`: an unquoted expansion result, subject to field splitting.
 * `quoted`: protected text (an empty quoted piece still makes an argument). A `break` forces a
 * field boundary (between the elements of "$@").
 */
type Piece = { readonly text: string; readonly quoted: boolean; readonly split: boolean } | { readonly break: true };

const DEFAULT_IFS = ' \t\n';

function ifsOf(env: ExpandEnv): string {
  const v = env.getVar('IFS');
  return v === undefined ? DEFAULT_IFS : v;
}

async function expandParts(parts: readonly WordPart[], env: ExpandEnv, inDq: boolean): Promise<Piece[]> {
  const out: Piece[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'literal':
        out.push({ text: part.text, quoted: inDq, split: false });
        break;
      case 'quoted':
        out.push({ text: part.text, quoted: true, split: false });
        break;
      case 'double': {
        const inner = await expandParts(part.parts, env, true);
        // "" is an argument; "$@" with no positional parameters is none (bash).
        const hasAt = part.parts.some((p) => p.type === 'param' && p.name === '@' && p.op === null && !p.length);
        if (!hasAt) out.push({ text: '', quoted: true, split: false });
        out.push(...inner);
        break;
      }
      case 'tilde':
        out.push({ text: tildeValue(part.user, env), quoted: true, split: false });
        break;
      case 'param':
        out.push(...(await expandParam(part, env, inDq)));
        break;
      case 'badsubst':
        throw new ExpansionError(`bash: ${part.raw}: bad substitution`);
      case 'command': {
        const output = await env.commandSubst(part.program);
        out.push({ text: output.replace(/\n+$/, ''), quoted: inDq, split: !inDq });
        break;
      }
      case 'arith': {
        const text = await expandToString(part.parts, env);
        out.push({ text: evalArith(text, env).toString(), quoted: inDq, split: !inDq });
        break;
      }
    }
  }
  return out;
}

function tildeValue(user: string, env: ExpandEnv): string {
  if (user === '') return env.getVar('HOME') ?? '~';
  if (user === '+') return env.getVar('PWD') ?? '~+';
  if (user === '-') return env.getVar('OLDPWD') ?? '~-';
  if (user === 'root') return '/root';
  return '~' + user;
}

// ---------------------------------------------------------------------------------------------
// Parameters

/** The value of a parameter, undefined when unset. */
function lookup(name: string, env: ExpandEnv): string | undefined {
  if (/^[0-9]+$/.test(name)) {
    const n = Number(name);
    if (n === 0) return env.special('0');
    return env.positional()[n - 1];
  }
  switch (name) {
    case '?':
    case '$':
    case '-':
    case '0':
      return env.special(name);
    case '!': {
      const v = env.special('!');
      return v === '' ? undefined : v;
    }
    case '#':
      return String(env.positional().length);
    case '@':
    case '*': {
      const p = env.positional();
      return p.length === 0 ? undefined : p.join(name === '*' ? ifsJoiner(env) : ' ');
    }
    default:
      return env.getVar(name);
  }
}

/** "$*" joins with the first character of IFS (a space when IFS is unset, nothing when empty). */
function ifsJoiner(env: ExpandEnv): string {
  const ifs = env.getVar('IFS');
  return ifs === undefined ? ' ' : ifs.slice(0, 1);
}

async function expandParam(p: ParamPart, env: ExpandEnv, inDq: boolean): Promise<Piece[]> {
  const name = p.name;
  const plain = (text: string): Piece[] => [{ text, quoted: inDq, split: !inDq }];

  if (p.length) {
    if (name === '@' || name === '*') return plain(String(env.positional().length));
    return plain(String([...(lookup(name, env) ?? '')].length));
  }

  // $@ and $* expand to one field per positional parameter.
  if ((name === '@' || name === '*') && p.op === null) {
    const params = env.positional();
    if (inDq && name === '*') return [{ text: params.join(ifsJoiner(env)), quoted: true, split: false }];
    const out: Piece[] = [];
    params.forEach((v, i) => {
      if (i > 0) out.push({ break: true });
      out.push({ text: v, quoted: inDq, split: !inDq });
    });
    return out;
  }

  const value = lookup(name, env);
  const isNull = value === undefined || value === '';
  switch (p.op) {
    case null:
      return plain(value ?? '');
    case ':-':
    case '-': {
      const useDefault = p.op === ':-' ? isNull : value === undefined;
      return useDefault ? argPieces(p.arg, env, inDq) : plain(value ?? '');
    }
    case ':=':
    case '=': {
      const useDefault = p.op === ':=' ? isNull : value === undefined;
      if (!useDefault) return plain(value ?? '');
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new ExpansionError(`bash: $${name}: cannot assign in this way`);
      }
      const v = await expandToString(p.arg ?? [], env);
      env.setVar(name, v);
      return plain(v);
    }
    case ':+':
    case '+': {
      const useAlt = p.op === ':+' ? !isNull : value !== undefined;
      return useAlt ? argPieces(p.arg, env, inDq) : [];
    }
    case ':?':
    case '?': {
      const fails = p.op === ':?' ? isNull : value === undefined;
      if (!fails) return plain(value ?? '');
      const msg = p.arg && p.arg.length > 0
        ? await expandToString(p.arg, env)
        : p.op === ':?' ? 'parameter null or not set' : 'parameter not set';
      throw new ExpansionError(`bash: ${name}: ${msg}`);
    }
    case '#':
    case '##':
    case '%':
    case '%%': {
      const v = value ?? '';
      const re = patternRegexBody(await expandPattern(p.arg ?? [], env));
      return plain(removeAffix(v, re, p.op));
    }
    case '/':
    case '//':
    case '/#':
    case '/%': {
      const v = value ?? '';
      const pattern = await expandPattern(p.arg ?? [], env);
      const rep = await expandToString(p.arg2 ?? [], env);
      return plain(replacePattern(v, pattern, rep, p.op));
    }
    case ':': {
      const chars = [...(value ?? '')];
      let offset = Number(evalArith(await expandToString(p.arg ?? [], env), env));
      if (offset < 0) offset = Math.max(0, chars.length + offset);
      let end = chars.length;
      if (p.arg2 !== null) {
        const len = Number(evalArith(await expandToString(p.arg2, env), env));
        end = len < 0 ? chars.length + len : offset + len;
        if (end < offset) {
          if (len < 0) throw new ExpansionError(`bash: ${len}: substring expression < 0`);
          end = offset;
        }
      }
      return plain(chars.slice(offset, end).join(''));
    }
    case '^':
    case '^^':
    case ',':
    case ',,': {
      const v = value ?? '';
      if (v === '') return plain(v);
      if (p.op === '^^') return plain(v.toUpperCase());
      if (p.op === ',,') return plain(v.toLowerCase());
      const first = p.op === '^' ? v[0]!.toUpperCase() : v[0]!.toLowerCase();
      return plain(first + v.slice(1));
    }
  }
}

/**
 * The word of `${X:-word}` / `${X:+word}`. Unquoted, its literal text is split like any
 * expansion result (`${X:-a b}` gives two fields); inside double quotes nothing is split.
 */
async function argPieces(arg: readonly WordPart[] | null, env: ExpandEnv, inDq: boolean): Promise<Piece[]> {
  const pieces = await expandParts(arg ?? [], env, inDq);
  if (inDq) return pieces;
  return pieces.map((p) => ('break' in p || p.quoted ? p : { text: p.text, quoted: false, split: true }));
}

/** `${v#pat}` `${v##pat}` `${v%pat}` `${v%%pat}` */
function removeAffix(value: string, re: string, op: '#' | '##' | '%' | '%%'): string {
  const full = compileAnchored(re);
  const n = value.length;
  if (op === '#') {
    for (let i = 0; i <= n; i++) if (full.test(value.slice(0, i))) return value.slice(i);
  } else if (op === '##') {
    for (let i = n; i >= 0; i--) if (full.test(value.slice(0, i))) return value.slice(i);
  } else if (op === '%') {
    for (let i = n; i >= 0; i--) if (full.test(value.slice(i))) return value.slice(0, i);
  } else {
    for (let i = 0; i <= n; i++) if (full.test(value.slice(i))) return value.slice(0, i);
  }
  return value;
}

/** `${v/pat/rep}` (first), `//` (all), `/#` (at start), `/%` (at end); longest match wins. */
function replacePattern(value: string, pattern: string, rep: string, op: '/' | '//' | '/#' | '/%'): string {
  if (pattern === '') return value;
  const full = compileAnchored(patternRegexBody(pattern));
  const n = value.length;
  const longestAt = (i: number): number => {
    for (let j = n; j >= i; j--) if (full.test(value.slice(i, j))) return j;
    return -1;
  };
  if (op === '/#') {
    const j = longestAt(0);
    return j < 0 ? value : rep + value.slice(j);
  }
  if (op === '/%') {
    for (let i = 0; i <= n; i++) if (full.test(value.slice(i))) return value.slice(0, i) + rep;
    return value;
  }
  let out = '';
  let i = 0;
  let replaced = false;
  while (i <= n) {
    const j = replaced && op === '/' ? -1 : longestAt(i);
    if (j > i) {
      out += rep;
      i = j;
      replaced = true;
      continue;
    }
    if (i < n) out += value[i];
    i++;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Patterns

/** Characters that are special in a glob pattern; quoted ones are escaped with a backslash. */
const GLOB_SPECIAL = '*?[]\\';

/**
 * Expands a word used as a pattern (`case` patterns, `${v#pat}`): quoted characters are
 * escaped so they match literally, unquoted `*`, `?`, `[...]` stay active.
 */
export async function expandPattern(parts: readonly WordPart[], env: ExpandEnv): Promise<string> {
  const pieces = await expandParts(parts, env, false);
  let out = '';
  for (const piece of pieces) {
    if ('break' in piece) {
      out += ' ';
      continue;
    }
    if (piece.quoted) {
      for (const c of piece.text) out += GLOB_SPECIAL.includes(c) ? '\\' + c : c;
    } else {
      out += piece.text;
    }
  }
  return out;
}

const CHAR_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v', blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f',
  word: 'A-Za-z0-9_',
};

/**
 * Expands the right side of `[[ x =~ re ]]` into a JavaScript regular expression source:
 * quoted parts match literally, POSIX classes like `[[:digit:]]` are translated.
 */
export async function expandRegex(parts: readonly WordPart[], env: ExpandEnv): Promise<string> {
  const pieces = await expandParts(parts, env, false);
  let out = '';
  for (const piece of pieces) {
    if ('break' in piece) out += ' ';
    else if (piece.quoted) out += [...piece.text].map(escapeRegex).join('');
    else out += piece.text.replace(/\[:([a-z]+):\]/g, (m, name: string) => CHAR_CLASSES[name] ?? m);
  }
  return out;
}

/** Translates a glob pattern into the body of a regular expression. */
export function patternRegexBody(pattern: string): string {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) {
        re += '\\\\';
      } else {
        re += escapeRegex(n);
        i++;
      }
    } else if (c === '*') {
      re += '[\\s\\S]*';
    } else if (c === '?') {
      re += '[\\s\\S]';
    } else if (c === '[') {
      const cls = bracketClass(pattern, i);
      if (cls === null) {
        re += '\\[';
      } else {
        re += cls.re;
        i = cls.end;
      }
    } else {
      re += escapeRegex(c);
    }
  }
  return re;
}

/** `[abc]`, `[!a-z]`, `[^x]`, `[]x]`, `[[:digit:]]`; null when there is no closing `]`. */
function bracketClass(pattern: string, start: number): { re: string; end: number } | null {
  let i = start + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === ']' && !first) {
      if (body === '') return null;
      return { re: `[${negate ? '^' : ''}${body}]`, end: i };
    }
    first = false;
    if (c === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      if (close > 0) {
        const name = pattern.slice(i + 2, close);
        body += CHAR_CLASSES[name] ?? '';
        i = close + 2;
        continue;
      }
    }
    if (c === '\\' && i + 1 < pattern.length) {
      body += '\\' + pattern[i + 1];
      i += 2;
      continue;
    }
    if (c === '-' && body !== '' && pattern[i + 1] !== ']' && i + 1 < pattern.length) {
      body += '-';
      i++;
      continue;
    }
    body += c === '^' || c === ']' || c === '[' || c === '\\' || c === '-' ? '\\' + c : c;
    i++;
  }
  return null;
}

function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? '\\' + c : c;
}

/** True when `text` matches the glob `pattern` entirely (bash's `case` and `[[ == ]]` matching). */
export function matchPattern(text: string, pattern: string): boolean {
  return compileAnchored(patternRegexBody(pattern)).test(text);
}

/** A regular expression matching the whole string; one that cannot compile matches nothing. */
function compileAnchored(body: string): RegExp {
  try {
    return new RegExp(`^(?:${body})$`, 's');
  } catch {
    // e.g. a reversed range `[z-a]`, which bash also treats as matching nothing.
    return /(?!)/;
  }
}

// ---------------------------------------------------------------------------------------------
// Field splitting

/**
 * POSIX field splitting. IFS whitespace (space, tab, newline) separates fields and is trimmed
 * at the ends; any other IFS character ends a field on its own (so `a::b` with IFS=: is three
 * fields), absorbing adjacent IFS whitespace.
 */
function splitFields(pieces: readonly Piece[], ifs: string): string[] {
  return splitFieldsWithPatterns(pieces, ifs).map((f) => f.text);
}

/** A field, and the same field as a glob pattern (quoted characters escaped). */
interface Field {
  readonly text: string;
  readonly pattern: string;
  /** an unquoted `*`, `?` or `[` makes it a pattern */
  readonly glob: boolean;
}

const quotePattern = (t: string): string => t.replace(/[*?[\]\\]/g, '\\$&');

function splitFieldsWithPatterns(pieces: readonly Piece[], ifs: string): Field[] {
  const fields: Field[] = [];
  let cur = '';
  let pat = '';
  let glob = false;
  let has = false;
  let afterWhitespaceDelimiter = false;
  const push = (): void => {
    fields.push({ text: cur, pattern: pat, glob });
    cur = '';
    pat = '';
    glob = false;
    has = false;
  };
  for (const piece of pieces) {
    if ('break' in piece) {
      if (has) push();
      afterWhitespaceDelimiter = false;
      continue;
    }
    if (!piece.split || ifs === '') {
      cur += piece.text;
      if (piece.quoted) pat += quotePattern(piece.text);
      else {
        pat += piece.text;
        if (/[*?[]/.test(piece.text)) glob = true;
      }
      if (piece.quoted || piece.text !== '') has = true;
      if (piece.text !== '') afterWhitespaceDelimiter = false;
      continue;
    }
    for (const c of piece.text) {
      if (!ifs.includes(c)) {
        cur += c;
        pat += c;
        if (c === '*' || c === '?' || c === '[') glob = true;
        has = true;
        afterWhitespaceDelimiter = false;
      } else if (c === ' ' || c === '\t' || c === '\n') {
        if (has) {
          push();
          afterWhitespaceDelimiter = true;
        }
      } else {
        if (has || !afterWhitespaceDelimiter) push();
        afterWhitespaceDelimiter = false;
      }
    }
  }
  if (has) push();
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Entry points

/** Expands words into fields (command arguments, `for` lists), brace expansion first. */
export async function expandWords(words: readonly Word[], env: ExpandEnv): Promise<string[]> {
  const out: string[] = [];
  for (const w of words) {
    for (const parts of braceExpand(w.parts)) {
      for (const f of splitFieldsWithPatterns(await expandParts(parts, env, false), ifsOf(env))) {
        const matches = f.glob && env.files ? globPaths(f.pattern, env.files) : [];
        if (matches.length) out.push(...matches);
        else out.push(f.text);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pathname expansion

/** A component with an unescaped `*`, `?` or `[`. */
function isGlob(component: string): boolean {
  for (let i = 0; i < component.length; i++) {
    const c = component[i]!;
    if (c === '\\') i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

const unescapePattern = (t: string): string => t.replace(/\\(.)/g, '$1');

/**
 * The paths a glob pattern matches, component by component, in sorted order. A name starting
 * with a dot matches only a pattern component that starts with a dot.
 */
export function globPaths(pattern: string, files: GlobFiles): string[] {
  const absolute = pattern.startsWith('/');
  const trailingSlash = pattern.length > 1 && pattern.endsWith('/');
  const components = pattern.split('/').filter((c) => c !== '');
  let paths = [absolute ? '/' : ''];
  const join = (dir: string, name: string) => (dir === '' ? name : dir === '/' ? `/${name}` : `${dir}/${name}`);
  for (const comp of components) {
    if (!isGlob(comp)) {
      paths = paths.map((p) => join(p, unescapePattern(comp)));
      continue;
    }
    const next: string[] = [];
    for (const p of paths) {
      const names = files.list(p === '' ? '.' : p);
      if (!names) continue;
      for (const n of [...names].sort()) {
        if (n.startsWith('.') && !comp.startsWith('.') && !comp.startsWith('\\.')) continue;
        if (matchPattern(n, comp)) next.push(join(p, n));
      }
    }
    paths = next;
    if (!paths.length) return [];
  }
  const found = paths.filter((p) => files.exists(p));
  return trailingSlash ? found.map((p) => `${p}/`) : found;
}

// ---------------------------------------------------------------------------------------------
// Brace expansion

const MAX_BRACE_WORDS = 10000;

/**
 * Brace expansion, bash's first expansion: `a{b,c}d` → `abd acd`, `{1..5}`, `{a..e}`,
 * `{01..10..3}`. Only unquoted literal text takes part (`"{a,b}"` and `\{a,b}` stay), and a
 * brace pair without a comma or a valid sequence (`{a}`, `{}`) is left alone.
 */
export function braceExpand(parts: readonly WordPart[]): (readonly WordPart[])[] {
  if (!parts.some((p) => p.type === 'literal' && p.text.includes('{'))) return [parts];
  // Work on "units": each unquoted literal character on its own, every other part opaque, so a
  // brace pair may enclose expansions (`{$X,w}`) while quoted braces never count.
  const units: BraceUnit[] = [];
  for (const p of parts) {
    if (p.type === 'literal') units.push(...p.text);
    else units.push(p);
  }
  const out: (readonly WordPart[])[] = [];
  for (const expanded of expandUnits(units)) out.push(fromUnits(expanded));
  return out;
}

type BraceUnit = string | WordPart;

function fromUnits(units: readonly BraceUnit[]): WordPart[] {
  const parts: WordPart[] = [];
  let text = '';
  for (const u of units) {
    if (typeof u === 'string') {
      text += u;
      continue;
    }
    if (text !== '') parts.push({ type: 'literal', text });
    text = '';
    parts.push(u);
  }
  if (text !== '') parts.push({ type: 'literal', text });
  return parts;
}

function expandUnits(units: readonly BraceUnit[]): BraceUnit[][] {
  for (let start = 0; start < units.length; start++) {
    if (units[start] !== '{') continue;
    let depth = 0;
    let end = -1;
    const commas: number[] = [];
    for (let j = start; j < units.length; j++) {
      const u = units[j];
      if (u === '{') depth++;
      else if (u === '}') {
        depth--;
        if (depth === 0) {
          end = j;
          break;
        }
      } else if (u === ',' && depth === 1) commas.push(j);
    }
    if (end < 0) continue;
    let alternatives: BraceUnit[][];
    if (commas.length > 0) {
      alternatives = [];
      let from = start + 1;
      for (const c of [...commas, end]) {
        alternatives.push(units.slice(from, c));
        from = c + 1;
      }
    } else {
      const body = units.slice(start + 1, end);
      if (!body.every((u) => typeof u === 'string')) continue;
      const seq = braceSequence(body.join(''));
      if (seq === null) continue;
      alternatives = seq.map((s) => [...s]);
    }
    const prefix = units.slice(0, start);
    const suffix = units.slice(end + 1);
    const out: BraceUnit[][] = [];
    for (const alt of alternatives) {
      // The prefix has no expandable braces left (they were tried first); the rest may.
      for (const rest of expandUnits([...alt, ...suffix])) {
        out.push([...prefix, ...rest]);
        if (out.length > MAX_BRACE_WORDS) throw new ExpansionError('bash: brace expansion: too many words');
      }
    }
    return out;
  }
  return [[...units]];
}

/** `1..5`, `5..1`, `1..10..2`, `01..10`, `a..e`; null when `body` is not a sequence. */
function braceSequence(body: string): string[] | null {
  const num = /^(-?[0-9]+)\.\.(-?[0-9]+)(?:\.\.(-?[0-9]+))?$/.exec(body);
  const chr = /^([A-Za-z])\.\.([A-Za-z])(?:\.\.(-?[0-9]+))?$/.exec(body);
  const m = num ?? chr;
  if (!m) return null;
  const step = Math.abs(Number(m[3] ?? '1')) || 1;
  const from = num ? Number(m[1]) : m[1]!.charCodeAt(0);
  const to = num ? Number(m[2]) : m[2]!.charCodeAt(0);
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) return null;
  if (Math.abs(to - from) / step > MAX_BRACE_WORDS) throw new ExpansionError('bash: brace expansion: too many words');
  // A leading zero on either end pads every number to the same width.
  const padded = num !== null && (/^-?0[0-9]/.test(m[1]!) || /^-?0[0-9]/.test(m[2]!));
  const width = padded ? Math.max(m[1]!.length, m[2]!.length) : 0;
  const out: string[] = [];
  const dir = to >= from ? 1 : -1;
  for (let v = from; dir > 0 ? v <= to : v >= to; v += dir * step) {
    if (!num) out.push(String.fromCharCode(v));
    else if (width > 0) out.push((v < 0 ? '-' : '') + String(Math.abs(v)).padStart(width - (v < 0 ? 1 : 0), '0'));
    else out.push(String(v));
  }
  return out;
}

/** Expands one word into zero or more fields. */
export async function expandWord(word: Word, env: ExpandEnv): Promise<string[]> {
  return splitFields(await expandParts(word.parts, env, false), ifsOf(env));
}

/** Expands without field splitting (assignment values, here-strings, `case` words). */
export async function expandToString(parts: readonly WordPart[], env: ExpandEnv): Promise<string> {
  const pieces = await expandParts(parts, env, false);
  return pieces.map((p) => ('break' in p ? ' ' : p.text)).join('');
}

/** Expands an unquoted here-document body. */
export async function expandHeredoc(parts: readonly WordPart[], env: ExpandEnv): Promise<string> {
  const pieces = await expandParts(parts, env, true);
  return pieces.map((p) => ('break' in p ? ' ' : p.text)).join('');
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

/**
 * Evaluates an arithmetic expression as bash does, on 64-bit signed integers: numbers (decimal,
 * 0x hex, 0 octal, BASE#digits), variables (unset or empty = 0), `+ - * / % **`, comparisons,
 * `! ~ && || & | ^ << >>`, `?:`, assignments (`= += -= ...`), `++`/`--` and `,`.
 */
export function evalArith(text: string, env: ExpandEnv): bigint {
  return new ArithEvaluator(text, env, 0).evaluate();
}

type ArithTok =
  | { readonly t: 'num'; readonly v: bigint; readonly src: string }
  | { readonly t: 'name'; readonly v: string }
  | { readonly t: 'op'; readonly v: string }
  | { readonly t: 'end' };

const ARITH_OPS = [
  '<<=', '>>=', '**', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=',
  '+', '-', '*', '/', '%', '<', '>', '=', '!', '~', '&', '|', '^', '?', ':', ',', '(', ')',
];

function wrap(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** a ** b modulo 2^64 (square and multiply, so huge exponents stay cheap). */
function powWrap(a: bigint, b: bigint): bigint {
  let result = 1n;
  let base = wrap(a);
  let e = b;
  while (e > 0n) {
    if (e & 1n) result = wrap(result * base);
    base = wrap(base * base);
    e >>= 1n;
  }
  return result;
}

class ArithEvaluator {
  private readonly text: string;
  private readonly env: ExpandEnv;
  private readonly depth: number;
  private readonly toks: ArithTok[];
  private i = 0;
  /** Depth of sub-expressions whose value is not used (short-circuit): no side effects. */
  private skip = 0;

  constructor(text: string, env: ExpandEnv, depth: number) {
    this.text = text;
    this.env = env;
    this.depth = depth;
    this.toks = this.tokenize();
  }

  private error(msg: string, errorToken: string): never {
    throw new ExpansionError(`bash: ${this.text.trim()}: ${msg} (error token is "${errorToken}")`);
  }

  private rest(): string {
    // The source text from the current token on, for error messages.
    let pos = 0;
    let count = 0;
    const src = this.text;
    // Re-scan to find the offset of token i (cheap; only used for errors).
    const re = /\s*(0[xX][0-9A-Fa-f]+|[0-9]+#[0-9A-Za-z@_]+|[0-9]+|[A-Za-z_][A-Za-z0-9_]*|<<=|>>=|\*\*|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=|.)/y;
    while (count < this.i) {
      re.lastIndex = pos;
      const m = re.exec(src);
      if (!m) break;
      pos = re.lastIndex;
      count++;
    }
    return src.slice(pos).trim();
  }

  private tokenize(): ArithTok[] {
    const src = this.text;
    const toks: ArithTok[] = [];
    let p = 0;
    while (p < src.length) {
      const c = src[p]!;
      if (c === ' ' || c === '\t' || c === '\n') {
        p++;
        continue;
      }
      if (c >= '0' && c <= '9') {
        const m = /^(0[xX][0-9A-Fa-f]*|[0-9]+#[0-9A-Za-z@_]*|[0-9]+)([A-Za-z_0-9]*)/.exec(src.slice(p))!;
        const lit = m[1]!;
        if (m[2]) {
          const bad = m[0];
          this.error('value too great for base', bad);
        }
        toks.push({ t: 'num', v: this.parseNumber(lit), src: lit });
        p += m[0].length;
        continue;
      }
      if (/[A-Za-z_]/.test(c)) {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(p))!;
        toks.push({ t: 'name', v: m[0] });
        p += m[0].length;
        continue;
      }
      const op = ARITH_OPS.find((o) => src.startsWith(o, p));
      if (!op) this.error('syntax error: invalid arithmetic operator', src.slice(p).trim());
      toks.push({ t: 'op', v: op });
      p += op.length;
    }
    toks.push({ t: 'end' });
    return toks;
  }

  private parseNumber(lit: string): bigint {
    if (/^0[xX]/.test(lit)) {
      if (lit.length === 2) this.error('invalid number', lit);
      return wrap(BigInt(lit));
    }
    const hash = lit.indexOf('#');
    if (hash > 0) {
      const base = Number(lit.slice(0, hash));
      const digits = lit.slice(hash + 1);
      if (base < 2 || base > 64) this.error('invalid arithmetic base', lit);
      if (digits === '') this.error('invalid integer constant', lit);
      let v = 0n;
      for (const d of digits) {
        let n: number;
        if (d >= '0' && d <= '9') n = d.charCodeAt(0) - 48;
        else if (d >= 'a' && d <= 'z') n = d.charCodeAt(0) - 97 + 10;
        else if (d >= 'A' && d <= 'Z') n = base <= 36 ? d.charCodeAt(0) - 65 + 10 : d.charCodeAt(0) - 65 + 36;
        else if (d === '@') n = 62;
        else n = 63;
        if (n >= base) this.error('value too great for base', lit);
        v = wrap(v * BigInt(base) + BigInt(n));
      }
      return v;
    }
    if (lit.length > 1 && lit[0] === '0') {
      if (!/^[0-7]+$/.test(lit)) this.error('value too great for base', lit);
      return wrap(BigInt('0o' + lit.slice(1)));
    }
    return wrap(BigInt(lit));
  }

  evaluate(): bigint {
    if (this.depth > 64) throw new ExpansionError(`bash: ${this.text}: expression recursion level exceeded`);
    if (this.toks.length === 1) return 0n; // empty expression
    const v = this.comma();
    const t = this.peek();
    if (t.t !== 'end') this.error('syntax error in expression', this.rest());
    return v;
  }

  private peek(): ArithTok {
    return this.toks[this.i]!;
  }

  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }

  private next(): ArithTok {
    return this.toks[this.i++]!;
  }

  private comma(): bigint {
    let v = this.assign();
    while (this.isOp(',')) {
      this.next();
      v = this.assign();
    }
    return v;
  }

  private assign(): bigint {
    const t = this.peek();
    const n = this.toks[this.i + 1];
    if (t.t === 'name' && n && n.t === 'op' && ['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '|=', '^='].includes(n.v)) {
      this.i += 2;
      const rhs = this.assign();
      const op = n.v;
      const v = op === '=' ? rhs : this.binary(op.slice(0, -1), this.varValue(t.v), rhs);
      this.store(t.v, v);
      return v;
    }
    return this.ternary();
  }

  private ternary(): bigint {
    const cond = this.logicalOr();
    if (!this.isOp('?')) return cond;
    this.next();
    if (cond === 0n) this.skip++;
    const a = this.assign();
    if (cond === 0n) this.skip--;
    if (!this.isOp(':')) this.error("`:' expected for conditional expression", this.rest());
    this.next();
    if (cond !== 0n) this.skip++;
    const b = this.assign();
    if (cond !== 0n) this.skip--;
    return cond !== 0n ? a : b;
  }

  private logicalOr(): bigint {
    let v = this.logicalAnd();
    while (this.isOp('||')) {
      this.next();
      if (v !== 0n) this.skip++;
      const r = this.logicalAnd();
      if (v !== 0n) this.skip--;
      v = v !== 0n || r !== 0n ? 1n : 0n;
    }
    return v;
  }

  private logicalAnd(): bigint {
    let v = this.binaryLevel(0);
    while (this.isOp('&&')) {
      this.next();
      if (v === 0n) this.skip++;
      const r = this.binaryLevel(0);
      if (v === 0n) this.skip--;
      v = v !== 0n && r !== 0n ? 1n : 0n;
    }
    return v;
  }

  private static readonly LEVELS: readonly (readonly string[])[] = [
    ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'],
  ];

  private binaryLevel(level: number): bigint {
    if (level >= ArithEvaluator.LEVELS.length) return this.power();
    let v = this.binaryLevel(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || !ArithEvaluator.LEVELS[level]!.includes(t.v)) return v;
      this.next();
      const r = this.binaryLevel(level + 1);
      v = this.binary(t.v, v, r);
    }
  }

  private power(): bigint {
    const base = this.unary();
    if (!this.isOp('**')) return base;
    this.next();
    const exp = this.power(); // right associative
    return this.binary('**', base, exp);
  }

  private binary(op: string, a: bigint, b: bigint): bigint {
    switch (op) {
      case '+': return wrap(a + b);
      case '-': return wrap(a - b);
      case '*': return wrap(a * b);
      case '/':
      case '%':
        if (b === 0n) {
          if (this.skip > 0) return 0n;
          this.error('division by 0', this.toks[this.i - 1]?.t === 'num' ? (this.toks[this.i - 1] as { src: string }).src : String(b));
        }
        return wrap(op === '/' ? a / b : a % b);
      case '**':
        if (b < 0n) {
          if (this.skip > 0) return 0n;
          this.error('exponent less than 0', String(b));
        }
        return powWrap(a, b);
      case '<<': return wrap(a << (b & 63n));
      case '>>': return wrap(a >> (b & 63n));
      case '<': return a < b ? 1n : 0n;
      case '>': return a > b ? 1n : 0n;
      case '<=': return a <= b ? 1n : 0n;
      case '>=': return a >= b ? 1n : 0n;
      case '==': return a === b ? 1n : 0n;
      case '!=': return a !== b ? 1n : 0n;
      case '&': return wrap(a & b);
      case '|': return wrap(a | b);
      case '^': return wrap(a ^ b);
    }
    return 0n;
  }

  private unary(): bigint {
    const t = this.peek();
    if (t.t === 'op') {
      switch (t.v) {
        case '-':
          this.next();
          return wrap(-this.unary());
        case '+':
          this.next();
          return this.unary();
        case '!':
          this.next();
          return this.unary() === 0n ? 1n : 0n;
        case '~':
          this.next();
          return wrap(~this.unary());
        case '++':
        case '--': {
          this.next();
          const n = this.next();
          if (n.t !== 'name') this.error('syntax error: operand expected', this.rest());
          const v = wrap(this.varValue(n.v) + (t.v === '++' ? 1n : -1n));
          this.store(n.v, v);
          return v;
        }
      }
    }
    return this.postfix();
  }

  private postfix(): bigint {
    const t = this.next();
    if (t.t === 'num') return t.v;
    if (t.t === 'name') {
      const v = this.varValue(t.v);
      if (this.isOp('++') || this.isOp('--')) {
        const op = (this.next() as { v: string }).v;
        this.store(t.v, wrap(v + (op === '++' ? 1n : -1n)));
      }
      return v;
    }
    if (t.t === 'op' && t.v === '(') {
      const v = this.comma();
      if (!this.isOp(')')) this.error('syntax error: missing closing parenthesis', this.rest());
      this.next();
      return v;
    }
    // Like bash, blame the operator before a missing operand at the end.
    this.i = t.t === 'end' ? Math.max(0, this.i - 2) : this.i - 1;
    this.error('syntax error: operand expected', this.rest());
  }

  private varValue(name: string): bigint {
    const raw = this.env.getVar(name);
    if (raw === undefined || raw.trim() === '') return 0n;
    const s = raw.trim();
    if (/^-?[0-9]+$/.test(s)) return wrap(BigInt(s));
    // A variable holding an expression is evaluated in turn (bash does this too).
    return new ArithEvaluator(s, this.env, this.depth + 1).evaluate();
  }

  private store(name: string, v: bigint): void {
    if (this.skip === 0) this.env.setVar(name, v.toString());
  }
}
