/**
 * Writing a sysctl, with the kernel's validation and the keys that are aliases of each other
 * (net.ipv4.ip_forward and net.ipv4.conf.all.forwarding are one switch).
 */
import { Netns, PER_DEV_SYSCTLS } from './model.ts';

/** Keys whose value is a pair of numbers separated by a tab. */
const PAIR_KEYS = new Set(['net.ipv4.ip_local_port_range', 'net.ipv4.ping_group_range']);

/** Keys holding three numbers (min, default, max); a shorter write updates the leading ones, as proc_dointvec does. */
const TRIPLE_KEYS = new Set(['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);

/** Normalise `a/b/c` to `a.b.c`. */
export function sysctlKey(k: string): string {
  return k.replaceAll('/', '.');
}

/** Set a sysctl in a namespace. Returns an errno name on failure (ENOENT, EINVAL), else null. */
export function setSysctl(ns: Netns, rawKey: string, value: string): string | null {
  const key = sysctlKey(rawKey);
  if (ns.sysctlGet(key) === undefined) return 'ENOENT';
  const v = value.trim();
  if (PAIR_KEYS.has(key)) {
    const parts = v.split(/\s+/);
    if (parts.length !== 2 || parts.some((p) => !/^-?\d+$/.test(p))) return 'EINVAL';
    if (key === 'net.ipv4.ip_local_port_range' && Number(parts[0]) > Number(parts[1])) return 'EINVAL';
    ns.sysctl.set(key, parts.join('\t'));
    return null;
  }
  if (TRIPLE_KEYS.has(key)) {
    const parts = v.split(/\s+/);
    if (parts.length > 3 || parts.some((p) => !/^-?\d+$/.test(p))) return 'EINVAL';
    const old = (ns.sysctlGet(key) ?? '').split('\t');
    parts.forEach((p, i) => (old[i] = String(Number(p))));
    ns.sysctl.set(key, old.join('\t'));
    return null;
  }
  if (!/^-?\d+$/.test(v)) return 'EINVAL';
  const n = String(Number(v));
  if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
    const on = n !== '0' ? '1' : '0';
    ns.sysctl.set('net.ipv4.ip_forward', key === 'net.ipv4.ip_forward' ? n : on);
    ns.sysctl.set('net.ipv4.conf.all.forwarding', on);
    ns.sysctl.set('net.ipv4.conf.default.forwarding', on);
    return null;
  }
  const m = /^net\.ipv4\.conf\.([^.]+)\.(.+)$/.exec(key);
  if (m && m[1] !== 'all' && m[1] !== 'default' && PER_DEV_SYSCTLS[m[2]] !== undefined) {
    ns.sysctl.set(key, n);
    return null;
  }
  ns.sysctl.set(key, n);
  if (key === 'net.ipv6.conf.all.disable_ipv6') {
    // turning IPv6 off removes every IPv6 address; turning it on gives links with carrier
    // their link-local address back
    for (const l of ns.allLinks()) {
      if (n !== '0') l.ll6 = null;
      else if (l.carrier) Netns.makeLinkLocal(l, ns.world.now);
    }
  }
  return null;
}

/** Every sysctl key of a namespace, sorted (for `sysctl -a`). */
export function allSysctlKeys(ns: Netns): string[] {
  const keys = new Set(ns.sysctl.keys());
  for (const l of ns.allLinks()) for (const k of Object.keys(PER_DEV_SYSCTLS)) keys.add(`net.ipv4.conf.${l.name}.${k}`);
  for (const k of Object.keys(PER_DEV_SYSCTLS)) keys.add(`net.ipv4.conf.default.${k}`);
  return [...keys].sort();
}
