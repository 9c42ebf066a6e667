/**
 * BusyBox `nc` as Alpine builds it (networking/nc_bloaty.c, CONFIG_NC_110_COMPAT): nc 1.10's
 * options -l -p -s -u -v -w -n -z -k. Connects quietly: failures only show with -v (refusals
 * only with -vv), "HOST (IP:PORT) open" with -v; exit 1 on any failure.
 */
import type { CommandContext } from '../../context.ts';
import { SECOND } from '../../../sim/engine/scheduler.ts';
import { formatIpv4, parseIpv4 } from '../../../sim/wire/addr.ts';
import { TcpConn, tcpListen, type TcpListener } from '../../../sim/transport/tcp.ts';
import { udpClose, udpOpen, udpSend } from '../../../sim/transport/udp.ts';
import { servicePort } from '../../../sim/data/services.ts';
import { bbResolve } from './ping.ts';
import { count, die, getopt, has, last, noteSocket, progName, showUsage, xatou, type Bb, bbStrerror } from './common.ts';

function lookupPort(ctx: CommandContext, s: string | undefined, proto: 'tcp' | 'udp'): number {
  if (s === undefined) return 0;
  if (/^\d+$/.test(s) && Number(s) <= 65535) return Number(s);
  const svc = servicePort(s, proto);
  if (svc !== undefined) return svc;
  die(ctx, 'nc', `bad port '${s}'`);
}

export async function bbNc(ctx: CommandContext, bb: Bb): Promise<number> {
  const p = getopt(ctx, bb, 'nc', 'np:s:ubvw:lki:o:ze');
  if (p.args.length > 2) showUsage(ctx, bb, 'nc');
  const udp = has(p, 'u');
  const proto = udp ? 'udp' : 'tcp';
  const verbose = count(p, 'v');
  const wait = has(p, 'w') ? xatou(ctx, 'nc', last(p, 'w')!) : null;
  const lport = has(p, 'p') ? lookupPort(ctx, last(p, 'p'), proto) : 0;
  const ns = ctx.ns;
  const world = ctx.world;
  const comm = progName(bb, 'nc');
  if (has(p, 'l')) {
    // without -s the listening socket is an IPv6 one on :: (dual-stack), as netstat shows it
    const v6 = !has(p, 's');
    const pid = ctx.pid();
    let bind = 0;
    if (has(p, 's')) bind = await bbResolve(ctx, 'nc', last(p, 's')!);
    if (udp) {
      if (!lport) die(ctx, 'nc', 'UDP listen needs nonzero -p port');
      let alive = true;
      const sock = udpOpen(ns, { addr: bind, port: lport, owner: comm, onRecv: (text) => ctx.out(text) });
      if ('error' in sock) die(ctx, 'nc', `bind: ${bbStrerror(bb, sock.error)}`);
      noteSocket(sock, { pid, v6 });
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
    let alive = true;
    let finished = false;
    let listener: TcpListener | null = null;
    // stdin at EOF (a background job's /dev/null, a script's): nc shuts down its sending side
    const stdinEof = ctx.background || !ctx.interactive || ctx.stdin !== '';
    const l = tcpListen(ns, bind, lport, 1, comm, pid, (conn) => {
      // the accepted socket replaces the listening one: one connection, -k or not (without -e)
      listener?.close();
      noteSocket(conn, { v6 });
      if (verbose) ctx.err(`connect to ${formatIpv4(conn.laddr)}:${conn.lport} from ${formatIpv4(conn.raddr)}:${conn.rport} (${formatIpv4(conn.raddr)}:${conn.rport})\n`);
      conn.handlers = {
        onData: (t) => ctx.out(t),
        onEof: () => {
          conn.close();
          alive = false;
          finished = true;
        },
        onError: () => {
          alive = false;
          finished = true;
        },
      };
      if (ctx.stdin && !ctx.background) conn.send(ctx.stdin);
      if (stdinEof) conn.close();
    });
    if ('error' in l) die(ctx, 'nc', `bind: ${bbStrerror(bb, l.error)}`);
    noteSocket(l, { v6 });
    listener = l;
    if (verbose) ctx.err(`listening on [::]:${lport} ...\n`);
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
  if (!p.args.length) showUsage(ctx, bb, 'nc');
  const host = p.args[0];
  const dst = await bbResolve(ctx, 'nc', host);
  const port = lookupPort(ctx, p.args[1], proto);
  const dotted = `${formatIpv4(dst)}:${port}`;
  let sent = 0;
  let rcvd = 0;
  const finish = (status: number) => {
    if (verbose > 1) ctx.err(`sent ${sent}, rcvd ${rcvd}\n`);
    return status;
  };
  const failed = (errno: string) => {
    if (verbose > 1 || (verbose && errno !== 'ECONNREFUSED')) ctx.err(`nc: ${host} (${dotted}): ${bbStrerror(bb, errno)}\n`);
    return finish(1);
  };
  if (udp) {
    let refused = false;
    const sock = udpOpen(ns, {
      owner: comm,
      port: lport || undefined,
      onRecv: (text) => {
        rcvd += text.length;
        ctx.out(text);
      },
      onError: (info) => {
        if (info.type === 3 && info.code === 3) refused = true;
      },
    });
    if ('error' in sock) die(ctx, 'nc', `bind: ${bbStrerror(bb, sock.error)}`);
    if (verbose) ctx.err(`${host} (${dotted}) open\n`);
    if (has(p, 'z')) {
      udpClose(sock);
      return finish(0);
    }
    if (ctx.stdin) {
      const err = udpSend(sock, dst, port, ctx.stdin, { by: 'nc (UDP)' });
      if (err) {
        udpClose(sock);
        return failed(err.errno);
      }
      sent += ctx.stdin.length;
    }
    await ctx.wait(() => refused, wait !== null ? world.now + wait * SECOND : world.now + 60 * SECOND);
    udpClose(sock);
    return finish(refused ? 1 : 0);
  }
  const c = TcpConn.connect(ns, dst, port, { owner: comm, pid: ctx.pid(), sport: lport || undefined });
  if ('error' in c) return failed(c.error);
  let state = 'pending';
  let eof = false;
  c.handlers = {
    onConnect: () => {
      state = 'up';
    },
    onError: (e) => {
      if (state === 'pending') state = e;
      eof = true;
    },
    onData: (t) => {
      rcvd += t.length;
      ctx.out(t);
    },
    onEof: () => {
      eof = true;
    },
  };
  const limit = wait !== null ? world.now + wait * SECOND : Infinity;
  const ok = await ctx.wait(() => state !== 'pending', limit);
  if (state === 'pending') {
    c.destroy();
    if (!ok && ctx.interrupt.interrupted && wait === null) return 130;
    return failed('ETIMEDOUT');
  }
  if (state !== 'up') return failed(state);
  if (verbose) ctx.err(`${host} (${dotted}) open\n`);
  if (has(p, 'z')) {
    c.close();
    return finish(0);
  }
  if (ctx.stdin) {
    c.send(ctx.stdin);
    sent += ctx.stdin.length;
  }
  // stdin is at EOF: with -w, wait that long for the network, else until the peer closes
  const done = await ctx.wait(() => eof, wait !== null ? world.now + wait * SECOND : Infinity);
  c.close();
  if (!done && ctx.interrupt.interrupted && wait === null) return 130;
  return finish(0);
}
