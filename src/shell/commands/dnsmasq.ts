/**
 * `dnsmasq` (2.89, as Debian 12 ships it), the small DNS server an office or a lab puts on a LAN:
 * it answers the names of its host's /etc/hosts (and of `addn-hosts` files, `host-record`s and
 * `address=/DOMAIN/ADDR` rules) and forwards everything else to the nameservers of its
 * /etc/resolv.conf (or the `server=` ones). Options come from the command line and from
 * /etc/dnsmasq.conf (or `--conf-file`), one `option=value` a line, as dnsmasq reads them. Files
 * are read once, at start, as dnsmasq does without a SIGHUP. Without `-d`/`-k` it goes to the
 * background and the prompt returns at once. DHCP, TFTP and the cache are not modelled.
 */
import type { Command, CommandContext } from '../context.ts';
import { formatIpv4, parseIpv4, type Ipv4 } from '../../sim/wire/addr.ts';
import type { DnsMessage, DnsRecord, Packet } from '../../sim/wire/packet.ts';
import type { UdpSocket } from '../../sim/transport/sockets.ts';
import { parseResolvConf, resolveRecords, TYPE_A, TYPE_PTR } from '../../sim/apps/dns.ts';
import { udpClose, udpOpen, udpSend } from '../../sim/transport/udp.ts';

const VERSION = 'Dnsmasq version 2.89  Copyright (c) 2000-2022 Simon Kelley';
const COMPILE = 'IPv6 GNU-getopt DBus no-UBus i18n IDN2 DHCP DHCPv6 no-Lua TFTP conntrack ipset nftset auth cryptohash DNSSEC loop-detect inotify dumpfile';

interface Config {
  noHosts: boolean;
  addnHosts: string[];
  noResolv: boolean;
  resolvFile: string;
  /** upstreams for every name */
  servers: Ipv4[];
  /** upstreams for a domain; an empty list makes the domain local (never forwarded) */
  domainServers: { domain: string; servers: Ipv4[] }[];
  /** `address=/DOMAIN/ADDR`: the domain and every name under it */
  addresses: { domain: string; addr: Ipv4 }[];
  hostRecords: { names: string[]; addr: Ipv4 }[];
  listen: Ipv4[];
  port: number;
  foreground: boolean;
  debug: boolean;
  logQueries: boolean;
  domainNeeded: boolean;
  confFile: string | null;
}

class OptionError extends Error {}

/** Short options and the long names they stand for. */
const SHORT: Record<string, string> = { d: 'no-daemon', k: 'keep-in-foreground', h: 'no-hosts', H: 'addn-hosts', R: 'no-resolv', r: 'resolv-file', S: 'server', A: 'address', a: 'listen-address', p: 'port', C: 'conf-file', q: 'log-queries', v: 'version' };
const FLAGS = new Set(['test', 'no-daemon', 'keep-in-foreground', 'no-hosts', 'no-resolv', 'log-queries', 'domain-needed', 'bogus-priv', 'bind-interfaces', 'bind-dynamic', 'strict-order', 'no-poll', 'expand-hosts', 'version', 'help']);
const VALUED = new Set(['addn-hosts', 'resolv-file', 'server', 'local', 'address', 'host-record', 'listen-address', 'port', 'conf-file', 'cache-size', 'interface', 'user', 'group', 'pid-file', 'domain']);

function domainOf(spec: string): { domains: string[]; rest: string } | null {
  // /dom1/dom2/REST
  const m = /^\/(.*)\/([^/]*)$/.exec(spec);
  if (!m) return null;
  return { domains: m[1].split('/').filter(Boolean).map((d) => d.toLowerCase()), rest: m[2] };
}

