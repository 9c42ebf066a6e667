/**
 * `docker` (CLI 29, against the simulated Engine 29 of src/sim/docker): containers, networks,
 * images, exec, inspect, port, logs, and `docker compose` (compose.ts). Output formats, error
 * messages and exit codes follow the real CLI: daemon errors print "Error response from daemon:
 * ..." and exit 1; `docker run` failures exit 125, a missing command 127, one that cannot run 126;
 * `docker exec` and `docker run` otherwise exit with the container process's own status.
 */
import type { Command, CommandContext, ContainerPlace, Place } from '../../context.ts';
import { SECOND } from '../../../sim/engine/scheduler.ts';
import { DockerError, dockerOn, hasNetAdmin, type BindSpec, type Container, type DockerEngine, type DockerNetwork, type PortSpec } from '../../../sim/docker/engine.ts';
import { normalizePath } from '../../../sim/net/fs.ts';
import { allImages, findImage, imageId } from '../../../sim/docker/images.ts';
import { subnetText } from '../../../sim/docker/ipam.ts';
import { whoamiFlags, WHOAMI_USAGE } from '../../../sim/docker/services.ts';
import { formatIpv4 } from '../../../sim/wire/addr.ts';
import { all, bool, flag, FlagError, parseFlags, type FlagSpec, type Parsed } from './args.ts';
import { tabwrite } from './template.ts';
import { containerStatus, renderInspect, renderNetworkLs, renderPs, type ContainerSummaryRow, type InspectEntry, type PortSummary } from './format/index.ts';
import { ensureToolboxes } from './toolboxes.ts';
import { containerInspect, hasBridgeEndpoint, networkInspect, isoTime, unixUs } from './inspect.ts';
import { composeCommand } from './compose.ts';
import { nodeCommand, serviceCommand, swarmCommand } from './swarm-cli.ts';

/** What a subcommand returns: its exit status. */
type Sub = (ctx: CommandContext, e: DockerEngine, argv: readonly string[]) => Promise<number> | number;

function daemonError(ctx: CommandContext, msg: string): number {
  ctx.err(`Error response from daemon: ${msg}\n`);
  return 1;
}

/** `docker run`/`create` errors: prefixed with "docker: " and a pointer to --help, status 125. */
function runError(ctx: CommandContext, sub: string, msg: string, daemon = true): number {
  ctx.err(`docker: ${daemon ? 'Error response from daemon: ' : ''}${msg}\n\nRun 'docker ${sub} --help' for more information\n`);
  return 125;
}

function flagError(ctx: CommandContext, path: string, e: FlagError): number {
  ctx.err(`${e.message}\nSee 'docker ${path} --help'.\n`);
  return 125;
}

function parse(ctx: CommandContext, path: string, argv: readonly string[], specs: readonly FlagSpec[], interspersed = true): Parsed | number {
  try {
    return parseFlags(argv, specs, { interspersed });
  } catch (e) {
    if (e instanceof FlagError) return flagError(ctx, path, e);
    throw e;
  }
}

function needArgs(ctx: CommandContext, path: string, usage: string, p: Parsed, min: number, exact?: number): number | null {
  if (p.args.length < min || (exact !== undefined && p.args.length !== exact)) {
    const what = exact !== undefined ? `exactly ${exact} argument${exact === 1 ? '' : 's'}` : `at least ${min} argument${min === 1 ? '' : 's'}`;
    ctx.err(`docker: '${path}' requires ${what}\n\nUsage:  docker ${path} ${usage}\n\nSee 'docker ${path} --help' for more information\n`);
    return 1;
  }
  return null;
}

// ---- places and processes ------------------------------------------------------------------------

export function containerPlace(e: DockerEngine, c: Container): Place {
  const cp: ContainerPlace = { id: c.id, name: c.name, hostname: c.hostname, toolbox: c.networkMode === 'host' && c.image.info.toolbox === 'scratch' ? 'scratch' : c.image.info.toolbox, netAdmin: hasNetAdmin(c.spec) };
  return { host: e.host, ns: c.netns!, container: cp };
}

/**
 * The environment of a container's processes, in the order the daemon builds it
 * (CreateDaemonEnvironment): PATH, HOSTNAME, TERM with a tty, then Config.Env (the -e values, then
 * the image's) replacing or adding, and HOME, which the runtime adds for root.
 */
