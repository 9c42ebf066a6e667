/**
 * `ping` (iputils 20221126): ICMP echo with the real tool's options, output and exit codes.
 * Exit 0 when at least one reply came back, 1 when none did, 2 on errors before sending.
 */
import type { Command, CommandContext } from '../context.ts';
import { SECOND } from '../../sim/engine/scheduler.ts';
import { formatIpv4, parseIpv4, type Ipv4 } from '../../sim/wire/addr.ts';
import type { Packet } from '../../sim/wire/packet.ts';
import { pathMtu } from '../../sim/net/stack.ts';
import { routeOutput } from '../../sim/net/route.ts';
import { strerror } from '../../sim/net/types.ts';
import { icmpText } from '../../sim/wire/describe.ts';
import { gaiError } from '../../sim/apps/dns.ts';
import type { Link } from '../../sim/net/model.ts';
import { parseSeconds, peerText, resolveHost, rttText } from './net-util.ts';
import { openEcho, sendEcho } from './icmp-echo.ts';

const USAGE = `
Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -f                 flood ping
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument

For more details see ping(8).
`;

interface PingOpts {
  count: number;
  interval: number;
  timeout: number | null;
  deadline: number | null;
  size: number;
  ttl: number;
  pmtu: 'do' | 'want' | 'dont';
  iface: string | null;
  quiet: boolean;
  numeric: boolean;
  outstanding: boolean;
  broadcast: boolean;
  timestamps: boolean;
}

function usageError(ctx: CommandContext, msg: string): number {
  ctx.err(`ping: ${msg}\n`);
  return 2;
}

export const pingCommand: Command = {
  name: 'ping',
  path: '/usr/bin/ping',
  summary: 'send ICMP echo requests (ping -c 3 10.0.0.2)',
  async run(ctx) {
    const o: PingOpts = { count: Infinity, interval: 1, timeout: null, deadline: null, size: 56, ttl: 64, pmtu: 'want', iface: null, quiet: false, numeric: false, outstanding: false, broadcast: false, timestamps: false };
    const args = ctx.argv.slice(1);
    let target: string | null = null;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (!a.startsWith('-') || a === '-') {
        if (target !== null) return usageError(ctx, 'usage error: Only one destination address allowed');
        target = a;
        continue;
      }
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const needsArg = 'cisWwtMIlmpQSTF'.includes(c);
        let v = '';
        if (needsArg) {
          v = a.slice(j + 1);
          if (v === '') {
            const next = args[++i];
            if (next === undefined) {
              ctx.err(`ping: option requires an argument -- '${c}'\n${USAGE}`);
              return 2;
            }
            v = next;
          }
          j = a.length;
        }
        switch (c) {
          case 'c': {
            if (!/^\d+$/.test(v) || Number(v) < 1) return usageError(ctx, `invalid argument: '${v}': out of range: 1 <= value <= 9223372036854775807`);
            o.count = Number(v);
            break;
          }
          case 'i': {
            const s = parseSeconds(v);
            if (s === null) return usageError(ctx, `bad timing interval: ${v}`);
            o.interval = s;
            break;
          }
          case 'W': {
            const s = parseSeconds(v);
            if (s === null) return usageError(ctx, `bad linger time: ${v}`);
            o.timeout = s;
            break;
          }
          case 'w': {
            const s = parseSeconds(v);
            if (s === null) return usageError(ctx, `bad wait time: ${v}`);
            o.deadline = s;
            break;
          }
          case 's': {
            if (!/^\d+$/.test(v) || Number(v) > 65507) return usageError(ctx, `invalid argument: '${v}': out of range: 0 <= value <= 2147483647`);
            o.size = Number(v);
            break;
          }
          case 't': {
            if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 255) return usageError(ctx, `invalid argument: '${v}': out of range: 1 <= value <= 255`);
            o.ttl = Number(v);
            break;
          }
          case 'M':
            if (v !== 'do' && v !== 'want' && v !== 'dont' && v !== 'probe') return usageError(ctx, `invalid -M argument: ${v}`);
            o.pmtu = v === 'probe' ? 'do' : v;
            break;
          case 'I':
            o.iface = v;
            break;
          case 'q':
            o.quiet = true;
            break;
          case 'n':
            o.numeric = true;
            break;
          case 'O':
            o.outstanding = true;
            break;
          case 'b':
            o.broadcast = true;
            break;
          case 'D':
            o.timestamps = true;
            break;
          case '4':
          case 'v':
          case 'a':
          case 'A':
          case 'B':
          case 'd':
          case 'L':
          case 'U':
          case 'R':
            break;
          case '6':
            return usageError(ctx, 'IPv6 is not modelled by the simulator; use IPv4 addresses');
          case 'f':
            o.interval = 0.01;
            break;
          case 'l':
          case 'm':
          case 'p':
          case 'Q':
          case 'S':
          case 'T':
          case 'F':
            break;
          case 'h':
            ctx.out(USAGE);
            return 2;
          case 'V':
            ctx.out('ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n');
            return 0;
          default:
            ctx.err(`ping: invalid option -- '${c}'\n${USAGE}`);
            return 2;
        }
      }
    }
    if (target === null) {
      ctx.err(`ping: usage error: Destination address required\n`);
      return 1;
    }
    return ping(ctx, target, o);
  },
};

