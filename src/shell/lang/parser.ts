/**
 * Recursive-descent parser for the shell grammar (the part of bash's that a terminal needs):
 *
 *   program      := linebreak (and_or (sep and_or)* sep?)? EOF
 *   and_or       := pipeline (('&&' | '||') linebreak pipeline)*
 *   pipeline     := '!'* command (('|' | '|&') linebreak command)*
 *   command      := simple | compound redirect* | funcdef
 *   compound     := '(' list ')' | '{' list '}' | if | for | while | until | case
 *                 | '((' expr '))' | '[[' cond ']]'
 *
 * where `sep` is `;`, `&` or a newline and `linebreak` is any number of newlines.
 *
 * Reserved words (`if`, `then`, `}`, ...) are recognized only where a command may start, as in
 * bash: `echo fi` prints "fi", while `fi` at the start of a command is a syntax error.
 *
 * Besides {@link parse}, {@link analyzeInput} splits a text into "command lines" and tells a
 * terminal whether the text is complete, needs more lines, or has a syntax error.
 */

import type {
  AndOr,
  Assignment,
  CaseItem,
  Command,
  CompoundCommand,
  CondExpr,
  IfClause,
  List,
  ListItem,
  Pipeline,
  Program,
  Redirect,
  RedirectOp,
  SimpleCommand,
  Word,
  WordPart,
} from './ast.ts';
import {
  IncompleteInput,
  Lexer,
  REDIRECT_OPS,
  ShellSyntaxError,
  type SubParser,
  type Token,
  type WordToken,
  tokenText,
  unexpectedEof,
} from './lexer.ts';

/** Words that end a compound list when they appear where a command would start. */
const LIST_TERMINATORS: ReadonlySet<string> = new Set(['then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}']);

/** Reserved words bash recognizes in command position. */
export const RESERVED_WORDS: readonly string[] = [
  '!', '[[', ']]', 'case', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'function', 'if', 'in',
  'then', 'until', 'while', '{', '}',
];

const COND_UNARY: ReadonlySet<string> = new Set([
  '-a', '-b', '-c', '-d', '-e', '-f', '-g', '-h', '-k', '-n', '-p', '-r', '-s', '-t', '-u', '-w', '-x', '-z',
  '-G', '-L', '-N', '-O', '-S', '-v', '-o',
]);
const COND_BINARY: ReadonlySet<string> = new Set([
  '==', '=', '!=', '=~', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef',
]);

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

// ---------------------------------------------------------------------------------------------
// Sub-parsing hook for $(...) and `...`

