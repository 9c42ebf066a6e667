/**
 * Thin helpers over ./format for the docker commands that print their own lists (compose,
 * swarm, images): a table from rows, and one `--format` template run against a value.
 */
import { parseDockerTemplate, tabwrite as goTabwrite, TemplateError } from './format/index.ts';

export type TemplateResult = { ok: true; text: string } | { ok: false; error: string };

/** Run a --format template against a plain value (a JSON-like document). */
export function execTemplate(template: string, value: unknown): TemplateResult {
  try {
    return { ok: true, text: parseDockerTemplate(template).execute(value) };
  } catch (e) {
    if (e instanceof TemplateError) return { ok: false, error: `template parsing error: ${e.message}` };
    throw e;
  }
}

/**
 * Rows of cells through Go's tabwriter as the docker CLI sets it up (minwidth 10, padding 3), or
 * with other settings (compose's own formatter uses minwidth 20).
 */
export function tabwrite(rows: readonly (readonly string[])[], o: { minWidth?: number; padding?: number } = {}): string {
  return goTabwrite(rows.map((r) => `${r.join('\t')}\n`).join(''), o.minWidth ?? 10, 1, o.padding ?? 3);
}
