/**
 * The network objects: interfaces (links), network namespaces and hosts.
 *
 * What Linux object each maps to:
 * - `Link`  = a struct net_device. Its `kind` is the rtnl link kind (veth, bridge, vxlan...).
 * - `Netns` = a struct net: its own links, addresses, routes, neighbour table, netfilter tables,
 *             conntrack table, sockets and sysctls.
 * - `Host`  = one machine (one kernel): a root namespace, the named namespaces `ip netns` knows
 *             (files in /run/netns) and a filesystem.
 *
 * Interface indexes are allocated per namespace, cyclically, as the kernel has done since 6.x:
 * the peer of a new veth pair registers first, and a device moved to another namespace keeps its
 * index when it is free there.
 */
import { SECOND, type Micros } from '../engine/scheduler.ts';
import { broadcastOf, linkLocalFromMac, networkOf, type Ipv4, type Mac } from '../wire/addr.ts';
import { Conntrack } from '../netfilter/conntrack.ts';
import { Netfilter } from '../netfilter/tables.ts';
import type { Packet } from '../wire/packet.ts';
import { RT_TABLE_LOCAL, RT_TABLE_MAIN, type IfAddr, type LinkKind, type NeighEntry, type Route } from './types.ts';
import type { SocketTable } from '../transport/sockets.ts';
import type { World } from './world.ts';
import type { FileSystem } from './fs.ts';

/** A bridge's forwarding database entry. */
export interface FdbEntry {
  readonly mac: Mac;
  /** the port (ifindex) behind which the MAC lives */
  port: number;
  /** a local address of the bridge or one of its ports */
  readonly local: boolean;
  updated: Micros;
}

export interface BridgeInfo {
  /** the ports enslaved to this bridge */
  ports: Set<Link>;
  fdb: Map<Mac, FdbEntry>;
  stp: boolean;
  ageingTime: number; // centiseconds, as ip -d shows
  vlanFiltering: boolean;
  /** the MTU was set by the user (the bridge no longer follows its ports) */
  mtuSet: boolean;
  /** a port has been enslaved at least once: from then on the bridge's carrier follows its ports */
  hadPorts: boolean;
}

export interface VxlanInfo {
  vni: number;
  remote: Ipv4 | null;
  local: Ipv4 | null;
  group: Ipv4 | null;
  dstport: number;
  /** ifindex of the underlay device in `underlay` namespace, 0 if none */
  devIndex: number;
  /** the namespace whose stack carries the encapsulated packets (where the device was created) */
  underlay: Netns;
  learning: boolean;
  /** `proxy`: answer ARP requests from the neighbour table instead of flooding them (arp_reduce) */
  proxy?: boolean;
  /** `l2miss`, `l3miss`: netlink notifications on FDB and neighbour misses (nothing listens here) */
  l2miss?: boolean;
  l3miss?: boolean;
  ttl: number;
  /** FDB entries: MAC → remote VTEP (the all-zero MAC is the default destination) */
  fdb: Map<Mac, { dst: Ipv4; self: boolean; permanent: boolean; updated: Micros }>;
}

/** An IPVS virtual service: round robin over real servers (masquerading forwarding). */
export interface IpvsService {
  readonly proto: 'tcp' | 'udp';
  readonly vip: Ipv4;
  readonly port: number;
  backends: { addr: Ipv4; port: number }[];
  next: number;
}

/** Counters as `ip -s link` prints them. */
export interface LinkStats {
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDropped: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDropped: number;
}

