/**
 * Swarm mode and overlay networks, as Engine 29 builds them in the kernel.
 *
 * An overlay network exists on a node once something there attaches to it: a hidden namespace
 * (`1-<network id>` under /var/run/docker/netns) holds a bridge `br0` with the network's gateway
 * address and a VXLAN device `vxlan0` (VNI 4096 upwards, UDP 4789, MTU 1450; created as moby's
 * createVxlan does: learning, proxy, l2miss, l3miss, and no default destination, so a frame for
 * an unknown MAC goes nowhere) enslaved to it. Containers get a veth into that bridge (`veth0`,
 * `veth1`... on the sandbox's side; their eth0 on the overlay, MTU 1450)
 * and a second leg on `docker_gwbridge` for traffic leaving the cluster. Docker learns where every
 * container lives through its gossip (gossip.ts, real traffic on 7946), and writes it into each
 * node's VXLAN FDB (MAC → the other node's address) and neighbour table (IP → MAC), which is why
 * no ARP ever crosses the tunnel.
 *
 * Services get a virtual IP on each of their networks; the embedded DNS answers the service name
 * with it and `tasks.<name>` with the tasks' addresses; IPVS in every container on the network
 * spreads connections to the VIP over the tasks. Published ports use the routing mesh: the
 * `ingress` overlay and an `ingress-sbox` namespace on every node, so any node's port reaches a
 * task wherever it runs.
 */
import type { Link, Netns } from '../net/model.ts';
import { addAddr, addAnonNetns, addLink, deleteLinkNow, destroyNetns, moveLink, rename, setMaster, setMtu, setUp } from '../net/netlink.ts';
import { setSysctl } from '../net/sysctl.ts';
import { broadcastOf, formatIpv4, parseIpv4, type Ipv4 } from '../wire/addr.ts';
import { AddressPool, subnetText, type Subnet } from './ipam.ts';
import type { Container, DockerEngine, DockerNetwork, Endpoint } from './engine.ts';
import { DockerError } from './engine.ts';
import { addRule, newChain, parseSpecFor } from '../netfilter/edit.ts';
import { gossipEntry, peerAlive, programEntry, startGossip, stopGossip } from './gossip.ts';
import { sameSpec, type TableName } from '../netfilter/rule.ts';

export const OVERLAY_MTU = 1450;

/** The MTU inside an overlay: 1450, or `-o com.docker.network.driver.mtu=N`. */
export function overlayMtu(net: DockerNetwork): number {
  const v = Number(net.options['com.docker.network.driver.mtu']);
  return Number.isInteger(v) && v >= 68 && v <= 9000 ? v : OVERLAY_MTU;
}

export interface OverlaySandbox {
  readonly ns: Netns;
  readonly br: Link;
  readonly vxlan: Link;
  /** osl's next index for the `veth` prefix: sandbox ends are veth0, veth1... never reused */
  nextVeth: number;
}

export interface OverlayInfo {
  readonly vni: number;
  readonly nodes: Map<DockerEngine, OverlaySandbox>;
}

export interface SwarmNode {
  readonly id: string;
  readonly engine: DockerEngine;
  readonly role: 'manager' | 'worker';
  readonly addr: Ipv4;
}

export interface ServiceSpec {
  readonly name: string;
  readonly image: string;
  readonly cmd: readonly string[];
  readonly replicas: number;
  readonly networks: readonly string[];
  readonly ports: readonly { proto: 'tcp' | 'udp'; published: number; target: number }[];
  /** placement constraints as given: node.hostname==X, node.role!=manager, node.id==ID */
  readonly constraints?: readonly string[];
  /** -e KEY=VALUE for the tasks */
  readonly env?: readonly string[];
  /** --cap-add for the tasks */
  readonly capAdd?: readonly string[];
}

