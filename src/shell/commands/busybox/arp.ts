/**
 * BusyBox `arp` (networking/arp.c): the IPv4 neighbour table as /proc/net/arp lists it,
 *
 *   ? (10.9.0.2) at 2a:22:17:d5:01:2d [ether]  on eth0
 *   ? (10.9.0.7) at 02:00:00:00:00:07 [ether] PERM on eth0
 *   ? (10.9.0.9) at <incomplete>  on eth0
 *
 * ("?" when the address has no name, always with -n; NOARP entries are not listed), filtered by
 * address (-a HOST), interface (-i) or hardware type (-H); `-s HOST MAC [temp]` sets a permanent
 * (or stale) entry, `-d HOST` deletes one, through SIOCSARP/SIOCDARP: without -i the device is the
 * one a link-scope route to HOST goes out of. Proxy entries (`pub`) are not modelled.
 */
import type { CommandContext } from '../../context.ts';
import { formatIpv4, parseIpv4, parseMac, type Ipv4, type Mac } from '../../../sim/wire/addr.ts';
import type { Link } from '../../../sim/net/model.ts';
import { delNeigh, neighKey, neighShownState, setNeigh } from '../../../sim/net/netlink.ts';
import { routeOutput } from '../../../sim/net/route.ts';
import { reverseName } from '../net-util.ts';
import { bbLookup, bbStrerror, die, getopt, has, herrorText, last, showUsage, type Bb } from './common.ts';

/** BusyBox's hardware types: name → (ARPHRD type, address length). */
const HWTYPES: Record<string, { type: number; alen: number }> = {
  loop: { type: 772, alen: 0 },
  ether: { type: 1, alen: 6 },
  ppp: { type: 512, alen: 0 },
  unspec: { type: -1, alen: 0 },
  sit: { type: 776, alen: 0 },
  infiniband: { type: 32, alen: 20 },
};
const AFTYPES = ['unix', 'inet', 'inet6', 'unspec'];

const OPTIONS = ['pub', 'priv', 'temp', 'trail', 'dontpub', 'auto', 'dev', 'netmask'];

/** ap->input: INET_resolve without preferring hosts; herror()'s message when it fails. */
async function input(ctx: CommandContext, name: string): Promise<Ipv4> {
  if (name === 'default') return 0;
  const lit = parseIpv4(name);
  if (lit !== null) return lit;
  const r = await bbLookup(ctx, name);
  if (!r.ok) die(ctx, 'arp', `${name}: ${herrorText(r)}`);
  return r.addr;
}

