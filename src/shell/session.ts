/**
 * A shell session on a simulated world: the stack of shells a person is typing into (the host's
 * login shell, then perhaps `ip netns exec red bash` or `ssh host2` on top), background jobs,
 * history, and the bridge between the shell language and the commands.
 *
 * The terminal UI and the netsim CLI both drive a Session: feed it complete command lines
 * (use `analyzeInput` to split input) and read what they print.
 */
import { Interpreter } from './lang/interp.ts';
import { ShellExit, type CommandIO, type CommandRequest, type InterruptFlag, type ShellRuntime, type FsResult } from './lang/runtime.ts';
import { complete as completeLine, type CompletionResult } from './lang/complete.ts';
import type { World } from '../sim/net/world.ts';
import { setSysctl } from '../sim/net/sysctl.ts';
import type { Command, CommandContext, DetachedProcess, Daemon, Place } from './context.ts';
import { listDir, readFile, resolvePath, statPath, writeFile } from './files.ts';
import { commandsAt, notFoundMessage, toolbox } from './toolbox.ts';
import { strerror } from '../sim/net/types.ts';
import { SECOND } from '../sim/engine/scheduler.ts';
import { wakeupCount } from './wakeups.ts';

export interface SessionOptions {
  /** true for a person at a terminal: job notices ("[1] 1234"), no automatic Ctrl+C */
  readonly interactive?: boolean;
  /**
   * Called while a foreground command lets virtual time pass, once per slice, so a terminal can
   * show output at a human pace and notice Ctrl+C. Without it time runs as fast as possible.
   */
  readonly onSlice?: (virtualMicros: number) => Promise<void>;
  /**
   * Non-interactive sessions stop (as if by Ctrl+C) a foreground command that has let this much
   * virtual time pass with no end in sight (`ping` without `-c`). Default: 60 s.
   */
  readonly maxWait?: number;
  /** the host whose shell the session starts in (default: the world's first host) */
  readonly startHost?: string;
  /**
   * Virtual time that passes after each command line, as it does between two commands typed or
   * run from a script: packets still in flight (a final ACK, a FIN) arrive. Default 1 ms.
   */
  readonly settle?: number;
}

export interface Job {
  readonly id: number;
  readonly pid: number;
  readonly command: string;
  daemons: Daemon[];
  listDone: boolean;
  status: number;
  killed: boolean;
  reported: boolean;
}

interface Frame {
  place: Place;
  interp: Interpreter;
  label: string;
}

export class Session {
  readonly world: World;
  readonly options: SessionOptions;
  private frames: Frame[] = [];
  readonly jobs: Job[] = [];
  readonly history: string[] = [];
  /** Exceptions thrown inside commands (simulator bugs), kept for tests. */
  readonly internalErrors: Error[] = [];
  private nextJob = 1;
  /** set by the terminal on Ctrl+C */
  readonly interrupt: { interrupted: boolean } = { interrupted: false };
  /** the virtual time at which the current command line noticed Ctrl+C, if it did */
  interruptedAt: number | null = null;
  /**
   * Stop (as Ctrl+C does) a foreground command still waiting at this virtual time: replaying a
   * recorded session stops a command exactly where the person stopped it.
   */
  stopAt: number | null = null;
  /** true once the outermost shell exited */
  ended = false;
  exitStatus = 0;

  constructor(world: World, options: SessionOptions = {}) {
    this.world = world;
    this.options = options;
    const host = (options.startHost ? world.host(options.startHost) : undefined) ?? world.firstHost();
    this.pushFrame({ host, ns: host.root }, 'login');
  }

  /** Where the shell the person types into runs. */
  get place(): Place {
    return this.frames[this.frames.length - 1].place;
  }

  get interp(): Interpreter {
    return this.frames[this.frames.length - 1].interp;
  }

  get depth(): number {
    return this.frames.length;
  }

  /** The prompt bash shows: `root@host:~# `. */
  prompt(): string {
    const cwd = this.interp.cwd;
    const home = this.interp.getVariable('HOME') ?? '/root';
    const shown = cwd === home ? '~' : cwd.startsWith(`${home}/`) ? `~${cwd.slice(home.length)}` : cwd;
    // BusyBox's ash (Alpine) prompts with just the directory
    if (this.place.container && toolbox(this.place.container.toolbox)?.shell === 'ash') return `${shown} # `;
    return `root@${this.place.container?.hostname ?? this.place.host.hostname}:${shown}# `;
  }

