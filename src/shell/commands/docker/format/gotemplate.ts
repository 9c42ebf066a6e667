/**
 * Go's text/template, as the docker CLI uses it for --format: the same lexer rules (trim markers,
 * comments, raw strings, char constants), the same parse tree and error wording
 * ("template: :1: unexpected \"}\" in operand"), and an executor that follows text/template's
 * exec.go step by step so that values print and errors read as Go's do
 * ("template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *formatter.ContainerContext").
 *
 * Values are the JavaScript forms described in govalue.ts. Parse once with `parseTemplate` (or
 * `parseDockerTemplate` for the docker CLI's function set), then `execute` against a value.
 */
import {
  GoError,
  GoFloat,
  GoMap,
  GoNil,
  GoSlice,
  GoStruct,
  GoText,
  byteLength,
  formatValue,
  goFunc,
  goQuote,
  isPlainObject,
  isTrue,
  kindOf,
  numberValue,
  sortedEntries,
  sprint,
  sprintf,
  sprintln,
  templateString,
  typeName,
  type GoFunc,
  type GoParamType,
} from './govalue.ts';
import { encodeJSON } from './json.ts';

// =============================================================================================
// Errors

/** A parse or execution error; `message` is Go's error text, `partial` what was written before it. */
export class TemplateError extends Error {
  readonly kind: 'parse' | 'exec';
  readonly partial: string;
  constructor(kind: 'parse' | 'exec', message: string, partial = '') {
    super(message);
    this.kind = kind;
    this.partial = partial;
  }
}

// =============================================================================================
// Lexer

type ItemType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'comment'
  | 'complex'
  | 'assign'
  | 'declare'
  | 'eof'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  // keywords
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

const KEYWORDS: Record<string, ItemType> = {
  '.': 'dot',
  block: 'block',
  break: 'break',
  continue: 'continue',
  define: 'define',
  else: 'else',
  end: 'end',
  if: 'if',
  range: 'range',
  nil: 'nil',
  template: 'template',
  with: 'with',
};
const KEYWORD_TYPES = new Set<ItemType>(Object.values(KEYWORDS));

interface Item {
  typ: ItemType;
  pos: number;
  val: string;
  line: number;
}

function itemString(i: Item): string {
  if (i.typ === 'eof') return 'EOF';
  if (i.typ === 'error') return i.val;
  if (KEYWORD_TYPES.has(i.typ)) return `<${i.val}>`;
  const runes = [...i.val];
  if (runes.length > 10) return goQuote(runes.slice(0, 10).join('')) + '...';
  return goQuote(i.val);
}

const LEFT = '{{';
const RIGHT = '}}';
const SPACE_CHARS = ' \t\r\n';

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}
function isAlphaNumeric(c: string | undefined): boolean {
  return c !== undefined && (c === '_' || /^[\p{L}\p{Nd}]$/u.test(c));
}
function hasLeftTrimMarker(s: string): boolean {
  return s.length >= 2 && s[0] === '-' && isSpace(s[1]);
}
function hasRightTrimMarker(s: string): boolean {
  return s.length >= 2 && isSpace(s[0]) && s[1] === '-';
}
/** %#U: U+0041 'A' */
function runeDesc(c: string): string {
  const cp = c.codePointAt(0)!;
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  return /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(c) ? `${hex} '${c}'` : hex;
}

class Lexer {
  readonly input: string;
  pos = 0;
  start = 0;
  line = 1;
  startLine = 1;
  parenDepth = 0;
  readonly items: Item[] = [];
  private done = false;

  constructor(input: string) {
    this.input = input;
  }

  /** Lex the whole input (stopping after EOF or the first error). */
  run(): Item[] {
    let state: ((l: Lexer) => unknown) | null = lexText;
    while (state && !this.done) state = state(this) as ((l: Lexer) => unknown) | null;
    return this.items;
  }

