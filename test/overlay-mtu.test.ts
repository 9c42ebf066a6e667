/**
 * MTU across a VXLAN overlay, from the bridge up: a Linux bridge silently discards a frame too big
 * for the port it leaves by (is_skb_forwardable), the VXLAN device answers a bridged DF packet
 * that cannot fit once wrapped with ICMP "fragmentation needed" (skb_tunnel_check_pmtu) and never
 * sets DF on the outer header, and TCP cuts its queued segments down when the path MTU falls and
 * keeps segments that arrive beyond a gap until the gap is filled.
 */
import { describe, expect, it } from 'vitest';
import { Session, runLine, type LineResult } from '../src/shell/index.ts';
import { runScenarioSetup } from '../src/shell/setup.ts';
import { loadScenarioText } from '../src/sim/scenario/load.ts';
import { run, world } from './helpers.ts';

/** Two Docker hosts whose NICs say 1500, joined by a bridge whose ports carry only `path`. */
function scenario(path: number): string {
  return `name: small underlay
hosts:
  - name: node1
    docker: true
    interfaces:
      - { name: eth0, segment: a, address: 192.168.60.11/24 }
  - name: node2
    docker: true
    interfaces:
      - { name: eth0, segment: b, address: 192.168.60.12/24 }
  - name: hv
    ssh: false
    interfaces:
      - { name: tap1, segment: a, mtu: ${path} }
      - { name: tap2, segment: b, mtu: ${path} }
    setup:
      - ip link add br0 type bridge
      - ip link set tap1 master br0
      - ip link set tap2 master br0
      - ip link set br0 up
`;
}

async function start(path: number, lines: string[] = []): Promise<{ s: Session; run: (l: string) => Promise<LineResult> }> {
  const r = loadScenarioText(scenario(path), 1);
  if (!r.ok) throw new Error(r.errors.join('; '));
  const err = await runScenarioSetup(r.world, r.scenario);
  if (err) throw new Error(err);
  const s = new Session(r.world, { startHost: 'node1' });
  const run = async (l: string) => {
    const res = await runLine(s, l);
    if (s.internalErrors.length) throw s.internalErrors[0];
    return res;
  };
  for (const l of lines) {
    const res = await run(l);
    if (res.exitCode !== 0) throw new Error(`${l}: ${res.output}`);
  }
  return { s, run };
}

const SWARM = [
  'docker swarm init --advertise-addr 192.168.60.11',
  'ssh node2 docker swarm join --token $(docker swarm join-token -q worker) 192.168.60.11:2377',
];

const OVERLAY = [...SWARM, 'docker network create -d overlay --attachable appnet', 'docker run -dit --name client --network appnet nicolaka/netshoot', 'ssh node2 docker run -dit --name peer --network appnet nicolaka/netshoot'];

function overlay(opt = ''): string[] {
  return [
    ...SWARM,
    `docker network create -d overlay --attachable ${opt} appnet`,
    'docker service create -d --name api --network appnet --constraint node.hostname==node2 traefik/whoami --port 8080',
    'docker run -dit --name client --network appnet nicolaka/netshoot',
  ];
}

const BIG = "docker exec client curl -sS -m 5 -o /dev/null -w '%{http_code} %{size_download}\\n' 'http://api:8080/data?size=100&unit=KB'";

describe('a bridge port smaller than the frame', () => {
  it('drops it silently: no reply and no ICMP, up to MTU + 4 bytes passes (room for a VLAN tag)', async () => {
    const { run } = await start(1450);
    const big = await run('ping -c1 -W1 -M do -s 1472 192.168.60.12');
    expect(big.exitCode).toBe(1);
    expect(big.output).toContain('1 packets transmitted, 0 received, 100% packet loss');
    expect(big.output).not.toContain('Frag needed');
    const drop = big.events.find((e) => e.kind === 'drop');
    expect(drop?.drop?.reason).toBe('PKT_TOO_BIG');
    expect(drop?.at).toMatchObject({ host: 'hv', dev: 'tap2' });
    expect(drop?.summary).toContain('1514-byte frame is too big for port tap2 (MTU 1450');
    expect(big.events.some((e) => e.kind === 'send' && e.packet.icmp?.type === 3)).toBe(false);
    // 1450 + 4 bytes of IP fit (is_skb_forwardable allows a VLAN header), 1455 do not
    expect((await run('ping -c1 -W1 -M do -s 1426 192.168.60.12')).exitCode).toBe(0);
    expect((await run('ping -c1 -W1 -M do -s 1427 192.168.60.12')).exitCode).toBe(1);
  });
});