  private pushFrame(place: Place, label: string): void {
    const runtime = this.runtimeFor(place);
    const env = {
      HOME: '/root',
      USER: 'root',
      LOGNAME: 'root',
      SHELL: '/bin/bash',
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      HOSTNAME: place.container?.hostname ?? place.host.hostname,
      PWD: '/root',
    };
    const paths: Record<string, string> = {};
    for (const c of commandsAt(place).values()) paths[c.name] = c.path;
    const interp = new Interpreter(runtime, env, { commandPaths: paths, cwd: place.container ? '/' : '/root', pid: this.world.nextPid(), shellVariables: { PS1: '\\u@\\h:\\w\\$ ' } });
    this.frames.push({ place, interp, label });
  }

  /** Run one complete command line typed at the prompt. Resolves to its exit status. */
  async run(line: string, io: CommandIO): Promise<number> {
    if (this.ended) return this.exitStatus;
    this.interrupt.interrupted = false;
    this.interruptedAt = null;
    if (line.trim() && !line.trimStart().startsWith('#')) this.history.push(line);
    let status: number;
    try {
      status = await this.interp.run(line, io, this.interrupt);
    } catch (e) {
      if (e instanceof ShellExit) {
        status = e.status;
        this.popFrame(io, status);
      } else throw e;
    }
    const sched = this.world.sched;
    sched.advanceTo(sched.now + (this.options.settle ?? 1000));
    this.reapJobs(io);
    return status;
  }

  private popFrame(io: CommandIO, status: number): void {
    const f = this.frames.pop()!;
    if (this.interactive) io.out(f.label === 'ssh' ? `logout\nConnection to ${f.place.host.name} closed.\n` : 'exit\n');
    else if (f.label === 'ssh') io.err(`Connection to ${f.place.host.name} closed.\n`);
    if (!this.frames.length) {
      this.ended = true;
      this.exitStatus = status;
      this.frames.push(f);
    }
  }

  get interactive(): boolean {
    return !!this.options.interactive;
  }

  /** Interactive bash reports finished jobs before the next prompt. */
  private reapJobs(io: CommandIO): void {
    for (const j of this.jobs) {
      if (j.reported || !this.jobDone(j)) continue;
      j.reported = true;
      if (this.interactive) io.out(`${jobLine(j, true)}\n`);
    }
    for (let i = this.jobs.length - 1; i >= 0; i--) if (this.jobs[i].reported) this.jobs.splice(i, 1);
    if (!this.jobs.length) this.nextJob = 1;
  }

  jobDone(j: Job): boolean {
    return j.listDone && j.daemons.every((d) => !d.alive);
  }

  /** Stop a job's processes (kill %N). */
  killJob(j: Job): void {
    j.killed = true;
    for (const d of j.daemons) if (d.alive) d.kill();
  }

  /** Tab completion for the line typed so far. */
  complete(line: string, cursor: number): CompletionResult {
    const place = this.place;
    return completeLine(line, cursor, {
      commandNames: () => [...commandsAt(place).keys()],
      argCandidates: (argv: string[], partial: string) => {
        const cmd = commandsAt(place).get(argv[0]);
        if (cmd?.complete) return cmd.complete(argv.slice(1), partial, place);
        return this.fileCandidates(partial);
      },
    });
  }

  private fileCandidates(partial: string): string[] {
    const cwd = this.interp.cwd;
    const slash = partial.lastIndexOf('/');
    const dirPart = slash >= 0 ? partial.slice(0, slash + 1) : '';
    const dir = resolvePath(dirPart || '.', cwd);
    const r = listDir(this.place, dir);
    if (!r.ok) return [];
    return r.value.map((n) => dirPart + n + (statPath(this.place, `${dir}/${n}`) === 'dir' ? '/' : ''));
  }

  // ---- the runtime the interpreter calls ----------------------------------------------------------

