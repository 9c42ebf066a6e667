/**
 * In the browser, every Run button of every lesson types its commands into the terminal and
 * gets exactly the output the lesson prints after it: the lessons are true in the real UI,
 * at the learner's pace.
 */
import { outputMatches } from '../../src/ui/content/mdx-labs.ts';
import { expect, LESSONS, terminalReady, test } from './lib.ts';

for (const path of LESSONS) {
  test(`${path}: every Run prints what the lesson says`, async ({ page, watch }) => {
    test.setTimeout(180_000);
    await page.goto(path);
    await terminalReady(page);
    const runs = page.locator('pp-run');
    const n = await runs.count();
    expect(n).toBeGreaterThan(3);
    let checked = 0;
    for (let i = 0; i < n; i++) {
      const run = runs.nth(i);
      const btn = run.locator('button[data-act="run"]');
      await btn.click();
      // the button may still read "Run" just after the click: wait until the run has started or printed
      const out = run.locator('[data-output]');
      await expect.poll(async () => (await btn.textContent())?.trim() !== 'Run' || ((await out.textContent()) ?? '') !== '', { timeout: 60_000 }).toBe(true);
      await expect(btn).toHaveText('Run', { timeout: 60_000 });
      const printed = (await run.locator('[data-output]').textContent()) ?? '';
      const expected = await run.evaluate((el) => {
        let next = el.nextElementSibling;
        while (next && (next.tagName === 'SCRIPT' || next.tagName === 'STYLE')) next = next.nextElementSibling;
        return next?.tagName === 'PRE' && next.querySelector('code.language-output') ? (next.textContent ?? null) : null;
      });
      if (expected === null) continue;
      checked++;
      expect(outputMatches(printed === '(no output)' ? '' : printed, expected), `${await run.getAttribute('data-cmd')}\n--- printed ---\n${printed}\n--- lesson ---\n${expected}`).toBe(true);
    }
    expect(checked).toBeGreaterThan(3);
    expect(watch.errors).toEqual([]);
  });
}
