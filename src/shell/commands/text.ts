/**
 * The small text and file tools a networking session uses around the real work: cat, grep, head,
 * tail, wc, sort, uniq, cut, tee, tr, ls, mkdir, rm, touch. GNU coreutils/grep wording.
 */
import type { Command, CommandContext } from '../context.ts';
import { strerror } from '../../sim/net/types.ts';
import { matchPattern } from '../lang/expand.ts';

/** Read each named file (or stdin when none / "-"); report missing files as the tool would. */
function inputs(ctx: CommandContext, tool: string, files: string[]): { name: string; data: string }[] | null {
  if (!files.length) return [{ name: '(standard input)', data: ctx.stdin }];
  const out: { name: string; data: string }[] = [];
  let failed = false;
  for (const f of files) {
    if (f === '-') {
      out.push({ name: '(standard input)', data: ctx.stdin });
      continue;
    }
    const r = ctx.readFile(f);
    if (!r.ok) {
      ctx.err(`${tool}: ${f}: ${strerror(r.errno)}\n`);
      failed = true;
      continue;
    }
    out.push({ name: f, data: r.data });
  }
  return failed && !out.length ? null : out;
}

/** Operands with every directory replaced by the files under it (`''` is the working directory). */
function walkFiles(ctx: CommandContext, operands: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    const l = ctx.listDir(path === '' ? '.' : path);
    if (!l.ok) return;
    for (const n of [...l.names].sort()) {
      const child = path === '' ? n : path.endsWith('/') ? `${path}${n}` : `${path}/${n}`;
      if (ctx.statPath(child) === 'dir') walk(child);
      else out.push(child);
    }
  };
  for (const o of operands) {
    if (o === '' || ctx.statPath(o) === 'dir') walk(o);
    else out.push(o);
  }
  return out;
}

function lines(text: string): string[] {
  if (text === '') return [];
  const ls = text.split('\n');
  if (ls[ls.length - 1] === '') ls.pop();
  return ls;
}

function badOption(ctx: CommandContext, tool: string, opt: string): number {
  const o = opt.startsWith('--') ? `unrecognized option '${opt}'` : `invalid option -- '${opt.slice(1, 2)}'`;
  ctx.err(`${tool}: ${o}\nTry '${tool} --help' for more information.\n`);
  return tool === 'grep' ? 2 : 1;
}

export const catCommand: Command = {
  name: 'cat',
  path: '/usr/bin/cat',
  summary: 'print files',
  run(ctx) {
    const args = ctx.argv.slice(1);
    let number = false;
    const files: string[] = [];
    for (const a of args) {
      if (a === '-n') number = true;
      else if (a.startsWith('-') && a !== '-') return badOption(ctx, 'cat', a);
      else files.push(a);
    }
    let status = 0;
    const list = files.length ? files : ['-'];
    let n = 1;
    for (const f of list) {
      let data: string;
      if (f === '-') data = ctx.stdin;
      else {
        if (ctx.statPath(f) === 'dir') {
          ctx.err(`cat: ${f}: Is a directory\n`);
          status = 1;
          continue;
        }
        const r = ctx.readFile(f);
        if (!r.ok) {
          ctx.err(`cat: ${f}: ${strerror(r.errno)}\n`);
          status = 1;
          continue;
        }
        data = r.data;
      }
      if (number) {
        const ls = data.split('\n');
        const last = ls.pop();
        ctx.out(ls.map((l) => `${String(n++).padStart(6)}\t${l}\n`).join('') + (last ? `${String(n++).padStart(6)}\t${last}` : ''));
      } else ctx.out(data);
    }
    return status;
  },
};

