/**
 * Virtual time and the event queue.
 *
 * Time is an integer number of microseconds since the world was created. Nothing here reads a
 * real clock: a ping that waits one second for a reply that never comes advances `now` by one
 * second instantly. Events at the same instant run in the order they were scheduled, so a run is
 * fully deterministic. Background timers (a daemon's periodic chatter) run as time passes but do
 * not count as something to wait for.
 */

export type Micros = number;

export const MS: Micros = 1000;
export const SECOND: Micros = 1_000_000;

interface QueuedEvent {
  at: Micros;
  seq: number;
  fn: () => void;
  cancelled: boolean;
  /** a housekeeping timer: it runs when time passes, but never keeps anyone waiting for it */
  background: boolean;
  ran: boolean;
}

/** A handle that can cancel a scheduled event (a timer). */
export interface TimerHandle {
  cancel(): void;
}

export class Scheduler {
  private heap: QueuedEvent[] = [];
  private seq = 0;
  /** pending events that are not background timers */
  private foreground = 0;
  /** The current virtual time. */
  now: Micros = 0;

  /** Run `fn` after `delay` microseconds of virtual time. */
  after(delay: Micros, fn: () => void): TimerHandle {
    return this.at(this.now + Math.max(0, Math.round(delay)), fn);
  }

  /** Run `fn` at the absolute virtual time `at` (never earlier than now). */
  at(at: Micros, fn: () => void, background = false): TimerHandle {
    const ev: QueuedEvent = { at: Math.max(at, this.now), seq: this.seq++, fn, cancelled: false, background, ran: false };
    this.push(ev);
    if (!background) this.foreground++;
    return {
      cancel: () => {
        if (!ev.cancelled && !ev.ran && !ev.background) this.foreground--;
        ev.cancelled = true;
      },
    };
  }

  /**
   * A background timer (what a daemon does on its own: a protocol's keepalives, say). It runs
   * whenever virtual time passes it, but the scheduler counts as idle while only such timers are
   * waiting, and nobody waits for the next one when nothing else can happen.
   */
  background(delay: Micros, fn: () => void): TimerHandle {
    return this.at(this.now + Math.max(0, Math.round(delay)), fn, true);
  }

  /** True when no event is waiting (background timers aside). */
  get idle(): boolean {
    this.dropCancelled();
    return this.foreground === 0;
  }

  /** Whether background timers are waiting (something may still happen as time passes). */
  get chattering(): boolean {
    return this.heap.some((e) => e.background && !e.cancelled);
  }

  /** Time of the next pending event, or null. */
  nextTime(): Micros | null {
    this.dropCancelled();
    return this.heap.length ? this.heap[0].at : null;
  }

  /**
   * Run events in time order until `done()` holds or virtual time reaches `deadline`. Events due
   * at the deadline itself are left for later: a program whose timeout expires at t gives up
   * before a kernel timer due at the same t fires (a 1 s `nc -w1` sends one SYN, not two).
   * On return `now` is the time of the last event run, or `deadline` when it was reached.
   * Returns true when `done()` became true.
   */
  runUntil(done: () => boolean, deadline: Micros): boolean {
    for (;;) {
      if (done()) return true;
      this.dropCancelled();
      const next = this.heap[0];
      // with no end in sight, background timers alone do not keep the run going
      if (!next || next.at >= deadline || (deadline === Infinity && this.foreground === 0)) {
        if (deadline !== Infinity && deadline > this.now) this.now = deadline;
        return done();
      }
      this.pop();
      next.ran = true;
      if (!next.background) this.foreground--;
      this.now = next.at;
      next.fn();
    }
  }

  /** Advance time to `until`, running every event due on the way. */
  advanceTo(until: Micros): void {
    this.runUntil(() => false, until);
  }

  private dropCancelled(): void {
    while (this.heap.length && this.heap[0].cancelled) this.pop();
  }

  private less(a: QueuedEvent, b: QueuedEvent): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(ev: QueuedEvent): void {
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): QueuedEvent | undefined {
    const h = this.heap;
    if (!h.length) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
