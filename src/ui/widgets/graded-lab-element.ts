/**
 * <pp-graded-lab>: a graded lab's page. Picks the variant (the link's `?seed=`, else the saved
 * attempt's, else a new random one), fills the story and tasks with its names, starts the
 * simulator on the saved attempt's history, and runs the lab's controls: Check (each task and
 * guard with its message; a failed check's packets can be played in the diagram), hints one at a
 * time, undo of the last command, start over, a new variant, the solution once unlocked, the
 * timer and the score. The attempt (seed and history) is saved in the learner's progress after
 * every change, so a reload rebuilds the same world.
 */
import type { Lab } from '../../labs/schema.ts';
import type { Grade } from '../../labs/runner.ts';
import { variantFor } from '../../labs/variant.ts';
import { fillHtml, inlineText, labTextHtml } from '../content/labtext.ts';
import { clearLabAttempt, progressStore, recordLabSolved, saveLabAttempt, type LabHistoryEntry } from '../store/progress.ts';
import { addTraceEvents, labStore } from '../store/lab.ts';
import type { LabProgressState, LastCheck } from '../sim/protocol.ts';
import type { LabSpec } from '../sim/spec.ts';
import type { PpTerminal } from './terminal-element.ts';

interface LabDef {
  readonly lab: Lab;
  readonly scenarioText?: string;
  /** story and explanation as HTML with {{placeholders}} */
  readonly story: string;
  readonly explanation: string;
}

const MAX_SEED = 99_999;
export const SOLUTION_MINUTES = 10;

/** The score of a solved lab: 100, less 10 per hint and 50 for the solution, never below 10. */
export function labScore(hintsUsed: number, solutionShown: boolean): number {
  return Math.max(10, 100 - 10 * hintsUsed - (solutionShown ? 50 : 0));
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function spokenDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  return m ? `${m} min ${s % 60} s` : `${s} s`;
}

function randomSeed(): number {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return (a[0] % MAX_SEED) + 1;
}

function seedFromUrl(): number | null {
  const v = new URLSearchParams(location.search).get('seed');
  if (v === null || !/^\d{1,9}$/.test(v)) return null;
  const n = Number(v);
  return n >= 1 ? n : null;
}

export class PpGradedLab extends HTMLElement {
  private def!: LabDef;
  private labId = '';
  private storeId = '';
  private seed = 1;
  private vars: Record<string, string> = {};
  private history: readonly LabHistoryEntry[] = [];
  private hintsTotal = 0;
  private hintsOut = false;
  private solutionShown = false;
  private solved = false;
  private elapsed = 0;
  private runningSince: number | null = null;
  private timer: number | null = null;
  private traceIds = 0;
  private lastGrade: Grade | null = null;

  connectedCallback(): void {
    if (this.def) return;
    const el = this.querySelector('script[data-lab-def]');
    if (!el) return;
    this.def = JSON.parse(el.textContent ?? '{}') as LabDef;
    this.labId = this.dataset.lab ?? this.def.lab.id;
    this.storeId = this.dataset.store ?? `graded-${this.labId}`;
    for (const b of this.querySelectorAll<HTMLButtonElement>('.lab-brief button[data-act], .lab-bar button[data-act]')) b.addEventListener('click', () => void this.act(b.dataset.act ?? '', b));
    this.addEventListener('pp-lab-state', (ev) => this.onState((ev as CustomEvent<LabProgressState>).detail));
    document.addEventListener('visibilitychange', () => this.tick());
    this.begin();
  }

  // ---- start ---------------------------------------------------------------------------------

  private begin(): void {
    const saved = progressStore().getState().labs[this.labId];
    const fromLink = seedFromUrl();
    let history: readonly LabHistoryEntry[] = [];
    if (fromLink !== null) {
      this.seed = fromLink;
      if (saved?.attempt?.seed === fromLink) history = saved.attempt.history;
      else if (saved?.attempt && saved.attempt.history.length) this.status(`Opened variant ${fromLink} from the link. Your attempt at variant ${saved.attempt.seed} was set aside.`);
    } else if (saved?.attempt) {
      this.seed = saved.attempt.seed;
      history = saved.attempt.history;
    } else this.seed = randomSeed();
    if (saved?.attempt && saved.attempt.seed === this.seed) {
      this.elapsed = saved.attempt.elapsedMs;
      this.solutionShown = saved.attempt.solutionShown;
    }
    this.solved = false;
    this.showVariant();
    this.startTerminal(history);
  }