/** Whether a node satisfies every placement constraint of a service (swarmkit's constraint filter). */
export function nodeFits(node: SwarmNode, constraints: readonly string[]): boolean {
  for (const c of constraints) {
    const m = /^\s*(node\.hostname|node\.role|node\.id)\s*(==|!=)\s*(\S+)\s*$/.exec(c);
    if (!m) return false;
    const [, key, op, want] = m;
    const have = key === 'node.hostname' ? node.engine.host.hostname : key === 'node.role' ? node.role : node.id;
    const eq = key === 'node.hostname' ? have.toLowerCase() === want.toLowerCase() : have === want;
    if ((op === '==') !== eq) return false;
  }
  return true;
}

export interface Task {
  readonly id: string;
  readonly slot: number;
  readonly node: SwarmNode;
  container: Container;
}

export interface SwarmService {
  readonly id: string;
  readonly spec: ServiceSpec;
  readonly created: number;
  /** VIP per network id */
  readonly vips: Map<string, Ipv4>;
  readonly tasks: Task[];
  replicas: number;
}

/** The id of a container's network attachment task: stable for the container. */
function attachmentTaskId(containerId: string): string {
  return BigInt(`0x${containerId.slice(0, 32)}`).toString(36).padStart(25, '0').slice(-25);
}

function b36(rng: () => number, n: number): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng() % 36];
  return s;
}

export class Swarm {
  readonly id: string;
  readonly nodes: SwarmNode[] = [];
  readonly workerToken: string;
  readonly managerToken: string;
  readonly networks = new Map<string, DockerNetwork>();
  readonly services = new Map<string, SwarmService>();
  private nextVni = 4096;
  private nextSubnet = 0;
  private readonly rand: () => number;

  constructor(first: DockerEngine, addr: Ipv4) {
    const rng = first.host.world.rngFor('swarm');
    this.rand = () => rng.nextU32();
    this.id = b36(this.rand, 25);
    const root = b36(this.rand, 50);
    this.workerToken = `SWMTKN-1-${root}-${b36(this.rand, 25)}`;
    this.managerToken = `SWMTKN-1-${root}-${b36(this.rand, 25)}`;
    this.addNode(first, 'manager', addr);
  }

  newTaskId(): string {
    return b36(this.rand, 25);
  }

  addNode(e: DockerEngine, role: 'manager' | 'worker', addr: Ipv4): SwarmNode {
    const node: SwarmNode = { id: b36(this.rand, 25), engine: e, role, addr };
    this.nodes.push(node);
    e.swarm = this;
    e.swarmNode = node;
    if (role === 'manager') for (const n of this.networks.values()) e.networks.set(n.id, n);
    return node;
  }

  manager(): SwarmNode {
    return this.nodes.find((n) => n.role === 'manager')!;
  }

  /** The next /24 of the 10.0.0.0/8 default address pool that no network of the swarm uses. */
  private allocateSubnet(): Subnet {
    const s = { addr: ((10 << 24) | (this.nextSubnet << 8)) >>> 0, len: 24 };
    this.nextSubnet++;
    return s;
  }

  createNetwork(by: DockerEngine, o: { name: string; subnet?: Subnet; gateway?: Ipv4; attachable: boolean; internal: boolean; ingress?: boolean; labels?: Record<string, string>; options?: Record<string, string> }): DockerNetwork {
    for (const n of this.networks.values()) if (n.name === o.name) throw new DockerError(`network with name ${o.name} already exists`);
    const subnet = o.subnet ?? this.allocateSubnet();
    // swarm's allocator asks for serial allocation (cnmallocator sets ipam.serial)
    const pool = new AddressPool(subnet, subnet, true);
    const gateway = o.gateway ?? ((subnet.addr + 1) >>> 0);
    pool.reserve(gateway);
    const id = by.newId().slice(0, 25);
    const net: DockerNetwork = {
      id,
      name: o.name,
      driver: 'overlay',
      created: by.now,
      internal: o.internal,
      attachable: o.attachable,
      scope: 'swarm',
      options: { ...(o.options ?? {}), 'com.docker.network.driver.overlay.vxlanid_list': String(this.nextVni) },
      labels: o.labels ?? {},
      pool,
      gateway,
      bridgeName: null,
      parent: null,
      ipvlanMode: null,
      aux: {},
      isDefaultBridge: false,
      predefined: false,
      endpoints: new Map(),
      overlay: { vni: this.nextVni++, nodes: new Map() },
      ingress: !!o.ingress,
    };
    this.networks.set(id, net);
    for (const n of this.nodes) if (n.role === 'manager') n.engine.networks.set(id, net);
    return net;
  }

