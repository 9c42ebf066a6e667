/**
 * The iptables rule language: parse the words of a rule specification into a RuleSpec, and print
 * a rule back as `iptables -S` / `iptables-save` show it and as the `iptables -L` columns show it.
 * Wording and spacing follow iptables 1.8.9 (nf_tables backend), as recorded on Linux.
 */
import { formatIpv4, networkOf, parseCidr, parseIpv4, prefixMask } from '../wire/addr.ts';
import { protocolName, protocolNumber, serviceName, servicePort } from '../data/services.ts';
import {
  CT_STATE_ORDER,
  type CtState,
  type Match,
  type PortRange,
  type RuleSpec,
  type Target,
  type AddrSpec,
  type IfaceSpec,
} from './rule.ts';

export const IPT_VERSION = 'iptables v1.8.9 (nf_tables)';

/** A parse failure: the text iptables prints and its exit status. */
export interface RuleError {
  readonly message: string;
  readonly status: number;
}

export const TRY_HELP = "Try `iptables -h' or 'iptables --help' for more information.";

export function usageError(text: string): RuleError {
  return { message: `${IPT_VERSION}: ${text}\n${TRY_HELP}\n`, status: 2 };
}

/** Named targets that are extensions rather than user chains. */
const TARGET_NAMES = new Set(['ACCEPT', 'DROP', 'RETURN', 'REJECT', 'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'LOG', 'MARK']);

export function isBuiltinTarget(name: string): boolean {
  return TARGET_NAMES.has(name);
}

const ICMP_TYPES: Record<string, [number, number, number]> = {
  any: [0xff, 0, 0xff],
  'echo-reply': [0, 0, 0xff],
  pong: [0, 0, 0xff],
  'destination-unreachable': [3, 0, 0xff],
  'network-unreachable': [3, 0, 0],
  'host-unreachable': [3, 1, 1],
  'protocol-unreachable': [3, 2, 2],
  'port-unreachable': [3, 3, 3],
  'fragmentation-needed': [3, 4, 4],
  'source-route-failed': [3, 5, 5],
  'network-unknown': [3, 6, 6],
  'host-unknown': [3, 7, 7],
  'network-prohibited': [3, 9, 9],
  'host-prohibited': [3, 10, 10],
  'communication-prohibited': [3, 13, 13],
  'source-quench': [4, 0, 0xff],
  redirect: [5, 0, 0xff],
  'echo-request': [8, 0, 0xff],
  ping: [8, 0, 0xff],
  'router-advertisement': [9, 0, 0xff],
  'router-solicitation': [10, 0, 0xff],
  'time-exceeded': [11, 0, 0xff],
  'ttl-exceeded': [11, 0, 0xff],
  'ttl-zero-during-transit': [11, 0, 0],
  'ttl-zero-during-reassembly': [11, 1, 1],
  'parameter-problem': [12, 0, 0xff],
  'timestamp-request': [13, 0, 0xff],
  'timestamp-reply': [14, 0, 0xff],
};

/** The first name iptables prints for a type/code range (`iptables -L` without -n). */
function icmpName(type: number, lo: number, hi: number): string | undefined {
  for (const [name, [t, l, h]] of Object.entries(ICMP_TYPES)) {
    if (t === type && l === lo && h === hi && name !== 'pong' && name !== 'ping' && name !== 'ttl-exceeded') return name;
  }
  return undefined;
}

const REJECT_WITH = new Set([
  'icmp-net-unreachable',
  'icmp-host-unreachable',
  'icmp-port-unreachable',
  'icmp-proto-unreachable',
  'icmp-net-prohibited',
  'icmp-host-prohibited',
  'icmp-admin-prohibited',
  'tcp-reset',
]);
const REJECT_ALIASES: Record<string, string> = {
  'net-unreach': 'icmp-net-unreachable',
  'host-unreach': 'icmp-host-unreachable',
  'port-unreach': 'icmp-port-unreachable',
  'proto-unreach': 'icmp-proto-unreachable',
  'net-prohib': 'icmp-net-prohibited',
  'host-prohib': 'icmp-host-prohibited',
  'tcp-rst': 'tcp-reset',
};

const ADDRTYPES = new Set([
  'UNSPEC',
  'UNICAST',
  'LOCAL',
  'BROADCAST',
  'ANYCAST',
  'MULTICAST',
  'BLACKHOLE',
  'UNREACHABLE',
  'PROHIBIT',
  'THROW',
  'NAT',
  'XRESOLVE',
]);

function parsePort(text: string, proto: 'tcp' | 'udp'): number | null {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n <= 65535 ? n : null;
  }
  return servicePort(text, proto) ?? null;
}

function parsePortRange(text: string, proto: 'tcp' | 'udp'): PortRange | RuleError {
  const parts = text.split(':');
  if (parts.length > 2) return usageError(`invalid portrange (too many ports) specified`);
  const lo = parts[0] === '' ? 0 : parsePort(parts[0], proto);
  if (lo === null) return { message: `${IPT_VERSION}: invalid port/service \`${parts[0]}' specified\n${TRY_HELP}\n`, status: 2 };
  if (parts.length === 1) return { lo, hi: lo };
  const hi = parts[1] === '' ? 65535 : parsePort(parts[1], proto);
  if (hi === null) return { message: `${IPT_VERSION}: invalid port/service \`${parts[1]}' specified\n${TRY_HELP}\n`, status: 2 };
  return lo <= hi ? { lo, hi } : { lo: hi, hi: lo };
}

function isErr(x: unknown): x is RuleError {
  return typeof x === 'object' && x !== null && 'message' in x && 'status' in x;
}

function parseAddr(text: string, neg: boolean): AddrSpec | RuleError {
  const c = parseCidr(text, 32);
  if (!c) {
    return { message: `${IPT_VERSION}: host/network \`${text}' not found\n${TRY_HELP}\n`, status: 2 };
  }
  return { addr: networkOf(c.addr, c.len), len: c.len, neg };
}

function parseIface(text: string, neg: boolean): IfaceSpec | RuleError {
  if (text.length > 15) return usageError(`interface name \`${text}' must be shorter than IFNAMSIZ (15)`);
  return { name: text, neg };
}

const TCP_FLAG_BITS: Record<string, number> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ALL: 63, NONE: 0 };