  private showVariant(): void {
    this.vars = { ...variantFor(this.def.lab, this.seed).vars };
    const url = new URL(location.href);
    url.searchParams.set('seed', String(this.seed));
    history.replaceState(history.state, '', url);
    this.q('[data-seed]').textContent = String(this.seed);
    this.q('[data-story]').innerHTML = fillHtml(this.def.story, this.vars);
    for (const t of this.querySelectorAll<HTMLElement>('.task-title[data-title]')) t.innerHTML = fillHtml(inlineText(t.dataset.title ?? ''), this.vars);
    // other parts of the page (the editor) read the variant's values from here
    this.dataset.vars = JSON.stringify(this.vars);
    this.dispatchEvent(new CustomEvent('pp-variant', { detail: this.vars }));
    this.renderCheck(null);
    this.q('[data-hints]').replaceChildren();
    this.q('[data-hints-box]').hidden = true;
    this.q('[data-solution-box]').hidden = true;
    this.q('[data-result]').hidden = true;
    this.hintsOut = false;
    this.updateTimer();
  }

  private terminalEl(): PpTerminal | null {
    return this.querySelector<PpTerminal>('pp-terminal');
  }

  private startTerminal(history: readonly LabHistoryEntry[]): void {
    const el = this.terminalEl();
    if (!el) return;
    this.setBusy(true);
    const spec: LabSpec = { graded: { lab: this.def.lab, scenarioText: this.def.scenarioText, seed: this.seed, history } };
    if (el.terminal) void el.terminal.restart(spec);
    else el.dataset.spec = JSON.stringify(spec);
    this.startTimer();
  }

  // ---- state from the worker -------------------------------------------------------------------

  private onState(st: LabProgressState): void {
    this.history = st.history;
    this.hintsTotal = st.hintsTotal;
    const hints = this.q('[data-hints]');
    if (hints.children.length !== st.hints.length) {
      hints.replaceChildren(...st.hints.map((h) => this.hintItem(h)));
      this.q('[data-hints-box]').hidden = st.hints.length === 0;
    }
    if (st.hints.length >= st.hintsTotal) this.hintsOut = true;
    if (st.lastCheck && !this.lastGrade) this.renderCheck(st.lastCheck);
    this.q('[data-hints-used]').textContent = String(st.hints.length);
    if (st.lastCheck?.passed && !this.solved) this.markSolved(false);
    this.save();
    this.setBusy(false);
  }

  private save(): void {
    saveLabAttempt(progressStore(), this.labId, { seed: this.seed, history: this.history, elapsedMs: Math.round(this.elapsedNow()), solutionShown: this.solutionShown });
  }

  // ---- actions ---------------------------------------------------------------------------------

  private async act(what: string, button: HTMLButtonElement): Promise<void> {
    const t = this.terminalEl()?.terminal;
    if (what === 'share') return this.share();
    if (what === 'new-variant') return this.newVariant();
    if (what === 'reset') return this.startOver();
    if (what === 'trace') return this.showTrace(button);
    if (!t) return;
    if (!t.idle) {
      this.status('A command is still running in the terminal: wait for it, or press Ctrl+C there.');
      return;
    }
    this.setBusy(true);
    try {
      if (what === 'check') await this.check();
      else if (what === 'hint') await this.hint();
      else if (what === 'undo') await this.undo();
      else if (what === 'solution') await this.solution();
    } finally {
      this.setBusy(false);
    }
  }

  private async check(): Promise<void> {
    const t = this.terminalEl()?.terminal;
    this.status('Checking: sending the test traffic…');
    const r = await t?.request({ op: 'check' });
    if (!r) return;
    this.lastGrade = r.grade;
    const brief = (ts: Grade['tasks']) => ts.map((x) => ({ id: x.id, ok: x.ok, message: x.checks.filter((c) => !c.ok).map((c) => c.message).join('; ') }));
    this.renderCheck({ passed: r.grade.passed, tasks: brief(r.grade.tasks), guards: brief(r.grade.guards) }, r.grade);
    const done = r.grade.tasks.filter((x) => x.ok).length;
    const badGuards = r.grade.guards.filter((g) => !g.ok).length;
    if (r.grade.passed) this.markSolved(true);
    else this.status(`Checked: ${done} of ${r.grade.tasks.length} ${this.def.lab.kind === 'build' ? 'steps' : 'tasks'} pass${badGuards ? `, and ${badGuards} thing${badGuards > 1 ? 's' : ''} that must stay true ${badGuards > 1 ? 'do' : 'does'} not` : ''}.`);
  }

