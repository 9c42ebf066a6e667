/**
 * Syntax tree of the shell language.
 *
 * Words keep their structure (which parts were quoted, which are expansions) until they are
 * expanded at run time: quoting decides field splitting, pattern matching and whether an empty
 * result still counts as an argument.
 */

// ---------------------------------------------------------------------------------------------
// Words

/** Unquoted literal text. Never field-split (only expansion results are), but pattern-active. */
export interface LiteralPart {
  readonly type: 'literal';
  readonly text: string;
}

/** Text protected by quoting: `'...'`, `$'...'`, a backslash-escaped character, literal text inside `"..."`. */
export interface QuotedPart {
  readonly type: 'quoted';
  readonly text: string;
}

/** `"..."`: its expansions are not field-split; an empty `""` still yields an (empty) argument. */
export interface DoubleQuotedPart {
  readonly type: 'double';
  readonly parts: readonly WordPart[];
}

/** Operators of `${NAME<op>ARG}`. */
export type ParamOp =
  | ':-' | '-' | ':=' | '=' | ':+' | '+' | ':?' | '?'
  | '#' | '##' | '%' | '%%'
  | '/' | '//' | '/#' | '/%'
  | ':' // substring ${NAME:offset:length}
  | '^' | '^^' | ',' | ',,';

/** `$NAME`, `${NAME}`, `${#NAME}`, `${NAME:-word}` ... */
export interface ParamPart {
  readonly type: 'param';
  /** A variable name, a positional digit string, or one of `@ * # ? $ ! - 0`. */
  readonly name: string;
  /** `${#NAME}` */
  readonly length: boolean;
  readonly op: ParamOp | null;
  /** The word after the operator (default value, pattern, substring offset...). */
  readonly arg: readonly WordPart[] | null;
  /** Second word: the replacement of `${NAME/pat/rep}`, the length of `${NAME:off:len}`. */
  readonly arg2: readonly WordPart[] | null;
  /** Source text, for error messages. */
  readonly raw: string;
}

/** `${...}` that cannot be parsed: bash reports `bad substitution` when it is expanded, not when parsed. */
export interface BadSubstPart {
  readonly type: 'badsubst';
  readonly raw: string;
}

/** `$(...)` or `` `...` ``. */
export interface CommandSubstPart {
  readonly type: 'command';
  readonly program: Program;
  readonly source: string;
}

/** `$((...))`: the parts are expanded (like a double-quoted string), then evaluated. */
export interface ArithPart {
  readonly type: 'arith';
  readonly parts: readonly WordPart[];
  readonly source: string;
}

/** `~`, `~/...` (user = ''), `~+`, `~-`, `~root`. */
export interface TildePart {
  readonly type: 'tilde';
  readonly user: string;
}

export type WordPart =
  | LiteralPart
  | QuotedPart
  | DoubleQuotedPart
  | ParamPart
  | BadSubstPart
  | CommandSubstPart
  | ArithPart
  | TildePart;

export interface Word {
  /** The word exactly as written (quotes included). */
  readonly raw: string;
  readonly parts: readonly WordPart[];
}

// ---------------------------------------------------------------------------------------------
// Commands

export interface Assignment {
  readonly name: string;
  /** `NAME+=value` */
  readonly append: boolean;
  readonly value: Word;
}

/** A here-document; the lexer fills `body`/`parts` when it reaches the end of the line. */
export interface HereDoc {
  readonly delimiter: string;
  /** Delimiter was quoted (`<<'EOF'`, `<<"EOF"`, `<<\EOF`): the body is taken literally. */
  readonly quoted: boolean;
  /** `<<-`: leading tabs are stripped from body lines and the delimiter line. */
  readonly stripTabs: boolean;
  body: string;
  /** Parsed body for an unquoted delimiter (parameter, command and arithmetic expansion). */
  parts: readonly WordPart[] | null;
}

export type RedirectOp =
  | '<' | '>' | '>>' | '>|' | '<>'
  | '<<' | '<<-' | '<<<'
  | '<&' | '>&'
  | '&>' | '&>>';

export interface Redirect {
  /** Explicit descriptor (`2>`), or null for the operator's default. */
  readonly fd: number | null;
  readonly op: RedirectOp;
  /** File name, descriptor number, here-string word, or here-document delimiter word. */
  readonly target: Word;
  readonly heredoc: HereDoc | null;
}

