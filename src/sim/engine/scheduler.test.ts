import { describe, expect, it } from 'vitest';
import { Scheduler } from './scheduler.ts';
import { Rng } from './rng.ts';

describe('Scheduler', () => {
  it('runs events in time order, ties in scheduling order', () => {
    const s = new Scheduler();
    const seen: string[] = [];
    s.after(20, () => seen.push('b'));
    s.after(10, () => seen.push('a1'));
    s.after(10, () => seen.push('a2'));
    s.after(30, () => seen.push('c'));
    s.advanceTo(100);
    expect(seen).toEqual(['a1', 'a2', 'b', 'c']);
    expect(s.now).toBe(100);
  });

  it('leaves events due at the deadline for later (a timeout wins a tie with a timer)', () => {
    const s = new Scheduler();
    let fired = false;
    s.after(1000, () => {
      fired = true;
    });
    const done = s.runUntil(() => false, 1000);
    expect(done).toBe(false);
    expect(fired).toBe(false);
    expect(s.now).toBe(1000);
    s.advanceTo(1001);
    expect(fired).toBe(true);
  });

  it('stops as soon as the condition holds', () => {
    const s = new Scheduler();
    let n = 0;
    for (let i = 1; i <= 5; i++) s.after(i, () => n++);
    expect(s.runUntil(() => n === 3, Infinity)).toBe(true);
    expect(s.now).toBe(3);
  });

  it('cancelled timers never run', () => {
    const s = new Scheduler();
    let fired = false;
    const t = s.after(5, () => {
      fired = true;
    });
    t.cancel();
    s.advanceTo(10);
    expect(fired).toBe(false);
    expect(s.idle).toBe(true);
  });
});

describe('Rng', () => {
  it('is deterministic for a seed', () => {
    const a = new Rng(123);
    const b = new Rng(123);
    const xs = Array.from({ length: 20 }, () => a.nextU32());
    expect(Array.from({ length: 20 }, () => b.nextU32())).toEqual(xs);
  });

  it('makes locally administered unicast MACs', () => {
    const r = new Rng(9);
    for (let i = 0; i < 50; i++) {
      const first = parseInt(r.mac().slice(0, 2), 16);
      expect(first & 1).toBe(0);
      expect(first & 2).toBe(2);
    }
  });
});

describe('background timers', () => {
  it('run when time passes, but leave the scheduler idle and do not keep an endless run going', () => {
    const s = new Scheduler();
    let ticks = 0;
    const tick = () => {
      ticks++;
      s.background(1000, tick);
    };
    s.background(1000, tick);
    expect(s.idle).toBe(true);
    s.advanceTo(5500);
    expect(ticks).toBe(5);
    // nothing else to wait for: a run without a deadline returns at once
    expect(s.runUntil(() => false, Infinity)).toBe(false);
    expect(s.now).toBe(5500);
    // a foreground event keeps the scheduler busy until it has run, background ticks on the way
    let fired = false;
    s.after(2200, () => (fired = true));
    expect(s.idle).toBe(false);
    expect(s.runUntil(() => fired, Infinity)).toBe(true);
    expect(ticks).toBe(7);
    expect(s.idle).toBe(true);
  });

  it('a cancelled foreground timer no longer counts', () => {
    const s = new Scheduler();
    const t = s.after(10, () => undefined);
    expect(s.idle).toBe(false);
    t.cancel();
    t.cancel();
    expect(s.idle).toBe(true);
  });
});

describe('chattering', () => {
  it('says whether background timers wait', () => {
    const s = new Scheduler();
    expect(s.chattering).toBe(false);
    const t = s.background(10, () => undefined);
    expect(s.chattering).toBe(true);
    t.cancel();
    expect(s.chattering).toBe(false);
  });
});