describe('an overlay over a small underlay', () => {
  it('a ping with DF from a container learns the tunnel MTU, then fails locally', async () => {
    const { run } = await start(1450, OVERLAY);
    await run('ip link set eth0 mtu 1450');
    const first = await run('docker exec client ping -c1 -W1 -M do -s 1422 peer');
    expect(first.output).toContain('From 10.0.1.3 (10.0.1.3) icmp_seq=1 Frag needed and DF set (mtu = 1400)');
    const icmp = first.events.find((e) => e.kind === 'send' && e.packet.icmp?.type === 3 && e.packet.icmp.code === 4);
    expect(icmp?.at).toMatchObject({ host: 'node1', dev: 'vxlan0' });
    expect(first.events.some((e) => e.kind === 'drop' && e.drop?.reason === 'FRAG_NEEDED' && e.at.dev === 'vxlan0')).toBe(true);
    const again = await run('docker exec client ping -c1 -W1 -M do -s 1422 peer');
    expect(again.output).toContain('ping: local error: message too long, mtu=1400');
    expect((await run('docker exec client ping -c1 -W1 -M do -s 1372 peer')).exitCode).toBe(0);
  });

  it('without DF the packet is wrapped whole and the outer packet, which never has DF, is fragmented', async () => {
    const { run } = await start(1450, OVERLAY);
    await run('ip link set eth0 mtu 1450');
    await run('ssh node2 ip link set eth0 mtu 1450');
    const r = await run('docker exec client ping -c1 -W1 -M dont -s 1422 peer');
    expect(r.exitCode).toBe(0);
    const outer = r.events.filter((e) => e.kind === 'tx' && e.at.host === 'node1' && e.at.dev === 'eth0' && e.packet.ip?.proto === 17);
    expect(outer.map((e) => [e.packet.ip!.fragOffset, e.packet.ip!.mf, e.packet.ip!.df])).toEqual([
      [0, true, false],
      [1424, false, false],
    ]);
  });

  it('on the NIC MTU of 1500 the wrapped packet leaves whole, and the underlay drops it silently', async () => {
    const { run } = await start(1450, OVERLAY);
    const r = await run('docker exec client ping -c1 -W1 -M do -s 1422 peer');
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('100% packet loss');
    expect(r.events.some((e) => e.kind === 'drop' && e.at.host === 'hv' && e.drop?.reason === 'PKT_TOO_BIG')).toBe(true);
    const cap = await run('tcpdump -v -n -i eth0 -c 1 udp port 4789');
    expect(cap.output).toMatch(/flags \[none\], proto UDP \(17\), length 1500\)/);
  });
});

