/**
 * `traceroute` (2.1.x, UDP probes to ports 33434+) and `tracepath` (iputils): find the routers
 * on the way by sending probes with growing TTLs and reading the ICMP errors that come back.
 */
import type { Command, CommandContext } from '../context.ts';
import { SECOND } from '../../sim/engine/scheduler.ts';
import { formatIpv4, parseIpv4, type Ipv4 } from '../../sim/wire/addr.ts';
import { IPPROTO_UDP, type Packet } from '../../sim/wire/packet.ts';
import { ipOutput, pathMtu } from '../../sim/net/stack.ts';
import { routeOutput } from '../../sim/net/route.ts';
import { udpClose, udpOpen } from '../../sim/transport/udp.ts';
import { strerror } from '../../sim/net/types.ts';
import type { IcmpErrorInfo } from '../../sim/transport/sockets.ts';
import { gaiError } from '../../sim/apps/dns.ts';
import { resolveHost, reverseName } from './net-util.ts';

interface Answer {
  from: Ipv4;
  at: number;
  type: number;
  code: number;
  mtu?: number;
  ttl: number;
}

async function target(ctx: CommandContext, tool: string, name: string): Promise<Ipv4 | null> {
  const lit = parseIpv4(name);
  if (lit !== null) return lit;
  const r = await resolveHost(ctx, name);
  if (r === null) return null;
  if (!r.ok) {
    ctx.err(`${name}: ${gaiError(r.error)}\nCannot handle "host" cmdline arg \`${name}' on position 1 (argc 1)\n`);
    return null;
  }
  void tool;
  return r.addr;
}