  private renderCheck(c: LastCheck | null, full?: Grade): void {
    const paint = (list: Element | null, rows: LastCheck['tasks'] | null, detail: Grade['tasks'] | undefined) => {
      if (!list) return;
      for (const li of list.querySelectorAll<HTMLElement>('li[data-task]')) {
        const row = rows?.find((r) => r.id === li.dataset.task);
        const state = row ? (row.ok ? 'pass' : 'fail') : 'unknown';
        li.dataset.state = state;
        li.querySelector('[data-state-text]')!.textContent = state === 'pass' ? 'passes' : state === 'fail' ? 'fails' : 'not checked yet';
        const msg = li.querySelector<HTMLElement>('[data-msg]')!;
        msg.hidden = !row || row.ok;
        msg.textContent = row && !row.ok ? row.message : '';
        const btn = li.querySelector<HTMLButtonElement>('button[data-act="trace"]')!;
        const events = detail?.find((d) => d.id === li.dataset.task)?.checks.find((x) => !x.ok && x.events?.length)?.events;
        btn.hidden = !(row && !row.ok && events);
        (btn as HTMLButtonElement & { events?: unknown }).events = events;
      }
    };
    paint(this.querySelector('[data-tasks]'), c?.tasks ?? null, full?.tasks);
    paint(this.querySelector('[data-guards]'), c?.guards ?? null, full?.guards);
  }

