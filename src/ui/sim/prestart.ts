/**
 * Start the simulators of a page's terminals as early as possible: this tiny module runs before
 * the terminal's own code (xterm.js) has even loaded, so the worker fetches, compiles and builds
 * its world in parallel. The terminal adopts the worker and the messages it already sent.
 */
import type { FromWorker, ToWorker } from './protocol.ts';

interface Started {
  readonly worker: Worker;
  readonly queue: FromWorker[];
}

const started = new Map<Element, Started>();

export function spawnSimulator(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'packet-path-sim' });
}

/**
 * Start a worker for every terminal on the page that has none yet. The page loads this script
 * with `async`, so it may run while the page is still being parsed: terminals that appear later
 * are started as the parser inserts them.
 */
export function prestart(): void {
  startAll();
  if (document.readyState === 'loading') {
    const mo = new MutationObserver(() => startAll());
    mo.observe(document.documentElement, { childList: true, subtree: true });
    document.addEventListener('DOMContentLoaded', () => {
      mo.disconnect();
      startAll();
    });
  }
}

function startAll(): void {
  for (const el of document.querySelectorAll<HTMLElement>('pp-terminal[data-spec]')) {
    if (started.has(el)) continue;
    const worker = spawnSimulator();
    const queue: FromWorker[] = [];
    worker.onmessage = (ev: MessageEvent<FromWorker>) => {
      if (ev.data.type === 'ready') performance.mark('pp-sim-ready');
      queue.push(ev.data);
    };
    const msg: ToWorker = { type: 'start', spec: JSON.parse(el.dataset.spec ?? '{}'), pace: true };
    worker.postMessage(msg);
    started.set(el, { worker, queue });
    performance.mark('pp-sim-started');
  }
}

/** The worker started for this terminal element, with the messages it sent so far (once). */
export function adopt(el: Element): Started | null {
  const s = started.get(el) ?? null;
  started.delete(el);
  return s;
}