  next(): string | undefined {
    if (this.pos >= this.input.length) {
      this.pos = this.input.length + 1; // remember we read EOF, as Go's atEOF
      return undefined;
    }
    const c = String.fromCodePoint(this.input.codePointAt(this.pos)!);
    this.pos += c.length;
    if (c === '\n') this.line++;
    return c;
  }
  peek(): string | undefined {
    if (this.pos >= this.input.length) return undefined;
    return String.fromCodePoint(this.input.codePointAt(this.pos)!);
  }
  backup(): void {
    if (this.pos > this.input.length) {
      this.pos = this.input.length;
      return;
    }
    if (this.pos > 0) {
      let w = 1;
      const lo = this.input.charCodeAt(this.pos - 1);
      if (lo >= 0xdc00 && lo <= 0xdfff && this.pos >= 2) w = 2;
      const c = this.input.slice(this.pos - w, this.pos);
      this.pos -= w;
      if (c === '\n') this.line--;
    }
  }
  rest(from = this.pos): string {
    return this.input.slice(Math.min(from, this.input.length));
  }
  emit(t: ItemType): void {
    const end = Math.min(this.pos, this.input.length);
    this.items.push({ typ: t, pos: this.start, val: this.input.slice(this.start, end), line: this.startLine });
    this.start = end;
    this.startLine = this.line;
  }
  ignore(): void {
    const end = Math.min(this.pos, this.input.length);
    this.line += countNewlines(this.input.slice(this.start, end));
    this.start = end;
    this.startLine = this.line;
  }
  accept(valid: string): boolean {
    const c = this.next();
    if (c !== undefined && valid.includes(c)) return true;
    this.backup();
    return false;
  }
  acceptRun(valid: string): void {
    for (;;) {
      const c = this.next();
      if (c === undefined || !valid.includes(c)) break;
    }
    this.backup();
  }
  errorf(msg: string): null {
    this.items.push({ typ: 'error', pos: this.start, val: msg, line: this.startLine });
    this.done = true;
    return null;
  }
  atRightDelim(): { delim: boolean; trim: boolean } {
    const r = this.rest();
    if (hasRightTrimMarker(r) && r.slice(2).startsWith(RIGHT)) return { delim: true, trim: true };
    if (r.startsWith(RIGHT)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  }
  atTerminator(): boolean {
    const r = this.peek();
    if (r === undefined || isSpace(r)) return true;
    if ('.,|:)('.includes(r)) return true;
    return r === RIGHT[0];
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

type StateFn = ((l: Lexer) => StateFn | null) | null;

function lexText(l: Lexer): StateFn {
  const x = l.input.indexOf(LEFT, l.pos);
  if (x >= 0) {
    l.pos = x;
    let trim = 0;
    if (hasLeftTrimMarker(l.input.slice(x + LEFT.length))) {
      const text = l.input.slice(l.start, l.pos);
      trim = text.length - text.replace(/[ \t\r\n]+$/, '').length;
    }
    l.pos -= trim;
    if (l.pos > l.start) {
      l.line += countNewlines(l.input.slice(l.start, l.pos));
      l.emit('text');
    }
    l.pos += trim;
    l.ignore();
    return lexLeftDelim;
  }
  l.pos = l.input.length;
  if (l.pos > l.start) {
    l.line += countNewlines(l.input.slice(l.start, l.pos));
    l.emit('text');
  }
  l.emit('eof');
  return null;
}

function leftTrimLength(s: string): number {
  let n = 0;
  while (n < s.length && SPACE_CHARS.includes(s[n])) n++;
  return n;
}

function lexLeftDelim(l: Lexer): StateFn {
  l.pos += LEFT.length;
  const trim = hasLeftTrimMarker(l.rest());
  const after = trim ? 2 : 0;
  if (l.rest(l.pos + after).startsWith('/*')) {
    l.pos += after;
    l.ignore();
    return lexComment;
  }
  l.emit('leftDelim');
  l.pos += after;
  l.ignore();
  l.parenDepth = 0;
  return lexInsideAction;
}

function lexComment(l: Lexer): StateFn {
  l.pos += 2;
  const i = l.input.indexOf('*/', l.pos);
  if (i < 0) return l.errorf('unclosed comment');
  l.pos = i + 2;
  const { delim, trim } = l.atRightDelim();
  if (!delim) return l.errorf('comment ends before closing delimiter');
  if (trim) l.pos += 2;
  l.pos += RIGHT.length;
  if (trim) l.pos += leftTrimLength(l.rest());
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): StateFn {
  const trim = hasRightTrimMarker(l.rest());
  if (trim) {
    l.pos += 2;
    l.ignore();
  }
  l.pos += RIGHT.length;
  l.emit('rightDelim');
  if (trim) {
    l.pos += leftTrimLength(l.rest());
    l.ignore();
  }
  return lexText;
}

function lexInsideAction(l: Lexer): StateFn {
  const { delim } = l.atRightDelim();
  if (delim) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const r = l.next();
  if (r === undefined) return l.errorf('unclosed action');
  if (isSpace(r)) {
    l.backup();
    return lexSpace;
  }
  switch (r) {
    case '=':
      l.emit('assign');
      return lexInsideAction;
    case ':':
      if (l.next() !== '=') return l.errorf('expected :=');
      l.emit('declare');
      return lexInsideAction;
    case '|':
      l.emit('pipe');
      return lexInsideAction;
    case '"':
      return lexQuote;
    case '`':
      return lexRawQuote;
    case '$':
      return lexVariable;
    case "'":
      return lexChar;
    case '(':
      l.emit('leftParen');
      l.parenDepth++;
      return lexInsideAction;
    case ')':
      l.emit('rightParen');
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf(`unexpected right paren ${runeDesc(r)}`);
      return lexInsideAction;
  }
  if (r === '.') {
    const c = l.input[l.pos];
    if (l.pos < l.input.length && (c < '0' || c > '9')) return lexField;
  }
  if (r === '.' || r === '+' || r === '-' || (r >= '0' && r <= '9')) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  const cp = r.codePointAt(0)!;
  if (cp <= 0x7f && cp >= 0x20 && cp !== 0x7f) {
    l.emit('char');
    return lexInsideAction;
  }
  return l.errorf(`unrecognized character in action: ${runeDesc(r)}`);
}

function lexSpace(l: Lexer): StateFn {
  let n = 0;
  while (isSpace(l.peek())) {
    l.next();
    n++;
  }
  if (hasRightTrimMarker(l.input.slice(l.pos - 1)) && l.input.slice(l.pos - 1 + 2).startsWith(RIGHT)) {
    l.backup();
    if (n === 1) return lexRightDelim;
  }
  l.emit('space');
  return lexInsideAction;
}

function lexIdentifier(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) return l.errorf(`bad character ${runeDesc(r ?? '')}`);
    const kw = KEYWORDS[word];
    if (kw && word !== '.') l.emit(kw);
    else if (word[0] === '.') l.emit('field');
    else if (word === 'true' || word === 'false') l.emit('bool');
    else l.emit('identifier');
    return lexInsideAction;
  }
}

function lexField(l: Lexer): StateFn {
  return lexFieldOrVariable(l, 'field');
}

function lexVariable(l: Lexer): StateFn {
  if (l.atTerminator()) {
    l.emit('variable');
    return lexInsideAction;
  }
  return lexFieldOrVariable(l, 'variable');
}

function lexFieldOrVariable(l: Lexer, typ: 'field' | 'variable'): StateFn {
  if (l.atTerminator()) {
    l.emit(typ === 'variable' ? 'variable' : 'dot');
    return lexInsideAction;
  }
  let r: string | undefined;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${runeDesc(r ?? '')}`);
  l.emit(typ);
  return lexInsideAction;
}

function lexChar(l: Lexer): StateFn {
  for (;;) {
    const c = l.next();
    if (c === '\\') {
      const r = l.next();
      if (r !== undefined && r !== '\n') continue;
      return l.errorf('unterminated character constant');
    }
    if (c === undefined || c === '\n') return l.errorf('unterminated character constant');
    if (c === "'") break;
  }
  l.emit('charConstant');
  return lexInsideAction;
}

function scanNumber(l: Lexer): boolean {
  l.accept('+-');
  let digits = '0123456789_';
  if (l.accept('0')) {
    if (l.accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (l.accept('oO')) digits = '01234567_';
    else if (l.accept('bB')) digits = '01_';
  }
  l.acceptRun(digits);
  if (l.accept('.')) l.acceptRun(digits);
  if (digits.length === 11 && l.accept('eE')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  if (digits.length === 23 && l.accept('pP')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  l.accept('i');
  if (isAlphaNumeric(l.peek())) {
    l.next();
    return false;
  }
  return true;
}

function lexNumber(l: Lexer): StateFn {
  if (!scanNumber(l)) return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
  const sign = l.peek();
  if (sign === '+' || sign === '-') {
    if (!scanNumber(l) || l.input[l.pos - 1] !== 'i') return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
    l.emit('complex');
  } else l.emit('number');
  return lexInsideAction;
}

function lexQuote(l: Lexer): StateFn {
  for (;;) {
    const c = l.next();
    if (c === '\\') {
      const r = l.next();
      if (r !== undefined && r !== '\n') continue;
      return l.errorf('unterminated quoted string');
    }
    if (c === undefined || c === '\n') return l.errorf('unterminated quoted string');
    if (c === '"') break;
  }
  l.emit('string');
  return lexInsideAction;
}

function lexRawQuote(l: Lexer): StateFn {
  for (;;) {
    const c = l.next();
    if (c === undefined) return l.errorf('unterminated raw quoted string');
    if (c === '`') break;
  }
  l.emit('rawString');
  return lexInsideAction;
}

// =============================================================================================
// Parse tree

interface Base {
  pos: number;
}
export type Node =
  | (Base & { t: 'list'; nodes: Node[] })
  | (Base & { t: 'text'; text: string })
  | (Base & { t: 'comment'; text: string })
  | ActionNode
  | PipeNode
  | CommandNode
  | (Base & { t: 'identifier'; ident: string })
  | VariableNode
  | (Base & { t: 'dot' })
  | (Base & { t: 'nil' })
  | FieldNode
  | ChainNode
  | (Base & { t: 'bool'; val: boolean })
  | NumberNode
  | (Base & { t: 'string'; quoted: string; text: string })
  | (Base & { t: 'end' })
  | (Base & { t: 'else' })
  | BranchNode
  | (Base & { t: 'break' })
  | (Base & { t: 'continue' })
  | TemplateNode;

