/**
 * `ip route show` selectors as iproute2 reads them: `root P` lists the routes inside P, `match P`
 * the routes that cover P, and `exact P` (or a bare P) that prefix only.
 */
import { describe, expect, it } from 'vitest';
import { run, world } from './helpers.ts';

describe('ip route show selectors', () => {
  it('root, match, exact, default', async () => {
    const r = await run(world('linux'), [
      'ip link add br0 type bridge',
      'ip addr add 172.18.0.1/16 dev br0',
      'ip link set br0 up',
      'ip route add 172.16.0.0/12 via 10.0.0.1',
      'ip route show root 172.16.0.0/12',
      'ip route show match 172.18.40.20',
      'ip route show match 172.20.1.1',
      'ip route show 10.0.0.0/24',
      'ip route show exact 10.0.0.0/8',
      'ip route show match default',
      'ip route show root 172.16.0.0/12 dev br0',
    ]);
    const [root, m18, m20, exact, none, def, dev] = r.slice(4).map((x) => x.output);
    expect(root).toBe('172.16.0.0/12 via 10.0.0.1 dev eth0 \n172.18.0.0/16 dev br0 proto kernel scope link src 172.18.0.1 \n');
    expect(m18).toBe('default via 10.0.0.1 dev eth0 \n172.16.0.0/12 via 10.0.0.1 dev eth0 \n172.18.0.0/16 dev br0 proto kernel scope link src 172.18.0.1 \n');
    expect(m20).toBe('default via 10.0.0.1 dev eth0 \n172.16.0.0/12 via 10.0.0.1 dev eth0 \n');
    expect(exact).toBe('10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.10 \n');
    expect(none).toBe('');
    expect(def).toBe('default via 10.0.0.1 dev eth0 \n');
    expect(dev).toBe('172.18.0.0/16 proto kernel scope link src 172.18.0.1 \n');
  });
});
