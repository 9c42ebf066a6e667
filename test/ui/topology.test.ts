/**
 * The topology model and its layout: what the diagram draws, and the paths packets travel.
 *
 *   [c1 172.17.0.2]--veth--+
 *                          (docker0 172.17.0.1/16)--[host]--eth0 10.0.0.10--(lan)--gateway--(wan)--internet
 *   [c2 172.17.0.3]--veth--+
 */
import { describe, expect, it } from 'vitest';
import { extractTopology } from '../../src/ui/topology/extract.ts';
import { describeTopology, findNs, ifaceIndex } from '../../src/ui/topology/model.ts';
import { layoutTopology, route, type Layout } from '../../src/ui/topology/layout.ts';
import { svgDocument } from '../../src/ui/topology/svg.ts';
import { BRIDGE, lab } from './helpers.ts';

function overlaps(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function checkLayout(l: Layout): void {
  for (let i = 0; i < l.pills.length; i++) for (let j = i + 1; j < l.pills.length; j++) expect(overlaps(l.pills[i], l.pills[j]), `${l.pills[i].id} / ${l.pills[j].id}`).toBe(false);
  for (let i = 0; i < l.hosts.length; i++) for (let j = i + 1; j < l.hosts.length; j++) expect(overlaps(l.hosts[i], l.hosts[j])).toBe(false);
  for (const e of l.edges) {
    expect(l.nodes.has(e.a), e.a).toBe(true);
    expect(l.nodes.has(e.b), e.b).toBe(true);
  }
  for (const p of l.pills) {
    expect(p.x).toBeGreaterThanOrEqual(0);
    expect(p.x + p.w).toBeLessThanOrEqual(l.width);
    expect(p.y + p.h).toBeLessThanOrEqual(l.height);
  }
}

describe('extractTopology', () => {
  it('reads namespaces, veth peers, bridge ports, segments and firewall facts', async () => {
    const l = await lab('linux', `${BRIDGE}\nsysctl -w net.ipv4.ip_forward=1\niptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\niptables -P FORWARD DROP`);
    const t = extractTopology(l.world);
    expect(t.hosts.map((h) => h.name)).toEqual(['host', 'gateway', 'internet']);
    expect(t.hosts[0].namespaces.map((n) => n.id)).toEqual(['host/root', 'host/c1', 'host/c2']);
    const idx = ifaceIndex(t);
    expect(idx.get('host/root/veth1')).toMatchObject({ kind: 'veth', master: 'host/root/docker0', peer: 'host/c1/eth0', up: true, carrier: true });
    expect(idx.get('host/c1/eth0')).toMatchObject({ addrs: ['172.17.0.2/16'], peer: 'host/root/veth1' });
    expect(idx.get('host/root/docker0')).toMatchObject({ kind: 'bridge', addrs: ['172.17.0.1/16'] });
    expect(idx.get('host/root/eth0')?.segment).toBe('lan');
    const root = findNs(t, 'host/root')!;
    expect(root).toMatchObject({ forwarding: true, natRules: 1, dropPolicies: ['FORWARD'] });
    expect(findNs(t, 'host/c1')?.kind).toBe('netns');
    const text = describeTopology(t).join('\n');
    expect(text).toContain('veth1 (veth, up) paired with eth0 in c1');
    expect(text).toContain('port of bridge docker0');
    expect(text).toContain('policy DROP on FORWARD');
  });
});

describe('layoutTopology', () => {
  it('places everything without overlaps, on the canvas, with a connected graph', async () => {
    const l = await lab('linux', BRIDGE);
    const layout = layoutTopology(extractTopology(l.world));
    checkLayout(layout);
    expect(layout.bridges.map((b) => b.id)).toEqual(['host/root/docker0']);
    expect(layout.buses.map((b) => b.name)).toEqual(['lan', 'wan']);
  });

  it('is deterministic and keeps existing pieces in place when a namespace is added', async () => {
    const l = await lab('bare', 'ip netns add red\nip netns add blue\nip link add a netns red type veth peer name b netns blue');
    const before = layoutTopology(extractTopology(l.world));
    expect(layoutTopology(extractTopology(l.world))).toEqual(before);
    await lab('bare', '');
    const l2 = await lab('bare', 'ip netns add red\nip netns add blue\nip link add a netns red type veth peer name b netns blue\nip netns add green');
    const after = layoutTopology(extractTopology(l2.world));
    for (const id of ['host/red', 'host/blue']) {
      const a = before.namespaces.find((n) => n.id === id)!;
      const b = after.namespaces.find((n) => n.id === id)!;
      expect([b.x, b.y]).toEqual([a.x, a.y]);
    }
    expect(after.namespaces.map((n) => n.id)).toContain('host/green');
    checkLayout(after);
  });

  it('draws a veth between two namespaces as one wire, and packets route along it', async () => {
    const l = await lab('bare', 'ip netns add red\nip netns add blue\nip link add veth-red netns red type veth peer name veth-blue netns blue');
    const layout = layoutTopology(extractTopology(l.world));
    expect(layout.wires.filter((w) => w.kind === 'veth')).toHaveLength(1);
    const r = route(layout, 'host/red/veth-red', 'host/blue/veth-blue');
    expect(r).not.toBeNull();
    expect(r![0]).toEqual(layout.nodes.get('host/red/veth-red'));
    expect(r![r!.length - 1]).toEqual(layout.nodes.get('host/blue/veth-blue'));
  });

  it('routes a bridged frame from port to port along the bridge, not through the host stack', async () => {
    const l = await lab('linux', BRIDGE);
    const layout = layoutTopology(extractTopology(l.world));
    const used: import('../../src/ui/topology/layout.ts').Edge[] = [];
    route(layout, 'host/root/veth1', 'host/root/veth2', undefined, used);
    expect(used.length).toBeGreaterThan(0);
    expect(used.every((e) => !e.internal)).toBe(true);
    expect(used.some((e) => e.a.startsWith('host/root/docker0') || e.b.startsWith('host/root/docker0'))).toBe(true);
  });

  it('draws VXLAN tunnels between hosts with the same VNI', async () => {
    const { loadScenarioText } = await import('../../src/sim/scenario/load.ts');
    const r = loadScenarioText(`hosts:
  - name: a
    interfaces: [{ name: eth0, segment: lan, address: 192.168.1.10/24 }]
  - name: b
    interfaces: [{ name: eth0, segment: lan, address: 192.168.1.20/24 }]
`);
    if (!r.ok) throw new Error(r.errors.join());
    const { Session, runLine } = await import('../../src/shell/index.ts');
    for (const [h, remote] of [['a', '192.168.1.20'], ['b', '192.168.1.10']]) {
      const s = new Session(r.world, { startHost: h });
      const out = await runLine(s, `ip link add vxlan0 type vxlan id 42 remote ${remote} dev eth0 dstport 4789`);
      expect(out.exitCode, out.output).toBe(0);
    }
    const layout = layoutTopology(extractTopology(r.world));
    const tunnels = layout.wires.filter((w) => w.kind === 'tunnel');
    expect(tunnels).toHaveLength(1);
    expect(tunnels[0].label).toBe('VXLAN 42');
    checkLayout(layout);
  });

  it('renders an SVG document with one group per piece, escaping names', async () => {
    const l = await lab('bare', 'ip netns add red');
    const svg = svgDocument(layoutTopology(extractTopology(l.world)), { id: 'x', title: 'a <b> title', desc: 'd' });
    expect(svg).toContain('data-key="host/red"');
    expect(svg).toContain('a &lt;b&gt; title');
    expect(svg.match(/<g class="ns"/g)).toHaveLength(2);
  });
});
