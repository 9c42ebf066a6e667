/**
 * The simulator's Web Worker: one world and one shell session per terminal. Running the
 * simulator here keeps typing, scrolling and the diagram's animation smooth while a command
 * works (a loop that builds a hundred namespaces, a long transfer), and Ctrl+C still gets through.
 *
 * Virtual time runs at the learner's pace while a command waits: `ping -c 3` takes two seconds,
 * as on a real machine (docs/decisions/0009-simulator-in-a-worker.md).
 */
import { analyzeInput, commandLines } from '../../shell/index.ts';
import type { CommandIO } from '../../shell/lang/runtime.ts';
import type { TraceEvent } from '../../sim/trace/events.ts';
import { extractTopology } from '../topology/extract.ts';
import { startLab, type Lab } from './lab.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const post = (m: FromWorker) => (self as unknown as { postMessage(m: FromWorker): void }).postMessage(m);

let lab: Lab | null = null;
let pace = true;
let anchor = { real: 0, virtual: 0 };
let running: { cmd: number; command: string; events: TraceEvent[] } | null = null;
let queue: Promise<void> = Promise.resolve();

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function flushTrace(): void {
  if (running && running.events.length) {
    post({ type: 'trace', cmd: running.cmd, command: running.command, events: running.events });
    running.events = [];
  }
}

/** Session pacing: let the real clock catch up with virtual time, a slice at a time. */
async function onSlice(virtualMicros: number): Promise<void> {
  flushTrace();
  if (!pace || !lab) return sleep(0);
  if (virtualMicros === 0) return sleep(50);
  const v = lab.world.sched.now;
  const due = anchor.real + (v - anchor.virtual) / 1000;
  const wait = due - performance.now();
  // never fall far behind: if the page was in the background, start counting again from now
  if (wait < -1000) anchor = { real: performance.now(), virtual: v };
  return sleep(Math.max(0, wait));
}

const terminalIO: CommandIO = {
  stdin: '',
  out: (text) => post({ type: 'out', text }),
  err: (text) => post({ type: 'out', text }),
  tty: true,
};

async function start(msg: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  pace = msg.pace;
  try {
    lab = await startLab(msg.spec, { interactive: true, onSlice });
  } catch (e) {
    post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
    return;
  }
  lab.session.backgroundSink = terminalIO;
  lab.world.trace.subscribe((ev) => running?.events.push(ev));
  post({
    type: 'ready',
    prompt: lab.session.prompt(),
    topology: extractTopology(lab.world),
    setup: lab.setup.map((r) => ({ command: r.command, output: r.output })),
  });
}

async function input(msg: Extract<ToWorker, { type: 'input' }>): Promise<void> {
  const l = lab;
  if (!l) return;
  const a = analyzeInput(msg.text.endsWith('\n') ? msg.text : `${msg.text}\n`);
  if (a.status === 'incomplete') {
    post({ type: 'incomplete', cmd: msg.cmd });
    return;
  }
  let status = 0;
  for (const line of commandLines(msg.text)) {
    if (l.session.ended) break;
    running = { cmd: msg.cmd, command: line, events: [] };
    anchor = { real: performance.now(), virtual: l.world.sched.now };
    status = await l.session.run(line, terminalIO);
    flushTrace();
    running = null;
    if (l.session.interrupt.interrupted) break;
  }
  post({ type: 'done', cmd: msg.cmd, status, prompt: l.session.prompt(), topology: extractTopology(l.world), ended: l.session.ended });
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  switch (msg.type) {
    case 'start':
      queue = queue.then(() => start(msg));
      break;
    case 'input':
      queue = queue.then(() => input(msg));
      break;
    case 'interrupt':
      if (lab) lab.session.interrupt.interrupted = true;
      break;
    case 'pace':
      pace = msg.pace;
      break;
    case 'complete': {
      const r = lab ? lab.session.complete(msg.line, msg.cursor) : { start: msg.cursor, end: msg.cursor, candidates: [] };
      post({ type: 'completion', id: msg.id, start: r.start, end: r.end, candidates: r.candidates });
      break;
    }
  }
};
