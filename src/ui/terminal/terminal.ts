/**
 * A lesson terminal: xterm.js on the page, the project's shell in a Web Worker. The page edits
 * the line (so keys echo at once), the worker runs complete command lines and streams back what
 * they print and the packets' trace events, which go into the lab's store for the diagram and
 * the packet table.
 *
 * Keys: Enter runs, Tab completes (twice lists), Up/Down browse history, Ctrl+C interrupts or
 * cancels the line, Ctrl+L clears the screen, Ctrl+D on an empty line exits a nested shell,
 * Ctrl+Shift+C or Ctrl+C with a selection copies, Ctrl+V or Ctrl+Shift+V pastes. Escape then Tab
 * moves the focus out of the terminal (Tab alone completes).
 */
import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import type { FromWorker, LabProgressState, LabReply, LabRequest, ToWorker } from '../sim/protocol.ts';
import type { LabSpec } from '../sim/spec.ts';
import { addTraceEvents, initialLabState, type LabStore } from '../store/lab.ts';
import { adopt, spawnSimulator } from '../sim/prestart.ts';
import { applyKey, commonPrefix, emptyEditor, keys, redrawSequence, replaceRange, visibleLength, type EditorState } from './line-editor.ts';

export interface TerminalOptions {
  readonly spec: LabSpec;
  readonly store: LabStore;
  /** element xterm mounts into */
  readonly mount: HTMLElement;
  /** where status sentences go (a live region) */
  readonly status: (text: string) => void;
  readonly screenReaderMode: boolean;
  /** a short name for the banner, e.g. "world bare" */
  readonly label: string;
  /** a graded lab's state, after it starts and after every change (graded labs only) */
  readonly onLabState?: (state: LabProgressState) => void;
}

const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export function terminalTheme(): ITheme {
  return {
    background: cssVar('--term-bg', '#1b1f27'),
    foreground: cssVar('--term-fg', '#e6e9ef'),
    cursor: cssVar('--term-cursor', '#ffcc66'),
    cursorAccent: cssVar('--term-bg', '#1b1f27'),
    selectionBackground: cssVar('--term-selection', '#44506a'),
    brightBlack: cssVar('--term-dim', '#a0a8b8'),
  };
}

export class LabTerminal {
  readonly term: Terminal;
  private readonly fit = new FitAddon();
  private worker: Worker | null = null;
  private editor: EditorState = emptyEditor();
  private prompt = '';
  /** lines of a command still being entered (continuation prompt) */
  private pending = '';
  private busy = true;
  private cmd = 0;
  private typeahead: string[] = [];
  private escArmed = false;
  private lastTab = false;
  private completionId = 0;
  private completions = new Map<number, (r: Extract<FromWorker, { type: 'completion' }>) => void>();
  private waiters: (() => void)[] = [];
  private readonly opts: TerminalOptions;
  private spec: LabSpec;
  private labId = 0;
  private labReplies = new Map<number, (r: LabReply) => void>();
  private resizeObserver: ResizeObserver | null = null;
  private pace = true;

  constructor(opts: TerminalOptions) {
    this.opts = opts;
    this.spec = opts.spec;
    this.term = new Terminal({
      cursorBlink: false,
      convertEol: true,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
      fontSize: 14,
      lineHeight: 1.15,
      scrollback: 3000,
      screenReaderMode: opts.screenReaderMode,
      theme: terminalTheme(),
      allowProposedApi: false,
    });
    this.term.loadAddon(this.fit);
    this.term.open(opts.mount);
    const ta = this.term.textarea;
    if (ta) ta.setAttribute('aria-label', 'Terminal input. Type a shell command and press Enter. Press Escape, then Tab, to leave the terminal.');
    this.fitNow();
    this.resizeObserver = new ResizeObserver(() => this.fitNow());
    this.resizeObserver.observe(opts.mount);
    this.term.attachCustomKeyEventHandler((ev) => this.keyFilter(ev));
    performance.mark('pp-xterm-open');
    this.term.onData((d) => this.onData(d));
  }

