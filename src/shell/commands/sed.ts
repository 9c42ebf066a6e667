/**
 * sed (GNU sed 4.9), the part a person uses on a config file: -n, -e, -E/-r, -i[SUFFIX], and the
 * commands s (flags g, p, i/I and a number), d, p, q, = and y, with line numbers, $, /regex/ and
 * ranges as addresses, `!` to negate one, and `;` or newlines between commands. Basic regular
 * expressions are translated to JavaScript ones (\( \) \{ \} \+ \? \| are the operators, the bare
 * characters literal); with -E they are extended ones. Errors are worded as GNU sed words them.
 */
import type { Command, CommandContext } from '../context.ts';
import { strerror } from '../../sim/net/types.ts';

type Addr = { kind: 'line'; n: number } | { kind: 'last' } | { kind: 're'; re: RegExp };

interface SedCmd {
  a1: Addr | null;
  a2: Addr | null;
  negate: boolean;
  name: string;
  re?: RegExp;
  replacement?: string;
  global?: boolean;
  nth?: number;
  print?: boolean;
  from?: string;
  to?: string;
  /** a range's state: inside it since this line */
  active?: boolean;
}

class SedError extends Error {}

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
};

/** A POSIX regular expression (basic unless `extended`) as a JavaScript RegExp source. */
function toJs(src: string, extended: boolean): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '[') {
      // a bracket expression: copied, with POSIX classes expanded and backslashes literal
      let j = i + 1;
      let body = '';
      if (src[j] === '^') {
        body += '^';
        j++;
      }
      if (src[j] === ']') {
        body += '\\]';
        j++;
      }
      while (j < src.length && src[j] !== ']') {
        const cls = /^\[:(\w+):\]/.exec(src.slice(j));
        if (cls && CLASSES[cls[1]]) {
          body += CLASSES[cls[1]];
          j += cls[0].length;
          continue;
        }
        body += src[j] === '\\' ? '\\\\' : src[j] === '[' ? '\\[' : src[j];
        j++;
      }
      if (j >= src.length) throw new SedError('unterminated address regex');
      out += `[${body}]`;
      i = j + 1;
      continue;
    }
    if (c === '\\' && i + 1 < src.length) {
      const n = src[i + 1];
      i += 2;
      if (!extended && '(){}+?|'.includes(n)) out += n;
      else if (n === 'n') out += '\\n';
      else if (n === 't') out += '\\t';
      else out += `\\${n}`;
      continue;
    }
    if (!extended && '(){}+?|'.includes(c)) out += `\\${c}`;
    else if (c === '/') out += '\\/';
    else out += c;
    i++;
  }
  return out;
}

/** The script's text with a cursor, for the parser. */
class Reader {
  pos = 0;
  readonly s: string;
  constructor(s: string) {
    this.s = s;
  }
  peek(): string {
    return this.s[this.pos] ?? '';
  }
  next(): string {
    return this.s[this.pos++] ?? '';
  }
  eof(): boolean {
    return this.pos >= this.s.length;
  }
  skipSpace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
  fail(msg: string): never {
    throw new SedError(`-e expression #1, char ${this.pos}: ${msg}`);
  }
  /** Text up to the unescaped delimiter `d` (consumed); a `\d` becomes `d`, a `\n` a newline. */
  until(d: string, what: string): string {
    let out = '';
    while (!this.eof()) {
      const c = this.next();
      if (c === d) return out;
      if (c === '\\' && !this.eof()) {
        const n = this.next();
        if (n === d && d !== '&') out += d === '/' ? '\\/' : d;
        else out += `\\${n}`;
        continue;
      }
      if (c === '\n') break;
      out += c;
    }
    this.fail(what);
  }
}

function parseAddr(r: Reader, extended: boolean, flags: string[]): Addr | null {
  const c = r.peek();
  if (/[0-9]/.test(c)) {
    let n = '';
    while (/[0-9]/.test(r.peek())) n += r.next();
    return { kind: 'line', n: Number(n) };
  }
  if (c === '$') {
    r.next();
    return { kind: 'last' };
  }
  if (c === '/' || c === '\\') {
    r.next();
    const d = c === '\\' ? r.next() : '/';
    const src = r.until(d, 'unterminated address regex');
    let f = '';
    while (r.peek() === 'I') {
      r.next();
      f += 'i';
    }
    flags.push(f);
    return { kind: 're', re: new RegExp(toJs(src, extended), f) };
  }
  return null;
}

