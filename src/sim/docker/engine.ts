/**
 * A Docker Engine (moby 29, iptables backend, userland proxy on unless daemon.json says otherwise, IPv6 off) running on a simulated
 * host. It does to the kernel what dockerd does: a bridge per bridge network, a namespace and a
 * veth pair per container, addresses from its IPAM, the iptables rules of its firewall layout,
 * /etc/hosts and /etc/resolv.conf, an embedded DNS server at 127.0.0.11 on user-defined networks,
 * and docker-proxy listeners for published ports. Everything it changes can be seen and changed
 * with the ordinary tools (`ip`, `iptables`, `tcpdump`).
 *
 * Errors are the daemon's own messages (the CLI prefixes "Error response from daemon: ").
 */
import { SECOND, type Micros } from '../engine/scheduler.ts';
import type { Rng } from '../engine/rng.ts';
import { FileSystem } from '../net/fs.ts';
import type { Host, Link, Netns } from '../net/model.ts';
import { addAddr, addAnonNetns, addLink, addRoute, deleteLinkNow, destroyNetns, moveLink, rename, setMaster, setUp } from '../net/netlink.ts';
import { setSysctl } from '../net/sysctl.ts';
import { RT_TABLE_MAIN } from '../net/types.ts';
import { broadcastOf, formatIpv4, inPrefix, networkOf, parseIpv4, type Ipv4 } from '../wire/addr.ts';
import { allocateSubnet, AddressPool, DEFAULT_POOLS, overlaps, subnetText, type PoolSpec, type Subnet } from './ipam.ts';
import { addDirectAccessRule, addNetworkRules, addPortRules, clearDockerRules, installBaseRules, removeDirectAccessRule, removeNetworkRules, removePortRules, type PortMapping } from './firewall.ts';
import { findImage, knownRepository, type ResolvedImage } from './images.ts';
import { extServers, hostsFile, resolvConf, type HostsEntry } from './files.ts';
import { startEmbeddedDns, type EmbeddedDns } from './dns.ts';
import { parseResolvConf } from '../apps/dns.ts';
import { goJsonSyntaxError } from './gojson.ts';
import { startImageServices, startProxy, type Running } from './services.ts';
import { tcpListen } from '../transport/tcp.ts';
import { announce, ensureGwBridge, overlayLeg, programVips, type OverlayInfo, type Swarm, type SwarmNode } from './swarm.ts';

export type Driver = 'bridge' | 'host' | 'null' | 'macvlan' | 'ipvlan' | 'overlay';

/** What `docker network create` asks for. */
export interface NetworkCreate {
  name: string;
  driver?: string;
  subnet?: string;
  gateway?: string;
  ipRange?: string;
  internal?: boolean;
  attachable?: boolean;
  options?: Record<string, string>;
  labels?: Record<string, string>;
}

export class DockerError extends Error {}

export interface DockerNetwork {
  readonly id: string;
  readonly name: string;
  readonly driver: Driver;
  readonly created: Micros;
  readonly internal: boolean;
  readonly attachable: boolean;
  readonly scope: 'local' | 'swarm';
  readonly options: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  /** null for host and none */
  readonly pool: AddressPool | null;
  readonly gateway: Ipv4 | null;
  /** the Linux bridge (docker0, br-<id>) for bridge networks */
  readonly bridgeName: string | null;
  /** the parent interface of a macvlan/ipvlan network */
  readonly parent: string | null;
  readonly ipvlanMode: string | null;
  /** `--aux-address` reservations, by name */
  readonly aux: Record<string, Ipv4>;
  /** the default `bridge` network: no embedded DNS, legacy links */
  readonly isDefaultBridge: boolean;
  /** the predefined host/none/bridge networks cannot be removed */
  readonly predefined: boolean;
  /** which endpoints are attached, by container id */
  readonly endpoints: Map<string, Endpoint>;
  /** overlay networks: the VNI and each node's sandbox */
  readonly overlay?: OverlayInfo;
  /** the swarm's routing-mesh network */
  readonly ingress?: boolean;
}

export interface Endpoint {
  readonly id: string;
  readonly network: DockerNetwork;
  readonly container: Container;
  ip: Ipv4 | null;
  readonly prefixLen: number;
  mac: string;
  readonly aliases: readonly string[];
  /** `--ip`: kept across restarts */
  readonly staticIp: Ipv4 | null;
  /** the names the embedded DNS answers for this endpoint */
  dnsNames: string[];
  hostVeth: Link | null;
  ctrLink: Link | null;
  ifName: string;
}

export type ContainerState = 'created' | 'running' | 'exited';

export interface PortSpec {
  readonly proto: 'tcp' | 'udp';
  readonly containerPort: number;
  readonly hostIp: string;
  /** 0: an ephemeral port chosen by the daemon */
  readonly hostPort: number;
}

export interface ContainerSpec {
  readonly name?: string;
  readonly image: string;
  /** the command given on the command line (empty: the image's) */
  readonly cmd: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly network?: string;
  readonly aliases?: readonly string[];
  readonly ip?: string;
  readonly ports?: readonly PortSpec[];
  readonly publishAll?: boolean;
  readonly hostname?: string;
  readonly dns?: readonly string[];
  readonly dnsSearch?: readonly string[];
  readonly dnsOptions?: readonly string[];
  readonly addHosts?: readonly { name: string; ip: string }[];
  readonly links?: readonly { name: string; alias: string }[];
  readonly env?: readonly string[];
  readonly tty?: boolean;
  readonly interactive?: boolean;
  readonly autoRemove?: boolean;
  /** --restart: no, always, unless-stopped, on-failure */
  readonly restart?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** `-v SRC:DST[:OPTS]`: a host path (bind) or a volume name */
  readonly binds?: readonly BindSpec[];
  /** --cap-add (NET_ADMIN, ALL...) and --privileged: what the container may change in its network stack */
  readonly capAdd?: readonly string[];
  readonly privileged?: boolean;
}

/** Whether a container holds CAP_NET_ADMIN: not among Docker's default capabilities. */
export function hasNetAdmin(spec: ContainerSpec): boolean {
  return !!spec.privileged || (spec.capAdd ?? []).some((c) => /^(CAP_)?(NET_ADMIN|ALL)$/i.test(c));
}

/** One `-v` as given, parsed. */
export interface BindSpec {
  /** the text given, as HostConfig.Binds lists it */
  readonly text: string;
  /** an absolute host path, or a volume's name */
  readonly source: string;
  readonly target: string;
  readonly readonly: boolean;
  /** the options given (`ro`, `rw`, `z`...), as the mount's Mode */
  readonly mode: string;
  readonly volume: boolean;
}

/** An upstream server of the embedded DNS, as the resolv.conf's ExtServers lists it. */
export interface ExtDns {
  readonly addr: Ipv4;
  /** read from the host's resolv.conf: reached from the host's namespace */
  readonly hostLoopback: boolean;
}

export interface Container {
  readonly id: string;
  /** the engine (node) the container runs on */
  readonly engine: DockerEngine;
  name: string;
  readonly image: ResolvedImage;
  readonly spec: ContainerSpec;
  readonly created: Micros;
  state: ContainerState;
  exitCode: number;
  startedAt: Micros | null;
  finishedAt: Micros | null;
  restartCount: number;
  readonly hostname: string;
  /** network mode as given: bridge, host, none, container:<id>, or a network name */
  readonly networkMode: string;
  /** the namespace its processes see (its own, the host's, or another container's) */
  netns: Netns | null;
  readonly fs: FileSystem;
  /** endpoints by network id, in connection order */
  readonly endpoints: Map<string, Endpoint>;
  /** host-side port bindings in effect while running */
  bindings: { spec: PortSpec; hostIp: string; hostPort: number }[];
  /** what the container's main process keeps open (listeners, the proxy) */
  running: Running[];
  dns: EmbeddedDns | null;
  /** output of the main process (`docker logs`) */
  logs: string;
  /** set while `docker network connect` etc. may rewrite /etc/hosts */
  hostsExtra: HostsEntry[];
  /** the embedded DNS server's upstreams, set when Docker last generated resolv.conf */
  extDns: ExtDns[];
  /** what the hash file beside resolv.conf records (Docker's way to tell an edited file) */
  resolvHash?: string;
  /** stopped because dockerd stopped (restart policies act on these) */
  stoppedByDaemon?: boolean;
}

