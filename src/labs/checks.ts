/**
 * Evaluating a lab's checks against a live world. State checks read the model (a container's
 * networks, a sysctl, a rule); traffic checks send real simulated packets from the place named
 * (a TCP connect, an ICMP echo, a DNS lookup through the place's own resolv.conf, an HTTP GET)
 * and, when they fail, say where the packet died by reading the trace.
 */
import type { World } from '../sim/net/world.ts';
import type { Host, Netns } from '../sim/net/model.ts';
import { SECOND } from '../sim/engine/scheduler.ts';
import { formatIpv4, parseIpv4, parseCidr, type Ipv4 } from '../sim/wire/addr.ts';
import { TcpConn } from '../sim/transport/tcp.ts';
import { udpClose, udpOpen, udpSend } from '../sim/transport/udp.ts';
import { getaddrinfo } from '../sim/apps/dns.ts';
import { readBody } from '../sim/apps/http.ts';
import { dockerOn, hasNetAdmin, type Container } from '../sim/docker/engine.ts';
import { formatRoute, routeOutput } from '../sim/net/route.ts';
import { RT_TABLE_MAIN } from '../sim/net/types.ts';
import type { TraceEvent } from '../sim/trace/events.ts';
import type { Place } from '../shell/context.ts';
import { readFile } from '../shell/files.ts';
import { Session, runLine } from '../shell/index.ts';
import { sendEcho, openEcho } from '../shell/commands/icmp-echo.ts';
import { curlCommand } from '../shell/commands/curl.ts';
import { formatRuleSave } from '../sim/netfilter/ruletext.ts';
import type { Check } from './schema.ts';

export interface CheckResult {
  readonly ok: boolean;
  /** what holds or fails, in a sentence a learner can act on */
  readonly message: string;
  /** packet ids of a traffic check, to replay its trace */
  readonly events?: readonly TraceEvent[];
}

export interface Target {
  world: World;
  /** the host places without @HOST refer to */
  home: Host;
}

/** Resolve `host`, `netns:NAME`, `container:NAME`, with an optional `@HOST`. */
export function resolvePlace(t: Target, spec: string): { place: Place; label: string } | { error: string } {
  const at = spec.lastIndexOf('@');
  const hostName = at > 0 ? spec.slice(at + 1) : null;
  const what = at > 0 ? spec.slice(0, at) : spec;
  const host = hostName ? t.world.host(hostName) : t.home;
  if (!host) return { error: `there is no host ${hostName}` };
  if (what === 'host') return { place: { host, ns: host.root }, label: host.name };
  if (what.startsWith('netns:')) {
    const ns = host.named.get(what.slice(6));
    if (!ns) return { error: `there is no network namespace ${what.slice(6)} on ${host.name}` };
    return { place: { host, ns }, label: what.slice(6) };
  }
  const name = what.slice('container:'.length);
  const c = findContainer(t, host, hostName === null, name);
  if (!c) return { error: `there is no container ${name}` };
  if (c.state !== 'running' || !c.netns) return { error: `container ${name} is not running` };
  return { place: { host: c.engine.host, ns: c.netns, container: { id: c.id, name: c.name, hostname: c.hostname, toolbox: c.image.info.toolbox, netAdmin: hasNetAdmin(c.spec) } }, label: name };
}

function findContainer(t: Target, host: Host, anyHost: boolean, name: string): Container | null {
  const hosts = anyHost ? [host, ...[...t.world.hosts.values()].filter((h) => h !== host)] : [host];
  for (const h of hosts) {
    const e = dockerOn(h);
    const c = e?.findContainer(name);
    if (c) return c;
    // a swarm task by service name: name.1
    const task = e && [...e.containers.values()].find((x) => x.name.startsWith(`${name}.`) && x.spec.labels?.['com.docker.swarm.service.name'] === name.split('.')[0]);
    if (task) return task;
  }
  return null;
}

/** Let virtual time run until `done` or `deadline` (µs from now). */
function runFor(world: World, done: () => boolean, us: number): void {
  const end = world.sched.now + us;
  world.sched.runUntil(done, end);
}

function filesOf(place: Place): (path: string) => string | null {
  return (path) => {
    const r = readFile(place, path);
    return r.ok ? r.value : null;
  };
}