export const grepCommand: Command = {
  name: 'grep',
  path: '/usr/bin/grep',
  summary: 'print lines that match a pattern',
  run(ctx) {
    const args = ctx.argv.slice(1);
    let invert = false;
    let ignoreCase = false;
    let count = false;
    let quiet = false;
    let lineNo = false;
    let onlyMatching = false;
    let word = false;
    let fixed = false;
    let withName: boolean | null = null;
    let recursive = false;
    let silent = false;
    const patterns: string[] = [];
    let after = 0;
    let before = 0;
    const files: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--') {
        files.push(...args.slice(i + 1));
        break;
      }
      if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
        if (a === '-e') {
          patterns.push(args[++i] ?? '');
          continue;
        }
        if (a === '-A' || a === '-B' || a === '-C') {
          const v = Number(args[++i]);
          if (a !== '-B') after = v;
          if (a !== '-A') before = v;
          continue;
        }
        if (a.startsWith('--')) {
          if (a === '--color' || a.startsWith('--color=')) continue;
          if (a === '--invert-match') invert = true;
          else if (a === '--ignore-case') ignoreCase = true;
          else if (a === '--count') count = true;
          else if (a === '--quiet' || a === '--silent') quiet = true;
          else if (a === '--no-messages') silent = true;
          else if (a === '--recursive' || a === '--dereference-recursive') recursive = true;
          else return badOption(ctx, 'grep', a);
          continue;
        }
        for (const c of a.slice(1)) {
          if (c === 'v') invert = true;
          else if (c === 'i') ignoreCase = true;
          else if (c === 'c') count = true;
          else if (c === 'q') quiet = true;
          else if (c === 'n') lineNo = true;
          else if (c === 'o') onlyMatching = true;
          else if (c === 'w') word = true;
          else if (c === 'F') fixed = true;
          else if (c === 's') silent = true;
          else if (c === 'E' || c === 'P') continue;
          else if (c === 'h') withName = false;
          else if (c === 'H') withName = true;
          else if (c === 'r' || c === 'R') recursive = true;
          else return badOption(ctx, 'grep', `-${c}`);
        }
        continue;
      }
      if (!patterns.length) patterns.push(a);
      else files.push(a);
    }
    if (!patterns.length) {
      ctx.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
      return 2;
    }
    let re: RegExp;
    try {
      const src = patterns.map((p) => (fixed ? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : toJsRegex(p))).join('|');
      re = new RegExp(word ? `\\b(?:${src})\\b` : src, `g${ignoreCase ? 'i' : ''}`);
    } catch {
      ctx.err('grep: Unmatched ( or \\(\n');
      return 2;
    }
    // -r: directories are searched file by file, in name order (no operand: the working directory)
    const operands = recursive ? walkFiles(ctx, files.length ? files : ['']) : files;
    const showName = withName ?? (recursive || files.length > 1);
    let matched = 0;
    let errored = false;
    // files are read one after the other: an unreadable one is reported in its turn
    const sources = operands.length ? operands : ['-'];
    for (const src of sources) {
      let name = '(standard input)';
      let data = ctx.stdin;
      if (src !== '-') {
        const r = ctx.readFile(src);
        if (!r.ok) {
          if (!silent) ctx.err(`grep: ${src}: ${strerror(r.errno)}\n`);
          errored = true;
          continue;
        }
        name = src;
        data = r.data;
      }
      const ls = lines(data);
      let n = 0;
      let lastPrinted = -1;
      let afterLeft = 0;
      for (let i = 0; i < ls.length; i++) {
        re.lastIndex = 0;
        const hit = re.test(ls[i]) !== invert;
        if (hit) {
          n++;
          matched++;
          if (quiet) return 0;
          if (count) continue;
          for (let b = Math.max(lastPrinted + 1, i - before); b < i; b++) ctx.out(`${showName ? `${name}-` : ''}${lineNo ? `${b + 1}-` : ''}${ls[b]}\n`);
          const prefix = `${showName ? `${name}:` : ''}${lineNo ? `${i + 1}:` : ''}`;
          if (onlyMatching && !invert) {
            re.lastIndex = 0;
            for (const m of ls[i].matchAll(re)) if (m[0]) ctx.out(`${prefix}${m[0]}\n`);
          } else ctx.out(`${prefix}${ls[i]}\n`);
          lastPrinted = i;
          afterLeft = after;
        } else if (afterLeft > 0 && !count) {
          ctx.out(`${showName ? `${name}-` : ''}${lineNo ? `${i + 1}-` : ''}${ls[i]}\n`);
          lastPrinted = i;
          afterLeft--;
        }
      }
      if (count) ctx.out(`${showName ? `${name}:` : ''}${n}\n`);
    }
    // GNU grep: 2 when a file could not be read, even if lines matched
    if (errored) return 2;
    return matched ? 0 : 1;
  },
};

