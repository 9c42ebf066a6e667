/**
 * BusyBox `ifconfig` (networking/ifconfig.c and interface.c, with FEATURE_IFCONFIG_STATUS, _HW,
 * _BROADCAST_PLUS). Without arguments it lists the interfaces that are up (all with -a), sorted
 * by name, alias labels (eth0:1) as interfaces of their own without counters; with one it shows
 * that one. Otherwise the arguments are applied in order through the old ioctls, with the
 * kernel's rules for them:
 *
 * - an address (SIOCSIFADDR on the label) replaces the label's first address with a classful
 *   prefix (/8, /16, /24) and the matching broadcast, 0.0.0.0 deletes it, and the interface comes
 *   up (ifconfig sets UP after an address);
 * - netmask changes the prefix, and the broadcast with it when it was the default one;
 * - `down` on an alias label deletes that address; flags on an alias change nothing else.
 *
 * Every argument is checked against the state it will meet before the first change, so a
 * failing command changes nothing (BusyBox applies the arguments before the failing one).
 */
import type { CommandContext } from '../../context.ts';
import { formatIpv4, maskToPrefix, parseIpv4, parseMac, prefixMask, type Ipv4, type Mac } from '../../../sim/wire/addr.ts';
import type { Link, Netns } from '../../../sim/net/model.ts';
import type { IfAddr } from '../../../sim/net/types.ts';
import { addAddr, checkMac, checkMtu, delAddr, setDown, setMac, setMtu, setUp } from '../../../sim/net/netlink.ts';
import { inet6Addrs, linkFlags } from '../ip/format.ts';
import { bbResolve } from './ping.ts';
import { bbStrerror, die, showUsage, type Bb } from './common.ts';

/** print_bytes_scaled: "266 (266.0 B)", "1036 (1.0 KiB)". */
function scaled(n: number): string {
  let int = n;
  let frac = 0;
  const ext = ['', 'Ki', 'Mi', 'Gi', 'Ti'];
  let e = 0;
  for (let i = 0; i < 4; i++) {
    if (int >= 1024) {
      frac = Math.floor(((int % 1024) * 10) / 1024);
      int = Math.floor(int / 1024);
      e++;
    }
  }
  return `${n} (${int}.${frac} ${ext[e]}B)`;
}

/** The addresses in the kernel's list order: primaries, then secondaries. */
function ifaList(l: Link): IfAddr[] {
  return [...l.addrs.filter((a) => !a.secondary), ...l.addrs.filter((a) => a.secondary)];
}

/** SIOCGIFADDR and friends look the label up: its first address. */
function ifaOf(l: Link, label: string): IfAddr | undefined {
  return ifaList(l).find((a) => a.label === label);
}

/** The device a name (or an alias label, eth0:1) belongs to. */
function devOf(ns: Netns, name: string): Link | undefined {
  const colon = name.indexOf(':');
  return ns.linkByName(colon >= 0 ? name.slice(0, colon) : name);
}

/** IFF_* as SIOCGIFFLAGS returns them, in the order ifconfig prints them. */
function flagWords(l: Link): string[] {
  const f = linkFlags(l).split(',');
  const w: string[] = [];
  // IFF_RUNNING is netif_oper_up(): operstate UP, or UNKNOWN for the devices that have no carrier of their own
  const running = l.adminUp && (l.kind === 'loopback' || l.kind === 'dummy' || l.kind === 'vxlan' || l.carrier);
  if (l.adminUp) w.push('UP');
  if (f.includes('BROADCAST')) w.push('BROADCAST');
  if (f.includes('LOOPBACK')) w.push('LOOPBACK');
  if (running) w.push('RUNNING');
  if (f.includes('NOARP')) w.push('NOARP');
  if (l.promisc > 0) w.push('PROMISC');
  if (f.includes('MULTICAST')) w.push('MULTICAST');
  return w;
}

