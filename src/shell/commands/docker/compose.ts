/**
 * `docker compose` (Compose v2.40): up, down, ps, ls, exec, config, from a compose file in the
 * simulated filesystem. Compose's naming is kept: project = `-p`, else COMPOSE_PROJECT_NAME, else
 * the file's top-level `name:`, else the name of the directory holding the compose file; networks
 * `<project>_<name>` (and `<project>_default`), containers `<project>-<service>-<n>`, each
 * container reachable on its networks by its service name (a network alias) and its name. `up`
 * recreates a container whose configuration changed (a hash of the service, as the
 * com.docker.compose.config-hash label) or that is missing from one of its networks.
 */
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { CommandContext } from '../../context.ts';
import { DockerError, type Container, type DockerEngine, type DockerNetwork, type PortSpec } from '../../../sim/docker/engine.ts';
import { parsePortSpec, containerPlace, containerEnv, runMainProcess, killMainProcess, portSummariesOf } from './docker.ts';
import { containerStatus, displayablePorts, runningFor } from './format/index.ts';
import { unixUs } from './inspect.ts';
import { hashString } from '../../../sim/engine/rng.ts';
import { wallClock } from '../../../sim/engine/clock.ts';
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
  /** the compose file, an absolute path */
  readonly file: string;
  /** the project directory: the compose file's */
  readonly dir: string;
  /** warnings compose-go prints while loading */
  readonly warnings: string[];
  /** the file as parsed, for `config` */
  readonly doc: Record<string, unknown>;
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

