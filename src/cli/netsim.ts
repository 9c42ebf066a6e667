#!/usr/bin/env node
/**
 * netsim: the headless Packet Path simulator. A public contract (docs/netsim.md):
 *
 *   netsim [--world NAME | --scenario FILE | --lab ID [--check]] [--json] [--seed N] [--transcript] [SCRIPT | -]
 *   netsim --list-worlds | --list-labs
 *
 * Runs a shell script line by line as a person would type it at the terminal, starting as root on
 * the world's first host. Plain mode prints what each command printed; --json prints one JSON
 * object per command line. The exit status is the last command line's.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createWorld, WORLD_DESCRIPTIONS, WORLD_NAMES } from '../sim/worlds/index.ts';
import { loadScenarioText } from '../sim/scenario/load.ts';
import { Session, runScript, runLine, commandLines, analyzeInput } from '../shell/index.ts';
import { runScenarioSetup } from '../shell/setup.ts';
import type { World } from '../sim/net/world.ts';
import { formatTraceTable } from '../sim/trace/text.ts';
import { loadLabs } from './labs.ts';
import { grade, gradeText, LabError, startLab } from '../labs/runner.ts';

const VERSION = '0.1.0';

const USAGE = `Usage: netsim [--world NAME | --scenario FILE | --lab ID [--check]] [--json] [--seed N] [--transcript] [SCRIPT | -]

Runs a shell script against the Packet Path network simulator, line by line, as a person would
type it at a terminal: the prompt starts as root on the world's first host.

  --world NAME      start from a named world: ${WORLD_NAMES.join(', ')} (default: linux)
  --scenario FILE   start from a scenario file (YAML, see docs/scenario-format.md)
  --lab ID          start from a lab's broken world (the variant --seed selects) and run
                    the script in it as the learner would type it
  --check           with --lab: grade the world after the script and print each task's
                    result; exit 0 only when every task and guard passes
  --json            print one JSON object per command line:
                    {"host","namespace","command","exitCode","output"}
  --seed N          seed for MAC addresses, ports and ids (default 1)
  --transcript      plain mode: also print the prompt and each command, like a terminal
  --trace           also show each command line's packet trace (a table in plain mode,
                    a "trace" array of events in --json mode)
  --list-worlds     list the named worlds and exit
  --list-labs       list the lab ids, one per line, and exit
  -h, --help        show this help
  -V, --version     show the version

SCRIPT is a file; '-' or no SCRIPT reads standard input. With no SCRIPT and a terminal on
standard input, netsim starts an interactive shell.
`;

interface Args {
  lab: string | null;
  check: boolean;
  world: string | null;
  scenario: string | null;
  json: boolean;
  seed: number;
  transcript: boolean;
  trace: boolean;
  script: string | null;
}

function fail(msg: string): never {
  process.stderr.write(`netsim: ${msg}\nTry 'netsim --help' for more information.\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const a: Args = { lab: null, check: false, world: null, scenario: null, json: false, seed: 1, transcript: false, trace: false, script: null };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) fail(`option '${x}' requires an argument`);
      return v;
    };
    if (x === '--world' || x === '-w') a.world = val();
    else if (x.startsWith('--world=')) a.world = x.slice(8);
    else if (x === '--scenario' || x === '-s') a.scenario = val();
    else if (x.startsWith('--scenario=')) a.scenario = x.slice(11);
    else if (x === '--json') a.json = true;
    else if (x === '--lab') a.lab = val();
    else if (x.startsWith('--lab=')) a.lab = x.slice(6);
    else if (x === '--check') a.check = true;
    else if (x === '--list-labs') {
      for (const l of labsOrFail()) process.stdout.write(`${l.lab.id}\n`);
      process.exit(0);
    }
    else if (x === '--transcript') a.transcript = true;
    else if (x === '--trace') a.trace = true;
    else if (x === '--seed') {
      const v = val();
      if (!/^\d+$/.test(v)) fail(`invalid seed '${v}'`);
      a.seed = Number(v);
    } else if (x === '-h' || x === '--help') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (x === '-V' || x === '--version') {
      process.stdout.write(`netsim ${VERSION}\n`);
      process.exit(0);
    } else if (x === '--list-worlds') {
      for (const n of WORLD_NAMES) process.stdout.write(`${n.padEnd(8)} ${WORLD_DESCRIPTIONS[n as 'bare']}\n`);
      process.exit(0);
    } else if (x === '-') a.script = '-';
    else if (x.startsWith('-')) fail(`unknown option '${x}'`);
    else if (a.script === null) a.script = x;
    else fail(`unexpected argument '${x}'`);
  }
  if ([a.world, a.scenario, a.lab].filter((x) => x !== null).length > 1) fail('--world, --scenario and --lab cannot be used together');
  if (a.check && a.lab === null) fail('--check needs --lab');
  return a;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.lab !== null) return runLab(args);
  let world: World;
  let setup: Awaited<ReturnType<typeof loadScenarioText>> | null = null;
  if (args.scenario !== null) {
    let text: string;
    try {
      text = readFileSync(args.scenario, 'utf8');
    } catch (e) {
      fail(`cannot read scenario '${args.scenario}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`);
    }
    const loaded = loadScenarioText(text, args.seed);
    if (!loaded.ok) {
      process.stderr.write(`netsim: invalid scenario '${args.scenario}':\n${loaded.errors.map((e) => `  ${e}`).join('\n')}\n`);
      return 2;
    }
    setup = loaded;
    world = loaded.world;
  } else {
    const name = args.world ?? 'linux';
    const w = createWorld(name, args.seed);
    if (!w) fail(`unknown world '${name}' (worlds: ${WORLD_NAMES.join(', ')})`);
    world = w;
  }

  const fromTty = args.script === null && process.stdin.isTTY;
  const session = new Session(world, { interactive: fromTty });
  if (setup) {
    const err = await runScenarioSetup(world, setup.scenario);
    if (err) {
      process.stderr.write(`netsim: scenario setup failed: ${err}\n`);
      return 2;
    }
  }
  if (fromTty) return interactive(session);

  let text: string;
  try {
    text = args.script === null || args.script === '-' ? readFileSync(0, 'utf8') : readFileSync(args.script, 'utf8');
  } catch (e) {
    fail(`cannot read '${args.script}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`);
  }
  let last = 0;
  await runScript(session, text, (r) => {
    last = r.exitCode;
    if (args.json) {
      const obj: Record<string, unknown> = { host: r.host, namespace: r.namespace, command: r.command, exitCode: r.exitCode, output: r.output };
      if (args.trace) obj.trace = r.events;
      process.stdout.write(`${JSON.stringify(obj)}\n`);
    } else {
      if (args.transcript) process.stdout.write(`${r.prompt}${r.command}\n`);
      process.stdout.write(r.output);
      if (args.trace && r.events.length) process.stdout.write(formatTraceTable(r.events));
    }
  });
  if (session.ended) return session.exitStatus;
  return last;
}

function labsOrFail(): ReturnType<typeof loadLabs> {
  try {
    return loadLabs();
  } catch (e) {
    process.stderr.write(`netsim: invalid labs:\n${(e as Error).message}\n`);
    process.exit(2);
  }
}

/** --lab: the learner's world headless; the script typed into it; --check grades it. */
async function runLab(args: Args): Promise<number> {
  const labs = labsOrFail();
  const found = labs.find((l) => l.lab.id === args.lab);
  if (!found) fail(`unknown lab '${args.lab}' (netsim --list-labs lists them)`);
  let inst;
  try {
    inst = await startLab(found.lab, args.seed, { scenarioText: found.scenarioText, interactive: args.script === null && process.stdin.isTTY });
  } catch (e) {
    if (e instanceof LabError) {
      process.stderr.write(`netsim: the lab cannot start: ${e.message}\n`);
      return 70;
    }
    throw e;
  }
  const session = inst.session;
  if (args.script === null && process.stdin.isTTY && !args.check) {
    process.stdout.write(`${inst.view.title}\n\n${inst.view.story.trim()}\n\n`);
    return interactive(session);
  }
  let last = 0;
  const text = args.script === null ? (args.check ? '' : readFileSync(0, 'utf8')) : args.script === '-' ? readFileSync(0, 'utf8') : readFileSync(args.script, 'utf8');
  await runScript(session, text, (r) => {
    last = r.exitCode;
    if (args.json) process.stdout.write(`${JSON.stringify({ host: r.host, namespace: r.namespace, command: r.command, exitCode: r.exitCode, output: r.output })}\n`);
    else {
      if (args.transcript) process.stdout.write(`${r.prompt}${r.command}\n`);
      process.stdout.write(r.output);
    }
  });
  if (!args.check) return last;
  const g = await grade(inst);
  if (args.json) process.stdout.write(`${JSON.stringify({ lab: inst.lab.id, seed: args.seed, passed: g.passed, tasks: g.tasks.map((t) => ({ id: t.id, title: t.title, ok: t.ok, messages: t.checks.map((c) => c.message) })), guards: g.guards.map((t) => ({ id: t.id, title: t.title, ok: t.ok, messages: t.checks.map((c) => c.message) })) })}\n`);
  else process.stdout.write(gradeText(g));
  return g.passed ? 0 : 1;
}

async function interactive(session: Session): Promise<number> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true, historySize: 1000 });
  session.backgroundSink = { stdin: '', out: (t) => process.stdout.write(t), err: (t) => process.stdout.write(t) };
  let pending = '';
  let last = 0;
  process.stdout.write('Packet Path simulator. Type `help` for the commands, `exit` to leave.\n');
  const ask = () => new Promise<string | null>((resolve) => {
    rl.question(pending ? '> ' : session.prompt(), (line) => resolve(line));
    rl.once('close', () => resolve(null));
  });
  rl.on('SIGINT', () => {
    session.interrupt.interrupted = true;
    pending = '';
    process.stdout.write('^C\n');
  });
  for (;;) {
    const line = await ask();
    if (line === null) break;
    pending += `${line}\n`;
    const a = analyzeInput(pending);
    if (a.status === 'incomplete') continue;
    const text = pending;
    pending = '';
    for (const cmd of commandLines(text)) {
      const r = await runLine(session, cmd);
      last = r.exitCode;
      process.stdout.write(r.output);
      if (session.ended) {
        rl.close();
        return session.exitStatus;
      }
    }
  }
  return last;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`netsim: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
