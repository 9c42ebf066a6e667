/**
 * `nc` (netcat-openbsd 1.219, Debian 12): connect, listen, port checks, TCP and UDP.
 */
import type { Command, CommandContext } from '../context.ts';
import { SECOND } from '../../sim/engine/scheduler.ts';
import { formatIpv4, parseIpv4, type Ipv4 } from '../../sim/wire/addr.ts';
import { serviceName, servicePort } from '../../sim/data/services.ts';
import { TcpConn, tcpListen, type TcpListener } from '../../sim/transport/tcp.ts';
import { udpClose, udpOpen, udpSend } from '../../sim/transport/udp.ts';
import { strerror } from '../../sim/net/types.ts';
import { gaiError } from '../../sim/apps/dns.ts';
import { resolveHost } from './net-util.ts';

const USAGE = `OpenBSD netcat (Debian patchlevel 1.219-1)
usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]
	  [-m minttl] [-O length] [-P proxy_username] [-p source_port]
	  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]
	  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]
	  [destination] [port]
`;

interface NcOpts {
  listen: boolean;
  keep: boolean;
  zero: boolean;
  verbose: boolean;
  udp: boolean;
  numeric: boolean;
  timeout: number | null;
  quit: number | null;
  shutdownOnEof: boolean;
  srcPort: number | null;
  srcAddr: string | null;
}

function serviceLabel(port: number, proto: 'tcp' | 'udp'): string {
  return `${proto}/${serviceName(port, proto) ?? '*'}`;
}

export const ncCommand: Command = {
  name: 'nc',
  path: '/usr/bin/nc',
  summary: 'netcat: open TCP/UDP connections, listen, check ports (nc -zv HOST PORT)',
  async run(ctx) {
    const o: NcOpts = { listen: false, keep: false, zero: false, verbose: false, udp: false, numeric: false, timeout: null, quit: null, shutdownOnEof: false, srcPort: null, srcAddr: null };
    const pos: string[] = [];
    const args = ctx.argv.slice(1);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (!a.startsWith('-') || a === '-') {
        pos.push(a);
        continue;
      }
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const takes = 'wqpsiIMmOPTVWXx'.includes(c);
        let v = '';
        if (takes) {
          v = a.slice(j + 1) || args[++i] || '';
          j = a.length;
          if (v === '') {
            ctx.err(`nc: option requires an argument -- '${c}'\n${USAGE}`);
            return 1;
          }
        }
        switch (c) {
          case 'l':
            o.listen = true;
            break;
          case 'k':
            o.keep = true;
            break;
          case 'z':
            o.zero = true;
            break;
          case 'v':
            o.verbose = true;
            break;
          case 'u':
            o.udp = true;
            break;
          case 'n':
            o.numeric = true;
            break;
          case 'N':
            o.shutdownOnEof = true;
            break;
          case 'w': {
            if (!/^\d+$/.test(v)) {
              ctx.err(`nc: timeout invalid: ${v}\n`);
              return 1;
            }
            o.timeout = Number(v);
            break;
          }
          case 'q':
            o.quit = Number(v);
            break;
          case 'p': {
            const p = Number(v);
            if (!/^\d+$/.test(v) || p < 1 || p > 65535) {
              ctx.err(`nc: port number invalid: ${v}\n`);
              return 1;
            }
            o.srcPort = p;
            break;
          }
          case 's':
            o.srcAddr = v;
            break;
          case '4':
          case 'd':
          case 'D':
          case 'C':
          case 'F':
          case 'r':
          case 'S':
          case 't':
          case 'Z':
          case 'i':
          case 'I':
          case 'M':
          case 'm':
          case 'O':
          case 'P':
          case 'T':
          case 'V':
          case 'W':
          case 'X':
          case 'x':
            break;
          case '6':
            ctx.err('nc: IPv6 is not modelled by the simulator\n');
            return 1;
          case 'h':
            ctx.err(USAGE);
            return 1;
          default:
            ctx.err(`nc: invalid option -- '${c}'\n${USAGE}`);
            return 1;
        }
      }
    }
    if (o.listen) return listen(ctx, o, pos);
    if (pos.length < 2) {
      ctx.err(USAGE);
      return 1;
    }
    return connect(ctx, o, pos[0], pos[1]);
  },
};

