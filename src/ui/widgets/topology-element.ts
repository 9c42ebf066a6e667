/**
 * <pp-topology>: the live diagram of a lab and its trace player. It follows the lab's store:
 * a new topology is drawn at once, a new trace starts playing (or, with reduced motion, is
 * highlighted and waits for the learner to step through it). The controls, the status line and
 * the hop details are plain HTML, so they work from the keyboard and with a screen reader.
 */
import { TopologyView } from '../topology/view.ts';
import { labStore, selectedSteps, selectedTrace, selectTrace, setStep, type LabState, type LabStore } from '../store/lab.ts';
import { headerStack, type HeaderStack } from '../trace/format.ts';
import { stepSentence, type Step } from '../trace/steps.ts';
import { esc } from '../topology/svg.ts';

const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Pause after a step before the next, in ms at speed 1. */
function pauseAfter(s: Step, reduced: boolean): number {
  if (reduced) return 900;
  return s.moves ? 80 : 380;
}

function stackHtml(st: HeaderStack, changed: ReadonlySet<string>, prefix: string, title: string): string {
  const layers = st.layers
    .map((l) => {
      const fields = l.fields
        .map((f) => {
          const key = `${prefix}${l.layer}.${f.name}`;
          const v = esc(f.value);
          return `<dt>${esc(f.name)}</dt><dd>${changed.has(key) ? `<mark title="changed at this hop">${v}</mark>` : v}</dd>`;
        })
        .join('');
      return `<p class="envelope-title">${esc(l.layer)}</p><dl class="hdr">${fields}</dl>`;
    })
    .join('');
  const inner = st.inner ? stackHtml(st.inner, changed, `${prefix}inner.`, 'Inner frame (inside the VXLAN envelope)') : '';
  return `<div class="envelope"><p class="envelope-title">${esc(title)}</p>${layers}${inner}</div>`;
}

export function hopDetailsHtml(s: Step): string {
  const e = s.event;
  const changed = new Set(s.changed);
  const rule = s.rule ? `<p><strong>Rule or decision:</strong> <code>${esc(s.rule)}</code></p>` : '';
  const nat = e.nat ? `<p><strong>Address rewrite (${esc(e.nat.kind)}):</strong> <code>${esc(e.nat.before)}</code> became <code>${esc(e.nat.after)}</code></p>` : '';
  const drop = e.drop ? `<p><strong>Dropped here (${esc(e.drop.reason)}):</strong> ${esc(e.drop.text)}</p>` : '';
  const outer = e.packet.inner ? 'Outer headers (the VXLAN envelope)' : 'Headers at this hop';
  return `<h3>Hop ${s.index + 1}: ${esc(s.placeText)}</h3><p>${esc(e.kind)}: ${esc(e.summary)}</p>${nat}${drop}${rule}` +
    `${changed.size ? '<p>Highlighted fields changed since this packet\'s previous step.</p>' : ''}${stackHtml(headerStack(e.packet), changed, '', outer)}`;
}

export class PpTopology extends HTMLElement {
  private view: TopologyView | null = null;
  private store: LabStore | null = null;
  private traceId: number | null = null;
  private traceLen = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private token = 0;

  connectedCallback(): void {
    if (this.view) return;
    const svg = this.querySelector<SVGSVGElement>('svg.topo-svg');
    if (!svg) return;
    const store = labStore(this.dataset.lab ?? 'lab');
    this.store = store;
    const view = new TopologyView(svg);
    this.view = view;
    view.onPick = (i) => {
      store.setState({ playing: false });
      setStep(store, i);
    };
    this.wireControls(store);
    // with reduced motion a new trace waits, highlighted, for the learner to step through it
    store.setState({ autoplay: !reducedMotion() });
    store.subscribe((st, prev) => this.onState(st, prev));
    const st = store.getState();
    this.onState(st, { ...st, topology: null, selected: null, traces: [] });
  }

  private q<T extends Element>(sel: string): T | null {
    return this.querySelector<T>(sel);
  }

  private wireControls(store: LabStore): void {
    const zoom = this.q<HTMLButtonElement>('[data-act="zoom"]');
    zoom?.addEventListener('click', () => {
      const scroll = this.q<HTMLElement>('.topo-scroll');
      const on = !scroll?.classList.contains('actual');
      scroll?.classList.toggle('actual', on);
      zoom.setAttribute('aria-pressed', String(on));
      zoom.textContent = on ? 'Fit width' : 'Actual size';
    });
    const step = (d: number) => {
      store.setState({ playing: false });
      setStep(store, store.getState().step + d);
    };
    this.q('[data-act="back"]')?.addEventListener('click', () => step(-1));
    this.q('[data-act="forward"]')?.addEventListener('click', () => step(1));
    this.q('[data-act="first"]')?.addEventListener('click', () => {
      store.setState({ playing: false });
      setStep(store, 0);
    });
    this.q('[data-act="play"]')?.addEventListener('click', () => {
      const st = store.getState();
      if (st.playing) store.setState({ playing: false });
      else {
        const n = selectedSteps(st).length;
        if (st.step >= n - 1) store.setState({ step: -1 });
        store.setState({ playing: true });
      }
    });
    const speed = this.q<HTMLSelectElement>('[data-act="speed"]');
    speed?.addEventListener('change', () => store.setState({ speed: Number(speed.value) || 1 }));
    const seek = this.q<HTMLInputElement>('[data-act="seek"]');
    seek?.addEventListener('input', () => {
      store.setState({ playing: false });
      setStep(store, Number(seek.value) - 1);
    });
    const trace = this.q<HTMLSelectElement>('[data-act="trace"]');
    trace?.addEventListener('change', () => {
      if (trace.value) selectTrace(store, Number(trace.value));
    });
  }