/** POSIX basic/extended regular expressions, close enough for everyday patterns. */
function toJsRegex(p: string): string {
  return p.replace(/\\([(){}|+?])/g, '$1').replace(/\[\[:(\w+):\]\]/g, (_m, cls: string) => {
    const map: Record<string, string> = { digit: '\\d', space: '\\s', alpha: '[A-Za-z]', alnum: '[A-Za-z0-9]', upper: '[A-Z]', lower: '[a-z]' };
    return map[cls] ?? '';
  });
}

function countArg(ctx: CommandContext, tool: string, args: string[], dflt: number): { n: number; fromStart: boolean; files: string[] } | null {
  let n = dflt;
  let fromStart = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-n' || a === '-c') {
      const v = args[++i] ?? '';
      fromStart = v.startsWith('+');
      if (!/^[+-]?\d+$/.test(v)) {
        ctx.err(`${tool}: invalid number of lines: '${v}'\n`);
        return null;
      }
      n = Math.abs(Number(v));
    } else if (/^-\d+$/.test(a)) n = Number(a.slice(1));
    else if (/^-n\d+$/.test(a)) n = Number(a.slice(2));
    else if (a === '-f' || a === '-q') continue;
    else if (a.startsWith('-') && a !== '-') {
      badOption(ctx, tool, a);
      return null;
    } else files.push(a);
  }
  return { n, fromStart, files };
}

export const headCommand: Command = {
  name: 'head',
  path: '/usr/bin/head',
  summary: 'print the first lines',
  run(ctx) {
    const p = countArg(ctx, 'head', ctx.argv.slice(1), 10);
    if (!p) return 1;
    const ins = inputs(ctx, 'head', p.files);
    if (!ins) return 1;
    ins.forEach(({ name, data }, i) => {
      if (ins.length > 1) ctx.out(`${i ? '\n' : ''}==> ${name} <==\n`);
      for (const l of lines(data).slice(0, p.n)) ctx.out(`${l}\n`);
    });
    return ins.length === p.files.length || !p.files.length ? 0 : 1;
  },
};

export const tailCommand: Command = {
  name: 'tail',
  path: '/usr/bin/tail',
  summary: 'print the last lines',
  run(ctx) {
    const p = countArg(ctx, 'tail', ctx.argv.slice(1), 10);
    if (!p) return 1;
    const ins = inputs(ctx, 'tail', p.files);
    if (!ins) return 1;
    ins.forEach(({ name, data }, i) => {
      if (ins.length > 1) ctx.out(`${i ? '\n' : ''}==> ${name} <==\n`);
      const ls = lines(data);
      const sel = p.fromStart ? ls.slice(Math.max(0, p.n - 1)) : p.n === 0 ? [] : ls.slice(-p.n);
      for (const l of sel) ctx.out(`${l}\n`);
    });
    return 0;
  },
};

export const wcCommand: Command = {
  name: 'wc',
  path: '/usr/bin/wc',
  summary: 'count lines, words and bytes',
  run(ctx) {
    const flags = new Set<string>();
    const files: string[] = [];
    for (const a of ctx.argv.slice(1)) {
      if (a.startsWith('-') && a !== '-') {
        for (const c of a.slice(1)) {
          if ('lwcm'.includes(c)) flags.add(c === 'm' ? 'c' : c);
          else return badOption(ctx, 'wc', `-${c}`);
        }
      } else files.push(a);
    }
    const show = flags.size ? flags : new Set(['l', 'w', 'c']);
    const ins = inputs(ctx, 'wc', files);
    if (!ins) return 1;
    const rows = ins.map(({ name, data }) => ({ name, l: (data.match(/\n/g) ?? []).length, w: data.split(/\s+/).filter(Boolean).length, c: new TextEncoder().encode(data).length }));
    if (rows.length > 1) rows.push({ name: 'total', l: rows.reduce((s, r) => s + r.l, 0), w: rows.reduce((s, r) => s + r.w, 0), c: rows.reduce((s, r) => s + r.c, 0) });
    const only = show.size === 1 && !files.length;
    const width = only ? 0 : Math.max(1, ...rows.map((r) => String(Math.max(r.l, r.w, r.c)).length));
    for (const r of rows) {
      const cols = (['l', 'w', 'c'] as const).filter((k) => show.has(k)).map((k) => String(r[k]).padStart(width));
      ctx.out(`${cols.join(' ')}${files.length ? ` ${r.name}` : ''}\n`);
    }
    return 0;
  },
};

