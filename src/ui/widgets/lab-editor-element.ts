/**
 * <pp-lab-editor>: the file editor of a graded lab. Reads and writes through the lab's terminal
 * worker (a save is a command of the attempt, so it is replayed on reload and undone by Undo).
 * monaco is imported on the first Open.
 */
import { fillHtml } from '../content/labtext.ts';
import type { MountedEditor } from '../editor/yaml-editor.ts';
import { terminalFor } from './terminal-element.ts';

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export class PpLabEditor extends HTMLElement {
  private editor: MountedEditor | null = null;
  private path = '';

  connectedCallback(): void {
    if (this.dataset.bound) return;
    this.dataset.bound = '1';
    this.q<HTMLButtonElement>('[data-act="editor-open"]').addEventListener('click', () => void this.open());
    this.q<HTMLButtonElement>('[data-act="editor-save"]').addEventListener('click', () => void this.save());
    this.closest('pp-graded-lab')?.addEventListener('pp-variant', () => this.showPaths());
    this.showPaths();
  }

  private vars(): Record<string, string> {
    const raw = this.closest<HTMLElement>('pp-graded-lab')?.dataset.vars;
    return raw ? (JSON.parse(raw) as Record<string, string>) : {};
  }

  private showPaths(): void {
    const vars = this.vars();
    for (const o of this.querySelectorAll<HTMLOptionElement>('option[data-template]')) o.textContent = unescape(fillHtml(o.dataset.template ?? '', vars));
  }

  private terminal() {
    return terminalFor(this.dataset.lab)?.terminal ?? null;
  }

  private async open(): Promise<void> {
    const t = this.terminal();
    if (!t) return;
    const sel = this.q<HTMLSelectElement>('[data-editor-file]');
    const path = unescape(fillHtml(sel.value, this.vars()));
    const r = await t.request({ op: 'read-file', path });
    if (!r) return;
    if (r.text === null) {
      this.status(`${path} cannot be read (${r.error ?? 'no such file'}).`);
      return;
    }
    if (!this.editor) {
      this.status('Loading the editor…');
      const { mountYamlEditor } = await import('../editor/yaml-editor.ts');
      this.editor = mountYamlEditor(this.q('[data-editor-mount]'), r.text, path);
    } else this.editor.setText(r.text, path);
    this.path = path;
    this.q<HTMLButtonElement>('[data-act="editor-save"]').disabled = false;
    this.status(`${path} is open in the editor.`);
  }

  private async save(): Promise<void> {
    const t = this.terminal();
    if (!t || !this.editor) return;
    if (!t.idle) {
      this.status('A command is still running in the terminal: wait for it, or press Ctrl+C there.');
      return;
    }
    const r = await t.request({ op: 'write-file', path: this.path, text: this.editor.getText() });
    if (!r) return;
    if (r.ok) {
      t.note(`# ${this.path} saved from the editor`);
      this.status(`Saved ${this.path}.`);
    } else this.status(`${this.path} was not saved: ${r.error ?? 'unknown error'}`);
  }

  private status(text: string): void {
    this.q('[data-editor-status]').textContent = text;
  }

  private q<T extends HTMLElement = HTMLElement>(sel: string): T {
    return this.querySelector<T>(sel)!;
  }
}

if (!customElements.get('pp-lab-editor')) customElements.define('pp-lab-editor', PpLabEditor);
