/**
 * Docker's embedded DNS server (libnetwork resolver.go): in every container attached to a
 * user-defined network, dockerd listens on 127.0.0.11 at two random ports inside the
 * container's namespace, and NAT rules there make it answer on port 53.
 *
 * It answers, for the networks the asking container shares with them, container names, network
 * aliases (Compose service names), short container ids and `name.network`; several containers
 * with one alias all answer (round robin). Names it does not know it forwards to the upstreams
 * it was given when Docker wrote the container's resolv.conf (the ExtServers line): the host's
 * nameservers, asked from the host's namespace, or the `--dns` servers, asked from the
 * container's, whatever the container later does to its resolv.conf. The default bridge network
 * has no embedded DNS at all.
 */
import { formatIpv4, parseIpv4, type Ipv4 } from '../wire/addr.ts';
import { SECOND } from '../engine/scheduler.ts';
import type { DnsMessage, DnsRecord } from '../wire/packet.ts';
import { resolveRecords, TYPE_A, TYPE_PTR } from '../apps/dns.ts';
import { udpClose, udpOpen, udpSend } from '../transport/udp.ts';
import { tcpListen } from '../transport/tcp.ts';
import { addResolverRules } from './firewall.ts';
import type { Container, DockerEngine } from './engine.ts';
import { serviceLookup } from './swarm.ts';

export interface EmbeddedDns {
  readonly udpPort: number;
  readonly tcpPort: number;
  stop(): void;
}

const RESOLVER_ADDR = parseIpv4('127.0.0.11')!;

/** What the embedded server knows for `name`, as seen from container `c`. */
export function embeddedLookup(engine: DockerEngine, c: Container, name: string, qtype: number): DnsRecord[] | null | 'forward' {
  const q = name.toLowerCase().replace(/\.$/, '');
  if (qtype === TYPE_PTR) {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(q);
    const ip = m ? parseIpv4(`${m[4]}.${m[3]}.${m[2]}.${m[1]}`) : null;
    if (ip === null) return 'forward';
    for (const own of c.endpoints.values()) {
      if (own.network.isDefaultBridge) continue;
      for (const ep of own.network.endpoints.values()) {
        if (ep.ip === ip) return [{ name: q, type: TYPE_PTR, ttl: 600, data: `${ep.container.name}.${own.network.name}` }];
      }
    }
    return 'forward';
  }
  const found: Ipv4[] = [];
  if (engine.swarm) {
    const svc = serviceLookup(engine.swarm, [...c.endpoints.keys()], q);
    if (svc) return qtype === TYPE_A ? svc.map((ip) => ({ name: q, type: TYPE_A, ttl: 600, data: formatIpv4(ip) })) : [];
  }
  for (const own of c.endpoints.values()) {
    const net = own.network;
    if (net.isDefaultBridge) continue;
    const suffix = `.${net.name.toLowerCase()}`;
    const bare = q.endsWith(suffix) ? q.slice(0, -suffix.length) : null;
    for (const ep of net.endpoints.values()) {
      if (ep.ip === null || ep.container.state !== 'running') continue;
      const names = ep.dnsNames.map((n) => n.toLowerCase());
      if (names.includes(q) || (bare !== null && names.includes(bare))) found.push(ep.ip);
    }
    if (found.length) break;
  }
  if (!found.length) return 'forward';
  if (qtype !== TYPE_A) return [];
  return found.map((ip) => ({ name: q, type: TYPE_A, ttl: 600, data: formatIpv4(ip) }));
}

export function startEmbeddedDns(c: Container, engine: DockerEngine): EmbeddedDns {
  const ns = c.netns!;
  const sock = udpOpen(ns, {
    addr: RESOLVER_ADDR,
    owner: 'dockerd',
    onRecv: (_text, from, pkt) => {
      if (pkt.data?.kind !== 'dns' || pkt.data.msg.response) return;
      const q = pkt.data.msg;
      // its own answers (and its SERVFAIL) are built by miekg/dns without an OPT record and
      // written uncompressed; an upstream's answer is relayed with the upstream's OPT
      const reply = (answers: DnsRecord[] | null, rcode = answers === null ? 3 : 0, authoritative = false, plain = false) => {
        const msg: DnsMessage = { id: q.id, response: true, qname: q.qname, qtype: q.qtype, rcode, answers: answers ?? [], recursionAvailable: true, authoritative, ...(plain ? { plain } : {}) };
        if (!('error' in sock) && !sock.closed) udpSend(sock, from.addr, from.port, { kind: 'dns', msg }, { by: 'dockerd (embedded DNS answer)' });
      };
      const local = embeddedLookup(engine, c, q.qname, q.qtype);
      if (local !== 'forward') {
        reply(local, 0, false, true);
        return;
      }
      // forward to the upstream servers (at most three, each tried once, 4 s each): those read
      // from the host's resolv.conf from the host's namespace, those given with --dns from the
      // container's own (resolver.go dialExtDNS)
      const servers = c.extDns.slice(0, 3);
      const tryServer = (i: number) => {
        if (i >= servers.length) {
          reply([], 2, false, true);
          return;
        }
        const ext = servers[i];
        resolveRecords(ext.hostLoopback ? engine.ns : ns, [ext.addr], q.qname, q.qtype, (r) => {
          // the upstream's answer is relayed as it came (its AA flag too)
          if (r.kind === 'ok') reply(r.records, 0, !!r.authoritative);
          else if (r.kind === 'nxdomain') reply(null);
          else tryServer(i + 1);
        }, 4 * SECOND, 1);
      };
      tryServer(0);
    },
  });
  if ('error' in sock) throw new Error(`embedded DNS: ${sock.error}`);
  const tcp = tcpListen(ns, RESOLVER_ADDR, ns.sockets.ephemeralPort('tcp', RESOLVER_ADDR), 128, 'dockerd', 1, (conn) => conn.close());
  const tcpPort = 'error' in tcp ? 0 : tcp.port;
  addResolverRules(ns, sock.port, tcpPort);
  return {
    udpPort: sock.port,
    tcpPort,
    stop: () => {
      udpClose(sock);
      if (!('error' in tcp)) tcp.close();
    },
  };
}
