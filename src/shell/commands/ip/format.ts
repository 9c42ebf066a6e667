/**
 * iproute2's text output for links and addresses (`ip link`, `ip addr`, their -br, -o, -d, -s
 * forms), byte for byte as iproute2 6.1 prints them on Linux 6.18.
 */
import { SECOND } from '../../../sim/engine/scheduler.ts';
import { formatIpv4, macHex, type Ipv4 } from '../../../sim/wire/addr.ts';
import type { Link, Netns } from '../../../sim/net/model.ts';
import type { IfAddr } from '../../../sim/net/types.ts';

export interface ShowOptions {
  details: boolean;
  stats: number;
  oneline: boolean;
  brief: boolean;
  family: 'all' | 'inet' | 'inet6';
}

/** `<BROADCAST,MULTICAST,UP,LOWER_UP>` plus M-DOWN when the iflink in the same namespace is down. */
export function linkFlags(l: Link): string {
  const f: string[] = [];
  const up = l.adminUp;
  const running = l.carrier;
  if (up && !running) f.push('NO-CARRIER');
  if (l.kind === 'loopback') f.push('LOOPBACK');
  else if (l.kind === 'dummy') f.push('BROADCAST', 'NOARP');
  else if (l.kind === 'ipvlan' && l.mode === 'l3') f.push('BROADCAST', 'MULTICAST', 'NOARP');
  else f.push('BROADCAST', 'MULTICAST');
  if (l.promisc > 0) f.push('PROMISC');
  if (up) f.push('UP');
  if (up && running) f.push('LOWER_UP');
  const il = l.iflink;
  if (il && il.ns === l.ns && !il.adminUp) f.push('M-DOWN');
  return f.join(',');
}

/** `veth1@if2`, `veth9@veth9-peer`, `mv0@underlay`. */
export function linkDisplayName(l: Link): string {
  const il = l.iflink;
  if (!il) return l.name;
  if (il.ns === l.ns) return `${l.name}@${il.name}`;
  return `${l.name}@if${il.ifindex}`;
}

function qdisc(l: Link): string {
  if (!l.adminUp) return 'noop';
  if (l.kind === 'ether') return 'fq_codel';
  return 'noqueue';
}

/** ` link-netns NAME` or ` link-netnsid N` when the iflink lives in another namespace. */
function linkNetns(l: Link): string {
  const il = l.iflink;
  let other: Netns | null = null;
  if (il && il.ns !== l.ns) other = il.ns;
  else if ((l.kind === 'macvlan' || l.kind === 'ipvlan') && l.parent && l.parent.ns !== l.ns) other = l.parent.ns;
  // a VXLAN device moved out of the namespace whose socket carries it (Docker's overlay sandbox)
  else if (l.kind === 'vxlan' && l.vxlan!.underlay !== l.ns) other = l.vxlan!.underlay;
  if (!other) return '';
  const id = l.ns.peerId(other, true)!;
  // iproute2 names the namespace when a file in /run/netns refers to it
  if (other.name && other.host === l.ns.host && l.ns.host.named.get(other.name) === other) return ` link-netns ${other.name}`;
  return ` link-netnsid ${id}`;
}

export function linkHeader(l: Link, withMode: boolean): string {
  const master = l.master ? ` master ${l.master.name}` : '';
  const mode = withMode ? ' mode DEFAULT' : '';
  return `${l.ifindex}: ${linkDisplayName(l)}: <${linkFlags(l)}> mtu ${l.mtu} qdisc ${qdisc(l)}${master} state ${l.operstate}${mode} group default qlen 1000`;
}

function linkLayerLine(l: Link): string {
  if (l.kind === 'loopback') return '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00';
  return `    link/ether ${l.mac} brd ff:ff:ff:ff:ff:ff${linkNetns(l)}`;
}

const GSO = 'gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ';

function timer(v: number): string {
  return v.toFixed(2).padStart(7);
}

/** ether_ntoa: hex bytes without leading zeros. */
function etherNtoa(mac: string): string {
  return mac
    .split(':')
    .map((b) => parseInt(b, 16).toString(16))
    .join(':');
}

function bridgeId(br: Link): string {
  const ports = br.bridge!.ports;
  return ports.size === 0 ? '8000.0:0:0:0:0:0' : `8000.${etherNtoa(br.mac)}`;
}

