/**
 * Build-time helpers for lesson labs (run by Astro in Node while it renders pages): resolve a
 * component's props into a lab spec (reading and validating a scenario file), and run the
 * simulator to draw a lab's starting topology or record a command's trace, so the built page
 * shows the drawing and the packet table even before (or without) any JavaScript.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenarioText } from '../../sim/scenario/load.ts';
import { WORLD_NAMES } from '../../sim/worlds/index.ts';
import { runLine } from '../../shell/index.ts';
import type { TraceEvent } from '../../sim/trace/events.ts';
import { extractTopology } from '../topology/extract.ts';
import type { Topology } from '../topology/model.ts';
import { startLab } from '../sim/lab.ts';
import type { LabSpec } from '../sim/spec.ts';

export interface LabProps {
  /** a named world (default `linux`) */
  readonly world?: string;
  /** a scenario in content/scenarios/NAME.yaml */
  readonly scenario?: string;
  /** setup commands, one per line */
  readonly setup?: string;
  readonly seed?: number;
}

export const SCENARIO_DIR = join(process.cwd(), process.env.PP_CONTENT_DIR ?? 'content', 'scenarios');

/** Turn component props into a spec; throws (failing the build) on an unknown world or a bad scenario. */
export function resolveSpec(p: LabProps, where: string): LabSpec {
  if (p.world && p.scenario) throw new Error(`${where}: give a world or a scenario, not both`);
  if (p.scenario) {
    const file = join(SCENARIO_DIR, `${p.scenario}.yaml`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new Error(`${where}: scenario "${p.scenario}" not found (expected ${file})`);
    }
    const r = loadScenarioText(text, p.seed ?? 1);
    if (!r.ok) throw new Error(`${where}: scenario ${file} is invalid:\n  ${r.errors.join('\n  ')}`);
    return { scenario: r.scenario, scenarioName: p.scenario, seed: p.seed, setup: p.setup };
  }
  const world = p.world ?? 'linux';
  if (!WORLD_NAMES.includes(world)) throw new Error(`${where}: unknown world "${world}" (worlds: ${WORLD_NAMES.join(', ')})`);
  return { world, seed: p.seed, setup: p.setup };
}

/** A short description of where a lab starts, e.g. "world bare" or "scenario two-hosts". */
export function specLabel(spec: LabSpec): string {
  return spec.scenario ? `scenario ${spec.scenarioName ?? ''}`.trim() : `world ${spec.world ?? 'linux'}`;
}

/** The topology right after setup. */
export async function initialTopology(spec: LabSpec, where: string): Promise<Topology> {
  try {
    const lab = await startLab(spec);
    return extractTopology(lab.world);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}

export interface Recording {
  readonly topology: Topology;
  readonly command: string;
  readonly output: string;
  readonly events: readonly TraceEvent[];
}

/**
 * Run setup, then the commands (all but the last unrecorded), and record the last one's trace.
 * Every command must succeed, except the last when `lastFails` says it is meant to fail.
 */
export async function recordTrace(spec: LabSpec, commands: readonly string[], where: string, lastFails = false): Promise<Recording> {
  try {
    const lab = await startLab(spec);
    let last = null;
    for (const [i, c] of commands.entries()) {
      last = await runLine(lab.session, c);
      const isLast = i === commands.length - 1;
      if (last.exitCode !== 0 && !(isLast && lastFails)) throw new Error(`\`${c}\` exited ${last.exitCode}: ${last.output.trim()}`);
      if (isLast && lastFails && last.exitCode === 0) throw new Error(`\`${c}\` is marked fails but succeeded`);
    }
    if (!last) throw new Error('no command to record');
    if (!last.events.length) throw new Error(`\`${last.command}\` sent no packets: nothing to show`);
    return { topology: extractTopology(lab.world), command: last.command, output: last.output, events: last.events };
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}