export async function bbArp(ctx: CommandContext, bb: Bb): Promise<number> {
  const p = getopt(ctx, bb, 'arp', 'A:p:H:t:i:adnDsv');
  const ns = ctx.ns;
  const proto = last(p, 'A') ?? last(p, 'p');
  if (proto !== undefined && !AFTYPES.includes(proto)) die(ctx, 'arp', `${proto}: unknown address family`);
  const hwName = last(p, 'H') ?? last(p, 't');
  let hw = HWTYPES.ether;
  if (hwName !== undefined) {
    if (!(hwName in HWTYPES)) die(ctx, 'arp', `${hwName}: unknown hardware type`);
    hw = HWTYPES[hwName];
  }
  const hwSet = hwName !== undefined;
  if (proto !== undefined && proto !== 'inet') die(ctx, 'arp', `${proto}: kernel only supports 'inet'`);
  if (hw.alen <= 0) die(ctx, 'arp', `${hwName}: hardware type without ARP support`);
  let device = last(p, 'i') ?? '';
  const args = p.args;

  if (has(p, 'd') || has(p, 's')) {
    if (!args.length) die(ctx, 'arp', 'need host name');
    const host = args[0];
    const ip = await input(ctx, host);
    let rest = args.slice(1);
    let mac: Mac | null = null;
    if (has(p, 's')) {
      if (!rest.length) die(ctx, 'arp', 'need hardware address');
      const hwArg = rest[0];
      rest = rest.slice(1);
      if (has(p, 'D')) {
        const l = ns.linkByName(hwArg);
        if (!l) die(ctx, 'arp', `can't get HW-Address for '${hwArg}': No such device`);
        if (hwSet && (l.kind === 'loopback' ? 772 : 1) !== hw.type) die(ctx, 'arp', 'protocol type mismatch');
        mac = l.mac;
      } else {
        if (hw !== HWTYPES.ether) die(ctx, 'arp', 'infiniband addresses are not modelled by the simulator');
        mac = parseMac(hwArg);
        if (!mac) die(ctx, 'arp', 'invalid hardware address');
      }
    }
    let perm = true;
    let pub = 0;
    for (let i = 0; i < rest.length; i++) {
      const o = rest[i];
      if (!OPTIONS.includes(o)) showUsage(ctx, bb, 'arp');
      if (o === 'dev' || o === 'netmask') {
        const v = rest[++i];
        if (v === undefined) showUsage(ctx, bb, 'arp');
        if (o === 'dev') device = v;
        else if (v !== '255.255.255.255') await input(ctx, v);
        continue;
      }
      if (o === 'pub') pub |= 1;
      else if (o === 'priv') pub |= 2;
      else if (o === 'temp') perm = false;
      else if (o === 'dontpub') ctx.err('arp: feature ATF_DONTPUB is not supported\n');
      else if (o === 'auto') ctx.err('arp: feature ATF_MAGIC is not supported\n');
    }
    /** the device: -i/dev, else the one a link-scope route to the address goes out of */
    const devFor = (op: string): Link => {
      if (device) {
        const l = ns.linkByName(device);
        if (!l) die(ctx, 'arp', `${op}: ${bbStrerror(bb, 'ENODEV')}`);
        return l;
      }
      const r = routeOutput(ns, ip);
      if (!r.ok || r.local || r.route?.via != null) die(ctx, 'arp', `${op}: ${bbStrerror(bb, r.ok ? 'ENETUNREACH' : r.error)}`);
      return r.dev;
    };
    if (has(p, 's')) {
      if (pub & 1 && !(pub & 2)) die(ctx, 'arp', 'proxy ARP entries (pub) are not modelled by the simulator');
      const l = devFor('SIOCSARP');
      const r = setNeigh(ns, l, ip, mac, perm ? 'PERMANENT' : 'STALE', 'replace');
      if (!r.ok) die(ctx, 'arp', `SIOCSARP: ${bbStrerror(bb, r.error.errno)}`);
      return 0;
    }
    const flags = pub || 3;
    if (flags & 2) {
      const l = devFor('SIOCDARP(priv)');
      const e = ns.neigh.get(neighKey(l.ifindex, ip));
      if (e && e.state !== 'NOARP') {
        delNeigh(ns, l, ip);
        return 0;
      }
      if (!(flags & 1)) {
        ctx.out(`No ARP entry for ${host}\n`);
        return 255;
      }
    }
    // no proxy entries exist in the model
    die(ctx, 'arp', `SIOCDARP(pub): ${bbStrerror(bb, 'ENOENT')}`);
  }

  // arp [-a] [HOST]
  const want = args[0] !== undefined ? formatIpv4(await input(ctx, args[0])) : null;
  let entries = 0;
  let shown = 0;
  let out = '';
  for (const e of ns.neigh.values()) {
    const dev = ns.linkByIndex(e.dev);
    if (!dev) continue;
    const state = neighShownState(ns, e);
    if (state === 'NOARP') continue;
    entries++;
    if (hwSet && hw.type !== 1) continue;
    const ip = formatIpv4(e.ip);
    if (want !== null && ip !== want) continue;
    if (device && dev.name !== device) continue;
    shown++;
    let name = '?';
    if (!has(p, 'n')) {
      const n = (e.ip & 0xff) !== 0 ? reverseName(ctx, e.ip) : null;
      if (n !== null && n !== ip) name = n;
    }
    const complete = state !== 'INCOMPLETE' && state !== 'FAILED' && e.mac !== null;
    out += `${name} (${ip}) at ${complete ? `${e.mac} [ether] ` : '<incomplete> '}${state === 'PERMANENT' ? 'PERM' : ''} on ${dev.name}\n`;
  }
  if (!shown && (hwSet || want !== null || device)) out += `No match found in ${entries} entries\n`;
  ctx.out(out);
  return 0;
}
