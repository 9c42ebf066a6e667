/**
 * `docker compose` (Compose v2): up, down, ps, exec, config, from a compose file in the
 * simulated filesystem. Compose's naming is kept: project = the directory's name, networks
 * `<project>_<name>` (and `<project>_default`), containers `<project>-<service>-<n>`, each
 * container reachable on its networks by its service name (a network alias) and its name.
 */
import { parse as parseYaml } from 'yaml';
import type { CommandContext } from '../../context.ts';
import { DockerError, type Container, type DockerEngine, type DockerNetwork, type PortSpec } from '../../../sim/docker/engine.ts';
import { parsePortSpec, containerPlace, containerEnv } from './docker.ts';
import { tabwrite } from './template.ts';

interface ServiceNet {
  readonly name: string;
  readonly aliases: string[];
  readonly ip?: string;
}

interface Service {
  readonly name: string;
  readonly image: string;
  readonly command: string[];
  readonly entrypoint?: string[];
  readonly ports: PortSpec[];
  readonly networks: ServiceNet[];
  readonly dependsOn: string[];
  readonly hostname?: string;
  readonly containerName?: string;
  readonly environment: string[];
  readonly networkMode?: string;
  readonly dns: string[];
  readonly extraHosts: { name: string; ip: string }[];
}

interface NetDecl {
  readonly key: string;
  /** the Docker network's name */
  readonly name: string;
  readonly external: boolean;
  readonly driver?: string;
  readonly internal: boolean;
  readonly subnet?: string;
  readonly gateway?: string;
}

interface Project {
  readonly name: string;
  readonly services: Service[];
  readonly networks: Map<string, NetDecl>;
  readonly file: string;
}

class ComposeError extends Error {}

function words(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map(String);
  // compose splits a string command like a shell would (shlex)
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(String(v)))) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

const FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