export class Link {
  ifindex: number;
  private currentName: string;
  readonly kind: LinkKind;
  ns: Netns;
  mac: Mac;
  /** the MAC was set with `ip link set address` (bridges then stop following their ports) */
  macSet = false;
  mtu: number;
  adminUp = false;
  /** ifindex of the bridge this interface is a port of, in the same namespace */
  master: Link | null = null;
  addrs: IfAddr[] = [];
  /** link-local IPv6 address shown by `ip addr`, assigned when the link first has carrier */
  ll6: string | null = null;
  ll6Since: Micros = 0;
  stats: LinkStats = { rxBytes: 0, rxPackets: 0, rxErrors: 0, rxDropped: 0, txBytes: 0, txPackets: 0, txErrors: 0, txDropped: 0 };
  /** veth: the other end (possibly in another namespace) */
  peer: Link | null = null;
  /** macvlan/ipvlan: the lower device; vxlan: the underlay device */
  parent: Link | null = null;
  /** ether: the L2 segment (a LAN or a point-to-point wire) this NIC is plugged into */
  segment: Segment | null = null;
  bridge: BridgeInfo | null = null;
  vxlan: VxlanInfo | null = null;
  /** macvlan/ipvlan mode */
  mode: string | null = null;
  /** the netns this device was created in (vxlan encapsulates there; `link-netnsid` for macvlan) */
  readonly createdIn: Netns;
  /** recent frames seen on this interface, for tcpdump */
  capture: CapturedFrame[] = [];
  /** frames already shown by a foreground tcpdump */
  captureShown = 0;
  promisc = 0;
  /** bridge port: hairpin mode */
  hairpin = false;
  /** a link whose queue discipline was set up at least once (qdisc "noqueue" vs "noop") */
  everUp = false;
  alias: string | null = null;
  /** devices stacked on this one (macvlan/ipvlan children, vxlans using it as underlay) */
  uppers = new Set<Link>();
  /** carrier as last seen by the model (to act on transitions) */
  carrierWas = false;

  constructor(ns: Netns, ifindex: number, name: string, kind: LinkKind, mac: Mac, mtu: number) {
    this.ns = ns;
    this.createdIn = ns;
    this.ifindex = ifindex;
    this.currentName = name;
    this.kind = kind;
    this.mac = mac;
    this.mtu = mtu;
  }

  get name(): string {
    return this.currentName;
  }

  /** Renaming keeps the namespace's name index in step. */
  set name(name: string) {
    const old = this.currentName;
    this.currentName = name;
    this.ns.linkRenamed(this, old);
  }

  /** Physical carrier (LOWER_UP), as the driver reports it. */
  get carrier(): boolean {
    if (!this.adminUp) return false;
    switch (this.kind) {
      case 'veth':
        return !!this.peer && this.peer.adminUp;
      case 'ether':
        return !!this.segment && this.segment.carrierFor(this);
      case 'bridge': {
        // A new bridge keeps its carrier on until its first port arrives (as the recorded 6.18
        // kernel shows); from then on it has carrier while at least one port is forwarding,
        // so a bridge whose last port left has none (br_port_state_selection).
        const ports = this.bridge!.ports;
        if (!this.bridge!.hadPorts) return true;
        for (const p of ports) if (p.portForwarding) return true;
        return false;
      }
      case 'macvlan':
      case 'ipvlan':
        return !!this.parent && this.parent.carrier;
      default:
        return true;
    }
  }

  /** A bridge port forwards frames (STP is off, so: the port is up and has carrier). */
  get portForwarding(): boolean {
    return !!this.master && this.adminUp && this.carrier;
  }

  /** IFF_RUNNING as `ip link` shows it: LOWER_UP. */
  get lowerUp(): boolean {
    return this.carrier;
  }

  /** The interface the kernel calls this device's "iflink" (veth peer, macvlan lower device). */
  get iflink(): Link | null {
    if (this.kind === 'veth') return this.peer;
    if (this.kind === 'macvlan' || this.kind === 'ipvlan') return this.parent;
    return null;
  }

  /** RFC 2863 operational state as iproute2 prints it. */
  get operstate(): string {
    if (!this.adminUp) return 'DOWN';
    if (this.kind === 'loopback' || this.kind === 'dummy' || this.kind === 'vxlan') return 'UNKNOWN';
    if (!this.carrier) {
      // default_operstate(): looks the iflink up by index in this device's own namespace
      const iflink = this.iflink;
      if (!iflink || iflink.ifindex === this.ifindex) return 'DOWN';
      const same = this.ns.linkByIndex(iflink.ifindex);
      if (!same) return 'DOWN';
      return same.operstate === 'DOWN' ? 'LOWERLAYERDOWN' : 'DOWN';
    }
    if (this.kind === 'bridge' && !this.bridge!.hadPorts) return 'UNKNOWN';
    return 'UP';
  }

