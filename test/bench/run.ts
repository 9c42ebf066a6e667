/**
 * Benchmarks (`npm run bench`): measured here, never asserted in tests. Writes docs/benchmarks.md.
 *
 * 1. One ping across a bridge between two namespaces: median time per packet trace (a packet's
 *    whole path: routing, ARP cache, both veths, the bridge, netfilter hooks, delivery), with
 *    trace recording on.
 * 2. Parse and execute a typical command line (`ip -br addr show dev eth0`, `ip route`...).
 * 3. Build a world of 1,000 namespaces, each with a veth into one bridge, addressed and up.
 * 4. Heap used by that world.
 * 5. Docker: 200 containers started on 10 user-defined networks; a ping and a curl between two
 *    containers (the whole `docker exec` command line); `docker network inspect` of a network of
 *    200 containers.
 * 6. Labs: for every lab in labs/, the time to start it (world built, healthy system set up, the
 *    fault planted) and to grade the broken world (every task and guard, with real probes).
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { World } from '../../src/sim/net/world.ts';
import { addAddr, addLink, addNamedNetns, setMaster, setUp, moveLink } from '../../src/sim/net/netlink.ts';
import { ipOutput } from '../../src/sim/net/stack.ts';
import { ICMP_ECHO, IPPROTO_ICMP, type Packet } from '../../src/sim/wire/packet.ts';
import { parseIpv4 } from '../../src/sim/wire/addr.ts';
import { Session, runLine } from '../../src/shell/index.ts';
import { bareWorld, dockerWorld } from '../../src/sim/worlds/index.ts';
import { dockerOn } from '../../src/sim/docker/engine.ts';
import { TcpConn } from '../../src/sim/transport/tcp.ts';
import { SECOND } from '../../src/sim/engine/scheduler.ts';
import type { Netns } from '../../src/sim/net/model.ts';
import { loadLabs } from '../../src/cli/labs.ts';
import { grade, startLab } from '../../src/labs/runner.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length * 0.95)];
}

/** A bridge `br0` in the host with `n` namespaces c0..c(n-1) on it, 10.x.y.z/16 each. */
function bridgeWorld(n: number): { world: World; spaces: Netns[] } {
  const world = new World(1);
  const host = world.addHost('host');
  setUp(host.root.linkByName('lo')!);
  const br = addLink(host.root, { name: 'br0', kind: 'bridge' });
  if (!br.ok) throw new Error('br0');
  addAddr(br.value, { addr: parseIpv4('10.0.0.1')!, len: 16 });
  setUp(br.value);
  const spaces: Netns[] = [];
  for (let i = 0; i < n; i++) {
    const ns = addNamedNetns(host, `c${i}`);
    if (!ns.ok) throw new Error('ns');
    const v = addLink(host.root, { name: `veth${i}`, kind: 'veth', peerName: 'eth0', peerNs: ns.value });
    if (!v.ok) throw new Error('veth');
    setMaster(v.value, br.value);
    setUp(v.value);
    const eth0 = ns.value.linkByName('eth0')!;
    addAddr(eth0, { addr: (parseIpv4('10.0.0.0')! + 2 + i) >>> 0, len: 16 });
    setUp(eth0);
    setUp(ns.value.linkByName('lo')!);
    spaces.push(ns.value);
  }
  void moveLink;
  return { world, spaces };
}

function benchPing(): { medianUs: number; p95Us: number; eventsPerPacket: number } {
  const { world, spaces } = bridgeWorld(2);
  const [a, b] = spaces;
  const src = parseIpv4('10.0.0.2')!;
  const dst = parseIpv4('10.0.0.3')!;
  let replies = 0;
  a.sockets.echo.set(7, { id: 7, onReply: () => replies++, onError: () => undefined });
  void b;
  const send = (seq: number) => {
    const p: Packet = {
      id: world.nextPacketId(),
      ip: { src, dst, ttl: 64, proto: IPPROTO_ICMP, id: seq & 0xffff, df: true, mf: false, fragOffset: 0, totalLength: 84 },
      icmp: { type: ICMP_ECHO, code: 0, id: 7, seq },
      payloadLen: 56,
    };
    ipOutput(a, p, { by: 'bench' });
    const want = replies + 1;
    world.sched.runUntil(() => replies >= want, Infinity);
  };
  // warm up: ARP resolved, JIT warm
  for (let i = 0; i < 2000; i++) send(i);
  const times: number[] = [];
  const mark = world.trace.mark();
  for (let i = 0; i < 5000; i++) {
    const t0 = performance.now();
    send(10000 + i);
    times.push((performance.now() - t0) * 1000);
    if (i % 500 === 0) world.trace.clear();
  }
  void mark;
  // one ping = two packet traces: the request and the reply
  const per = times.map((t) => t / 2);
  const evs = (() => {
    const m = world.trace.mark();
    send(99999);
    return world.trace.since(m).length / 2;
  })();
  return { medianUs: median(per), p95Us: p95(per), eventsPerPacket: evs };
}

