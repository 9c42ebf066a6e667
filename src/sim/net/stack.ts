/**
 * The packet path: what the kernel does with a frame from the moment it arrives on an interface,
 * and with a packet from the moment a socket sends it.
 *
 *   netifRx ─┬─ macvlan/ipvlan lower device ──> the child device
 *            ├─ bridge port ──> bridgeInput ──┬─ to the bridge itself ──> l2Input(bridge)
 *            │                                └─ forward/flood ──> [br_netfilter FORWARD] ──> devXmit(port)
 *            └─ l2Input ─┬─ ARP ──> arpRcv
 *                        └─ IPv4 ──> ipRcv ─ PREROUTING ─ route ─┬─ local ──> INPUT ──> ICMP/TCP/UDP
 *                                                                └─ forward ──> FORWARD ──> POSTROUTING ──> neighOutput
 *   ipOutput (a socket sends) ─ route ─ OUTPUT ─ POSTROUTING ─ neighOutput ─ devXmit ─┬─ veth ──> peer's netifRx
 *                                                                                      ├─ bridge ──> a port
 *                                                                                      ├─ vxlan ──> UDP in the underlay
 *                                                                                      ├─ macvlan ──> sibling / lower wire
 *                                                                                      └─ ether ──> the segment
 *
 * Every step emits a trace event. Functions named process* handle arriving packets, dispatch*
 * outgoing ones; a `drop` is always explained.
 */
import { SECOND, type Micros } from '../engine/scheduler.ts';
import { BROADCAST_MAC, formatIpv4, isBroadcastOrMulticastMac, type Ipv4, type Mac } from '../wire/addr.ts';
import {
  frameLength,
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_FRAG_NEEDED,
  ICMP_HOST_UNREACH,
  ICMP_NET_UNREACH,
  ICMP_PKT_FILTERED,
  ICMP_PORT_UNREACH,
  ICMP_PROT_UNREACH,
  ICMP_TIME_EXCEEDED,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  ipTotalLength,
  TCP_ACK,
  TCP_RST,
  type Packet,
} from '../wire/packet.ts';
import { describePacket, icmpText } from '../wire/describe.ts';
import type { DropReason, TraceEvent } from '../trace/events.ts';
import { formatTuple, invert, isIcmpError, type CtEntry, type Dir, type Tuple } from '../netfilter/conntrack.ts';
import type { CtState, Hook, MatchContext, Target } from '../netfilter/rule.ts';
import { formatRuleSave } from '../netfilter/ruletext.ts';
import type { Link, Netns } from './model.ts';
import { neighKey } from './netlink.ts';
import { routeOutput, fibLookup, selectSource, formatRoute, type RouteOk } from './route.ts';
import { RT_TABLE_LOCAL } from './types.ts';
import { processTcp } from '../transport/tcp.ts';
import { processUdp } from '../transport/udp.ts';

/** One-way latency of a veth pair (µs). */
export const VETH_LATENCY: Micros = 9;
/** Loopback delivery latency (µs). */
export const LO_LATENCY: Micros = 4;
/** Room is_skb_forwardable leaves above a device's MTU: the Ethernet header and one VLAN tag. */
const ETH_HLEN = 14;
const VLAN_HLEN = 4;

/** A packet being processed in one namespace, with the kernel's per-skb state. */
export interface Skb {
  pkt: Packet;
  ns: Netns;
  inDev: Link | null;
  outDev: Link | null;
  ct: CtEntry | null;
  ctDir: Dir;
  ctState: CtState;
  mark: number;
  /** br_netfilter already ran the IP PREROUTING hook on this frame */
  bridgedPre: boolean;
  /** the bridge port the frame came in on (physdev) */
  physIn: Link | null;
  /** a socket on this host created it; errors such as ENOBUFS are reported back */
  onLocalError?: (errno: string, mtu?: number) => void;
}

/** What a sender learns synchronously: nothing, or a local error (EMSGSIZE, ENETUNREACH...). */
export interface SendError {
  readonly errno: string;
  readonly mtu?: number;
}

// ---- trace helpers -----------------------------------------------------------------------------------

type Extra = Partial<Pick<TraceEvent, 'nf' | 'nat' | 'route' | 'bridge' | 'peer' | 'drop'>>;

export function emit(ns: Netns, kind: TraceEvent['kind'], pkt: Packet, summary: string, dev?: Link | null, extra?: Extra): void {
  const tr = ns.world.trace;
  if (!tr.enabled) return;
  const at = dev ? { host: ns.host.name, ns: ns.traceName, dev: dev.name } : { host: ns.host.name, ns: ns.traceName };
  tr.emit({ t: ns.world.now, packetId: pkt.id, kind, at, packet: pkt, summary, ...extra });
}

export function drop(ns: Netns, pkt: Packet, reason: DropReason, text: string, dev?: Link | null): void {
  const l = dev ?? null;
  if (l) l.stats.rxDropped += 0;
  emit(ns, 'drop', pkt, text, l, { drop: { reason, text } });
}

// ---- L2: receive ---------------------------------------------------------------------------------------

/** A frame arrives on `dev` (netif_receive_skb). */
export function netifRx(dev: Link, pkt: Packet): void {
  const ns = dev.ns;
  if (ns.linkByIndex(dev.ifindex) !== dev) return; // the device is gone
  if (!dev.adminUp) {
    drop(ns, pkt, 'DEV_DOWN', `${dev.name} is down: frame discarded`, dev);
    return;
  }
  dev.stats.rxPackets++;
  dev.stats.rxBytes += frameLength(pkt);
  dev.record({ t: ns.world.now, dir: 'in', packet: pkt });
  emit(ns, 'rx', pkt, `${dev.name} receives ${describePacket(pkt)}`, dev);

  // rx_handlers of stacked devices: macvlan/ipvlan children take their frames from the lower device
  if (dev.uppers.size && dispatchToUppers(dev, pkt)) return;

  if (dev.master) {
    bridgeInput(dev.master, dev, pkt);
    return;
  }
  l2Input(dev, pkt, false);
}

/** macvlan_handle_frame / ipvlan_handle_frame: returns true when a child consumed the frame. */
function dispatchToUppers(dev: Link, pkt: Packet): boolean {
  const dst = pkt.eth?.dst;
  if (!dst) return false;
  const ups = [...dev.uppers].filter((u) => u.kind === 'macvlan' || u.kind === 'ipvlan');
  if (!ups.length) return false;
  if (isBroadcastOrMulticastMac(dst)) {
    // broadcasts from the wire reach every child and the lower device itself
    for (const u of ups) {
      if (!u.adminUp) continue;
      if (u.kind === 'ipvlan' && u.mode === 'l3') continue;
      netifRxChild(u, pkt);
    }
    return false;
  }
  for (const u of ups) {
    if (u.kind === 'macvlan' && u.mac === dst && u.adminUp) {
      netifRxChild(u, pkt);
      return true;
    }
  }
  // ipvlan children share the lower device's MAC: frames go to the child that owns the IP
  // (the target address of an ARP packet, the destination of an IP one)
  const target = pkt.ip ? pkt.ip.dst : pkt.arp ? pkt.arp.tpa : null;
  if (dst === dev.mac && target !== null) {
    for (const u of ups) {
      if (u.kind === 'ipvlan' && u.adminUp && u.addrs.some((a) => a.addr === target)) {
        netifRxChild(u, pkt);
        return true;
      }
    }
  }
  return false;
}

function netifRxChild(child: Link, pkt: Packet): void {
  const ns = child.ns;
  child.stats.rxPackets++;
  child.stats.rxBytes += frameLength(pkt);
  child.record({ t: ns.world.now, dir: 'in', packet: pkt });
  emit(ns, 'rx', pkt, `${child.name} (${child.kind} on ${child.parent?.name ?? '?'}) receives ${describePacket(pkt)}`, child);
  l2Input(child, pkt, false);
}

/** The frame is for this interface's own stack: check the destination MAC and hand it up. */
function l2Input(dev: Link, pkt: Packet, bridgedPre: boolean): void {
  const ns = dev.ns;
  const eth = pkt.eth;
  if (eth && dev.kind !== 'loopback' && !(dev.kind === 'ipvlan')) {
    if (eth.dst !== dev.mac && !isBroadcastOrMulticastMac(eth.dst) && dev.promisc === 0) {
      drop(ns, pkt, 'OTHERHOST', `${dev.name}: frame for ${eth.dst} is not addressed to this interface (${dev.mac})`, dev);
      return;
    }
  }
  if (pkt.arp) {
    processArp(dev, pkt);
    return;
  }
  if (pkt.ip) {
    processIp({ pkt, ns, inDev: dev, outDev: null, ct: null, ctDir: 0, ctState: 'NEW', mark: 0, bridgedPre, physIn: null });
    return;
  }
  drop(ns, pkt, 'UNHANDLED', `${dev.name}: protocol not handled`, dev);
}

// ---- L2: transmit ---------------------------------------------------------------------------------------

/** dev_queue_xmit: send a complete Ethernet frame out of `dev`. Returns an errno for the sender, or null. */
export function devXmit(dev: Link, pkt: Packet): string | null {
  const ns = dev.ns;
  if (!dev.adminUp) {
    drop(ns, pkt, 'DEV_DOWN', `${dev.name} is down`, dev);
    return 'ENETDOWN';
  }
  if (dev.kind !== 'loopback' && !dev.carrier && dev.kind !== 'bridge') {
    dev.stats.txDropped++;
    drop(ns, pkt, 'NO_CARRIER', `${dev.name} has no carrier${dev.kind === 'veth' ? ' (its veth peer is down)' : ''}: frame lost`, dev);
    return null;
  }
  dev.stats.txPackets++;
  dev.stats.txBytes += frameLength(pkt);
  dev.record({ t: ns.world.now, dir: 'out', packet: pkt });
  emit(ns, 'tx', pkt, `${dev.name} sends ${describePacket(pkt)}`, dev);
  const sched = ns.world.sched;
  switch (dev.kind) {
    case 'loopback':
      sched.after(LO_LATENCY, () => netifRx(dev, pkt));
      return null;
    case 'veth': {
      const peer = dev.peer;
      if (!peer) return null;
      const ipLen = pkt.ip ? pkt.ip.totalLength : 0;
      if (frameLength(pkt) > peer.mtu + ETH_HLEN + VLAN_HLEN) {
        // __dev_forward_skb: is_skb_forwardable finds the frame too big for the receiving end
        dev.stats.txDropped++;
        drop(ns, pkt, 'PKT_TOO_BIG', `${ipLen}-byte packet is larger than the MTU ${peer.mtu} of ${peer.name}, the other end of the veth: dropped`, dev);
        return 'ENOBUFS';
      }
      sched.after(VETH_LATENCY, () => netifRx(peer, pkt));
      return null;
    }
    case 'bridge':
      bridgeXmit(dev, pkt);
      return null;
    case 'ether':
      segmentXmit(dev, pkt);
      return null;
    case 'vxlan':
      vxlanXmit(dev, pkt);
      return null;
    case 'macvlan':
      macvlanXmit(dev, pkt);
      return null;
    case 'ipvlan':
      ipvlanXmit(dev, pkt);
      return null;
    case 'dummy':
      emit(ns, 'deliver', pkt, `${dev.name} is a dummy device: the frame is discarded`, dev);
      return null;
  }
}