async function ping(ctx: CommandContext, target: string, o: PingOpts): Promise<number> {
  const ns = ctx.ns;
  const world = ctx.world;
  const literal = parseIpv4(target);
  const numeric = o.numeric || literal !== null;
  let dst: Ipv4;
  if (literal !== null) dst = literal;
  else {
    const r = await resolveHost(ctx, target);
    if (r === null) return 130;
    if (!r.ok) {
      ctx.err(`ping: ${target}: ${gaiError(r.error)}\n`);
      return 2;
    }
    dst = r.addr;
  }
  let oif: Link | undefined;
  let wantSrc: Ipv4 | undefined;
  if (o.iface !== null) {
    const asIp = parseIpv4(o.iface);
    if (asIp !== null) {
      if (!ns.isLocalAddr(asIp)) {
        ctx.err(`ping: bind: Cannot assign requested address\n`);
        return 2;
      }
      wantSrc = asIp;
    } else {
      oif = ns.linkByName(o.iface);
      if (!oif) {
        ctx.err(`ping: SO_BINDTODEVICE ${o.iface}: No such device\n`);
        return 2;
      }
    }
  }
  // iputils connects a probe UDP socket first: routing errors surface here
  const route = routeOutput(ns, dst, oif, wantSrc);
  if (!route.ok) {
    ctx.err(`ping: connect: ${strerror(route.error)}\n`);
    return 2;
  }
  if (route.broadcast && !o.broadcast) {
    ctx.err('ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n');
    return 2;
  }
  const shown = literal !== null ? target : target;
  const from = o.iface !== null ? ` from ${formatIpv4(route.src)} ${oif ? oif.name : ''}`.trimEnd() + ':' : '';
  ctx.out(`PING ${shown} (${formatIpv4(dst)})${from ? from : ''} ${o.size}(${o.size + 28}) bytes of data.\n`);

  const id = ctx.pid() & 0xffff;
  const sent = new Map<number, number>();
  const answered = new Set<number>();
  const rtts: number[] = [];
  let transmitted = 0;
  let errors = 0;
  let firstSend = -1;
  let lastSend = -1;
  let done = false;
  const start = world.now;
  const endAt = o.deadline !== null ? start + Math.round(o.deadline * SECOND) : Infinity;
  const linger = Math.round((o.timeout ?? 10) * SECOND);
  const line = (s: string) => {
    if (!o.quiet) ctx.out(o.timestamps ? `[${((world.now) / SECOND + 1767603600).toFixed(6)}] ${s}\n` : `${s}\n`);
  };

  const closeEcho = openEcho(
    ns,
    id,
    (p: Packet) => {
      const seq = p.icmp!.seq ?? 0;
      const t0 = sent.get(seq);
      if (t0 === undefined) return;
      const dup = answered.has(seq);
      answered.add(seq);
      const rtt = world.now - t0;
      if (!dup) rtts.push(rtt);
      line(`${p.ip!.totalLength - 20} bytes from ${peerText(ctx, p.ip!.src, numeric)}: icmp_seq=${seq} ttl=${p.ip!.ttl} time=${rttText(rtt)} ms${dup ? ' (DUP!)' : ''}`);
    },
    (info) => {
      const seq = info.original.icmp?.seq ?? 0;
      if (!sent.has(seq)) return;
      errors++;
      answered.add(seq);
      line(`From ${peerText(ctx, info.from, numeric)} icmp_seq=${seq} ${icmpText(info.type, info.code, info.mtu)}`);
    },
  );

  const sendOne = (seq: number) => {
    const now = world.now;
    if (firstSend < 0) firstSend = now;
    lastSend = now;
    transmitted++;
    sent.set(seq, now);
    const total = 20 + 8 + o.size;
    const mtu = pathMtu(ns, dst, oif) ?? 1500;
    if (o.pmtu === 'do' && total > mtu) {
      errors++;
      answered.add(seq);
      if (!o.quiet) ctx.out(`ping: local error: message too long, mtu=${mtu}\n`);
      return;
    }
    const err = sendEcho(ns, { src: route.src, dst, ttl: o.ttl, size: o.size, id, seq, oif, df: o.pmtu !== 'dont' && total <= mtu, noFragment: o.pmtu === 'do', by: 'ping' });
    if (err && err.errno === 'ENOBUFS') {
      answered.add(seq);
      ctx.out('ping: sendmsg: No buffer space available\n');
    } else if (err && err.errno === 'EMSGSIZE') {
      errors++;
      answered.add(seq);
      if (!o.quiet) ctx.out(`ping: local error: message too long, mtu=${err.mtu ?? mtu}\n`);
    }
  };

  let nextSeq = 1;
  const interval = Math.max(1, Math.round(o.interval * SECOND));
  let timer = null as { cancel(): void } | null;
  // after the last probe: wait W seconds (default 10) for a reply, or two RTTs once replies came
  const afterLast = () => (rtts.length ? Math.max(2 * Math.max(...rtts), 1000) : linger);
  const wakes = new Set<number>();
  const wake = (at: number) => {
    if (at > world.now && at !== Infinity && !wakes.has(at)) {
      wakes.add(at);
      world.sched.at(at, () => undefined);
    }
  };
  const schedule = () => {
    if (done || nextSeq > o.count || world.now >= endAt) return;
    sendOne(nextSeq++);
    if (nextSeq <= o.count) timer = world.sched.after(interval, schedule);
    else wake(lastSend + afterLast());
  };
  schedule();
  wake(endAt);

  const finished = () => {
    if (world.now >= endAt) return true;
    if (nextSeq <= o.count) return false;
    if (answered.size >= transmitted) return true;
    const until = lastSend + afterLast();
    if (world.now >= until) return true;
    wake(until);
    return false;
  };
  await ctx.wait(finished, endAt);
  done = true;
  timer?.cancel();
  closeEcho();

  const received = rtts.length;
  const loss = transmitted ? Math.floor(((transmitted - received) * 100) / transmitted) : 0;
  const elapsed = transmitted > 1 ? Math.floor((lastSend - firstSend) / 1000) : 0;
  let stats = `${transmitted} packets transmitted, ${received} received`;
  if (errors) stats += `, +${errors} errors`;
  stats += `, ${loss}% packet loss, time ${elapsed}ms`;
  ctx.out(`\n--- ${target} ping statistics ---\n${stats}\n`);
  if (received) {
    const min = Math.min(...rtts);
    const max = Math.max(...rtts);
    const avg = rtts.reduce((a, b) => a + b, 0) / received;
    const mdev = Math.sqrt(Math.max(0, rtts.reduce((a, b) => a + b * b, 0) / received - avg * avg));
    const f = (us: number) => (us / 1000).toFixed(3);
    ctx.out(`rtt min/avg/max/mdev = ${f(min)}/${f(avg)}/${f(max)}/${f(mdev)} ms\n`);
  } else ctx.out('\n');
  if (!received) return 1;
  if (o.deadline !== null && Number.isFinite(o.count) && received < o.count) return 1;
  return 0;
}

