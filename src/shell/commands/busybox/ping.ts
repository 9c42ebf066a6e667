/**
 * BusyBox `ping` (networking/ping.c with FEATURE_FANCY_PING, as Alpine builds it): ICMP echo with
 * BusyBox's own output (`seq=0`, `round-trip min/avg/max`) and exit codes: 0 when a reply came
 * back (and, with -w, all -c replies), 1 otherwise; every error exits 1. ICMP errors (time
 * exceeded, unreachable) are not printed: only echo replies count.
 */
import type { CommandContext } from '../../context.ts';
import { SECOND } from '../../../sim/engine/scheduler.ts';
import { formatIpv4, parseIpv4, type Ipv4 } from '../../../sim/wire/addr.ts';
import type { Packet } from '../../../sim/wire/packet.ts';
import { routeOutput } from '../../../sim/net/route.ts';
import type { Link } from '../../../sim/net/model.ts';
import { resolveHost } from '../net-util.ts';
import { openEcho, sendEcho } from '../icmp-echo.ts';
import { die, getopt, has, last, showUsage, xatou, xduration, type Bb, bbStrerror } from './common.ts';

/** One BusyBox-style time: microseconds as "%u.%03u" ms. */
export function bbMs(us: number): string {
  const u = Math.max(0, Math.round(us));
  return `${Math.floor(u / 1000)}.${String(u % 1000).padStart(3, '0')}`;
}

/** xhost2sockaddr for IPv4: a literal, else getaddrinfo; "bad address 'NAME'" when it fails. */
export async function bbResolve(ctx: CommandContext, applet: string, name: string): Promise<Ipv4> {
  const lit = parseIpv4(name);
  if (lit !== null) return lit;
  const r = await resolveHost(ctx, name);
  if (r === null || !r.ok) die(ctx, applet, `bad address '${name}'`);
  return r.addr;
}

export async function bbPing(ctx: CommandContext, bb: Bb): Promise<number> {
  const p = getopt(ctx, bb, 'ping', 'qvAc:s:t:w:W:I:np:i:46');
  if (p.args.length !== 1 || (has(p, 'q') && has(p, 'v'))) showUsage(ctx, bb, 'ping');
  const count = has(p, 'c') ? xatou(ctx, 'ping', last(p, 'c')!) : 0;
  const size = has(p, 's') ? xatou(ctx, 'ping', last(p, 's')!, 0, 65535) : 56;
  const ttl = has(p, 't') ? xatou(ctx, 'ping', last(p, 't')!) : 0;
  const deadlineSec = has(p, 'w') ? xatou(ctx, 'ping', last(p, 'w')!) : 0;
  const timeoutSec = has(p, 'W') ? xatou(ctx, 'ping', last(p, 'W')!) : 10;
  const intervalSec = has(p, 'i') ? xduration(ctx, 'ping', last(p, 'i')!) : 1;
  if (has(p, 'p')) {
    const v = last(p, 'p')!;
    if (!/^[0-9a-fA-F]+$/.test(v) || parseInt(v, 16) > 255) die(ctx, 'ping', `invalid number '${v}'`);
  }
  if (has(p, '6')) die(ctx, 'ping', 'IPv6 is not modelled by the simulator; use IPv4 addresses');
  const quiet = has(p, 'q');
  const ns = ctx.ns;
  const world = ctx.world;
  // -I: an interface name, else a source address
  let oif: Link | undefined;
  let source: Ipv4 | undefined;
  const iface = last(p, 'I');
  if (iface !== undefined) {
    oif = ns.linkByName(iface);
    if (!oif) {
      const a = parseIpv4(iface);
      if (a === null) die(ctx, 'ping', `bad address '${iface}'`);
      source = a;
    }
  }
  const host = p.args[0];
  const dst = await bbResolve(ctx, 'ping', host);
  ctx.out(`PING ${host} (${formatIpv4(dst)})${source !== undefined ? ` from ${formatIpv4(source)}` : ''}: ${size} data bytes\n`);
  if (source !== undefined && !ns.isLocalAddr(source)) die(ctx, 'ping', 'bind: Cannot assign requested address');

  const id = ctx.pid() & 0xffff;
  const sentAt = new Map<number, number>();
  const seen = new Set<number>();
  let transmitted = 0;
  let received = 0;
  let repeats = 0;
  let tmin = Infinity;
  let tmax = 0;
  let tsum = 0;
  const timed = size >= 8;
  const closeEcho = openEcho(
    ns,
    id,
    (pkt: Packet) => {
      const seq = pkt.icmp!.seq ?? 0;
      const t0 = sentAt.get(seq);
      if (t0 === undefined) return;
      const rtt = world.now - t0;
      if (timed) {
        tsum += rtt;
        tmin = Math.min(tmin, rtt);
        tmax = Math.max(tmax, rtt);
      }
      const dup = seen.has(seq);
      if (dup) repeats++;
      else {
        seen.add(seq);
        received++;
      }
      if (!quiet) ctx.out(`${pkt.ip!.totalLength - 20} bytes from ${formatIpv4(pkt.ip!.src)}: seq=${seq} ttl=${pkt.ip!.ttl}${timed ? ` time=${bbMs(rtt)} ms` : ''}${dup ? ' (DUP!)' : ''}\n`);
    },
    () => undefined,
  );

  const stats = (): number => {
    closeEcho();
    let s = `\n--- ${host} ping statistics ---\n${transmitted} packets transmitted, ${received} packets received, `;
    if (repeats) s += `${repeats} duplicates, `;
    s += `${transmitted ? Math.floor(((transmitted - received) * 100) / transmitted) : 0}% packet loss\n`;
    if (tmin !== Infinity) s += `round-trip min/avg/max = ${bbMs(tmin)}/${bbMs(Math.floor(tsum / (received + repeats)))}/${bbMs(tmax)} ms\n`;
    ctx.out(s);
    return received === 0 || (deadlineSec > 0 && received < count) ? 1 : 0;
  };

  const start = world.now;
  const deadline = deadlineSec > 0 ? start + deadlineSec * SECOND : Infinity;
  const interval = Math.max(1, Math.round(intervalSec * SECOND));
  // a script cannot press Ctrl+C: an endless ping stops after a minute, as if interrupted
  const cap = !ctx.interactive && count === 0 && deadline === Infinity ? start + 60 * SECOND : Infinity;
  const enough = () => count > 0 && received >= count;
  let seq = 0;
  for (;;) {
    if (world.now >= deadline || world.now >= cap) return stats();
    const route = routeOutput(ns, dst, oif, source);
    const err = route.ok ? sendEcho(ns, { src: route.src, dst, ttl: ttl || Number(ns.sysctlGet('net.ipv4.ip_default_ttl') ?? 64), size, id, seq, oif, df: false, by: 'ping' }) : { errno: route.error };
    if (err && err.errno !== 'ENOBUFS') {
      closeEcho();
      die(ctx, 'ping', `sendto: ${bbStrerror(bb, err.errno)}`);
    }
    sentAt.set(seq, world.now);
    seq = (seq + 1) & 0xffff;
    transmitted++;
    if (count === 0 || transmitted < count) {
      const ok = await ctx.wait(enough, world.now + interval);
      if (enough()) return stats();
      if (!ok && ctx.interrupt.interrupted) return stats();
      continue;
    }
    // all -c sent: wait -W seconds for a first reply, or about two round trips once replies came
    const expire = received ? Math.max(1, Math.floor(tmax / (512 * 1024))) : timeoutSec;
    await ctx.wait(enough, world.now + expire * SECOND);
    return stats();
  }
}
