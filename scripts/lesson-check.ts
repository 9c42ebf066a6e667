// Replays a lesson's labs as the learner would (npm run lesson-check -- content/part-1/x.mdx):
// prints each <Run>'s commands and what the simulator prints, and whether it matches the
// lesson's output block. The same replay runs in test/ui/lessons.test.ts.
//
// --fill rewrites each differing output block with what the simulator printed (review the diff:
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
  const fills: { span: readonly [number, number]; printed: string }[] = [];
  for (const s of r.steps) {
    console.log(`\n--- ${file}:${s.line} [${s.lab}]${s.expected === undefined ? '' : s.matches ? ' output matches' : ' OUTPUT DIFFERS'}`);
    for (const c of s.results) console.log(`${c.prompt}${c.command}\n${c.output}${c.output.endsWith('\n') || !c.output ? '' : '\n'}(exit ${c.exitCode})`);
    if (s.expected !== undefined && !s.matches) {
      bad++;
      console.log(`expected:\n${s.expected}`);
      if (s.span) fills.push({ span: s.span, printed: s.results.map((c) => c.output).join('') });
    }
  }
  // last first, so earlier positions stay valid
  // an empty block's closing fence follows its opening line at once: keep it on a line of its own
  if (fill) for (const f of fills.reverse()) text = `${text.slice(0, f.span[0])}${f.printed.replace(/\s+$/, '')}${f.span[0] === f.span[1] ? '\n' : ''}${text.slice(f.span[1])}`;
  if (fill) writeFileSync(file, text);
}
process.exit(bad ? 1 : 0);