function parse(script: string, extended: boolean): SedCmd[] {
  const r = new Reader(script);
  const cmds: SedCmd[] = [];
  for (;;) {
    while (!r.eof() && /[\s;]/.test(r.peek())) r.next();
    if (r.eof()) break;
    const a1 = parseAddr(r, extended, []);
    let a2: Addr | null = null;
    if (a1 && r.peek() === ',') {
      r.next();
      a2 = parseAddr(r, extended, []);
      if (!a2) r.fail('unexpected `,\'');
    }
    r.skipSpace();
    let negate = false;
    while (r.peek() === '!') {
      r.next();
      negate = true;
      r.skipSpace();
    }
    if (r.eof()) r.fail('missing command');
    const name = r.next();
    const cmd: SedCmd = { a1, a2, negate, name };
    if (name === 's') {
      const d = r.next();
      if (!d || d === '\n' || d === '\\') r.fail("unterminated `s' command");
      const pat = r.until(d, "unterminated `s' command");
      const rep = r.until(d, "unterminated `s' command");
      let flags = '';
      let global = false;
      let print = false;
      let nth = 1;
      while (!r.eof() && !/[\s;}]/.test(r.peek())) {
        const f = r.next();
        if (f === 'g') global = true;
        else if (f === 'p') print = true;
        else if (f === 'i' || f === 'I') flags += 'i';
        else if (/[0-9]/.test(f)) {
          let n = f;
          while (/[0-9]/.test(r.peek())) n += r.next();
          nth = Number(n);
          if (nth === 0) r.fail("number option to `s' command may not be zero");
        } else r.fail("unknown option to `s'");
      }
      try {
        cmd.re = new RegExp(toJs(pat, extended), `g${flags}`);
      } catch {
        r.fail('Invalid preceding regular expression');
      }
      Object.assign(cmd, { replacement: rep, global, print, nth });
    } else if (name === 'y') {
      const d = r.next();
      const from = r.until(d, "unterminated `y' command").replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      const to = r.until(d, "unterminated `y' command").replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      if ([...from].length !== [...to].length) r.fail("strings for `y' command are different lengths");
      Object.assign(cmd, { from, to });
    } else if (!'dpq='.includes(name)) {
      r.fail(`unknown command: \`${name}'`);
    }
    cmds.push(cmd);
    r.skipSpace();
    if (!r.eof() && !/[;\n]/.test(r.peek())) r.fail(`extra characters after command`);
  }
  return cmds;
}

/** The replacement text for one match: & is the match, \1..\9 the groups, \n a newline. */
function expandReplacement(rep: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i];
    if (c === '&') out += m[0];
    else if (c === '\\' && i + 1 < rep.length) {
      const n = rep[++i];
      if (/[0-9]/.test(n)) out += m[Number(n)] ?? '';
      else if (n === 'n') out += '\n';
      else if (n === 't') out += '\t';
      else out += n;
    } else out += c;
  }
  return out;
}

function substitute(line: string, c: SedCmd): { text: string; done: boolean } {
  const re = c.re!;
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let count = 0;
  let done = false;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) {
    count++;
    if (count >= c.nth! && (c.global || count === c.nth)) {
      out += line.slice(last, m.index) + expandReplacement(c.replacement!, m);
      last = m.index + m[0].length;
      done = true;
      if (!c.global) break;
    }
    if (m[0] === '') re.lastIndex++;
  }
  return { text: done ? out + line.slice(last) : line, done };
}

function matchAddr(a: Addr, line: string, n: number, last: boolean): boolean {
  if (a.kind === 'line') return n === a.n;
  if (a.kind === 'last') return last;
  a.re.lastIndex = 0;
  return a.re.test(line);
}

function selected(c: SedCmd, line: string, n: number, last: boolean): boolean {
  let hit: boolean;
  if (!c.a1) hit = true;
  else if (!c.a2) hit = matchAddr(c.a1, line, n, last);
  else if (c.active) {
    hit = true;
    // the range ends on the line that matches its second address (a number at or before it)
    if (c.a2.kind === 'line' ? n >= c.a2.n : matchAddr(c.a2, line, n, last)) c.active = false;
  } else if (matchAddr(c.a1, line, n, last)) {
    hit = true;
    c.active = !(c.a2.kind === 'line' && c.a2.n <= n) && !(c.a2.kind === 'last' && last);
  } else hit = false;
  return c.negate ? !hit : hit;
}

/** Run the script over one input; returns the output and whether q stopped it. */
function runScript(cmds: SedCmd[], text: string, quiet: boolean, startLine: number, isLastInput: boolean): { out: string; quit: boolean; lines: number } {
  const ls = text === '' ? [] : text.split('\n');
  const endsNl = ls.length > 0 && ls[ls.length - 1] === '';
  if (endsNl) ls.pop();
  let out = '';
  let n = startLine;
  for (let i = 0; i < ls.length; i++) {
    n++;
    const last = isLastInput && i === ls.length - 1;
    const nl = i < ls.length - 1 || endsNl ? '\n' : '';
    let line = ls[i];
    let deleted = false;
    let quit = false;
    for (const c of cmds) {
      if (!selected(c, line, n, last)) continue;
      if (c.name === 's') {
        const r = substitute(line, c);
        line = r.text;
        if (r.done && c.print) out += `${line}\n`;
      } else if (c.name === 'y') {
        const from = [...c.from!];
        const to = [...c.to!];
        line = [...line].map((ch) => (from.includes(ch) ? to[from.indexOf(ch)] : ch)).join('');
      } else if (c.name === 'd') {
        deleted = true;
        break;
      } else if (c.name === 'p') out += `${line}\n`;
      else if (c.name === '=') out += `${n}\n`;
      else if (c.name === 'q') {
        quit = true;
        break;
      }
    }
    if (!deleted && !quiet) out += line + nl;
    if (quit) return { out, quit: true, lines: n };
  }
  return { out, quit: false, lines: n };
}