interface ActionNode extends Base {
  t: 'action';
  pipe: PipeNode;
}
interface PipeNode extends Base {
  t: 'pipe';
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
interface CommandNode extends Base {
  t: 'command';
  args: Node[];
}
interface VariableNode extends Base {
  t: 'variable';
  ident: string[];
}
interface FieldNode extends Base {
  t: 'field';
  ident: string[];
}
interface ChainNode extends Base {
  t: 'chain';
  node: Node;
  field: string[];
}
interface NumberNode extends Base {
  t: 'number';
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int: bigint;
  float: number;
}
interface BranchNode extends Base {
  t: 'if' | 'range' | 'with';
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}
interface TemplateNode extends Base {
  t: 'template';
  name: string;
  pipe: PipeNode | null;
}
type ListNode = Extract<Node, { t: 'list' }>;

/** Node.String() as Go writes it (the <...> part of execution errors). */
export function nodeString(n: Node): string {
  switch (n.t) {
    case 'list':
      return n.nodes.map(nodeString).join('');
    case 'text':
      return n.text;
    case 'comment':
      return LEFT + n.text + RIGHT;
    case 'action':
      return LEFT + nodeString(n.pipe) + RIGHT;
    case 'pipe': {
      let s = '';
      if (n.decl.length) s += n.decl.map(nodeString).join(', ') + (n.isAssign ? ' = ' : ' := ');
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'command':
      return n.args.map((a) => (a.t === 'pipe' ? '(' + nodeString(a) + ')' : nodeString(a))).join(' ');
    case 'identifier':
      return n.ident;
    case 'variable':
      return n.ident.join('.');
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'field':
      return n.ident.map((i) => '.' + i).join('');
    case 'chain':
      return (n.node.t === 'pipe' ? '(' + nodeString(n.node) + ')' : nodeString(n.node)) + n.field.map((f) => '.' + f).join('');
    case 'bool':
      return n.val ? 'true' : 'false';
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'end':
      return LEFT + 'end' + RIGHT;
    case 'else':
      return LEFT + 'else' + RIGHT;
    case 'if':
    case 'range':
    case 'with':
      return (
        LEFT +
        n.t +
        ' ' +
        nodeString(n.pipe) +
        RIGHT +
        nodeString(n.list) +
        (n.elseList ? LEFT + 'else' + RIGHT + nodeString(n.elseList) : '') +
        LEFT +
        'end' +
        RIGHT
      );
    case 'break':
      return LEFT + 'break' + RIGHT;
    case 'continue':
      return LEFT + 'continue' + RIGHT;
    case 'template':
      return LEFT + 'template ' + goQuote(n.name) + (n.pipe ? ' ' + nodeString(n.pipe) : '') + RIGHT;
  }
}

// =============================================================================================
// Parser

class ParseFail {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

interface Tree {
  name: string;
  parseName: string;
  text: string;
  root: ListNode;
}

class Parser {
  readonly name: string;
  parseName: string;
  readonly text: string;
  readonly items: Item[];
  private itemIndex = 0;
  readonly hasFunction: (name: string) => boolean;
  readonly trees: Map<string, Tree>;
  token: Item[] = [];
  peekCount = 0;
  vars: string[] = ['$'];
  actionLine = 0;
  rangeDepth = 0;
  root: ListNode | null = null;

  constructor(name: string, text: string, items: Item[], hasFunction: (n: string) => boolean, trees: Map<string, Tree>) {
    this.name = name;
    this.parseName = name;
    this.text = text;
    this.items = items;
    this.hasFunction = hasFunction;
    this.trees = trees;
  }

  private lexNext(): Item {
    const it = this.items[Math.min(this.itemIndex, this.items.length - 1)];
    this.itemIndex++;
    return it;
  }
  next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lexNext();
    return this.token[this.peekCount];
  }
  backup(): void {
    this.peekCount++;
  }
  backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }
  backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }
  peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1];
    this.peekCount = 1;
    this.token[0] = this.lexNext();
    return this.token[0];
  }
  nextNonSpace(): Item {
    for (;;) {
      const t = this.next();
      if (t.typ !== 'space') return t;
    }
  }
  peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  errorf(msg: string): never {
    throw new ParseFail(`template: ${this.parseName}:${this.token[0]?.line ?? 1}: ${msg}`);
  }
  expect(typ: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== typ) this.unexpected(t, context);
    return t;
  }
  expectOneOf(a: ItemType, b: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== a && t.typ !== b) this.unexpected(t, context);
    return t;
  }
  unexpected(t: Item, context: string): never {
    if (t.typ === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${itemString(t)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(t)} in ${context}`);
  }

  parse(): ListNode {
    const root: ListNode = { t: 'list', pos: this.peek().pos, nodes: [] };
    this.root = root;
    while (this.peek().typ !== 'eof') {
      if (this.peek().typ === 'leftDelim') {
        const delim = this.next();
        if (this.nextNonSpace().typ === 'define') {
          this.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.t === 'end' || n.t === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      root.nodes.push(n);
    }
    return root;
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameTok = this.expectOneOf('string', 'rawString', context);
    const name = unquote(nameTok.val, (m) => this.errorf(m));
    this.expect('rightDelim', context);
    const savedVars = this.vars;
    this.vars = ['$'];
    const [list, end] = this.itemList();
    if (end.t !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.vars = savedVars;
    this.addTree(name, list);
  }

  private addTree(name: string, root: ListNode): void {
    const existing = this.trees.get(name);
    if (existing && !isEmptyTree(existing.root) && !isEmptyTree(root)) this.errorf(`template: multiple definition of template ${goQuote(name)}`);
    if (!existing || isEmptyTree(existing.root)) this.trees.set(name, { name, parseName: this.parseName, text: this.text, root });
  }

  private itemList(): [ListNode, Node] {
    const list: ListNode = { t: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== 'eof') {
      const n = this.textOrAction();
      if (n.t === 'end' || n.t === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case 'text':
        return { t: 'text', pos: t.pos, text: t.val };
      case 'leftDelim': {
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case 'comment':
        return { t: 'comment', pos: t.pos, text: t.val };
    }
    this.unexpected(t, 'input');
  }

  private action(): Node {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case 'block':
        return this.blockControl();
      case 'break':
        return this.breakControl(t.pos, 'break');
      case 'continue':
        return this.breakControl(t.pos, 'continue');
      case 'else':
        return this.elseControl();
      case 'end':
        return { t: 'end', pos: this.expect('rightDelim', 'end').pos };
      case 'if':
        return this.branch('if');
      case 'range':
        return this.branch('range');
      case 'template':
        return this.templateControl();
      case 'with':
        return this.branch('with');
    }
    this.backup();
    const tok = this.peek();
    return { t: 'action', pos: tok.pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  private breakControl(pos: number, kind: 'break' | 'continue'): Node {
    const t = this.nextNonSpace();
    if (t.typ !== 'rightDelim') this.unexpected(t, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { t: kind, pos };
  }

  private pipeline(context: string, end: ItemType): PipeNode {
    const tok = this.peekNonSpace();
    const pipe: PipeNode = { t: 'pipe', pos: tok.pos, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== 'variable') break;
      this.next();
      const tokenAfterVariable = this.peek();
      const nxt = this.peekNonSpace();
      if (nxt.typ === 'assign' || nxt.typ === 'declare') {
        pipe.isAssign = nxt.typ === 'assign';
        this.nextNonSpace();
        pipe.decl.push(newVariable(v.pos, v.val));
        this.vars.push(v.val);
      } else if (nxt.typ === 'char' && nxt.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace().typ;
          if (p === 'variable' || p === 'rightDelim' || p === 'rightParen') continue decls;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.typ === 'space') {
        this.backup3(v, tokenAfterVariable);
      } else {
        this.backup2(v);
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.typ) {
        case 'bool':
        case 'charConstant':
        case 'complex':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const a = c.args[0].t;
      if (a === 'bool' || a === 'dot' || a === 'nil' || a === 'number' || a === 'string') this.errorf(`non executable command in pipeline stage ${i + 2}`);
    });
  }

  private parseControl(context: 'if' | 'range' | 'with'): BranchNode {
    const nvars = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.t === 'else') {
        if (context === 'if' && this.peek().typ === 'if') {
          this.next();
          elseList = { t: 'list', pos: next.pos, nodes: [this.branch('if')] };
        } else if (context === 'with' && this.peek().typ === 'with') {
          this.next();
          elseList = { t: 'list', pos: next.pos, nodes: [this.branch('with')] };
        } else {
          [elseList, next] = this.itemList();
          if (next.t !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      list = list as ListNode;
      return { t: context, pos: pipe.pos, pipe, list, elseList };
    } finally {
      this.vars.length = nvars;
    }
  }

  private branch(context: 'if' | 'range' | 'with'): BranchNode {
    return this.parseControl(context);
  }

  private elseControl(): Node {
    const p = this.peekNonSpace();
    if (p.typ === 'if' || p.typ === 'with') return { t: 'else', pos: p.pos };
    const t = this.expect('rightDelim', 'else');
    return { t: 'else', pos: t.pos };
  }

  private blockControl(): Node {
    const context = 'block clause';
    const tok = this.nextNonSpace();
    const name = this.parseTemplateName(tok, context);
    const pipe = this.pipeline(context, 'rightDelim');
    const savedVars = this.vars;
    this.vars = ['$'];
    const [list, end] = this.itemList();
    this.vars = savedVars;
    if (end.t !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.addTree(name, list);
    return { t: 'template', pos: tok.pos, name, pipe };
  }

  private templateControl(): Node {
    const context = 'template clause';
    const tok = this.nextNonSpace();
    const name = this.parseTemplateName(tok, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { t: 'template', pos: tok.pos, name, pipe };
  }

  private parseTemplateName(tok: Item, context: string): string {
    if (tok.typ === 'string' || tok.typ === 'rawString') return unquote(tok.val, (m) => this.errorf(m));
    this.unexpected(tok, context);
  }

  private command(): CommandNode {
    const cmd: CommandNode = { t: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.typ === 'space') continue;
      if (t.typ === 'rightDelim' || t.typ === 'rightParen') this.backup();
      else if (t.typ !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): Node | null {
    let node = this.term();
    if (!node) return null;
    if (this.peek().typ === 'field') {
      const chain: ChainNode = { t: 'chain', pos: this.peek().pos, node, field: [] };
      while (this.peek().typ === 'field') chain.field.push(this.next().val.slice(1));
      switch (node.t) {
        case 'field':
          node = { t: 'field', pos: chain.pos, ident: nodeString(chain).slice(1).split('.') };
          break;
        case 'variable':
          node = newVariable(chain.pos, nodeString(chain));
          break;
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
          break;
        default:
          node = chain;
      }
    }
    return node;
  }

  private term(): Node | null {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case 'identifier':
        if (!this.hasFunction(t.val)) this.errorf(`function ${goQuote(t.val)} not defined`);
        return { t: 'identifier', pos: t.pos, ident: t.val };
      case 'dot':
        return { t: 'dot', pos: t.pos };
      case 'nil':
        return { t: 'nil', pos: t.pos };
      case 'variable':
        return this.useVar(t.pos, t.val);
      case 'field':
        return { t: 'field', pos: t.pos, ident: t.val.slice(1).split('.') };
      case 'bool':
        return { t: 'bool', pos: t.pos, val: t.val === 'true' };
      case 'charConstant':
      case 'complex':
      case 'number':
        return newNumber(t.pos, t.val, t.typ, (m) => this.errorf(m));
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString':
        return { t: 'string', pos: t.pos, quoted: t.val, text: unquote(t.val, (m) => this.errorf(m)) };
    }
    this.backup();
    return null;
  }

  private useVar(pos: number, name: string): Node {
    const v = newVariable(pos, name);
    if (!this.vars.includes(v.ident[0])) this.errorf(`undefined variable ${goQuote(v.ident[0])}`);
    return v;
  }
}

function newVariable(pos: number, ident: string): VariableNode {
  return { t: 'variable', pos, ident: ident.split('.') };
}

function isEmptyTree(n: Node): boolean {
  switch (n.t) {
    case 'comment':
      return true;
    case 'list':
      return n.nodes.every(isEmptyTree);
    case 'text':
      return n.text.trim() === '';
  }
  return false;
}

/** strconv.Unquote for "..." and `...` literals (and '...' rune literals). */
function unquote(q: string, fail: (m: string) => never): string {
  if (q[0] === '`') return q.slice(1, -1).replace(/\r/g, '');
  const body = q.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case '"':
        if (q[0] !== '"') fail('invalid syntax');
        out += '"';
        break;
      case "'":
        if (q[0] !== "'") fail('invalid syntax');
        out += "'";
        break;
      case 'x': {
        const h = body.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) fail('invalid syntax');
        out += String.fromCharCode(parseInt(h, 16));
        i += 2;
        break;
      }
      case 'u':
      case 'U': {
        const n = e === 'u' ? 4 : 8;
        const h = body.slice(i + 1, i + 1 + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) fail('invalid syntax');
        const cp = parseInt(h, 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) fail('invalid syntax');
        out += String.fromCodePoint(cp);
        i += n;
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          const o = body.slice(i, i + 3);
          if (!/^[0-7]{3}$/.test(o)) fail('invalid syntax');
          const v = parseInt(o, 8);
          if (v > 255) fail('invalid syntax');
          out += String.fromCharCode(v);
          i += 2;
          break;
        }
        fail('invalid syntax');
    }
  }
  return out;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function parseGoInt(text: string): bigint | null {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text);
  if (!m) return null;
  let body = m[2];
  const hasPrefix = /^0[xXoObB]/.test(body);
  if (body.includes('_')) {
    // underscores only between digits (or after a base prefix)
    const digits = hasPrefix ? body.slice(2) : body;
    if (/__|_$/.test(digits) || (!hasPrefix && digits.startsWith('_'))) return null;
    if (!hasPrefix && body[0] === '0' && body.length > 1 && body[1] === '_') {
      // 0_7 is a valid octal literal
    }
    body = body.replace(/_/g, '');
  }
  let v: bigint;
  if (/^0[xX]/.test(body)) v = BigInt('0x' + body.slice(2));
  else if (/^0[oO]/.test(body)) v = BigInt('0o' + body.slice(2));
  else if (/^0[bB]/.test(body)) v = BigInt('0b' + body.slice(2));
  else if (body.length > 1 && body[0] === '0') v = BigInt('0o' + body.slice(1));
  else v = BigInt(body);
  return m[1] === '-' ? -v : v;
}

