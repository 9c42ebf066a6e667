// Runs the whole suite and ends with one plain line: "N passed, N failed".
//   1. typecheck: `astro sync`, then `tsc --noEmit -p .`, counts as one test (passes on exit 0)
//   2. vitest run (src/**/*.test.ts, test/**/*.test.ts), results read from test-results/vitest.json
//   3. the site: `astro build` and Pagefind (one test: the build succeeds)
//   4. browser tests and budgets (test/e2e, Playwright with Debian's Chromium against the built
//      site); results read from test-results/e2e.json. Without /usr/bin/chromium (or
//      CHROMIUM_PATH) the browser tests count as one failure with a message saying so; the
//      budget checks, which need no browser, still run.
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

function run(tool, args, extraEnv = {}) {
  const r = spawnSync(join(bin, tool), args, { cwd: root, env: { ...env, ...extraEnv }, stdio: 'inherit' });
  if (r.error) console.error(`test: could not start ${tool}: ${r.error.message}`);
  return r.status ?? 1;
}

function readJson(file) {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`test: cannot read ${file}: ${e.message}`);
    return null;
  }
}

let passed = 0;
let failed = 0;
const started = Date.now();
const resultsDir = join(root, 'test-results');
mkdirSync(resultsDir, { recursive: true });

// 1. typecheck (after `astro sync`, which writes the types of the content collections that
//    `astro:content` imports resolve to; a fresh clone has none)
console.log('> astro sync');
if (run('astro', ['sync']) !== 0) console.log('astro sync failed; the type check will say why');
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
const jsonFile = join(resultsDir, 'vitest.json');
rmSync(jsonFile, { force: true });
console.log('> vitest run');
const vitestStatus = run('vitest', [
  'run',
  '--passWithNoTests',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${join('test-results', 'vitest.json')}`,
]);
const report = readJson(jsonFile);
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

// 3. the site
console.log('> astro build && pagefind --site dist');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const buildStatus = run('astro', ['build']) || run('pagefind', ['--site', 'dist']);
if (buildStatus === 0) {
  passed += 1;
  console.log('site build: ok');
} else {
  failed += 1;
  console.log(`site build: FAILED (exit ${buildStatus}); the browser tests need it and are skipped`);
}

// 4. browser tests and budgets
if (buildStatus === 0) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const haveBrowser = existsSync(chromium);
  const e2eJson = join(resultsDir, 'e2e.json');
  rmSync(e2eJson, { force: true });
  const args = ['test', '-c', join('test', 'e2e', 'playwright.config.ts')];
  if (!haveBrowser) {
    failed += 1;
    console.log(`e2e: FAILED: no Chromium at ${chromium}. Install Debian's chromium (apt-get install -y chromium; .ci/run does it) or set CHROMIUM_PATH. Only the budget checks run.`);
    args.push('budgets.spec.ts');
  }
  console.log(`> playwright ${args.join(' ')}`);
  const e2eStatus = run('playwright', args);
  const e2e = readJson(e2eJson);
  if (e2e?.stats) {
    passed += e2e.stats.expected ?? 0;
    failed += (e2e.stats.unexpected ?? 0) + (e2e.stats.flaky ?? 0);
    if (e2eStatus !== 0 && !(e2e.stats.unexpected > 0)) {
      failed += 1;
      console.log(`e2e: exit ${e2eStatus} without a failed test (a suite error?), counted as 1 failure`);
    }
  } else {
    failed += 1;
    console.log(`e2e: no JSON results (exit ${e2eStatus}), counted as 1 failure`);
  }
}

console.log(`test: finished in ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
