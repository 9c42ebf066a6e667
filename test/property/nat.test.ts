/**
 * NAT round trips: whatever addresses and ports a client uses, MASQUERADE rewrites its packets on
 * the way out and conntrack restores the reply to exactly the original tuple (and DNAT likewise
 * for a published port).
 *
 *   [client 10.A.B.2/24] --veth-- (router 10.A.B.1 | 203.0.113.1) --veth-- [server 203.0.113.2/24]
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { run, world } from '../helpers.ts';
import type { TraceEvent } from '../../src/sim/trace/events.ts';

function topology(a: number, b: number): string[] {
  const net = `10.${a}.${b}`;
  return [
    'ip netns add client',
    'ip netns add router',
    'ip netns add server',
    'ip link add eth0 netns client type veth peer name in0 netns router',
    'ip link add eth0 netns server type veth peer name out0 netns router',
    `ip netns exec client ip addr add ${net}.2/24 dev eth0`,
    `ip netns exec router ip addr add ${net}.1/24 dev in0`,
    'ip netns exec router ip addr add 203.0.113.1/24 dev out0',
    'ip netns exec server ip addr add 203.0.113.2/24 dev eth0',
    'ip netns exec client ip link set eth0 up',
    'ip netns exec router ip link set in0 up',
    'ip netns exec router ip link set out0 up',
    'ip netns exec server ip link set eth0 up',
    `ip netns exec client ip route add default via ${net}.1`,
    'ip netns exec router sysctl -q -w net.ipv4.ip_forward=1',
  ];
}

function natEvents(events: TraceEvent[]) {
  return events.filter((e) => e.kind === 'nat').map((e) => e.nat!);
}

function swap(t: string): string {
  const [l, r] = t.split(' > ');
  return `${r} > ${l}`;
}

describe('NAT round trips', () => {
  it('MASQUERADE: the reply reaches the client with its original tuple', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1024, max: 65000 }), fc.integer({ min: 1024, max: 65000 }), async (a, b, sport, dport) => {
        const w = world('bare', a * 256 + b + 1);
        const r = await run(w, [
          ...topology(a, b),
          `ip netns exec router iptables -t nat -A POSTROUTING -o out0 -j MASQUERADE`,
          `ip netns exec server nc -lk ${dport} &`,
          `ip netns exec client nc -zv -p ${sport} -w 1 203.0.113.2 ${dport}`,
          `ip netns exec server ss -tna`,
        ]);
        const connect = r[r.length - 2];
        expect(connect.exitCode).toBe(0);
        const nat = natEvents(connect.events);
        const out = nat.find((n) => n.kind === 'SNAT')!;
        const back = nat.find((n) => n.kind === 'un-SNAT')!;
        expect(out.before).toBe(`10.${a}.${b}.2:${sport} > 203.0.113.2:${dport}`);
        expect(out.after.startsWith('203.0.113.1:')).toBe(true);
        // the reply's rewrite ends exactly where the request started, reversed
        expect(back.after).toBe(swap(out.before));
        expect(back.before).toBe(swap(out.after));
        // the server only ever saw the router's address
        expect(r[r.length - 1].output).not.toContain(`10.${a}.${b}.2`);
      }),
      { seed: 5, numRuns: 25 },
    );
  });

  it('DNAT: a published port reaches the inside server and the reply is un-DNATed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 }), fc.integer({ min: 1024, max: 65000 }), fc.integer({ min: 1, max: 65000 }), async (a, b, pub, inner) => {
        const w = world('bare', a + b + pub);
        const r = await run(w, [
          ...topology(a, b),
          `ip netns exec router iptables -t nat -A PREROUTING -i out0 -p tcp --dport ${pub} -j DNAT --to-destination 10.${a}.${b}.2:${inner}`,
          `ip netns exec client nc -lk ${inner} &`,
          `ip netns exec server nc -zv -w 1 203.0.113.1 ${pub}`,
        ]);
        const connect = r[r.length - 1];
        expect(connect.exitCode).toBe(0);
        const nat = natEvents(connect.events);
        const dnat = nat.find((n) => n.kind === 'DNAT')!;
        const undo = nat.find((n) => n.kind === 'un-DNAT')!;
        expect(dnat.after.endsWith(`> 10.${a}.${b}.2:${inner}`)).toBe(true);
        expect(undo.after).toBe(swap(dnat.before));
      }),
      { seed: 6, numRuns: 25 },
    );
  });
});