function newNumber(pos: number, text: string, typ: ItemType, fail: (m: string) => never): NumberNode {
  const n: NumberNode = { t: 'number', pos, text, isInt: false, isUint: false, isFloat: false, isComplex: false, int: 0n, float: 0 };
  if (typ === 'charConstant') {
    const s = unquote(text, fail);
    const cps = [...s];
    if (cps.length !== 1) fail(`malformed character constant: ${text}`);
    const r = cps[0].codePointAt(0)!;
    n.int = BigInt(r);
    n.float = r;
    n.isInt = n.isUint = n.isFloat = true;
    return n;
  }
  if (typ === 'complex' || text.endsWith('i')) fail(`complex numbers are not supported: ${goQuote(text)}`);
  const i = parseGoInt(text);
  if (i !== null) {
    if (i >= 0n && i <= UINT64_MAX) n.isUint = true;
    if (i >= INT64_MIN && i <= INT64_MAX) n.isInt = true;
    n.int = i;
    if (n.isInt || n.isUint) {
      n.isFloat = true;
      n.float = Number(i);
    }
  } else {
    const clean = text.replace(/_/g, '');
    const f = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(clean) ? Number(clean) : NaN;
    if (!Number.isNaN(f)) {
      if (!/[.eEpP]/.test(text)) fail(`integer overflow: ${goQuote(text)}`);
      n.isFloat = true;
      n.float = f;
      if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
        n.isInt = true;
        n.int = BigInt(f);
        if (f >= 0) n.isUint = true;
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) fail(`illegal number syntax: ${goQuote(text)}`);
  return n;
}

// =============================================================================================
// Template

export type MissingKey = 'invalid' | 'zero' | 'error';

export interface ParseOptions {
  /** Template name (docker uses ""). */
  name?: string;
  /** Functions beyond the builtins (docker's json, join, ...). */
  funcs?: Record<string, GoFunc>;
}

export interface ExecuteOptions {
  /** missingkey option: invalid (default, prints <no value>), zero, or error. */
  missingKey?: MissingKey;
  /** Replace functions for this execution (as template.Funcs does before Execute). */
  funcs?: Record<string, GoFunc>;
}

export class Template {
  readonly name: string;
  readonly source: string;
  readonly trees: Map<string, Tree>;
  readonly funcs: Record<string, GoFunc>;
  constructor(name: string, source: string, trees: Map<string, Tree>, funcs: Record<string, GoFunc>) {
    this.name = name;
    this.source = source;
    this.trees = trees;
    this.funcs = funcs;
  }

  /** Run the template against `data`; throws TemplateError (kind 'exec') with Go's message. */
  execute(data: unknown, opts: ExecuteOptions = {}): string {
    const s = new State(this, { ...this.funcs, ...(opts.funcs ?? {}) }, opts.missingKey ?? 'invalid');
    const tree = this.trees.get(this.name);
    try {
      if (!tree) s.errorf(`${goQuote(this.name)} is an incomplete or empty template`);
      s.vars = [{ name: '$', value: data }];
      s.tree = tree!;
      s.walk(data, tree!.root);
    } catch (e) {
      if (e instanceof ExecFail) throw new TemplateError('exec', e.message, s.out);
      throw e;
    }
    return s.out;
  }
}

/** Parse a template (Go's template.New(name).Funcs(funcs).Parse(text)); throws TemplateError. */
export function parseTemplate(text: string, opts: ParseOptions = {}): Template {
  const name = opts.name ?? '';
  const funcs = opts.funcs ?? {};
  const items = new Lexer(text).run();
  const trees = new Map<string, Tree>();
  const p = new Parser(name, text, items, (f) => Object.prototype.hasOwnProperty.call(funcs, f) || Object.prototype.hasOwnProperty.call(BUILTINS, f), trees);
  try {
    const root = p.parse();
    const existing = trees.get(name);
    if (!existing || isEmptyTree(existing.root)) trees.set(name, { name, parseName: name, text, root });
    else if (!isEmptyTree(root)) throw new ParseFail(`template: ${name}:1: template: multiple definition of template ${goQuote(name)}`);
  } catch (e) {
    if (e instanceof ParseFail) throw new TemplateError('parse', e.message);
    throw e;
  }
  return new Template(name, text, trees, funcs);
}

// =============================================================================================
// Execution

class ExecFail {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}
class BreakSignal {}
class ContinueSignal {}

const MISSING = Symbol('missing');
type Val = unknown;

interface Variable {
  name: string;
  value: Val;
}

class State {
  readonly tmpl: Template;
  readonly funcs: Record<string, GoFunc>;
  readonly missingKey: MissingKey;
  tree!: Tree;
  execName: string;
  out = '';
  node: Node | null = null;
  vars: Variable[] = [];
  depth = 0;

  constructor(tmpl: Template, funcs: Record<string, GoFunc>, missingKey: MissingKey) {
    this.tmpl = tmpl;
    this.funcs = funcs;
    this.missingKey = missingKey;
    this.execName = tmpl.name;
  }

  at(n: Node): void {
    this.node = n;
  }

  errorf(msg: string): never {
    if (!this.node) throw new ExecFail(`template: ${this.execName}: ${msg}`);
    const { location, context } = this.errorContext(this.node);
    throw new ExecFail(`template: ${location}: executing ${goQuote(this.execName)} at <${context}>: ${msg}`);
  }

  private errorContext(n: Node): { location: string; context: string } {
    const text = this.tree.text.slice(0, n.pos);
    const nl = text.lastIndexOf('\n');
    const col = nl < 0 ? byteLength(text) : byteLength(text.slice(nl + 1));
    const line = 1 + countNewlines(text);
    return { location: `${this.tree.parseName}:${line}:${col}`, context: nodeString(n) };
  }

  // ----- variables
  push(name: string, value: Val): void {
    this.vars.push({ name, value });
  }
  mark(): number {
    return this.vars.length;
  }
  pop(mark: number): void {
    this.vars.length = mark;
  }
  setVar(name: string, value: Val): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  setTopVar(n: number, value: Val): void {
    this.vars[this.vars.length - n].value = value;
  }
  varValue(name: string): Val {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    this.errorf(`undefined variable: ${name}`);
  }

  // ----- walking
  walk(dot: Val, node: Node): void {
    this.at(node);
    switch (node.t) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'comment':
        return;
      case 'if':
      case 'with':
        this.walkIfOrWith(node.t, dot, node.pipe, node.list, node.elseList);
        return;
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'template':
        this.walkTemplate(dot, node);
        return;
      case 'text':
        this.out += node.text;
        return;
    }
    this.errorf(`unknown node: ${nodeString(node)}`);
  }

  private walkIfOrWith(typ: 'if' | 'with', dot: Val, pipe: PipeNode, list: ListNode, elseList: ListNode | null): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, pipe);
      const { truth, ok } = isTrue(val);
      if (!ok) this.errorf(`if/with can't use ${formatValue(val)}`);
      if (truth) this.walk(typ === 'with' ? val : dot, list);
      else if (elseList) this.walk(dot, elseList);
    } finally {
      this.pop(mark);
    }
  }

  private walkRange(dot: Val, r: BranchNode): void {
    this.at(r);
    const outer = this.mark();
    try {
      let val = this.evalPipeline(dot, r.pipe);
      if (val === null) val = undefined;
      const mark = this.mark();
      const decl = r.pipe.decl;
      const oneIteration = (index: Val, elem: Val): void => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) {
            if (decl.length > 1) this.setVar(decl[0].ident[0], index);
            else this.setVar(decl[0].ident[0], elem);
          } else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1].ident[0], elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (!(e instanceof ContinueSignal)) throw e;
        } finally {
          this.pop(mark);
        }
      };
      try {
        const k = kindOf(val);
        if (k === 'int') {
          if (decl.length > 1) this.errorf(`can't use ${formatValue(val)} to iterate over more than one variable`);
          const n = typeof val === 'bigint' ? Number(val) : (val as number);
          for (let i = 0; i < n; i++) oneIteration(undefined, i);
          if (n > 0) return;
        } else if (k === 'slice' && !(val instanceof GoText)) {
          const items = val instanceof GoNil ? [] : Array.isArray(val) ? val : (val as GoSlice).items;
          if (items.length > 0) {
            items.forEach((x, i) => oneIteration(i, x));
            return;
          }
        } else if (k === 'map' && !(val instanceof GoNil)) {
          const entries = sortedEntries(val as GoMap | Record<string, unknown>);
          if (entries.length > 0) {
            for (const [key, v] of entries) oneIteration(key, v);
            return;
          }
        } else if (k === 'map' || k === 'invalid') {
          // nil map or no value: acts as an empty map
        } else {
          this.errorf(`range can't iterate over ${val instanceof GoStruct ? templateString(val) : formatValue(val)}`);
        }
      } catch (e) {
        if (e instanceof BreakSignal) return;
        throw e;
      }
      if (r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.pop(outer);
    }
  }

  private walkTemplate(dot: Val, t: TemplateNode): void {
    this.at(t);
    const tree = this.tmpl.trees.get(t.name);
    if (!tree) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth >= 100000) this.errorf('exceeded maximum template depth (100000)');
    const newDot = this.evalPipeline(dot, t.pipe);
    const saved = { vars: this.vars, tree: this.tree, name: this.execName };
    this.depth++;
    this.vars = [{ name: '$', value: newDot }];
    this.tree = tree!;
    this.execName = t.name;
    try {
      this.walk(newDot, tree!.root);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.tree = saved.tree;
      this.execName = saved.name;
    }
  }

  // ----- evaluation
  evalPipeline(dot: Val, pipe: PipeNode | null): Val {
    if (!pipe) return undefined;
    this.at(pipe);
    let value: Val = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // A nil interface{} result digs down to no value.
      if (value === null) value = undefined;
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0], value);
      else this.push(v.ident[0], value);
    }
    return value;
  }

  private notAFunction(args: Node[] | null, final: Val): void {
    if ((args && args.length > 1) || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args![0])}`);
  }

  private evalCommand(dot: Val, cmd: CommandNode, final: Val): Val {
    const first = cmd.args[0];
    switch (first.t) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.t) {
      case 'bool':
        return first.val;
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
        break;
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
    this.errorf(`can't evaluate command ${goQuote(nodeString(first))}`);
  }

  private idealConstant(c: NumberNode): Val {
    this.at(c);
    const isHexInt = c.text.length > 2 && c.text[0] === '0' && (c.text[1] === 'x' || c.text[1] === 'X') && !/[pP]/.test(c.text);
    const isRuneInt = c.text[0] === "'";
    if (c.isFloat && !isHexInt && !isRuneInt && /[.eEpP]/.test(c.text)) return new GoFloat(c.float);
    if (c.isInt) return intValue(c.int);
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return undefined;
  }

  private evalFieldNode(dot: Val, field: FieldNode, args: Node[] | null, final: Val): Val {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: Val, chain: ChainNode, args: Node[] | null, final: Val): Val {
    this.at(chain);
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.t === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, 'any', chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: Val, v: VariableNode, args: Node[] | null, final: Val): Val {
    this.at(v);
    const value = this.varValue(v.ident[0]);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: Val, receiver: Val, node: Node, ident: string[], args: Node[] | null, final: Val): Val {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i], node, null, MISSING, receiver);
    return this.evalField(dot, ident[n - 1], node, args, final, receiver);
  }

  private evalFunction(dot: Val, node: Extract<Node, { t: 'identifier' }>, cmd: Node, args: Node[] | null, final: Val): Val {
    this.at(node);
    const name = node.ident;
    const own = Object.prototype.hasOwnProperty.call(this.funcs, name) ? this.funcs[name] : undefined;
    const fn = own ?? (Object.prototype.hasOwnProperty.call(BUILTINS, name) ? BUILTINS[name] : undefined);
    if (!fn) this.errorf(`${goQuote(name)} is not a defined function`);
    return this.evalCall(dot, fn!, !own, cmd, name, args, final);
  }

  private evalField(dot: Val, fieldName: string, node: Node, args: Node[] | null, final: Val, receiver: Val): Val {
    if (receiver === undefined) {
      if (this.missingKey === 'error') this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${fieldName}`);
    const typ = typeName(receiver);
    const method = receiver instanceof GoStruct ? receiver.method(fieldName) : receiver instanceof GoMap && Object.prototype.hasOwnProperty.call(receiver.methods, fieldName) ? receiver.methods[fieldName] : undefined;
    if (method) return this.evalCall(dot, method, false, node, fieldName, args, final);
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    if (receiver instanceof GoStruct) {
      const f = receiver.field(fieldName);
      if (f) {
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        return f.value;
      }
    } else if ((receiver instanceof GoMap && receiver.keyType === 'string') || isPlainObject(receiver)) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const has = receiver instanceof GoMap ? receiver.entries.has(fieldName) : Object.prototype.hasOwnProperty.call(receiver, fieldName);
      if (has) return receiver instanceof GoMap ? receiver.entries.get(fieldName) : receiver[fieldName];
      switch (this.missingKey) {
        case 'invalid':
          return undefined;
        case 'zero':
          return receiver instanceof GoMap ? receiver.zero : null;
        case 'error':
          this.errorf(`map has no entry for key ${goQuote(fieldName)}`);
      }
    } else if (receiver instanceof GoNil && receiver.kind === 'ptr') {
      if (receiver.fields.includes(fieldName)) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private evalCall(dot: Val, fun: GoFunc, isBuiltin: boolean, node: Node, name: string, argNodes: Node[] | null, final: Val): Val {
    const args = argNodes ? argNodes.slice(1) : [];
    const params = fun.params;
    let numIn = args.length;
    if (final !== MISSING) numIn++;
    let numFixed = args.length;
    if (fun.variadic) {
      numFixed = params.length - 1;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${params.length - 1} got ${args.length}`);
    } else if (numIn !== params.length) {
      this.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
    }
    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: Val = undefined;
      for (const a of args) {
        v = this.evalArg(dot, 'any', a);
        if (isTrue(v).truth === (name === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, 'any');
      return v;
    }
    const argv: Val[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv[i] = this.evalArg(dot, params[i], args[i]);
    if (fun.variadic) {
      const t = params[params.length - 1];
      for (; i < args.length; i++) argv[i] = this.evalArg(dot, t, args[i]);
    }
    if (final !== MISSING) {
      let t = params[params.length - 1];
      if (fun.variadic && numIn - 1 < numFixed) t = params[numIn - 1];
      argv[i] = this.validateType(final, t);
    }
    let v: Val;
    try {
      v = fun.fn(...argv);
    } catch (e) {
      if (e instanceof ExecFail || e instanceof BreakSignal || e instanceof ContinueSignal) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return v;
  }

  private validateType(value: Val, typ: GoParamType): Val {
    if (value === undefined || value === null) {
      if (typ === 'any') return undefined;
      if (typ === '[]string') return new GoNil('[]string', 'slice');
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === 'any' || assignable(value, typ)) return value;
    this.errorf(`wrong type for value; expected ${typ}; got ${typeName(value)}`);
  }

  private evalArg(dot: Val, typ: GoParamType, n: Node): Val {
    this.at(n);
    switch (n.t) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'any') return undefined;
        if (typ === '[]string') return new GoNil('[]string', 'slice');
        this.errorf(`cannot assign nil to ${typ}`);
        break;
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
    }
    switch (typ) {
      case 'bool':
        if (n.t === 'bool') return n.val;
        this.errorf(`expected bool; found ${nodeString(n)}`);
        break;
      case 'float64':
        if (n.t === 'number' && n.isFloat) return new GoFloat(n.float);
        this.errorf(`expected float; found ${nodeString(n)}`);
        break;
      case 'int':
        if (n.t === 'number' && n.isInt) return intValue(n.int);
        this.errorf(`expected integer; found ${nodeString(n)}`);
        break;
      case 'string':
        if (n.t === 'string') return n.text;
        this.errorf(`expected string; found ${nodeString(n)}`);
        break;
      case 'any':
        return this.evalEmptyInterface(dot, n);
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ}`);
  }

  private evalEmptyInterface(dot: Val, n: Node): Val {
    this.at(n);
    switch (n.t) {
      case 'bool':
        return n.val;
      case 'dot':
        return dot;
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return n.text;
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  printValue(n: Node, v: Val): void {
    this.at(n);
    if (typeof v === 'function') this.errorf(`can't print ${nodeString(n)} of type ${typeName(v)}`);
    this.out += templateString(v);
  }
}

