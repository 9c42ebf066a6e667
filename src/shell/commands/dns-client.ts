/**
 * A DNS client socket for the tools that send their own queries (BusyBox nslookup, bind's dig,
 * nslookup and host) instead of going through getaddrinfo: queries out, whole answers in (flags,
 * rcode, records), ICMP errors reported. Ids come from the world's seeded RNG.
 */
import type { Netns } from '../../sim/net/model.ts';
import type { DnsMessage, DnsRecord } from '../../sim/wire/packet.ts';
import { formatIpv4, parseIpv4, type Ipv4 } from '../../sim/wire/addr.ts';
import { udpClose, udpOpen, udpSend } from '../../sim/transport/udp.ts';
import { TYPE_A, TYPE_AAAA, TYPE_CNAME, TYPE_PTR, TYPE_SRV } from '../../sim/apps/dns.ts';

export const TYPE_NS = 2;
export const TYPE_SOA = 6;
export const TYPE_MX = 15;
export const TYPE_TXT = 16;
export const TYPE_ANY = 255;

export const TYPE_NAMES: Record<number, string> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 255: 'ANY' };

export function typeByName(name: string): number | null {
  const up = name.toUpperCase();
  for (const [k, v] of Object.entries(TYPE_NAMES)) if (v === up) return Number(k);
  return null;
}

export const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];

export { TYPE_A, TYPE_AAAA, TYPE_CNAME, TYPE_PTR, TYPE_SRV };

/** "4.3.2.1.in-addr.arpa" for 1.2.3.4, or null when `text` is not an IPv4 address. */
export function reverseName(text: string): string | null {
  const ip = parseIpv4(text);
  if (ip === null) return null;
  return `${formatIpv4(ip).split('.').reverse().join('.')}.in-addr.arpa`;
}

export interface DnsSocket {
  /** send one query; the errno the socket sees at once, if any */
  send(id: number, qname: string, qtype: number): string | null;
  close(): void;
}

/**
 * A UDP socket "connected" to one server: answers from it go to `onAnswer`, ICMP errors about
 * our queries to `onError` (ECONNREFUSED for port unreachable, else EHOSTUNREACH/ENETUNREACH).
 */
export function openDnsSocket(ns: Netns, server: Ipv4, port: number, owner: string, onAnswer: (m: DnsMessage) => void, onError: (errno: string) => void): DnsSocket | { error: string } {
  const sock = udpOpen(ns, {
    owner,
    onRecv: (_t, from, pkt) => {
      if (from.addr !== server || from.port !== port) return;
      if (pkt.data?.kind !== 'dns' || !pkt.data.msg.response) return;
      onAnswer(pkt.data.msg);
    },
    onError: (info) => {
      if (info.type !== 3) return;
      onError(info.code === 3 ? 'ECONNREFUSED' : info.code === 0 ? 'ENETUNREACH' : 'EHOSTUNREACH');
    },
  });
  if ('error' in sock) return sock;
  return {
    send(id, qname, qtype) {
      const msg: DnsMessage = { id, response: false, qname, qtype, rcode: 0, answers: [] };
      const err = udpSend(sock, server, port, { kind: 'dns', msg }, { by: `${owner} (DNS query)` });
      return err ? err.errno : null;
    },
    close() {
      udpClose(sock);
    },
  };
}

/** A new query id from the world's seeded RNG. */
export function queryId(ns: Netns): number {
  return ns.world.rng.int(1, 65535);
}

/** Bytes a name takes on the wire, uncompressed. */
function nameLen(name: string): number {
  const n = name.replace(/\.$/, '');
  if (!n) return 1;
  return n.split('.').reduce((s, l) => s + l.length + 1, 0) + 1;
}

function rdataLen(r: DnsRecord, qname: string): number {
  switch (r.type) {
    case TYPE_A:
      return 4;
    case TYPE_AAAA:
      return 16;
    case TYPE_SRV:
      return 6 + nameLen(r.data.split(' ')[3] ?? '');
    default: {
      // a target name inside the question's name compresses to a pointer
      const d = r.data.replace(/\.$/, '').toLowerCase();
      const q = qname.replace(/\.$/, '').toLowerCase();
      if (d === q) return 2;
      if (q.endsWith(`.${d}`)) return 2;
      return nameLen(d);
    }
  }
}

/**
 * The answer's size on the wire (dig's MSG SIZE): with name compression and an EDNS OPT record,
 * or, for a `plain` message (Docker's embedded DNS), with neither.
 */
export function wireSize(m: DnsMessage, edns: boolean): number {
  let n = 12 + nameLen(m.qname) + 4;
  for (const r of m.answers) {
    if (m.plain) {
      n += nameLen(r.name) + 10 + (r.type === TYPE_A ? 4 : r.type === TYPE_AAAA ? 16 : nameLen(r.data));
      continue;
    }
    const owner = r.name.replace(/\.$/, '').toLowerCase() === m.qname.replace(/\.$/, '').toLowerCase() ? 2 : nameLen(r.name);
    n += owner + 10 + rdataLen(r, m.qname);
  }
  return n + (edns && !m.plain ? 11 : 0);
}

/** A record's data as the bind tools print it: names fully qualified. */
export function rdataText(r: DnsRecord): string {
  if (r.type === TYPE_A || r.type === TYPE_AAAA) return r.data;
  if (r.type === TYPE_SRV) {
    const parts = r.data.split(' ');
    const t = parts[3] ?? '';
    return [...parts.slice(0, 3), t.endsWith('.') ? t : `${t}.`].join(' ');
  }
  return r.data.endsWith('.') ? r.data : `${r.data}.`;
}

export function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}
