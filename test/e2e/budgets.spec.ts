/**
 * Budgets over the build output (no browser needed): JavaScript per page, the simulator worker,
 * and monaco nowhere it is not used. The numbers are printed, and docs/benchmarks.md quotes them.
 */
import { join } from 'node:path';
import { BUDGETS, pageJs, searchKB } from './budget-lib.ts';
import { DIST, expect, sitePages, test } from './lib.ts';

const htmlOf = (p: string) => join(DIST, p.endsWith('/') ? `${p}index.html` : p);
const all = sitePages().map((p) => pageJs(DIST, p, htmlOf(p)));

test('every page without lab widgets ships under 30 KB of JavaScript (gzip)', () => {
  const plain = all.filter((p) => !p.widgets.terminal && !p.widgets.topology);
  expect(plain.length).toBeGreaterThan(2);
  for (const p of plain) {
    console.log(`budget: ${p.page} main ${p.mainKB} KB`);
    expect(p.mainKB, p.page).toBeLessThan(BUDGETS.plainKB);
    expect(p.workerKB, p.page).toBe(0);
  }
});

test('a lesson page with terminal, topology and table ships under 200 KB on its main thread; the simulator worker under its own budget', () => {
  const labs = all.filter((p) => p.page.startsWith('/lessons/') && p.widgets.terminal && p.widgets.topology && p.widgets.table);
  expect(labs.length).toBeGreaterThanOrEqual(4);
  for (const p of labs) {
    console.log(`budget: ${p.page} main ${p.mainKB} KB + simulator worker ${p.workerKB} KB = ${Math.round((p.mainKB + p.workerKB) * 10) / 10} KB; search on demand ${searchKB(DIST)} KB`);
    expect(p.mainKB, p.page).toBeLessThan(BUDGETS.labKB);
    expect(p.workerKB, p.page).toBeGreaterThan(20);
    expect(p.workerKB, p.page).toBeLessThan(BUDGETS.workerKB);
  }
});

test('a graded lab page ships under the same budgets; its grader loads in the worker', () => {
  const labs = all.filter((p) => /^\/labs\/[a-z0-9-]+\/$/.test(p.page));
  expect(labs.length).toBeGreaterThanOrEqual(12);
  for (const p of labs) {
    // the editor (monaco) is fetched only when the learner opens a file: counted apart
    const editorKB = Math.round(([...p.main].filter(([f]) => p.monaco.includes(f)).reduce((a, [, n]) => a + n, 0) / 1024) * 10) / 10;
    const mainKB = Math.round((p.mainKB - editorKB) * 10) / 10;
    console.log(`budget: ${p.page} main ${mainKB} KB + simulator worker with the grader ${p.workerKB} KB${editorKB ? `; editor on demand ${editorKB} KB` : ''}`);
    expect(mainKB, p.page).toBeLessThan(BUDGETS.labKB);
    expect(p.workerKB, p.page).toBeLessThan(BUDGETS.workerKB);
  }
});

test('monaco-editor is never loaded on a page that does not use it', () => {
  const editorPages = all.filter((p) => p.monaco.length > 0).map((p) => p.page);
  // only the labs that edit files carry the code that loads the editor (on demand)
  expect(editorPages).toEqual(['/labs/compose-projects-apart/']);
  for (const p of all) {
    expect(p.css.filter((c) => /monaco|editor/.test(c)), p.page).toEqual([]);
  }
});

test('the budget reader follows imports and finds the worker', () => {
  const lesson = all.find((p) => p.page === '/lessons/bridges/')!;
  expect([...lesson.main.keys()].some((f) => /terminal-element/.test(f))).toBe(true);
  expect([...lesson.worker.keys()].some((f) => /worker/.test(f))).toBe(true);
  expect([...lesson.main.keys()].some((f) => /worker-/.test(f))).toBe(false);
});
