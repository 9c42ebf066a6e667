/**
 * BusyBox `ip` (networking/libiproute): `addr`, `link`, `route`, `neigh` shows in BusyBox's
 * format, which differs from iproute2's: no `state`/`mode`/`group` on link lines, no
 * `link-netns`, the peer of a veth named by looking its index up in the *local* namespace
 * (`eth0@eth0`), M-DOWN from that local link, no `proto kernel` on routes and two spaces before
 * `src`. Changes (`addr add/del`, `link set`, `route add/del`) go through the same netlink calls
 * as iproute2's `ip` (commands/ip/ip.ts) with BusyBox's messages.
 */
import type { CommandContext } from '../../context.ts';
import { SECOND } from '../../../sim/engine/scheduler.ts';
import { formatIpv4, formatPrefix, parseIpv4 } from '../../../sim/wire/addr.ts';
import type { Link, Netns } from '../../../sim/net/model.ts';
import type { IfAddr, Route } from '../../../sim/net/types.ts';
import { RT_TABLE_MAIN } from '../../../sim/net/types.ts';
import { neighShownState, tableRoutes } from '../../../sim/net/netlink.ts';
import { inet6Addrs, linkFlags } from '../ip/format.ts';
import { ipCommand } from '../ip/ip.ts';
import { die, showUsage, type Bb } from './common.ts';

const LIFETIME = '       valid_lft forever preferred_lft forever';

/** The flags BusyBox prints: iproute2's, with M-DOWN judged from the local link of that index. */
function bbFlags(l: Link): string {
  const f = linkFlags(l)
    .split(',')
    .filter((x) => x !== 'M-DOWN');
  const il = l.iflink;
  if (il) {
    const local = l.ns.linkByIndex(il.ifindex);
    if (local && !local.adminUp) f.push('M-DOWN');
  }
  return f.join(',');
}

function bbName(l: Link): string {
  const il = l.iflink;
  if (!il) return l.name;
  const local = l.ns.linkByIndex(il.ifindex);
  return `${l.name}@${local ? local.name : `if${il.ifindex}`}`;
}

function qdisc(l: Link): string {
  if (!l.adminUp) return 'noop';
  return l.kind === 'ether' ? 'fq_codel' : 'noqueue';
}

function linkLines(l: Link, withLayer: boolean): string {
  const master = l.master ? ` master ${l.master.name}` : '';
  let s = `${l.ifindex}: ${bbName(l)}: <${bbFlags(l)}> mtu ${l.mtu} qdisc ${qdisc(l)}${master} qlen 1000\n`;
  if (withLayer) s += l.kind === 'loopback' ? '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n' : `    link/ether ${l.mac} brd ff:ff:ff:ff:ff:ff\n`;
  return s;
}

function inetText(a: IfAddr): string {
  const brd = a.broadcast !== null ? ` brd ${formatIpv4(a.broadcast)}` : '';
  return `inet ${formatIpv4(a.addr)}/${a.len}${brd} scope ${a.scope}${a.secondary ? ' secondary' : ''} ${a.label}`;
}

interface ShowOpts {
  family: 'all' | 'inet' | 'inet6' | 'link';
  oneline: boolean;
}

function addrShow(ctx: CommandContext, ns: Netns, dev: string | null, o: ShowOpts): number {
  let links = ns.allLinks();
  if (dev !== null) {
    const l = ns.linkByName(dev);
    if (!l) die(ctx, 'ip', `can't find device '${dev}'`);
    links = [l];
  }
  const now = ctx.world.now;
  for (const l of links) {
    const v4 = o.family === 'inet6' || o.family === 'link' ? [] : l.addrs;
    const v6 = o.family === 'inet' || o.family === 'link' ? [] : inet6Addrs(l, now);
    if (o.oneline) {
      for (const a of v4) ctx.out(`${l.ifindex}: ${l.name}    ${inetText(a)}\\${LIFETIME}\n`);
      for (const a of v6) ctx.out(`${l.ifindex}: ${l.name}    ${a.text.trimStart()}\\${LIFETIME}\n`);
      continue;
    }
    if (o.family !== 'all' && o.family !== 'link' && !v4.length && !v6.length) continue;
    let s = linkLines(l, o.family === 'all' || o.family === 'link');
    for (const a of v4) s += `    ${inetText(a)}\n${LIFETIME}\n`;
    for (const a of v6) s += `${a.text}\n${LIFETIME}\n`;
    ctx.out(s);
  }
  return 0;
}

function linkShow(ctx: CommandContext, ns: Netns, dev: string | null): number {
  let links = ns.allLinks();
  if (dev !== null) {
    const l = ns.linkByName(dev);
    if (!l) die(ctx, 'ip', `can't find device '${dev}'`, 2);
    links = [l];
  }
  for (const l of links) ctx.out(linkLines(l, true));
  return 0;
}

function routeText(ns: Netns, r: Route): string {
  let s = r.type !== 'unicast' ? `${r.type} ` : '';
  s += r.len === 0 ? 'default ' : `${r.len === 32 ? formatIpv4(r.dst) : formatPrefix(r.dst, r.len)} `;
  if (r.via !== null) s += `via ${formatIpv4(r.via)} `;
  const dev = r.dev ? ns.linkByIndex(r.dev) : undefined;
  if (dev) s += `dev ${dev.name} `;
  if (r.proto !== 'boot' && r.proto !== 'kernel' && r.proto !== 'unspec') s += `proto ${r.proto} `;
  if (r.scope !== 'global' && r.scope !== 'nowhere') s += `scope ${r.scope} `;
  if (r.metric) s += `metric ${r.metric} `;
  if (r.src !== null) s += ` src ${formatIpv4(r.src)} `;
  return s;
}

