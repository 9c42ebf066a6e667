/**
 * Graded labs in the browser: a learner opens lab 1, sees Check fail with the reason, types the
 * fix, presses Check and sees every task pass; a reload keeps the world and the solved state; a
 * shared link opens the same variant; undo, hints, the failing check's packets, start over; the
 * editor of a lab that edits files loads monaco only when opened.
 */
import { loadLabs } from '../../src/cli/labs.ts';
import { variantFor } from '../../src/labs/variant.ts';
import { expect, screen, terminalReady, test, typeLine, waitPrompt } from './lib.ts';

const labs = loadLabs();
const lab1 = labs.find((l) => l.lab.id === 'names-dont-resolve')!.lab;
const STORE = 'graded-names-dont-resolve';
// a seed whose fault puts both containers on the default bridge
const SEED = Array.from({ length: 50 }, (_, i) => i + 1).find((s) => variantFor(lab1, s).fault === 'default-bridge')!;
const V = variantFor(lab1, SEED).vars;

const task = (page: import('@playwright/test').Page, id: string) => page.locator(`pp-graded-lab li[data-task="${id}"]`);

test('lab 1: Check fails with the reason, the fix typed in the terminal passes, a reload keeps it all', async ({ page, watch }) => {
  await page.goto(`/labs/names-dont-resolve/?seed=${SEED}`);
  await terminalReady(page, STORE);
  await expect(page.locator('[data-story]')).toContainText(`wget: bad address '${V.api}'`);
  await expect(page.locator('[data-seed]')).toHaveText(String(SEED));

  await page.locator('button[data-act="check"]').click();
  await expect(task(page, 'resolves')).toHaveAttribute('data-state', 'fail');
  await expect(task(page, 'resolves').locator('[data-msg]')).toHaveText(`${V.api} does not resolve from ${V.app}: no such name (NXDOMAIN)`);
  await expect(page.locator('pp-graded-lab li[data-task="not-published"]')).toHaveAttribute('data-state', 'pass');
  await expect(page.locator('[data-lab-says]')).toHaveText('Checked: 0 of 2 tasks pass, and 1 thing that must stay true does not.');

  for (const l of [`docker network create ${V.net}`, `docker network connect ${V.net} ${V.api}`, `docker network connect ${V.net} ${V.app}`]) {
    await typeLine(page, l, { lab: STORE });
    await waitPrompt(page, STORE);
  }
  await page.locator('button[data-act="check"]').click();
  await expect(task(page, 'resolves')).toHaveAttribute('data-state', 'pass');
  await expect(task(page, 'answers')).toHaveAttribute('data-state', 'pass');
  await expect(page.locator('[data-result]')).toBeVisible();
  await expect(page.locator('[data-result-line]')).toContainText('Score 100 of 100 (0 hints)');
  await expect(page.locator('[data-explanation]')).toContainText('127.0.0.11');

  // a reload replays the attempt: same world, same result
  await page.reload();
  await terminalReady(page, STORE);
  await expect(task(page, 'answers')).toHaveAttribute('data-state', 'pass');
  await expect(page.locator('[data-result]')).toBeVisible();
  await typeLine(page, `docker network inspect -f '{{len .Containers}}' ${V.net}`, { lab: STORE });
  expect(await waitPrompt(page, STORE)).toMatch(/\n2\nroot@host:~#$/);
  // the course map shows it solved
  await page.goto('/labs/');
  await expect(page.locator('[data-lab-status="names-dont-resolve"]')).toHaveText('Solved · score 100');
  expect(watch.errors).toEqual([]);
});

test('a shared link opens the same variant, in a browser that has never seen the lab', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto('/labs/names-dont-resolve/');
  await terminalReady(page, STORE);
  const seed = Number(await page.locator('[data-seed]').textContent());
  expect(new URL(page.url()).searchParams.get('seed')).toBe(String(seed));
  const story = await page.locator('[data-story]').textContent();
  await ctx.close();

  const other = await browser.newContext();
  const p2 = await other.newPage();
  await p2.goto(`/labs/names-dont-resolve/?seed=${seed}`);
  await terminalReady(p2, STORE);
  await expect(p2.locator('[data-seed]')).toHaveText(String(seed));
  expect(await p2.locator('[data-story]').textContent()).toBe(story);
  const v = variantFor(lab1, seed).vars;
  await typeLine(p2, 'docker ps --format "{{.Names}}"', { lab: STORE });
  const s = await waitPrompt(p2, STORE);
  expect(s).toContain(v.app);
  expect(s).toContain(v.api);
  await other.close();
});

