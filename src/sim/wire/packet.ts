/**
 * Packets as immutable header records.
 *
 * A packet is never mutated: every rewrite (TTL decrement, NAT, a new Ethernet header on the next
 * hop, VXLAN encapsulation) makes a new object that shares the unchanged headers. That lets a
 * trace event keep a reference to "the packet as it was here" without copying it.
 *
 * Sizes follow Linux on the wire: an ICMP echo with the default 56 data bytes is an 84-byte IP
 * packet; a SYN carries 20 bytes of options (MSS, SACK-permitted, timestamps, window scale), so
 * it is 60 bytes; other segments carry the 12-byte timestamp option (52 bytes without data); an
 * RST answering a SYN carries none (40 bytes). iptables counts IP total lengths; `ip -s link`
 * counts IP length plus the 14-byte Ethernet header.
 */
import type { Ipv4, Mac } from './addr.ts';

export const ETH_P_IP = 'ipv4';
export const ETH_P_ARP = 'arp';

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

export interface EthHeader {
  readonly src: Mac;
  readonly dst: Mac;
  readonly type: 'ipv4' | 'arp';
}

export interface ArpHeader {
  /** 1 = request, 2 = reply */
  readonly op: 1 | 2;
  readonly sha: Mac;
  readonly spa: Ipv4;
  readonly tha: Mac;
  readonly tpa: Ipv4;
}

export interface Ipv4Header {
  readonly src: Ipv4;
  readonly dst: Ipv4;
  readonly ttl: number;
  readonly proto: number;
  /** IP identification field */
  readonly id: number;
  /** Don't Fragment */
  readonly df: boolean;
  /** More Fragments */
  readonly mf: boolean;
  /** Fragment offset in bytes */
  readonly fragOffset: number;
  /** Total length: IP header + payload */
  readonly totalLength: number;
}

export const ICMP_ECHOREPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;

export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PROT_UNREACH = 2;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;
export const ICMP_NET_ANO = 9;
export const ICMP_HOST_ANO = 10;
export const ICMP_PKT_FILTERED = 13;

export interface IcmpHeader {
  readonly type: number;
  readonly code: number;
  /** echo id / sequence */
  readonly id?: number;
  readonly seq?: number;
  /** next-hop MTU for "fragmentation needed" */
  readonly mtu?: number;
  /** for errors: the offending packet (its IP header and the start of its payload) */
  readonly original?: Packet;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface TcpHeader {
  readonly sport: number;
  readonly dport: number;
  readonly flags: number;
  readonly seq: number;
  readonly ack: number;
  readonly window: number;
  /** bytes of TCP options (0, 12 or 20 here) */
  readonly optLen: number;
  /** MSS option on SYN segments */
  readonly mss?: number;
  /** window scale option on SYN segments (the shift this side applies to its windows) */
  readonly wscale?: number;
  /** the timestamp option (RFC 7323): this side's clock and the peer's last value echoed */
  readonly ts?: { readonly val: number; readonly ecr: number };
}

export interface UdpHeader {
  readonly sport: number;
  readonly dport: number;
}

export interface VxlanHeader {
  readonly vni: number;
}

/** What an application put in the payload, for the simulated servers and for tcpdump -A. */
export type AppData =
  | { readonly kind: 'bytes'; readonly text: string }
  | { readonly kind: 'dns'; readonly msg: DnsMessage };

export interface DnsMessage {
  readonly id: number;
  readonly response: boolean;
  readonly qname: string;
  /** 1 = A, 28 = AAAA, 12 = PTR, 33 = SRV, 5 = CNAME */
  readonly qtype: number;
  /** 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED */
  readonly rcode: number;
  readonly answers: readonly DnsRecord[];
  readonly recursionAvailable?: boolean;
  readonly authoritative?: boolean;
  /**
   * Written as miekg/dns writes Docker's embedded DNS's own answers: without an EDNS OPT record
   * (SetReply copies none) and without name compression (Truncate turns it off when the
   * message fits). Answers of the other simulated servers carry an OPT and compress names.
   */
  readonly plain?: boolean;
}

export interface DnsRecord {
  readonly name: string;
  readonly type: number;
  readonly ttl: number;
  /** A: dotted quad; CNAME/PTR: a name; SRV: "prio weight port target" */
  readonly data: string;
}

export interface Packet {
  /** Identity used by traces: stays the same across hops, NAT and encapsulation. */
  readonly id: number;
  readonly eth?: EthHeader;
  readonly arp?: ArpHeader;
  readonly ip?: Ipv4Header;
  readonly icmp?: IcmpHeader;
  readonly tcp?: TcpHeader;
  readonly udp?: UdpHeader;
  readonly vxlan?: VxlanHeader;
  /** The encapsulated Ethernet frame of a VXLAN packet. */
  readonly inner?: Packet;
  /** Bytes of L4 payload (ICMP data, TCP/UDP data). */
  readonly payloadLen: number;
  readonly data?: AppData;
  /** For an IP fragment: the whole packet it is a piece of (for reassembly). */
  readonly whole?: Packet;
}

export function tcpHeaderLen(t: TcpHeader): number {
  return 20 + t.optLen;
}

/** Length of the L4 part (header + payload) of a packet. */
export function l4Length(p: Packet): number {
  if (p.icmp) {
    if (p.icmp.original && p.icmp.type !== ICMP_ECHO && p.icmp.type !== ICMP_ECHOREPLY) {
      return 8 + quotedLength(p.icmp.original);
    }
    return 8 + p.payloadLen;
  }
  if (p.tcp) return tcpHeaderLen(p.tcp) + p.payloadLen;
  if (p.udp) return 8 + (p.vxlan && p.inner ? 8 + frameLength(p.inner) : p.payloadLen);
  return p.payloadLen;
}

/**
 * How much of an offending packet an ICMP error quotes: Linux quotes as much as fits in a
 * 576-byte reply (icmp_send: room = 576 - sizeof(iph) - sizeof(icmph)).
 */
export function quotedLength(orig: Packet): number {
  const total = orig.ip ? orig.ip.totalLength : 28;
  return Math.min(total, 576 - 20 - 8);
}

/** IP total length for a packet whose ip header is being built. */
export function ipTotalLength(p: Packet): number {
  return 20 + l4Length(p);
}

/** Bytes on an Ethernet wire: 14-byte header + ARP (28) or IP total length. */
export function frameLength(p: Packet): number {
  if (p.arp) return 14 + 28;
  if (p.ip) return 14 + p.ip.totalLength;
  return 14 + p.payloadLen;
}

/** The 5-tuple-ish key that identifies a flow in one direction. */
export interface FlowKey {
  readonly proto: number;
  readonly src: Ipv4;
  readonly dst: Ipv4;
  /** ports for TCP/UDP; ICMP id for echo (both fields) */
  readonly sport: number;
  readonly dport: number;
}

export function withEth(p: Packet, eth: EthHeader | undefined): Packet {
  return { ...p, eth };
}

export function withIp(p: Packet, ip: Ipv4Header): Packet {
  return { ...p, ip };
}

/** A new packet object with the given changes to its IP header. */
export function patchIp(p: Packet, patch: Partial<Ipv4Header>): Packet {
  return { ...p, ip: { ...p.ip!, ...patch } };
}

export function isTcpFlag(p: Packet, flag: number): boolean {
  return !!p.tcp && (p.tcp.flags & flag) !== 0;
}
