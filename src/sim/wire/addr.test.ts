import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { broadcastOf, formatCidr, formatIpv4, inPrefix, linkLocalFromMac, maskToPrefix, networkOf, parseCidr, parseIpv4, parseMac, prefixMask } from './addr.ts';

describe('parseIpv4', () => {
  it.each([
    ['10.0.0.1', 0x0a000001],
    ['0.0.0.0', 0],
    ['255.255.255.255', 0xffffffff],
    ['172.17.0.1', 0xac110001],
  ])('%s', (text, n) => {
    expect(parseIpv4(text)).toBe(n);
  });

  it.each(['10.0.0.300', '10.0.0', '10.0.0.1.2', 'a.b.c.d', '', '1..2.3', '01234.1.1.1', ' 10.0.0.1'])('rejects %j', (text) => {
    expect(parseIpv4(text)).toBeNull();
  });

  it('round-trips every address', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => parseIpv4(formatIpv4(n)) === n),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('parseCidr', () => {
  it.each([
    ['10.0.0.1/24', 0x0a000001, 24],
    ['10.0.0.1', 0x0a000001, 32],
    ['0.0.0.0/0', 0, 0],
    ['10.1.2.3/255.255.0.0', 0x0a010203, 16],
  ])('%s', (text, addr, len) => {
    expect(parseCidr(text)).toEqual({ addr, len });
  });

  it.each(['10.0.0.5/40', '10.0.0.300/24', '10.0.0.1/', '10.0.0.1/255.0.255.0', '10.0.0.1/abc'])('rejects %j (ip addr add says "any valid prefix is expected")', (text) => {
    expect(parseCidr(text)).toBeNull();
  });

  it('formats back what it parsed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (a, len) => {
        const c = parseCidr(formatCidr({ addr: a, len }));
        return c !== null && c.addr === a && c.len === len;
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('prefix arithmetic', () => {
  it.each([
    [0, 0],
    [8, 0xff000000],
    [24, 0xffffff00],
    [32, 0xffffffff],
  ])('mask of /%i', (len, mask) => {
    expect(prefixMask(len)).toBe(mask);
    expect(maskToPrefix(mask)).toBe(len);
  });

  it('network and broadcast of 172.17.0.5/16', () => {
    expect(formatIpv4(networkOf(0xac110005, 16))).toBe('172.17.0.0');
    expect(formatIpv4(broadcastOf(0xac110005, 16))).toBe('172.17.255.255');
    expect(inPrefix(parseIpv4('172.17.200.1')!, parseIpv4('172.17.0.0')!, 16)).toBe(true);
    expect(inPrefix(parseIpv4('172.18.0.1')!, parseIpv4('172.17.0.0')!, 16)).toBe(false);
  });

  it('a mask with holes has no prefix length', () => {
    expect(maskToPrefix(0xff00ff00)).toBeNull();
  });
});

describe('MAC addresses', () => {
  it('normalises case and padding', () => {
    expect(parseMac('2:42:AC:11:0:2')).toBe('02:42:ac:11:00:02');
    expect(parseMac('02:42:ac:11:00')).toBeNull();
  });

  it('derives the EUI-64 link-local address as the kernel does', () => {
    // from the recorded kernel: c6:07:b5:9f:fd:a6 -> fe80::c407:b5ff:fe9f:fda6
    expect(linkLocalFromMac('c6:07:b5:9f:fd:a6')).toBe('fe80::c407:b5ff:fe9f:fda6');
    expect(linkLocalFromMac('fe:22:0d:9a:a5:46')).toBe('fe80::fc22:dff:fe9a:a546');
  });
});
