/**
 * The interpreter: runs parsed command lines against a {@link ShellRuntime}.
 *
 * Pipes are materialized: the stages of a pipeline run one after the other, left to right, each
 * stage's standard output collected and handed to the next as its standard input. Every stage of
 * a multi-command pipeline runs in a subshell (a copy of the state), as in bash, so
 * `echo x | read v` does not set `v` in the shell.
 */

import type {
  AndOr,
  ArithFor,
  Case,
  Command,
  CompoundCommand,
  CondExpr,
  FunctionDef,
  If,
  List,
  Pipeline,
  Program,
  Redirect,
  SimpleCommand,
  While,
  For,
  Word,
  WordPart,
} from './ast.ts';
import { BUILTINS, type BuiltinHost, unaryTest } from './builtins.ts';
import {
  type ExpandEnv,
  ExpansionError,
  evalArith,
  expandHeredoc,
  expandPattern,
  expandRegex,
  expandToString,
  expandWord,
  expandWords,
  matchPattern,
} from './expand.ts';
import { parse } from './parser.ts';
import type { CommandIO, InterruptFlag, ShellRuntime } from './runtime.ts';
import { ShellExit } from './runtime.ts';
import {
  AbortLine,
  BreakSignal,
  ContinueSignal,
  type ExecContext,
  type Fd,
  type Fds,
  fdsFromIo,
  Interrupted,
  inputFd,
  ioFromFds,
  ReturnSignal,
  type SavedVars,
  ShellState,
  shellQuote,
  writerOf,
} from './state.ts';

export interface InterpreterOptions {
  /**
   * Paths shown by `type` and `command -v` for runtime commands (e.g. `ip` → `/usr/sbin/ip`).
   * Commands not listed show as `/usr/bin/NAME`.
   */
  readonly commandPaths?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** Shell variables that are not exported (the constructor's `variables` are the environment). */
  readonly shellVariables?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** Starting directory; defaults to $PWD, then $HOME, then `/`. */
  readonly cwd?: string;
  /** `$0` (default `bash`). */
  readonly shellName?: string;
  /**
   * Whose messages the shell prints when a redirection cannot open its file: bash's
   * (`bash: FILE: MSG`, the default) or BusyBox ash's (`sh: can't create FILE: MSG`).
   */
  readonly dialect?: 'bash' | 'ash';
  /** `$$` (default 1000). */
  readonly pid?: number;
  /**
   * Most iterations one loop may run before the line is stopped (default 100000). Without
   * timers a `while true` loop would otherwise freeze the page before Ctrl+C could be seen.
   */
  readonly loopLimit?: number;
  /** Deepest function nesting (bash's FUNCNEST; default 1000). */
  readonly maxFunctionDepth?: number;
}

function entriesOf(m: ReadonlyMap<string, string> | Readonly<Record<string, string>> | undefined): [string, string][] {
  if (m === undefined) return [];
  if (m instanceof Map) return [...(m as ReadonlyMap<string, string>).entries()];
  return Object.entries(m as Readonly<Record<string, string>>);
}

/** An ExpandEnv that also remembers the status of its last command substitution. */
interface TrackingEnv extends ExpandEnv {
  substStatus: number | null;
}

export class Interpreter implements BuiltinHost {
  readonly runtime: ShellRuntime;
  private readonly state: ShellState;
  private readonly commandPaths: Map<string, string>;
  private readonly shellName: string;
  private readonly dialect: 'bash' | 'ash';
  private readonly pid: number;
  private readonly loopLimit: number;
  private readonly maxFunctionDepth: number;

