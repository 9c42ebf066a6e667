/**
 * UDP sockets: bind, send a datagram, receive, and the ICMP port unreachable a closed port gives.
 * VXLAN receive sockets are UDP sockets too (ports 4789 and 8472).
 */
import { formatIpv4, type Ipv4 } from '../wire/addr.ts';
import { IPPROTO_UDP, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, type AppData, type Packet } from '../wire/packet.ts';
import { drop, emit, icmpSendError, ipOutput, processVxlan, type SendError, type Skb } from '../net/stack.ts';
import type { Link, Netns } from '../net/model.ts';
import { SocketTable, type IcmpErrorInfo, type UdpSocket } from './sockets.ts';
import { routeOutput } from '../net/route.ts';

export interface UdpOpenOptions {
  addr?: Ipv4;
  port?: number;
  owner: string;
  pid?: number;
  onRecv: UdpSocket['onRecv'];
  onError?: (info: IcmpErrorInfo) => void;
}

export function udpOpen(ns: Netns, o: UdpOpenOptions): UdpSocket | { error: string } {
  const addr = o.addr ?? 0;
  let port = o.port ?? 0;
  if (port === 0) port = ns.sockets.ephemeralPort('udp', addr);
  else if (ns.sockets.udp.has(SocketTable.key(addr, port)) || (addr === 0 && [...ns.sockets.udp.values()].some((u) => u.port === port)) || ns.sockets.udp.has(SocketTable.key(0, port))) {
    return { error: 'EADDRINUSE' };
  }
  if (addr !== 0 && !ns.isLocalAddr(addr)) return { error: 'EADDRNOTAVAIL' };
  const s: UdpSocket = { ns, addr, port, owner: o.owner, pid: o.pid, remote: null, onRecv: o.onRecv, onError: o.onError, closed: false };
  ns.sockets.udp.set(SocketTable.key(addr, port), s);
  return s;
}

export function udpClose(s: UdpSocket): void {
  s.closed = true;
  const k = SocketTable.key(s.addr, s.port);
  if (s.ns.sockets.udp.get(k) === s) s.ns.sockets.udp.delete(k);
}

function dataLength(d: string | AppData): number {
  if (typeof d === 'string') return d.length;
  if (d.kind === 'bytes') return d.text.length;
  const m = d.msg;
  // header + question + answers (compressed names), roughly as on the wire
  const q = m.qname.length + 2 + 4;
  // (Docker's embedded DNS writes its own answers uncompressed and without an OPT record)
  if (m.plain) return 12 + q + m.answers.reduce((n, a) => n + a.name.replace(/\.$/, '').length + 2 + 10 + (a.type === 1 ? 4 : a.type === 28 ? 16 : a.data.length + 2), 0);
  const ans = m.answers.reduce((n, a) => n + 12 + (a.type === 1 ? 4 : a.data.length + 2), 0);
  return 12 + q + ans + 11;
}

/** sendto(): one datagram. Returns the local error the socket sees at once, if any. */
export function udpSend(s: UdpSocket, dst: Ipv4, dport: number, data: string | AppData, opts: { ttl?: number; oif?: Link; by?: string } = {}): SendError | null {
  const ns = s.ns;
  const r = routeOutput(ns, dst, opts.oif, s.addr || undefined);
  if (!r.ok) return { errno: r.error };
  const len = dataLength(data);
  const app: AppData = typeof data === 'string' ? { kind: 'bytes', text: data } : data;
  const p: Packet = {
    id: ns.world.nextPacketId(),
    ip: { src: r.src, dst, ttl: opts.ttl ?? Number(ns.sysctlGet('net.ipv4.ip_default_ttl') ?? 64), proto: IPPROTO_UDP, id: ns.nextIpId(), df: false, mf: false, fragOffset: 0, totalLength: 20 + 8 + len },
    udp: { sport: s.port, dport },
    payloadLen: len,
    data: app,
  };
  return ipOutput(ns, p, { route: r, by: opts.by ?? `${s.owner} (UDP)`, oif: opts.oif });
}

/** udp_rcv: VXLAN sockets first, then the bound socket, else ICMP port unreachable. */
export function processUdp(skb: Skb, broadcast: boolean): void {
  const ns = skb.ns;
  const p = skb.pkt;
  const ip = p.ip!;
  const u = p.udp!;
  if (p.vxlan && processVxlan(ns, skb)) return;
  const s = ns.sockets.findUdp(ip.dst, u.dport);
  if (s && !s.closed) {
    emit(ns, 'deliver', p, `datagram delivered to ${s.owner} (UDP port ${u.dport})`, skb.inDev);
    const text = p.data?.kind === 'bytes' ? p.data.text : '';
    s.onRecv(text, { addr: ip.src, port: u.sport }, p, ip.dst);
    return;
  }
  // a VXLAN device's socket has the port: it takes (and checks) everything sent there
  if (!p.vxlan && processVxlan(ns, skb)) return;
  drop(ns, p, 'NO_SOCKET', `UDP port ${u.dport} closed: ICMP port unreachable (nothing listens on ${formatIpv4(ip.dst)}:${u.dport})`, skb.inDev);
  if (!broadcast) icmpSendError(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH);
}
