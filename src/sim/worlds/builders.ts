/**
 * Helpers that build common pieces of a world (ns-3's "helpers"): a Linux host with the usual
 * files, a NIC on a segment, an sshd, the LAN gateway with its resolver, the simulated internet.
 */
import { FileSystem } from '../net/fs.ts';
import type { Host, Link, Netns } from '../net/model.ts';
import { addAddr, addLink, addRoute, setUp } from '../net/netlink.ts';
import { setSysctl } from '../net/sysctl.ts';
import type { World } from '../net/world.ts';
import { parseCidr, parseIpv4, type Ipv4 } from '../wire/addr.ts';
import { appendRuleText } from '../netfilter/edit.ts';
import { StaticZone, startDnsServer } from '../apps/dns.ts';
import { startHttpServer, siteFor } from '../apps/http.ts';
import { publicIdentity } from '../apps/tls.ts';
import { tcpListen } from '../transport/tcp.ts';

export const ETC_HOSTS_BASE = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n';

/** A Debian-like filesystem for a host. */
export function linuxFs(hostname: string, resolver: string | null): FileSystem {
  const fs = new FileSystem();
  fs.write('/etc/hostname', `${hostname}\n`);
  fs.write('/etc/hosts', `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n\n# The following lines are desirable for IPv6 capable hosts\n::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n`);
  fs.write('/etc/resolv.conf', resolver ? `nameserver ${resolver}\n` : '');
  fs.mkdir('/etc/netns');
  fs.mkdir('/etc/iproute2');
  fs.write('/etc/iproute2/rt_tables', '#\n# reserved values\n#\n255\tlocal\n254\tmain\n253\tdefault\n0\tunspec\n#\n# local\n#\n#1\tinr.ruhep\n');
  return fs;
}

/** Bring a namespace's loopback up (lo gets 127.0.0.1/8). */
export function loUp(ns: Netns): void {
  const lo = ns.linkByName('lo');
  if (lo) setUp(lo);
}

/** A NIC plugged into a segment, with an address, up. */
export function addNic(world: World, ns: Netns, name: string, segment: string, cidr: string | null, opts: { mac?: string; mtu?: number; latency?: number } = {}): Link {
  const r = addLink(ns, { name, kind: 'ether', segment, segmentLatency: opts.latency, mac: opts.mac ?? world.rngFor(`${ns.host.name}/${name}`).mac(), mtu: opts.mtu });
  if (!r.ok) throw new Error(`cannot add ${name}: ${r.error.errno}`);
  const l = r.value;
  if (cidr) {
    const c = parseCidr(cidr);
    if (!c) throw new Error(`bad address ${cidr}`);
    const a = addAddr(l, { addr: c.addr, len: c.len });
    if (!a.ok) throw new Error(`cannot address ${name}: ${a.error.errno}`);
  }
  setUp(l);
  return l;
}

export function defaultRoute(ns: Netns, via: string): void {
  const gw = parseIpv4(via);
  if (gw === null) throw new Error(`bad gateway ${via}`);
  const r = addRoute(ns, { dst: 0, len: 0, via: gw, proto: 'boot' });
  if (!r.ok) throw new Error(`cannot add default route via ${via}: ${r.error.errno}`);
}

/** An sshd listening on port 22, so `ssh HOST` works when TCP can reach it. */
export function startSshd(ns: Netns): void {
  tcpListen(ns, 0, 22, 128, 'sshd', 600, () => undefined);
}

/** The public names the simulated internet's resolver knows, and their addresses. */
export const PUBLIC_SITES: readonly { name: string; addr: string; aliases?: string[] }[] = [
  { name: 'example.com', addr: '93.184.215.14', aliases: ['www.example.com'] },
  { name: 'example.org', addr: '93.184.215.15', aliases: ['www.example.org'] },
  { name: 'google.com', addr: '142.250.185.78', aliases: ['www.google.com'] },
  { name: 'docker.com', addr: '141.193.213.10', aliases: ['www.docker.com'] },
  { name: 'hub.docker.com', addr: '52.1.184.176' },
  { name: 'registry-1.docker.io', addr: '54.236.113.205' },
  { name: 'github.com', addr: '140.82.121.4' },
  { name: 'kubernetes.io', addr: '147.75.40.148' },
  { name: 'deb.debian.org', addr: '151.101.2.132' },
  { name: 'one.one.one.one', addr: '1.1.1.1' },
  { name: 'dns.google', addr: '8.8.8.8' },
];

export function publicZone(): StaticZone {
  const z = new StaticZone();
  for (const s of PUBLIC_SITES) {
    const ip = parseIpv4(s.addr)!;
    z.add(s.name, ip);
    for (const a of s.aliases ?? []) z.add(a, ip);
  }
  return z;
}

/**
 * The LAN's gateway (a home/office router: NAT to the internet, DNS resolver on its LAN address)
 * and the simulated internet behind it: one namespace that owns every public address, answers
 * ping, serves HTTP on port 80 and DNS on 8.8.8.8 and 1.1.1.1.
 */
export function addGatewayAndInternet(world: World, lanSegment: string, lanCidr: string): { gateway: Host; internet: Host } {
  const gw = world.addHost('gateway', linuxFs('gateway', null));
  const gns = gw.root;
  loUp(gns);
  addNic(world, gns, 'eth0', lanSegment, lanCidr);
  addNic(world, gns, 'eth1', 'wan', '198.51.100.2/24', { latency: 4_000 });
  defaultRoute(gns, '198.51.100.1');
  setSysctl(gns, 'net.ipv4.ip_forward', '1');
  appendRuleText(gns, 'nat', 'POSTROUTING', '-o eth1 -j MASQUERADE');
  const lanAddr = parseCidr(lanCidr)!.addr;
  startDnsServer(gns, publicZone(), { addr: lanAddr, owner: 'dnsmasq' });

  const inet = world.addHost('internet', linuxFs('internet', null));
  const ins = inet.root;
  loUp(ins);
  addNic(world, ins, 'eth0', 'wan', '198.51.100.1/24', { latency: 4_000 });
  const srv = addLink(ins, { name: 'srv0', kind: 'dummy', mac: world.rngFor('internet/srv0').mac() });
  if (!srv.ok) throw new Error('srv0');
  setUp(srv.value);
  const addrs = new Set<Ipv4>();
  for (const s of PUBLIC_SITES) addrs.add(parseIpv4(s.addr)!);
  for (const a of addrs) addAddr(srv.value, { addr: a, len: 32 });
  // answers as if from far away: a realistic TTL on arrival
  setSysctl(ins, 'net.ipv4.ip_default_ttl', '120');
  startDnsServer(ins, publicZone(), { addr: parseIpv4('8.8.8.8')!, owner: 'named' });
  startDnsServer(ins, publicZone(), { addr: parseIpv4('1.1.1.1')!, owner: 'named' });
  startHttpServer(ins, 80, { flavor: 'nginx', site: siteFor });
  // HTTPS with certificates from a public authority, chosen by the name the client asks for
  startHttpServer(ins, 443, { flavor: 'nginx', site: siteFor, tls: (name) => publicIdentity(name || 'example.com') });
  return { gateway: gw, internet: inet };
}