export function containerEnv(c: Container, tty = !!c.spec.tty, execEnv: readonly string[] = []): Map<string, string> {
  const env = new Map<string, string>();
  env.set('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  env.set('HOSTNAME', c.hostname);
  if (tty) env.set('TERM', 'xterm');
  const config = [...(c.spec.env ?? [])];
  for (const e of c.image.info.env) if (!config.some((x) => x.split('=')[0] === e.split('=')[0])) config.push(e);
  for (const e of [...config, ...execEnv]) {
    const i = e.indexOf('=');
    if (i > 0) env.set(e.slice(0, i), e.slice(i + 1));
  }
  if (!env.has('HOME')) env.set('HOME', '/root');
  return env;
}

const SHELLS = new Set(['sh', 'ash', 'bash', 'zsh', 'dash']);

function base(cmd: string): string {
  return cmd.slice(cmd.lastIndexOf('/') + 1);
}

/** The process a container runs: the entrypoint plus the command (the image's when none given). */
function processArgv(c: Container): string[] {
  const entry = c.spec.entrypoint ?? c.image.info.entrypoint;
  const cmd = c.spec.cmd.length ? c.spec.cmd : c.image.info.cmd;
  return [...entry, ...cmd];
}

/** The command part a learner thinks of as "what it runs" (entrypoint scripts stripped). */
function effectiveCommand(c: Container): string[] {
  const entry = c.spec.entrypoint ?? c.image.info.entrypoint;
  // curlimages/curl's entrypoint passes its arguments to curl
  if (c.image.info.repo === 'curlimages/curl' && !c.spec.entrypoint) return c.spec.cmd.length ? (c.spec.cmd[0] === 'curl' ? [...c.spec.cmd] : ['curl', ...c.spec.cmd]) : ['curl'];
  if (c.spec.entrypoint && c.spec.entrypoint.length) return [...entry, ...c.spec.cmd];
  return c.spec.cmd.length ? [...c.spec.cmd] : [...c.image.info.cmd];
}

/**
 * Start the container's main process. Returns a promise of its exit status when it runs a
 * command to completion, or null when it keeps running (a server, a shell with stdin open,
 * `sleep infinity`).
 */
function startProcess(ctx: CommandContext, e: DockerEngine, c: Container, o: { detached: boolean; interactive: boolean }): Promise<number> | null {
  const argv = effectiveCommand(c);
  if (!c.spec.cmd.length && !c.spec.entrypoint && c.image.info.services.length) return null;
  if (c.image.info.serverArgs && !c.spec.entrypoint) {
    // the image's binary takes the command as its flags (the engine started the server)
    const f = whoamiFlags(c.spec.cmd, c.spec.env ?? []);
    if (!('error' in f)) return null;
    c.logs += `${f.error}\n${WHOAMI_USAGE}`;
    return Promise.resolve(2);
  }
  const name = argv.length ? base(argv[0]) : '';
  if (!argv.length) return Promise.resolve(0);
  if (SHELLS.has(name) && argv.length === 1) {
    // a shell reading stdin: alive while stdin is open (-i), done at once otherwise
    return o.interactive ? null : Promise.resolve(0);
  }
  if (name === 'sleep') {
    const v = argv[1] ?? '';
    if (/^inf(inity)?$/i.test(v)) return null;
    const secs = Number(v);
    if (!Number.isFinite(secs)) return Promise.resolve(1);
    return new Promise((resolve) => e.host.world.sched.after(Math.round(secs * SECOND), () => resolve(0)));
  }
  if (name === 'tail' && argv.includes('-f')) return null;
  const place = containerPlace(e, c);
  // with -t the process writes to a pseudo-terminal, and programs behave as on a terminal
  const sink = { out: (t: string) => (c.logs += t), err: (t: string) => (c.logs += t), tty: !!c.spec.tty };
  const p = ctx.detach(argv, place, sink, containerEnv(c));
  procs.set(c.id, p);
  return p.exited;
}

const procs = new Map<string, { kill(): void }>();

/** Start a started container's main process in the background (compose, restart policies). */
export function runMainProcess(ctx: CommandContext, e: DockerEngine, c: Container): void {
  ensureToolboxes();
  watch(e, c, startProcess(ctx, e, c, { detached: true, interactive: !!c.spec.interactive }), c.startedAt!);
}

/** Kill a container's main process (before the container is stopped or removed). */
export function killMainProcess(c: Container): void {
  stopProcess(c);
}

/** Start the main processes of containers the daemon just started again (restart policies). */
export function resumeContainers(ctx: CommandContext, e: DockerEngine, cs: readonly Container[]): void {
  ensureToolboxes();
  for (const c of cs) watch(e, c, startProcess(ctx, e, c, { detached: true, interactive: !!c.spec.interactive }), c.startedAt!);
}

/** Stop every container's main process (the daemon is stopping). */
export function killProcesses(e: DockerEngine): void {
  for (const c of e.containers.values()) stopProcess(c);
}

function stopProcess(c: Container): void {
  procs.get(c.id)?.kill();
  procs.delete(c.id);
}

/** Watch a detached main process and mark the container exited when it ends. */
function watch(e: DockerEngine, c: Container, done: Promise<number> | null, startedAt: number): void {
  if (!done) return;
  void done.then((code) => {
    if (c.state === 'running' && c.startedAt === startedAt) {
      procs.delete(c.id);
      e.exited(c, code);
    }
  });
}

// ---- docker run / create / start / stop / rm -------------------------------------------------------

const RUN_FLAGS: FlagSpec[] = [
  { long: 'detach', short: 'd' },
  { long: 'interactive', short: 'i' },
  { long: 'tty', short: 't' },
  { long: 'rm' },
  { long: 'name', value: true },
  { long: 'network', value: true },
  { long: 'net', value: true },
  { long: 'network-alias', value: true, repeat: true },
  { long: 'net-alias', value: true, repeat: true },
  { long: 'ip', value: true },
  { long: 'publish', short: 'p', value: true, repeat: true },
  { long: 'publish-all', short: 'P' },
  { long: 'expose', value: true, repeat: true },
  { long: 'dns', value: true, repeat: true },
  { long: 'dns-search', value: true, repeat: true },
  { long: 'dns-option', value: true, repeat: true },
  { long: 'add-host', value: true, repeat: true },
  { long: 'hostname', short: 'h', value: true },
  { long: 'link', value: true, repeat: true },
  { long: 'env', short: 'e', value: true, repeat: true },
  { long: 'entrypoint', value: true },
  { long: 'workdir', short: 'w', value: true },
  { long: 'restart', value: true },
  { long: 'privileged' },
  { long: 'cap-add', value: true, repeat: true },
  { long: 'cap-drop', value: true, repeat: true },
  { long: 'volume', short: 'v', value: true, repeat: true },
  { long: 'label', short: 'l', value: true, repeat: true },
  { long: 'platform', value: true },
  { long: 'pull', value: true },
  { long: 'user', short: 'u', value: true },
  { long: 'init' },
  { long: 'sysctl', value: true, repeat: true },
];

/** `[ip:][hostPort:]containerPort[/proto]` as the CLI's nat.ParsePortSpec reads it. */
export function parsePortSpec(text: string): PortSpec[] | string {
  const [main, protoRaw] = text.split('/');
  const proto = (protoRaw ?? 'tcp').toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp') return `invalid proto: ${protoRaw}`;
  const parts = main.split(':');
  let hostIp = '';
  let hostPort = '';
  let ctr = '';
  if (parts.length === 1) ctr = parts[0];
  else if (parts.length === 2) [hostPort, ctr] = parts;
  else if (parts.length === 3) [hostIp, hostPort, ctr] = parts;
  else return `invalid port format: ${text}`;
  if (hostIp && !/^\d+\.\d+\.\d+\.\d+$/.test(hostIp)) return `invalid IP address: ${hostIp}`;
  const range = (s: string): [number, number] | null => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(s);
    if (!m) return null;
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    return a >= 0 && b <= 65535 && a <= b ? [a, b] : null;
  };
  const cr = range(ctr);
  if (!cr || cr[0] === 0) return `invalid containerPort: ${ctr}`;
  const hr = hostPort ? range(hostPort) : null;
  if (hostPort && !hr) return `invalid hostPort: ${hostPort}`;
  const out: PortSpec[] = [];
  for (let p = cr[0]; p <= cr[1]; p++) {
    const hp = hr ? (hr[0] === hr[1] ? hr[0] : hr[0] + (p - cr[0])) : 0;
    out.push({ proto, containerPort: p, hostIp, hostPort: hp });
  }
  return out;
}

