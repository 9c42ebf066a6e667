// Replays a lesson's labs as the learner would (npm run lesson-check -- content/part-1/x.mdx):
// prints each <Run>'s commands and what the simulator prints, and whether it matches the
// lesson's <Output>. The same replay runs in test/ui/lessons.test.ts.
//
// --fill rewrites each differing <Output> with what the simulator printed (review the diff:
// the prose around it must still be true).
import { readFileSync, writeFileSync } from 'node:fs';
import { replayLesson } from '../test/ui/replay.ts';

const fill = process.argv.includes('--fill');
let bad = 0;
for (const file of process.argv.slice(2).filter((a) => !a.startsWith('--'))) {
  let text = readFileSync(file, 'utf8');
  const r = await replayLesson(text, file);
  for (const e of r.errors) {
    bad++;
    console.log(`!! ${e}`);
  }
  const lines = text.split('\n');
  const fills: { line: number; printed: string }[] = [];
  for (const s of r.steps) {
    console.log(`\n--- ${file}:${s.line} [${s.lab}]${s.expected === undefined ? '' : s.matches ? ' output matches' : ' OUTPUT DIFFERS'}`);
    for (const c of s.results) console.log(`${c.prompt}${c.command}\n${c.output}${c.output.endsWith('\n') || !c.output ? '' : '\n'}(exit ${c.exitCode})`);
    if (s.expected !== undefined && !s.matches) {
      bad++;
      console.log(`expected:\n${s.expected}`);
      fills.push({ line: s.line, printed: s.results.map((c) => c.output).join('') });
    }
  }
  // last first, so earlier positions stay valid
  for (const f of fills.reverse()) {
    if (!fill) break;
    const from = lines.slice(0, f.line - 1).join('\n').length;
    const at = text.indexOf('<Output text={`', from);
    const end = text.indexOf('`} />', at);
    if (at < 0 || end < at) continue;
    const body = f.printed.replace(/\s+$/, '').replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
    text = `${text.slice(0, at)}<Output text={\`${body}${text.slice(end)}`;
  }
  if (fill) writeFileSync(file, text);
}
process.exit(bad ? 1 : 0);
