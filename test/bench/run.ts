/**
 * Benchmarks (`npm run bench`): measured here, never asserted in tests. Writes docs/benchmarks.md.
 *
 * 1. One ping across a bridge between two namespaces: median time per packet trace (a packet's
 *    whole path: routing, ARP cache, both veths, the bridge, netfilter hooks, delivery), with
 *    trace recording on.
 * 2. Parse and execute a typical command line (`ip -br addr show dev eth0`, `ip route`...).
 * 3. Build a world of 1,000 namespaces, each with a veth into one bridge, addressed and up.
 * 4. Heap used by that world.
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
import { bareWorld } from '../../src/sim/worlds/index.ts';
import type { Netns } from '../../src/sim/net/model.ts';

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

const ping = benchPing();
const commands = await benchCommand();
const big = benchBigWorld();
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
  '',
  'Each namespace of the 1,000 has `lo` (up, 127.0.0.1/8), `eth0` (a veth whose peer is a port of',
  '`br0`), a /16 address with its local, broadcast and connected routes, its own netfilter tables,',
  'conntrack table, sysctls and socket table.',
  '',
];
const text = `${lines.join('\n')}`;
writeFileSync(join(root, 'docs', 'benchmarks.md'), text);
process.stdout.write(text);
