/**
 * ICMP echo as the ping tools send it (iputils ping, BusyBox ping): one echo request built and
 * handed to the IP output path, and the echo socket that gets the replies and errors for an id.
 */
import type { Link, Netns } from '../../sim/net/model.ts';
import { ipOutput, type SendError } from '../../sim/net/stack.ts';
import { ICMP_ECHO, IPPROTO_ICMP, type Packet } from '../../sim/wire/packet.ts';
import type { Ipv4 } from '../../sim/wire/addr.ts';
import type { IcmpErrorInfo } from '../../sim/transport/sockets.ts';

export interface EchoRequest {
  readonly src: Ipv4;
  readonly dst: Ipv4;
  readonly ttl: number;
  /** ICMP data bytes (ping -s) */
  readonly size: number;
  readonly id: number;
  readonly seq: number;
  readonly oif?: Link;
  /** the DF bit */
  readonly df: boolean;
  /** IP_PMTUDISC_DO: fail with EMSGSIZE rather than fragment */
  readonly noFragment?: boolean;
  readonly by: string;
}

/** sendto() of one echo request: the local error the socket sees at once, if any. */
export function sendEcho(ns: Netns, r: EchoRequest): SendError | null {
  const pkt: Packet = {
    id: ns.world.nextPacketId(),
    ip: { src: r.src, dst: r.dst, ttl: r.ttl, proto: IPPROTO_ICMP, id: ns.nextIpId(), df: r.df, mf: false, fragOffset: 0, totalLength: 20 + 8 + r.size },
    icmp: { type: ICMP_ECHO, code: 0, id: r.id, seq: r.seq },
    payloadLen: r.size,
  };
  return ipOutput(ns, pkt, { by: r.by, oif: r.oif, noFragment: r.noFragment });
}

/** Open the echo socket for `id`; returns the function that closes it. */
export function openEcho(ns: Netns, id: number, onReply: (p: Packet) => void, onError: (info: IcmpErrorInfo) => void): () => void {
  const sock = { id, onReply, onError };
  ns.sockets.echo.set(id, sock);
  return () => {
    if (ns.sockets.echo.get(id) === sock) ns.sockets.echo.delete(id);
  };
}
