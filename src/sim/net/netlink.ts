/**
 * Configuration operations, as the kernel performs them for rtnetlink requests: create and delete
 * namespaces and links, bring links up and down, move them between namespaces, enslave them to
 * bridges, add and remove addresses, routes and neighbour entries.
 *
 * Each operation returns a Result. A failed operation changes nothing. Side effects follow the
 * kernel: a link going down loses its routes (static ones too) and neighbour entries; an address
 * brings its local, broadcast and connected routes; moving a link to another namespace takes it
 * down and drops its addresses; deleting one end of a veth deletes both.
 */
import { SECOND } from '../engine/scheduler.ts';
import { broadcastOf, compareMac, inPrefix, networkOf, type Ipv4, type Mac, ZERO_MAC } from '../wire/addr.ts';
import { Link, Netns, type BridgeInfo, type Host, type VxlanInfo } from './model.ts';
import { fail, ok, RT_TABLE_LOCAL, RT_TABLE_MAIN, type IfAddr, type LinkKind, type NeighEntry, type Result, type Route, type RouteType } from './types.ts';
import type { World } from './world.ts';

// ---- namespaces --------------------------------------------------------------------------------

/** Every namespace starts with a loopback device, down. */
export function addLoopback(ns: Netns): Link {
  const lo = newLink(ns, 'lo', 'loopback', '00:00:00:00:00:00', 65536);
  ns.attach(lo, false);
  return lo;
}

export function addNamedNetns(host: Host, name: string): Result<Netns> {
  if (host.named.has(name)) return fail('EEXIST');
  const ns = host.world.makeNetns(host, name, name, host.fs);
  host.named.set(name, ns);
  addLoopback(ns);
  return ok(ns);
}

/** Create an unnamed namespace (a container's), with only `lo`. */
export function addAnonNetns(host: Host, label: string, fs = host.fs): Netns {
  const ns = host.world.makeNetns(host, null, label, fs);
  addLoopback(ns);
  return ns;
}

/** Destroy a namespace: its virtual links vanish (veth peers too), host NICs go back to the root. */
export function destroyNetns(ns: Netns): void {
  const host = ns.host;
  for (const l of ns.allLinks()) {
    if (l.kind === 'ether') {
      moveLink(l, host.root);
      continue;
    }
    if (ns.linkByIndex(l.ifindex) === l) deleteLinkNow(l);
  }
  ns.sockets.closeAll();
  if (ns.name) host.named.delete(ns.name);
  const i = host.all.indexOf(ns);
  if (i >= 0) host.all.splice(i, 1);
  for (const other of ns.world.allNamespaces()) other.forgetPeer(ns);
}

export function delNamedNetns(host: Host, name: string): Result {
  const ns = host.named.get(name);
  if (!ns) return fail('ENOENT');
  destroyNetns(ns);
  return ok(undefined);
}

// ---- links ---------------------------------------------------------------------------------------

function newLink(ns: Netns, name: string, kind: LinkKind, mac: Mac, mtu: number): Link {
  const l = new Link(ns, 0, name, kind, mac, mtu);
  if (kind === 'loopback') l.mac = '00:00:00:00:00:00';
  return l;
}

export interface LinkSpec {
  name: string;
  kind: LinkKind;
  mtu?: number;
  mac?: Mac;
  /** veth: the peer's name and namespace */
  peerName?: string;
  peerNs?: Netns;
  peerMac?: Mac;
  /** macvlan/ipvlan: the lower device; vxlan: the underlay device */
  parent?: Link;
  mode?: string;
  vxlan?: { vni: number; remote: Ipv4 | null; local: Ipv4 | null; group: Ipv4 | null; dstport: number; learning: boolean; ttl: number; proxy?: boolean; l2miss?: boolean; l3miss?: boolean };
  /** an ether NIC: the segment it is plugged into */
  segment?: string;
  segmentLatency?: number;
}

export const IFNAMSIZ = 16;

export function validIfName(name: string): boolean {
  return name.length > 0 && name.length < IFNAMSIZ && !/[\s/:]/.test(name) && name !== '.' && name !== '..';
}