function intValue(i: bigint): number | bigint {
  return i >= BigInt(Number.MIN_SAFE_INTEGER) && i <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(i) : i;
}

function assignable(v: unknown, typ: GoParamType): boolean {
  switch (typ) {
    case 'any':
      return true;
    case 'string':
      return typeof v === 'string';
    case 'int':
      return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
    case 'bool':
      return typeof v === 'boolean';
    case 'float64':
      return v instanceof GoFloat || (typeof v === 'number' && !Number.isInteger(v));
    case '[]string':
      return (v instanceof GoSlice && v.type === '[]string') || (v instanceof GoNil && v.type === '[]string');
  }
}

// =============================================================================================
// Builtin functions

type BasicKind = 'invalid' | 'bool' | 'int' | 'float' | 'string' | 'other';

function basicKind(v: unknown): BasicKind {
  if (v === undefined || v === null) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof GoFloat) return 'float';
  if (typeof v === 'string') return 'string';
  if (v instanceof GoText && v.kind === 'string') return 'string';
  return 'other';
}

function basicString(v: unknown): string {
  return v instanceof GoText ? v.under : (v as string);
}

const errBadComparisonType = 'invalid type for comparison';
const errBadComparison = 'incompatible types for comparison';
const errNoComparison = 'missing argument for comparison';

