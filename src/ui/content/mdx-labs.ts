/**
 * Read a lesson's labs and commands out of its MDX source: every <Lab>/<Terminal> (world,
 * scenario, setup), every <Run> (the commands the learner is told to type) with the output the
 * lesson shows for it (a fenced code block of language `output` right after it), and every
 * <Trace>. The lesson tests replay them against the simulator; the
 * `lesson-check` script prints what the simulator really prints, for authors.
 *
 * Props must be literal: "text", {`template without ${}`}, {number} or a bare flag.
 */
import { commandLines } from '../../shell/script.ts';

/**
 * The command lines of a <Run> (or a <Trace>'s `before`): one per line, except that a heredoc's
 * body and terminator belong to the line that opens it, kept as written (indentation matters in
 * a compose file typed with `cat > compose.yaml <<'EOF'`).
 */
export function runCommands(cmd: string): string[] {
  const text = cmd
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n');
  return commandLines(text).map((c) => c.replace(/^\s+/, ''));
}

export type Props = Record<string, string | number | boolean>;

export interface LabUse {
  readonly kind: 'Lab' | 'Terminal';
  readonly id: string;
  readonly props: Props;
  readonly line: number;
}

export interface RunUse {
  /** the lab whose terminal runs it (undefined: the first terminal of the page) */
  readonly lab?: string;
  readonly commands: readonly string[];
  readonly fails: boolean;
  /** the expected output: a fenced ```output block right after it */
  readonly output?: string;
  /** where that block's text starts and ends in the source (for tools that rewrite it) */
  readonly outputSpan?: readonly [number, number];
  readonly line: number;
}

export interface TraceUse {
  readonly id: string;
  readonly props: Props;
  readonly line: number;
}

export interface LessonLabs {
  readonly labs: readonly LabUse[];
  readonly runs: readonly RunUse[];
  readonly traces: readonly TraceUse[];
  readonly errors: readonly string[];
}

