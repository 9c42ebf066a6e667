/**
 * `docker swarm`, `docker node` and `docker service`: swarm mode on the hosts of a scenario.
 * Joining really connects to the manager's port 2377 over the simulated network, so a firewall
 * or a missing route breaks it the way it breaks a real join.
 */
import type { CommandContext } from '../../context.ts';
import { SECOND } from '../../../sim/engine/scheduler.ts';
import { TcpConn } from '../../../sim/transport/tcp.ts';
import { formatIpv4, parseIpv4 } from '../../../sim/wire/addr.ts';
import { DockerError, type DockerEngine } from '../../../sim/docker/engine.ts';
import { candidateAddrs, createService, findSwarm, removeService, scaleService, swarmInit, swarmJoin, swarmLeave, type ServiceSpec, type SwarmService } from '../../../sim/docker/swarm.ts';
import { findImage } from '../../../sim/docker/images.ts';
import { all, bool, flag, FlagError, parseFlags, type FlagSpec, type Parsed } from './args.ts';
import { execTemplate, tabwrite } from './template.ts';

function p(ctx: CommandContext, path: string, argv: readonly string[], specs: FlagSpec[], interspersed = true): Parsed | number {
  try {
    return parseFlags(argv, specs, { interspersed });
  } catch (e) {
    if (e instanceof FlagError) {
      ctx.err(`${e.message}\nSee 'docker ${path} --help'.\n`);
      return 125;
    }
    throw e;
  }
}

function fail(ctx: CommandContext, msg: string): number {
  ctx.err(`Error response from daemon: ${msg}\n`);
  return 1;
}

const NOT_MANAGER = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
const WORKER = "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.";

function managerOnly(ctx: CommandContext, e: DockerEngine): boolean {
  if (!e.swarm) {
    fail(ctx, NOT_MANAGER);
    return false;
  }
  if (e.swarmNode?.role !== 'manager') {
    fail(ctx, WORKER);
    return false;
  }
  return true;
}

function joinText(e: DockerEngine, role: 'worker' | 'manager'): string {
  const s = e.swarm!;
  const mgr = s.manager();
  return `    docker swarm join --token ${role === 'worker' ? s.workerToken : s.managerToken} ${formatIpv4(mgr.addr)}:2377\n`;
}