  private runtimeFor(place: Place): ShellRuntime {
    const session = this;
    const rt: ShellRuntime = {
      runCommand: (req) => session.runCommand(req, place, rt),
      hasCommand: (name) => commandsAt(place).has(name),
      commandNames: () => [...commandsAt(place).keys()],
      readFile: (path, cwd): FsResult<string> => {
        const r = readFile(place, resolvePath(path, cwd));
        return r.ok ? { ok: true, value: r.value } : { ok: false, message: strerror(r.errno) };
      },
      writeFile: (path, data, append, cwd): FsResult<void> => {
        const r = writeFile(place, resolvePath(path, cwd), data, append, (k, v) => session.writeSysctl(place, k, v));
        return r.ok ? { ok: true, value: undefined } : { ok: false, message: strerror(r.errno) };
      },
      isDirectory: (path, cwd) => statPath(place, resolvePath(path, cwd)) === 'dir',
      isFile: (path, cwd) => statPath(place, resolvePath(path, cwd)) === 'file',
      listDir: (path, cwd) => {
        const r = listDir(place, resolvePath(path, cwd));
        return r.ok ? r.value : null;
      },
      startJob: (text) => session.startJob(text),
      finishJob: (n, status) => session.finishJob(n, status),
    };
    return rt;
  }

  writeSysctl(place: Place, key: string, value: string): string | null {
    return setSysctl(place.ns, key, value);
  }

  private currentJob: Job | null = null;
  private jobOutput: CommandIO | null = null;

  /** Where background jobs write: the terminal, if someone set it. */
  backgroundSink: CommandIO | null = null;

  private startJob(text: string): { jobNumber: number; pid: number; io: CommandIO } {
    const job: Job = { id: this.nextJob++, pid: this.world.nextPid(), command: text, daemons: [], listDone: false, status: 0, killed: false, reported: false };
    this.jobs.push(job);
    this.currentJob = job;
    const sink = () => this.backgroundSink;
    const io: CommandIO = {
      stdin: '',
      out: (t) => sink()?.out(t),
      err: (t) => sink()?.err(t),
      tty: this.interactive,
    };
    this.jobOutput = io;
    if (this.interactive) this.backgroundSink?.err(`[${job.id}] ${job.pid}\n`);
    return { jobNumber: job.id, pid: job.pid, io };
  }

  private finishJob(n: number, status: number): void {
    const job = this.jobs.find((j) => j.id === n);
    if (job) {
      job.listDone = true;
      job.status = status;
    }
    if (this.currentJob?.id === n) {
      this.currentJob = null;
      this.jobOutput = null;
    }
  }

  private async runCommand(req: CommandRequest, place: Place, rt: ShellRuntime): Promise<number> {
    void rt;
    let name = req.argv[0];
    if (name.includes('/')) {
      const base = name.slice(name.lastIndexOf('/') + 1);
      const cmd = commandsAt(place).get(base);
      if (cmd && (cmd.path === name || `/bin/${base}` === name || `/usr/bin/${base}` === name || `/sbin/${base}` === name || `/usr/sbin/${base}` === name)) name = base;
      else {
        const kind = statPath(place, resolvePath(name, this.interp.cwd));
        req.io.err(`bash: ${req.argv[0]}: ${kind === 'dir' ? 'Is a directory' : kind === 'file' ? 'Permission denied' : 'No such file or directory'}\n`);
        return kind ? 126 : 127;
      }
    }
    const cmd = commandsAt(place).get(name);
    if (!cmd) {
      req.io.err(notFoundMessage(place, name));
      return 127;
    }
    return this.invoke(cmd, req.argv, place, req.io, req.env, req.background, req.interrupt);
  }

  /** Run a command object in a place. */
  async invoke(cmd: Command, argv: readonly string[], place: Place, io: CommandIO, env: ReadonlyMap<string, string>, background: boolean, interrupt: InterruptFlag): Promise<number> {
    const ctx = this.context(argv, place, io, env, background, interrupt);
    try {
      return await cmd.run(ctx);
    } catch (e) {
      if (e instanceof ShellExit) throw e;
      const err = e instanceof Error ? e : new Error(String(e));
      this.internalErrors.push(err);
      io.err(`${argv[0]}: internal simulator error: ${err.message}\n`);
      return 1;
    }
  }

