/**
 * The small text format of a lab's story, hints and explanation, as HTML: paragraphs separated
 * by blank lines, lines indented by four spaces as code blocks, lines starting with "- " as a
 * list, `code` and **strong** inline. Everything is escaped; no other markup gets through. Used
 * by the build (the page as served) and by the page script (hints, and the story once the
 * variant is known), so it stays tiny.
 */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One line or paragraph of text: `code` spans and **strong**. */
export function inlineText(text: string): string {
  return text
    .split('`')
    .map((part, i) => (i % 2 ? `<code>${esc(part)}</code>` : esc(part).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')))
    .join('');
}

/** A whole text as HTML blocks. */
export function labTextHtml(text: string): string {
  const out: string[] = [];
  const blocks = text.replace(/\r\n/g, '\n').trim().split(/\n[ \t]*\n/);
  // an indented block may hold blank lines of its own: join consecutive code blocks
  let code: string[] | null = null;
  const flush = () => {
    if (code) out.push(`<pre><code>${esc(code.join('\n').replace(/\n+$/, ''))}</code></pre>`);
    code = null;
  };
  for (const block of blocks) {
    const lines = block.split('\n');
    if (lines.every((l) => l.startsWith('    ') || !l.trim())) {
      if (code) code.push('');
      code = [...(code ?? []), ...lines.map((l) => l.slice(4))];
      continue;
    }
    flush();
    if (lines.every((l) => /^\s*- /.test(l) || /^\s{2,}\S/.test(l))) {
      // list items, each possibly continued on indented lines
      const items: string[] = [];
      for (const l of lines) {
        if (/^\s*- /.test(l)) items.push(l.replace(/^\s*- /, ''));
        else items[items.length - 1] += ` ${l.trim()}`;
      }
      out.push(`<ul>${items.map((i) => `<li>${inlineText(i)}</li>`).join('')}</ul>`);
      continue;
    }
    out.push(`<p>${inlineText(lines.map((l) => l.trim()).join(' '))}</p>`);
  }
  flush();
  return out.join('\n');
}

/** Put a variant's values into text already turned into HTML (values are escaped). */
export function fillHtml(html: string, vars: Readonly<Record<string, string>>): string {
  return html.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (m, k: string) => (k in vars ? esc(vars[k]) : m));
}
