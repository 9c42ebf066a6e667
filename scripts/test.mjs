// Runs the whole unit-level suite and ends with one plain line: "N passed, N failed".
//   1. typecheck: `tsc --noEmit -p .` counts as one test (passes on exit 0)
//   2. vitest run (src/**/*.test.ts, test/**/*.test.ts), results read from test-results/vitest.json
// Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'node_modules', '.bin');
// node_modules/.bin first on PATH so `#!/usr/bin/env node` in the tools finds the project's Node 24,
// even when this script is started with another node.
const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };

function run(tool, args) {
  const r = spawnSync(join(bin, tool), args, { cwd: root, env, stdio: 'inherit' });
  if (r.error) console.error(`test: could not start ${tool}: ${r.error.message}`);
  return r.status ?? 1;
}

let passed = 0;
let failed = 0;

// 1. typecheck
console.log('> tsc --noEmit -p .');
const tscStatus = run('tsc', ['--noEmit', '-p', '.']);
if (tscStatus === 0) {
  passed += 1;
  console.log('typecheck: ok');
} else {
  failed += 1;
  console.log(`typecheck: FAILED (tsc exit ${tscStatus})`);
}

// 2. vitest
const resultsDir = join(root, 'test-results');
const jsonFile = join(resultsDir, 'vitest.json');
mkdirSync(resultsDir, { recursive: true });
rmSync(jsonFile, { force: true });
console.log('> vitest run');
const vitestStatus = run('vitest', [
  'run',
  '--passWithNoTests',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${join('test-results', 'vitest.json')}`,
]);
let report = null;
if (existsSync(jsonFile)) {
  try {
    report = JSON.parse(readFileSync(jsonFile, 'utf8'));
  } catch (e) {
    console.error(`test: cannot read ${jsonFile}: ${e.message}`);
  }
}
if (report) {
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  // A failed run with no failed test (a test file that does not load, an unhandled error) still fails.
  if (vitestStatus !== 0 && !(report.numFailedTests > 0)) {
    failed += 1;
    console.log(`vitest: exit ${vitestStatus} without a failed test (suite error?), counted as 1 failure`);
  }
} else {
  failed += 1;
  console.log(`vitest: no JSON results (exit ${vitestStatus}), counted as 1 failure`);
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
