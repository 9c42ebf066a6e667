/**
 * TCP at the level a learner sees it: the three-way handshake, data segments, the FIN/ACK close,
 * RST for closed ports, retransmission of lost SYNs and data, and the errors connect() returns.
 *
 * Segment sizes match Linux: SYN and SYN-ACK carry 20 bytes of options (MSS, SACK-permitted,
 * timestamps, window scale); later segments carry the 12-byte timestamp option; a RST answering
 * an unexpected segment carries none. Windows follow Linux's initial choices: the receive window
 * is 64 KiB rounded down to whole segments, the scale comes from net.ipv4.tcp_rmem, and later
 * segments advertise the window shifted by that scale, rounded up. Timestamps tick in
 * milliseconds from a per-connection offset. Not modelled: congestion control, window growth,
 * SACK, out-of-order queues (a lost segment is simply sent again).
 */
import { SECOND, type Micros } from '../engine/scheduler.ts';
import { formatIpv4, type Ipv4 } from '../wire/addr.ts';
import { IPPROTO_TCP, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, type Packet } from '../wire/packet.ts';
import { drop, emit, ipOutput, type Skb } from '../net/stack.ts';
import { routeOutput } from '../net/route.ts';
import type { Link, Netns } from '../net/model.ts';
import { SocketTable, type IcmpErrorInfo } from './sockets.ts';
import { serviceName } from '../data/services.ts';

export type TcpState =
  | 'SYN-SENT'
  | 'SYN-RECV'
  | 'ESTAB'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'CLOSE-WAIT'
  | 'CLOSING'
  | 'LAST-ACK'
  | 'TIME-WAIT'
  | 'CLOSED';

export interface TcpHandlers {
  onConnect?(): void;
  onData?(text: string): void;
  /** the peer sent FIN */
  onEof?(): void;
  /** the connection failed or was reset: errno name */
  onError?(errno: string): void;
  /** the socket is gone */
  onClosed?(): void;
}

/** A listening socket (ss: LISTEN). */
export class TcpListener {
  readonly ns: Netns;
  readonly addr: Ipv4;
  readonly port: number;
  readonly backlog: number;
  readonly owner: string;
  readonly pid: number;
  onAccept: (c: TcpConn) => void;
  closed = false;

  constructor(ns: Netns, addr: Ipv4, port: number, backlog: number, owner: string, pid: number, onAccept: (c: TcpConn) => void) {
    this.ns = ns;
    this.addr = addr;
    this.port = port;
    this.backlog = backlog;
    this.owner = owner;
    this.pid = pid;
    this.onAccept = onAccept;
  }

  close(): void {
    this.closed = true;
    this.ns.sockets.tcpListeners.delete(SocketTable.key(this.addr, this.port));
  }
}

/** `listen()`: EADDRINUSE when the port is taken. */
export function tcpListen(ns: Netns, addr: Ipv4, port: number, backlog: number, owner: string, pid: number, onAccept: (c: TcpConn) => void): TcpListener | { error: string } {
  if (ns.sockets.tcpListeners.has(SocketTable.key(addr, port)) || ns.sockets.tcpListeners.has(SocketTable.key(0, port)) || (addr === 0 && [...ns.sockets.tcpListeners.values()].some((l) => l.port === port))) {
    return { error: 'EADDRINUSE' };
  }
  if (addr !== 0 && !ns.isLocalAddr(addr) && !ns.flag('net.ipv4.ip_nonlocal_bind')) return { error: 'EADDRNOTAVAIL' };
  const l = new TcpListener(ns, addr, port, backlog, owner, pid, onAccept);
  ns.sockets.tcpListeners.set(SocketTable.key(addr, port), l);
  return l;
}

const SYN_RTO: Micros = 1 * SECOND;
const DATA_RTO: Micros = 200_000;
const DELAYED_ACK: Micros = 40_000;
const TIME_WAIT_LEN: Micros = 60 * SECOND;

interface Unacked {
  seq: number;
  end: number;
  flags: number;
  text: string;
  len: number;
}

