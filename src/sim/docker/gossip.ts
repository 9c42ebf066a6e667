/**
 * Swarm's gossip on port 7946, as libnetwork's networkdb runs it over hashicorp/memberlist: how
 * every node learns where the other nodes' containers live, and notices when a node falls
 * silent. It is real traffic through the simulated network, so a firewall that blocks 7946
 * breaks it the way it breaks a real swarm (and `iptables -L -v` counts it, tcpdump shows it).
 *
 * - Probes: every second each node sends a UDP ping to one other node (in turn), which answers
 *   with an ack; anything heard from a node counts as a sign of life.
 * - Events: when a container joins or leaves an overlay, its node tells the others in a UDP
 *   datagram; they write the container's MAC and address into their VXLAN FDB and neighbour
 *   table (or remove them).
 * - Push-pull: every 30 seconds a node opens TCP 7946 to another and both send their full state,
 *   which repairs anything a lost datagram left out.
 * - Failure: a node not heard from for 25 s (memberlist's suspicion timeout in a small cluster)
 *   is marked failed and its containers' entries are removed; when it is heard again, a
 *   push-pull brings them back.
 *
 * The timers are background timers: they run as virtual time passes, and never keep a command
 * waiting. Not modelled: memberlist's indirect probes and its own encryption, the exact message
 * encoding (the datagrams carry JSON of about the real size), managers' Raft traffic on 2377,
 * service records: the embedded DNS answers for containers on other nodes without waiting for them.
 */
import { SECOND, type Micros, type TimerHandle } from '../engine/scheduler.ts';
import { formatIpv4, type Ipv4 } from '../wire/addr.ts';
import { setNeigh } from '../net/netlink.ts';
import { udpClose, udpOpen, udpSend } from '../transport/udp.ts';
import { tcpListen, TcpConn, type TcpListener } from '../transport/tcp.ts';
import type { UdpSocket } from '../transport/sockets.ts';
import type { DockerNetwork } from './engine.ts';
import type { OverlaySandbox, Swarm, SwarmNode } from './swarm.ts';

export const GOSSIP_PORT = 7946;
const PROBE_INTERVAL: Micros = SECOND;
const PUSH_PULL_INTERVAL: Micros = 30 * SECOND;
const FAILED_AFTER: Micros = 25 * SECOND;

/** A container's place on an overlay, as networkdb's endpoint table carries it. */
export interface OverlayEntry {
  readonly net: string;
  readonly mac: string;
  readonly ip: Ipv4;
}

interface PeerView {
  lastHeard: Micros;
  failed: boolean;
}

interface NodeGossip {
  readonly node: SwarmNode;
  readonly sock: UdpSocket;
  readonly listener: TcpListener | null;
  readonly peers: Map<SwarmNode, PeerView>;
  timers: TimerHandle[];
  seq: number;
  turn: number;
  stopped: boolean;
}

const GOSSIP = new WeakMap<Swarm, Map<SwarmNode, NodeGossip>>();

function table(s: Swarm): Map<SwarmNode, NodeGossip> {
  let t = GOSSIP.get(s);
  if (!t) {
    t = new Map();
    GOSSIP.set(s, t);
  }
  return t;
}

/** Write (or remove) a remote container into a node's sandbox for a network: FDB and neighbour entry. */
export function programEntry(sb: OverlaySandbox, e: { mac: string; ip: Ipv4 }, at: Ipv4, add: boolean): void {
  const v = sb.vxlan.vxlan!;
  if (add) {
    v.fdb.set(e.mac, { dst: at, self: true, permanent: true, updated: sb.ns.world.now });
    setNeigh(sb.ns, sb.vxlan, e.ip, e.mac, 'PERMANENT', 'replace');
  } else {
    v.fdb.delete(e.mac);
    for (const [k, n] of sb.ns.neigh) if (n.ip === e.ip && n.dev === sb.vxlan.ifindex) sb.ns.neigh.delete(k);
  }
}

/** The containers a node runs on overlay networks (its rows of networkdb's endpoint table). */
function localEntries(s: Swarm, node: SwarmNode): OverlayEntry[] {
  const out: OverlayEntry[] = [];
  for (const net of s.networks.values()) {
    for (const ep of net.endpoints.values()) if (ep.container.engine === node.engine && ep.ip !== null) out.push({ net: net.id, mac: ep.mac, ip: ep.ip });
  }
  return out;
}

