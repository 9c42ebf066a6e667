/**
 * <pp-terminal>: mounts a lesson terminal into the markup Terminal.astro built. Other parts of
 * the page reach it by lab id (`terminalFor`) to type commands into it.
 */
import '@xterm/xterm/css/xterm.css';
import { LabTerminal } from '../terminal/terminal.ts';
import { labStore } from '../store/lab.ts';
import type { LabSpec } from '../sim/spec.ts';
import { onThemeChange } from '../site/theme.ts';

const SR_KEY = 'pp-screen-reader-mode';

function readSr(): boolean {
  try {
    return localStorage.getItem(SR_KEY) !== 'off';
  } catch {
    return true;
  }
}

export class PpTerminal extends HTMLElement {
  terminal: LabTerminal | null = null;

  // a graded lab's terminal gets its spec once the page knows the variant (from the link or the
  // saved attempt): it starts when data-spec appears
  static get observedAttributes(): string[] {
    return ['data-spec'];
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.connectedCallback();
  }

  connectedCallback(): void {
    if (this.terminal) return;
    const mount = this.querySelector<HTMLElement>('[data-mount]');
    const statusEl = this.querySelector<HTMLElement>('[data-status]');
    if (!this.dataset.spec || !mount) return;
    const spec = JSON.parse(this.dataset.spec) as LabSpec;
    const lab = this.dataset.lab ?? 'lab';
    const sr = this.querySelector<HTMLInputElement>('input[data-act="sr"]');
    const reset = this.querySelector<HTMLButtonElement>('button[data-act="reset"]');
    const srOn = readSr();
    if (sr) sr.checked = srOn;
    const label = this.querySelector('.widget-title small')?.textContent?.replace(/[()]/g, '') ?? '';
    const t = new LabTerminal({
      spec,
      store: labStore(lab),
      mount,
      label,
      screenReaderMode: srOn,
      status: (text) => {
        if (statusEl) statusEl.textContent = text;
      },
      onLabState: (state) => this.dispatchEvent(new CustomEvent('pp-lab-state', { detail: state, bubbles: true })),
    });
    this.terminal = t;
    sr?.addEventListener('change', () => {
      t.setScreenReaderMode(sr.checked);
      try {
        localStorage.setItem(SR_KEY, sr.checked ? 'on' : 'off');
      } catch {
        // private mode: the choice lasts for this page
      }
    });
    reset?.addEventListener('click', () => {
      void t.start();
      t.focus();
    });
    onThemeChange(() => t.applyTheme());
    void t.start().then(() => {
      if (reset) reset.disabled = false;
    });
  }

  /** Type commands into the terminal; resolves with what they printed. */
  run(text: string): Promise<string> {
    return this.terminal ? this.terminal.type(text) : Promise.resolve('');
  }
}

if (!customElements.get('pp-terminal')) customElements.define('pp-terminal', PpTerminal);

/** The terminal of a lab (or the first on the page). */
export function terminalFor(lab?: string): PpTerminal | null {
  const sel = lab ? `pp-terminal[data-lab="${CSS.escape(lab)}"]` : 'pp-terminal';
  return document.querySelector<PpTerminal>(sel);
}
