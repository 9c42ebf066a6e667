/** Theme switch, search, progress (read marks, quiz answers, export, import, unreadable data), print. */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './lib.ts';

const bg = (page: import('@playwright/test').Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test.describe('theme', () => {
  test('follows the system, switches system → light → dark → system, and is remembered', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/');
    const btn = page.locator('[data-theme-toggle]');
    await expect(btn).toHaveText('Theme: system (dark)');
    expect(await bg(page)).toBe('rgb(17, 21, 28)');
    await btn.click();
    await expect(btn).toHaveText('Theme: light');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
    expect(await bg(page)).toBe('rgb(255, 255, 255)');
    await page.reload();
    await expect(btn).toHaveText('Theme: light');
    expect(await bg(page)).toBe('rgb(255, 255, 255)');
    await btn.click();
    await expect(btn).toHaveText('Theme: dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await bg(page)).toBe('rgb(17, 21, 28)');
    await btn.click();
    await expect(btn).toHaveText('Theme: system (light)');
    expect(await page.locator('html').getAttribute('data-theme')).toBeNull();
  });

  test('the terminal follows the theme', async ({ page }) => {
    await page.goto('/lessons/network-namespaces/');
    await page.locator('pp-terminal[data-ready]').waitFor();
    const termBg = () => page.evaluate(() => (document.querySelector('pp-terminal') as unknown as { terminal: { term: { options: { theme: { background: string } } } } }).terminal.term.options.theme.background);
    const before = await termBg();
    await page.locator('[data-theme-toggle]').click(); // light
    await page.locator('[data-theme-toggle]').click(); // dark
    await expect.poll(termBg).not.toBe(before);
    expect(await termBg()).toBe('#0d1016');
  });
});

test.describe('search', () => {
  test('finds lessons by their words, from the button or the / key, and opens a result', async ({ page, watch }) => {
    await page.goto('/glossary/');
    await page.keyboard.press('/');
    const dialog = page.locator('dialog[data-search]');
    await expect(dialog).toBeVisible();
    await expect(page.locator('[data-search-input]')).toBeFocused();
    await page.keyboard.type('MASQUERADE');
    const results = page.locator('[data-search-results] a');
    await expect(results.first()).toBeVisible();
    const hrefs = await results.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
    expect(hrefs).toContain('/lessons/leaving-the-host/');
    await expect(page.locator('[data-search-results] mark').first()).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await page.locator('[data-search-open]').click();
    await page.locator('[data-search-input]').fill('NO-CARRIER');
    // wait for this query's results (the previous query's may still be on show for a moment)
    await expect.poll(() => results.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname))).toContain('/lessons/veth-and-routes/');
    const first = await results.first().evaluate((a) => (a as HTMLAnchorElement).pathname);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`${first}$`));
    expect(watch.errors).toEqual([]);
  });
});