  private fitNow(): void {
    try {
      if (this.opts.mount.clientWidth > 0) this.fit.fit();
    } catch {
      // not laid out yet
    }
  }

  /** Keys the browser should handle instead of xterm: copy, paste, leaving with Escape+Tab. */
  private keyFilter(ev: KeyboardEvent): boolean {
    if (ev.type !== 'keydown') return true;
    if (ev.key === 'Escape') {
      this.escArmed = true;
      return false;
    }
    if (ev.key === 'Tab' && this.escArmed) {
      this.escArmed = false;
      return false; // let the browser move the focus
    }
    if (ev.key !== 'Shift' && ev.key !== 'Control' && ev.key !== 'Alt' && ev.key !== 'Meta') this.escArmed = false;
    const mod = ev.ctrlKey || ev.metaKey;
    const k = ev.key.toLowerCase();
    if (mod && k === 'c' && (ev.shiftKey || this.term.hasSelection())) {
      const text = this.term.getSelection();
      if (text) void navigator.clipboard?.writeText(text).catch(() => undefined);
      ev.preventDefault();
      return false;
    }
    if (mod && k === 'v') return false; // the browser's paste event reaches xterm's textarea
    return true;
  }

  /** Start again from another spec (a graded lab's new variant or stored attempt). */
  async restart(spec: LabSpec): Promise<void> {
    this.spec = spec;
    await this.start();
  }

  /** Ask a graded lab's worker something; resolves with its answer (null if the worker went away). */
  request<K extends LabRequest['op']>(req: Extract<LabRequest, { op: K }>): Promise<Extract<LabReply, { op: K }> | null> {
    if (!this.worker) return Promise.resolve(null);
    const id = ++this.labId;
    return new Promise((resolve) => {
      this.labReplies.set(id, (r) => resolve(r as Extract<LabReply, { op: K }>));
      this.send({ type: 'lab', id, req });
    });
  }

  /** After an undo: say what was taken back and show the prompt of the rebuilt world. */
  showUndo(line: string, prompt: string): void {
    this.term.write(`\r\n${DIM}# undone: ${line.split('\n')[0]}${line.includes('\n') ? ' …' : ''}${RESET}\r\n`);
    this.showPrompt(prompt);
  }

  /** Write a note (dimmed) above a fresh prompt, e.g. that the editor saved a file. */
  note(text: string): void {
    if (this.busy) return;
    this.term.write(`\r\n${DIM}${text}${RESET}\r\n`);
    this.showPrompt(this.prompt);
  }

  async start(): Promise<void> {
    for (const f of this.labReplies.values()) f(null as unknown as LabReply);
    this.labReplies.clear();
    const st = this.opts.store;
    const keep = st.getState();
    st.setState({ ...initialLabState(), status: 'booting', autoplay: keep.autoplay, speed: keep.speed });
    this.busy = true;
    this.term.reset();
    this.term.write(`${DIM}Packet Path terminal: ${this.opts.label}. Starting the simulator…${RESET}\r\n`);
    this.opts.status('Starting the simulator.');
    this.worker?.terminate();
    // the first start takes over the worker the page started early (prestart.ts)
    const early = this.worker ? null : adopt(this.opts.mount.closest('pp-terminal') ?? this.opts.mount);
    const w = early?.worker ?? spawnSimulator();
    this.worker = w;
    w.onmessage = (ev: MessageEvent<FromWorker>) => {
      if (this.worker === w) this.onMessage(ev.data);
    };
    w.onerror = (ev) => {
      if (this.worker !== w) return;
      this.term.write(`\r\n\x1b[31mThe simulator stopped: ${ev.message}. Press Reset to start again.${RESET}\r\n`);
      st.setState({ status: 'failed', message: ev.message });
      this.opts.status('The simulator stopped. Press Reset to start again.');
    };
    if (early) {
      if (!this.pace) this.send({ type: 'pace', pace: false });
      for (const m of early.queue) this.onMessage(m);
    } else this.send({ type: 'start', spec: this.spec, pace: this.pace });
    await this.whenIdle();
  }

