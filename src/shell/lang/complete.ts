/**
 * Tab completion. The line is read leniently (unterminated quotes are fine) up to the cursor to
 * find the word being completed and the command it belongs to. In command position the
 * candidates are command names; elsewhere the provider is asked (the session knows each
 * command's arguments: interface names, namespaces, subcommands...).
 */

import { BUILTIN_NAMES } from './builtins.ts';

export interface CompletionProvider {
  /** Names of runtime commands (builtins are added by {@link complete}); may include functions. */
  commandNames(): readonly string[];
  /**
   * Candidates for an argument. `argvBeforeCursor` is the command's words before the one being
   * completed, quotes removed, starting at the command name (a leading `sudo`, `command`,
   * `exec`, `time`, `nohup` and `NAME=value` assignments are dropped, as are redirections).
   * `partial` is the (unquoted) text of the word up to the cursor. Candidates not starting
   * with `partial` are filtered out afterwards.
   */
  argCandidates(argvBeforeCursor: string[], partial: string): readonly string[];
  /** File names for a redirection target (`> part<TAB>`); without it `argCandidates` is asked. */
  fileCandidates?(partial: string): readonly string[];
  /** Variable names, for a word starting with `$`. */
  variableNames?(): readonly string[];
}

export interface CompletionResult {
  /** The range of `line` the chosen candidate replaces (the word up to the cursor). */
  readonly start: number;
  readonly end: number;
  /** Sorted, unique, each starting with the partial word. */
  readonly candidates: string[];
}

interface LooseToken {
  readonly kind: 'word' | 'op';
  /** Text with quotes removed (for operators, the operator). */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Words after which the next word is again a command name. */
const COMMAND_PREFIXES = new Set([
  'sudo', 'command', 'exec', 'time', 'nohup', 'builtin', '!', 'if', 'then', 'else', 'elif', 'while', 'until', 'do', '{',
]);

/** Operators after which a new command starts. */
const COMMAND_SEPARATORS = new Set([';', '&&', '||', '|', '|&', '&', '(', ')', '\n', '$(', '`']);

const REDIRECTIONS = new Set(['<', '>', '>>', '>|', '<>', '&>', '&>>', '<<<', '>&', '<&', '<<', '<<-']);

/** Splits `text` into words and operators without ever failing. */
function looseTokens(text: string): LooseToken[] {
  const out: LooseToken[] = [];
  let i = 0;
  let backquoteOpen = false;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '#' && (i === 0 || /[\s;&|()]/.test(text[i - 1]!))) {
      // A comment runs to the end of the line.
      const nl = text.indexOf('\n', i);
      if (nl < 0) return [...out, { kind: 'op', text: '#', start: i, end: text.length }];
      i = nl;
      continue;
    }
    const ops = ['&>>', '<<<', '<<-', '&&', '||', '|&', '&>', '>>', '>|', '<>', '>&', '<&', '<<', '$(', ';', '&', '|', '(', ')', '<', '>', '\n', '`'];
    const op = ops.find((o) => text.startsWith(o, i));
    if (op !== undefined) {
      let t = op;
      if (op === '`') {
        backquoteOpen = !backquoteOpen;
        if (!backquoteOpen) t = ')';
      }
      out.push({ kind: 'op', text: t, start: i, end: i + op.length });
      i += op.length;
      continue;
    }
    // A word (a leading fd number before < or > is part of the operator, so drop it).
    const start = i;
    let word = '';
    while (i < text.length) {
      const d = text[i]!;
      if (/[\s;&|()<>`]/.test(d)) break;
      if (d === '$' && text[i + 1] === '(') break;
      if (d === '\\') {
        word += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (d === "'" || d === '"') {
        const close = text.indexOf(d, i + 1);
        const end = close < 0 ? text.length : close;
        word += text.slice(i + 1, end);
        i = close < 0 ? text.length : close + 1;
        continue;
      }
      word += d;
      i++;
    }
    if (i === start) {
      // `$` followed by `(` at a word start: let the operator branch take it.
      i++;
      continue;
    }
    if (/^[0-9]+$/.test(word) && (text[i] === '<' || text[i] === '>')) continue;
    out.push({ kind: 'word', text: word, start, end: i });
  }
  return out;
}

/**
 * Completes the word at `cursor` in `line`.
 * Command position: the start of the line, after `;`, `|`, `&&`, `||`, `&`, `(`, `$(`, and after
 * `sudo` (and the other prefixes above) or leading assignments.
 */
export function complete(line: string, cursor: number, provider: CompletionProvider): CompletionResult {
  const pos = Math.max(0, Math.min(cursor, line.length));
  const text = line.slice(0, pos);
  const tokens = looseTokens(text);
  const last = tokens[tokens.length - 1];
  const inWord = last !== undefined && last.kind === 'word' && last.end === pos;
  const partial = inWord ? last.text : '';
  const start = inWord ? last.start : pos;
  const before = inWord ? tokens.slice(0, -1) : tokens;
  const result = (candidates: Iterable<string>): CompletionResult => ({
    start,
    end: pos,
    candidates: [...new Set(candidates)].filter((c) => c.startsWith(partial)).sort(),
  });

  // Inside a comment: nothing to complete.
  if (last !== undefined && last.kind === 'op' && last.text === '#') return { start: pos, end: pos, candidates: [] };

  if (partial.startsWith('$') && !partial.startsWith('$(') && provider.variableNames) {
    return result(provider.variableNames().map((n) => '$' + n));
  }

  // The words of the current command, up to the word being completed.
  let i = before.length;
  while (i > 0 && !(before[i - 1]!.kind === 'op' && COMMAND_SEPARATORS.has(before[i - 1]!.text))) i--;
  const current = before.slice(i);

  const prev = current[current.length - 1];
  if (prev !== undefined && prev.kind === 'op' && REDIRECTIONS.has(prev.text)) {
    if (prev.text === '<<' || prev.text === '<<-') return result([]);
    return result(provider.fileCandidates ? provider.fileCandidates(partial) : provider.argCandidates([], partial));
  }

  const argv: string[] = [];
  let commandSeen = false;
  for (let j = 0; j < current.length; j++) {
    const t = current[j]!;
    if (t.kind === 'op') {
      if (REDIRECTIONS.has(t.text)) j++; // skip its target
      continue;
    }
    if (!commandSeen) {
      if (/^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(t.text)) continue;
      if (COMMAND_PREFIXES.has(t.text)) continue;
      commandSeen = true;
    }
    argv.push(t.text);
  }

  if (argv.length === 0) {
    if (/^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(partial)) return result([]);
    return result([...provider.commandNames(), ...BUILTIN_NAMES]);
  }
  return result(provider.argCandidates(argv, partial));
}