/** Put a frame on the medium below `dev` without passing through `dev`'s own stack (lower xmit). */
function lowerXmit(lower: Link, pkt: Packet): void {
  if (!lower.adminUp || !lower.carrier) {
    drop(lower.ns, pkt, 'NO_CARRIER', `${lower.name} (the lower device) has no carrier`, lower);
    return;
  }
  lower.stats.txPackets++;
  lower.stats.txBytes += frameLength(pkt);
  lower.record({ t: lower.ns.world.now, dir: 'out', packet: pkt });
  emit(lower.ns, 'tx', pkt, `${lower.name} sends ${describePacket(pkt)}`, lower);
  const sched = lower.ns.world.sched;
  if (lower.kind === 'veth' && lower.peer) {
    const peer = lower.peer;
    sched.after(VETH_LATENCY, () => netifRx(peer, pkt));
  } else if (lower.kind === 'ether') segmentXmit(lower, pkt, true);
  else if (lower.kind === 'bridge') bridgeXmit(lower, pkt);
}

function segmentXmit(dev: Link, pkt: Packet, alreadyCounted = false): void {
  void alreadyCounted;
  const seg = dev.segment;
  if (!seg) return;
  const dst = pkt.eth?.dst ?? BROADCAST_MAC;
  const others = seg.links.filter((l) => l !== dev);
  let targets = others;
  if (!isBroadcastOrMulticastMac(dst)) {
    const hit = others.filter((l) => l.mac === dst || [...l.uppers].some((u) => u.mac === dst));
    if (hit.length) targets = hit;
  }
  if (!targets.length) {
    drop(dev.ns, pkt, 'NO_CARRIER', `nothing else is plugged into ${seg.name}`, dev);
    return;
  }
  for (const t of targets) dev.ns.world.sched.after(seg.latency, () => netifRx(t, pkt));
}

// ---- bridge ------------------------------------------------------------------------------------------------

/** Frames the host stack sends through a bridge device (br_dev_xmit). */
function bridgeXmit(br: Link, pkt: Packet): void {
  const info = br.bridge!;
  const dst = pkt.eth?.dst ?? BROADCAST_MAC;
  const ports = br.ns.bridgePorts(br).filter((p) => p.portForwarding);
  if (!isBroadcastOrMulticastMac(dst)) {
    const e = info.fdb.get(dst);
    if (e && !e.local) {
      const port = br.ns.linkByIndex(e.port);
      if (port && port.portForwarding) {
        emit(br.ns, 'bridge', pkt, `${br.name}: ${dst} is behind port ${port.name}: forward`, br, { bridge: { bridge: br.name, action: 'forward', ports: [port.name] } });
        bridgePortXmit(br, port, pkt);
        return;
      }
    }
  }
  if (!ports.length) {
    drop(br.ns, pkt, 'BRIDGE_PORT_STATE', `${br.name} has no port in forwarding state`, br);
    return;
  }
  emit(br.ns, 'bridge', pkt, `${br.name}: flood to ${ports.map((p) => p.name).join(', ')}`, br, { bridge: { bridge: br.name, action: 'flood', ports: ports.map((p) => p.name) } });
  for (const p of ports) bridgePortXmit(br, p, pkt);
}

/**
 * br_dev_queue_push_xmit: a frame leaves the bridge by one of its ports. is_skb_forwardable
 * refuses a frame longer than the port's MTU + 14 + 4 bytes: the bridge frees it without a word,
 * no ICMP, no counter, because a bridge does not do IP and cannot fragment.
 */
function bridgePortXmit(br: Link, out: Link, pkt: Packet): void {
  const len = frameLength(pkt);
  if (len > out.mtu + ETH_HLEN + VLAN_HLEN) {
    drop(br.ns, pkt, 'PKT_TOO_BIG', `${br.name}: ${len}-byte frame is too big for port ${out.name} (MTU ${out.mtu}, at most ${out.mtu + ETH_HLEN + VLAN_HLEN} bytes with the Ethernet header and a VLAN tag): discarded silently, a bridge sends no ICMP`, out);
    return;
  }
  devXmit(out, pkt);
}

/** br_handle_frame: a frame arrives on bridge port `port`. */
function bridgeInput(br: Link, port: Link, pkt: Packet): void {
  const ns = br.ns;
  const info = br.bridge!;
  if (!port.portForwarding) {
    drop(ns, pkt, 'BRIDGE_PORT_STATE', `${port.name} is not forwarding on ${br.name}`, port);
    return;
  }
  if (!br.adminUp) {
    drop(ns, pkt, 'DEV_DOWN', `bridge ${br.name} is down`, port);
    return;
  }
  const eth = pkt.eth!;
  // learning
  if (!isBroadcastOrMulticastMac(eth.src)) {
    const cur = info.fdb.get(eth.src);
    if (!cur || (!cur.local && cur.port !== port.ifindex)) {
      info.fdb.set(eth.src, { mac: eth.src, port: port.ifindex, local: false, updated: ns.world.now });
      emit(ns, 'bridge', pkt, `${br.name} learns ${eth.src} is behind ${port.name}`, br, { bridge: { bridge: br.name, action: 'learn', ports: [port.name] } });
    } else if (!cur.local) cur.updated = ns.world.now;
  }
  const skbBase = { ns, ct: null, ctDir: 0 as Dir, ctState: 'NEW' as CtState, mark: 0, bridgedPre: false, physIn: port };
  let cur = pkt;
  let pre: Skb | null = null;
  // br_netfilter: IPv4 frames go through the IP PREROUTING hook with the bridge as in-device
  if (pkt.ip && ns.brNfCallIptables) {
    pre = { ...skbBase, pkt, inDev: br, outDev: null };
    if (!preRouting(pre)) return;
    cur = pre.pkt;
  }
  const dst = cur.eth!.dst;
  const isLocal = dst === br.mac || (info.fdb.get(dst)?.local ?? false);
  if (isLocal) {
    emit(ns, 'bridge', cur, `${br.name}: ${dst} is the bridge's own address: up to the host stack`, br, { bridge: { bridge: br.name, action: 'local', ports: [port.name] } });
    passUp(br, cur, pre);
    return;
  }
  const targets = br.ns.bridgePorts(br).filter((p) => p.portForwarding && (p !== port || p.hairpin));
  if (isBroadcastOrMulticastMac(dst)) {
    if (targets.length) {
      emit(ns, 'bridge', cur, `${br.name}: ${dst === BROADCAST_MAC ? 'broadcast' : 'multicast'}: flood to ${targets.map((p) => p.name).join(', ')} and up to the host`, br, {
        bridge: { bridge: br.name, action: 'flood', ports: targets.map((p) => p.name) },
      });
    }
    for (const t of targets) bridgeForward(br, port, t, cur, pre);
    passUp(br, cur, pre);
    return;
  }
  const e = info.fdb.get(dst);
  if (e) {
    const out = ns.linkByIndex(e.port);
    if (!out || out === port) {
      if (out === port && !port.hairpin) {
        drop(ns, cur, 'BRIDGE_PORT_STATE', `${br.name}: ${dst} is behind the port the frame came from (${port.name}); hairpin is off`, br);
        return;
      }
    }
    if (out && out.portForwarding) {
      emit(ns, 'bridge', cur, `${br.name}: ${dst} is behind ${out.name}: forward`, br, { bridge: { bridge: br.name, action: 'forward', ports: [out.name] } });
      bridgeForward(br, port, out, cur, pre);
      return;
    }
  }
  if (!targets.length) {
    drop(ns, cur, 'BRIDGE_PORT_STATE', `${br.name}: unknown destination ${dst} and no other port to flood to`, br);
    return;
  }
  emit(ns, 'bridge', cur, `${br.name}: ${dst} unknown: flood to ${targets.map((p) => p.name).join(', ')}`, br, { bridge: { bridge: br.name, action: 'flood', ports: targets.map((p) => p.name) } });
  for (const t of targets) bridgeForward(br, port, t, cur, pre);
}

function passUp(br: Link, pkt: Packet, pre: Skb | null): void {
  br.stats.rxPackets++;
  br.stats.rxBytes += frameLength(pkt);
  br.record({ t: br.ns.world.now, dir: 'in', packet: pkt });
  if (pre && pkt.ip) {
    // PREROUTING already ran (br_netfilter); continue with routing
    if (pkt.arp) processArp(br, pkt);
    else processIp({ ...pre, pkt, inDev: br, bridgedPre: true });
    return;
  }
  l2Input(br, pkt, false);
}

/** br_forward: through br_netfilter's FORWARD and POSTROUTING hooks, then out of `out`. */
function bridgeForward(br: Link, inPort: Link, out: Link, pkt: Packet, pre: Skb | null): void {
  void inPort;
  const ns = br.ns;
  if (pkt.ip && pre && ns.brNfCallIptables) {
    const skb: Skb = { ...pre, pkt, inDev: br, outDev: br };
    if (!nfHookFilter(skb, 'FORWARD', br, br)) return;
    if (!postRouting(skb, br)) return;
    pkt = skb.pkt;
  }
  bridgePortXmit(br, out, pkt);
}

// ---- ARP and the neighbour table ------------------------------------------------------------------------

