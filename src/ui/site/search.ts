/**
 * The search dialog. Pagefind's index (built from the site after `astro build`) is loaded from
 * /pagefind/ the first time the dialog opens; results show the page title and an excerpt with
 * the matches marked. Opens with the header button or the "/" key.
 */
interface PagefindResult {
  readonly url: string;
  readonly excerpt: string;
  readonly meta: { readonly title?: string };
}
interface Pagefind {
  init?(): Promise<void>;
  search(q: string): Promise<{ results: { data(): Promise<PagefindResult> }[] }>;
}

let loading: Promise<Pagefind | null> | null = null;

function loadPagefind(): Promise<Pagefind | null> {
  if (!loading) {
    const url = '/pagefind/pagefind.js';
    loading = import(/* @vite-ignore */ url)
      .then(async (m: Pagefind) => {
        await m.init?.();
        return m;
      })
      .catch(() => null);
  }
  return loading;
}

/** Pagefind excerpts are our own text with <mark>; keep only that tag. */
export function safeExcerpt(html: string): string {
  const text = html.replace(/<(?!\/?mark>)[^>]*>/g, '');
  return text
    .split(/(<\/?mark>)/)
    .map((part) => (part === '<mark>' || part === '</mark>' ? part : part.replace(/&(?!(amp|lt|gt|quot|#39);)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('');
}

export function setupSearch(): void {
  const dialog = document.querySelector<HTMLDialogElement>('[data-search]');
  const open = document.querySelector<HTMLButtonElement>('[data-search-open]');
  const input = document.querySelector<HTMLInputElement>('[data-search-input]');
  const list = document.querySelector<HTMLElement>('[data-search-results]');
  const status = document.querySelector<HTMLElement>('[data-search-status]');
  const form = document.querySelector<HTMLFormElement>('[data-search-form]');
  if (!dialog || !open || !input || !list || !status || !form) return;
  const show = () => {
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    void loadPagefind();
  };
  open.addEventListener('click', show);
  // Escape closes at once (a search field would otherwise only clear itself first)
  dialog.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      ev.preventDefault();
      dialog.close();
      open.focus();
    }
  });
  document.addEventListener('keydown', (ev) => {
    const t = ev.target as HTMLElement;
    if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (t.closest('input, textarea, select, [contenteditable], .xterm')) return;
    ev.preventDefault();
    show();
  });
  dialog.querySelector('[data-search-close]')?.addEventListener('click', () => {
    dialog.close();
    open.focus();
  });
  // Enter opens the first result
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    list.querySelector<HTMLAnchorElement>('a')?.click();
  });
  let seq = 0;
  input.addEventListener('input', async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (q.length < 2) {
      list.innerHTML = '';
      status.textContent = 'Type at least two letters.';
      return;
    }
    status.textContent = 'Searching…';
    const pf = await loadPagefind();
    if (mine !== seq) return;
    if (!pf) {
      status.textContent = 'Search is not available (the index was not built; run npm run build).';
      return;
    }
    const r = await pf.search(q);
    const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    if (mine !== seq) return;
    list.innerHTML = data
      .map((d) => `<li><a href="${d.url.replace(/"/g, '%22')}">${(d.meta.title ?? d.url).replace(/</g, '&lt;')}</a><p>${safeExcerpt(d.excerpt)}</p></li>`)
      .join('');
    status.textContent = data.length ? `${r.results.length} page${r.results.length === 1 ? '' : 's'} found${r.results.length > 10 ? ', showing 10' : ''}.` : 'Nothing found.';
  });
}
