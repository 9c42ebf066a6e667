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
import type { FromWorker, LabReply, LabRequest, ToWorker } from './protocol.ts';
import type { LabAttempt } from '../../labs/attempt.ts';
import type { Grade } from '../../labs/runner.ts';
import { readFile } from '../../shell/files.ts';

const post = (m: FromWorker) => (self as unknown as { postMessage(m: FromWorker): void }).postMessage(m);

let lab: Lab | null = null;
/** the graded lab's attempt, on a graded lab's page */
let attempt: LabAttempt | null = null;
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

/** Make `l` the world the terminal talks to. */
function bind(l: Lab): void {
  lab = l;
  l.session.backgroundSink = terminalIO;
  l.world.trace.subscribe((ev) => running?.events.push(ev));
}

async function start(msg: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  pace = msg.pace;
  try {
    const g = msg.spec.graded;
    if (g) {
      // the lab engine (grader, checks, the scenario parser) loads only on a graded lab's page
      const { LabAttempt } = await import('../../labs/attempt.ts');
      attempt = await LabAttempt.start(g.lab, g.seed, { scenarioText: g.scenarioText, onSlice }, g.history);
      bind({ world: attempt.inst.world, session: attempt.inst.session, setup: [] });
    } else bind(await startLab(msg.spec, { interactive: true, onSlice }));
  } catch (e) {
    post({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
    return;
  }
  const l = lab!;
  post({
    type: 'ready',
    prompt: l.session.prompt(),
    topology: extractTopology(l.world),
    setup: l.setup.map((r) => ({ command: r.command, output: r.output })),
  });
  postLabState();
}

function postLabState(): void {
  if (!attempt) return;
  const v = attempt.variant;
  const hintsTotal = attempt.inst.view.hints.filter((h) => !h.fault || h.fault === v.fault).length;
  const g = attempt.lastGrade;
  const brief = (ts: Grade['tasks']) => ts.map((t) => ({ id: t.id, ok: t.ok, message: t.checks.filter((c) => !c.ok).map((c) => c.message).join('; ') }));
  const lastCheck = g ? { passed: g.passed, tasks: brief(g.tasks), guards: brief(g.guards) } : null;
  post({ type: 'lab-state', state: { seed: v.seed, vars: v.vars, history: attempt.history, hintsTotal, hints: attempt.hints.map((h) => h.text), lastCheck } });
}

const quietIO: CommandIO = { stdin: '', out: () => {}, err: () => {}, tty: false };

/** A here-document that writes `text` to `path`, with a delimiter the text does not contain. */
function writeCommand(path: string, text: string): string {
  let delim = 'PP_EOF';
  for (let n = 2; text.split('\n').includes(delim); n++) delim = `PP_EOF${n}`;
  const body = text.endsWith('\n') || text === '' ? text : `${text}\n`;
  return `cat > '${path.replace(/'/g, "'\\''")}' <<'${delim}'\n${body}${delim}`;
}

async function labRequest(id: number, req: LabRequest): Promise<void> {
  const a = attempt;
  if (!a) return;
  let reply: LabReply;
  switch (req.op) {
    case 'check':
      reply = { op: 'check', grade: await a.check() };
      break;
    case 'hint': {
      const h = await a.nextHint();
      reply = { op: 'hint', hint: h ? { text: h.hint.text, index: h.index, total: h.total } : null };
      break;
    }
    case 'undo': {
      const line = await a.undo();
      bind({ world: a.inst.world, session: a.inst.session, setup: [] });
      reply = { op: 'undo', line, prompt: a.inst.session.prompt(), topology: extractTopology(a.inst.world) };
      break;
    }
    case 'solution':
      reply = { op: 'solution', lines: a.solution() };
      break;
    case 'read-file': {
      const r = readFile(a.inst.session.place, req.path);
      reply = r.ok ? { op: 'read-file', text: r.value } : { op: 'read-file', text: null, error: r.errno };
      break;
    }
    case 'write-file': {
      let out = '';
      const io: CommandIO = { ...quietIO, err: (t) => void (out += t) };
      const status = await a.run(writeCommand(req.path, req.text), io);
      reply = status === 0 ? { op: 'write-file', ok: true } : { op: 'write-file', ok: false, error: out.trim() || `exit status ${status}` };
      break;
    }
  }
  post({ type: 'lab-reply', id, reply });
  postLabState();
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
    status = attempt ? await attempt.run(line, terminalIO) : await l.session.run(line, terminalIO);
    flushTrace();
    running = null;
    if (l.session.interrupt.interrupted) break;
  }
  post({ type: 'done', cmd: msg.cmd, status, prompt: l.session.prompt(), topology: extractTopology(l.world), ended: l.session.ended });
  postLabState();
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
    case 'lab':
      queue = queue.then(() => labRequest(msg.id, msg.req));
      break;
    case 'complete': {
      const r = lab ? lab.session.complete(msg.line, msg.cursor) : { start: msg.cursor, end: msg.cursor, candidates: [] };
      post({ type: 'completion', id: msg.id, start: r.start, end: r.end, candidates: r.candidates });
      break;
    }
  }
};