function processArp(dev: Link, pkt: Packet): void {
  const ns = dev.ns;
  const arp = pkt.arp!;
  if (dev.noarp) {
    drop(ns, pkt, 'UNHANDLED', `${dev.name} does not do ARP`, dev);
    return;
  }
  const key = neighKey(dev.ifindex, arp.spa);
  const existing = ns.neigh.get(key);
  if (arp.op === 1) {
    const forUs = ns.isLocalAddr(arp.tpa) && ns.routes.some((r) => r.table === RT_TABLE_LOCAL && r.type === 'local' && r.dst === arp.tpa);
    if (!forUs) {
      if (existing && existing.state !== 'PERMANENT' && existing.mac !== arp.sha && existing.state !== 'INCOMPLETE') {
        existing.mac = arp.sha;
        existing.state = 'STALE';
        existing.updated = ns.world.now;
      }
      emit(ns, 'deliver', pkt, `ARP who-has ${formatIpv4(arp.tpa)}: not an address of this namespace, ignored`, dev);
      return;
    }
    // neigh_event_ns: remember who asked, as STALE
    learnNeigh(ns, dev, arp.spa, arp.sha, 'STALE');
    const reply: Packet = {
      id: ns.world.nextPacketId(),
      eth: { src: dev.mac, dst: arp.sha, type: 'arp' },
      arp: { op: 2, sha: dev.mac, spa: arp.tpa, tha: arp.sha, tpa: arp.spa },
      payloadLen: 0,
    };
    emit(ns, 'neigh', pkt, `ARP who-has ${formatIpv4(arp.tpa)} tell ${formatIpv4(arp.spa)}: answer ${formatIpv4(arp.tpa)} is-at ${dev.mac}`, dev);
    emit(ns, 'send', reply, `ARP reply ${formatIpv4(arp.tpa)} is-at ${dev.mac}`, dev);
    devXmit(dev, reply);
    return;
  }
  // a reply
  if (existing && existing.state !== 'PERMANENT' && existing.state !== 'NOARP') {
    learnNeigh(ns, dev, arp.spa, arp.sha, 'REACHABLE');
    emit(ns, 'neigh', pkt, `ARP reply: ${formatIpv4(arp.spa)} is-at ${arp.sha} (REACHABLE)`, dev);
  } else {
    emit(ns, 'deliver', pkt, `unsolicited ARP reply for ${formatIpv4(arp.spa)} ignored`, dev);
  }
}

function learnNeigh(ns: Netns, dev: Link, ip: Ipv4, mac: Mac, state: 'STALE' | 'REACHABLE'): void {
  const key = neighKey(dev.ifindex, ip);
  const e = ns.neigh.get(key);
  const now = ns.world.now;
  if (e) {
    if (e.state === 'PERMANENT' || e.state === 'NOARP') return;
    if (state === 'STALE' && e.mac === mac && e.state !== 'INCOMPLETE' && e.state !== 'FAILED') return;
    e.timer?.cancel();
    e.timer = null;
    e.mac = mac;
    e.state = state;
    e.updated = now;
    if (state === 'REACHABLE') e.confirmed = now;
    e.probes = 0;
    const q = e.queue;
    e.queue = [];
    for (const item of q) item.send(mac);
    return;
  }
  ns.neigh.set(key, { ip, dev: dev.ifindex, mac, state, updated: now, confirmed: state === 'REACHABLE' ? now : 0, probes: 0, queue: [], timer: null });
}

function sendArpRequest(ns: Netns, dev: Link, target: Ipv4, unicastTo: Mac | null, cause: Packet): void {
  const src = selectSource(ns, dev, target);
  const req: Packet = {
    id: ns.world.nextPacketId(),
    eth: { src: dev.mac, dst: unicastTo ?? BROADCAST_MAC, type: 'arp' },
    arp: { op: 1, sha: dev.mac, spa: src, tha: '00:00:00:00:00:00', tpa: target },
    payloadLen: 0,
  };
  emit(ns, 'neigh', cause, `ARP: who has ${formatIpv4(target)}? ${unicastTo ? `ask ${unicastTo}` : `broadcast on ${dev.name}`}`, dev);
  emit(ns, 'send', req, `ARP who-has ${formatIpv4(target)} tell ${formatIpv4(src)}`, dev);
  devXmit(dev, req);
}

/**
 * neigh_output: put an Ethernet header on an IP packet for `nexthop` and send it on `dev`,
 * resolving the MAC with ARP when needed. `onFail` runs for every packet that was waiting when
 * resolution fails (the kernel then sends ICMP host unreachable).
 */
function neighOutput(skb: Skb, dev: Link, nexthop: Ipv4, onFail: (p: Packet) => void): void {
  const ns = dev.ns;
  let pkt = skb.pkt;
  const send = (mac: Mac) => {
    const err = devXmit(dev, { ...pkt, eth: { src: dev.mac, dst: mac, type: 'ipv4' } });
    if (err && skb.onLocalError) skb.onLocalError(err);
  };
  if (dev.kind === 'loopback') {
    pkt = { ...pkt, eth: { src: '00:00:00:00:00:00', dst: '00:00:00:00:00:00', type: 'ipv4' } };
    devXmit(dev, pkt);
    return;
  }
  if (dev.noarp) {
    devXmit(dev, { ...pkt, eth: { src: dev.mac, dst: dev.mac, type: 'ipv4' } });
    return;
  }
  if (nexthop === 0xffffffff || (pkt.ip && ns.addrType(pkt.ip.dst) === 'BROADCAST')) {
    send(BROADCAST_MAC);
    return;
  }
  const key = neighKey(dev.ifindex, nexthop);
  const now = ns.world.now;
  let e = ns.neigh.get(key);
  if (e && e.mac && e.state !== 'INCOMPLETE' && e.state !== 'FAILED') {
    if (e.state === 'REACHABLE' && now - e.confirmed > 30 * SECOND) {
      e.state = 'STALE';
      e.updated = now;
    }
    if (e.state === 'STALE') {
      // first use of a stale entry: DELAY, then a unicast probe after delay_first_probe_time
      e.state = 'DELAY';
      e.updated = now;
      const entry = e;
      e.timer?.cancel();
      e.timer = ns.world.sched.after(5 * SECOND, () => probeStale(ns, dev, entry));
    }
    emit(ns, 'neigh', pkt, `neighbour ${formatIpv4(nexthop)} is ${e.mac} (${e.state}) on ${dev.name}`, dev);
    send(e.mac);
    return;
  }
  if (!e || e.state === 'FAILED') {
    e?.timer?.cancel();
    e = { ip: nexthop, dev: dev.ifindex, mac: null, state: 'INCOMPLETE', updated: now, confirmed: 0, probes: 0, queue: [], timer: null };
    ns.neigh.set(key, e);
    e.queue.push({ pkt, onFail, send });
    startResolution(ns, dev, e, pkt);
    return;
  }
  // INCOMPLETE: wait with the others
  emit(ns, 'neigh', pkt, `waiting for ARP to resolve ${formatIpv4(nexthop)} on ${dev.name}`, dev);
  e.queue.push({ pkt, onFail, send });
}

function startResolution(ns: Netns, dev: Link, e: import('./types.ts').NeighEntry, cause: Packet): void {
  const retrans = Number(ns.sysctlGet('net.ipv4.neigh.default.retrans_time_ms') ?? '1000') * 1000;
  const maxProbes = Number(ns.sysctlGet('net.ipv4.neigh.default.mcast_solicit') ?? '3');
  const probe = () => {
    if (ns.neigh.get(neighKey(dev.ifindex, e.ip)) !== e || e.state !== 'INCOMPLETE') return;
    if (e.probes >= maxProbes) {
      e.state = 'FAILED';
      e.updated = ns.world.now;
      e.timer = null;
      const q = e.queue;
      e.queue = [];
      emit(ns, 'neigh', cause, `ARP for ${formatIpv4(e.ip)} on ${dev.name} got no answer after ${maxProbes} tries: FAILED`, dev);
      for (const item of q) {
        drop(ns, item.pkt, 'NEIGH_FAILED', `no host answers ARP for ${formatIpv4(e.ip)} on ${dev.name}`, dev);
        item.onFail(item.pkt);
      }
      return;
    }
    e.probes++;
    if (dev.ns.linkByIndex(dev.ifindex) === dev && dev.adminUp) sendArpRequest(ns, dev, e.ip, null, cause);
    e.timer = ns.world.sched.after(retrans, probe);
  };
  probe();
}

function probeStale(ns: Netns, dev: Link, e: import('./types.ts').NeighEntry): void {
  if (ns.neigh.get(neighKey(dev.ifindex, e.ip)) !== e || e.state !== 'DELAY') return;
  if (e.confirmed >= e.updated) {
    e.state = 'REACHABLE';
    return;
  }
  e.state = 'PROBE';
  e.probes = 0;
  const retrans = 1 * SECOND;
  const probe = () => {
    if (ns.neigh.get(neighKey(dev.ifindex, e.ip)) !== e || e.state !== 'PROBE') return;
    if (e.probes >= 3) {
      e.state = 'FAILED';
      e.updated = ns.world.now;
      return;
    }
    e.probes++;
    if (dev.adminUp && e.mac) {
      const dummy: Packet = { id: ns.world.nextPacketId(), payloadLen: 0 };
      sendArpRequest(ns, dev, e.ip, e.mac, dummy);
    }
    e.timer = ns.world.sched.after(retrans, probe);
  };
  probe();
}

// ---- netfilter glue ---------------------------------------------------------------------------------------

function matchContext(skb: Skb, inDev: Link | null, outDev: Link | null): MatchContext {
  const p = skb.pkt;
  const ip = p.ip!;
  const ns = skb.ns;
  const e = skb.ct;
  return {
    src: ip.src,
    dst: ip.dst,
    proto: ip.proto,
    sport: p.tcp ? p.tcp.sport : p.udp ? p.udp.sport : 0,
    dport: p.tcp ? p.tcp.dport : p.udp ? p.udp.dport : 0,
    tcpFlags: p.tcp ? p.tcp.flags : 0,
    icmpType: p.icmp ? p.icmp.type : -1,
    icmpCode: p.icmp ? p.icmp.code : -1,
    isFragment: ip.fragOffset > 0,
    inIf: inDev ? inDev.name : '',
    outIf: outDev ? outDev.name : '',
    ctState: skb.ctState,
    ctSnat: !!e && e.srcNat,
    ctDnat: !!e && e.dstNat,
    mark: skb.mark,
    addrType: (x: Ipv4) => ns.addrType(x),
  };
}

function observer(skb: Skb) {
  return (table: string, chain: string, rule: number, spec: import('../netfilter/rule.ts').RuleSpec | null, verdict: string) => {
    const ruleText = spec ? formatRuleSave(spec) : `policy ${verdict}`;
    const where = rule === 0 ? `policy of ${chain}` : `rule ${rule} of ${chain}`;
    let summary = `${table} ${chain}: ${rule === 0 ? `no rule matched, policy ${verdict}` : `rule ${rule} matches (${ruleText})`}`;
    if (verdict === 'DROP') summary = `dropped by ${where} in ${table}: ${rule === 0 ? `policy DROP` : ruleText}`;
    emit(skb.ns, 'nf', skb.pkt, summary, skb.inDev ?? skb.outDev, { nf: { table, chain, rule, ruleText, verdict } });
    if (verdict === 'LOG' && spec && spec.target.kind === 'LOG') logLine(skb, spec.target.prefix ?? '');
  };
}

