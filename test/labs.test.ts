/**
 * The labs: every lab in labs/ validates, and for 20 seeds its healthy world passes, its broken
 * world fails a task, its reference solution passes everything, and each declared wrong fix fails
 * a guard (src/labs/verify.ts, also `npm run labs:verify`). Plus the lab engine's own behaviour:
 * variants, schema errors, hints keyed to the world, and the netsim --lab contract.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLabs } from '../src/cli/labs.ts';
import { verifyLab } from '../src/labs/verify.ts';
import { grade, hintsNow, startLab, variantFor } from '../src/labs/runner.ts';
import { validateLab } from '../src/labs/schema.ts';
import { runLine } from '../src/shell/index.ts';

const labs = loadLabs();
const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const ROOT = join(import.meta.dirname, '..');
const NETSIM = join(ROOT, 'src', 'cli', 'netsim.ts');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');

describe('labs verify (20 seeds each)', () => {
  it('there are labs', () => {
    expect(labs.length).toBeGreaterThanOrEqual(1);
  });

  // a multi-host lab builds a swarm some 120 times: give it time on a loaded machine
  it.each(labs.map((l) => [l.lab.id, l] as const))('%s', async (_id, l) => {
    const problems = await verifyLab(l.lab, SEEDS, l.scenarioText);
    expect(problems).toEqual([]);
  }, 300_000);
});

const first = labs.find((l) => l.lab.id === 'names-dont-resolve')!;

describe('lab engine', () => {
  it('a seed always gives the same variant, and seeds differ', () => {
    expect(variantFor(first.lab, 7)).toEqual(variantFor(first.lab, 7));
    const all = new Set(SEEDS.map((s) => JSON.stringify(variantFor(first.lab, s))));
    expect(all.size).toBeGreaterThan(5);
    const faults = new Set(SEEDS.map((s) => variantFor(first.lab, s).fault));
    expect(faults.size).toBe(Object.keys(first.lab.faults).length);
  });

  it('a bad lab is refused with the file, the field and what was expected', () => {
    const r = validateLab({ id: 'Bad Id', title: 'x' }, 'labs/x/lab.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toContain('labs/x/lab.yaml: id: a lab id of lower-case letters, digits and dashes');
      expect(r.errors.some((e) => e.startsWith('labs/x/lab.yaml: difficulty:'))).toBe(true);
    }
    const dir = mkdtempSync(join(tmpdir(), 'labs-'));
    mkdirSync(join(dir, 'broken'));
    writeFileSync(join(dir, 'broken', 'lab.yaml'), 'id: broken\ntitle: t\n');
    expect(() => loadLabs(dir)).toThrow(/labs\/broken\/lab\.yaml: difficulty: /);
  });

  it('hints speak to the state of the world first', async () => {
    const seed = SEEDS.find((s) => variantFor(first.lab, s).fault === 'default-bridge')!;
    const inst = await startLab(first.lab, seed);
    const hints = await hintsNow(inst);
    expect(hints[0].text).toContain('default `bridge` network');
    // after connecting the API to a user network, the ladder changes
    await runLine(inst.session, `docker network create ${inst.variant.vars.net}`);
    await runLine(inst.session, `docker network connect ${inst.variant.vars.net} ${inst.variant.vars.api}`);
    const later = await hintsNow(inst);
    expect(later[0].text).toContain('compare their networks');
  });

  it('grading is by outcome: a correct fix the solution does not use also passes', async () => {
    const seed = SEEDS.find((s) => variantFor(first.lab, s).fault === 'default-bridge')!;
    const inst = await startLab(first.lab, seed);
    const { app, api, port } = inst.variant.vars;
    // recreate both on a network of another name, with an alias: not the reference solution
    for (const l of [`docker network create other`, `docker rm -f ${app} ${api}`, `docker run -d --name ${api} --network other python python3 -m http.server ${port}`, `docker run -dit --name ${app} --network other alpine ash`]) {
      expect((await runLine(inst.session, l)).exitCode).toBe(0);
    }
    expect((await grade(inst)).passed).toBe(true);
  });
});

describe('build labs', () => {
  const build = labs.find((l) => l.lab.id === 'build-by-hand')!;

  it('a build lab has no faults and one solution list; a repair lab needs a fault', () => {
    const base = { ...build.lab };
    const r1 = validateLab({ ...base, faults: { x: ['true'] } }, 'labs/b/lab.yaml');
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.errors).toContain('labs/b/lab.yaml: faults: a build lab starts from its setup and has no faults');
    const r2 = validateLab({ ...base, kind: 'repair', faults: {} }, 'labs/b/lab.yaml');
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.errors).toContain('labs/b/lab.yaml: faults: a repair lab needs at least one fault');
  });

  it('tasks turn green one step at a time, in the order the learner builds', async () => {
    const inst = await startLab(build.lab, 4);
    const { ns, br, net } = inst.variant.vars;
    const passed = async () => (await grade(inst)).tasks.filter((t) => t.ok).map((t) => t.id);
    expect(await passed()).toEqual([]);
    const steps: [string[], string[]][] = [
      [[`ip netns add ${ns}`, `ip -n ${ns} link set lo up`], ['namespace']],
      [[`ip link add ${br} type bridge`, `ip addr add ${net}.1/24 dev ${br}`, `ip link set ${br} up`], ['namespace', 'bridge']],
      [[`ip link add a type veth peer name b`, `ip link set b netns ${ns}`, `ip -n ${ns} addr add ${net}.2/24 dev b`, `ip -n ${ns} link set b up`, `ip link set a master ${br}`, `ip link set a up`], ['namespace', 'bridge', 'wire']],
      [[`ip -n ${ns} route add default via ${net}.1`], ['namespace', 'bridge', 'wire', 'route']],
      [[`sysctl -w net.ipv4.ip_forward=1`], ['namespace', 'bridge', 'wire', 'route']],
      [[`iptables -t nat -A POSTROUTING -s ${net}.0/24 -o eth0 -j MASQUERADE`], ['namespace', 'bridge', 'wire', 'route', 'nat', 'web']],
    ];
    for (const [lines, want] of steps) {
      for (const l of lines) expect((await runLine(inst.session, l)).exitCode).toBe(0);
      expect(await passed()).toEqual(want);
    }
    expect((await grade(inst)).passed).toBe(true);
  });

  it('the hint ladder follows the build: forwarding, then NAT', async () => {
    const inst = await startLab(build.lab, 2);
    const { ns, br, net } = inst.variant.vars;
    expect((await hintsNow(inst))[0].text).toContain(`ip netns add ${ns}`);
    for (const l of [`ip netns add ${ns}`, `ip -n ${ns} link set lo up`, `ip link add ${br} type bridge`, `ip addr add ${net}.1/24 dev ${br}`, `ip link set ${br} up`, `ip link add a type veth peer name b`, `ip link set b netns ${ns}`, `ip -n ${ns} addr add ${net}.2/24 dev b`, `ip -n ${ns} link set b up`, `ip link set a master ${br}`, `ip link set a up`]) await runLine(inst.session, l);
    expect((await hintsNow(inst))[0].text).toContain('no default route');
    await runLine(inst.session, `ip -n ${ns} route add default via ${net}.1`);
    expect((await hintsNow(inst))[0].text).toContain('`sysctl net.ipv4.ip_forward` is 0');
    await runLine(inst.session, 'sysctl -w net.ipv4.ip_forward=1');
    expect((await hintsNow(inst))[0].text).toContain('Rewrite the source');
  });
});

describe('netsim --lab', { timeout: 60_000 }, () => {
  // each case starts node processes; the ceiling only guards against a hang
  it('--list-labs prints the ids, one per line', () => {
    const out = execFileSync(NODE, [NETSIM, '--list-labs'], { encoding: 'utf8' });
    expect(out.trim().split('\n')).toEqual(labs.map((l) => l.lab.id));
  });

  it('--check grades the broken world (exit 1) and the fixed one (exit 0)', () => {
    const v = variantFor(first.lab, 3);
    const broken = spawnSync(NODE, [NETSIM, '--lab', 'names-dont-resolve', '--seed', '3', '--check'], { encoding: 'utf8', input: '' });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/^FAIL  /m);
    const solution = v.fault === 'default-bridge' ? `docker network create ${v.vars.net}\ndocker network connect ${v.vars.net} ${v.vars.api}\ndocker network connect ${v.vars.net} ${v.vars.app}\n` : `docker network connect ${v.vars.net} ${v.vars.app}\n`;
    const fixed = spawnSync(NODE, [NETSIM, '--lab', 'names-dont-resolve', '--seed', '3', '--check', '-'], { encoding: 'utf8', input: solution });
    expect(fixed.stdout).toContain('solved: 2 of 2 tasks, every guard holds');
    expect(fixed.status).toBe(0);
  });

  it('an unknown lab is a usage error', () => {
    const r = spawnSync(NODE, [NETSIM, '--lab', 'nope'], { encoding: 'utf8', input: '' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown lab 'nope'");
  });
});