function ifacePrint(ctx: CommandContext, name: string, l: Link): string {
  const hex = l.mac.toUpperCase();
  let s = `${name.padEnd(9)} Link encap:${l.kind === 'loopback' ? 'Local Loopback  ' : `Ethernet  HWaddr ${hex}  `}\n`;
  const a = ifaOf(l, name);
  const words = flagWords(l);
  if (a) {
    s += `          inet addr:${formatIpv4(a.addr)} `;
    if (words.includes('BROADCAST')) s += ` Bcast:${formatIpv4(a.broadcast ?? 0)} `;
    s += ` Mask:${formatIpv4(prefixMask(a.len) >>> 0)}\n`;
  }
  const real = name === l.name;
  if (real) {
    for (const v6 of inet6Addrs(l, ctx.world.now)) {
      const scope = /scope (\w+)/.exec(v6.text)?.[1];
      s += `          inet6 addr: ${v6.brief} Scope:${scope === 'host' ? 'Host' : scope === 'link' ? 'Link' : 'Global'}\n`;
    }
  }
  s += `          ${words.length ? words.map((x) => `${x} `).join('') : '[NO FLAGS] '} MTU:${l.mtu}  Metric:1\n`;
  if (real) {
    const st = l.stats;
    s += `          RX packets:${st.rxPackets} errors:${st.rxErrors} dropped:${st.rxDropped} overruns:0 frame:0\n`;
    s += `          TX packets:${st.txPackets} errors:${st.txErrors} dropped:${st.txDropped} overruns:0 carrier:0\n`;
    s += '          collisions:0 txqueuelen:1000 \n';
    s += `          RX bytes:${scaled(st.rxBytes)}  TX bytes:${scaled(st.txBytes)}\n`;
  }
  return `${s}\n`;
}

/** display_interfaces: all (up ones, or every one with -a), or the one named. */
function display(ctx: CommandContext, name: string | null, all: boolean): number {
  const ns = ctx.ns;
  if (name !== null) {
    const l = devOf(ns, name);
    if (!l) die(ctx, 'ifconfig', `${name}: error fetching interface information: Device not found`);
    ctx.out(ifacePrint(ctx, name, l));
    return 0;
  }
  const names = new Map<string, Link>();
  for (const l of ns.allLinks()) {
    names.set(l.name, l);
    for (const a of l.addrs) if (a.label !== l.name && a.label.startsWith(`${l.name}:`)) names.set(a.label, l);
  }
  let s = '';
  for (const n of [...names.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))) {
    const l = names.get(n)!;
    if (l.adminUp || all) s += ifacePrint(ctx, n, l);
  }
  ctx.out(s);
  return 0;
}

/** inet_abc_len: the classful prefix of an address, or -1. */
function classful(ip: Ipv4): number {
  if (ip === 0) return 0;
  const top = ip >>> 24;
  if (top < 128) return 8;
  if (top < 192) return 16;
  if (top < 224) return 24;
  return -1;
}

/** What the changes meet: the label's address as it will be when each change runs. */
interface Virtual {
  ifa: { addr: Ipv4; len: number; broadcast: Ipv4 | null } | null;
}

interface Op {
  /** the ioctl's name for its error ("SIOCSIFMTU") and the errno it would fail with, if any */
  check(v: Virtual): { ioctl: string; errno: string } | null;
  apply(): void;
}

/** Replace the label's address the way SIOCSIFADDR/SIOCSIFNETMASK/SIOCSIFBRDADDR do. */
function rewrite(l: Link, label: string, next: { addr: Ipv4; len: number; broadcast: Ipv4 | null } | null): void {
  const cur = ifaOf(l, label);
  if (cur) delAddr(l, cur.addr, cur.len);
  if (next) addAddr(l, { addr: next.addr, len: next.len, broadcast: next.broadcast, label });
}