  private showTrace(button: HTMLButtonElement): void {
    const events = (button as HTMLButtonElement & { events?: Parameters<typeof addTraceEvents>[3] }).events;
    if (!events) return;
    const title = button.closest('li')?.querySelector('.task-title')?.textContent ?? 'check';
    const store = labStore(this.storeId);
    store.setState({ follow: true });
    addTraceEvents(store, -++this.traceIds, `check: ${title}`, events);
    const topo = this.querySelector('pp-topology');
    topo?.scrollIntoView({ behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth', block: 'start' });
    this.status('The packets of this check are in the network diagram and the packet table.');
  }

  private hintItem(text: string): HTMLLIElement {
    const li = document.createElement('li');
    li.innerHTML = labTextHtml(text);
    return li;
  }

  private async hint(): Promise<void> {
    const r = await this.terminalEl()?.terminal?.request({ op: 'hint' });
    if (!r) return;
    if (!r.hint) {
      this.hintsOut = true;
      this.status('There are no more hints. The solution is unlocked.');
      return;
    }
    if (r.hint.index + 1 >= r.hint.total) this.hintsOut = true;
    this.q('[data-hints-box]').hidden = false;
    const li = this.hintItem(r.hint.text);
    this.q('[data-hints]').append(li);
    // no "of N" here: the button counts every hint of the lab, the ladder only those that fit now
    this.status(`Hint ${r.hint.index + 1}: ${li.textContent ?? ''}`);
  }

  private async undo(): Promise<void> {
    const t = this.terminalEl()?.terminal;
    const r = await t?.request({ op: 'undo' });
    if (!r) return;
    if (r.line === null) {
      this.status('There is no command to undo.');
      return;
    }
    t?.showUndo(r.line, r.prompt);
    labStore(this.storeId).setState({ topology: r.topology });
    this.status(`Took back \`${r.line.split('\n')[0]}\`: the world was rebuilt without it.`);
  }

  private unlocked(): boolean {
    if (this.solved || this.solutionShown) return true;
    const commands = this.history.filter((e) => e.kind === 'line').length;
    const checks = this.history.filter((e) => e.kind === 'check').length;
    if (!commands || !checks) return false;
    return this.hintsOut || this.elapsedNow() >= SOLUTION_MINUTES * 60_000;
  }

  private async solution(): Promise<void> {
    if (!this.unlocked()) {
      this.status('The solution unlocks after a real attempt: run a command and press Check, then read every hint or keep at it for 10 minutes.');
      return;
    }
    const r = await this.terminalEl()?.terminal?.request({ op: 'solution' });
    if (!r) return;
    if (!this.solved) this.solutionShown = true;
    this.q('[data-solution]').textContent = r.lines.join('\n');
    this.q('[data-solution-box]').hidden = false;
    this.save();
    this.status('The solution is shown below the hints.');
  }

  private markSolved(announce: boolean): void {
    this.solved = true;
    this.stopTimer();
    const hintsUsed = this.q('[data-hints]').children.length;
    const score = labScore(hintsUsed, this.solutionShown);
    const time = this.elapsedNow();
    recordLabSolved(progressStore(), this.labId, { score, timeMs: Math.round(time), hintsUsed, seed: this.seed });
    this.q('[data-result-line]').textContent = `Every ${this.def.lab.kind === 'build' ? 'step' : 'task'} passes and everything that must stay true holds. Score ${score} of 100 (${hintsUsed} hint${hintsUsed === 1 ? '' : 's'}${this.solutionShown ? ', solution shown' : ''}), time ${spokenDuration(time)}.`;
    this.q('[data-explanation]').innerHTML = fillHtml(this.def.explanation, this.vars);
    const box = this.q('[data-result]');
    box.hidden = false;
    if (announce) {
      this.status(`Solved! Score ${score} of 100.`);
      box.focus();
    }
    this.save();
  }

  private share(): void {
    const url = new URL(location.href);
    url.search = `?seed=${this.seed}`;
    url.hash = '';
    const text = url.toString();
    const done = () => this.status(`Link copied: ${text}`);
    if (navigator.clipboard) void navigator.clipboard.writeText(text).then(done, () => this.status(`Copy this link: ${text}`));
    else this.status(`Copy this link: ${text}`);
  }

  private async startOver(): Promise<void> {
    if (this.history.some((e) => e.kind === 'line') && !confirm('Start this variant over? Your commands so far will be undone.')) return;
    this.restartWith(this.seed);
    this.status(`Started variant ${this.seed} over.`);
  }

  private async newVariant(): Promise<void> {
    if (this.history.some((e) => e.kind === 'line') && !this.solved && !confirm('Start a new variant? Your work on this one will be lost.')) return;
    let s = randomSeed();
    while (s === this.seed) s = randomSeed();
    this.restartWith(s);
    this.status(`Started variant ${s}: new names, addresses and perhaps another fault.`);
  }

  private restartWith(seed: number): void {
    clearLabAttempt(progressStore(), this.labId);
    this.seed = seed;
    this.elapsed = 0;
    this.runningSince = null;
    this.solutionShown = false;
    this.solved = false;
    this.lastGrade = null;
    this.history = [];
    this.showVariant();
    this.startTerminal([]);
  }

  // ---- timer ------------------------------------------------------------------------------------

  private elapsedNow(): number {
    return this.elapsed + (this.runningSince === null ? 0 : performance.now() - this.runningSince);
  }

  private startTimer(): void {
    if (this.timer === null) this.timer = window.setInterval(() => this.tick(), 1000);
    if (!document.hidden && !this.solved && this.runningSince === null) this.runningSince = performance.now();
  }

  private stopTimer(): void {
    this.elapsed = this.elapsedNow();
    this.runningSince = null;
    this.updateTimer();
  }

  private savedAt = 0;

  private tick(): void {
    if (document.hidden || this.solved) {
      if (this.runningSince !== null) this.stopTimer();
    } else if (this.runningSince === null) this.runningSince = performance.now();
    this.updateTimer();
    // keep the time in the saved attempt every half minute
    if (performance.now() - this.savedAt > 30_000 && this.history.length) {
      this.savedAt = performance.now();
      this.save();
    }
  }

  private updateTimer(): void {
    this.q('[data-timer]').textContent = formatDuration(this.elapsedNow());
    const sol = this.querySelector<HTMLButtonElement>('[data-act="solution"]');
    if (sol && !this.querySelector('[data-act="check"]')?.hasAttribute('disabled')) sol.setAttribute('aria-disabled', String(!this.unlocked()));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private setBusy(busy: boolean): void {
    for (const act of ['check', 'hint', 'undo', 'reset', 'solution']) {
      const b = this.querySelector<HTMLButtonElement>(`button[data-act="${act}"]`);
      if (b) b.disabled = busy;
    }
    const hint = this.querySelector<HTMLButtonElement>('button[data-act="hint"]');
    if (hint && !busy && this.hintsOut) hint.textContent = 'No more hints';
    else if (hint) hint.textContent = `Hint${this.hintsTotal ? ` (${this.q('[data-hints]').children.length} of ${this.hintsTotal} used)` : ''}`;
    this.updateTimer();
  }

  private status(text: string): void {
    const s = this.q('[data-lab-says]');
    s.textContent = '';
    // a fresh text node, so screen readers announce a repeated message again
    requestAnimationFrame(() => (s.textContent = text));
  }

  private q(sel: string): HTMLElement {
    return this.querySelector<HTMLElement>(sel)!;
  }
}

if (!customElements.get('pp-graded-lab')) customElements.define('pp-graded-lab', PpGradedLab);
