/**
 * BusyBox `route` (networking/route.c): the main routing table as /proc/net/route shows it, in
 * route's layout (Metric Ref Use) or netstat's (MSS Window irtt, also `route -e` and
 * `netstat -r`), and `route add|del` through the SIOCADDRT/SIOCDELRT ioctls: the kernel adds
 * such routes with proto boot and, unlike `ip route add`, without NLM_F_EXCL (a second default
 * route with another gateway is appended; only an identical one is "File exists").
 */
import type { CommandContext } from '../../context.ts';
import { formatIpv4, maskToPrefix, parseIpv4, prefixMask, type Ipv4 } from '../../../sim/wire/addr.ts';
import type { Netns } from '../../../sim/net/model.ts';
import { RT_TABLE_MAIN, type Route } from '../../../sim/net/types.ts';
import { addRoute, delRoute, tableRoutes } from '../../../sim/net/netlink.ts';
import { reverseName } from '../net-util.ts';
import { bbLookup, bbStrerror, die, getopt, has, last, showUsage, xatou, type Bb } from './common.ts';

const RTF_UP = 0x1;
const RTF_GATEWAY = 0x2;
const RTF_HOST = 0x4;
const RTF_REJECT = 0x200;

/** fib_flag_trans: the flags /proc/net/route shows for a route. */
function routeFlags(r: Route): number {
  let f = r.type === 'unreachable' || r.type === 'prohibit' ? RTF_REJECT : 0;
  if (r.via !== null) f |= RTF_GATEWAY;
  if (r.len === 32) f |= RTF_HOST;
  return f | RTF_UP;
}

function flagText(f: number): string {
  let s = '';
  if (f & RTF_UP) s += 'U';
  if (f & RTF_GATEWAY) s += 'G';
  if (f & RTF_HOST) s += 'H';
  // route.c puts '!' in the first column for a reject route
  if (f & RTF_REJECT) s = `!${s.slice(1)}`;
  return s;
}

/** INET_rresolve: "default"/"*" for 0.0.0.0, a host name for a host address, else dotted. */
function rresolve(ctx: CommandContext, ip: Ipv4, mask: number, numeric: boolean, zero: string, forceHost: boolean): string {
  if (numeric) return formatIpv4(ip);
  if (ip === 0) return zero;
  const isHost = (ip & ~mask) !== 0 || forceHost;
  // networks would come from /etc/networks, which BusyBox is built without
  return (isHost ? reverseName(ctx, ip) : null) ?? formatIpv4(ip);
}

/** `%-15.15s`: padded and cut to 15 columns. */
function col15(s: string): string {
  return s.slice(0, 15).padEnd(15);
}

/** bb_displayroutes: the routing table (also `netstat -r`). */
export function bbDisplayRoutes(ctx: CommandContext, ns: Netns, numeric: boolean, netstatFormat: boolean): void {
  let s = `Kernel IP routing table\nDestination     Gateway         Genmask         Flags ${netstatFormat ? '  MSS Window  irtt' : 'Metric Ref    Use'} Iface\n`;
  for (const r of tableRoutes(ns, RT_TABLE_MAIN)) {
    // /proc/net/route leaves out broadcast and multicast routes
    if (r.type === 'broadcast' || r.type === 'multicast' as string) continue;
    const mask = prefixMask(r.len) >>> 0;
    const dev = r.dev ? (ns.linkByIndex(r.dev)?.name ?? '*') : '*';
    s += `${col15(rresolve(ctx, r.dst, mask, numeric, 'default', false))} ${col15(rresolve(ctx, r.via ?? 0, mask, numeric, '*', true))} ${formatIpv4(mask).padEnd(16)}${flagText(routeFlags(r)).padEnd(6)}`;
    s += netstatFormat ? `${'0'.padStart(5)} ${'0'.padEnd(5)} ${'0'.padStart(6)} ${dev}\n` : `${String(r.metric).padEnd(6)} ${'0'.padEnd(2)} ${'0'.padStart(7)} ${dev}\n`;
  }
  ctx.out(s);
}

/** INET_resolve: "default" is a network (1), a dotted quad or a name a host (0), else null. */
async function inetResolve(ctx: CommandContext, name: string): Promise<{ addr: Ipv4; isNet: boolean } | null> {
  if (name === 'default') return { addr: 0, isNet: true };
  const lit = parseIpv4(name);
  if (lit !== null) return { addr: lit, isNet: false };
  const r = await bbLookup(ctx, name);
  return r.ok ? { addr: r.addr, isNet: false } : null;
}

const KEYWORDS_WITH_ARG = new Set(['metric', 'netmask', 'gw', 'gateway', 'mss', 'window', 'irtt', 'dev', 'device']);