/** `ip link add`: create a link (and a veth's peer) in `ns`. */
export function addLink(ns: Netns, spec: LinkSpec): Result<Link> {
  const world = ns.world;
  if (ns.linkByName(spec.name)) return fail('EEXIST');
  if (!validIfName(spec.name)) return fail('EINVAL');
  const mtuDefault = spec.kind === 'loopback' ? 65536 : 1500;
  const rand = () => world.rng.mac();
  if (spec.kind === 'veth') {
    const peerNs = spec.peerNs ?? ns;
    const peerName = spec.peerName ?? nextFreeName(peerNs, 'veth');
    if (peerNs.linkByName(peerName) || (peerNs === ns && peerName === spec.name)) return fail('EEXIST');
    if (!validIfName(peerName)) return fail('EINVAL');
    // veth_newlink registers the peer first, so it gets the lower index
    const peer = newLink(peerNs, peerName, 'veth', spec.peerMac ?? rand(), spec.mtu ?? 1500);
    const main = newLink(ns, spec.name, 'veth', spec.mac ?? rand(), spec.mtu ?? 1500);
    peerNs.attach(peer, false);
    ns.attach(main, false);
    main.peer = peer;
    peer.peer = main;
    if (peerNs !== ns) {
      ns.peerId(peerNs);
      peerNs.peerId(ns);
    }
    return ok(main);
  }
  let l: Link;
  switch (spec.kind) {
    case 'bridge': {
      l = newLink(ns, spec.name, 'bridge', spec.mac ?? rand(), spec.mtu ?? 1500);
      const info: BridgeInfo = { ports: new Set(), fdb: new Map(), stp: false, ageingTime: 30000, vlanFiltering: false, mtuSet: spec.mtu !== undefined, hadPorts: false };
      l.bridge = info;
      if (spec.mac) l.macSet = true;
      break;
    }
    case 'macvlan':
    case 'ipvlan': {
      const parent = spec.parent;
      if (!parent) return fail('EINVAL', 'link is required');
      if (parent.kind === 'loopback') return fail('EINVAL');
      l = newLink(ns, spec.name, spec.kind, spec.kind === 'ipvlan' ? parent.mac : (spec.mac ?? rand()), spec.mtu ?? parent.mtu);
      l.parent = parent;
      l.mode = spec.mode ?? (spec.kind === 'macvlan' ? 'vepa' : 'l3');
      parent.uppers.add(l);
      break;
    }
    case 'vxlan': {
      const v = spec.vxlan;
      if (!v) return fail('EINVAL', 'VXLAN network identifier (VNI) is required');
      for (const other of ns.allLinks()) {
        if (other.vxlan && other.vxlan.vni === v.vni && other.vxlan.dstport === v.dstport && other.vxlan.underlay === ns) {
          return fail('EEXIST', 'A VXLAN device with the specified VNI already exists');
        }
      }
      const under = spec.parent ?? null;
      const mtu = spec.mtu ?? (under ? under.mtu - 50 : 1450);
      l = newLink(ns, spec.name, 'vxlan', spec.mac ?? rand(), mtu);
      const info: VxlanInfo = {
        vni: v.vni,
        remote: v.remote,
        local: v.local,
        group: v.group,
        dstport: v.dstport,
        devIndex: under ? under.ifindex : 0,
        underlay: ns,
        learning: v.learning,
        ...(v.proxy ? { proxy: true } : {}),
        ...(v.l2miss ? { l2miss: true } : {}),
        ...(v.l3miss ? { l3miss: true } : {}),
        ttl: v.ttl,
        fdb: new Map(),
      };
      if (v.remote !== null) info.fdb.set('00:00:00:00:00:00', { dst: v.remote, self: true, permanent: true, updated: world.now });
      l.vxlan = info;
      l.parent = under;
      under?.uppers.add(l);
      break;
    }
    case 'ether': {
      l = newLink(ns, spec.name, 'ether', spec.mac ?? rand(), spec.mtu ?? 1500);
      if (spec.segment) {
        const seg = world.segment(spec.segment, spec.segmentLatency ?? 100);
        seg.links.push(l);
        l.segment = seg;
      }
      break;
    }
    case 'dummy':
      l = newLink(ns, spec.name, 'dummy', spec.mac ?? rand(), spec.mtu ?? 1500);
      break;
    case 'loopback':
      return fail('EOPNOTSUPP', 'Unknown device type.');
    default:
      return fail('EOPNOTSUPP', 'Unknown device type.');
  }
  void mtuDefault;
  ns.attach(l, false);
  return ok(l);
}

