/**
 * Connection tracking (nf_conntrack) for one network namespace.
 *
 * Each connection has an original tuple (as the first packet saw it) and a reply tuple (what a
 * reply looks like after NAT). A packet is looked up by its own tuple in both directions. NAT is
 * a change to the reply tuple, taken once, on the first packet of a connection, by the nat table;
 * every later packet in either direction is rewritten from the two tuples (see `natRewrite`).
 *
 * Not modelled: TCP window tracking (nf_conntrack_tcp_be_liberal is effectively 1), helpers
 * (ftp, sip), zones, expectations.
 */
import type { Micros } from '../engine/scheduler.ts';
import { SECOND } from '../engine/scheduler.ts';
import { formatIpv4, type Ipv4 } from '../wire/addr.ts';
import {
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_TIME_EXCEEDED,
  TCP_ACK,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
  type Packet,
} from '../wire/packet.ts';
import type { CtState } from './rule.ts';

export interface Tuple {
  readonly proto: number;
  readonly src: Ipv4;
  readonly dst: Ipv4;
  /** TCP/UDP source port; ICMP echo id */
  readonly sport: number;
  /** TCP/UDP destination port; ICMP echo id */
  readonly dport: number;
}

export type TcpCtState = 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT' | 'CLOSE_WAIT' | 'LAST_ACK' | 'TIME_WAIT' | 'CLOSE';

export interface CtEntry {
  readonly id: number;
  readonly orig: Tuple;
  reply: Tuple;
  confirmed: boolean;
  seenReply: boolean;
  assured: boolean;
  /** a SNAT/MASQUERADE binding changed the reply destination */
  srcNat: boolean;
  /** a DNAT/REDIRECT binding changed the reply source */
  dstNat: boolean;
  /** the nat table has been consulted for this manip type (a "null binding" counts) */
  srcNatDone: boolean;
  dstNatDone: boolean;
  tcpState?: TcpCtState;
  /** which side sent the first FIN (for TIME_WAIT bookkeeping) */
  finFrom?: 0 | 1;
  expires: Micros;
  mark: number;
}

export type Dir = 0 | 1; // 0 = original, 1 = reply

export function tupleKey(t: Tuple): string {
  return `${t.proto}|${t.src}|${t.dst}|${t.sport}|${t.dport}`;
}