function parsePortArg(ctx: CommandContext, s: string, proto: 'tcp' | 'udp'): number[] | null {
  const m = /^(\d+)-(\d+)$/.exec(s);
  if (m) {
    const lo = Number(m[1]);
    const hi = Number(m[2]);
    if (lo < 1 || hi > 65535 || lo > hi) {
      ctx.err(`nc: port range not valid\n`);
      return null;
    }
    const out: number[] = [];
    for (let p = lo; p <= hi; p++) out.push(p);
    return out;
  }
  const n = /^\d+$/.test(s) ? Number(s) : servicePort(s, proto);
  if (n === undefined || n < 1 || n > 65535) {
    ctx.err(`nc: port number invalid: ${s}\n`);
    return null;
  }
  return [n];
}

async function listen(ctx: CommandContext, o: NcOpts, pos: string[]): Promise<number> {
  let addr: Ipv4 = 0;
  let portText: string | undefined;
  if (pos.length === 1) portText = pos[0];
  else if (pos.length >= 2) {
    const a = parseIpv4(pos[0]);
    if (a === null) {
      ctx.err(`nc: getaddrinfo for host "${pos[0]}" port ${pos[1]}: Name or service not known\n`);
      return 1;
    }
    addr = a;
    portText = pos[1];
  }
  if (portText === undefined && o.srcPort !== null) portText = String(o.srcPort);
  if (o.srcAddr) {
    const a = parseIpv4(o.srcAddr);
    if (a !== null) addr = a;
  }
  if (portText === undefined) {
    ctx.err('nc: missing port number\n');
    return 1;
  }
  const ports = parsePortArg(ctx, portText, o.udp ? 'udp' : 'tcp');
  if (!ports) return 1;
  const port = ports[0];
  const ns = ctx.ns;
  const pid = ctx.pid();
  let alive = true;
  let finished = false;
  const out = (t: string) => ctx.out(t);
  if (o.udp) {
    const sock = udpOpen(ns, {
      addr,
      port,
      owner: 'nc',
      onRecv: (text, from) => {
        if (o.verbose && !seen) ctx.err(`Connection received on ${formatIpv4(from.addr)} ${from.port}\n`);
        seen = true;
        out(text);
      },
    });
    let seen = false;
    if ('error' in sock) {
      ctx.err(`nc: bind failed: ${strerror(sock.error)}\n`);
      return 1;
    }
    if (o.verbose) ctx.err(`Bound on ${formatIpv4(addr)} ${port}\n`);
    const daemon = {
      name: 'nc',
      kill() {
        alive = false;
        udpClose(sock);
      },
      get alive() {
        return alive;
      },
    };
    if (ctx.background) {
      ctx.spawn(daemon);
      return 0;
    }
    await ctx.wait(() => !alive, Infinity);
    daemon.kill();
    return 130;
  }
  let listener: TcpListener | null = null;
  const l = tcpListen(ns, addr, port, 1, 'nc', pid, (conn) => {
    if (o.verbose) ctx.err(`Connection received on ${formatIpv4(conn.raddr)} ${conn.rport}\n`);
    if (!o.keep) listener?.close();
    conn.handlers = {
      onData: (t) => out(t),
      onEof: () => {
        conn.close();
        if (!o.keep) {
          alive = false;
          finished = true;
        }
      },
      onError: () => {
        if (!o.keep) {
          alive = false;
          finished = true;
        }
      },
    };
    if (ctx.stdin && !ctx.background) {
      conn.send(ctx.stdin);
    }
  });
  if ('error' in l) {
    ctx.err(`nc: ${l.error === 'EADDRINUSE' ? 'Address already in use' : strerror(l.error)}\n`);
    return 1;
  }
  listener = l;
  if (o.verbose) ctx.err(`Listening on ${formatIpv4(addr)} ${port}\n`);
  const daemon = {
    name: 'nc',
    kill() {
      alive = false;
      listener?.close();
    },
    get alive() {
      return alive;
    },
  };
  if (ctx.background) {
    ctx.spawn(daemon);
    return 0;
  }
  await ctx.wait(() => !alive, Infinity);
  daemon.kill();
  return finished ? 0 : 130;
}