  removeNetwork(net: DockerNetwork): void {
    const svc = [...this.services.values()].find((s) => s.vips.has(net.id));
    if (svc) throw new DockerError(`rpc error: code = FailedPrecondition desc = network ${net.id} is in use by service ${svc.id}`);
    // a standalone container on an attachable overlay holds a network attachment task
    const ep = [...net.endpoints.values()][0];
    if (ep) throw new DockerError(`rpc error: code = FailedPrecondition desc = network ${net.id} is in use by task ${attachmentTaskId(ep.container.id)}`);
    for (const [e, sb] of net.overlay!.nodes) {
      destroyNetns(sb.ns);
      e.networks.delete(net.id);
    }
    for (const n of this.nodes) n.engine.networks.delete(net.id);
    this.networks.delete(net.id);
  }
}

/** The node's sandbox for an overlay network, created on first use. */
export function overlaySandbox(e: DockerEngine, net: DockerNetwork): OverlaySandbox {
  const info = net.overlay!;
  const have = info.nodes.get(e);
  if (have) return have;
  const host = e.host;
  const ns = addAnonNetns(host, `1-${net.id.slice(0, 10)}`);
  setUp(ns.linkByName('lo')!);
  setSysctl(ns, 'net.ipv6.conf.all.disable_ipv6', '1');
  const br = addLink(ns, { name: 'br0', kind: 'bridge', mac: e.rngMac(), mtu: overlayMtu(net) });
  if (!br.ok) throw new DockerError('overlay: cannot create br0');
  addAddr(br.value, { addr: net.gateway!, len: net.pool!.subnet.len, broadcast: broadcastOf(net.gateway!, net.pool!.subnet.len) });
  // the VXLAN device is created in the host namespace (its underlay) and moved into the sandbox
  const vx = addLink(e.ns, { name: `vx-${info.vni.toString(16).padStart(6, '0')}-${net.id.slice(0, 5)}`, kind: 'vxlan', mtu: overlayMtu(net), vxlan: { vni: info.vni, remote: null, local: null, group: null, dstport: 4789, learning: true, proxy: true, l2miss: true, l3miss: true, ttl: 0 } });
  if (!vx.ok) throw new DockerError(`overlay: cannot create the VXLAN device: ${vx.error}`);
  moveLink(vx.value, ns);
  rename(vx.value, 'vxlan0');
  setMaster(vx.value, br.value);
  setUp(vx.value);
  setUp(br.value);
  const sb: OverlaySandbox = { ns, br: br.value, vxlan: vx.value, nextVeth: 0 };
  info.nodes.set(e, sb);
  e.networks.set(net.id, net);
  // joining a network, the node gets its table from the nodes it can hear (a bulk sync)
  for (const ep of net.endpoints.values()) {
    const owner = ep.container.engine.swarmNode;
    if (ep.container.engine === e || !owner || ep.ip === null || !e.swarm || !e.swarmNode) continue;
    if (peerAlive(e.swarm, e.swarmNode, owner)) programEntry(sb, { mac: ep.mac, ip: ep.ip }, owner.addr, true);
  }
  return sb;
}

/** Tell every other node about an endpoint that came or went: a networkdb event, gossiped on 7946. */
export function announce(net: DockerNetwork, ep: Endpoint, add: boolean): void {
  const e = ep.container.engine;
  if (ep.ip === null || !e.swarm || !e.swarmNode) return;
  gossipEntry(e.swarm, e.swarmNode, net, { mac: ep.mac, ip: ep.ip }, add);
}