const SUBNET_KEY = 'com.docker.network.bridge.name';

function isL3Ipvlan(n: DockerNetwork): boolean {
  return n.driver === 'ipvlan' && (n.ipvlanMode === 'l3' || n.ipvlanMode === 'l3s');
}

export class DockerEngine {
  readonly host: Host;
  readonly version = '29.0.2';
  readonly apiVersion = '1.52';
  readonly networks = new Map<string, DockerNetwork>();
  readonly containers = new Map<string, Container>();
  /** named volumes (their files; `docker volume` itself is not modelled) */
  readonly volumes = new Map<string, FileSystem>();
  private readonly rng: Rng;
  /** set when the node is part of a swarm */
  swarm: Swarm | null = null;
  swarmNode: SwarmNode | null = null;
  /** host ports handed out to published ports, by `proto/ip:port` */
  private readonly hostPorts = new Map<string, string>();
  private nextEphemeral = 32768;

  /** the predefined address pools new networks take their subnets from (daemon.json can change them) */
  pools: readonly PoolSpec[] = DEFAULT_POOLS;
  /** daemon.json `dns`: the nameservers of containers started without --dns */
  daemonDns: readonly string[] = [];
  /**
   * daemon.json `userland-proxy` (true by default): docker-proxy serves published ports where DNAT
   * does not reach. Off, the bridge driver works in hairpin mode instead: DNAT for every source,
   * hairpin on the bridge ports, route_localnet on the bridges and two kinds of MASQUERADE rule.
   */
  userlandProxy = true;
  /** what daemon.json last said about it; it takes effect when the daemon (re)starts */
  private configuredUserlandProxy = true;
  /**
   * The resolv.conf dockerd bases containers' files on, chosen when it starts (setupResolvConf,
   * resolvconf.Path): /etc/resolv.conf, unless its only nameserver is systemd-resolved's stub
   * 127.0.0.53, then /run/systemd/resolve/resolv.conf, which lists the real servers.
   */
  private resolvConfPath = '/etc/resolv.conf';

  constructor(host: Host) {
    this.host = host;
    this.rng = host.world.rngFor(`docker@${host.name}`);
    this.loadConfig();
    this.userlandProxy = this.configuredUserlandProxy;
    this.detectResolvConf();
    const ns = host.root;
    // the daemon enables forwarding and br_netfilter; it closes the FORWARD policy because it
    // had to switch forwarding on itself
    const forwardWasOff = !ns.ipForward;
    setSysctl(ns, 'net.ipv4.ip_forward', '1');
    installBaseRules(ns, forwardWasOff, !this.userlandProxy);
    this.addPredefined('bridge', 'bridge');
    this.addPredefined('host', 'host');
    this.addPredefined('none', 'null');
  }

  get ns(): Netns {
    return this.host.root;
  }

  get now(): Micros {
    return this.host.world.now;
  }

  /** A listener dockerd itself holds on the host (swarm ports). */
  listenTcp(port: number, owner: string): void {
    tcpListen(this.ns, 0, port, 4096, owner, 1, (c) => {
      c.handlers = { onEof: () => c.close() };
    });
  }

  rngMac(): string {
    return this.rng.mac();
  }

  hex7(): string {
    return this.rng.nextU32().toString(16).padStart(8, '0').slice(0, 7);
  }

  newId(): string {
    let s = '';
    while (s.length < 64) s += this.rng.nextU32().toString(16).padStart(8, '0');
    return s;
  }

  // ---- networks ----------------------------------------------------------------------------------

  private addPredefined(name: string, driver: Driver): void {
    if (driver === 'bridge') {
      this.createBridgeNetwork({ name, subnet: { addr: parseIpv4('172.17.0.0')!, len: 16 }, gateway: parseIpv4('172.17.0.1')!, bridgeName: 'docker0', internal: false, isDefault: true, options: {}, labels: {}, attachable: false });
      return;
    }
    const id = this.newId();
    this.networks.set(id, { id, name, driver, created: this.now, internal: false, attachable: false, scope: 'local', options: {}, labels: {}, pool: null, gateway: null, bridgeName: null, parent: null, ipvlanMode: null, aux: {}, isDefaultBridge: false, predefined: true, endpoints: new Map() });
  }

  /**
   * Subnets a new network must not take: every network's, and what the daemon infers the host
   * uses (netutils.InferReservedNetworks): the on-link routes of the main table and the
   * nameservers of /etc/resolv.conf. Routes through a gateway (a VPN's) are not among them.
   */
  private takenSubnets(): Subnet[] {
    const taken: Subnet[] = [];
    for (const n of this.networks.values()) if (n.pool) taken.push(n.pool.subnet);
    for (const r of this.ns.routes) if (r.table === RT_TABLE_MAIN && r.len > 0 && r.scope === 'link') taken.push({ addr: r.dst, len: r.len });
    const conf = this.host.fs.read('/etc/resolv.conf');
    if (conf.ok) for (const ns of parseResolvConf(conf.data).servers) taken.push({ addr: ns, len: 32 });
    return taken;
  }

  findNetwork(ref: string): DockerNetwork | null {
    const all = [...this.networks.values(), ...(this.swarm ? [...this.swarm.networks.values()].filter((n) => !this.networks.has(n.id)) : [])];
    for (const n of all) if (n.name === ref) return n;
    for (const n of all) if (n.id === ref) return n;
    const byPrefix = all.filter((n) => n.id.startsWith(ref));
    return byPrefix.length === 1 ? byPrefix[0] : null;
  }

  /**
   * `docker network create`. `auxAddresses` (`--aux-address NAME=IP`) are addresses of the subnet
   * that IPAM must never hand out (a router, a host's macvlan shim).
   */
  createNetwork(o: NetworkCreate & { auxAddresses?: Record<string, string> }): DockerNetwork {
    const aux: [string, Ipv4][] = [];
    for (const [k, v] of Object.entries(o.auxAddresses ?? {})) {
      const ip = parseIpv4(v);
      if (ip === null) throw new DockerError(`invalid auxiliary address ${k}: ${v}`);
      aux.push([k, ip]);
    }
    if (aux.length && o.subnet === undefined) throw new DockerError(`invalid pool request: no matching subnet for aux-address ${formatIpv4(aux[0][1])}`);
    if (aux.length) {
      const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(o.subnet!);
      const base = m ? parseIpv4(m[1]) : null;
      for (const [, ip] of aux) if (base !== null && !inPrefix(ip, base, Number(m![2]))) throw new DockerError(`invalid pool request: no matching subnet for aux-address ${formatIpv4(ip)}`);
    }
    const net = this.createNetworkInner(o);
    for (const [k, ip] of aux) {
      net.pool?.reserve(ip);
      net.aux[k] = ip;
    }
    return net;
  }

