/**
 * The state one lesson lab shares between its views: the terminal writes to it, the topology
 * drawing and the packet table read from it. One store per lab id (a page can hold several labs,
 * each with its own world); a zustand vanilla store, so no UI framework is involved.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TraceEvent } from '../../sim/trace/events.ts';
import type { Topology } from '../topology/model.ts';
import { toSteps, type Step } from '../trace/steps.ts';

export interface TraceRecord {
  readonly id: number;
  /** the command line that caused it */
  readonly command: string;
  readonly events: readonly TraceEvent[];
}

export type LabStatus = 'idle' | 'booting' | 'ready' | 'busy' | 'ended' | 'failed' | 'recorded';

export interface LabState {
  readonly status: LabStatus;
  /** why the lab failed, or a notice for the views */
  readonly message: string;
  readonly topology: Topology | null;
  /** the traces of the last commands that sent packets, oldest first */
  readonly traces: readonly TraceRecord[];
  /** the trace the views show */
  readonly selected: number | null;
  /** the step of the selected trace the views show; -1 before the first */
  readonly step: number;
  readonly playing: boolean;
  /** 0.5, 1, 2 or 4 */
  readonly speed: number;
  /** select each new trace as it arrives */
  readonly follow: boolean;
  /** start playing each new trace (off with reduced motion) */
  readonly autoplay: boolean;
}

/** Keep the traces of this many commands. */
export const MAX_TRACES = 12;
/** A trace longer than this is cut (the table says so). */
export const MAX_EVENTS = 3000;

export type LabStore = StoreApi<LabState>;

const stores = new Map<string, LabStore>();

export function initialLabState(): LabState {
  return { status: 'idle', message: '', topology: null, traces: [], selected: null, step: -1, playing: false, speed: 1, follow: true, autoplay: true };
}

/** The store of lab `id`, created on first use. */
export function labStore(id: string): LabStore {
  let s = stores.get(id);
  if (!s) {
    s = createStore<LabState>(() => initialLabState());
    stores.set(id, s);
  }
  return s;
}

let nextTraceId = 1;

/** Add events of a command to the traces: the same command continues its record. */
export function addTraceEvents(store: LabStore, cmd: number, command: string, events: readonly TraceEvent[]): void {
  const st = store.getState();
  const key = `${cmd}\u0000${command}`;
  const last = st.traces[st.traces.length - 1];
  if (last && (last as TraceRecord & { key?: string }).key === key) {
    const room = MAX_EVENTS - last.events.length;
    if (room <= 0) return;
    const merged = { ...last, events: [...last.events, ...events.slice(0, room)] };
    store.setState({ traces: [...st.traces.slice(0, -1), merged] });
    return;
  }
  const rec = { id: nextTraceId++, command, events: events.slice(0, MAX_EVENTS), key } as TraceRecord;
  const traces = [...st.traces, rec].slice(-MAX_TRACES);
  if (st.follow) store.setState({ traces, selected: rec.id, step: -1, playing: st.autoplay });
  else store.setState({ traces });
}

export function selectedTrace(st: LabState): TraceRecord | null {
  return st.traces.find((t) => t.id === st.selected) ?? null;
}

const stepCache = new WeakMap<readonly TraceEvent[], Step[]>();

/** The steps of the selected trace (memoised per event list). */
export function selectedSteps(st: LabState): Step[] {
  const t = selectedTrace(st);
  if (!t) return [];
  let s = stepCache.get(t.events);
  if (!s) {
    s = toSteps(t.events);
    stepCache.set(t.events, s);
  }
  return s;
}

export function selectTrace(store: LabStore, id: number): void {
  store.setState({ selected: id, step: -1, playing: false });
}

export function setStep(store: LabStore, step: number): void {
  const n = selectedSteps(store.getState()).length;
  store.setState({ step: Math.max(-1, Math.min(n - 1, step)) });
}