function neighShow(ctx: CommandContext, ns: Netns): number {
  const now = ctx.world.now;
  for (const e of ns.neigh.values()) {
    const dev = ns.linkByIndex(e.dev);
    if (!dev) continue;
    const state = neighShownState(ns, e);
    if (state === 'NOARP' || state === 'PERMANENT') continue;
    const secs = (t: number) => Math.max(0, Math.floor((now - t) / SECOND));
    const ll = e.mac ? `lladdr ${e.mac} ` : '';
    ctx.out(`${formatIpv4(e.ip)} dev ${dev.name} ${ll}ref 1 used ${secs(e.confirmed)}/${secs(e.confirmed)}/${secs(e.updated)} probes ${e.state === 'FAILED' || e.state === 'INCOMPLETE' ? e.probes : 4} ${state}\n`);
  }
  return 0;
}

/** Run iproute2's implementation of a change, rewording its messages as BusyBox prints them. */
async function change(ctx: CommandContext, argv: string[]): Promise<number> {
  let errText = '';
  const sub = { ...ctx, argv: ['ip', ...argv], err: (t: string) => (errText += t) };
  const status = await ipCommand.run(sub);
  if (!errText) return status;
  const line = errText.trim().split('\n')[0];
  const dev = /^Cannot find device "(.*)"$/.exec(line);
  if (dev) {
    if (argv[0] === 'link') die(ctx, 'ip', 'SIOCGIFFLAGS: No such device', 2);
    die(ctx, 'ip', `can't find device '${dev[1]}'`, 1);
  }
  if (line.startsWith('RTNETLINK answers: ')) die(ctx, 'ip', line, 2);
  if (/any valid prefix is expected|inet address is expected/.test(line)) die(ctx, 'ip', 'RTNETLINK answers: Numerical result out of range', 2);
  // BusyBox prints no extended ack, only the errno's text
  if (/Address already assigned|already exists/.test(line)) die(ctx, 'ip', 'RTNETLINK answers: File exists', 2);
  const m = /^Error: (.*)$/.exec(line);
  die(ctx, 'ip', m ? `RTNETLINK answers: ${m[1].replace(/\.$/, '')}` : line, status || 1);
}

function matches(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}

export async function bbIp(ctx: CommandContext, bb: Bb): Promise<number> {
  const args = ctx.argv.slice(1);
  if (args[0] === '--help') showUsage(ctx, bb, 'ip', 0);
  const o: ShowOpts = { family: 'all', oneline: false };
  let i = 0;
  for (; i < args.length && args[i].startsWith('-'); i++) {
    const a = args[i].replace(/^--?/, '');
    if (a === '4') o.family = 'inet';
    else if (a === '6') o.family = 'inet6';
    else if (a === '0') o.family = 'link';
    else if (matches(a, 'oneline') || a === 'o') o.oneline = true;
    else if (matches(a, 'family') || a === 'f') {
      const v = args[++i];
      if (v === 'inet' || v === 'inet6' || v === 'link') o.family = v;
      else showUsage(ctx, bb, 'ip');
    } else showUsage(ctx, bb, 'ip');
  }
  const rest = args.slice(i);
  const obj = rest[0];
  if (obj === undefined) showUsage(ctx, bb, 'ip');
  const verb = rest[1];
  const tail = rest.slice(2);
  const ns = ctx.ns;
  const isShow = verb === undefined || matches(verb, 'show') || matches(verb, 'list') || verb === 'lst';
  if (matches(obj, 'address') || obj === 'a') {
    if (isShow) {
      const words = verb === undefined ? [] : tail;
      const dev = words[0] === 'dev' ? (words[1] ?? null) : (words[0] ?? null);
      return addrShow(ctx, ns, dev, o);
    }
    return change(ctx, rest);
  }
  if (matches(obj, 'link') || obj === 'l') {
    if (isShow) {
      const words = verb === undefined ? [] : tail;
      const dev = words[0] === 'dev' ? (words[1] ?? null) : (words[0] ?? null);
      return linkShow(ctx, ns, dev);
    }
    if (matches(verb, 'set') && tail.length && !ns.linkByName(tail[0] === 'dev' ? (tail[1] ?? '') : tail[0])) die(ctx, 'ip', 'SIOCGIFFLAGS: No such device', 2);
    // BusyBox sets the MTU and the flags with ioctls, which need CAP_NET_ADMIN too
    if (matches(verb, 'set') && ctx.container && !ctx.container.netAdmin) {
      if (tail.includes('mtu')) die(ctx, 'ip', 'SIOCSIFMTU: Operation not permitted', 1);
      if (tail.includes('up') || tail.includes('down')) die(ctx, 'ip', 'SIOCSIFFLAGS: Operation not permitted', 1);
    }
    return change(ctx, rest);
  }
  if (matches(obj, 'route') || obj === 'r') {
    if (isShow) {
      for (const r of tableRoutes(ns, RT_TABLE_MAIN)) ctx.out(`${routeText(ns, r)}\n`);
      return 0;
    }
    return change(ctx, rest);
  }
  if (matches(obj, 'neighbor') || matches(obj, 'neighbour') || obj === 'n') {
    if (isShow) return neighShow(ctx, ns);
    return change(ctx, rest);
  }
  if (matches(obj, 'rule') || matches(obj, 'tunnel')) return change(ctx, rest);
  showUsage(ctx, bb, 'ip');
}
