/**
 * Read a simulated world into the plain topology the diagram draws. Runs where the world lives
 * (the simulator's worker, or Node at build time); never changes the world.
 */
import type { World } from '../../sim/net/world.ts';
import type { Link, Netns } from '../../sim/net/model.ts';
import { formatIpv4 } from '../../sim/wire/addr.ts';
import type { IfaceKind, TopoHost, TopoIface, TopoNs, Topology } from './model.ts';

function nsName(ns: Netns): string {
  return ns.isRoot ? 'root' : ns.traceName;
}

function ifaceId(l: Link): string {
  return `${l.ns.host.name}/${nsName(l.ns)}/${l.name}`;
}

function iface(l: Link): TopoIface {
  const addrs = l.addrs.map((a) => `${formatIpv4(a.addr)}/${a.len}`);
  const out: { -readonly [K in keyof TopoIface]: TopoIface[K] } = {
    id: ifaceId(l),
    name: l.name,
    kind: l.kind as IfaceKind,
    up: l.adminUp,
    carrier: l.carrier,
    addrs,
    mac: l.mac,
    mtu: l.mtu,
  };
  if (l.master) out.master = ifaceId(l.master);
  if (l.kind === 'veth' && l.peer) out.peer = ifaceId(l.peer);
  if (l.segment) out.segment = l.segment.name;
  if (l.parent) out.parent = ifaceId(l.parent);
  if (l.vxlan) {
    const v = l.vxlan;
    out.vxlan = { vni: v.vni, port: v.dstport, ...(v.remote !== null ? { remote: formatIpv4(v.remote) } : {}), ...(v.local !== null ? { local: formatIpv4(v.local) } : {}) };
  }
  return out;
}

function namespace(ns: Netns): TopoNs {
  let natRules = 0;
  for (const c of ns.nf.tables.nat.chains.values()) natRules += c.rules.length;
  let filterRules = 0;
  const dropPolicies: string[] = [];
  for (const c of ns.nf.tables.filter.chains.values()) {
    filterRules += c.rules.length;
    if (c.builtin && c.policy === 'DROP') dropPolicies.push(c.name);
  }
  return {
    id: `${ns.host.name}/${nsName(ns)}`,
    host: ns.host.name,
    name: nsName(ns),
    kind: ns.isRoot ? 'root' : ns.name !== null ? 'netns' : 'container',
    ifaces: ns.allLinks().map(iface),
    forwarding: ns.ipForward,
    natRules,
    filterRules,
    dropPolicies,
  };
}

export function extractTopology(world: World): Topology {
  const hosts: TopoHost[] = [];
  for (const h of world.hosts.values()) {
    const others = h.all.filter((ns) => ns !== h.root);
    hosts.push({ name: h.name, namespaces: [namespace(h.root), ...others.map(namespace)] });
  }
  return { hosts };
}
