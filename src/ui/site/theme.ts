/**
 * Light and dark themes. With no choice stored the site follows the system (CSS media query);
 * a choice is stored as `pp-theme` and applied as `data-theme` on <html> (an inline script in the
 * head applies it before the first paint, so the page never flashes the wrong theme).
 */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'pp-theme';
const listeners = new Set<() => void>();

export function storedTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

/** The theme actually showing. */
export function effectiveTheme(): 'light' | 'dark' {
  const c = document.documentElement.dataset.theme;
  if (c === 'light' || c === 'dark') return c;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
  try {
    if (choice === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    // storage unavailable: the choice lasts for this page
  }
  for (const l of listeners) l();
}

/** Call `fn` whenever the theme showing may have changed (a choice or a system change). */
export function onThemeChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

let watching = false;
export function watchSystemTheme(): void {
  if (watching) return;
  watching = true;
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    for (const l of listeners) l();
  });
}

export const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
