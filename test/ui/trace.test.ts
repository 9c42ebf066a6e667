/** Steps, headers and rules as the packet table and the hop details show them. */
import { describe, expect, it } from 'vitest';
import { toSteps, positionsAt, stepSentence } from '../../src/ui/trace/steps.ts';
import { changedFields, headerLine, headerStack, placeId, placeLabel, ruleText } from '../../src/ui/trace/format.ts';
import type { Packet } from '../../src/sim/wire/packet.ts';
import { parseIpv4 } from '../../src/sim/wire/addr.ts';
import { BRIDGE, lab, trace } from './helpers.ts';

const ip = (s: string) => parseIpv4(s)!;

describe('toSteps', () => {
  it('turns a veth ping into one step per event, ARP first, with moves and places', async () => {
    const l = await lab('bare', 'ip netns add red\nip netns add blue\nip link add veth-red netns red type veth peer name veth-blue netns blue\nip -n red addr add 10.0.0.1/24 dev veth-red\nip -n blue addr add 10.0.0.2/24 dev veth-blue\nip -n red link set veth-red up\nip -n blue link set veth-blue up');
    const events = await trace(l, 'ip netns exec red ping -c 1 10.0.0.2');
    const steps = toSteps(events);
    expect(steps).toHaveLength(events.length);
    expect(steps.map((s) => s.index)).toEqual(events.map((_, i) => i));
    const txs = steps.filter((s) => s.event.kind === 'tx').map((s) => s.place);
    expect(txs[0]).toBe('host/red/veth-red');
    expect(txs).toContain('host/blue/veth-blue');
    const firstTx = steps.find((s) => s.event.kind === 'tx')!;
    expect(firstTx.event.packet.arp?.op).toBe(1);
    expect(steps.find((s) => s.event.kind === 'route')!.moves).toBe(false);
    expect(steps.find((s) => s.event.kind === 'rx')!.moves).toBe(true);
    expect(steps[0].placeText).toBe('red');
    expect(firstTx.placeText).toBe('red: veth-red');
    // at the end every packet has been delivered
    const pos = positionsAt(steps, steps.length - 1);
    expect([...pos.values()].every((p) => p.gone || p.at.includes('veth'))).toBe(true);
    expect(stepSentence(steps[0], steps.length)).toMatch(/^Step 1 of \d+, red, send: ping sends ICMP echo request/);
  });

  it('shows a bridge forwarding at the bridge, and NAT as changed header fields', async () => {
    const l = await lab('linux', `${BRIDGE}\nip -n c1 route add default via 172.17.0.1\nsysctl -w net.ipv4.ip_forward=1\niptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE`);
    const steps = toSteps(await trace(l, 'ip netns exec c1 ping -c 1 1.1.1.1'));
    const fwd = steps.find((s) => s.event.kind === 'bridge' && s.event.bridge?.action === 'forward')!;
    expect(fwd.at).toBe('host/root/docker0');
    expect(fwd.moves).toBe(true);
    const nat = steps.find((s) => s.event.kind === 'nat' && s.place.startsWith('host/'))!;
    expect(nat.rule).toBe('SNAT: 172.17.0.2 > 1.1.1.1 → 10.0.0.10 > 1.1.1.1');
    expect(nat.changed).toContain('IPv4.src');
    const rule = steps.find((s) => s.event.kind === 'nf' && s.event.nf?.chain === 'POSTROUTING' && s.place.startsWith('host/'))!;
    expect(rule.rule).toBe('nat POSTROUTING rule 1: -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE');
    // places span three hosts, so labels name the host
    expect(steps.some((s) => s.placeText.startsWith('gateway: '))).toBe(true);
  });

  it('marks a drop with its reason', async () => {
    const l = await lab('linux', `${BRIDGE}\nip -n c1 route add default via 172.17.0.1`);
    const steps = toSteps(await trace(l, 'ip netns exec c1 ping -c 1 -W 1 1.1.1.1'));
    const drop = steps.find((s) => s.event.kind === 'drop')!;
    expect(drop.rule).toMatch(/^IP_FORWARDING_DISABLED: /);
    expect(drop.place).toBe('host/root/docker0');
  });
});

describe('format', () => {
  const inner: Packet = { id: 7, eth: { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', type: 'ipv4' }, ip: { src: ip('10.0.0.2'), dst: ip('10.0.0.3'), ttl: 64, proto: 1, id: 1, df: true, mf: false, fragOffset: 0, totalLength: 84 }, icmp: { type: 8, code: 0, id: 5, seq: 1 }, payloadLen: 56 };
  const outer: Packet = { id: 7, eth: { src: 'aa:aa:aa:aa:aa:aa', dst: 'bb:bb:bb:bb:bb:bb', type: 'ipv4' }, ip: { src: ip('192.168.1.10'), dst: ip('192.168.1.20'), ttl: 64, proto: 17, id: 9, df: false, mf: false, fragOffset: 0, totalLength: 134 }, udp: { sport: 40000, dport: 4789 }, vxlan: { vni: 42 }, inner, payloadLen: 106 };

  it('nests a VXLAN packet\'s inner frame inside the outer headers', () => {
    const st = headerStack(outer);
    expect(st.layers.map((l) => l.layer)).toEqual(['Ethernet', 'IPv4', 'UDP', 'VXLAN']);
    expect(st.inner?.layers.map((l) => l.layer)).toEqual(['Ethernet', 'IPv4', 'ICMP']);
    expect(headerLine(outer)).toBe('IPv4 192.168.1.10 → 192.168.1.20 ttl 64 · UDP 40000 → 4789 · VXLAN 42 carrying [IPv4 10.0.0.2 → 10.0.0.3 ttl 64 · ICMP echo request id 5 seq 1]');
  });

  it('reports changed fields, inner ones prefixed', () => {
    const next: Packet = { ...outer, ip: { ...outer.ip!, ttl: 63 }, inner: { ...inner, ip: { ...inner.ip!, src: ip('10.0.0.9') } } };
    expect([...changedFields(outer, next)].sort()).toEqual(['IPv4.ttl', 'inner.IPv4.src']);
    expect(changedFields(undefined, next).size).toBe(0);
  });

  it('names places and rules', () => {
    expect(placeId({ at: { host: 'h', ns: 'root', dev: 'eth0' } })).toBe('h/root/eth0');
    expect(placeLabel({ at: { host: 'h', ns: 'root', dev: 'eth0' } }, false)).toBe('host: eth0');
    expect(placeLabel({ at: { host: 'h', ns: 'red' } }, true)).toBe('h/red');
    const base = { seq: 0, t: 0, packetId: 1, at: { host: 'h', ns: 'root' }, packet: inner, summary: '' };
    expect(ruleText({ ...base, kind: 'nf', nf: { table: 'filter', chain: 'FORWARD', rule: 0, ruleText: '-P FORWARD DROP', verdict: 'DROP' } })).toBe('filter FORWARD: policy DROP');
    expect(ruleText({ ...base, kind: 'drop', drop: { reason: 'NETFILTER_DROP', text: 'dropped by policy DROP of FORWARD in filter' } })).toBe('NETFILTER_DROP: dropped by policy DROP of FORWARD in filter');
    expect(ruleText({ ...base, kind: 'route', route: { dst: '1.2.3.4', chosen: null } })).toBe('no route to 1.2.3.4');
  });
});