function usage(ctx: CommandContext): number {
  ctx.err('Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n');
  return 1;
}

export const sedCommand: Command = {
  name: 'sed',
  path: '/usr/bin/sed',
  summary: 'stream editor for filtering and transforming text',
  run(ctx) {
    const scripts: string[] = [];
    const files: string[] = [];
    let quiet = false;
    let extended = false;
    let inPlace: string | null = null;
    const argv = ctx.argv.slice(1);
    let opts = true;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (opts && a === '--') {
        opts = false;
        continue;
      }
      if (opts && a.startsWith('--') && a.length > 2) {
        const [k, v] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
        if (k === '--quiet' || k === '--silent') quiet = true;
        else if (k === '--regexp-extended') extended = true;
        else if (k === '--in-place') inPlace = v ?? '';
        else if (k === '--expression') {
          const s = v ?? argv[++i];
          if (s === undefined) return usage(ctx);
          scripts.push(s);
        } else {
          ctx.err(`sed: unrecognized option '${a}'\n`);
          return usage(ctx);
        }
        continue;
      }
      if (opts && a.startsWith('-') && a.length > 1) {
        for (let j = 1; j < a.length; j++) {
          const f = a[j];
          if (f === 'n') quiet = true;
          else if (f === 'E' || f === 'r') extended = true;
          else if (f === 's') continue;
          else if (f === 'i') {
            inPlace = a.slice(j + 1);
            break;
          } else if (f === 'e') {
            const s = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
            if (s === undefined) {
              ctx.err("sed: option requires an argument -- 'e'\n");
              return usage(ctx);
            }
            scripts.push(s);
            break;
          } else {
            ctx.err(`sed: invalid option -- '${f}'\n`);
            return usage(ctx);
          }
        }
        continue;
      }
      files.push(a);
    }
    if (!scripts.length) {
      if (!files.length) return usage(ctx);
      scripts.push(files.shift()!);
    }
    let cmds: SedCmd[];
    try {
      cmds = parse(scripts.join('\n'), extended);
    } catch (e) {
      if (!(e instanceof SedError)) throw e;
      ctx.err(`sed: ${e.message}\n`);
      return 1;
    }
    if (inPlace !== null) {
      if (!files.length) {
        ctx.err('sed: no input files\n');
        return 1;
      }
      let status = 0;
      for (const f of files) {
        const r = ctx.readFile(f);
        if (!r.ok) {
          ctx.err(r.errno === 'EISDIR' ? `sed: couldn't edit ${f}: not a regular file\n` : `sed: can't read ${f}: ${strerror(r.errno)}\n`);
          status = 2;
          continue;
        }
        for (const c of cmds) c.active = false;
        const res = runScript(cmds, r.data, quiet, 0, true);
        if (inPlace) ctx.writeFile(`${f}${inPlace}`, r.data);
        const w = ctx.writeFile(f, res.out);
        if (!w.ok) {
          ctx.err(`sed: couldn't open temporary file ${f.replace(/[^/]*$/, '')}sedXXXXXX: ${strerror(w.errno)}\n`);
          return 4;
        }
        if (res.quit) break;
      }
      return status;
    }
    // without -i the inputs are one stream: line numbers and $ run across files
    const inputs: string[] = [];
    let status = 0;
    if (!files.length) inputs.push(ctx.stdin);
    for (const f of files) {
      if (f === '-') {
        inputs.push(ctx.stdin);
        continue;
      }
      const r = ctx.readFile(f);
      if (!r.ok) {
        ctx.err(r.errno === 'EISDIR' ? `sed: read error on ${f}: Is a directory\n` : `sed: can't read ${f}: ${strerror(r.errno)}\n`);
        status = 2;
        continue;
      }
      inputs.push(r.data);
    }
    let n = 0;
    for (let k = 0; k < inputs.length; k++) {
      let data = inputs[k];
      // GNU sed adds the missing newline between files
      if (k < inputs.length - 1 && data !== '' && !data.endsWith('\n')) data += '\n';
      const res = runScript(cmds, data, quiet, n, k === inputs.length - 1);
      ctx.out(res.out);
      n = res.lines;
      if (res.quit) break;
    }
    return status;
  },
};