  constructor(
    runtime: ShellRuntime,
    variables: ReadonlyMap<string, string> | Readonly<Record<string, string>> = {},
    options: InterpreterOptions = {},
  ) {
    this.runtime = runtime;
    this.commandPaths = new Map(entriesOf(options.commandPaths));
    this.shellName = options.shellName ?? 'bash';
    this.dialect = options.dialect ?? 'bash';
    this.pid = options.pid ?? 1000;
    this.loopLimit = options.loopLimit ?? 100000;
    this.maxFunctionDepth = options.maxFunctionDepth ?? 1000;
    const env = entriesOf(variables);
    const shellVars = entriesOf(options.shellVariables);
    const lookup = (name: string): string | undefined =>
      env.find(([k]) => k === name)?.[1] ?? shellVars.find(([k]) => k === name)?.[1];
    this.state = new ShellState(options.cwd ?? lookup('PWD') ?? lookup('HOME') ?? '/');
    for (const [k, v] of shellVars) this.state.vars.set(k, { value: v, exported: false });
    for (const [k, v] of env) this.state.vars.set(k, { value: v, exported: true });
    if (this.state.get('PWD') !== this.state.cwd) {
      this.state.vars.set('PWD', { value: this.state.cwd, exported: this.state.vars.get('PWD')?.exported ?? true });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Public API

  /** Current working directory. */
  get cwd(): string {
    return this.state.cwd;
  }

  /** Changes the working directory (and $PWD) without checks, e.g. when the session switches hosts. */
  setCwd(path: string): void {
    this.state.cwd = path;
    this.state.set('PWD', path);
  }

  /** `$?` */
  get lastStatus(): number {
    return this.state.status;
  }

  getVariable(name: string): string | undefined {
    return this.state.get(name);
  }

  setVariable(name: string, value: string, exported?: boolean): void {
    this.state.set(name, value);
    if (exported !== undefined) this.state.setExported(name, exported);
  }

  unsetVariable(name: string): void {
    this.state.unset(name);
  }

  isExported(name: string): boolean {
    return this.state.vars.get(name)?.exported ?? false;
  }

  /** Exported variables with a value (what runtime commands receive). */
  environment(): Map<string, string> {
    return this.state.exportedEnv();
  }

  /** Names of defined shell functions (for completion). */
  functionNames(): string[] {
    return [...this.state.functions.keys()].sort();
  }

  /**
   * Runs one command line (see `analyzeInput`) and returns its exit status, which also becomes
   * `$?`. A syntax error prints bash's message on `io.err` and gives 2. Ctrl+C (`interrupt`)
   * stops the line with 130. The `exit` builtin throws {@link ShellExit} out of this method.
   */
  async run(source: string, io: CommandIO, interrupt: InterruptFlag): Promise<number> {
    const parsed = parse(source, { final: true });
    if (parsed.kind !== 'ok') {
      io.err(parsed.message + '\n');
      this.state.status = 2;
      return 2;
    }
    for (const w of parsed.warnings) io.err(w + '\n');
    const body = parsed.program.body;
    // A line of comments only leaves $? alone.
    if (body.items.length === 0) return this.state.status;
    const ctx: ExecContext = { state: this.state, fds: fdsFromIo(io), interrupt, background: false };
    let status: number;
    try {
      status = await this.execList(body, ctx);
    } catch (e) {
      if (e instanceof Interrupted) status = 130;
      else if (e instanceof AbortLine) status = e.status;
      else if (e instanceof BreakSignal || e instanceof ContinueSignal) status = 0;
      else if (e instanceof ReturnSignal) status = e.status;
      else throw e;
    }
    this.state.status = status;
    return status;
  }

  // ------------------------------------------------------------------------------------------
  // BuiltinHost: used by the builtins (public only for them; not meant for the session)

  commandPath(name: string): string {
    return this.commandPaths.get(name) ?? `/usr/bin/${name}`;
  }

  async evalSource(source: string, ctx: ExecContext): Promise<number> {
    const parsed = parse(source, { final: true });
    if (parsed.kind !== 'ok') {
      writerOf(ctx.fds, 2)(parsed.message + '\n');
      return 2;
    }
    if (parsed.program.body.items.length === 0) return 0;
    return this.execList(parsed.program.body, ctx);
  }

  arith(text: string, ctx: ExecContext): bigint {
    try {
      return evalArith(text, this.expandEnv(ctx));
    } catch (e) {
      if (e instanceof ExpansionError) {
        writerOf(ctx.fds, 2)(e.message + '\n');
        throw new AbortLine(e.status);
      }
      throw e;
    }
  }

  shellFlags(ctx: ExecContext): string {
    const o = ctx.state.options;
    let f = 'h';
    if (o.has('errexit')) f += 'e';
    if (o.has('nounset')) f += 'u';
    if (o.has('xtrace')) f += 'x';
    return f + 'B';
  }

  // ------------------------------------------------------------------------------------------
  // Lists, and-or lists, pipelines

  private checkInterrupt(ctx: ExecContext): void {
    if (ctx.interrupt.interrupted) throw new Interrupted();
  }

  private async execList(list: List, ctx: ExecContext): Promise<number> {
    let status = 0;
    for (const item of list.items) {
      this.checkInterrupt(ctx);
      if (item.background) {
        status = await this.execBackground(item.command, item.text, ctx);
      } else {
        status = await this.execAndOr(item.command, ctx);
      }
      ctx.state.status = status;
    }
    return status;
  }

  /**
   * `list &`: the runtime registers a job; the list runs (in a subshell, with the job's IO and
   * `background: true`), then the job is finished. `$!` becomes the job's pid; the status is 0.
   */
  private async execBackground(command: AndOr, text: string, ctx: ExecContext): Promise<number> {
    const job = this.runtime.startJob(text);
    const jobCtx: ExecContext = {
      state: ctx.state.clone(),
      fds: fdsFromIo(job.io),
      interrupt: ctx.interrupt,
      background: true,
    };
    let status: number;
    try {
      status = await this.inSubshell(jobCtx, () => this.execAndOr(command, jobCtx));
    } catch (e) {
      if (!(e instanceof Interrupted)) throw e;
      status = 130;
    }
    this.runtime.finishJob(job.jobNumber, status);
    ctx.state.lastBgPid = String(job.pid);
    return 0;
  }

  private async execAndOr(andOr: AndOr, ctx: ExecContext): Promise<number> {
    let status = await this.execPipeline(andOr.first, ctx);
    for (const { op, pipeline } of andOr.rest) {
      ctx.state.status = status;
      // `a && b` runs b only when a succeeded; `a || b` only when it failed.
      if ((op === '&&') !== (status === 0)) continue;
      status = await this.execPipeline(pipeline, ctx);
    }
    return status;
  }

  private async execPipeline(p: Pipeline, ctx: ExecContext): Promise<number> {
    let status: number;
    const n = p.commands.length;
    if (n === 0) {
      status = 0;
    } else if (n === 1) {
      status = await this.execCommand(p.commands[0]!, ctx);
    } else {
      let input: Fd | undefined = ctx.fds.get(0);
      const statuses: number[] = [];
      for (let i = 0; i < n; i++) {
        this.checkInterrupt(ctx);
        const fds = new Map(ctx.fds);
        if (input) fds.set(0, input);
        else fds.delete(0);
        const chunks: string[] = [];
        if (i < n - 1) {
          const pipe: Fd = { kind: 'out', write: (s) => void chunks.push(s) };
          fds.set(1, pipe);
          if (p.pipeStderr[i]) fds.set(2, pipe);
        }
        const stageCtx: ExecContext = { ...ctx, state: ctx.state.clone(), fds };
        const cmd = p.commands[i]!;
        statuses.push(await this.inSubshell(stageCtx, () => this.execCommand(cmd, stageCtx)));
        input = inputFd(chunks.join(''));
      }
      status = statuses[n - 1]!;
      // set -o pipefail: the last non-zero status of any stage.
      if (ctx.state.options.has('pipefail')) {
        for (const s of statuses) if (s !== 0) status = s;
      }
    }
    if (p.negated) status = status === 0 ? 1 : 0;
    return status;
  }

  /** Runs `f` as a subshell: `exit`, `return`, `break` and aborted lines end only the subshell. */
  private async inSubshell(ctx: ExecContext, f: () => Promise<number>): Promise<number> {
    try {
      return await f();
    } catch (e) {
      if (e instanceof ShellExit) return e.status;
      if (e instanceof ReturnSignal) return e.status;
      if (e instanceof AbortLine) return e.status;
      if (e instanceof BreakSignal || e instanceof ContinueSignal) return ctx.state.status;
      throw e;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Commands

  private async execCommand(cmd: Command, ctx: ExecContext): Promise<number> {
    if (cmd.type === 'simple') return this.execSimple(cmd, ctx);
    if (cmd.type === 'function') {
      ctx.state.functions.set(cmd.name, cmd);
      return 0;
    }
    this.checkInterrupt(ctx);
    const fds = await this.applyRedirects(cmd.redirects, ctx);
    if (fds === null) return 1;
    const c: ExecContext = fds === ctx.fds ? ctx : { ...ctx, fds };
    return this.execCompound(cmd, c);
  }

  private async execCompound(cmd: CompoundCommand, ctx: ExecContext): Promise<number> {
    switch (cmd.type) {
      case 'group':
        return this.execList(cmd.body, ctx);
      case 'subshell': {
        const sub: ExecContext = { ...ctx, state: ctx.state.clone() };
        return this.inSubshell(sub, () => this.execList(cmd.body, sub));
      }
      case 'if':
        return this.execIf(cmd, ctx);
      case 'while':
        return this.execWhile(cmd, ctx);
      case 'for':
        return this.execFor(cmd, ctx);
      case 'arithfor':
        return this.execArithFor(cmd, ctx);
      case 'case':
        return this.execCase(cmd, ctx);
      case 'arithcmd': {
        const v = await this.arithParts(cmd.parts, ctx);
        return v !== 0n ? 0 : 1;
      }
      case 'cond': {
        const r = await this.evalCond(cmd.expr, ctx);
        return r === null ? 2 : r ? 0 : 1;
      }
    }
  }

  /**
   * `[[ ... ]]`: words are expanded without field splitting; the right side of `==`/`!=` is a
   * pattern, of `=~` an extended regular expression (an invalid one gives status 2, as in bash);
   * `-eq` and friends compare arithmetic values. null: an invalid regular expression.
   */
  private async evalCond(e: CondExpr, ctx: ExecContext): Promise<boolean | null> {
    const str = (w: Word): Promise<string> => this.expanding(ctx, (env) => expandToString(w.parts, env));
    switch (e.kind) {
      case 'word':
        return (await str(e.word)) !== '';
      case 'not': {
        const v = await this.evalCond(e.expr, ctx);
        return v === null ? null : !v;
      }
      case 'and': {
        const l = await this.evalCond(e.left, ctx);
        return l !== true ? l : this.evalCond(e.right, ctx);
      }
      case 'or': {
        const l = await this.evalCond(e.left, ctx);
        return l !== false ? l : this.evalCond(e.right, ctx);
      }
      case 'unary':
        return unaryTest(e.op, await str(e.arg), this.runtime, ctx.state);
      case 'binary': {
        const left = await str(e.left);
        const right = e.right;
        switch (e.op) {
          case '==':
          case '=':
          case '!=': {
            const pattern = await this.expanding(ctx, (env) => expandPattern(right.parts, env));
            return matchPattern(left, pattern) === (e.op !== '!=');
          }
          case '=~': {
            const source = await this.expanding(ctx, (env) => expandRegex(right.parts, env));
            try {
              return new RegExp(source).test(left);
            } catch {
              return null;
            }
          }
          case '<':
            return left < (await str(right));
          case '>':
            return left > (await str(right));
          case '-eq': case '-ne': case '-lt': case '-le': case '-gt': case '-ge': {
            const r = await str(right);
            const [a, b] = await this.expanding(ctx, async (env) => [evalArith(left, env), evalArith(r, env)] as const);
            const cmp = { '-eq': a === b, '-ne': a !== b, '-lt': a < b, '-le': a <= b, '-gt': a > b, '-ge': a >= b };
            return cmp[e.op];
          }
          default:
            return false; // -nt -ot -ef: no timestamps or inodes here
        }
      }
    }
  }

  private async execIf(cmd: If, ctx: ExecContext): Promise<number> {
    for (const clause of cmd.clauses) {
      if ((await this.execList(clause.condition, ctx)) === 0) return this.execList(clause.body, ctx);
    }
    if (cmd.elseBody) return this.execList(cmd.elseBody, ctx);
    // No branch taken: the status is 0 (bash).
    return 0;
  }

  /**
   * Runs one loop iteration's body, turning `break`/`continue` signals into 'break' / 'continue'
   * results for this loop (or re-throwing them, one level less, for an outer loop).
   */
  private async loopBody(body: List, ctx: ExecContext): Promise<{ status: number; flow: 'next' | 'break' }> {
    try {
      return { status: await this.execList(body, ctx), flow: 'next' };
    } catch (e) {
      if (e instanceof BreakSignal) {
        if (e.levels > 1) throw new BreakSignal(e.levels - 1);
        return { status: 0, flow: 'break' };
      }
      if (e instanceof ContinueSignal) {
        if (e.levels > 1) throw new ContinueSignal(e.levels - 1);
        return { status: 0, flow: 'next' };
      }
      throw e;
    }
  }

  private countIteration(count: number, ctx: ExecContext): void {
    this.checkInterrupt(ctx);
    if (count > this.loopLimit) {
      writerOf(ctx.fds, 2)(`bash: loop stopped after ${this.loopLimit} iterations\n`);
      throw new AbortLine(1);
    }
  }

  private async execWhile(cmd: While, ctx: ExecContext): Promise<number> {
    const st = ctx.state;
    let status = 0;
    let count = 0;
    st.loopDepth++;
    try {
      for (;;) {
        this.countIteration(++count, ctx);
        const c = await this.execList(cmd.condition, ctx);
        if (cmd.until ? c === 0 : c !== 0) break;
        const r = await this.loopBody(cmd.body, ctx);
        status = r.status;
        if (r.flow === 'break') break;
      }
    } finally {
      st.loopDepth--;
    }
    return status;
  }

  private async execFor(cmd: For, ctx: ExecContext): Promise<number> {
    const st = ctx.state;
    const values = cmd.words === null ? [...st.positional] : await this.expanding(ctx, (env) => expandWords(cmd.words!, env));
    let status = 0;
    let count = 0;
    st.loopDepth++;
    try {
      for (const v of values) {
        this.countIteration(++count, ctx);
        st.set(cmd.name, v);
        const r = await this.loopBody(cmd.body, ctx);
        status = r.status;
        if (r.flow === 'break') break;
      }
    } finally {
      st.loopDepth--;
    }
    return status;
  }

  private async execArithFor(cmd: ArithFor, ctx: ExecContext): Promise<number> {
    const st = ctx.state;
    let status = 0;
    let count = 0;
    st.loopDepth++;
    try {
      await this.arithParts(cmd.init, ctx);
      for (;;) {
        this.countIteration(++count, ctx);
        // An empty condition is true.
        if (cmd.condition.length > 0 && (await this.arithParts(cmd.condition, ctx)) === 0n) break;
        const r = await this.loopBody(cmd.body, ctx);
        status = r.status;
        if (r.flow === 'break') break;
        await this.arithParts(cmd.step, ctx);
      }
    } finally {
      st.loopDepth--;
    }
    return status;
  }

  private async execCase(cmd: Case, ctx: ExecContext): Promise<number> {
    const word = await this.expanding(ctx, (env) => expandToString(cmd.word.parts, env));
    let status = 0;
    let fallthrough = false;
    for (const item of cmd.items) {
      let matched = fallthrough;
      for (const pat of item.patterns) {
        if (matched) break;
        const pattern = await this.expanding(ctx, (env) => expandPattern(pat.parts, env));
        matched = matchPattern(word, pattern);
      }
      if (!matched) continue;
      status = await this.execList(item.body, ctx);
      if (item.terminator === ';;') return status;
      // `;&` runs the next body without testing; `;;&` tests the next patterns.
      fallthrough = item.terminator === ';&';
    }
    return status;
  }

  private async arithParts(parts: readonly WordPart[], ctx: ExecContext): Promise<bigint> {
    return this.expanding(ctx, async (env) => evalArith(await expandToString(parts, env), env));
  }

  // ------------------------------------------------------------------------------------------
  // Simple commands

  private async execSimple(cmd: SimpleCommand, ctx: ExecContext): Promise<number> {
    this.checkInterrupt(ctx);
    const st = ctx.state;
    const env = this.expandEnv(ctx);
    const argv = await this.expanding(ctx, () => expandWords(cmd.words, env), env);

    if (argv.length === 0) {
      // Assignments only (and maybe redirections, which create or truncate files).
      for (const a of cmd.assignments) {
        const v = await this.expanding(ctx, () => expandToString(a.value.parts, env), env);
        st.set(a.name, a.append ? (st.get(a.name) ?? '') + v : v);
        if (st.options.has('allexport')) st.setExported(a.name, true);
      }
      if (st.options.has('xtrace') && cmd.assignments.length > 0) {
        writerOf(ctx.fds, 2)(cmd.assignments.map((a) => `+ ${a.name}=${shellQuote(st.get(a.name) ?? '')}\n`).join(''));
      }
      if (cmd.redirects.length > 0 && (await this.applyRedirects(cmd.redirects, ctx)) === null) return 1;
      // The status is that of the last command substitution, or 0.
      return env.substStatus ?? 0;
    }

    // `NAME=value cmd`: the assignments hold (exported) for this command only. They are expanded
    // in order, each seeing the ones before it.
    const saved: SavedVars = new Map();
    try {
      for (const a of cmd.assignments) {
        const v = await this.expanding(ctx, () => expandToString(a.value.parts, env), env);
        if (!saved.has(a.name)) saved.set(a.name, st.vars.get(a.name));
        st.vars.set(a.name, { value: a.append ? (st.get(a.name) ?? '') + v : v, exported: true });
      }
      const fds = await this.applyRedirects(cmd.redirects, ctx);
      if (fds === null) return 1;
      const c: ExecContext = fds === ctx.fds ? ctx : { ...ctx, fds };
      if (st.options.has('xtrace')) writerOf(c.fds, 2)(`+ ${argv.map(shellQuote).join(' ')}\n`);
      return await this.invoke(argv, c, false);
    } finally {
      st.restore(saved);
    }
  }

  /** Runs an expanded argv: a function, a builtin, or a runtime command. */
  async invoke(argv: readonly string[], ctx: ExecContext, skipFunctions: boolean): Promise<number> {
    const name = argv[0]!;
    const fn = skipFunctions ? undefined : ctx.state.functions.get(name);
    if (fn) return this.callFunction(fn, argv, ctx);
    const builtin = BUILTINS.get(name);
    if (builtin) return builtin(argv, { host: this, ctx, io: ioFromFds(ctx.fds) });
    const status = await this.runtime.runCommand({
      argv: [...argv],
      io: ioFromFds(ctx.fds),
      env: ctx.state.exportedEnv(),
      background: ctx.background,
      interrupt: ctx.interrupt,
    });
    // Ctrl+C during the command ends the whole line.
    this.checkInterrupt(ctx);
    // An exit status is a byte.
    return Number.isInteger(status) ? status & 255 : 1;
  }

  private async callFunction(fn: FunctionDef, argv: readonly string[], ctx: ExecContext): Promise<number> {
    const st = ctx.state;
    if (st.funcDepth >= this.maxFunctionDepth) {
      writerOf(ctx.fds, 2)(`bash: ${fn.name}: maximum function nesting level exceeded (${this.maxFunctionDepth})\n`);
      throw new AbortLine(1);
    }
    const savedPositional = st.positional;
    st.positional = argv.slice(1);
    st.funcDepth++;
    const frame: SavedVars = new Map();
    st.localFrames.push(frame);
    try {
      return await this.execCommand(fn.body, ctx);
    } catch (e) {
      if (e instanceof ReturnSignal) return e.status;
      throw e;
    } finally {
      st.localFrames.pop();
      st.restore(frame);
      st.funcDepth--;
      st.positional = savedPositional;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Redirections

  /**
   * Applies redirections left to right on a copy of the descriptor table, so order matters as
   * in bash: `cmd > f 2>&1` sends both streams to f (2 copies 1 after 1 points at f), while
   * `cmd 2>&1 > f` sends errors where stdout went before. Errors (missing file, ambiguous
   * redirect) are written to the standard error in effect at that point; the command does not
   * run and the status is 1.
   */
  private async applyRedirects(redirects: readonly Redirect[], ctx: ExecContext): Promise<Fds | null> {
    if (redirects.length === 0) return ctx.fds;
    const fds = new Map(ctx.fds);
    const cwd = ctx.state.cwd;
    const fail = (msg: string): null => {
      writerOf(fds, 2)(msg + '\n');
      return null;
    };
    for (const r of redirects) {
      if (r.op === '<<' || r.op === '<<-') {
        const doc = r.heredoc!;
        const parts = doc.parts;
        const body = doc.quoted || parts === null ? doc.body : await this.expanding(ctx, (env) => expandHeredoc(parts, env));
        fds.set(r.fd ?? 0, inputFd(body));
        continue;
      }
      if (r.op === '<<<') {
        const text = await this.expanding(ctx, (env) => expandToString(r.target.parts, env));
        fds.set(r.fd ?? 0, inputFd(text + '\n'));
        continue;
      }
      const fields = await this.expanding(ctx, (env) => expandWord(r.target, env));
      if (fields.length !== 1) return fail(`bash: ${r.target.raw}: ambiguous redirect`);
      const target = fields[0]!;
      switch (r.op) {
        case '<':
        case '<>': {
          const fd = r.fd ?? 0;
          const special = this.specialFile(target, fds);
          if (special !== undefined) {
            if (special === null) return fail(`bash: ${target}: Bad file descriptor`);
            fds.set(fd, special);
            break;
          }
          let res = this.runtime.readFile(target, cwd);
          if (!res.ok && r.op === '<>') {
            // <> creates the file when it does not exist.
            const created = this.runtime.writeFile(target, '', true, cwd);
            if (created.ok) res = { ok: true, value: '' };
          }
          if (!res.ok) return fail(this.openError(target, res.message, false));
          fds.set(fd, inputFd(res.value));
          break;
        }
        case '>':
        case '>|':
        case '>>': {
          const w = this.openForWriting(target, r.op === '>>', cwd, fds);
          if (typeof w === 'string') return fail(w);
          fds.set(r.fd ?? 1, w);
          break;
        }
        case '&>':
        case '&>>': {
          const w = this.openForWriting(target, r.op === '&>>', cwd, fds);
          if (typeof w === 'string') return fail(w);
          fds.set(1, w);
          fds.set(2, w);
          break;
        }
        case '>&':
        case '<&': {
          const fd = r.fd ?? (r.op === '>&' ? 1 : 0);
          if (target === '-') {
            fds.delete(fd);
            break;
          }
          if (/^[0-9]+$/.test(target)) {
            const src = fds.get(Number(target));
            if (!src) return fail(`bash: ${target}: Bad file descriptor`);
            fds.set(fd, src);
            break;
          }
          // `>& file` (no descriptor number) is `&> file`.
          if (r.op === '>&' && r.fd === null) {
            const w = this.openForWriting(target, false, cwd, fds);
            if (typeof w === 'string') return fail(w);
            fds.set(1, w);
            fds.set(2, w);
            break;
          }
          return fail(`bash: ${target}: ambiguous redirect`);
        }
      }
    }
    return fds;
  }

  /**
   * `/dev/stdin`, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` name the shell's own descriptors
   * (bash handles them itself); `/dev/null` is empty. undefined: an ordinary file; null: a
   * descriptor that is not open.
   */
  private specialFile(target: string, fds: Fds): Fd | null | undefined {
    if (target === '/dev/null') return inputFd('');
    const m = /^\/dev\/(?:(stdin|stdout|stderr)|fd\/([0-9]+))$/.exec(target);
    if (!m) return undefined;
    const n = m[1] === 'stdin' ? 0 : m[1] === 'stdout' ? 1 : m[1] === 'stderr' ? 2 : Number(m[2]);
    return fds.get(n) ?? null;
  }

  /** A redirection's file could not be opened: the message in this shell's words. */
  private openError(target: string, message: string, writing: boolean): string {
    if (this.dialect === 'bash') return `bash: ${target}: ${message}`;
    // BusyBox ash (openredirect): errmsg() words ENOENT its own way
    const enoent = message === 'No such file or directory';
    return writing ? `${this.shellName}: can't create ${target}: ${enoent ? 'nonexistent directory' : message}` : `${this.shellName}: can't open ${target}: ${enoent ? 'no such file' : message}`;
  }

  /** Opens (truncating unless appending) a file for writing; a string is an error message. */
  private openForWriting(target: string, append: boolean, cwd: string, fds: Fds): Fd | string {
    if (target === '/dev/null') return { kind: 'out', write: () => {} };
    const special = this.specialFile(target, fds);
    if (special !== undefined) return special === null ? `bash: ${target}: Bad file descriptor` : special;
    const r = this.runtime.writeFile(target, '', append, cwd);
    if (!r.ok) return this.openError(target, r.message, true);
    const runtime = this.runtime;
    return {
      kind: 'out',
      write: (text: string) => {
        if (text !== '') runtime.writeFile(target, text, true, cwd);
      },
    };
  }

  // ------------------------------------------------------------------------------------------
  // Expansion

  private expandEnv(ctx: ExecContext): TrackingEnv {
    const st = ctx.state;
    const env: TrackingEnv = {
      substStatus: null,
      getVar: (name) => st.get(name),
      setVar: (name, value) => st.set(name, value),
      special: (name) => {
        switch (name) {
          case '?':
            return String(st.status);
          case '$':
            return String(this.pid);
          case '!':
            return st.lastBgPid;
          case '-':
            return this.shellFlags(ctx);
          case '0':
            return this.shellName;
        }
      },
      positional: () => st.positional,
      files: this.runtime.listDir
        ? {
            list: (dir) => this.runtime.listDir!(dir, st.cwd),
            exists: (path) => this.runtime.isFile(path, st.cwd) || this.runtime.isDirectory(path, st.cwd),
          }
        : undefined,
      commandSubst: async (program: Program) => {
        // $(...) runs in a subshell; its stdout is captured, its stderr passes through.
        const chunks: string[] = [];
        const fds = new Map(ctx.fds);
        fds.set(1, { kind: 'out', write: (s) => void chunks.push(s) });
        const sub: ExecContext = { ...ctx, state: st.clone(), fds };
        env.substStatus = await this.inSubshell(sub, () =>
          program.body.items.length === 0 ? Promise.resolve(0) : this.execList(program.body, sub),
        );
        // Like bash, $? reflects the substitution for the rest of the expansion (`echo $(false) $?` → 1).
        st.status = env.substStatus;
        return chunks.join('');
      },
    };
    return env;
  }

  /**
   * Runs an expansion; an expansion error prints its message and abandons the command line
   * (bash jumps back to the prompt: `echo ${X:?unset}; echo after` prints only the error).
   */
  private async expanding<T>(ctx: ExecContext, f: (env: TrackingEnv) => Promise<T>, env?: TrackingEnv): Promise<T> {
    try {
      return await f(env ?? this.expandEnv(ctx));
    } catch (e) {
      if (e instanceof ExpansionError) {
        writerOf(ctx.fds, 2)(e.message + '\n');
        throw new AbortLine(e.status);
      }
      if (e instanceof RangeError) {
        writerOf(ctx.fds, 2)('bash: expression too deeply nested\n');
        throw new AbortLine(1);
      }
      throw e;
    }
  }
}