  private createNetworkInner(o: NetworkCreate): DockerNetwork {
    const driver = (o.driver ?? 'bridge') as Driver;
    if ([...this.networks.values()].some((n) => n.name === o.name)) throw new DockerError(`network with name ${o.name} already exists`);
    if (driver === 'host' || driver === 'null') throw new DockerError(`only one instance of "${driver}" network is allowed`);
    if (driver === 'overlay') {
      if (!this.swarm) throw new DockerError('This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.');
      if (this.swarmNode?.role !== 'manager') throw new DockerError('Cannot create a multi-host network from a worker node. Please create the network from a manager node.');
      let subnet: Subnet | undefined;
      if (o.subnet !== undefined) {
        const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(o.subnet);
        const addr = m ? parseIpv4(m[1]) : null;
        if (!m || addr === null) throw new DockerError(`invalid subnet ${o.subnet} : invalid CIDR address: ${o.subnet}`);
        subnet = { addr: networkOf(addr, Number(m[2])), len: Number(m[2]) };
      }
      return this.swarm.createNetwork(this, { name: o.name, subnet, gateway: o.gateway !== undefined ? (parseIpv4(o.gateway) ?? undefined) : undefined, attachable: !!o.attachable, internal: !!o.internal, labels: o.labels, options: o.options });
    }
    if (driver !== 'bridge' && driver !== 'macvlan' && driver !== 'ipvlan') throw new DockerError(`could not find plugin ${driver} in v1 plugin registry: plugin not found`);
    const options = o.options ?? {};
    let subnet: Subnet | null = null;
    if (o.subnet !== undefined) {
      const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(o.subnet);
      const addr = m ? parseIpv4(m[1]) : null;
      if (!m || addr === null || Number(m[2]) > 32) throw new DockerError(`invalid subnet ${o.subnet} : invalid CIDR address: ${o.subnet}`);
      subnet = { addr: networkOf(addr, Number(m[2])), len: Number(m[2]) };
      if (networkOf(addr, Number(m[2])) !== addr) throw new DockerError(`invalid network config:\ninvalid subnet ${o.subnet}: it should be ${subnetText(subnet)}`);
      for (const n of this.networks.values()) if (n.pool && overlaps(n.pool.subnet, subnet)) throw new DockerError('invalid pool request: Pool overlaps with other one on this address space');
    } else if (driver === 'bridge' || o.gateway !== undefined) {
      subnet = allocateSubnet(this.takenSubnets(), this.pools);
      if (!subnet) throw new DockerError('all predefined address pools have been fully subnetted');
    }
    let gateway: Ipv4 | null = null;
    if (o.gateway !== undefined) {
      gateway = parseIpv4(o.gateway);
      if (gateway === null) throw new DockerError(`invalid gateway address ${o.gateway}`);
      if (subnet && !inPrefix(gateway, subnet.addr, subnet.len)) throw new DockerError(`invalid pool request: no matching subnet for gateway ${o.gateway}`);
    }
    let range: Subnet | undefined;
    if (o.ipRange !== undefined) {
      const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(o.ipRange);
      const addr = m ? parseIpv4(m[1]) : null;
      if (!m || addr === null) throw new DockerError(`invalid ip-range ${o.ipRange}`);
      range = { addr: networkOf(addr, Number(m[2])), len: Number(m[2]) };
      if (!subnet || !inPrefix(range.addr, subnet.addr, subnet.len) || range.len < subnet.len) throw new DockerError(`invalid pool request: ip-range ${o.ipRange} is not within the subnet`);
    }
    if (driver === 'bridge') {
      const bridgeName = options[SUBNET_KEY];
      return this.createBridgeNetwork({ name: o.name, subnet: subnet!, gateway, range, bridgeName, internal: !!o.internal, isDefault: false, options, labels: o.labels ?? {}, attachable: !!o.attachable });
    }
    // macvlan / ipvlan: a parent interface, no bridge and no NAT
    const parent = options.parent ?? null;
    if (parent !== null && !this.ns.linkByName(parent.split('.')[0])) throw new DockerError(`invalid subinterface vlan name ${parent}, example formatting is eth0.10`);
    const id = this.newId();
    const pool = subnet ? new AddressPool(subnet, range) : null;
    // Engine 29 (GetSkipGwAlloc): macvlan and ipvlan networks reserve no gateway address unless
    // one is given; the gateway is a router outside Docker, never an address of the host
    const gw = gateway;
    if (pool && gw !== null) pool.reserve(gw);
    const net: DockerNetwork = {
      id,
      name: o.name,
      driver,
      created: this.now,
      internal: !!o.internal,
      attachable: !!o.attachable,
      scope: 'local',
      options: parent ? { ...options } : options,
      labels: o.labels ?? {},
      pool,
      gateway: gw,
      bridgeName: null,
      parent: parent ?? 'dummy',
      ipvlanMode: driver === 'ipvlan' ? (options.ipvlan_mode ?? 'l2') : null,
      aux: {},
      isDefaultBridge: false,
      predefined: false,
      endpoints: new Map(),
    };
    this.networks.set(id, net);
    return net;
  }

  private createBridgeNetwork(o: { name: string; subnet: Subnet; gateway: Ipv4 | null; range?: Subnet; bridgeName?: string; internal: boolean; isDefault: boolean; options: Record<string, string>; labels: Record<string, string>; attachable: boolean }): DockerNetwork {
    const id = this.newId();
    const bridgeName = o.bridgeName ?? `br-${id.slice(0, 12)}`;
    const pool = new AddressPool(o.subnet, o.range);
    const gateway = o.gateway ?? ((o.subnet.addr + 1) >>> 0);
    pool.reserve(gateway);
    const ns = this.ns;
    let br = ns.linkByName(bridgeName);
    if (!br) {
      // libnetwork gives the bridge a MAC address of its own, so it does not follow its ports
      const mtu = Number(o.options['com.docker.network.driver.mtu']) || undefined;
      const r = addLink(ns, { name: bridgeName, kind: 'bridge', mac: this.rng.mac(), mtu });
      if (!r.ok) throw new DockerError(`failed to create bridge ${bridgeName}`);
      br = r.value;
    }
    addAddr(br, { addr: gateway, len: o.subnet.len, broadcast: broadcastOf(gateway, o.subnet.len) });
    setUp(br);
    if (!this.userlandProxy) setSysctl(ns, `net.ipv4.conf.${bridgeName}.route_localnet`, '1');
    const net: DockerNetwork = {
      id,
      name: o.name,
      driver: 'bridge',
      created: this.now,
      internal: o.internal,
      attachable: o.attachable,
      scope: 'local',
      options: o.options,
      labels: o.labels,
      pool,
      gateway,
      bridgeName,
      parent: null,
      ipvlanMode: null,
      aux: {},
      isDefaultBridge: o.isDefault,
      predefined: o.isDefault,
      endpoints: new Map(),
    };
    this.networks.set(id, net);
    addNetworkRules(ns, { bridge: bridgeName, subnet: pool.subnet, internal: o.internal, hairpin: !this.userlandProxy });
    return net;
  }

  removeNetwork(ref: string): DockerNetwork {
    const n = this.findNetwork(ref);
    if (!n) throw new DockerError(`network ${ref} not found`);
    if (n.predefined) throw new DockerError(`${n.name} is a pre-defined network and cannot be removed`);
    if (n.overlay) {
      if (this.swarmNode?.role !== 'manager') throw new DockerError(`network ${n.name} is a swarm network and cannot be removed from a worker node`);
      // the manager refuses while a service uses it, then while a task (a container's attachment) does
      this.swarm!.removeNetwork(n);
      return n;
    }
    if (n.endpoints.size) {
      const list = [...n.endpoints.values()].map((e) => `name:"${e.container.name}" id:"${e.id.slice(0, 12)}"`).join(', ');
      throw new DockerError(`error while removing network: network ${n.name} has active endpoints (${list})`);
    }
    if (n.bridgeName) {
      removeNetworkRules(this.ns, { bridge: n.bridgeName, subnet: n.pool!.subnet, internal: n.internal, hairpin: !this.userlandProxy });
      const br = this.ns.linkByName(n.bridgeName);
      if (br) deleteLinkNow(br);
    }
    this.networks.delete(n.id);
    return n;
  }

  // ---- containers --------------------------------------------------------------------------------

