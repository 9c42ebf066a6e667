/**
 * nsenter (util-linux 2.38): run a program in another process's namespaces. Only the network
 * namespace is modelled: `--net=FILE` (or `-nFILE`) enters the namespace a file names, `-t PID
 * -n` the one of a process. The program keeps the host's files, hostname and tools, as a real
 * nsenter that enters only the network namespace does: this is how one looks inside Docker's
 * hidden namespaces (/var/run/docker/netns, which `ip netns` does not list).
 *
 * Files it understands: /var/run/docker/netns/NAME (or /run/...), /run/netns/NAME (ip netns),
 * /proc/PID/ns/net for pid 1 (the host) and the main processes of running containers (the pid
 * `docker inspect -f '{{.State.Pid}}'` prints), /proc/self/ns/net.
 */
import type { Command, CommandContext, Place } from '../context.ts';
import type { Netns } from '../../sim/net/model.ts';
import { dockerOn } from '../../sim/docker/engine.ts';
import { containerPid } from '../../sim/docker/netns-files.ts';
import { dockerNetnsFile } from '../files.ts';
import { commandsAt } from '../toolbox.ts';
import { normalizePath } from '../../sim/net/fs.ts';

function fail(ctx: CommandContext, msg: string): number {
  ctx.err(`nsenter: ${msg}\n`);
  return 1;
}

/** The network namespace a process has, by pid: 1 is the host's init; containers by their main pid. */
function nsOfPid(ctx: CommandContext, pid: number): Netns | null {
  if (pid === 1) return ctx.host.root;
  const e = dockerOn(ctx.host);
  if (!e) return null;
  for (const c of e.containers.values()) if (c.state === 'running' && c.netns && containerPid(c) === pid) return c.netns;
  return null;
}

/** The namespace a file names, or null when it cannot be opened. */
function nsOfFile(ctx: CommandContext, path: string): Netns | null {
  const p = normalizePath(path.startsWith('/') ? path : `${ctx.cwd}/${path}`);
  const place: Place = { host: ctx.host, ns: ctx.ns, fs: ctx.host.fs };
  const docker = dockerNetnsFile(place, p);
  if (docker) return docker;
  const named = /^(?:\/var)?\/run\/netns\/([^/]+)$/.exec(p);
  if (named) return ctx.host.named.get(named[1]) ?? null;
  if (p === '/proc/self/ns/net' || p === '/proc/thread-self/ns/net') return ctx.ns;
  const proc = /^\/proc\/(\d+)\/ns\/net$/.exec(p);
  if (proc) return nsOfPid(ctx, Number(proc[1]));
  return null;
}

export const nsenterCommand: Command = {
  name: 'nsenter',
  path: '/usr/bin/nsenter',
  summary: 'run a program in another network namespace (--net=FILE, -t PID -n)',
  async run(ctx) {
    const args = ctx.argv.slice(1);
    let target: number | null = null;
    let net: string | null | undefined; // undefined: not asked; null: from the target pid
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i];
      // getopt stops at the first non-option ("+" in the option string)
      if (a === '--') {
        i++;
        break;
      }
      if (!a.startsWith('-') || a === '-') break;
      if (a === '-h' || a === '--help') return fail(ctx, 'the help text is not modelled here; see nsenter(1)');
      if (a === '-V' || a === '--version') {
        ctx.out('nsenter from util-linux 2.38.1\n');
        return 0;
      }
      if (a === '-t' || a === '--target' || a.startsWith('--target=') || (a.startsWith('-t') && !a.startsWith('--'))) {
        let v: string | undefined;
        if (a === '-t' || a === '--target') v = args[++i];
        else v = a.startsWith('--target=') ? a.slice(9) : a.slice(2);
        if (v === undefined) return fail(ctx, `option requires an argument -- '${a === '-t' ? 't' : 'target'}'\nTry 'nsenter --help' for more information.`);
        if (!/^\d+$/.test(v)) return fail(ctx, `failed to parse pid: '${v}'`);
        target = Number(v);
        continue;
      }
      if (a === '-n' || a === '--net') {
        net = null;
        continue;
      }
      if (a.startsWith('--net=')) {
        net = a.slice(6);
        continue;
      }
      if (a.startsWith('-n') && !a.startsWith('--')) {
        net = a.slice(2);
        continue;
      }
      if (/^-[muipCUT]$|^--(mount|uts|ipc|pid|cgroup|user|time)(=.*)?$|^-[muipCUT].+|^-a$|^--all$/.test(a)) {
        return fail(ctx, `only the network namespace is modelled here (--net or -n): ${a} is not`);
      }
      if (a === '-F' || a === '--no-fork' || a === '--preserve-credentials') continue;
      return fail(ctx, `unrecognized option '${a}'\nTry 'nsenter --help' for more information.`);
    }
    const program = args.slice(i);
    let ns: Netns | null;
    if (net === undefined) return fail(ctx, 'no namespace specified');
    if (net === null) {
      if (target === null) return fail(ctx, 'no target PID specified');
      ns = nsOfPid(ctx, target);
      if (!ns) return fail(ctx, `cannot open /proc/${target}/ns/net: No such file or directory`);
    } else {
      ns = nsOfFile(ctx, net);
      if (!ns) return fail(ctx, `cannot open ${net}: No such file or directory`);
    }
    // only the network namespace changes: the host's files, hostname and programs stay
    const place: Place = { host: ctx.host, ns, fs: ctx.host.fs };
    if (!program.length) return ctx.enterShell(place, 'nsenter');
    const name = program[0].slice(program[0].lastIndexOf('/') + 1);
    if (!commandsAt(place).has(name)) {
      ctx.err(`nsenter: failed to execute ${program[0]}: No such file or directory\n`);
      return 127;
    }
    if ((name === 'bash' || name === 'sh') && program.length === 1) return ctx.enterShell(place, 'nsenter');
    return ctx.exec(program, place);
  },
};