function comparable(v: unknown): boolean {
  return !(Array.isArray(v) || v instanceof GoSlice || isPlainObject(v) || v instanceof GoMap || (v instanceof GoText && v.kind === 'slice') || typeof v === 'function');
}

function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  if (arg2.length === 0) throw new GoError(errNoComparison);
  const k1 = basicKind(arg1);
  for (const arg of arg2) {
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (k1 !== 'invalid' && k2 !== 'invalid') throw new GoError(errBadComparison);
    } else {
      switch (k1) {
        case 'bool':
          truth = arg1 === arg;
          break;
        case 'int':
          truth = BigInt(arg1 as number) === BigInt(arg as number);
          break;
        case 'float':
          truth = numberValue(arg1) === numberValue(arg);
          break;
        case 'string':
          truth = basicString(arg1) === basicString(arg);
          break;
        case 'invalid':
          truth = true;
          break;
        default: {
          if (!comparable(arg1)) throw new GoError(`non-comparable type ${formatValue(arg1)}: ${typeName(arg1)}`);
          if (!comparable(arg)) throw new GoError(`non-comparable type ${formatValue(arg)}: ${typeName(arg)}`);
          if (typeName(arg1) !== typeName(arg)) truth = false;
          else if (arg1 instanceof GoText && arg instanceof GoText) truth = arg1.text === arg.text;
          else if (arg1 instanceof GoNil || arg instanceof GoNil) truth = arg1 instanceof GoNil && arg instanceof GoNil;
          else truth = arg1 === arg;
        }
      }
    }
    if (truth) return true;
  }
  return false;
}

