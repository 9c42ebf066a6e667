/**
 * The variant a seed selects (each variable's value and the planted fault) and the filling of
 * `{{name}}` placeholders. Small on purpose: the lab page imports it to show the story at once,
 * before the simulator has started.
 */
import { Rng, hashString } from '../sim/engine/rng.ts';

/** The part of a lab a variant depends on. */
export interface VariantSource {
  readonly id: string;
  readonly variables: Readonly<Record<string, readonly string[]>>;
  readonly faults: Readonly<Record<string, unknown>>;
}

export interface Variant {
  readonly seed: number;
  readonly vars: Readonly<Record<string, string>>;
  readonly fault: string;
}

/** The variant a seed selects: each variable's value and the fault, from the seed alone. */
export function variantFor(lab: VariantSource, seed: number): Variant {
  const rng = new Rng(hashString(`${lab.id}#${seed}`));
  const vars: Record<string, string> = {};
  for (const [k, choices] of Object.entries(lab.variables)) vars[k] = choices[rng.nextU32() % choices.length];
  const faults = Object.keys(lab.faults);
  const fault = faults.length ? faults[rng.nextU32() % faults.length] : '';
  return { seed, vars, fault };
}

/** Replace {{name}} by the variant's values, everywhere in a value. */
export function fill<T>(value: T, vars: Readonly<Record<string, string>>): T {
  if (typeof value === 'string') return value.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (m, k: string) => vars[k] ?? m) as T;
  if (Array.isArray(value)) return value.map((v) => fill(v, vars)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)])) as T;
  return value;
}