function logLine(skb: Skb, prefix: string): void {
  const p = skb.pkt;
  const ip = p.ip!;
  let s = `${prefix}IN=${skb.inDev?.name ?? ''} OUT=${skb.outDev?.name ?? ''} `;
  if (p.eth && skb.inDev) s += `MAC=${p.eth.dst}:${p.eth.src}:08:00 `;
  s += `SRC=${formatIpv4(ip.src)} DST=${formatIpv4(ip.dst)} LEN=${ip.totalLength} TOS=0x00 PREC=0x00 TTL=${ip.ttl} ID=${ip.id}${ip.df ? ' DF' : ''} `;
  if (p.tcp) s += `PROTO=TCP SPT=${p.tcp.sport} DPT=${p.tcp.dport} WINDOW=${p.tcp.window} RES=0x00 ${tcpFlagWords(p.tcp.flags)}URGP=0 `;
  else if (p.udp) s += `PROTO=UDP SPT=${p.udp.sport} DPT=${p.udp.dport} LEN=${ip.totalLength - 20} `;
  else if (p.icmp) s += `PROTO=ICMP TYPE=${p.icmp.type} CODE=${p.icmp.code} ${p.icmp.id !== undefined ? `ID=${p.icmp.id} SEQ=${p.icmp.seq} ` : ''}`;
  else s += `PROTO=${ip.proto} `;
  const secs = (skb.ns.world.now / SECOND).toFixed(6).padStart(12);
  skb.ns.host.klog.push(`[${secs}] ${s}`);
}

function tcpFlagWords(f: number): string {
  const names: [number, string][] = [[32, 'URG'], [16, 'ACK'], [8, 'PSH'], [4, 'RST'], [2, 'SYN'], [1, 'FIN']];
  return names.filter(([b]) => f & b).map(([, n]) => `${n} `).join('');
}

/** conntrack: attach (or create) the connection for this packet. */
function ctIn(skb: Skb): void {
  if (skb.ct) return;
  if (!skb.ns.nf.ctNeeded() && !skb.ns.ipvs.size) {
    skb.ctState = 'UNTRACKED';
    return;
  }
  const r = skb.ns.ct.lookup(skb.pkt);
  if (!r) {
    skb.ctState = 'INVALID';
    return;
  }
  skb.ct = r.entry;
  skb.ctDir = r.dir;
  skb.ctState = r.state;
}

/** Run filter-style tables (mangle, filter) at a hook. Returns false when the packet was dropped. */
function nfHookFilter(skb: Skb, hook: Hook, inDev: Link | null, outDev: Link | null): boolean {
  const ns = skb.ns;
  for (const t of ['mangle', 'filter'] as const) {
    if (t === 'filter' && hook === 'PREROUTING') continue;
    if (t === 'filter' && hook === 'POSTROUTING') continue;
    if (ns.nf.isEmpty(t)) {
      continue;
    }
    const v = ns.nf.traverse(t, hook, matchContext(skb, inDev, outDev), skb.pkt.ip!.totalLength, observer(skb));
    if (v.verdict === 'DROP') {
      if (v.target?.kind === 'REJECT') sendReject(skb, v.target.with, inDev);
      const why = v.rule === 0 ? `policy DROP of ${v.chain}` : `rule ${v.rule} of ${v.chain}`;
      drop(ns, skb.pkt, 'NETFILTER_DROP', `dropped by ${why} in ${t}: ${v.spec ? formatRuleSave(v.spec) : '-P DROP'}`, inDev ?? outDev);
      return false;
    }
  }
  return true;
}

function runRawTable(skb: Skb, hook: Hook, inDev: Link | null, outDev: Link | null): boolean {
  const ns = skb.ns;
  if (ns.nf.isEmpty('raw')) return true;
  const v = ns.nf.traverse('raw', hook, matchContext(skb, inDev, outDev), skb.pkt.ip!.totalLength, observer(skb));
  if (v.verdict === 'DROP') {
    drop(ns, skb.pkt, 'NETFILTER_DROP', `dropped by ${v.rule === 0 ? 'policy' : `rule ${v.rule}`} of ${v.chain} in raw`, inDev ?? outDev);
    return false;
  }
  return true;
}

/**
 * NAT at a hook. The nat table is consulted once per connection and manip type, on its first
 * packet; every packet is then rewritten from the conntrack tuples.
 */
function natHook(skb: Skb, hook: Hook, manip: 'SRC' | 'DST', inDev: Link | null, outDev: Link | null): boolean {
  const e = skb.ct;
  if (!e) return true;
  const ns = skb.ns;
  const done = manip === 'DST' ? e.dstNatDone : e.srcNatDone;
  if (!e.confirmed && skb.ctDir === 0 && !done && skb.ctState !== 'RELATED') {
    if (manip === 'DST') e.dstNatDone = true;
    else e.srcNatDone = true;
    if (manip === 'DST' && ipvsSchedule(skb, hook, inDev ?? outDev)) {
      applyNat(skb, manip);
      return true;
    }
    if (!ns.nf.isEmpty('nat')) {
      const v = ns.nf.traverse('nat', hook, matchContext(skb, inDev, outDev), skb.pkt.ip!.totalLength, observer(skb));
      if (v.verdict === 'DROP') {
        drop(ns, skb.pkt, 'NETFILTER_DROP', `dropped in nat ${v.chain}`, inDev ?? outDev);
        return false;
      }
      if (v.target && !setupNat(skb, v.target, manip, inDev, outDev, v.spec ? formatRuleSave(v.spec) : '')) return false;
    }
  }
  applyNat(skb, manip);
  return true;
}

function setupNat(skb: Skb, t: Target, manip: 'SRC' | 'DST', inDev: Link | null, outDev: Link | null, ruleText: string): boolean {
  const e = skb.ct!;
  const ns = skb.ns;
  const r = e.reply;
  const withPorts = e.orig.proto === IPPROTO_TCP || e.orig.proto === IPPROTO_UDP;
  if (manip === 'DST' && (t.kind === 'DNAT' || t.kind === 'REDIRECT')) {
    let addr: Ipv4;
    let port = r.sport;
    if (t.kind === 'DNAT') {
      addr = t.addr ?? r.src;
      if (t.ports && withPorts) port = t.ports.lo;
    } else {
      // REDIRECT: to the primary address of the incoming interface (127.0.0.1 for locally generated)
      addr = inDev ? (inDev.primaryAddrs[0]?.addr ?? 0x7f000001) : 0x7f000001;
      if (t.ports && withPorts) port = t.ports.lo;
    }
    e.reply = { ...r, src: addr, sport: withPorts ? port : r.sport };
    e.dstNat = true;
    void ruleText;
    return true;
  }
  if (manip === 'SRC' && (t.kind === 'SNAT' || t.kind === 'MASQUERADE')) {
    let addr: Ipv4;
    if (t.kind === 'SNAT') addr = t.addr ?? r.dst;
    else {
      if (!outDev) return true;
      const nexthop = skb.pkt.ip!.dst;
      addr = selectSource(ns, outDev, nexthop);
      if (!addr || !outDev.addrs.length) {
        drop(ns, skb.pkt, 'NETFILTER_DROP', `MASQUERADE: ${outDev.name} has no address to masquerade as`, outDev);
        return false;
      }
    }
    let port = r.dport;
    const range = t.ports;
    const candidate = (p: number): Tuple => ({ ...r, dst: addr, dport: p, sport: e.orig.proto === IPPROTO_ICMP ? p : r.sport });
    if (range && withPorts) port = range.lo;
    // keep the original port unless the resulting tuple is taken (nf_nat_used_tuple)
    let tries = 0;
    while (ns.ct.replyTaken(candidate(port)) && tries < 100) {
      port = range && withPorts ? range.lo + ((port - range.lo + 1) % (range.hi - range.lo + 1)) : ns.world.rng.int(1024, 65535);
      tries++;
    }
    e.reply = candidate(port);
    e.srcNat = true;
    return true;
  }
  return true;
}

/**
 * IPVS (the kernel's L4 load balancer, as Docker's service VIPs and routing mesh use it): a new
 * connection to a virtual service is given a real server, round robin, and the connection's
 * tuple rewritten to it; replies come back from the virtual address.
 */
function ipvsSchedule(skb: Skb, hook: Hook, dev: Link | null): boolean {
  const ns = skb.ns;
  if (!ns.ipvs.size || (hook !== 'OUTPUT' && hook !== 'PREROUTING')) return false;
  const p = skb.pkt;
  const ip = p.ip!;
  const proto = p.tcp ? 'tcp' : p.udp ? 'udp' : null;
  if (!proto) return false;
  const dport = p.tcp ? p.tcp.dport : p.udp!.dport;
  // a service for one port, one for that port on any local address, or a firewall-mark service
  // (Docker's VIPs) that takes every port of the address: port 0, real servers keep the port
  const svc = ns.ipvs.get(`${proto}:${ip.dst}:${dport}`) ?? ns.ipvs.get(`${proto}:0:${dport}`) ?? ns.ipvs.get(`${proto}:${ip.dst}:0`);
  if (!svc || (svc.vip === 0 && !ns.isLocalAddr(ip.dst)) || !svc.backends.length) return false;
  const pick = svc.backends[svc.next % svc.backends.length];
  const real = pick.port === 0 ? { addr: pick.addr, port: dport } : pick;
  svc.next++;
  const e = skb.ct!;
  e.reply = { ...e.reply, src: real.addr, sport: real.port };
  e.dstNat = true;
  emit(ns, 'nat', p, `IPVS: ${proto.toUpperCase()} ${formatIpv4(ip.dst)}:${dport} is a virtual service; round robin picks ${formatIpv4(real.addr)}:${real.port}`, dev, {
    nat: { before: `${formatIpv4(ip.dst)}:${dport}`, after: `${formatIpv4(real.addr)}:${real.port}`, kind: 'DNAT' },
  });
  return true;
}

