/**
 * Robustness of the shell and its commands: random and mutated command lines never make the
 * simulator throw; every line ends with an exit status; a configuration command that fails
 * prints an error and leaves the world exactly as it was.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Session, runLine } from '../../src/shell/index.ts';
import { world } from '../helpers.ts';
import type { World } from '../../src/sim/net/world.ts';
import { formatRuleSave } from '../../src/sim/netfilter/ruletext.ts';

/** Everything a configuration command can change (not counters, timers or caches). */
export function fingerprint(w: World): string {
  const hosts = [...w.hosts.values()].map((h) => ({
    host: h.name,
    named: [...h.named.keys()],
    ns: h.all.map((ns) => ({
      name: ns.name,
      links: ns.allLinks().map((l) => ({
        i: l.ifindex,
        n: l.name,
        k: l.kind,
        mtu: l.mtu,
        up: l.adminUp,
        mac: l.mac,
        master: l.master?.name ?? null,
        peer: l.peer ? `${l.peer.ns.serial}/${l.peer.name}` : null,
        addrs: l.addrs.map((a) => `${a.addr}/${a.len}${a.secondary ? 's' : ''}`),
        vx: l.vxlan ? [...l.vxlan.fdb.entries()].map(([m, e]) => `${m}>${e.dst}`) : null,
        promisc: l.promisc,
      })),
      routes: ns.routes.map((r) => `${r.table} ${r.type} ${r.dst}/${r.len} ${r.via} ${r.dev} ${r.metric} ${r.src}`).sort(),
      neigh: [...ns.neigh.values()].filter((e) => e.state === 'PERMANENT').map((e) => `${e.ip} ${e.mac}`).sort(),
      nf: Object.values(ns.nf.tables).map((t) => [...t.chains.values()].map((c) => `${t.name}:${c.name}:${c.policy}:${c.rules.map((r) => formatRuleSave(r.spec)).join('|')}`)),
      sysctl: [...ns.sysctl.entries()].sort(),
    })),
  }));
  return JSON.stringify(hosts);
}

const SETUP = [
  'ip link add br0 type bridge',
  'ip link add veth0 type veth peer name veth1',
  'ip link add dummy0 type dummy',
  'ip addr add 10.0.0.1/24 dev dummy0',
  'ip link set dummy0 up',
  'ip link add vx0 type vxlan id 42 remote 10.0.0.2 dstport 4789 dev dummy0',
  'ip netns add red',
];

const BASE = [
  'ip link add veth2 type veth peer name veth3',
  'ip link add br1 type bridge',
  'ip link set veth0 up',
  'ip link set veth0 mtu 1400',
  'ip link set veth0 master br0',
  'ip link set veth1 netns red',
  'ip link set veth0 name eth9',
  'ip link set dev veth0 address 02:00:00:00:00:07',
  'ip link del veth0',
  'ip addr add 10.0.0.7/24 dev dummy0',
  'ip addr del 10.0.0.1/24 dev dummy0',
  'ip route add 10.9.0.0/16 via 10.0.0.254',
  'ip route add blackhole 192.0.2.0/24',
  'ip route del 10.0.0.0/24 dev dummy0',
  'ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev dummy0',
  'ip neigh del 10.0.0.9 dev dummy0',
  'ip netns add blue',
  'ip netns del red',
  'iptables -A FORWARD -i veth0 -j DROP',
  'iptables -I INPUT 1 -p tcp --dport 22 -j ACCEPT',
  'iptables -t nat -A POSTROUTING -s 10.0.0.0/24 ! -o br0 -j MASQUERADE',
  'iptables -N MYCHAIN',
  'iptables -P FORWARD DROP',
  'iptables -D FORWARD 1',
  'iptables -X MYCHAIN',
  'sysctl -w net.ipv4.ip_forward=1',
  'bridge fdb add 02:00:00:00:00:01 dev vx0 dst 10.0.0.2',
  'brctl addif br0 veth0',
  'brctl addbr br5',
];

const VOCAB = ['veth0', 'br0', 'dev', 'up', 'down', 'type', 'veth', 'bridge', '10.0.0.300/24', '999', '-1', 'nope', '!', '-j', '-A', '-t', 'nat', 'peer', 'name', 'netns', 'ghost', 'mtu', '60', 'master', '""', '/32', 'default', 'via', '::1', '0/0', 'lladdr', 'zz:zz'];

const mutated = fc
  .tuple(fc.constantFrom(...BASE), fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.nat(), fc.constantFrom(...VOCAB)), { minLength: 1, maxLength: 3 }))
  .map(([line, muts]) => {
    const words = line.split(' ');
    for (const [kind, pos, tok] of muts) {
      const i = 1 + (pos % Math.max(1, words.length - 1));
      if (kind === 0 && words.length > 2) words.splice(i, 1);
      else if (kind === 1) words.splice(i, 0, tok);
      else if (kind === 2) words[i] = tok;
      else if (kind === 3 && words.length > 2) words.splice(i);
      else if (i + 1 < words.length) [words[i], words[i + 1]] = [words[i + 1], words[i]];
    }
    return words.join(' ');
  });

/** Commands whose failure is all-or-nothing (procps sysctl and brctl apply their arguments in turn). */
function atomic(line: string): boolean {
  if (/^sysctl\b/.test(line)) return line.split(/\s+/).slice(1).filter((w) => !w.startsWith('-')).length <= 1;
  if (/^brctl (addif|delif)\b/.test(line)) return line.split(/\s+/).length <= 4;
  return true;
}

describe('command robustness', () => {
  it('mutated configuration commands fail cleanly and change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutated, { minLength: 1, maxLength: 6 }), async (lines) => {
        const w = world('bare');
        const s = new Session(w, {});
        for (const l of SETUP) await runLine(s, l);
        for (const line of lines) {
          const before = fingerprint(w);
          const r = await runLine(s, line);
          expect(Number.isInteger(r.exitCode) && r.exitCode >= 0 && r.exitCode <= 255).toBe(true);
          if (r.exitCode !== 0) {
            expect(r.output.length, `no error message from: ${line}`).toBeGreaterThan(0);
            if (atomic(line)) expect(fingerprint(w), `a failed command changed the world: ${line}\n${r.output}`).toBe(before);
          }
        }
        expect(s.internalErrors).toEqual([]);
      }),
      { seed: 99, numRuns: 300 },
    );
  });

  it('random text never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), fc.constantFrom('', 'ip ', 'iptables ', 'ping ', 'nc ', 'curl ', 'tcpdump ', 'ss ', 'sysctl ', 'bridge ', 'traceroute '), async (text, prefix) => {
        const w = world('bare');
        const s = new Session(w, {});
        const r = await runLine(s, prefix + text.replace(/\n/g, ' '));
        expect(Number.isInteger(r.exitCode)).toBe(true);
        expect(s.internalErrors).toEqual([]);
      }),
      { seed: 17, numRuns: 400 },
    );
  });

  it('an unknown command says so and exits 127', async () => {
    const s = new Session(world('bare'), {});
    const r = await runLine(s, 'ifconfigg -a');
    expect(r.output).toBe('ifconfigg: command not found\n');
    expect(r.exitCode).toBe(127);
  });
});
