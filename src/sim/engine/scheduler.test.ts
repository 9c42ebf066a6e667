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