function lt(arg1: unknown, arg2: unknown): boolean {
  const k1 = basicKind(arg1);
  const k2 = basicKind(arg2);
  if (k1 === 'invalid' || k1 === 'other' || k2 === 'invalid' || k2 === 'other') throw new GoError(errBadComparisonType);
  if (k1 !== k2) throw new GoError(errBadComparison);
  switch (k1) {
    case 'bool':
      throw new GoError(errBadComparisonType);
    case 'int':
      return BigInt(arg1 as number) < BigInt(arg2 as number);
    case 'float':
      return numberValue(arg1) < numberValue(arg2);
    default: {
      const a = basicString(arg1);
      const b = basicString(arg2);
      return compareUtf8(a, b) < 0;
    }
  }
}

function compareUtf8(a: string, b: string): number {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) if (ea[i] !== eb[i]) return ea[i] - eb[i];
  return ea.length - eb.length;
}

function lengthOf(item: unknown): number {
  if (item === undefined || item === null) throw new GoError('len of untyped nil');
  if (item instanceof GoNil) {
    if (item.kind === 'ptr') throw new GoError('len of nil pointer');
    return 0;
  }
  if (typeof item === 'string') return byteLength(item);
  if (Array.isArray(item)) return item.length;
  if (item instanceof GoSlice) return item.items.length;
  if (item instanceof GoMap) return item.entries.size;
  if (isPlainObject(item)) return Object.keys(item).length;
  if (item instanceof GoText && item.kind === 'string') return byteLength(item.under);
  if (item instanceof GoText && item.kind === 'slice') return item.under === '' ? 0 : item.under.split(':').length;
  throw new GoError(`len of type ${typeName(item)}`);
}

