/**
 * <pp-quiz>: checks answers, reveals the explanation of every option, and remembers the answers
 * in the learner's progress (restored when the page opens again).
 */
import { progressStore, recordAnswer } from '../store/progress.ts';
import { normalizeAnswer } from '../content/text.ts';

export class PpQuiz extends HTMLElement {
  connectedCallback(): void {
    if (this.dataset.wired) return;
    this.dataset.wired = '1';
    const store = progressStore();
    const key = this.dataset.key ?? 'quiz';
    const questions = [...this.querySelectorAll<HTMLElement>('.question')];
    const show = (q: HTMLElement, answer: string, save: boolean) => {
      const qi = q.dataset.q ?? '0';
      const result = q.querySelector<HTMLElement>('[data-result]')!;
      let correct = false;
      if (q.dataset.kind === 'short') {
        const input = q.querySelector<HTMLInputElement>('input')!;
        const accepted = JSON.parse(input.dataset.answers ?? '[]') as string[];
        const a = normalizeAnswer(answer);
        correct = accepted.includes(a);
        input.value = answer;
        q.querySelector<HTMLElement>('[data-why]')!.hidden = false;
        for (const w of q.querySelectorAll<HTMLElement>('[data-wrong]')) w.hidden = correct || w.dataset.wrong !== a;
      } else {
        const inputs = [...q.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
        const chosen = inputs.find((i) => i.value === answer);
        if (chosen) chosen.checked = true;
        correct = !!chosen?.dataset.correct;
        for (const w of q.querySelectorAll<HTMLElement>('[data-why]')) w.hidden = false;
      }
      result.textContent = correct ? 'Right.' : 'Not quite: read the explanations.';
      result.className = `q-result ${correct ? 'right' : 'wrong'}`;
      if (save) recordAnswer(store, `${key}/${qi}`, answer, correct);
      this.score();
    };
    for (const q of questions) {
      const btn = q.querySelector<HTMLButtonElement>('[data-act="check"]')!;
      btn.addEventListener('click', () => {
        let answer = '';
        if (q.dataset.kind === 'short') answer = q.querySelector<HTMLInputElement>('input')!.value;
        else answer = q.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.value ?? '';
        const result = q.querySelector<HTMLElement>('[data-result]')!;
        if (!answer.trim()) {
          result.textContent = q.dataset.kind === 'short' ? 'Type an answer first.' : 'Choose an option first.';
          result.className = 'q-result';
          return;
        }
        show(q, answer, true);
      });
      if (q.dataset.kind === 'short') {
        q.querySelector<HTMLInputElement>('input')!.addEventListener('keydown', (ev) => {
          if (ev.key === 'Enter') btn.click();
        });
      }
      const saved = store.getState().quizzes[`${key}/${q.dataset.q}`];
      if (saved) show(q, saved.answer, false);
    }
    this.score();
  }

  private score(): void {
    const store = progressStore();
    const key = this.dataset.key ?? 'quiz';
    const n = this.querySelectorAll('.question').length;
    let answered = 0;
    let right = 0;
    for (let i = 0; i < n; i++) {
      const a = store.getState().quizzes[`${key}/${i}`];
      if (a) {
        answered++;
        if (a.correct) right++;
      }
    }
    const el = this.querySelector<HTMLElement>('[data-score]');
    if (el && answered) el.textContent = `${answered} of ${n} answered, ${right} right. Your answers are saved in this browser.`;
  }
}

if (!customElements.get('pp-quiz')) customElements.define('pp-quiz', PpQuiz);
