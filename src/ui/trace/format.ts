/**
 * How a trace event reads in the packet table and the hop details: where it happened, the
 * packet's headers at that moment (outer and inner for VXLAN), and the rule or decision involved.
 * Pure functions of the event, shared by the live views and the pages built by Astro.
 */
import type { TraceEvent } from '../../sim/trace/events.ts';
import type { Packet } from '../../sim/wire/packet.ts';
import { formatIpv4 } from '../../sim/wire/addr.ts';

/** `host/ns[/dev]`, the id the topology uses for the same place. */
export function placeId(e: Pick<TraceEvent, 'at'>): string {
  return `${e.at.host}/${e.at.ns}${e.at.dev ? `/${e.at.dev}` : ''}`;
}

/** A short, readable place: "red: veth-red", "host: eth0", "gateway: eth1". */
export function placeLabel(e: Pick<TraceEvent, 'at'>, multiHost = true): string {
  const ns = e.at.ns === 'root' ? (multiHost ? e.at.host : 'host') : e.at.ns;
  const where = e.at.ns === 'root' || !multiHost ? ns : `${e.at.host}/${ns}`;
  return e.at.dev ? `${where}: ${e.at.dev}` : where;
}

const ICMP_NAMES: Record<number, string> = { 0: 'echo reply', 3: 'destination unreachable', 8: 'echo request', 11: 'time exceeded' };

function tcpFlags(f: number): string {
  const names: string[] = [];
  if (f & 0x02) names.push('SYN');
  if (f & 0x10) names.push('ACK');
  if (f & 0x01) names.push('FIN');
  if (f & 0x04) names.push('RST');
  if (f & 0x08) names.push('PSH');
  return names.join(',') || 'none';
}

export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

export interface HeaderLayer {
  /** "Ethernet", "ARP", "IPv4", "ICMP", "TCP", "UDP", "VXLAN", "Payload" */
  readonly layer: string;
  readonly fields: readonly HeaderField[];
}

export interface HeaderStack {
  readonly layers: readonly HeaderLayer[];
  /** VXLAN: the frame inside (an envelope in an envelope) */
  readonly inner?: HeaderStack;
}

/** The headers of a packet, outermost first. */
export function headerStack(p: Packet): HeaderStack {
  const layers: HeaderLayer[] = [];
  if (p.eth) layers.push({ layer: 'Ethernet', fields: [{ name: 'src', value: p.eth.src }, { name: 'dst', value: p.eth.dst }, { name: 'type', value: p.eth.type === 'arp' ? 'ARP' : 'IPv4' }] });
  if (p.arp) {
    const a = p.arp;
    layers.push({
      layer: 'ARP',
      fields: [
        { name: 'op', value: a.op === 1 ? 'request' : 'reply' },
        { name: 'sender', value: `${formatIpv4(a.spa)} ${a.sha}` },
        { name: 'target', value: `${formatIpv4(a.tpa)} ${a.tha}` },
      ],
    });
  }
  if (p.ip) {
    const ip = p.ip;
    const f: HeaderField[] = [
      { name: 'src', value: formatIpv4(ip.src) },
      { name: 'dst', value: formatIpv4(ip.dst) },
      { name: 'ttl', value: String(ip.ttl) },
      { name: 'proto', value: ip.proto === 1 ? 'ICMP' : ip.proto === 6 ? 'TCP' : ip.proto === 17 ? 'UDP' : String(ip.proto) },
      { name: 'length', value: String(ip.totalLength) },
    ];
    if (ip.df) f.push({ name: 'flags', value: 'DF' });
    if (ip.fragOffset || ip.mf) f.push({ name: 'fragment', value: `offset ${ip.fragOffset}${ip.mf ? ', more' : ''}` });
    layers.push({ layer: 'IPv4', fields: f });
  }
  if (p.icmp) {
    const i = p.icmp;
    const f: HeaderField[] = [{ name: 'type', value: ICMP_NAMES[i.type] ?? `type ${i.type}` }];
    if (i.type === 3 || i.type === 11) f.push({ name: 'code', value: String(i.code) });
    if (i.id !== undefined) f.push({ name: 'id', value: String(i.id) });
    if (i.seq !== undefined) f.push({ name: 'seq', value: String(i.seq) });
    if (i.mtu !== undefined) f.push({ name: 'mtu', value: String(i.mtu) });
    layers.push({ layer: 'ICMP', fields: f });
  }
  if (p.tcp) {
    const t = p.tcp;
    layers.push({ layer: 'TCP', fields: [{ name: 'sport', value: String(t.sport) }, { name: 'dport', value: String(t.dport) }, { name: 'flags', value: tcpFlags(t.flags) }, { name: 'seq', value: String(t.seq) }, { name: 'ack', value: String(t.ack) }] });
  }
  if (p.udp) layers.push({ layer: 'UDP', fields: [{ name: 'sport', value: String(p.udp.sport) }, { name: 'dport', value: String(p.udp.dport) }] });
  if (p.vxlan) layers.push({ layer: 'VXLAN', fields: [{ name: 'vni', value: String(p.vxlan.vni) }] });
  if (p.data?.kind === 'dns') {
    const m = p.data.msg;
    layers.push({ layer: 'DNS', fields: [{ name: m.response ? 'answer' : 'query', value: m.qname }, ...(m.response ? [{ name: 'records', value: m.answers.map((a) => a.data).join(', ') || (m.rcode === 3 ? 'NXDOMAIN' : 'none') }] : [])] });
  } else if (p.data?.kind === 'bytes' && p.payloadLen) {
    const line = p.data.text.split('\n')[0].slice(0, 60);
    layers.push({ layer: 'Payload', fields: [{ name: 'bytes', value: String(p.payloadLen) }, ...(line.trim() ? [{ name: 'starts', value: line }] : [])] });
  }
  return p.inner ? { layers, inner: headerStack(p.inner) } : { layers };
}

