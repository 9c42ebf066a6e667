/**
 * Running a lab: pick the variant a seed gives (variable values and which fault is planted),
 * build the healthy world, break it, hand the learner a session on it, grade it, offer hints.
 * The same seed always gives the same variant and the same world.
 */
import type { World } from '../sim/net/world.ts';
import { fill, variantFor, type Variant } from './variant.ts';
import { createWorld } from '../sim/worlds/index.ts';
import { loadScenarioText } from '../sim/scenario/load.ts';
import { Session, runLine, type LineResult, type SessionOptions } from '../shell/index.ts';
import { runScenarioSetup } from '../shell/setup.ts';
import { evaluate, type CheckResult, type Target } from './checks.ts';
import type { Check, Hint, Lab } from './schema.ts';

export { fill, variantFor, type Variant } from './variant.ts';

export interface LabInstance {
  readonly lab: Lab;
  readonly variant: Variant;
  readonly world: World;
  /** the learner's terminal session */
  readonly session: Session;
  readonly target: Target;
  /** the lab with the variant's values filled in */
  readonly view: Lab;
}

export interface StartOptions {
  /** the scenario file's text, for labs whose world is a scenario */
  readonly scenarioText?: string;
  /** the healthy system: stop before the fault is planted (a build lab: setup, then the solution) */
  readonly healthy?: boolean;
  readonly interactive?: boolean;
  /** options for the learner's session (pacing, Ctrl+C) */
  readonly session?: SessionOptions;
}

export class LabError extends Error {}

async function runAll(session: Session, lines: readonly string[], what: string): Promise<LineResult[]> {
  const out: LineResult[] = [];
  for (const l of lines) {
    const r = await runLine(session, l);
    out.push(r);
    if (r.exitCode !== 0) throw new LabError(`${what}: \`${l}\` exited ${r.exitCode}: ${r.output.trim()}`);
  }
  return out;
}

/** Build the lab's world for a seed: healthy, then broken (unless `healthy`). */
export async function startLab(lab: Lab, seed: number, o: StartOptions = {}): Promise<LabInstance> {
  const variant = variantFor(lab, seed);
  const view = fill(lab, variant.vars);
  let world: World;
  let start: string | undefined = view.world.start;
  if (view.world.scenario) {
    if (o.scenarioText === undefined) throw new LabError(`${lab.id}: the scenario ${view.world.scenario} was not given`);
    const r = loadScenarioText(fill(o.scenarioText, variant.vars), seed);
    if (!r.ok) throw new LabError(`${lab.id}: ${r.errors.join('; ')}`);
    const err = await runScenarioSetup(r.world, r.scenario);
    if (err) throw new LabError(`${lab.id}: ${err}`);
    world = r.world;
    start ??= r.scenario.hosts[0].name;
  } else {
    const w = createWorld(view.world.name!, seed);
    if (!w) throw new LabError(`${lab.id}: unknown world ${view.world.name}`);
    world = w;
  }
  const home = start ? world.host(start)! : world.firstHost();
  const builder = new Session(world, { startHost: home.name });
  await runAll(builder, view.setup, `${lab.id} setup`);
  if (view.kind === 'build') {
    if (o.healthy) await runAll(builder, solutionList(view, variant), `${lab.id} solution`);
  } else if (!o.healthy) await runAll(builder, view.faults[variant.fault], `${lab.id} fault ${variant.fault}`);
  const session = new Session(world, { interactive: o.interactive, ...o.session, startHost: home.name });
  return { lab, variant, world, session, target: { world, home }, view };
}

export interface TaskResult {
  readonly id: string;
  readonly title: string;
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
}

export interface Grade {
  readonly tasks: readonly TaskResult[];
  readonly guards: readonly TaskResult[];
  /** every task and every guard holds */
  readonly passed: boolean;
}

/** Grade the world as it is now. */
export async function grade(inst: LabInstance): Promise<Grade> {
  const tasks: TaskResult[] = [];
  for (const t of inst.view.tasks) {
    const checks: CheckResult[] = [];
    for (const c of t.checks) checks.push(await evaluate(inst.target, c));
    tasks.push({ id: t.id, title: t.title, ok: checks.every((c) => c.ok), checks });
  }
  const guards: TaskResult[] = [];
  for (const g of inst.view.guards) {
    const r = await evaluate(inst.target, g.check);
    guards.push({ id: g.id, title: g.title, ok: r.ok, checks: [r] });
  }
  return { tasks, guards, passed: tasks.every((t) => t.ok) && guards.every((g) => g.ok) };
}

/** Grade results as text, as `netsim --lab ID --check` prints them. */
export function gradeText(g: Grade): string {
  const lines: string[] = [];
  for (const t of g.tasks) {
    lines.push(`${t.ok ? 'PASS' : 'FAIL'}  ${t.title}`);
    for (const c of t.checks) if (!c.ok) lines.push(`      ${c.message}`);
  }
  for (const t of g.guards) {
    lines.push(`${t.ok ? 'PASS' : 'FAIL'}  guard: ${t.title}`);
    for (const c of t.checks) if (!c.ok) lines.push(`      ${c.message}`);
  }
  const done = g.tasks.filter((t) => t.ok).length;
  lines.push(g.passed ? `solved: ${done} of ${g.tasks.length} tasks, every guard holds` : `not yet: ${done} of ${g.tasks.length} tasks${g.guards.some((x) => !x.ok) ? ', a guard fails' : ''}`);
  return `${lines.join('\n')}\n`;
}

/** The reference solution for this variant. */
export function solutionFor(inst: LabInstance): string[] {
  return solutionList(inst.view, inst.variant);
}

function solutionList(view: Lab, variant: Variant): string[] {
  const s = view.solution;
  return Array.isArray(s) ? s : s[variant.fault];
}

/**
 * The hints to offer now, in ladder order: those whose `when` holds on the world (they speak to
 * what the learner did), then the general ones. Hints for other faults are left out.
 */
export async function hintsNow(inst: LabInstance): Promise<Hint[]> {
  const keyed: Hint[] = [];
  const general: Hint[] = [];
  for (const h of inst.view.hints) {
    if (h.fault && h.fault !== inst.variant.fault) continue;
    if (!h.when) {
      general.push(h);
      continue;
    }
    if ((await evaluate(inst.target, h.when as Check)).ok) keyed.push(h);
  }
  return [...keyed, ...general];
}
