/**
 * Trace events: what happened to every packet, hop by hop.
 *
 * The model emits one flat, ordered stream of events. Every view is a projection of it: the
 * animated diagram, the plain packet table, `tcpdump` and the lab grader. Events are plain JSON
 * (no class instances, no cycles), so they can be stored, diffed and sent to a worker.
 *
 * The format is documented for lab authors and UI code in docs/trace-format.md.
 */
import type { Packet } from '../wire/packet.ts';

/** Where an event happened. `ns` is `root` for a host's initial namespace. */
export interface Place {
  readonly host: string;
  readonly ns: string;
  /** Interface name, when the event happened at an interface. */
  readonly dev?: string;
}

/**
 * Why a packet was dropped. Names follow the Linux kernel's skb drop reasons
 * (include/net/dropreason-core.h) where one exists.
 */
export type DropReason =
  | 'NETFILTER_DROP'
  | 'IP_OUTNOROUTES'
  | 'IP_INNOROUTES'
  | 'IP_FORWARDING_DISABLED'
  | 'BLACKHOLE_ROUTE'
  | 'UNREACHABLE_ROUTE'
  | 'PROHIBIT_ROUTE'
  | 'NEIGH_FAILED'
  | 'NEIGH_QUEUEFULL'
  | 'OTHERHOST'
  | 'DEV_DOWN'
  | 'NO_CARRIER'
  | 'PKT_TOO_BIG'
  | 'FRAG_NEEDED'
  | 'TTL_EXPIRED'
  | 'NO_SOCKET'
  | 'TCP_RESET'
  | 'VXLAN_VNI_MISMATCH'
  | 'VXLAN_INVALID_HDR'
  | 'VXLAN_NO_REMOTE'
  | 'BRIDGE_PORT_STATE'
  | 'MACVLAN_NO_PATH'
  | 'NOT_IMPLEMENTED_PROTO'
  | 'CONNTRACK_INVALID'
  | 'SOCKET_FILTER'
  | 'UNHANDLED';

export type TraceEventKind =
  /** an application or the kernel created the packet */
  | 'send'
  /** the packet left an interface */
  | 'tx'
  /** the packet arrived on an interface */
  | 'rx'
  /** a route lookup, with the route chosen */
  | 'route'
  /** ARP: a lookup in the neighbour table, a request sent or an answer learned */
  | 'neigh'
  /** a bridge learned a source MAC, forwarded to one port or flooded */
  | 'bridge'
  /** an iptables rule or policy decided something */
  | 'nf'
  /** conntrack or NAT rewrote addresses or ports */
  | 'nat'
  /** the kernel routes the packet on to another interface */
  | 'forward'
  /** VXLAN: the frame was wrapped in outer headers */
  | 'encap'
  /** VXLAN: the outer headers were removed */
  | 'decap'
  /** the packet reached a socket (or the kernel's ICMP/ARP handler) */
  | 'deliver'
  /** the packet was discarded */
  | 'drop';

export interface TraceEvent {
  /** Strictly increasing over the whole world: the order to replay. */
  readonly seq: number;
  /** Virtual time in microseconds. */
  readonly t: number;
  /** The packet this event is about; stays the same across NAT and encapsulation. */
  readonly packetId: number;
  readonly kind: TraceEventKind;
  readonly at: Place;
  /** The packet's headers at this point. */
  readonly packet: Packet;
  /** One line a learner can read, e.g. "route 10.0.2.5 via 10.0.1.1 dev eth0". */
  readonly summary: string;
  /** For `nf`: the table, chain, 1-based rule number (0 = chain policy) and rule text. */
  readonly nf?: {
    readonly table: string;
    readonly chain: string;
    readonly rule: number;
    readonly ruleText: string;
    readonly verdict: string;
  };
  /** For `nat`: the tuple before and after the rewrite. */
  readonly nat?: { readonly before: string; readonly after: string; readonly kind: 'SNAT' | 'DNAT' | 'un-SNAT' | 'un-DNAT' };
  /** For `route`: the route chosen (as `ip route` prints it) or null when none matched. */
  readonly route?: { readonly dst: string; readonly chosen: string | null };
  /** For `bridge`: the bridge and the port(s) involved. */
  readonly bridge?: { readonly bridge: string; readonly action: 'learn' | 'forward' | 'flood' | 'local'; readonly ports: readonly string[] };
  /** For `tx`/`rx` across a link: the interface at the other end. */
  readonly peer?: Place;
  /** For `drop`: the reason code and a sentence that explains it. */
  readonly drop?: { readonly reason: DropReason; readonly text: string };
}