function unescapeTemplate(s: string): string {
  return s.replace(/\\([`\\$])/g, '$1');
}

/**
 * What the MDX compiler (satteri) does to a prop's template literal that spans lines: every line
 * after the first loses up to two columns of leading whitespace (two spaces, or a tab), as a
 * continuation line of the JSX element. The lesson tests must replay what the site will run, so
 * they read props the same way: a heredoc's body is written indented by two extra spaces.
 */
export function stripContinuationIndent(s: string): string {
  return s.replace(/\n([ \t]*)/g, (_m, ws: string) => {
    // whitespace that starts before column 2 goes (a tab reaches the next multiple of 4)
    let col = 0;
    let i = 0;
    while (i < ws.length && col < 2) col = ws[i++] === '\t' ? col + 4 - (col % 4) : col + 1;
    return `\n${ws.slice(i)}`;
  });
}

/** Parse the attributes of a JSX tag (between the name and the closing `/>` or `>`). */
export function parseProps(src: string): { props: Props; errors: string[] } {
  const props: Props = {};
  const errors: string[] = [];
  let i = 0;
  while (i < src.length) {
    const ws = /^\s+/.exec(src.slice(i));
    if (ws) {
      i += ws[0].length;
      continue;
    }
    const name = /^[A-Za-z_][\w-]*/.exec(src.slice(i));
    if (!name) {
      errors.push(`cannot read props at "${src.slice(i, i + 30)}"`);
      break;
    }
    i += name[0].length;
    if (src[i] !== '=') {
      props[name[0]] = true;
      continue;
    }
    i++;
    if (src[i] === '"') {
      const end = src.indexOf('"', i + 1);
      props[name[0]] = src.slice(i + 1, end);
      i = end + 1;
    } else if (src.startsWith('{`', i)) {
      let j = i + 2;
      while (j < src.length && !(src[j] === '`' && src[j - 1] !== '\\')) j++;
      const body = src.slice(i + 2, j);
      if (/(^|[^\\])\$\{/.test(body)) errors.push(`prop ${name[0]}: templates with \${} are not allowed`);
      props[name[0]] = stripContinuationIndent(unescapeTemplate(body));
      if (src[j + 1] !== '}') errors.push(`prop ${name[0]}: expected } after the template`);
      i = j + 2;
    } else if (src[i] === '{') {
      const end = src.indexOf('}', i);
      const v = src.slice(i + 1, end).trim();
      if (/^-?\d+(\.\d+)?$/.test(v)) props[name[0]] = Number(v);
      else if (v === 'true' || v === 'false') props[name[0]] = v === 'true';
      else if (/^'[^']*'$/.test(v) || /^"[^"]*"$/.test(v)) props[name[0]] = v.slice(1, -1);
      else props[name[0]] = v;
      i = end + 1;
    } else {
      errors.push(`prop ${name[0]}: unsupported value`);
      break;
    }
  }
  return { props, errors };
}

/** Find self-closing tags `<Name ... />` (props may span lines). */
function* tags(text: string, names: readonly string[]): Generator<{ name: string; attrs: string; start: number; end: number }> {
  const re = new RegExp(`<(${names.join('|')})\\b`, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    // scan to the matching "/>" outside strings and templates
    let i = m.index + m[0].length;
    let quote: string | null = null;
    let depth = 0;
    for (; i < text.length; i++) {
      const c = text[i];
      if (quote) {
        if (c === quote && text[i - 1] !== '\\') quote = null;
        continue;
      }
      if (c === '"' || c === '`') quote = c;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (depth === 0 && c === '/' && text[i + 1] === '>') break;
      else if (depth === 0 && c === '>') break;
    }
    yield { name: m[1], attrs: text.slice(m.index + m[0].length, i), start: m.index, end: text[i] === '/' ? i + 2 : i + 1 };
    re.lastIndex = i;
  }
}

function lineOf(text: string, pos: number): number {
  let n = 1;
  for (let i = 0; i < pos; i++) if (text[i] === '\n') n++;
  return n;
}

export function lessonLabs(text: string): LessonLabs {
  const labs: LabUse[] = [];
  const runs: RunUse[] = [];
  const traces: TraceUse[] = [];
  const errors: string[] = [];
  const all = [...tags(text, ['Lab', 'Terminal', 'Run', 'Trace'])];
  for (let k = 0; k < all.length; k++) {
    const t = all[k];
    const line = lineOf(text, t.start);
    const { props, errors: pe } = parseProps(t.attrs);
    for (const e of pe) errors.push(`line ${line}: <${t.name}>: ${e}`);
    if (t.name === 'Lab' || t.name === 'Terminal') {
      const id = String(t.name === 'Lab' ? props.id : props.lab);
      labs.push({ kind: t.name, id, props, line });
    } else if (t.name === 'Trace') {
      traces.push({ id: String(props.id), props, line });
    } else if (t.name === 'Run') {
      if (typeof props.cmd !== 'string') {
        errors.push(`line ${line}: <Run> needs a cmd`);
        continue;
      }
      const fence = /^\s*\n```output\n/.exec(text.slice(t.end));
      let output: string | undefined;
      let outputSpan: [number, number] | undefined;
      if (fence) {
        const start = t.end + fence[0].length;
        const end = text.indexOf('\n```', start - 1);
        if (end < 0) errors.push(`line ${line}: unterminated output block`);
        else {
          output = text.slice(start, Math.max(start, end));
          outputSpan = [start, Math.max(start, end)];
        }
      }
      runs.push({
        lab: typeof props.lab === 'string' ? props.lab : undefined,
        commands: runCommands(props.cmd),
        fails: props.fails === true,
        output,
        ...(outputSpan ? { outputSpan } : {}),
        line,
      });
    }
  }
  return { labs, runs, traces, errors };
}

/** Compare what a command printed with what the lesson says; "[...]" lines skip any lines. */
export function outputMatches(actual: string, expected: string): boolean {
  const a = actual.replace(/\r/g, '').replace(/\s+$/, '').split('\n').map((l) => l.trimEnd());
  const e = expected.replace(/^\n/, '').replace(/\s+$/, '').split('\n').map((l) => l.trimEnd());
  const match = (i: number, j: number): boolean => {
    if (j === e.length) return i === a.length;
    if (e[j] === '[...]') {
      for (let k = i; k <= a.length; k++) if (match(k, j + 1)) return true;
      return false;
    }
    return i < a.length && a[i] === e[j] && match(i + 1, j + 1);
  };
  return match(0, 0);
}
