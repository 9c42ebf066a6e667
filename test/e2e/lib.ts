/** Helpers shared by the browser tests. */
import { expect, test as base, type Page } from '@playwright/test';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const DIST = join(ROOT, 'dist');

/** Every page of the built site, as a path ("/", "/lessons/bridges/", "/404.html"). */
export function sitePages(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== '_astro' && name !== 'pagefind') walk(p);
      } else if (name.endsWith('.html')) {
        const rel = `/${relative(DIST, p)}`;
        out.push(rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel);
      }
    }
  };
  walk(DIST);
  return out.sort();
}

export const LESSONS = ['/lessons/network-namespaces/', '/lessons/veth-and-routes/', '/lessons/bridges/', '/lessons/leaving-the-host/', '/lessons/port-publishing/', '/lessons/docker-network-drivers/', '/lessons/default-bridge-and-embedded-dns/', '/lessons/compose-networks/', '/lessons/overlay-and-vxlan/'];

export interface PageWatch {
  errors: string[];
  requests: string[];
}

/** A page fixture that records console errors, page errors, failed responses and every request. */
export const test = base.extend<{ watch: PageWatch }>({
  watch: async ({ page }, use) => {
    const w: PageWatch = { errors: [], requests: [] };
    page.on('console', (m) => {
      if (m.type() === 'error') w.errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => w.errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => w.requests.push(r.url()));
    page.on('response', (r) => {
      if (r.status() >= 400) w.errors.push(`HTTP ${r.status()} ${r.url()}`);
    });
    await use(w);
  },
});
export { expect };

/** Wait until the page's terminal (the first, or lab `lab`'s) takes input. */
export async function terminalReady(page: Page, lab?: string): Promise<void> {
  const sel = lab ? `pp-terminal[data-lab="${lab}"][data-ready]` : 'pp-terminal[data-ready]';
  await page.locator(sel).first().waitFor({ timeout: 20_000 });
}

/**
 * The text of a terminal's screen: the lines of xterm's buffer (scrollback included), read through
 * its API, since xterm does not repaint a terminal that is scrolled out of view.
 */
export async function screen(page: Page, lab?: string): Promise<string> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel) as (Element & { terminal?: { term: { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string; isWrapped: boolean } | undefined } } } } }) | null;
    const buf = el?.terminal?.term.buffer.active;
    if (!buf) return '';
    const lines: string[] = [];
    for (let i = 0; i < buf.length; i++) {
      const l = buf.getLine(i);
      if (!l) continue;
      const t = l.translateToString(true);
      if (l.isWrapped && lines.length) lines[lines.length - 1] += t;
      else lines.push(t);
    }
    return lines.join('\n').replace(/\s+$/, '');
  }, lab ? `pp-terminal[data-lab="${lab}"]` : 'pp-terminal');
}

/** Click into the terminal and type a line (Enter included unless `enter` is false). */
export async function typeLine(page: Page, text: string, opts: { enter?: boolean; lab?: string } = {}): Promise<void> {
  const mount = page.locator(opts.lab ? `pp-terminal[data-lab="${opts.lab}"] .term-mount` : 'pp-terminal .term-mount').first();
  await mount.click();
  await page.keyboard.type(text);
  if (opts.enter !== false) await page.keyboard.press('Enter');
}

/** Wait until the screen's last non-empty line is a prompt again. */
export async function waitPrompt(page: Page, lab?: string): Promise<string> {
  let last = '';
  await expect
    .poll(async () => {
      last = await screen(page, lab);
      const lines = last.split('\n').map((l) => l.trimEnd()).filter(Boolean);
      return /^root@[\w-]+:[^#]*#$/.test(lines[lines.length - 1] ?? '');
    }, { timeout: 20_000 })
    .toBe(true);
  return last;
}

/** Click Run buttons in order (all of them, or the first `n`), waiting for each to finish. */
export async function runButtons(page: Page, n = Infinity): Promise<void> {
  const runs = page.locator('pp-run button[data-act="run"]');
  const count = Math.min(n, await runs.count());
  for (let i = 0; i < count; i++) {
    const b = runs.nth(i);
    await b.click();
    await expect(b).toHaveText('Run', { timeout: 30_000 });
  }
}