function parseTcpFlags(text: string): number | null {
  let v = 0;
  for (const f of text.split(',')) {
    const b = TCP_FLAG_BITS[f.toUpperCase()];
    if (b === undefined) return null;
    v |= b;
  }
  return v;
}

function parseStates(text: string): CtState[] | null {
  const out: CtState[] = [];
  for (const s of text.split(',')) {
    const up = s.toUpperCase() as CtState;
    if (!CT_STATE_ORDER.includes(up)) return null;
    if (!out.includes(up)) out.push(up);
  }
  return out;
}

function parseNatTo(text: string, kind: 'DNAT' | 'SNAT'): Target | RuleError {
  // ADDR[-ADDR][:PORT[-PORT]]
  let addrPart = text;
  let portPart: string | undefined;
  const colon = text.indexOf(':');
  if (colon >= 0) {
    addrPart = text.slice(0, colon);
    portPart = text.slice(colon + 1);
  }
  let addr: number | undefined;
  let addrHi: number | undefined;
  if (addrPart !== '') {
    const [a, b] = addrPart.split('-');
    const pa = parseIpv4(a);
    if (pa === null) return usageError(`Bad IP address "${a}"`);
    addr = pa;
    if (b !== undefined) {
      const pb = parseIpv4(b);
      if (pb === null) return usageError(`Bad IP address "${b}"`);
      addrHi = pb;
    }
  }
  let ports: PortRange | undefined;
  if (portPart !== undefined) {
    const [a, b] = portPart.split('-');
    const pa = /^\d+$/.test(a) ? Number(a) : NaN;
    const pb = b === undefined ? pa : /^\d+$/.test(b) ? Number(b) : NaN;
    if (!(pa >= 0 && pa <= 65535) || !(pb >= 0 && pb <= 65535)) return usageError(`Port "${portPart}" not valid`);
    ports = { lo: pa, hi: pb };
  }
  return { kind, addr, addrHi, ports, text };
}

/**
 * Parse the words of a rule specification (everything after `-A CHAIN`).
 * `knownChain` says whether a `-j NAME` names an existing user chain.
 */
