/**
 * <pp-run>: a lesson's command block. "Run" types the commands into the lab's terminal, as the
 * learner would, and shows their output under the block (also announced to screen readers).
 */
import { terminalFor } from './terminal-element.ts';

export class PpRun extends HTMLElement {
  connectedCallback(): void {
    const btn = this.querySelector<HTMLButtonElement>('button[data-act="run"]');
    const out = this.querySelector<HTMLElement>('[data-output]');
    const cmd = this.dataset.cmd ?? '';
    if (!btn || !out || !cmd || btn.dataset.wired) return;
    btn.dataset.wired = '1';
    const term = terminalFor(this.dataset.lab);
    if (!term) return;
    // the terminal's code loads after the page; the button works once it has
    void customElements.whenDefined('pp-terminal').then(() => {
      btn.disabled = false;
    });
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      btn.textContent = 'Running…';
      out.textContent = '';
      try {
        const printed = await term.run(cmd);
        out.textContent = printed.replace(/\r/g, '').replace(/\s+$/, '') || '(no output)';
      } finally {
        btn.disabled = false;
        btn.textContent = 'Run';
      }
    });
  }
}

if (!customElements.get('pp-run')) customElements.define('pp-run', PpRun);