/**
 * `-v SRC:DST[:OPTS]` as the CLI and daemon read it: an absolute SRC (or one starting with `.`,
 * made absolute by the CLI) is a bind mount, a name is a volume, a lone DST an anonymous volume.
 */
export function parseBind(text: string, cwd: string, anon: () => string): BindSpec | string {
  const parts = text.split(':');
  if (parts.length > 3 || parts.some((p) => p === '')) return `invalid spec: ${text}: empty section between colons`;
  let [source, target, mode] = parts.length === 1 ? ['', parts[0], ''] : [parts[0], parts[1], parts[2] ?? ''];
  if (parts.length === 1) source = anon();
  const volume = !source.startsWith('/') && !source.startsWith('.');
  if (source.startsWith('.')) source = normalizePath(`${cwd}/${source}`);
  if (!target.startsWith('/')) return `invalid volume specification: '${text}': invalid mount config for type "${volume ? 'volume' : 'bind'}": invalid mount path: '${target}' mount path must be absolute`;
  if (volume && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(source)) return `create ${source}: "${source}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`;
  const opts = mode ? mode.split(',') : [];
  for (const o of opts) if (!['ro', 'rw', 'z', 'Z', 'shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate', 'nocopy'].includes(o)) return `invalid mode: ${mode}`;
  const shown = parts.length === 1 ? target : [source, target, ...(mode ? [mode] : [])].join(':');
  return { text: shown, source, target: normalizePath(target), readonly: opts.includes('ro'), mode, volume };
}

async function runOrCreate(ctx: CommandContext, e: DockerEngine, argv: readonly string[], sub: 'run' | 'create'): Promise<number> {
  const p = parse(ctx, sub, argv, RUN_FLAGS, false);
  if (typeof p === 'number') return p;
  if (!p.args.length) {
    ctx.err(`docker: '${sub}' requires at least 1 argument\n\nUsage:  docker ${sub} [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'docker ${sub} --help' for more information\n`);
    return 125;
  }
  const [image, ...cmd] = p.args;
  const ports: PortSpec[] = [];
  for (const spec of all(p, 'publish')) {
    const r = parsePortSpec(spec);
    if (typeof r === 'string') return runError(ctx, sub, r, false);
    ports.push(...r);
  }
  const network = flag(p, 'network') ?? flag(p, 'net');
  const addHosts: { name: string; ip: string }[] = [];
  for (const h of all(p, 'add-host')) {
    const i = h.search(/[:=]/);
    if (i <= 0) return runError(ctx, sub, `invalid argument "${h}" for "--add-host" flag: bad format for add-host: "${h}"`, false);
    addHosts.push({ name: h.slice(0, i), ip: h.slice(i + 1) });
  }
  const links = all(p, 'link').map((l) => {
    const [name, alias] = l.split(':');
    return { name, alias: alias ?? name };
  });
  const binds: BindSpec[] = [];
  for (const v of all(p, 'volume')) {
    const b = parseBind(v, ctx.cwd, () => e.newId());
    if (typeof b === 'string') return runError(ctx, sub, b);
    binds.push(b);
  }
  const detached = bool(p, 'detach');
  const interactive = bool(p, 'interactive');
  const autoRemove = bool(p, 'rm');
  const entry = flag(p, 'entrypoint');
  let c: Container;
  try {
    c = e.createContainer({
      name: flag(p, 'name'),
      image,
      cmd,
      entrypoint: entry !== undefined ? (entry === '' ? [] : [entry]) : undefined,
      network,
      aliases: [...all(p, 'network-alias'), ...all(p, 'net-alias')],
      ip: flag(p, 'ip'),
      ports,
      publishAll: bool(p, 'publish-all'),
      hostname: flag(p, 'hostname'),
      dns: all(p, 'dns'),
      dnsSearch: all(p, 'dns-search'),
      dnsOptions: all(p, 'dns-option'),
      addHosts,
      links,
      // `-e NAME` takes the value from the client's environment, and is dropped when it has none
      env: all(p, 'env').flatMap((v) => (v.includes('=') ? [v] : ctx.env.has(v) ? [`${v}=${ctx.env.get(v)}`] : [])),
      tty: bool(p, 'tty'),
      interactive,
      autoRemove,
      restart: flag(p, 'restart'),
      labels: Object.fromEntries(all(p, 'label').map((l) => [l.split('=')[0], l.split('=').slice(1).join('=')])),
      binds,
      capAdd: all(p, 'cap-add'),
      privileged: bool(p, 'privileged'),
    });
  } catch (err) {
    if (err instanceof DockerError) return runError(ctx, sub, err.message);
    throw err;
  }
  // the daemon's warnings from ContainerCreate, which the CLI prints before starting it
  if (c.networkMode === 'host' && ports.length) ctx.err('WARNING: Published ports are discarded when using host network mode\n');
  if (sub === 'create') {
    ctx.out(`${c.id}\n`);
    return 0;
  }
  return startAndAttach(ctx, e, c, { detached, interactive, tty: bool(p, 'tty') });
}