/** Make a node's sandboxes agree with a peer's full state: add what is missing, drop what is gone. */
function reconcile(s: Swarm, at: SwarmNode, from: SwarmNode, entries: readonly OverlayEntry[]): void {
  for (const net of s.networks.values()) {
    const sb = net.overlay!.nodes.get(at.engine);
    if (!sb) continue;
    const want = entries.filter((e) => e.net === net.id);
    const keep = new Set(want.map((e) => e.mac));
    for (const [mac, f] of [...sb.vxlan.vxlan!.fdb]) {
      if (f.dst !== from.addr || keep.has(mac)) continue;
      const ip = [...sb.ns.neigh.values()].find((n) => n.mac === mac && n.dev === sb.vxlan.ifindex)?.ip;
      programEntry(sb, { mac, ip: ip ?? 0 }, from.addr, false);
    }
    for (const e of want) programEntry(sb, e, from.addr, true);
  }
}

/** Forget a failed node's containers (networkdb deletes the entries a failed node owned). */
function dropPeer(s: Swarm, at: SwarmNode, peer: SwarmNode): void {
  reconcile(s, at, peer, []);
}

function send(g: NodeGossip, to: SwarmNode, msg: object): void {
  if (g.stopped || !g.node.engine.running) return;
  udpSend(g.sock, to.addr, GOSSIP_PORT, JSON.stringify(msg), { by: 'dockerd (memberlist)' });
}

function heard(s: Swarm, g: NodeGossip, peer: SwarmNode): void {
  const v = g.peers.get(peer);
  if (!v) return;
  v.lastHeard = g.node.engine.now;
  if (v.failed) {
    // back from the dead: a full state exchange brings its containers back
    v.failed = false;
    pushPull(s, g, peer);
  }
}

function onDatagram(s: Swarm, g: NodeGossip, text: string, fromAddr: Ipv4, fromPort: number): void {
  if (!g.node.engine.running) return;
  const peer = s.nodes.find((n) => n.addr === fromAddr && n !== g.node);
  if (!peer) return;
  let m: { t: string; seq?: number; op?: string; net?: string; mac?: string; ip?: number };
  try {
    m = JSON.parse(text);
  } catch {
    return;
  }
  heard(s, g, peer);
  if (m.t === 'ping') udpSend(g.sock, fromAddr, fromPort, JSON.stringify({ t: 'ack', seq: m.seq, node: g.node.engine.host.hostname }), { by: 'dockerd (memberlist)' });
  else if (m.t === 'ev' && m.net && m.mac && m.ip !== undefined) {
    const net = s.networks.get(m.net);
    const sb = net?.overlay?.nodes.get(g.node.engine);
    if (sb) programEntry(sb, { mac: m.mac, ip: m.ip }, peer.addr, m.op === 'add');
  }
}

/** A push-pull state exchange over TCP 7946, from `g`'s node to `peer`. */
function pushPull(s: Swarm, g: NodeGossip, peer: SwarmNode): void {
  if (g.stopped || !g.node.engine.running) return;
  const c = TcpConn.connect(g.node.engine.ns, peer.addr, GOSSIP_PORT, { owner: 'dockerd', pid: 1 });
  if ('error' in c) return;
  let buf = '';
  c.handlers = {
    onConnect: () => c.send(`${JSON.stringify({ t: 'state', entries: localEntries(s, g.node) })}\n`),
    onData: (t) => {
      buf += t;
      if (!buf.endsWith('\n')) return;
      try {
        const m = JSON.parse(buf) as { entries: OverlayEntry[] };
        heard(s, g, peer);
        reconcile(s, g.node, peer, m.entries);
      } catch {
        // a garbled state is ignored
      }
      c.close();
    },
    onEof: () => c.close(),
    onError: () => undefined,
  };
}

function listen(s: Swarm, node: SwarmNode): TcpListener | null {
  const l = tcpListen(node.engine.ns, 0, GOSSIP_PORT, 4096, 'dockerd', 1, (c) => {
    let buf = '';
    c.handlers = {
      onData: (t) => {
        buf += t;
        if (!buf.endsWith('\n')) return;
        const g = table(s).get(node);
        const peer = s.nodes.find((n) => n.addr === c.raddr && n !== node);
        if (g && peer && node.engine.running) {
          try {
            const m = JSON.parse(buf) as { entries: OverlayEntry[] };
            heard(s, g, peer);
            reconcile(s, node, peer, m.entries);
          } catch {
            // ignored
          }
          c.send(`${JSON.stringify({ t: 'state', entries: localEntries(s, node) })}\n`);
        }
        buf = '';
      },
      onEof: () => c.close(),
    };
  });
  return 'error' in l ? null : l;
}