export const tracerouteCommand: Command = {
  name: 'traceroute',
  path: '/usr/sbin/traceroute',
  summary: 'print the route packets take to a host (traceroute -n 10.0.2.2)',
  async run(ctx) {
    const args = ctx.argv.slice(1);
    let numeric = false;
    let maxHops = 30;
    let queries = 3;
    let wait = 5;
    let waitHere = 3;
    let waitNear = 10;
    let squeries = 16;
    let first = 1;
    let port = 33434;
    let host: string | null = null;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const num = (v: string | undefined, what: string) => {
        const n = Number(v);
        if (v === undefined || !Number.isFinite(n)) {
          ctx.err(`Cannot handle \`${what}' option with arg \`${v ?? ''}' (argc ${i + 1})\n`);
          return null;
        }
        return n;
      };
      const joined = (flag: string) => (a.length > 2 ? a.slice(2) : args[++i]);
      if (a === '-n') numeric = true;
      else if (a.startsWith('-m')) {
        const n = num(joined('-m'), '-m');
        if (n === null) return 2;
        maxHops = n;
      } else if (a.startsWith('-q')) {
        const n = num(joined('-q'), '-q');
        if (n === null) return 2;
        queries = n;
      } else if (a.startsWith('-w')) {
        const v = joined('-w');
        const parts = (v ?? '').split(/[,/]/);
        const n = num(v === undefined ? undefined : parts[0], '-w');
        if (n === null) return 2;
        wait = n;
        if (parts[1] !== undefined && parts[1] !== '') waitHere = Number(parts[1]) || 0;
        if (parts[2] !== undefined && parts[2] !== '') waitNear = Number(parts[2]) || 0;
      } else if (a.startsWith('-N')) {
        const n = num(joined('-N'), '-N');
        if (n === null) return 2;
        squeries = Math.max(1, n);
      } else if (a.startsWith('-f')) {
        const n = num(joined('-f'), '-f');
        if (n === null) return 2;
        first = n;
      } else if (a.startsWith('-p')) {
        const n = num(joined('-p'), '-p');
        if (n === null) return 2;
        port = n;
      } else if (a === '-4' || a === '-U' || a === '-e' || a === '-A') continue;
      else if (a === '-I' || a === '-T') {
        ctx.err(`traceroute: ${a === '-I' ? 'ICMP' : 'TCP'} probes are not modelled by the simulator; the default UDP probes are\n`);
        return 2;
      } else if (a.startsWith('-')) {
        ctx.err(`Bad option \`${a}' (argc ${i + 1})\n`);
        return 2;
      } else if (host === null) host = a;
    }
    if (host === null) {
      ctx.err('Usage:\n  traceroute [ -46dFITnreAUDV ] [ -f first_ttl ] [ -g gate,... ] [ -i device ] [ -m max_ttl ] [ -N squeries ] [ -p port ] [ -t tos ] [ -l flow_label ] [ -w MAX,HERE,NEAR ] [ -q nqueries ] [ -s src_addr ] [ -z sendwait ] [ --fwmark=num ] host [ packetlen ]\n');
      return 2;
    }
    const dst = await target(ctx, 'traceroute', host);
    if (dst === null) return 2;
    const ns = ctx.ns;
    const world = ctx.world;
    ctx.out(`traceroute to ${host} (${formatIpv4(dst)}), ${maxHops} hops max, 60 byte packets\n`);
    const route = routeOutput(ns, dst);
    if (!route.ok) {
      ctx.err(`connect: ${strerror(route.error)}\n`);
      return 1;
    }
    const answers = new Map<number, Answer>();
    const sock = udpOpen(ns, {
      owner: 'traceroute',
      onRecv: () => undefined,
      onError: (info: IcmpErrorInfo) => {
        const dport = info.original.udp?.dport;
        if (dport === undefined || answers.has(dport)) return;
        answers.set(dport, { from: info.from, at: world.now, type: info.type, code: info.code, ttl: info.packet.ip?.ttl ?? 0 });
      },
    });
    if ('error' in sock) {
      ctx.err(`socket: ${strerror(sock.error)}\n`);
      return 1;
    }
    // Like traceroute 2.1, keep up to -N probes in flight across hops and print each hop once all
    // its probes are answered or expired. A probe waits at most MAX seconds, or HERE times the
    // round trip of an answer from its own hop, or NEAR times that of an answer from a later hop.
    interface Probe {
      ttl: number;
      dport: number;
      sentAt: number;
      done: boolean;
    }
    const probes: Probe[] = [];
    const hops = maxHops - first + 1;
    const totalProbes = hops > 0 ? hops * queries : 0;
    let printedHops = 0;
    let finished = false;
    const rtt = (pr: Probe) => (answers.get(pr.dport)!.at - pr.sentAt) / SECOND;
    const expiry = (pr: Probe): number => {
      let limit = wait;
      for (const other of probes) {
        if (other === pr || !answers.has(other.dport)) continue;
        if (other.ttl === pr.ttl && waitHere > 0) limit = Math.min(limit, waitHere * rtt(other));
        else if (other.ttl > pr.ttl && waitNear > 0) limit = Math.min(limit, waitNear * rtt(other));
      }
      return pr.sentAt + Math.round(limit * SECOND);
    };
    const sendProbe = (): void => {
      const index = probes.length;
      const ttl = first + Math.floor(index / queries);
      const dport = port + index;
      const p: Packet = {
        id: world.nextPacketId(),
        ip: { src: route.src, dst, ttl, proto: IPPROTO_UDP, id: ns.nextIpId(), df: false, mf: false, fragOffset: 0, totalLength: 60 },
        udp: { sport: sock.port, dport },
        payloadLen: 32,
        data: { kind: 'bytes', text: '@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_' },
      };
      probes.push({ ttl, dport, sentAt: world.now, done: false });
      ipOutput(ns, p, { by: 'traceroute' });
    };
    const inFlight = () => probes.filter((pr) => !pr.done).length;
    const settle = (): void => {
      for (const pr of probes) if (!pr.done && (answers.has(pr.dport) || world.now >= expiry(pr))) pr.done = true;
    };
    /** Print every complete hop in order; true when the trace is over. */
    const printReady = (): boolean => {
      while (printedHops < hops) {
        const ttl = first + printedHops;
        const mine = probes.filter((pr) => pr.ttl === ttl);
        if (mine.length < queries || mine.some((pr) => !pr.done)) return false;
        let line = `${String(ttl).padStart(2)} `;
        let last: Ipv4 | null = null;
        let reached = false;
        let unreachable = 0;
        for (const pr of mine) {
          const a = answers.get(pr.dport);
          if (!a) {
            line += ' *';
            continue;
          }
          if (a.from !== last) {
            const name = numeric ? formatIpv4(a.from) : `${reverseName(ctx, a.from) ?? formatIpv4(a.from)} (${formatIpv4(a.from)})`;
            line += ` ${name}`;
            last = a.from;
          }
          line += `  ${((a.at - pr.sentAt) / 1000).toFixed(3)} ms`;
          if (a.type === 3) {
            if (a.code === 3) {
              if (a.from === dst) reached = true;
            } else {
              const mark: Record<number, string> = { 0: '!N', 1: '!H', 2: '!P', 4: '!F', 9: '!N', 10: '!H', 13: '!X' };
              line += ` ${mark[a.code] ?? `!<${a.code}>`}`;
              unreachable++;
            }
          }
        }
        ctx.out(`${line}\n`);
        printedHops++;
        if (reached || (unreachable > 0 && unreachable >= mine.filter((pr) => answers.has(pr.dport)).length)) return true;
      }
      return true;
    };
    try {
      while (!finished) {
        while (probes.length < totalProbes && inFlight() < squeries) sendProbe();
        settle();
        if (printReady()) {
          finished = true;
          break;
        }
        const pending = probes.filter((pr) => !pr.done);
        if (!pending.length) continue;
        const next = Math.min(...pending.map(expiry));
        world.sched.at(next, () => undefined);
        const answered = answers.size;
        const ok = await ctx.wait(() => answers.size > answered, next);
        if (!ok && ctx.interrupt.interrupted) return 130;
      }
    } finally {
      udpClose(sock);
    }
    return 0;
  },
};

