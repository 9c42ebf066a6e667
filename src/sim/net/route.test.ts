/**
 * Route lookup: longest prefix first, then the lowest metric, checked against a brute-force scan
 * over random routing tables; and the errors blackhole/unreachable/prohibit routes give.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { World } from './world.ts';
import { addAddr, addLink, addRoute, setUp } from './netlink.ts';
import { fibLookup, routeOutput } from './route.ts';
import { RT_TABLE_MAIN, type Route } from './types.ts';
import { inPrefix, networkOf, parseIpv4 } from '../wire/addr.ts';

function hostWithDummy() {
  const w = new World(3);
  const h = w.addHost('h');
  const d = addLink(h.root, { name: 'dummy0', kind: 'dummy' });
  if (!d.ok) throw new Error('dummy');
  setUp(d.value);
  addAddr(d.value, { addr: parseIpv4('192.0.2.1')!, len: 24 });
  return { ns: h.root, dev: d.value };
}

/** The best main-table route by definition: longest prefix, then lowest metric, then first added. */
function bruteForce(routes: Route[], dst: number): Route | null {
  let best: Route | null = null;
  for (const r of routes) {
    if (r.table !== RT_TABLE_MAIN || !inPrefix(dst, r.dst, r.len)) continue;
    if (!best || r.len > best.len || (r.len === best.len && r.metric < best.metric)) best = r;
  }
  return best;
}

describe('longest-prefix match', () => {
  it('agrees with a brute-force scan on random tables', () => {
    const route = fc.record({ addr: fc.integer({ min: 0, max: 0xffffffff }), len: fc.integer({ min: 0, max: 32 }), metric: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(route, { maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 20 }), (routes, dsts) => {
        const { ns, dev } = hostWithDummy();
        for (const r of routes) addRoute(ns, { dst: r.addr, len: r.len, dev, metric: r.metric }, 'add');
        const main = ns.routes.filter((r) => r.table === RT_TABLE_MAIN);
        for (const d of dsts) {
          // the local table answers first for our own addresses: skip those
          if (ns.isLocalAddr(d)) continue;
          const got = fibLookup(ns, d);
          const want = bruteForce(main, d);
          if (want === null) {
            if (got !== null && got.table === RT_TABLE_MAIN) return false;
          } else if (!got || got.dst !== want.dst || got.len !== want.len || got.metric !== want.metric) return false;
        }
        return true;
      }),
      { seed: 2026, numRuns: 200 },
    );
  });

  it('stores routes by their network address', () => {
    const { ns, dev } = hostWithDummy();
    addRoute(ns, { dst: parseIpv4('10.1.2.3')!, len: 16, dev });
    expect(ns.routes.some((r) => r.dst === networkOf(parseIpv4('10.1.2.3')!, 16) && r.len === 16)).toBe(true);
  });
});

describe('special route types', () => {
  it.each([
    ['blackhole', 'EINVAL'],
    ['unreachable', 'EHOSTUNREACH'],
    ['prohibit', 'EACCES'],
  ] as const)('%s gives %s', (type, errno) => {
    const { ns } = hostWithDummy();
    expect(addRoute(ns, { type, dst: parseIpv4('198.51.100.0')!, len: 24 }).ok).toBe(true);
    const r = routeOutput(ns, parseIpv4('198.51.100.7')!);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(errno);
  });

  it('no route at all is ENETUNREACH', () => {
    const { ns } = hostWithDummy();
    const r = routeOutput(ns, parseIpv4('8.8.8.8')!);
    expect(r.ok ? null : r.error).toBe('ENETUNREACH');
  });

  it('a gateway must be reachable on a connected route', () => {
    const { ns } = hostWithDummy();
    const bad = addRoute(ns, { dst: 0, len: 0, via: parseIpv4('10.9.9.9')! });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.extack).toBe('Nexthop has invalid gateway.');
    expect(addRoute(ns, { dst: 0, len: 0, via: parseIpv4('192.0.2.254')! }).ok).toBe(true);
    const r = routeOutput(ns, parseIpv4('8.8.8.8')!);
    expect(r.ok && r.nexthop).toBe(parseIpv4('192.0.2.254'));
  });
});
