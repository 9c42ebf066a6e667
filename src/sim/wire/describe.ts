/**
 * Short human-readable descriptions of packets, for trace summaries and the packet table.
 * (tcpdump's exact line format lives with the tcpdump command.)
 */
import { formatIpv4 } from './addr.ts';
import {
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_TIME_EXCEEDED,
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  type Packet,
} from './packet.ts';

/** The words ping prints for an ICMP error (iputils pr_icmph). */
export function icmpText(type: number, code: number, mtu?: number): string {
  if (type === ICMP_DEST_UNREACH) {
    switch (code) {
      case 0:
        return 'Destination Net Unreachable';
      case 1:
        return 'Destination Host Unreachable';
      case 2:
        return 'Destination Protocol Unreachable';
      case 3:
        return 'Destination Port Unreachable';
      case 4:
        return `Frag needed and DF set (mtu = ${mtu ?? 0})`;
      case 5:
        return 'Source Route Failed';
      case 6:
        return 'Destination Net Unknown';
      case 7:
        return 'Destination Host Unknown';
      case 9:
        return 'Destination Net Prohibited';
      case 10:
        return 'Destination Host Prohibited';
      case 13:
        return 'Packet filtered';
      default:
        return `Dest Unreachable, Bad Code: ${code}`;
    }
  }
  if (type === ICMP_TIME_EXCEEDED) return code === 0 ? 'Time to live exceeded' : 'Frag reassembly time exceeded';
  if (type === 4) return 'Source Quench';
  if (type === 5) return 'Redirect Network';
  if (type === 12) return 'Parameter problem';
  return `Bad ICMP type: ${type}`;
}

export function tcpFlagLetters(f: number): string {
  let s = '';
  if (f & TCP_SYN) s += 'S';
  if (f & TCP_FIN) s += 'F';
  if (f & TCP_RST) s += 'R';
  if (f & TCP_PSH) s += 'P';
  if (f & TCP_ACK) s += '.';
  return s || 'none';
}

/** One line, e.g. `ICMP echo request 10.0.0.1 > 10.0.0.2 seq 1` or `ARP who-has 10.0.0.2 tell 10.0.0.1`. */
export function describePacket(p: Packet): string {
  if (p.arp) {
    const a = p.arp;
    return a.op === 1 ? `ARP who-has ${formatIpv4(a.tpa)} tell ${formatIpv4(a.spa)}` : `ARP reply ${formatIpv4(a.spa)} is-at ${a.sha}`;
  }
  const ip = p.ip;
  if (!ip) return `frame ${p.eth?.src ?? '?'} > ${p.eth?.dst ?? '?'}`;
  const src = formatIpv4(ip.src);
  const dst = formatIpv4(ip.dst);
  const frag = ip.fragOffset > 0 || ip.mf ? ` (fragment offset ${ip.fragOffset}${ip.mf ? ', more' : ''})` : '';
  if (p.vxlan && p.inner && p.udp) {
    return `VXLAN VNI ${p.vxlan.vni} UDP ${src}:${p.udp.sport} > ${dst}:${p.udp.dport} carrying [${describePacket(p.inner)}]${frag}`;
  }
  if (p.icmp && (ip.fragOffset === 0)) {
    const i = p.icmp;
    if (i.type === ICMP_ECHO) return `ICMP echo request ${src} > ${dst} id ${i.id} seq ${i.seq}, ${ip.totalLength} bytes${frag}`;
    if (i.type === ICMP_ECHOREPLY) return `ICMP echo reply ${src} > ${dst} id ${i.id} seq ${i.seq}, ${ip.totalLength} bytes${frag}`;
    return `ICMP ${icmpText(i.type, i.code, i.mtu)} ${src} > ${dst}`;
  }
  if (p.tcp && ip.fragOffset === 0) {
    const t = p.tcp;
    return `TCP ${src}:${t.sport} > ${dst}:${t.dport} [${tcpFlagLetters(t.flags)}]${p.payloadLen ? ` ${p.payloadLen} bytes of data` : ''}`;
  }
  if (p.udp && ip.fragOffset === 0) {
    const u = p.udp;
    const what = p.data?.kind === 'dns' ? ` DNS ${p.data.msg.response ? 'answer' : 'query'} ${p.data.msg.qname}` : '';
    return `UDP ${src}:${u.sport} > ${dst}:${u.dport}${what}, ${p.payloadLen} bytes${frag}`;
  }
  return `IP ${src} > ${dst} proto ${ip.proto}${frag}`;
}