function nextFreeName(ns: Netns, prefix: string): string {
  for (let i = 0; ; i++) if (!ns.linkByName(`${prefix}${i}`)) return `${prefix}${i}`;
}

/** Remove a link immediately with all its consequences (no checks). */
export function deleteLinkNow(l: Link): void {
  const ns = l.ns;
  if (l.kind === 'veth' && l.peer) {
    const p = l.peer;
    l.peer = null;
    p.peer = null;
    deleteLinkNow(p);
  }
  for (const up of [...l.uppers]) {
    // macvlan/ipvlan children and vxlans on a vanishing lower device go too
    if (up.ns.linkByIndex(up.ifindex) === up) deleteLinkNow(up);
  }
  l.parent?.uppers.delete(l);
  if (l.master) setNoMaster(l);
  if (l.bridge) for (const p of [...l.bridge.ports]) setNoMaster(p);
  if (l.segment) {
    const i = l.segment.links.indexOf(l);
    if (i >= 0) l.segment.links.splice(i, 1);
    const others = [...l.segment.links];
    l.segment = null;
    touch(others);
  }
  takeDown(l);
  l.addrs = [];
  ns.detach(l);
  const affected: Link[] = [];
  if (l.peer) affected.push(l.peer);
  touch(affected);
}

export function deleteLink(l: Link): Result {
  if (l.kind === 'loopback') return fail('EOPNOTSUPP');
  if (l.kind === 'ether' && l.segment) return fail('EOPNOTSUPP');
  deleteLinkNow(l);
  return ok(undefined);
}

/** React to carrier changes of these links and the links whose state depends on them. */
export function touch(links: Iterable<Link>): void {
  const seen = new Set<Link>();
  const queue = [...links];
  while (queue.length) {
    const l = queue.pop()!;
    if (seen.has(l)) continue;
    seen.add(l);
    if (l.ns.linkByIndex(l.ifindex) !== l) continue; // deleted
    const now = l.carrier;
    if (now !== l.carrierWas) {
      l.carrierWas = now;
      if (now) onCarrierUp(l);
      else onCarrierDown(l);
    }
    if (l.peer) queue.push(l.peer);
    if (l.master) queue.push(l.master);
    for (const u of l.uppers) queue.push(u);
    if (l.segment) for (const o of l.segment.links) if (o !== l) queue.push(o);
  }
}

function onCarrierUp(l: Link): void {
  Netns.makeLinkLocal(l, l.ns.world.now);
}

function onCarrierDown(l: Link): void {
  flushNeigh(l.ns, l.ifindex, false);
}

/** `ip link set up`. */
export function setUp(l: Link): void {
  if (l.adminUp) return;
  l.adminUp = true;
  l.everUp = true;
  if (l.kind === 'loopback' && !l.addrs.length) {
    // inetdev: the loopback gets 127.0.0.1/8 the first time it comes up
    l.addrs.push({ addr: 0x7f000001, len: 8, broadcast: null, scope: 'host', secondary: false, label: 'lo', noprefixroute: false });
  }
  for (const a of l.addrs) addAddrRoutes(l, a);
  touch([l]);
}

/** `ip link set down`. */
export function setDown(l: Link): void {
  if (!l.adminUp) return;
  takeDown(l);
  touch([l]);
}

function takeDown(l: Link): void {
  const ns = l.ns;
  l.adminUp = false;
  // fib_disable_ip: every route through the device goes, static ones included
  ns.routes = ns.routes.filter((r) => r.dev !== l.ifindex);
  flushNeigh(ns, l.ifindex, true);
  l.ll6 = null;
  if (l.bridge) l.bridge.fdb = new Map([...l.bridge.fdb].filter(([, e]) => e.local));
  if (l.master?.bridge) {
    for (const [m, e] of l.master.bridge.fdb) if (e.port === l.ifindex && !e.local) l.master.bridge.fdb.delete(m);
  }
}