async function startAndAttach(ctx: CommandContext, e: DockerEngine, c: Container, o: { detached: boolean; interactive: boolean; tty: boolean }): Promise<number> {
  try {
    e.startContainer(c);
  } catch (err) {
    if (err instanceof DockerError) {
      if (c.spec.autoRemove) e.removeContainer(c, true);
      return runError(ctx, 'run', err.message);
    }
    throw err;
  }
  const argv = effectiveCommand(c);
  const name = argv.length ? base(argv[0]) : '';
  const place = containerPlace(e, c);
  if (!o.detached && o.interactive && SHELLS.has(name) && argv.length === 1) {
    // an interactive shell in the container: the session's prompt moves inside until `exit`
    if (!place.container || !ctx.interactive) {
      // a script: the shell reads the rest of the script from its stdin, as docker run -i would
    }
    return ctx.enterShell(place, `docker:${c.id}`);
  }
  if (o.detached) {
    const startedAt = c.startedAt!;
    watch(e, c, startProcess(ctx, e, c, { detached: true, interactive: o.interactive }), startedAt);
    ctx.out(`${c.id}\n`);
    return 0;
  }
  // attached: the process's output comes to this terminal
  const entry = c.spec.entrypoint ?? c.image.info.entrypoint;
  void entry;
  if (!c.spec.cmd.length && !c.spec.entrypoint && c.image.info.services.length) {
    // a server in the foreground: it runs until Ctrl+C, which stops the container
    await ctx.wait(() => c.state !== 'running', Infinity);
    if (c.state === 'running') e.stopContainer(c, 0);
    if (c.spec.autoRemove) e.removeContainer(c, true);
    return 130;
  }
  if (SHELLS.has(name) && argv.length === 1) {
    e.exited(c, 0);
    return 0;
  }
  if (name === 'sleep' || (name === 'tail' && argv.includes('-f'))) {
    const done = startProcess(ctx, e, c, { detached: false, interactive: o.interactive });
    let code: number | null = null;
    void done?.then((x) => (code = x));
    const ok = await ctx.wait(() => code !== null, Infinity);
    e.exited(c, ok ? (code ?? 0) : 130);
    return ok ? (code ?? 0) : 130;
  }
  const cmdName = base(argv[0]);
  const { commandsAt } = await import('../../toolbox.ts');
  if (!commandsAt(place).has(cmdName) && !(SHELLS.has(cmdName) && argv.length > 1)) {
    const msg = `failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "${argv[0]}": executable file not found in $PATH: unknown`;
    ctx.err(`docker: Error response from daemon: ${msg}\n\nRun 'docker run --help' for more information\n`);
    e.exited(c, 127);
    return 127;
  }
  let code: number;
  const out = { out: (t: string) => ctx.out(t), err: (t: string) => ctx.err(t) };
  void out;
  if (SHELLS.has(cmdName) && argv[1] === '-c') code = await ctx.shell(argv.slice(2).join(' '), place, containerEnv(c));
  else code = await ctx.exec(argv, place, containerEnv(c));
  if (c.state === 'running') e.exited(c, code);
  else if (c.spec.autoRemove && e.containers.has(c.id)) e.removeContainer(c, true);
  return code;
}

function findOrErr(ctx: CommandContext, e: DockerEngine, ref: string): Container | null {
  const c = e.findContainer(ref);
  if (!c) ctx.err(`Error response from daemon: No such container: ${ref}\n`);
  return c;
}

async function start(ctx: CommandContext, e: DockerEngine, argv: readonly string[]): Promise<number> {
  const p = parse(ctx, 'start', argv, [{ long: 'attach', short: 'a' }, { long: 'interactive', short: 'i' }]);
  if (typeof p === 'number') return p;
  const bad = needArgs(ctx, 'start', '[OPTIONS] CONTAINER [CONTAINER...]', p, 1);
  if (bad !== null) return bad;
  const failed: string[] = [];
  for (const ref of p.args) {
    const c = findOrErr(ctx, e, ref);
    if (!c) {
      failed.push(ref);
      continue;
    }
    if (c.state !== 'running') {
      try {
        e.startContainer(c);
        watch(e, c, startProcess(ctx, e, c, { detached: true, interactive: !!c.spec.interactive }), c.startedAt!);
      } catch (err) {
        if (!(err instanceof DockerError)) throw err;
        daemonError(ctx, err.message);
        failed.push(ref);
        continue;
      }
    }
    ctx.out(`${ref}\n`);
  }
  if (failed.length) ctx.err(`Error: failed to start containers: ${failed.join(', ')}\n`);
  return failed.length ? 1 : 0;
}

function stopLike(ctx: CommandContext, e: DockerEngine, argv: readonly string[], sub: 'stop' | 'kill' | 'restart'): number {
  const p = parse(ctx, sub, argv, [{ long: 'time', short: 't', value: true }, { long: 'timeout', value: true }, { long: 'signal', short: 's', value: true }]);
  if (typeof p === 'number') return p;
  const bad = needArgs(ctx, sub, '[OPTIONS] CONTAINER [CONTAINER...]', p, 1);
  if (bad !== null) return bad;
  let status = 0;
  for (const ref of p.args) {
    const c = findOrErr(ctx, e, ref);
    if (!c) {
      status = 1;
      continue;
    }
    if (sub === 'kill' && c.state !== 'running') {
      status = daemonError(ctx, `cannot kill container: ${ref}: container ${c.id} is not running`);
      continue;
    }
    stopProcess(c);
    if (sub === 'restart') {
      e.restartContainer(c);
      watch(e, c, startProcess(ctx, e, c, { detached: true, interactive: !!c.spec.interactive }), c.startedAt!);
    } else {
      // a shell or server stops on SIGTERM/SIGKILL: 137 after the 10 s grace, 143 for those that handle TERM
      e.stopContainer(c, sub === 'kill' ? 137 : c.image.info.services.length && !c.spec.cmd.length ? 0 : 137);
      if (c.spec.autoRemove) e.removeContainer(c, true);
    }
    ctx.out(`${ref}\n`);
  }
  return status;
}

function rm(ctx: CommandContext, e: DockerEngine, argv: readonly string[]): number {
  const p = parse(ctx, 'rm', argv, [{ long: 'force', short: 'f' }, { long: 'volumes', short: 'v' }, { long: 'link', short: 'l' }]);
  if (typeof p === 'number') return p;
  const bad = needArgs(ctx, 'rm', '[OPTIONS] CONTAINER [CONTAINER...]', p, 1);
  if (bad !== null) return bad;
  let status = 0;
  for (const ref of p.args) {
    const c = e.findContainer(ref);
    if (!c) {
      status = daemonError(ctx, `No such container: ${ref}`);
      continue;
    }
    try {
      if (bool(p, 'force')) stopProcess(c);
      e.removeContainer(c, bool(p, 'force'));
      ctx.out(`${ref}\n`);
    } catch (err) {
      if (!(err instanceof DockerError)) throw err;
      status = daemonError(ctx, err.message);
    }
  }
  return status;
}

// ---- exec ------------------------------------------------------------------------------------------

