/** go-units HumanDuration, the daemon's status line, and Go's time printing. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ZERO_TIME,
  containerStatus,
  createdAt,
  formatFloat,
  goTimeString,
  humanDuration,
  parseRFC3339,
  rfc3339Nano,
  rfc3339ToGoString,
  runningFor,
} from '../../src/shell/commands/docker/format/index.ts';

const S = 1_000_000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('humanDuration', () => {
  it.each([
    [0, 'Less than a second'],
    [999_999, 'Less than a second'],
    [-5 * S, 'Less than a second'],
    [1 * S, '1 second'],
    [1.9 * S, '1 second'],
    [3 * S, '3 seconds'],
    [59 * S, '59 seconds'],
    [60 * S, 'About a minute'],
    [119 * S, 'About a minute'],
    [2 * MIN, '2 minutes'],
    [59 * MIN + 59 * S, '59 minutes'],
    [60 * MIN, 'About an hour'],
    [89 * MIN, 'About an hour'],
    [90 * MIN, '2 hours'],
    [47 * HOUR, '47 hours'],
    [47.5 * HOUR, '2 days'],
    [13 * DAY, '13 days'],
    [14 * DAY, '2 weeks'],
    [59 * DAY, '8 weeks'],
    [60 * DAY, '2 months'],
    [729 * DAY, '24 months'],
    [730 * DAY, '2 years'],
  ])('%d µs -> %s', (us, want) => {
    expect(humanDuration(us)).toBe(want);
  });

  it('always one of the go-units shapes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 * 365 * DAY }), (us) => {
        expect(humanDuration(us)).toMatch(/^(Less than a second|1 second|About a minute|About an hour|\d+ (seconds|minutes|hours|days|weeks|months|years))$/);
      }),
    );
  });
});

describe('docker ps columns', () => {
  const now = 1_767_690_000 * S;
  it('CREATED: from whole seconds', () => {
    expect(runningFor(now - 3 * S, now)).toBe('3 seconds ago');
    expect(runningFor(now, now)).toBe('Less than a second ago');
    // the API's Created is whole seconds: 0.4 s ago rounds down to the previous second
    expect(runningFor(now - 0.4 * S, now)).toBe('1 second ago');
    expect(runningFor(now - 65 * MIN, now)).toBe('About an hour ago');
  });

  it('STATUS: the daemon State.String()', () => {
    expect(containerStatus({ running: true, startedAtUs: now - 3 * S }, now)).toBe('Up 3 seconds');
    expect(containerStatus({ running: true, startedAtUs: now - 70 * S }, now)).toBe('Up About a minute');
    expect(containerStatus({ running: true, startedAtUs: now - 2 * HOUR }, now)).toBe('Up 2 hours');
    expect(containerStatus({ running: true, paused: true, startedAtUs: now - HOUR }, now)).toBe('Up About an hour (Paused)');
    expect(containerStatus({ running: true, startedAtUs: now - 5 * S, health: 'starting' }, now)).toBe('Up 5 seconds (health: starting)');
    expect(containerStatus({ running: true, startedAtUs: now - 5 * S, health: 'healthy' }, now)).toBe('Up 5 seconds (healthy)');
    expect(containerStatus({ running: true, restarting: true, exitCode: 1, finishedAtUs: now - 2 * S }, now)).toBe('Restarting (1) 2 seconds ago');
    expect(containerStatus({ running: false, exitCode: 0, startedAtUs: now - 10 * S, finishedAtUs: now - 5 * S }, now)).toBe('Exited (0) 5 seconds ago');
    expect(containerStatus({ running: false, exitCode: 137, startedAtUs: now - DAY, finishedAtUs: now - 3 * DAY }, now)).toBe('Exited (137) 3 days ago');
    expect(containerStatus({ running: false }, now)).toBe('Created');
    expect(containerStatus({ running: false, dead: true }, now)).toBe('Dead');
    expect(containerStatus({ running: false, removing: true }, now)).toBe('Removal In Progress');
  });
});

describe('timestamps', () => {
  it('RFC 3339 with trimmed nanoseconds, Time.String(), CreatedAt', () => {
    const t = 1_767_603_600 * S; // 2026-01-05 09:00:00 UTC
    expect(rfc3339Nano(t)).toBe('2026-01-05T09:00:00Z');
    expect(rfc3339Nano(t + 123_456)).toBe('2026-01-05T09:00:00.123456Z');
    expect(rfc3339Nano(t + 500_000, 7)).toBe('2026-01-05T09:00:00.500000007Z');
    expect(goTimeString(t + 120_000)).toBe('2026-01-05 09:00:00.12 +0000 UTC');
    expect(createdAt(1_767_603_600)).toBe('2026-01-05 09:00:00 +0000 UTC');
    expect(rfc3339Nano(0)).toBe('1970-01-01T00:00:00Z');
    expect(ZERO_TIME).toBe('0001-01-01T00:00:00Z');
    expect(rfc3339ToGoString('2016-01-01T00:00:00Z')).toBe('2016-01-01 00:00:00 +0000 UTC');
    expect(rfc3339ToGoString('2024-05-01T10:00:00.123450+02:00')).toBe('2024-05-01 10:00:00.12345 +0200 +0200');
    expect(rfc3339ToGoString('0001-01-01T00:00:00Z')).toBe('0001-01-01 00:00:00 +0000 UTC');
  });

  it('parses back what it prints (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800 * S }), (us) => {
        expect(parseRFC3339(rfc3339Nano(us))).toBe(us);
        expect(rfc3339ToGoString(rfc3339Nano(us))).toBe(goTimeString(us));
      }),
    );
  });
});

describe('float formatting', () => {
  it('rounds exact ties to even, as strconv does', () => {
    expect(formatFloat(2.25, 'f', 1)).toBe('2.2');
    expect(formatFloat(2.35, 'f', 1)).toBe('2.4'); // 2.35 is slightly above in binary
    expect(formatFloat(0.5, 'f', 0)).toBe('0');
    expect(formatFloat(1.5, 'f', 0)).toBe('2');
    expect(formatFloat(1e22, 'f', 2)).toBe('10000000000000000000000.00');
    expect(formatFloat(1234.5678, 'e', 3)).toBe('1.235e+03');
    expect(formatFloat(9.9999, 'e', 2)).toBe('1.00e+01');
    expect(formatFloat(0, 'e', 2)).toBe('0.00e+00');
    expect(formatFloat(100, 'g', 2)).toBe('1e+02');
    expect(formatFloat(123456789, 'g', -1)).toBe('1.23456789e+08');
    expect(formatFloat(-0.0001, 'g', -1)).toBe('-0.0001');
  });

  it('17 significant digits round-trip (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), (x) => {
        expect(Number(formatFloat(x, 'e', 16))).toBe(x);
        expect(Number(formatFloat(x, 'g', -1))).toBe(x);
      }),
    );
  });
});
