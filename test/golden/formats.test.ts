/**
 * Golden test of command output against real tool output: fixtures/formats/formats.sh was run on
 * Linux and every command marked `# format: NAME` saved its output to NAME.txt. The same script
 * runs here through `--world bare`; each saved output must match after normalising run-to-run
 * differences (MACs, times, dates, link-local IPv6), except the formats listed below.
 */
import { describe, expect, it } from 'vitest';
import { fixture, normalize, world } from '../helpers.ts';
import { Session, runLine } from '../../src/shell/index.ts';

/** Formats the simulator does not reproduce byte for byte, and why. */
const NOT_COMPARED: Record<string, string> = {
  'ip-s-link': 'the real counters include IPv6 neighbour-discovery traffic; IPv6 is not modelled',
  'iptables-legacy-S': 'the legacy xtables backend is not modelled (the simulated host uses iptables-nft)',
  'nft-list-ruleset': 'nft is not modelled; iptables -S / iptables-save show the same rules',
  'ping6-success': 'IPv6 is not modelled',
  'traceroute-unreachable':
    "the router's ICMP token bucket refilled during the seconds the real commands before it took (a DNS lookup, process starts); the simulator only lets time pass while a command waits. Conformance case 69 records the same probes back to back, and the simulator matches it",
};

/**
 * What depends on random values or timing is normalised further: the kernel lists neighbours in
 * hash order (compared as sets); brctl sorts by MAC and shows ageing timers; conntrack shows
 * timeouts, ICMP ids (ping's pid) and ephemeral ports.
 */
function canonical(name: string, s: string): string {
  let n = normalize(s);
  if (name.startsWith('ip-neigh')) return n.split('\n').sort().join('\n');
  if (name === 'brctl-showmacs') {
    n = n.replace(/ +\d+\.\d\d$/gm, ' T');
    return n.split('\n').sort().join('\n');
  }
  if (name === 'conntrack-L') {
    n = n.replace(/^(\w+ +\d+) \d+ /gm, '$1 T ').replace(/id=\d+/g, 'id=ID').replace(/(sport|dport)=(3[2-9]\d{3}|[4-6]\d{4})\b/g, '$1=EPH');
  }
  return n;
}

describe('golden: real tool output formats', async () => {
  const script = fixture('formats/formats.sh');
  const session = new Session(world('bare'), {});
  const results: { name: string; command: string; output: string }[] = [];
  let name: string | null = null;
  for (const raw of script.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^# format: (\S+)/.exec(line);
    if (m) {
      name = m[1];
      continue;
    }
    if (line.startsWith('#')) continue;
    const r = await runLine(session, line);
    if (name) results.push({ name, command: line, output: r.output });
    name = null;
  }

  it('ran every format of the script', () => {
    expect(results.length).toBeGreaterThan(90);
    expect(session.internalErrors).toEqual([]);
  });

  it.each(results.filter((r) => !(r.name in NOT_COMPARED)))('$name: $command', ({ name, output }) => {
    expect(canonical(name, output)).toBe(canonical(name, fixture(`formats/${name}.txt`)));
  });
});