const subParser: SubParser = {
  parseNested(src: string, start: number) {
    const lexer = new Lexer(src, start, { sub: subParser, nested: true });
    const parser = new Parser(lexer);
    const body = parser.parseProgramBody();
    if (!lexer.closed) {
      // The input ended before the `)`.
      throw new IncompleteInput("bash: unexpected EOF while looking for matching `)'");
    }
    return { program: { type: 'program', body, source: src }, end: lexer.pos };
  },
  parseStandalone(src: string) {
    try {
      const lexer = new Lexer(src, 0, { sub: subParser, eofEndsHeredoc: true });
      const body = new Parser(lexer).parseProgramBody();
      return { type: 'program', body, source: src };
    } catch (e) {
      // A backquoted command is complete once its closing backquote was found.
      if (e instanceof IncompleteInput) throw new ShellSyntaxError('`', -1, e.eofMessage);
      throw e;
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Parser

class Parser {
  private readonly lx: Lexer;
  private la: Token | null = null;
  /** End offset of the last consumed token other than a newline. */
  private prevEnd = 0;
  /** Offset of the first token of the command line being parsed (-1 before it is read). */
  unitStart = -1;

  constructor(lexer: Lexer) {
    this.lx = lexer;
    this.prevEnd = lexer.pos;
  }

  private peek(): Token {
    if (this.la === null) this.la = this.lx.next();
    return this.la;
  }

  private advance(): Token {
    const t = this.peek();
    this.la = null;
    if (t.kind !== 'newline') this.prevEnd = t.end;
    return t;
  }

  private fail(t: Token): never {
    throw new ShellSyntaxError(tokenText(t), t.start);
  }

  private isWord(t: Token, text: string): boolean {
    return t.kind === 'word' && t.raw === text;
  }

  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.advance();
  }

  /** At EOF where more input is needed: incomplete. Elsewhere: a syntax error. */
  private needMore(t: Token): never {
    if (t.kind === 'eof') throw unexpectedEof();
    throw new ShellSyntaxError(tokenText(t), t.start);
  }

  private expectWord(text: string): void {
    const t = this.peek();
    if (this.isWord(t, text)) {
      this.advance();
      return;
    }
    this.needMore(t);
  }

  private expectOp(op: string): Token {
    const t = this.peek();
    if (t.kind === 'op' && t.op === op) return this.advance();
    this.needMore(t);
  }

  // ------------------------------------------------------------------------------------------
  // Lists

  /** A whole program: and-or lists separated by `;`, `&` or newlines, up to the end. */
  parseProgramBody(): List {
    const items: ListItem[] = [];
    this.skipNewlines();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof' || t.kind === 'close') break;
      const start = t.start;
      const command = this.parseAndOr();
      const end = this.prevEnd;
      const sep = this.peek();
      if (sep.kind === 'op' && (sep.op === ';' || sep.op === '&')) {
        this.advance();
        items.push({ command, background: sep.op === '&', start, end, text: this.lx.src.slice(start, end) });
        this.skipNewlines();
      } else if (sep.kind === 'newline') {
        this.advance();
        items.push({ command, background: false, start, end, text: this.lx.src.slice(start, end) });
        this.skipNewlines();
      } else if (sep.kind === 'eof' || sep.kind === 'close') {
        items.push({ command, background: false, start, end, text: this.lx.src.slice(start, end) });
        break;
      } else {
        this.fail(sep);
      }
    }
    return { type: 'list', items };
  }

  /**
   * One top-level command line: and-or lists separated by `;`/`&`, ended by a newline (whose
   * here-documents are part of it) or the end of input. Returns null at the end of input;
   * otherwise the list and the offsets of the unit (first token, end past the newline).
   */
  parseCommandLine(): { list: List; start: number; end: number } | null {
    this.skipNewlines();
    const first = this.peek();
    if (first.kind === 'eof') return null;
    this.unitStart = first.start;
    const items: ListItem[] = [];
    for (;;) {
      const t = this.peek();
      const start = t.start;
      const command = this.parseAndOr();
      const end = this.prevEnd;
      let sep = this.peek();
      if (sep.kind === 'op' && (sep.op === ';' || sep.op === '&')) {
        this.advance();
        items.push({ command, background: sep.op === '&', start, end, text: this.lx.src.slice(start, end) });
        sep = this.peek();
        if (sep.kind === 'newline') {
          this.advance();
          return { list: { type: 'list', items }, start: first.start, end: sep.end };
        }
        if (sep.kind === 'eof') return { list: { type: 'list', items }, start: first.start, end: sep.start };
        continue;
      }
      items.push({ command, background: false, start, end, text: this.lx.src.slice(start, end) });
      if (sep.kind === 'newline') {
        this.advance();
        return { list: { type: 'list', items }, start: first.start, end: sep.end };
      }
      if (sep.kind === 'eof') return { list: { type: 'list', items }, start: first.start, end: sep.start };
      this.fail(sep);
    }
  }

  /** A list inside a compound command: newlines separate too; ends before a terminator word. */
  private parseCompoundList(allowEmpty = false): List {
    const items: ListItem[] = [];
    this.skipNewlines();
    for (;;) {
      const t = this.peek();
      if (this.endsList(t)) break;
      const start = t.start;
      const command = this.parseAndOr();
      const end = this.prevEnd;
      const sep = this.peek();
      if (sep.kind === 'op' && (sep.op === ';' || sep.op === '&')) {
        this.advance();
        items.push({ command, background: sep.op === '&', start, end, text: this.lx.src.slice(start, end) });
        this.skipNewlines();
      } else if (sep.kind === 'newline') {
        this.advance();
        items.push({ command, background: false, start, end, text: this.lx.src.slice(start, end) });
        this.skipNewlines();
      } else {
        items.push({ command, background: false, start, end, text: this.lx.src.slice(start, end) });
        break;
      }
    }
    if (items.length === 0 && !allowEmpty) this.needMore(this.peek());
    return { type: 'list', items };
  }

  private endsList(t: Token): boolean {
    if (t.kind === 'eof' || t.kind === 'close') return true;
    if (t.kind === 'op') return t.op === ')' || t.op === ';;' || t.op === ';&' || t.op === ';;&';
    return t.kind === 'word' && LIST_TERMINATORS.has(t.raw);
  }

  private parseAndOr(): AndOr {
    const first = this.parsePipeline();
    const rest: { op: '&&' | '||'; pipeline: Pipeline }[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || (t.op !== '&&' && t.op !== '||')) break;
      this.advance();
      this.skipNewlines();
      rest.push({ op: t.op, pipeline: this.parsePipeline() });
    }
    return { type: 'andor', first, rest };
  }

  private parsePipeline(): Pipeline {
    let negated = false;
    while (this.isWord(this.peek(), '!')) {
      this.advance();
      negated = !negated;
    }
    if (negated) {
      // `!` alone: an empty pipeline, whose negated status is 1 (bash accepts this).
      const t = this.peek();
      if (t.kind === 'newline' || t.kind === 'eof' || (t.kind === 'op' && (t.op === ';' || t.op === '&'))) {
        return { type: 'pipeline', negated, commands: [], pipeStderr: [] };
      }
    }
    const commands: Command[] = [this.parseCommand()];
    const pipeStderr: boolean[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || (t.op !== '|' && t.op !== '|&')) break;
      this.advance();
      pipeStderr.push(t.op === '|&');
      this.skipNewlines();
      commands.push(this.parseCommand());
    }
    return { type: 'pipeline', negated, commands, pipeStderr };
  }

  // ------------------------------------------------------------------------------------------
  // Commands

  private parseCommand(): Command {
    const t = this.peek();
    if (t.kind === 'eof') throw unexpectedEof();
    if (t.kind === 'word') {
      switch (t.raw) {
        case 'if':
          return this.withRedirects(this.parseIf());
        case 'while':
        case 'until':
          return this.withRedirects(this.parseWhile(t.raw === 'until'));
        case 'for':
          return this.withRedirects(this.parseFor());
        case 'case':
          return this.withRedirects(this.parseCase());
        case '{': {
          this.advance();
          const body = this.parseCompoundList();
          this.expectWord('}');
          return this.withRedirects({ type: 'group', body, redirects: [] });
        }
        case '[[': {
          this.advance();
          const expr = this.parseCondOr();
          this.expectWord(']]');
          return this.withRedirects({ type: 'cond', expr, redirects: [] });
        }
        case 'function':
          return this.parseFunctionKeyword();
        case 'then': case 'elif': case 'else': case 'fi': case 'do': case 'done': case 'esac': case '}':
        case '!': case ']]':
          this.fail(t);
      }
    }
    if (t.kind === 'op' && t.op === '(') {
      this.advance();
      const body = this.parseCompoundList();
      this.expectOp(')');
      return this.withRedirects({ type: 'subshell', body, redirects: [] });
    }
    if (t.kind === 'arithcmd') {
      this.advance();
      return this.withRedirects({ type: 'arithcmd', parts: t.parts, source: t.source, redirects: [] });
    }
    return this.parseSimple();
  }

  /** Redirections written after a compound command (`done < file`, `} > out`). */
  private withRedirects(cmd: CompoundCommand): CompoundCommand {
    const redirects: Redirect[] = [];
    while (this.atRedirect()) redirects.push(this.parseRedirect());
    if (redirects.length === 0) return cmd;
    return { ...cmd, redirects: [...cmd.redirects, ...redirects] };
  }

  private atRedirect(): boolean {
    const t = this.peek();
    return t.kind === 'ionumber' || (t.kind === 'op' && REDIRECT_OPS.has(t.op));
  }

  private parseRedirect(): Redirect {
    let fd: number | null = null;
    let t = this.advance();
    if (t.kind === 'ionumber') {
      fd = t.fd;
      t = this.advance();
    }
    if (t.kind !== 'op' || !REDIRECT_OPS.has(t.op)) this.fail(t);
    const op = t.op as RedirectOp;
    const target = this.peek();
    // `echo >` is an error even at the end of a line: bash does not read on for a file name.
    if (target.kind !== 'word') throw new ShellSyntaxError(tokenText(target), target.start);
    this.advance();
    return { fd, op, target: toWord(target), heredoc: target.heredoc };
  }

  private parseSimple(): Command {
    const assignments: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    const startTok = this.peek();
    for (;;) {
      if (this.atRedirect()) {
        redirects.push(this.parseRedirect());
        continue;
      }
      const t = this.peek();
      if (t.kind !== 'word') break;
      this.advance();
      if (words.length === 0) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/.exec(t.raw);
        if (m) {
          const valueRaw = t.raw.slice(m[0].length);
          assignments.push({
            name: m[1]!,
            append: m[2] === '+',
            value: { raw: valueRaw, parts: this.lx.scanAssignmentValue(valueRaw) },
          });
          continue;
        }
      }
      words.push(toWord(t));
      // NAME ( ) compound-command: a function definition.
      if (words.length === 1 && assignments.length === 0 && redirects.length === 0) {
        const n = this.peek();
        if (n.kind === 'op' && n.op === '(') return this.parseFunctionRest(t, startTok.start);
      }
    }
    if (assignments.length === 0 && words.length === 0 && redirects.length === 0) {
      this.fail(this.peek());
    }
    const cmd: SimpleCommand = { type: 'simple', assignments, words, redirects };
    return cmd;
  }

  /** After `NAME` with `(` next: `NAME () compound-command`. */
  private parseFunctionRest(nameTok: WordToken, start: number): Command {
    this.advance(); // (
    const close = this.peek();
    if (!(close.kind === 'op' && close.op === ')')) {
      throw new ShellSyntaxError(tokenText(close), close.start);
    }
    this.advance();
    return this.parseFunctionBody(nameTok.raw, start);
  }

  /** `function NAME [()] compound-command` */
  private parseFunctionKeyword(): Command {
    const start = this.advance().start;
    const name = this.peek();
    if (name.kind !== 'word') this.needMore(name);
    this.advance();
    const n = this.peek();
    if (n.kind === 'op' && n.op === '(') {
      this.advance();
      this.expectOp(')');
    }
    return this.parseFunctionBody(name.raw, start);
  }

  private parseFunctionBody(name: string, start: number): Command {
    this.skipNewlines();
    const t = this.peek();
    const compoundStart = t.kind === 'word' && ['{', 'if', 'while', 'until', 'for', 'case', '[['].includes(t.raw);
    const isSubshell = t.kind === 'op' && t.op === '(';
    if (!compoundStart && !isSubshell && t.kind !== 'arithcmd') this.needMore(t);
    const body = this.parseCommand();
    return { type: 'function', name, body, source: this.lx.src.slice(start, this.prevEnd) };
  }

  // ------------------------------------------------------------------------------------------
  // [[ ... ]]: its own little grammar, where && || ! ( ) < > are operators of the expression.

  private parseCondOr(): CondExpr {
    let left = this.parseCondAnd();
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (!(t.kind === 'op' && t.op === '||')) return left;
      this.advance();
      this.skipNewlines();
      left = { kind: 'or', left, right: this.parseCondAnd() };
    }
  }

  private parseCondAnd(): CondExpr {
    let left = this.parseCondPrimary();
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (!(t.kind === 'op' && t.op === '&&')) return left;
      this.advance();
      this.skipNewlines();
      left = { kind: 'and', left, right: this.parseCondPrimary() };
    }
  }

  private parseCondPrimary(): CondExpr {
    this.skipNewlines();
    const t = this.peek();
    if (t.kind === 'op' && t.op === '(') {
      this.advance();
      const expr = this.parseCondOr();
      this.skipNewlines();
      this.expectOp(')');
      return expr;
    }
    if (t.kind !== 'word' || t.raw === ']]') this.needMore(t);
    this.advance();
    if (t.raw === '!') return { kind: 'not', expr: this.parseCondPrimary() };
    const n = this.peek();
    if (COND_UNARY.has(t.raw) && n.kind === 'word' && n.raw !== ']]') {
      this.advance();
      return { kind: 'unary', op: t.raw, arg: toWord(n) };
    }
    if (n.kind === 'word' && COND_BINARY.has(n.raw)) {
      this.advance();
      const right = n.raw === '=~' ? this.lx.readRegexWord() : this.condOperand();
      if (right === null) this.needMore(this.peek());
      return { kind: 'binary', op: n.raw, left: toWord(t), right: toWord(right) };
    }
    if (n.kind === 'op' && (n.op === '<' || n.op === '>')) {
      this.advance();
      const right = this.condOperand();
      return { kind: 'binary', op: n.op, left: toWord(t), right: toWord(right) };
    }
    return { kind: 'word', word: toWord(t) };
  }

  private condOperand(): WordToken {
    const t = this.peek();
    if (t.kind !== 'word' || t.raw === ']]') this.needMore(t);
    this.advance();
    return t;
  }

  private parseIf(): CompoundCommand {
    this.advance(); // if
    const clauses: IfClause[] = [];
    let elseBody: List | null = null;
    for (;;) {
      const condition = this.parseCompoundList();
      this.expectWord('then');
      const body = this.parseCompoundList();
      clauses.push({ condition, body });
      const t = this.peek();
      if (this.isWord(t, 'elif')) {
        this.advance();
        continue;
      }
      if (this.isWord(t, 'else')) {
        this.advance();
        elseBody = this.parseCompoundList();
      }
      this.expectWord('fi');
      return { type: 'if', clauses, elseBody, redirects: [] };
    }
  }

  private parseWhile(until: boolean): CompoundCommand {
    this.advance(); // while / until
    const condition = this.parseCompoundList();
    this.expectWord('do');
    const body = this.parseCompoundList();
    this.expectWord('done');
    return { type: 'while', until, condition, body, redirects: [] };
  }

  private parseFor(): CompoundCommand {
    this.advance(); // for
    const t = this.peek();
    if (t.kind === 'arithcmd') {
      // for (( init; condition; step ))
      this.advance();
      const clauses = splitArithClauses(t.source);
      if (clauses.length !== 3) throw new ShellSyntaxError('((', t.start, "bash: syntax error: arithmetic expression required");
      const [init, condition, step] = clauses.map((c) => this.lx.scanArith(c)) as [WordPart[], WordPart[], WordPart[]];
      const sep = this.peek();
      if (sep.kind === 'op' && sep.op === ';') this.advance();
      this.skipNewlines();
      const body = this.parseLoopBody();
      return { type: 'arithfor', init, condition, step, body, redirects: [] };
    }
    if (t.kind !== 'word') this.needMore(t);
    this.advance();
    const name = t.raw;
    this.skipNewlines();
    let words: Word[] | null = null;
    const n = this.peek();
    if (this.isWord(n, 'in')) {
      this.advance();
      words = [];
      for (;;) {
        const w = this.peek();
        if (w.kind === 'word') {
          this.advance();
          words.push(toWord(w));
          continue;
        }
        if ((w.kind === 'op' && w.op === ';') || w.kind === 'newline') {
          this.advance();
          break;
        }
        this.needMore(w);
      }
    } else if (n.kind === 'op' && n.op === ';') {
      this.advance();
    }
    this.skipNewlines();
    const body = this.parseLoopBody();
    if (!NAME_RE.test(name)) {
      throw new ShellSyntaxError(name, t.start, `bash: \`${name}': not a valid identifier`);
    }
    return { type: 'for', name, words, body, redirects: [] };
  }

  /** `do list done` (or a `{ list }` body, which bash also accepts). */
  private parseLoopBody(): List {
    const t = this.peek();
    if (this.isWord(t, '{')) {
      this.advance();
      const body = this.parseCompoundList();
      this.expectWord('}');
      return body;
    }
    this.expectWord('do');
    const body = this.parseCompoundList();
    this.expectWord('done');
    return body;
  }

  private parseCase(): CompoundCommand {
    this.advance(); // case
    const w = this.peek();
    if (w.kind !== 'word') this.needMore(w);
    this.advance();
    this.skipNewlines();
    this.expectWord('in');
    this.skipNewlines();
    const items: CaseItem[] = [];
    for (;;) {
      let t = this.peek();
      if (this.isWord(t, 'esac')) {
        this.advance();
        break;
      }
      let openParen = false;
      if (t.kind === 'op' && t.op === '(') {
        this.advance();
        openParen = true;
      }
      const patterns: Word[] = [];
      for (;;) {
        // The `)` after a pattern must not be taken for the end of an enclosing `$(`.
        if (!openParen) this.lx.casePatternParen = true;
        t = this.peek();
        if (t.kind !== 'word') {
          this.lx.casePatternParen = false;
          this.needMore(t);
        }
        this.advance();
        patterns.push(toWord(t));
        const sep = this.peek();
        if (sep.kind === 'op' && sep.op === '|') {
          this.advance();
          continue;
        }
        this.lx.casePatternParen = false;
        this.expectOp(')');
        break;
      }
      const body = this.parseCompoundList(true);
      const end = this.peek();
      if (end.kind === 'op' && (end.op === ';;' || end.op === ';&' || end.op === ';;&')) {
        this.advance();
        items.push({ patterns, body, terminator: end.op });
        this.skipNewlines();
        continue;
      }
      if (this.isWord(end, 'esac')) {
        this.advance();
        items.push({ patterns, body, terminator: ';;' });
        break;
      }
      this.needMore(end);
    }
    return { type: 'case', word: toWord(w), items, redirects: [] };
  }
}