export function invert(t: Tuple): Tuple {
  return { proto: t.proto, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
}

export function formatTuple(t: Tuple): string {
  if (t.proto === 6 || t.proto === 17) return `${formatIpv4(t.src)}:${t.sport} > ${formatIpv4(t.dst)}:${t.dport}`;
  return `${formatIpv4(t.src)} > ${formatIpv4(t.dst)}`;
}

/**
 * The tuple of a packet, or null when conntrack does not track it (ARP, non-echo ICMP handled as
 * RELATED separately). For ICMP echo both "ports" hold the echo id, and the reply tuple of an echo
 * request is the echo reply with the same id.
 */
export function packetTuple(p: Packet): Tuple | null {
  const ip = p.ip;
  if (!ip) return null;
  if (p.tcp) return { proto: 6, src: ip.src, dst: ip.dst, sport: p.tcp.sport, dport: p.tcp.dport };
  if (p.udp) return { proto: 17, src: ip.src, dst: ip.dst, sport: p.udp.sport, dport: p.udp.dport };
  if (p.icmp) {
    if (p.icmp.type === ICMP_ECHO || p.icmp.type === ICMP_ECHOREPLY) {
      const id = p.icmp.id ?? 0;
      return { proto: 1, src: ip.src, dst: ip.dst, sport: id, dport: id };
    }
    return null;
  }
  return { proto: ip.proto, src: ip.src, dst: ip.dst, sport: 0, dport: 0 };
}

export function isIcmpError(p: Packet): boolean {
  return !!p.icmp && (p.icmp.type === ICMP_DEST_UNREACH || p.icmp.type === ICMP_TIME_EXCEEDED) && !!p.icmp.original;
}

/** Timeouts from the kernel's defaults (nf_conntrack_*_timeout sysctls). */
function timeoutFor(e: CtEntry): Micros {
  switch (e.orig.proto) {
    case 6:
      switch (e.tcpState) {
        case 'SYN_SENT':
          return 120 * SECOND;
        case 'SYN_RECV':
          return 60 * SECOND;
        case 'ESTABLISHED':
          return 432000 * SECOND;
        case 'FIN_WAIT':
          return 120 * SECOND;
        case 'CLOSE_WAIT':
          return 60 * SECOND;
        case 'LAST_ACK':
          return 30 * SECOND;
        case 'TIME_WAIT':
          return 120 * SECOND;
        default:
          return 10 * SECOND;
      }
    case 17:
      return e.seenReply ? 120 * SECOND : 30 * SECOND;
    case 1:
      return 30 * SECOND;
    default:
      return 600 * SECOND;
  }
}

/** The result of looking a packet up. */
export interface CtLookup {
  readonly entry: CtEntry;
  readonly dir: Dir;
  readonly state: CtState;
  /** true when this packet created the entry */
  readonly created: boolean;
}

export class Conntrack {
  private byKey = new Map<string, { entry: CtEntry; dir: Dir }>();
  private nextId = 1;
  private readonly now: () => Micros;

  constructor(now: () => Micros) {
    this.now = now;
  }

  /** All live entries (confirmed), oldest first. */
  entries(): CtEntry[] {
    const out = new Set<CtEntry>();
    for (const { entry } of this.byKey.values()) if (this.alive(entry)) out.add(entry);
    return [...out].sort((a, b) => a.id - b.id);
  }

  get size(): number {
    return this.entries().length;
  }

  private alive(e: CtEntry): boolean {
    if (e.expires <= this.now()) {
      this.remove(e);
      return false;
    }
    return true;
  }

  remove(e: CtEntry): void {
    const k1 = tupleKey(e.orig);
    const k2 = tupleKey(e.reply);
    if (this.byKey.get(k1)?.entry === e) this.byKey.delete(k1);
    if (this.byKey.get(k2)?.entry === e) this.byKey.delete(k2);
  }

  flush(): number {
    const n = this.entries().length;
    this.byKey.clear();
    return n;
  }

  find(t: Tuple): { entry: CtEntry; dir: Dir } | undefined {
    const hit = this.byKey.get(tupleKey(t));
    if (!hit) return undefined;
    if (!this.alive(hit.entry)) return undefined;
    return hit;
  }

  /**
   * nf_conntrack_in: find or create the entry for a packet. Returns null for untracked packets.
   * A created entry is not yet in the table: `confirm` inserts it once the packet survives the
   * last hook.
   */
  lookup(p: Packet): CtLookup | null {
    if (p.icmp && isIcmpError(p)) {
      const inner = packetTuple(p.icmp.original!);
      if (!inner) return null;
      // the quoted packet travelled the other way: its inverse names the error's direction
      const hit = this.find(invert(inner));
      if (!hit) return null;
      return { entry: hit.entry, dir: hit.dir, state: 'RELATED', created: false };
    }
    const t = packetTuple(p);
    if (!t) return null;
    const hit = this.find(t);
    if (hit) {
      const state: CtState = hit.dir === 1 || hit.entry.seenReply ? 'ESTABLISHED' : 'NEW';
      return { entry: hit.entry, dir: hit.dir, state, created: false };
    }
    // TCP: a lone RST or a FIN without a connection is INVALID (nf_conntrack_proto_tcp tcp_new)
    if (p.tcp && (p.tcp.flags & TCP_RST || (p.tcp.flags & TCP_FIN && !(p.tcp.flags & TCP_SYN)))) {
      const entry = this.newEntry(t);
      return { entry, dir: 0, state: 'INVALID', created: true };
    }
    const entry = this.newEntry(t);
    return { entry, dir: 0, state: 'NEW', created: true };
  }

  private newEntry(t: Tuple): CtEntry {
    const now = this.now();
    const entry: CtEntry = {
      id: this.nextId++,
      orig: t,
      reply: invert(t),
      confirmed: false,
      seenReply: false,
      assured: false,
      srcNat: false,
      dstNat: false,
      srcNatDone: false,
      dstNatDone: false,
      expires: now + 30 * SECOND,
      mark: 0,
    };
    if (t.proto === 1) entry.reply = { proto: 1, src: t.dst, dst: t.src, sport: t.sport, dport: t.dport };
    return entry;
  }

  /** Insert a new entry once its first packet has passed every hook (__nf_conntrack_confirm). */
  confirm(e: CtEntry): void {
    if (e.confirmed) return;
    e.confirmed = true;
    // a clash with an existing entry (two first packets racing) keeps the older one
    const k1 = tupleKey(e.orig);
    const k2 = tupleKey(e.reply);
    if (!this.byKey.has(k1)) this.byKey.set(k1, { entry: e, dir: 0 });
    if (!this.byKey.has(k2)) this.byKey.set(k2, { entry: e, dir: 1 });
    e.expires = this.now() + timeoutFor(e);
  }

  /** Is a reply tuple already used by another connection? (NAT must keep tuples unique.) */
  replyTaken(t: Tuple): boolean {
    const hit = this.find(t);
    return !!hit;
  }

  /** Update state and timers for a packet that passed (after confirmation for new entries). */
  update(e: CtEntry, dir: Dir, p: Packet): void {
    if (dir === 1 && !e.seenReply) e.seenReply = true;
    if (p.tcp) this.tcpTransition(e, dir, p.tcp.flags);
    // UDP becomes assured once traffic flowed both ways and more follows; ICMP never does
    else if (e.orig.proto === 17 && e.seenReply && dir === 0) e.assured = true;
    e.expires = this.now() + timeoutFor(e);
    if (e.orig.proto === 6 && e.tcpState === 'CLOSE' && e.confirmed) e.expires = this.now() + 10 * SECOND;
  }

  private tcpTransition(e: CtEntry, dir: Dir, flags: number): void {
    const s = e.tcpState;
    if (flags & TCP_RST) {
      e.tcpState = 'CLOSE';
      return;
    }
    if (flags & TCP_SYN) {
      if (!(flags & TCP_ACK)) {
        if (dir === 0 && (!s || s === 'SYN_SENT' || s === 'CLOSE' || s === 'TIME_WAIT')) e.tcpState = 'SYN_SENT';
      } else if (dir === 1 && (s === 'SYN_SENT' || s === 'SYN_RECV')) e.tcpState = 'SYN_RECV';
      return;
    }
    if (flags & TCP_FIN) {
      if (s === 'ESTABLISHED' || s === 'SYN_RECV' || !s) {
        e.tcpState = 'FIN_WAIT';
        e.finFrom = dir;
      } else if (s === 'FIN_WAIT' && e.finFrom !== dir) e.tcpState = 'LAST_ACK';
      else if (s === 'CLOSE_WAIT') e.tcpState = 'LAST_ACK';
      return;
    }
    if (flags & TCP_ACK) {
      if (s === 'SYN_RECV' && dir === 0) {
        e.tcpState = 'ESTABLISHED';
        e.assured = true;
      } else if (!s) e.tcpState = 'ESTABLISHED';
      else if (s === 'FIN_WAIT' && e.finFrom !== dir) e.tcpState = 'CLOSE_WAIT';
      else if (s === 'LAST_ACK') e.tcpState = 'TIME_WAIT';
    }
  }
}

/** `conntrack -L` line for an entry (conntrack-tools 1.4.7 format). */
export function formatCtEntry(e: CtEntry, now: Micros): string {
  const protoName = e.orig.proto === 6 ? 'tcp' : e.orig.proto === 17 ? 'udp' : e.orig.proto === 1 ? 'icmp' : 'unknown';
  const left = Math.max(0, Math.floor((e.expires - now) / SECOND));
  const tuple = (t: Tuple, reply: boolean) => {
    const base = `src=${formatIpv4(t.src)} dst=${formatIpv4(t.dst)}`;
    if (t.proto === 6 || t.proto === 17) return `${base} sport=${t.sport} dport=${t.dport}`;
    if (t.proto === 1) return `${base} type=${reply ? 0 : 8} code=0 id=${t.sport}`;
    return base;
  };
  let s = `${protoName.padEnd(8)} ${e.orig.proto} ${left} `;
  if (e.tcpState) s += `${e.tcpState} `;
  s += tuple(e.orig, false);
  if (!e.seenReply) s += ' [UNREPLIED]';
  s += ` ${tuple(e.reply, true)}`;
  if (e.assured) s += ' [ASSURED]';
  s += ` mark=${e.mark} use=1`;
  return s;
}
