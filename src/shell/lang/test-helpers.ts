/**
 * Test helpers: a fake {@link ShellRuntime} with a few commands and an in-memory filesystem, and
 * functions that run shell text and collect what it printed.
 */

import { Interpreter, type InterpreterOptions } from './interp.ts';
import { analyzeInput } from './parser.ts';
import type { CommandIO, CommandRequest, FsResult, InterruptFlag, ShellRuntime } from './runtime.ts';
import { ShellExit } from './runtime.ts';
import { resolvePath } from './state.ts';

export interface JobRecord {
  readonly jobNumber: number;
  readonly pid: number;
  readonly text: string;
  out: string;
  err: string;
  status: number | null;
}

/** A mutable interrupt flag; a command can set it to simulate Ctrl+C. */
export class TestInterrupt implements InterruptFlag {
  interrupted = false;
}

export class FakeRuntime implements ShellRuntime {
  readonly files = new Map<string, string>();
  readonly dirs = new Set<string>(['/', '/root', '/tmp', '/etc', '/home', '/home/user']);
  readonly jobs: JobRecord[] = [];
  readonly requests: CommandRequest[] = [];
  interrupt: TestInterrupt | null = null;
  private nextJob = 1;

  readonly commands: Record<string, (req: CommandRequest) => number | Promise<number>> = {
    /** Upper-cases its standard input. */
    upper: ({ io }) => {
      io.out(io.stdin.toUpperCase());
      return 0;
    },
    /** Exits with 3 (or its argument). */
    fail: ({ argv }) => (argv[1] !== undefined && /^[0-9]+$/.test(argv[1]) ? Number(argv[1]) : 3),
    /** Prints its files (or standard input). */
    cat: ({ argv, io }) => {
      if (argv.length === 1) {
        io.out(io.stdin);
        return 0;
      }
      let status = 0;
      for (const f of argv.slice(1)) {
        const r = this.readFile(f, this.cwdOf());
        if (r.ok) io.out(r.value);
        else {
          io.err(`cat: ${f}: ${r.message}\n`);
          status = 1;
        }
      }
      return status;
    },
    /** Prints each argument in brackets on its own line: shows how words were split. */
    args: ({ argv, io }) => {
      io.out(argv.slice(1).map((a) => `[${a}]`).join('') + '\n');
      return 0;
    },
    /** Prints its arguments on standard error. */
    errecho: ({ argv, io }) => {
      io.err(argv.slice(1).join(' ') + '\n');
      return 0;
    },
    /** Writes "out" to stdout and "err" to stderr. */
    both: ({ io }) => {
      io.out('out\n');
      io.err('err\n');
      return 0;
    },
    /** Prints an environment variable. */
    printenv: ({ argv, io, env }) => {
      const v = env.get(argv[1] ?? '');
      if (v === undefined) return 1;
      io.out(v + '\n');
      return 0;
    },
    /** Prints whether it runs in the background. */
    isbg: ({ io, background }) => {
      io.out(background ? 'background\n' : 'foreground\n');
      return 0;
    },
    /** Simulates Ctrl+C while running. */
    interruptme: () => {
      if (this.interrupt) this.interrupt.interrupted = true;
      return 130;
    },
    /** Counts lines of standard input. */
    wc: ({ io }) => {
      const n = io.stdin === '' ? 0 : io.stdin.split('\n').length - (io.stdin.endsWith('\n') ? 1 : 0);
      io.out(`${n}\n`);
      return 0;
    },
    ip: ({ io }) => {
      io.out('ip\n');
      return 0;
    },
    seq: ({ argv, io }) => {
      const n = Number(argv[1] ?? '0');
      for (let i = 1; i <= n; i++) io.out(`${i}\n`);
      return 0;
    },
  };

  /** The cwd of the interpreter, for commands that read files (set by the helpers). */
  cwdOf: () => string = () => '/';

  runCommand(req: CommandRequest): Promise<number> {
    this.requests.push(req);
    const name = req.argv[0]!;
    const cmd = this.commands[name];
    if (!cmd) {
      req.io.err(`${name}: command not found\n`);
      return Promise.resolve(127);
    }
    return Promise.resolve(cmd(req));
  }

  hasCommand(name: string): boolean {
    return name in this.commands;
  }