export class TcpConn {
  readonly ns: Netns;
  laddr: Ipv4;
  lport: number;
  raddr: Ipv4;
  rport: number;
  state: TcpState;
  readonly owner: string;
  readonly pid: number;
  handlers: TcpHandlers = {};
  private iss: number;
  private sndNxt: number;
  private sndUna: number;
  private rcvNxt = 0;
  private mss: number;
  private peerMss = 536;
  private unacked: Unacked[] = [];
  private rto: Micros = DATA_RTO;
  private retries = 0;
  private timer: { cancel(): void } | null = null;
  private ackTimer: { cancel(): void } | null = null;
  private ackPending = false;
  private oif?: Link;
  /** bytes the application has not read yet (Recv-Q) */
  recvQ = 0;
  /** bytes sent but not acknowledged (Send-Q) */
  get sendQ(): number {
    return this.unacked.reduce((n, u) => n + u.len, 0);
  }
  private finSent = false;
  private finReceived = false;
  /** segments that arrived ahead of a gap, by sequence number (tcp_data_queue_ofo) */
  private ofo = new Map<number, Packet>();
  /** our receive window in bytes and the scale we announced for it */
  private rcvWnd = 64240;
  private rcvWscale = 7;
  /** per-connection offset of the timestamp clock, and the peer's last timestamp (ts_recent) */
  private tsOffset: number;
  private tsRecent = 0;
  /** set when connect() has returned (success or error) */
  settled = false;