/** Resolve a name as a process at `place` would (hosts file, then its resolv.conf). */
function lookup(world: World, place: Place, name: string): { ok: true; addr: Ipv4 } | { ok: false; why: string } {
  const lit = parseIpv4(name);
  if (lit !== null) return { ok: true, addr: lit };
  let r: { ok: true; addr: Ipv4 } | { ok: false; why: string } | null = null;
  getaddrinfo(place.ns, name, filesOf(place), (a) => {
    r = a.ok ? { ok: true, addr: a.addr } : { ok: false, why: a.error === 'NONAME' ? 'no such name (NXDOMAIN)' : a.error === 'AGAIN' ? 'no answer from the DNS server' : 'the name has no address' };
  });
  runFor(world, () => r !== null, 25 * SECOND);
  return r ?? { ok: false, why: 'no answer from the DNS server' };
}

/** The first drop in the events of a probe, as a learner-readable sentence. */
function whereItDied(events: readonly TraceEvent[]): string | null {
  const d = events.find((e) => e.kind === 'drop');
  if (!d) return null;
  const where = `${d.at.host}/${d.at.ns}${d.at.dev ? `/${d.at.dev}` : ''}`;
  return `${d.drop?.text ?? d.summary} (at ${where})`;
}

function tcpProbe(world: World, place: Place, addr: Ipv4, port: number): { state: 'open' | 'refused' | 'timeout' | 'unreachable'; events: TraceEvent[] } {
  const mark = world.trace.mark();
  const c = TcpConn.connect(place.ns, addr, port, { owner: 'lab check', pid: 1 });
  if ('error' in c) return { state: 'unreachable', events: world.trace.since(mark) };
  let state: 'pending' | 'open' | string = 'pending';
  c.handlers = { onConnect: () => (state = 'open'), onError: (e) => (state = e) };
  runFor(world, () => state !== 'pending', 3 * SECOND);
  const events = world.trace.since(mark);
  if (state === 'open') {
    c.close();
    runFor(world, () => false, 1000);
    return { state: 'open', events };
  }
  c.destroy();
  if (state === 'pending') return { state: 'timeout', events };
  return { state: state === 'ECONNREFUSED' ? 'refused' : 'unreachable', events };
}

/**
 * A UDP datagram to `addr:port`. It is taken when it reaches a socket, or the VXLAN device that
 * owns the port (which discards a datagram that is not VXLAN, but only after the firewall let it
 * in); it is refused by an ICMP error (nothing listens, or a REJECT rule); else it was dropped on
 * the way (a firewall's DROP, a missing route), which a sender sees as silence.
 */
function udpProbe(world: World, place: Place, addr: Ipv4, port: number): { state: 'taken' | 'refused' | 'silent' | 'unreachable'; events: TraceEvent[] } {
  const mark = world.trace.mark();
  let refused = false;
  const s = udpOpen(place.ns, { owner: 'lab check', onRecv: () => undefined, onError: () => (refused = true) });
  if ('error' in s) return { state: 'unreachable', events: [] };
  const err = udpSend(s, addr, port, 'lab check\n', { by: 'lab check (UDP)' });
  if (!err) runFor(world, () => refused, 2 * SECOND);
  udpClose(s);
  const events = world.trace.since(mark);
  if (err) return { state: 'unreachable', events };
  const first = events.find((e) => e.kind === 'send');
  const mine = first ? events.filter((e) => e.packetId === first.packetId) : [];
  const taken = mine.some((e) => (e.kind === 'deliver' && e.packet.udp?.dport === port) || (e.kind === 'drop' && (e.drop?.reason === 'VXLAN_INVALID_HDR' || e.drop?.reason === 'VXLAN_VNI_MISMATCH')));
  return { state: taken ? 'taken' : refused ? 'refused' : 'silent', events };
}

function pingProbe(world: World, place: Place, addr: Ipv4): { ok: boolean; events: TraceEvent[] } {
  const mark = world.trace.mark();
  const id = 0x4c00 + (world.rng.nextU32() % 0x3ff);
  let got = false;
  let failed = false;
  const close = openEcho(place.ns, id, () => (got = true), () => (failed = true));
  const route = routeOutput(place.ns, addr);
  if (!route.ok) {
    close();
    return { ok: false, events: world.trace.since(mark) };
  }
  const err = sendEcho(place.ns, { src: route.src, dst: addr, ttl: 64, size: 56, id, seq: 1, df: true, by: 'lab check (ping)' });
  if (!err) runFor(world, () => got || failed, 2 * SECOND);
  close();
  return { ok: got, events: world.trace.since(mark) };
}