  private onState(st: LabState, prev: LabState): void {
    const view = this.view!;
    const reduced = reducedMotion();
    if (st.topology && st.topology !== prev.topology) view.update(st.topology, !reduced);
    const rec = selectedTrace(st);
    const steps = selectedSteps(st);
    let traceChanged = false;
    if ((rec?.id ?? null) !== this.traceId) {
      this.traceId = rec?.id ?? null;
      this.traceLen = steps.length;
      view.setTrace(steps);
      traceChanged = true;
    } else if (steps.length !== this.traceLen) {
      this.traceLen = steps.length;
      const i = st.step;
      view.setTrace(steps);
      void view.show(i, { animate: false, speed: st.speed });
      this.renderStep(st, steps);
    }
    if (st.traces !== prev.traces || traceChanged) this.renderTraceList(st);
    if (traceChanged || st.step !== prev.step) {
      const forward = st.step === prev.step + 1 && !traceChanged;
      const animate = !reduced && forward;
      const token = ++this.token;
      const done = view.show(st.step, { animate, speed: st.speed });
      this.renderStep(st, steps);
      if (st.playing) void done.then(() => this.scheduleNext(token, steps[st.step], reduced));
    }
    if (st.playing && !prev.playing) {
      // start playing from where we are
      this.clearTimer();
      const token = ++this.token;
      this.scheduleNext(token, steps[st.step], reduced, true);
    }
    if (!st.playing && prev.playing) {
      this.clearTimer();
      this.renderStep(st, steps);
    }
    this.renderControls(st, steps);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private scheduleNext(token: number, s: Step | undefined, reduced: boolean, immediate = false): void {
    const store = this.store!;
    if (token !== this.token) return; // a newer step or trace took over
    this.clearTimer();
    const st = store.getState();
    const wait = immediate || !s ? 0 : pauseAfter(s, reduced) / st.speed;
    this.timer = setTimeout(() => {
      if (token !== this.token) return;
      const now = store.getState();
      if (!now.playing) return;
      const n = selectedSteps(now).length;
      if (now.step >= n - 1) {
        // a live trace may still grow while its command runs: wait for more
        if (now.status === 'busy') {
          this.timer = setTimeout(() => this.scheduleNext(token, undefined, reduced, true), 200);
          return;
        }
        store.setState({ playing: false });
        return;
      }
      setStep(store, now.step + 1);
    }, wait);
  }

  private renderTraceList(st: LabState): void {
    const sel = this.q<HTMLSelectElement>('[data-act="trace"]');
    if (!sel) return;
    if (!st.traces.length) {
      sel.innerHTML = '<option value="">none yet</option>';
      sel.disabled = true;
      return;
    }
    sel.innerHTML = st.traces
      .map((t) => `<option value="${t.id}"${t.id === st.selected ? ' selected' : ''}>${esc(t.command.length > 48 ? `${t.command.slice(0, 47)}…` : t.command)}</option>`)
      .join('');
    sel.disabled = st.traces.length < 2 && st.status === 'recorded';
    if (st.traces.length < 2) sel.disabled = true;
  }

  private renderControls(st: LabState, steps: readonly Step[]): void {
    const has = steps.length > 0;
    const set = (act: string, disabled: boolean) => {
      const b = this.q<HTMLButtonElement>(`[data-act="${act}"]`);
      if (b) b.disabled = disabled;
    };
    set('first', !has || st.step <= 0);
    set('back', !has || st.step < 0);
    set('forward', !has || st.step >= steps.length - 1);
    set('play', !has);
    const play = this.q<HTMLButtonElement>('[data-act="play"]');
    if (play) {
      play.textContent = st.playing ? 'Pause' : '▶ Play';
      play.setAttribute('aria-label', st.playing ? 'Pause' : 'Play');
    }
    const seek = this.q<HTMLInputElement>('[data-act="seek"]');
    if (seek) {
      seek.disabled = !has;
      seek.max = String(steps.length);
      seek.value = String(st.step + 1);
      seek.setAttribute('aria-valuetext', has ? (st.step >= 0 ? `step ${st.step + 1} of ${steps.length}` : `before step 1 of ${steps.length}`) : 'no trace yet');
    }
    const speed = this.q<HTMLSelectElement>('[data-act="speed"]');
    if (speed && speed.value !== String(st.speed)) speed.value = String(st.speed);
  }

  private renderStep(st: LabState, steps: readonly Step[]): void {
    const status = this.q<HTMLElement>('[data-status]');
    const details = this.q<HTMLElement>('[data-details]');
    const s = st.step >= 0 ? steps[st.step] : null;
    const rec = selectedTrace(st);
    if (status) {
      status.setAttribute('aria-live', st.playing ? 'off' : 'polite');
      status.textContent = s
        ? stepSentence(s, steps.length)
        : rec
          ? `${steps.length} steps recorded for "${rec.command}". Press Play, or Forward to go one hop at a time.`
          : 'No packets yet: run a command that sends some, such as ping.';
      status.dataset.place = s ? s.place : '';
      status.dataset.step = String(st.step);
    }
    // while playing, the details wait (rewriting them every step would reflow the page under
    // the animation); they show the hop the player stops on
    if (details && !st.playing) {
      details.hidden = !s;
      details.innerHTML = s ? hopDetailsHtml(s) : '';
    }
  }
}

if (!customElements.get('pp-topology')) customElements.define('pp-topology', PpTopology);
