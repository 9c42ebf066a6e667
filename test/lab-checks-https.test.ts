/**
 * The lab `http` check over HTTPS: the grader's own client does the TLS handshake and checks the
 * certificate, at the place, whether or not curl is installed there.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/labs/checks.ts';
import { createWorld } from '../src/sim/worlds/index.ts';
import { Session, runLine } from '../src/shell/index.ts';

describe('http check over https', () => {
  it('answers from the host, and fails with the reason when the way out is broken', async () => {
    const world = createWorld('linux', 1)!;
    const t = { world, home: world.host('host')! };
    const ok = await evaluate(t, { http: { from: 'host', url: 'https://example.com/', status: 200, contains: 'Example Domain' } });
    expect(ok).toMatchObject({ ok: true, message: 'https://example.com/ from host: HTTP 200' });
    expect(ok.events?.some((e) => e.kind === 'deliver' || e.kind === 'tx')).toBe(true);

    const wrong = await evaluate(t, { http: { from: 'host', url: 'https://example.com/', status: 404 } });
    expect(wrong).toMatchObject({ ok: false, message: 'https://example.com/ from host: HTTP 200, expected 404' });

    const s = new Session(world, {});
    await runLine(s, 'iptables -A OUTPUT -p tcp --dport 443 -j DROP');
    const dropped = await evaluate(t, { http: { from: 'host', url: 'https://example.com/' } });
    expect(dropped.ok).toBe(false);
    expect(dropped.message).toMatch(/^https:\/\/example\.com\/ from host: (Connection timed out|Failed to connect)/);
  });

  it('works from a container without curl', async () => {
    const world = createWorld('docker', 1)!;
    const s = new Session(world, {});
    expect((await runLine(s, 'docker run -dit --name a alpine ash')).exitCode).toBe(0);
    const r = await evaluate({ world, home: world.host('host')! }, { http: { from: 'container:a', url: 'https://example.com/', status: 200 } });
    expect(r).toMatchObject({ ok: true, message: 'https://example.com/ from a: HTTP 200' });
  });
});