export interface SimpleCommand {
  readonly type: 'simple';
  readonly assignments: readonly Assignment[];
  readonly words: readonly Word[];
  readonly redirects: readonly Redirect[];
}

export interface Subshell {
  readonly type: 'subshell';
  readonly body: List;
  readonly redirects: readonly Redirect[];
}

export interface Group {
  readonly type: 'group';
  readonly body: List;
  readonly redirects: readonly Redirect[];
}

export interface IfClause {
  readonly condition: List;
  readonly body: List;
}

export interface If {
  readonly type: 'if';
  /** `if` followed by each `elif`. */
  readonly clauses: readonly IfClause[];
  readonly elseBody: List | null;
  readonly redirects: readonly Redirect[];
}

export interface For {
  readonly type: 'for';
  readonly name: string;
  /** null: `for NAME; do` iterates over "$@". */
  readonly words: readonly Word[] | null;
  readonly body: List;
  readonly redirects: readonly Redirect[];
}

/** `for ((init; cond; step)); do ...; done` */
export interface ArithFor {
  readonly type: 'arithfor';
  readonly init: readonly WordPart[];
  readonly condition: readonly WordPart[];
  readonly step: readonly WordPart[];
  readonly body: List;
  readonly redirects: readonly Redirect[];
}

export interface While {
  readonly type: 'while';
  /** `until` loops run while the condition fails. */
  readonly until: boolean;
  readonly condition: List;
  readonly body: List;
  readonly redirects: readonly Redirect[];
}

export interface CaseItem {
  readonly patterns: readonly Word[];
  readonly body: List;
  /** `;;` stop, `;&` run the next body too, `;;&` test the next patterns. */
  readonly terminator: ';;' | ';&' | ';;&';
}

export interface Case {
  readonly type: 'case';
  readonly word: Word;
  readonly items: readonly CaseItem[];
  readonly redirects: readonly Redirect[];
}

/** `(( expression ))` */
export interface ArithCommand {
  readonly type: 'arithcmd';
  readonly parts: readonly WordPart[];
  readonly source: string;
  readonly redirects: readonly Redirect[];
}

/** The expression inside `[[ ... ]]`. */
export type CondExpr =
  | { readonly kind: 'word'; readonly word: Word }
  | { readonly kind: 'not'; readonly expr: CondExpr }
  | { readonly kind: 'and' | 'or'; readonly left: CondExpr; readonly right: CondExpr }
  | { readonly kind: 'unary'; readonly op: string; readonly arg: Word }
  /** For `==`/`!=` the right side is a pattern; for `=~` an extended regular expression. */
  | { readonly kind: 'binary'; readonly op: string; readonly left: Word; readonly right: Word };

/** `[[ expression ]]` */
export interface CondCommand {
  readonly type: 'cond';
  readonly expr: CondExpr;
  readonly redirects: readonly Redirect[];
}

export interface FunctionDef {
  readonly type: 'function';
  readonly name: string;
  readonly body: Command;
  /** Source text of the definition (printed by `type NAME`). */
  readonly source: string;
}

export type CompoundCommand = Subshell | Group | If | For | ArithFor | While | Case | ArithCommand | CondCommand;
export type Command = SimpleCommand | CompoundCommand | FunctionDef;

export interface Pipeline {
  readonly type: 'pipeline';
  /** `! pipeline` */
  readonly negated: boolean;
  readonly commands: readonly Command[];
  /** pipeStderr[i]: the `|` after commands[i] was `|&` (stderr goes down the pipe too). */
  readonly pipeStderr: readonly boolean[];
}

export interface AndOr {
  readonly type: 'andor';
  readonly first: Pipeline;
  readonly rest: readonly { readonly op: '&&' | '||'; readonly pipeline: Pipeline }[];
}

export interface ListItem {
  readonly command: AndOr;
  /** Terminated by `&`. */
  readonly background: boolean;
  /** Offsets of the and-or list in its source. */
  readonly start: number;
  readonly end: number;
  /** Its source text (what `startJob` receives for a background list). */
  readonly text: string;
}

export interface List {
  readonly type: 'list';
  readonly items: readonly ListItem[];
}

/** A parsed input: its list plus the source the offsets refer to. */
export interface Program {
  readonly type: 'program';
  readonly body: List;
  readonly source: string;
}