/** Rewrite the packet's addresses for its direction (nf_nat_packet / nf_nat_icmp_reply_translation). */
function applyNat(skb: Skb, manip: 'SRC' | 'DST'): void {
  const e = skb.ct!;
  const dir = skb.ctDir;
  let src: Ipv4 | null = null;
  let sport: number | null = null;
  let dst: Ipv4 | null = null;
  let dport: number | null = null;
  if (dir === 0 && manip === 'DST' && e.dstNat) {
    dst = e.reply.src;
    dport = e.reply.sport;
  } else if (dir === 0 && manip === 'SRC' && e.srcNat) {
    src = e.reply.dst;
    sport = e.reply.dport;
  } else if (dir === 1 && manip === 'DST' && e.srcNat) {
    dst = e.orig.src;
    dport = e.orig.sport;
  } else if (dir === 1 && manip === 'SRC' && e.dstNat) {
    src = e.orig.dst;
    sport = e.orig.dport;
  } else return;
  const p = skb.pkt;
  const ip = p.ip!;
  const before = describeTuple(p);
  let next: Packet;
  if (skb.ctState === 'RELATED' && p.icmp?.original) {
    // an ICMP error: rewrite the outer address and, mirrored, the quoted packet
    const o = p.icmp.original;
    let oi = o.ip!;
    let otcp = o.tcp;
    let oudp = o.udp;
    let oicmp = o.icmp;
    if (dst !== null) {
      oi = { ...oi, src: dst };
      if (otcp) otcp = { ...otcp, sport: dport! };
      if (oudp) oudp = { ...oudp, sport: dport! };
      if (oicmp && oicmp.id !== undefined) oicmp = { ...oicmp, id: dport! };
    }
    if (src !== null) {
      oi = { ...oi, dst: src };
      if (otcp) otcp = { ...otcp, dport: sport! };
      if (oudp) oudp = { ...oudp, dport: sport! };
    }
    const orig2: Packet = { ...o, ip: oi, tcp: otcp, udp: oudp, icmp: oicmp };
    next = { ...p, ip: { ...ip, src: src ?? ip.src, dst: dst ?? ip.dst }, icmp: { ...p.icmp, original: orig2 } };
  } else {
    next = { ...p, ip: { ...ip, src: src ?? ip.src, dst: dst ?? ip.dst } };
    if (p.tcp) next = { ...next, tcp: { ...p.tcp, sport: sport ?? p.tcp.sport, dport: dport ?? p.tcp.dport } };
    else if (p.udp) next = { ...next, udp: { ...p.udp, sport: sport ?? p.udp.sport, dport: dport ?? p.udp.dport } };
    else if (p.icmp && p.icmp.id !== undefined && (sport !== null || dport !== null)) {
      const id = dir === 0 ? (sport ?? p.icmp.id) : (dport ?? p.icmp.id);
      next = { ...next, icmp: { ...p.icmp, id } };
    }
  }
  skb.pkt = next;
  const after = describeTuple(next);
  const kind = dir === 0 ? (manip === 'DST' ? 'DNAT' : 'SNAT') : manip === 'DST' ? 'un-SNAT' : 'un-DNAT';
  emit(skb.ns, 'nat', next, `${kind}: ${before} → ${after}`, skb.inDev ?? skb.outDev, { nat: { before, after, kind } });
}

function describeTuple(p: Packet): string {
  const ip = p.ip!;
  if (p.tcp) return `${formatIpv4(ip.src)}:${p.tcp.sport} > ${formatIpv4(ip.dst)}:${p.tcp.dport}`;
  if (p.udp) return `${formatIpv4(ip.src)}:${p.udp.sport} > ${formatIpv4(ip.dst)}:${p.udp.dport}`;
  return `${formatIpv4(ip.src)} > ${formatIpv4(ip.dst)}`;
}

/** The last step of the hooks: confirm a new connection and update its state. */
function ctConfirm(skb: Skb): void {
  const e = skb.ct;
  if (!e) return;
  const ns = skb.ns;
  if (!e.confirmed) ns.ct.confirm(e);
  if (skb.ctState !== 'RELATED') ns.ct.update(e, skb.ctDir, skb.pkt);
}

/** PREROUTING: raw, conntrack, mangle, nat (DNAT). Returns false when dropped. */
function preRouting(skb: Skb): boolean {
  const ns = skb.ns;
  if (!runRawTable(skb, 'PREROUTING', skb.inDev, null)) return false;
  ctIn(skb);
  if (!ns.nf.isEmpty('mangle') && !nfHookFilter(skb, 'PREROUTING', skb.inDev, null)) return false;
  return natHook(skb, 'PREROUTING', 'DST', skb.inDev, null);
}

/** POSTROUTING: mangle, nat (SNAT/MASQUERADE), conntrack confirm. */
function postRouting(skb: Skb, outDev: Link): boolean {
  if (!skb.ns.nf.isEmpty('mangle') && !nfHookFilter(skb, 'POSTROUTING', null, outDev)) return false;
  skb.outDev = outDev;
  if (!natHook(skb, 'POSTROUTING', 'SRC', null, outDev)) return false;
  ctConfirm(skb);
  return true;
}

// ---- IP input, forward, local delivery ------------------------------------------------------------------------

function processIp(skb: Skb): void {
  const ns = skb.ns;
  const inDev = skb.inDev!;
  if (inDev.master) {
    // a bridge port's own stack never sees frames: the bridge consumes them
    drop(ns, skb.pkt, 'OTHERHOST', `${inDev.name} is a port of ${inDev.master.name}`, inDev);
    return;
  }
  const raw = skb.pkt.ip!;
  // route_localnet (on the interface or on all) lets loopback addresses through, as Docker sets it
  // on its bridges when the userland proxy is off
  const loopback = raw.dst >>> 24 === 127 || raw.src >>> 24 === 127;
  const localnet = () => ns.sysctlGet('net.ipv4.conf.all.route_localnet') === '1' || ns.sysctlGet(`net.ipv4.conf.${inDev.name}.route_localnet`) === '1';
  if (inDev.kind !== 'loopback' && ((loopback && !localnet()) || raw.src >>> 24 === 0 || raw.src >>> 28 === 0xe)) {
    // ip_route_input_slow: loopback, zero-network or multicast source, or a loopback destination,
    // seen on a real interface is a martian: dropped without a word
    drop(ns, skb.pkt, 'IP_INNOROUTES', `martian packet ${formatIpv4(raw.src)} > ${formatIpv4(raw.dst)} on ${inDev.name}: dropped`, inDev);
    return;
  }
  if ((ns.nf.ctNeeded() || ns.ipvs.size) && (raw.mf || raw.fragOffset > 0)) {
    // nf_defrag_ipv4: conntrack needs whole packets, so fragments are reassembled before
    // PREROUTING (and cut again on the way out if they still do not fit)
    const whole = defrag(ns, skb.pkt);
    if (!whole) return;
    skb.pkt = whole;
  }
  if (!skb.bridgedPre && !preRouting(skb)) return;
  const pkt = skb.pkt;
  const ip = pkt.ip!;
  // route input
  const r = fibLookup(ns, ip.dst);
  if (r && r.table === RT_TABLE_LOCAL && (r.type === 'local' || r.type === 'broadcast')) {
    emit(ns, 'route', pkt, `${formatIpv4(ip.dst)} is ${r.type === 'local' ? 'an address of this namespace' : 'a broadcast address'}: deliver locally`, inDev, {
      route: { dst: formatIpv4(ip.dst), chosen: formatRoute(ns, r, { showTable: true }).trim() },
    });
    localDeliver(skb, r.type === 'broadcast');
    return;
  }
  if (ip.dst === 0xffffffff) {
    localDeliver(skb, true);
    return;
  }
  if (!ns.ipForward) {
    drop(ns, pkt, 'IP_FORWARDING_DISABLED', `${formatIpv4(ip.dst)} is not an address of this namespace and net.ipv4.ip_forward is 0: dropped silently`, inDev);
    return;
  }
  if (!r || r.type !== 'unicast') {
    const code = !r ? ICMP_NET_UNREACH : r.type === 'unreachable' ? ICMP_HOST_UNREACH : r.type === 'prohibit' ? ICMP_PKT_FILTERED : -1;
    const why = !r ? `no route to ${formatIpv4(ip.dst)}` : `${r.type} route ${formatRoute(ns, r).trim()}`;
    emit(ns, 'route', pkt, `route lookup for ${formatIpv4(ip.dst)}: ${why}`, inDev, { route: { dst: formatIpv4(ip.dst), chosen: r ? formatRoute(ns, r).trim() : null } });
    // ip_error: the error costs a token from the sender's bucket before icmp_send charges its own
    const limited = code >= 0 && !ns.routeErrorAllow(ip.src, ns.world.now);
    const tail = limited ? ` (no ICMP error: routing errors to ${formatIpv4(ip.src)} are rate-limited)` : '';
    drop(ns, pkt, r ? (r.type === 'blackhole' ? 'BLACKHOLE_ROUTE' : r.type === 'prohibit' ? 'PROHIBIT_ROUTE' : 'UNREACHABLE_ROUTE') : 'IP_INNOROUTES', why + tail, inDev);
    if (code >= 0 && !limited) icmpSendError(skb, ICMP_DEST_UNREACH, code);
    return;
  }
  const out = ns.linkByIndex(r.dev);
  if (!out) return;
  emit(ns, 'route', pkt, `route ${formatIpv4(ip.dst)}: ${formatRoute(ns, r).trim()}`, inDev, { route: { dst: formatIpv4(ip.dst), chosen: formatRoute(ns, r).trim() } });
  ipForward(skb, out, r.via ?? ip.dst);
}

function ipForward(skb: Skb, out: Link, nexthop: Ipv4): void {
  const ns = skb.ns;
  const pkt = skb.pkt;
  const ip = pkt.ip!;
  const inDev = skb.inDev!;
  if (ip.ttl <= 1) {
    drop(ns, pkt, 'TTL_EXPIRED', `TTL ${ip.ttl} would reach 0 here: time exceeded`, inDev);
    icmpSendError(skb, ICMP_TIME_EXCEEDED, 0);
    return;
  }
  if (ip.totalLength > out.mtu && ip.df) {
    drop(ns, pkt, 'FRAG_NEEDED', `${ip.totalLength}-byte packet with DF set does not fit the MTU ${out.mtu} of ${out.name}`, inDev);
    icmpSendError(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, out.mtu);
    return;
  }
  skb.pkt = { ...pkt, ip: { ...ip, ttl: ip.ttl - 1 } };
  emit(ns, 'forward', skb.pkt, `forward from ${inDev.name} to ${out.name} (ttl ${ip.ttl} → ${ip.ttl - 1})`, out);
  skb.outDev = out;
  if (!nfHookFilter(skb, 'FORWARD', inDev, out)) return;
  if (!postRouting(skb, out)) return;
  finishOutput(skb, out, nexthop);
}