/** The checks `ip link set mtu` runs before changing anything. */
export function checkMtu(l: Link, mtu: number): Result {
  if (mtu < 68) return fail('EINVAL', 'mtu less than device minimum.');
  const max = l.kind === 'loopback' ? 0x7fffffff : 65535;
  if (mtu > max) return fail('EINVAL', 'mtu greater than device maximum.');
  if ((l.kind === 'macvlan' || l.kind === 'ipvlan') && l.parent && mtu > l.parent.mtu) return fail('EINVAL');
  return ok(undefined);
}

export function setMtu(l: Link, mtu: number): Result {
  const c = checkMtu(l, mtu);
  if (!c.ok) return c;
  l.mtu = mtu;
  if (l.kind === 'bridge' && l.bridge) l.bridge.mtuSet = true;
  if (l.master?.bridge && !l.master.bridge.mtuSet) l.master.mtu = Math.min(...[...l.master.bridge.ports].map((p) => p.mtu));
  return ok(undefined);
}

export function checkMac(l: Link, mac: Mac): Result {
  if (l.kind === 'loopback') return fail('EOPNOTSUPP');
  if ((parseInt(mac.slice(0, 2), 16) & 1) === 1) return fail('EADDRNOTAVAIL', 'Cannot assign requested address');
  return ok(undefined);
}

export function setMac(l: Link, mac: Mac): Result {
  const c = checkMac(l, mac);
  if (!c.ok) return c;
  l.mac = mac;
  if (l.kind === 'bridge') l.macSet = true;
  if (l.master) recomputeBridgeMac(l.master);
  if (l.bridge) updateBridgeLocalFdb(l);
  return ok(undefined);
}

export function checkRename(l: Link, name: string): Result {
  if (l.name === name) return ok(undefined);
  // veth devices may be renamed while up (IFF_LIVE_RENAME_OK, as the recorded kernel shows)
  if (l.adminUp && l.kind !== 'veth') return fail('EBUSY');
  if (l.ns.linkByName(name)) return fail('EEXIST');
  if (!validIfName(name)) return fail('EINVAL');
  return ok(undefined);
}

export function rename(l: Link, name: string): Result {
  const c = checkRename(l, name);
  if (!c.ok) return c;
  l.name = name;
  return ok(undefined);
}

/**
 * The bridge takes the lowest port MAC unless its address was set by hand
 * (br_stp_recalculate_bridge_id); once its last port leaves, its address is all zeros.
 */
export function recomputeBridgeMac(br: Link): void {
  if (!br.bridge || br.macSet) return;
  let min: Mac | null = null;
  for (const p of br.bridge.ports) if (min === null || compareMac(p.mac, min) < 0) min = p.mac;
  if (min) br.mac = min;
  else if (br.bridge.hadPorts) br.mac = ZERO_MAC;
  updateBridgeLocalFdb(br);
}

/** Local FDB entries: each port's own MAC (listed under that port), and the bridge's when it is not a port's. */
function updateBridgeLocalFdb(br: Link): void {
  const info = br.bridge!;
  for (const [m, e] of info.fdb) if (e.local) info.fdb.delete(m);
  for (const p of info.ports) info.fdb.set(p.mac, { mac: p.mac, port: p.ifindex, local: true, updated: 0 });
  // an all-zero address is not a valid unicast address, so it gets no entry
  if (!info.fdb.has(br.mac) && br.mac !== ZERO_MAC) info.fdb.set(br.mac, { mac: br.mac, port: br.ifindex, local: true, updated: 0 });
}

export function checkMaster(l: Link, br: Link): Result {
  if (l === br && l.kind === 'bridge') return fail('EINVAL', 'Can not enslave a bridge to a bridge.');
  if (br.kind !== 'bridge') return fail('EOPNOTSUPP');
  if (l.kind === 'bridge') return fail('EINVAL', 'Can not enslave a bridge to a bridge.');
  if (l.kind === 'loopback') return fail('EINVAL', 'Can not enslave loopback device.');
  return ok(undefined);
}