function apply(cfg: Config, name: string, value: string | undefined): void {
  const need = () => {
    if (value === undefined || value === '') throw new OptionError(`bad command line options: missing parameter`);
    return value;
  };
  const ip = (v: string) => {
    const a = parseIpv4(v.replace(/#\d+$/, ''));
    if (a === null) throw new OptionError(`bad address at line: ${v}`);
    return a;
  };
  switch (name) {
    case 'no-daemon':
      cfg.foreground = cfg.debug = true;
      return;
    case 'keep-in-foreground':
      cfg.foreground = true;
      return;
    case 'no-hosts':
      cfg.noHosts = true;
      return;
    case 'no-resolv':
      cfg.noResolv = true;
      return;
    case 'log-queries':
      cfg.logQueries = true;
      return;
    case 'domain-needed':
      cfg.domainNeeded = true;
      return;
    case 'addn-hosts':
      cfg.addnHosts.push(need());
      return;
    case 'resolv-file':
      cfg.resolvFile = need();
      return;
    case 'conf-file':
      cfg.confFile = need();
      return;
    case 'server':
    case 'local': {
      const v = need();
      const d = domainOf(v);
      if (d) {
        cfg.domainServers.push(...d.domains.map((domain) => ({ domain, servers: d.rest ? [ip(d.rest)] : [] })));
        return;
      }
      if (name === 'local') throw new OptionError(`bad address at line: ${v}`);
      cfg.servers.push(ip(v));
      return;
    }
    case 'address': {
      const d = domainOf(need());
      if (!d || !d.rest) throw new OptionError(`bad address at line: ${value}`);
      cfg.addresses.push(...d.domains.map((domain) => ({ domain, addr: ip(d.rest) })));
      return;
    }
    case 'host-record': {
      const parts = need().split(',');
      const addrs = parts.filter((p) => parseIpv4(p) !== null);
      const names = parts.filter((p) => parseIpv4(p) === null && !/^\d+$/.test(p)).map((n) => n.toLowerCase());
      if (!addrs.length || !names.length) throw new OptionError(`bad host-record at line: ${value}`);
      for (const a of addrs) cfg.hostRecords.push({ names, addr: ip(a) });
      return;
    }
    case 'listen-address':
      for (const a of need().split(',')) cfg.listen.push(ip(a));
      return;
    case 'port': {
      const n = Number(need());
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new OptionError(`bad port at line: ${value}`);
      cfg.port = n;
      return;
    }
    default:
      // accepted, with no effect on what the simulator models (cache size, user, pid file...)
      return;
  }
}

/** /etc/hosts-style text: the names of each IPv4 line. */
function hostsNames(text: string): { names: string[]; addr: Ipv4 }[] {
  const out: { names: string[]; addr: Ipv4 }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const [a, ...names] = line.split(/\s+/);
    const addr = parseIpv4(a);
    if (addr !== null && names.length) out.push({ names: names.map((n) => n.toLowerCase()), addr });
  }
  return out;
}

const under = (name: string, domain: string) => name === domain || name.endsWith(`.${domain}`);

export const dnsmasqCommand: Command = {
  name: 'dnsmasq',
  path: '/usr/sbin/dnsmasq',
  summary: 'a small DNS server: answers /etc/hosts, forwards the rest to /etc/resolv.conf',
  async run(ctx: CommandContext) {
    const cfg: Config = { noHosts: false, addnHosts: [], noResolv: false, resolvFile: '/etc/resolv.conf', servers: [], domainServers: [], addresses: [], hostRecords: [], listen: [], port: 53, foreground: false, debug: false, logQueries: false, domainNeeded: false, confFile: null };
    const fail = (msg: string, code: number) => {
      ctx.err(`dnsmasq: ${msg}\n`);
      return code;
    };
    // the command line first (it may name the configuration file), then the file
    const args = ctx.argv.slice(1);
    const given: [string, string | undefined][] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      let name: string;
      let value: string | undefined;
      if (a.startsWith('--')) {
        const eq = a.indexOf('=');
        name = eq < 0 ? a.slice(2) : a.slice(2, eq);
        value = eq < 0 ? undefined : a.slice(eq + 1);
        if (!FLAGS.has(name) && !VALUED.has(name)) {
          ctx.err(`dnsmasq: unrecognized option '${a}'\n`);
          return fail('bad command line options: try --help', 1);
        }
        if (VALUED.has(name) && value === undefined) value = args[++i];
      } else if (/^-[a-zA-Z]/.test(a)) {
        const long = SHORT[a[1]];
        if (!long) {
          ctx.err(`dnsmasq: invalid option -- '${a[1]}'\n`);
          return fail('bad command line options: try --help', 1);
        }
        name = long;
        if (VALUED.has(long)) value = a.length > 2 ? a.slice(2) : args[++i];
      } else return fail(`bad command line options: try --help`, 1);
      given.push([name, value]);
    }
    if (given.some(([n]) => n === 'version')) {
      ctx.out(`${VERSION}\nCompile time options: ${COMPILE}\n\nThis software comes with ABSOLUTELY NO WARRANTY.\nDnsmasq is free software, and you are welcome to redistribute it\nunder the terms of the GNU General Public License, version 2 or 3.\n`);
      return 0;
    }
    try {
      for (const [n, v] of given) apply(cfg, n, v);
      const confPath = cfg.confFile ?? '/etc/dnsmasq.conf';
      const conf = ctx.readFile(confPath);
      if (conf.ok) {
        for (const [i, raw] of conf.data.split('\n').entries()) {
          const line = raw.trim();
          if (!line || line.startsWith('#')) continue;
          const eq = line.indexOf('=');
          const name = eq < 0 ? line : line.slice(0, eq).trim();
          if (!FLAGS.has(name) && !VALUED.has(name)) return fail(`bad option at line ${i + 1} of ${confPath}`, 1);
          apply(cfg, name, eq < 0 ? undefined : line.slice(eq + 1).trim());
        }
      } else if (cfg.confFile !== null) return fail(`cannot read ${confPath}: No such file or directory`, 3);
    } catch (e) {
      if (e instanceof OptionError) return fail(e.message, 1);
      throw e;
    }
    if (given.some(([n]) => n === 'test')) {
      ctx.out('dnsmasq: syntax check OK.\n');
      return 0;
    }

    // what it knows, read once at start
    const local: { names: string[]; addr: Ipv4 }[] = [...cfg.hostRecords];
    const log: string[] = [];
    if (!cfg.noHosts) {
      const h = ctx.readFile('/etc/hosts');
      if (h.ok) {
        const recs = hostsNames(h.data);
        local.push(...recs);
        log.push(`read /etc/hosts - ${recs.reduce((n, r) => n + r.names.length, 0)} names`);
      }
    }
    for (const f of cfg.addnHosts) {
      const h = ctx.readFile(f);
      if (!h.ok) {
        log.push(`failed to load names from ${f}: No such file or directory`);
        continue;
      }
      const recs = hostsNames(h.data);
      local.push(...recs);
      log.push(`read ${f} - ${recs.reduce((n, r) => n + r.names.length, 0)} names`);
    }
    const upstream = [...cfg.servers];
    const startLog: string[] = [];
    for (const d of cfg.domainServers) startLog.push(d.servers.length ? `using nameserver ${formatIpv4(d.servers[0])}#53 for domain ${d.domain}` : `using only locally-known addresses for ${d.domain}`);
    for (const s of cfg.servers) startLog.push(`using nameserver ${formatIpv4(s)}#53`);
    if (!cfg.noResolv) {
      const r = ctx.readFile(cfg.resolvFile);
      startLog.push(`reading ${cfg.resolvFile}`);
      if (r.ok) {
        for (const s of parseResolvConf(r.data).servers) {
          upstream.push(s);
          startLog.push(`using nameserver ${formatIpv4(s)}#53`);
        }
      }
    }

    const ns = ctx.ns;
    const sockets: UdpSocket[] = [];
    const owner = 'dnsmasq';
    const reportQuery = (text: string) => {
      if (cfg.logQueries && cfg.debug) ctx.err(`dnsmasq: ${text}\n`);
    };
    const onQuery = (sock: UdpSocket, from: { addr: Ipv4; port: number }, pkt: Packet) => {
      if (pkt.data?.kind !== 'dns' || pkt.data.msg.response) return;
      const q = pkt.data.msg;
      const name = q.qname.toLowerCase().replace(/\.$/, '');
      const answer = (answers: DnsRecord[] | null, rcode = answers === null ? 3 : 0, authoritative = false) => {
        const msg: DnsMessage = { id: q.id, response: true, qname: q.qname, qtype: q.qtype, rcode, answers: answers ?? [], recursionAvailable: true, authoritative };
        if (!sock.closed) udpSend(sock, from.addr, from.port, { kind: 'dns', msg }, { by: 'dnsmasq (DNS answer)' });
      };
      reportQuery(`query[${q.qtype === TYPE_A ? 'A' : q.qtype === 28 ? 'AAAA' : q.qtype === TYPE_PTR ? 'PTR' : `type=${q.qtype}`}] ${name} from ${formatIpv4(from.addr)}`);
      if (q.qtype === TYPE_PTR) {
        const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(name);
        const ip = m ? parseIpv4(`${m[4]}.${m[3]}.${m[2]}.${m[1]}`) : null;
        const rec = ip !== null ? local.find((r) => r.addr === ip) : undefined;
        if (rec) {
          answer([{ name, type: TYPE_PTR, ttl: 0, data: rec.names[0] }], 0, true);
          return;
        }
      } else {
        const rule = cfg.addresses.filter((a) => under(name, a.domain)).sort((a, b) => b.domain.length - a.domain.length)[0];
        const hits = rule ? [rule.addr] : local.filter((r) => r.names.includes(name)).map((r) => r.addr);
        if (hits.length) {
          // names from its own files and rules are answered with the AA flag
          answer(q.qtype === TYPE_A ? hits.map((a) => ({ name, type: TYPE_A, ttl: 0, data: formatIpv4(a) })) : [], 0, true);
          return;
        }
      }
      const dom = cfg.domainServers.filter((d) => under(name, d.domain)).sort((a, b) => b.domain.length - a.domain.length)[0];
      const servers = dom ? dom.servers : upstream;
      if ((dom && !dom.servers.length) || (cfg.domainNeeded && !name.includes('.'))) {
        answer(null);
        return;
      }
      if (!servers.length) {
        answer([], 5);
        return;
      }
      reportQuery(`forwarded ${name} to ${formatIpv4(servers[0])}`);
      resolveRecords(ns, servers, q.qname, q.qtype, (r) => answer(r.kind === 'ok' ? r.records : r.kind === 'nxdomain' ? null : [], r.kind === 'ok' ? 0 : r.kind === 'nxdomain' ? 3 : 2));
    };
    if (cfg.port !== 0) {
      for (const addr of cfg.listen.length ? cfg.listen : [0]) {
        const sock: UdpSocket | { error: string } = udpOpen(ns, { addr, port: cfg.port, owner, onRecv: (_t, f, p) => onQuery(sock as UdpSocket, f, p) });
        if ('error' in sock) {
          for (const s of sockets) udpClose(s);
          return fail(`failed to create listening socket for ${addr ? `${formatIpv4(addr)}` : 'port'} ${addr ? `port ${cfg.port}` : cfg.port}: ${sock.error === 'EADDRINUSE' ? 'Address already in use' : 'Cannot assign requested address'}`, 2);
        }
        sockets.push(sock);
      }
    }
    if (cfg.debug) {
      ctx.err(`dnsmasq: started, version 2.89 cachesize 150\ndnsmasq: compile time options: ${COMPILE}\n`);
      for (const l of [...startLog, ...log]) ctx.err(`dnsmasq: ${l}\n`);
    }
    let alive = true;
    const daemon = {
      name: 'dnsmasq',
      kill() {
        alive = false;
        for (const s of sockets) udpClose(s);
      },
      get alive() {
        return alive;
      },
    };
    if (!cfg.foreground || ctx.background) {
      // it forks into the background: the shell gets its prompt back
      ctx.spawn(daemon);
      return 0;
    }
    await ctx.wait(() => !alive, Infinity);
    daemon.kill();
    return 0;
  },
};