export function parseRuleSpec(words: readonly string[], knownChain: (name: string) => boolean): RuleSpec | RuleError {
  let src: AddrSpec | undefined;
  let dst: AddrSpec | undefined;
  let inIf: IfaceSpec | undefined;
  let outIf: IfaceSpec | undefined;
  let proto: number | undefined;
  let protoNeg = false;
  let protoName: string | undefined;
  let frag = false;
  let fragNeg = false;
  const matches: Match[] = [];
  let target = { kind: 'none' } as Target;
  let targetSeen = false;
  /** the match extension whose options are being read */
  let current: Match['kind'] | 'TARGET' | null = null;
  let neg = false;

  const need = (i: number, opt: string): string | RuleError => {
    const v = words[i];
    if (v === undefined) return usageError(`option "${opt}" requires an argument`);
    return v;
  };

  // Add or update a match in place (options of one -m extension accumulate).
  const upsert = <K extends Match['kind']>(kind: K, patch: Partial<Extract<Match, { kind: K }>>) => {
    for (let j = matches.length - 1; j >= 0; j--) {
      if (matches[j].kind === kind) {
        matches[j] = { ...matches[j], ...patch } as Match;
        return;
      }
    }
    matches.push({ kind, ...patch } as unknown as Match);
  };

  const implicitProtoMatch = (): 'tcp' | 'udp' | 'icmp' | null => {
    if (protoName === 'tcp' || protoName === 'udp' || protoName === 'icmp') return protoName;
    return null;
  };

  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '!') {
      if (neg) return usageError('multiple consecutive ! not allowed');
      neg = true;
      continue;
    }
    const takeNeg = () => {
      const n = neg;
      neg = false;
      return n;
    };
    switch (w) {
      case '-s':
      case '--source':
      case '--src': {
        const v = need(++i, w);
        if (isErr(v)) return v;
        const a = parseAddr(v, takeNeg());
        if (isErr(a)) return a;
        src = a;
        break;
      }
      case '-d':
      case '--destination':
      case '--dst': {
        const v = need(++i, w);
        if (isErr(v)) return v;
        const a = parseAddr(v, takeNeg());
        if (isErr(a)) return a;
        dst = a;
        break;
      }
      case '-i':
      case '--in-interface': {
        const v = need(++i, w);
        if (isErr(v)) return v;
        const f = parseIface(v, takeNeg());
        if (isErr(f)) return f;
        inIf = f;
        break;
      }
      case '-o':
      case '--out-interface': {
        const v = need(++i, w);
        if (isErr(v)) return v;
        const f = parseIface(v, takeNeg());
        if (isErr(f)) return f;
        outIf = f;
        break;
      }
      case '-p':
      case '--protocol': {
        const v = need(++i, w);
        if (isErr(v)) return v;
        protoNeg = takeNeg();
        const low = v.toLowerCase();
        if (low === 'all' || low === '0') {
          proto = undefined;
          protoName = undefined;
        } else if (/^\d+$/.test(v)) {
          proto = Number(v);
          protoName = protocolName(proto);
        } else {
          const n = protocolNumber(low);
          if (n === undefined) return usageError(`unknown protocol "${v}" specified`);
          proto = n;
          protoName = low;
        }
        break;
      }
      case '-f':
      case '--fragment':
        fragNeg = takeNeg();
        frag = true;
        break;
      case '-m':
      case '--match': {
        const v = need(++i, w);
        if (isErr(v)) return v;
        const name = v.toLowerCase();
        if (name === 'tcp' || name === 'udp') {
          if (protoName !== name) return usageError(`unknown option "-m ${name}" without "-p ${name}"`);
          matches.push({ kind: name } as Match);
        } else if (name === 'icmp') {
          if (protoName !== 'icmp') return usageError('unknown option "-m icmp" without "-p icmp"');
          matches.push({ kind: 'icmp', type: 0xff, codeLo: 0, codeHi: 0xff, neg: false });
        } else if (name === 'conntrack' || name === 'state' || name === 'addrtype' || name === 'comment' || name === 'multiport' || name === 'mark') {
          // pushed when its first option arrives, except comment which needs one
        } else {
          return { message: `${IPT_VERSION}: Couldn't load match \`${v}':No such file or directory\n\n${TRY_HELP}\n`, status: 2 };
        }
        current = name as Match['kind'];
        break;
      }
      case '--sport':
      case '--source-port':
      case '--dport':
      case '--destination-port': {
        const p = implicitProtoMatch();
        if (p !== 'tcp' && p !== 'udp') return usageError(`unknown option "${w}"`);
        const v = need(++i, w);
        if (isErr(v)) return v;
        const r = parsePortRange(v, p);
        if (isErr(r)) return r;
        const n = takeNeg();
        if (!matches.some((m) => m.kind === p)) matches.push({ kind: p } as Match);
        if (w === '--sport' || w === '--source-port') upsert(p, { sport: r, sportNeg: n } as never);
        else upsert(p, { dport: r, dportNeg: n } as never);
        break;
      }
      case '--syn':
      case '--tcp-flags': {
        if (implicitProtoMatch() !== 'tcp') return usageError(`unknown option "${w}"`);
        const n = takeNeg();
        let mask = 0x17;
        let comp = 0x02;
        if (w === '--tcp-flags') {
          const a = need(++i, w);
          const b = need(++i, w);
          if (isErr(a)) return a;
          if (isErr(b)) return b;
          const pm = parseTcpFlags(a);
          const pc = parseTcpFlags(b);
          if (pm === null || pc === null) return usageError(`Unknown TCP flag \`${pm === null ? a : b}'`);
          mask = pm;
          comp = pc;
        }
        if (!matches.some((m) => m.kind === 'tcp')) matches.push({ kind: 'tcp' });
        upsert('tcp', { flags: { mask, comp, neg: n } } as never);
        break;
      }
      case '--icmp-type': {
        if (implicitProtoMatch() !== 'icmp') return usageError('unknown option "--icmp-type"');
        const v = need(++i, w);
        if (isErr(v)) return v;
        const n = takeNeg();
        let t: [number, number, number] | undefined = ICMP_TYPES[v.toLowerCase()];
        if (!t) {
          const m = /^(\d+)(?:\/(\d+))?$/.exec(v);
          if (!m) return usageError(`Invalid ICMP type \`${v}'`);
          const ty = Number(m[1]);
          const code = m[2] === undefined ? undefined : Number(m[2]);
          if (ty > 255 || (code !== undefined && code > 255)) return usageError(`Invalid ICMP type \`${v}'`);
          t = code === undefined ? [ty, 0, 0xff] : [ty, code, code];
        }
        if (!matches.some((m) => m.kind === 'icmp')) matches.push({ kind: 'icmp', type: 0xff, codeLo: 0, codeHi: 0xff, neg: false });
        upsert('icmp', { type: t[0], codeLo: t[1], codeHi: t[2], neg: n } as never);
        break;
      }
      case '--ctstate':
      case '--state': {
        const kind = w === '--ctstate' ? 'conntrack' : 'state';
        if (current !== kind) return usageError(`unknown option "${w}"`);
        const v = need(++i, w);
        if (isErr(v)) return v;
        const states = parseStates(v);
        if (!states) return usageError(`Bad ctstate "${v}"`);
        matches.push({ kind, states, neg: takeNeg() });
        break;
      }
      case '--src-type':
      case '--dst-type': {
        if (current !== 'addrtype') return usageError(`unknown option "${w}"`);
        const v = need(++i, w);
        if (isErr(v)) return v;
        const up = v.toUpperCase();
        if (!ADDRTYPES.has(up)) return usageError(`addrtype: invalid address type "${v}"`);
        const n = takeNeg();
        if (!matches.some((m) => m.kind === 'addrtype')) matches.push({ kind: 'addrtype' });
        if (w === '--src-type') upsert('addrtype', { srcType: up, srcNeg: n });
        else upsert('addrtype', { dstType: up, dstNeg: n });
        break;
      }
      case '--comment': {
        if (current !== 'comment') return usageError('unknown option "--comment"');
        const v = need(++i, w);
        if (isErr(v)) return v;
        if (v.length > 255) return usageError('COMMENT must be shorter than 256 characters');
        matches.push({ kind: 'comment', text: v });
        break;
      }
      case '--sports':
      case '--dports':
      case '--ports':
      case '--source-ports':
      case '--destination-ports': {
        if (current !== 'multiport') return usageError(`unknown option "${w}"`);
        const p = implicitProtoMatch();
        if (p !== 'tcp' && p !== 'udp') return usageError('multiport needs `-p tcp\', `-p udp\', `-p udplite\', `-p sctp\' or `-p dccp\'');
        const v = need(++i, w);
        if (isErr(v)) return v;
        const ports: PortRange[] = [];
        for (const part of v.split(',')) {
          const r = parsePortRange(part, p);
          if (isErr(r)) return r;
          ports.push(r);
        }
        const which = w === '--sports' || w === '--source-ports' ? 'sports' : w === '--ports' ? 'ports' : 'dports';
        matches.push({ kind: 'multiport', which, ports, neg: takeNeg() });
        break;
      }
      case '--mark': {
        if (current !== 'mark') return usageError('unknown option "--mark"');
        const v = need(++i, w);
        if (isErr(v)) return v;
        const [a, b] = v.split('/');
        const value = Number(a);
        const mask = b === undefined ? 0xffffffff : Number(b);
        if (!Number.isFinite(value) || !Number.isFinite(mask)) return usageError(`Bad MARK value "${v}"`);
        matches.push({ kind: 'mark', value: value >>> 0, mask: mask >>> 0, neg: takeNeg() });
        break;
      }
      case '-j':
      case '--jump':
      case '-g':
      case '--goto': {
        if (targetSeen) return usageError('multiple -j flags not allowed');
        const v = need(++i, w);
        if (isErr(v)) return v;
        targetSeen = true;
        const isGoto = w === '-g' || w === '--goto';
        if (isBuiltinTarget(v) && !isGoto) {
          target = defaultTarget(v);
          current = 'TARGET';
        } else if (knownChain(v)) {
          target = isGoto ? { kind: 'goto', chain: v } : { kind: 'jump', chain: v };
        } else {
          return { message: `${IPT_VERSION}: Chain '${v}' does not exist\n${TRY_HELP}\n`, status: 2 };
        }
        break;
      }
      case '--reject-with': {
        if (target.kind !== 'REJECT') return usageError('unknown option "--reject-with"');
        const v = need(++i, w);
        if (isErr(v)) return v;
        const name = REJECT_ALIASES[v] ?? v;
        if (!REJECT_WITH.has(name)) return usageError(`unknown reject type "${v}"`);
        target = { kind: 'REJECT', with: name };
        break;
      }
      case '--to-destination':
      case '--to': {
        if (target.kind !== 'DNAT' && !(w === '--to' && target.kind === 'SNAT')) return usageError(`unknown option "${w}"`);
        const v = need(++i, w);
        if (isErr(v)) return v;
        const t = parseNatTo(v, target.kind);
        if (isErr(t)) return t;
        target = t;
        break;
      }
      case '--to-source': {
        if (target.kind !== 'SNAT') return usageError('unknown option "--to-source"');
        const v = need(++i, w);
        if (isErr(v)) return v;
        const t = parseNatTo(v, 'SNAT');
        if (isErr(t)) return t;
        target = t;
        break;
      }
      case '--to-ports': {
        if (target.kind !== 'MASQUERADE' && target.kind !== 'REDIRECT') return usageError('unknown option "--to-ports"');
        const v = need(++i, w);
        if (isErr(v)) return v;
        const [a, b] = v.split('-');
        const lo = Number(a);
        const hi = b === undefined ? lo : Number(b);
        if (!(lo >= 0 && lo <= 65535 && hi >= lo && hi <= 65535)) return usageError(`Port "${v}" not valid`);
        target = { ...target, ports: { lo, hi } } as Target;
        break;
      }
      case '--log-prefix': {
        if (target.kind !== 'LOG') return usageError('unknown option "--log-prefix"');
        const v = need(++i, w);
        if (isErr(v)) return v;
        target = { ...target, prefix: v };
        break;
      }
      case '--log-level': {
        if (target.kind !== 'LOG') return usageError('unknown option "--log-level"');
        const v = need(++i, w);
        if (isErr(v)) return v;
        target = { ...target, level: Number(v) || 4 };
        break;
      }
      case '--set-mark':
      case '--set-xmark': {
        if (target.kind !== 'MARK') return usageError(`unknown option "${w}"`);
        const v = need(++i, w);
        if (isErr(v)) return v;
        const [a, b] = v.split('/');
        target = { kind: 'MARK', value: Number(a) >>> 0, mask: b === undefined ? 0xffffffff : Number(b) >>> 0 };
        break;
      }
      default:
        if (w.startsWith('-')) return usageError(`unknown option "${w}"`);
        return usageError(`Bad argument \`${w}'`);
    }
  }
  if (neg) return usageError('no command specified');
  if ((target.kind === 'DNAT' || target.kind === 'SNAT') && target.addr === undefined && target.ports === undefined) {
    return usageError(`${target.kind} target: You must specify --to-${target.kind === 'DNAT' ? 'destination' : 'source'}`);
  }
  if (matches.some((m) => m.kind === 'comment') === false && current === 'comment') {
    return usageError('COMMENT match: You must specify `--comment\'');
  }
  return {
    ...(src ? { src } : {}),
    ...(dst ? { dst } : {}),
    ...(inIf ? { inIf } : {}),
    ...(outIf ? { outIf } : {}),
    ...(proto !== undefined ? { proto, protoNeg } : {}),
    ...(frag ? { frag, fragNeg } : {}),
    matches,
    target,
  };
}