export function setMaster(l: Link, br: Link): Result {
  const c = checkMaster(l, br);
  if (!c.ok) return c;
  if (l.master === br) return ok(undefined);
  if (l.master) setNoMaster(l);
  l.master = br;
  const info = br.bridge!;
  info.ports.add(l);
  info.hadPorts = true;
  // incremental form of recomputeBridgeMac + updateBridgeLocalFdb (a bridge may have many ports)
  const oldMac = br.mac;
  if (!br.macSet && (info.ports.size === 1 || compareMac(l.mac, br.mac) < 0)) br.mac = l.mac;
  if (br.mac !== oldMac) {
    const own = info.fdb.get(oldMac);
    if (own && own.local && own.port === br.ifindex) info.fdb.delete(oldMac);
  }
  info.fdb.set(l.mac, { mac: l.mac, port: l.ifindex, local: true, updated: 0 });
  if (!info.fdb.has(br.mac) && br.mac !== ZERO_MAC) info.fdb.set(br.mac, { mac: br.mac, port: br.ifindex, local: true, updated: 0 });
  if (!info.mtuSet) br.mtu = info.ports.size === 1 ? l.mtu : Math.min(br.mtu, l.mtu);
  // a port's addresses stop working: its routes stay, but frames are consumed by the bridge
  touch([l, br]);
  return ok(undefined);
}

export function setNoMaster(l: Link): void {
  const br = l.master;
  if (!br) return;
  l.master = null;
  br.bridge!.ports.delete(l);
  for (const [m, e] of br.bridge!.fdb) if (e.port === l.ifindex) br.bridge!.fdb.delete(m);
  recomputeBridgeMac(br);
  if (!br.bridge!.mtuSet && br.bridge!.ports.size) br.mtu = Math.min(...[...br.bridge!.ports].map((p) => p.mtu));
  touch([l, br]);
}

/** `ip link set X netns Y`: the device goes down, loses addresses and master, keeps its index if free. */
export function checkMove(l: Link, to: Netns): Result {
  if (l.ns === to) return ok(undefined);
  if (l.kind === 'loopback') return fail('EINVAL');
  if (to.linkByName(l.name)) return fail('EEXIST');
  return ok(undefined);
}

export function moveLink(l: Link, to: Netns): Result {
  const from = l.ns;
  if (from === to) return ok(undefined);
  const c = checkMove(l, to);
  if (!c.ok) return c;
  if (l.kind === 'bridge' && l.bridge!.ports.size) {
    for (const p of [...l.bridge!.ports]) setNoMaster(p);
  }
  if (l.master) setNoMaster(l);
  takeDown(l);
  l.addrs = [];
  from.detach(l);
  to.attach(l, true);
  l.everUp = false;
  if (l.peer && l.peer.ns !== to) {
    to.peerId(l.peer.ns);
    l.peer.ns.peerId(to);
  }
  if (l.parent && l.parent.ns !== to) to.peerId(l.parent.ns);
  touch([l]);
  return ok(undefined);
}

// ---- addresses -----------------------------------------------------------------------------------

export interface AddrSpec {
  addr: Ipv4;
  len: number;
  broadcast?: Ipv4 | null;
  scope?: 'global' | 'host' | 'link';
  label?: string;
  noprefixroute?: boolean;
}

export function addAddr(l: Link, spec: AddrSpec): Result {
  if (l.addrs.some((a) => a.addr === spec.addr && a.len === spec.len)) return fail('EEXIST', 'ipv4: Address already assigned.');
  const secondary = l.addrs.some((a) => !a.secondary && a.len === spec.len && inPrefix(spec.addr, a.addr, a.len));
  const a: IfAddr = {
    addr: spec.addr,
    len: spec.len,
    broadcast: spec.broadcast ?? null,
    scope: spec.scope ?? (l.kind === 'loopback' && (spec.addr >>> 24) === 127 ? 'host' : 'global'),
    secondary,
    label: spec.label ?? l.name,
    noprefixroute: !!spec.noprefixroute,
  };
  // __inet_insert_ifa: a primary goes after the last primary, a secondary at the end
  let at = l.addrs.length;
  if (!secondary) {
    const firstSecondary = l.addrs.findIndex((x) => x.secondary);
    if (firstSecondary >= 0) at = firstSecondary;
  }
  l.addrs.splice(at, 0, a);
  addLocalRoute(l, a);
  if (l.adminUp) addAddrRoutes(l, a);
  return ok(undefined);
}

