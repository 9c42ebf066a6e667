/**
 * iptables rules as data, and how one rule matches a packet.
 *
 * A rule has the classic fixed part (source, destination, in/out interface, protocol, fragment
 * flag), a list of match extensions in the order they were given (`-m tcp`, `-m conntrack`,
 * `-m addrtype`, `-m comment`, ...) and one target. Text parsing and printing live in
 * ruletext.ts; traversal of chains and hooks in tables.ts.
 */
import { inPrefix, type Ipv4 } from '../wire/addr.ts';

export type TableName = 'raw' | 'mangle' | 'nat' | 'filter';
export const TABLE_NAMES: readonly TableName[] = ['filter', 'nat', 'mangle', 'raw'];

export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/** Built-in chains of each table, in the order iptables lists them. */
export const BUILTIN_CHAINS: Record<TableName, readonly Hook[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
};

export type CtState = 'INVALID' | 'NEW' | 'RELATED' | 'ESTABLISHED' | 'UNTRACKED' | 'SNAT' | 'DNAT';
/** The order in which iptables prints conntrack states (their bit order). */
export const CT_STATE_ORDER: readonly CtState[] = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];

export interface PortRange {
  readonly lo: number;
  readonly hi: number;
}

export interface AddrSpec {
  readonly addr: Ipv4;
  readonly len: number;
  readonly neg: boolean;
}

export interface IfaceSpec {
  /** interface name; a trailing `+` is a wildcard prefix */
  readonly name: string;
  readonly neg: boolean;
}

export type Match =
  | {
      readonly kind: 'tcp';
      readonly sport?: PortRange;
      readonly sportNeg?: boolean;
      readonly dport?: PortRange;
      readonly dportNeg?: boolean;
      /** --tcp-flags MASK COMP (or --syn) */
      readonly flags?: { readonly mask: number; readonly comp: number; readonly neg: boolean };
    }
  | {
      readonly kind: 'udp';
      readonly sport?: PortRange;
      readonly sportNeg?: boolean;
      readonly dport?: PortRange;
      readonly dportNeg?: boolean;
    }
  | { readonly kind: 'icmp'; readonly type: number; readonly codeLo: number; readonly codeHi: number; readonly neg: boolean }
  | { readonly kind: 'conntrack'; readonly states: readonly CtState[]; readonly neg: boolean }
  | { readonly kind: 'state'; readonly states: readonly CtState[]; readonly neg: boolean }
  | {
      readonly kind: 'addrtype';
      readonly srcType?: string;
      readonly srcNeg?: boolean;
      readonly dstType?: string;
      readonly dstNeg?: boolean;
    }
  | { readonly kind: 'comment'; readonly text: string }
  | {
      readonly kind: 'multiport';
      readonly which: 'sports' | 'dports' | 'ports';
      readonly ports: readonly PortRange[];
      readonly neg: boolean;
    }
  | { readonly kind: 'mark'; readonly value: number; readonly mask: number; readonly neg: boolean };

export type Target =
  | { readonly kind: 'ACCEPT' }
  | { readonly kind: 'DROP' }
  | { readonly kind: 'RETURN' }
  | { readonly kind: 'REJECT'; readonly with: string }
  | { readonly kind: 'DNAT'; readonly addr?: Ipv4; readonly addrHi?: Ipv4; readonly ports?: PortRange; readonly text: string }
  | { readonly kind: 'SNAT'; readonly addr?: Ipv4; readonly addrHi?: Ipv4; readonly ports?: PortRange; readonly text: string }
  | { readonly kind: 'MASQUERADE'; readonly ports?: PortRange }
  | { readonly kind: 'REDIRECT'; readonly ports?: PortRange }
  | { readonly kind: 'LOG'; readonly prefix?: string; readonly level?: number }
  | { readonly kind: 'MARK'; readonly value: number; readonly mask: number }
  | { readonly kind: 'jump'; readonly chain: string }
  | { readonly kind: 'goto'; readonly chain: string }
  | { readonly kind: 'none' };

/** A rule without its counters: what `iptables -A` describes. */
export interface RuleSpec {
  readonly src?: AddrSpec;
  readonly dst?: AddrSpec;
  readonly inIf?: IfaceSpec;
  readonly outIf?: IfaceSpec;
  /** protocol number; undefined means all */
  readonly proto?: number;
  readonly protoNeg?: boolean;
  /** -f: only second and later fragments */
  readonly frag?: boolean;
  readonly fragNeg?: boolean;
  readonly matches: readonly Match[];
  readonly target: Target;
}

export interface Counters {
  pkts: number;
  bytes: number;
}

export interface Rule {
  spec: RuleSpec;
  counters: Counters;
}

