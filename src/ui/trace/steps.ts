/**
 * A trace as a sequence of steps: one per trace event, which is what the packet table lists and
 * what the diagram's player steps through. Some events move a packet (it is created, leaves or
 * reaches an interface, crosses a bridge, is forwarded, delivered or dropped); the others are
 * decisions taken where the packet already is (a route lookup, an iptables rule, a NAT rewrite,
 * an ARP lookup) and are shown as notes beside it.
 */
import type { TraceEvent } from '../../sim/trace/events.ts';
import { changedFields, headerLine, placeId, placeLabel, ruleText } from './format.ts';

export interface Step {
  /** position in the trace, from 0 */
  readonly index: number;
  readonly event: TraceEvent;
  /** `host/ns[/dev]` */
  readonly place: string;
  /** readable place, e.g. "red: veth-red" */
  readonly placeText: string;
  /** where the packet is drawn after this step: a layout node id (interface or namespace) */
  readonly at: string;
  /** the packet moves to `at` at this step (else the step is a decision taken where it is) */
  readonly moves: boolean;
  /** µs since the trace began */
  readonly t: number;
  readonly headers: string;
  readonly rule: string;
  /** header fields that changed since this packet's previous step ("IPv4.src", ...) */
  readonly changed: readonly string[];
}

const MOVING = new Set(['send', 'tx', 'rx', 'forward', 'deliver', 'drop', 'encap', 'decap']);

/** Where a `bridge` event puts the packet: on the bridge itself. */
function bridgePlace(e: TraceEvent): string {
  return `${e.at.host}/${e.at.ns}/${e.bridge?.bridge ?? e.at.dev ?? ''}`;
}

export function toSteps(events: readonly TraceEvent[]): Step[] {
  const hosts = new Set(events.map((e) => e.at.host));
  const multiHost = hosts.size > 1;
  const t0 = events.length ? events[0].t : 0;
  const last = new Map<number, TraceEvent>();
  return events.map((e, index) => {
    const place = placeId(e);
    let at = place;
    let moves = MOVING.has(e.kind);
    if (e.kind === 'bridge') {
      moves = e.bridge?.action !== 'learn';
      at = bridgePlace(e);
    }
    const prev = last.get(e.packetId);
    last.set(e.packetId, e);
    return {
      index,
      event: e,
      place,
      placeText: placeLabel(e, multiHost),
      at,
      moves,
      t: e.t - t0,
      headers: headerLine(e.packet),
      rule: ruleText(e),
      changed: [...changedFields(prev?.packet, e.packet)],
    };
  });
}

/** Where each packet is after `index` steps (packets not yet created are absent). */
export function positionsAt(steps: readonly Step[], index: number): Map<number, { at: string; gone: boolean }> {
  const pos = new Map<number, { at: string; gone: boolean }>();
  for (let i = 0; i <= index && i < steps.length; i++) {
    const s = steps[i];
    if (s.moves || !pos.has(s.event.packetId)) {
      pos.set(s.event.packetId, { at: s.at, gone: s.event.kind === 'deliver' || s.event.kind === 'drop' });
    }
  }
  return pos;
}

/** A one-line reading of a step for the live region: "Step 4 of 22, red: veth-red, tx: ...". */
export function stepSentence(s: Step, total: number): string {
  return `Step ${s.index + 1} of ${total}, ${s.placeText}, ${s.event.kind}: ${s.event.summary}${s.rule && s.event.kind !== 'route' ? ` (${s.rule})` : ''}`;
}