function toWord(t: WordToken): Word {
  return { raw: t.raw, parts: t.parts };
}

/** Splits `init; cond; step` at top-level semicolons. */
function splitArithClauses(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of source) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ';' && depth === 0) {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Public API

export type ParseResult =
  | { readonly kind: 'ok'; readonly program: Program; readonly warnings: readonly string[] }
  /** More lines could complete the text; `message` is what bash prints if the input ends here. */
  | { readonly kind: 'incomplete'; readonly message: string }
  /** `message` is bash's full line, e.g. "bash: syntax error near unexpected token `;;'". */
  | { readonly kind: 'error'; readonly message: string; readonly token: string };

export interface ParseOptions {
  /**
   * Treat the end of the text as a real end of input: a here-document still open there ends
   * with a warning (as bash does at the end of a script) instead of making the text incomplete.
   */
  readonly final?: boolean;
}

/** Parses a whole text (any number of lines) into a program. Never throws. */
export function parse(source: string, options: ParseOptions = {}): ParseResult {
  try {
    const lexer = new Lexer(source, 0, { sub: subParser, eofEndsHeredoc: options.final === true });
    const body = new Parser(lexer).parseProgramBody();
    return { kind: 'ok', program: { type: 'program', body, source }, warnings: lexer.warnings };
  } catch (e) {
    return parseFailure(e);
  }
}

function parseFailure(e: unknown): ParseResult & { kind: 'incomplete' | 'error' } {
  if (e instanceof IncompleteInput) return { kind: 'incomplete', message: e.eofMessage };
  if (e instanceof ShellSyntaxError) return { kind: 'error', message: e.message, token: e.token };
  if (e instanceof RangeError) {
    // Absurdly deep nesting (thousands of `$(`): refuse rather than crash.
    return { kind: 'error', message: 'bash: syntax error: expression nested too deeply', token: '' };
  }
  throw e;
}

/** One unit of input, as the terminal runs it: a command line, or a syntax error. */
export interface CommandLine {
  /** The text from the start of its first line to the end of its last (no trailing newline). */
  readonly text: string;
  /** 1-based numbers of its first and last line in the analysed text. */
  readonly firstLine: number;
  readonly lastLine: number;
  /** Offsets of `text` in the analysed text. */
  readonly start: number;
  readonly end: number;
  /** For a syntax error: bash's message (status 2). The rest of that line was discarded. */
  readonly error?: string;
}

export interface InputAnalysis {
  /**
   * - `complete`: every unit is a command line (possibly none: blank lines and comments);
   * - `incomplete`: the text ends inside a command (see `pending`); ask for another line;
   * - `error`: some unit is a syntax error (the others may still be run in order).
   */
  readonly status: 'complete' | 'incomplete' | 'error';
  readonly lines: readonly CommandLine[];
  /** The unfinished text at the end (from a line boundary), or null. */
  readonly pending: string | null;
  /** With `pending`: what bash prints if the input really ends there. */
  readonly pendingMessage: string | null;
}

/**
 * Splits a text (lines joined with "\n"; a trailing newline is optional) into command lines.
 *
 * A command line is a maximal complete unit starting at a line boundary: a line plus its
 * continuation lines, the bodies of its here-documents and the rest of any compound command
 * left open on it. Blank and comment-only lines between command lines belong to none.
 *
 * On a syntax error bash discards the rest of the line it was reading and starts afresh on the
 * next one; the error becomes a unit of its own. With `final`, an unfinished text at the end is
 * an error unit too (a here-document open at the end is closed there, as bash does).
 */
export function analyzeInput(text: string, options: ParseOptions = {}): InputAnalysis {
  const lines: CommandLine[] = [];
  let pos = 0;
  let pending: string | null = null;
  let pendingMessage: string | null = null;
  const lineStartOf = (offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;
  const lineNumberOf = (offset: number): number => {
    let n = 1;
    for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') n++;
    return n;
  };
  const unit = (start: number, end: number, error?: string): CommandLine => {
    let stop = end;
    if (text[stop - 1] === '\n') stop--;
    const base = {
      text: text.slice(start, stop),
      firstLine: lineNumberOf(start),
      lastLine: lineNumberOf(Math.max(start, stop - 1)),
      start,
      end: stop,
    };
    return error === undefined ? base : { ...base, error };
  };

  while (pos < text.length) {
    const lexer = new Lexer(text, pos, { sub: subParser, eofEndsHeredoc: options.final === true });
    const parser = new Parser(lexer);
    try {
      const r = parser.parseCommandLine();
      if (r === null) break;
      lines.push(unit(lineStartOf(r.start), r.end));
      pos = r.end;
      if (pos === r.start) break; // defensive: no progress
    } catch (e) {
      const failure = parseFailure(e);
      // The failed unit starts on the line of its first token.
      const firstTokenStart = parser.unitStart >= 0 ? parser.unitStart : skipBlankLines(text, pos);
      const start = Math.max(pos, lineStartOf(firstTokenStart));
      if (failure.kind === 'incomplete') {
        if (options.final) {
          lines.push(unit(start, text.length, failure.message));
        } else {
          pending = text.slice(start);
          pendingMessage = failure.message;
        }
        break;
      }
      // Syntax error: the unit runs to the end of the line holding the offending token.
      const errPos = e instanceof ShellSyntaxError && e.pos >= 0 ? e.pos : firstTokenStart;
      const nl = text.indexOf('\n', Math.max(errPos, start));
      const end = nl < 0 ? text.length : nl + 1;
      lines.push(unit(start, end, failure.message));
      pos = end;
    }
  }
  const status = pending !== null ? 'incomplete' : lines.some((l) => l.error !== undefined) ? 'error' : 'complete';
  return { status, lines, pending, pendingMessage };
}

/** Skips blanks, empty lines and comment lines from `pos`; returns where the next token starts. */
function skipBlankLines(text: string, pos: number): number {
  let p = pos;
  while (p < text.length) {
    const c = text[p];
    if (c === ' ' || c === '\t' || c === '\n') p++;
    else if (c === '#') {
      while (p < text.length && text[p] !== '\n') p++;
    } else break;
  }
  return p;
}

/** Complete / incomplete / error for a text, as a terminal deciding whether to read on. */
export function checkInput(text: string): 'complete' | 'incomplete' | 'error' {
  return analyzeInput(text).status;
}
