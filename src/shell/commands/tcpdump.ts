/**
 * `tcpdump` (4.99.3): print the packets that cross an interface, in tcpdump's line format, with
 * a subset of its filter language (host, net, port, src/dst, tcp/udp/icmp/arp/ip, and/or/not).
 *
 * Simulator behaviour: every interface keeps a record of the frames that crossed it. A
 * foreground tcpdump first prints the frames recorded since the last tcpdump on that interface,
 * then keeps capturing while virtual time passes, until -c is reached or Ctrl+C (a script is
 * interrupted as soon as nothing else can happen). In the background (`tcpdump ... &`) it prints
 * frames live, as the real one does. See docs/support-matrix.md.
 */
import type { Command, CommandContext } from '../context.ts';
import { timeOfDay } from '../../sim/engine/clock.ts';
import { formatIpv4, inPrefix, parseCidr, parseIpv4, type Ipv4 } from '../../sim/wire/addr.ts';
import { ICMP_DEST_UNREACH, ICMP_ECHO, ICMP_ECHOREPLY, ICMP_TIME_EXCEEDED, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, type Packet } from '../../sim/wire/packet.ts';
import type { CapturedFrame, Link } from '../../sim/net/model.ts';
import { serviceName, servicePort } from '../../sim/data/services.ts';
import { hostsLookup } from './net-util.ts';

// ---- filter expressions ------------------------------------------------------------------------

type Pred = (p: Packet) => boolean;

class FilterError extends Error {}

function parseFilter(words: string[]): Pred {
  const toks = words.flatMap((w) => w.replace(/\(/g, ' ( ').replace(/\)/g, ' ) ').split(/\s+/)).filter(Boolean);
  let i = 0;
  const peek = () => toks[i];
  const next = () => toks[i++];
  const expect = (t: string) => {
    if (next() !== t) throw new FilterError('syntax error');
  };
  const ipOf = (p: Packet): Packet['ip'] => p.ip ?? (p.arp ? ({ src: p.arp.spa, dst: p.arp.tpa } as Packet['ip']) : undefined);
  const ports = (p: Packet): [number, number] | null => (p.tcp ? [p.tcp.sport, p.tcp.dport] : p.udp ? [p.udp.sport, p.udp.dport] : null);
  const primary = (): Pred => {
    const t = next();
    if (t === undefined) throw new FilterError('syntax error');
    if (t === '(') {
      const e = or();
      expect(')');
      return e;
    }
    if (t === 'not' || t === '!') {
      const e = primary();
      return (p) => !e(p);
    }
    let dir: 'src' | 'dst' | null = null;
    let word = t;
    if (word === 'src' || word === 'dst') {
      dir = word;
      word = next() ?? '';
      if (word === 'or' || word === 'and') {
        // "src or dst" is the default; "src and dst" needs both
        word = next() ?? '';
      }
    }
    const addrTest = (test: (a: Ipv4) => boolean): Pred => (p) => {
      const ip = ipOf(p);
      if (!ip) return false;
      if (dir === 'src') return test(ip.src);
      if (dir === 'dst') return test(ip.dst);
      return test(ip.src) || test(ip.dst);
    };
    switch (word) {
      case 'host': {
        const v = next() ?? '';
        const a = parseIpv4(v);
        if (a === null) throw new FilterError(`unknown host '${v}'`);
        return addrTest((x) => x === a);
      }
      case 'net': {
        const v = next() ?? '';
        const c = parseCidr(v, 32);
        if (!c) throw new FilterError(`invalid net '${v}'`);
        return addrTest((x) => inPrefix(x, c.addr, c.len));
      }
      case 'port':
      case 'portrange': {
        const v = next() ?? '';
        let lo: number;
        let hi: number;
        if (word === 'portrange') {
          const [a, b] = v.split('-').map(Number);
          lo = a;
          hi = b;
        } else {
          const n = /^\d+$/.test(v) ? Number(v) : (servicePort(v, 'tcp') ?? servicePort(v, 'udp'));
          if (n === undefined) throw new FilterError(`unknown port '${v}'`);
          lo = hi = n;
        }
        const inR = (x: number) => x >= lo && x <= hi;
        return (p) => {
          const ps = ports(p);
          if (!ps) return false;
          if (dir === 'src') return inR(ps[0]);
          if (dir === 'dst') return inR(ps[1]);
          return inR(ps[0]) || inR(ps[1]);
        };
      }
      case 'tcp':
      case 'udp':
      case 'icmp': {
        const want = word;
        if (peek() === 'port' || (peek() === 'src' || peek() === 'dst')) {
          const rest = primary();
          return (p) => !!p[want] && rest(p);
        }
        return (p) => (want === 'icmp' ? !!p.icmp && !!p.ip && p.ip.fragOffset === 0 : !!p[want]);
      }
      case 'arp':
        return (p) => !!p.arp;
      case 'ip':
        return (p) => !!p.ip;
      case 'ip6':
        return () => false;
      case 'vxlan':
        return (p) => !!p.vxlan;
      case 'ether': {
        const kind = next();
        const v = next() ?? '';
        if (kind !== 'host' && kind !== 'src' && kind !== 'dst') throw new FilterError('syntax error');
        const mac = v.toLowerCase();
        return (p) => !!p.eth && (kind === 'src' ? p.eth.src === mac : kind === 'dst' ? p.eth.dst === mac : p.eth.src === mac || p.eth.dst === mac);
      }
      default: {
        // a bare address means "host ADDR"
        const a = parseIpv4(word);
        if (a !== null) return addrTest((x) => x === a);
        throw new FilterError('syntax error');
      }
    }
  };
  const and = (): Pred => {
    let left = primary();
    while (peek() === 'and' || peek() === '&&' || (peek() !== undefined && peek() !== 'or' && peek() !== '||' && peek() !== ')')) {
      if (peek() === 'and' || peek() === '&&') next();
      const right = primary();
      const l = left;
      left = (p) => l(p) && right(p);
    }
    return left;
  };
  const or = (): Pred => {
    let left = and();
    while (peek() === 'or' || peek() === '||') {
      next();
      const right = and();
      const l = left;
      left = (p) => l(p) || right(p);
    }
    return left;
  };
  if (!toks.length) return () => true;
  const e = or();
  if (i < toks.length) throw new FilterError('syntax error');
  return e;
}