export const sortCommand: Command = {
  name: 'sort',
  path: '/usr/bin/sort',
  summary: 'sort lines',
  run(ctx) {
    let numeric = false;
    let reverse = false;
    let unique = false;
    let key: number | null = null;
    let sep: string | null = null;
    const files: string[] = [];
    const args = ctx.argv.slice(1);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-k') key = parseInt(args[++i] ?? '1', 10);
      else if (a === '-t') sep = args[++i] ?? null;
      else if (a.startsWith('-') && a !== '-') {
        for (const c of a.slice(1)) {
          if (c === 'n' || c === 'V' || c === 'h') numeric = true;
          else if (c === 'r') reverse = true;
          else if (c === 'u') unique = true;
          else if (c === 'b' || c === 'f') continue;
          else return badOption(ctx, 'sort', `-${c}`);
        }
      } else files.push(a);
    }
    const ins = inputs(ctx, 'sort', files);
    if (!ins) return 2;
    let ls = ins.flatMap((x) => lines(x.data));
    const field = (l: string) => (key === null ? l : (sep === null ? l.trim().split(/\s+/) : l.split(sep))[key - 1] ?? '');
    ls.sort((a, b) => {
      const fa = field(a);
      const fb = field(b);
      const r = numeric ? parseFloat(fa || '0') - parseFloat(fb || '0') || (a < b ? -1 : a > b ? 1 : 0) : fa < fb ? -1 : fa > fb ? 1 : 0;
      return reverse ? -r : r;
    });
    if (unique) ls = ls.filter((l, i) => i === 0 || field(l) !== field(ls[i - 1]));
    for (const l of ls) ctx.out(`${l}\n`);
    return 0;
  },
};

export const uniqCommand: Command = {
  name: 'uniq',
  path: '/usr/bin/uniq',
  summary: 'collapse repeated lines',
  run(ctx) {
    let count = false;
    const files: string[] = [];
    for (const a of ctx.argv.slice(1)) {
      if (a === '-c') count = true;
      else if (a.startsWith('-') && a !== '-') return badOption(ctx, 'uniq', a);
      else files.push(a);
    }
    const ins = inputs(ctx, 'uniq', files.slice(0, 1));
    if (!ins) return 1;
    const ls = lines(ins[0].data);
    let i = 0;
    while (i < ls.length) {
      let j = i;
      while (j < ls.length && ls[j] === ls[i]) j++;
      ctx.out(count ? `${String(j - i).padStart(7)} ${ls[i]}\n` : `${ls[i]}\n`);
      i = j;
    }
    return 0;
  },
};

export const cutCommand: Command = {
  name: 'cut',
  path: '/usr/bin/cut',
  summary: 'print selected fields of each line',
  run(ctx) {
    let delim = '\t';
    let fields: number[] | null = null;
    let chars: number[] | null = null;
    const files: string[] = [];
    const args = ctx.argv.slice(1);
    const parseList = (s: string): number[] => {
      const out: number[] = [];
      for (const part of s.split(',')) {
        const [a, b] = part.split('-');
        const lo = a === '' ? 1 : Number(a);
        const hi = b === undefined ? lo : b === '' ? 1000 : Number(b);
        for (let k = lo; k <= hi; k++) out.push(k);
      }
      return out;
    };
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-d') delim = args[++i] ?? '\t';
      else if (a.startsWith('-d')) delim = a.slice(2);
      else if (a === '-f') fields = parseList(args[++i] ?? '');
      else if (a.startsWith('-f')) fields = parseList(a.slice(2));
      else if (a === '-c') chars = parseList(args[++i] ?? '');
      else if (a.startsWith('-c')) chars = parseList(a.slice(2));
      else if (a.startsWith('-') && a !== '-') return badOption(ctx, 'cut', a);
      else files.push(a);
    }
    if (!fields && !chars) {
      ctx.err("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n");
      return 1;
    }
    const ins = inputs(ctx, 'cut', files);
    if (!ins) return 1;
    for (const { data } of ins) {
      for (const l of lines(data)) {
        if (chars) ctx.out(`${chars.map((c) => l[c - 1] ?? '').join('')}\n`);
        else {
          const parts = l.split(delim);
          if (parts.length === 1) ctx.out(`${l}\n`);
          else ctx.out(`${fields!.filter((f) => f <= parts.length).map((f) => parts[f - 1]).join(delim)}\n`);
        }
      }
    }
    return 0;
  },
};

