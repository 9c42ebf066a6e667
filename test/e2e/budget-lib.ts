/**
 * What JavaScript each built page loads, measured from the build output (dist/): the page's
 * module scripts and everything they import (statically or dynamically), the Web Workers they
 * start and what those import, and search's Pagefind script. Sizes are gzip -9 of the files.
 */
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname, resolve } from 'node:path';

export interface PageJs {
  readonly page: string;
  /** JS the page runs on its main thread (scripts and their imports) */
  readonly main: Map<string, number>;
  /** JS of the Web Workers it starts (the simulator) */
  readonly worker: Map<string, number>;
  readonly mainKB: number;
  readonly workerKB: number;
  /** the page embeds a terminal, a topology drawing and a packet table */
  readonly widgets: { terminal: boolean; topology: boolean; table: boolean };
  /** files whose text mentions monaco */
  readonly monaco: string[];
  readonly css: string[];
}

const gz = new Map<string, number>();
function gzSize(file: string): number {
  let n = gz.get(file);
  if (n === undefined) {
    n = gzipSync(readFileSync(file), { level: 9 }).length;
    gz.set(file, n);
  }
  return n;
}

function toFile(dist: string, from: string, ref: string): string | null {
  const p = ref.startsWith('/') ? join(dist, ref) : resolve(dirname(from), ref);
  return existsSync(p) ? p : null;
}

/** Files a JS file references: imports, dynamic imports, and (separately) worker entries. */
export function references(dist: string, file: string): { imports: string[]; workers: string[] } {
  const text = readFileSync(file, 'utf8');
  const workers = [...text.matchAll(/new Worker\(\s*new URL\(\s*[`"']([^`"']+\.js)[`"']/g)].map((m) => toFile(dist, file, m[1])).filter((x): x is string => !!x);
  const imports = [...text.matchAll(/(?:from\s*|import\s*\(\s*|import\s*)["'`]([^"'`]+\.js)["'`]/g)].map((m) => toFile(dist, file, m[1])).filter((x): x is string => !!x && !workers.includes(x));
  return { imports, workers };
}

function closure(dist: string, entries: string[], into: Map<string, number>, workers: Set<string>): void {
  const queue = [...entries];
  while (queue.length) {
    const f = queue.shift()!;
    if (into.has(f)) continue;
    into.set(f, gzSize(f));
    const r = references(dist, f);
    queue.push(...r.imports);
    for (const w of r.workers) workers.add(w);
  }
}

export function pageJs(dist: string, page: string, htmlFile: string): PageJs {
  const html = readFileSync(htmlFile, 'utf8');
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"/g), ...html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)].map((m) => toFile(dist, htmlFile, m[1])).filter((x): x is string => !!x);
  const main = new Map<string, number>();
  const workerEntries = new Set<string>();
  closure(dist, scripts, main, workerEntries);
  const worker = new Map<string, number>();
  const nested = new Set<string>();
  closure(dist, [...workerEntries], worker, nested);
  const sum = (m: Map<string, number>) => Math.round(([...m.values()].reduce((a, b) => a + b, 0) / 1024) * 10) / 10;
  const monaco = [...main.keys(), ...worker.keys()].filter((f) => /monaco|vs\/editor\/editor/.test(readFileSync(f, 'utf8')));
  const css = [...html.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
  return {
    page,
    main,
    worker,
    mainKB: sum(main),
    workerKB: sum(worker),
    widgets: { terminal: html.includes('<pp-terminal'), topology: html.includes('<pp-topology'), table: html.includes('<pp-packet-table') },
    monaco,
    css,
  };
}

/** Pagefind's script, loaded when the learner first opens search. */
export function searchKB(dist: string): number {
  const f = join(dist, 'pagefind', 'pagefind.js');
  return existsSync(f) ? Math.round((gzSize(f) / 1024) * 10) / 10 : 0;
}

export const BUDGETS = {
  /** a page without lab widgets, main thread */
  plainKB: 30,
  /** a lesson page with terminal, topology and table, main thread */
  labKB: 200,
  /** the simulator's worker (a separate budget, see docs/decisions/0011-javascript-budgets.md) */
  workerKB: 320,
};