/** Everything a match needs to know about the packet and where it is. */
export interface MatchContext {
  readonly src: Ipv4;
  readonly dst: Ipv4;
  readonly proto: number;
  readonly sport: number;
  readonly dport: number;
  readonly tcpFlags: number;
  readonly icmpType: number;
  readonly icmpCode: number;
  /** a non-first fragment */
  readonly isFragment: boolean;
  readonly inIf: string;
  readonly outIf: string;
  readonly ctState: CtState;
  /** conntrack status bits that -m conntrack --ctstate SNAT/DNAT test */
  readonly ctSnat: boolean;
  readonly ctDnat: boolean;
  readonly mark: number;
  /** Linux address type of an address in this namespace: LOCAL, UNICAST, BROADCAST, MULTICAST... */
  addrType(ip: Ipv4): string;
}

function ifaceMatches(spec: IfaceSpec, name: string): boolean {
  let hit: boolean;
  if (spec.name.endsWith('+')) hit = name.startsWith(spec.name.slice(0, -1));
  else hit = spec.name === name;
  return spec.neg ? !hit : hit;
}

function portIn(r: PortRange | undefined, neg: boolean | undefined, port: number): boolean {
  if (!r) return true;
  const hit = port >= r.lo && port <= r.hi;
  return neg ? !hit : hit;
}

export function matchOne(m: Match, c: MatchContext): boolean {
  switch (m.kind) {
    case 'tcp':
      if (c.proto !== 6 || c.isFragment) return false;
      if (!portIn(m.sport, m.sportNeg, c.sport) || !portIn(m.dport, m.dportNeg, c.dport)) return false;
      if (m.flags) {
        const hit = (c.tcpFlags & m.flags.mask) === m.flags.comp;
        if (m.flags.neg ? hit : !hit) return false;
      }
      return true;
    case 'udp':
      if (c.proto !== 17 || c.isFragment) return false;
      return portIn(m.sport, m.sportNeg, c.sport) && portIn(m.dport, m.dportNeg, c.dport);
    case 'icmp': {
      if (c.proto !== 1 || c.isFragment) return false;
      const hit = m.type === 0xff || (c.icmpType === m.type && c.icmpCode >= m.codeLo && c.icmpCode <= m.codeHi);
      return m.neg ? !hit : hit;
    }
    case 'conntrack':
    case 'state': {
      const hit = m.states.some(
        (s) => s === c.ctState || (s === 'SNAT' && c.ctSnat) || (s === 'DNAT' && c.ctDnat),
      );
      return m.neg ? !hit : hit;
    }
    case 'addrtype': {
      if (m.srcType) {
        const hit = c.addrType(c.src) === m.srcType;
        if (m.srcNeg ? hit : !hit) return false;
      }
      if (m.dstType) {
        const hit = c.addrType(c.dst) === m.dstType;
        if (m.dstNeg ? hit : !hit) return false;
      }
      return true;
    }
    case 'comment':
      return true;
    case 'multiport': {
      if (c.proto !== 6 && c.proto !== 17) return false;
      const test = (p: number) => m.ports.some((r) => p >= r.lo && p <= r.hi);
      const hit =
        m.which === 'sports' ? test(c.sport) : m.which === 'dports' ? test(c.dport) : test(c.sport) || test(c.dport);
      return m.neg ? !hit : hit;
    }
    case 'mark': {
      const hit = (c.mark & m.mask) === m.value;
      return m.neg ? !hit : hit;
    }
  }
}

/** Does the rule's fixed part and every match accept the packet? */
export function ruleMatches(spec: RuleSpec, c: MatchContext): boolean {
  if (spec.src) {
    const hit = inPrefix(c.src, spec.src.addr, spec.src.len);
    if (spec.src.neg ? hit : !hit) return false;
  }
  if (spec.dst) {
    const hit = inPrefix(c.dst, spec.dst.addr, spec.dst.len);
    if (spec.dst.neg ? hit : !hit) return false;
  }
  if (spec.inIf && !ifaceMatches(spec.inIf, c.inIf)) return false;
  if (spec.outIf && !ifaceMatches(spec.outIf, c.outIf)) return false;
  if (spec.proto !== undefined) {
    const hit = c.proto === spec.proto;
    if (spec.protoNeg ? hit : !hit) return false;
  }
  if (spec.frag) {
    if (spec.fragNeg ? c.isFragment : !c.isFragment) return false;
  }
  for (const m of spec.matches) if (!matchOne(m, c)) return false;
  return true;
}

/** Two specs are the same rule (what `iptables -D CHAIN spec` and `-C` compare). */
export function sameSpec(a: RuleSpec, b: RuleSpec): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