function probeTick(s: Swarm, g: NodeGossip): void {
  if (g.stopped) return;
  const now = g.node.engine.now;
  const peers = [...g.peers.keys()];
  if (peers.length && g.node.engine.running) {
    const peer = peers[g.turn++ % peers.length];
    send(g, peer, { t: 'ping', seq: g.seq++, node: g.node.engine.host.hostname });
    for (const [p, v] of g.peers) {
      if (!v.failed && now - v.lastHeard > FAILED_AFTER) {
        v.failed = true;
        dropPeer(s, g.node, p);
      }
    }
  }
  g.timers[0] = g.node.engine.host.world.sched.background(PROBE_INTERVAL, () => probeTick(s, g));
}

function pushPullTick(s: Swarm, g: NodeGossip): void {
  if (g.stopped) return;
  const peers = [...g.peers.keys()];
  if (peers.length) pushPull(s, g, peers[(g.turn + 1) % peers.length]);
  g.timers[1] = g.node.engine.host.world.sched.background(PUSH_PULL_INTERVAL, () => pushPullTick(s, g));
}

/** A node joins the gossip: its sockets on 7946, its timers, and every other node's view of it. */
export function startGossip(s: Swarm, node: SwarmNode): void {
  const t = table(s);
  const now = node.engine.now;
  let g: NodeGossip | null = null;
  const sock = udpOpen(node.engine.ns, { port: GOSSIP_PORT, owner: 'dockerd', onRecv: (text, from) => g && onDatagram(s, g, text, from.addr, from.port) });
  if ('error' in sock) return;
  g = { node, sock, listener: listen(s, node), peers: new Map(), timers: [], seq: 0, turn: 0, stopped: false };
  for (const [other, og] of t) {
    g.peers.set(other, { lastHeard: now, failed: false });
    og.peers.set(node, { lastHeard: now, failed: false });
  }
  t.set(node, g);
  // nodes probe out of step with each other, as their clocks would
  const sched = node.engine.host.world.sched;
  const offset = (t.size * 137_000) % PROBE_INTERVAL;
  const gg = g;
  g.timers = [sched.background(PROBE_INTERVAL + offset, () => probeTick(s, gg)), sched.background(PUSH_PULL_INTERVAL + offset, () => pushPullTick(s, gg))];
}

/** A node leaves: its sockets close, the others forget it and its containers. */
export function stopGossip(s: Swarm, node: SwarmNode): void {
  const t = table(s);
  const g = t.get(node);
  if (!g) return;
  g.stopped = true;
  for (const x of g.timers) x.cancel();
  udpClose(g.sock);
  g.listener?.close();
  t.delete(node);
  for (const og of t.values()) {
    og.peers.delete(node);
    dropPeer(s, og.node, node);
  }
}

/** Tell the other nodes that a container joined or left an overlay network (networkdb events). */
export function gossipEntry(s: Swarm, from: SwarmNode, net: DockerNetwork, e: { mac: string; ip: Ipv4 }, add: boolean): void {
  const g = table(s).get(from);
  if (!g) return;
  for (const peer of g.peers.keys()) if (net.overlay!.nodes.has(peer.engine)) send(g, peer, { t: 'ev', op: add ? 'add' : 'del', net: net.id, mac: e.mac, ip: e.ip });
}

/** Whether `at` currently counts `peer` as alive (it learns a new network's entries only from live peers). */
export function peerAlive(s: Swarm, at: SwarmNode, peer: SwarmNode): boolean {
  const v = table(s).get(at)?.peers.get(peer);
  return !v || !v.failed;
}

/** For traces and tests: how `at` sees each peer. */
export function gossipView(s: Swarm, at: SwarmNode): { node: string; addr: string; failed: boolean }[] {
  const g = table(s).get(at);
  return g ? [...g.peers].map(([p, v]) => ({ node: p.engine.host.hostname, addr: formatIpv4(p.addr), failed: v.failed })) : [];
}
