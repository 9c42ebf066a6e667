/** Every page of the built site loads without an error, asks no other origin for anything, and carries its CSP. */
import { expect, sitePages, terminalReady, test } from './lib.ts';

const pages = sitePages();

test('the site has the pages of the course', () => {
  expect(pages).toEqual(expect.arrayContaining(['/', '/about/', '/glossary/', '/404.html', '/lessons/network-namespaces/', '/lessons/veth-and-routes/', '/lessons/bridges/', '/lessons/leaving-the-host/']));
});

for (const path of pages) {
  test(`${path} loads cleanly`, async ({ page, watch, baseURL }) => {
    await page.goto(path, { waitUntil: 'networkidle' });
    await expect(page.locator('h1').first()).toBeVisible();
    if (await page.locator('pp-terminal').count()) await terminalReady(page);
    if (await page.locator('pp-recorded').count()) await expect(page.locator('figure.trace-figure pp-topology [data-act="play"]').first()).toBeEnabled();
    await page.waitForTimeout(300);
    expect(watch.errors).toEqual([]);
    const foreign = watch.requests.filter((u) => !u.startsWith(baseURL!) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(foreign).toEqual([]);
    expect(watch.requests.filter((u) => /monaco|editor\.worker|yaml\.worker/.test(u))).toEqual([]);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(await page.title()).toMatch(/Packet Path/);
  });
}
