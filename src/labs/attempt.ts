/**
 * A learner's attempt at a lab: the world of one variant plus everything done to it, as a
 * history. The simulator is deterministic, so the history is the state: replaying it on a fresh
 * start of the same variant gives the same world, byte for byte. That is how an attempt survives
 * a reload (the page stores the history, not the world), how undo works (replay all but the last
 * command) and how a shared link reproduces a variant (the link holds the seed).
 *
 * Everything that touches the world goes into the history, not just command lines: a check and a
 * hint lookup send real probe traffic (ARP entries, conntrack entries, counters, virtual time), so
 * they are replayed too. A command stopped by Ctrl+C records how much virtual time it had run, and
 * the replay stops it at the same point.
 */
import type { CommandIO } from '../shell/lang/runtime.ts';
import type { SessionOptions } from '../shell/index.ts';
import { grade, hintsNow, solutionFor, startLab, type Grade, type LabInstance, type StartOptions } from './runner.ts';
import type { Hint, Lab } from './schema.ts';

export type HistoryEntry =
  /** a command line as typed; `stoppedAfter`: virtual µs after which Ctrl+C stopped it */
  | { readonly kind: 'line'; readonly line: string; readonly stoppedAfter?: number }
  /** the learner pressed Check */
  | { readonly kind: 'check' }
  /** the learner asked for the next hint */
  | { readonly kind: 'hint' };

export interface AttemptOptions extends Omit<StartOptions, 'healthy' | 'session' | 'interactive'> {
  /** called while a command lets virtual time pass (the page paces time and notices Ctrl+C) */
  readonly onSlice?: (virtualMicros: number) => Promise<void>;
}

const quiet: CommandIO = { stdin: '', out: () => {}, err: () => {}, tty: true };

/** Minutes on the lab after which the solution unlocks, once the learner has checked once. */
export const SOLUTION_AFTER_MINUTES = 10;

export class LabAttempt {
  readonly lab: Lab;
  readonly seed: number;
  private readonly options: AttemptOptions;
  /** the world and the learner's session as they are now (replaced by undo and reset) */
  inst: LabInstance;
  private entries: HistoryEntry[] = [];
  private revealed: Hint[] = [];
  private graded: Grade | null = null;
  private readonly replaying: { on: boolean };

  private constructor(lab: Lab, seed: number, options: AttemptOptions, inst: LabInstance, replaying: { on: boolean }) {
    this.replaying = replaying;
    this.lab = lab;
    this.seed = seed;
    this.options = options;
    this.inst = inst;
  }

  /** Start the lab's broken world for a seed, then replay a stored history on it. */
  static async start(lab: Lab, seed: number, options: AttemptOptions = {}, history: readonly HistoryEntry[] = []): Promise<LabAttempt> {
    const replaying = { on: false };
    const a = new LabAttempt(lab, seed, options, await LabAttempt.fresh(lab, seed, options, replaying), replaying);
    await a.replay(history);
    return a;
  }

  private static fresh(lab: Lab, seed: number, options: AttemptOptions, replaying: { on: boolean }): Promise<LabInstance> {
    const pace = options.onSlice;
    // a replay runs at full speed: only the learner's own commands are paced
    const session: SessionOptions = { interactive: true, onSlice: pace ? (v) => (replaying.on ? Promise.resolve() : pace(v)) : undefined };
    return startLab(lab, seed, { scenarioText: options.scenarioText, session });
  }

  get history(): readonly HistoryEntry[] {
    return this.entries;
  }

  get variant() {
    return this.inst.variant;
  }

  /** Commands the learner has run. */
  get commands(): number {
    return this.entries.filter((e) => e.kind === 'line').length;
  }

  /** Checks the learner has asked for. */
  get checks(): number {
    return this.entries.filter((e) => e.kind === 'check').length;
  }

  /** Hints revealed so far. */
  get hintsUsed(): number {
    return this.entries.filter((e) => e.kind === 'hint').length;
  }

