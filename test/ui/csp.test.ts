/** The Content-Security-Policy added to every built page. */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { addPolicy, inlineScripts, isExecutable, policy } from '../../scripts/csp.mjs';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64');

describe('csp', () => {
  it('hashes the inline scripts a browser runs, not data blocks or external ones', () => {
    const html = '<html><head><script>a()</script><script type="module">b()</script><script type="application/json">{"x":1}</script><script src="/x.js"></script><script type="text/plain">c</script></head><body></body></html>';
    expect(inlineScripts(html)).toEqual(['a()', 'b()']);
    expect(isExecutable(' type="application/json"')).toBe(false);
    const out = addPolicy(html);
    expect(out.indexOf('<meta http-equiv="Content-Security-Policy"')).toBe(out.indexOf('<head>') + '<head>'.length);
    expect(out).toContain(`'sha256-${sha('a()')}'`);
    expect(out).toContain(`'sha256-${sha('b()')}'`);
    expect(out).not.toContain(sha('{"x":1}'));
  });
  it('allows only this origin, with no inline script except by hash', () => {
    const p = policy(['abc']);
    expect(p).toContain("default-src 'self'");
    expect(p).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc'");
    expect(p).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(p).not.toMatch(/https?:/);
    expect(p).toContain("object-src 'none'");
  });
  it('replaces an existing policy instead of adding a second one', () => {
    const once = addPolicy('<head><script>x</script></head>');
    expect(addPolicy(once).match(/Content-Security-Policy/g)).toHaveLength(1);
  });
});
