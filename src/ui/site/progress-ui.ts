/**
 * Progress on the page: ticks in the course menu and on the course map, the "I have finished
 * this lesson" switch, and the home page's panel (summary, export to a file, import from one,
 * start over). Notices about saved data (a reset after unreadable data, an import) show here.
 */
import { clearNotice, exportProgress, importProgress, markRead, progressStore, resetProgress, summarize, type ProgressState } from '../store/progress.ts';

function renderMarks(st: ProgressState): void {
  for (const el of document.querySelectorAll<HTMLElement>('[data-read-mark]')) {
    const read = st.lessons[el.dataset.readMark ?? '']?.read;
    el.textContent = read ? '✓' : '';
    el.setAttribute('aria-label', read ? 'finished' : '');
    if (!read) el.removeAttribute('aria-label');
  }
  for (const el of document.querySelectorAll<HTMLElement>('[data-lesson-status]')) {
    const slug = el.dataset.lessonStatus ?? '';
    const read = st.lessons[slug]?.read;
    const answers = Object.entries(st.quizzes).filter(([k]) => k.startsWith(`${slug}/`));
    const right = answers.filter(([, a]) => a.correct).length;
    el.textContent = `${read ? 'Finished' : 'Not finished yet'}${answers.length ? ` · quiz ${right}/${answers.length} right` : ''}`;
    el.classList.toggle('badge-done', !!read);
  }
  for (const el of document.querySelectorAll<HTMLElement>('[data-lab-status]')) {
    const l = st.labs[el.dataset.labStatus ?? ''];
    const tries = l?.attempt?.history.some((e) => e.kind === 'line');
    el.textContent = l?.solved ? `Solved${l.score !== undefined ? ` · score ${l.score}` : ''}` : tries ? 'In progress' : 'Not started';
    el.classList.toggle('badge-done', !!l?.solved);
  }
  const total = document.querySelectorAll('[data-lesson-status]').length;
  const meter = document.querySelector<HTMLElement>('[data-progress-meter]');
  const summary = document.querySelector<HTMLElement>('[data-progress-summary]');
  if (summary) summary.textContent = `${summarize(st)}.`;
  if (meter && total) {
    const done = [...document.querySelectorAll<HTMLElement>('[data-lesson-status]')].filter((el) => st.lessons[el.dataset.lessonStatus ?? '']?.read).length;
    meter.style.width = `${Math.round((done / total) * 100)}%`;
    meter.parentElement?.setAttribute('aria-valuenow', String(done));
  }
}

function renderNotice(st: ProgressState): void {
  const box = document.querySelector<HTMLElement>('[data-progress-notice]');
  if (!box) return;
  const text = box.querySelector<HTMLElement>('p');
  box.hidden = !st.notice;
  box.classList.toggle('notice-error', !!st.notice?.error);
  if (text) text.textContent = st.notice?.text ?? '';
}

export function setupProgress(): void {
  const store = progressStore();
  const render = (st: ProgressState) => {
    renderMarks(st);
    renderNotice(st);
    const toggle = document.querySelector<HTMLInputElement>('[data-read-toggle]');
    if (toggle) toggle.checked = !!st.lessons[toggle.dataset.readToggle ?? '']?.read;
  };
  store.subscribe(render);
  render(store.getState());

  document.querySelector<HTMLButtonElement>('[data-progress-notice] button')?.addEventListener('click', () => clearNotice(store));
  const toggle = document.querySelector<HTMLInputElement>('[data-read-toggle]');
  toggle?.addEventListener('change', () => markRead(store, toggle.dataset.readToggle ?? '', toggle.checked));

  const exp = document.querySelector<HTMLButtonElement>('[data-progress-export]');
  exp?.addEventListener('click', () => {
    const blob = new Blob([exportProgress(store.getState())], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `packet-path-progress-${new Date().toISOString().slice(0, 10)}.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    store.setState({ notice: { text: 'Your progress was saved to a file in your downloads.', error: false } });
  });
  const file = document.querySelector<HTMLInputElement>('[data-progress-import]');
  file?.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    if (f.size > 1_000_000) {
      store.setState({ notice: { text: 'That file is too large to be a Packet Path progress file.', error: true } });
    } else importProgress(store, await f.text());
    file.value = '';
  });
  document.querySelector<HTMLButtonElement>('[data-progress-reset]')?.addEventListener('click', () => {
    if (confirm('Clear your progress in this browser? Export it first if you want to keep it.')) resetProgress(store);
  });
}