  /** Run a command line typed by the learner. */
  async run(line: string, io: CommandIO): Promise<number> {
    const session = this.inst.session;
    const t0 = this.inst.world.sched.now;
    const status = await session.run(line, io);
    const at = session.interruptedAt;
    this.entries.push(at !== null ? { kind: 'line', line, stoppedAfter: at - t0 } : { kind: 'line', line });
    return status;
  }

  /** Grade the world now (and remember that the learner checked). */
  async check(): Promise<Grade> {
    this.entries.push({ kind: 'check' });
    this.graded = await grade(this.inst);
    return this.graded;
  }

  /** The result of the last Check, if any (replayed with the history, so it survives a reload). */
  get lastGrade(): Grade | null {
    return this.graded;
  }

  /** The hints revealed so far, in order. */
  get hints(): readonly Hint[] {
    return this.revealed;
  }

  /** The next hint of the ladder, as the world is now; null when every hint is out. */
  async nextHint(): Promise<{ hint: Hint; index: number; total: number } | null> {
    // the ladder as the world is now, without what was already revealed: counting revealed hints
    // against it would skip one when a situation hint stops applying after the learner acts
    const ladder = (await hintsNow(this.inst)).filter((h) => !this.revealed.includes(h));
    const used = this.revealed.length;
    if (!ladder.length) return null;
    this.entries.push({ kind: 'hint' });
    this.revealed.push(ladder[0]);
    return { hint: ladder[0], index: used, total: used + ladder.length };
  }

  /**
   * Whether the reference solution may be shown: after a real attempt, that is after at least one
   * command and one Check, and then either every hint revealed or `SOLUTION_AFTER_MINUTES` spent.
   */
  solutionUnlocked(minutesSpent: number, hintsTotal: number): boolean {
    if (this.commands === 0 || this.checks === 0) return false;
    return this.hintsUsed >= hintsTotal || minutesSpent >= SOLUTION_AFTER_MINUTES;
  }

  solution(): string[] {
    return solutionFor(this.inst);
  }

  /** Take back the last command line: the world is rebuilt and the rest of the history replayed. */
  async undo(): Promise<string | null> {
    let last = -1;
    for (let i = this.entries.length - 1; i >= 0; i--)
      if (this.entries[i].kind === 'line') {
        last = i;
        break;
      }
    if (last < 0) return null;
    const removed = this.entries[last] as Extract<HistoryEntry, { kind: 'line' }>;
    const keep = this.entries.filter((_, i) => i !== last);
    await this.reset(keep);
    return removed.line;
  }

  /** Start over on the same variant, optionally replaying a history. */
  async reset(history: readonly HistoryEntry[] = []): Promise<void> {
    this.inst = await LabAttempt.fresh(this.lab, this.seed, this.options, this.replaying);
    this.entries = [];
    this.revealed = [];
    this.graded = null;
    await this.replay(history);
  }

  private async replay(history: readonly HistoryEntry[]): Promise<void> {
    this.replaying.on = true;
    try {
      await this.replayAll(history);
    } finally {
      this.replaying.on = false;
    }
  }

  private async replayAll(history: readonly HistoryEntry[]): Promise<void> {
    for (const e of history) {
      if (e.kind === 'line') {
        const session = this.inst.session;
        if (e.stoppedAfter === undefined) await session.run(e.line, quiet);
        else await this.replayStopped(e.line, e.stoppedAfter);
        this.entries.push(e);
      } else if (e.kind === 'check') await this.check();
      else await this.nextHint();
    }
  }

  /** Replay a command that Ctrl+C stopped, stopping it at the same virtual time. */
  private async replayStopped(line: string, after: number): Promise<void> {
    const session = this.inst.session;
    session.stopAt = this.inst.world.sched.now + after;
    try {
      await session.run(line, quiet);
    } finally {
      session.stopAt = null;
    }
  }
}