/** A container's leg on an overlay: a veth from the sandbox bridge, MTU 1450. */
export function overlayLeg(e: DockerEngine, c: Container, net: DockerNetwork, ifName: string): { hostVeth: Link; ctrLink: Link } {
  const sb = overlaySandbox(e, net);
  const hex = () => e.hex7();
  const r = addLink(e.ns, { name: `veth${hex()}`, kind: 'veth', peerName: `veth${hex()}`, mtu: overlayMtu(net) });
  if (!r.ok) throw new DockerError('failed to create veth pair');
  const hostVeth = r.value;
  const ctrLink = hostVeth.peer!;
  moveLink(hostVeth, sb.ns);
  rename(hostVeth, `veth${sb.nextVeth++}`);
  setMaster(hostVeth, sb.br);
  setUp(hostVeth);
  moveLink(ctrLink, c.netns!);
  rename(ctrLink, ifName);
  setMtu(ctrLink, overlayMtu(net));
  return { hostVeth, ctrLink };
}

/** docker_gwbridge: the local bridge that gives overlay containers a way out (no ICC). */
export function ensureGwBridge(e: DockerEngine): DockerNetwork {
  const have = e.findNetwork('docker_gwbridge');
  if (have) return have;
  return e.createNetwork({ name: 'docker_gwbridge', options: { 'com.docker.network.bridge.name': 'docker_gwbridge', 'com.docker.network.bridge.enable_icc': 'false', 'com.docker.network.bridge.enable_ip_masquerade': 'true' } });
}

function rule(ns: Netns, table: TableName, chain: string, text: string, position?: number): void {
  if (!ns.nf.table(table).chains.has(chain)) newChain(ns, table, chain);
  const spec = parseSpecFor(ns, table, text.split(' '));
  if ('message' in spec) throw new Error(`swarm rule ${text}: ${spec.message}`);
  addRule(ns, table, chain, spec, position);
}

function hasRule(ns: Netns, table: TableName, chain: string, text: string): boolean {
  const c = ns.nf.table(table).chains.get(chain);
  if (!c) return false;
  const spec = parseSpecFor(ns, table, text.split(' '));
  return !('message' in spec) && c.rules.some((r) => sameSpec(r.spec, spec));
}

/** The IPVS services a container on `net` gets for the swarm services on that network. */
export function programVips(swarm: Swarm, net: DockerNetwork): void {
  for (const ep of net.endpoints.values()) {
    const ns = ep.container.netns;
    if (!ns) continue;
    for (const svc of swarm.services.values()) {
      const vip = svc.vips.get(net.id);
      if (vip === undefined) continue;
      const backends = svc.tasks.map((t) => t.container.endpoints.get(net.id)?.ip).filter((x): x is Ipv4 => x != null);
      // Docker marks everything sent to the VIP (iptables mangle, a firewall mark per service)
      // and IPVS balances the mark: every port and protocol, the port kept
      for (const proto of ['tcp', 'udp'] as const) {
        const key = `${proto}:${vip}:0`;
        const old = ns.ipvs.get(key);
        ns.ipvs.set(key, { proto, vip, port: 0, backends: backends.map((addr) => ({ addr, port: 0 })), next: old?.next ?? 0 });
      }
    }
  }
}

/** The routing mesh on one node: host DNAT to ingress-sbox, IPVS there to the tasks' ingress addresses. */
export function programIngress(swarm: Swarm, e: DockerEngine, ingress: DockerNetwork, sbox: { ns: Netns; gwIp: Ipv4; ingressIp: Ipv4 }): void {
  const host = e.ns;
  for (const svc of swarm.services.values()) {
    for (const p of svc.spec.ports) {
      const text = `-p ${p.proto} -m ${p.proto} --dport ${p.published} -j DNAT --to-destination ${formatIpv4(sbox.gwIp)}:${p.published}`;
      if (!hasRule(host, 'nat', 'DOCKER-INGRESS', text)) rule(host, 'nat', 'DOCKER-INGRESS', text, 1);
      const backends = svc.tasks.map((t) => t.container.endpoints.get(ingress.id)?.ip).filter((x): x is Ipv4 => x != null);
      sbox.ns.ipvs.set(`${p.proto}:${sbox.gwIp}:${p.published}`, { proto: p.proto, vip: sbox.gwIp, port: p.published, backends: backends.map((addr) => ({ addr, port: p.target })), next: 0 });
    }
  }
}