function defaultTarget(name: string): Target {
  switch (name) {
    case 'REJECT':
      return { kind: 'REJECT', with: 'icmp-port-unreachable' };
    case 'DNAT':
      return { kind: 'DNAT', text: '' };
    case 'SNAT':
      return { kind: 'SNAT', text: '' };
    case 'MASQUERADE':
      return { kind: 'MASQUERADE' };
    case 'REDIRECT':
      return { kind: 'REDIRECT' };
    case 'LOG':
      return { kind: 'LOG' };
    case 'MARK':
      return { kind: 'MARK', value: 0, mask: 0xffffffff };
    default:
      return { kind: name as 'ACCEPT' | 'DROP' | 'RETURN' };
  }
}

export function isRuleError(x: unknown): x is RuleError {
  return isErr(x);
}

/** The name a target has in listings: ACCEPT, DNAT, a chain name, or '' for none. */
export function targetName(t: Target): string {
  if (t.kind === 'jump' || t.kind === 'goto') return t.chain;
  if (t.kind === 'none') return '';
  return t.kind;
}

function protoText(p: number): string {
  return protocolName(p) ?? String(p);
}

function fmtRange(r: PortRange, sep = ':'): string {
  return r.lo === r.hi ? String(r.lo) : `${r.lo}${sep}${r.hi}`;
}

