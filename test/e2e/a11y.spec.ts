/** axe-core finds no WCAG 2.2 AA violation on any page, in either theme, also with a trace and quiz answers shown. */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, sitePages, terminalReady, test } from './lib.ts';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function violations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

for (const theme of ['light', 'dark'] as const) {
  for (const path of sitePages()) {
    test(`${path} in the ${theme} theme`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      await page.goto(path, { waitUntil: 'networkidle' });
      if (await page.locator('pp-terminal').count()) await terminalReady(page);
      expect(await violations(page)).toEqual([]);
    });
  }

  test(`a lesson with a trace on show, hop details open and quiz answers, in the ${theme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto('/lessons/leaving-the-host/');
    await terminalReady(page);
    const fig = page.locator('#trace-masquerade');
    await fig.locator('tr.kind-nat button').first().click();
    await expect(fig.locator('[data-details]')).toBeVisible();
    await page.locator('#trace-no-nat tr.kind-drop button').first().click();
    const q = page.locator('pp-quiz .question').first();
    await q.locator('input[type="radio"]').nth(1).check();
    await q.locator('[data-act="check"]').click();
    await page.locator('pp-quiz .question[data-kind="short"] input').fill('conntrack -L');
    await page.locator('pp-quiz .question[data-kind="short"] [data-act="check"]').click();
    await page.locator('[data-search-open]').click();
    await page.keyboard.type('veth');
    await expect(page.locator('[data-search-results] a').first()).toBeVisible();
    expect(await violations(page)).toEqual([]);
  });
}