export function parseAddr(text: string): Ipv4 | null {
  return parseIpv4(text);
}

export { subnetText, deleteLinkNow };

// ---- swarm membership -------------------------------------------------------------------------------

/** Swarms by world: `docker swarm join` looks the manager up by address. */
const SWARMS = new WeakMap<object, Swarm[]>();

/** The addresses a node could advertise: its global IPv4 addresses outside Docker's bridges. */
export function candidateAddrs(e: DockerEngine): { dev: string; addr: Ipv4 }[] {
  const out: { dev: string; addr: Ipv4 }[] = [];
  for (const l of e.ns.allLinks()) {
    if (l.kind !== 'ether') continue;
    for (const a of l.addrs) if (a.scope === 'global') out.push({ dev: l.name, addr: a.addr });
  }
  return out;
}

export function swarmInit(e: DockerEngine, advertise: Ipv4): Swarm {
  if (e.swarm) throw new DockerError('This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.');
  const s = new Swarm(e, advertise);
  const list = SWARMS.get(e.host.world) ?? [];
  list.push(s);
  SWARMS.set(e.host.world, list);
  listenSwarmPorts(e);
  // the routing mesh network exists from the start (10.0.0.0/24, VNI 4096)
  s.createNetwork(e, { name: 'ingress', attachable: false, internal: false, ingress: true, labels: {} });
  return s;
}

/** dockerd listens on 2377 (managers) and 7946 TCP and UDP (gossip); 4789/udp is the kernel's VXLAN. */
function listenSwarmPorts(e: DockerEngine): void {
  if (e.swarm && e.swarmNode) startGossip(e.swarm, e.swarmNode);
  if (e.swarmNode?.role === 'manager') e.listenTcp(2377, 'dockerd');
}

export function findSwarm(world: object, managerAddr: Ipv4, port: number): Swarm | null {
  for (const s of SWARMS.get(world) ?? []) if (port === 2377 && s.nodes.some((n) => n.role === 'manager' && n.addr === managerAddr)) return s;
  return null;
}

export function swarmJoin(e: DockerEngine, s: Swarm, token: string, addr: Ipv4): SwarmNode {
  if (e.swarm) throw new DockerError('This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.');
  let role: 'manager' | 'worker';
  if (token === s.workerToken) role = 'worker';
  else if (token === s.managerToken) role = 'manager';
  else throw new DockerError('rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster');
  const node = s.addNode(e, role, addr);
  listenSwarmPorts(e);
  // services with published ports reach this node's port too (the routing mesh)
  for (const svc of s.services.values()) if (svc.spec.ports.length) ensureIngressSbox(s, e);
  refreshMesh(s);
  return node;
}

export function swarmLeave(e: DockerEngine, force: boolean): void {
  const s = e.swarm;
  if (!s || !e.swarmNode) throw new DockerError('This node is not part of a swarm');
  if (e.swarmNode.role === 'manager' && !force) throw new DockerError('You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.');
  for (const svc of s.services.values()) {
    for (const t of svc.tasks.filter((x) => x.node.engine === e)) {
      e.removeContainer(t.container, true);
      svc.tasks.splice(svc.tasks.indexOf(t), 1);
    }
  }
  for (const n of [...s.networks.values()]) {
    const sb = n.overlay!.nodes.get(e);
    if (sb) {
      destroyNetns(sb.ns);
      n.overlay!.nodes.delete(e);
    }
    e.networks.delete(n.id);
  }
  stopGossip(s, e.swarmNode);
  s.nodes.splice(s.nodes.indexOf(e.swarmNode), 1);
  e.swarm = null;
  e.swarmNode = null;
}

// ---- services ---------------------------------------------------------------------------------------