async function exec(ctx: CommandContext, e: DockerEngine, argv: readonly string[]): Promise<number> {
  const p = parse(ctx, 'exec', argv, [{ long: 'interactive', short: 'i' }, { long: 'tty', short: 't' }, { long: 'detach', short: 'd' }, { long: 'env', short: 'e', value: true, repeat: true }, { long: 'workdir', short: 'w', value: true }, { long: 'user', short: 'u', value: true }, { long: 'privileged' }], false);
  if (typeof p === 'number') return p;
  const bad = needArgs(ctx, 'exec', '[OPTIONS] CONTAINER COMMAND [ARG...]', p, 2);
  if (bad !== null) return bad;
  const [ref, ...cmd] = p.args;
  const c = e.findContainer(ref);
  if (!c) return daemonError(ctx, `No such container: ${ref}`);
  if (c.state !== 'running') return daemonError(ctx, `container ${c.id} is not running`);
  const place = containerPlace(e, c);
  const name = base(cmd[0]);
  const { commandsAt } = await import('../../toolbox.ts');
  const exists = commandsAt(place).has(name) || (SHELLS.has(name) && commandsAt(place).has('sh'));
  if (!exists) {
    ctx.err(`OCI runtime exec failed: exec failed: unable to start container process: exec: "${cmd[0]}": executable file not found in $PATH: unknown\n`);
    return 126;
  }
  if (SHELLS.has(name) && cmd.length === 1) {
    if (bool(p, 'interactive')) return ctx.enterShell(place, `docker:${c.id}`);
    return 0;
  }
  const env = containerEnv(c, bool(p, 'tty'), all(p, 'env'));
  if (SHELLS.has(name) && cmd[1] === '-c') return ctx.shell(cmd.slice(2).join(' '), place, env);
  if (bool(p, 'detach')) {
    ctx.detach(cmd, place, { out: () => {}, err: () => {} }, env);
    return 0;
  }
  return ctx.exec(cmd, place, env);
}

// ---- ps, logs, port, images --------------------------------------------------------------------------

/** A running container's ports as the API's container summary lists them: bindings, then EXPOSE'd ports. */
export function portSummariesOf(c: Container): PortSummary[] {
  const ports: PortSummary[] = [];
  // only the bridge driver reports ports (exposed or published) for its endpoints: a container on
  // the host or none network, on macvlan or ipvlan, or in another's namespace lists none
  if (c.state === 'running' && hasBridgeEndpoint(c)) {
    for (const b of c.bindings) ports.push({ IP: b.hostIp, PrivatePort: b.spec.containerPort, PublicPort: b.hostPort, Type: b.spec.proto });
    for (const x of c.image.info.exposed) {
      const [port, proto] = x.split('/');
      if (!c.bindings.some((b) => b.spec.containerPort === Number(port) && b.spec.proto === proto)) ports.push({ PrivatePort: Number(port), Type: proto });
    }
  }
  return ports;
}

function summaryRow(e: DockerEngine, c: Container): ContainerSummaryRow {
  const ports = portSummariesOf(c);
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: c.spec.image,
    ImageID: `sha256:${c.image.id}`,
    Command: processArgv(c).join(' '),
    Created: Math.floor(unixUs(c.created) / SECOND),
    Ports: ports,
    Labels: { ...(c.spec.labels ?? {}) },
    State: c.state,
    Status: containerStatus(
      {
        running: c.state === 'running',
        exitCode: c.exitCode,
        startedAtUs: c.startedAt !== null ? unixUs(c.startedAt) : undefined,
        finishedAtUs: c.finishedAt !== null ? unixUs(c.finishedAt) : undefined,
      },
      unixUs(e.now),
    ),
    Networks: e.networksOf(c).map((n) => n.net.name),
  };
}

function ps(ctx: CommandContext, e: DockerEngine, argv: readonly string[]): number {
  const p = parse(ctx, 'ps', argv, [{ long: 'all', short: 'a' }, { long: 'quiet', short: 'q' }, { long: 'format', value: true }, { long: 'no-trunc' }, { long: 'filter', short: 'f', value: true, repeat: true }, { long: 'last', short: 'n', value: true }, { long: 'latest', short: 'l' }, { long: 'size', short: 's' }]);
  if (typeof p === 'number') return p;
  let list = [...e.containers.values()].reverse();
  if (!bool(p, 'all')) list = list.filter((c) => c.state === 'running');
  for (const f of all(p, 'filter')) {
    const [k, v] = f.split('=');
    if (k === 'name') list = list.filter((c) => c.name.includes(v));
    else if (k === 'status') list = list.filter((c) => c.state === v);
    else if (k === 'network') list = list.filter((c) => e.networksOf(c).some((n) => n.net.name === v || n.net.id.startsWith(v)));
    else if (k === 'label') list = list.filter((c) => (c.spec.labels ?? {})[v.split('=')[0]] !== undefined);
  }
  const r = renderPs(
    list.map((c) => summaryRow(e, c)),
    { format: flag(p, 'format') ?? '', quiet: bool(p, 'quiet'), noTrunc: bool(p, 'no-trunc'), size: bool(p, 'size'), nowUs: unixUs(e.now) },
  )
  if (r.warning) ctx.err(`${r.warning}\n`);
  if (!r.ok) {
    ctx.err(`${r.error}\n`);
    return 1;
  }
  ctx.out(r.out);
  return 0;
}

function logs(ctx: CommandContext, e: DockerEngine, argv: readonly string[]): number {
  const p = parse(ctx, 'logs', argv, [{ long: 'follow', short: 'f' }, { long: 'tail', short: 'n', value: true }, { long: 'timestamps', short: 't' }]);
  if (typeof p === 'number') return p;
  const bad = needArgs(ctx, 'logs', '[OPTIONS] CONTAINER', p, 1, 1);
  if (bad !== null) return bad;
  const c = e.findContainer(p.args[0]);
  if (!c) return daemonError(ctx, `No such container: ${p.args[0]}`);
  ctx.out(c.logs);
  return 0;
}

function port(ctx: CommandContext, e: DockerEngine, argv: readonly string[]): number {
  const p = parse(ctx, 'port', argv, []);
  if (typeof p === 'number') return p;
  const bad = needArgs(ctx, 'port', 'CONTAINER [PRIVATE_PORT[/PROTO]]', p, 1);
  if (bad !== null) return bad;
  const c = e.findContainer(p.args[0]);
  if (!c) return daemonError(ctx, `No such container: ${p.args[0]}`);
  const want = p.args[1];
  const lines: string[] = [];
  for (const b of c.bindings) {
    const key = `${b.spec.containerPort}/${b.spec.proto}`;
    if (want !== undefined) {
      const w = want.includes('/') ? want : `${want}/tcp`;
      if (w !== key) continue;
      lines.push(`${b.hostIp}:${b.hostPort}`);
    } else lines.push(`${key} -> ${b.hostIp}:${b.hostPort}`);
  }
  if (want !== undefined && !lines.length) {
    ctx.err(`Error: No public port '${want.includes('/') ? want : `${want}/tcp`}' published for ${p.args[0]}\n`);
    return 1;
  }
  ctx.out(lines.map((l) => `${l}\n`).join(''));
  return 0;
}

