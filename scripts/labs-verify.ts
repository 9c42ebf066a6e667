// npm run labs:verify [-- LAB_ID...] [--seeds N]: proves every lab solvable and fair for many seeds
// (src/labs/verify.ts). Prints one line per lab and exits 1 when any lab has a problem.
import { loadLabs } from '../src/cli/labs.ts';
import { verifyLab } from '../src/labs/verify.ts';

const args = process.argv.slice(2);
const seedsAt = args.indexOf('--seeds');
const count = seedsAt >= 0 ? Number(args[seedsAt + 1]) : 20;
const only = args.filter((a, i) => !a.startsWith('--') && (seedsAt < 0 || i !== seedsAt + 1));
const seeds = Array.from({ length: count }, (_, i) => i + 1);
let bad = 0;
for (const l of loadLabs()) {
  if (only.length && !only.includes(l.lab.id)) continue;
  const t0 = performance.now();
  const problems = await verifyLab(l.lab, seeds, l.scenarioText);
  const ms = (performance.now() - t0).toFixed(0);
  if (!problems.length) console.log(`ok    ${l.lab.id} (${seeds.length} seeds, ${ms} ms)`);
  else {
    bad++;
    console.log(`FAIL  ${l.lab.id}`);
    for (const p of problems.slice(0, 12)) console.log(`      seed ${p.seed}: ${p.message}`);
    if (problems.length > 12) console.log(`      ... and ${problems.length - 12} more`);
  }
}
process.exitCode = bad ? 1 : 0;
