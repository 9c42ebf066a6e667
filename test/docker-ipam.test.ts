/**
 * Docker's IPAM as Engine 29 does it: a new network's subnet skips the host's on-link routes and
 * its nameservers, but not routes through a gateway (a VPN's); a local network hands out the
 * lowest free address, so an address given back is the next one handed out.
 */
import { describe, expect, it } from 'vitest';
import { Session, runLine } from '../src/shell/index.ts';
import { world } from './helpers.ts';

async function docker(lines: string[] = []): Promise<Session> {
  const s = new Session(world('docker'), {});
  for (const l of lines) {
    const r = await runLine(s, l);
    if (r.exitCode !== 0) throw new Error(`${l}: ${r.output}`);
  }
  return s;
}

const out = async (s: Session, line: string) => (await runLine(s, line)).output;
const subnet = (s: Session, net: string) => out(s, `docker network inspect -f '{{(index .IPAM.Config 0).Subnet}}' ${net}`);

describe('docker IPAM', () => {
  it('a route through a gateway does not reserve its range: the new bridge takes part of it', async () => {
    const s = await docker(['ip route add 172.16.0.0/12 via 10.0.0.1', 'docker network create app']);
    expect(await subnet(s, 'app')).toBe('172.18.0.0/16\n');
    // the connected route of the bridge is more specific than the /12: office addresses in it go to the bridge
    expect(await out(s, 'ip route get 172.18.40.20')).toMatch(/^172\.18\.40\.20 dev br-[0-9a-f]{12} src 172\.18\.0\.1 /);
    expect(await out(s, 'ip route get 172.24.8.10')).toMatch(/^172\.24\.8\.10 via 10\.0\.0\.1 dev eth0 /);
  });

  it('on-link routes and nameservers are skipped', async () => {
    const s = await docker([
      'ip route add 172.18.0.0/24 dev eth0',
      'echo "nameserver 172.19.0.53" >> /etc/resolv.conf',
      'docker network create one',
      'ip route del 172.18.0.0/24 dev eth0',
      'docker network create two',
    ]);
    expect(await subnet(s, 'one')).toBe('172.20.0.0/16\n');
    expect(await subnet(s, 'two')).toBe('172.18.0.0/16\n');
  });

  it('default pools run 172.17-172.31/16, then 192.168.0.0/16 in /20s', async () => {
    const lines: string[] = [];
    for (let i = 1; i <= 15; i++) lines.push(`docker network create n${i}`);
    const s = await docker(lines);
    expect(await subnet(s, 'n14')).toBe('172.31.0.0/16\n');
    expect(await subnet(s, 'n15')).toBe('192.168.0.0/20\n');
  });

  it('a local network hands out the lowest free address: a freed one is taken by the next container', async () => {
    const s = await docker([
      'docker network create app',
      'docker run -d --name api --network app alpine sleep infinity',
      'docker run -d --name web --network app alpine sleep infinity',
      'docker stop api',
      'docker run -d --name other --network app alpine sleep infinity',
      'docker start api',
    ]);
    const ip = (c: string) => out(s, `docker inspect -f '{{.NetworkSettings.Networks.app.IPAddress}}' ${c}`);
    expect(await ip('other')).toBe('172.18.0.2\n');
    expect(await ip('web')).toBe('172.18.0.3\n');
    expect(await ip('api')).toBe('172.18.0.4\n');
    // a restart with nothing in between gives the same address back
    await runLine(s, 'docker restart web');
    expect(await ip('web')).toBe('172.18.0.3\n');
  });

  it('a static address is only held while the container runs: another container can take it, and the start fails', async () => {
    const s = await docker(['docker network create app', 'docker run -d --name api --network app --ip 172.18.0.2 traefik/whoami', 'docker stop api', 'docker run -d --name other --network app traefik/whoami']);
    expect(await out(s, "docker inspect -f '{{.NetworkSettings.Networks.app.IPAddress}}' other")).toBe('172.18.0.2\n');
    expect(await runLine(s, 'docker start api')).toMatchObject({ exitCode: 1, output: 'Error response from daemon: failed to set up container networking: Address already in use\nError: failed to start containers: api\n' });
    expect(await out(s, "docker ps -a -f name=api --format '{{.Status}}'")).toMatch(/^Exited/);
    await runLine(s, 'docker rm -f other');
    expect((await runLine(s, 'docker start api')).exitCode).toBe(0);
    expect(await out(s, "docker inspect -f '{{json .NetworkSettings.Networks.app.IPAMConfig}}' api")).toContain('"IPv4Address":"172.18.0.2"');
  });

  it('--ip is refused on the default bridge and outside the subnet, as validateEndpointSettings words it', async () => {
    const s = await docker(['docker network create app']);
    expect((await runLine(s, 'docker run -d --ip 172.17.0.9 alpine sleep 1')).output).toBe("docker: Error response from daemon: invalid config for network bridge: invalid endpoint settings:\nuser-specified IP address is supported on user-defined networks only\n\nRun 'docker run --help' for more information\n");
    expect((await runLine(s, 'docker run -d --network app --ip 10.9.9.9 alpine sleep 1')).output).toContain('invalid config for network app: invalid endpoint settings:\nno configured subnet contains IP address 10.9.9.9\n');
    await runLine(s, 'docker run -d --name c --network app alpine sleep infinity');
    expect((await runLine(s, 'docker network connect --ip 172.17.0.9 bridge c')).output).toBe('Error response from daemon: invalid endpoint settings:\nuser-specified IP address is supported on user-defined networks only\n');
  });
});