  constructor(ns: Netns, laddr: Ipv4, lport: number, raddr: Ipv4, rport: number, state: TcpState, owner: string, pid: number) {
    this.ns = ns;
    this.laddr = laddr;
    this.lport = lport;
    this.raddr = raddr;
    this.rport = rport;
    this.state = state;
    this.owner = owner;
    this.pid = pid;
    this.iss = ns.world.rng.nextU32();
    this.sndNxt = this.iss;
    this.sndUna = this.iss;
    this.mss = 1460;
    // derived from the ISN rather than drawn, so adding timestamps did not shift other seeded ids
    this.tsOffset = Math.imul(this.iss ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
    this.rcvWscale = windowScale(ns);
  }

  /** Pick the receive window once the MSS is known (tcp_select_initial_window). */
  private initWindow(mss: number): void {
    this.rcvWnd = Math.floor(65536 / mss) * mss;
  }

  get key(): string {
    return SocketTable.connKey(this.laddr, this.lport, this.raddr, this.rport);
  }

  private register(): void {
    this.ns.sockets.addConn(this);
  }

  /** Forget the socket entirely (no packets). */
  destroy(): void {
    this.timer?.cancel();
    this.ackTimer?.cancel();
    this.timer = null;
    this.state = 'CLOSED';
    this.ns.sockets.removeConn(this);
    this.handlers.onClosed?.();
  }

  private segment(flags: number, text: string, seq: number): Packet {
    const ns = this.ns;
    const syn = (flags & TCP_SYN) !== 0;
    const len = text.length;
    const optLen = flags & TCP_RST ? 0 : syn ? 20 : 12;
    const p: Packet = {
      id: ns.world.nextPacketId(),
      ip: { src: this.laddr, dst: this.raddr, ttl: Number(ns.sysctlGet('net.ipv4.ip_default_ttl') ?? 64), proto: IPPROTO_TCP, id: ns.nextIpId(), df: true, mf: false, fragOffset: 0, totalLength: 20 + 20 + optLen + len },
      tcp: {
        sport: this.lport,
        dport: this.rport,
        flags,
        seq: seq >>> 0,
        ack: flags & TCP_ACK ? this.rcvNxt >>> 0 : 0,
        window: syn ? Math.min(this.rcvWnd, 65535) : flags & TCP_RST ? 0 : Math.ceil(this.rcvWnd / 2 ** this.rcvWscale),
        optLen,
        ...(syn ? { mss: this.mss, wscale: this.rcvWscale } : {}),
        ...(optLen ? { ts: { val: (this.tsOffset + Math.floor(ns.world.now / 1000)) >>> 0, ecr: flags & TCP_ACK ? this.tsRecent : 0 } } : {}),
      },
      payloadLen: len,
      ...(len ? { data: { kind: 'bytes' as const, text } } : {}),
    };
    return p;
  }

  private xmit(flags: number, text = '', seq = this.sndNxt): void {
    const p = this.segment(flags, text, seq);
    if (flags & TCP_ACK) {
      this.ackPending = false;
      this.ackTimer?.cancel();
      this.ackTimer = null;
    }
    ipOutput(this.ns, p, { by: `${this.owner} (TCP)`, oif: this.oif });
  }

  /** Send a segment that occupies sequence space and must be acknowledged. */
  private sendReliable(flags: number, text: string): void {
    const len = text.length + (flags & TCP_SYN ? 1 : 0) + (flags & TCP_FIN ? 1 : 0);
    const u: Unacked = { seq: this.sndNxt, end: (this.sndNxt + len) >>> 0, flags, text, len: text.length };
    this.unacked.push(u);
    this.sndNxt = u.end;
    this.xmit(flags, text, u.seq);
    this.armRetransmit();
  }

  private armRetransmit(): void {
    if (this.timer) return;
    const syn = this.unacked.some((u) => u.flags & TCP_SYN);
    const base = syn ? SYN_RTO : this.rto;
    const delay = base * 2 ** this.retries;
    this.timer = this.ns.world.sched.after(delay, () => this.onRetransmitTimer());
  }

  private onRetransmitTimer(): void {
    this.timer = null;
    if (!this.unacked.length || this.state === 'CLOSED') return;
    const syn = this.unacked[0].flags & TCP_SYN;
    const max = syn ? Number(this.ns.sysctlGet(this.state === 'SYN-RECV' ? 'net.ipv4.tcp_synack_retries' : 'net.ipv4.tcp_syn_retries') ?? '6') : 15;
    if (this.retries >= max) {
      this.fail('ETIMEDOUT');
      return;
    }
    this.retries++;
    const u = this.unacked[0];
    emit(this.ns, 'send', this.segment(u.flags, u.text, u.seq), `${this.owner}: no answer, TCP retransmits (try ${this.retries})`);
    this.xmit(u.flags, u.text, u.seq);
    this.armRetransmit();
  }

  private fail(errno: string): void {
    const h = this.handlers;
    this.destroy();
    h.onError?.(errno);
  }

  // ---- active open ---------------------------------------------------------------------------------

  static connect(ns: Netns, dst: Ipv4, dport: number, opts: { owner: string; pid: number; src?: Ipv4; sport?: number; oif?: Link }): TcpConn | { error: string } {
    const r = routeOutput(ns, dst, opts.oif, opts.src);
    if (!r.ok) return { error: r.error };
    const src = r.src;
    if (!src && !r.local) return { error: 'EADDRNOTAVAIL' };
    const sport = opts.sport ?? ns.sockets.ephemeralPort('tcp', src);
    const c = new TcpConn(ns, src, sport, dst, dport, 'SYN-SENT', opts.owner, opts.pid);
    c.oif = opts.oif;
    c.mss = Math.max(88, r.dev.mtu - 40);
    c.initWindow(c.mss);
    c.register();
    c.sendReliable(TCP_SYN, '');
    return c;
  }

  // ---- user calls ----------------------------------------------------------------------------------

  send(text: string): void {
    if (this.state !== 'ESTAB' && this.state !== 'CLOSE-WAIT') return;
    // the timestamp option takes 12 bytes of every segment (tcp_current_mss)
    const mss = Math.min(this.mss, this.peerMss) - 12;
    for (let i = 0; i < text.length; i += mss) {
      const chunk = text.slice(i, i + mss);
      this.sendReliable(TCP_PSH | TCP_ACK, chunk);
    }
  }

  /** close(): send FIN (after any queued data). */
  close(): void {
    if (this.finSent || this.state === 'CLOSED') return;
    if (this.state === 'SYN-SENT') {
      this.destroy();
      return;
    }
    this.finSent = true;
    if (this.state === 'ESTAB' || this.state === 'SYN-RECV') this.state = 'FIN-WAIT-1';
    else if (this.state === 'CLOSE-WAIT') this.state = 'LAST-ACK';
    this.sendReliable(TCP_FIN | TCP_ACK, '');
  }

  /** abort(): RST and forget (SO_LINGER 0). */
  abort(): void {
    if (this.state !== 'CLOSED' && this.state !== 'SYN-SENT' && this.state !== 'TIME-WAIT') this.xmit(TCP_RST | TCP_ACK);
    this.destroy();
  }

  /** An ICMP error about one of our segments (tcp_v4_err). */
  icmpError(info: IcmpErrorInfo): void {
    if (info.type === 3 && info.code === 4) {
      if (info.mtu) this.mtuReduced(info.mtu);
      return;
    }
    if (info.type !== 3) return;
    const errno = info.code === 3 ? 'ECONNREFUSED' : info.code === 0 || info.code === 9 || info.code === 6 ? 'ENETUNREACH' : info.code === 2 ? 'ENOPROTOOPT' : 'EHOSTUNREACH';
    if (this.state === 'SYN-SENT' || this.state === 'SYN-RECV') this.fail(errno);
  }

  /**
   * tcp_v4_mtu_reduced: the path MTU fell (the ICMP handler has already stored it on the route).
   * tcp_sync_mss lowers the MSS; tcp_simple_retransmit takes every queued segment now too big as
   * lost and sends it again at once, cut to the new size (tcp_fragment).
   */
  private mtuReduced(mtu: number): void {
    const mss = Math.max(88, mtu - 40);
    if (mss >= this.mss || this.state === 'CLOSED' || this.state === 'TIME-WAIT') return;
    this.mss = mss;
    const room = Math.min(this.mss, this.peerMss) - 12;
    const queue: Unacked[] = [];
    const lost: Unacked[] = [];
    for (const u of this.unacked) {
      if (u.flags & TCP_SYN || u.text.length <= room) {
        queue.push(u);
        continue;
      }
      for (let i = 0; i < u.text.length; i += room) {
        const text = u.text.slice(i, i + room);
        const seq = (u.seq + i) >>> 0;
        const last = i + room >= u.text.length;
        const piece: Unacked = { seq, end: last ? u.end : (seq + text.length) >>> 0, flags: last ? u.flags : u.flags & ~TCP_FIN, text, len: text.length };
        queue.push(piece);
        lost.push(piece);
      }
    }
    this.unacked = queue;
    if (!lost.length) return;
    for (const u of lost) {
      emit(this.ns, 'send', this.segment(u.flags, u.text, u.seq), `${this.owner}: path MTU now ${mtu}, TCP sends the segment again in pieces of ${room} bytes`);
      this.xmit(u.flags, u.text, u.seq);
    }
    this.timer?.cancel();
    this.timer = null;
    this.armRetransmit();
  }

  // ---- arriving segments ---------------------------------------------------------------------------

  onSegment(p: Packet): void {
    const t = p.tcp!;
    const flags = t.flags;
    if (t.ts && !(flags & TCP_RST)) this.tsRecent = t.ts.val;
    if (flags & TCP_RST) {
      if (this.state === 'SYN-SENT') {
        if (flags & TCP_ACK && t.ack === this.sndNxt) this.fail('ECONNREFUSED');
        return;
      }
      if (this.state === 'TIME-WAIT') return;
      this.fail(this.state === 'CLOSE-WAIT' || this.state === 'LAST-ACK' ? 'EPIPE' : 'ECONNRESET');
      return;
    }
    if (this.state === 'SYN-SENT') {
      if (flags & TCP_SYN && flags & TCP_ACK && t.ack === this.sndNxt) {
        this.rcvNxt = (t.seq + 1) >>> 0;
        this.peerMss = t.mss ?? 536;
        this.ackUpTo(t.ack);
        this.state = 'ESTAB';
        this.xmit(TCP_ACK);
        this.settled = true;
        this.handlers.onConnect?.();
      }
      return;
    }
    if (flags & TCP_SYN) {
      // a retransmitted SYN-ACK or SYN: answer with an ACK (or SYN-ACK again)
      if (this.state === 'SYN-RECV') this.xmit(TCP_SYN | TCP_ACK, '', this.iss);
      else this.xmit(TCP_ACK);
      return;
    }
    if (flags & TCP_ACK) this.ackUpTo(t.ack);
    if (this.state === 'SYN-RECV' && flags & TCP_ACK && t.ack === this.sndNxt) {
      this.state = 'ESTAB';
      this.onEstablishedPassive?.();
    }
    const len = p.payloadLen;
    let consumed = false;
    if (len > 0) {
      if (t.seq === this.rcvNxt) {
        this.rcvNxt = (this.rcvNxt + len) >>> 0;
        consumed = true;
        this.ackPending = true;
        const text = p.data?.kind === 'bytes' ? p.data.text : '';
        this.handlers.onData?.(text);
      } else {
        // out of order: keep a segment from beyond a gap until the gap is filled; a duplicate
        // is dropped; either way acknowledge what we have
        if (seqLt(this.rcvNxt, t.seq) && !this.ofo.has(t.seq)) this.ofo.set(t.seq, p);
        this.xmit(TCP_ACK);
        return;
      }
    }
    if (flags & TCP_FIN && (t.seq + len) >>> 0 === this.rcvNxt && !this.finReceived) {
      this.finReceived = true;
      this.rcvNxt = (this.rcvNxt + 1) >>> 0;
      consumed = true;
      this.ackPending = true;
      if (this.state === 'ESTAB' || this.state === 'SYN-RECV') this.state = 'CLOSE-WAIT';
      else if (this.state === 'FIN-WAIT-1') this.state = this.finAcked() ? 'TIME-WAIT' : 'CLOSING';
      else if (this.state === 'FIN-WAIT-2') this.state = 'TIME-WAIT';
      this.handlers.onEof?.();
      if (this.state === 'TIME-WAIT') this.enterTimeWait();
    }
    // the gap is filled: what waited behind it is in order now
    const next = consumed ? this.ofo.get(this.rcvNxt) : undefined;
    if (next) {
      this.ofo.delete(this.rcvNxt);
      for (const [seq] of this.ofo) if (seqLt(seq, this.rcvNxt)) this.ofo.delete(seq);
      this.onSegment(next);
      return;
    }
    if (consumed && this.ackPending && this.state !== 'CLOSED') {
      if (flags & TCP_FIN || this.state === 'TIME-WAIT' || this.ofo.size) this.xmit(TCP_ACK);
      else this.scheduleDelayedAck();
    }
  }

  /** set by the listener: runs when a passive connection completes */
  onEstablishedPassive?: () => void;

  private scheduleDelayedAck(): void {
    if (this.ackTimer) return;
    this.ackTimer = this.ns.world.sched.after(DELAYED_ACK, () => {
      this.ackTimer = null;
      if (this.ackPending && this.state !== 'CLOSED') this.xmit(TCP_ACK);
    });
  }

  private finAcked(): boolean {
    return this.finSent && this.sndUna === this.sndNxt;
  }

  private ackUpTo(ack: number): void {
    let changed = false;
    while (this.unacked.length && seqLe(this.unacked[0].end, ack)) {
      this.unacked.shift();
      changed = true;
    }
    if (changed) {
      this.sndUna = ack;
      this.retries = 0;
      this.timer?.cancel();
      this.timer = null;
      if (this.unacked.length) this.armRetransmit();
    }
    if (this.finSent && this.sndUna === this.sndNxt) {
      if (this.state === 'FIN-WAIT-1') this.state = 'FIN-WAIT-2';
      else if (this.state === 'CLOSING') this.enterTimeWait();
      else if (this.state === 'LAST-ACK') this.destroy();
    }
  }

  private enterTimeWait(): void {
    this.state = 'TIME-WAIT';
    this.timer?.cancel();
    this.timer = this.ns.world.sched.after(TIME_WAIT_LEN, () => this.destroy());
    this.handlers.onClosed?.();
    this.handlers = {};
  }

  // ---- passive open --------------------------------------------------------------------------------

  static accept(l: TcpListener, p: Packet): TcpConn {
    const ns = l.ns;
    const ip = p.ip!;
    const t = p.tcp!;
    const c = new TcpConn(ns, ip.dst, t.dport, ip.src, t.sport, 'SYN-RECV', l.owner, l.pid);
    c.rcvNxt = (t.seq + 1) >>> 0;
    c.peerMss = t.mss ?? 536;
    const r = routeOutput(ns, ip.src);
    c.mss = r.ok ? Math.max(88, r.dev.mtu - 40) : 1460;
    c.tsRecent = t.ts?.val ?? 0;
    // the listener already knows the peer uses timestamps, so its segments carry 12 bytes less
    c.initWindow(c.mss - (t.ts ? 12 : 0));
    c.register();
    c.onEstablishedPassive = () => {
      if (!l.closed) l.onAccept(c);
      else c.abort();
    };
    c.sendReliable(TCP_SYN | TCP_ACK, '');
    return c;
  }
}

/** The window scale a socket announces: enough to cover its largest receive buffer (tcp_rmem[2]). */
function windowScale(ns: Netns): number {
  const rmem = Number((ns.sysctlGet('net.ipv4.tcp_rmem') ?? '').split(/\s+/)[2] ?? NaN);
  const space = Math.max(Number.isFinite(rmem) ? rmem : 6291456, Number(ns.sysctlGet('net.core.rmem_max') ?? 212992));
  return Math.min(14, Math.max(0, Math.floor(Math.log2(space)) - 15));
}

function seqLe(a: number, b: number): boolean {
  return ((b - a) | 0) >= 0;
}

function seqLt(a: number, b: number): boolean {
  return ((b - a) | 0) > 0;
}

/** tcp_v4_rcv: find the socket for an arriving segment, or answer with RST. */
export function processTcp(skb: Skb): void {
  const ns = skb.ns;
  const p = skb.pkt;
  const ip = p.ip!;
  const t = p.tcp!;
  const conn = ns.sockets.tcpConns.get(SocketTable.connKey(ip.dst, t.dport, ip.src, t.sport));
  if (conn) {
    emit(ns, 'deliver', p, `TCP segment for ${conn.owner} (${formatIpv4(ip.dst)}:${t.dport}, ${conn.state})`, skb.inDev);
    conn.onSegment(p);
    return;
  }
  const l = ns.sockets.findListener(ip.dst, t.dport);
  if (l && t.flags & TCP_SYN && !(t.flags & TCP_ACK)) {
    emit(ns, 'deliver', p, `SYN for ${l.owner} listening on ${l.addr ? formatIpv4(l.addr) : '0.0.0.0'}:${l.port}: answer SYN-ACK`, skb.inDev);
    TcpConn.accept(l, p);
    return;
  }
  if (t.flags & TCP_RST) {
    drop(ns, p, 'NO_SOCKET', `RST for a connection that does not exist here: ignored`, skb.inDev);
    return;
  }
  const svc = serviceName(t.dport, 'tcp');
  drop(ns, p, 'NO_SOCKET', `port ${t.dport} closed: RST (nothing listens on ${formatIpv4(ip.dst)}:${t.dport}${svc ? `, the ${svc} port` : ''})`, skb.inDev);
  sendReset(ns, p);
}

/** tcp_v4_send_reset: RST (with ACK when the offending segment had none). */
export function sendReset(ns: Netns, p: Packet): void {
  const ip = p.ip!;
  const t = p.tcp!;
  const hasAck = (t.flags & TCP_ACK) !== 0;
  const segLen = p.payloadLen + (t.flags & TCP_SYN ? 1 : 0) + (t.flags & TCP_FIN ? 1 : 0);
  const rst: Packet = {
    id: ns.world.nextPacketId(),
    ip: { src: ip.dst, dst: ip.src, ttl: 64, proto: IPPROTO_TCP, id: 0, df: true, mf: false, fragOffset: 0, totalLength: 40 },
    tcp: {
      sport: t.dport,
      dport: t.sport,
      flags: hasAck ? TCP_RST : TCP_RST | TCP_ACK,
      seq: hasAck ? t.ack : 0,
      ack: hasAck ? 0 : (t.seq + segLen) >>> 0,
      window: 0,
      optLen: 0,
    },
    payloadLen: 0,
  };
  ipOutput(ns, rst, { by: 'the kernel (TCP reset)' });
}