async function connect(ctx: CommandContext, o: NcOpts, host: string, portText: string): Promise<number> {
  const proto = o.udp ? 'udp' : 'tcp';
  const ports = parsePortArg(ctx, portText, proto);
  if (!ports) return 1;
  let dst = parseIpv4(host);
  if (dst === null) {
    if (o.numeric) {
      ctx.err(`nc: getaddrinfo for host "${host}" port ${portText}: Name or service not known\n`);
      return 1;
    }
    const r = await resolveHost(ctx, host);
    if (r === null) return 130;
    if (!r.ok) {
      ctx.err(`nc: getaddrinfo for host "${host}" port ${portText}: ${gaiError(r.error)}\n`);
      return 1;
    }
    dst = r.addr;
  }
  let status = 1;
  for (const port of ports) {
    const ok = o.udp ? await udpConnect(ctx, o, host, dst, port) : await tcpConnect(ctx, o, host, dst, port);
    if (ok === 130) return 130;
    if (ok === 0) status = 0;
  }
  return status;
}

async function tcpConnect(ctx: CommandContext, o: NcOpts, host: string, dst: Ipv4, port: number): Promise<number> {
  const world = ctx.world;
  const srcAddr = o.srcAddr ? (parseIpv4(o.srcAddr) ?? undefined) : undefined;
  const c = TcpConn.connect(ctx.ns, dst, port, { owner: 'nc', pid: ctx.pid(), src: srcAddr, sport: o.srcPort ?? undefined });
  // netcat-openbsd reports a failed connect only in verbose mode; the exit status says it anyway
  const fail = (why: string, verb = 'failed') => {
    if (o.verbose) ctx.err(`nc: connect to ${host} port ${port} (tcp) ${verb}: ${why}\n`);
    return 1;
  };
  if ('error' in c) return fail(strerror(c.error));
  let state: 'pending' | 'up' | string = 'pending';
  let received = '';
  let eof = false;
  c.handlers = {
    onConnect: () => {
      state = 'up';
    },
    onError: (e) => {
      if (state === 'pending') state = e;
      else eof = true;
    },
    onData: (t) => {
      received += t;
      ctx.out(t);
    },
    onEof: () => {
      eof = true;
    },
  };
  void received;
  const deadline = o.timeout !== null ? world.now + o.timeout * SECOND : Infinity;
  const ok = await ctx.wait(() => state !== 'pending', deadline);
  if (state === 'pending') {
    c.destroy();
    if (!ok && ctx.interrupt.interrupted && o.timeout === null) return 130;
    return fail('Operation now in progress', 'timed out');
  }
  if (state !== 'up') return fail(strerror(state === 'ETIMEDOUT' ? 'ETIMEDOUT' : state));
  if (o.verbose) ctx.err(`Connection to ${host} ${port} port [${serviceLabel(port, 'tcp')}] succeeded!\n`);
  if (o.zero) {
    c.close();
    return 0;
  }
  if (ctx.stdin) c.send(ctx.stdin);
  // stdin is at EOF now: -N shuts down the write side, -q N quits N seconds later
  if (o.shutdownOnEof) c.close();
  const quitAt = o.quit !== null && o.quit >= 0 ? world.now + o.quit * SECOND : Infinity;
  const idle = o.timeout !== null ? world.now + o.timeout * SECOND : Infinity;
  const done = await ctx.wait(() => eof, Math.min(quitAt, idle));
  c.close();
  if (!done && ctx.interrupt.interrupted) return 130;
  return 0;
}

async function udpConnect(ctx: CommandContext, o: NcOpts, host: string, dst: Ipv4, port: number): Promise<number> {
  const world = ctx.world;
  let refused = false;
  const sock = udpOpen(ctx.ns, {
    owner: 'nc',
    port: o.srcPort ?? undefined,
    onRecv: (text) => ctx.out(text),
    onError: (info) => {
      if (info.type === 3 && info.code === 3) refused = true;
    },
  });
  if ('error' in sock) {
    ctx.err(`nc: bind failed: ${strerror(sock.error)}\n`);
    return 1;
  }
  const payload = o.zero ? 'X' : ctx.stdin;
  const err = payload ? udpSend(sock, dst, port, payload, { by: 'nc (UDP)' }) : null;
  if (err) {
    udpClose(sock);
    if (o.verbose) ctx.err(`nc: connect to ${host} port ${port} (udp) failed: ${strerror(err.errno)}\n`);
    return 1;
  }
  const wait = o.zero ? (o.timeout ?? 1) * SECOND : o.timeout !== null ? o.timeout * SECOND : o.quit !== null ? o.quit * SECOND : Infinity;
  await ctx.wait(() => refused, world.now + wait);
  udpClose(sock);
  if (refused && o.zero) return 1;
  if (o.verbose) ctx.err(`Connection to ${host} ${port} port [${serviceLabel(port, 'udp')}] succeeded!\n`);
  return 0;
}