function addLocalRoute(l: Link, a: IfAddr): void {
  const ns = l.ns;
  const exists = ns.routes.some((r) => r.table === RT_TABLE_LOCAL && r.type === 'local' && r.len === 32 && r.dst === a.addr && r.dev === l.ifindex);
  if (exists) return;
  const primary = primaryFor(l, a);
  ns.routes.push(kernelRoute(RT_TABLE_LOCAL, 'local', a.addr, 32, l.ifindex, primary, 'host'));
}

function primaryFor(l: Link, a: IfAddr): Ipv4 {
  if (!a.secondary) return a.addr;
  const p = l.addrs.find((x) => !x.secondary && x.len === a.len && inPrefix(a.addr, x.addr, x.len));
  return p ? p.addr : a.addr;
}

function kernelRoute(table: number, type: RouteType, dst: Ipv4, len: number, dev: number, src: Ipv4, scope: Route['scope']): Route {
  return { table, type, dst, len, via: null, dev, src, metric: 0, proto: 'kernel', scope, onlink: false };
}

/** fib_add_ifaddr for an up device: local, broadcast and the connected (prefix) route. */
function addAddrRoutes(l: Link, a: IfAddr): void {
  const ns = l.ns;
  addLocalRoute(l, a);
  const prim = primaryFor(l, a);
  const has = (r: Route) =>
    ns.routes.some((x) => x.table === r.table && x.type === r.type && x.dst === r.dst && x.len === r.len && x.dev === r.dev);
  const push = (r: Route) => {
    if (!has(r)) ns.routes.push(r);
  };
  if (a.broadcast !== null && a.broadcast !== 0xffffffff) push(kernelRoute(RT_TABLE_LOCAL, 'broadcast', a.broadcast, 32, l.ifindex, prim, 'link'));
  if (a.secondary) return;
  const net = networkOf(a.addr, a.len);
  if (a.len < 32 || net !== a.addr) {
    if (!a.noprefixroute) {
      if (l.kind === 'loopback') push(kernelRoute(RT_TABLE_LOCAL, 'local', net, a.len, l.ifindex, prim, 'host'));
      else push(kernelRoute(RT_TABLE_MAIN, 'unicast', net, a.len, l.ifindex, prim, 'link'));
    }
    if (a.len < 31) push(kernelRoute(RT_TABLE_LOCAL, 'broadcast', broadcastOf(a.addr, a.len), 32, l.ifindex, prim, 'link'));
  }
}

export function delAddr(l: Link, addr: Ipv4, len: number | null): Result {
  const i = l.addrs.findIndex((a) => a.addr === addr && (len === null || a.len === len));
  if (i < 0) return fail('EADDRNOTAVAIL', 'ipv4: Address not found.');
  const a = l.addrs[i];
  const removed: IfAddr[] = [a];
  if (!a.secondary) {
    // without promote_secondaries the kernel deletes the secondaries of a deleted primary
    for (const s of l.addrs) if (s.secondary && s.len === a.len && inPrefix(s.addr, a.addr, a.len)) removed.push(s);
  }
  l.addrs = l.addrs.filter((x) => !removed.includes(x));
  const ns = l.ns;
  for (const r of removed) {
    ns.routes = ns.routes.filter((rt) => !(rt.dev === l.ifindex && rt.proto === 'kernel' && rt.src === primaryFor(l, r) && (rt.dst === r.addr || rt.dst === networkOf(r.addr, r.len) || rt.dst === broadcastOf(r.addr, r.len))));
    // fib_del_ifaddr also removes the local route for the address itself
    ns.routes = ns.routes.filter((rt) => !(rt.table === RT_TABLE_LOCAL && rt.type === 'local' && rt.dev === l.ifindex && rt.dst === r.addr && rt.len === 32));
  }
  // the routes of other addresses of the same subnet stay; routes whose prefsrc vanished go
  ns.routes = ns.routes.filter((rt) => rt.proto !== 'kernel' || rt.src === null || ns.allAddrs().some((x) => x.a.addr === rt.src));
  return ok(undefined);
}

