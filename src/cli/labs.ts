/**
 * Loading labs from the repository's labs/ folder (Node only: the site bundles them at build
 * time). Each lab is labs/<id>/lab.yaml, with its scenario file beside it when it names one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { validateLab, type Lab } from '../labs/schema.ts';

export const LABS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'labs');

export interface LoadedLab {
  readonly lab: Lab;
  readonly dir: string;
  readonly scenarioText?: string;
}

/** Every lab, in course order; a lab that does not validate throws with file, field and reason. */
export function loadLabs(dir = LABS_DIR): LoadedLab[] {
  const out: LoadedLab[] = [];
  const errors: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'lab.yaml');
    if (!existsSync(file)) continue;
    const rel = `labs/${name}/lab.yaml`;
    let data: unknown;
    try {
      data = parseYaml(readFileSync(file, 'utf8'));
    } catch (e) {
      errors.push(`${rel}: YAML: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    const v = validateLab(data, rel);
    if (!v.ok) {
      errors.push(...v.errors);
      continue;
    }
    if (v.lab.id !== name) errors.push(`${rel}: id: the id "${v.lab.id}" must be the folder's name "${name}"`);
    let scenarioText: string | undefined;
    if (v.lab.world.scenario) {
      const sf = join(dir, name, v.lab.world.scenario);
      if (!existsSync(sf)) errors.push(`${rel}: world.scenario: no file ${v.lab.world.scenario} beside the lab`);
      else scenarioText = readFileSync(sf, 'utf8');
    }
    out.push({ lab: v.lab, dir: join(dir, name), scenarioText });
  }
  if (errors.length) throw new Error(errors.join('\n'));
  return out.sort((a, b) => a.lab.order - b.lab.order);
}
