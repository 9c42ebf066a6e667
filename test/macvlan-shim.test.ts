/**
 * A Docker macvlan network and the host it runs on: the host never reaches its own macvlan
 * containers through the parent (ARP from eth0 goes to the wire, not to the children), the LAN
 * does; a macvlan interface of the host's own in bridge mode ("shim"), with a route, lets them
 * talk both ways; one in vepa mode sends everything to the switch and does not.
 */
import { describe, expect, it } from 'vitest';
import { Session, runLine } from '../src/shell/index.ts';
import { world } from './helpers.ts';

async function macvlan(extra: string[] = []): Promise<Session> {
  const s = new Session(world('docker'), {});
  for (const l of [
    'docker network create -d macvlan --subnet 10.0.0.0/24 --gateway 10.0.0.1 --ip-range 10.0.0.192/27 -o parent=eth0 lan',
    'docker run -d --name web --network lan nginx',
    'docker run -dit --name tool --network lan alpine ash',
    ...extra,
  ]) {
    const r = await runLine(s, l);
    if (r.exitCode !== 0) throw new Error(`${l}: ${r.output}`);
  }
  return s;
}

const SHIM = (mode: string) => [`ip link add shim link eth0 type macvlan mode ${mode}`, 'ip addr add 10.0.0.250/32 dev shim', 'ip link set shim up', 'ip route add 10.0.0.192/27 dev shim'];

describe('macvlan and its host', () => {
  it('without a shim: the host gets Destination Host Unreachable from its own address, the LAN gets through', async () => {
    const s = await macvlan();
    const p = await runLine(s, 'ping -c1 10.0.0.192');
    expect(p.output).toContain('From 10.0.0.10 icmp_seq=1 Destination Host Unreachable');
    expect(p.exitCode).toBe(1);
    expect((await runLine(s, 'ip neigh show 10.0.0.192')).output).toBe('10.0.0.192 dev eth0 FAILED \n');
    expect((await runLine(s, 'docker exec tool ping -c1 -W2 10.0.0.10')).output).toContain('1 packets transmitted, 0 packets received');
    const gw = new Session(s.world, { startHost: 'gateway' });
    expect((await runLine(gw, 'curl -s -o /dev/null -w "%{http_code}\\n" http://10.0.0.192/')).output).toBe('200\n');
  });

  it('a bridge-mode shim with a route: host and containers reach each other', async () => {
    const s = await macvlan(SHIM('bridge'));
    expect((await runLine(s, 'curl -s -o /dev/null -w "%{http_code}\\n" http://10.0.0.192/')).output).toBe('200\n');
    expect((await runLine(s, 'docker exec tool ping -c1 10.0.0.10')).output).toContain('1 packets received');
    expect((await runLine(s, 'ip route get 10.0.0.192')).output).toMatch(/^10\.0\.0\.192 dev shim src 10\.0\.0\.250 /);
  });

  it('a vepa-mode shim sends to the switch, which does not hairpin; ip link set ... type macvlan mode changes it', async () => {
    const s = await macvlan(SHIM('vepa'));
    expect((await runLine(s, 'ping -c1 10.0.0.192')).output).toContain('From 10.0.0.250 icmp_seq=1 Destination Host Unreachable');
    expect((await runLine(s, 'ip link set shim type macvlan mode bridge')).exitCode).toBe(0);
    expect((await runLine(s, 'ip -d link show shim')).output).toContain('macvlan mode bridge ');
    expect((await runLine(s, 'ping -c1 10.0.0.192')).output).toContain('1 received');
    expect(await runLine(s, 'ip link set eth0 type macvlan mode vepa')).toMatchObject({ exitCode: 2, output: 'RTNETLINK answers: Operation not supported\n' });
  });

  it('--aux-address keeps an address of the range (for the shim) away from containers', async () => {
    const s = new Session(world('docker'), {});
    expect((await runLine(s, 'docker network create -d macvlan --subnet 10.0.0.0/24 --gateway 10.0.0.1 --ip-range 10.0.0.192/27 --aux-address shim=10.0.0.192 -o parent=eth0 lan')).exitCode).toBe(0);
    expect((await runLine(s, "docker network inspect -f '{{json .IPAM.Config}}' lan")).output).toBe('[{"Subnet":"10.0.0.0/24","IPRange":"10.0.0.192/27","Gateway":"10.0.0.1","AuxiliaryAddresses":{"shim":"10.0.0.192"}}]\n');
    await runLine(s, 'docker run -d --name web --network lan nginx');
    expect((await runLine(s, "docker inspect -f '{{.NetworkSettings.Networks.lan.IPAddress}}' web")).output).toBe('10.0.0.193\n');
    expect((await runLine(s, 'docker network create --subnet 10.1.0.0/24 --aux-address x=10.9.9.9 other')).output).toBe('Error response from daemon: invalid pool request: no matching subnet for aux-address 10.9.9.9\n');
  });
});