/** ingress-sbox: the node's end of the routing mesh, on docker_gwbridge and on ingress. */
const SBOXES = new WeakMap<DockerEngine, { ns: Netns; gwIp: Ipv4; ingressIp: Ipv4 }>();

export function ensureIngressSbox(s: Swarm, e: DockerEngine): { ns: Netns; gwIp: Ipv4; ingressIp: Ipv4 } {
  const have = SBOXES.get(e);
  if (have) return have;
  const ingress = [...s.networks.values()].find((n) => n.ingress)!;
  const sbox = e.createContainer({ name: 'ingress-sbox', image: 'busybox', cmd: ['sleep', 'infinity'], network: 'ingress', labels: { 'com.docker.swarm.task.id': 'ingress-sbox' } });
  e.startContainer(sbox);
  // a hidden endpoint: not a container anyone lists
  e.containers.delete(sbox.id);
  const ns = sbox.netns!;
  setSysctl(ns, 'net.ipv4.ip_forward', '1');
  const gw = e.findNetwork('docker_gwbridge')!;
  const gwIp = sbox.endpoints.get(gw.id)!.ip!;
  const ingressIp = sbox.endpoints.get(ingress.id)!.ip!;
  rule(ns, 'nat', 'POSTROUTING', `-d ${subnetText(ingress.pool!.subnet)} -j SNAT --to-source ${formatIpv4(ingressIp)}`);
  // the host sends published ports to the sandbox
  const host = e.ns;
  if (!host.nf.table('nat').chains.has('DOCKER-INGRESS')) {
    newChain(host, 'nat', 'DOCKER-INGRESS');
    rule(host, 'nat', 'DOCKER-INGRESS', '-j RETURN');
    rule(host, 'nat', 'PREROUTING', '-m addrtype --dst-type LOCAL -j DOCKER-INGRESS', 1);
    rule(host, 'nat', 'OUTPUT', '-m addrtype --dst-type LOCAL -j DOCKER-INGRESS', 1);
    newChain(host, 'filter', 'DOCKER-INGRESS');
    rule(host, 'filter', 'DOCKER-INGRESS', '-j RETURN');
    rule(host, 'filter', 'DOCKER-FORWARD', '-j DOCKER-INGRESS', 1);
  }
  const box = { ns, gwIp, ingressIp };
  SBOXES.set(e, box);
  return box;
}

/** Bring every node's routing mesh and every network's VIPs up to date. */
export function refreshMesh(s: Swarm): void {
  const ingress = [...s.networks.values()].find((n) => n.ingress);
  for (const n of s.networks.values()) programVips(s, n);
  if (!ingress) return;
  const published = [...s.services.values()].some((x) => x.spec.ports.length);
  if (!published) return;
  for (const node of s.nodes) {
    const box = ensureIngressSbox(s, node.engine);
    programIngress(s, node.engine, ingress, box);
    for (const svc of s.services.values()) {
      for (const p of svc.spec.ports) {
        const host = node.engine.ns;
        for (const text of [`-p ${p.proto} -m ${p.proto} --dport ${p.published} -j ACCEPT`, `-p ${p.proto} -m ${p.proto} --sport ${p.published} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`]) {
          if (!hasRule(host, 'filter', 'DOCKER-INGRESS', text)) rule(host, 'filter', 'DOCKER-INGRESS', text, 1);
        }
      }
    }
  }
}