function images(ctx: CommandContext, _e: DockerEngine, argv: readonly string[]): number {
  const p = parse(ctx, 'images', argv, [{ long: 'quiet', short: 'q' }, { long: 'all', short: 'a' }, { long: 'format', value: true }]);
  if (typeof p === 'number') return p;
  const rows: string[][] = [];
  for (const i of allImages()) for (const t of i.tags) rows.push([i.repo, t, imageId(i).slice(0, 12), '2 weeks ago', i.size]);
  if (bool(p, 'quiet')) {
    ctx.out([...new Set(rows.map((r) => r[2]))].map((x) => `${x}\n`).join(''));
    return 0;
  }
  ctx.out(tabwrite([['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'], ...rows]));
  return 0;
}

function pull(ctx: CommandContext, _e: DockerEngine, argv: readonly string[]): number {
  const p = parse(ctx, 'pull', argv, [{ long: 'quiet', short: 'q' }, { long: 'all-tags', short: 'a' }, { long: 'platform', value: true }]);
  if (typeof p === 'number') return p;
  const bad = needArgs(ctx, 'pull', '[OPTIONS] NAME[:TAG|@DIGEST]', p, 1, 1);
  if (bad !== null) return bad;
  const img = findImage(p.args[0]);
  if (!img) return daemonError(ctx, `pull access denied for ${p.args[0].replace(/:.*$/, '')}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`);
  const [repo, tag] = img.ref.split(':');
  const full = repo.includes('/') ? `docker.io/${repo}:${tag}` : `docker.io/library/${repo}:${tag}`;
  if (!p.args[0].includes(':')) ctx.out('Using default tag: latest\n');
  ctx.out(`${tag}: Pulling from ${repo.includes('/') ? repo : `library/${repo}`}\nDigest: sha256:${img.id}\nStatus: Image is up to date for ${img.ref}\n${full}\n`);
  return 0;
}

// ---- networks ---------------------------------------------------------------------------------------

function networkLs(ctx: CommandContext, e: DockerEngine, argv: readonly string[]): number {
  const p = parse(ctx, 'network ls', argv, [{ long: 'quiet', short: 'q' }, { long: 'format', value: true }, { long: 'no-trunc' }, { long: 'filter', short: 'f', value: true, repeat: true }]);
  if (typeof p === 'number') return p;
  let nets = [...e.networks.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const f of all(p, 'filter')) {
    const [k, v] = f.split('=');
    if (k === 'name') nets = nets.filter((n) => n.name.includes(v));
    else if (k === 'driver') nets = nets.filter((n) => n.driver === v);
    else if (k === 'type') nets = nets.filter((n) => (v === 'builtin' ? n.predefined : !n.predefined));
  }
  const r = renderNetworkLs(
    nets.map((n) => ({ Id: n.id, Name: n.name, Driver: n.driver, Scope: n.scope, EnableIPv4: true, EnableIPv6: false, Internal: n.internal, Labels: { ...n.labels }, Created: isoTime(n.created) })),
    { format: flag(p, 'format') ?? '', quiet: bool(p, 'quiet'), noTrunc: bool(p, 'no-trunc') },
  );
  if (!r.ok) {
    ctx.err(`${r.error}\n`);
    return 1;
  }
  ctx.out(r.out);
  return 0;
}

function networkCreate(ctx: CommandContext, e: DockerEngine, argv: readonly string[]): number {
  const p = parse(ctx, 'network create', argv, [
    { long: 'driver', short: 'd', value: true },
    { long: 'subnet', value: true, repeat: true },
    { long: 'gateway', value: true, repeat: true },
    { long: 'ip-range', value: true, repeat: true },
    { long: 'aux-address', value: true, repeat: true },
    { long: 'internal' },
    { long: 'attachable' },
    { long: 'opt', short: 'o', value: true, repeat: true },
    { long: 'label', value: true, repeat: true },
    { long: 'ipv6' },
    { long: 'ipv4' },
  ]);
  if (typeof p === 'number') return p;
  const bad = needArgs(ctx, 'network create', '[OPTIONS] NETWORK', p, 1, 1);
  if (bad !== null) return bad;
  const options: Record<string, string> = {};
  for (const o of all(p, 'opt')) {
    const i = o.indexOf('=');
    options[i < 0 ? o : o.slice(0, i)] = i < 0 ? '' : o.slice(i + 1);
  }
  const subnet = all(p, 'subnet')[0];
  const gateway = all(p, 'gateway')[0];
  if (gateway !== undefined && subnet === undefined) {
    ctx.err('Error response from daemon: invalid pool request: no matching subnet for gateway ' + gateway + '\n');
    return 1;
  }
  const auxAddresses: Record<string, string> = {};
  for (const a of all(p, 'aux-address')) {
    const i = a.indexOf('=');
    if (i <= 0) {
      ctx.err(`invalid argument "${a}" for "--aux-address" flag: bad format for aux-address: ${a}\nSee 'docker network create --help'.\n`);
      return 125;
    }
    auxAddresses[a.slice(0, i)] = a.slice(i + 1);
  }
  try {
    const n = e.createNetwork({
      auxAddresses,
      name: p.args[0],
      driver: flag(p, 'driver'),
      subnet,
      gateway,
      ipRange: all(p, 'ip-range')[0],
      internal: bool(p, 'internal'),
      attachable: bool(p, 'attachable'),
      options,
      labels: Object.fromEntries(all(p, 'label').map((l) => [l.split('=')[0], l.split('=').slice(1).join('=')])),
    });
    ctx.out(`${n.id}\n`);
    return 0;
  } catch (err) {
    if (err instanceof DockerError) return daemonError(ctx, err.message);
    throw err;
  }
}