export async function swarmCommand(ctx: CommandContext, e: DockerEngine, argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'init') {
    const q = p(ctx, 'swarm init', rest, [{ long: 'advertise-addr', value: true }, { long: 'listen-addr', value: true }, { long: 'default-addr-pool', value: true, repeat: true }, { long: 'force-new-cluster' }]);
    if (typeof q === 'number') return q;
    if (e.swarm) return fail(ctx, 'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.');
    let addr: number | null = null;
    const adv = flag(q, 'advertise-addr');
    const cands = candidateAddrs(e);
    if (adv !== undefined) {
      const byIf = cands.find((c) => c.dev === adv);
      addr = byIf ? byIf.addr : parseIpv4(adv.replace(/:\d+$/, ''));
      if (addr === null) return fail(ctx, `advertise address must be a non-zero IP address or network interface (with optional port number)`);
    } else if (cands.length === 1) addr = cands[0].addr;
    else if (!cands.length) return fail(ctx, 'could not choose an IP address to advertise since this system has no IP addresses');
    else return fail(ctx, `could not choose an IP address to advertise since this system has multiple addresses on different interfaces (${cands.map((c) => `${formatIpv4(c.addr)} on ${c.dev}`).join(' and ')})`);
    const s = swarmInit(e, addr);
    ctx.out(`Swarm initialized: current node (${s.nodes[0].id}) is now a manager.\n\nTo add a worker to this swarm, run the following command:\n\n${joinText(e, 'worker')}\nTo add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.\n\n`);
    return 0;
  }
  if (sub === 'join') {
    const q = p(ctx, 'swarm join', rest, [{ long: 'token', value: true }, { long: 'advertise-addr', value: true }, { long: 'listen-addr', value: true }]);
    if (typeof q === 'number') return q;
    if (q.args.length !== 1) {
      ctx.err(`"docker swarm join" requires exactly 1 argument.\nSee 'docker swarm join --help'.\n\nUsage:  docker swarm join [OPTIONS] HOST:PORT\n\nJoin a swarm as a node and/or manager\n`);
      return 1;
    }
    if (e.swarm) return fail(ctx, 'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.');
    const [hostPart, portPart] = q.args[0].split(':');
    const mgr = parseIpv4(hostPart);
    const port = Number(portPart ?? 2377);
    if (mgr === null) return fail(ctx, `invalid join address ${q.args[0]}`);
    // dial the manager as dockerd would
    const c = TcpConn.connect(e.ns, mgr, port, { owner: 'dockerd', pid: 1 });
    let state: string = 'error' in c ? c.error : 'pending';
    if (!('error' in c)) {
      c.handlers = { onConnect: () => (state = 'up'), onError: (x) => (state = x) };
      await ctx.wait(() => state !== 'pending', ctx.world.now + 20 * SECOND);
      if (state === 'up') c.close();
      else c.destroy();
    }
    if (state !== 'up') {
      const why = state === 'ECONNREFUSED' ? 'connect: connection refused' : state === 'pending' || state === 'ETIMEDOUT' ? 'i/o timeout' : state === 'EHOSTUNREACH' ? 'connect: no route to host' : 'connect: network is unreachable';
      if (state === 'pending' || state === 'ETIMEDOUT') return fail(ctx, 'Timeout was reached before node joined. The attempt to join the swarm will continue in the background. Use the "docker info" command to see the current swarm status of your node.');
      return fail(ctx, `rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp ${q.args[0].includes(':') ? q.args[0] : `${q.args[0]}:2377`}: ${why}"`);
    }
    const s = findSwarm(ctx.world, mgr, port);
    if (!s) return fail(ctx, 'rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: EOF"');
    const adv = flag(q, 'advertise-addr');
    const cands = candidateAddrs(e);
    const addr = adv !== undefined ? (cands.find((x) => x.dev === adv)?.addr ?? parseIpv4(adv)) : (cands.find((x) => ((x.addr ^ mgr) >>> 8) === 0)?.addr ?? cands[0]?.addr ?? null);
    if (addr === null) return fail(ctx, 'could not find the local IP address');
    try {
      const node = swarmJoin(e, s, flag(q, 'token') ?? '', addr);
      ctx.out(node.role === 'worker' ? 'This node joined a swarm as a worker.\n' : 'This node joined a swarm as a manager.\n');
      return 0;
    } catch (err) {
      if (err instanceof DockerError) return fail(ctx, err.message);
      throw err;
    }
  }
  if (sub === 'leave') {
    try {
      swarmLeave(e, rest.includes('--force') || rest.includes('-f'));
      ctx.out('Node left the swarm.\n');
      return 0;
    } catch (err) {
      if (err instanceof DockerError) return fail(ctx, err.message);
      throw err;
    }
  }
  if (sub === 'join-token') {
    if (!managerOnly(ctx, e)) return 1;
    const role = rest.find((x) => !x.startsWith('-'));
    if (role !== 'worker' && role !== 'manager') {
      ctx.err(`Error: unknown role ${role ?? ''}\n`);
      return 1;
    }
    if (rest.includes('-q') || rest.includes('--quiet')) {
      ctx.out(`${role === 'worker' ? e.swarm!.workerToken : e.swarm!.managerToken}\n`);
      return 0;
    }
    ctx.out(`To add a ${role} to this swarm, run the following command:\n\n${joinText(e, role)}\n`);
    return 0;
  }
  ctx.err(`docker: unknown command: docker swarm ${sub ?? ''}\n\nRun 'docker swarm --help' for more information\n`);
  return 1;
}

export function nodeCommand(ctx: CommandContext, e: DockerEngine, argv: readonly string[]): number {
  const [sub] = argv;
  if (sub !== 'ls' && sub !== 'list') {
    ctx.err(`docker: unknown command: docker node ${sub ?? ''}\n\nRun 'docker node --help' for more information\n`);
    return 1;
  }
  if (!managerOnly(ctx, e)) return 1;
  const s = e.swarm!;
  const rows = s.nodes.map((n, i) => [`${n.id}${n.engine === e ? ' *' : ''}`, n.engine.host.hostname, 'Ready', 'Active', n.role === 'manager' ? (i === 0 ? 'Leader' : 'Reachable') : '', n.engine.version]);
  ctx.out(tabwrite([['ID', 'HOSTNAME', 'STATUS', 'AVAILABILITY', 'MANAGER STATUS', 'ENGINE VERSION'], ...rows]));
  return 0;
}

function findService(e: DockerEngine, ref: string): SwarmService | null {
  for (const s of e.swarm!.services.values()) if (s.spec.name === ref || s.id === ref || s.id.startsWith(ref)) return s;
  return null;
}

