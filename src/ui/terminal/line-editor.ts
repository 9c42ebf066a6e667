/**
 * Line editing for the lesson terminal, as readline does it in bash: insert and delete, move
 * by character, word and line, recall history, kill and yank-free clearing. Pure: it turns the
 * bytes xterm.js reports into a new line state and the escape sequences that redraw it, so it is
 * tested without a browser. Long lines wrap; redraws track the terminal width.
 */

export interface EditorState {
  readonly buffer: string;
  readonly cursor: number;
  /** submitted lines, oldest first */
  readonly history: readonly string[];
  /** position while browsing history (history.length = the line being edited) */
  readonly histIndex: number;
  /** the line being edited before browsing history started */
  readonly draft: string;
}

export type EditorAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'redraw' }
  | { readonly kind: 'submit'; readonly line: string }
  | { readonly kind: 'interrupt' }
  | { readonly kind: 'clear-screen' }
  | { readonly kind: 'complete' }
  | { readonly kind: 'eof' };

export function emptyEditor(history: readonly string[] = []): EditorState {
  return { buffer: '', cursor: 0, history, histIndex: history.length, draft: '' };
}

const MAX_HISTORY = 500;

function set(s: EditorState, buffer: string, cursor: number): EditorState {
  return { ...s, buffer, cursor: Math.max(0, Math.min(buffer.length, cursor)) };
}

function wordLeft(b: string, c: number): number {
  let i = c;
  while (i > 0 && b[i - 1] === ' ') i--;
  while (i > 0 && b[i - 1] !== ' ') i--;
  return i;
}

function wordRight(b: string, c: number): number {
  let i = c;
  while (i < b.length && b[i] === ' ') i++;
  while (i < b.length && b[i] !== ' ') i++;
  return i;
}

/** Split xterm input into keys: escape sequences, control bytes and runs of text. */
export function keys(data: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < data.length) {
    const c = data[i];
    if (c === '\x1b') {
      const m = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z]|[bfdy.])/.exec(data.slice(i));
      const len = m ? m[0].length : 1;
      out.push(data.slice(i, i + len));
      i += len;
    } else if (c < ' ' || c === '\x7f') {
      out.push(c);
      i++;
    } else {
      let j = i;
      while (j < data.length && data[j] >= ' ' && data[j] !== '\x7f' && data[j] !== '\x1b') j++;
      out.push(data.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** Apply one key. */
export function applyKey(s: EditorState, key: string): { state: EditorState; action: EditorAction } {
  const b = s.buffer;
  const c = s.cursor;
  const redraw = (st: EditorState) => ({ state: st, action: { kind: 'redraw' } as EditorAction });
  switch (key) {
    case '\r':
    case '\n': {
      const line = b;
      const history = line.trim() && line !== s.history[s.history.length - 1] ? [...s.history, line].slice(-MAX_HISTORY) : s.history;
      return { state: { buffer: '', cursor: 0, history, histIndex: history.length, draft: '' }, action: { kind: 'submit', line } };
    }
    case '\x7f':
    case '\b':
      return c > 0 ? redraw(set(s, b.slice(0, c - 1) + b.slice(c), c - 1)) : { state: s, action: { kind: 'none' } };
    case '\x1b[3~':
    case '\x04':
      if (key === '\x04' && b === '') return { state: s, action: { kind: 'eof' } };
      return c < b.length ? redraw(set(s, b.slice(0, c) + b.slice(c + 1), c)) : { state: s, action: { kind: 'none' } };
    case '\x1b[D':
    case '\x02':
      return redraw(set(s, b, c - 1));
    case '\x1b[C':
    case '\x06':
      return redraw(set(s, b, c + 1));
    case '\x1b[H':
    case '\x1bOH':
    case '\x1b[1~':
    case '\x01':
      return redraw(set(s, b, 0));
    case '\x1b[F':
    case '\x1bOF':
    case '\x1b[4~':
    case '\x05':
      return redraw(set(s, b, b.length));
    case '\x1b[1;5D':
    case '\x1bb':
      return redraw(set(s, b, wordLeft(b, c)));
    case '\x1b[1;5C':
    case '\x1bf':
      return redraw(set(s, b, wordRight(b, c)));
    case '\x15': // Ctrl+U: kill to start of line
      return redraw(set(s, b.slice(c), 0));
    case '\x0b': // Ctrl+K: kill to end of line
      return redraw(set(s, b.slice(0, c), c));
    case '\x17': {
      // Ctrl+W: kill the word before the cursor
      const w = wordLeft(b, c);
      return redraw(set(s, b.slice(0, w) + b.slice(c), w));
    }
    case '\x1b[A':
    case '\x10': {
      if (s.histIndex === 0) return { state: s, action: { kind: 'none' } };
      const draft = s.histIndex === s.history.length ? b : s.draft;
      const i = s.histIndex - 1;
      const line = s.history[i];
      return redraw({ ...s, buffer: line, cursor: line.length, histIndex: i, draft });
    }
    case '\x1b[B':
    case '\x0e': {
      if (s.histIndex >= s.history.length) return { state: s, action: { kind: 'none' } };
      const i = s.histIndex + 1;
      const line = i === s.history.length ? s.draft : s.history[i];
      return redraw({ ...s, buffer: line, cursor: line.length, histIndex: i });
    }
    case '\x03':
      return { state: { ...s, buffer: '', cursor: 0, histIndex: s.history.length, draft: '' }, action: { kind: 'interrupt' } };
    case '\x0c':
      return { state: s, action: { kind: 'clear-screen' } };
    case '\t':
      return { state: s, action: { kind: 'complete' } };
    default:
      if (key.startsWith('\x1b') || (key.length === 1 && key < ' ')) return { state: s, action: { kind: 'none' } };
      return redraw(set(s, b.slice(0, c) + key + b.slice(c), c + key.length));
  }
}

/** Replace `start..end` with `text` (tab completion). */
export function replaceRange(s: EditorState, start: number, end: number, text: string): EditorState {
  return set(s, s.buffer.slice(0, start) + text + s.buffer.slice(end), start + text.length);
}

/** Longest common prefix of completion candidates. */
export function commonPrefix(words: readonly string[]): string {
  if (!words.length) return '';
  let p = words[0];
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** Visible width of text (escape sequences do not count). */
export function visibleLength(text: string): number {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').length;
}

/**
 * The escape sequences that redraw an edited line. The cursor is at `from` characters after
 * the start of the prompt (prompt included); the prompt itself stays, the input is rewritten.
 */
export function redrawSequence(promptLen: number, oldCursor: number, s: EditorState, cols: number): string {
  const rowOf = (p: number) => Math.floor(p / cols);
  const colOf = (p: number) => p % cols;
  let out = '';
  const up = rowOf(promptLen + oldCursor) - rowOf(promptLen);
  if (up > 0) out += `\x1b[${up}A`;
  out += `\x1b[${colOf(promptLen) + 1}G`;
  out += '\x1b[J';
  out += s.buffer;
  const end = promptLen + s.buffer.length;
  // at the right margin xterm keeps the cursor on the last column; wrap explicitly
  if (s.buffer.length && end % cols === 0) out += '\r\n';
  const back = rowOf(end) - rowOf(promptLen + s.cursor);
  if (back > 0) out += `\x1b[${back}A`;
  out += `\x1b[${colOf(promptLen + s.cursor) + 1}G`;
  return out;
}
