/**
 * A lab attempt is its history: replaying the history on a fresh start of the same variant gives
 * the same world (same virtual time, same neighbour and conntrack entries, same counters), which
 * is what makes reload, undo and shared links work (src/labs/attempt.ts).
 */
import { describe, expect, it } from 'vitest';
import { loadLabs } from '../src/cli/labs.ts';
import { LabAttempt, type HistoryEntry } from '../src/labs/attempt.ts';
import { runLine } from '../src/shell/index.ts';
import type { CommandIO } from '../src/shell/lang/runtime.ts';

const labs = loadLabs();
const first = labs.find((l) => l.lab.id === 'names-dont-resolve')!;

function sink(): CommandIO & { text: string } {
  const io = { stdin: '', tty: true, text: '', out: (t: string) => void (io.text += t), err: (t: string) => void (io.text += t) };
  return io;
}

/** What the learner could observe of the world: enough to tell two worlds apart. */
async function observe(a: LabAttempt): Promise<string> {
  const lines = ['ip neigh', 'iptables -t nat -L -n -v', 'iptables -L FORWARD -n -v', 'conntrack -L', 'docker ps -a', 'docker network ls'];
  let out = `now=${a.inst.world.sched.now}\n`;
  for (const l of lines) out += `$ ${l}\n${(await runLine(a.inst.session, l)).output}`;
  return out;
}

describe('lab attempts', () => {
  it('replaying the history rebuilds the same world, Ctrl+C included', async () => {
    let a: LabAttempt | null = null;
    let slices = 0;
    a = await LabAttempt.start(first.lab, 3, {
      onSlice: async () => {
        // the learner presses Ctrl+C during the third slice of a ping without -c
        if (++slices === 3 && a) a.inst.session.interrupt.interrupted = true;
      },
    });
    const { app, api } = a.variant.vars;
    const io = sink();
    await a.run(`docker exec ${app} ping 172.17.0.1`, io);
    await a.run(`docker inspect -f '{{.NetworkSettings.IPAddress}}' ${api}`, io);
    expect((await a.check()).passed).toBe(false);
    expect(await a.nextHint()).not.toBeNull();
    await a.run(`ping -c 2 172.17.0.2`, io);
    const stopped = a.history[0];
    expect(stopped).toMatchObject({ kind: 'line', stoppedAfter: expect.any(Number) });
    expect((stopped as { stoppedAfter: number }).stoppedAfter).toBeGreaterThan(0);
    expect(a.history.map((e) => e.kind)).toEqual(['line', 'line', 'check', 'hint', 'line']);

    const stored: HistoryEntry[] = JSON.parse(JSON.stringify(a.history));
    const b = await LabAttempt.start(first.lab, 3, {}, stored);
    expect(b.history).toEqual(a.history);
    expect(b.hintsUsed).toBe(1);
    expect(await observe(b)).toBe(await observe(a));
  });

  it('undo takes back the last command line and only that', async () => {
    const a = await LabAttempt.start(first.lab, 5);
    const { app, api, net } = a.variant.vars;
    const io = sink();
    await a.run(`docker network create ${net}x`, io);
    await a.check();
    await a.run(`docker network connect ${net}x ${app}`, io);
    expect(await a.undo()).toBe(`docker network connect ${net}x ${app}`);
    expect(a.history.map((e) => (e.kind === 'line' ? e.line : e.kind))).toEqual([`docker network create ${net}x`, 'check']);
    const ref = await LabAttempt.start(first.lab, 5, {}, a.history);
    expect(await observe(a)).toBe(await observe(ref));
    expect((await runLine(a.inst.session, `docker inspect -f '{{len .NetworkSettings.Networks}}' ${app}`)).output).toBe('1\n');
    expect(api).toBeTruthy();
    // nothing left to undo after the last line goes
    await a.undo();
    expect(await a.undo()).toBeNull();
  });

  it('the solution unlocks only after a real attempt', async () => {
    const a = await LabAttempt.start(first.lab, 2);
    const total = a.lab.hints.length;
    expect(a.solutionUnlocked(30, total)).toBe(false);
    await a.run('docker ps', sink());
    expect(a.solutionUnlocked(30, total)).toBe(false);
    await a.check();
    expect(a.solutionUnlocked(3, total)).toBe(false);
    expect(a.solutionUnlocked(10, total)).toBe(true);
    while (await a.nextHint()) {
      /* reveal the whole ladder */
    }
    expect(a.solutionUnlocked(1, a.hintsUsed)).toBe(true);
  });

  it('the hint ladder never skips a hint when the world changes under it', async () => {
    // seed 2: both containers on the default bridge; the hint for that situation comes first
    const a = await LabAttempt.start(first.lab, 2);
    expect(a.variant.fault).toBe('default-bridge');
    const { app } = a.variant.vars;
    const h1 = await a.nextHint();
    expect(h1?.hint.text).toContain('default `bridge` network');
    // the learner takes app off the default bridge: that situation hint no longer applies, and
    // the next one must be the first general hint, not the second
    await a.run(`docker network disconnect bridge ${app}`, sink());
    const h2 = await a.nextHint();
    expect(h2?.hint.text).toBe(first.lab.hints.filter((h) => !h.when)[0].text);
    expect(h2?.index).toBe(1);
    expect(h2?.total).toBe(3);
    const h3 = await a.nextHint();
    expect(h3?.hint.text).toBe(first.lab.hints.filter((h) => !h.when)[1].text);
    expect(await a.nextHint()).toBeNull();
  });

  it('reset starts the same variant over', async () => {
    const a = await LabAttempt.start(first.lab, 7);
    const before = await observe(await LabAttempt.start(first.lab, 7));
    await a.run(`docker rm -f ${a.variant.vars.app}`, sink());
    await a.reset();
    expect(a.history).toEqual([]);
    expect(await observe(a)).toBe(before);
  });
});