/** INET_setroute: `route add|del [-net|-host] TARGET [netmask M] [gw G] [metric N] ... [[dev] IF]`. */
async function setRoute(ctx: CommandContext, bb: Bb, del: boolean, argv: string[]): Promise<number> {
  const ns = ctx.ns;
  const args = [...argv];
  let xflag: 'net' | 'host' | null = null;
  if (args[0] === '#net' || args[0] === '#host') xflag = args.shift() === '#net' ? 'net' : 'host';
  if (!args.length) showUsage(ctx, bb, 'route');
  let target = args.shift()!;
  let mask: number | null = null;
  let netmaskText: string | null = null;
  const slash = target.indexOf('/');
  if (slash >= 0) {
    const len = xatou(ctx, 'route', target.slice(slash + 1), 0, 32);
    mask = prefixMask(len) >>> 0;
    target = target.slice(0, slash);
  }
  const dst = await inetResolve(ctx, target);
  if (!dst) die(ctx, 'route', `resolving ${target}`);
  const isNet = xflag ? xflag === 'net' : dst.isNet;
  let flags = isNet ? RTF_UP : RTF_UP | RTF_HOST;
  let metric = 0;
  let gw: Ipv4 | null = null;
  let dev: string | null = null;
  const unmodelled: string[] = [];
  while (args.length) {
    const k = args.shift()!;
    if (KEYWORDS_WITH_ARG.has(k)) {
      if (!args.length) showUsage(ctx, bb, 'route');
      const v = args.shift()!;
      if (k === 'metric') metric = xatou(ctx, 'route', v);
      else if (k === 'netmask') {
        if (mask) showUsage(ctx, bb, 'route');
        const m = await inetResolve(ctx, v);
        if (!m) die(ctx, 'route', `resolving ${v}`);
        mask = m.addr >>> 0;
        netmaskText = v;
      } else if (k === 'gw' || k === 'gateway') {
        if (flags & RTF_GATEWAY) showUsage(ctx, bb, 'route');
        const g = await inetResolve(ctx, v);
        flags |= RTF_GATEWAY;
        if (!g) die(ctx, 'route', `resolving ${v}`);
        if (g.isNet) die(ctx, 'route', `gateway ${v} is a NETWORK`);
        gw = g.addr;
      } else if (k === 'mss') {
        xatou(ctx, 'route', v, 64, 32768);
        unmodelled.push(k);
      } else if (k === 'window') {
        xatou(ctx, 'route', v, 128, 0x7fffffff);
        unmodelled.push(k);
      } else if (k === 'irtt') {
        xatou(ctx, 'route', v);
        unmodelled.push(k);
      } else if (dev === null) dev = v;
      else showUsage(ctx, bb, 'route');
      continue;
    }
    if (k === 'reject') flags |= RTF_REJECT;
    else if (k === 'mod' || k === 'dyn' || k === 'reinstate') continue;
    else if (dev === null && !args.length) dev = k;
    else showUsage(ctx, bb, 'route');
  }
  if (flags & RTF_REJECT && dev === null) dev = 'lo';
  if (mask) {
    const host = ~mask >>> 0;
    if (flags & RTF_HOST && host !== 0xffffffff) die(ctx, 'route', `netmask ${host.toString(16).padStart(8, '0')} and host route conflict`);
    if ((host & (host + 1)) >>> 0) die(ctx, 'route', `bogus netmask ${netmaskText}`);
    if ((dst.addr & ~mask) >>> 0) die(ctx, 'route', 'netmask and route address conflict');
  }
  const op = del ? 'SIOCDELRT' : 'SIOCADDRT';
  const fail = (errno: string): never => die(ctx, 'route', `${op}: ${bbStrerror(bb, errno)}`);
  // rtentry_to_fib_config
  let len = 32;
  if (!(flags & RTF_HOST)) {
    const l = maskToPrefix(mask ?? 0);
    if (l === null || (dst.addr & ~(mask ?? 0)) >>> 0) fail('EINVAL');
    len = l!;
  }
  if (unmodelled.length) die(ctx, 'route', `${unmodelled.join(', ')} is not modelled by the simulator`);
  const reject = (flags & RTF_REJECT) !== 0;
  let link = null;
  if (!reject && dev !== null) {
    link = ns.linkByName(dev.replace(/:.*$/, ''));
    if (!link) fail('ENODEV');
  }
  if (del) {
    const r = delRoute(ns, { dst: dst.addr, len, type: reject ? 'unreachable' : 'unicast', via: gw, dev: link, metric: metric || undefined });
    if (!r.ok) fail(r.error.errno);
    return 0;
  }
  if (reject) {
    const r = addRoute(ns, { dst: dst.addr, len, type: 'unreachable', scope: 'host', metric, proto: 'boot' }, 'append');
    if (!r.ok) fail(r.error.errno);
    return 0;
  }
  // a gateway that is a unicast address makes a universe route; otherwise the route is on-link
  const scope = gw !== null && !ns.isLocalAddr(gw) ? 'global' : 'link';
  const same = ns.routes.find((x) => x.table === RT_TABLE_MAIN && x.dst === dst.addr && x.len === len && x.metric === metric && x.type === 'unicast' && x.via === gw && (!link || x.dev === link.ifindex));
  if (same) fail('EEXIST');
  const r = addRoute(ns, { dst: dst.addr, len, via: gw, dev: link, metric, proto: 'boot', scope }, 'append');
  if (!r.ok) fail(r.error.errno);
  return 0;
}

export async function bbRoute(ctx: CommandContext, bb: Bb): Promise<number> {
  // route.c hides -net and -host from getopt
  const argv = ctx.argv.map((a, i) => (i > 0 && (a === '-net' || a === '-host') ? `#${a.slice(1)}` : a));
  const p = getopt({ ...ctx, argv }, bb, 'route', 'A:ne');
  if (has(p, 'A')) {
    const fam = last(p, 'A');
    if (fam === 'inet6') die(ctx, 'route', 'IPv6 is not modelled by the simulator; use IPv4 routes');
    if (fam !== 'inet') showUsage(ctx, bb, 'route');
  }
  if (!p.args.length) {
    bbDisplayRoutes(ctx, ctx.ns, has(p, 'n'), has(p, 'e'));
    return 0;
  }
  const verb = p.args[0];
  if ((verb !== 'add' && verb !== 'del' && verb !== 'delete') || p.args.length < 2) showUsage(ctx, bb, 'route');
  return setRoute(ctx, bb, verb !== 'add', p.args.slice(1));
}