export function createService(s: Swarm, by: DockerEngine, spec: ServiceSpec): SwarmService {
  if (by.swarmNode?.role !== 'manager') throw new DockerError('This node is not a swarm manager. Worker nodes can\'t be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.');
  if ([...s.services.values()].some((x) => x.spec.name === spec.name)) throw new DockerError(`rpc error: code = AlreadyExists desc = name conflicts with an existing object: service ${spec.name} already exists`);
  const nets: DockerNetwork[] = [];
  for (const name of spec.networks) {
    const n = by.findNetwork(name);
    if (!n) throw new DockerError(`network ${name} not found`);
    if (!n.overlay) throw new DockerError(`rpc error: code = InvalidArgument desc = network ${name} is not a swarm scope network`);
    nets.push(n);
  }
  const ingress = [...s.networks.values()].find((n) => n.ingress)!;
  for (const p of spec.ports) {
    for (const other of s.services.values()) if (other.spec.ports.some((q) => q.published === p.published && q.proto === p.proto)) throw new DockerError(`rpc error: code = InvalidArgument desc = port '${p.published}' is already in use by service '${other.spec.name}' (${other.id}) as an ingress port`);
  }
  const svc: SwarmService = { id: s.newTaskId(), spec, created: by.now, vips: new Map(), tasks: [], replicas: spec.replicas };
  if (spec.ports.length) svc.vips.set(ingress.id, ingress.pool!.next()!);
  for (const n of nets) svc.vips.set(n.id, n.pool!.next()!);
  s.services.set(svc.id, svc);
  scaleService(s, svc, spec.replicas);
  return svc;
}

/** Start or stop tasks until the service has `replicas`, spread over the nodes in turn. */
export function scaleService(s: Swarm, svc: SwarmService, replicas: number): void {
  svc.replicas = replicas;
  const ingress = [...s.networks.values()].find((n) => n.ingress)!;
  while (svc.tasks.length > replicas) {
    const t = svc.tasks.pop()!;
    t.node.engine.removeContainer(t.container, true);
  }
  while (svc.tasks.length < replicas) {
    const slot = svc.tasks.length + 1;
    // spread: of the nodes the constraints allow, the one with the fewest tasks of this service, in join order
    const node = s.nodes.filter((n) => nodeFits(n, svc.spec.constraints ?? [])).sort((a, b) => svc.tasks.filter((t) => t.node === a).length - svc.tasks.filter((t) => t.node === b).length)[0];
    // no node fits: the task stays pending ("no suitable node")
    if (!node) break;
    const e = node.engine;
    const taskId = s.newTaskId();
    const networks = [...(svc.spec.ports.length ? [ingress.name] : []), ...svc.spec.networks];
    const c = e.createContainer({
      name: `${svc.spec.name}.${slot}.${taskId}`,
      image: svc.spec.image,
      cmd: svc.spec.cmd,
      env: svc.spec.env ?? [],
      capAdd: svc.spec.capAdd ?? [],
      network: networks[0] ?? 'bridge',
      aliases: [],
      labels: { 'com.docker.swarm.node.id': node.id, 'com.docker.swarm.service.id': svc.id, 'com.docker.swarm.service.name': svc.spec.name, 'com.docker.swarm.task': '', 'com.docker.swarm.task.id': taskId, 'com.docker.swarm.task.name': `${svc.spec.name}.${slot}.${taskId}` },
    });
    for (const extra of networks.slice(1)) e.connect(c, e.findNetwork(extra)!, {});
    e.startContainer(c);
    svc.tasks.push({ id: taskId, slot, node, container: c });
  }
  refreshMesh(s);
}

export function removeService(s: Swarm, svc: SwarmService): void {
  scaleService(s, svc, 0);
  for (const [netId, vip] of svc.vips) s.networks.get(netId)?.pool?.release(vip);
  s.services.delete(svc.id);
  for (const node of s.nodes) {
    for (const c of node.engine.containers.values()) if (c.netns) for (const k of [...c.netns.ipvs.keys()]) if ([...svc.vips.values()].some((v) => k.includes(`:${v}:`))) c.netns.ipvs.delete(k);
  }
  refreshMesh(s);
}

/** What the embedded DNS knows of services: the VIP for the name, the tasks for tasks.NAME. */
export function serviceLookup(s: Swarm, netIds: readonly string[], name: string): Ipv4[] | null {
  for (const svc of s.services.values()) {
    for (const id of netIds) {
      const vip = svc.vips.get(id);
      if (vip === undefined) continue;
      if (name === svc.spec.name) return [vip];
      if (name === `tasks.${svc.spec.name}`) return svc.tasks.map((t) => t.container.endpoints.get(id)?.ip).filter((x): x is Ipv4 => x != null);
    }
  }
  return null;
}
