/**
 * Swarm mode across two simulated hosts (docs/examples/swarm-two-nodes.yaml): joining over the
 * network, overlay networks carried in VXLAN on UDP 4789 with an MTU of 1450, service VIPs
 * answered by the embedded DNS and spread by IPVS, and the routing mesh.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session, runLine } from '../src/shell/index.ts';
import { runScenarioSetup } from '../src/shell/setup.ts';
import { loadScenarioText } from '../src/sim/scenario/load.ts';
import { evaluate } from '../src/labs/checks.ts';

const YAML = readFileSync(join(import.meta.dirname, '..', 'docs', 'examples', 'swarm-two-nodes.yaml'), 'utf8');

async function swarm(lines: string[]): Promise<{ manager: Session; worker: Session }> {
  const r = loadScenarioText(YAML, 1);
  if (!r.ok) throw new Error(r.errors.join('; '));
  const err = await runScenarioSetup(r.world, r.scenario);
  if (err) throw new Error(err);
  const manager = new Session(r.world, { startHost: 'manager' });
  const worker = new Session(r.world, { startHost: 'worker' });
  const init = await runLine(manager, 'docker swarm init');
  expect(init.exitCode).toBe(0);
  const token = (await runLine(manager, 'docker swarm join-token -q worker')).output.trim();
  const join = await runLine(worker, `docker swarm join --token ${token} 192.168.50.10:2377`);
  expect(join).toMatchObject({ exitCode: 0, output: 'This node joined a swarm as a worker.\n' });
  for (const l of lines) {
    const [who, cmd] = l.split(': ');
    const res = await runLine(who === 'w' ? worker : manager, cmd);
    if (res.exitCode !== 0) throw new Error(`${l}: ${res.output}`);
  }
  return { manager, worker };
}

describe('docker swarm', () => {
  it('joins over the network: a wrong token and an unreachable manager fail', async () => {
    const { worker } = await swarm([]);
    const again = await runLine(worker, 'docker swarm join --token x 192.168.50.10:2377');
    expect(again.output).toContain('This node is already part of a swarm');
    expect((await runLine(worker, 'docker network create -d overlay x')).output).toBe('Error response from daemon: Cannot create a multi-host network from a worker node. Please create the network from a manager node.\n');
  });

  it('an attachable overlay carries container traffic in VXLAN between the hosts', async () => {
    const { manager } = await swarm(['m: docker network create -d overlay --attachable appnet', 'm: docker run -dit --name a1 --network appnet alpine ash', 'w: docker run -dit --name b1 --network appnet alpine ash']);
    const addr = await runLine(manager, 'docker exec a1 ip addr show eth0');
    expect(addr.output).toContain('mtu 1450');
    expect(addr.output).toContain('inet 10.0.1.2/24');
    const ping = await runLine(manager, 'docker exec a1 ping -c 1 b1');
    expect(ping.exitCode).toBe(0);
    expect(ping.output).toContain('PING b1 (10.0.1.3)');
    const encap = ping.events.filter((e) => e.kind === 'encap');
    expect(encap.length).toBeGreaterThan(0);
    expect(encap[0].summary).toMatch(/VNI 4097.*192\.168\.50\.10:\d+ > 192\.168\.50\.11:4789/);
    const cap = await runLine(manager, 'tcpdump -i eth0 -n udp port 4789');
    expect(cap.output).toMatch(/IP 192\.168\.50\.10\.\d+ > 192\.168\.50\.11\.4789: VXLAN, flags \[I\] \(0x08\), vni 4097\nIP 10\.0\.1\.2 > 10\.0\.1\.3: ICMP echo request/);
    // no ARP ever crosses the tunnel: the VXLAN device answers from the neighbour table
    expect(cap.output).not.toContain('ARP');
  });

  it('a non-attachable overlay refuses standalone containers', async () => {
    const { manager } = await swarm(['m: docker network create -d overlay private']);
    const r = await runLine(manager, 'docker run -dit --network private alpine ash');
    expect(r.exitCode).toBe(125);
    expect(r.output).toContain('Could not attach to network private: rpc error: code = PermissionDenied desc = network private not manually attachable');
  });

  it('a service name resolves to its VIP; connections to it reach the tasks on both hosts', async () => {
    const { manager } = await swarm(['m: docker network create -d overlay --attachable appnet', 'm: docker run -dit --name client --network appnet alpine ash', 'm: docker service create -d --name web --replicas 2 --network appnet traefik/whoami']);
    const ns = await runLine(manager, 'docker exec client nslookup web');
    expect(ns.output).toMatch(/Name:\tweb\nAddress: 10\.0\.1\.3\n/);
    const tasks = await runLine(manager, 'docker exec client nslookup tasks.web');
    expect(tasks.output.match(/Address: 10\.0\.1\.\d+/g)?.length).toBe(2);
    const hosts = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const r = await runLine(manager, 'docker exec client wget -q -O- http://web/');
      expect(r.exitCode).toBe(0);
      hosts.add(/Hostname: (\S+)/.exec(r.output)![1]);
      expect(r.events.some((e) => e.kind === 'nat' && e.summary.startsWith('IPVS'))).toBe(true);
    }
    expect(hosts.size).toBe(2);
  });

  it('placement constraints choose the node; the VIP forwards any port to the tasks', async () => {
    const { manager } = await swarm(['m: docker network create -d overlay --attachable appnet', 'm: docker run -dit --name client --network appnet nicolaka/netshoot', 'm: docker service create -d --name api --replicas 2 --network appnet --constraint node.role==worker traefik/whoami --port 8080']);
    const ps = await runLine(manager, 'docker service ps api');
    expect(ps.output.match(/ worker +Running/g)?.length).toBe(2);
    expect(ps.output).not.toMatch(/ manager +Running/);
    const r = await runLine(manager, 'docker exec client curl -s http://api:8080/health -o /dev/null -w "%{http_code}\n"');
    expect(r.output).toBe('200\n');
    expect((await runLine(manager, "docker service inspect -f '{{json .Spec.TaskTemplate.Placement}}' api")).output).toBe('{"Constraints":["node.role==worker"]}\n');
    // a constraint no node meets leaves the task pending
    await runLine(manager, 'docker service create -d --name nowhere --constraint node.hostname==nope traefik/whoami');
    expect((await runLine(manager, 'docker service ls')).output).toMatch(/nowhere +replicated +0\/1 /);
  });

  it('service inspect --pretty prints the CLI\'s human-readable form, not the JSON', async () => {
    const { manager } = await swarm(['m: docker network create -d overlay --attachable appnet', 'm: docker service create -d --name api --network appnet --constraint node.role==worker -p 8080:80 traefik/whoami --port 80']);
    const id = (await runLine(manager, "docker service inspect -f '{{.ID}}' api")).output.trim();
    expect((await runLine(manager, 'docker service inspect --pretty api')).output).toBe(
      `\nID:\t\t${id}\nName:\t\tapi\nService Mode:\tReplicated\n Replicas:\t1\nPlacement:\n Constraints:\t[node.role==worker]\n` +
        'UpdateConfig:\n Parallelism:\t1\n On failure:\tpause\n Monitoring Period: 5s\n Max failure ratio: 0\n Update order:      stop-first\n' +
        'RollbackConfig:\n Parallelism:\t1\n On failure:\tpause\n Monitoring Period: 5s\n Max failure ratio: 0\n Rollback order:    stop-first\n' +
        'ContainerSpec:\n Image:\t\ttraefik/whoami\n Args:\t\t--port 80 \nResources:\nNetworks: appnet \nEndpoint Mode:\tvip\n' +
        'Ports:\n PublishedPort = 8080\n  Protocol = tcp\n  TargetPort = 80\n  PublishMode = ingress \n',
    );
  });

  it('the routing mesh: a published port answers on every node, wherever the task runs', async () => {
    const { manager, worker } = await swarm(['m: docker service create -d --name web --replicas 1 -p 8080:80 nginx']);
    const ps = await runLine(manager, 'docker service ps web');
    expect(ps.output).toMatch(/web\.1 +nginx:latest +manager /);
    // the worker runs no task, yet its port 8080 answers
    const r = await runLine(worker, 'curl -s -o /dev/null -w "%{http_code}\\n" http://192.168.50.11:8080/');
    expect(r.output).toBe('200\n');
    expect(await runLine(worker, 'iptables -t nat -S DOCKER-INGRESS').then((x) => x.output)).toMatch(/-A DOCKER-INGRESS -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172\.18\.0\.2:8080\n-A DOCKER-INGRESS -j RETURN\n/);
  });

  it('gossip on 7946: nodes probe each other, and a node not heard for 25 s loses its containers until it is heard again', async () => {
    const { manager, worker } = await swarm(['m: docker network create -d overlay --attachable appnet', 'm: docker run -dit --name a1 --network appnet alpine ash', 'w: docker run -dit --name b1 --network appnet alpine ash']);
    await runLine(manager, 'sleep 3');
    const cap = await runLine(manager, 'tcpdump -ni eth0 -c 4 udp port 7946');
    expect(cap.output).toMatch(/IP 192\.168\.50\.1[01]\.7946 > 192\.168\.50\.1[01]\.7946: UDP, length \d+/);
    expect((await runLine(manager, 'ss -ulnp')).output).toContain('0.0.0.0:7946      0.0.0.0:*   users:(("dockerd",pid=1,fd=3))');
    // a script's tcpdump waits for the chatter instead of giving up at once
    const before = manager.world.now;
    const live = await runLine(manager, 'tcpdump -ni eth0 -c 6 udp port 7946');
    expect(live.exitCode).toBe(0);
    expect(live.output).toContain('6 packets captured');
    expect(manager.world.now - before).toBeGreaterThan(500_000);
    // both hosts stop hearing each other on 7946
    for (const s of [manager, worker]) {
      await runLine(s, 'iptables -A INPUT -p udp --dport 7946 -j DROP');
      await runLine(s, 'iptables -A INPUT -p tcp --dport 7946 -j DROP');
    }
    // a container started now is never announced; the old one still answers for a while
    await runLine(worker, 'docker run -dit --name b2 --network appnet alpine ash');
    expect((await runLine(manager, 'docker exec a1 ping -c1 -W1 b2')).exitCode).toBe(1);
    expect((await runLine(manager, 'docker exec a1 ping -c1 -W1 b1')).exitCode).toBe(0);
    await runLine(manager, 'sleep 30');
    expect((await runLine(manager, 'docker exec a1 ping -c1 -W1 b1')).exitCode).toBe(1);
    // docker node ls does not notice: node status comes from the managers, over 2377
    expect((await runLine(manager, 'docker node ls')).output).toMatch(/worker +Ready/);
    for (const s of [manager, worker]) await runLine(s, 'iptables -F INPUT');
    await runLine(manager, 'sleep 5');
    expect((await runLine(manager, 'docker exec a1 ping -c1 -W1 b1')).exitCode).toBe(0);
    expect((await runLine(manager, 'docker exec a1 ping -c1 -W1 b2')).exitCode).toBe(0);
  });

  it('UDP 4789 belongs to VXLAN: a datagram without a VXLAN header is discarded silently; the lab reach check tells taken, refused and dropped apart', async () => {
    const { manager } = await swarm(['m: docker network create -d overlay --attachable appnet', 'm: docker run -dit --name a1 --network appnet alpine ash']);
    const world = manager.world;
    const home = world.host('manager')!;
    const udp = (port: number, expect: 'open' | 'closed') => evaluate({ world, home }, { reach: { from: 'host@worker', to: '192.168.50.10', port, proto: 'udp', expect } });
    const taken = await udp(4789, 'open');
    expect(taken.ok).toBe(true);
    expect(taken.events?.some((e) => e.kind === 'drop' && e.drop?.reason === 'VXLAN_INVALID_HDR')).toBe(true);
    expect(taken.events?.some((e) => e.packet.icmp)).toBe(false);
    const refused = await udp(9999, 'open');
    expect(refused.message).toContain('192.168.50.10:9999/udp: refused with an ICMP error');
    await runLine(manager, 'iptables -I INPUT -p udp --dport 4789 -j DROP');
    const dropped = await udp(4789, 'open');
    expect(dropped.message).toMatch(/192\.168\.50\.10:4789\/udp: no answer; dropped by rule 1 of INPUT/);
    expect((await udp(4789, 'closed')).ok).toBe(true);
  });

  it('an overlay in use cannot be removed: the manager names the service, then the attachment task of a standalone container', async () => {
    const { manager } = await swarm(['m: docker network create -d overlay --attachable appnet', 'm: docker run -dit --name a1 --network appnet alpine ash', 'm: docker service create -d --name web --network appnet traefik/whoami']);
    const svc = (await runLine(manager, 'docker service inspect -f "{{.ID}}" web')).output.trim();
    const first = await runLine(manager, 'docker network rm appnet');
    expect(first.exitCode).toBe(1);
    expect(first.output).toMatch(new RegExp(`^Error response from daemon: rpc error: code = FailedPrecondition desc = network [0-9a-z]{25} is in use by service ${svc}\n$`));
    await runLine(manager, 'docker service rm web');
    const second = await runLine(manager, 'docker network rm appnet');
    expect(second.output).toMatch(/is in use by task [0-9a-z]{25}\n$/);
    expect((await runLine(manager, 'docker network rm appnet')).output).toBe(second.output);
    await runLine(manager, 'docker rm -f a1');
    expect((await runLine(manager, 'docker network rm appnet')).output).toBe('appnet\n');
  });

  it('the overlay sandbox as moby builds it: /var/run/docker/netns/1-<id>, entered with nsenter --net; br0, vxlan0 (learning, proxy, l2miss, l3miss, underlay in the host) and veth0; Docker\'s own FDB and neighbour entries', async () => {
    const { manager } = await swarm(['m: docker network create -d overlay --attachable appnet', 'm: docker run -dit --name a1 --network appnet alpine ash', 'w: docker run -dit --name b1 --network appnet alpine ash']);
    const id = (await runLine(manager, "docker network inspect -f '{{.Id}}' appnet")).output.trim();
    const key = (await runLine(manager, "docker inspect -f '{{.NetworkSettings.SandboxKey}}' a1")).output.trim();
    const sid = (await runLine(manager, "docker inspect -f '{{.NetworkSettings.SandboxID}}' a1")).output.trim();
    // the container's file is named after its sandbox id, the overlay's after the network id
    expect(key).toBe(`/var/run/docker/netns/${sid.slice(0, 12)}`);
    expect((await runLine(manager, 'ls /var/run/docker/netns')).output).toBe([sid.slice(0, 12), `1-${id.slice(0, 10)}`].sort().join('\n') + '\n');
    const sb = `nsenter --net=/var/run/docker/netns/1-${id.slice(0, 10)}`;
    expect((await runLine(manager, `${sb} ip -br link`)).output).toMatch(/^lo +UNKNOWN .*\nbr0 +UP .*\nvxlan0 +UNKNOWN .*\nveth0@if\d+ +UP .*\n$/);
    const d = (await runLine(manager, `${sb} ip -d link show vxlan0`)).output;
    expect(d).toContain(' link-netnsid 0 ');
    expect(d).toContain('\n    vxlan id 4097 srcport 0 0 dstport 4789 proxy l2miss l3miss ttl auto ageing 300 ');
    expect((await runLine(manager, `${sb} ip -br addr show br0`)).output).toBe('br0              UP             10.0.1.1/24 \n');
    // Docker's entries, written before any packet: no default destination, no multicast lines for a VXLAN port
    const mac = (await runLine(manager, "ssh worker docker exec b1 cat /sys/class/net/eth0/address")).output.trim();
    const fdb = (await runLine(manager, `${sb} bridge fdb show dev vxlan0`)).output;
    expect(fdb).toContain(`${mac} dst 192.168.50.11 self permanent\n`);
    expect(fdb).not.toContain('00:00:00:00:00:00');
    expect(fdb).not.toContain('self permanent\n33:33');
    expect(fdb).not.toMatch(/^(33:33|01:00:5e)/m);
    expect((await runLine(manager, `${sb} ip neigh show dev vxlan0`)).output).toBe(`10.0.1.3 lladdr ${mac} PERMANENT \n`);
    // nsenter keeps the host's files and tools; -t PID -n enters a container's namespace
    expect((await runLine(manager, "nsenter -t $(docker inspect -f '{{.State.Pid}}' a1) -n ip -br addr show eth0")).output).toBe('eth0@if6         UP             10.0.1.2/24 \n');
    expect((await runLine(manager, `nsenter --net=${key} cat /etc/hostname`)).output).toBe('manager\n');
    // the kernel's VXLAN socket, without a process
    expect((await runLine(manager, 'ss -ulnp')).output).toContain('\nUNCONN 0      0            0.0.0.0:4789      0.0.0.0:*                                 \n');
  });

  it('nsenter: what it cannot open, and what it does not model', async () => {
    const { manager } = await swarm([]);
    expect(await runLine(manager, 'nsenter --net=/var/run/docker/netns/nope ip link')).toMatchObject({ exitCode: 1, output: 'nsenter: cannot open /var/run/docker/netns/nope: No such file or directory\n' });
    expect(await runLine(manager, 'nsenter ip link')).toMatchObject({ exitCode: 1, output: 'nsenter: no namespace specified\n' });
    expect(await runLine(manager, 'nsenter -n ip link')).toMatchObject({ exitCode: 1, output: 'nsenter: no target PID specified\n' });
    expect(await runLine(manager, 'nsenter -t 99999 -n ip link')).toMatchObject({ exitCode: 1, output: 'nsenter: cannot open /proc/99999/ns/net: No such file or directory\n' });
    expect(await runLine(manager, 'nsenter -t 1 -n nosuch')).toMatchObject({ exitCode: 127, output: 'nsenter: failed to execute nosuch: No such file or directory\n' });
    expect((await runLine(manager, 'nsenter -t 1 -n ip -br link show eth0')).exitCode).toBe(0);
    // a hand-made device takes the same flags, and ip -d shows them
    await runLine(manager, 'ip link add vxp type vxlan id 9 dstport 4789 proxy l2miss dev eth0');
    expect((await runLine(manager, 'ip -d link show vxp')).output).toContain('vxlan id 9 dev eth0 srcport 0 0 dstport 4789 proxy l2miss ttl auto');
  });
});
