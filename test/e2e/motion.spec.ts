/** With prefers-reduced-motion, packets do not travel: the path is highlighted and steps change in place. */
import { expect, runButtons, terminalReady, test } from './lib.ts';

test.use({ reducedMotion: 'reduce' });

test('a new trace waits, highlighted, and each step is drawn at once', async ({ page }) => {
  await page.goto('/lessons/veth-and-routes/');
  await terminalReady(page);
  const runs = page.locator('pp-run');
  let idx = -1;
  for (let i = 0; i < (await runs.count()); i++) if ((await runs.nth(i).getAttribute('data-cmd')) === 'ip netns exec red ping -c 2 10.0.0.2') idx = i;
  await runButtons(page, idx + 1);
  const topo = page.locator('pp-topology[data-lab="veth"]');
  await expect(topo.locator('[data-act="play"]')).toBeEnabled();
  await expect(topo.locator('[data-act="play"]')).toHaveText('▶ Play');
  await page.waitForTimeout(1000);
  await expect(topo.locator('[data-status]')).toHaveAttribute('data-step', '-1');
  expect(await topo.locator('path.trace-path').count()).toBeGreaterThan(0);
  // step to the first move: the dot is already at its place, with no transition running
  const rows = page.locator('pp-packet-table[data-lab="veth"] tr.kind-tx');
  const firstTx = Number(await rows.first().getAttribute('data-step'));
  for (let i = 0; i <= firstTx; i++) await topo.locator('[data-act="forward"]').click();
  const t1 = await topo.locator('g.pkt.pkt-current').getAttribute('transform');
  await page.waitForTimeout(120);
  expect(await topo.locator('g.pkt.pkt-current').getAttribute('transform')).toBe(t1);
  await topo.locator('[data-act="forward"]').click();
  const t2 = await topo.locator('g.pkt.pkt-current').getAttribute('transform');
  await page.waitForTimeout(120);
  expect(await topo.locator('g.pkt.pkt-current').getAttribute('transform')).toBe(t2);
  expect(t2).not.toBe(t1);
});