export function flushAddrs(l: Link): void {
  for (const a of [...l.addrs].filter((x) => !x.secondary)) delAddr(l, a.addr, a.len);
  for (const a of [...l.addrs]) delAddr(l, a.addr, a.len);
}

// ---- routes ------------------------------------------------------------------------------------------

export interface RouteSpec {
  table?: number;
  type?: RouteType;
  dst: Ipv4;
  len: number;
  via?: Ipv4 | null;
  dev?: Link | null;
  src?: Ipv4 | null;
  metric?: number;
  proto?: string;
  scope?: Route['scope'];
  onlink?: boolean;
}

/** Resolve a gateway to the device it is reachable on (a connected route), as fib_check_nh does. */
function gatewayDev(ns: Netns, via: Ipv4): Link | null {
  let best: Route | null = null;
  for (const r of ns.routes) {
    if (r.table !== RT_TABLE_MAIN || r.type !== 'unicast' || r.via !== null || r.dev === 0) continue;
    if (!inPrefix(via, r.dst, r.len)) continue;
    if (!best || r.len > best.len) best = r;
  }
  return best ? (ns.linkByIndex(best.dev) ?? null) : null;
}

function buildRoute(ns: Netns, spec: RouteSpec): Result<Route> {
  const type = spec.type ?? 'unicast';
  const table = spec.table ?? RT_TABLE_MAIN;
  let dev = spec.dev ?? null;
  const via = spec.via ?? null;
  if (type === 'unicast' || type === 'local') {
    if (via !== null) {
      if (spec.onlink) {
        if (!dev) return fail('EINVAL', 'Nexthop device required for onlink');
        if (!dev.adminUp) return fail('ENETDOWN', 'Nexthop device is not up');
      } else {
        const gdev = gatewayDev(ns, via);
        if (!gdev || (dev && gdev !== dev)) return fail('ENETUNREACH', 'Nexthop has invalid gateway.');
        if (ns.isLocalAddr(via)) return fail('EINVAL', 'Nexthop has invalid gateway.');
        dev = gdev;
      }
    } else if (!dev) {
      return fail('ENODEV', 'Device for nexthop is not up.');
    }
    if (dev && !dev.adminUp) return fail('ENETDOWN', 'Nexthop device is not up.');
  }
  if (spec.src != null && !ns.isLocalAddr(spec.src)) return fail('EINVAL', 'Invalid prefsrc address.');
  const scope = spec.scope ?? (type === 'local' ? 'host' : type !== 'unicast' ? 'nowhere' : via === null ? 'link' : 'global');
  return ok({
    table,
    type,
    dst: networkOf(spec.dst, spec.len),
    len: spec.len,
    via,
    dev: dev ? dev.ifindex : 0,
    src: spec.src ?? null,
    metric: spec.metric ?? 0,
    proto: spec.proto ?? 'boot',
    scope,
    onlink: !!spec.onlink,
  });
}

function sameKey(a: Route, b: Route): boolean {
  return a.table === b.table && a.dst === b.dst && a.len === b.len && a.metric === b.metric;
}

export function addRoute(ns: Netns, spec: RouteSpec, mode: 'add' | 'replace' | 'append' = 'add'): Result {
  const r = buildRoute(ns, spec);
  if (!r.ok) return r;
  const existing = ns.routes.findIndex((x) => sameKey(x, r.value));
  if (existing >= 0) {
    if (mode === 'add') return fail('EEXIST');
    if (mode === 'replace') {
      ns.routes[existing] = r.value;
      return ok(undefined);
    }
  }
  ns.routes.push(r.value);
  return ok(undefined);
}