export const trCommand: Command = {
  name: 'tr',
  path: '/usr/bin/tr',
  summary: 'translate or delete characters',
  run(ctx) {
    const args = ctx.argv.slice(1);
    const del = args[0] === '-d';
    const sets = del ? args.slice(1) : args;
    const expand = (s: string) => s.replace(/(.)-(.)/g, (_m, a: string, b: string) => {
      let r = '';
      for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) r += String.fromCharCode(c);
      return r;
    }).replace(/\\n/g, '\n').replace(/\\t/g, '\t');
    if (!sets.length) {
      ctx.err("tr: missing operand\nTry 'tr --help' for more information.\n");
      return 1;
    }
    const a = expand(sets[0]);
    const b = sets[1] !== undefined ? expand(sets[1]) : '';
    let out = '';
    for (const ch of ctx.stdin) {
      const i = a.indexOf(ch);
      if (i < 0) out += ch;
      else if (!del) out += b[Math.min(i, b.length - 1)] ?? '';
    }
    ctx.out(out);
    return 0;
  },
};

export const teeCommand: Command = {
  name: 'tee',
  path: '/usr/bin/tee',
  summary: 'copy standard input to files and to standard output',
  run(ctx) {
    let append = false;
    const files: string[] = [];
    for (const a of ctx.argv.slice(1)) {
      if (a === '-a') append = true;
      else files.push(a);
    }
    let status = 0;
    for (const f of files) {
      const r = ctx.writeFile(f, ctx.stdin, append);
      if (!r.ok) {
        ctx.err(`tee: ${f}: ${strerror(r.errno)}\n`);
        status = 1;
      }
    }
    ctx.out(ctx.stdin);
    return status;
  },
};

