/**
 * The plain-text projection of a trace: one row per event, for the packet table, for
 * `netsim --trace`, and for golden tests. The animated diagram reads the same events.
 */
import type { TraceEvent } from './events.ts';

export interface TraceRow {
  readonly seq: number;
  /** virtual time in µs, relative to the first event of the trace */
  readonly t: number;
  readonly packet: number;
  readonly place: string;
  readonly event: string;
  readonly detail: string;
}

export function toRows(events: readonly TraceEvent[]): TraceRow[] {
  const t0 = events.length ? events[0].t : 0;
  return events.map((e) => ({
    seq: e.seq,
    t: e.t - t0,
    packet: e.packetId,
    place: `${e.at.host}/${e.at.ns}${e.at.dev ? `/${e.at.dev}` : ''}`,
    event: e.kind,
    detail: e.summary,
  }));
}

/** An aligned text table (widths fitted to the content). */
export function formatTraceTable(events: readonly TraceEvent[]): string {
  const rows = toRows(events);
  if (!rows.length) return '(no packets)\n';
  const head = ['#', 'T(µs)', 'PKT', 'WHERE', 'EVENT', 'WHAT'];
  const cells = rows.map((r) => [String(r.seq), String(r.t), `p${r.packet}`, r.place, r.event, r.detail]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => (i === c.length - 1 ? x : i <= 1 ? x.padStart(widths[i]) : x.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return `${[line(head), ...cells.map(line)].join('\n')}\n`;
}