/** `ip route del`: the first route matching every field that was given. */
export function delRoute(ns: Netns, spec: Partial<RouteSpec> & { dst: Ipv4; len: number }): Result {
  const table = spec.table ?? RT_TABLE_MAIN;
  const dst = networkOf(spec.dst, spec.len);
  const i = ns.routes.findIndex(
    (r) =>
      r.table === table &&
      r.dst === dst &&
      r.len === spec.len &&
      (spec.type === undefined || r.type === spec.type) &&
      (spec.via == null || r.via === spec.via) &&
      (spec.dev == null || r.dev === spec.dev.ifindex) &&
      (spec.metric === undefined || r.metric === spec.metric) &&
      (spec.proto === undefined || r.proto === spec.proto),
  );
  if (i < 0) return fail('ESRCH');
  ns.routes.splice(i, 1);
  return ok(undefined);
}

/** Routes of one table, as `ip route show` orders them: by prefix, then metric. */
export function tableRoutes(ns: Netns, table: number): Route[] {
  const rs = ns.routes.filter((r) => r.table === table);
  if (table === RT_TABLE_LOCAL) {
    // the kernel's trie walk: addresses in order, each with its broadcast/local entries
    return rs.slice().sort((a, b) => a.dst - b.dst || a.len - b.len || typeRank(a) - typeRank(b));
  }
  return rs.slice().sort((a, b) => {
    if (a.len === 0 && b.len !== 0) return -1;
    if (b.len === 0 && a.len !== 0) return 1;
    return a.dst - b.dst || b.len - a.len || a.metric - b.metric;
  });
}

function typeRank(r: Route): number {
  return r.type === 'local' ? 0 : 1;
}

// ---- neighbours ----------------------------------------------------------------------------------------

export function neighKey(dev: number, ip: Ipv4): string {
  return `${dev}|${ip}`;
}

export function flushNeigh(ns: Netns, dev: number, includePermanent: boolean): number {
  let n = 0;
  for (const [k, e] of ns.neigh) {
    if (e.dev !== dev) continue;
    if (!includePermanent && (e.state === 'PERMANENT' || e.state === 'NOARP')) continue;
    e.timer?.cancel();
    for (const q of e.queue) q.onFail(q.pkt);
    ns.neigh.delete(k);
    n++;
  }
  return n;
}

export function setNeigh(ns: Netns, l: Link, ip: Ipv4, mac: Mac | null, state: 'PERMANENT' | 'REACHABLE' | 'STALE' | 'NOARP', mode: 'add' | 'replace' | 'change'): Result {
  const key = neighKey(l.ifindex, ip);
  const cur = ns.neigh.get(key);
  if (mode === 'add' && cur && cur.state !== 'INCOMPLETE' && cur.state !== 'FAILED') return fail('EEXIST');
  if (mode === 'change' && !cur) return fail('ENOENT');
  cur?.timer?.cancel();
  const e: NeighEntry = cur ?? { ip, dev: l.ifindex, mac: null, state, updated: ns.world.now, confirmed: ns.world.now, probes: 0, queue: [], timer: null };
  e.mac = mac;
  e.state = state;
  e.updated = ns.world.now;
  e.confirmed = ns.world.now;
  e.timer = null;
  ns.neigh.set(key, e);
  if (mac) {
    const q = e.queue;
    e.queue = [];
    for (const item of q) item.send(mac);
  }
  return ok(undefined);
}

export function delNeigh(ns: Netns, l: Link, ip: Ipv4): Result {
  const key = neighKey(l.ifindex, ip);
  const cur = ns.neigh.get(key);
  if (!cur) return fail('ENOENT');
  cur.timer?.cancel();
  ns.neigh.delete(key);
  return ok(undefined);
}

/** The state `ip neigh` shows now, applying the timers the kernel would have run. */
export function neighShownState(ns: Netns, e: NeighEntry): string {
  const now = ns.world.now;
  if (e.state === 'REACHABLE' && now - e.confirmed > 30 * SECOND) return 'STALE';
  return e.state;
}

/** Helpers to find namespaces on a host by name. */
export function netnsByName(host: Host, name: string): Netns | undefined {
  return host.named.get(name);
}

export function worldOf(ns: Netns): World {
  return ns.world;
}
