/**
 * <pp-packet-table>: the trace of a lab as a table, kept in step with the diagram. The hop
 * buttons select a step (the diagram shows it); the current row is marked for screen readers
 * with aria-current.
 */
import { labStore, selectedSteps, selectedTrace, setStep, type LabState, type LabStore } from '../store/lab.ts';
import { esc } from '../topology/svg.ts';
import type { Step } from '../trace/steps.ts';

function rowHtml(s: Step): string {
  return `<tr data-step="${s.index}" data-place="${esc(s.place)}" class="kind-${esc(s.event.kind)}">` +
    `<td data-label="Hop"><button type="button" class="btn btn-small hop-btn" aria-label="Show hop ${s.index + 1} in the diagram">${s.index + 1}</button></td>` +
    `<td data-label="Place" class="place">${esc(s.placeText)}</td>` +
    `<td data-label="What happened">${esc(s.event.kind)}: ${esc(s.event.summary)}</td>` +
    `<td data-label="Headers" class="headers">${esc(s.headers)}</td>` +
    `<td data-label="Rule or decision" class="rule">${esc(s.rule)}</td></tr>`;
}

export class PpPacketTable extends HTMLElement {
  private store: LabStore | null = null;
  private shownTrace: number | null = null;
  private shownLen = -1;

  connectedCallback(): void {
    if (this.store) return;
    const store = labStore(this.dataset.lab ?? 'lab');
    this.store = store;
    this.addEventListener('click', (ev) => {
      const row = (ev.target as Element).closest('button.hop-btn')?.closest('tr[data-step]');
      if (!row) return;
      store.setState({ playing: false });
      setStep(store, Number(row.getAttribute('data-step')));
    });
    store.subscribe((st, prev) => this.render(st, prev));
    const st = store.getState();
    this.render(st, { ...st, selected: -1, step: -2 });
  }

  private render(st: LabState, prev: LabState): void {
    const rec = selectedTrace(st);
    const steps = selectedSteps(st);
    const body = this.querySelector<HTMLElement>('[data-rows]');
    const caption = this.querySelector<HTMLElement>('[data-caption]');
    if (!body || !caption) return;
    if ((rec?.id ?? null) !== this.shownTrace || steps.length !== this.shownLen) {
      const fresh = (rec?.id ?? null) !== this.shownTrace;
      // a recorded trace's rows are already in the page
      const prebuilt = fresh && this.shownTrace === null && body.querySelectorAll('tr[data-step]').length === steps.length && steps.length > 0;
      this.shownTrace = rec?.id ?? null;
      if (!prebuilt) {
        if (!rec) {
          body.innerHTML = '<tr><td colspan="5" class="empty">Run a command that sends packets (for example <code>ping -c 1</code> to an address) and every hop appears here.</td></tr>';
          caption.textContent = 'Packet trace: no packets yet';
        } else if (fresh || steps.length < this.shownLen) {
          body.innerHTML = steps.map(rowHtml).join('');
        } else {
          body.insertAdjacentHTML('beforeend', steps.slice(this.shownLen).map(rowHtml).join(''));
        }
      }
      this.shownLen = steps.length;
      if (rec) caption.innerHTML = `Packet trace of <code>${esc(rec.command)}</code>: ${steps.length} steps`;
    }
    if (st.step !== prev.step || st.selected !== prev.selected) {
      body.querySelector('tr[aria-current]')?.removeAttribute('aria-current');
      if (st.step >= 0) {
        const row = body.querySelector(`tr[data-step="${st.step}"]`);
        row?.setAttribute('aria-current', 'step');
        if (row && !st.playing) {
          // keep the current row visible inside the table's own scroll area only
          const wrap = this.querySelector<HTMLElement>('.table-wrap');
          if (wrap && wrap.scrollHeight > wrap.clientHeight) row.scrollIntoView({ block: 'nearest' });
        }
      }
    }
  }
}

if (!customElements.get('pp-packet-table')) customElements.define('pp-packet-table', PpPacketTable);