/** The extra lines `ip -d link` prints. */
function detailLines(l: Link, now: number): string {
  const promisc = l.master ? 1 : l.promisc;
  const min = l.kind === 'loopback' ? 0 : 68;
  const max = l.kind === 'loopback' ? 0 : 65535;
  let s = ` promiscuity ${promisc}  allmulti ${promisc} minmtu ${min} maxmtu ${max} `;
  const queues = l.kind === 'veth' ? 2 : 1;
  const tail = `addrgenmode eui64 numtxqueues ${queues} numrxqueues ${queues} ${GSO}`;
  switch (l.kind) {
    case 'veth':
      s += '\n    veth ';
      break;
    case 'bridge': {
      const b = l.bridge!;
      const id = bridgeId(l);
      const gc = 300 - ((now / SECOND) % 300);
      s += `\n    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time ${b.ageingTime} stp_state ${b.stp ? 1 : 0} priority 32768 vlan_filtering ${b.vlanFiltering ? 1 : 0} bridge_id ${id} designated_root ${id} root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 hello_timer ${timer(0)} tcn_timer ${timer(0)} topology_change_timer ${timer(0)} gc_timer ${timer(gc)} group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 `;
      break;
    }
    case 'vxlan': {
      const v = l.vxlan!;
      const dev = v.devIndex ? v.underlay.linkByIndex(v.devIndex) : undefined;
      s += '\n    vxlan id ' + v.vni + ' ';
      if (v.group !== null) s += `group ${formatIpv4(v.group)} `;
      else if (v.remote !== null) s += `remote ${formatIpv4(v.remote)} `;
      if (v.local !== null) s += `local ${formatIpv4(v.local)} `;
      if (dev) s += `dev ${dev.name} `;
      s += `srcport 0 0 dstport ${v.dstport} `;
      if (!v.learning) s += 'nolearning ';
      if (v.proxy) s += 'proxy ';
      if (v.l2miss) s += 'l2miss ';
      if (v.l3miss) s += 'l3miss ';
      s += `ttl ${v.ttl ? v.ttl : 'auto'} ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx `;
      break;
    }
    case 'macvlan':
      s += `\n    macvlan mode ${l.mode} bcqueuelen 1000 usedbcqueuelen 1000 `;
      break;
    case 'ipvlan':
      s += `\n    ipvlan  mode ${l.mode} bridge `;
      break;
    case 'dummy':
      s += '\n    dummy ';
      break;
  }
  if (l.master) {
    const br = l.master;
    const portNo = [...br.bridge!.ports].sort((a, b) => a.ifindex - b.ifindex).indexOf(l) + 1;
    const id = bridgeId(br);
    s += `\n    bridge_slave state ${l.portForwarding ? 'forwarding' : 'disabled'} priority 32 cost 2 hairpin ${l.hairpin ? 'on' : 'off'} guard off root_block off fastleave off learning on flood on port_id 0x${(0x8000 + portNo).toString(16)} port_no 0x${portNo.toString(16)} designated_port ${32768 + portNo} designated_cost 0 designated_bridge ${id} designated_root ${id} hold_timer ${timer(0)} message_age_timer ${timer(0)} forward_delay_timer ${timer(0)} topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off `;
  }
  return s + tail;
}

function statsLines(l: Link): string {
  const st = l.stats;
  const rx = [st.rxBytes, st.rxPackets, st.rxErrors, st.rxDropped, 0, 0];
  const tx = [st.txBytes, st.txPackets, st.txErrors, st.txDropped, 0, 0];
  const heads = [
    ['bytes', 'packets', 'errors', 'dropped', 'missed', 'mcast'],
    ['bytes', 'packets', 'errors', 'dropped', 'carrier', 'collsns'],
  ];
  const cols = [10, 7, 6, 7, 7, 7];
  for (let i = 0; i < 6; i++) cols[i] = Math.max(cols[i], String(rx[i]).length, String(tx[i]).length);
  const head = (label: string, h: string[]) =>
    `    ${label}: ${h[0].padStart(cols[0] - 4)} ${h.slice(1).map((x, i) => x.padStart(cols[i + 1])).join(' ')} ${''.padStart(10)}`;
  const vals = (v: number[]) => `    ${v.map((x, i) => `${String(x).padStart(cols[i])} `).join('')}`;
  return `\n${head('RX', heads[0])}\n${vals(rx)}\n${head('TX', heads[1])}\n${vals(tx)}`;
}

