/**
 * Small text helpers shared by the built pages and the page scripts (no schema library here, so
 * the page scripts stay small).
 */

/** How a short answer is compared. */
export function normalizeAnswer(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Plain text with `code` spans, escaped, as HTML. */
export function inlineHtml(text: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return text
    .split('`')
    .map((part, i) => (i % 2 ? `<code>${esc(part)}</code>` : esc(part)))
    .join('');
}
