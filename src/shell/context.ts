/**
 * What a command sees when it runs: where (host, namespace, directory), its arguments and IO,
 * and the few services it needs from the session (run another command elsewhere, let virtual
 * time pass, leave a process running in the background).
 */
import type { Host, Netns } from '../sim/net/model.ts';
import type { World } from '../sim/net/world.ts';
import type { FileSystem } from '../sim/net/fs.ts';
import type { InterruptFlag } from './lang/runtime.ts';

/** A place where a command runs. */
export interface Place {
  readonly host: Host;
  readonly ns: Netns;
  /** set inside a container: its own hostname and the tools its image ships */
  readonly container?: ContainerPlace;
  /**
   * The files seen there when they are not the namespace's own: `nsenter --net` enters only the
   * network namespace and keeps the host's mount namespace (default: the namespace's files).
   */
  readonly fs?: FileSystem;
}

/** What a command needs to know about the container it runs in. */
export interface ContainerPlace {
  readonly id: string;
  readonly name: string;
  readonly hostname: string;
  /** the toolbox (see toolbox.ts) that says which commands exist in the image, and their flavour */
  readonly toolbox: string;
  /** the container holds CAP_NET_ADMIN (--cap-add NET_ADMIN, --privileged); Docker does not grant it by default */
  readonly netAdmin?: boolean;
}

/** A process that outlives its command (a listener started with `&`). */
export interface Daemon {
  readonly name: string;
  /** stop it: close its sockets */
  kill(): void;
  readonly alive: boolean;
}

/** A process started with `detach`. */
export interface DetachedProcess {
  /** resolves with the exit status when the command returns and its daemons are gone */
  readonly exited: Promise<number>;
  /** true while the command runs or any process it left behind lives */
  readonly alive: boolean;
  /** SIGKILL: stop it and everything it started */
  kill(): void;
}

/** A background job as `jobs` shows it. */
export interface JobView {
  readonly id: number;
  readonly pid: number;
  readonly command: string;
  readonly running: boolean;
  readonly status: string;
}

/** Session-level services a few commands (jobs, kill, history, clear) need. */
export interface SessionControl {
  jobs(): JobView[];
  /** kill a job by number; false when there is no such job */
  killJob(id: number): boolean;
  /** kill the processes with this pid; false when none */
  killPid(pid: number): boolean;
  history(): readonly string[];
  clearHistory(): void;
}

export interface CommandContext {
  readonly control: SessionControl;
  readonly argv: readonly string[];
  readonly world: World;
  readonly host: Host;
  readonly ns: Netns;
  /** the container the command runs in, if any */
  readonly container?: ContainerPlace;
  /** the hostname of the UTS namespace the command runs in */
  readonly hostname: string;
  readonly cwd: string;
  readonly env: ReadonlyMap<string, string>;
  readonly stdin: string;
  out(text: string): void;
  err(text: string): void;
  /** part of a list ended by `&` */
  readonly background: boolean;
  /** a person at a terminal (job messages, prompts, pacing) rather than a script */
  readonly interactive: boolean;
  /** isatty(1): standard output goes to the terminal, not to a pipe or a file */
  readonly stdoutTty: boolean;
  readonly interrupt: InterruptFlag;
  /**
   * Run another command line's argv in another place (ip netns exec, ssh); `env` replaces the
   * environment (a container's own, for `docker exec`).
   */
  exec(argv: readonly string[], place?: Place, env?: ReadonlyMap<string, string>): Promise<number>;
  /** Run a shell command string in a place (`sh -c`, `bash`), with the session's interpreter. */
  shell(source: string, place: Place, env?: ReadonlyMap<string, string>): Promise<number>;
  /** Start an interactive shell in a place (`ip netns exec X bash`, `ssh host`). */
  enterShell(place: Place, label: string): number;
  /**
   * Let virtual time pass until `done()` holds or `deadline` (absolute µs) is reached.
   * Resolves false when interrupted (Ctrl+C) or when nothing could ever make `done()` true.
   */
  wait(done: () => boolean, deadline: number): Promise<boolean>;
  /** Keep a process running after this command returns; returns its pid. */
  spawn(d: Daemon): number;
  /**
   * Start a command as a process of its own, detached from this command line (a container's
   * main process): it runs as if started with `&`, writes to `io` (a terminal when `io.tty`),
   * sees `io.env` as its environment when given, and is not a shell job.
   */
  detach(argv: readonly string[], place: Place, io: { out(text: string): void; err(text: string): void; tty?: boolean }, env?: ReadonlyMap<string, string>): DetachedProcess;
  /** A new process id. */
  pid(): number;
  readFile(path: string): { ok: true; data: string } | { ok: false; errno: string };
  writeFile(path: string, data: string, append?: boolean): { ok: true } | { ok: false; errno: string };
  /** Directory listing: names, or an errno. */
  listDir(path: string): { ok: true; names: string[] } | { ok: false; errno: string };
  statPath(path: string): 'file' | 'dir' | null;
}

export interface Command {
  readonly name: string;
  /** where `type` says it lives */
  readonly path: string;
  /** one line for `help` */
  readonly summary: string;
  run(ctx: CommandContext): Promise<number> | number;
  /** completion candidates for the word being typed */
  complete?(args: readonly string[], partial: string, place: Place): string[];
}