describe('a service across the overlay over a small underlay', () => {
  it('the handshake and a small response cross, a big response hangs after its first segment', async () => {
    const { run } = await start(1450, overlay());
    const small = await run('docker exec client curl -sS -m 5 http://api:8080/');
    expect(small.exitCode).toBe(0);
    expect(small.output).toContain('GET / HTTP/1.1');
    const big = await run(BIG);
    expect(big.exitCode).toBe(28);
    expect(big.output).toBe('curl: (28) Operation timed out after 5000 milliseconds with 512 bytes received\n200 512\n');
    // the VXLAN packets leave node2 at 1500 bytes, with no DF on the outer header
    const cap = await run('ssh node2 tcpdump -nv -i eth0 -c 40 udp port 4789');
    expect(cap.output).toMatch(/flags \[none\], proto UDP \(17\), length 1500\)/);
    expect(cap.output).not.toMatch(/flags \[DF\], proto UDP/);
  });

  it('an overlay MTU 50 bytes under the path lets the big response through', async () => {
    const { run } = await start(1450, overlay('--opt com.docker.network.driver.mtu=1400'));
    expect((await run('docker exec client ip link show eth0')).output).toContain('mtu 1400');
    expect((await run(BIG)).output).toBe('200 102400\n');
  });

  it('with the NIC at the path MTU the tunnel answers ICMP fragmentation needed, and TCP resends in smaller segments', async () => {
    const { run } = await start(1450, overlay());
    expect((await run('ssh node2 ip link set eth0 mtu 1450')).exitCode).toBe(0);
    const r = await run(BIG);
    expect(r.output).toBe('200 102400\n');
    const icmp = r.events.find((e) => e.kind === 'send' && e.packet.icmp?.type === 3 && e.packet.icmp.code === 4);
    expect(icmp?.at).toMatchObject({ host: 'node2', dev: 'vxlan0' });
    expect(icmp?.packet.icmp?.mtu).toBe(1400);
    expect(r.events.some((e) => e.kind === 'drop' && e.drop?.reason === 'FRAG_NEEDED' && e.at.dev === 'vxlan0')).toBe(true);
    expect(r.events.some((e) => e.kind === 'send' && e.summary.includes('path MTU now 1400, TCP sends the segment again in pieces of 1348 bytes'))).toBe(true);
    // the hypervisor dropped nothing
    expect(r.events.some((e) => e.kind === 'drop' && e.at.host === 'hv')).toBe(false);
  });

  it('an overlay MTU above the NIC: ICMP brings TCP down to the NIC, whose frames the underlay still drops', async () => {
    const { run } = await start(1450, overlay('--opt com.docker.network.driver.mtu=1500'));
    const r = await run(BIG);
    expect(r.exitCode).toBe(28);
    expect(r.events.some((e) => e.kind === 'send' && e.packet.icmp?.mtu === 1450)).toBe(true);
    expect(r.events.some((e) => e.kind === 'drop' && e.at.host === 'hv' && e.drop?.reason === 'PKT_TOO_BIG')).toBe(true);
  });
});

describe('TCP when the path MTU falls', () => {
  it('resends its queued segments in smaller pieces at once, and the receiver keeps what arrives beyond the gap', async () => {
    const w = world('bare');
    const script = [
      'ip netns add red',
      'ip netns add rtr',
      'ip netns add blue',
      'ip link add eth0 netns red type veth peer name a netns rtr',
      'ip link add b netns rtr type veth peer name eth0 netns blue',
      'ip -n red addr add 10.1.0.2/24 dev eth0',
      'ip -n rtr addr add 10.1.0.1/24 dev a',
      'ip -n rtr addr add 10.2.0.1/24 dev b',
      'ip -n blue addr add 10.2.0.2/24 dev eth0',
      'ip -n red link set eth0 up',
      'ip -n rtr link set a up',
      'ip -n rtr link set b up',
      'ip -n blue link set eth0 up',
      'ip -n red route add default via 10.1.0.1',
      'ip -n blue route add default via 10.2.0.1',
      'ip netns exec rtr sysctl -q -w net.ipv4.ip_forward=1',
      // the router's link toward red is smaller than both ends think
      'ip -n rtr link set a mtu 1400',
      'mkdir -p /srv',
      'for i in 1 2 3 4 5; do printf "%010000d" $i >> /srv/big; done',
      'ip netns exec blue python3 -m http.server 8000 --directory /srv &',
      'ip netns exec red curl -sS -m 5 -o /dev/null -w "%{http_code} %{size_download}\\n" http://10.2.0.2:8000/big',
    ];
    const r = (await run(w, script)).pop()!;
    expect(r.output).toBe('200 50000\n');
    // the router said so once per too-big segment, the server resent them cut to 1348 bytes
    expect(r.events.some((e) => e.kind === 'send' && e.at.ns === 'rtr' && e.packet.icmp?.code === 4 && e.packet.icmp.mtu === 1400)).toBe(true);
    expect(r.events.some((e) => e.kind === 'send' && e.summary.includes('path MTU now 1400, TCP sends the segment again in pieces of 1348 bytes'))).toBe(true);
    // nothing arrived at red bigger than 1400 bytes
    const sizes = r.events.filter((e) => e.kind === 'rx' && e.at.ns === 'red' && e.packet.tcp).map((e) => e.packet.ip!.totalLength);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1400);
  });
});
