/**
 * BusyBox `traceroute` (networking/traceroute.c, with FEATURE_TRACEROUTE_VERBOSE and _USE_ICMP as
 * Alpine builds it). Unlike traceroute 2.1 it sends one probe at a time and waits for its answer
 * (up to -w seconds, 5 by default) before the next, so a silent hop costs the whole wait per
 * probe; probes are 46-byte UDP datagrams to port 33434+seq (seq counts from 1 across the whole
 * run), or ICMP echo requests with -I. Each hop prints as its probes come back:
 *
 *   " 1  10.0.1.1  0.040 ms  0.012 ms  *", the address again only when it changes,
 *
 * with !N !H !P !F-mtu !S !A !C !V !U !I !T !<code> after an unreachable, " !" after a port
 * unreachable whose TTL was 1 or less. The trace stops at the hop where the destination answered
 * (port unreachable, echo reply, protocol unreachable) or where at least nprobes-1 probes came
 * back unreachable. `-l` is accepted but prints nothing: 1.36.1 tests the option in a copy of the
 * option word that never has it set.
 */
import type { CommandContext } from '../../context.ts';
import { SECOND } from '../../../sim/engine/scheduler.ts';
import { formatIpv4, type Ipv4 } from '../../../sim/wire/addr.ts';
import { ICMP_ECHOREPLY, IPPROTO_UDP, type Packet } from '../../../sim/wire/packet.ts';
import { ipOutput } from '../../../sim/net/stack.ts';
import { routeOutput } from '../../../sim/net/route.ts';
import type { Link } from '../../../sim/net/model.ts';
import { udpClose, udpOpen } from '../../../sim/transport/udp.ts';
import type { IcmpErrorInfo } from '../../../sim/transport/sockets.ts';
import { reverseName } from '../net-util.ts';
import { openEcho, sendEcho } from '../icmp-echo.ts';
import { bbMs, bbResolve } from './ping.ts';
import { bbStrerror, die, getopt, has, last, showUsage, xatou, type Bb } from './common.ts';

interface Answer {
  from: Ipv4;
  /** where the answer was addressed (for -v) */
  to: Ipv4;
  at: number;
  /** -1: time exceeded; else the unreachable code (3, port, for an echo reply too) */
  code: number;
  mtu: number;
  ttl: number;
  /** ICMP bytes (for -v) */
  len: number;
}

/** The annotation after an unreachable, and whether it counts as reaching the host. */
function annotate(code: number, mtu: number): { text: string; there: boolean } {
  switch (code) {
    case 0:
      return { text: ' !N', there: false };
    case 1:
      return { text: ' !H', there: false };
    case 2:
      return { text: ' !P', there: true };
    case 4:
      return { text: ` !F-${mtu}`, there: false };
    case 5:
      return { text: ' !S', there: false };
    case 9:
    case 13:
      return { text: ' !A', there: false };
    case 10:
    case 15:
      return { text: ' !C', there: false };
    case 14:
      return { text: ' !V', there: false };
    case 6:
    case 7:
      return { text: ' !U', there: false };
    case 8:
      return { text: ' !I', there: false };
    case 11:
    case 12:
      return { text: ' !T', there: false };
    default:
      return { text: ` !<${code}>`, there: false };
  }
}

