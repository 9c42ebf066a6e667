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
  const labs = all.filter((p) => p.widgets.terminal && p.widgets.topology && p.widgets.table);
  expect(labs.length).toBe(4);
  for (const p of labs) {
    console.log(`budget: ${p.page} main ${p.mainKB} KB + simulator worker ${p.workerKB} KB = ${Math.round((p.mainKB + p.workerKB) * 10) / 10} KB; search on demand ${searchKB(DIST)} KB`);
    expect(p.mainKB, p.page).toBeLessThan(BUDGETS.labKB);
    expect(p.workerKB, p.page).toBeGreaterThan(20);
    expect(p.workerKB, p.page).toBeLessThan(BUDGETS.workerKB);
  }
});

test('monaco-editor is never loaded on a page that does not use it', () => {
  for (const p of all) {
    const usesEditor = false; // no page embeds the editor yet; a page that does will say so here
    if (!usesEditor) {
      expect(p.monaco, p.page).toEqual([]);
      expect(p.css.filter((c) => /monaco|editor/.test(c)), p.page).toEqual([]);
    }
  }
});

test('the budget reader follows imports and finds the worker', () => {
  const lesson = all.find((p) => p.page === '/lessons/bridges/')!;
  expect([...lesson.main.keys()].some((f) => /terminal-element/.test(f))).toBe(true);
  expect([...lesson.worker.keys()].some((f) => /worker/.test(f))).toBe(true);
  expect([...lesson.main.keys()].some((f) => /worker-/.test(f))).toBe(false);
});
