/**
 * BusyBox ifconfig, route, netstat, arp and traceroute beyond what the recorded conformance cases
 * (test/fixtures/conformance/tools, 06 to 11) show: failed commands change nothing, route's
 * ioctl semantics, the applets as an Alpine image's commands.
 */
import { describe, expect, it } from 'vitest';
import { createWorld } from '../../../sim/worlds/index.ts';
import { Session, runLine } from '../../index.ts';

async function run(lines: string[], world: 'bare' | 'linux' | 'docker' = 'bare'): Promise<{ exitCode: number; output: string }[]> {
  const w = createWorld(world, 1)!;
  const s = new Session(w, {});
  const out = [];
  for (const l of lines) {
    const r = await runLine(s, l);
    out.push({ exitCode: r.exitCode, output: r.output });
  }
  expect(s.internalErrors).toEqual([]);
  return out;
}

const PAIR = [
  'ip netns add a',
  'ip netns add b',
  'ip link add eth0 netns a type veth peer name eth0 netns b',
  'ip netns exec a ip addr add 10.9.0.1/24 dev eth0',
  'ip netns exec b ip addr add 10.9.0.2/24 dev eth0',
  'ip netns exec a ip link set eth0 up',
  'ip netns exec b ip link set eth0 up',
];

describe('BusyBox net-tools applets', () => {
  it('ifconfig checks every change before making one', async () => {
    const r = await run([...PAIR, 'ip netns exec a busybox ifconfig eth0 10.9.7.1 netmask 255.255.255.0 mtu 100000', 'ip netns exec a ip -br addr show dev eth0', 'ip netns exec a busybox ifconfig eth0 -arp', 'ip netns exec a busybox ifconfig eth0 10.9.7.1 netmask 255.255.255.0', 'ip netns exec a ip -br addr show dev eth0']);
    expect(r[7]).toEqual({ exitCode: 1, output: 'ifconfig: SIOCSIFMTU: Invalid argument\n' });
    expect(r[8].output).toContain('10.9.0.1/24 ');
    expect(r[8].output).not.toContain('10.9.7.1');
    expect(r[9]).toEqual({ exitCode: 1, output: 'ifconfig: -arp is not modelled by the simulator\n' });
    expect(r[11].output).toContain('10.9.7.1/24 ');
  });

  it('route add appends a second default route, refuses an identical one, deletes by gateway', async () => {
    const r = await run([
      ...PAIR,
      'ip netns exec a busybox route add default gw 10.9.0.2',
      'ip netns exec a busybox route add default gw 10.9.0.3',
      'ip netns exec a busybox route add default gw 10.9.0.3',
      'ip netns exec a ip route',
      'ip netns exec a busybox route del default gw 10.9.0.2',
      'ip netns exec a ip route',
      'ip netns exec a busybox route add -net 10.40.0.0/16',
    ]);
    expect(r[9]).toEqual({ exitCode: 1, output: 'route: SIOCADDRT: File exists\n' });
    expect(r[10].output).toMatch(/^default via 10\.9\.0\.2 dev eth0 \ndefault via 10\.9\.0\.3 dev eth0 \n10\.9/);
    expect(r[12].output).toMatch(/^default via 10\.9\.0\.3 dev eth0 \n10\.9/);
    expect(r[13]).toEqual({ exitCode: 1, output: 'route: SIOCADDRT: No such device\n' });
  });

  it('arp -d of a missing entry: "No ARP entry" (255) with priv, the proxy error without', async () => {
    const r = await run([...PAIR, 'ip netns exec a busybox arp -d 10.9.0.9 priv', 'ip netns exec a busybox arp -d 10.9.0.9', 'ip netns exec a busybox arp -s 10.9.0.9 02:00:00:00:00:09 pub']);
    expect(r[7]).toEqual({ exitCode: 255, output: 'No ARP entry for 10.9.0.9\n' });
    expect(r[8]).toEqual({ exitCode: 1, output: 'arp: SIOCDARP(pub): No such file or directory\n' });
    expect(r[9].exitCode).toBe(1);
  });

  it('traceroute waits -w per silent probe, one probe at a time', async () => {
    const r = await run([...PAIR, 'ip netns exec b iptables -A INPUT -p udp -j DROP', 'ip netns exec a busybox traceroute -n -w 2 -q 2 -m 2 10.9.0.2', 'ip netns exec a busybox traceroute -n -I -q 1 10.9.0.2']);
    expect(r[8].output).toBe('traceroute to 10.9.0.2 (10.9.0.2), 2 hops max, 46 byte packets\n 1  *  *\n 2  *  *\n');
    expect(r[9].output).toMatch(/^traceroute to 10\.9\.0\.2 \(10\.9\.0\.2\), 30 hops max, 46 byte packets\n 1  10\.9\.0\.2  \d+\.\d{3} ms\n$/);
  });

  it('netstat -p names Alpine applets by their link, the host busybox by its binary', async () => {
    const r = await run(['docker run -d --name l alpine nc -l -p 8080', 'docker exec l netstat -tlnp', 'busybox nc -l -p 9000 &', 'busybox netstat -tln', 'busybox netstat -tlnp'], 'docker');
    expect(r[1].output).toMatch(/^tcp {8}0 {6}0 :::8080 {17}:::\* {20}LISTEN {6}\d+\/nc$/m);
    expect(r[3].output).toContain('tcp        0      0 :::9000                 :::*                    LISTEN      \n');
    expect(r[4].output).toMatch(/LISTEN {6}\d+\/busybox$/m);
  });
});
