/**
 * Collects trace events. The world owns one recorder; the shell reads `since(mark)` after a command
 * to hand that command's events to the views.
 */
import type { TraceEvent } from './events.ts';

/** Keep about this many events in memory (older ones are forgotten first, a quarter at a time). */
const MAX_EVENTS = 50_000;

export class TraceRecorder {
  private events: TraceEvent[] = [];
  /** seq of the first event still held */
  private base = 0;
  private nextSeq = 0;
  private listeners = new Set<(ev: TraceEvent) => void>();
  /** When false, events are counted but not stored (benchmarks of the bare path). */
  enabled = true;

  /** The next sequence number to hand out. */
  get seq(): number {
    return this.nextSeq;
  }

  emit(ev: Omit<TraceEvent, 'seq'>): void {
    const full = { seq: this.nextSeq++, ...ev } as TraceEvent;
    if (!this.enabled) return;
    this.events.push(full);
    // forget the oldest in batches, so that a long session does not pay a splice per event
    if (this.events.length > MAX_EVENTS + MAX_EVENTS / 4) {
      const drop = this.events.length - MAX_EVENTS;
      this.events.splice(0, drop);
      this.base += drop;
    }
    for (const l of this.listeners) l(full);
  }

  /** A mark to pass to `since` later. */
  mark(): number {
    return this.nextSeq;
  }

  /** Every event with seq >= mark that is still held. */
  since(mark: number): TraceEvent[] {
    const start = Math.max(0, mark - this.base);
    return this.events.slice(start);
  }

  /** Subscribe to events as they happen; returns an unsubscribe function. */
  subscribe(fn: (ev: TraceEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  clear(): void {
    this.base += this.events.length;
    this.events = [];
  }
}