function quoteSave(s: string): string {
  // iptables-save quotes strings that contain blanks or shell-special characters
  if (s === '' || /[\s"'\\`$!&|;<>(){}#*?~]/.test(s)) return `"${s.replace(/(["\\])/g, '\\$1')}"`;
  return s;
}

function flagsText(v: number): string {
  if (v === 0) return 'NONE';
  if (v === 63) return 'ALL';
  const names = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'];
  return names.filter((_, i) => v & (1 << i)).join(',');
}

function addrText(a: AddrSpec): string {
  return `${formatIpv4(a.addr)}/${a.len}`;
}

/** A rule as `iptables -S` prints it, without the leading `-A CHAIN`. */
export function formatRuleSave(spec: RuleSpec): string {
  let s = '';
  if (spec.src) s += `${spec.src.neg ? ' !' : ''} -s ${addrText(spec.src)}`;
  if (spec.dst) s += `${spec.dst.neg ? ' !' : ''} -d ${addrText(spec.dst)}`;
  if (spec.inIf) s += `${spec.inIf.neg ? ' !' : ''} -i ${spec.inIf.name}`;
  if (spec.outIf) s += `${spec.outIf.neg ? ' !' : ''} -o ${spec.outIf.name}`;
  if (spec.proto !== undefined) s += `${spec.protoNeg ? ' !' : ''} -p ${protoText(spec.proto)}`;
  if (spec.frag) s += `${spec.fragNeg ? ' !' : ''} -f`;
  for (const m of spec.matches) {
    switch (m.kind) {
      case 'tcp':
      case 'udp':
        s += ` -m ${m.kind}`;
        if (m.sport) s += `${m.sportNeg ? ' !' : ''} --sport ${fmtRange(m.sport)}`;
        if (m.dport) s += `${m.dportNeg ? ' !' : ''} --dport ${fmtRange(m.dport)}`;
        if (m.kind === 'tcp' && m.flags) s += `${m.flags.neg ? ' !' : ''} --tcp-flags ${flagsText(m.flags.mask)} ${flagsText(m.flags.comp)}`;
        break;
      case 'icmp':
        s += ' -m icmp';
        if (m.type === 0xff) s += `${m.neg ? ' !' : ''} --icmp-type any`;
        else s += `${m.neg ? ' !' : ''} --icmp-type ${m.type}${m.codeLo === 0 && m.codeHi === 0xff ? '' : `/${m.codeLo}`}`;
        break;
      case 'conntrack':
        s += ` -m conntrack${m.neg ? ' !' : ''} --ctstate ${orderStates(m.states)}`;
        break;
      case 'state':
        s += ` -m state${m.neg ? ' !' : ''} --state ${orderStates(m.states)}`;
        break;
      case 'addrtype':
        s += ' -m addrtype';
        if (m.srcType) s += `${m.srcNeg ? ' !' : ''} --src-type ${m.srcType}`;
        if (m.dstType) s += `${m.dstNeg ? ' !' : ''} --dst-type ${m.dstType}`;
        break;
      case 'comment':
        s += ` -m comment --comment ${quoteSave(m.text)}`;
        break;
      case 'multiport':
        s += ` -m multiport${m.neg ? ' !' : ''} --${m.which} ${m.ports.map((r) => fmtRange(r)).join(',')}`;
        break;
      case 'mark':
        s += ` -m mark${m.neg ? ' !' : ''} --mark 0x${m.value.toString(16)}${m.mask === 0xffffffff ? '' : `/0x${m.mask.toString(16)}`}`;
        break;
    }
  }
  const t = spec.target;
  switch (t.kind) {
    case 'none':
      break;
    case 'jump':
      s += ` -j ${t.chain}`;
      break;
    case 'goto':
      s += ` -g ${t.chain}`;
      break;
    case 'REJECT':
      s += ` -j REJECT --reject-with ${t.with}`;
      break;
    case 'DNAT':
      s += ` -j DNAT --to-destination ${t.text}`;
      break;
    case 'SNAT':
      s += ` -j SNAT --to-source ${t.text}`;
      break;
    case 'MASQUERADE':
      s += ` -j MASQUERADE${t.ports ? ` --to-ports ${fmtRange(t.ports, '-')}` : ''}`;
      break;
    case 'REDIRECT':
      s += ` -j REDIRECT${t.ports ? ` --to-ports ${fmtRange(t.ports, '-')}` : ''}`;
      break;
    case 'LOG':
      s += ' -j LOG';
      if (t.prefix !== undefined) s += ` --log-prefix ${quoteSave(t.prefix)}`;
      if (t.level !== undefined && t.level !== 4) s += ` --log-level ${t.level}`;
      break;
    case 'MARK':
      s += ` -j MARK --set-xmark 0x${t.value.toString(16)}/0x${t.mask.toString(16)}`;
      break;
    default:
      s += ` -j ${t.kind}`;
  }
  return s.trimStart();
}

function orderStates(states: readonly CtState[]): string {
  return CT_STATE_ORDER.filter((s) => states.includes(s)).join(',');
}

/** Options that change `iptables -L` output. */
export interface ListFormat {
  readonly numeric: boolean;
  readonly verbose: boolean;
  readonly exact: boolean;
  readonly lineNumbers: boolean;
}

/** Counter printing of xtables_print_num: 5 columns with K/M/G suffixes, or 8 exact digits with -x. */
export function formatCount(n: number, exact: boolean): string {
  if (exact) return `${String(n).padStart(8)} `;
  if (n <= 99999) return `${String(n).padStart(5)} `;
  let v = Math.floor((n + 500) / 1000);
  for (const suf of ['K', 'M', 'G']) {
    if (v <= 9999) return `${String(v).padStart(4)}${suf} `;
    v = Math.floor((v + 500) / 1000);
  }
  return `${String(v).padStart(4)}T `;
}

export function formatListHeader(f: ListFormat): string {
  let s = '';
  if (f.lineNumbers) s += 'num  ';
  if (f.verbose) {
    s += f.exact ? `${'pkts'.padStart(8)} ${'bytes'.padStart(10)} ` : ' pkts bytes ';
  }
  s += 'target     prot opt';
  if (f.verbose) s += ' in     out    ';
  s += ' source               destination         ';
  return s;
}

function portText(r: PortRange, proto: 'tcp' | 'udp', numeric: boolean): string {
  if (r.lo === r.hi) return numeric ? String(r.lo) : (serviceName(r.lo, proto) ?? String(r.lo));
  return `${r.lo}:${r.hi}`;
}

function portsClause(name: string, r: PortRange, neg: boolean | undefined, proto: 'tcp' | 'udp', numeric: boolean): string {
  const plural = r.lo === r.hi ? '' : 's';
  return ` ${name}${plural}:${neg ? '!' : ''}${portText(r, proto, numeric)}`;
}

/** The text that follows the address columns in `iptables -L`: matches, then target options. */
export function formatListExtras(spec: RuleSpec, numeric: boolean): string {
  let s = '';
  for (const m of spec.matches) {
    switch (m.kind) {
      case 'tcp':
      case 'udp':
        s += ` ${m.kind}`;
        if (m.sport) s += portsClause('spt', m.sport, m.sportNeg, m.kind, numeric);
        if (m.dport) s += portsClause('dpt', m.dport, m.dportNeg, m.kind, numeric);
        if (m.kind === 'tcp' && m.flags) {
          s += numeric
            ? ` flags:${m.flags.neg ? '!' : ''}0x${m.flags.mask.toString(16).padStart(2, '0').toUpperCase()}/0x${m.flags.comp.toString(16).padStart(2, '0').toUpperCase()}`
            : ` flags:${m.flags.neg ? '!' : ''}${flagsText(m.flags.mask)}/${flagsText(m.flags.comp)}`;
        }
        break;
      case 'icmp': {
        s += ' icmp';
        const name = numeric ? undefined : icmpName(m.type, m.codeLo, m.codeHi);
        if (m.type === 0xff) s += `${m.neg ? ' !' : ''} any`;
        else if (name) s += ` ${m.neg ? '!' : ''}${name}`;
        else {
          s += `${m.neg ? ' !' : ''}type ${m.type}`;
          if (m.codeLo === m.codeHi) s += ` code ${m.codeLo}`;
          else if (m.codeLo !== 0 || m.codeHi !== 0xff) s += ` codes ${m.codeLo}-${m.codeHi}`;
        }
        break;
      }
      case 'conntrack':
        s += `${m.neg ? ' !' : ''} ctstate ${orderStates(m.states)}`;
        break;
      case 'state':
        s += `${m.neg ? ' !' : ''} state ${orderStates(m.states)}`;
        break;
      case 'addrtype':
        s += ' ADDRTYPE match';
        if (m.srcType) s += ` src-type ${m.srcNeg ? '!' : ''}${m.srcType}`;
        if (m.dstType) s += ` dst-type ${m.dstNeg ? '!' : ''}${m.dstType}`;
        break;
      case 'comment':
        s += ` /* ${m.text} */`;
        break;
      case 'multiport':
        s += ` multiport ${m.which}${m.neg ? ' !' : ''} ${m.ports
          .map((r) => (r.lo === r.hi ? portText(r, 'tcp', numeric) : `${r.lo}:${r.hi}`))
          .join(',')}`;
        break;
      case 'mark':
        s += ` mark match ${m.neg ? '!' : ''}0x${m.value.toString(16)}${m.mask === 0xffffffff ? '' : `/0x${m.mask.toString(16)}`}`;
        break;
    }
  }
  const t = spec.target;
  switch (t.kind) {
    case 'REJECT':
      s += ` reject-with ${t.with}`;
      break;
    case 'DNAT':
    case 'SNAT':
      s += ` to:${t.text}`;
      break;
    case 'MASQUERADE':
      if (t.ports) s += ` masq ports: ${fmtRange(t.ports, '-')}`;
      break;
    case 'REDIRECT':
      if (t.ports) s += ` redir ports ${fmtRange(t.ports, '-')}`;
      break;
    case 'LOG':
      s += ` LOG flags 0 level ${t.level ?? 4}${t.prefix !== undefined ? ` prefix "${t.prefix}"` : ''}`;
      break;
    case 'MARK':
      s += ` MARK xset 0x${t.value.toString(16)}/0x${t.mask.toString(16)}`;
      break;
    case 'goto':
      s += ` [goto] `;
      break;
  }
  return s;
}

/** One rule line of `iptables -L`. */
export function formatListRule(
  spec: RuleSpec,
  counters: { pkts: number; bytes: number },
  num: number,
  f: ListFormat,
): string {
  let s = '';
  if (f.lineNumbers) s += `${String(num).padEnd(4)} `;
  if (f.verbose) s += formatCount(counters.pkts, f.exact) + formatCount(counters.bytes, f.exact);
  s += `${targetName(spec.target).padEnd(9)} `;
  s += spec.protoNeg ? '!' : ' ';
  if (f.numeric) s += String(spec.proto ?? 0).padEnd(5);
  else s += (spec.proto === undefined ? 'all' : protoText(spec.proto)).padEnd(5);
  s += `${spec.fragNeg ? '!' : '-'}${spec.frag ? 'f' : '-'} `;
  if (f.verbose) {
    const inName = spec.inIf ? `${spec.inIf.neg ? '!' : ''}${spec.inIf.name}` : '*';
    const outName = spec.outIf ? `${spec.outIf.neg ? '!' : ''}${spec.outIf.name}` : '*';
    s += ` ${inName.padEnd(6)} ${outName.padEnd(6)} `;
  }
  const addrCol = (a: AddrSpec | undefined) => {
    if (!a) return f.numeric ? '0.0.0.0/0' : 'anywhere';
    if (!f.numeric && a.len === 0) return 'anywhere';
    const base = formatIpv4(a.addr);
    if (a.len === 32 && !f.numeric) return base;
    return a.len === 32 ? base : `${base}/${a.len}`;
  };
  s += `${spec.src?.neg ? '!' : ' '}${addrCol(spec.src).padEnd(19)} `;
  s += `${spec.dst?.neg ? '!' : ' '}${addrCol(spec.dst).padEnd(19)} `;
  s += formatListExtras(spec, f.numeric);
  return s;
}

/** Netmask text for completeness (`-s 10.0.0.0/255.255.255.0` parses to /24). */
export function maskText(len: number): string {
  return formatIpv4(prefixMask(len));
}