/** One link as `ip link show` prints it (without the final newline). */
export function formatLink(l: Link, o: ShowOptions, now: number): string {
  if (o.brief) {
    return `${linkDisplayName(l).padEnd(16)} ${l.operstate.padEnd(14)} ${l.kind === 'loopback' ? '00:00:00:00:00:00' : l.mac} <${linkFlags(l)}> `;
  }
  let s = `${linkHeader(l, true)}\n${linkLayerLine(l)}`;
  if (o.details) s += detailLines(l, now);
  if (o.stats) s += statsLines(l);
  if (o.oneline) s = s.replaceAll('\n', '\\');
  return s;
}

function inetLine(a: IfAddr): string {
  const brd = a.broadcast !== null ? ` brd ${formatIpv4(a.broadcast)}` : '';
  const sec = a.secondary ? ' secondary' : '';
  const noprefix = a.noprefixroute ? ' noprefixroute' : '';
  return `    inet ${formatIpv4(a.addr)}/${a.len}${brd} scope ${a.scope}${sec}${noprefix} ${a.label}`;
}

const LIFETIME = '       valid_lft forever preferred_lft forever';

/** IPv6 addresses `ip addr` shows (the model routes IPv4 only; these are for display). */
export function inet6Addrs(l: Link, now: number): { text: string; brief: string }[] {
  const out: { text: string; brief: string }[] = [];
  if (l.ns.ipv6Disabled) return out;
  if (l.kind === 'loopback' && l.adminUp && l.addrs.length) {
    out.push({ text: '    inet6 ::1/128 scope host ', brief: '::1/128' });
  } else if (l.ll6 && l.adminUp) {
    const tentative = now - l.ll6Since < SECOND ? 'tentative ' : '';
    out.push({ text: `    inet6 ${l.ll6}/64 scope link ${tentative}`, brief: `${l.ll6}/64` });
  }
  return out;
}

/** One link with its addresses, as `ip addr show` prints it; null when a family filter hides it. */
export function formatAddr(l: Link, o: ShowOptions, now: number): string | null {
  const v4 = o.family === 'inet6' ? [] : l.addrs;
  const v6 = o.family === 'inet' ? [] : inet6Addrs(l, now);
  if (o.family !== 'all' && !v4.length && !v6.length) return null;
  if (o.brief) {
    const addrs = [...v4.map((a) => `${formatIpv4(a.addr)}/${a.len}`), ...v6.map((a) => a.brief)];
    return `${linkDisplayName(l).padEnd(16)} ${l.operstate.padEnd(14)} ${addrs.map((a) => `${a} `).join('')}`;
  }
  if (o.oneline) {
    const lines: string[] = [];
    for (const a of v4) lines.push(`${l.ifindex}: ${l.name}    ${inetLine(a).trimStart()}\\${LIFETIME}`);
    for (const a of v6) lines.push(`${l.ifindex}: ${l.name}    ${a.text.trimStart()}\\${LIFETIME}`);
    return lines.length ? lines.join('\n') : null;
  }
  let s = linkHeader(l, false);
  if (o.family === 'all') s += `\n${linkLayerLine(l)}`;
  if (o.details && o.family === 'all') s += detailLines(l, now);
  for (const a of v4) s += `\n${inetLine(a)}\n${LIFETIME}`;
  for (const a of v6) s += `\n${a.text}\n${LIFETIME}`;
  if (o.stats) s += statsLines(l);
  return s;
}

/** `ip addr` / `ip link` ordering: by interface index. */
export function sortedLinks(ns: Netns): Link[] {
  return ns.allLinks();
}

/** brctl's bridge id: 8000.<mac without colons> (all zeros without ports). */
export function brctlBridgeId(br: Link): string {
  return br.bridge!.ports.size === 0 ? '8000.000000000000' : `8000.${macHex(br.mac)}`;
}

export function ipText(ip: Ipv4): string {
  return formatIpv4(ip);
}