  commandNames(): readonly string[] {
    return Object.keys(this.commands);
  }

  readFile(path: string, cwd: string): FsResult<string> {
    const p = resolvePath(cwd, path);
    if (p === '/dev/null') return { ok: true, value: '' };
    if (this.dirs.has(p)) return { ok: false, message: 'Is a directory' };
    const v = this.files.get(p);
    if (v === undefined) return { ok: false, message: 'No such file or directory' };
    return { ok: true, value: v };
  }

  writeFile(path: string, data: string, append: boolean, cwd: string): FsResult<void> {
    const p = resolvePath(cwd, path);
    if (p === '/dev/null') return { ok: true, value: undefined };
    if (this.dirs.has(p)) return { ok: false, message: 'Is a directory' };
    const parent = p.slice(0, p.lastIndexOf('/')) || '/';
    if (!this.dirs.has(parent)) return { ok: false, message: 'No such file or directory' };
    this.files.set(p, (append ? (this.files.get(p) ?? '') : '') + data);
    return { ok: true, value: undefined };
  }

  isDirectory(path: string, cwd: string): boolean {
    return this.dirs.has(resolvePath(cwd, path));
  }

  isFile(path: string, cwd: string): boolean {
    return this.files.has(resolvePath(cwd, path));
  }

  startJob(commandText: string): { jobNumber: number; pid: number; io: CommandIO } {
    const job: JobRecord = { jobNumber: this.nextJob, pid: 4000 + this.nextJob, text: commandText, out: '', err: '', status: null };
    this.nextJob++;
    this.jobs.push(job);
    return {
      jobNumber: job.jobNumber,
      pid: job.pid,
      io: { stdin: '', out: (s) => void (job.out += s), err: (s) => void (job.err += s) },
    };
  }

  finishJob(jobNumber: number, status: number): void {
    const job = this.jobs.find((j) => j.jobNumber === jobNumber);
    if (job) job.status = status;
  }
}

export interface Shell {
  readonly runtime: FakeRuntime;
  readonly interp: Interpreter;
  readonly interrupt: TestInterrupt;
  /** Runs one command line; returns what it printed and its status (or the exit it threw). */
  run(source: string, stdin?: string): Promise<RunResult>;
  /** Splits a script into command lines and runs each, as a terminal would. */
  script(text: string): Promise<RunResult>;
}

export interface RunResult {
  out: string;
  err: string;
  status: number;
  /** Set when `exit` ended the shell. */
  exited: number | null;
}

export function makeShell(
  variables: Record<string, string> = { HOME: '/root', PATH: '/usr/sbin:/usr/bin:/sbin:/bin', PWD: '/root' },
  options: InterpreterOptions = {},
): Shell {
  const runtime = new FakeRuntime();
  const interp = new Interpreter(runtime, variables, options);
  const interrupt = new TestInterrupt();
  runtime.interrupt = interrupt;
  runtime.cwdOf = () => interp.cwd;
  const runOne = async (source: string, res: RunResult, stdin = ''): Promise<boolean> => {
    const io: CommandIO = {
      stdin,
      out: (s) => void (res.out += s),
      err: (s) => void (res.err += s),
    };
    try {
      res.status = await interp.run(source, io, interrupt);
      return true;
    } catch (e) {
      if (e instanceof ShellExit) {
        res.exited = e.status;
        res.status = e.status;
        return false;
      }
      throw e;
    }
  };
  return {
    runtime,
    interp,
    interrupt,
    async run(source: string, stdin = '') {
      const res: RunResult = { out: '', err: '', status: 0, exited: null };
      await runOne(source, res, stdin);
      return res;
    },
    async script(text: string) {
      const res: RunResult = { out: '', err: '', status: 0, exited: null };
      const analysis = analyzeInput(text, { final: true });
      // Error units are run too: the interpreter prints the same message and sets $? to 2.
      for (const line of analysis.lines) {
        if (!(await runOne(line.text, res))) break;
      }
      return res;
    },
  };
}

/** Runs one command line in a fresh shell. */
export async function sh(source: string, stdin = ''): Promise<RunResult & { shell: Shell }> {
  const shell = makeShell();
  const r = await shell.run(source, stdin);
  return { ...r, shell };
}