  get noarp(): boolean {
    return this.kind === 'loopback' || this.kind === 'dummy' || (this.kind === 'ipvlan' && this.mode === 'l3');
  }

  /** The IPv4 addresses, primary first (as the kernel orders them). */
  get primaryAddrs(): IfAddr[] {
    return this.addrs.filter((a) => !a.secondary);
  }

  /** Remember a frame for tcpdump (bounded). */
  record(frame: CapturedFrame): void {
    this.capture.push(frame);
    if (this.capture.length > 2000) {
      const drop = this.capture.length - 1500;
      this.capture.splice(0, drop);
      this.captureShown = Math.max(0, this.captureShown - drop);
    }
  }
}

export interface CapturedFrame {
  readonly t: Micros;
  readonly dir: 'in' | 'out';
  readonly packet: Packet;
}

/**
 * An Ethernet segment: the wire (or switch) that NICs of different hosts are plugged into.
 * Frames reach the NIC whose MAC (or a macvlan child's MAC) matches; broadcasts and unknown
 * unicast reach every other NIC, as a learning switch does before it has learned.
 */
export class Segment {
  readonly name: string;
  readonly links: Link[] = [];
  /** one-way latency in microseconds */
  readonly latency: Micros;

  constructor(name: string, latency: Micros) {
    this.name = name;
    this.latency = latency;
  }

  carrierFor(l: Link): boolean {
    // a plugged-in cable gives carrier when the link is up; a point-to-point wire needs the far end up
    if (this.links.length === 2) return this.links.every((x) => x.adminUp);
    return l.adminUp;
  }
}

/** Per-namespace defaults of the sysctls the model uses (as the recorded 6.18 kernel shows). */
export const SYSCTL_DEFAULTS: Record<string, string> = {
  'net.ipv4.ip_forward': '0',
  'net.ipv4.conf.all.forwarding': '0',
  'net.ipv4.conf.default.forwarding': '0',
  'net.ipv4.conf.all.rp_filter': '0',
  'net.ipv4.conf.default.rp_filter': '0',
  'net.ipv4.conf.all.proxy_arp': '0',
  'net.ipv4.conf.default.proxy_arp': '0',
  'net.ipv4.conf.all.route_localnet': '0',
  'net.ipv4.conf.all.arp_ignore': '0',
  'net.ipv4.conf.all.arp_announce': '0',
  'net.ipv4.conf.all.accept_redirects': '1',
  'net.ipv4.conf.all.send_redirects': '1',
  'net.ipv4.conf.all.promote_secondaries': '0',
  'net.ipv4.icmp_echo_ignore_all': '0',
  'net.ipv4.icmp_echo_ignore_broadcasts': '1',
  'net.ipv4.icmp_ratelimit': '1000',
  'net.ipv4.icmp_ratemask': '6168',
  'net.ipv4.ip_default_ttl': '64',
  'net.ipv4.ip_local_port_range': '32768\t60999',
  'net.ipv4.ip_nonlocal_bind': '0',
  'net.ipv4.ping_group_range': '1\t0',
  'net.ipv4.tcp_syn_retries': '6',
  'net.ipv4.tcp_synack_retries': '5',
  'net.ipv4.tcp_fin_timeout': '60',
  'net.ipv4.tcp_keepalive_time': '7200',
  'net.ipv4.tcp_rmem': '4096\t131072\t33554432',
  'net.ipv4.tcp_wmem': '4096\t16384\t4194304',
  'net.ipv4.neigh.default.base_reachable_time_ms': '30000',
  'net.ipv4.neigh.default.retrans_time_ms': '1000',
  'net.ipv4.neigh.default.mcast_solicit': '3',
  'net.ipv4.neigh.default.ucast_solicit': '3',
  'net.ipv4.neigh.default.delay_first_probe_time': '5',
  'net.ipv4.neigh.default.gc_stale_time': '60',
  'net.core.somaxconn': '4096',
  'net.core.rmem_max': '4194304',
  'net.bridge.bridge-nf-call-arptables': '1',
  'net.bridge.bridge-nf-call-ip6tables': '1',
  'net.bridge.bridge-nf-call-iptables': '1',
  'net.bridge.bridge-nf-filter-pppoe-tagged': '0',
  'net.bridge.bridge-nf-filter-vlan-tagged': '0',
  'net.bridge.bridge-nf-pass-vlan-input-dev': '0',
  'net.netfilter.nf_conntrack_max': '262144',
  'net.netfilter.nf_conntrack_tcp_loose': '1',
  'net.ipv6.conf.all.disable_ipv6': '0',
  'net.ipv6.conf.all.forwarding': '0',
};