test('hints one at a time, undo of the last command, a failing check replayed as packets, start over', async ({ page, watch }) => {
  await page.goto(`/labs/names-dont-resolve/?seed=${SEED}`);
  await terminalReady(page, STORE);
  await page.locator('button[data-act="hint"]').click();
  await expect(page.locator('[data-hints] li')).toHaveCount(1);
  await expect(page.locator('[data-hints] li').first()).toContainText('default `bridge` network'.replace(/`/g, ''));
  await expect(page.locator('[data-hints-used]')).toHaveText('1');

  await typeLine(page, `docker network create ${V.net}`, { lab: STORE });
  await waitPrompt(page, STORE);
  await page.locator('button[data-act="undo"]').click();
  await expect.poll(() => screen(page, STORE)).toContain(`# undone: docker network create ${V.net}`);
  await typeLine(page, 'docker network ls --format "{{.Name}}"', { lab: STORE });
  expect(await waitPrompt(page, STORE)).not.toMatch(new RegExp(`^${V.net}$`, 'm'));

  // the HTTP task fails; its packets go to the diagram and the table
  await page.locator('button[data-act="check"]').click();
  await expect(task(page, 'answers')).toHaveAttribute('data-state', 'fail');
  const show = task(page, 'resolves').locator('button[data-act="trace"]');
  await expect(show).toBeVisible();
  await show.click();
  await expect(page.locator(`pp-packet-table[data-lab="${STORE}"] tbody tr[data-step]`).first()).toBeVisible();
  await expect(page.locator(`pp-packet-table[data-lab="${STORE}"] [data-caption]`)).toContainText('check:');

  page.once('dialog', (d) => void d.accept());
  await page.locator('button[data-act="reset"]').click();
  await terminalReady(page, STORE);
  await expect(page.locator('[data-hints] li')).toHaveCount(0);
  await expect(task(page, 'answers')).toHaveAttribute('data-state', 'unknown');
  expect(watch.errors).toEqual([]);
});

test('the solution stays locked until a real attempt', async ({ page }) => {
  await page.goto(`/labs/names-dont-resolve/?seed=${SEED}`);
  await terminalReady(page, STORE);
  const sol = page.locator('button[data-act="solution"]');
  await expect(sol).toHaveAttribute('aria-disabled', 'true');
  // still focusable and clickable: it says why it is locked
  await sol.click({ force: true });
  await expect(page.locator('[data-solution-box]')).toBeHidden();
  await expect(page.locator('[data-lab-says]')).toContainText('The solution unlocks after a real attempt');
  await typeLine(page, 'docker ps', { lab: STORE });
  await waitPrompt(page, STORE);
  await page.locator('button[data-act="check"]').click();
  await expect(task(page, 'answers')).toHaveAttribute('data-state', 'fail');
  // read every hint
  for (let i = 0; i < 6; i++) {
    const b = page.locator('button[data-act="hint"]');
    if ((await b.textContent())?.includes('No more')) break;
    await b.click();
    await expect(b).toBeEnabled();
  }
  await expect(sol).toHaveAttribute('aria-disabled', 'false');
  await sol.click();
  await expect(page.locator('[data-solution-box]')).toBeVisible();
  await expect(page.locator('[data-solution]')).toContainText(`docker network connect ${V.net} ${V.app}`);
});

test('the editor of a lab that edits files loads monaco when opened, and saves onto the host', async ({ page, watch }) => {
  await page.goto('/labs/compose-projects-apart/?seed=2');
  await terminalReady(page, 'graded-compose-projects-apart');
  expect(watch.requests.filter((u) => /yaml-editor|editor\.worker|yaml\.worker|codicon/.test(u))).toEqual([]);
  const v = variantFor(labs.find((l) => l.lab.id === 'compose-projects-apart')!.lab, 2).vars;
  await expect(page.locator('[data-editor-file] option').first()).toHaveText(`/srv/${v.app}/compose.yaml`);
  await page.locator('button[data-act="editor-open"]').click();
  await expect(page.locator('.monaco-editor')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('services:');
  // add a comment line at the top and save
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('# edited in the browser\n');
  await page.locator('button[data-act="editor-save"]').click();
  await expect.poll(() => screen(page, 'graded-compose-projects-apart')).toContain(`# /srv/${v.app}/compose.yaml saved from the editor`);
  await typeLine(page, `head -1 /srv/${v.app}/compose.yaml`, { lab: 'graded-compose-projects-apart' });
  expect(await waitPrompt(page, 'graded-compose-projects-apart')).toContain('\n# edited in the browser\n');
  expect(watch.errors).toEqual([]);
});