function portsText(s: SwarmService): string {
  return s.spec.ports.map((x) => `*:${x.published}->${x.target}/${x.proto}`).join(', ');
}

export async function serviceCommand(ctx: CommandContext, e: DockerEngine, argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!managerOnly(ctx, e)) return 1;
  const s = e.swarm!;
  if (sub === 'create') {
    const q = p(ctx, 'service create', rest, [{ long: 'name', value: true }, { long: 'replicas', value: true }, { long: 'network', value: true, repeat: true }, { long: 'publish', short: 'p', value: true, repeat: true }, { long: 'detach', short: 'd' }, { long: 'mode', value: true }, { long: 'env', short: 'e', value: true, repeat: true }, { long: 'constraint', value: true, repeat: true }, { long: 'cap-add', value: true, repeat: true }], false);
    if (typeof q === 'number') return q;
    if (!q.args.length) {
      ctx.err(`"docker service create" requires at least 1 argument.\nSee 'docker service create --help'.\n`);
      return 1;
    }
    const [image, ...cmd] = q.args;
    if (!findImage(image)) return fail(ctx, `No such image: ${image}`);
    const ports: { proto: 'tcp' | 'udp'; published: number; target: number }[] = [];
    for (const spec of all(q, 'publish')) {
      const m = /^(?:published=)?(\d+)(?::|,target=)(\d+)(?:\/(tcp|udp))?$/.exec(spec);
      if (!m) {
        ctx.err(`invalid argument "${spec}" for "-p, --publish" flag: invalid published port\nSee 'docker service create --help'.\n`);
        return 125;
      }
      ports.push({ proto: (m[3] ?? 'tcp') as 'tcp' | 'udp', published: Number(m[1]), target: Number(m[2]) });
    }
    const constraints = all(q, 'constraint');
    for (const c of constraints) {
      if (!/^\s*[\w.-]+\s*(==|!=)\s*\S+\s*$/.test(c)) return fail(ctx, `rpc error: code = InvalidArgument desc = constraint expected one operator from ==, !=`);
    }
    const replicas = Number(flag(q, 'replicas') ?? 1);
    const name = flag(q, 'name') ?? `${image.replace(/[:/].*$/, '')}_${s.newTaskId().slice(0, 6)}`;
    try {
      const svc = createService(s, e, { name, image, cmd, replicas, networks: all(q, 'network'), ports, constraints, env: all(q, 'env'), capAdd: all(q, 'cap-add') });
      ctx.out(`${svc.id}\n`);
      if (!bool(q, 'detach')) {
        ctx.out(`overall progress: ${replicas} out of ${replicas} tasks \n`);
        for (let i = 1; i <= replicas; i++) ctx.out(`${i}/${replicas}: running   [==================================================>] \n`);
        ctx.out(`verify: Service ${svc.id} converged \n`);
      }
      return 0;
    } catch (err) {
      if (err instanceof DockerError) return fail(ctx, err.message);
      throw err;
    }
  }
  if (sub === 'ls' || sub === 'list') {
    const rows = [...s.services.values()].map((x) => [x.id.slice(0, 12), x.spec.name, 'replicated', `${x.tasks.filter((t) => t.container.state === 'running').length}/${x.replicas}`, findImage(x.spec.image)!.ref, portsText(x)]);
    ctx.out(tabwrite([['ID', 'NAME', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS'], ...rows]));
    return 0;
  }
  if (sub === 'ps') {
    const svc = rest[0] !== undefined ? findService(e, rest[0]) : null;
    if (!svc) return fail(ctx, `service ${rest[0] ?? ''} not found`);
    const rows = svc.tasks.map((t) => [t.id.slice(0, 12), `${svc.spec.name}.${t.slot}`, findImage(svc.spec.image)!.ref, t.node.engine.host.hostname, 'Running', `Running ${Math.max(1, Math.floor((ctx.world.now - (t.container.startedAt ?? 0)) / SECOND))} seconds ago`, '', '']);
    ctx.out(tabwrite([['ID', 'NAME', 'IMAGE', 'NODE', 'DESIRED STATE', 'CURRENT STATE', 'ERROR', 'PORTS'], ...rows]));
    return 0;
  }
  if (sub === 'rm' || sub === 'remove') {
    let status = 0;
    for (const ref of rest) {
      const svc = findService(e, ref);
      if (!svc) {
        status = fail(ctx, `service ${ref} not found`);
        continue;
      }
      removeService(s, svc);
      ctx.out(`${ref}\n`);
    }
    return status;
  }
  if (sub === 'scale') {
    for (const arg of rest) {
      const [ref, n] = arg.split('=');
      const svc = findService(e, ref);
      if (!svc) return fail(ctx, `service ${ref} not found`);
      scaleService(s, svc, Number(n));
      ctx.out(`${ref} scaled to ${n}\noverall progress: ${n} out of ${n} tasks \nverify: Service ${ref} converged \n`);
    }
    return 0;
  }
  if (sub === 'inspect') {
    const q = p(ctx, 'service inspect', rest, [{ long: 'format', short: 'f', value: true }, { long: 'pretty' }]);
    if (typeof q === 'number') return q;
    for (const ref of q.args) {
      const svc = findService(e, ref);
      if (!svc) return fail(ctx, `no such service: ${ref}`);
      const doc = {
        ID: svc.id,
        Spec: {
          Name: svc.spec.name,
          Mode: { Replicated: { Replicas: svc.replicas } },
          TaskTemplate: {
            ContainerSpec: { Image: svc.spec.image, Args: svc.spec.cmd.length ? svc.spec.cmd : undefined, Env: svc.spec.env?.length ? svc.spec.env : undefined },
            Placement: svc.spec.constraints?.length ? { Constraints: svc.spec.constraints } : {},
            Networks: svc.spec.networks.map((n) => ({ Target: e.findNetwork(n)?.id ?? n })),
          },
        },
        Endpoint: { Spec: { Mode: 'vip', Ports: svc.spec.ports.map((x) => ({ Protocol: x.proto, TargetPort: x.target, PublishedPort: x.published, PublishMode: 'ingress' })) }, VirtualIPs: [...svc.vips].map(([id, ip]) => ({ NetworkID: id, Addr: `${formatIpv4(ip)}/${s.networks.get(id)!.pool!.subnet.len}` })) },
      };
      const format = flag(q, 'format');
      if (bool(q, 'pretty') && format === undefined) {
        ctx.out(prettyService(svc));
        continue;
      }
      if (format !== undefined) {
        const t = execTemplate(format, doc);
        if (!t.ok) {
          ctx.err(`${t.error}\n`);
          return 1;
        }
        ctx.out(`${t.text}\n`);
      } else ctx.out(`${JSON.stringify([doc], null, 4)}\n`);
    }
    return 0;
  }
  ctx.err(`docker: unknown command: docker service ${sub ?? ''}\n\nRun 'docker service --help' for more information\n`);
  return 1;
}

/**
 * `docker service inspect --pretty`: the Docker CLI's human-readable template (it opens with an
 * empty line) for a service as `docker service create` makes it: replicated, the CLI's default
 * update and rollback settings, an empty Resources section, networks by name, VIP endpoint.
 */
function prettyService(svc: { id: string; replicas: number; spec: ServiceSpec }): string {
  const sp = svc.spec;
  let out = `\nID:\t\t${svc.id}\nName:\t\t${sp.name}\nService Mode:\tReplicated\n Replicas:\t${svc.replicas}\nPlacement:`;
  if (sp.constraints?.length) out += `\n Constraints:\t[${sp.constraints.join(' ')}]`;
  for (const [what, order] of [['UpdateConfig', 'Update order:      '], ['RollbackConfig', 'Rollback order:    ']]) {
    out += `\n${what}:\n Parallelism:\t1\n On failure:\tpause\n Monitoring Period: 5s\n Max failure ratio: 0\n ${order}stop-first`;
  }
  out += `\nContainerSpec:\n Image:\t\t${sp.image}`;
  if (sp.cmd.length) out += `\n Args:\t\t${sp.cmd.map((a) => `${a} `).join('')}`;
  if (sp.env?.length) out += `\n Env:\t\t${sp.env.map((e) => `${e} `).join('')}`;
  if (sp.capAdd?.length) out += `\nCapabilities:\n Add: ${sp.capAdd.join(', ')}`;
  out += '\nResources:';
  if (sp.networks.length) out += `\nNetworks:${sp.networks.map((n) => ` ${n}`).join('')} `;
  out += '\nEndpoint Mode:\tvip';
  if (sp.ports.length) {
    out += '\nPorts:';
    for (const p of sp.ports) out += `\n PublishedPort = ${p.published}\n  Protocol = ${p.proto}\n  TargetPort = ${p.target}\n  PublishMode = ingress`;
    out += ' ';
  }
  return `${out}\n`;
}
