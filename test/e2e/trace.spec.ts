/**
 * Traces: a ping animates along the right hops and the packet table lists the same hops; a hop
 * shows its headers, NAT rewrites are marked, and a drop is drawn where it happens.
 */
import type { Page } from '@playwright/test';
import { expect, terminalReady, test } from './lib.ts';

/** The centre of a pill (an interface) in the drawing, from its group's transform and size. */
async function pillCentre(page: Page, topo: string, id: string): Promise<[number, number] | null> {
  return page.evaluate(([topoSel, key]) => {
    const g = document.querySelector(`${topoSel} g.pill[data-key="${CSS.escape(key)}"]`);
    if (!g) return null;
    const m = /translate\(([-\d.]+),\s*([-\d.]+)\)/.exec(g.getAttribute('transform') ?? '');
    const r = g.querySelector('rect');
    if (!m || !r) return null;
    return [Number(m[1]) + Number(r.getAttribute('width')) / 2, Number(m[2]) + Number(r.getAttribute('height')) / 2] as [number, number];
  }, [topo, id] as const);
}

async function dotAt(page: Page, topo: string): Promise<[number, number] | null> {
  return page.evaluate((sel) => {
    const g = document.querySelector(`${sel} g.pkt.pkt-current`);
    const m = g && /translate\(([-\d.]+),\s*([-\d.]+)\)/.exec(g.getAttribute('transform') ?? '');
    return m ? ([Number(m[1]), Number(m[2])] as [number, number]) : null;
  }, topo);
}

async function runUpTo(page: Page, command: string): Promise<void> {
  const runs = page.locator('pp-run');
  const n = await runs.count();
  for (let i = 0; i < n; i++) {
    const run = runs.nth(i);
    const btn = run.locator('button[data-act="run"]');
    await btn.click();
    await expect(btn).toHaveText('Run', { timeout: 30_000 });
    if ((await run.getAttribute('data-cmd')) === command) return;
  }
  throw new Error(`no Run block for ${command}`);
}

test('a ping animates along the right hops, and the table lists the same hops', async ({ page, watch }) => {
  await page.goto('/lessons/veth-and-routes/');
  await terminalReady(page);
  await runUpTo(page, 'ip netns exec red ping -c 2 10.0.0.2');
  const topo = 'pp-topology[data-lab="veth"]';
  const table = page.locator('pp-packet-table[data-lab="veth"]');
  const status = page.locator(`${topo} [data-status]`);
  // the trace played by itself; take over
  await expect(page.locator(`${topo} [data-act="play"]`)).toBeEnabled();
  if ((await page.locator(`${topo} [data-act="play"]`).textContent())?.includes('Pause')) await page.locator(`${topo} [data-act="play"]`).click();
  await page.locator(`${topo} [data-act="speed"]`).selectOption('4');
  await expect(table.locator('caption')).toContainText('ip netns exec red ping -c 2 10.0.0.2');
  const rows = table.locator('tbody tr[data-step]');
  const n = await rows.count();
  expect(n).toBeGreaterThan(20);
  await page.locator(`${topo} [data-act="first"]`).click();
  const places: string[] = [];
  const moved: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0) await page.locator(`${topo} [data-act="forward"]`).click();
    await expect(status).toHaveAttribute('data-step', String(i));
    const row = rows.nth(i);
    await expect(row).toHaveAttribute('aria-current', 'step');
    const place = (await status.getAttribute('data-place'))!;
    expect(place).toBe(await row.getAttribute('data-place'));
    places.push(place);
    const kind = (await row.getAttribute('class'))!;
    if (/kind-(tx|rx)\b/.test(kind)) {
      const target = await pillCentre(page, topo, place);
      expect(target, place).not.toBeNull();
      await expect.poll(async () => {
        const d = await dotAt(page, topo);
        return d ? Math.hypot(d[0] - target![0], d[1] - target![1]) : 999;
      }, { timeout: 5000 }).toBeLessThan(1);
      moved.push(`${kind.replace('kind-', '')} ${place}`);
    }
  }
  // the path: ARP request out of red, into blue; the reply back; then the echo request and reply
  expect(moved.slice(0, 4)).toEqual(['tx host/red/veth-red', 'rx host/blue/veth-blue', 'tx host/blue/veth-blue', 'rx host/red/veth-red']);
  expect(moved.filter((m) => m === 'rx host/blue/veth-blue').length).toBe(3);
  expect(new Set(places)).toEqual(new Set(['host/red', 'host/red/veth-red', 'host/blue/veth-blue', 'host/blue']));
  expect(watch.errors).toEqual([]);
});

test('playing moves the packet through intermediate positions, not in jumps', async ({ page }) => {
  await page.goto('/lessons/veth-and-routes/');
  const fig = page.locator('#trace-veth-ping');
  await fig.scrollIntoViewIfNeeded();
  await fig.locator('[data-act="play"]').click();
  const seen = new Set<string>();
  for (let i = 0; i < 40; i++) {
    const t = await fig.locator('g.pkt.pkt-current').first().getAttribute('transform').catch(() => null);
    if (t) seen.add(t);
    await page.waitForTimeout(50);
  }
  expect(seen.size).toBeGreaterThan(8);
});

test('a hop shows its headers; a NAT rewrite is marked; a drop is drawn where it happened', async ({ page }) => {
  await page.goto('/lessons/leaving-the-host/');
  const fig = page.locator('#trace-masquerade');
  const natRow = fig.locator('tr.kind-nat').first();
  await natRow.locator('button').click();
  const details = fig.locator('[data-details]');
  await expect(details).toBeVisible();
  await expect(details).toContainText('Address rewrite (SNAT)');
  await expect(details).toContainText('172.17.0.2 > 1.1.1.1');
  await expect(details.locator('mark')).toHaveText(['10.0.0.10']);
  await expect(natRow).toHaveAttribute('aria-current', 'step');
  await expect(fig.locator('g.note-nat')).toHaveCount(1);

  await page.goto('/lessons/veth-and-routes/');
  const drop = page.locator('#trace-not-a-router');
  const dropRow = drop.locator('tr.kind-drop').first();
  await expect(dropRow).toContainText('IP_FORWARDING_DISABLED');
  await dropRow.locator('button').click();
  await expect(drop.locator('g.drop')).toHaveCount(1);
  await expect(drop.locator('g.drop text')).toHaveText('IP_FORWARDING_DISABLED');
  await expect(drop.locator('[data-details]')).toContainText('Dropped here (IP_FORWARDING_DISABLED)');
  // the cross is drawn on blue's end of the cable
  const place = await dropRow.getAttribute('data-place');
  expect(place).toBe('host/blue/veth-blue');
  const where = /translate\(([-\d.]+),\s*([-\d.]+)\)/.exec((await drop.locator('g.drop').getAttribute('transform'))!)!;
  const centre = (await pillCentre(page, '#trace-not-a-router pp-topology', place!))!;
  expect(Math.hypot(Number(where[1]) - centre[0], Number(where[2]) - centre[1])).toBeLessThan(1);
});

test('clicking a place on the drawing selects the first hop there', async ({ page }) => {
  await page.goto('/lessons/bridges/');
  const fig = page.locator('#trace-bridge-ping');
  const marker = fig.locator('g.hop-marker[data-node="host/c2/eth0"]');
  await marker.click({ force: true });
  const step = await marker.getAttribute('data-step');
  await expect(fig.locator('[data-status]')).toHaveAttribute('data-step', step!);
  await expect(fig.locator('[data-status]')).toHaveAttribute('data-place', 'host/c2/eth0');
});
