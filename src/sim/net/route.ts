/**
 * Route lookup (fib_lookup) and source address selection (inet_select_addr).
 *
 * The default policy rules are modelled: table local first, then main, then default
 * (`ip rule` prints them). Within a table the longest matching prefix wins, then the lowest
 * metric. blackhole, unreachable and prohibit routes give the errors Linux gives: EINVAL,
 * EHOSTUNREACH and EACCES; no match at all gives ENETUNREACH.
 */
import { formatIpv4, formatPrefix, inPrefix, type Ipv4 } from '../wire/addr.ts';
import type { Link, Netns } from './model.ts';
import { RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN, type Route } from './types.ts';

export const RULE_TABLES = [RT_TABLE_LOCAL, RT_TABLE_MAIN, RT_TABLE_DEFAULT];

/** The best route in one table for a destination, or null. */
export function lookupTable(ns: Netns, table: number, dst: Ipv4, oif?: Link): Route | null {
  let best: Route | null = null;
  for (const r of ns.routes) {
    if (r.table !== table) continue;
    if (r.len === 0 ? false : !inPrefix(dst, r.dst, r.len)) continue;
    if (oif && r.dev !== 0 && r.dev !== oif.ifindex && r.type !== 'local') continue;
    if (!best || r.len > best.len || (r.len === best.len && r.metric < best.metric)) best = r;
  }
  return best;
}

/** fib_lookup over the default rules: local, main, default. */
export function fibLookup(ns: Netns, dst: Ipv4, oif?: Link): Route | null {
  for (const t of RULE_TABLES) {
    const r = lookupTable(ns, t, dst, oif);
    if (r && r.type !== 'throw') return r;
  }
  return null;
}

export type RouteError = 'ENETUNREACH' | 'EHOSTUNREACH' | 'EINVAL' | 'EACCES';

export interface RouteOk {
  readonly ok: true;
  readonly route: Route | null;
  /** the device packets leave through (lo for local destinations) */
  readonly dev: Link;
  /** the next hop: the gateway, or the destination itself when on-link */
  readonly nexthop: Ipv4;
  /** the source address the kernel would pick */
  readonly src: Ipv4;
  readonly local: boolean;
  readonly broadcast: boolean;
}

export type RouteOutput = RouteOk | { readonly ok: false; readonly error: RouteError; readonly route: Route | null };

function routeError(r: Route | null): RouteError | null {
  if (!r) return 'ENETUNREACH';
  switch (r.type) {
    case 'blackhole':
      return 'EINVAL';
    case 'unreachable':
      return 'EHOSTUNREACH';
    case 'prohibit':
      return 'EACCES';
    default:
      return null;
  }
}

/**
 * inet_select_addr: the primary address of `dev` that shares a subnet with `toward`, else the
 * first primary address of `dev`, else the first global address of any other interface.
 */
export function selectSource(ns: Netns, dev: Link | null, toward: Ipv4): Ipv4 {
  if (dev) {
    for (const a of dev.addrs) if (!a.secondary && inPrefix(toward, a.addr, a.len) && a.scope !== 'host') return a.addr;
    for (const a of dev.addrs) if (!a.secondary && a.scope !== 'host') return a.addr;
  }
  for (const l of ns.allLinks()) {
    for (const a of l.addrs) if (!a.secondary && a.scope === 'global') return a.addr;
  }
  if (dev) for (const a of dev.addrs) return a.addr;
  return 0;
}

/** ip_route_output: where a locally generated packet to `dst` goes. */
export function routeOutput(ns: Netns, dst: Ipv4, oif?: Link, wantSrc?: Ipv4): RouteOutput {
  const r = fibLookup(ns, dst, oif);
  if (r && r.table === RT_TABLE_LOCAL && r.type === 'local') {
    const lo = ns.linkByName('lo')!;
    return { ok: true, route: r, dev: lo, nexthop: dst, src: wantSrc ?? r.src ?? dst, local: true, broadcast: false };
  }
  if (r && r.table === RT_TABLE_LOCAL && r.type === 'broadcast') {
    const dev = ns.linkByIndex(r.dev)!;
    return { ok: true, route: r, dev, nexthop: dst, src: wantSrc ?? r.src ?? selectSource(ns, dev, dst), local: false, broadcast: true };
  }
  const err = routeError(r);
  if (err) {
    if (err === 'ENETUNREACH' && oif && oif.adminUp) {
      // "Apparently, routing tables are wrong. Assume, that the destination is on link."
      return { ok: true, route: null, dev: oif, nexthop: dst, src: wantSrc ?? selectSource(ns, oif, dst), local: false, broadcast: false };
    }
    return { ok: false, error: err, route: r };
  }
  const dev = ns.linkByIndex(r!.dev);
  if (!dev) return { ok: false, error: 'ENETUNREACH', route: r };
  const nexthop = r!.via ?? dst;
  const src = wantSrc ?? r!.src ?? selectSource(ns, dev, r!.via ?? dst);
  return { ok: true, route: r, dev, nexthop, src, local: false, broadcast: dst === 0xffffffff };
}

/** `ip route` text for one route (as iproute2 prints it, trailing space included). */
export function formatRoute(ns: Netns, r: Route, opts: { showTable?: boolean } = {}): string {
  let s = '';
  if (r.type !== 'unicast') s += `${r.type} `;
  s += r.len === 0 && r.type === 'unicast' ? 'default' : r.len === 32 ? formatIpv4(r.dst) : formatPrefix(r.dst, r.len);
  if (r.len === 0 && r.type !== 'unicast') s = `${r.type} default`;
  s += ' ';
  if (opts.showTable && r.table !== RT_TABLE_MAIN) s += `table ${r.table === RT_TABLE_LOCAL ? 'local' : r.table} `;
  if (r.via !== null) s += `via ${formatIpv4(r.via)} `;
  const dev = r.dev ? ns.linkByIndex(r.dev) : undefined;
  if (dev) s += `dev ${dev.name} `;
  if (r.proto !== 'boot' && r.proto !== 'unspec') s += `proto ${r.proto} `;
  if (r.scope !== 'global' && !(r.type !== 'unicast' && r.scope === 'nowhere' && r.table === RT_TABLE_MAIN) && !(r.type === 'local' && r.proto !== 'kernel' && r.table === RT_TABLE_MAIN)) {
    if (!(r.type === 'unicast' && r.scope === 'nowhere')) s += `scope ${r.scope} `;
  }
  if (r.src !== null) s += `src ${formatIpv4(r.src)} `;
  if (r.metric) s += `metric ${r.metric} `;
  if (r.onlink) s += 'onlink ';
  if (dev && dev.adminUp && !dev.carrier && r.table !== RT_TABLE_LOCAL) s += 'linkdown ';
  return s;
}