function indexArg(index: unknown, cap: number): number {
  if (index === undefined || index === null) throw new GoError('cannot index slice/array with nil');
  if (!((typeof index === 'number' && Number.isInteger(index)) || typeof index === 'bigint')) {
    throw new GoError(`cannot index slice/array with type ${typeName(index)}`);
  }
  const x = Number(index);
  if (x < 0 || x > cap) throw new GoError(`index out of range: ${String(index)}`);
  return x;
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  let v = item;
  if (v === undefined || v === null) throw new GoError('index of untyped nil');
  for (const ix of indexes) {
    if (v === undefined || v === null) throw new GoError('index of untyped nil');
    if (v instanceof GoNil && v.kind === 'ptr') throw new GoError('index of nil pointer');
    if (typeof v === 'string' || (v instanceof GoText && v.kind === 'string')) {
      const bytes = new TextEncoder().encode(basicString(v));
      const x = indexArg(ix, bytes.length);
      if (x === bytes.length) throw new GoError('reflect: string index out of range');
      v = bytes[x];
    } else if (Array.isArray(v) || v instanceof GoSlice || (v instanceof GoNil && v.kind === 'slice')) {
      const items = Array.isArray(v) ? v : v instanceof GoSlice ? v.items : [];
      const x = indexArg(ix, items.length);
      if (x === items.length) throw new GoError('reflect: slice index out of range');
      v = items[x];
    } else if (v instanceof GoMap || isPlainObject(v) || (v instanceof GoNil && v.kind === 'map')) {
      const keyType = v instanceof GoMap ? v.keyType : v instanceof GoNil ? 'string' : 'string';
      if (ix === undefined || ix === null) throw new GoError(`value is nil; should be of type ${keyType}`);
      if (keyType !== 'string' || typeof ix !== 'string') {
        if (!(v instanceof GoMap && typeName(ix) === keyType)) throw new GoError(`value has type ${typeName(ix)}; should be ${keyType}`);
      }
      if (v instanceof GoNil) v = undefined;
      else if (v instanceof GoMap) {
        const key = ix instanceof GoText ? [...v.entries.keys()].find((k) => k instanceof GoText && k.text === ix.text) : ix;
        v = v.entries.has(key) ? v.entries.get(key) : v.zero;
      } else v = Object.prototype.hasOwnProperty.call(v, ix as string) ? (v as Record<string, unknown>)[ix as string] : null;
    } else {
      throw new GoError(`can't index item of type ${typeName(v)}`);
    }
  }
  return v;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new GoError('slice of untyped nil');
  if (indexes.length > 3) throw new GoError(`too many slice indexes: ${indexes.length}`);
  let len: number;
  let isString = false;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new GoError('cannot 3-index slice a string');
    len = new TextEncoder().encode(item).length;
    isString = true;
  } else if (Array.isArray(item) || item instanceof GoSlice || (item instanceof GoNil && item.kind === 'slice')) {
    len = Array.isArray(item) ? item.length : item instanceof GoSlice ? item.items.length : 0;
  } else throw new GoError(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len, len];
  indexes.forEach((ix, i) => {
    idx[i] = indexArg(ix, len);
  });
  if (idx[0] > idx[1]) throw new GoError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1] > idx[2]) throw new GoError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (isString) {
    const bytes = new TextEncoder().encode(item as string).slice(idx[0], idx[1]);
    return new TextDecoder().decode(bytes);
  }
  if (Array.isArray(item)) return item.slice(idx[0], idx[1]);
  if (item instanceof GoSlice) return new GoSlice(item.type, item.items.slice(idx[0], idx[1]));
  return item;
}

/** fmt.Sprint of the arguments with each pointer followed (text/template's evalArgs). */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a instanceof GoStruct && a.pointer && !a.string ? new GoStruct({ ...a, pointer: false, fields: a.fields, methods: a.methods }) : a)));
}

function htmlEscape(s: string): string {
  return s.replace(/["'&<>\0]/g, (c) => ({ '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\0': '\uFFFD' })[c]!);
}

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (c < 0x20) out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    else if (c >= 0x80 && !/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    else out += ch;
  }
  return out;
}

function urlQueryEscape(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** text/template's builtin functions. */
export const BUILTINS: Record<string, GoFunc> = {
  and: goFunc(['any', 'any'], () => undefined, true),
  or: goFunc(['any', 'any'], () => undefined, true),
  not: goFunc(['any'], (a: unknown) => !isTrue(a).truth),
  len: goFunc(['any'], (a: unknown) => lengthOf(a)),
  index: goFunc(['any', 'any'], (item: unknown, ...ix: unknown[]) => index(item, ...ix), true),
  slice: goFunc(['any', 'any'], (item: unknown, ...ix: unknown[]) => slice(item, ...ix), true),
  print: goFunc(['any'], (...a: unknown[]) => sprint(a), true),
  printf: goFunc(['string', 'any'], (f: string, ...a: unknown[]) => sprintf(f, a), true),
  println: goFunc(['any'], (...a: unknown[]) => sprintln(a), true),
  html: goFunc(['any'], (...a: unknown[]) => htmlEscape(evalArgs(a)), true),
  js: goFunc(['any'], (...a: unknown[]) => jsEscape(evalArgs(a)), true),
  urlquery: goFunc(['any'], (...a: unknown[]) => urlQueryEscape(evalArgs(a)), true),
  call: goFunc(
    ['any', 'any'],
    (fn: unknown, ...args: unknown[]) => {
      if (fn === undefined || fn === null) throw new GoError('call of nil');
      if (typeof fn !== 'function') throw new GoError(`non-function of type ${typeName(fn)}`);
      return (fn as (...a: unknown[]) => unknown)(...args);
    },
    true,
  ),
  eq: goFunc(['any', 'any'], (a: unknown, ...b: unknown[]) => eq(a, ...b), true),
  ne: goFunc(['any', 'any'], (a: unknown, b: unknown) => !eq(a, b)),
  lt: goFunc(['any', 'any'], (a: unknown, b: unknown) => lt(a, b)),
  le: goFunc(['any', 'any'], (a: unknown, b: unknown) => lt(a, b) || eq(a, b)),
  gt: goFunc(['any', 'any'], (a: unknown, b: unknown) => !(lt(a, b) || eq(a, b))),
  ge: goFunc(['any', 'any'], (a: unknown, b: unknown) => !lt(a, b)),
};

// =============================================================================================
// The docker CLI's functions (github.com/docker/cli/templates)

/** strings.Title: upper-case the first letter of each word. */
export function goTitle(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    out += isSeparator(prev) ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

function isSeparator(c: string): boolean {
  const cp = c.codePointAt(0)!;
  if (cp <= 0x7f) {
    if (/[0-9a-zA-Z_]/.test(c)) return false;
    return true;
  }
  if (/[\p{L}\p{Nd}]/u.test(c)) return false;
  return /\s/u.test(c);
}

/** strings.Split: an empty separator splits after each UTF-8 sequence. */
function goSplit(s: string, sep: string): string[] {
  if (sep === '') return [...s];
  return s.split(sep);
}

/** Go's string slicing by bytes, decoded back (a cut rune becomes U+FFFD). */
function byteSlice(s: string, end: number): string {
  return new TextDecoder().decode(new TextEncoder().encode(s).slice(0, end));
}

/** The functions docker's templates.Parse installs. */
export const DOCKER_FUNCS: Record<string, GoFunc> = {
  json: goFunc(['any'], (v: unknown) => encodeJSON(v, { escapeHTML: false }).trim()),
  split: goFunc(['string', 'string'], (s: string, sep: string) => new GoSlice('[]string', goSplit(s, sep))),
  join: goFunc(['[]string', 'string'], (a: GoSlice | GoNil, sep: string) => (a instanceof GoSlice ? (a.items as string[]).join(sep) : '')),
  title: goFunc(['string'], (s: string) => goTitle(s)),
  lower: goFunc(['string'], (s: string) => s.toLowerCase()),
  upper: goFunc(['string'], (s: string) => s.toUpperCase()),
  pad: goFunc(['string', 'int', 'int'], (s: string, prefix: number, suffix: number) => (s === '' ? s : ' '.repeat(Math.max(0, prefix)) + s + ' '.repeat(Math.max(0, suffix)))),
  truncate: goFunc(['string', 'int'], (s: string, n: number) => (byteLength(s) < n ? s : byteSlice(s, n))),
};

/** templates.HeaderFunctions: what a table header is rendered with (names stay intact). */
export const DOCKER_HEADER_FUNCS: Record<string, GoFunc> = {
  json: goFunc(['string'], (v: string) => v),
  split: goFunc(['string', 'string'], (v: string) => v),
  join: goFunc(['string', 'string'], (v: string) => v),
  title: goFunc(['string'], (v: string) => v),
  lower: goFunc(['string'], (v: string) => v),
  upper: goFunc(['string'], (v: string) => v),
  truncate: goFunc(['string', 'int'], (v: string) => v),
};

/** templates.Parse: a template named "" with docker's functions. Throws TemplateError. */
export function parseDockerTemplate(format: string): Template {
  return parseTemplate(format, { name: '', funcs: DOCKER_FUNCS });
}