/** Keys that exist per interface under net.ipv4.conf.<dev>. */
export const PER_DEV_SYSCTLS: Record<string, string> = {
  forwarding: '0',
  rp_filter: '0',
  proxy_arp: '0',
  route_localnet: '0',
  arp_ignore: '0',
  arp_announce: '0',
  accept_redirects: '1',
  send_redirects: '1',
};

export class Netns {
  readonly world: World;
  readonly host: Host;
  /** name under /run/netns, or null for the host's initial namespace and for unnamed ones */
  name: string | null;
  /** a label for unnamed namespaces (a container name); used in traces */
  label: string;
  /** unique over the world */
  readonly serial: number;
  private links = new Map<number, Link>();
  private readonly linksByName = new Map<string, Link>();
  private nextIfindex = 1;
  routes: Route[] = [];
  neigh = new Map<string, NeighEntry>();
  readonly nf = new Netfilter();
  /** IPVS virtual services, by `proto:vip:port` (vip 0 = any local address, a fwmark-like service) */
  readonly ipvs = new Map<string, IpvsService>();
  readonly ct: Conntrack;
  readonly sysctl = new Map<string, string>();
  /** ids this namespace has assigned to other namespaces (netnsid) */
  readonly peerIds = new Map<Netns, number>();
  private readonly usedPeerIds = new Set<number>();
  private peerIdFloor = 0;
  sockets!: SocketTable;
  /** per-peer ICMP error rate limit (inet_peer tokens) */
  readonly icmpPeers = new Map<Ipv4, { tokens: number; last: Micros }>();
  /** IP identification counter */
  ipId = 1;
  /** path MTUs learned from ICMP "fragmentation needed" (the route cache), by destination */
  readonly pmtu = new Map<Ipv4, { mtu: number; expires: Micros }>();
  /** the filesystem processes in this namespace see */
  fs: FileSystem;

  constructor(world: World, host: Host, name: string | null, label: string, fs: FileSystem) {
    this.world = world;
    this.host = host;
    this.name = name;
    this.label = label;
    this.serial = world.nextSerial();
    this.fs = fs;
    this.ct = new Conntrack(() => world.now);
    for (const [k, v] of Object.entries(SYSCTL_DEFAULTS)) this.sysctl.set(k, v);
  }

  /** The name to show in traces: `root` for a host's initial namespace. */
  get traceName(): string {
    return this.name ?? this.label;
  }

  get isRoot(): boolean {
    return this.host.root === this;
  }

  // ---- links ---------------------------------------------------------------------------------

  allLinks(): Link[] {
    return [...this.links.values()].sort((a, b) => a.ifindex - b.ifindex);
  }

  linkByIndex(i: number): Link | undefined {
    return this.links.get(i);
  }

  linkByName(name: string): Link | undefined {
    return this.linksByName.get(name);
  }

  /** Called by Link when its name changes. */
  linkRenamed(l: Link, old: string): void {
    if (this.links.get(l.ifindex) !== l) return;
    if (this.linksByName.get(old) === l) this.linksByName.delete(old);
    this.linksByName.set(l.name, l);
  }

  /** Reserve an interface index: the next free one after the last allocated (cyclic), or `want` if free. */
  allocIfindex(want?: number): number {
    if (want !== undefined && want > 0 && !this.links.has(want)) return want;
    let i = this.nextIfindex;
    while (this.links.has(i)) i++;
    this.nextIfindex = i + 1;
    return i;
  }

