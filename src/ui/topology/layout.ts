/**
 * Where everything goes in the topology drawing. Pure and deterministic: the same topology always
 * gives the same coordinates, and adding a namespace or an interface only appends to the right or
 * below, so what the learner was looking at stays put.
 *
 * The picture, per host (hosts side by side, LAN segments as buses underneath):
 *
 *   +-- host ------------------------------------------------+
 *   |  +-- red --------+  +-- blue -------+                   |   child namespaces and
 *   |  | lo UP         |  | lo DOWN       |                   |   containers, in creation order
 *   |  +--[veth0]------+  +--[veth0]------+                   |
 *   |        |                   |                            |   veths drop into the host's
 *   |  +-- host network namespace ------------------------+   |   own namespace, straight down
 *   |  |  [veth-red]          [veth-blue]                 |   |
 *   |  |  ===========[ br0 10.0.0.1/24 ]==========        |   |   bridges: switch bars
 *   |  |                                       [eth0]     |   |   uplinks on the bottom edge
 *   +--------------------------------------------|------------+
 *   ================================ LAN lan =====+==============
 *
 * Besides the shapes, the layout gives a graph of points and wires that a packet can travel
 * along: interface pills, bridge bars, LAN buses, and each namespace's stack (where a packet is
 * routed between its interfaces). The animation moves packets along shortest paths of it.
 */
import type { TopoIface, TopoNs, Topology } from './model.ts';

export type Point = readonly [number, number];

