/**
 * The structure of a simulated world as the diagram needs it: hosts, their network namespaces,
 * each namespace's interfaces and addresses, and what connects them (veth peers, bridge ports,
 * LAN segments, VXLAN remotes). Plain JSON, built in the simulator's worker (or at build time)
 * and posted to the page after every command.
 */

export type IfaceKind = 'loopback' | 'ether' | 'veth' | 'bridge' | 'vxlan' | 'macvlan' | 'ipvlan' | 'dummy';

export interface TopoIface {
  /** `host/ns/dev`, the same spelling as a trace event's place */
  readonly id: string;
  readonly name: string;
  readonly kind: IfaceKind;
  /** administratively up (`ip link set ... up`) */
  readonly up: boolean;
  /** has carrier (LOWER_UP) */
  readonly carrier: boolean;
  /** IPv4 addresses with prefix length, primary first */
  readonly addrs: readonly string[];
  readonly mac: string;
  readonly mtu: number;
  /** id of the bridge this interface is a port of */
  readonly master?: string;
  /** veth: id of the other end */
  readonly peer?: string;
  /** ether: the LAN segment it is plugged into */
  readonly segment?: string;
  /** macvlan/ipvlan: id of the lower device; vxlan: id of the underlay device, if bound */
  readonly parent?: string;
  readonly vxlan?: { readonly vni: number; readonly remote?: string; readonly local?: string; readonly port: number };
}

export type NsKind = 'root' | 'netns' | 'container';

export interface TopoNs {
  /** `host/ns`; ns is `root` for the host's initial namespace */
  readonly id: string;
  readonly host: string;
  /** the name traces use: `root`, a netns name, or a container's label */
  readonly name: string;
  readonly kind: NsKind;
  readonly ifaces: readonly TopoIface[];
  /** net.ipv4.ip_forward */
  readonly forwarding: boolean;
  /** number of rules in the nat table (all chains) */
  readonly natRules: number;
  /** number of rules in the filter table and built-in chains whose policy is not ACCEPT */
  readonly filterRules: number;
  /** built-in filter chains whose policy is DROP, e.g. ["FORWARD"] */
  readonly dropPolicies: readonly string[];
}

export interface TopoHost {
  readonly name: string;
  /** the root namespace first, then the others in creation order */
  readonly namespaces: readonly TopoNs[];
}

export interface Topology {
  readonly hosts: readonly TopoHost[];
}

/** Find a namespace by id. */
export function findNs(t: Topology, id: string): TopoNs | undefined {
  for (const h of t.hosts) for (const n of h.namespaces) if (n.id === id) return n;
  return undefined;
}

/** Every interface of the world, by id. */
export function ifaceIndex(t: Topology): Map<string, TopoIface> {
  const m = new Map<string, TopoIface>();
  for (const h of t.hosts) for (const n of h.namespaces) for (const i of n.ifaces) m.set(i.id, i);
  return m;
}

/** A short text description of the topology, for screen readers and the printed page. */
export function describeTopology(t: Topology): string[] {
  const lines: string[] = [];
  const idx = ifaceIndex(t);
  for (const h of t.hosts) {
    for (const n of h.namespaces) {
      const where = n.kind === 'root' ? `host ${h.name}, its own network namespace` : `host ${h.name}, ${n.kind === 'container' ? 'container' : 'namespace'} ${n.name}`;
      const parts = n.ifaces.map((i) => {
        const state = i.up ? (i.carrier || i.kind === 'loopback' ? 'up' : 'up, no carrier') : 'down';
        let s = `${i.name} (${i.kind}, ${state}${i.addrs.length ? `, ${i.addrs.join(' ')}` : ''})`;
        if (i.peer) {
          const p = idx.get(i.peer);
          if (p) s += ` paired with ${p.name} in ${peerWhere(i.peer, h.name)}`;
        }
        if (i.master) s += ` port of bridge ${i.master.split('/').pop()}`;
        if (i.segment) s += ` plugged into LAN ${i.segment}`;
        if (i.vxlan) s += ` VXLAN ${i.vxlan.vni}${i.vxlan.remote ? ` to ${i.vxlan.remote}` : ''}`;
        return s;
      });
      const flags: string[] = [];
      if (n.forwarding) flags.push('forwarding on');
      if (n.natRules) flags.push(`${n.natRules} NAT rule${n.natRules === 1 ? '' : 's'}`);
      if (n.dropPolicies.length) flags.push(`policy DROP on ${n.dropPolicies.join(', ')}`);
      lines.push(`${where}${flags.length ? ` (${flags.join(', ')})` : ''}: ${parts.length ? parts.join('; ') : 'no interfaces'}.`);
    }
  }
  return lines;
}

function peerWhere(id: string, host: string): string {
  const [h, ns] = id.split('/');
  const n = ns === 'root' ? 'the host namespace' : ns;
  return h === host ? n : `${n} on host ${h}`;
}