/** ip_finish_output: fragment when needed, then hand to the neighbour layer. */
function finishOutput(skb: Skb, out: Link, nexthop: Ipv4): void {
  const ip = skb.pkt.ip!;
  const onFail = (p: Packet) => {
    if (skb.onLocalError && p.ip && skb.ns.isLocalAddr(p.ip.src)) {
      // a local socket: the kernel reports the failure with an ICMP host unreachable to itself
      icmpSendError({ ...skb, pkt: p, inDev: null }, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH);
    } else icmpSendError({ ...skb, pkt: p }, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH);
  };
  if (ip.totalLength > out.mtu && out.kind !== 'loopback') {
    for (const f of fragment(skb.pkt, out.mtu)) neighOutput({ ...skb, pkt: f }, out, nexthop, onFail);
    return;
  }
  neighOutput(skb, out, nexthop, onFail);
}

/** ip_fragment: split into MTU-sized fragments (offsets in multiples of 8). */
export function fragment(p: Packet, mtu: number): Packet[] {
  const ip = p.ip!;
  const payload = ip.totalLength - 20;
  const per = Math.floor((mtu - 20) / 8) * 8;
  const out: Packet[] = [];
  for (let off = 0; off < payload; off += per) {
    const len = Math.min(per, payload - off);
    const last = off + len >= payload;
    const frag: Packet = {
      id: p.id,
      ip: { ...ip, fragOffset: off, mf: !last, totalLength: 20 + len, df: false },
      payloadLen: len,
      ...(off === 0 ? { icmp: p.icmp, tcp: p.tcp, udp: p.udp } : {}),
      whole: p,
    };
    out.push(frag);
  }
  return out;
}

interface Reassembly {
  got: number;
  total: number;
  whole: Packet;
  timer: { cancel(): void };
}
const reassembly = new WeakMap<Netns, Map<string, Reassembly>>();

/** ip_defrag: returns the whole packet once every fragment is in, else null. */
function defrag(ns: Netns, p: Packet): Packet | null {
  const ip = p.ip!;
  if (!ip.mf && ip.fragOffset === 0) return p;
  const whole = p.whole;
  if (!whole) return p;
  let m = reassembly.get(ns);
  if (!m) {
    m = new Map();
    reassembly.set(ns, m);
  }
  const key = `${ip.src}|${ip.dst}|${ip.id}|${ip.proto}`;
  let r = m.get(key);
  if (!r) {
    const map = m;
    r = { got: 0, total: whole.ip!.totalLength - 20, whole, timer: ns.world.sched.after(30 * SECOND, () => map.delete(key)) };
    m.set(key, r);
  }
  r.got += ip.totalLength - 20;
  if (r.got < r.total) return null;
  r.timer.cancel();
  m.delete(key);
  return { ...r.whole, eth: p.eth, ip: { ...r.whole.ip!, ttl: ip.ttl, src: ip.src, dst: ip.dst } };
}

function localDeliver(skb: Skb, broadcast: boolean): void {
  const ns = skb.ns;
  const whole = defrag(ns, skb.pkt);
  if (!whole) return;
  skb.pkt = whole;
  const inDev = skb.inDev;
  if (!nfHookFilter(skb, 'INPUT', inDev, null)) return;
  if (!natHook(skb, 'INPUT', 'SRC', inDev, null)) return;
  ctConfirm(skb);
  const p = skb.pkt;
  switch (p.ip!.proto) {
    case IPPROTO_ICMP:
      processIcmp(skb, broadcast);
      return;
    case IPPROTO_TCP:
      if (broadcast) return;
      processTcp(skb);
      return;
    case IPPROTO_UDP:
      processUdp(skb, broadcast);
      return;
    default:
      drop(ns, p, 'NOT_IMPLEMENTED_PROTO', `no handler for IP protocol ${p.ip!.proto}`, inDev);
      icmpSendError(skb, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH);
  }
}

// ---- local output -----------------------------------------------------------------------------------------------

export interface OutputOptions {
  /** the socket's bound device (SO_BINDTODEVICE, ping -I) */
  readonly oif?: Link;
  /** a route already looked up by the socket */
  readonly route?: RouteOk;
  /** who is sending, for the trace */
  readonly by?: string;
  /** called when the kernel reports an error to the sending socket */
  readonly onLocalError?: (errno: string, mtu?: number) => void;
  /** IP_PMTUDISC_DO: never fragment locally */
  readonly noFragment?: boolean;
}

/**
 * ip_local_out for a packet that already has its IP header (src, dst, ttl...). Returns a local
 * error the sending socket sees at once (ENETUNREACH, EMSGSIZE, EPERM...), or null.
 */
export function ipOutput(ns: Netns, pkt: Packet, opts: OutputOptions = {}): SendError | null {
  const ip = pkt.ip!;
  let route: RouteOk;
  if (opts.route) route = opts.route;
  else {
    const r = routeOutput(ns, ip.dst, opts.oif, ip.src || undefined);
    if (!r.ok) {
      emit(ns, 'route', pkt, `route lookup for ${formatIpv4(ip.dst)}: ${r.route ? `${r.route.type} route` : 'no route'}`, null, {
        route: { dst: formatIpv4(ip.dst), chosen: r.route ? formatRoute(ns, r.route).trim() : null },
      });
      drop(ns, pkt, r.route ? (r.route.type === 'blackhole' ? 'BLACKHOLE_ROUTE' : r.route.type === 'prohibit' ? 'PROHIBIT_ROUTE' : 'UNREACHABLE_ROUTE') : 'IP_OUTNOROUTES', r.route ? `${r.route.type} route to ${formatIpv4(ip.dst)}` : `no route to ${formatIpv4(ip.dst)}`);
      return { errno: r.error };
    }
    route = r;
  }
  emit(ns, 'send', pkt, `${opts.by ?? 'the kernel'} sends ${describePacket(pkt)}`, null);
  emit(ns, 'route', pkt, route.local ? `${formatIpv4(ip.dst)} is local: via lo` : `route ${formatIpv4(ip.dst)}: ${route.route ? formatRoute(ns, route.route).trim() : `${route.dev.name} (assumed on-link)`}`, route.dev, {
    route: { dst: formatIpv4(ip.dst), chosen: route.route ? formatRoute(ns, route.route, { showTable: true }).trim() : `dev ${route.dev.name}` },
  });
  const mtu = ns.mtuToward(ip.dst, route.dev.mtu);
  if (opts.noFragment && ip.totalLength > mtu && !route.local) {
    drop(ns, pkt, 'PKT_TOO_BIG', `${ip.totalLength}-byte packet with DF does not fit the path MTU ${mtu} toward ${formatIpv4(ip.dst)}: message too long`, route.dev);
    return { errno: 'EMSGSIZE', mtu };
  }
  const skb: Skb = { pkt, ns, inDev: null, outDev: route.dev, ct: null, ctDir: 0, ctState: 'NEW', mark: 0, bridgedPre: false, physIn: null, onLocalError: opts.onLocalError };
  // OUTPUT: raw, conntrack, mangle, nat (DNAT), filter
  if (!runRawTable(skb, 'OUTPUT', null, route.dev)) return { errno: 'EPERM' };
  ctIn(skb);
  if (!ns.nf.isEmpty('mangle') && !nfHookFilter(skb, 'OUTPUT', null, route.dev)) return { errno: 'EPERM' };
  const dstBefore = skb.pkt.ip!.dst;
  if (!natHook(skb, 'OUTPUT', 'DST', null, route.dev)) return { errno: 'EPERM' };
  if (skb.pkt.ip!.dst !== dstBefore) {
    // ip_route_me_harder: the destination changed, route again
    const r2 = routeOutput(ns, skb.pkt.ip!.dst, opts.oif, skb.pkt.ip!.src);
    if (!r2.ok) {
      drop(ns, skb.pkt, 'IP_OUTNOROUTES', `no route to ${formatIpv4(skb.pkt.ip!.dst)} after DNAT`);
      return { errno: r2.error };
    }
    route = r2;
    skb.outDev = r2.dev;
  }
  if (!ns.nf.isEmpty('filter')) {
    for (const t of ['filter'] as const) {
      const v = ns.nf.traverse(t, 'OUTPUT', matchContext(skb, null, route.dev), skb.pkt.ip!.totalLength, observer(skb));
      if (v.verdict === 'DROP') {
        if (v.target?.kind === 'REJECT') sendReject(skb, v.target.with, null);
        drop(ns, skb.pkt, 'NETFILTER_DROP', `dropped by ${v.rule === 0 ? `policy DROP of ${v.chain}` : `rule ${v.rule} of ${v.chain}`} in filter: ${v.spec ? formatRuleSave(v.spec) : '-P DROP'}`);
        return { errno: 'EPERM' };
      }
    }
  }
  if (!postRouting(skb, route.dev)) return { errno: 'EPERM' };
  let err: SendError | null = null;
  const prevOnErr = skb.onLocalError;
  skb.onLocalError = (errno, mtu) => {
    err = { errno, mtu };
    prevOnErr?.(errno, mtu);
  };
  if (route.local) {
    const lo = route.dev;
    neighOutput(skb, lo, route.nexthop, () => undefined);
  } else if (skb.pkt.ip!.totalLength > mtu) {
    for (const f of fragment(skb.pkt, mtu)) neighOutput({ ...skb, pkt: f }, route.dev, route.nexthop, failHandler(skb));
  } else {
    neighOutput(skb, route.dev, route.nexthop, failHandler(skb));
  }
  skb.onLocalError = prevOnErr;
  return err;
}

function failHandler(skb: Skb): (p: Packet) => void {
  return (p: Packet) => icmpSendError({ ...skb, pkt: p, inDev: null }, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH);
}

/** The MTU a socket sees for a destination (the route's device MTU). */
export function pathMtu(ns: Netns, dst: Ipv4, oif?: Link): number | null {
  const r = routeOutput(ns, dst, oif);
  if (!r.ok) return null;
  if (r.local) return r.dev.mtu;
  return ns.mtuToward(dst, r.dev.mtu);
}

// ---- ICMP ------------------------------------------------------------------------------------------------------

