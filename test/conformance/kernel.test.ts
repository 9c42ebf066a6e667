/**
 * Conformance against the real Linux kernel (6.18, iproute2 6.1, iptables 1.8.9 nf_tables):
 * every case in fixtures/conformance/kernel/cases was recorded on Linux (results/*.jsonl) and is
 * replayed here through `--world bare`, one command line at a time, as netsim runs it.
 *
 * - Every probe (a command after `# expect: N`) must exit with the recorded status.
 * - Every other command must exit with the recorded status too.
 * - Outputs must match byte for byte after normalising what differs between any two runs of
 *   Linux (MAC addresses, times, link-local IPv6 addresses), except the few listed in
 *   KNOWN_DIFFERENCES, each with the reason.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixture, normalize, world } from '../helpers.ts';
import { Session, runLine } from '../../src/shell/index.ts';

interface Recorded {
  command: string;
  exitCode: number;
  output: string;
}

/** Output the simulator does not reproduce, and why. Keyed by "case: command". */
const KNOWN_DIFFERENCES: Record<string, string> = {
  '21-vxlan-point-to-point.sh: ip netns exec host1 bridge fdb show dev vxlan0':
    "the real host1 had already learned host2's MAC from IPv6 link-up traffic (router solicitation, MLD); IPv6 is not modelled",
  '21-vxlan-point-to-point.sh: ip netns exec host1 ip -s link show vxlan0': 'the real counters include IPv6 link-up traffic; IPv6 is not modelled',
};

/** The kernel lists neighbours in hash order; compare them as sets. */
function canonical(command: string, output: string): string {
  const n = normalize(output);
  if (/\bip (-\S+ )*neigh(bour)?\b/.test(command)) return n.split('\n').sort().join('\n');
  return n;
}

const dir = join(FIXTURES, 'conformance/kernel');
const cases = readdirSync(join(dir, 'cases')).filter((f) => f.endsWith('.sh')).sort();

describe('kernel conformance (--world bare)', () => {
  it('has the recorded cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(33);
  });

  it.each(cases)('%s', async (name) => {
    const script = fixture(`conformance/kernel/cases/${name}`);
    const recorded: Recorded[] = fixture(`conformance/kernel/results/${name.replace(/\.sh$/, '.jsonl')}`)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const session = new Session(world('bare'), {});
    const probeMismatches: string[] = [];
    const statusMismatches: string[] = [];
    const outputMismatches: string[] = [];
    let expectNext: number | null = null;
    let k = 0;
    let probes = 0;
    for (const raw of script.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      const m = /^# expect: (\d+)/.exec(line);
      if (m) {
        expectNext = Number(m[1]);
        continue;
      }
      if (line.startsWith('#')) continue;
      const rec = recorded[k++];
      expect(rec.command).toBe(line);
      const r = await runLine(session, line);
      if (expectNext !== null) {
        probes++;
        expect(rec.exitCode, `the fixture's own expectation for: ${line}`).toBe(expectNext);
        if (r.exitCode !== rec.exitCode) probeMismatches.push(`${line}: Linux ${rec.exitCode}, simulator ${r.exitCode}\n${r.output}`);
        expectNext = null;
      } else if (r.exitCode !== rec.exitCode) statusMismatches.push(`${line}: Linux ${rec.exitCode}, simulator ${r.exitCode}\n${r.output}`);
      const key = `${name}: ${line}`;
      if (!(key in KNOWN_DIFFERENCES) && canonical(line, r.output) !== canonical(line, rec.output)) {
        outputMismatches.push(`${line}\n--- Linux\n${rec.output}--- simulator\n${r.output}`);
      }
    }
    expect(session.internalErrors).toEqual([]);
    expect(k).toBe(recorded.length);
    expect(probes).toBeGreaterThan(0);
    expect(probeMismatches).toEqual([]);
    expect(statusMismatches).toEqual([]);
    expect(outputMismatches).toEqual([]);
  });
});