  private context(argv: readonly string[], place: Place, io: CommandIO, env: ReadonlyMap<string, string>, background: boolean, interrupt: InterruptFlag): CommandContext {
    const session = this;
    const world = this.world;
    const cwd = this.interp.cwd;
    const job = this.currentJob;
    const ctx: CommandContext = {
      control: this.control,
      argv,
      world,
      host: place.host,
      ns: place.ns,
      container: place.container,
      hostname: place.container?.hostname ?? place.host.hostname,
      cwd,
      env,
      stdin: io.stdin,
      out: (t) => io.out(t),
      err: (t) => io.err(t),
      background,
      interactive: this.interactive,
      stdoutTty: !!io.tty,
      interrupt,
      exec: async (args, at, withEnv) => {
        const target = at ?? place;
        let name = args[0];
        if (name.includes('/')) name = name.slice(name.lastIndexOf('/') + 1);
        const cmd = commandsAt(target).get(name);
        if (!cmd) {
          io.err(notFoundMessage(target, args[0]));
          return 127;
        }
        return session.invoke(cmd, args, target, io, withEnv ?? env, background, interrupt);
      },
      shell: async (source, at, withEnv) => {
        const rt = session.runtimeFor(at);
        // BusyBox images run ash, with its own messages
        const ash = at.container !== undefined && toolbox(at.container.toolbox)?.shell === 'ash';
        const interp = new Interpreter(rt, Object.fromEntries(withEnv ?? env), { cwd, pid: world.nextPid(), ...(ash ? { shellName: 'sh', dialect: 'ash' as const } : {}) });
        try {
          return await interp.run(source, io, interrupt);
        } catch (e) {
          if (e instanceof ShellExit) return e.status;
          throw e;
        }
      },
      enterShell: (at, label) => {
        session.pushFrame(at, label);
        return 0;
      },
      wait: (done, deadline) => session.wait(done, deadline, interrupt),
      spawn: (d) => {
        if (job) job.daemons.push(d);
        else session.orphans.push(d);
        return job ? job.pid : world.nextPid();
      },
      detach: (args, at, sink, withEnv) => session.detach(args, at, sink, withEnv ?? env),
      pid: () => world.nextPid(),
      readFile: (path) => {
        const r = readFile(place, resolvePath(path, cwd));
        return r.ok ? { ok: true, data: r.value } : { ok: false, errno: r.errno };
      },
      writeFile: (path, data, append = false) => {
        const r = writeFile(place, resolvePath(path, cwd), data, append, (k, v) => session.writeSysctl(place, k, v));
        return r.ok ? { ok: true } : { ok: false, errno: r.errno };
      },
      listDir: (path) => {
        const r = listDir(place, resolvePath(path, cwd));
        return r.ok ? { ok: true, names: r.value } : { ok: false, errno: r.errno };
      },
      statPath: (path) => statPath(place, resolvePath(path, cwd)),
    };
    return ctx;
  }

  /**
   * Run a command as a detached process: a hidden job (not listed by `jobs`) whose command runs
   * as if started with `&`, and whose daemons die with it.
   */
  detach(argv: readonly string[], place: Place, sink: { out(text: string): void; err(text: string): void; tty?: boolean }, env: ReadonlyMap<string, string>): DetachedProcess {
    const job: Job = { id: 0, pid: this.world.nextPid(), command: argv.join(' '), daemons: [], listDone: false, status: 0, killed: false, reported: true };
    const flag = { interrupted: false, passive: true };
    const io: CommandIO = { stdin: '', out: (t) => sink.out(t), err: (t) => sink.err(t), tty: !!sink.tty };
    const name = argv[0].includes('/') ? argv[0].slice(argv[0].lastIndexOf('/') + 1) : argv[0];
    const cmd = commandsAt(place).get(name);
    let finish: (code: number) => void = () => {};
    const exited = new Promise<number>((resolve) => (finish = resolve));
    const settle = (code: number) => {
      job.listDone = true;
      job.status = code;
      // a command that left processes behind (a listener) lives until they are killed
      if (job.daemons.every((d) => !d.alive)) finish(job.killed ? 137 : code);
    };
    if (!cmd) {
      io.err(notFoundMessage(place, argv[0]));
      settle(127);
    } else {
      const saved = this.currentJob;
      this.currentJob = job;
      const run = this.invoke(cmd, argv, place, io, env, true, flag);
      this.currentJob = saved;
      void run.then(settle, () => settle(1));
    }
    return {
      exited,
      get alive() {
        return !job.listDone || job.daemons.some((d) => d.alive);
      },
      kill: () => {
        job.killed = true;
        flag.interrupted = true;
        for (const d of job.daemons) if (d.alive) d.kill();
        if (job.listDone) finish(137);
      },
    };
  }

