/**
 * BusyBox `netstat` (networking/netstat.c with FEATURE_NETSTAT_WIDE and _PRG): the sockets of
 * /proc/net/{tcp,tcp6,udp,udp6,raw,raw6,unix} in its fixed layout (addresses in 23 columns, 51
 * with -W, "PID/Program name" with -p), or the routing table with -r (route.ts).
 *
 * Without -t/-u/-w/-x every kind is listed, UNIX sockets too (the simulator has none, so only
 * their header shows). IPv4 sockets come before IPv6 ones, as the two files are read in turn;
 * within a file the kernel's order is its hash tables' (random per namespace): here by port.
 */
import type { CommandContext } from '../../context.ts';
import { formatIpv4, type Ipv4 } from '../../../sim/wire/addr.ts';
import { serviceName } from '../../../sim/data/services.ts';
import type { TcpState } from '../../../sim/transport/tcp.ts';
import { reverseName } from '../net-util.ts';
import { bbDisplayRoutes } from './route.ts';
import { getopt, has, socketNote, type Bb } from './common.ts';

const TCP_STATES: Partial<Record<TcpState, string>> = {
  ESTAB: 'ESTABLISHED',
  'SYN-SENT': 'SYN_SENT',
  'SYN-RECV': 'SYN_RECV',
  'FIN-WAIT-1': 'FIN_WAIT1',
  'FIN-WAIT-2': 'FIN_WAIT2',
  'TIME-WAIT': 'TIME_WAIT',
  'CLOSE-WAIT': 'CLOSE_WAIT',
  'LAST-ACK': 'LAST_ACK',
  CLOSING: 'CLOSING',
};

interface Row {
  proto: 'tcp' | 'udp';
  v6: boolean;
  laddr: Ipv4;
  lport: number;
  raddr: Ipv4;
  rport: number;
  state: string;
  connected: boolean;
  recvQ: number;
  sendQ: number;
  /** "PID/name", or "-" when no process holds the socket */
  prog: string;
}

export function bbNetstat(ctx: CommandContext, bb: Bb): number {
  const p = getopt(ctx, bb, 'netstat', 'laentuwxrWp');
  let listening = false;
  let connected = true;
  if (has(p, 'l')) {
    connected = false;
    listening = true;
  }
  if (has(p, 'a')) listening = connected = true;
  const numeric = has(p, 'n');
  if (has(p, 'r')) {
    bbDisplayRoutes(ctx, ctx.ns, numeric, !has(p, 'e'));
    return 0;
  }
  const width = has(p, 'W') ? 51 : 23;
  const prg = has(p, 'p');
  let tcp = has(p, 't');
  let udp = has(p, 'u');
  let raw = has(p, 'w');
  let unix = has(p, 'x');
  if (!tcp && !udp && !raw && !unix) tcp = udp = raw = unix = true;
  const which = listening && connected ? '(servers and established)' : listening ? '(only servers)' : '(w/o servers)';
  let out = '';
  if (tcp || udp || raw) {
    out += `Active Internet connections ${which}\nProto Recv-Q Send-Q ${'Local Address'.padEnd(width)} ${'Foreign Address'.padEnd(width)} State       ${prg ? 'PID/Program name    ' : ''}\n`;
  }
  const socks = ctx.ns.sockets;
  const rows: Row[] = [];
  if (tcp) {
    for (const l of socks.tcpListeners.values()) {
      rows.push({ proto: 'tcp', v6: !!socketNote(l).v6, laddr: l.addr, lport: l.port, raddr: 0, rport: 0, state: 'LISTEN', connected: false, recvQ: 0, sendQ: 0, prog: `${l.pid}/${l.owner}` });
    }
    for (const c of socks.tcpConns.values()) {
      const state = TCP_STATES[c.state];
      if (!state) continue;
      const tw = c.state === 'TIME-WAIT';
      rows.push({ proto: 'tcp', v6: !!socketNote(c).v6, laddr: c.laddr, lport: c.lport, raddr: c.raddr, rport: c.rport, state, connected: true, recvQ: tw ? 0 : c.recvQ, sendQ: tw ? 0 : c.sendQ, prog: tw ? '-' : `${c.pid}/${c.owner}` });
    }
  }
  if (udp) {
    for (const u of socks.udp.values()) {
      if (u.closed) continue;
      const note = socketNote(u);
      const remote = u.remote;
      rows.push({ proto: 'udp', v6: !!note.v6, laddr: u.addr, lport: u.port, raddr: remote?.addr ?? 0, rport: remote?.port ?? 0, state: remote ? 'ESTABLISHED' : '', connected: remote !== null, recvQ: 0, sendQ: 0, prog: note.pid !== undefined ? `${note.pid}/${u.owner}` : '-' });
    }
  }
  // /proc/net/tcp lists listening sockets before the others; tcp6 follows tcp, udp6 udp
  const rank = (r: Row) => (r.proto === 'tcp' ? 0 : 2) + (r.v6 ? 1 : 0);
  rows.sort((a, b) => rank(a) - rank(b) || Number(a.connected) - Number(b.connected) || a.lport - b.lport || a.rport - b.rport);
  const host = (ip: Ipv4, v6: boolean): string => {
    if (v6) return ip === 0 ? '::' : `::ffff:${formatIpv4(ip)}`;
    return (!numeric && ip !== 0 ? reverseName(ctx, ip) : null) ?? formatIpv4(ip);
  };
  const port = (n: number, proto: 'tcp' | 'udp'): string => (n === 0 ? '*' : ((!numeric ? serviceName(n, proto) : undefined) ?? String(n)));
  for (const r of rows) {
    if (r.connected ? !connected : !listening) continue;
    const l = `${host(r.laddr, r.v6)}:${port(r.lport, r.proto)}`;
    const f = `${host(r.raddr, r.v6)}:${port(r.rport, r.proto)}`;
    out += `${r.proto}   ${String(r.recvQ).padStart(6)} ${String(r.sendQ).padStart(6)} ${l.padEnd(width)} ${f.padEnd(width)} ${r.state.padEnd(12)}${prg ? r.prog.slice(0, 19) : ''}\n`;
  }
  if (unix) out += `Active UNIX domain sockets ${which}\nProto RefCnt Flags       Type       State         I-Node ${prg ? 'PID/Program name    ' : ''}Path\n`;
  ctx.out(out);
  return 0;
}