function networkRm(ctx: CommandContext, e: DockerEngine, argv: readonly string[]): number {
  const p = parse(ctx, 'network rm', argv, [{ long: 'force', short: 'f' }]);
  if (typeof p === 'number') return p;
  const bad = needArgs(ctx, 'network rm', 'NETWORK [NETWORK...]', p, 1);
  if (bad !== null) return bad;
  let status = 0;
  for (const ref of p.args) {
    try {
      e.removeNetwork(ref);
      ctx.out(`${ref}\n`);
    } catch (err) {
      if (!(err instanceof DockerError)) throw err;
      if (bool(p, 'force') && err.message.endsWith('not found')) continue;
      status = daemonError(ctx, err.message);
    }
  }
  return status;
}

function networkConnect(ctx: CommandContext, e: DockerEngine, argv: readonly string[], disconnect: boolean): number {
  const path = disconnect ? 'network disconnect' : 'network connect';
  const p = parse(ctx, path, argv, disconnect ? [{ long: 'force', short: 'f' }] : [{ long: 'alias', value: true, repeat: true }, { long: 'ip', value: true }, { long: 'link', value: true, repeat: true }, { long: 'driver-opt', value: true, repeat: true }]);
  if (typeof p === 'number') return p;
  const bad = needArgs(ctx, path, '[OPTIONS] NETWORK CONTAINER', p, 2, 2);
  if (bad !== null) return bad;
  const [netRef, ctrRef] = p.args;
  const net = e.findNetwork(netRef);
  if (!net) return daemonError(ctx, `network ${netRef} not found`);
  const c = e.findContainer(ctrRef);
  if (!c) return daemonError(ctx, `No such container: ${ctrRef}`);
  try {
    if (disconnect) e.disconnect(c, net);
    else e.connect(c, net, { aliases: all(p, 'alias'), ip: flag(p, 'ip') });
    return 0;
  } catch (err) {
    if (err instanceof DockerError) return daemonError(ctx, err.message);
    throw err;
  }
}

function networkPrune(ctx: CommandContext, e: DockerEngine, argv: readonly string[]): number {
  const p = parse(ctx, 'network prune', argv, [{ long: 'force', short: 'f' }, { long: 'filter', value: true, repeat: true }]);
  if (typeof p === 'number') return p;
  if (!bool(p, 'force') && !ctx.interactive) {
    // the real CLI asks; with no terminal to answer it reads EOF and does nothing
    ctx.out('WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ');
    return 0;
  }
  const removed: string[] = [];
  for (const n of [...e.networks.values()]) {
    if (n.predefined || n.endpoints.size) continue;
    const inUse = [...e.containers.values()].some((c) => e.networksOf(c).some((x) => x.net === n));
    if (inUse) continue;
    e.removeNetwork(n.id);
    removed.push(n.name);
  }
  if (removed.length) ctx.out(`Deleted Networks:\n${removed.map((x) => `${x}\n`).join('')}`);
  return 0;
}

function inspect(ctx: CommandContext, e: DockerEngine, argv: readonly string[], kind: 'any' | 'container' | 'network'): number {
  const path = kind === 'any' ? 'inspect' : `${kind} inspect`;
  const p = parse(ctx, path, argv, [{ long: 'format', short: 'f', value: true }, { long: 'type', value: true }, { long: 'size', short: 's' }, { long: 'verbose', short: 'v' }]);
  if (typeof p === 'number') return p;
  const bad = needArgs(ctx, path, '[OPTIONS] NAME|ID [NAME|ID...]', p, 1);
  if (bad !== null) return bad;
  const entries: InspectEntry[] = [];
  for (const r of p.args) {
    if (kind !== 'network') {
      const c = e.findContainer(r);
      if (c) {
        entries.push({ kind: 'container', doc: containerInspect(e, c), pointer: kind === 'container' });
        continue;
      }
    }
    if (kind !== 'container') {
      const n = e.findNetwork(r);
      if (n) {
        entries.push({ kind: 'network', doc: networkInspect(e, n) });
        continue;
      }
    }
    entries.push({ error: `Error: No such ${kind === 'any' ? 'object' : kind}: ${r}` });
  }
  const out = renderInspect(flag(p, 'format') ?? '', entries);
  ctx.out(out.stdout);
  ctx.err(out.stderr);
  return out.exitCode;
}

async function network(ctx: CommandContext, e: DockerEngine, argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'ls':
    case 'list':
      return networkLs(ctx, e, rest);
    case 'create':
      return networkCreate(ctx, e, rest);
    case 'rm':
    case 'remove':
      return networkRm(ctx, e, rest);
    case 'inspect':
      return inspect(ctx, e, rest, 'network');
    case 'connect':
      return networkConnect(ctx, e, rest, false);
    case 'disconnect':
      return networkConnect(ctx, e, rest, true);
    case 'prune':
      return networkPrune(ctx, e, rest);
    case undefined:
    case '--help':
      ctx.out(NETWORK_USAGE);
      return 0;
    default:
      ctx.err(`docker: unknown command: docker network ${sub}\n\nRun 'docker network --help' for more information\n`);
      return 1;
  }
}

const NETWORK_USAGE = `
Usage:  docker network COMMAND

Manage networks

Commands:
  connect     Connect a container to a network
  create      Create a network
  disconnect  Disconnect a container from a network
  inspect     Display detailed information on one or more networks
  ls          List networks
  prune       Remove all unused networks
  rm          Remove one or more networks

Run 'docker network COMMAND --help' for more information on a command.
`;

function version(ctx: CommandContext, e: DockerEngine): number {
  ctx.out(`Client: Docker Engine - Community
 Version:           ${e.version}
 API version:       ${e.apiVersion}
 Go version:        go1.24.9
 Git commit:        ff52e0c
 Built:             Thu Nov 13 14:59:47 2025
 OS/Arch:           linux/amd64
 Context:           default

Server: Docker Engine - Community
 Engine:
  Version:          ${e.version}
  API version:      ${e.apiVersion} (minimum version 1.44)
  Go version:       go1.24.9
  Git commit:       e2b7a9c
  Built:            Thu Nov 13 14:59:47 2025
  OS/Arch:          linux/amd64
  Experimental:     false
 containerd:
  Version:          v2.1.5
  GitCommit:        fcd43222d6b07379a4be9786bda52438f0dd16a1
 runc:
  Version:          1.3.3
  GitCommit:        v1.3.3-0-gd842d771
 docker-init:
  Version:          0.19.0
  GitCommit:        de40ad0
`);
  return 0;
}