export const lsCommand: Command = {
  name: 'ls',
  path: '/usr/bin/ls',
  summary: 'list directory contents',
  run(ctx) {
    const paths: string[] = [];
    let long = false;
    let all = false;
    for (const a of ctx.argv.slice(1)) {
      if (a.startsWith('-') && a.length > 1) {
        for (const c of a.slice(1)) {
          if (c === 'l') long = true;
          else if (c === 'a' || c === 'A') all = true;
          else if (c === '1' || c === 'h' || c === 'F' || c === 'd') continue;
          else return badOption(ctx, 'ls', `-${c}`);
        }
      } else paths.push(a);
    }
    void all;
    const targets = paths.length ? paths : ['.'];
    let status = 0;
    // GNU ls reports the operands it cannot access first, then lists the files, then each
    // directory, files and directories each sorted by name
    const listed: { p: string; r: { ok: true; names: string[] } }[] = [];
    for (const p of targets) {
      const r = ctx.listDir(p);
      if (!r.ok) {
        ctx.err(`ls: cannot access '${p}': ${strerror(r.errno)}\n`);
        status = 2;
      } else listed.push({ p, r: ctx.statPath(p) === 'file' ? { ok: true, names: [p] } : (r as { ok: true; names: string[] }) });
    }
    const isDir = (p: string) => ctx.statPath(p) !== 'file';
    const byName = (a: { p: string }, b: { p: string }) => (a.p < b.p ? -1 : a.p > b.p ? 1 : 0);
    const files = listed.filter((t) => !isDir(t.p)).sort(byName);
    const dirs = listed.filter((t) => isDir(t.p)).sort(byName);
    let printed = 0;
    [...files, ...dirs].forEach(({ p, r }) => {
      if (targets.length > 1 && isDir(p)) ctx.out(`${printed ? '\n' : ''}${p}:\n`);
      printed++;
      const isFile = ctx.statPath(p) === 'file';
      if (!long) {
        for (const n of r.names) ctx.out(`${n}\n`);
        return;
      }
      const rows = r.names.map((n) => {
        const full = isFile ? p : `${p.replace(/\/$/, '')}/${n}`;
        const kind = ctx.statPath(full);
        // a file under /proc has no size on disk: ls -l says 0
        const size = kind !== 'file' ? 4096 : full.startsWith('/proc/') ? 0 : ((ctx.readFile(full) as { ok: true; data: string }).data?.length ?? 0);
        return { n, dir: kind === 'dir', size };
      });
      // GNU ls -l opens a directory's listing with the 1K blocks its entries use (4 KiB per block),
      // and sizes the columns to their widest entry
      if (!isFile) ctx.out(`total ${rows.reduce((t, e) => t + Math.ceil(e.size / 4096) * 4, 0)}\n`);
      const w = Math.max(0, ...rows.map((e) => String(e.size).length));
      for (const e of rows) ctx.out(`${e.dir ? 'drwxr-xr-x 2' : '-rw-r--r-- 1'} root root ${String(e.size).padStart(w)} Jan  5 09:00 ${e.n}\n`);
    });
    return status;
  },
};

export const mkdirCommand: Command = {
  name: 'mkdir',
  path: '/usr/bin/mkdir',
  summary: 'make directories',
  run(ctx) {
    let parents = false;
    const dirs: string[] = [];
    for (const a of ctx.argv.slice(1)) {
      if (a === '-p') parents = true;
      else if (a.startsWith('-')) return badOption(ctx, 'mkdir', a);
      else dirs.push(a);
    }
    if (!dirs.length) {
      ctx.err("mkdir: missing operand\nTry 'mkdir --help' for more information.\n");
      return 1;
    }
    let status = 0;
    for (const d of dirs) {
      const e = ctx.ns.fs.mkdir(d.startsWith('/') ? d : `${ctx.cwd}/${d}`, parents);
      if (e) {
        ctx.err(`mkdir: cannot create directory '${d}': ${strerror(e)}\n`);
        status = 1;
      }
    }
    return status;
  },
};

export const rmCommand: Command = {
  name: 'rm',
  path: '/usr/bin/rm',
  summary: 'remove files',
  run(ctx) {
    let recursive = false;
    let force = false;
    const files: string[] = [];
    for (const a of ctx.argv.slice(1)) {
      if (a.startsWith('-') && a.length > 1) {
        for (const c of a.slice(1)) {
          if (c === 'r' || c === 'R') recursive = true;
          else if (c === 'f') force = true;
          else return badOption(ctx, 'rm', `-${c}`);
        }
      } else files.push(a);
    }
    let status = 0;
    for (const f of files) {
      const path = f.startsWith('/') ? f : `${ctx.cwd}/${f}`;
      if (ctx.ns.fs.stat(path) === 'dir' && !recursive) {
        ctx.err(`rm: cannot remove '${f}': Is a directory\n`);
        status = 1;
        continue;
      }
      const e = ctx.ns.fs.remove(path, recursive);
      if (e && !(force && e === 'ENOENT')) {
        ctx.err(`rm: cannot remove '${f}': ${strerror(e)}\n`);
        status = 1;
      }
    }
    return status;
  },
};

export const touchCommand: Command = {
  name: 'touch',
  path: '/usr/bin/touch',
  summary: 'create empty files',
  run(ctx) {
    let status = 0;
    for (const f of ctx.argv.slice(1)) {
      if (ctx.statPath(f)) continue;
      const r = ctx.writeFile(f, '');
      if (!r.ok) {
        ctx.err(`touch: cannot touch '${f}': ${strerror(r.errno)}\n`);
        status = 1;
      }
    }
    return status;
  },
};

export { matchPattern };
