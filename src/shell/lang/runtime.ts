/**
 * The contract between the shell *language* (lexer, parser, expansion, interpreter in this folder)
 * and the *session* around it (which host and namespace a command runs in, the command registry,
 * the namespace's filesystem, background jobs, the terminal).
 *
 * The language layer knows nothing about networks. It turns text into argv lists, wires pipes and
 * redirections, runs its own builtins, and hands every other simple command to
 * {@link ShellRuntime.runCommand}.
 */

/** Where a command reads its input and writes its output. */
export interface CommandIO {
  /** Everything on standard input: a pipe's upstream output, a heredoc, a `<` file, or ''. */
  readonly stdin: string;
  /** Write to standard output. */
  out(text: string): void;
  /** Write to standard error. */
  err(text: string): void;
  /** Standard output is the learner's terminal (isatty(1)), not a pipe or a file. */
  readonly tty?: boolean;
}

/** Set by the terminal when the learner presses Ctrl+C; long-running commands poll it. */
export interface InterruptFlag {
  readonly interrupted: boolean;
  /**
   * Set for a detached process (a container's main process): it does not drive virtual time, so
   * a wait with no end lasts until the process is killed, and a sleep ends when the clock, driven
   * by whoever is in the foreground, gets there.
   */
  readonly passive?: boolean;
}

/** One simple command, expanded and ready to run. */
export interface CommandRequest {
  /** argv[0] is the command name; words are fully expanded (quotes removed). */
  readonly argv: readonly string[];
  readonly io: CommandIO;
  /** Exported variables, plus `NAME=value` assignments written before the command. */
  readonly env: ReadonlyMap<string, string>;
  /** True when the command is part of a list that ends with `&`. */
  readonly background: boolean;
  readonly interrupt: InterruptFlag;
}

/** Result of a filesystem operation: `message` is the errno text, e.g. "No such file or directory". */
export type FsResult<T> = { ok: true; value: T } | { ok: false; message: string };

export interface ShellRuntime {
  /**
   * Run a command that is not a builtin of the language. The runtime prints
   * `NAME: command not found` (exit 127) itself when nothing by that name exists.
   * Resolves to the exit status.
   */
  runCommand(req: CommandRequest): Promise<number>;
  /** True when `name` is a command the runtime can run (used by `type`, `command -v`, completion). */
  hasCommand(name: string): boolean;
  /** Names of all runtime commands (for completion). */
  commandNames(): readonly string[];
  /** Read a whole file; `path` is absolute or relative to `cwd`. */
  readFile(path: string, cwd: string): FsResult<string>;
  /** Write (or append to) a file. `/dev/null` swallows everything. */
  writeFile(path: string, data: string, append: boolean, cwd: string): FsResult<void>;
  /** True when `path` names a directory (for `cd` and `test -d`). */
  isDirectory(path: string, cwd: string): boolean;
  /** True when `path` names a regular file (for `test -f` / `test -e`). */
  isFile(path: string, cwd: string): boolean;
  /** The entries of a directory, for pathname expansion; null when it cannot be read. */
  listDir?(path: string, cwd: string): readonly string[] | null;
  /**
   * Called for a list that ends with `&`: the runtime registers a job and returns its number and
   * the IO its commands should use. The interpreter then runs the list with `background: true`.
   */
  startJob(commandText: string): { jobNumber: number; pid: number; io: CommandIO };
  /** The job's list has returned; `status` is its exit status. */
  finishJob(jobNumber: number, status: number): void;
}

/** Thrown by the `exit` builtin and caught by whoever runs a whole input (session, subshell). */
export class ShellExit extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`exit ${status}`);
    this.status = status;
  }
}
