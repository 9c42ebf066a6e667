/**
 * Start a lab: build the world a spec names, open a shell session on it and run the setup
 * commands. The simulator's worker, the pages built by Astro (pre-recorded traces) and the
 * lesson tests all start labs this way, so a lesson's terminal is exactly what the tests check.
 */
import { createWorld } from '../../sim/worlds/index.ts';
import { buildScenario } from '../../sim/scenario/load.ts';
import type { World } from '../../sim/net/world.ts';
import { Session, runLine, type LineResult, type SessionOptions } from '../../shell/index.ts';
import { runScenarioSetup } from '../../shell/setup.ts';
import { setupLines, type LabSpec } from './spec.ts';

export interface Lab {
  readonly world: World;
  readonly session: Session;
  /** what each setup command printed */
  readonly setup: readonly LineResult[];
}

export class LabError extends Error {}

export async function startLab(spec: LabSpec, options: SessionOptions = { interactive: true }): Promise<Lab> {
  const seed = spec.seed ?? 1;
  let world: World;
  if (spec.scenario) {
    world = buildScenario(spec.scenario, seed);
    const err = await runScenarioSetup(world, spec.scenario);
    if (err) throw new LabError(`scenario ${spec.scenarioName ?? ''} setup failed: ${err}`);
  } else {
    const w = createWorld(spec.world ?? 'linux', seed);
    if (!w) throw new LabError(`unknown world "${spec.world}"`);
    world = w;
  }
  const session = new Session(world, options);
  const setup: LineResult[] = [];
  for (const line of setupLines(spec)) {
    const r = await runLine(session, line);
    setup.push(r);
    if (r.exitCode !== 0) throw new LabError(`setup command \`${line}\` exited ${r.exitCode}: ${r.output.trim()}`);
  }
  return { world, session, setup };
}
