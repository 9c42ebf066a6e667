/**
 * DNS over simulated UDP: a small authoritative/recursive server (the LAN router's resolver, later
 * Docker's embedded DNS and CoreDNS) and the stub resolver a process uses (glibc getaddrinfo:
 * /etc/hosts first, then the nameservers of /etc/resolv.conf, A and AAAA queries in parallel,
 * timeout 5 s, 2 attempts).
 */
import { SECOND } from '../engine/scheduler.ts';
import { formatIpv4, parseIpv4, type Ipv4 } from '../wire/addr.ts';
import type { DnsMessage, DnsRecord } from '../wire/packet.ts';
import type { Netns } from '../net/model.ts';
import { udpClose, udpOpen, udpSend } from '../transport/udp.ts';
import type { UdpSocket } from '../transport/sockets.ts';

export const TYPE_A = 1;
export const TYPE_CNAME = 5;
export const TYPE_PTR = 12;
export const TYPE_AAAA = 28;
export const TYPE_SRV = 33;

/** What a DNS server knows. `lookup` returns records, or null for NXDOMAIN. */
export interface Zone {
  lookup(name: string, qtype: number): DnsRecord[] | null;
}

/** A static zone: name → IPv4 addresses; PTR records are derived. */
export class StaticZone implements Zone {
  readonly names = new Map<string, Ipv4[]>();
  readonly cnames = new Map<string, string>();

  add(name: string, ...addrs: Ipv4[]): this {
    const key = name.toLowerCase().replace(/\.$/, '');
    this.names.set(key, [...(this.names.get(key) ?? []), ...addrs]);
    return this;
  }

  lookup(name: string, qtype: number): DnsRecord[] | null {
    const key = name.toLowerCase().replace(/\.$/, '');
    if (qtype === TYPE_PTR) {
      const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(key);
      if (m) {
        const ip = parseIpv4(`${m[4]}.${m[3]}.${m[2]}.${m[1]}`);
        for (const [n, addrs] of this.names) if (ip !== null && addrs.includes(ip)) return [{ name: key, type: TYPE_PTR, ttl: 300, data: n }];
      }
      return null;
    }
    const alias = this.cnames.get(key);
    if (alias) {
      const target = this.lookup(alias, qtype) ?? [];
      return [{ name: key, type: TYPE_CNAME, ttl: 300, data: alias }, ...target];
    }
    const addrs = this.names.get(key);
    if (!addrs) return null;
    if (qtype === TYPE_A) return addrs.map((a) => ({ name: key, type: TYPE_A, ttl: 300, data: formatIpv4(a) }));
    return [];
  }
}

export interface DnsServerOptions {
  readonly addr?: Ipv4;
  readonly port?: number;
  readonly owner?: string;
  /** servers to ask when the zone has no answer (a forwarding resolver) */
  readonly forwarders?: readonly Ipv4[];
  readonly recursionAvailable?: boolean;
}

/** Start a DNS server in a namespace. Returns its socket, or an errno. */
export function startDnsServer(ns: Netns, zone: Zone, o: DnsServerOptions = {}): UdpSocket | { error: string } {
  const sock = udpOpen(ns, {
    addr: o.addr ?? 0,
    port: o.port ?? 53,
    owner: o.owner ?? 'dnsmasq',
    onRecv: (_text, from, pkt) => {
      if (pkt.data?.kind !== 'dns' || pkt.data.msg.response) return;
      const q = pkt.data.msg;
      const answer = (answers: DnsRecord[] | null) => {
        const msg: DnsMessage = {
          id: q.id,
          response: true,
          qname: q.qname,
          qtype: q.qtype,
          rcode: answers === null ? 3 : 0,
          answers: answers ?? [],
          recursionAvailable: o.recursionAvailable ?? true,
        };
        if (!('error' in sock)) udpSend(sock, from.addr, from.port, { kind: 'dns', msg }, { by: `${o.owner ?? 'dnsmasq'} (DNS answer)` });
      };
      const local = zone.lookup(q.qname, q.qtype);
      if (local !== null || !o.forwarders?.length) {
        answer(local);
        return;
      }
      // forward to upstream and relay the answer
      resolveRecords(ns, o.forwarders, q.qname, q.qtype, (r) => answer(r.kind === 'ok' ? r.records : r.kind === 'nxdomain' ? null : []));
    },
  });
  return sock;
}

export type QueryResult = { kind: 'ok'; records: DnsRecord[]; authoritative?: boolean } | { kind: 'nxdomain' } | { kind: 'timeout' } | { kind: 'unreachable'; errno: string };

/**
 * Send one query to the first nameserver, retrying on timeout (5 s, 2 attempts per server).
 * `done` runs (from inside the simulation, in virtual time) with the server's answer.
 */