async function benchCommand(): Promise<{ name: string; medianUs: number }[]> {
  const world = bareWorld(1);
  const s = new Session(world, {});
  for (const l of ['ip link add veth0 type veth peer name eth0', 'ip addr add 10.0.0.1/24 dev veth0', 'ip link set veth0 up', 'ip link set eth0 up']) await runLine(s, l);
  const cmds = ['ip -br addr show dev veth0', 'ip route', 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT', 'ip link show veth0'];
  const out: { name: string; medianUs: number }[] = [];
  for (const c of cmds) {
    for (let i = 0; i < 300; i++) await runLine(s, c);
    const times: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t0 = performance.now();
      await runLine(s, c);
      times.push((performance.now() - t0) * 1000);
    }
    out.push({ name: c, medianUs: median(times) });
  }
  return out;
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

function benchBigWorld(): { buildMs: number[]; heapMb: number } {
  const buildMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    bridgeWorld(1000);
    buildMs.push(performance.now() - t0);
  }
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = bridgeWorld(1000);
  gc();
  const after = process.memoryUsage().heapUsed;
  void kept.world;
  return { buildMs, heapMb: (after - before) / (1024 * 1024) };
}

/** 200 containers on 10 networks, through the engine (no CLI parsing). */
function startMany(): { world: ReturnType<typeof dockerWorld>; ms: number } {
  const world = dockerWorld(1);
  const e = dockerOn(world.host('host')!)!;
  const t0 = performance.now();
  for (let n = 0; n < 10; n++) e.createNetwork({ name: `net${n}` });
  for (let i = 0; i < 200; i++) {
    const c = e.createContainer({ name: `c${i}`, image: 'alpine', cmd: ['ash'], network: `net${i % 10}`, interactive: true });
    e.startContainer(c);
  }
  return { world, ms: performance.now() - t0 };
}

async function benchDocker(): Promise<{ startMs: number; pingUs: number; curlUs: number; inspectUs: number; curlTraceUs: number }> {
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) starts.push(startMany().ms);
  const s = new Session(dockerWorld(1), {});
  for (const l of ['docker network create app', 'docker run -d --name web --network app nginx', 'docker run -dit --name client --network app nicolaka/netshoot']) await runLine(s, l);
  const timeLine = async (line: string, n: number) => {
    for (let i = 0; i < 20; i++) await runLine(s, line);
    const t: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await runLine(s, line);
      t.push((performance.now() - t0) * 1000);
    }
    return median(t);
  };
  const pingUs = await timeLine('docker exec client ping -c 1 web', 200);
  const curlUs = await timeLine('docker exec client curl -s -o /dev/null http://web/', 200);
  const big = new Session(dockerWorld(1), {});
  await runLine(big, 'docker network create big');
  const e = dockerOn(big.world.host('host')!)!;
  for (let i = 0; i < 200; i++) e.startContainer(e.createContainer({ name: `b${i}`, image: 'alpine', cmd: ['ash'], network: 'big', interactive: true }));
  const inspectUs = await (async () => {
    const t: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      await runLine(big, 'docker network inspect big');
      t.push((performance.now() - t0) * 1000);
    }
    return median(t);
  })();
  // the curl's packets alone: an HTTP GET from one container to another over TCP (handshake,
  // request, response, close), run straight on the model, as the trace a diagram animates
  const e2 = dockerOn(s.world.host('host')!)!;
  const client = e2.findContainer('client')!;
  const web = e2.addressOf(e2.findContainer('web')!)!;
  const sched = s.world.sched;
  const traceUs: number[] = [];
  for (let i = 0; i < 400; i++) {
    const t0 = performance.now();
    const c = TcpConn.connect(client.netns!, web, 80, { owner: 'bench', pid: 1 });
    if ('error' in c) throw new Error(c.error);
    let body = '';
    let done = false;
    c.handlers = {
      onConnect: () => c.send('GET / HTTP/1.1\r\nHost: web\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n'),
      onData: (t) => {
        body += t;
        if (body.includes('</html>')) {
          done = true;
          c.close();
        }
      },
    };
    sched.runUntil(() => done, sched.now + SECOND);
    sched.runUntil(() => false, sched.now + 1000);
    if (i >= 100) traceUs.push((performance.now() - t0) * 1000);
  }
  return { startMs: median(starts), pingUs, curlUs, inspectUs, curlTraceUs: median(traceUs) };
}