/** One line of headers for the table, e.g. "IPv4 10.0.0.1 → 10.0.0.2 ttl 64 · ICMP echo request id 7 seq 1". */
export function headerLine(p: Packet): string {
  const parts: string[] = [];
  if (p.arp) {
    const a = p.arp;
    parts.push(a.op === 1 ? `ARP request: who has ${formatIpv4(a.tpa)}? tell ${formatIpv4(a.spa)}` : `ARP reply: ${formatIpv4(a.spa)} is at ${a.sha}`);
    if (p.eth) parts.push(`eth ${p.eth.src} → ${p.eth.dst}`);
    return parts.join(' · ');
  }
  if (p.ip) parts.push(`IPv4 ${formatIpv4(p.ip.src)} → ${formatIpv4(p.ip.dst)} ttl ${p.ip.ttl}`);
  if (p.icmp) {
    const i = p.icmp;
    parts.push(`ICMP ${ICMP_NAMES[i.type] ?? `type ${i.type}`}${i.id !== undefined ? ` id ${i.id}` : ''}${i.seq !== undefined ? ` seq ${i.seq}` : ''}`);
  }
  if (p.tcp) parts.push(`TCP ${p.tcp.sport} → ${p.tcp.dport} [${tcpFlags(p.tcp.flags)}]`);
  if (p.udp) parts.push(`UDP ${p.udp.sport} → ${p.udp.dport}`);
  if (p.vxlan && p.inner) parts.push(`VXLAN ${p.vxlan.vni} carrying [${headerLine(p.inner)}]`);
  else if (p.data?.kind === 'dns') parts.push(`DNS ${p.data.msg.response ? 'answer' : 'query'} ${p.data.msg.qname}`);
  return parts.join(' · ') || (p.eth ? `eth ${p.eth.src} → ${p.eth.dst}` : '');
}

/** The rule or decision behind an event, for the table's last column ('' when none). */
export function ruleText(e: TraceEvent): string {
  if (e.nf) {
    const where = `${e.nf.table} ${e.nf.chain}`;
    return e.nf.rule === 0 ? `${where}: policy ${e.nf.verdict}` : `${where} rule ${e.nf.rule}: ${e.nf.ruleText}`;
  }
  if (e.nat) return `${e.nat.kind}: ${e.nat.before} → ${e.nat.after}`;
  if (e.route) return e.route.chosen === null ? `no route to ${e.route.dst}` : e.route.chosen;
  if (e.bridge) return `${e.bridge.bridge}: ${e.bridge.action}${e.bridge.ports.length ? ` → ${e.bridge.ports.join(', ')}` : ''}`;
  if (e.drop) return `${e.drop.reason}: ${e.drop.text}`;
  return '';
}

/** Names of the header fields that differ between two snapshots of one packet ("IPv4.src"...). */
export function changedFields(before: Packet | undefined, after: Packet): Set<string> {
  const out = new Set<string>();
  if (!before) return out;
  const a = headerStack(before);
  const b = headerStack(after);
  const walk = (x: HeaderStack | undefined, y: HeaderStack, prefix: string) => {
    for (const layer of y.layers) {
      const old = x?.layers.find((l) => l.layer === layer.layer);
      for (const f of layer.fields) {
        const o = old?.fields.find((g) => g.name === f.name);
        if (old && (!o || o.value !== f.value)) out.add(`${prefix}${layer.layer}.${f.name}`);
      }
    }
    if (y.inner) walk(x?.inner, y.inner, `${prefix}inner.`);
  };
  walk(a, b, '');
  return out;
}