// ---- printing ------------------------------------------------------------------------------------

interface PrintOpts {
  numeric: boolean;
  ether: boolean;
  verbose: boolean;
  quiet: boolean;
  ascii: boolean;
  noTime: boolean;
  any: boolean;
}

/** Relative TCP sequence numbers: the ISN of each direction, learned from its SYN. */
type SeqState = Map<string, number>;

function flagText(f: number): string {
  let s = '';
  if (f & TCP_SYN) s += 'S';
  if (f & TCP_FIN) s += 'F';
  if (f & TCP_RST) s += 'R';
  if (f & TCP_PSH) s += 'P';
  if (f & TCP_ACK) s += '.';
  return s || 'none';
}

function icmpLine(p: Packet): string {
  const i = p.icmp!;
  const len = p.ip!.totalLength - 20;
  if (i.type === ICMP_ECHO) return `ICMP echo request, id ${i.id}, seq ${i.seq}, length ${len}`;
  if (i.type === ICMP_ECHOREPLY) return `ICMP echo reply, id ${i.id}, seq ${i.seq}, length ${len}`;
  if (i.type === ICMP_TIME_EXCEEDED) return `ICMP time exceeded in-transit, length ${len}`;
  if (i.type === ICMP_DEST_UNREACH && i.original?.ip) {
    const o = i.original;
    const dst = formatIpv4(o.ip!.dst);
    switch (i.code) {
      case 0:
        return `ICMP net ${dst} unreachable, length ${len}`;
      case 1:
        return `ICMP host ${dst} unreachable, length ${len}`;
      case 2:
        return `ICMP ${dst} protocol ${o.ip!.proto} unreachable, length ${len}`;
      case 3:
        return `ICMP ${dst} ${o.tcp ? 'tcp' : 'udp'} port ${o.tcp ? o.tcp.dport : (o.udp?.dport ?? 0)} unreachable, length ${len}`;
      case 4:
        return `ICMP ${dst} unreachable - need to frag (mtu ${i.mtu}), length ${len}`;
      case 9:
      case 10:
        return `ICMP ${i.code === 9 ? 'net' : 'host'} ${dst} unreachable - admin prohibited, length ${len}`;
      case 13:
        return `ICMP host ${dst} unreachable - admin prohibited filter, length ${len}`;
      default:
        return `ICMP ${dst} unreachable - code ${i.code}, length ${len}`;
    }
  }
  return `ICMP type-#${i.type}, length ${len}`;
}

