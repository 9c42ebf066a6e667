/**
 * The BusyBox applets as commands: `hostname` here, the network tools (ping, wget, nslookup, ip,
 * nc, ifconfig, route, netstat, arp, traceroute) in their own files, and
 * the table the `busybox` multi-call command (multicall.ts) dispatches through.
 */
import type { Command, CommandContext } from '../../context.ts';
import { formatIpv4 } from '../../../sim/wire/addr.ts';
import { hostsLookup } from '../../../sim/apps/dns.ts';
import { fileReader } from '../net-util.ts';
import { ALPINE_BB, die, getopt, has, runApplet, showUsage, type Bb } from './common.ts';
import { bbPing } from './ping.ts';
import { bbWget } from './wget.ts';
import { bbNslookup } from './nslookup.ts';
import { bbIp } from './ip.ts';
import { bbNc } from './nc.ts';
import { bbTraceroute } from './traceroute.ts';
import { bbNetstat } from './netstat.ts';
import { bbRoute } from './route.ts';
import { bbIfconfig } from './ifconfig.ts';
import { bbArp } from './arp.ts';

/** BusyBox `hostname` [-sidf] [NAME | -F FILE]. */
export function bbHostname(ctx: CommandContext, bb: Bb): number {
  const p = getopt(ctx, bb, 'hostname', 'sidfF:');
  if (p.args.length > 1) showUsage(ctx, bb, 'hostname');
  const set = p.args[0] ?? (has(p, 'F') ? (ctx.readFile(p.opts.get('F')![0]).ok ? (ctx.readFile(p.opts.get('F')![0]) as { data: string }).data.trim() : null) : null);
  if (has(p, 'F') && set === null) die(ctx, 'hostname', `can't open '${p.opts.get('F')![0]}': No such file or directory`);
  if (set !== null && set !== undefined) {
    if (ctx.container) die(ctx, 'hostname', 'sethostname: Operation not permitted');
    ctx.host.hostname = set;
    return 0;
  }
  const name = ctx.hostname;
  if (has(p, 'i')) {
    const hosts = fileReader(ctx)('/etc/hosts') ?? '';
    const ip = hostsLookup(hosts, name);
    if (ip === null) die(ctx, 'hostname', `${name}: Unknown host`);
    ctx.out(`${formatIpv4(ip)} \n`);
    return 0;
  }
  const dot = name.indexOf('.');
  if (has(p, 'd')) {
    if (dot >= 0) ctx.out(`${name.slice(dot + 1)}\n`);
    return 0;
  }
  if (has(p, 's')) {
    ctx.out(`${dot >= 0 ? name.slice(0, dot) : name}\n`);
    return 0;
  }
  ctx.out(`${name}\n`);
  return 0;
}

type Body = (ctx: CommandContext, bb: Bb) => Promise<number> | number;

/** Applet name → implementation, for the flavour and for `busybox APPLET`. */
export const APPLETS: ReadonlyMap<string, { body: Body; path: string; summary: string }> = new Map([
  ['ping', { body: bbPing, path: '/bin/ping', summary: 'send ICMP echo requests (BusyBox)' }],
  ['wget', { body: bbWget, path: '/usr/bin/wget', summary: 'fetch a URL over HTTP (BusyBox)' }],
  ['nslookup', { body: bbNslookup, path: '/usr/bin/nslookup', summary: 'query DNS (BusyBox)' }],
  ['ip', { body: bbIp, path: '/sbin/ip', summary: 'show and change links, addresses, routes (BusyBox)' }],
  ['nc', { body: bbNc, path: '/usr/bin/nc', summary: 'TCP/UDP connections and listeners (BusyBox)' }],
  ['hostname', { body: bbHostname, path: '/bin/hostname', summary: 'show or set the host name (BusyBox)' }],
  ['ifconfig', { body: bbIfconfig, path: '/sbin/ifconfig', summary: 'show or configure network interfaces (BusyBox)' }],
  ['route', { body: bbRoute, path: '/sbin/route', summary: 'show or change the routing table (BusyBox)' }],
  ['netstat', { body: bbNetstat, path: '/bin/netstat', summary: 'list sockets or the routing table (BusyBox)' }],
  ['arp', { body: bbArp, path: '/sbin/arp', summary: 'show or change the ARP cache (BusyBox)' }],
  ['traceroute', { body: bbTraceroute, path: '/usr/bin/traceroute', summary: 'print the route packets take to a host (BusyBox)' }],
]);

/** Run an applet with a binary's banner. */
export function runBb(name: string, ctx: CommandContext, bb: Bb): Promise<number> {
  const a = APPLETS.get(name)!;
  return runApplet(() => a.body(ctx, bb));
}

/** The applets as Alpine's commands (the `busybox` flavour). */
export const BUSYBOX_APPLETS: Command[] = [...APPLETS].map(([name, a]) => ({
  name,
  path: a.path,
  summary: a.summary,
  run: (ctx: CommandContext) => runBb(name, ctx, ALPINE_BB),
}));