  /** What `jobs`, `kill`, `history` see. */
  readonly control = {
    jobs: () =>
      this.jobs.map((j) => {
        const done = this.jobDone(j);
        return { id: j.id, pid: j.pid, command: j.command, running: !done, status: jobLine(j, done) };
      }),
    killJob: (id: number) => {
      const j = this.jobs.find((x) => x.id === id);
      if (!j) return false;
      this.killJob(j);
      return true;
    },
    killPid: (pid: number) => {
      const j = this.jobs.find((x) => x.pid === pid);
      if (!j) return false;
      this.killJob(j);
      return true;
    },
    history: () => this.history,
    clearHistory: () => {
      this.history.length = 0;
    },
  };

  /** Processes started outside any job (by a foreground command that left something running). */
  readonly orphans: Daemon[] = [];

  /**
   * Let virtual time pass for a foreground command. Stops early on Ctrl+C; a non-interactive
   * session also stops a command that waits forever (no end given and nothing scheduled) or
   * longer than `maxWait`.
   */
  async wait(done: () => boolean, deadline: number, interrupt: InterruptFlag): Promise<boolean> {
    const sched = this.world.sched;
    if (interrupt.passive && deadline === Infinity) {
      // a detached process waiting for ever (`sleep infinity` as a container's command): only a
      // kill ends it, and it must not stop the foreground's clock nor be stopped by it
      if (done()) return true;
      return new Promise<boolean>(() => {});
    }
    const start = sched.now;
    const cap = this.options.maxWait ?? 60 * SECOND;
    const slice = this.options.onSlice ? 100_000 : Infinity;
    for (;;) {
      if (done()) return true;
      if (this.stopAt !== null && sched.now >= this.stopAt) (interrupt as { interrupted: boolean }).interrupted = true;
      if (interrupt.interrupted) {
        this.interruptedAt ??= sched.now;
        return false;
      }
      let end = deadline;
      if (!this.interactive && deadline === Infinity) {
        // nothing can happen any more: as if Ctrl+C (a daemon's periodic chatter may still come,
        // so with background timers the command waits, up to the cap)
        if (sched.idle && !sched.chattering) {
          (interrupt as { interrupted: boolean }).interrupted = true;
          return false;
        }
        end = start + cap;
        if (sched.now >= end) {
          (interrupt as { interrupted: boolean }).interrupted = true;
          return false;
        }
      }
      const stop = Math.min(end, sched.now + slice, this.stopAt ?? Infinity);
      const before = sched.now;
      if (stop === Infinity && sched.idle) {
        // interactive and nothing can happen: let the terminal breathe until Ctrl+C
        if (this.options.onSlice) await this.options.onSlice(0);
        else return false;
        continue;
      }
      const seen = wakeupCount(this.world);
      const ok = sched.runUntil(() => done() || wakeupCount(this.world) !== seen, stop);
      if (wakeupCount(this.world) !== seen) {
        // a detached process woke up: let it run (its continuation is a microtask chain) before
        // the clock moves on, so what it does happens at the time it does it
        await new Promise((resolve) => setTimeout(resolve, 0));
        continue;
      }
      if (ok) return true;
      if (this.options.onSlice) await this.options.onSlice(sched.now - before);
      if (sched.now >= deadline) return done();
    }
  }
}

export function jobLine(j: Job, done: boolean): string {
  const state = done ? (j.killed ? 'Terminated' : j.status === 0 ? 'Done' : `Exit ${j.status}`) : 'Running';
  const cmd = done ? j.command.replace(/\s*&\s*$/, '') : j.command.trim().endsWith('&') ? j.command.trim() : `${j.command.trim()} &`;
  return `[${j.id}]+  ${state.padEnd(24)}${cmd}`;
}
