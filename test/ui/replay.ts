/**
 * Replay a lesson against the simulator the way the browser runs it: one interactive session
 * per lab, started from the lab's world and setup, then every <Run> of the lesson in order.
 */
import { runLine, type LineResult } from '../../src/shell/index.ts';
import { lessonLabs, outputMatches, type Props } from '../../src/ui/content/mdx-labs.ts';
import { resolveSpec } from '../../src/ui/build/labs.ts';
import { startLab, type Lab } from '../../src/ui/sim/lab.ts';

export interface ReplayStep {
  readonly line: number;
  readonly lab: string;
  readonly results: readonly LineResult[];
  readonly expected?: string;
  /** where the expected output sits in the source */
  readonly span?: readonly [number, number];
  readonly matches: boolean;
}

export interface Replay {
  readonly steps: readonly ReplayStep[];
  readonly errors: readonly string[];
}

function labProps(p: Props) {
  return {
    world: typeof p.world === 'string' ? p.world : undefined,
    scenario: typeof p.scenario === 'string' ? p.scenario : undefined,
    setup: typeof p.setup === 'string' ? p.setup : undefined,
    seed: typeof p.seed === 'number' ? p.seed : undefined,
  };
}

export async function replayLesson(text: string, file: string): Promise<Replay> {
  const parsed = lessonLabs(text);
  const errors = [...parsed.errors.map((e) => `${file}: ${e}`)];
  const labs = new Map<string, Lab>();
  for (const l of parsed.labs) {
    try {
      labs.set(l.id, await startLab(resolveSpec(labProps(l.props), `${file}:${l.line}`)));
    } catch (e) {
      errors.push(`${file}:${l.line}: lab ${l.id} does not start: ${(e as Error).message}`);
    }
  }
  const first = parsed.labs[0]?.id;
  const steps: ReplayStep[] = [];
  for (const r of parsed.runs) {
    const id = r.lab ?? first;
    const lab = id ? labs.get(id) : undefined;
    if (!lab) {
      errors.push(`${file}:${r.line}: <Run> has no terminal to run in${r.lab ? ` (lab "${r.lab}")` : ''}`);
      continue;
    }
    const results: LineResult[] = [];
    for (const c of r.commands) {
      const res = await runLine(lab.session, c);
      results.push(res);
      if (res.exitCode !== 0 && !r.fails) errors.push(`${file}:${r.line}: \`${c}\` exited ${res.exitCode}: ${res.output.trim().split('\n')[0]}`);
    }
    if (r.fails && results.every((x) => x.exitCode === 0)) errors.push(`${file}:${r.line}: marked fails, but every command succeeded`);
    const printed = results.map((x) => x.output).join('');
    const matches = r.output === undefined ? true : outputMatches(printed, r.output);
    if (!matches) errors.push(`${file}:${r.line}: output of \`${r.commands.join('; ')}\` differs from the lesson`);
    steps.push({ line: r.line, lab: id!, results, expected: r.output, span: r.outputSpan, matches });
  }
  return { steps, errors };
}