  attach(l: Link, keepIndex: boolean): void {
    const idx = this.allocIfindex(keepIndex ? l.ifindex : undefined);
    if (idx >= this.nextIfindex) this.nextIfindex = idx + 1;
    l.ifindex = idx;
    l.ns = this;
    this.links.set(idx, l);
    this.linksByName.set(l.name, l);
  }

  detach(l: Link): void {
    this.links.delete(l.ifindex);
    if (this.linksByName.get(l.name) === l) this.linksByName.delete(l.name);
  }

  bridgePorts(br: Link): Link[] {
    return [...(br.bridge?.ports ?? [])].sort((a, b) => a.ifindex - b.ifindex);
  }

  /** The netnsid this namespace uses for `other`, allocating one when asked (peernet2id_alloc). */
  peerId(other: Netns, alloc = true): number | undefined {
    let id = this.peerIds.get(other);
    if (id === undefined && alloc) {
      // the lowest free id, as idr_alloc gives; every id below the floor is taken
      id = this.peerIdFloor;
      while (this.usedPeerIds.has(id)) id++;
      this.peerIds.set(other, id);
      this.usedPeerIds.add(id);
      this.peerIdFloor = id + 1;
    }
    return id;
  }

  /** `other` is gone: its id becomes free again. */
  forgetPeer(other: Netns): void {
    const id = this.peerIds.get(other);
    if (id === undefined) return;
    this.peerIds.delete(other);
    this.usedPeerIds.delete(id);
    this.peerIdFloor = Math.min(this.peerIdFloor, id);
  }

  // ---- addresses -------------------------------------------------------------------------------

  /** Every address in the namespace with its link. */
  allAddrs(): { link: Link; a: IfAddr }[] {
    const out: { link: Link; a: IfAddr }[] = [];
    for (const l of this.allLinks()) for (const a of l.addrs) out.push({ link: l, a });
    return out;
  }

  /** Is `ip` one of this namespace's own addresses (a `local` route)? */
  isLocalAddr(ip: Ipv4): boolean {
    return this.routes.some((r) => r.table === RT_TABLE_LOCAL && r.type === 'local' && r.len === 32 && r.dst === ip) ||
      this.routes.some((r) => r.table === RT_TABLE_LOCAL && r.type === 'local' && r.len < 32 && networkOf(ip, r.len) === r.dst);
  }

  /** Linux address type (addrtype match, rtn_type): LOCAL, BROADCAST, MULTICAST, UNICAST... */
  addrType(ip: Ipv4): string {
    if (ip === 0xffffffff) return 'BROADCAST';
    if (ip >>> 28 === 0xe) return 'MULTICAST';
    if (this.isLocalAddr(ip)) return 'LOCAL';
    for (const r of this.routes) {
      if (r.table === RT_TABLE_LOCAL && r.type === 'broadcast' && r.dst === ip) return 'BROADCAST';
    }
    const rt = this.lookupRouteType(ip);
    if (rt === 'blackhole') return 'BLACKHOLE';
    if (rt === 'unreachable') return 'UNREACHABLE';
    if (rt === 'prohibit') return 'PROHIBIT';
    return 'UNICAST';
  }

  private lookupRouteType(ip: Ipv4): string | null {
    let best: Route | null = null;
    for (const r of this.routes) {
      if (r.table !== RT_TABLE_MAIN) continue;
      if (networkOf(ip, r.len) !== r.dst) continue;
      if (!best || r.len > best.len || (r.len === best.len && r.metric < best.metric)) best = r;
    }
    return best ? best.type : null;
  }

  // ---- sysctl ---------------------------------------------------------------------------------------

  sysctlGet(key: string): string | undefined {
    const v = this.sysctl.get(key);
    if (v !== undefined) return v;
    const m = /^net\.ipv4\.conf\.([^.]+)\.(.+)$/.exec(key);
    if (m && PER_DEV_SYSCTLS[m[2]] !== undefined) {
      const dev = m[1] === 'default' ? null : this.linkByName(m[1]);
      if (m[1] === 'default' || dev) {
        if (m[2] === 'forwarding') return this.sysctl.get('net.ipv4.ip_forward');
        return PER_DEV_SYSCTLS[m[2]];
      }
    }
    return undefined;
  }