function info(ctx: CommandContext, e: DockerEngine): number {
  const cs = [...e.containers.values()];
  ctx.out(`Client: Docker Engine - Community
 Version:    ${e.version}
 Context:    default
 Debug Mode: false

Server:
 Containers: ${cs.length}
  Running: ${cs.filter((c) => c.state === 'running').length}
  Paused: 0
  Stopped: ${cs.filter((c) => c.state !== 'running').length}
 Images: ${allImages().length}
 Server Version: ${e.version}
 Storage Driver: overlayfs
 Logging Driver: json-file
 Cgroup Driver: systemd
 Cgroup Version: 2
 Plugins:
  Volume: local
  Network: bridge host ipvlan macvlan null overlay
  Log: awslogs fluentd gcplogs gelf journald json-file local splunk syslog
 Swarm: inactive
 Runtimes: io.containerd.runc.v2 runc
 Default Runtime: runc
 Kernel Version: 6.18.44-fc-v782
 Operating System: Debian GNU/Linux 12 (bookworm)
 OSType: linux
 Architecture: x86_64
 Name: ${e.host.hostname}
 Docker Root Dir: /var/lib/docker
 Debug Mode: false
 Experimental: false
 Insecure Registries:
  ::1/128
  127.0.0.0/8
 Live Restore Enabled: false
 Firewall Backend: iptables
`);
  return 0;
}

const USAGE = `
Usage:  docker [OPTIONS] COMMAND

A self-sufficient runtime for containers

Common Commands:
  run         Create and run a new container from an image
  exec        Execute a command in a running container
  ps          List containers
  build       Build an image from a Dockerfile
  pull        Download an image from a registry
  images      List images
  version     Show the Docker version information
  info        Display system-wide information

Management Commands:
  compose*    Docker Compose
  container   Manage containers
  image       Manage images
  network     Manage networks

Commands:
  create      Create a new container
  inspect     Return low-level information on Docker objects
  logs        Fetch the logs of a container
  port        List port mappings or a specific mapping for the container
  restart     Restart one or more containers
  rm          Remove one or more containers
  start       Start one or more stopped containers
  stop        Stop one or more running containers

Run 'docker COMMAND --help' for more information on a command.
`;

const SUBS: Record<string, Sub> = {
  run: (ctx, e, a) => runOrCreate(ctx, e, a, 'run'),
  create: (ctx, e, a) => runOrCreate(ctx, e, a, 'create'),
  start,
  stop: (ctx, e, a) => stopLike(ctx, e, a, 'stop'),
  kill: (ctx, e, a) => stopLike(ctx, e, a, 'kill'),
  restart: (ctx, e, a) => stopLike(ctx, e, a, 'restart'),
  rm,
  exec,
  ps,
  logs,
  port,
  images,
  pull,
  inspect: (ctx, e, a) => inspect(ctx, e, a, 'any'),
  network,
  version: (ctx, e) => version(ctx, e),
  info: (ctx, e) => info(ctx, e),
  compose: (ctx, e, a) => composeCommand(ctx, e, a),
  swarm: (ctx, e, a) => swarmCommand(ctx, e, a),
  node: (ctx, e, a) => nodeCommand(ctx, e, a),
  service: (ctx, e, a) => serviceCommand(ctx, e, a),
};

const CONTAINER_SUBS: Record<string, string> = { ls: 'ps', list: 'ps', ps: 'ps', run: 'run', create: 'create', start: 'start', stop: 'stop', kill: 'kill', restart: 'restart', rm: 'rm', remove: 'rm', exec: 'exec', logs: 'logs', port: 'port' };

export const dockerCommand: Command = {
  name: 'docker',
  path: '/usr/bin/docker',
  summary: 'manage containers and networks (docker run, ps, exec, network, compose)',
  async run(ctx) {
    const argv = ctx.argv.slice(1);
    const found = dockerOn(ctx.host);
    const e = found?.running ? found : null;
    if (!e || ctx.ns !== ctx.host.root) {
      if (argv[0] === 'version' || argv[0] === '--version' || argv[0] === '-v') {
        ctx.out(argv[0] === 'version' ? '' : 'Docker version 29.0.2, build 8108357\n');
        if (argv[0] !== 'version') return 0;
      }
      ctx.err('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n');
      return 1;
    }
    ensureToolboxes();
    if (!argv.length || argv[0] === '--help' || argv[0] === 'help') {
      ctx.out(USAGE);
      return 0;
    }
    if (argv[0] === '--version' || argv[0] === '-v') {
      ctx.out(`Docker version ${e.version}, build 8108357\n`);
      return 0;
    }
    let [sub, ...rest] = argv;
    if (sub === 'container') {
      const s = rest[0];
      if (s === 'inspect') return inspect(ctx, e, rest.slice(1), 'container');
      if (s === 'prune') {
        const removed = [...e.containers.values()].filter((c) => c.state !== 'running');
        for (const c of removed) e.removeContainer(c, false);
        ctx.out(removed.length ? `Deleted Containers:\n${removed.map((c) => `${c.id}\n`).join('')}\nTotal reclaimed space: 0B\n` : 'Total reclaimed space: 0B\n');
        return 0;
      }
      const mapped = s ? CONTAINER_SUBS[s] : undefined;
      if (!mapped) {
        ctx.err(`docker: unknown command: docker container ${s ?? ''}\n\nRun 'docker container --help' for more information\n`);
        return 1;
      }
      sub = mapped;
      rest = rest.slice(1);
    } else if (sub === 'image') {
      if (rest[0] === 'ls' || rest[0] === 'list') return images(ctx, e, rest.slice(1));
      if (rest[0] === 'pull') return pull(ctx, e, rest.slice(1));
      if (rest[0] === 'inspect') return inspect(ctx, e, rest.slice(1), 'any');
      ctx.err(`docker: unknown command: docker image ${rest[0] ?? ''}\n\nRun 'docker image --help' for more information\n`);
      return 1;
    }
    const fn = SUBS[sub];
    if (!fn) {
      ctx.err(`docker: unknown command: docker ${sub}\n\nRun 'docker --help' for more information\n`);
      return 1;
    }
    return fn(ctx, e, rest);
  },
};

export type { DockerNetwork };
export { subnetText, formatIpv4 };
