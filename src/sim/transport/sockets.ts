/**
 * The sockets of one namespace: TCP listeners and connections, UDP sockets, ICMP echo (ping)
 * sockets. The stack hands arriving segments and datagrams here (demux); applications create
 * sockets through the helpers in tcp.ts / udp.ts.
 */
import type { Ipv4 } from '../wire/addr.ts';
import type { Netns } from '../net/model.ts';
import type { Packet } from '../wire/packet.ts';
import type { TcpConn, TcpListener } from './tcp.ts';

export interface UdpSocket {
  readonly ns: Netns;
  /** bound address (0 = any) */
  readonly addr: Ipv4;
  readonly port: number;
  /** the process that owns it (for ss -p and traces) */
  readonly owner: string;
  /** its pid for ss -p, when the owner is a process of its own (otherwise ss shows 1) */
  readonly pid?: number;
  /** connected peer, if any */
  remote: { addr: Ipv4; port: number } | null;
  onRecv(data: string, from: { addr: Ipv4; port: number }, pkt: Packet, to: Ipv4): void;
  /** an ICMP error about a datagram this socket sent (IP_RECVERR) */
  onError?(info: IcmpErrorInfo): void;
  closed: boolean;
}

export interface IcmpErrorInfo {
  readonly type: number;
  readonly code: number;
  /** who sent the error */
  readonly from: Ipv4;
  readonly mtu?: number;
  /** the datagram the error is about */
  readonly original: Packet;
  /** the ICMP packet itself (its TTL, size) */
  readonly packet: Packet;
}

/** An ICMP echo socket (what ping opens): gets echo replies and errors for its id. */
export interface EchoSocket {
  readonly id: number;
  onReply(pkt: Packet): void;
  onError(info: IcmpErrorInfo): void;
}

export class SocketTable {
  readonly ns: Netns;
  readonly tcpListeners = new Map<string, TcpListener>();
  readonly tcpConns = new Map<string, TcpConn>();
  /** connections by local port, for portInUse */
  private readonly tcpPortUsers = new Map<number, Set<TcpConn>>();
  readonly udp = new Map<string, UdpSocket>();
  readonly echo = new Map<number, EchoSocket>();
  /** UDP ports with a VXLAN receive socket in this namespace */
  readonly vxlanPorts = new Map<number, number>();

  constructor(ns: Netns) {
    this.ns = ns;
  }

  static key(addr: Ipv4, port: number): string {
    return `${addr}:${port}`;
  }

  static connKey(laddr: Ipv4, lport: number, raddr: Ipv4, rport: number): string {
    return `${laddr}:${lport}-${raddr}:${rport}`;
  }

  /** A free ephemeral port in net.ipv4.ip_local_port_range, picked from the world's seeded RNG. */
  ephemeralPort(proto: 'tcp' | 'udp', laddr: Ipv4): number {
    const range = (this.ns.sysctlGet('net.ipv4.ip_local_port_range') ?? '32768\t60999').split(/\s+/).map(Number);
    const lo = range[0] || 32768;
    const hi = range[1] || 60999;
    for (let tries = 0; tries < 64; tries++) {
      const p = this.ns.world.rng.int(lo, hi);
      if (!this.portInUse(proto, laddr, p)) return p;
    }
    for (let p = lo; p <= hi; p++) if (!this.portInUse(proto, laddr, p)) return p;
    return 0;
  }

  portInUse(proto: 'tcp' | 'udp', addr: Ipv4, port: number): boolean {
    if (proto === 'udp') return this.udp.has(SocketTable.key(addr, port)) || this.udp.has(SocketTable.key(0, port));
    if (this.tcpListeners.has(SocketTable.key(addr, port)) || this.tcpListeners.has(SocketTable.key(0, port))) return true;
    const users = this.tcpPortUsers.get(port);
    if (!users) return false;
    if (addr === 0) return true;
    for (const c of users) if (c.laddr === addr) return true;
    return false;
  }

  /** Index a connection by its local port (so that finding a free port does not scan them all). */
  addConn(c: TcpConn): void {
    this.tcpConns.set(SocketTable.connKey(c.laddr, c.lport, c.raddr, c.rport), c);
    let set = this.tcpPortUsers.get(c.lport);
    if (!set) {
      set = new Set();
      this.tcpPortUsers.set(c.lport, set);
    }
    set.add(c);
  }

  removeConn(c: TcpConn): void {
    const key = SocketTable.connKey(c.laddr, c.lport, c.raddr, c.rport);
    if (this.tcpConns.get(key) === c) this.tcpConns.delete(key);
    const set = this.tcpPortUsers.get(c.lport);
    if (set) {
      set.delete(c);
      if (!set.size) this.tcpPortUsers.delete(c.lport);
    }
  }

  findListener(addr: Ipv4, port: number): TcpListener | undefined {
    return this.tcpListeners.get(SocketTable.key(addr, port)) ?? this.tcpListeners.get(SocketTable.key(0, port));
  }

  findUdp(addr: Ipv4, port: number): UdpSocket | undefined {
    return this.udp.get(SocketTable.key(addr, port)) ?? this.udp.get(SocketTable.key(0, port));
  }

  /** Every socket closes (the namespace is going away). */
  closeAll(): void {
    for (const c of [...this.tcpConns.values()]) c.destroy();
    for (const l of [...this.tcpListeners.values()]) l.close();
    for (const u of this.udp.values()) u.closed = true;
    this.udp.clear();
    this.echo.clear();
  }
}