function processIcmp(skb: Skb, broadcast: boolean): void {
  const ns = skb.ns;
  const p = skb.pkt;
  const icmp = p.icmp!;
  const ip = p.ip!;
  if (icmp.type === ICMP_ECHO) {
    if (ns.flag('net.ipv4.icmp_echo_ignore_all') || (broadcast && ns.flag('net.ipv4.icmp_echo_ignore_broadcasts'))) {
      drop(ns, p, 'SOCKET_FILTER', 'echo requests are ignored (icmp_echo_ignore_*)', skb.inDev);
      return;
    }
    emit(ns, 'deliver', p, `the kernel answers the echo request from ${formatIpv4(ip.src)}`, skb.inDev);
    const reply: Packet = {
      id: ns.world.nextPacketId(),
      ip: { src: ip.dst, dst: ip.src, ttl: Number(ns.sysctlGet('net.ipv4.ip_default_ttl') ?? 64), proto: IPPROTO_ICMP, id: ns.nextIpId(), df: false, mf: false, fragOffset: 0, totalLength: ip.totalLength },
      icmp: { type: ICMP_ECHOREPLY, code: 0, id: icmp.id, seq: icmp.seq },
      payloadLen: p.payloadLen,
      data: p.data,
    };
    ipOutput(ns, reply, { by: 'the kernel (ICMP echo reply)' });
    return;
  }
  if (icmp.type === ICMP_ECHOREPLY) {
    const sock = ns.sockets.echo.get(icmp.id ?? -1);
    if (sock) {
      emit(ns, 'deliver', p, `echo reply delivered to ping (id ${icmp.id})`, skb.inDev);
      sock.onReply(p);
    } else emit(ns, 'deliver', p, `echo reply with id ${icmp.id}: no ping is waiting for it`, skb.inDev);
    return;
  }
  if (isIcmpError(p)) {
    const o = icmp.original!;
    if (icmp.type === ICMP_DEST_UNREACH && icmp.code === ICMP_FRAG_NEEDED && icmp.mtu && o.ip) {
      // ip_rt_update_pmtu: remember the smaller path MTU for ten minutes
      ns.pmtu.set(o.ip.dst, { mtu: icmp.mtu, expires: ns.world.now + 600 * SECOND });
    }
    const info = { type: icmp.type, code: icmp.code, from: ip.src, mtu: icmp.mtu, original: o, packet: p };
    const text = icmpText(icmp.type, icmp.code, icmp.mtu);
    if (o.icmp && o.icmp.type === ICMP_ECHO) {
      const sock = ns.sockets.echo.get(o.icmp.id ?? -1);
      if (sock) {
        emit(ns, 'deliver', p, `ICMP "${text}" from ${formatIpv4(ip.src)} delivered to ping`, skb.inDev);
        sock.onError(info);
        return;
      }
    }
    if (o.udp && o.ip) {
      const sock = ns.sockets.findUdp(o.ip.src, o.udp.sport);
      if (sock?.onError) {
        emit(ns, 'deliver', p, `ICMP "${text}" from ${formatIpv4(ip.src)} reported to the UDP socket on port ${o.udp.sport}`, skb.inDev);
        sock.onError(info);
        return;
      }
    }
    if (o.tcp && o.ip) {
      const key = `${o.ip.src}:${o.tcp.sport}-${o.ip.dst}:${o.tcp.dport}`;
      const c = ns.sockets.tcpConns.get(key);
      if (c) {
        emit(ns, 'deliver', p, `ICMP "${text}" from ${formatIpv4(ip.src)} reported to the TCP connection`, skb.inDev);
        c.icmpError(info);
        return;
      }
    }
    emit(ns, 'deliver', p, `ICMP "${text}" from ${formatIpv4(ip.src)}: no socket to report it to`, skb.inDev);
    return;
  }
  emit(ns, 'deliver', p, `ICMP type ${icmp.type} handled by the kernel`, skb.inDev);
}

/**
 * icmp_send: answer `skb` with an ICMP error. Not for ICMP errors, fragments after the first,
 * broadcasts; rate-limited per destination except "fragmentation needed".
 */
export function icmpSendError(skb: Skb, type: number, code: number, mtu?: number): void {
  const ns = skb.ns;
  const orig = skb.pkt;
  const ip = orig.ip;
  if (!ip) return;
  if (orig.icmp && orig.icmp.type !== ICMP_ECHO && orig.icmp.type !== ICMP_ECHOREPLY && orig.icmp.type !== 13 && orig.icmp.type !== 14) return;
  if (ip.fragOffset > 0) return;
  if (ip.src === 0 || ns.addrType(ip.dst) === 'BROADCAST' || ip.dst >>> 28 === 0xe) return;
  if (orig.eth && isBroadcastOrMulticastMac(orig.eth.dst)) return;
  const toSelf = ns.isLocalAddr(ip.src);
  if (!(type === ICMP_DEST_UNREACH && code === ICMP_FRAG_NEEDED) && !toSelf && !ns.icmpAllow(ip.src, ns.world.now)) {
    emit(ns, 'drop', orig, `ICMP error to ${formatIpv4(ip.src)} suppressed by the rate limit (net.ipv4.icmp_ratelimit)`, skb.inDev, { drop: { reason: 'UNHANDLED', text: 'ICMP rate limit' } });
    return;
  }
  // source: the original destination when it is ours, else what the route back picks
  let src: Ipv4;
  if (ns.isLocalAddr(ip.dst)) src = ip.dst;
  else {
    const back = routeOutput(ns, ip.src);
    if (!back.ok) return;
    src = back.src;
  }
  const quoted: Packet = { ...orig, eth: undefined };
  const err: Packet = {
    id: ns.world.nextPacketId(),
    ip: { src, dst: ip.src, ttl: 64, proto: IPPROTO_ICMP, id: ns.nextIpId(), df: false, mf: false, fragOffset: 0, totalLength: 0 },
    icmp: { type, code, original: quoted, ...(mtu !== undefined ? { mtu } : {}) },
    payloadLen: 0,
  };
  const sized: Packet = { ...err, ip: { ...err.ip!, totalLength: ipTotalLength(err) } };
  emit(ns, 'send', sized, `ICMP ${icmpText(type, code, mtu)} to ${formatIpv4(ip.src)}`, skb.inDev);
  ipOutput(ns, sized, { by: 'the kernel (ICMP error)' });
}

/** The REJECT target: an ICMP error (or a TCP reset) back to the sender. */
function sendReject(skb: Skb, how: string, inDev: Link | null): void {
  const ns = skb.ns;
  const p = skb.pkt;
  const ip = p.ip!;
  if (how === 'tcp-reset') {
    if (!p.tcp || p.tcp.flags & TCP_RST) return;
    const t = p.tcp;
    const rst: Packet = {
      id: ns.world.nextPacketId(),
      ip: { src: ip.dst, dst: ip.src, ttl: 64, proto: IPPROTO_TCP, id: 0, df: true, mf: false, fragOffset: 0, totalLength: 40 },
      tcp: {
        sport: t.dport,
        dport: t.sport,
        flags: t.flags & TCP_ACK ? TCP_RST : TCP_RST | TCP_ACK,
        seq: t.flags & TCP_ACK ? t.ack : 0,
        ack: t.flags & TCP_ACK ? 0 : (t.seq + p.payloadLen + (t.flags & 2 ? 1 : 0) + (t.flags & 1 ? 1 : 0)) >>> 0,
        window: 0,
        optLen: 0,
      },
      payloadLen: 0,
    };
    emit(ns, 'send', rst, `REJECT --reject-with tcp-reset: RST to ${formatIpv4(ip.src)}:${t.sport}`, inDev);
    ipOutput(ns, rst, { by: 'iptables REJECT' });
    return;
  }
  const codes: Record<string, number> = {
    'icmp-net-unreachable': 0,
    'icmp-host-unreachable': 1,
    'icmp-proto-unreachable': 2,
    'icmp-port-unreachable': 3,
    'icmp-net-prohibited': 9,
    'icmp-host-prohibited': 10,
    'icmp-admin-prohibited': 13,
  };
  const code = codes[how] ?? 3;
  // nf_send_unreach: the error comes from the host doing the REJECT
  const orig = skb.pkt;
  if (orig.icmp && orig.icmp.type !== ICMP_ECHO) return;
  let src: Ipv4;
  if (ns.isLocalAddr(ip.dst)) src = ip.dst;
  else {
    const back = routeOutput(ns, ip.src);
    if (!back.ok) return;
    src = back.src;
  }
  const err: Packet = {
    id: ns.world.nextPacketId(),
    ip: { src, dst: ip.src, ttl: 64, proto: IPPROTO_ICMP, id: ns.nextIpId(), df: false, mf: false, fragOffset: 0, totalLength: 0 },
    icmp: { type: ICMP_DEST_UNREACH, code, original: { ...orig, eth: undefined } },
    payloadLen: 0,
  };
  const sized: Packet = { ...err, ip: { ...err.ip!, totalLength: ipTotalLength(err) } };
  emit(ns, 'send', sized, `REJECT: ICMP ${icmpText(ICMP_DEST_UNREACH, code)} to ${formatIpv4(ip.src)}`, inDev);
  ipOutput(ns, sized, { by: 'iptables REJECT' });
}

// ---- VXLAN -------------------------------------------------------------------------------------------------------

/** vxlan_xmit: wrap the frame in UDP to the remote VTEP. */
function vxlanXmit(dev: Link, pkt: Packet): void {
  const ns = dev.ns;
  const v = dev.vxlan!;
  if (v.proxy && pkt.arp && pkt.arp.op === 1) {
    // arp_reduce: a proxying VXLAN device answers from its neighbour table; unknown targets get nothing
    const n = ns.neigh.get(neighKey(dev.ifindex, pkt.arp.tpa));
    if (!n || !n.mac) {
      drop(ns, pkt, 'UNHANDLED', `${dev.name} (proxy): no neighbour entry for ${formatIpv4(pkt.arp.tpa)}, the ARP request is not sent`, dev);
      return;
    }
    const reply: Packet = {
      id: ns.world.nextPacketId(),
      eth: { src: n.mac, dst: pkt.arp.sha, type: 'arp' },
      arp: { op: 2, sha: n.mac, spa: pkt.arp.tpa, tha: pkt.arp.sha, tpa: pkt.arp.spa },
      payloadLen: 0,
    };
    emit(ns, 'neigh', pkt, `${dev.name} (proxy) answers ARP who-has ${formatIpv4(pkt.arp.tpa)} from its neighbour table: ${n.mac}`, dev);
    ns.world.sched.after(1, () => netifRx(dev, reply));
    return;
  }
  const dstMac = pkt.eth?.dst ?? BROADCAST_MAC;
  let remote: Ipv4 | null = null;
  const entry = v.fdb.get(dstMac);
  if (entry && !isBroadcastOrMulticastMac(dstMac)) remote = entry.dst;
  else remote = v.fdb.get('00:00:00:00:00:00')?.dst ?? null;
  if (remote === null) {
    dev.stats.txErrors++;
    drop(ns, pkt, 'VXLAN_NO_REMOTE', `${dev.name}: no remote VTEP known for ${dstMac} (no FDB entry and no default destination)`, dev);
    return;
  }
  const under = v.underlay;
  const underDev = v.devIndex ? under.linkByIndex(v.devIndex) : undefined;
  const r = routeOutput(under, remote, underDev);
  if (!r.ok) {
    dev.stats.txErrors++;
    drop(ns, pkt, 'IP_OUTNOROUTES', `${dev.name}: no route to the remote VTEP ${formatIpv4(remote)}`, dev);
    return;
  }
  if (!r.local && tunnelCheckPmtu(dev, pkt, under.mtuToward(remote, r.dev.mtu) - VXLAN_HEADROOM)) return;
  const src = v.local ?? r.src;
  const sport = 32768 + (flowHash(pkt) % (60999 - 32768 + 1));
  const inner: Packet = pkt;
  const outer: Packet = {
    id: pkt.id,
    ip: { src, dst: remote, ttl: v.ttl || 64, proto: IPPROTO_UDP, id: under.nextIpId(), df: false, mf: false, fragOffset: 0, totalLength: 0 },
    udp: { sport, dport: v.dstport },
    vxlan: { vni: v.vni },
    inner,
    payloadLen: 8 + frameLength(inner),
  };
  const sized: Packet = { ...outer, ip: { ...outer.ip!, totalLength: ipTotalLength(outer) } };
  emit(ns, 'encap', sized, `${dev.name} wraps the frame in VXLAN (VNI ${v.vni}): UDP ${formatIpv4(src)}:${sport} > ${formatIpv4(remote)}:${v.dstport}, +50 bytes`, dev);
  ipOutput(under, sized, { by: `${dev.name} (VXLAN)`, oif: underDev });
}

