/** A keyboard-only learner reaches and uses every control: links, Run buttons, the terminal (and out of it), the player, the quiz, theme and search. */
import type { Page } from '@playwright/test';
import { expect, LESSONS, screen, terminalReady, test, waitPrompt } from './lib.ts';

/** A description of the focused element, and whether its focus is visible. */
async function focused(page: Page): Promise<{ key: string; inTerminal: boolean; visible: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { key: 'body', inTerminal: false, visible: true };
    // a focused radio stands for its whole group
    const first = el instanceof HTMLInputElement && el.type === 'radio' ? (document.querySelector(`input[type="radio"][name="${CSS.escape(el.name)}"]`) as HTMLElement) : el;
    const inTerminal = !!el.closest('.xterm');
    const st = getComputedStyle(el);
    const visible = inTerminal || (st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2);
    if (!first.dataset.kbKey) first.dataset.kbKey = String(Math.random()).slice(2);
    return { key: first.dataset.kbKey, inTerminal, visible };
  });
}

/** Every visible control that should take the focus. */
async function controls(page: Page): Promise<{ key: string; what: string }[]> {
  return page.evaluate(() => {
    const sel = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), summary, [tabindex="0"], textarea';
    const out: { key: string; what: string }[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(sel)) {
      if (el.closest('dialog:not([open])')) continue;
      // a radio group is one tab stop (arrows move inside it): count its first radio for the group
      if (el instanceof HTMLInputElement && el.type === 'radio' && document.querySelector(`input[type="radio"][name="${CSS.escape(el.name)}"]`) !== el) continue;
      const r = el.getBoundingClientRect();
      const hidden = getComputedStyle(el).visibility === 'hidden' || (r.width === 0 && r.height === 0 && !el.classList.contains('visually-hidden'));
      if (hidden || el.closest('[hidden]')) continue;
      if (!el.dataset.kbKey) el.dataset.kbKey = String(Math.random()).slice(2);
      out.push({ key: el.dataset.kbKey, what: `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''} ${(el.textContent ?? el.getAttribute('aria-label') ?? '').trim().slice(0, 40)}` });
    }
    return out;
  });
}

async function tabThrough(page: Page, max = 600): Promise<Set<string>> {
  const seen = new Set<string>();
  await page.keyboard.press('Tab');
  for (let i = 0; i < max; i++) {
    const f = await focused(page);
    if (f.key === 'body' && i > 0) break;
    expect(f.visible, `focus visible on ${f.key}`).toBe(true);
    if (seen.has(f.key) && !f.inTerminal) break; // wrapped around
    seen.add(f.key);
    if (f.inTerminal) {
      await page.keyboard.press('Escape');
    }
    await page.keyboard.press('Tab');
  }
  return seen;
}

for (const path of ['/', '/glossary/', '/about/', '/labs/', '/labs/names-dont-resolve/', '/labs/compose-projects-apart/', ...LESSONS]) {
  test(`every control of ${path} can be reached with Tab, with a visible focus`, async ({ page }) => {
    await page.goto(path);
    if (await page.locator('pp-terminal').count()) await terminalReady(page);
    const all = await controls(page);
    const seen = await tabThrough(page);
    const missed = all.filter((c) => !seen.has(c.key)).map((c) => c.what);
    expect(missed).toEqual([]);
  });
}

test('a lesson, keyboard only: skip link, Run, the terminal, leaving it, the player, the quiz', async ({ page }) => {
  await page.goto('/lessons/veth-and-routes/');
  await terminalReady(page);
  await page.keyboard.press('Tab');
  await expect(page.locator('.skip-link')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();
  // to the first Run button
  const run = page.locator('pp-run button[data-act="run"]').first();
  for (let i = 0; i < 80 && !(await run.evaluate((b) => b === document.activeElement)); i++) {
    if (await page.evaluate(() => !!document.activeElement?.closest('.xterm'))) await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
  }
  await expect(run).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('pp-run').first().locator('[data-output]')).toContainText('veth-blue@veth-red');
  // into the terminal with Shift+Tab, type, and out again with Escape then Tab
  const ta = page.locator('pp-terminal .xterm-helper-textarea');
  for (let i = 0; i < 40 && !(await ta.evaluate((t) => t === document.activeElement)); i++) await page.keyboard.press('Shift+Tab');
  await expect(ta).toBeFocused();
  await page.keyboard.type('ip netns list');
  await page.keyboard.press('Enter');
  expect(await waitPrompt(page)).toMatch(/ip netns list\n(blue\nred|red\nblue)/);
  await page.keyboard.press('Tab');
  await expect(ta).toBeFocused(); // Tab alone completes
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(ta).not.toBeFocused();
  // the recorded trace's player
  const fig = page.locator('#trace-veth-ping');
  const fwd = fig.locator('[data-act="forward"]');
  for (let i = 0; i < 120 && !(await fwd.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(fwd).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(fig.locator('[data-status]')).toHaveAttribute('data-step', '1');
  await expect(fig.locator('[data-status]')).toContainText('Step 2 of');
  // the quiz: arrows pick a radio option, Enter on Check
  const q = page.locator('pp-quiz .question').first();
  const firstRadio = q.locator('input[type="radio"]').first();
  for (let i = 0; i < 300 && !(await firstRadio.evaluate((r) => r === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(firstRadio).toBeFocused();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await expect(q.locator('[data-act="check"]')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(q.locator('[data-result]')).toHaveText('Right.');
  expect(await screen(page)).toContain('ip netns list');
});

test('theme and search from the keyboard', async ({ page }) => {
  await page.goto('/');
  const theme = page.locator('[data-theme-toggle]');
  for (let i = 0; i < 20 && !(await theme.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(theme).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(theme).toHaveText('Theme: light');
  await page.keyboard.press('Shift+Tab');
  await expect(page.locator('[data-search-open]')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-search-input]')).toBeFocused();
  await page.keyboard.type('ip_forward');
  await expect(page.locator('[data-search-results] a').first()).toBeVisible();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.locator('[data-search-results] a').first()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/lessons\/|\/glossary\//);
});