function dnsLine(p: Packet): string | null {
  if (p.data?.kind !== 'dns') return null;
  const m = p.data.msg;
  const types: Record<number, string> = { 1: 'A', 28: 'AAAA', 12: 'PTR', 5: 'CNAME', 33: 'SRV' };
  const size = p.payloadLen;
  if (!m.response) return `${m.id}+ ${types[m.qtype] ?? m.qtype}? ${m.qname}. (${size})`;
  const rcode = m.rcode === 3 ? ' NXDomain' : m.rcode === 2 ? ' ServFail' : m.rcode === 5 ? ' Refused' : '';
  const ans = m.answers.map((a) => ` ${types[a.type] ?? a.type} ${a.type === 5 || a.type === 12 ? `${a.data}.` : a.data}`).join(',');
  return `${m.id}${m.authoritative ? '*' : ''}${rcode} ${m.answers.length}/0/0${ans} (${size})`;
}

function hostName(ip: Ipv4, o: PrintOpts, hosts: string | null): string {
  const a = formatIpv4(ip);
  if (o.numeric || !hosts) return a;
  for (const raw of hosts.split('\n')) {
    const [addr, name] = raw.replace(/#.*$/, '').trim().split(/\s+/);
    if (name && parseIpv4(addr) === ip && hostsLookup(hosts, name) === ip) return name;
  }
  return a;
}

function portName(port: number, proto: 'tcp' | 'udp', o: PrintOpts): string {
  if (o.numeric) return String(port);
  return serviceName(port, proto) ?? String(port);
}

/** The text after the link-layer part for one packet (no timestamp). */
function packetBody(p: Packet, t: number, o: PrintOpts, seqs: SeqState, hosts: string | null): string {
  if (p.arp) {
    const a = p.arp;
    if (a.op === 1) return `ARP, Request who-has ${hostName(a.tpa, o, hosts)} tell ${hostName(a.spa, o, hosts)}, length 28`;
    return `ARP, Reply ${hostName(a.spa, o, hosts)} is-at ${a.sha}, length 28`;
  }
  const ip = p.ip;
  if (!ip) return `unknown frame, length ${p.payloadLen}`;
  const src = hostName(ip.src, o, hosts);
  const dst = hostName(ip.dst, o, hosts);
  let head = 'IP ';
  if (o.verbose) {
    const flags = ip.df ? '[DF]' : ip.mf ? '[+]' : '[none]';
    const pname = ip.proto === 6 ? 'TCP (6)' : ip.proto === 17 ? 'UDP (17)' : ip.proto === 1 ? 'ICMP (1)' : `unknown (${ip.proto})`;
    head = `IP (tos 0x0, ttl ${ip.ttl}, id ${ip.id}, offset ${ip.fragOffset}, flags ${flags}, proto ${pname}, length ${ip.totalLength})\n    `;
  }
  if (ip.fragOffset > 0) return `${head}${src} > ${dst}: ip-proto-${ip.proto}`;
  if (p.tcp) {
    const tc = p.tcp;
    const sp = portName(tc.sport, 'tcp', o);
    const dp = portName(tc.dport, 'tcp', o);
    const key = `${ip.src}:${tc.sport}>${ip.dst}:${tc.dport}`;
    const back = `${ip.dst}:${tc.dport}>${ip.src}:${tc.sport}`;
    if (tc.flags & TCP_SYN) seqs.set(key, tc.seq);
    const isn = seqs.get(key);
    const peerIsn = seqs.get(back);
    let s = `${head}${src}.${sp} > ${dst}.${dp}: Flags [${flagText(tc.flags)}]`;
    if (o.quiet) return `${head}${src}.${sp} > ${dst}.${dp}: tcp ${p.payloadLen}`;
    const rel = (v: number, base: number | undefined) => (base === undefined ? v : (v - base) >>> 0);
    if (tc.flags & TCP_SYN) s += `, seq ${tc.seq}`;
    else if (p.payloadLen > 0) s += `, seq ${rel(tc.seq, isn)}:${rel(tc.seq, isn) + p.payloadLen}`;
    else if (tc.flags & (TCP_FIN | TCP_RST)) s += `, seq ${rel(tc.seq, isn)}`;
    if (tc.flags & TCP_ACK) s += `, ack ${tc.flags & TCP_SYN || tc.flags & TCP_RST ? tc.ack : rel(tc.ack, peerIsn)}`;
    s += `, win ${tc.window}`;
    const ts = tc.ts ?? { val: 0, ecr: 0 };
    if (tc.optLen === 20) s += `, options [mss ${tc.mss ?? 1460},sackOK,TS val ${ts.val} ecr ${ts.ecr},nop,wscale ${tc.wscale ?? 7}]`;
    else if (tc.optLen === 12) s += `, options [nop,nop,TS val ${ts.val} ecr ${ts.ecr}]`;
    s += `, length ${p.payloadLen}`;
    if (p.payloadLen > 0 && p.data?.kind === 'bytes') {
      const first = p.data.text.split('\r\n')[0];
      if (/^(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH) \S+ HTTP\/|^HTTP\/\d/.test(first)) s += `: HTTP: ${first}`;
      if (o.ascii) s += `\n${p.data.text.replace(/[^\x20-\x7e\n]/g, '.')}`;
    }
    return s;
  }
  if (p.udp) {
    const u = p.udp;
    const sp = portName(u.sport, 'udp', o);
    const dp = portName(u.dport, 'udp', o);
    let s = `${head}${src}.${sp} > ${dst}.${dp}: `;
    if (p.vxlan && p.inner && u.dport === 4789) {
      s += `VXLAN, flags [I] (0x08), vni ${p.vxlan.vni}\n`;
      s += frameText(p.inner, t, o, seqs, hosts);
      return s;
    }
    const dns = (u.sport === 53 || u.dport === 53) && dnsLine(p);
    if (dns) return s + dns;
    if (o.quiet) return `${s}UDP, length ${p.payloadLen}`;
    return `${s}UDP, length ${p.payloadLen}`;
  }
  if (p.icmp) return `${head}${src} > ${dst}: ${icmpLine(p)}`;
  return `${head}${src} > ${dst}: ip-proto-${ip.proto} ${ip.totalLength - 20}`;
}

/** One frame with its optional Ethernet part (-e), without a timestamp. */
function frameText(p: Packet, t: number, o: PrintOpts, seqs: SeqState, hosts: string | null): string {
  const body = packetBody(p, t, o, seqs, hosts);
  if (!o.ether || !p.eth) return body;
  const type = p.arp ? 'ARP (0x0806)' : 'IPv4 (0x0800)';
  const len = p.arp ? 42 : 14 + (p.ip ? p.ip.totalLength : 0);
  return `${p.eth.src} > ${p.eth.dst}, ethertype ${type}, length ${len}: ${body.replace(/^IP /, '').replace(/^ARP, /, '')}`;
}

export const tcpdumpCommand: Command = {
  name: 'tcpdump',
  path: '/usr/bin/tcpdump',
  summary: 'print the packets crossing an interface (tcpdump -i eth0 -n icmp)',
  async run(ctx) {
    const args = ctx.argv.slice(1);
    const o: PrintOpts = { numeric: false, ether: false, verbose: false, quiet: false, ascii: false, noTime: false, any: false };
    let iface: string | null = null;
    let count = Infinity;
    const expr: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-i' || a === '--interface') {
        iface = args[++i] ?? null;
        if (iface === null) return usage(ctx, "tcpdump: option requires an argument -- 'i'");
      } else if (a.startsWith('-i') && a.length > 2) iface = a.slice(2);
      else if (a === '-c') {
        const v = args[++i];
        if (!v || !/^\d+$/.test(v) || Number(v) < 1) {
          ctx.err(`tcpdump: invalid packet count ${v ?? ''}\n`);
          return 1;
        }
        count = Number(v);
      } else if (a === '-w' || a === '-r') {
        ctx.err(`tcpdump: ${a === '-w' ? 'writing' : 'reading'} capture files is not supported by the simulator; print packets instead\n`);
        return 1;
      } else if (a === '-s' || a === '-B' || a === '-G' || a === '-W' || a === '-y' || a === '-Q') i++;
      else if (a.startsWith('-') && a.length > 1 && !a.startsWith('--')) {
        // getopt bundles: `-nni eth0`, `-nc5`: an option that takes an argument ends the bundle
        // and takes the rest of it, or the next word
        const bundle = a.slice(1);
        let stop = false;
        for (let k = 0; k < bundle.length && !stop; k++) {
          const c = bundle[k];
          if ('icsBGWyQwr'.includes(c)) {
            const v = k + 1 < bundle.length ? bundle.slice(k + 1) : args[++i];
            stop = true;
            if (v === undefined) return usage(ctx, `tcpdump: option requires an argument -- '${c}'`);
            if (c === 'i') iface = v;
            else if (c === 'c') {
              if (!/^\d+$/.test(v) || Number(v) < 1) {
                ctx.err(`tcpdump: invalid packet count ${v}\n`);
                return 1;
              }
              count = Number(v);
            } else if (c === 'w' || c === 'r') {
              ctx.err(`tcpdump: ${c === 'w' ? 'writing' : 'reading'} capture files is not supported by the simulator; print packets instead\n`);
              return 1;
            }
            continue;
          }
          if (c === 'n') o.numeric = true;
          else if (c === 'e') o.ether = true;
          else if (c === 'v') o.verbose = true;
          else if (c === 'q') o.quiet = true;
          else if (c === 'A' || c === 'X' || c === 'x') o.ascii = true;
          else if (c === 't') o.noTime = true;
          else if (c === 'l' || c === 'U' || c === 'p' || c === 'K' || c === 'S' || c === 'N' || c === 'tt') continue;
          else if (c === 'D') {
            ctx.ns.allLinks().forEach((l, k) => ctx.out(`${k + 1}.${l.name} [${l.kind === 'loopback' ? 'Up, Running, Loopback' : l.adminUp ? 'Up, Running, Connected' : 'Down'}]\n`));
            ctx.out(`${ctx.ns.allLinks().length + 1}.any (Pseudo-device that captures on all interfaces) [Up, Running]\n`);
            return 0;
          } else {
            ctx.err(`tcpdump: invalid option -- '${c}'\n`);
            return usage(ctx, '');
          }
        }
      } else if (a === '--help' || a === '-h') return usage(ctx, '', 0);
      else if (a === '--version') {
        ctx.out('tcpdump version 4.99.3\nlibpcap version 1.10.3 (with TPACKET_V3)\nOpenSSL 3.0.15 3 Sep 2024\n');
        return 0;
      } else expr.push(a);
    }
    let pred: Pred;
    try {
      pred = parseFilter(expr);
    } catch (e) {
      ctx.err(`tcpdump: ${e instanceof FilterError && e.message !== 'syntax error' ? e.message : "can't parse filter expression: syntax error"}\n`);
      return 1;
    }
    const ns = ctx.ns;
    let links: Link[];
    if (iface === 'any') {
      o.any = true;
      links = ns.allLinks();
    } else {
      const l = iface !== null ? ns.linkByName(iface) : ns.allLinks().find((x) => x.kind !== 'loopback' && x.adminUp);
      if (!l) {
        if (iface === null) {
          ctx.err('tcpdump: no suitable device found\n');
          return 1;
        }
        ctx.err(`tcpdump: ${iface}: No such device exists\n(No such device exists)\n`);
        return 1;
      }
      if (!l.adminUp) {
        ctx.err(`tcpdump: ${l.name}: That device is not up\n`);
        return 1;
      }
      links = [l];
    }
    const linkType = o.any ? 'LINUX_SLL2 (Linux cooked v2)' : links[0].kind === 'loopback' ? 'EN10MB (Ethernet)' : 'EN10MB (Ethernet)';
    if (!o.verbose) ctx.err('tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n');
    ctx.err(`${o.verbose ? 'tcpdump: ' : ''}listening on ${o.any ? 'any' : links[0].name}, link-type ${linkType}, snapshot length 262144 bytes\n`);
    const hostsFile = ctx.readFile('/etc/hosts');
    const hosts = hostsFile.ok ? hostsFile.data : null;
    const seqs: SeqState = new Map();
    let shown = 0;
    let seen = 0;
    // stdout is block-buffered when it is not a terminal (no -l): packet lines come out at exit
    const buffered: string[] = [];
    const emit = (text: string) => {
      if (ctx.interactive || ctx.background) ctx.out(text);
      else buffered.push(text);
    };
    const show = (l: Link, f: CapturedFrame) => {
      if (shown >= count) return;
      seen++;
      if (!pred(f.packet)) return;
      shown++;
      const ts = o.noTime ? '' : `${timeOfDay(f.t)} `;
      const dirText = o.any ? `${l.name} ${f.dir === 'in' ? (f.packet.eth && f.packet.eth.dst === 'ff:ff:ff:ff:ff:ff' ? 'B  ' : 'In ') : 'Out'} ` : '';
      emit(`${ts}${dirText}${frameText(f.packet, f.t, o, seqs, hosts)}\n`);
    };
    // frames recorded since the last tcpdump on these interfaces
    const backlog: { l: Link; f: CapturedFrame }[] = [];
    for (const l of links) {
      for (let k = l.captureShown; k < l.capture.length; k++) backlog.push({ l, f: l.capture[k] });
      if (!ctx.background) l.captureShown = l.capture.length;
    }
    backlog.sort((a, b) => a.f.t - b.f.t);
    if (!ctx.background) for (const { l, f } of backlog) show(l, f);
    // then live capture
    const marks = links.map((l) => l.capture.length);
    const pump = () => {
      links.forEach((l, k) => {
        while (marks[k] < l.capture.length) show(l, l.capture[marks[k]++]);
        if (!ctx.background) l.captureShown = l.capture.length;
      });
    };
    const unsubscribe = ctx.world.trace.subscribe(() => pump());
    const finish = () => {
      unsubscribe();
      for (const b of buffered) ctx.out(b);
    };
    if (ctx.background) {
      let alive = true;
      ctx.spawn({
        name: 'tcpdump',
        kill() {
          alive = false;
          unsubscribe();
        },
        get alive() {
          return alive && shown < count;
        },
      });
      return 0;
    }
    await ctx.wait(() => shown >= count, Infinity);
    pump();
    if (ctx.interactive && shown < count) ctx.out('^C');
    const stats = `${ctx.interactive ? '\n' : ''}${shown} packet${shown === 1 ? '' : 's'} captured\n${seen} packet${seen === 1 ? '' : 's'} received by filter\n0 packets dropped by kernel\n`;
    // the real one prints its statistics (stderr) before flushing buffered packet lines
    if (!ctx.interactive) ctx.err(stats.replace(/^\n/, ''));
    finish();
    if (ctx.interactive) ctx.err(stats);
    return 0;
  },
  complete(args, partial, place) {
    if (args[args.length - 1] === '-i') return [...place.ns.allLinks().map((l) => l.name), 'any'].filter((n) => n.startsWith(partial));
    return ['-i', '-n', '-e', '-c', '-v', 'icmp', 'tcp', 'udp', 'arp', 'host', 'port', 'and', 'or', 'not'].filter((n) => n.startsWith(partial));
  },
};

function usage(ctx: CommandContext, first: string, status = 1): number {
  if (first) ctx.err(`${first}\n`);
  ctx.err('tcpdump version 4.99.3\nlibpcap version 1.10.3 (with TPACKET_V3)\nOpenSSL 3.0.15 3 Sep 2024\nUsage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]\n\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]\n\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]\n\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]\n\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]\n\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]\n\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]\n\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]\n');
  return status;
}
