/**
 * The simulated Docker Engine seen from underneath, as a learner would inspect it on a real host:
 * the rules `docker run -p` adds and `docker rm` takes away, the bridge and veths, the packets
 * tcpdump sees on docker0, and the classic failures (FORWARD policy, ip_forward, internal
 * networks, macvlan host isolation), each fixed with the command a learner would use.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Session, runLine } from '../src/shell/index.ts';
import { dockerOn } from '../src/sim/docker/engine.ts';
import { formatIpv4 } from '../src/sim/wire/addr.ts';
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

describe('docker from underneath', () => {
  it('a fresh daemon: docker0, forwarding on, FORWARD policy DROP, the Engine 29 chains', async () => {
    const s = await docker();
    expect(await out(s, 'sysctl net.ipv4.ip_forward')).toBe('net.ipv4.ip_forward = 1\n');
    expect(await out(s, 'ip -br addr show docker0')).toMatch(/^docker0 +\S+ +172\.17\.0\.1\/16 /);
    const filter = await out(s, 'iptables -S');
    expect(filter).toContain('-P FORWARD DROP\n');
    expect(filter).toContain('-A FORWARD -j DOCKER-USER\n-A FORWARD -j DOCKER-FORWARD\n');
    expect(filter).toContain('-A DOCKER-FORWARD -j DOCKER-CT\n-A DOCKER-FORWARD -j DOCKER-INTERNAL\n-A DOCKER-FORWARD -j DOCKER-BRIDGE\n-A DOCKER-FORWARD -i docker0 -j ACCEPT\n');
    expect(await out(s, 'sysctl net.bridge.bridge-nf-call-iptables')).toBe('net.bridge.bridge-nf-call-iptables = 1\n');
  });

  it('docker run -p adds DNAT, an ACCEPT and a raw DROP; docker rm takes them away', async () => {
    const s = await docker();
    const before = { nat: await out(s, 'iptables -t nat -S'), filter: await out(s, 'iptables -S'), raw: await out(s, 'iptables -t raw -S') };
    expect((await runLine(s, 'docker run -d --name web -p 8080:80 nginx')).exitCode).toBe(0);
    expect(await out(s, 'iptables -t nat -S DOCKER')).toBe('-N DOCKER\n-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80\n');
    expect(await out(s, 'iptables -S DOCKER')).toBe('-N DOCKER\n-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT\n-A DOCKER ! -i docker0 -o docker0 -j DROP\n');
    expect(await out(s, 'iptables -t raw -S')).toContain('-A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP\n');
    expect(await out(s, 'ss -ltn')).toContain('0.0.0.0:8080');
    expect(await out(s, 'docker port web')).toBe('80/tcp -> 0.0.0.0:8080\n');
    expect((await runLine(s, 'docker rm -f web')).exitCode).toBe(0);
    expect(await out(s, 'iptables -t nat -S')).toBe(before.nat);
    expect(await out(s, 'iptables -S')).toBe(before.filter);
    expect(await out(s, 'iptables -t raw -S')).toBe(before.raw);
    expect(await out(s, 'ss -ltn')).not.toContain('8080');
  });

  it('a published port answers from the LAN through DNAT, and tcpdump on docker0 sees the translated packets', async () => {
    const s = await docker(['docker run -d --name web -p 8080:80 nginx']);
    // from the router on the LAN: DNAT in PREROUTING, forwarded through docker0
    const w = s.world;
    const gw = new Session(w, { startHost: 'gateway' });
    const r = await runLine(gw, 'curl -s -o /dev/null -w "%{http_code}\\n" http://10.0.0.10:8080/');
    expect(r.output).toBe('200\n');
    const cap = await out(s, 'tcpdump -i docker0 -n -c 3 tcp');
    expect(cap).toMatch(/IP 10\.0\.0\.1\.\d+ > 172\.17\.0\.2\.80: Flags \[S\]/);
    // the trace shows the DNAT rewrite
    const nat = r.events.filter((e) => e.kind === 'nat');
    expect(nat.some((e) => e.nat?.kind === 'DNAT' && e.nat.after.includes('172.17.0.2:80'))).toBe(true);
  });

  it('tcpdump takes bundled options as getopt does (-ni eth0, -nnc1)', async () => {
    const s = await docker(['docker run -dit --name c1 alpine ash']);
    await runLine(s, 'docker exec c1 ping -c 1 8.8.8.8 &');
    const cap = await runLine(s, 'tcpdump -ni eth0 -c 2 icmp');
    expect(cap.exitCode).toBe(0);
    expect(cap.output).toMatch(/IP 10\.0\.0\.10 > 8\.8\.8\.8: ICMP echo request/);
    await runLine(s, 'docker exec c1 ping -c 1 8.8.8.8 &');
    expect((await runLine(s, 'tcpdump -nnc1 -i docker0 icmp')).output).toMatch(/^\d\d:\d\d:\d\d\.\d{6} IP 172\.17\.0\.2 > 8\.8\.8\.8: ICMP echo request/m);
    const bad = await runLine(s, 'tcpdump -nc');
    expect(bad.output).toMatch(/^tcpdump: option requires an argument -- 'c'\n/);
  });

  it('from the host itself, localhost:8080 goes through docker-proxy', async () => {
    const s = await docker(['docker run -d --name web -p 8080:80 nginx']);
    const r = await runLine(s, 'curl -s http://localhost:8080/');
    expect(r.output).toContain('Welcome to nginx!');
    expect(r.events.some((e) => e.kind === 'deliver' && e.summary.includes('docker-proxy'))).toBe(true);
  });

  it('a published port with nothing listening behind it: refused through DNAT, reset through docker-proxy', async () => {
    // -p 8080:80 while the server listens on 8000; -p 9090:8000 to a server bound to 127.0.0.1
    const s = await docker(['docker run -d --name wrongport -p 8080:80 python python3 -m http.server 8000', 'docker run -d --name loopback -p 9090:8000 python python3 -m http.server --bind 127.0.0.1 8000']);
    const gw = new Session(s.world, { startHost: 'gateway' });
    for (const port of [8080, 9090]) {
      // from the LAN: DNAT sends the SYN to the container, whose kernel answers with a RST
      const lan = await runLine(gw, `curl -sS http://10.0.0.10:${port}/`);
      expect(lan.exitCode).toBe(7);
      expect(lan.output).toMatch(new RegExp(`^curl: \\(7\\) Failed to connect to 10\\.0\\.0\\.10 port ${port} after \\d+ ms: Couldn't connect to server\\n$`));
      expect(lan.events.some((e) => e.kind === 'send' && e.summary.includes('[R.]') && e.at.ns !== 'root')).toBe(true);
      // from the host to its own LAN address: nat OUTPUT's DNAT, the same refusal
      const own = await runLine(s, `curl -sS http://10.0.0.10:${port}/`);
      expect(own.exitCode).toBe(7);
      // from the host to localhost: docker-proxy accepts, fails to reach the container, resets
      const local = await runLine(s, `curl -sS http://localhost:${port}/`);
      expect(local.exitCode).toBe(56);
      expect(local.output).toBe('curl: (56) Recv failure: Connection reset by peer\n');
    }
    // the listener as the container's namespace shows it
    expect(await out(s, 'docker run --rm --network container:loopback nicolaka/netshoot ss -ltn')).toContain('127.0.0.1:8000');
    // fixed: the right container port, and a server on every address
    await runLine(s, 'docker rm -f wrongport loopback');
    await runLine(s, 'docker run -d --name web -p 8080:8000 python python3 -m http.server 8000');
    expect((await runLine(gw, 'curl -s -o /dev/null -w "%{http_code}" http://10.0.0.10:8080/')).output).toBe('200');
    expect((await runLine(s, 'curl -s -o /dev/null -w "%{http_code}" http://localhost:8080/')).output).toBe('200');
  });

  it('a second -p on the same host port is refused', async () => {
    const s = await docker(['docker run -d --name a -p 8080:80 nginx']);
    const r = await runLine(s, 'docker run -d --name b -p 8080:80 nginx');
    expect(r.exitCode).toBe(125);
    expect(r.output).toMatch(/^docker: Error response from daemon: failed to set up container networking: driver failed programming external connectivity on endpoint b \([0-9a-f]{64}\): Bind for 0\.0\.0\.0:8080 failed: port is already allocated\n\nRun 'docker run --help' for more information\n$/);
  });

  it('FORWARD policy DROP without Docker chains cuts containers off; the rules put back fix it', async () => {
    const s = await docker(['docker run -dit --name c1 alpine ash']);
    expect((await runLine(s, 'docker exec c1 ping -c 1 -W 1 8.8.8.8')).exitCode).toBe(0);
    await runLine(s, 'iptables -F FORWARD');
    expect((await runLine(s, 'docker exec c1 ping -c 1 -W 1 8.8.8.8')).exitCode).toBe(1);
    await runLine(s, 'iptables -A FORWARD -j DOCKER-USER');
    await runLine(s, 'iptables -A FORWARD -j DOCKER-FORWARD');
    expect((await runLine(s, 'docker exec c1 ping -c 1 -W 1 8.8.8.8')).exitCode).toBe(0);
  });

  it('systemctl restart docker puts its jumps back at the top of FORWARD, keeps DOCKER-USER and the FORWARD policy', async () => {
    const s = await docker(['docker run -dit --name c1 --restart unless-stopped alpine ash']);
    await runLine(s, 'iptables -I DOCKER-USER -i eth0 ! -s 10.0.0.0/24 -m conntrack --ctstate NEW -j DROP');
    // a hardening script: FORWARD flushed, then its own rules (one inserted at the top)
    await runLine(s, 'iptables -F FORWARD');
    await runLine(s, 'iptables -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
    await runLine(s, 'iptables -I FORWARD -i eth0 -j DROP');
    await runLine(s, 'iptables -t nat -A POSTROUTING -o wg0 -j MASQUERADE');
    expect((await runLine(s, 'docker exec c1 ping -c 1 -W 1 8.8.8.8')).exitCode).toBe(1);
    expect((await runLine(s, 'systemctl restart docker')).exitCode).toBe(0);
    const filter = await out(s, 'iptables -S');
    expect(filter).toContain('-P FORWARD DROP\n');
    // EnsureJumpRule: deleted and inserted at the head, DOCKER-USER above DOCKER-FORWARD
    expect(filter).toContain('-A FORWARD -j DOCKER-USER\n-A FORWARD -j DOCKER-FORWARD\n-A FORWARD -i eth0 -j DROP\n-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n');
    expect(filter).toContain('-A DOCKER-USER ! -s 10.0.0.0/24 -i eth0 -m conntrack --ctstate NEW -j DROP\n');
    expect(filter.match(/-j DOCKER-USER/g)).toHaveLength(1);
    // the user's own MASQUERADE stays beside Docker's
    expect(await out(s, 'iptables -t nat -S POSTROUTING')).toBe('-P POSTROUTING ACCEPT\n-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\n-A POSTROUTING -o wg0 -j MASQUERADE\n');
    expect((await runLine(s, 'docker exec c1 ping -c 1 -W 1 8.8.8.8')).exitCode).toBe(0);
  });

  it('systemctl restart docker does not close a FORWARD policy the admin opened, and puts a deleted MASQUERADE back', async () => {
    const s = await docker([]);
    await runLine(s, 'iptables -P FORWARD ACCEPT');
    await runLine(s, 'iptables -t nat -D POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE');
    await runLine(s, 'systemctl restart docker');
    // forwarding was already on, so the daemon leaves the policy alone (setupIPv4Forwarding)
    expect(await out(s, 'iptables -S FORWARD')).toBe('-P FORWARD ACCEPT\n-A FORWARD -j DOCKER-USER\n-A FORWARD -j DOCKER-FORWARD\n');
    expect(await out(s, 'iptables -t nat -S POSTROUTING')).toContain('-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\n');
  });

  it('ip_forward=0 stops outbound traffic; 1 restores it', async () => {
    const s = await docker(['docker run -dit --name c1 alpine ash']);
    await runLine(s, 'sysctl -w net.ipv4.ip_forward=0');
    const down = await runLine(s, 'docker exec c1 ping -c 1 -W 1 8.8.8.8');
    expect(down.exitCode).toBe(1);
    expect(down.events.some((e) => e.kind === 'drop' && e.drop?.reason === 'IP_FORWARDING_DISABLED')).toBe(true);
    await runLine(s, 'sysctl -w net.ipv4.ip_forward=1');
    expect((await runLine(s, 'docker exec c1 ping -c 1 -W 1 8.8.8.8')).exitCode).toBe(0);
  });

  it('an internal network has no default route and no MASQUERADE', async () => {
    const s = await docker(['docker network create --internal secret', 'docker run -dit --name c --network secret alpine ash']);
    expect(await out(s, 'docker exec c ip route')).not.toContain('default');
    expect(await out(s, 'iptables -t nat -S POSTROUTING')).not.toContain('172.18.0.0/16');
    expect(await out(s, 'iptables -S DOCKER-INTERNAL')).toMatch(/-A DOCKER-INTERNAL ! -s 172\.18\.0\.0\/16 -o br-[0-9a-f]{12} -j DROP\n-A DOCKER-INTERNAL ! -d 172\.18\.0\.0\/16 -i br-[0-9a-f]{12} -j DROP\n/);
  });

  it('the host cannot reach its own macvlan containers, the LAN can', async () => {
    const s = await docker(['docker network create -d macvlan --subnet 10.0.0.0/24 --gateway 10.0.0.1 -o parent=eth0 mv', 'docker run -dit --name m1 --network mv --ip 10.0.0.50 alpine ash']);
    expect((await runLine(s, 'ping -c 1 -W 1 10.0.0.50')).exitCode).toBe(1);
    const gw = new Session(s.world, { startHost: 'gateway' });
    expect((await runLine(gw, 'ping -c 1 -W 1 10.0.0.50')).exitCode).toBe(0);
  });

  it('an ipvlan (l2) container shares the parent MAC and reaches the LAN', async () => {
    const s = await docker(['docker network create -d ipvlan --subnet 10.0.0.0/24 -o parent=eth0 ipv', 'docker run -dit --name i1 --network ipv --ip 10.0.0.60 alpine ash']);
    expect((await runLine(s, 'docker exec i1 ping -c 1 -W 1 10.0.0.1')).exitCode).toBe(0);
    const mac = /link\/ether (\S+)/.exec(await out(s, 'ip link show eth0'))![1];
    expect(await out(s, 'docker exec i1 ip link show eth0')).toContain(`link/ether ${mac}`);
  });

  it('two ipvlan (l2) containers reach each other: the ARP reply to the shared MAC goes to the sibling that owns its target address', async () => {
    const s = await docker(['docker network create -d ipvlan --subnet 10.0.0.0/24 -o parent=eth0 ipv', 'docker run -dit --name i1 --network ipv --ip 10.0.0.60 alpine ash', 'docker run -dit --name i2 --network ipv --ip 10.0.0.61 alpine ash']);
    const r = await runLine(s, 'docker exec i1 ping -c 1 -W 1 10.0.0.61');
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain('1 packets transmitted, 1 packets received');
  });

  it('macvlan and ipvlan networks reserve no gateway unless given one; an l3 ipvlan routes everything to its interface', async () => {
    const s = await docker([
      'docker network create -d macvlan --subnet 10.1.0.0/24 -o parent=eth0 mv',
      'docker run -dit --name m1 --network mv alpine ash',
      'docker network create -d ipvlan --subnet 192.168.50.0/24 -o parent=eth0 -o ipvlan_mode=l3 l3net',
      'docker run -dit --name l3 --network l3net alpine ash',
      'docker network create -d macvlan --subnet 10.2.0.0/24 --gateway 10.2.0.254 -o parent=eth0 mv2',
      'docker run -dit --name m2 --network mv2 alpine ash',
    ]);
    expect(await out(s, 'docker exec m1 ip route')).toBe('10.1.0.0/24 dev eth0 scope link  src 10.1.0.1 \n');
    expect(await out(s, "docker network inspect -f '{{json .IPAM.Config}}' mv")).toBe('[{"Subnet":"10.1.0.0/24","IPRange":"","Gateway":""}]\n');
    expect(await out(s, 'docker exec l3 ip route')).toBe('default dev eth0 scope link \n192.168.50.0/24 dev eth0 scope link  src 192.168.50.1 \n');
    expect(await out(s, 'docker exec m2 ip route')).toBe('default via 10.2.0.254 dev eth0 \n10.2.0.0/24 dev eth0 scope link  src 10.2.0.1 \n');
  });

  it('host networking: -p is discarded with the daemon\'s warning, and no ports are listed for containers without a bridge endpoint', async () => {
    const s = await docker(['docker run -d --name b nginx']);
    const r = await runLine(s, 'docker run -d --name h --network host -p 8080:80 nginx');
    expect(r.exitCode).toBe(0);
    expect(r.output).toMatch(/^WARNING: Published ports are discarded when using host network mode\n[0-9a-f]{64}\n$/);
    expect(await out(s, 'ss -ltn')).not.toContain(':8080');
    expect(await out(s, "docker ps --format '{{.Names}} [{{.Ports}}]'")).toBe('h []\nb [80/tcp]\n');
    expect(await out(s, "docker inspect -f '{{json .NetworkSettings.Ports}}' h")).toBe('{}\n');
    expect(await out(s, 'docker port h')).toBe('');
  });

  it('raw PREROUTING: every container on a bridge network is shielded from direct access, and a port published on 127.0.0.1 from other interfaces', async () => {
    const s = await docker(['docker network create --internal secret', 'docker run -dit --name a alpine ash', 'docker run -dit --name i --network secret alpine ash', 'docker run -d --name web -p 127.0.0.1:8080:80 nginx']);
    expect(await out(s, 'iptables -t raw -S PREROUTING')).toBe('-P PREROUTING ACCEPT\n-A PREROUTING -d 172.17.0.2/32 ! -i docker0 -j DROP\n-A PREROUTING -d 172.17.0.3/32 ! -i docker0 -j DROP\n-A PREROUTING -d 127.0.0.1/32 ! -i lo -p tcp -m tcp --dport 8080 -j DROP\n');
    expect((await runLine(s, 'docker rm -f a web')).exitCode).toBe(0);
    expect(await out(s, 'iptables -t raw -S PREROUTING')).toBe('-P PREROUTING ACCEPT\n');
  });

  it('listeners started as a container command, reached from other containers and through a published port', async () => {
    const s = await docker(['docker run -d --name l1 alpine nc -lk -p 9000', 'docker run -d --name py -p 8000:8000 python python3 -m http.server 8000']);
    expect((await runLine(s, 'docker run --rm alpine nc -zv 172.17.0.2 9000')).exitCode).toBe(0);
    expect(await out(s, 'curl -s http://10.0.0.10:8000/')).toContain('Directory listing for /');
    expect(await out(s, 'docker logs py')).toContain('"GET / HTTP/1.1" 200 -');
  });

  it('python3 in a container without -t buffers its stdout: docker logs shows only the access log', async () => {
    const s = await docker(['docker run -d --name a -p 8080:8000 python python3 -m http.server 8000', 'docker run -d --name b -e PYTHONUNBUFFERED=1 python python3 -m http.server 8000', 'docker run -dt --name c python python3 -m http.server --bind 127.0.0.1 8000', 'docker run -d --name d python python3 -u -m http.server 8000']);
    await runLine(s, 'curl -s -o /dev/null http://localhost:8080/');
    expect(await out(s, 'docker logs a')).toMatch(/^172\.17\.0\.1 - - \[05\/Jan\/2026 09:00:\d\d\] "GET \/ HTTP\/1\.1" 200 -\n$/);
    expect(await out(s, 'docker logs b')).toBe('Serving HTTP on 0.0.0.0 port 8000 (http://0.0.0.0:8000/) ...\n');
    expect(await out(s, 'docker logs c')).toBe('Serving HTTP on 127.0.0.1 port 8000 (http://127.0.0.1:8000/) ...\n');
    expect(await out(s, 'docker logs d')).toBe('Serving HTTP on 0.0.0.0 port 8000 (http://0.0.0.0:8000/) ...\n');
  });

  it('the default bridge has no DNS; a user-defined network answers names at 127.0.0.11', async () => {
    const s = await docker(['docker network create app', 'docker run -dit --name a --network app alpine ash', 'docker run -dit --name b --network app alpine ash', 'docker run -dit --name c alpine ash']);
    expect(await out(s, 'docker exec a cat /etc/resolv.conf')).toContain('nameserver 127.0.0.11\noptions ndots:0\n');
    expect(await out(s, 'docker exec c cat /etc/resolv.conf')).toContain('nameserver 10.0.0.1\n');
    const e = dockerOn(s.world.host('host')!)!;
    const a = e.findContainer('a')!;
    expect(a.netns!.nf.table('nat').chains.has('DOCKER_OUTPUT')).toBe(true);
  });
});

describe('docker properties', () => {
  it('addresses: unique per network, inside the subnet; removing everything restores the host', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.boolean()), { minLength: 1, maxLength: 12 }), async (plan) => {
        const s = new Session(world('docker'), {});
        const host = s.world.host('host')!;
        const snapshot = async () => [await out(s, 'iptables-save | grep -v "^#"'), await out(s, 'ip -br link'), await out(s, 'ip route')].join('\n---\n');
        const initial = await snapshot();
        for (const n of ['n0', 'n1', 'n2']) await runLine(s, `docker network create ${n}`);
        const names: string[] = [];
        for (let i = 0; i < plan.length; i++) {
          const [net, stop] = plan[i];
          await runLine(s, `docker run -dit --name c${i} --network n${net} alpine ash`);
          names.push(`c${i}`);
          if (stop && i % 2 === 0) await runLine(s, `docker stop c${i}`);
        }
        const e = dockerOn(host)!;
        for (const net of e.networks.values()) {
          const seen = new Set<number>();
          for (const ep of net.endpoints.values()) {
            if (ep.ip === null) continue;
            expect(seen.has(ep.ip)).toBe(false);
            seen.add(ep.ip);
            expect(net.pool!.contains(ep.ip), `${formatIpv4(ep.ip)} in ${net.name}`).toBe(true);
            expect(ep.ip).not.toBe(net.gateway);
          }
        }
        await runLine(s, `docker rm -f ${names.join(' ')}`);
        await runLine(s, 'docker network rm n0 n1 n2');
        expect(await snapshot()).toBe(initial);
      }),
      { numRuns: 12 },
    );
  });
});