export async function bbIfconfig(ctx: CommandContext, bb: Bb): Promise<number> {
  let args = ctx.argv.slice(1);
  if (args[0] === '--help') showUsage(ctx, bb, 'ifconfig', 0);
  let all = false;
  if (args[0] === '-a') {
    all = true;
    args = args.slice(1);
  }
  if (args.length < 2) return display(ctx, args[0] ?? null, all);
  const ns = ctx.ns;
  const name = args[0];
  const alias = name.includes(':');
  const dev = devOf(ns, name);
  const ops: Op[] = [];
  const initial = dev ? ifaOf(dev, name) : undefined;
  const v: Virtual = { ifa: initial ? { addr: initial.addr, len: initial.len, broadcast: initial.broadcast } : null };
  /** each change is checked when ifconfig would make it, against the state the earlier ones leave */
  const add = (op: Op) => {
    const e = op.check(v);
    if (e) die(ctx, 'ifconfig', `${e.ioctl}: ${bbStrerror(bb, e.errno)}`);
    ops.push(op);
  };
  // a container without CAP_NET_ADMIN: the first SIOCSIF* ioctl fails
  if (ctx.container && !ctx.container.netAdmin && dev) {
    const first = args[1];
    const ioctl = first === 'mtu' ? 'SIOCSIFMTU' : first === 'netmask' ? 'SIOCSIFNETMASK' : first === 'broadcast' ? 'SIOCSIFBRDADDR' : first === 'hw' ? 'SIOCSIFHWADDR' : ['up', 'down', 'promisc', '-promisc'].includes(first) ? 'SIOCSIFFLAGS' : 'SIOCSIFADDR';
    die(ctx, 'ifconfig', `${ioctl}: ${bbStrerror(bb, 'EPERM')}`);
  }
  const noDev = (ioctl: string) => (dev ? null : { ioctl, errno: 'ENODEV' });
  const unmodelled = (what: string): never => die(ctx, 'ifconfig', `${what} is not modelled by the simulator`);
  /** SIOCSIFFLAGS: up/down, promisc; on an alias only `down` does anything (it deletes the address) */
  const flagOp = (flag: 'UP' | 'PROMISC', set: boolean): Op => ({
    check(v) {
      if (!dev) return { ioctl: 'SIOCGIFFLAGS', errno: 'ENODEV' };
      if (alias) {
        if (!v.ifa) return { ioctl: 'SIOCSIFFLAGS', errno: 'EADDRNOTAVAIL' };
        if (flag === 'UP' && !set) v.ifa = null;
      }
      return null;
    },
    apply() {
      if (alias) {
        if (flag === 'UP' && !set) rewrite(dev!, name, null);
        return;
      }
      if (flag === 'UP') (set ? setUp : setDown)(dev!);
      else dev!.promisc = set ? 1 : 0;
    },
  });
  let hostAddr: Ipv4 | null = null;
  let netmaskAddr: Ipv4 | null = null;
  let sawNetmask = false;
  for (let i = 1; i < args.length; i++) {
    const raw = args[i];
    const minus = raw.startsWith('-');
    const word = minus ? raw.slice(1) : raw;
    const known = ['metric', 'mtu', 'txqueuelen', 'dstaddr', 'netmask', 'broadcast', 'hw', 'pointopoint', 'keepalive', 'outfill', 'mem_start', 'io_addr', 'irq', 'add', 'del', 'arp', 'trailers', 'promisc', 'multicast', 'allmulti', 'dynamic', 'up', 'down'];
    if (known.includes(word)) {
      // which words take a leading '-': the flags and broadcast/pointopoint
      const minusOk = ['broadcast', 'pointopoint', 'arp', 'trailers', 'promisc', 'multicast', 'allmulti', 'dynamic'].includes(word);
      if (minus && !minusOk) die(ctx, 'ifconfig', `bad: '${raw}'`);
      if (minus && (word === 'broadcast' || word === 'pointopoint')) continue; // clearing these flags is a no-op
      if (word === 'up' || word === 'down') {
        add(flagOp('UP', word === 'up'));
        continue;
      }
      if (word === 'promisc') {
        add(flagOp('PROMISC', !minus));
        continue;
      }
      if (['arp', 'trailers', 'multicast', 'allmulti', 'dynamic'].includes(word)) unmodelled(`${raw}`);
      const next = args[i + 1];
      if (next === undefined) showUsage(ctx, bb, 'ifconfig');
      i++;
      if (word === 'netmask') {
        if (sawNetmask) showUsage(ctx, bb, 'ifconfig');
        sawNetmask = true;
        const m = next === 'default' ? 0 : await bbResolve(ctx, 'ifconfig', next);
        netmaskAddr = m;
        add({
          check(v) {
            if (!dev) return { ioctl: 'SIOCSIFNETMASK', errno: 'ENODEV' };
            if (!v.ifa) return { ioctl: 'SIOCSIFNETMASK', errno: 'EADDRNOTAVAIL' };
            const len = maskToPrefix(m);
            if (len === null) return { ioctl: 'SIOCSIFNETMASK', errno: 'EINVAL' };
            if (len !== v.ifa.len) {
              const oldMask = prefixMask(v.ifa.len) >>> 0;
              if (len < 31 && v.ifa.broadcast === ((v.ifa.addr | ~oldMask) >>> 0)) v.ifa.broadcast = (v.ifa.addr | ~m) >>> 0;
              v.ifa.len = len;
            }
            return null;
          },
          apply() {
            const a = ifaOf(dev!, name)!;
            const len = maskToPrefix(m)!;
            if (len === a.len) return;
            const oldMask = prefixMask(a.len) >>> 0;
            const brd = len < 31 && a.broadcast === ((a.addr | ~oldMask) >>> 0) ? (a.addr | ~m) >>> 0 : a.broadcast;
            rewrite(dev!, name, { addr: a.addr, len, broadcast: brd });
          },
        });
        continue;
      }
      if (word === 'broadcast') {
        let b: Ipv4;
        if (next === '+' && hostAddr !== null && netmaskAddr !== null) b = (~netmaskAddr | (hostAddr & netmaskAddr)) >>> 0;
        else b = next === 'default' ? 0 : await bbResolve(ctx, 'ifconfig', next);
        add({
          check(v) {
            if (!dev) return { ioctl: 'SIOCSIFBRDADDR', errno: 'ENODEV' };
            if (!v.ifa) return { ioctl: 'SIOCSIFBRDADDR', errno: 'EADDRNOTAVAIL' };
            v.ifa.broadcast = b;
            return null;
          },
          apply() {
            const a = ifaOf(dev!, name)!;
            if (a.broadcast !== b) rewrite(dev!, name, { addr: a.addr, len: a.len, broadcast: b });
          },
        });
        continue;
      }
      if (word === 'mtu') {
        const mtu = Number.parseInt(next, 10) || 0;
        add({
          check: () => noDev('SIOCSIFMTU') ?? (checkMtu(dev!, mtu).ok ? null : { ioctl: 'SIOCSIFMTU', errno: 'EINVAL' }),
          apply: () => void setMtu(dev!, mtu),
        });
        continue;
      }
      if (word === 'metric') {
        add({ check: () => noDev('SIOCSIFMETRIC') ?? { ioctl: 'SIOCSIFMETRIC', errno: 'EOPNOTSUPP' }, apply() {} });
        continue;
      }
      if (word === 'mem_start' || word === 'io_addr' || word === 'irq') {
        add({ check: () => noDev('SIOCGIFMAP') ?? { ioctl: 'SIOCSIFMAP', errno: 'EOPNOTSUPP' }, apply() {} });
        continue;
      }
      if (word === 'hw') {
        if (next !== 'ether' && next !== 'infiniband') showUsage(ctx, bb, 'ifconfig');
        const v = args[++i];
        if (v === undefined) showUsage(ctx, bb, 'ifconfig');
        if (next === 'infiniband') unmodelled('hw infiniband');
        const mac = parseMac(v);
        if (!mac) die(ctx, 'ifconfig', `invalid hw-addr ${v}`);
        add({
          check() {
            if (!dev) return { ioctl: 'SIOCSIFHWADDR', errno: 'ENODEV' };
            const r = checkMac(dev, mac as Mac);
            return r.ok ? null : { ioctl: 'SIOCSIFHWADDR', errno: r.error.errno };
          },
          apply: () => void setMac(dev!, mac as Mac),
        });
        continue;
      }
      if (word === 'add' || word === 'del') unmodelled(`${word} (IPv6 addresses)`);
      unmodelled(word);
    }
    // anything else is an address for the label, and brings the interface up
    if (raw === 'inet') continue;
    let addr: Ipv4;
    if (raw === 'default') addr = 0;
    else {
      const slash = raw.indexOf('/');
      if (slash >= 0) {
        const n = raw.slice(slash + 1);
        if (!/^\d+$/.test(n)) die(ctx, 'ifconfig', `invalid number '${n}'`);
        if (Number(n) > 128) die(ctx, 'ifconfig', `number ${n} is not in 0..128 range`);
        // an IPv4 address with a prefix is refused (ifconfig resolves it again, slash and all)
        if (parseIpv4(raw.slice(0, slash)) !== null) die(ctx, 'ifconfig', `bad address '${raw}'`);
      }
      addr = await bbResolve(ctx, 'ifconfig', raw);
    }
    hostAddr = addr;
    add({
      check(v) {
        if (!dev) return { ioctl: 'SIOCSIFADDR', errno: 'ENODEV' };
        if (addr === 0) {
          v.ifa = null;
          return null;
        }
        const len = classful(addr);
        if (len < 0) return { ioctl: 'SIOCSIFADDR', errno: 'EINVAL' };
        if (!v.ifa || v.ifa.addr !== addr) v.ifa = { addr, len, broadcast: dev.kind !== 'loopback' && len < 31 ? (addr | ~prefixMask(len)) >>> 0 : null };
        return null;
      },
      apply() {
        const cur = ifaOf(dev!, name);
        if (addr === 0) {
          if (cur) rewrite(dev!, name, null);
          return;
        }
        if (cur && cur.addr === addr) return;
        const len = classful(addr);
        rewrite(dev!, name, { addr, len, broadcast: dev!.kind !== 'loopback' && len < 31 ? (addr | ~prefixMask(len)) >>> 0 : null });
      },
    });
    add(flagOp('UP', true));
  }
  for (const op of ops) op.apply();
  return 0;
}