/** Outer IPv4 (20) + UDP (8) + VXLAN (8) + inner Ethernet (14) headers. */
const VXLAN_HEADROOM = 50;

/**
 * skb_tunnel_check_pmtu, for a frame about to be wrapped: does its IP packet fit the MTU of the
 * route to the remote VTEP less the 50 bytes of encapsulation? When it does not, and the VXLAN
 * device is a bridge port (Docker's overlays), the kernel answers an IPv4 packet that has DF set
 * (and no other fragment bits) with an ICMP "fragmentation needed" carrying that MTU, built as if
 * from the packet's destination and handed back into the device as if it had arrived
 * (iptunnel_pmtud_build_icmp, vxlan_encap_bypass); the original is consumed. A routed VXLAN device
 * only lowers the path MTU of the route the packet took. Anything else is encapsulated as it is:
 * the outer header never has DF (the vxlan `df` default is unset), so the host fragments it if
 * its own MTU is smaller. Returns true when the frame was consumed.
 */
function tunnelCheckPmtu(dev: Link, pkt: Packet, mtu: number): boolean {
  const ns = dev.ns;
  const ip = pkt.ip;
  const len = ip ? ip.totalLength : frameLength(pkt) - ETH_HLEN;
  if (len <= mtu) return false;
  if (!dev.master) {
    // skb_dst_update_pmtu_no_confirm on the route the packet came by
    if (ip) ns.pmtu.set(ip.dst, { mtu, expires: ns.world.now + 600 * SECOND });
    return false;
  }
  if (!ip || !pkt.eth || mtu < 576 || !ip.df || ip.mf || ip.fragOffset !== 0) return false;
  if (ip.dst === 0xffffffff || ip.dst >>> 28 === 0xe || ip.src === 0 || ip.src >>> 24 === 127 || ip.src === 0xffffffff || ip.src >>> 28 === 0xe) return false;
  if (pkt.icmp && isIcmpError(pkt)) return false;
  const quoted: Packet = { ...pkt, eth: undefined };
  const err: Packet = {
    id: ns.world.nextPacketId(),
    eth: { src: pkt.eth.dst, dst: pkt.eth.src, type: 'ipv4' },
    ip: { src: ip.dst, dst: ip.src, ttl: ip.ttl, proto: IPPROTO_ICMP, id: 0, df: true, mf: false, fragOffset: 0, totalLength: 0 },
    icmp: { type: ICMP_DEST_UNREACH, code: ICMP_FRAG_NEEDED, original: quoted, mtu },
    payloadLen: 0,
  };
  const sized: Packet = { ...err, ip: { ...err.ip!, totalLength: ipTotalLength(err) } };
  drop(ns, pkt, 'FRAG_NEEDED', `${dev.name}: the ${len}-byte packet does not fit the path to the remote VTEP once wrapped (room for ${mtu} bytes): not sent; the tunnel answers with ICMP fragmentation needed`, dev);
  emit(ns, 'send', sized, `${dev.name} (bridged tunnel PMTU discovery) answers ${formatIpv4(ip.src)} with ICMP ${icmpText(ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, mtu)}, as if from ${formatIpv4(ip.dst)}`, dev);
  ns.world.sched.after(1, () => netifRx(dev, sized));
  return true;
}

function flowHash(p: Packet): number {
  const ip = p.ip;
  let h = 2166136261;
  const mix = (n: number) => {
    h ^= n;
    h = Math.imul(h, 16777619) >>> 0;
  };
  if (ip) {
    mix(ip.src);
    mix(ip.dst);
    mix(ip.proto);
  }
  if (p.tcp) mix((p.tcp.sport << 16) | p.tcp.dport);
  if (p.udp) mix((p.udp.sport << 16) | p.udp.dport);
  if (p.eth) for (const c of p.eth.src) mix(c.charCodeAt(0));
  return h >>> 0;
}

/** vxlan_rcv: a UDP datagram reached a VXLAN port in `ns`. Returns true when a VXLAN socket took it. */
export function processVxlan(ns: Netns, skb: Skb): boolean {
  const p = skb.pkt;
  if (!p.udp) return false;
  const port = p.udp.dport;
  const devs = ns.world.allNamespaces().flatMap((n) => n.allLinks()).filter((l) => l.vxlan && l.vxlan.underlay === ns && l.vxlan.dstport === port && l.adminUp);
  if (!devs.length) return false;
  if (!p.vxlan || !p.inner) {
    // the port belongs to the VXLAN socket: anything without a VXLAN header is discarded, no ICMP
    drop(ns, p, 'VXLAN_INVALID_HDR', `UDP ${port} is VXLAN's (${devs.map((d) => d.name).join(', ')}): a datagram without a valid VXLAN header is discarded`, skb.inDev);
    return true;
  }
  const dev = devs.find((l) => l.vxlan!.vni === p.vxlan!.vni);
  if (!dev) {
    drop(ns, p, 'VXLAN_VNI_MISMATCH', `VXLAN packet for VNI ${p.vxlan.vni} on UDP ${port}: no VXLAN device with that VNI here (${devs.map((d) => `${d.name} has VNI ${d.vxlan!.vni}`).join(', ')})`, skb.inDev);
    return true;
  }
  const v = dev.vxlan!;
  const inner = p.inner;
  if (v.learning && inner.eth && !isBroadcastOrMulticastMac(inner.eth.src)) {
    const cur = v.fdb.get(inner.eth.src);
    if (!cur || (!cur.permanent && cur.dst !== p.ip!.src)) v.fdb.set(inner.eth.src, { dst: p.ip!.src, self: true, permanent: false, updated: ns.world.now });
    else if (!cur.permanent) cur.updated = ns.world.now;
  }
  emit(ns, 'decap', inner, `${dev.name} unwraps VXLAN (VNI ${v.vni}) from ${formatIpv4(p.ip!.src)}`, dev);
  netifRx(dev, inner);
  return true;
}

// ---- macvlan / ipvlan ------------------------------------------------------------------------------------------------

/** macvlan_queue_xmit: bridge mode switches between siblings; everything else leaves by the lower device. */
function macvlanXmit(dev: Link, pkt: Packet): void {
  const lower = dev.parent;
  if (!lower) return;
  const dst = pkt.eth?.dst ?? BROADCAST_MAC;
  const siblings = [...lower.uppers].filter((u) => u !== dev && u.kind === 'macvlan' && u.adminUp);
  if (dev.mode === 'bridge') {
    if (isBroadcastOrMulticastMac(dst)) {
      for (const s of siblings) if (s.mode === 'bridge') dev.ns.world.sched.after(1, () => netifRxChild(s, pkt));
    } else {
      const s = siblings.find((x) => x.mac === dst && x.mode === 'bridge');
      if (s) {
        emit(dev.ns, 'bridge', pkt, `${dev.name} (macvlan bridge mode) delivers straight to its sibling ${s.name}`, dev, { bridge: { bridge: lower.name, action: 'forward', ports: [s.name] } });
        dev.ns.world.sched.after(1, () => netifRxChild(s, pkt));
        return;
      }
    }
  }
  // never up into the lower device's own stack: the parent cannot see its children's traffic
  lowerXmit(lower, pkt);
}

function ipvlanXmit(dev: Link, pkt: Packet): void {
  const lower = dev.parent;
  if (!lower) return;
  const siblings = [...lower.uppers].filter((u) => u !== dev && u.kind === 'ipvlan' && u.adminUp);
  // ipvlan_xmit_mode_l2: a frame to the shared MAC goes to the sibling that owns its layer-3
  // destination, the target address of an ARP packet (a reply, a unicast probe) included
  const target = pkt.ip ? pkt.ip.dst : pkt.arp && pkt.eth && pkt.eth.dst === lower.mac ? pkt.arp.tpa : null;
  if (target !== null) {
    const s = siblings.find((x) => x.addrs.some((a) => a.addr === target));
    if (s) {
      dev.ns.world.sched.after(1, () => netifRxChild(s, pkt));
      return;
    }
  }
  if (dev.mode === 'l3' && pkt.ip) {
    // l3 mode: the parent's namespace routes the packet
    const skb: Skb = { pkt: { ...pkt, eth: undefined }, ns: lower.ns, inDev: null, outDev: null, ct: null, ctDir: 0, ctState: 'NEW', mark: 0, bridgedPre: false, physIn: null };
    const r = routeOutput(lower.ns, pkt.ip.dst);
    if (!r.ok) {
      drop(lower.ns, pkt, 'IP_OUTNOROUTES', `ipvlan l3: no route to ${formatIpv4(pkt.ip.dst)} in ${lower.ns.traceName}`, lower);
      return;
    }
    finishOutput(skb, r.dev, r.nexthop);
    return;
  }
  const frame = pkt.eth ? { ...pkt, eth: { ...pkt.eth, src: lower.mac } } : pkt;
  if (pkt.eth && isBroadcastOrMulticastMac(pkt.eth.dst)) for (const s of siblings) if (s.mode !== 'l3') dev.ns.world.sched.after(1, () => netifRxChild(s, frame));
  lowerXmit(lower, frame);
}

/** A readable one-line description of a tuple, for NAT events in the shell (conntrack -E style). */
export function tupleText(t: Tuple): string {
  return formatTuple(t);
}

export { invert };