export const tracepathCommand: Command = {
  name: 'tracepath',
  path: '/usr/bin/tracepath',
  summary: 'trace the path to a host and discover its MTU (tracepath -n 10.0.2.2)',
  async run(ctx) {
    const args = ctx.argv.slice(1);
    let numeric = false;
    let maxHops = 30;
    let host: string | null = null;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-n') numeric = true;
      else if (a === '-m') maxHops = Number(args[++i]);
      else if (a.startsWith('-m')) maxHops = Number(a.slice(2));
      else if (a === '-4' || a === '-b') continue;
      else if (a === '-l' || a === '-p') i++;
      else if (a.startsWith('-')) {
        ctx.err(`tracepath: invalid option -- '${a.slice(1)}'\nUsage\n  tracepath [options] <destination>\n`);
        return 2;
      } else host = a;
    }
    if (host === null) {
      ctx.err('\nUsage\n  tracepath [options] <destination>\n\nOptions:\n  -4             use IPv4\n  -6             use IPv6\n  -b             print both name and ip\n  -l <length>    use packet <length>\n  -m <hops>      use maximum <hops>\n  -n             no dns name resolution\n  -p <port>      use destination <port>\n  -V             print version and exit\n  <destination>  dns name or ip address\n\nFor more details see tracepath(8).\n');
      return 2;
    }
    const dst = await target(ctx, 'tracepath', host);
    if (dst === null) return 2;
    const ns = ctx.ns;
    const world = ctx.world;
    const route = routeOutput(ns, dst);
    if (!route.ok) {
      ctx.err(`tracepath: ${host}: ${strerror(route.error)}\n`);
      return 1;
    }
    let mtu = pathMtu(ns, dst) ?? 1500;
    const pad = (s: string) => s.padEnd(52);
    ctx.out(`${' 1?: '}${'[LOCALHOST]'.padEnd(32)} pmtu ${mtu}\n`);
    let answer: Answer | null = null;
    const sock = udpOpen(ns, {
      owner: 'tracepath',
      onRecv: () => undefined,
      onError: (info: IcmpErrorInfo) => {
        if (!answer) answer = { from: info.from, at: world.now, type: info.type, code: info.code, mtu: info.mtu, ttl: info.packet.ip?.ttl ?? 0 };
      },
    });
    if ('error' in sock) return 1;
    let port = 44444;
    let hops = 0;
    let back = 0;
    try {
      for (let ttl = 1; ttl <= maxHops; ttl++) {
        let done = false;
        for (let attempt = 0; attempt < 3 && !done; attempt++) {
          answer = null;
          const start = world.now;
          const p: Packet = {
            id: world.nextPacketId(),
            ip: { src: route.src, dst, ttl, proto: IPPROTO_UDP, id: ns.nextIpId(), df: true, mf: false, fragOffset: 0, totalLength: mtu },
            udp: { sport: sock.port, dport: port },
            payloadLen: mtu - 28,
          };
          const err = ipOutput(ns, p, { by: 'tracepath', noFragment: true });
          if (err && err.errno === 'EMSGSIZE' && err.mtu) {
            mtu = err.mtu;
            ctx.out(`${`${String(ttl).padStart(2)}:  `}${pad('[LOCALHOST]')}${' '.repeat(10)}pmtu ${mtu}\n`);
            attempt--;
            continue;
          }
          const deadline = world.now + SECOND;
          world.sched.at(deadline, () => undefined);
          await ctx.wait(() => answer !== null, deadline);
          if (ctx.interrupt.interrupted) return 130;
          const a = answer as Answer | null;
          if (!a) {
            if (attempt === 2) ctx.out(`${String(ttl).padStart(2)}:  no reply\n`);
            continue;
          }
          const rtt = a.at - start;
          const name = numeric ? formatIpv4(a.from) : (reverseName(ctx, a.from) ?? '???');
          const ms = `${String(Math.floor(rtt / 1000)).padStart(3)}.${String(rtt % 1000).padStart(3, '0')}ms`;
          back = 64 - a.ttl + 1;
          if (a.type === 3 && a.code === 4 && a.mtu) {
            mtu = a.mtu;
            ctx.out(`${String(ttl).padStart(2)}:  ${pad(name)}${ms} pmtu ${mtu}\n`);
            attempt--;
            continue;
          }
          const asym = back !== ttl ? ` asymm ${String(back).padStart(2)}` : '';
          if (a.type === 3 && (a.code === 3 || a.from === dst)) {
            ctx.out(`${String(ttl).padStart(2)}:  ${pad(name)}${ms} reached\n`);
            hops = ttl;
            ctx.out(`     Resume: pmtu ${mtu} hops ${hops} back ${back} \n`);
            return 0;
          }
          ctx.out(`${String(ttl).padStart(2)}:  ${pad(name)}${ms}${asym} \n`);
          done = true;
          port++;
        }
      }
      ctx.out(`     Too many hops: pmtu ${mtu}\n     Resume: pmtu ${mtu} \n`);
      return 0;
    } finally {
      udpClose(sock);
    }
  },
};