test.describe('progress', () => {
  test('a finished lesson and quiz answers are remembered and shown on the course map', async ({ page }) => {
    await page.goto('/lessons/bridges/');
    await page.locator('[data-read-toggle]').check();
    const quiz = page.locator('pp-quiz').first();
    const q0 = quiz.locator('.question').first();
    await q0.locator('input[type="radio"]').first().check();
    await q0.locator('[data-act="check"]').click();
    await expect(q0.locator('[data-result]')).toHaveText('Right.');
    await expect(q0.locator('.explain').nth(1)).toBeVisible();
    const q1 = quiz.locator('.question').nth(1);
    await q1.locator('input[type="radio"]').nth(0).check();
    await q1.locator('[data-act="check"]').click();
    await expect(q1.locator('[data-result]')).toContainText('Not quite');
    const short = quiz.locator('.question[data-kind="short"]');
    await short.locator('input').fill('  Bridge FDB show ');
    await short.locator('input').press('Enter');
    await expect(short.locator('[data-result]')).toHaveText('Right.');
    await page.reload();
    await expect(page.locator('[data-read-toggle]')).toBeChecked();
    await expect(q0.locator('[data-result]')).toHaveText('Right.');
    await expect(q1.locator('input[type="radio"]').nth(0)).toBeChecked();
    await expect(quiz.locator('[data-score]')).toContainText('3 of 5 answered, 2 right');
    await expect(page.locator('.course-nav a[href="/lessons/bridges/"] .read-mark')).toHaveText('✓');
    await page.goto('/');
    await expect(page.locator('[data-lesson-status="bridges"]')).toHaveText('Finished · quiz 2/3 right');
    await expect(page.locator('[data-progress-summary]')).toHaveText('1 lesson read, 3 quiz answers (2 right), 0 labs solved.');
  });

  test('exports to a file and imports it again', async ({ page }) => {
    await page.goto('/lessons/network-namespaces/');
    await page.locator('[data-read-toggle]').check();
    await page.goto('/');
    const download = page.waitForEvent('download');
    await page.locator('[data-progress-export]').click();
    const file = await (await download).path();
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    expect(exported).toMatchObject({ format: 'packet-path-progress', version: 2, progress: { lessons: { 'network-namespaces': { read: true } } } });
    // start over, then import the file
    page.once('dialog', (d) => d.accept());
    await page.locator('[data-progress-reset]').click();
    await expect(page.locator('[data-lesson-status="network-namespaces"]')).toHaveText('Not finished yet');
    await page.locator('[data-progress-import]').setInputFiles(file);
    await expect(page.locator('[data-progress-notice] p')).toHaveText('Imported your progress: 1 lesson read, 0 quiz answers (0 right), 0 labs solved.');
    await expect(page.locator('[data-lesson-status="network-namespaces"]')).toHaveText('Finished');
    // a file that is not a progress file is refused, and nothing changes
    const dir = mkdtempSync(join(tmpdir(), 'pp-'));
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ hello: 'world' }));
    await page.locator('[data-progress-import]').setInputFiles(join(dir, 'other.json'));
    await expect(page.locator('[data-progress-notice] p')).toHaveText('The file is not a Packet Path progress file.');
    await expect(page.locator('[data-lesson-status="network-namespaces"]')).toHaveText('Finished');
  });

  for (const [name, raw] of [
    ['corrupt', '{"state":{"data":'],
    ['foreign', '{"cart":[1,2,3]}'],
  ]) {
    test(`${name} saved data is set aside with a notice, never a crash`, async ({ page, watch }) => {
      await page.goto('/');
      await page.evaluate((r) => localStorage.setItem('packet-path:progress', r), raw);
      await page.reload();
      const notice = page.locator('[data-progress-notice]');
      await expect(notice).toBeVisible();
      await expect(notice.locator('p')).toContainText('could not be read');
      expect(await page.evaluate(() => localStorage.getItem('packet-path:progress:discarded'))).toBe(raw);
      await notice.locator('button').click();
      await expect(notice).toBeHidden();
      await page.goto('/lessons/network-namespaces/');
      await page.locator('[data-read-toggle]').check();
      expect(watch.errors).toEqual([]);
    });
  }
});

test('print keeps the lesson, its diagrams, tables and quiz explanations, and drops the controls', async ({ page }) => {
  await page.goto('/lessons/bridges/');
  await page.emulateMedia({ media: 'print' });
  const shown = (sel: string) => page.locator(sel).first().evaluate((e) => getComputedStyle(e).display !== 'none');
  expect(await shown('.site-header')).toBe(false);
  expect(await shown('.sidebar')).toBe(false);
  expect(await shown('.topo-controls')).toBe(false);
  expect(await shown('.run-bar')).toBe(false);
  expect(await shown('.term-mount')).toBe(false);
  expect(await shown('.lab-print-note')).toBe(true);
  expect(await shown('#trace-bridge-ping .topo-svg')).toBe(true);
  expect(await shown('#trace-bridge-ping .packet-table')).toBe(true);
  expect(await shown('.explain')).toBe(true);
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.length).toBeGreaterThan(50_000);
});
