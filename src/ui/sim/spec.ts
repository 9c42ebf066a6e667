/**
 * What a lesson's terminal starts from: a named world or a scenario, a seed, and setup commands.
 * Plain JSON, so an Astro component can write it into the page and the worker can read it.
 */
import type { Scenario } from '../../sim/scenario/schema.ts';
import type { Lab } from '../../labs/schema.ts';
import type { HistoryEntry } from '../../labs/attempt.ts';

/** A graded lab: the lab's definition, the variant's seed and what the learner did so far. */
export interface GradedSpec {
  readonly lab: Lab;
  /** the scenario file's text, for labs whose world is a scenario */
  readonly scenarioText?: string;
  readonly seed: number;
  readonly history: readonly HistoryEntry[];
}

export interface LabSpec {
  /** a named world (`bare`, `linux`, ...); ignored when `scenario` is set */
  readonly world?: string;
  /** a scenario, already validated at build time */
  readonly scenario?: Scenario;
  /** the scenario's name, for messages */
  readonly scenarioName?: string;
  /** seed for MACs, ports and ids (default 1, as netsim) */
  readonly seed?: number;
  /** command lines run before the learner's first prompt, one per line */
  readonly setup?: string;
  /** a graded lab (the world, seed and setup come from the lab instead) */
  readonly graded?: GradedSpec;
}

/** The setup commands of a spec, one command line each (blank lines and comments skipped). */
export function setupLines(spec: LabSpec): string[] {
  return (spec.setup ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}
