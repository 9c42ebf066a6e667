/**
 * <pp-recorded>: hands a trace recorded at build time (a <Trace> figure) to the lab store its
 * diagram and table read, so they play it like a live one.
 */
import { labStore } from '../store/lab.ts';
import type { TraceEvent } from '../../sim/trace/events.ts';
import type { Topology } from '../topology/model.ts';

let ids = 1_000_000;

export class PpRecorded extends HTMLElement {
  connectedCallback(): void {
    const lab = this.dataset.lab;
    const el = this.querySelector('script[data-trace]');
    if (!lab || !el || this.dataset.loaded) return;
    this.dataset.loaded = '1';
    const data = JSON.parse(el.textContent ?? '{}') as { command: string; events: TraceEvent[]; topology: Topology };
    const id = ids++;
    labStore(lab).setState({
      status: 'recorded',
      topology: data.topology,
      traces: [{ id, command: data.command, events: data.events }],
      selected: id,
      step: -1,
      playing: false,
    });
  }
}

if (!customElements.get('pp-recorded')) customElements.define('pp-recorded', PpRecorded);
