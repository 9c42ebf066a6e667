/**
 * Shared helpers for the test suites: run scripts on fresh worlds, read fixtures, normalise the
 * parts of real tool output that differ from run to run (MAC addresses, times, link-local IPv6).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, runLine, type LineResult } from '../src/shell/index.ts';
import { createWorld } from '../src/sim/worlds/index.ts';
import type { World } from '../src/sim/net/world.ts';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

export function world(name: 'bare' | 'linux' | 'docker', seed = 1): World {
  return createWorld(name, seed)!;
}

/** Run each line of `script` (one command line per line) and return what each printed. */
export async function run(w: World, script: string | string[]): Promise<LineResult[]> {
  const session = new Session(w, {});
  const lines = Array.isArray(script) ? script : script.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const out: LineResult[] = [];
  for (const l of lines) out.push(await runLine(session, l));
  if (session.internalErrors.length) throw session.internalErrors[0];
  return out;
}

/** Run one command line on a fresh world of that name, with setup lines first. */
export async function last(w: World, script: string | string[]): Promise<LineResult> {
  const r = await run(w, script);
  return r[r.length - 1];
}

/** Replace what legitimately differs between two runs of real Linux (and the simulator). */
export function normalize(s: string): string {
  return s
    .replace(/\b([0-9a-f]{2}:){5}[0-9a-f]{2}\b/g, 'MAC')
    .replace(/8000\.[0-9a-f]{12}/g, '8000.BRIDGEID')
    .replace(/fe80::[0-9a-f:]+/g, 'LL6')
    .replace(/time=[\d.]+ ms/g, 'time=T ms')
    .replace(/= [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms/g, '= RTT')
    .replace(/\b\d+\.\d{3} ms\b/g, 'T ms')
    .replace(/\b\d+\.\d{3}ms\b/g, 'Tms')
    .replace(/time \d+ms/g, 'time Tms')
    .replace(/gc_timer +[\d.]+/g, 'gc_timer T')
    .replace(/forward_delay_timer +[\d.]+/g, 'forward_delay_timer T')
    .replace(/Date: .+\r/g, 'Date: D\r')
    .replace(/Last-Modified: .+\r/g, 'Last-Modified: D\r')
    .replace(/\[\d\d\/\w{3}\/\d{4} \d\d:\d\d:\d\d\]/g, '[DATE]')
    // tcpdump: clock, initial sequence numbers, TCP timestamps, ICMP ids, ephemeral ports
    .replace(/\b\d\d:\d\d:\d\d\.\d{6}\b/g, 'TS')
    .replace(/\b(seq|ack) \d{6,}/g, '$1 N')
    .replace(/TS val \d+ ecr \d+/g, 'TS val V ecr E')
    .replace(/\bid \d+, seq/g, 'id I, seq')
    .replace(/\b(\d+\.\d+\.\d+\.\d+)([.:])(3[2-9]\d{3}|[45]\d{4}|60\d{3})\b/g, '$1$2EPH')
    // curl: the progress meter's speeds and how late a timeout fired
    .replace(/\r(.{3} .{5} {2}.{3} .{5} {2}.{3} .{5}) {2}.{5} {2}.{5} (.{8} .{8} .{8}) .{5}/g, '\r$1  SPEED  SPEED $2 SPEED')
    .replace(/after \d+ milliseconds/g, 'after N milliseconds')
    .replace(/on (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}/g, 'on DATE');
}