function httpProbe(world: World, place: Place, addr: Ipv4, port: number, host: string, path: string): { status: number | null; body: string; events: TraceEvent[]; why?: string } {
  const mark = world.trace.mark();
  const c = TcpConn.connect(place.ns, addr, port, { owner: 'lab check', pid: 1 });
  if ('error' in c) return { status: null, body: '', events: world.trace.since(mark), why: c.error };
  let resp = '';
  let state = 'pending';
  let closed = false;
  c.handlers = {
    onConnect: () => {
      state = 'open';
      c.send(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n`);
    },
    onData: (t) => (resp += t),
    onEof: () => (closed = true),
    onError: (e) => {
      if (state === 'pending') state = e;
      closed = true;
    },
  };
  const progress = () => {
    const end = resp.indexOf('\r\n\r\n');
    return end < 0 ? null : readBody(resp.slice(0, end), resp.slice(end + 4), closed);
  };
  const complete = () => progress()?.complete ?? closed;
  runFor(world, () => state !== 'pending' && (state !== 'open' || complete()), 5 * SECOND);
  if (state === 'open') c.close();
  else c.destroy();
  runFor(world, () => false, 1000);
  const events = world.trace.since(mark);
  const m = /^HTTP\/[\d.]+ (\d{3})/.exec(resp);
  if (!m) return { status: null, body: '', events, why: state === 'pending' ? 'no answer (timed out)' : state === 'ECONNREFUSED' ? 'connection refused' : state !== 'open' ? state : 'no HTTP response' };
  const got = progress();
  if (got && !got.complete) {
    const of = got.length !== null ? ` of ${got.length}` : '';
    return { status: null, body: got.body, events, why: `HTTP ${m[1]} and the headers arrived, then the body stopped after ${got.body.length}${of} bytes (${closed ? 'the connection closed' : 'no more data within 5 s'})` };
  }
  return { status: Number(m[1]), body: got?.body ?? '', events };
}

function routeLine(ns: Netns, dst: string): string | null {
  for (const r of ns.routes) {
    if (r.table !== RT_TABLE_MAIN) continue;
    const text = formatRoute(ns, r).trim();
    if (dst === 'default' ? r.len === 0 : text.startsWith(`${dst} `) || text === dst) return text;
  }
  return null;
}

/**
 * An HTTPS GET: the grader carries its own client, the simulator's curl (TLS handshake,
 * certificate checks and all), run at the place whether or not the place has curl installed.
 */
async function httpsCheck(t: Target, place: Place, label: string, h: NonNullable<Check['http']>): Promise<CheckResult> {
  const world = t.world;
  const mark = world.trace.mark();
  const session = new Session(world, { startHost: place.host.name });
  let out = '';
  let err = '';
  const io = { stdin: '', out: (x: string) => void (out += x), err: (x: string) => void (err += x) };
  const argv = ['curl', '-s', '-S', '--max-time', '5', '-w', '\n%{http_code}', h.url];
  const code = await session.invoke(curlCommand, argv, place, io, new Map([['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']]), false, { interrupted: false });
  const events = world.trace.since(mark);
  const cut = out.lastIndexOf('\n');
  const status = Number(out.slice(cut + 1));
  const body = out.slice(0, Math.max(0, cut));
  if (code !== 0 || !status) {
    const died = whereItDied(events);
    return { ok: false, message: `${h.url} from ${label}: ${err.trim().replace(/^curl: \(\d+\) /, '') || `curl exited ${code}`}${died ? `; ${died}` : ''}`, events };
  }
  if (h.status !== undefined && status !== Number(h.status)) return { ok: false, message: `${h.url} from ${label}: HTTP ${status}, expected ${h.status}`, events };
  if (h.contains !== undefined && !body.includes(h.contains)) return { ok: false, message: `${h.url} from ${label}: HTTP ${status}, but the page lacks "${h.contains}"`, events };
  return { ok: true, message: `${h.url} from ${label}: HTTP ${status}`, events };
}

export async function evaluate(t: Target, c: Check): Promise<CheckResult> {
  const r = await evaluateInner(t, c);
  if (!r.ok && c.message) return { ...r, message: c.message };
  return r;
}

async function evaluateInner(t: Target, c: Check): Promise<CheckResult> {
  const world = t.world;
  if (c.not) {
    const r = await evaluate(t, c.not);
    return { ok: !r.ok, message: r.ok ? `unexpectedly true: ${r.message}` : `holds: not (${r.message})`, events: r.events };
  }
  if (c.all) {
    for (const x of c.all) {
      const r = await evaluate(t, x);
      if (!r.ok) return r;
    }
    return { ok: true, message: 'all hold' };
  }
  if (c.any) {
    const fails: CheckResult[] = [];
    for (const x of c.any) {
      const r = await evaluate(t, x);
      if (r.ok) return r;
      fails.push(r);
    }
    return { ok: false, message: fails.map((f) => f.message).join('; '), events: fails[0]?.events };
  }
  if (c.reach) {
    const { from, to, expect } = c.reach;
    const proto = c.reach.proto ?? (c.reach.port ? 'tcp' : 'icmp');
    const p = resolvePlace(t, from);
    if ('error' in p) return { ok: expect === 'closed' && false, message: p.error };
    const target = lookup(world, p.place, to);
    const what = `${p.label} → ${to}${proto === 'icmp' ? ' (ping)' : `:${c.reach.port}`}`;
    if (!target.ok) return { ok: expect === 'closed', message: `${what}: the name ${to} does not resolve from ${p.label}: ${target.why}` };
    if (proto === 'icmp') {
      const r = pingProbe(world, p.place, target.addr);
      if (r.ok === (expect === 'open')) return { ok: true, message: `${what}: ${r.ok ? 'replies' : 'no reply, as required'}`, events: r.events };
      return { ok: false, message: r.ok ? `${what}: answers, but must not` : `${what}: no reply${whereItDied(r.events) ? `; ${whereItDied(r.events)}` : ''}`, events: r.events };
    }
    if (proto === 'udp') {
      const r = udpProbe(world, p.place, target.addr, Number(c.reach.port ?? 53));
      const open = r.state === 'taken';
      if (open === (expect === 'open')) return { ok: true, message: `${what}/udp: ${open ? 'the datagram is taken' : 'the datagram is not taken, as required'}`, events: r.events };
      if (open) return { ok: false, message: `${what}/udp: the datagram gets through, but must not`, events: r.events };
      const died = whereItDied(r.events);
      const why = r.state === 'refused' ? 'refused with an ICMP error (nothing listens, or a REJECT rule)' : r.state === 'unreachable' ? 'no route' : 'no answer';
      return { ok: false, message: `${what}/udp: ${why}${died ? `; ${died}` : ''}`, events: r.events };
    }
    const r = tcpProbe(world, p.place, target.addr, Number(c.reach.port ?? 80));
    const open = r.state === 'open';
    if (open === (expect === 'open')) return { ok: true, message: `${what}: ${open ? 'connects' : 'does not connect, as required'}`, events: r.events };
    if (open) return { ok: false, message: `${what}: connects, but must not`, events: r.events };
    const why = r.state === 'refused' ? `connection refused (nothing listens on ${formatIpv4(target.addr)}:${c.reach.port}, or a REJECT rule)` : r.state === 'timeout' ? 'no answer' : 'no route';
    const died = whereItDied(r.events);
    return { ok: false, message: `${what}: ${why}${died ? `; ${died}` : ''}`, events: r.events };
  }
  if (c.dns) {
    const p = resolvePlace(t, c.dns.from);
    if ('error' in p) return { ok: false, message: p.error };
    const mark = world.trace.mark();
    const r = lookup(world, p.place, c.dns.name);
    const events = world.trace.since(mark);
    const want = c.dns.expect;
    if (want === 'nxdomain') return r.ok ? { ok: false, message: `${c.dns.name} resolves from ${p.label} to ${formatIpv4(r.addr)}, but must not`, events } : { ok: true, message: `${c.dns.name} does not resolve from ${p.label}`, events };
    if (!r.ok) return { ok: false, message: `${c.dns.name} does not resolve from ${p.label}: ${r.why}`, events };
    if (want === 'resolves' || want === formatIpv4(r.addr)) return { ok: true, message: `${c.dns.name} resolves from ${p.label} to ${formatIpv4(r.addr)}`, events };
    return { ok: false, message: `${c.dns.name} resolves from ${p.label} to ${formatIpv4(r.addr)}, expected ${want}`, events };
  }
  if (c.http) {
    const p = resolvePlace(t, c.http.from);
    if ('error' in p) return { ok: false, message: p.error };
    const m = /^(https?):\/\/([^/:]+)(?::(\d+))?(\/.*)?$/.exec(c.http.url);
    if (!m) return { ok: false, message: `bad URL ${c.http.url}` };
    const [, scheme, host, port, path] = m;
    if (scheme === 'https') return httpsCheck(t, p.place, p.label, c.http);
    const target = lookup(world, p.place, host);
    if (!target.ok) return { ok: false, message: `${c.http.url} from ${p.label}: ${host} does not resolve: ${target.why}` };
    const r = httpProbe(world, p.place, target.addr, Number(port ?? 80), host, path ?? '/');
    if (r.status === null) {
      const died = whereItDied(r.events);
      return { ok: false, message: `${c.http.url} from ${p.label}: ${r.why ?? 'no answer'}${died ? `; ${died}` : ''}`, events: r.events };
    }
    if (c.http.status !== undefined && r.status !== Number(c.http.status)) return { ok: false, message: `${c.http.url} from ${p.label}: HTTP ${r.status}, expected ${c.http.status}`, events: r.events };
    if (c.http.contains !== undefined && !r.body.includes(c.http.contains)) return { ok: false, message: `${c.http.url} from ${p.label}: HTTP ${r.status}, but the page lacks "${c.http.contains}"`, events: r.events };
    return { ok: true, message: `${c.http.url} from ${p.label}: HTTP ${r.status}`, events: r.events };
  }
  if (c.sysctl) {
    const p = resolvePlace(t, c.sysctl.on);
    if ('error' in p) return { ok: false, message: p.error };
    const v = p.place.ns.sysctlGet(c.sysctl.key);
    return v === c.sysctl.equals ? { ok: true, message: `${c.sysctl.key} = ${v} on ${p.label}` } : { ok: false, message: `${c.sysctl.key} is ${v ?? 'missing'} on ${p.label}, expected ${c.sysctl.equals}` };
  }
  if (c.container) {
    const s = c.container;
    const host = s.host ? world.host(s.host) : t.home;
    const ct = host ? findContainer(t, host, !s.host, s.name) : null;
    if (!ct) return { ok: s.running === false, message: `there is no container ${s.name}` };
    if (s.running !== undefined && (ct.state === 'running') !== s.running) return { ok: false, message: `container ${s.name} is ${ct.state}${s.running ? ', not running' : ''}` };
    const nets = ct.engine.networksOf(ct).map((n) => n.net.name);
    if (s.network !== undefined && !nets.includes(s.network)) return { ok: false, message: `container ${s.name} is not on network ${s.network} (it is on ${nets.join(', ') || 'none'})` };
    if (s.notNetwork !== undefined && nets.includes(s.notNetwork)) return { ok: false, message: `container ${s.name} is on network ${s.notNetwork}` };
    if (s.networkMode !== undefined && ct.networkMode !== s.networkMode) return { ok: false, message: `container ${s.name} uses network mode ${ct.networkMode}, expected ${s.networkMode}` };
    if (s.address !== undefined) {
      const a = ct.engine.addressOf(ct);
      if (a === null || formatIpv4(a) !== s.address) return { ok: false, message: `container ${s.name} has address ${a === null ? 'none' : formatIpv4(a)}, expected ${s.address}` };
    }
    // a container without networks of its own says which namespace it shares (a guard's `not`
    // quotes this when a learner has moved it onto the host network)
    const where = nets.length
      ? nets.join(', ')
      : ct.networkMode === 'host'
        ? "the host's network namespace (--network host)"
        : ct.networkMode.startsWith('container:')
          ? `the network namespace of ${ct.networkMode.slice('container:'.length)} (--network ${ct.networkMode})`
          : 'no network';
    return { ok: true, message: `container ${s.name}: ${ct.state}, on ${where}` };
  }
  if (c.iptables) {
    const p = resolvePlace(t, c.iptables.on);
    if ('error' in p) return { ok: false, message: p.error };
    const table = c.iptables.table ?? 'filter';
    const tb = p.place.ns.nf.table(table);
    const lines: string[] = [];
    for (const ch of tb.chains.values()) for (const r of ch.rules) lines.push(`-A ${ch.name} ${formatRuleSave(r.spec)}`.replace(/ +$/, ''));
    if (c.iptables.contains !== undefined && !lines.some((l) => l === c.iptables!.contains || l.includes(c.iptables!.contains!))) return { ok: false, message: `${table} table on ${p.label} has no rule like ${c.iptables.contains}` };
    if (c.iptables.absent !== undefined && lines.some((l) => l.includes(c.iptables!.absent!))) return { ok: false, message: `${table} table on ${p.label} still has ${c.iptables.absent}` };
    if (c.iptables.policy) {
      const ch = tb.chains.get(c.iptables.policy.chain);
      const pol = ch?.policy ?? 'ACCEPT';
      if (pol !== c.iptables.policy.is) return { ok: false, message: `the ${c.iptables.policy.chain} policy on ${p.label} is ${pol}` };
    }
    return { ok: true, message: `${table} rules on ${p.label} as required` };
  }
  if (c.link) {
    const p = resolvePlace(t, c.link.on);
    if ('error' in p) return { ok: false, message: p.error };
    const l = p.place.ns.linkByName(c.link.name);
    if (c.link.exists === false) return l ? { ok: false, message: `${c.link.name} still exists on ${p.label}` } : { ok: true, message: `no ${c.link.name} on ${p.label}` };
    if (!l) return { ok: false, message: `there is no interface ${c.link.name} on ${p.label}` };
    if (c.link.up !== undefined && l.adminUp !== c.link.up) return { ok: false, message: `${c.link.name} on ${p.label} is ${l.adminUp ? 'up' : 'down'}` };
    if (c.link.kind !== undefined && l.kind !== c.link.kind) return { ok: false, message: `${c.link.name} on ${p.label} is a ${l.kind}, not a ${c.link.kind}` };
    if (c.link.master !== undefined && (l.master?.name ?? null) !== c.link.master) return { ok: false, message: `${c.link.name} on ${p.label} is ${l.master ? `a port of ${l.master.name}` : 'not a bridge port'}${c.link.master ? `, expected a port of ${c.link.master}` : ''}` };
    if (c.link.mtu !== undefined && l.mtu !== Number(c.link.mtu)) return { ok: false, message: `${c.link.name} on ${p.label} has MTU ${l.mtu}, expected ${c.link.mtu}` };
    if (c.link.address !== undefined) {
      const want = parseCidr(c.link.address);
      if (!want || !l.addrs.some((a) => a.addr === want.addr && (c.link!.address!.includes('/') ? a.len === want.len : true))) return { ok: false, message: `${c.link.name} on ${p.label} does not have ${c.link.address}` };
    }
    return { ok: true, message: `${c.link.name} on ${p.label} as required` };
  }
  if (c.route) {
    const p = resolvePlace(t, c.route.on);
    if ('error' in p) return { ok: false, message: p.error };
    const line = routeLine(p.place.ns, c.route.dst);
    if (c.route.exists === false) return line ? { ok: false, message: `${p.label} still has the route ${line}` } : { ok: true, message: `no route ${c.route.dst} on ${p.label}` };
    if (!line) return { ok: false, message: `${p.label} has no route ${c.route.dst}` };
    if (c.route.via !== undefined && !line.includes(`via ${c.route.via} `)) return { ok: false, message: `${p.label}: ${line} does not go via ${c.route.via}` };
    if (c.route.dev !== undefined && !line.includes(`dev ${c.route.dev} `) && !line.endsWith(`dev ${c.route.dev}`)) return { ok: false, message: `${p.label}: ${line} does not use ${c.route.dev}` };
    return { ok: true, message: `${p.label}: ${line}` };
  }
  if (c.file) {
    const p = resolvePlace(t, c.file.on);
    if ('error' in p) return { ok: false, message: p.error };
    const r = readFile(p.place, c.file.path);
    if (!r.ok) return { ok: false, message: `${c.file.path} does not exist on ${p.label}` };
    if (c.file.contains !== undefined && !r.value.includes(c.file.contains)) return { ok: false, message: `${c.file.path} on ${p.label} lacks "${c.file.contains}"` };
    if (c.file.absent !== undefined && r.value.includes(c.file.absent)) return { ok: false, message: `${c.file.path} on ${p.label} still has "${c.file.absent}"` };
    return { ok: true, message: `${c.file.path} on ${p.label} as required` };
  }
  if (c.command) {
    const p = resolvePlace(t, c.command.on);
    if ('error' in p) return { ok: false, message: p.error };
    const s = new Session(world, { startHost: p.place.host.name });
    const r = await runLine(s, c.command.run);
    const ok = (c.command.exit === undefined || r.exitCode === c.command.exit) && (c.command.contains === undefined || r.output.includes(c.command.contains)) && (c.command.absent === undefined || !r.output.includes(c.command.absent));
    return { ok, message: `\`${c.command.run}\` on ${p.label}: exit ${r.exitCode}${ok ? '' : `: ${r.output.trim().split('\n').slice(-2).join(' / ')}`}` };
  }
  return { ok: false, message: 'an empty check' };
}