  findContainer(ref: string): Container | null {
    const name = ref.replace(/^\//, '');
    for (const c of this.containers.values()) if (c.name === name) return c;
    for (const c of this.containers.values()) if (c.id === ref) return c;
    const byPrefix = [...this.containers.values()].filter((c) => c.id.startsWith(ref));
    return byPrefix.length === 1 ? byPrefix[0] : null;
  }

  /** A name like `boring_wozniak` for containers started without --name. */
  private randomName(): string {
    for (;;) {
      const name = `${LEFT[this.rng.int(0, LEFT.length - 1)]}_${RIGHT[this.rng.int(0, RIGHT.length - 1)]}`;
      if (!this.findContainer(name)) return name;
    }
  }

  createContainer(spec: ContainerSpec): Container {
    const image = findImage(spec.image);
    if (!image) {
      if (knownRepository(spec.image)) throw new DockerError(`manifest for ${spec.image} not found: manifest unknown: manifest unknown`);
      const repo = spec.image.replace(/[:@].*$/, '');
      throw new DockerError(`pull access denied for ${repo}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`);
    }
    const id = this.newId();
    if (spec.name !== undefined) {
      if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(spec.name)) throw new DockerError(`Invalid container name (${spec.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
      const clash = this.findContainer(spec.name);
      if (clash && clash.name === spec.name) throw new DockerError(`Conflict. The container name "/${spec.name}" is already in use by container "${clash.id}". You have to remove (or rename) that container to be able to reuse that name.`);
    }
    const mode = spec.network ?? 'bridge';
    let sharedWith: Container | null = null;
    if (mode.startsWith('container:')) {
      // validateNetContainerMode: what the namespace's owner decides cannot be given again
      if (spec.hostname !== undefined) throw new DockerError('conflicting options: hostname and the network mode');
      if (spec.links?.length) throw new DockerError('conflicting options: container type network can\'t be used with links. This would result in undefined behavior');
      if (spec.dns?.length) throw new DockerError('conflicting options: dns and the network mode');
      if (spec.addHosts?.length) throw new DockerError('conflicting options: custom host-to-IP mapping and the network mode');
      if (spec.ports?.length || spec.publishAll) throw new DockerError('conflicting options: port publishing and the container type network mode');
      sharedWith = this.findContainer(mode.slice('container:'.length));
      if (!sharedWith) throw new DockerError(`No such container: ${mode.slice('container:'.length)}`);
    } else if (!this.findNetwork(mode)) throw new DockerError(`network ${mode} not found`);
    const net = mode.startsWith('container:') ? null : this.findNetwork(mode)!;
    if (net?.overlay && !net.attachable && !spec.labels?.['com.docker.swarm.task.id']) throw new DockerError(`Could not attach to network ${mode}: rpc error: code = PermissionDenied desc = network ${mode} not manually attachable`);
    // validateNetworkingConfig: --ip and --network-alias need a user-defined network, and the
    // address one of its subnets
    const invalid = (msg: string) => new DockerError(`invalid config for network ${mode}: invalid endpoint settings:\n${msg}`);
    const userDefined = net !== null && !net.predefined;
    if (spec.ip !== undefined && !userDefined) throw invalid('user-specified IP address is supported on user-defined networks only');
    if (spec.aliases?.length && !userDefined) throw invalid('network-scoped aliases are only supported for user-defined networks');
    if (spec.ip !== undefined && net?.pool) {
      const want = parseIpv4(spec.ip);
      if (want === null) throw invalid(`invalid IPv4 address: ${spec.ip}`);
      if (!net.pool.contains(want)) throw invalid(`no configured subnet contains IP address ${spec.ip}`);
    }
    if ((spec.ports?.length || spec.publishAll) && net && (net.driver === 'host' || net.driver === 'null')) {
      // Docker accepts and ignores published ports with host networking (with a warning)
    }
    const c: Container = {
      id,
      engine: this,
      name: spec.name ?? this.randomName(),
      image,
      spec,
      created: this.now,
      state: 'created',
      exitCode: 0,
      startedAt: null,
      finishedAt: null,
      restartCount: 0,
      // a container that joins another's namespace takes its hostname too (initializeNetworking)
      hostname: sharedWith?.hostname ?? spec.hostname ?? (mode === 'host' ? this.host.hostname : id.slice(0, 12)),
      networkMode: net ? net.name === 'bridge' && spec.network === undefined ? 'bridge' : mode : mode,
      netns: null,
      fs: new FileSystem(),
      endpoints: new Map(),
      bindings: [],
      running: [],
      dns: null,
      logs: '',
      hostsExtra: [],
      extDns: [],
    };
    c.fs.write('/etc/hostname', `${c.hostname}\n`);
    for (const b of spec.binds ?? []) {
      if (b.volume) {
        let v = this.volumes.get(b.source);
        if (!v) {
          v = new FileSystem(true);
          this.volumes.set(b.source, v);
        }
        c.fs.bind(b.target, v, '/', b.readonly);
      } else {
        // a missing host path is created as a directory, as dockerd does for -v
        if (this.host.fs.stat(b.source) === null) this.host.fs.mkdir(b.source, true);
        c.fs.bind(b.target, this.host.fs, b.source, b.readonly);
      }
    }
    this.containers.set(id, c);
    return c;
  }

  /** The networks a container joins when it starts (its first, plus `docker network connect`s). */
  private pendingNetworks = new Map<string, { net: DockerNetwork; aliases: string[]; ip: Ipv4 | null }[]>();

  startContainer(c: Container): void {
    if (c.state === 'running') return;
    const mode = c.networkMode;
    if (mode === 'host') {
      c.netns = this.ns;
    } else if (mode.startsWith('container:')) {
      const other = this.findContainer(mode.slice('container:'.length));
      if (!other || other.state !== 'running' || !other.netns) throw new DockerError(`cannot join network namespace of a non running container ${mode.slice('container:'.length)}`);
      c.netns = other.netns;
    } else {
      const ns = addAnonNetns(this.host, c.name, c.fs);
      c.netns = ns;
      // Docker switches IPv6 off in a container whose networks have none
      setSysctl(ns, 'net.ipv6.conf.all.disable_ipv6', '1');
      setUp(ns.linkByName('lo')!);
      const first = this.findNetwork(mode);
      const joins = this.pendingNetworks.get(c.id) ?? [];
      if (first && first.driver !== 'null') {
        if (!joins.some((j) => j.net === first)) joins.unshift({ net: first, aliases: [...(c.spec.aliases ?? [])], ip: c.spec.ip !== undefined ? parseIpv4(c.spec.ip) : null });
      }
      this.pendingNetworks.set(c.id, joins);
      try {
        for (const j of joins) this.attach(c, j.net, j.aliases, j.ip);
      } catch (e) {
        // the start fails: what was set up is undone and the container stays as it was
        for (const ep of [...c.endpoints.values()]) this.detach(c, ep);
        this.pendingNetworks.set(c.id, joins);
        c.dns?.stop();
        c.dns = null;
        destroyNetns(ns);
        c.netns = null;
        if (e instanceof DockerError) throw new DockerError(`failed to set up container networking: ${e.message}`);
        throw e;
      }
    }
    c.state = 'running';
    c.startedAt = this.now;
    c.finishedAt = null;
    this.writeNetworkFiles(c, true);
    this.updateLinkParents(c);
    this.publishPorts(c);
    if (!c.spec.cmd.length || (c.image.info.serverArgs && !c.spec.entrypoint)) c.running.push(...startImageServices(c, this));
  }

  /** Join a started container to a network: a veth into the bridge (or a macvlan), an address. */
  private attach(c: Container, net: DockerNetwork, aliases: readonly string[], want: Ipv4 | null): Endpoint {
    const ns = c.netns!;
    const pool = net.pool!;
    let ip: Ipv4 | null;
    if (want !== null) {
      if (!pool.contains(want)) throw new DockerError(`invalid endpoint settings:\nno configured subnet contains IP address ${formatIpv4(want)}`);
      if (!pool.reserve(want)) throw new DockerError(`Address already in use`);
      ip = want;
    } else {
      ip = pool.next();
      if (ip === null) throw new DockerError(`no available IPv4 addresses on this network's address pools: ${net.name} (${net.id})`);
    }
    const ifName = `eth${[...c.endpoints.values()].length}`;
    const hex = () => this.rng.nextU32().toString(16).padStart(8, '0').slice(0, 7);
    let hostVeth: Link | null = null;
    let ctrLink: Link;
    if (net.overlay) {
      const leg = overlayLeg(this, c, net, ifName);
      hostVeth = leg.hostVeth;
      ctrLink = leg.ctrLink;
    } else if (net.driver === 'bridge') {
      const hostName = `veth${hex()}`;
      const tmpName = `veth${hex()}`;
      const mtu = Number(net.options['com.docker.network.driver.mtu']) || undefined;
      const r = addLink(this.ns, { name: hostName, kind: 'veth', peerName: tmpName, mtu });
      if (!r.ok) throw new DockerError('failed to create veth pair');
      hostVeth = r.value;
      ctrLink = hostVeth.peer!;
      const br = this.ns.linkByName(net.bridgeName!)!;
      setMaster(hostVeth, br);
      // without the userland proxy, a container's traffic to its own published port comes back
      // out of the port it went in by
      if (!this.userlandProxy) hostVeth.hairpin = true;
      setUp(hostVeth);
      moveLink(ctrLink, ns);
      rename(ctrLink, ifName);
    } else {
      const parent = this.ns.linkByName(net.parent ?? '');
      if (!parent) throw new DockerError(`failed to create the ${net.driver} port: parent interface ${net.parent} does not exist`);
      const tmpName = `dm-${c.id.slice(0, 12)}`;
      const r = addLink(this.ns, { name: tmpName, kind: net.driver === 'ipvlan' ? 'ipvlan' : 'macvlan', parent, mode: net.driver === 'ipvlan' ? (net.ipvlanMode ?? 'l2') : (net.options.macvlan_mode ?? 'bridge') });
      if (!r.ok) throw new DockerError(`failed to create the ${net.driver} port`);
      ctrLink = r.value;
      moveLink(ctrLink, ns);
      rename(ctrLink, ifName);
    }
    addAddr(ctrLink, { addr: ip, len: pool.subnet.len, broadcast: broadcastOf(ip, pool.subnet.len) });
    setUp(ctrLink);
    // the first network with a gateway gives the default route; an l3 (or l3s) ipvlan routes
    // everything to its interface instead (`default dev eth0`), whatever gateway was given
    const hasDefault = ns.routes.some((r) => r.table === RT_TABLE_MAIN && r.len === 0);
    if (!hasDefault && !net.internal && !net.overlay) {
      if (isL3Ipvlan(net)) addRoute(ns, { dst: 0, len: 0, dev: ctrLink, table: RT_TABLE_MAIN });
      else if (net.gateway !== null) addRoute(ns, { dst: 0, len: 0, via: net.gateway, dev: ctrLink, table: RT_TABLE_MAIN });
    }
    const ep: Endpoint = {
      id: this.newId(),
      network: net,
      container: c,
      ip,
      prefixLen: pool.subnet.len,
      mac: ctrLink.mac,
      aliases: [...aliases],
      staticIp: want,
      // buildEndpointDNSNames: the name, the aliases, the short id, the hostname, without repeats
      dnsNames: [...new Set([c.name, ...aliases, c.id.slice(0, 12), c.hostname])],
      hostVeth,
      ctrLink,
      ifName,
    };
    c.endpoints.set(net.id, ep);
    net.endpoints.set(c.id, ep);
    if (net.driver === 'bridge' && net.bridgeName && !net.internal) addDirectAccessRule(this.ns, net.bridgeName, ip);
    if (!net.isDefaultBridge && !c.dns && net.name !== 'docker_gwbridge') c.dns = startEmbeddedDns(c, this);
    if (net.overlay) {
      announce(net, ep, true);
      // the overlay has no way out: a hidden leg on docker_gwbridge gives the default route
      if (!net.internal && !ns.routes.some((r) => r.table === RT_TABLE_MAIN && r.len === 0)) this.gatewayLeg(c);
      if (this.swarm) programVips(this.swarm, net);
    }
    return ep;
  }

  /** The hidden docker_gwbridge endpoint of an overlay container (not listed by inspect). */
  private gatewayLeg(c: Container): void {
    const gw = ensureGwBridge(this);
    const ep = this.attach(c, gw, [], null);
    void ep;
  }

  /** Leave a network: the veth goes, the address goes back to the pool. */
  private detach(c: Container, ep: Endpoint): void {
    const net = ep.network;
    if (net.overlay) announce(net, ep, false);
    if (ep.ip !== null) {
      this.unpublishOn(c, ep);
      if (net.driver === 'bridge' && net.bridgeName && !net.internal) removeDirectAccessRule(this.ns, net.bridgeName, ep.ip);
      net.pool?.release(ep.ip);
    }
    if (ep.hostVeth && this.ns.linkByIndex(ep.hostVeth.ifindex) === ep.hostVeth) deleteLinkNow(ep.hostVeth);
    else if (ep.ctrLink && ep.ctrLink.ns.linkByIndex(ep.ctrLink.ifindex) === ep.ctrLink) deleteLinkNow(ep.ctrLink);
    c.endpoints.delete(net.id);
    net.endpoints.delete(c.id);
  }

  stopContainer(c: Container, exitCode = 137): void {
    if (c.state !== 'running') return;
    for (const r of c.running) r.stop();
    c.running = [];
    c.dns?.stop();
    c.dns = null;
    const keep = [...c.endpoints.values()].map((ep) => ({ net: ep.network, aliases: [...ep.aliases], ip: ep.staticIp }));
    for (const ep of [...c.endpoints.values()]) this.detach(c, ep);
    this.pendingNetworks.set(c.id, keep);
    this.releaseHostPorts(c);
    if (c.netns && c.netns !== this.ns && !c.networkMode.startsWith('container:')) destroyNetns(c.netns);
    c.netns = null;
    c.state = 'exited';
    c.exitCode = exitCode;
    c.finishedAt = this.now;
  }

  /** The main process ended by itself. */
  exited(c: Container, code: number): void {
    this.stopContainer(c, code);
    if (c.spec.autoRemove) this.removeContainer(c, true);
  }

  removeContainer(c: Container, force: boolean): void {
    if (c.state === 'running') {
      if (!force) throw new DockerError(`cannot remove container "${c.name}": container is running: stop the container before removing or force remove`);
      this.stopContainer(c);
    }
    this.pendingNetworks.delete(c.id);
    this.containers.delete(c.id);
  }

  restartContainer(c: Container): void {
    if (c.state === 'running') this.stopContainer(c, 0);
    c.restartCount++;
    this.startContainer(c);
  }

  connect(c: Container, net: DockerNetwork, o: { aliases?: string[]; ip?: string }): void {
    if (c.networkMode === 'host' || c.networkMode === 'none' || c.networkMode.startsWith('container:')) {
      if (c.networkMode === 'host') throw new DockerError('container cannot be disconnected from host network or connected to host network');
      throw new DockerError(`container sharing network namespace with another container or host cannot be connected to any other network`);
    }
    if (net.driver === 'host' || net.driver === 'null') throw new DockerError('container cannot be disconnected from host network or connected to host network');
    const already = c.state === 'running' ? c.endpoints.has(net.id) : (this.pendingNetworks.get(c.id) ?? []).some((j) => j.net === net) || this.findNetwork(c.networkMode) === net;
    if (already) throw new DockerError(`endpoint with name ${c.name} already exists in network ${net.name}`);
    if (o.ip !== undefined && net.predefined) throw new DockerError('invalid endpoint settings:\nuser-specified IP address is supported on user-defined networks only');
    if (o.aliases?.length && net.predefined) throw new DockerError('invalid endpoint settings:\nnetwork-scoped aliases are only supported for user-defined networks');
    const want = o.ip !== undefined ? parseIpv4(o.ip) : null;
    if (o.ip !== undefined && want === null) throw new DockerError(`invalid endpoint settings:\ninvalid IPv4 address: ${o.ip}`);
    if (want !== null && net.pool && !net.pool.contains(want)) throw new DockerError(`invalid endpoint settings:\nno configured subnet contains IP address ${o.ip}`);
    if (c.state !== 'running') {
      const joins = this.pendingNetworks.get(c.id) ?? [];
      joins.push({ net, aliases: o.aliases ?? [], ip: want });
      this.pendingNetworks.set(c.id, joins);
      return;
    }
    const ep = this.attach(c, net, o.aliases ?? [], want);
    this.publishOn(c, ep);
    this.writeNetworkFiles(c);
  }

  disconnect(c: Container, net: DockerNetwork): void {
    const ep = c.endpoints.get(net.id);
    if (!ep) {
      const joins = this.pendingNetworks.get(c.id) ?? [];
      const i = joins.findIndex((j) => j.net === net);
      if (i >= 0) {
        joins.splice(i, 1);
        return;
      }
      throw new DockerError(`container ${c.id} is not connected to network ${net.name}`);
    }
    this.detach(c, ep);
    const ns = c.netns;
    if (ns && !ns.routes.some((r) => r.table === RT_TABLE_MAIN && r.len === 0)) {
      // another network with a gateway takes over the default route
      const next = [...c.endpoints.values()].find((e) => (e.network.gateway !== null || isL3Ipvlan(e.network)) && !e.network.internal);
      if (next && next.ctrLink) {
        if (isL3Ipvlan(next.network)) addRoute(ns, { dst: 0, len: 0, dev: next.ctrLink, table: RT_TABLE_MAIN });
        else addRoute(ns, { dst: 0, len: 0, via: next.network.gateway!, dev: next.ctrLink, table: RT_TABLE_MAIN });
      }
    }
    this.writeNetworkFiles(c);
  }

  /** The networks of a container as `docker inspect` lists them (running or not). */
  networksOf(c: Container): { net: DockerNetwork; ep: Endpoint | null; aliases: string[] }[] {
    if (c.state === 'running') return [...c.endpoints.values()].map((ep) => ({ net: ep.network, ep, aliases: [...ep.aliases] }));
    const joins = this.pendingNetworks.get(c.id);
    if (joins) return joins.map((j) => ({ net: j.net, ep: null, aliases: j.aliases }));
    const n = c.networkMode.startsWith('container:') ? null : this.findNetwork(c.networkMode);
    return n ? [{ net: n, ep: null, aliases: [...(c.spec.aliases ?? [])] }] : [];
  }

  // ---- files ---------------------------------------------------------------------------------------

  /**
   * A container that starts again (on the default bridge) may have a new address: Docker rewrites
   * it in the /etc/hosts of the running containers that link to it (updateParentsHosts through
   * etchosts.Update: the address of every line with `\tALIAS` followed by a space or a dot).
   */
  private updateLinkParents(c: Container): void {
    const ep = [...c.endpoints.values()].find((e) => e.network.isDefaultBridge);
    if (ep?.ip == null) return;
    for (const p of this.containers.values()) {
      if (p === c || p.state !== 'running') continue;
      for (const l of p.spec.links ?? []) {
        if (this.findContainer(l.name) !== c) continue;
        const cur = p.fs.read('/etc/hosts');
        if (!cur.ok) continue;
        const re = new RegExp(`(\\S*)(\\t${l.alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})(\\s|\\.)`, 'g');
        p.fs.write('/etc/hosts', cur.data.replace(re, `${formatIpv4(ep.ip)}$2$3`));
      }
    }
  }

  /**
   * The variables a legacy link puts in the linking container's environment (links.go ToEnv),
   * per `--link NAME:ALIAS`, from the target as it is now: ALIAS_PORT (the lowest exposed port,
   * tcp first) and per port ALIAS_PORT_N_PROTO with _ADDR, _PORT, _PROTO; ALIAS_NAME=/CONTAINER/ALIAS;
   * ALIAS_ENV_X for the target's own variables but HOME and PATH. (The _START and _END variables
   * of runs of consecutive ports are not modelled.)
   */
  linkEnv(c: Container): string[] {
    const env: string[] = [];
    for (const l of c.spec.links ?? []) {
      const t = this.findContainer(l.name);
      if (!t) continue;
      const ep = [...t.endpoints.values()].find((e) => e.network.isDefaultBridge);
      const ip = ep?.ip != null ? formatIpv4(ep.ip) : '';
      const alias = l.alias.toUpperCase().replace(/-/g, '_');
      const ports = new Map<string, { port: number; proto: string }>();
      for (const x of [...t.image.info.exposed, ...(t.spec.ports ?? []).map((p) => `${p.containerPort}/${p.proto}`)]) {
        const [n, proto = 'tcp'] = String(x).split('/');
        ports.set(`${Number(n)}/${proto}`, { port: Number(n), proto });
      }
      const sorted = [...ports.values()].sort((a, b) => a.port - b.port || (a.proto === 'tcp' ? -1 : b.proto === 'tcp' ? 1 : a.proto.localeCompare(b.proto)));
      if (sorted.length) env.push(`${alias}_PORT=${sorted[0].proto}://${ip}:${sorted[0].port}`);
      for (const p of sorted) {
        const k = `${alias}_PORT_${p.port}_${p.proto.toUpperCase()}`;
        env.push(`${k}=${p.proto}://${ip}:${p.port}`, `${k}_ADDR=${ip}`, `${k}_PORT=${p.port}`, `${k}_PROTO=${p.proto}`);
      }
      env.push(`${alias}_NAME=/${c.name}/${l.alias}`);
      // the target's Config.Env: its -e values, then the image's it does not override (merge)
      const own = [...(t.spec.env ?? [])];
      for (const e of t.image.info.env) if (!own.some((x) => x.split('=')[0] === e.split('=')[0])) own.push(e);
      for (const e of own) {
        const i = e.indexOf('=');
        if (i <= 0) continue;
        const name = e.slice(0, i);
        if (name !== 'HOME' && name !== 'PATH') env.push(`${alias}_ENV_${name}=${e.slice(i + 1)}`);
      }
    }
    return env;
  }

  /**
   * Docker's /etc/hosts and /etc/resolv.conf for a container. A start (a new sandbox) writes
   * resolv.conf afresh; a later update (a network connected or disconnected) leaves it alone when
   * it no longer matches the hash file Docker keeps beside it (sandbox_dns_unix.go).
   */
  private writeNetworkFiles(c: Container, fresh = false): void {
    if (c.networkMode === 'host') {
      c.fs.write('/etc/hosts', this.host.fs.read('/etc/hosts').ok ? (this.host.fs.read('/etc/hosts') as { data: string }).data : '');
      c.fs.write('/etc/resolv.conf', (this.host.fs.read('/etc/resolv.conf') as { ok: boolean; data?: string }).data ?? '');
      return;
    }
    const own: HostsEntry[] = [];
    for (const ep of c.endpoints.values()) if (ep.ip !== null) own.push({ ip: ep.ip, names: [c.hostname] });
    const extra: HostsEntry[] = [];
    for (const h of c.spec.addHosts ?? []) {
      const ip = h.ip === 'host-gateway' ? (this.findNetwork('bridge')?.gateway ?? null) : parseIpv4(h.ip);
      if (ip !== null) extra.push({ ip, names: [h.name] });
    }
    for (const l of c.spec.links ?? []) {
      const target = this.findContainer(l.name);
      const ep = target ? [...target.endpoints.values()].find((e) => e.network.isDefaultBridge) : undefined;
      if (target && ep?.ip != null) extra.push({ ip: ep.ip, names: l.alias === target.name ? [target.name, target.hostname] : [l.alias, target.hostname, target.name] });
    }
    // a file the user bind-mounts over Docker's own is left alone (Docker does not mount its copy)
    const userMounted = (path: string) => c.fs.mountAt(path)?.point === path;
    if (!userMounted('/etc/hosts')) c.fs.write('/etc/hosts', hostsFile(own.length ? own.slice(0, 1) : [], extra));
    const hostConf = this.host.fs.read(this.resolvConfPath);
    const internal = [...c.endpoints.values()].some((e) => !e.network.isDefaultBridge) || (c.state !== 'running' && this.networksOf(c).some((n) => !n.net.isDefaultBridge));
    const o = { host: hostConf.ok ? hostConf.data : '', source: hostConf.ok ? this.resolvConfPath : '', internal, dns: c.spec.dns?.length ? c.spec.dns : this.daemonDns, dnsSearch: c.spec.dnsSearch ?? [], dnsOptions: c.spec.dnsOptions ?? [] };
    if (!userMounted('/etc/resolv.conf')) {
      // Docker writes the legacy (copied) file with a hash beside it, then, when the embedded
      // server is needed, the 127.0.0.11 version without updating the hash: from then on the file
      // counts as modified and is never rewritten until the next start
      const cur = c.fs.read('/etc/resolv.conf');
      const modified = cur.ok && c.resolvHash !== undefined && cur.data !== c.resolvHash;
      if (fresh || !modified) {
        c.resolvHash = resolvConf({ ...o, internal: false });
        c.fs.write('/etc/resolv.conf', internal ? resolvConf(o) : c.resolvHash);
      }
    }
    // the embedded server takes its upstreams when Docker writes the 127.0.0.11 file (or would,
    // under a user's bind mount), and keeps them whatever later happens to the file
    if (internal && (fresh || !c.extDns.length)) c.extDns = extServers(o).flatMap((x) => (parseIpv4(x.addr) === null ? [] : [{ addr: parseIpv4(x.addr)!, hostLoopback: x.hostLoopback }]));
    if (fresh && !internal) c.extDns = [];
  }

  // ---- published ports -----------------------------------------------------------------------------

  /** The ports a container publishes: -p, and with -P every EXPOSE'd port on an ephemeral one. */
  private portSpecs(c: Container): PortSpec[] {
    const out = [...(c.spec.ports ?? [])];
    if (c.spec.publishAll) {
      for (const e of c.image.info.exposed) {
        const [port, proto] = e.split('/');
        if (!out.some((p) => p.containerPort === Number(port) && p.proto === proto)) out.push({ proto: proto as 'tcp' | 'udp', containerPort: Number(port), hostIp: '', hostPort: 0 });
      }
    }
    return out;
  }

  private publishPorts(c: Container): void {
    if (c.networkMode === 'host' || c.networkMode === 'none' || c.networkMode.startsWith('container:')) return;
    const specs = this.portSpecs(c);
    const bindings: Container['bindings'] = [];
    try {
      for (const spec of specs) {
        const hostIp = spec.hostIp || '0.0.0.0';
        const hostPort = spec.hostPort || this.ephemeralPort(spec.proto, hostIp);
        const key = `${spec.proto}/${hostIp}:${hostPort}`;
        const wildKey = `${spec.proto}/0.0.0.0:${hostPort}`;
        if (this.hostPorts.has(key) || this.hostPorts.has(wildKey) || (hostIp === '0.0.0.0' && [...this.hostPorts.keys()].some((k) => k.startsWith(`${spec.proto}/`) && k.endsWith(`:${hostPort}`)))) {
          const ep = [...c.endpoints.values()][0];
          throw new DockerError(`failed to set up container networking: driver failed programming external connectivity on endpoint ${c.name} (${ep?.id ?? c.id}): Bind for ${hostIp}:${hostPort} failed: port is already allocated`);
        }
        // Engine 28+ binds the host port itself before anything else (and hands the socket to
        // docker-proxy): a host process already on that port makes the start fail
        const bindAddr = hostIp === '0.0.0.0' ? 0 : (parseIpv4(hostIp) ?? 0);
        const socks = this.ns.sockets;
        const taken =
          spec.proto === 'tcp'
            ? [...socks.tcpListeners.values()].some((l) => l.port === hostPort && (l.addr === 0 || bindAddr === 0 || l.addr === bindAddr))
            : [...socks.udp.values()].some((u) => u.port === hostPort && (u.addr === 0 || bindAddr === 0 || u.addr === bindAddr));
        if (taken) {
          const ep = [...c.endpoints.values()][0];
          throw new DockerError(`failed to set up container networking: driver failed programming external connectivity on endpoint ${c.name} (${ep?.id ?? c.id}): failed to bind host port ${hostIp}:${hostPort}/${spec.proto}: address already in use`);
        }
        bindings.push({ spec, hostIp, hostPort });
        this.hostPorts.set(key, c.id);
      }
    } catch (e) {
      for (const b of bindings) this.hostPorts.delete(`${b.spec.proto}/${b.hostIp}:${b.hostPort}`);
      this.stopContainer(c, 128);
      throw e;
    }
    c.bindings = bindings;
    for (const ep of c.endpoints.values()) this.publishOn(c, ep);
  }

  private mappingsFor(c: Container): PortMapping[] {
    return c.bindings.map((b) => ({ proto: b.spec.proto, hostIp: b.hostIp === '0.0.0.0' ? null : parseIpv4(b.hostIp), hostPort: b.hostPort, containerPort: b.spec.containerPort }));
  }

  /** Rules and proxies for a container's ports on one bridge network (the first that gets them). */
  private publishOn(c: Container, ep: Endpoint): void {
    if (!c.bindings.length || !ep.network.bridgeName || ep.ip === null || ep.network.internal) return;
    if ([...c.endpoints.values()].some((e) => (e as { published?: boolean }).published)) return;
    addPortRules(this.ns, ep.network.bridgeName, ep.ip, this.mappingsFor(c), !this.userlandProxy);
    if (this.userlandProxy) {
      for (const b of c.bindings) {
        const p = startProxy(this, c, b.spec.proto, b.hostIp, b.hostPort, ep.ip, b.spec.containerPort);
        if (p) c.running.push(p);
      }
    }
    (ep as { published?: boolean }).published = true;
  }

  private unpublishOn(c: Container, ep: Endpoint): void {
    if (!(ep as { published?: boolean }).published || !ep.network.bridgeName || ep.ip === null) return;
    removePortRules(this.ns, ep.network.bridgeName, ep.ip, this.mappingsFor(c), !this.userlandProxy);
    for (const r of c.running.filter((x) => x.kind === 'proxy')) r.stop();
    c.running = c.running.filter((x) => x.kind !== 'proxy');
    (ep as { published?: boolean }).published = false;
  }

  private releaseHostPorts(c: Container): void {
    for (const b of c.bindings) this.hostPorts.delete(`${b.spec.proto}/${b.hostIp}:${b.hostPort}`);
    c.bindings = [];
  }

  private ephemeralPort(proto: string, hostIp: string): number {
    for (let i = 0; i < 28232; i++) {
      const p = this.nextEphemeral;
      this.nextEphemeral = p >= 60999 ? 32768 : p + 1;
      if (![...this.hostPorts.keys()].some((k) => k.startsWith(`${proto}/`) && k.endsWith(`:${p}`))) {
        void hostIp;
        return p;
      }
    }
    throw new DockerError('no available ports');
  }

  /**
   * Read /etc/docker/daemon.json (what dockerd reads at start): `default-address-pools` and
   * `dns`; other keys are accepted and not modelled. Returns dockerd's complaint when the file
   * is not valid, and then changes nothing.
   */
  loadConfig(): string | null {
    const r = this.host.fs.read('/etc/docker/daemon.json');
    if (!r.ok) {
      this.pools = DEFAULT_POOLS;
      this.daemonDns = [];
      this.configuredUserlandProxy = true;
      return null;
    }
    const r2 = parseDaemonConfig(r.data);
    if (typeof r2 === 'string') return `unable to configure the Docker daemon with file /etc/docker/daemon.json: ${r2}`;
    this.pools = r2.pools ?? DEFAULT_POOLS;
    this.daemonDns = r2.dns;
    this.configuredUserlandProxy = r2.userlandProxy;
    return null;
  }

  /** dockerd is running (systemctl stop docker stops it) */
  running = true;
  /** why dockerd last failed to start (a bad daemon.json), for systemctl status */
  failure: string | null = null;

  /** `systemctl stop docker`: the containers stop (SIGTERM, then SIGKILL); the rules stay. */
  stopDaemon(): void {
    for (const c of this.containers.values()) {
      if (c.state !== 'running') continue;
      c.stoppedByDaemon = true;
      this.stopContainer(c, c.image.info.services.length && !c.spec.cmd.length ? 0 : 137);
    }
    this.running = false;
  }

  /**
   * `systemctl start docker` (and restart): forwarding on, Docker's rules rebuilt from scratch in
   * its layout, and the containers whose restart policy says so started again.
   */
  startDaemon(): Container[] {
    if (this.running) this.stopDaemon();
    this.userlandProxy = this.configuredUserlandProxy;
    this.detectResolvConf();
    const ns = this.ns;
    const forwardWasOff = !ns.ipForward;
    setSysctl(ns, 'net.ipv4.ip_forward', '1');
    clearDockerRules(ns);
    installBaseRules(ns, forwardWasOff, !this.userlandProxy);
    for (const n of this.networks.values()) {
      if (!n.bridgeName || !n.pool) continue;
      addNetworkRules(ns, { bridge: n.bridgeName, subnet: n.pool.subnet, internal: n.internal, hairpin: !this.userlandProxy });
      // setupLoopbackAddressesRouting: switched on for each bridge, never switched back off
      if (!this.userlandProxy) setSysctl(ns, `net.ipv4.conf.${n.bridgeName}.route_localnet`, '1');
    }
    this.running = true;
    const started: Container[] = [];
    for (const c of this.containers.values()) {
      const policy = c.spec.restart ?? 'no';
      if (c.stoppedByDaemon && (policy === 'always' || policy === 'unless-stopped')) {
        this.startContainer(c);
        started.push(c);
      }
      c.stoppedByDaemon = false;
    }
    return started;
  }

  /** resolvconf.Path at daemon start: systemd-resolved's stub alone means its upstream file. */
  private detectResolvConf(): void {
    const r = this.host.fs.read('/etc/resolv.conf');
    const servers = r.ok ? parseResolvConf(r.data).servers : [];
    this.resolvConfPath = servers.length === 1 && formatIpv4(servers[0]) === '127.0.0.53' ? '/run/systemd/resolve/resolv.conf' : '/etc/resolv.conf';
  }

  /** The container's address on its first network (what `docker inspect` shows first). */
  addressOf(c: Container): Ipv4 | null {
    for (const ep of c.endpoints.values()) if (ep.ip !== null) return ep.ip;
    return null;
  }

  /** Time since, for `docker ps`. */
  uptime(c: Container): Micros {
    return c.startedAt === null ? 0 : this.now - c.startedAt;
  }
}

/** Docker's name generator word lists (a few of each, enough for distinct names). */
const LEFT = ['admiring', 'amazing', 'angry', 'awesome', 'blissful', 'bold', 'boring', 'brave', 'busy', 'charming', 'clever', 'compassionate', 'confident', 'cool', 'dazzling', 'determined', 'eager', 'ecstatic', 'elastic', 'elegant', 'epic', 'exciting', 'festive', 'focused', 'friendly', 'funny', 'gallant', 'gifted', 'goofy', 'gracious', 'happy', 'hopeful', 'hungry', 'infallible', 'inspiring', 'intelligent', 'jolly', 'keen', 'kind', 'laughing', 'loving', 'lucid', 'magical', 'modest', 'musing', 'mystifying', 'naughty', 'nervous', 'nice', 'nifty', 'nostalgic', 'objective', 'optimistic', 'peaceful', 'pedantic', 'pensive', 'practical', 'priceless', 'quirky', 'quizzical', 'relaxed', 'reverent', 'romantic', 'serene', 'sharp', 'silly', 'sleepy', 'stoic', 'strange', 'stupefied', 'suspicious', 'sweet', 'tender', 'thirsty', 'trusting', 'upbeat', 'vibrant', 'vigilant', 'vigorous', 'wizardly', 'wonderful', 'xenodochial', 'youthful', 'zealous', 'zen'];
const RIGHT = ['agnesi', 'albattani', 'allen', 'archimedes', 'babbage', 'banach', 'bardeen', 'bartik', 'bell', 'bhabha', 'blackburn', 'bohr', 'booth', 'bose', 'brahmagupta', 'carson', 'cerf', 'chandrasekhar', 'curie', 'darwin', 'davinci', 'dijkstra', 'einstein', 'euclid', 'euler', 'fermat', 'feynman', 'franklin', 'galileo', 'gauss', 'goldberg', 'goodall', 'hamilton', 'hawking', 'heisenberg', 'hellman', 'hodgkin', 'hopper', 'hypatia', 'jackson', 'jang', 'johnson', 'kalam', 'kepler', 'khorana', 'knuth', 'lamarr', 'lamport', 'leakey', 'lovelace', 'lumiere', 'mayer', 'mccarthy', 'mcclintock', 'meitner', 'mendel', 'merkle', 'morse', 'napier', 'newton', 'nobel', 'noether', 'pascal', 'pasteur', 'perlman', 'pike', 'poincare', 'ptolemy', 'raman', 'ritchie', 'rosalind', 'sammet', 'shannon', 'shaw', 'shockley', 'sinoussi', 'swanson', 'swartz', 'tesla', 'thompson', 'torvalds', 'turing', 'volhard', 'wescoff', 'wiles', 'williams', 'wozniak', 'wright', 'yalow', 'yonath'];

/**
 * The parts of daemon.json the simulator models, or the error dockerd gives (its JSON decoder's
 * wording for a syntax error, its own for a bad pool).
 */
export function parseDaemonConfig(text: string): { pools: PoolSpec[] | null; dns: string[]; userlandProxy: boolean } | string {
  // an empty file is no configuration
  if (!text.trim()) return { pools: null, dns: [], userlandProxy: true };
  const syntax = goJsonSyntaxError(text);
  if (syntax) return syntax;
  const doc: unknown = JSON.parse(text);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'json: cannot unmarshal into Go value of type map[string]interface {}';
  const o = doc as Record<string, unknown>;
  let pools: PoolSpec[] | null = null;
  if (o['default-address-pools'] !== undefined) {
    const list = o['default-address-pools'];
    if (!Array.isArray(list)) return 'json: cannot unmarshal into Go struct field Config.default-address-pools of type []*ipamutils.NetworkToSplit';
    pools = [];
    for (const p of list as { base?: unknown; size?: unknown }[]) {
      const m = typeof p?.base === 'string' ? /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(p.base) : null;
      const addr = m ? parseIpv4(m[1]) : null;
      if (!m || addr === null || Number(m[2]) > 32) return `invalid default address pool base: ${String(p?.base)}`;
      const len = Number(m[2]);
      const size = Number(p.size);
      if (!Number.isInteger(size) || size < len || size > 32) return `invalid pools size: ${String(p.size)}`;
      pools.push({ base: { addr: networkOf(addr, len), len }, size });
    }
  }
  const dns = Array.isArray(o.dns) ? (o.dns as unknown[]).map(String) : [];
  for (const d of dns) if (parseIpv4(d) === null) return `${d} is not an ip address`;
  return { pools, dns, userlandProxy: o['userland-proxy'] !== false };
}

/** Engines by host. */
const ENGINES = new WeakMap<Host, DockerEngine>();

export function dockerOn(host: Host): DockerEngine | null {
  return ENGINES.get(host) ?? null;
}

/** Install and start Docker Engine on a host. */
export function installDocker(host: Host): DockerEngine {
  const e = new DockerEngine(host);
  ENGINES.set(host, e);
  return e;
}

export const DOCKER_SECOND = SECOND;