export async function bbTraceroute(ctx: CommandContext, bb: Bb): Promise<number> {
  const p = getopt(ctx, bb, 'traceroute', 'FIlnrdvt:i:m:p:q:s:w:z:f:46');
  if (!p.args.length) showUsage(ctx, bb, 'traceroute');
  const num = (k: string, min: number, max: number, dflt: number) => (has(p, k) ? xatou(ctx, 'traceroute', last(p, k)!, min, max) : dflt);
  const maxTtl = num('m', 1, 255, 30);
  let port = num('p', 0, 65535, 33434);
  const nprobes = num('q', 1, 0x7fffffff, 3);
  const waitSec = num('w', 1, 86400, 5);
  const pauseMs = num('z', 0, 3600000, 0);
  const firstTtl = num('f', 1, maxTtl, 1);
  const icmp = has(p, 'I');
  const numeric = has(p, 'n');
  const verbose = has(p, 'v');
  if (icmp) port = 0;
  if (has(p, '6')) die(ctx, 'traceroute', 'IPv6 is not modelled by the simulator; use IPv4 addresses');
  const host = p.args[0];
  const dst = await bbResolve(ctx, 'traceroute', host);
  const packlen = p.args[1] !== undefined ? xatou(ctx, 'traceroute', p.args[1], 46, 32 * 1024) : 46;
  if (has(p, 't')) xatou(ctx, 'traceroute', last(p, 't')!, 0, 255);
  const ns = ctx.ns;
  const world = ctx.world;
  let oif: Link | undefined;
  if (has(p, 'i')) {
    const name = last(p, 'i')!;
    oif = ns.linkByName(name);
    // setsockopt_bindtodevice only complains
    if (!oif) ctx.err(`traceroute: can't bind to interface ${name}: No such device\n`);
  }
  let src: Ipv4;
  const source = last(p, 's');
  if (source !== undefined) {
    src = await bbResolve(ctx, 'traceroute', source);
    if (!ns.isLocalAddr(src)) die(ctx, 'traceroute', "can't set multicast source interface");
  } else {
    // connect() picks the source; with -r (SO_DONTROUTE) only a directly connected host will do
    const r = routeOutput(ns, dst, oif);
    const errno = !r.ok ? r.error : has(p, 'r') && r.route?.via != null ? 'ENETUNREACH' : null;
    if (errno || !r.ok) die(ctx, 'traceroute', `can't connect to remote host (${formatIpv4(dst)}): ${bbStrerror(bb, errno ?? 'ENETUNREACH')}`);
    src = r.src;
  }
  ctx.out(`traceroute to ${host} (${formatIpv4(dst)})${source !== undefined ? ` from ${source}` : ''}, ${maxTtl} hops max, ${packlen} byte packets\n`);

  let seq = 0;
  let answer: Answer | null = null;
  const take = (a: Answer) => {
    if (!answer) answer = a;
  };
  const fromError = (info: IcmpErrorInfo): Answer | null => {
    if (!(info.type === 11 && info.code === 0) && info.type !== 3) return null;
    const ip = info.packet.ip!;
    return { from: info.from, to: ip.dst, at: world.now, code: info.type === 11 ? -1 : info.code, mtu: info.mtu ?? 0, ttl: ip.ttl, len: ip.totalLength - 20 };
  };
  const ident = ctx.pid() & 0xffff;
  let close: () => void;
  let sendProbe: (ttl: number) => string | null;
  if (icmp) {
    close = openEcho(
      ns,
      ident,
      (pkt: Packet) => {
        if (pkt.icmp?.type !== ICMP_ECHOREPLY || pkt.icmp.seq !== seq) return;
        const ip = pkt.ip!;
        take({ from: ip.src, to: ip.dst, at: world.now, code: 3, mtu: 0, ttl: ip.ttl, len: ip.totalLength - 20 });
      },
      (info) => {
        if (info.original.icmp?.seq !== seq) return;
        const a = fromError(info);
        if (a) take(a);
      },
    );
    sendProbe = (ttl) => sendEcho(ns, { src, dst, ttl, size: packlen - 28, id: ident, seq, oif, df: false, by: 'traceroute' })?.errno ?? null;
  } else {
    const sock = udpOpen(ns, {
      addr: source !== undefined ? src : 0,
      owner: 'traceroute',
      onRecv: () => undefined,
      onError: (info) => {
        if (info.original.udp?.dport !== ((port + seq) & 0xffff)) return;
        const a = fromError(info);
        if (a) take(a);
      },
    });
    if ('error' in sock) die(ctx, 'traceroute', `bind: ${bbStrerror(bb, sock.error)}`);
    close = () => udpClose(sock);
    sendProbe = (ttl) => {
      const pkt: Packet = {
        id: world.nextPacketId(),
        ip: { src, dst, ttl, proto: IPPROTO_UDP, id: ns.nextIpId(), df: false, mf: false, fragOffset: 0, totalLength: packlen },
        udp: { sport: sock.port, dport: (port + seq) & 0xffff },
        payloadLen: packlen - 28,
      };
      return ipOutput(ns, pkt, { by: 'traceroute', oif })?.errno ?? null;
    };
  }

  const pause = async (us: number): Promise<boolean> => {
    const end = world.now + us;
    world.sched.at(end, () => undefined);
    return ctx.wait(() => world.now >= end, end);
  };
  try {
    let lastAddr = 0;
    for (let ttl = firstTtl; ttl <= maxTtl; ttl++) {
      let unreachable = 0;
      let gotThere = false;
      ctx.out(String(ttl).padStart(2));
      for (let probe = 0; probe < nprobes; probe++) {
        if (probe !== 0 && pauseMs && !(await pause(pauseMs * 1000)) && ctx.interrupt.interrupted) return 130;
        seq++;
        answer = null;
        const errno = sendProbe(ttl);
        if (errno && errno !== 'ENOBUFS') die(ctx, 'traceroute', `sendto: ${bbStrerror(bb, errno)}`);
        const t1 = world.now;
        const deadline = t1 + waitSec * SECOND;
        world.sched.at(deadline, () => undefined);
        const ok = await ctx.wait(() => answer !== null, deadline);
        if (!ok && ctx.interrupt.interrupted) return 130;
        const a = answer as Answer | null;
        if (!a) {
          ctx.out('  *');
          continue;
        }
        let line = '';
        if (probe === 0 || a.from !== lastAddr) {
          const ina = formatIpv4(a.from);
          line += numeric ? `  ${ina}` : `  ${(a.from !== 0 ? reverseName(ctx, a.from) : null) ?? ina} (${ina})`;
          if (verbose) line += ` ${a.len} bytes to ${formatIpv4(a.to)}`;
          lastAddr = a.from;
        }
        line += `  ${bbMs(a.at - t1)} ms`;
        if (a.code === 3) {
          if (a.ttl <= 1) line += ' !';
          gotThere = true;
        } else if (a.code >= 0) {
          const n = annotate(a.code, a.mtu);
          line += n.text;
          if (n.there) gotThere = true;
          else unreachable++;
        }
        ctx.out(line);
      }
      ctx.out('\n');
      if (gotThere || (unreachable > 0 && unreachable >= nprobes - 1)) break;
    }
  } finally {
    close();
  }
  return 0;
}