export interface HostBox {
  readonly id: string;
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface NsBox {
  readonly id: string;
  readonly host: string;
  readonly name: string;
  readonly kind: TopoNs['kind'];
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** the heading, e.g. "red" or "host network namespace" */
  readonly title: string;
  /** small facts under the heading: loopback state, forwarding, NAT rules, DROP policies */
  readonly notes: readonly string[];
  /** where packets are routed inside the namespace (its IP stack) */
  readonly stack: Point;
}

export interface Pill {
  /** the interface id (`host/ns/dev`) */
  readonly id: string;
  readonly ns: string;
  readonly name: string;
  readonly kind: TopoIface['kind'];
  readonly up: boolean;
  readonly carrier: boolean;
  /** addresses to print (at most two, then "+N") */
  readonly addrText: string;
  readonly addrs: readonly string[];
  /** top-left corner and size */
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** where wires attach: the centre */
  readonly c: Point;
}

export interface BridgeBar {
  readonly id: string;
  readonly ns: string;
  readonly name: string;
  readonly label: string;
  readonly up: boolean;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** where events at the bridge device itself are drawn */
  readonly c: Point;
}

export type WireKind = 'veth' | 'port' | 'lan' | 'tunnel' | 'lower';

export interface Wire {
  readonly id: string;
  readonly kind: WireKind;
  readonly points: readonly Point[];
  /** the veth or tunnel is down at either end (drawn dashed) */
  readonly down?: boolean;
  readonly label?: string;
}

export interface Bus {
  readonly id: string;
  readonly name: string;
  readonly x1: number;
  readonly x2: number;
  readonly y: number;
}

export interface Edge {
  readonly a: string;
  readonly b: string;
  readonly points: readonly Point[];
  readonly length: number;
  /** a path inside a namespace (to its stack or loopback), not a drawn wire */
  readonly internal?: boolean;
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly hosts: readonly HostBox[];
  readonly namespaces: readonly NsBox[];
  readonly pills: readonly Pill[];
  readonly bridges: readonly BridgeBar[];
  readonly wires: readonly Wire[];
  readonly buses: readonly Bus[];
  /** graph node positions: interface ids, namespace ids (their stacks), bus and bar points */
  readonly nodes: ReadonlyMap<string, Point>;
  readonly edges: readonly Edge[];
}

// Dimensions, in SVG user units (about CSS pixels at scale 1).
const PAD = 16;
const GAP = 28;
const COL = 224;
const NS_W = 204;
const UP_W = 168;
const UP_W_LEAF = 140;
const HOST_HEAD = 30;
const NS_HEAD = 24;
const NOTE_H = 16;
const PILL_H = 34;
const CHANNEL = 48;
const ROOT_HEAD = 26;
const BAR_H = 26;
const LANE = 46;
const BUS_GAP = 28;

/** Keep at most this many characters (monospace labels). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function addrText(addrs: readonly string[]): string {
  if (!addrs.length) return '';
  if (addrs.length <= 2) return addrs.join(' ');
  return `${addrs[0]} +${addrs.length - 1}`;
}

function pathLength(points: readonly Point[]): number {
  let n = 0;
  for (let i = 1; i < points.length; i++) n += Math.hypot(points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]);
  return n;
}

/** Is this interface drawn as a pill (everything but loopback and bridges)? */
function isPill(i: TopoIface): boolean {
  return i.kind !== 'loopback' && i.kind !== 'bridge';
}

function nsNotes(ns: TopoNs): string[] {
  const notes: string[] = [];
  const lo = ns.ifaces.find((i) => i.kind === 'loopback');
  if (lo) {
    const extra = lo.addrs.filter((a) => !a.startsWith('127.'));
    notes.push(`lo ${lo.up ? 'UP' : 'DOWN'}${extra.length ? ` ${addrText(extra)}` : ''}`);
  }
  if (ns.forwarding) notes.push('ip_forward=1');
  if (ns.natRules) notes.push(`nat rules: ${ns.natRules}`);
  if (ns.filterRules) notes.push(`filter rules: ${ns.filterRules}`);
  for (const c of ns.dropPolicies) notes.push(`${c} policy DROP`);
  return notes;
}

/** Group notes into lines of at most ~30 characters. */
function noteLines(notes: readonly string[], width: number): string[] {
  const max = Math.floor(width / 6.6);
  const lines: string[] = [];
  let cur = '';
  for (const n of notes) {
    const next = cur ? `${cur} · ${n}` : n;
    if (next.length > max && cur) {
      lines.push(cur);
      cur = n;
    } else cur = next;
  }
  if (cur) lines.push(cur);
  return lines;
}

export function layoutTopology(t: Topology): Layout {
  const hosts: HostBox[] = [];
  const namespaces: NsBox[] = [];
  const pills: Pill[] = [];
  const bridges: BridgeBar[] = [];
  const wires: Wire[] = [];
  const nodes = new Map<string, Point>();
  const edges: Edge[] = [];
  const pillById = new Map<string, Pill>();
  const nsIds = new Set<string>();
  for (const h of t.hosts) for (const n of h.namespaces) nsIds.add(n.id);
  const ifaceById = new Map<string, TopoIface>();
  for (const h of t.hosts) for (const n of h.namespaces) for (const i of n.ifaces) ifaceById.set(i.id, i);

  const addEdge = (a: string, b: string, points: readonly Point[]) => {
    const internal = nsIds.has(a) || nsIds.has(b) || a.endsWith('/lo') || b.endsWith('/lo');
    edges.push({ a, b, points, length: pathLength(points), ...(internal ? { internal } : {}) });
  };
  const addPill = (ns: TopoNs, i: TopoIface, x: number, y: number, w: number): Pill => {
    const p: Pill = {
      id: i.id,
      ns: ns.id,
      name: i.name,
      kind: i.kind,
      up: i.up,
      carrier: i.carrier,
      addrs: i.addrs,
      addrText: addrText(i.addrs),
      x,
      y,
      w,
      h: PILL_H,
      c: [x + w / 2, y + PILL_H / 2],
    };
    pills.push(p);
    pillById.set(i.id, p);
    nodes.set(i.id, p.c);
    return p;
  };

  let hx = PAD;
  const hostTop = PAD;
  // U-shaped wires between children use staggered tracks in the channel under them
  let bottom = 0;
  const pendingU: { a: string; b: string; host: string }[] = [];
  const channelOf = new Map<string, { y: number; used: number }>();

  for (const h of t.hosts) {
    const root = h.namespaces[0];
    const children = h.namespaces.slice(1);
    // ---- children: one column each
    const childTop = hostTop + HOST_HEAD;
    const childBoxes: { ns: TopoNs; x: number; pillsOf: TopoIface[]; bridgesOf: TopoIface[]; notes: string[] }[] = [];
    let childH = 0;
    for (const [k, ns] of children.entries()) {
      const x = hx + PAD + k * COL;
      const pillsOf = ns.ifaces.filter((i) => isPill(i));
      const bridgesOf = ns.ifaces.filter((i) => i.kind === 'bridge');
      const notes = noteLines(nsNotes(ns), NS_W - 16);
      const hgt = NS_HEAD + notes.length * NOTE_H + bridgesOf.length * (BAR_H + 12) + 14 + PILL_H / 2;
      childH = Math.max(childH, hgt);
      childBoxes.push({ ns, x, pillsOf, bridgesOf, notes });
    }
    const cols = Math.max(children.length, 1);
    // ---- root: ports under their children, bridges, uplinks
    const rootPills = root.ifaces.filter((i) => isPill(i));
    const childNs = new Set(children.map((c) => c.id));
    const portRow: TopoIface[] = [];
    const uplinks: TopoIface[] = [];
    for (const i of rootPills) {
      const peerNs = i.peer ? i.peer.split('/').slice(0, 2).join('/') : null;
      if (i.kind === 'veth' && peerNs && childNs.has(peerNs)) portRow.push(i);
      else uplinks.push(i);
    }
    const rootBridges = root.ifaces.filter((i) => i.kind === 'bridge');
    // a host with nothing inside but its own interfaces (a router, the internet) is drawn compact
    const leaf = children.length === 0 && rootBridges.length === 0;
    const upW = leaf ? UP_W_LEAF : UP_W;
    const hostW = Math.max(leaf ? upW : cols * COL, uplinks.length * upW) + 2 * PAD - (leaf ? 0 : COL - NS_W);

    // child boxes and their pills
    const childBottom = childTop + (children.length ? childH + PILL_H / 2 : 0);
    for (const c of childBoxes) {
      const y = childTop;
      const boxH = childH;
      const box: NsBox = {
        id: c.ns.id,
        host: h.name,
        name: c.ns.name,
        kind: c.ns.kind,
        x: c.x,
        y,
        w: NS_W,
        h: boxH,
        title: c.ns.kind === 'container' ? `container ${c.ns.name}` : c.ns.name,
        notes: c.notes,
        stack: [c.x + NS_W / 2, y + NS_HEAD + c.notes.length * NOTE_H + 6],
      };
      namespaces.push(box);
      nodes.set(box.id, box.stack);
      addLoopback(box, c.ns, nodes, addEdge);
      const m = c.pillsOf.length;
      const slot = m ? (NS_W - 8) / m : 0;
      const pw = Math.min(NS_W - 16, slot - 6);
      const py = y + boxH - PILL_H / 2;
      c.pillsOf.forEach((i, k) => {
        const px = c.x + 4 + k * slot + (slot - pw) / 2;
        const p = addPill(c.ns, i, px, py, pw);
        // a bridge port is not part of the IP stack: frames reach it through its bridge
        if (!i.master) addEdge(box.id, i.id, [box.stack, p.c]);
      });
      // bridges inside a child namespace: bars above the pills
      c.bridgesOf.forEach((b, k) => {
        const by = py - 12 - (k + 1) * (BAR_H + 12) + 6;
        const bar = makeBar(c.ns.id, b, c.x + 8, by, NS_W - 16);
        bridges.push(bar);
        nodes.set(b.id, bar.c);
        addEdge(box.id, b.id, [box.stack, bar.c]);
        const ports = c.pillsOf.filter((i) => i.master === b.id);
        attachPorts(bar, ports.map((i) => pillById.get(i.id)!), 'above', addEdge, wires, nodes);
      });
    }

    const rootTop = childBottom + (children.length ? CHANNEL : 0);
    const notes = noteLines(nsNotes(root), hostW - 2 * PAD - 20);
    let y = rootTop + ROOT_HEAD + notes.length * NOTE_H;
    const rootStack: Point = [hx + PAD + 4, rootTop + ROOT_HEAD + notes.length * NOTE_H + 4];
    // port row: each veth end straight under its peer
    const portY = y + 8;
    let portRowUsed = false;
    for (const i of portRow) {
      const peer = pillById.get(i.peer!);
      if (!peer) continue;
      const w = Math.min(NS_W - 16, peer.w);
      addPill(root, i, peer.c[0] - w / 2, portY, w);
      portRowUsed = true;
    }
    if (portRowUsed) y = portY + PILL_H + 18;
    // bridge lanes
    const barsHere: BridgeBar[] = [];
    for (const b of rootBridges) {
      const ports = rootPills.filter((i) => i.master === b.id);
      const above = ports.filter((i) => pillById.has(i.id));
      const xs = above.map((i) => pillById.get(i.id)!.c[0]);
      const minX = xs.length ? Math.min(...xs) - 70 : hx + PAD;
      const maxX = xs.length ? Math.max(...xs) + 70 : hx + PAD + 200;
      const x1 = Math.max(hx + PAD, Math.min(minX, maxX - 210));
      const x2 = Math.min(hx + hostW - PAD, Math.max(maxX, x1 + 210));
      const bar = makeBar(root.id, b, x1, y, x2 - x1);
      bridges.push(bar);
      barsHere.push(bar);
      nodes.set(b.id, bar.c);
      addEdge(root.id, b.id, [rootStack, bar.c]);
      y += LANE;
    }
    // uplinks on the bottom edge
    const rootBottom = y + (uplinks.length ? 16 : 0) + 6;
    const upY = rootBottom - PILL_H / 2;
    uplinks.forEach((i, k) => {
      const x = hx + PAD + 6 + k * upW;
      addPill(root, i, x, upY, upW - 12);
    });
    // ports of root bridges: from the port row (above) or the uplink row (below)
    for (const bar of barsHere) {
      const ports = rootPills.filter((i) => i.master === bar.id).map((i) => pillById.get(i.id)!).filter(Boolean);
      attachPorts(bar, ports, 'auto', addEdge, wires, nodes);
    }
    const rootBox: NsBox = {
      id: root.id,
      host: h.name,
      name: 'root',
      kind: 'root',
      x: hx + PAD - 6,
      y: rootTop,
      w: hostW - 2 * PAD + 12,
      h: rootBottom - rootTop,
      title: 'host network namespace',
      notes,
      stack: rootStack,
    };
    namespaces.push(rootBox);
    nodes.set(root.id, rootStack);
    addLoopback(rootBox, root, nodes, addEdge);
    for (const p of pills) if (p.ns === root.id && !ifaceById.get(p.id)!.master) addEdge(root.id, p.id, [rootStack, p.c]);

    const hostH = rootBottom + (uplinks.length ? PILL_H / 2 : 0) + 10 - hostTop;
    hosts.push({ id: h.name, name: h.name, x: hx, y: hostTop, w: hostW, h: hostH });
    bottom = Math.max(bottom, hostTop + hostH);
    channelOf.set(h.name, { y: childBottom + 8, used: 0 });
    hx += hostW + GAP;
  }

  // ---- veth wires
  const seen = new Set<string>();
  for (const p of pills) {
    const i = ifaceById.get(p.id)!;
    if (i.kind !== 'veth' || !i.peer) continue;
    const key = [p.id, i.peer].sort().join('~');
    if (seen.has(key)) continue;
    seen.add(key);
    const q = pillById.get(i.peer);
    if (!q) continue;
    const peerIface = ifaceById.get(i.peer)!;
    const down = !i.up || !peerIface.up;
    const id = `veth:${key}`;
    let pts: Point[];
    const [a, b] = p.c[1] <= q.c[1] ? [p, q] : [q, p];
    if (Math.abs(a.c[0] - b.c[0]) < 1 && a.c[1] < b.c[1]) {
      pts = [[a.c[0], a.y + a.h], [b.c[0], b.y]];
    } else if (Math.abs(a.c[1] - b.c[1]) < 1) {
      // side by side (two children, or two root ends): a U under them
      const host = p.id.split('/')[0];
      const ch = channelOf.get(host)!;
      const ty = a.ns === b.ns && a.ns.endsWith('/root') ? a.y + a.h + 10 + 8 * ch.used : ch.y + 8 * ch.used;
      ch.used++;
      pts = [[a.c[0], a.y + a.h], [a.c[0], ty], [b.c[0], ty], [b.c[0], b.y + b.h]];
    } else {
      const midY = (a.y + a.h + b.y) / 2;
      pts = [[a.c[0], a.y + a.h], [a.c[0], midY], [b.c[0], midY], [b.c[0], b.y]];
    }
    wires.push({ id, kind: 'veth', points: pts, down });
    addEdge(a.id, b.id, [a.c, ...pts, b.c]);
  }

  // ---- macvlan/ipvlan: a dashed line to the lower device
  for (const p of pills) {
    const i = ifaceById.get(p.id)!;
    if ((i.kind !== 'macvlan' && i.kind !== 'ipvlan') || !i.parent) continue;
    const q = pillById.get(i.parent);
    if (!q) continue;
    const pts: Point[] = [[p.c[0], p.y + p.h], [p.c[0], (p.y + p.h + q.y) / 2], [q.c[0], (p.y + p.h + q.y) / 2], [q.c[0], q.y]];
    wires.push({ id: `lower:${p.id}`, kind: 'lower', points: pts });
    addEdge(p.id, q.id, [p.c, ...pts, q.c]);
  }

  // ---- LAN segments: one bus each under the hosts
  const buses: Bus[] = [];
  const segNames: string[] = [];
  for (const h of t.hosts) for (const n of h.namespaces) for (const i of n.ifaces) if (i.segment && !segNames.includes(i.segment)) segNames.push(i.segment);
  const tunnelY = bottom + 14;
  const hasTunnels = pills.some((p) => p.kind === 'vxlan');
  let busY = bottom + (hasTunnels ? 40 : 24);
  for (const s of segNames) {
    const nics = pills.filter((p) => ifaceById.get(p.id)!.segment === s);
    if (!nics.length) continue;
    const xs = nics.map((p) => p.c[0]).sort((a, b) => a - b);
    const x1 = xs[0] - 20;
    const x2 = Math.max(xs[xs.length - 1] + 20, x1 + 160);
    const id = `lan:${s}`;
    buses.push({ id, name: s, x1, x2, y: busY });
    // bus points, chained left to right
    const pts = nics.map((p) => ({ p, x: p.c[0] })).sort((a, b) => a.x - b.x);
    let prev: string | null = null;
    for (const { p, x } of pts) {
      const node = `${id}@${p.id}`;
      nodes.set(node, [x, busY]);
      const down = [[x, p.y + p.h], [x, busY]] as Point[];
      wires.push({ id: `nic:${p.id}`, kind: 'lan', points: down, down: !p.up });
      addEdge(p.id, node, [p.c, ...down]);
      if (prev) addEdge(prev, node, [nodes.get(prev)!, [x, busY]]);
      prev = node;
    }
    busY += BUS_GAP;
  }

  // ---- VXLAN tunnels: between devices with the same VNI on different hosts
  const vx = pills.filter((p) => p.kind === 'vxlan');
  let tunnels = 0;
  for (let i = 0; i < vx.length; i++) {
    for (let j = i + 1; j < vx.length; j++) {
      const a = ifaceById.get(vx[i].id)!;
      const b = ifaceById.get(vx[j].id)!;
      if (!a.vxlan || !b.vxlan || a.vxlan.vni !== b.vxlan.vni) continue;
      if (a.id.split('/')[0] === b.id.split('/')[0]) continue;
      const ty = tunnelY + 6 * tunnels++;
      const pa = vx[i];
      const pb = vx[j];
      const pts: Point[] = [[pa.c[0], pa.y + pa.h], [pa.c[0], ty], [pb.c[0], ty], [pb.c[0], pb.y + pb.h]];
      wires.push({ id: `tunnel:${pa.id}~${pb.id}`, kind: 'tunnel', points: pts, label: `VXLAN ${a.vxlan.vni}` });
      addEdge(pa.id, pb.id, [pa.c, ...pts, pb.c]);
    }
  }

  const width = Math.max(hx - GAP + PAD, ...buses.map((b) => b.x2 + PAD), 320);
  const height = Math.max(busY - BUS_GAP + 24, bottom + PAD);
  return { width: Math.ceil(width), height: Math.ceil(height), hosts, namespaces, pills, bridges, wires, buses, nodes, edges };
}

/** Loopback traffic is drawn at the "lo" note of its namespace. */
function addLoopback(box: NsBox, ns: TopoNs, nodes: Map<string, Point>, addEdge: (a: string, b: string, p: readonly Point[]) => void): void {
  const lo = ns.ifaces.find((i) => i.kind === 'loopback');
  if (!lo) return;
  const p: Point = [box.x + 18, box.y + 30];
  nodes.set(lo.id, p);
  addEdge(box.id, lo.id, [box.stack, p]);
}

function makeBar(ns: string, b: TopoIface, x: number, y: number, w: number): BridgeBar {
  const label = `${b.name}${b.addrs.length ? ` ${addrText(b.addrs)}` : ''}${b.up ? '' : ' DOWN'}`;
  return { id: b.id, ns, name: b.name, label, up: b.up, x, y, w, h: BAR_H, c: [x + 14, y + BAR_H / 2] };
}

/** Wire bridge ports to their bar; the bar is a chain of points, so packets run along it. */
function attachPorts(bar: BridgeBar, ports: readonly Pill[], side: 'above' | 'auto', addEdge: (a: string, b: string, p: readonly Point[]) => void, wires: Wire[], nodes: Map<string, Point>): void {
  const chain: { id: string; x: number }[] = [{ id: bar.id, x: bar.c[0] }];
  for (const p of ports) {
    const x = Math.min(Math.max(p.c[0], bar.x + 30), bar.x + bar.w - 6);
    const fromAbove = side === 'above' || p.c[1] < bar.y;
    const yEdge = fromAbove ? bar.y : bar.y + bar.h;
    const node = `${bar.id}@${p.id}`;
    nodes.set(node, [x, bar.c[1]]);
    const pts: Point[] = fromAbove ? [[p.c[0], p.y + p.h], [x, yEdge]] : [[p.c[0], p.y], [x, yEdge]];
    wires.push({ id: `port:${p.id}`, kind: 'port', points: pts, down: !p.up });
    addEdge(p.id, node, [p.c, ...pts, [x, bar.c[1]]]);
    chain.push({ id: node, x });
  }
  chain.sort((a, b) => a.x - b.x);
  for (let k = 1; k < chain.length; k++) {
    const a = chain[k - 1];
    const b = chain[k];
    addEdge(a.id, b.id, [nodes.get(a.id)!, nodes.get(b.id)!]);
  }
}

/**
 * The shortest way along the drawing from one node to another, as a polyline, or null when
 * they are not connected (the animation then fades the packet across).
 */
export function route(layout: Layout, from: string, to: string, adj = adjacency(layout), used?: Edge[]): Point[] | null {
  if (from === to) return [layout.nodes.get(from)!];
  if (!layout.nodes.has(from) || !layout.nodes.has(to)) return null;
  const dist = new Map<string, number>([[from, 0]]);
  const prev = new Map<string, { node: string; edge: Edge; forward: boolean }>();
  const done = new Set<string>();
  for (;;) {
    let best: string | null = null;
    let bd = Infinity;
    for (const [n, d] of dist) if (!done.has(n) && d < bd) {
      bd = d;
      best = n;
    }
    if (best === null) return null;
    if (best === to) break;
    done.add(best);
    for (const { edge, other, forward } of adj.get(best) ?? []) {
      const nd = bd + edge.length + 1;
      if (nd < (dist.get(other) ?? Infinity)) {
        dist.set(other, nd);
        prev.set(other, { node: best, edge, forward });
      }
    }
  }
  const parts: Point[][] = [];
  let cur = to;
  while (cur !== from) {
    const p = prev.get(cur)!;
    parts.push(p.forward ? [...p.edge.points] : [...p.edge.points].reverse());
    used?.push(p.edge);
    cur = p.node;
  }
  parts.reverse();
  const out: Point[] = [];
  for (const seg of parts) for (const pt of seg) {
    const last = out[out.length - 1];
    if (!last || last[0] !== pt[0] || last[1] !== pt[1]) out.push(pt);
  }
  return out;
}

export function adjacency(layout: Layout): Map<string, { edge: Edge; other: string; forward: boolean }[]> {
  const adj = new Map<string, { edge: Edge; other: string; forward: boolean }[]>();
  const add = (n: string, v: { edge: Edge; other: string; forward: boolean }) => {
    const l = adj.get(n);
    if (l) l.push(v);
    else adj.set(n, [v]);
  };
  for (const e of layout.edges) {
    add(e.a, { edge: e, other: e.b, forward: true });
    add(e.b, { edge: e, other: e.a, forward: false });
  }
  return adj;
}