  /** Run virtual time at the learner's pace (default) or as fast as possible. */
  setPace(pace: boolean): void {
    this.pace = pace;
    this.send({ type: 'pace', pace });
  }

  private send(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  private onMessage(m: FromWorker): void {
    const st = this.opts.store;
    switch (m.type) {
      case 'ready': {
        if (!performance.getEntriesByName('pp-sim-ready').length) performance.mark('pp-sim-ready');
        // one write: the banner, the setup commands, the prompt
        this.term.reset();
        let banner = '';
        if (m.setup.length) banner += `${DIM}# This lab started with:\r\n${m.setup.map((s) => `# ${s.command}`).join('\r\n')}${RESET}\r\n`;
        if (banner) this.term.write(banner);
        st.setState({ status: 'ready', topology: m.topology });
        this.showPrompt(m.prompt);
        this.opts.status('Terminal ready.');
        this.opts.mount.closest('pp-terminal')?.setAttribute('data-ready', '');
        performance.mark('pp-terminal-ready');
        break;
      }
      case 'failed': {
        this.term.write(`\r\n\x1b[31m${m.message}${RESET}\r\n`);
        st.setState({ status: 'failed', message: m.message });
        this.opts.status(`The lab could not start: ${m.message}`);
        const w = this.waiters;
        this.waiters = [];
        for (const f of w) f();
        break;
      }
      case 'out':
        this.term.write(m.text);
        if (this.capture !== null) this.capture += m.text;
        break;
      case 'trace':
        addTraceEvents(st, m.cmd, m.command, m.events);
        break;
      case 'incomplete':
        this.busy = false;
        this.showPrompt('> ', true);
        break;
      case 'done':
        this.pending = '';
        st.setState({ status: m.ended ? 'ended' : 'ready', ...(m.topology ? { topology: m.topology } : {}) });
        if (m.ended) {
          this.term.write(`${DIM}The shell has exited. Press Reset to start again.${RESET}\r\n`);
          this.opts.status('The shell has exited.');
          this.busy = true;
          const w = this.waiters;
          this.waiters = [];
          for (const f of w) f();
          break;
        }
        this.showPrompt(m.prompt);
        break;
      case 'completion':
        this.completions.get(m.id)?.(m);
        this.completions.delete(m.id);
        break;
      case 'lab-reply':
        this.labReplies.get(m.id)?.(m.reply);
        this.labReplies.delete(m.id);
        break;
      case 'lab-state':
        this.opts.onLabState?.(m.state);
        break;
    }
  }

  private showPrompt(prompt: string, continuation = false): void {
    if (!continuation) this.prompt = prompt;
    this.currentPrompt = prompt;
    this.editor = { ...emptyEditor(this.editor.history) };
    this.term.write(prompt);
    this.busy = false;
    this.flushWaiters();
    // keys typed while the command ran
    const ahead = this.typeahead;
    this.typeahead = [];
    for (const d of ahead) this.onData(d);
  }

  private currentPrompt = '';

  private flushWaiters(): void {
    if (this.busy) return;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves when the terminal shows a prompt and takes input. */
  whenIdle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  get idle(): boolean {
    return !this.busy;
  }

  private onData(data: string): void {
    if (this.busy) {
      if (data.includes('\x03')) {
        this.send({ type: 'interrupt' });
        this.term.write('^C');
        this.typeahead = [];
      } else this.typeahead.push(data);
      return;
    }
    const ks = keys(data.replace(/\r\n/g, '\r'));
    for (let i = 0; i < ks.length; i++) {
      if (this.busy) {
        this.typeahead.push(ks.slice(i).join(''));
        return;
      }
      this.key(ks[i]);
    }
  }

  private key(k: string): void {
    const before = this.editor;
    const { state, action } = applyKey(before, k);
    this.editor = state;
    if (action.kind !== 'complete') this.lastTab = false;
    const promptLen = visibleLength(this.currentPrompt);
    switch (action.kind) {
      case 'redraw':
        this.term.write(redrawSequence(promptLen, before.cursor, state, this.term.cols));
        break;
      case 'submit':
        this.term.write(redrawSequence(promptLen, before.cursor, { ...before, cursor: before.buffer.length }, this.term.cols) + '\r\n');
        this.submit(action.line);
        break;
      case 'interrupt':
        this.pending = '';
        this.term.write('^C\r\n');
        this.showPrompt(this.prompt);
        break;
      case 'clear-screen':
        this.term.write('\x1b[H\x1b[2J\x1b[3J');
        this.term.clear();
        this.term.write(this.currentPrompt);
        this.term.write(redrawSequence(promptLen, 0, state, this.term.cols));
        break;
      case 'complete':
        void this.complete();
        break;
      case 'eof':
        this.term.write('\r\n');
        this.submit('exit');
        break;
      case 'none':
        break;
    }
  }

  private submit(line: string): void {
    this.busy = true;
    this.pending += `${line}\n`;
    this.cmd++;
    this.opts.store.setState({ status: 'busy' });
    this.send({ type: 'input', text: this.pending, cmd: this.cmd });
  }

  private async complete(): Promise<void> {
    const s = this.editor;
    const id = ++this.completionId;
    const r = await new Promise<Extract<FromWorker, { type: 'completion' }>>((resolve) => {
      this.completions.set(id, resolve);
      this.send({ type: 'complete', id, line: s.buffer, cursor: s.cursor });
    });
    if (this.editor !== s || this.busy) return; // the line changed meanwhile
    const promptLen = visibleLength(this.currentPrompt);
    const word = s.buffer.slice(r.start, r.end);
    if (r.candidates.length === 1) {
      const c = r.candidates[0];
      const next = replaceRange(s, r.start, r.end, c.endsWith('/') ? c : `${c} `);
      this.editor = next;
      this.term.write(redrawSequence(promptLen, s.cursor, next, this.term.cols));
      this.lastTab = false;
      return;
    }
    const prefix = commonPrefix(r.candidates);
    if (prefix.length > word.length) {
      const next = replaceRange(s, r.start, r.end, prefix);
      this.editor = next;
      this.term.write(redrawSequence(promptLen, s.cursor, next, this.term.cols));
      this.lastTab = true;
      return;
    }
    if (this.lastTab && r.candidates.length) {
      // second Tab: list the candidates, then the prompt and the line again
      const width = Math.max(...r.candidates.map((c) => c.length)) + 2;
      const per = Math.max(1, Math.floor(this.term.cols / width));
      let out = '\r\n';
      r.candidates.forEach((c, i) => {
        out += c.padEnd(width);
        if ((i + 1) % per === 0 && i + 1 < r.candidates.length) out += '\r\n';
      });
      this.term.write(`${out}\r\n${this.currentPrompt}`);
      this.term.write(redrawSequence(promptLen, 0, this.editor, this.term.cols));
      this.lastTab = false;
      return;
    }
    this.lastTab = true;
    if (!r.candidates.length) this.term.write('\x07');
  }

  /**
   * Type commands as if the learner did (the lessons' Run buttons), pressing Enter after each
   * line. Resolves with what they printed, once the prompt is back.
   */
  async type(text: string): Promise<string> {
    let printed = '';
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      await this.whenIdle();
      if (this.store().status === 'ended' || this.store().status === 'failed') break;
      if (this.editor.buffer) this.key('\x15');
      this.capture = '';
      this.onData(line);
      this.onData('\r');
      await this.whenIdle();
      printed += this.capture;
      this.capture = null;
    }
    return printed;
  }

  private capture: string | null = null;

  private store() {
    return this.opts.store.getState();
  }

  focus(): void {
    this.term.focus();
  }

  setScreenReaderMode(on: boolean): void {
    this.term.options.screenReaderMode = on;
  }

  applyTheme(): void {
    this.term.options.theme = terminalTheme();
  }

  dispose(): void {
    this.resizeObserver?.disconnect();
    this.worker?.terminate();
    this.term.dispose();
  }
}