  flag(key: string): boolean {
    const v = this.sysctlGet(key);
    return v !== undefined && v !== '0';
  }

  get ipForward(): boolean {
    return this.flag('net.ipv4.ip_forward');
  }

  /** net.ipv6.conf.all.disable_ipv6: no IPv6 addresses at all (Docker sets it in containers). */
  get ipv6Disabled(): boolean {
    return this.flag('net.ipv6.conf.all.disable_ipv6');
  }

  get brNfCallIptables(): boolean {
    return this.flag('net.bridge.bridge-nf-call-iptables');
  }

  /**
   * The inet_peer entry for an address: the token bucket that both ICMP error limiters share.
   * A new peer starts as if it had been idle for a minute, so its first refill fills the bucket.
   */
  private icmpPeer(addr: Ipv4, now: Micros): { tokens: number; last: number } {
    let p = this.icmpPeers.get(addr);
    if (!p) {
      p = { tokens: 0, last: now - 60 * SECOND };
      this.icmpPeers.set(addr, p);
    }
    return p;
  }

  /**
   * icmpv4_xrlim_allow: the per-peer limit on ICMP errors (net.ipv4.icmp_ratelimit ms per error,
   * bursts of six). The caller exempts errors to our own addresses and "fragmentation needed".
   */
  icmpAllow(dst: Ipv4, now: Micros): boolean {
    const cost = Number(this.sysctlGet('net.ipv4.icmp_ratelimit') ?? '1000') * 1000;
    if (cost <= 0) return true;
    const p = this.icmpPeer(dst, now);
    p.tokens = Math.min(p.tokens + (now - p.last), 6 * cost);
    p.last = now;
    if (p.tokens < cost) return false;
    p.tokens -= cost;
    return true;
  }

  /**
   * ip_error: a packet that hit an unreachable or prohibit route (or no route) first pays the
   * routing error cost (1 s, bursts of 5 s) from the same bucket; icmp_send then applies
   * icmpAllow on top. Each such error so costs two tokens, which is why a router answers
   * the first few probes and then falls silent unless they come 2 s apart or more.
   */
  routeErrorAllow(src: Ipv4, now: Micros): boolean {
    const p = this.icmpPeer(src, now);
    p.tokens = Math.min(p.tokens + (now - p.last), 5 * SECOND);
    p.last = now;
    if (p.tokens < SECOND) return false;
    p.tokens -= SECOND;
    return true;
  }

  /** The MTU to use toward `dst` on `dev`: the device MTU or a smaller learned path MTU. */
  mtuToward(dst: Ipv4, devMtu: number): number {
    const p = this.pmtu.get(dst);
    if (p && p.expires > this.world.now) return Math.min(devMtu, p.mtu);
    return devMtu;
  }

  nextIpId(): number {
    const id = this.ipId;
    this.ipId = (this.ipId + 1) & 0xffff;
    return id;
  }

  /** The subnet broadcast address of an interface address (for local-table routes). */
  static subnetBroadcast(a: IfAddr): Ipv4 {
    return broadcastOf(a.addr, a.len);
  }

  /** EUI-64 link-local address for a link that just gained carrier. */
  static makeLinkLocal(l: Link, now: Micros): void {
    if (l.ll6 || l.kind === 'loopback' || l.noarp || l.ns.ipv6Disabled) return;
    l.ll6 = linkLocalFromMac(l.mac);
    l.ll6Since = now;
  }
}

export class Host {
  readonly world: World;
  readonly name: string;
  hostname: string;
  readonly root: Netns;
  /** namespaces created with `ip netns add`, in creation order */
  readonly named = new Map<string, Netns>();
  /** every namespace on the host, including unnamed ones (containers) */
  readonly all: Netns[] = [];
  readonly fs: FileSystem;
  /** the kernel log (iptables LOG lines), for dmesg */
  readonly klog: string[] = [];

  constructor(world: World, name: string, fs: FileSystem) {
    this.world = world;
    this.name = name;
    this.hostname = name;
    this.fs = fs;
    this.root = world.makeNetns(this, null, 'root', fs);
  }
}
