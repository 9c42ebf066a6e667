/**
 * `labs:verify`: proves a lab fair, for many seeds. The healthy system passes every task and
 * guard; the broken one fails at least one task (a build lab's starting point passes none); the reference solution, typed line by line,
 * exits 0 everywhere and then passes everything; every declared wrong fix fails a guard.
 */
import { runLine } from '../shell/index.ts';
import { grade, solutionFor, startLab, type Grade } from './runner.ts';
import type { Lab } from './schema.ts';

export interface VerifyProblem {
  readonly seed: number;
  readonly message: string;
}

function failures(g: Grade): string {
  return [...g.tasks, ...g.guards]
    .filter((t) => !t.ok)
    .map((t) => `${t.title}: ${t.checks.filter((c) => !c.ok).map((c) => c.message).join('; ')}`)
    .join(' | ');
}

export async function verifyLab(lab: Lab, seeds: readonly number[], scenarioText?: string): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  for (const seed of seeds) {
    const p = (message: string) => problems.push({ seed, message });
    try {
      const healthy = await startLab(lab, seed, { scenarioText, healthy: true });
      const g0 = await grade(healthy);
      if (!g0.passed) p(`the healthy system does not pass: ${failures(g0)}`);

      const broken = await startLab(lab, seed, { scenarioText });
      const g1 = await grade(broken);
      if (lab.kind === 'build') {
        const done = g1.tasks.filter((t) => t.ok).map((t) => t.title);
        if (done.length) p(`the starting point already passes: ${done.join(', ')}`);
      } else if (g1.tasks.every((t) => t.ok)) p(`the broken system (fault ${broken.variant.fault}) passes every task`);

      const solved = await startLab(lab, seed, { scenarioText });
      for (const line of solutionFor(solved)) {
        const r = await runLine(solved.session, line);
        if (r.exitCode !== 0) p(`solution line \`${line}\` exited ${r.exitCode}: ${r.output.trim()}`);
      }
      const g2 = await grade(solved);
      if (!g2.passed) p(`after the reference solution (fault ${solved.variant.fault}): ${failures(g2)}`);

      for (const wf of solved.view.wrongFixes) {
        const w = await startLab(lab, seed, { scenarioText });
        for (const line of wf.commands) await runLine(w.session, line);
        const g3 = await grade(w);
        if (g3.guards.every((x) => x.ok)) p(`the wrong fix "${wf.name}" passes every guard${g3.passed ? ' and every task' : ''}`);
      }
    } catch (e) {
      p((e as Error).message);
    }
  }
  return problems;
}
