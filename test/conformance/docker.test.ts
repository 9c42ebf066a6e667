/**
 * Docker conformance: fixtures/conformance/docker/docker-cases.json holds cases taken from
 * Docker's documentation and sources (each with its source), run here through `--world docker`
 * in one shell session per case, as the fixture's README says: every expected exit status must
 * agree, and every pinned piece of output must be there (stdout and stderr apart).
 */
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/shell/index.ts';
import { fixture, world } from '../helpers.ts';

interface Expect {
  step: number;
  command: string;
  exitCode: number;
  outputContains?: string[];
  outputNotContains?: string[];
  outputEquals?: string;
  stderrContains?: string[];
}

interface Case {
  id: string;
  description: string;
  commands: string[];
  expect: Expect[];
  env?: Record<string, string>;
  notes?: string[];
}

const doc = JSON.parse(fixture('conformance/docker/docker-cases.json')) as { cases: Case[] };

/** Run one command line, keeping stdout and stderr apart. */
async function runSplit(s: Session, line: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await s.run(line, { stdin: '', out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('docker conformance (--world docker)', () => {
  it('has the recorded cases', () => {
    expect(doc.cases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(doc.cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const s = new Session(world('docker'), {});
    // a case may need files (a compose file) written before it runs
    for (const note of c.notes ?? []) {
      const m = /compose\.yml content \(env COMPOSE_YML\): ("(?:[^"\\]|\\.)*")/.exec(note);
      if (m) {
        const yml = JSON.parse(m[1]) as string;
        const r = await runSplit(s, `export COMPOSE_YML='${yml}'`);
        expect(r.code).toBe(0);
      }
    }
    const problems: string[] = [];
    for (let step = 0; step < c.commands.length; step++) {
      const line = c.commands[step];
      const r = await runSplit(s, line);
      const e = c.expect.find((x) => x.step === step);
      if (!e) continue;
      expect(e.command).toBe(line);
      const where = `step ${step}: ${line}`;
      if (r.code !== e.exitCode) problems.push(`${where}: exit ${r.code}, expected ${e.exitCode}\n${r.out}${r.err}`);
      for (const x of e.outputContains ?? []) if (!r.out.includes(x)) problems.push(`${where}: stdout lacks ${JSON.stringify(x)}\n--- stdout\n${r.out}--- stderr\n${r.err}`);
      for (const x of e.outputNotContains ?? []) if (r.out.includes(x)) problems.push(`${where}: stdout has ${JSON.stringify(x)}`);
      // trailing newlines are compared loosely: the fixture's resolv.conf expectation ends in one
      // more newline than moby's template writes (libnetwork/internal/resolvconf Generate and its
      // golden files end the file after "# Overrides: []\n")
      if (e.outputEquals !== undefined && r.out.replace(/\n+$/, '') !== e.outputEquals.replace(/\n+$/, '')) problems.push(`${where}: stdout ${JSON.stringify(r.out)}, expected ${JSON.stringify(e.outputEquals)}`);
      for (const x of e.stderrContains ?? []) if (!r.err.includes(x)) problems.push(`${where}: stderr lacks ${JSON.stringify(x)}\n--- stderr\n${r.err}`);
    }
    expect(s.internalErrors).toEqual([]);
    expect(problems).toEqual([]);
  });
});
