/**
 * The script every page loads: the theme switch, the course menu on small screens, search, and
 * the learner's progress (marks in the course menu, the "finished" switch of a lesson, and the
 * progress panel with export and import on the home page). Kept small: the heavy parts (search
 * index, terminal, diagram) load only where and when they are used.
 */
import { applyTheme, effectiveTheme, NEXT, onThemeChange, storedTheme, watchSystemTheme, type ThemeChoice } from './theme.ts';
import { setupSearch } from './search.ts';
import { setupProgress } from './progress-ui.ts';

function setupTheme(): void {
  const btn = document.querySelector<HTMLButtonElement>('[data-theme-toggle]');
  if (!btn) return;
  const label = () => {
    const c = storedTheme();
    const shown = effectiveTheme();
    btn.textContent = c === 'system' ? `Theme: system (${shown})` : `Theme: ${c}`;
    btn.title = 'Change the colour theme: system, light or dark';
    btn.dataset.choice = c;
  };
  btn.addEventListener('click', () => {
    applyTheme(NEXT[storedTheme()] as ThemeChoice);
  });
  onThemeChange(label);
  watchSystemTheme();
  label();
}

function setupNav(): void {
  const btn = document.querySelector<HTMLButtonElement>('[data-nav-toggle]');
  const side = document.getElementById('course-sidebar');
  if (!btn || !side) return;
  btn.addEventListener('click', () => {
    const open = !side.classList.contains('open');
    side.classList.toggle('open', open);
    btn.setAttribute('aria-expanded', String(open));
    if (open) side.querySelector<HTMLElement>('a[aria-current="page"], a')?.focus();
  });
}

setupTheme();
setupNav();
setupSearch();
setupProgress();