function projectName(dir: string): string {
  const base = dir.split('/').filter(Boolean).pop() ?? 'root';
  return base.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

function load(ctx: CommandContext, file: string | undefined, projectFlag: string | undefined): Project {
  let path = file;
  let text: string | null = null;
  if (path) {
    const r = ctx.readFile(path);
    if (!r.ok) throw new ComposeError(`open ${path.startsWith('/') ? path : `${ctx.cwd.replace(/\/$/, '')}/${path}`}: no such file or directory`);
    text = r.data;
  } else {
    for (const f of FILES) {
      const r = ctx.readFile(f);
      if (r.ok) {
        path = f;
        text = r.data;
        break;
      }
    }
    if (text === null) throw new ComposeError('no configuration file provided: not found');
  }
  let doc: Record<string, unknown>;
  try {
    doc = (parseYaml(text) ?? {}) as Record<string, unknown>;
  } catch (e) {
    throw new ComposeError(`yaml: ${(e as Error).message.split('\n')[0]}`);
  }
  const name = projectFlag ?? (typeof doc.name === 'string' ? doc.name : projectName(ctx.cwd));
  const rawServices = (doc.services ?? {}) as Record<string, Record<string, unknown>>;
  if (!Object.keys(rawServices).length) throw new ComposeError('no service selected');
  const networks = new Map<string, NetDecl>();
  const rawNets = (doc.networks ?? {}) as Record<string, Record<string, unknown> | null>;
  for (const [key, v] of Object.entries(rawNets)) {
    const decl = v ?? {};
    const ext = decl.external === true || (typeof decl.external === 'object' && decl.external !== null);
    const ipam = (decl.ipam ?? {}) as { config?: { subnet?: string; gateway?: string }[] };
    networks.set(key, {
      key,
      name: typeof decl.name === 'string' ? decl.name : ext ? key : `${name}_${key}`,
      external: ext,
      driver: typeof decl.driver === 'string' ? decl.driver : undefined,
      internal: decl.internal === true,
      subnet: ipam.config?.[0]?.subnet,
      gateway: ipam.config?.[0]?.gateway,
    });
  }
  const services: Service[] = [];
  for (const [sname, s] of Object.entries(rawServices)) {
    if (typeof s.image !== 'string') {
      if (s.build !== undefined) throw new ComposeError(`service "${sname}" has a build section; the simulated Docker host cannot build images: use an image from \`docker images\``);
      throw new ComposeError(`service "${sname}" has neither an image nor a build context specified: invalid compose project`);
    }
    const ports: PortSpec[] = [];
    for (const p of (s.ports ?? []) as unknown[]) {
      if (typeof p === 'object' && p !== null) {
        const o = p as { target?: number; published?: string | number; host_ip?: string; protocol?: string };
        ports.push({ proto: o.protocol === 'udp' ? 'udp' : 'tcp', containerPort: Number(o.target), hostIp: o.host_ip ?? '', hostPort: Number(o.published ?? 0) });
        continue;
      }
      const r = parsePortSpec(String(p));
      if (typeof r === 'string') throw new ComposeError(`service "${sname}": ${r}`);
      ports.push(...r);
    }
    const nets: ServiceNet[] = [];
    const rawSn = s.networks;
    if (Array.isArray(rawSn)) for (const n of rawSn) nets.push({ name: String(n), aliases: [] });
    else if (rawSn && typeof rawSn === 'object') {
      for (const [n, v] of Object.entries(rawSn as Record<string, { aliases?: string[]; ipv4_address?: string } | null>)) nets.push({ name: n, aliases: v?.aliases ?? [], ip: v?.ipv4_address });
    }
    for (const n of nets) if (!networks.has(n.name) && n.name !== 'default') throw new ComposeError(`service "${sname}" refers to undefined network ${n.name}: invalid compose project`);
    const networkMode = typeof s.network_mode === 'string' ? s.network_mode : undefined;
    if (!nets.length && !networkMode) nets.push({ name: 'default', aliases: [] });
    const dependsOn = Array.isArray(s.depends_on) ? s.depends_on.map(String) : s.depends_on && typeof s.depends_on === 'object' ? Object.keys(s.depends_on) : [];
    const env = Array.isArray(s.environment) ? s.environment.map(String) : s.environment && typeof s.environment === 'object' ? Object.entries(s.environment as Record<string, unknown>).map(([k, v]) => `${k}=${v ?? ''}`) : [];
    services.push({
      name: sname,
      image: s.image,
      command: words(s.command),
      entrypoint: s.entrypoint !== undefined ? words(s.entrypoint) : undefined,
      ports,
      networks: nets,
      dependsOn,
      hostname: typeof s.hostname === 'string' ? s.hostname : undefined,
      containerName: typeof s.container_name === 'string' ? s.container_name : undefined,
      environment: env,
      networkMode,
      dns: words(s.dns),
      extraHosts: ((s.extra_hosts ?? []) as string[]).map((h) => {
        const i = String(h).search(/[:=]/);
        return { name: String(h).slice(0, i), ip: String(h).slice(i + 1) };
      }),
    });
  }
  if (services.some((s) => s.networks.some((n) => n.name === 'default')) && !networks.has('default')) {
    networks.set('default', { key: 'default', name: `${name}_default`, external: false, internal: false });
  }
  for (const s of services) for (const d of s.dependsOn) if (!rawServices[d]) throw new ComposeError(`service "${s.name}" depends on undefined service "${d}": invalid compose project`);
  return { name, services, networks, file: path! };
}

/** Services in start order: dependencies first, otherwise as written. */
function ordered(p: Project): Service[] {
  const out: Service[] = [];
  const seen = new Set<string>();
  const visit = (s: Service) => {
    if (seen.has(s.name)) return;
    seen.add(s.name);
    for (const d of s.dependsOn) visit(p.services.find((x) => x.name === d)!);
    out.push(s);
  };
  for (const s of p.services) visit(s);
  return out;
}

function containerName(p: Project, s: Service): string {
  return s.containerName ?? `${p.name}-${s.name}-1`;
}

function projectContainers(e: DockerEngine, p: Project): Container[] {
  return [...e.containers.values()].filter((c) => c.spec.labels?.['com.docker.compose.project'] === p.name);
}

function status(ctx: CommandContext, kind: 'Network' | 'Container', name: string, what: string): void {
  ctx.err(` ${kind} ${name}  ${what}\n`);
}

async function up(ctx: CommandContext, e: DockerEngine, p: Project, detach: boolean): Promise<number> {
  const nets = new Map<string, DockerNetwork>();
  for (const d of p.networks.values()) {
    const existing = e.findNetwork(d.name);
    if (d.external) {
      if (!existing) throw new ComposeError(`network ${d.name} declared as external, but could not be found`);
      nets.set(d.key, existing);
      continue;
    }
    if (existing) {
      nets.set(d.key, existing);
      continue;
    }
    status(ctx, 'Network', d.name, 'Creating');
    const n = e.createNetwork({ name: d.name, driver: d.driver, internal: d.internal, subnet: d.subnet, gateway: d.gateway, labels: { 'com.docker.compose.network': d.key, 'com.docker.compose.project': p.name, 'com.docker.compose.version': '2.40.3' } });
    nets.set(d.key, n);
    status(ctx, 'Network', d.name, 'Created');
  }
  const created: Container[] = [];
  for (const s of ordered(p)) {
    const name = containerName(p, s);
    let c = e.findContainer(name);
    if (c && c.name === name) {
      status(ctx, 'Container', name, 'Running');
      if (c.state === 'running') continue;
      created.push(c);
      continue;
    }
    status(ctx, 'Container', name, 'Creating');
    const first = s.networks[0];
    const firstNet = first ? nets.get(first.name)! : null;
    c = e.createContainer({
      name,
      image: s.image,
      cmd: s.command,
      entrypoint: s.entrypoint,
      network: s.networkMode ?? firstNet!.name,
      aliases: first ? [s.name, ...first.aliases] : [],
      ip: first?.ip,
      ports: s.ports,
      hostname: s.hostname,
      env: s.environment,
      dns: s.dns,
      addHosts: s.extraHosts,
      interactive: false,
      labels: {
        'com.docker.compose.config-hash': c ? '' : e.newId(),
        'com.docker.compose.container-number': '1',
        'com.docker.compose.oneoff': 'False',
        'com.docker.compose.project': p.name,
        'com.docker.compose.project.config_files': `${ctx.cwd.replace(/\/$/, '')}/${p.file}`,
        'com.docker.compose.project.working_dir': ctx.cwd,
        'com.docker.compose.service': s.name,
        'com.docker.compose.version': '2.40.3',
      },
    });
    for (const extra of s.networks.slice(1)) e.connect(c, nets.get(extra.name)!, { aliases: [s.name, ...extra.aliases], ip: extra.ip });
    status(ctx, 'Container', name, 'Created');
    created.push(c);
  }
  for (const c of created) {
    status(ctx, 'Container', c.name, 'Starting');
    e.startContainer(c);
    startMain(ctx, e, c);
    status(ctx, 'Container', c.name, 'Started');
  }
  if (!detach) {
    // attached: logs until Ctrl+C, which stops the project's containers
    await ctx.wait(() => false, Infinity);
    ctx.err('Gracefully stopping... (press Ctrl+C again to force)\n');
    for (const c of projectContainers(e, p).reverse()) {
      status(ctx, 'Container', c.name, 'Stopping');
      e.stopContainer(c, 0);
      status(ctx, 'Container', c.name, 'Stopped');
    }
    return 130;
  }
  return 0;
}

/** Start the container's command as its main process (a server, `sleep infinity`, a one-shot). */
function startMain(ctx: CommandContext, e: DockerEngine, c: Container): void {
  const cmd = c.spec.cmd.length ? c.spec.cmd : [];
  if (!cmd.length) return;
  const name = cmd[0].slice(cmd[0].lastIndexOf('/') + 1);
  if (name === 'sleep' || (name === 'tail' && cmd.includes('-f'))) return;
  if (['sh', 'ash', 'bash'].includes(name) && cmd.length === 1) {
    e.exited(c, 0);
    return;
  }
  const proc = ctx.detach(cmd, containerPlace(e, c), { out: (t) => (c.logs += t), err: (t) => (c.logs += t) }, containerEnv(c));
  const started = c.startedAt;
  void proc.exited.then((code) => {
    if (c.state === 'running' && c.startedAt === started) e.exited(c, code);
  });
}

function down(ctx: CommandContext, e: DockerEngine, p: Project): number {
  const cs = projectContainers(e, p);
  const order = ordered(p).reverse();
  const sorted = [...cs].sort((a, b) => order.findIndex((s) => containerName(p, s) === a.name) - order.findIndex((s) => containerName(p, s) === b.name));
  for (const c of sorted) {
    if (c.state === 'running') {
      status(ctx, 'Container', c.name, 'Stopping');
      e.stopContainer(c, 0);
      status(ctx, 'Container', c.name, 'Stopped');
    }
    status(ctx, 'Container', c.name, 'Removing');
    e.removeContainer(c, true);
    status(ctx, 'Container', c.name, 'Removed');
  }
  for (const d of p.networks.values()) {
    if (d.external) continue;
    const n = e.findNetwork(d.name);
    if (!n) continue;
    status(ctx, 'Network', d.name, 'Removing');
    try {
      e.removeNetwork(n.id);
      status(ctx, 'Network', d.name, 'Removed');
    } catch (err) {
      if (!(err instanceof DockerError)) throw err;
      ctx.err(`failed to remove network ${d.name}: Error response from daemon: ${err.message}\n`);
    }
  }
  return 0;
}

function ps(ctx: CommandContext, e: DockerEngine, p: Project, allFlag: boolean, quiet: boolean): number {
  const cs = projectContainers(e, p).filter((c) => allFlag || c.state === 'running');
  cs.sort((a, b) => (a.name < b.name ? -1 : 1));
  if (quiet) {
    ctx.out(cs.map((c) => `${c.id}\n`).join(''));
    return 0;
  }
  const rows = cs.map((c) => {
    const argv = [...(c.spec.entrypoint ?? c.image.info.entrypoint), ...(c.spec.cmd.length ? c.spec.cmd : c.image.info.cmd)].join(' ');
    const cmd = `"${argv.length > 20 ? `${argv.slice(0, 19)}…` : argv}"`;
    const up = c.state === 'running' ? `Up ${Math.max(1, Math.floor(e.uptime(c) / 1_000_000))} seconds` : `Exited (${c.exitCode})`;
    const ports = c.bindings.map((b) => `${b.hostIp}:${b.hostPort}->${b.spec.containerPort}/${b.spec.proto}`).join(', ');
    return [c.name, c.spec.image, cmd, c.spec.labels?.['com.docker.compose.service'] ?? '', `${Math.max(1, Math.floor((e.now - c.created) / 1_000_000))} seconds ago`, up, ports];
  });
  ctx.out(tabwrite([['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'], ...rows]));
  return 0;
}

export async function composeCommand(ctx: CommandContext, e: DockerEngine, argv: readonly string[]): Promise<number> {
  let file: string | undefined;
  let project: string | undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-f' || a === '--file') file = argv[++i];
    else if (a.startsWith('--file=')) file = a.slice(7);
    else if (a === '-p' || a === '--project-name') project = argv[++i];
    else if (a.startsWith('--project-name=')) project = a.slice(15);
    else break;
  }
  const sub = argv[i];
  const rest = argv.slice(i + 1);
  if (sub === undefined || sub === '--help') {
    ctx.out('\nUsage:  docker compose [OPTIONS] COMMAND\n\nDefine and run multi-container applications with Docker\n\nCommands:\n  config      Parse, resolve and render compose file in canonical format\n  down        Stop and remove containers, networks\n  exec        Execute a command in a running container\n  ps          List containers\n  up          Create and start containers\n\nRun \'docker compose COMMAND --help\' for more information on a command.\n');
    return 0;
  }
  if (sub === 'version') {
    ctx.out('Docker Compose version v2.40.3\n');
    return 0;
  }
  let p: Project;
  try {
    p = load(ctx, file, project);
  } catch (err) {
    if (err instanceof ComposeError) {
      ctx.err(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  try {
    switch (sub) {
      case 'up':
        return await up(ctx, e, p, rest.includes('-d') || rest.includes('--detach'));
      case 'down':
        return down(ctx, e, p);
      case 'ps':
        return ps(ctx, e, p, rest.includes('-a') || rest.includes('--all'), rest.includes('-q') || rest.includes('--quiet'));
      case 'config':
        ctx.out(ctx.readFile(p.file).ok ? (ctx.readFile(p.file) as { data: string }).data : '');
        return 0;
      case 'exec': {
        const args = [...rest];
        while (args.length && args[0].startsWith('-')) {
          const f = args.shift()!;
          if (f === '-e' || f === '--env' || f === '-w' || f === '--workdir' || f === '-u' || f === '--user') args.shift();
        }
        const [svc, ...cmd] = args;
        const s = p.services.find((x) => x.name === svc);
        if (!s) {
          ctx.err(`service "${svc}" is not running\n`);
          return 1;
        }
        const c = e.findContainer(containerName(p, s));
        if (!c || c.state !== 'running') {
          ctx.err(`service "${svc}" is not running\n`);
          return 1;
        }
        if (!cmd.length) {
          ctx.err('"docker compose exec" requires at least 2 arguments\n');
          return 1;
        }
        const place = containerPlace(e, c);
        const base = cmd[0].slice(cmd[0].lastIndexOf('/') + 1);
        if (['sh', 'ash', 'bash'].includes(base) && cmd[1] === '-c') return ctx.shell(cmd.slice(2).join(' '), place, containerEnv(c));
        if (['sh', 'ash', 'bash'].includes(base) && cmd.length === 1) return ctx.enterShell(place, `docker:${c.id}`);
        return ctx.exec(cmd, place, containerEnv(c));
      }
      default:
        ctx.err(`unknown docker command: "compose ${sub}"\n`);
        return 1;
    }
  } catch (err) {
    if (err instanceof ComposeError) {
      ctx.err(`${err.message}\n`);
      return 1;
    }
    if (err instanceof DockerError) {
      ctx.err(`Error response from daemon: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