/** compose-go's NormalizeProjectName: lower case, only [a-z0-9_-]. */
function projectName(dir: string): string {
  const base = dir.split('/').filter(Boolean).pop() ?? '';
  return base.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

function absolute(cwd: string, path: string): string {
  const parts: string[] = [];
  for (const p of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (!p || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function load(ctx: CommandContext, file: string | undefined, projectFlag: string | undefined): Project {
  let path: string | undefined;
  let text: string | null = null;
  if (file) {
    path = absolute(ctx.cwd, file);
    const r = ctx.readFile(path);
    if (!r.ok) throw new ComposeError(`open ${path}: no such file or directory`);
    text = r.data;
  } else {
    for (const f of FILES) {
      const r = ctx.readFile(f);
      if (r.ok) {
        path = absolute(ctx.cwd, f);
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
  const dir = dirOf(path!);
  const fromEnv = ctx.env.get('COMPOSE_PROJECT_NAME');
  const name = projectFlag ?? (fromEnv || undefined) ?? (typeof doc.name === 'string' ? doc.name : projectName(dir));
  if (!name) throw new ComposeError('project name must not be empty');
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) throw new ComposeError(`invalid project name "${name}": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`);
  const warnings: string[] = [];
  const rawServices = (doc.services ?? {}) as Record<string, Record<string, unknown>>;
  if (!Object.keys(rawServices).length) throw new ComposeError('no service selected');
  const networks = new Map<string, NetDecl>();
  const rawNets = (doc.networks ?? {}) as Record<string, Record<string, unknown> | null>;
  for (const [key, v] of Object.entries(rawNets)) {
    const decl = v ?? {};
    const ext = decl.external === true || (typeof decl.external === 'object' && decl.external !== null);
    // the legacy form `external: {name: x}`
    const extName = typeof decl.external === 'object' && decl.external !== null && typeof (decl.external as { name?: unknown }).name === 'string' ? (decl.external as { name: string }).name : undefined;
    if (extName !== undefined) warnings.push(`networks.${key}: external.name is deprecated. Please set name and external: true`);
    const ipam = (decl.ipam ?? {}) as { config?: { subnet?: string; gateway?: string }[] };
    networks.set(key, {
      key,
      name: typeof decl.name === 'string' ? decl.name : extName ?? (ext ? key : `${name}_${key}`),
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
  return { name, services, networks, file: path!, dir, warnings, doc };
}

/**
 * The service's configuration hash (ServiceHash: a SHA-256 of the service as JSON, without
 * depends_on): what the com.docker.compose.config-hash label holds. Here a stable 64-hex digest
 * of the same fields; the networks enter by their keys and aliases, not the names they resolve to.
 */
function serviceHash(s: Service): string {
  const { dependsOn, ...rest } = s;
  void dependsOn;
  return digest64(JSON.stringify(rest));
}

/** A stable 64-hex digest of a text (standing in for compose's SHA-256 of the JSON). */
function digest64(text: string): string {
  let h = hashString(text);
  let out = '';
  for (let i = 0; out.length < 64; i++) {
    h = hashString(`${h}:${i}:${text}`);
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

/** The yaml keys of compose-go's ServiceConfig, in the struct's order (how `config` prints them). */
const SERVICE_KEYS = ['profiles', 'annotations', 'attach', 'build', 'develop', 'blkio_config', 'cap_add', 'cap_drop', 'cgroup_parent', 'cgroup', 'cpu_count', 'cpu_percent', 'cpu_period', 'cpu_quota', 'cpu_rt_period', 'cpu_rt_runtime', 'cpus', 'cpuset', 'cpu_shares', 'command', 'configs', 'container_name', 'credential_spec', 'depends_on', 'deploy', 'device_cgroup_rules', 'devices', 'dns', 'dns_opt', 'dns_search', 'dockerfile', 'domainname', 'entrypoint', 'provider', 'environment', 'env_file', 'expose', 'extends', 'external_links', 'extra_hosts', 'group_add', 'gpus', 'hostname', 'healthcheck', 'image', 'init', 'ipc', 'isolation', 'labels', 'label_file', 'links', 'logging', 'log_driver', 'log_opt', 'mem_limit', 'mem_reservation', 'memswap_limit', 'mem_swappiness', 'mac_address', 'models', 'net', 'network_mode', 'networks', 'oom_kill_disable', 'oom_score_adj', 'pid', 'pids_limit', 'platform', 'ports', 'privileged', 'pull_policy', 'read_only', 'restart', 'runtime', 'scale', 'secrets', 'security_opt', 'shm_size', 'stdin_open', 'stop_grace_period', 'stop_signal', 'storage_opt', 'sysctls', 'tmpfs', 'tty', 'ulimits', 'use_api_socket', 'user', 'userns_mode', 'uts', 'volume_driver', 'volumes', 'volumes_from', 'working_dir', 'post_start', 'pre_stop'];

const sortedKeys = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

/**
 * `docker compose config`: the project as compose-go normalises it and go-yaml v3 prints it
 * (indent 2): the name first, services and networks sorted, a service's keys in ServiceConfig's
 * order, commands as lists, environment as a mapping, ports in the long form, every network the
 * services use with its resolved name. Keys the simulator does not model are passed through.
 */
function canonical(p: Project): string {
  const rawServices = (p.doc.services ?? {}) as Record<string, Record<string, unknown>>;
  const services: Record<string, Record<string, unknown>> = {};
  for (const s of [...p.services].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const raw = rawServices[s.name] ?? {};
    const v: Record<string, unknown> = { ...raw };
    if (s.command.length) v.command = s.command;
    if (s.entrypoint !== undefined) v.entrypoint = s.entrypoint;
    if (s.dependsOn.length) v.depends_on = Object.fromEntries([...s.dependsOn].sort().map((d) => [d, { condition: 'service_started', required: true }]));
    if (s.environment.length) {
      v.environment = sortedKeys(
        Object.fromEntries(
          s.environment.map((kv) => {
            const i = kv.indexOf('=');
            return i < 0 ? [kv, null] : [kv.slice(0, i), kv.slice(i + 1)];
          }),
        ),
      );
    }
    if (s.extraHosts.length) v.extra_hosts = s.extraHosts.map((h) => `${h.name}=${h.ip}`).sort();
    if (s.dns.length) v.dns = s.dns;
    if (!s.networkMode) {
      v.networks = sortedKeys(
        Object.fromEntries(
          s.networks.map((n) => {
            const cfg: Record<string, unknown> = {};
            if (n.aliases.length) cfg.aliases = n.aliases;
            if (n.ip) cfg.ipv4_address = n.ip;
            return [n.name, Object.keys(cfg).length ? cfg : null];
          }),
        ),
      );
    }
    if (s.ports.length) {
      v.ports = s.ports.map((pt) => ({ mode: 'ingress', ...(pt.hostIp ? { host_ip: pt.hostIp } : {}), target: pt.containerPort, ...(pt.hostPort ? { published: String(pt.hostPort) } : {}), protocol: pt.proto }));
    }
    const ordered: Record<string, unknown> = {};
    for (const k of SERVICE_KEYS) if (v[k] !== undefined) ordered[k] = v[k];
    for (const k of Object.keys(v)) if (!(k in ordered)) ordered[k] = v[k];
    services[s.name] = ordered;
  }
  const used = new Set(p.services.flatMap((s) => (s.networkMode ? [] : s.networks.map((n) => n.name))));
  const networks: Record<string, Record<string, unknown>> = {};
  for (const d of [...p.networks.values()].filter((n) => used.has(n.key)).sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const n: Record<string, unknown> = { name: d.name };
    if (d.driver) n.driver = d.driver;
    if (d.subnet) n.ipam = { config: [{ subnet: d.subnet, ...(d.gateway ? { gateway: d.gateway } : {}) }] };
    if (d.external) n.external = true;
    if (d.internal) n.internal = true;
    networks[d.key] = n;
  }
  const out: Record<string, unknown> = { name: p.name, services };
  if (Object.keys(networks).length) out.networks = networks;
  return toYaml(out, { indent: 2, indentSeq: true, lineWidth: 0, nullStr: 'null' });
}

/** Service names in start order from the containers' labels (com.docker.compose.depends_on). */
function orderedFromLabels(cs: Container[]): string[] {
  const deps = new Map<string, string[]>();
  for (const c of cs) {
    const name = c.spec.labels?.['com.docker.compose.service'];
    if (name === undefined) continue;
    const label = c.spec.labels?.['com.docker.compose.depends_on'] ?? '';
    deps.set(name, label ? label.split(',').map((d) => d.split(':')[0]) : []);
  }
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n) || !deps.has(n)) return;
    seen.add(n);
    for (const d of deps.get(n)!) visit(d);
    out.push(n);
  };
  for (const n of deps.keys()) visit(n);
  return out;
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

function projectContainers(e: DockerEngine, project: string): Container[] {
  return [...e.containers.values()].filter((c) => c.spec.labels?.['com.docker.compose.project'] === project);
}

function status(ctx: CommandContext, kind: 'Network' | 'Container', name: string, what: string): void {
  ctx.err(` ${kind} ${name}  ${what}\n`);
}

/** A logrus warning as compose prints it when stderr is not a terminal. */
function warn(ctx: CommandContext, e: DockerEngine, msg: string): void {
  const c = wallClock(e.now);
  const two = (n: number) => String(n).padStart(2, '0');
  ctx.err(`time="${c.y}-${two(c.mo)}-${two(c.d)}T${two(c.h)}:${two(c.mi)}:${two(c.s)}Z" level=warning msg=${JSON.stringify(msg)}\n`);
}

const LABEL_PROJECT = 'com.docker.compose.project';
const LABEL_NETWORK = 'com.docker.compose.network';

/** resolveOrCreateNetwork: an existing network is reused after compose's label checks. */
function ensureNetwork(ctx: CommandContext, e: DockerEngine, p: Project, d: NetDecl): DockerNetwork {
  const existing = e.findNetwork(d.name);
  if (d.external) {
    if (!existing || (existing.name !== d.name && existing.id !== d.name)) throw new ComposeError(`network ${d.name} declared as external, but could not be found`);
    return existing;
  }
  if (existing && (existing.name === d.name || existing.id === d.name)) {
    const proj = existing.labels[LABEL_PROJECT];
    if (proj === undefined) warn(ctx, e, `a network with name ${d.name} exists but was not created by compose.\nSet \`external: true\` to use an existing network`);
    else if (proj !== p.name) warn(ctx, e, `a network with name ${d.name} exists but was not created for project "${p.name}".\nSet \`external: true\` to use an existing network`);
    const key = existing.labels[LABEL_NETWORK] ?? '';
    if (key !== d.key) throw new ComposeError(`network ${d.name} was found but has incorrect label ${LABEL_NETWORK} set to "${key}" (expected: "${d.key}")`);
    return existing;
  }
  status(ctx, 'Network', d.name, 'Creating');
  const n = e.createNetwork({ name: d.name, driver: d.driver, internal: d.internal, subnet: d.subnet, gateway: d.gateway, labels: { 'com.docker.compose.config-hash': digest64(JSON.stringify(d)), [LABEL_NETWORK]: d.key, [LABEL_PROJECT]: p.name, 'com.docker.compose.version': '2.40.3' } });
  status(ctx, 'Network', d.name, 'Created');
  return n;
}

function createFor(ctx: CommandContext, e: DockerEngine, p: Project, s: Service, nets: Map<string, DockerNetwork>): Container {
  const name = containerName(p, s);
  const first = s.networks[0];
  const firstNet = first ? nets.get(first.name)! : null;
  const c = e.createContainer({
    name,
    image: s.image,
    cmd: s.command,
    entrypoint: s.entrypoint,
    network: s.networkMode ?? firstNet!.name,
    // compose's getAliases: the container's name, then the service's, then the network's aliases
    aliases: first ? [name, s.name, ...first.aliases] : [],
    ip: first?.ip,
    ports: s.ports,
    hostname: s.hostname,
    env: s.environment,
    dns: s.dns,
    addHosts: s.extraHosts,
    interactive: false,
    labels: {
      'com.docker.compose.config-hash': serviceHash(s),
      'com.docker.compose.container-number': '1',
      // prepareLabels: "service:condition:restart" per dependency, how a project read from its
      // containers (down -p without the file) knows the order to stop them in
      'com.docker.compose.depends_on': [...s.dependsOn].sort().map((d) => `${d}:service_started:false`).join(','),
      'com.docker.compose.oneoff': 'False',
      [LABEL_PROJECT]: p.name,
      'com.docker.compose.project.config_files': p.file,
      'com.docker.compose.project.working_dir': p.dir,
      'com.docker.compose.service': s.name,
      'com.docker.compose.version': '2.40.3',
    },
  });
  for (const extra of s.networks.slice(1)) e.connect(c, nets.get(extra.name)!, { aliases: [name, s.name, ...extra.aliases], ip: extra.ip });
  return c;
}

/** mustRecreate: the configuration changed, or a running container lacks one of its networks. */
function mustRecreate(c: Container, s: Service, nets: Map<string, DockerNetwork>): boolean {
  if (c.spec.labels?.['com.docker.compose.config-hash'] !== serviceHash(s)) return true;
  if (c.state !== 'running' || s.networkMode) return false;
  return s.networks.some((n) => !c.endpoints.has(nets.get(n.name)!.id));
}

function removeOne(ctx: CommandContext, e: DockerEngine, c: Container): void {
  killMainProcess(c);
  e.removeContainer(c, true);
}

async function up(ctx: CommandContext, e: DockerEngine, p: Project, detach: boolean): Promise<number> {
  const nets = new Map<string, DockerNetwork>();
  for (const d of p.networks.values()) nets.set(d.key, ensureNetwork(ctx, e, p, d));
  const toStart: Container[] = [];
  for (const s of ordered(p)) {
    const name = containerName(p, s);
    const existing = e.findContainer(name);
    const c = existing && existing.name === name ? existing : null;
    if (c && mustRecreate(c, s, nets)) {
      status(ctx, 'Container', name, 'Recreate');
      removeOne(ctx, e, c);
      toStart.push(createFor(ctx, e, p, s, nets));
      status(ctx, 'Container', name, 'Recreated');
      continue;
    }
    if (c) {
      if (c.state === 'running') status(ctx, 'Container', name, 'Running');
      else toStart.push(c);
      continue;
    }
    status(ctx, 'Container', name, 'Creating');
    toStart.push(createFor(ctx, e, p, s, nets));
    status(ctx, 'Container', name, 'Created');
  }
  for (const c of toStart) {
    status(ctx, 'Container', c.name, 'Starting');
    e.startContainer(c);
    runMainProcess(ctx, e, c);
    status(ctx, 'Container', c.name, 'Started');
  }
  if (!detach) {
    // attached: logs until Ctrl+C, which stops the project's containers
    await ctx.wait(() => false, Infinity);
    ctx.err('Gracefully stopping... (press Ctrl+C again to force)\n');
    for (const c of projectContainers(e, p.name).reverse()) {
      status(ctx, 'Container', c.name, 'Stopping');
      killMainProcess(c);
      e.stopContainer(c, 0);
      status(ctx, 'Container', c.name, 'Stopped');
    }
    return 130;
  }
  return 0;
}

/**
 * down: the project's containers (found by label), then the networks compose created for it;
 * a network something else is still attached to stays ("Resource is still in use").
 */
function down(ctx: CommandContext, e: DockerEngine, projectName: string, p: Project | null): number {
  const cs = projectContainers(e, projectName);
  // reverse dependency order: dependants stop first, from the file or else from the containers' labels
  const order = (p ? ordered(p).map((s) => s.name) : orderedFromLabels(cs)).reverse();
  const rank = (c: Container) => {
    const i = order.findIndex((s) => s === c.spec.labels?.['com.docker.compose.service']);
    return i < 0 ? order.length : i;
  };
  const sorted = [...cs].sort((a, b) => rank(a) - rank(b));
  for (const c of sorted) {
    if (c.state === 'running') {
      status(ctx, 'Container', c.name, 'Stopping');
      killMainProcess(c);
      e.stopContainer(c, 0);
      status(ctx, 'Container', c.name, 'Stopped');
    }
    status(ctx, 'Container', c.name, 'Removing');
    removeOne(ctx, e, c);
    status(ctx, 'Container', c.name, 'Removed');
  }
  const names = p ? [...p.networks.values()].filter((d) => !d.external).map((d) => d.name) : [...e.networks.values()].filter((n) => n.labels[LABEL_PROJECT] === projectName).map((n) => n.name).sort();
  for (const name of names) {
    const n = e.findNetwork(name);
    if (!n || n.name !== name || n.labels[LABEL_PROJECT] !== projectName) continue;
    if (n.endpoints.size) {
      status(ctx, 'Network', name, 'Resource is still in use');
      continue;
    }
    status(ctx, 'Network', name, 'Removing');
    e.removeNetwork(n.id);
    status(ctx, 'Network', name, 'Removed');
  }
  return 0;
}

/** `docker compose ls`: the projects that have containers, from their labels. */
function ls(ctx: CommandContext, e: DockerEngine, all: boolean, quiet: boolean): number {
  const by = new Map<string, Container[]>();
  for (const c of e.containers.values()) {
    const proj = c.spec.labels?.[LABEL_PROJECT];
    if (proj === undefined || !c.spec.labels?.['com.docker.compose.config-hash']) continue;
    if (!all && c.state !== 'running') continue;
    by.set(proj, [...(by.get(proj) ?? []), c]);
  }
  const names = [...by.keys()].sort();
  if (quiet) {
    ctx.out(names.map((n) => `${n}\n`).join(''));
    return 0;
  }
  const rows = names.map((n) => {
    const cs = by.get(n)!;
    const counts = new Map<string, number>();
    for (const c of cs) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
    const state = [...counts.keys()].sort().map((k) => `${k}(${counts.get(k)})`).join(', ');
    const files: string[] = [];
    for (const c of cs) for (const f of (c.spec.labels?.['com.docker.compose.project.config_files'] ?? '').split(',')) if (!files.includes(f)) files.push(f);
    return [n, state, files.join(',')];
  });
  // compose's formatter: tabwriter with a minimum cell width of 20 and padding 3
  ctx.out(tabwrite([['NAME', 'STATUS', 'CONFIG FILES'], ...rows], { minWidth: 20, padding: 3 }));
  return 0;
}

function ps(ctx: CommandContext, e: DockerEngine, project: string, allFlag: boolean, quiet: boolean): number {
  const cs = projectContainers(e, project).filter((c) => allFlag || c.state === 'running');
  cs.sort((a, b) => (a.name < b.name ? -1 : 1));
  if (quiet) {
    ctx.out(cs.map((c) => `${c.id}\n`).join(''));
    return 0;
  }
  const rows = cs.map((c) => {
    const argv = [...(c.spec.entrypoint ?? c.image.info.entrypoint), ...(c.spec.cmd.length ? c.spec.cmd : c.image.info.cmd)].join(' ');
    const cmd = `"${argv.length > 20 ? `${argv.slice(0, 19)}…` : argv}"`;
    // the API's Status and the Created seconds, through go-units' HumanDuration as docker ps shows them
    const up = containerStatus({ running: c.state === 'running', exitCode: c.exitCode, startedAtUs: c.startedAt !== null ? unixUs(c.startedAt) : undefined, finishedAtUs: c.finishedAt !== null ? unixUs(c.finishedAt) : undefined }, unixUs(e.now));
    // the Publishers of the container summary: published and exposed ports, as docker ps shows them
    const ports = displayablePorts(portSummariesOf(c));
    return [c.name, c.spec.image, cmd, c.spec.labels?.['com.docker.compose.service'] ?? '', runningFor(unixUs(c.created), unixUs(e.now)), up, ports];
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
    ctx.out('\nUsage:  docker compose [OPTIONS] COMMAND\n\nDefine and run multi-container applications with Docker\n\nCommands:\n  config      Parse, resolve and render compose file in canonical format\n  down        Stop and remove containers, networks\n  exec        Execute a command in a running container\n  ls          List running compose projects\n  ps          List containers\n  up          Create and start containers\n\nRun \'docker compose COMMAND --help\' for more information on a command.\n');
    return 0;
  }
  if (sub === 'version') {
    ctx.out('Docker Compose version v2.40.3\n');
    return 0;
  }
  if (sub === 'ls') return ls(ctx, e, rest.includes('-a') || rest.includes('--all'), rest.includes('-q') || rest.includes('--quiet'));
  let p: Project;
  try {
    p = load(ctx, file, project);
  } catch (err) {
    if (err instanceof ComposeError) {
      // with -p, down and ps work from the containers' labels alone
      if (project !== undefined && file === undefined && (sub === 'down' || sub === 'ps') && err.message.startsWith('no configuration file provided')) {
        return sub === 'down' ? down(ctx, e, project, null) : ps(ctx, e, project, rest.includes('-a') || rest.includes('--all'), rest.includes('-q') || rest.includes('--quiet'));
      }
      ctx.err(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  for (const w of p.warnings) warn(ctx, e, w);
  try {
    switch (sub) {
      case 'up':
        return await up(ctx, e, p, rest.includes('-d') || rest.includes('--detach'));
      case 'down':
        return down(ctx, e, p.name, p);
      case 'ps':
        return ps(ctx, e, p.name, rest.includes('-a') || rest.includes('--all'), rest.includes('-q') || rest.includes('--quiet'));
      case 'config':
        if (rest.includes('-q') || rest.includes('--quiet')) return 0;
        ctx.out(canonical(p));
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
