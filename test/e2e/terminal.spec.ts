/** The lesson terminal: typing, output, completion, history, Ctrl+C, Ctrl+L, copy, paste, reset, Run buttons. */
import { expect, runButtons, screen, terminalReady, test, typeLine, waitPrompt } from './lib.ts';

test.beforeEach(async ({ page }) => {
  await page.goto('/lessons/network-namespaces/');
  await terminalReady(page);
});

test('a typed command prints its output, and the diagram shows the new namespace at once', async ({ page, watch }) => {
  await typeLine(page, 'ip netns add red');
  await waitPrompt(page);
  await expect(page.locator('pp-topology[data-lab="ns"] g.ns[data-key="host/red"]')).toHaveCount(1);
  await typeLine(page, 'ip netns list');
  const s = await waitPrompt(page);
  expect(s).toMatch(/# ip netns list\s*\nred\s*\nroot@host:~#/);
  await typeLine(page, 'ip netns exec red ip addr');
  expect(await waitPrompt(page)).toContain('1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN');
  expect(watch.errors).toEqual([]);
});

test('Tab completes; Up recalls the last command', async ({ page }) => {
  await typeLine(page, 'ip netns add red');
  await waitPrompt(page);
  await typeLine(page, 'ip netns exec r', { enter: false });
  await page.keyboard.press('Tab');
  await expect.poll(() => screen(page)).toMatch(/# ip netns exec red$/m);
  await page.keyboard.press('Control+U');
  await page.keyboard.type('ip li');
  await page.keyboard.press('Tab');
  await expect.poll(() => screen(page)).toMatch(/# ip link$/m);
  await page.keyboard.type('show');
  await expect.poll(() => screen(page)).toMatch(/# ip link show$/m);
  await page.keyboard.press('Control+U');
  await page.keyboard.type('ip link set l');
  await page.keyboard.press('Tab');
  await expect.poll(() => screen(page)).toMatch(/# ip link set lo$/m);
  await page.keyboard.press('Control+U');
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => screen(page)).toMatch(/# ip netns add red$/m);
  await page.keyboard.press('Control+C');
  await waitPrompt(page);
});

test('virtual time runs at the learner\'s pace: ping -c 3 takes about two seconds', async ({ page }) => {
  await typeLine(page, 'ping -c 3 127.0.0.1', { enter: false });
  const t0 = Date.now();
  await page.keyboard.press('Enter');
  await expect.poll(() => screen(page)).toContain('icmp_seq=1');
  expect(await screen(page)).not.toContain('icmp_seq=3');
  await waitPrompt(page);
  const took = Date.now() - t0;
  expect(took).toBeGreaterThan(1800);
  expect(took).toBeLessThan(4500);
  expect(await screen(page)).toContain('3 packets transmitted, 3 received');
});

test('Ctrl+C stops a command that would run forever; Ctrl+L clears the screen', async ({ page }) => {
  await typeLine(page, 'ping 127.0.0.1');
  await expect.poll(() => screen(page)).toContain('icmp_seq=2');
  await page.keyboard.press('Control+C');
  const s = await waitPrompt(page);
  expect(s).toContain('^C');
  expect(s).toMatch(/--- 127.0.0.1 ping statistics ---/);
  await typeLine(page, 'echo still here');
  expect(await waitPrompt(page)).toContain('still here');
  await page.keyboard.press('Control+L');
  await expect.poll(async () => (await screen(page)).trim()).toBe('root@host:~#');
});

test('copy with Ctrl+Shift+C, paste with Ctrl+V', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await typeLine(page, 'echo copy-me-please');
  await waitPrompt(page);
  // select everything on the screen (as a drag would), then copy with the keyboard
  await page.evaluate(() => (document.querySelector('pp-terminal') as unknown as { terminal: { term: { selectAll(): void } } }).terminal.term.selectAll());
  await page.keyboard.press('Control+Shift+C');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('copy-me-please');
  await page.evaluate(() => navigator.clipboard.writeText('echo pasted-text'));
  await page.locator('pp-terminal .term-mount').click();
  await page.keyboard.press('Control+V');
  await expect.poll(() => screen(page)).toMatch(/# echo pasted-text$/m);
  await page.keyboard.press('Enter');
  expect(await waitPrompt(page)).toMatch(/\npasted-text\n/);
});

test('Reset starts the lab again', async ({ page }) => {
  await typeLine(page, 'ip netns add red');
  await waitPrompt(page);
  await expect(page.locator('pp-topology[data-lab="ns"] g.ns[data-key="host/red"]')).toHaveCount(1);
  await page.locator('pp-terminal button[data-act="reset"]').click();
  await terminalReady(page);
  await expect(page.locator('pp-topology[data-lab="ns"] g.ns[data-key="host/red"]')).toHaveCount(0);
  await typeLine(page, 'ip netns list');
  const s = await waitPrompt(page);
  expect(s.trim()).toMatch(/^root@host:~# ip netns list\s*\nroot@host:~#$/);
});

test('a Run button types its commands and shows what they printed', async ({ page }) => {
  await runButtons(page, 1);
  await expect(page.locator('pp-run').first().locator('[data-output]')).toContainText('inet 10.0.0.10/24 scope global eth0');
  expect(await screen(page)).toContain('# ip addr');
});

test('screen reader mode gives xterm\'s accessible buffer and can be switched off', async ({ page }) => {
  await typeLine(page, 'echo for-screen-readers');
  await waitPrompt(page);
  await expect(page.locator('pp-terminal .xterm-accessibility-tree')).toContainText('for-screen-readers');
  await page.locator('pp-terminal input[data-act="sr"]').uncheck();
  await expect(page.locator('pp-terminal .xterm-accessibility-tree')).toHaveCount(0);
  await page.reload();
  await terminalReady(page);
  await expect(page.locator('pp-terminal input[data-act="sr"]')).not.toBeChecked();
});