export function resolveRecords(ns: Netns, servers: readonly Ipv4[], qname: string, qtype: number, done: (r: QueryResult) => void, timeout = 5 * SECOND, attempts = 2): void {
  {
    const resolve = done;
    let settled = false;
    let lastErr: string | null = null;
    const order: Ipv4[] = [];
    for (let a = 0; a < attempts; a++) order.push(...servers);
    let i = 0;
    const id = ns.world.rng.int(1, 65535);
    let timer: { cancel(): void } | null = null;
    const sock = udpOpen(ns, {
      owner: 'resolver',
      onRecv: (_t, _from, pkt) => {
        if (settled || pkt.data?.kind !== 'dns' || !pkt.data.msg.response || pkt.data.msg.id !== id) return;
        finish(pkt.data.msg.rcode === 3 ? { kind: 'nxdomain' } : { kind: 'ok', records: [...pkt.data.msg.answers], authoritative: pkt.data.msg.authoritative });
      },
      onError: () => {
        // ICMP port unreachable: try the next server at once
        timer?.cancel();
        next();
      },
    });
    if ('error' in sock) {
      resolve({ kind: 'unreachable', errno: sock.error });
      return;
    }
    const finish = (r: QueryResult) => {
      if (settled) return;
      settled = true;
      timer?.cancel();
      udpClose(sock);
      resolve(r);
    };
    const next = () => {
      if (settled) return;
      if (i >= order.length) {
        finish(lastErr ? { kind: 'unreachable', errno: lastErr } : { kind: 'timeout' });
        return;
      }
      const server = order[i++];
      const msg: DnsMessage = { id, response: false, qname, qtype, rcode: 0, answers: [] };
      const err = udpSend(sock, server, 53, { kind: 'dns', msg }, { by: 'resolver (DNS query)' });
      if (err) {
        lastErr = err.errno;
        next();
        return;
      }
      timer = ns.world.sched.after(timeout, next);
    };
    next();
  }
}

/** /etc/resolv.conf → nameserver addresses and search domains. */
export function parseResolvConf(text: string): { servers: Ipv4[]; search: string[]; ndots: number } {
  const servers: Ipv4[] = [];
  let search: string[] = [];
  let ndots = 1;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...vals] = line.split(/\s+/);
    if (key === 'nameserver' && vals[0]) {
      const ip = parseIpv4(vals[0]);
      if (ip !== null && servers.length < 3) servers.push(ip);
    } else if (key === 'search' || key === 'domain') search = vals;
    else if (key === 'options') {
      for (const v of vals) {
        const m = /^ndots:(\d+)$/.exec(v);
        if (m) ndots = Number(m[1]);
      }
    }
  }
  return { servers, search, ndots };
}

/** Look a name up in an /etc/hosts text. */
export function hostsLookup(text: string, name: string): Ipv4 | null {
  const want = name.toLowerCase();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const [addr, ...names] = line.split(/\s+/);
    const ip = parseIpv4(addr);
    if (ip === null) continue;
    if (names.some((n) => n.toLowerCase() === want)) return ip;
  }
  return null;
}

export type AddrInfo = { ok: true; addr: Ipv4; canonical: string } | { ok: false; error: 'NONAME' | 'AGAIN' | 'NODATA' };

/**
 * getaddrinfo for IPv4: literal addresses, /etc/hosts, then DNS with the search list.
 * `files` reads a file of the calling process's view (resolv.conf, hosts); `done` runs in virtual
 * time with the answer.
 */
export function getaddrinfo(ns: Netns, name: string, files: (path: string) => string | null, done: (r: AddrInfo) => void): void {
  const lit = parseIpv4(name);
  if (lit !== null) return done({ ok: true, addr: lit, canonical: name });
  if (name === '' || name.length > 253) return done({ ok: false, error: 'NONAME' });
  const hosts = files('/etc/hosts');
  if (hosts !== null) {
    const h = hostsLookup(hosts, name);
    if (h !== null) return done({ ok: true, addr: h, canonical: name });
  }
  const conf = parseResolvConf(files('/etc/resolv.conf') ?? '');
  const servers = conf.servers.length ? conf.servers : [0x7f000001];
  const dots = (name.match(/\./g) ?? []).length;
  const candidates: string[] = [];
  if (name.endsWith('.')) candidates.push(name.slice(0, -1));
  else {
    if (dots >= conf.ndots) candidates.push(name);
    for (const s of conf.search) candidates.push(`${name}.${s}`);
    if (dots < conf.ndots) candidates.push(name);
  }
  let sawNx = false;
  let sawNoData = false;
  const tryNext = (k: number) => {
    if (k >= candidates.length) {
      if (sawNx || sawNoData) return done({ ok: false, error: sawNoData && !sawNx ? 'NODATA' : 'NONAME' });
      return done({ ok: false, error: 'AGAIN' });
    }
    const cand = candidates[k];
    // glibc sends A and AAAA together and waits for both answers
    let a: QueryResult | null = null;
    let aaaa: QueryResult | null = null;
    const both = () => {
      if (!a || !aaaa) return;
      if (a.kind === 'ok') {
        const rec = a.records.find((r) => r.type === TYPE_A);
        if (rec) return done({ ok: true, addr: parseIpv4(rec.data)!, canonical: cand });
        sawNoData = true;
        return tryNext(k + 1);
      }
      if (a.kind === 'nxdomain') {
        sawNx = true;
        return tryNext(k + 1);
      }
      return done({ ok: false, error: 'AGAIN' });
    };
    resolveRecords(ns, servers, cand, TYPE_A, (r) => {
      a = r;
      both();
    });
    resolveRecords(ns, servers, cand, TYPE_AAAA, (r) => {
      aaaa = r;
      both();
    });
  };
  tryNext(0);
}

/** The text gai_strerror gives. */
export function gaiError(e: 'NONAME' | 'AGAIN' | 'NODATA'): string {
  if (e === 'AGAIN') return 'Temporary failure in name resolution';
  if (e === 'NODATA') return 'No address associated with hostname';
  return 'Name or service not known';
}
