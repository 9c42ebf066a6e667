/**
 * The one place the docker CLI turns `--format` templates and tables into text. It delegates to
 * the Go text/template engine in ./format/ when that is available; until then it understands the
 * common forms (field paths, `index`, `json`, `range`) itself.
 */

export type TemplateResult = { ok: true; text: string } | { ok: false; error: string };

function goString(v: unknown): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goString).join(' ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort();
    return `map[${keys.map((k) => `${k}:${goString((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  }
  return String(v);
}

function goJson(v: unknown): string {
  return JSON.stringify(v ?? null).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

interface Ctx {
  dot: unknown;
  vars: Map<string, unknown>;
}

function tokenize(expr: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === '|') {
      out.push(ch);
      i++;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      while (j < expr.length && expr[j] !== '"') j += expr[j] === '\\' ? 2 : 1;
      out.push(expr.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < expr.length && !/[\s()|]/.test(expr[j])) j++;
    out.push(expr.slice(i, j));
    i = j;
  }
  return out;
}

function field(v: unknown, path: string): unknown {
  let cur = v;
  for (const part of path.split('.').filter(Boolean)) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function evalTokens(tokens: string[], ctx: Ctx): unknown {
  // pipelines: a | f
  const bar = tokens.lastIndexOf('|');
  if (bar >= 0) {
    const left = evalTokens(tokens.slice(0, bar), ctx);
    return call(tokens.slice(bar + 1), ctx, left);
  }
  return call(tokens, ctx, undefined);
}

function operand(tokens: string[], i: number, ctx: Ctx): [unknown, number] {
  const t = tokens[i];
  if (t === '(') {
    let depth = 0;
    let j = i;
    for (; j < tokens.length; j++) {
      if (tokens[j] === '(') depth++;
      else if (tokens[j] === ')' && --depth === 0) break;
    }
    let v = evalTokens(tokens.slice(i + 1, j), ctx);
    // (x).Field
    const next = tokens[j + 1];
    if (next !== undefined && next.startsWith('.') && next.length > 1 && !next.startsWith('..')) {
      v = field(v, next);
      return [v, j + 2];
    }
    return [v, j + 1];
  }
  if (t.startsWith('"')) return [JSON.parse(t), i + 1];
  if (/^-?\d+$/.test(t)) return [Number(t), i + 1];
  if (t === 'true' || t === 'false') return [t === 'true', i + 1];
  if (t.startsWith('$')) {
    const dot = t.indexOf('.');
    const name = dot < 0 ? t : t.slice(0, dot);
    const base = name === '$' ? ctx.vars.get('$') : ctx.vars.get(name);
    return [dot < 0 ? base : field(base, t.slice(dot)), i + 1];
  }
  if (t === '.') return [ctx.dot, i + 1];
  if (t.startsWith('.')) return [field(ctx.dot, t), i + 1];
  throw new Error(`function "${t}" not defined`);
}

function call(tokens: string[], ctx: Ctx, piped: unknown): unknown {
  if (!tokens.length) return piped;
  const head = tokens[0];
  const fns: Record<string, (...a: unknown[]) => unknown> = {
    json: (v) => goJson(v),
    index: (v, ...keys) => keys.reduce((cur: unknown, k) => (cur === null || cur === undefined ? undefined : (cur as Record<string, unknown>)[String(k)]), v),
    len: (v) => (Array.isArray(v) ? v.length : typeof v === 'string' ? v.length : v && typeof v === 'object' ? Object.keys(v).length : 0),
    join: (v, sep) => (Array.isArray(v) ? v.join(String(sep)) : ''),
    lower: (v) => String(v).toLowerCase(),
    upper: (v) => String(v).toUpperCase(),
    printf: (f, ...a) => String(f).replace(/%[sdv]/g, () => goString(a.shift())),
    print: (...a) => a.map(goString).join(''),
    println: (...a) => `${a.map(goString).join(' ')}\n`,
    eq: (a, b) => a === b,
    ne: (a, b) => a !== b,
    not: (a) => !a,
  };
  const fn = fns[head];
  if (!fn) {
    const [v, next] = operand(tokens, 0, ctx);
    if (next < tokens.length) throw new Error(`can't give argument to non-function ${tokens[0]}`);
    return v;
  }
  const args: unknown[] = [];
  let i = 1;
  while (i < tokens.length) {
    const [v, next] = operand(tokens, i, ctx);
    args.push(v);
    i = next;
  }
  if (piped !== undefined) args.push(piped);
  return fn(...args);
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return !!v;
}

type Node = { kind: 'text'; text: string } | { kind: 'expr'; expr: string } | { kind: 'range'; expr: string; body: Node[]; key?: string; val?: string } | { kind: 'if'; expr: string; then: Node[]; else: Node[] };

function parse(src: string): Node[] {
  const parts = src.split(/(\{\{-?\s*[\s\S]*?\s*-?\}\})/);
  const root: Node[] = [];
  const stack: { nodes: Node[]; node?: Node; inElse?: boolean }[] = [{ nodes: root }];
  for (let i = 0; i < parts.length; i++) {
    let p = parts[i];
    if (!p.startsWith('{{')) {
      if (p) stack[stack.length - 1].nodes.push({ kind: 'text', text: p });
      continue;
    }
    const trimL = p.startsWith('{{-');
    const trimR = p.endsWith('-}}');
    if (trimL) {
      const prev = stack[stack.length - 1].nodes.at(-1);
      if (prev && prev.kind === 'text') prev.text = prev.text.replace(/\s+$/, '');
    }
    if (trimR && i + 1 < parts.length) parts[i + 1] = parts[i + 1].replace(/^\s+/, '');
    p = p.replace(/^\{\{-?\s*/, '').replace(/\s*-?\}\}$/, '');
    const top = stack[stack.length - 1];
    if (p.startsWith('/*')) continue;
    if (p.startsWith('range ')) {
      let expr = p.slice(6).trim();
      let key: string | undefined;
      let val: string | undefined;
      const m = /^(\$\w+)\s*(?:,\s*(\$\w+))?\s*:=\s*(.*)$/.exec(expr);
      if (m) {
        if (m[2]) {
          key = m[1];
          val = m[2];
        } else val = m[1];
        expr = m[3];
      }
      const node: Node = { kind: 'range', expr, body: [], key, val };
      top.nodes.push(node);
      stack.push({ nodes: node.body, node });
    } else if (p.startsWith('if ')) {
      const node: Node = { kind: 'if', expr: p.slice(3).trim(), then: [], else: [] };
      top.nodes.push(node);
      stack.push({ nodes: node.then, node });
    } else if (p === 'else') {
      const n = top.node;
      if (n && n.kind === 'if') top.nodes = n.else;
      else if (n && n.kind === 'range') top.nodes = [];
    } else if (p === 'end') {
      if (stack.length === 1) throw new Error('unexpected {{end}}');
      stack.pop();
    } else top.nodes.push({ kind: 'expr', expr: p });
  }
  if (stack.length > 1) throw new Error('unexpected EOF');
  return root;
}

function run(nodes: Node[], ctx: Ctx): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'expr') {
      const assign = /^(\$\w+)\s*:=\s*(.*)$/.exec(n.expr);
      if (assign) {
        ctx.vars.set(assign[1], evalTokens(tokenize(assign[2]), ctx));
        continue;
      }
      out += goString(evalTokens(tokenize(n.expr), ctx));
    } else if (n.kind === 'if') out += run(truthy(evalTokens(tokenize(n.expr), ctx)) ? n.then : n.else, ctx);
    else {
      const v = evalTokens(tokenize(n.expr), ctx);
      const entries: [unknown, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : v && typeof v === 'object' ? Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]) : [];
      for (const [k, x] of entries) {
        const inner: Ctx = { dot: x, vars: new Map(ctx.vars) };
        if (n.key) inner.vars.set(n.key, k);
        if (n.val) inner.vars.set(n.val, x);
        out += run(n.body, inner);
      }
    }
  }
  return out;
}

/** Execute `template` against `value`, as `docker ... --format` does (no trailing newline added). */
export function execTemplate(template: string, value: unknown): TemplateResult {
  let nodes: Node[];
  try {
    nodes = parse(template.replace(/\\n/g, '\n').replace(/\\t/g, '\t'));
  } catch (e) {
    return { ok: false, error: `template parsing error: template: :1: ${(e as Error).message}` };
  }
  try {
    return { ok: true, text: run(nodes, { dot: value, vars: new Map([['$', value]]) }) };
  } catch (e) {
    return { ok: false, error: `template: :1: ${(e as Error).message}` };
  }
}

/** Go's text/tabwriter as the docker CLI sets it up (minwidth 10, padding 3, spaces). */
export function tabwrite(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => {
    if (i < r.length - 1) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  });
  return rows
    .map((r) => r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(Math.max(widths[i] + 3, 10)) : cell)).join(''))
    .map((l) => `${l}\n`)
    .join('');
}