async function benchLabs(): Promise<{ id: string; startMs: number; gradeMs: number }[]> {
  const out: { id: string; startMs: number; gradeMs: number }[] = [];
  for (const l of loadLabs()) {
    const starts: number[] = [];
    const grades: number[] = [];
    for (let i = 0; i < 12; i++) {
      const t0 = performance.now();
      const inst = await startLab(l.lab, 1 + (i % 4), { scenarioText: l.scenarioText });
      const t1 = performance.now();
      await grade(inst);
      const t2 = performance.now();
      if (i >= 2) {
        starts.push(t1 - t0);
        grades.push(t2 - t1);
      }
    }
    out.push({ id: l.lab.id, startMs: median(starts), gradeMs: median(grades) });
  }
  return out;
}

const ping = benchPing();
const commands = await benchCommand();
const big = benchBigWorld();
const dk = await benchDocker();
const labs = await benchLabs();
const hasGc = typeof (globalThis as { gc?: unknown }).gc === 'function';

const row = (what: string, value: string, target: string, ok: boolean) => `| ${what} | ${value} | ${target} | ${ok ? 'met' : '**missed**'} |`;
const lines = [
  '# Benchmarks',
  '',
  'Produced by `npm run bench` (test/bench/run.ts); timings are wall-clock on the machine below, so they',
  'vary a little from run to run. Tests never assert on time: this file is the record.',
  '',
  `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}`,
  `- Run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  '| measure | result | target | |',
  '|---|---|---|---|',
  row('one ping across a bridge, per packet trace (median)', `${ping.medianUs.toFixed(1)} µs (p95 ${ping.p95Us.toFixed(1)} µs, ${ping.eventsPerPacket} trace events per packet)`, '< 200 µs', ping.medianUs < 200),
  ...commands.map((c) => row(`parse + execute \`${c.name}\` (median)`, `${c.medianUs.toFixed(1)} µs`, '< 1 ms', c.medianUs < 1000)),
  row('build 1,000 namespaces on one bridge (median of 5)', `${median(big.buildMs).toFixed(1)} ms`, '< 200 ms', median(big.buildMs) < 200),
  row('heap used by that world', hasGc ? `${big.heapMb.toFixed(1)} MB` : 'n/a (run with --expose-gc)', '< 50 MB', hasGc && big.heapMb < 50),
  row('docker: start 200 containers on 10 networks (median of 5)', `${dk.startMs.toFixed(1)} ms`, '< 300 ms', dk.startMs < 300),
  row('docker: `docker exec client ping -c 1 web`, whole command line (median)', `${(dk.pingUs / 1000).toFixed(2)} ms`, '', true),
  row('docker: a container-to-container HTTP GET, its packets only (median trace)', `${dk.curlTraceUs.toFixed(1)} µs`, '< 500 µs', dk.curlTraceUs < 500),
  row('docker: `docker exec client curl -s -o /dev/null http://web/`, whole command line with DNS (median)', `${(dk.curlUs / 1000).toFixed(2)} ms`, '', true),
  row('docker: `docker network inspect` of a 200-container network (median)', `${(dk.inspectUs / 1000).toFixed(2)} ms`, '', true),
  ...labs.flatMap((l) => [
    row(`lab \`${l.id}\`: start (world built, set up and broken; median of 10 over 4 seeds)`, `${l.startMs.toFixed(1)} ms`, '< 50 ms', l.startMs < 50),
    row(`lab \`${l.id}\`: grade the broken world, every task and guard (median)`, `${l.gradeMs.toFixed(1)} ms`, '< 20 ms', l.gradeMs < 20),
  ]),
  '',
  'Each namespace of the 1,000 has `lo` (up, 127.0.0.1/8), `eth0` (a veth whose peer is a port of',
  '`br0`), a /16 address with its local, broadcast and connected routes, its own netfilter tables,',
  'conntrack table, sysctls and socket table.',
  '',
];
const text = `${lines.join('\n')}`;
writeFileSync(join(root, 'docs', 'benchmarks.md'), text);
process.stdout.write(text);
