/**
 * traefik/whoami as a test server (its flags, /data of any size, /health) and the clients that
 * read what it streams: curl and BusyBox wget decode chunked transfer coding, curl writes what
 * arrived before a transfer fails and says how much, the lab's http check refuses a body that
 * stopped half way. Also: tcpdump's clustered options, ssh passing options to the remote command.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../src/sim/scenario/load.ts';
import { runScenarioSetup } from '../src/shell/setup.ts';
import { run, world } from './helpers.ts';
import { readBody } from '../src/sim/apps/http.ts';
import { whoamiData, whoamiFlags } from '../src/sim/docker/services.ts';
import { evaluate } from '../src/labs/checks.ts';
import { dockerOn } from '../src/sim/docker/engine.ts';

const SETUP = ['docker network create web', 'docker run -d --name w --network web traefik/whoami --port 8080 --name blue', 'docker run -dit --name c --network web nicolaka/netshoot', 'docker run -dit --name a --network web alpine ash'];

describe('traefik/whoami', () => {
  it('takes its flags from the command, Go style, and the environment', () => {
    expect(whoamiFlags([], [])).toEqual({ port: 80, name: '' });
    expect(whoamiFlags(['--port', '8080', '-name=x'], [])).toEqual({ port: 8080, name: 'x' });
    expect(whoamiFlags([], ['WHOAMI_PORT_NUMBER=9000', 'WHOAMI_NAME=n'])).toEqual({ port: 9000, name: 'n' });
    expect(whoamiFlags(['--bogus'], [])).toEqual({ error: 'flag provided but not defined: -bogus' });
  });

  it('prints its host name, addresses and the request as Go writes it (headers sorted after Host and User-Agent)', async () => {
    const r = await run(world('docker'), ['docker network create n', 'docker run -d --name w --hostname api --network n traefik/whoami', 'curl -s -H "X-Trace: 1" -H "A-First: 2" http://172.18.0.2/']);
    expect(r[2].output).toMatch(/^Hostname: api\nIP: 127\.0\.0\.1\nIP: 172\.18\.0\.2\nRemoteAddr: 172\.18\.0\.1:\d+\nGET \/ HTTP\/1\.1\r\nHost: 172\.18\.0\.2\r\nUser-Agent: curl\/7\.88\.1\r\nA-First: 2\r\nAccept: \*\/\*\r\nX-Trace: 1\r\n\r\n$/);
  });

  it('/data is the charset by position between two bars', () => {
    expect(whoamiData(5)).toBe('|ABC|');
    expect(whoamiData(30)).toBe('|ABCDEFGHIJKLMNOPQRSTUVWXYZ-A|');
    expect(whoamiData(100_000)).toHaveLength(100_000);
  });

  it('answers on its port with its name; a small /data has a Content-Length, a large one is chunked', async () => {
    const w = world('docker');
    const r = await run(w, [...SETUP, 'docker exec c curl -s http://w:8080/', 'docker exec c curl -si "http://w:8080/data?size=100"', 'docker exec c curl -si "http://w:8080/data?size=3&unit=KB"', 'docker exec c curl -s -o /dev/null -w "%{http_code}\\n" http://w:8080/health']);
    const [, , , , root, small, big, health] = r;
    expect(root.output).toMatch(/^Name: blue\nHostname: [0-9a-f]{12}\nIP: 127\.0\.0\.1\nIP: 172\.18\.0\.2\nRemoteAddr: 172\.18\.0\.3:\d+\nGET \/ HTTP\/1\.1\r\nHost: w:8080\r\nUser-Agent: curl\/7\.88\.1\r\nAccept: \*\/\*\r\n\r\n$/);
    expect(small.output).toMatch(/^HTTP\/1\.1 200 OK\r\nDate: .+\r\nContent-Length: 100\r\nContent-Type: text\/plain; charset=utf-8\r\n\r\n\|ABC/);
    expect(big.output).toMatch(/^HTTP\/1\.1 200 OK\r\nDate: .+\r\nContent-Type: text\/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n\|ABC/);
    // curl shows the decoded body: 3072 bytes, ending in a bar
    const body = big.output.slice(big.output.indexOf('\r\n\r\n') + 4);
    expect(body).toBe(whoamiData(3072));
    expect(health.output).toBe('200\n');
  });

  it('a bad flag stops the container with status 2 and Go flag usage in its logs', async () => {
    const w = world('docker');
    const r = await run(w, ['docker run -d --name bad traefik/whoami --bogus', 'sleep 1', 'docker ps -a --format "{{.Names}} {{.Status}}"', 'docker logs bad']);
    expect(r[2].output).toMatch(/^bad Exited \(2\)/);
    expect(r[3].output).toMatch(/^flag provided but not defined: -bogus\nUsage of \/whoami:\n  -cacert string\n/);
  });

  it('BusyBox wget decodes a chunked body', async () => {
    const w = world('docker');
    const r = await run(w, [...SETUP, 'docker exec a wget -q -O- "http://w:8080/data?size=2000"']);
    expect(r[r.length - 1].output).toBe(whoamiData(2000));
  });
});

describe('reading a response body', () => {
  it('chunked: complete only once the last chunk is in', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked';
    expect(readBody(head, '5\r\nhello\r\n', false)).toMatchObject({ complete: false, body: 'hello', chunked: true });
    expect(readBody(head, '5\r\nhello\r\n0\r\n\r\n', false)).toMatchObject({ complete: true, body: 'hello' });
    expect(readBody(head, '5\r\nhel', false)).toMatchObject({ complete: false, body: 'hel' });
  });

  it('Content-Length, or until the server closes; HEAD has no body', () => {
    expect(readBody('HTTP/1.1 200 OK\r\nContent-Length: 4', 'ab', false)).toMatchObject({ complete: false, body: 'ab', length: 4 });
    expect(readBody('HTTP/1.0 200 OK', 'abc', true)).toMatchObject({ complete: true, body: 'abc', length: null });
    expect(readBody('HTTP/1.1 200 OK\r\nContent-Length: 4', '', false, 'HEAD')).toMatchObject({ complete: true, body: '', length: 4 });
  });

  it('curl writes what arrived before a timeout and counts body bytes only', async () => {
    const w = world('docker');
    await run(w, SETUP);
    // the bridge port towards c carries only small frames: the head arrives, the body's full segments do not
    const veth = dockerOn(w.host('host')!)!.findContainer('c')!.endpoints.values().next().value!.hostVeth!;
    const r = await run(w, [`ip link set ${veth.name} mtu 1000`, 'docker exec c curl -sS -m 2 -w "%{http_code} %{size_download}\\n" "http://w:8080/data?size=5000" -o /tmp/part', 'docker exec c wc -c /tmp/part']);
    expect(r[1].exitCode).toBe(28);
    expect(r[1].output).toBe('curl: (28) Operation timed out after 2000 milliseconds with 512 bytes received\n200 512\n');
    expect(r[2].output).toBe('512 /tmp/part\n');
    // -v: the response headers as soon as they are read, then the data, long before the timeout
    const v = (await run(w, ['docker exec c curl -v -m 2 -o /dev/null "http://w:8080/data?size=5000"']))[0].output;
    const at = (s: string) => v.indexOf(s);
    expect(at('< HTTP/1.1 200 OK')).toBeGreaterThan(0);
    expect(at('< Transfer-Encoding: chunked')).toBeGreaterThan(at('< HTTP/1.1 200 OK'));
    expect(at('{ [519 bytes data]')).toBeGreaterThan(at('< Transfer-Encoding: chunked'));
    expect(at('0:00:01')).toBeGreaterThan(at('{ [519 bytes data]'));
    expect(at('* Operation timed out after 2000 milliseconds with 512 bytes received')).toBeGreaterThan(at('0:00:01'));
  });
});

describe('the lab http check', () => {
  it('fails a response whose body stops half way, saying how much came', async () => {
    const w = world('docker');
    await run(w, [...SETUP]);
    const home = w.host('host')!;
    const ok = await evaluate({ world: w, home }, { http: { from: 'container:c', url: 'http://w:8080/data?size=4&unit=KB', status: 200 } });
    expect(ok.ok).toBe(true);
    const veth = dockerOn(home)!.findContainer('c')!.endpoints.values().next().value!.hostVeth!;
    await run(w, [`ip link set ${veth.name} mtu 1000`]);
    const cut = await evaluate({ world: w, home }, { http: { from: 'container:c', url: 'http://w:8080/data?size=4&unit=KB', status: 200 } });
    expect(cut.ok).toBe(false);
    expect(cut.message).toContain('http://w:8080/data?size=4&unit=KB from c: HTTP 200 and the headers arrived, then the body stopped after 512 bytes (no more data within 5 s)');
    expect(cut.message).toContain('too big for port');
  });
});

describe('command lines', () => {
  it('tcpdump takes clustered options and attached values', async () => {
    const w = world('linux');
    const r = await run(w, ['ping -c1 -W1 10.0.0.1', 'tcpdump -nni eth0 -c1 icmp', 'ping -c1 -W1 10.0.0.1', 'tcpdump -nc1 -i eth0 icmp']);
    expect(r[1].exitCode).toBe(0);
    expect(r[1].output).toContain('listening on eth0');
    expect(r[1].output).toMatch(/IP 10\.0\.0\.10 > 10\.0\.0\.1: ICMP echo request/);
    expect(r[3].exitCode).toBe(0);
    expect(r[3].output).toMatch(/IP 10\.0\.0\.10 > 10\.0\.0\.1: ICMP echo request/);
    expect((await run(w, ['tcpdump -c'])).pop()!.output).toContain("tcpdump: option requires an argument -- 'c'");
  });

  it('ssh passes the options after the host to the remote command', async () => {
    const r = loadScenarioText(readFileSync(join(import.meta.dirname, '..', 'docs', 'examples', 'swarm-two-nodes.yaml'), 'utf8'), 1);
    if (!r.ok) throw new Error(r.errors.join('; '));
    expect(await runScenarioSetup(r.world, r.scenario)).toBeNull();
    const out = await run(r.world, ['ssh worker iptables -A INPUT -p udp --dport 4789 -j DROP', 'ssh -p 22 worker iptables -S INPUT']);
    expect(out[0].exitCode).toBe(0);
    expect(out[1].output).toBe('-P INPUT ACCEPT\n-A INPUT -p udp -m udp --dport 4789 -j DROP\n');
  });
});

describe('CAP_NET_ADMIN', () => {
  it('a container may look at its network stack but not change it, unless given NET_ADMIN', async () => {
    const w = world('docker');
    const r = await run(w, [
      'docker run -dit --name n nicolaka/netshoot',
      'docker run -dit --name a alpine ash',
      'docker run -dit --name p --cap-add NET_ADMIN nicolaka/netshoot',
      'docker exec n ip link set eth0 mtu 1400',
      'docker exec n ip route add 10.9.0.0/24 via 172.17.0.1',
      'docker exec n ip addr flush dev eth0',
      'docker exec n ip link show eth0',
      'docker exec a ip link set eth0 mtu 1400',
      'docker exec a ifconfig eth0 mtu 1400',
      'docker exec a ip addr add 10.9.0.1/24 dev eth0',
      'docker exec p ip link set eth0 mtu 1400',
      'docker exec p ip link show eth0',
    ]);
    const o = r.slice(3).map((x) => [x.exitCode, x.output]);
    expect(o[0]).toEqual([2, 'RTNETLINK answers: Operation not permitted\n']);
    expect(o[1]).toEqual([2, 'RTNETLINK answers: Operation not permitted\n']);
    expect(o[2]).toEqual([1, 'Failed to send flush request: Operation not permitted\n']);
    expect(o[3][1]).toContain('mtu 1500');
    expect(o[4]).toEqual([1, 'ip: SIOCSIFMTU: Operation not permitted\n']);
    expect(o[5]).toEqual([1, 'ifconfig: SIOCSIFMTU: Operation not permitted\n']);
    expect(o[6]).toEqual([2, 'ip: RTNETLINK answers: Operation not permitted\n']);
    expect(o[7]).toEqual([0, '']);
    expect(o[8][1]).toContain('mtu 1400');
  });
});

describe('curl -D', () => {
  it('dumps the response headers to stdout (before the body) or to a file', async () => {
    const r = await run(world('docker'), [
      ...SETUP,
      'docker exec c curl -s -D - -o /dev/null "http://w:8080/data?size=100"',
      'docker exec c curl -s --dump-header /tmp/h "http://w:8080/data?size=5"',
      'docker exec c cat /tmp/h',
    ]);
    const n = SETUP.length;
    expect(r[n].output).toMatch(/^HTTP\/1\.1 200 OK\r\n.*Content-Length: 100\r\n.*\r\n\r\n$/s);
    expect(r[n + 1].output).toBe('|ABC|');
    expect(r[n + 2].output).toMatch(/^HTTP\/1\.1 200 OK\r\n.*Content-Length: 5\r\n.*\r\n\r\n$/s);
  });
});
