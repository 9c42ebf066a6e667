/**
 * `ss` (iproute2 6.1): TCP and UDP sockets of the current namespace, with ss's column layout
 * (each column as wide as its widest cell, addresses right-aligned before the colon).
 */
import type { Command } from '../context.ts';
import { formatIpv4 } from '../../sim/wire/addr.ts';
import { serviceName } from '../../sim/data/services.ts';

interface Row {
  netid: string;
  state: string;
  recvQ: string;
  sendQ: string;
  laddr: string;
  lport: string;
  raddr: string;
  rport: string;
  proc: string;
}

const STATE_NAMES: Record<string, string> = {
  'SYN-SENT': 'SYN-SENT',
  'SYN-RECV': 'SYN-RECV',
  ESTAB: 'ESTAB',
  'FIN-WAIT-1': 'FIN-WAIT-1',
  'FIN-WAIT-2': 'FIN-WAIT-2',
  'CLOSE-WAIT': 'CLOSE-WAIT',
  CLOSING: 'CLOSING',
  'LAST-ACK': 'LAST-ACK',
  'TIME-WAIT': 'TIME-WAIT',
};

export const ssCommand: Command = {
  name: 'ss',
  path: '/usr/bin/ss',
  summary: 'list sockets (ss -tulpn)',
  run(ctx) {
    let tcp = false;
    let udp = false;
    let listening = false;
    let all = false;
    let numeric = false;
    let procs = false;
    let summary = false;
    const filters: string[] = [];
    for (const a of ctx.argv.slice(1)) {
      if (a.startsWith('--')) {
        const n = a.slice(2);
        if (n === 'tcp') tcp = true;
        else if (n === 'udp') udp = true;
        else if (n === 'listening') listening = true;
        else if (n === 'all') all = true;
        else if (n === 'numeric') numeric = true;
        else if (n === 'processes') procs = true;
        else if (n === 'summary') summary = true;
        else if (n === 'ipv4' || n === 'extended' || n === 'info' || n === 'memory' || n === 'options') continue;
        else {
          ctx.err(`ss: unrecognized option '${a}'\nUsage: ss [ OPTIONS ]\n       ss [ OPTIONS ] [ FILTER ]\n`);
          return 1;
        }
        continue;
      }
      if (a.startsWith('-') && a.length > 1) {
        for (const c of a.slice(1)) {
          if (c === 't') tcp = true;
          else if (c === 'u') udp = true;
          else if (c === 'l') listening = true;
          else if (c === 'a') all = true;
          else if (c === 'n') numeric = true;
          else if (c === 'p') procs = true;
          else if (c === 's') summary = true;
          else if ('4eimoHOxw'.includes(c)) continue;
          else if (c === '6') continue;
          else {
            ctx.err(`ss: invalid option -- '${c}'\nUsage: ss [ OPTIONS ]\n       ss [ OPTIONS ] [ FILTER ]\n`);
            return 1;
          }
        }
        continue;
      }
      filters.push(a);
    }
    if (!tcp && !udp) {
      tcp = true;
      udp = !listening;
    }
    const socks = ctx.ns.sockets;
    if (summary) {
      const est = [...socks.tcpConns.values()].filter((c) => c.state === 'ESTAB').length;
      ctx.out(`Total: ${socks.tcpConns.size + socks.tcpListeners.size + socks.udp.size}\nTCP:   ${socks.tcpConns.size + socks.tcpListeners.size} (estab ${est}, closed 0, orphaned 0, timewait ${[...socks.tcpConns.values()].filter((c) => c.state === 'TIME-WAIT').length})\n\nTransport Total     IP        IPv6\nRAW\t  0         0         0        \nUDP\t  ${socks.udp.size}         ${socks.udp.size}         0        \nTCP\t  ${socks.tcpConns.size + socks.tcpListeners.size}         ${socks.tcpConns.size + socks.tcpListeners.size}         0        \nINET\t  ${socks.tcpConns.size + socks.tcpListeners.size + socks.udp.size}         ${socks.tcpConns.size + socks.tcpListeners.size + socks.udp.size}         0        \nFRAG\t  0         0         0        \n\n`);
      return 0;
    }
    const port = (p: number, proto: 'tcp' | 'udp') => (numeric ? String(p) : (serviceName(p, proto) ?? String(p)));
    const addr = (a: number) => (a === 0 ? '0.0.0.0' : formatIpv4(a));
    const rows: Row[] = [];
    const showListen = listening || all;
    const showConn = !listening || all;
    if (tcp) {
      if (showListen) {
        for (const l of [...socks.tcpListeners.values()].sort((a, b) => a.port - b.port)) {
          rows.push({ netid: 'tcp', state: 'LISTEN', recvQ: '0', sendQ: String(l.backlog), laddr: addr(l.addr), lport: port(l.port, 'tcp'), raddr: '0.0.0.0', rport: '*', proc: procs ? `users:(("${l.owner}",pid=${l.pid},fd=3))` : '' });
        }
      }
      if (showConn) {
        for (const c of [...socks.tcpConns.values()].sort((a, b) => a.lport - b.lport)) {
          if (c.state === 'CLOSED') continue;
          // without -a, ss hides TIME-WAIT and SYN-RECV sockets (SS_CONN)
          if (!all && (c.state === 'TIME-WAIT' || c.state === 'SYN-RECV') && !filters.includes('state')) continue;
          rows.push({ netid: 'tcp', state: STATE_NAMES[c.state] ?? c.state, recvQ: String(c.recvQ), sendQ: String(c.sendQ), laddr: addr(c.laddr), lport: port(c.lport, 'tcp'), raddr: addr(c.raddr), rport: port(c.rport, 'tcp'), proc: procs && c.state !== 'TIME-WAIT' ? `users:(("${c.owner}",pid=${c.pid},fd=3))` : '' });
        }
      }
    }
    if (udp) {
      const udpRows: { port: number; row: Row }[] = [];
      for (const u of socks.udp.values()) {
        const connected = u.remote !== null;
        if (!showListen && !connected) continue;
        udpRows.push({ port: u.port, row: { netid: 'udp', state: connected ? 'ESTAB' : 'UNCONN', recvQ: '0', sendQ: '0', laddr: addr(u.addr), lport: port(u.port, 'udp'), raddr: connected ? addr(u.remote!.addr) : '0.0.0.0', rport: connected ? port(u.remote!.port, 'udp') : '*', proc: procs ? `users:(("${u.owner}",pid=${u.pid ?? 1},fd=3))` : '' } });
      }
      // the kernel's own UDP socket of each VXLAN port in use here (no process owns it)
      if (showListen) {
        const vxPorts = new Set(ctx.world.allNamespaces().flatMap((n) => n.allLinks()).filter((l) => l.vxlan && l.vxlan.underlay === ctx.ns && l.adminUp).map((l) => l.vxlan!.dstport));
        for (const p of vxPorts) udpRows.push({ port: p, row: { netid: 'udp', state: 'UNCONN', recvQ: '0', sendQ: '0', laddr: '0.0.0.0', lport: port(p, 'udp'), raddr: '0.0.0.0', rport: '*', proc: '' } });
      }
      for (const r of udpRows.sort((a, b) => a.port - b.port)) rows.push(r.row);
    }
    const filtered = rows.filter((r) => {
      for (let i = 0; i < filters.length; i++) {
        const f = filters[i];
        if ((f === 'sport' || f === 'dport') && filters[i + 1] === '=' && filters[i + 2]) {
          const want = filters[i + 2].replace(/^:/, '');
          const have = f === 'sport' ? r.lport : r.rport;
          if (have !== want && String(serviceName(Number(want), 'tcp')) !== have) return false;
          i += 2;
        } else if (f === 'state' && filters[i + 1]) {
          const want = filters[i + 1].toUpperCase();
          if (!(r.state === want || (want === 'ESTABLISHED' && r.state === 'ESTAB') || (want === 'LISTENING' && r.state === 'LISTEN'))) return false;
          i += 1;
        }
      }
      return true;
    });
    const showNetid = tcp && udp;
    const cols: { head: string; right: boolean; delim: string; get: (r: Row) => string }[] = [];
    if (showNetid) cols.push({ head: 'Netid', right: false, delim: '', get: (r) => r.netid });
    cols.push({ head: 'State', right: false, delim: ' ', get: (r) => r.state });
    cols.push({ head: 'Recv-Q', right: false, delim: ' ', get: (r) => r.recvQ });
    cols.push({ head: 'Send-Q', right: false, delim: ' ', get: (r) => r.sendQ });
    cols.push({ head: 'Local Address:', right: true, delim: ' ', get: (r) => `${r.laddr}:` });
    cols.push({ head: 'Port', right: false, delim: '', get: (r) => r.lport });
    cols.push({ head: 'Peer Address:', right: true, delim: ' ', get: (r) => `${r.raddr}:` });
    cols.push({ head: 'Port', right: false, delim: '', get: (r) => r.rport });
    cols.push({ head: 'Process', right: false, delim: '', get: (r) => r.proc });
    // ss: the first column has no leading delimiter
    const widths = cols.map((c, i) => Math.max(c.head.length, ...filtered.map((r) => c.get(r).length)) + (i === 0 ? 0 : c.delim.length));
    const cell = (text: string, i: number) => {
      const c = cols[i];
      const d = i === 0 ? '' : c.delim;
      const w = widths[i] - d.length;
      return d + (c.right ? text.padStart(w) : text.padEnd(w));
    };
    ctx.out(`${cols.map((c, i) => cell(c.head, i)).join('')}\n`);
    for (const r of filtered) ctx.out(`${cols.map((c, i) => cell(c.get(r), i)).join('')}\n`);
    return 0;
  },
};
