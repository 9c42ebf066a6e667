/**
 * SVG markup for the pieces of a topology layout. The same functions serve the page built by
 * Astro (the whole drawing as a string, so it prints and reads without JavaScript) and the live
 * d3 view (which positions the groups and fills them from these strings), so both look alike.
 *
 * Each piece is a group positioned with `transform` and drawn in its own coordinates; wires and
 * buses use absolute coordinates. Colours come from CSS classes (light and dark themes).
 */
import { clip, type BridgeBar, type Bus, type HostBox, type Layout, type NsBox, type Pill, type Point, type Wire } from './layout.ts';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Characters of 12px monospace text that fit in `w` units. */
function fit(w: number): number {
  return Math.max(3, Math.floor(w / 7.3));
}

export function hostMarkup(h: HostBox): string {
  return `<rect class="host-body" width="${h.w}" height="${h.h}" rx="10"/><text class="host-title" x="12" y="20">${esc(clip(`host ${h.name}`, fit(h.w - 24)))}</text>`;
}

export function nsMarkup(n: NsBox): string {
  const cls = n.kind === 'root' ? 'ns-body ns-root' : n.kind === 'container' ? 'ns-body ns-container' : 'ns-body';
  const notes = n.notes.map((line, k) => `<text class="ns-note" x="10" y="${34 + k * 16}">${esc(clip(line, fit(n.w - 20) + 4))}</text>`).join('');
  return `<rect class="${cls}" width="${n.w}" height="${n.h}" rx="8"/><text class="ns-title" x="10" y="17">${esc(clip(n.title, fit(n.w - 20)))}</text>${notes}`;
}

export function pillMarkup(p: Pill): string {
  const state = !p.up ? 'DOWN' : !p.carrier ? 'NO-CARRIER' : '';
  const cls = `pill-body pill-${p.kind}${p.up ? '' : ' pill-down'}`;
  const room = fit(p.w - 12);
  const name = clip(p.name, Math.max(3, room - (state ? state.length + 1 : 0)));
  const title = `${p.name} (${p.kind}, ${state || 'UP'})${p.addrs.length ? `: ${p.addrs.join(', ')}` : ''}`;
  return `<title>${esc(title)}</title><rect class="${cls}" width="${p.w}" height="${p.h}" rx="6"/>` +
    `<text class="pill-name" x="7" y="14">${esc(name)}</text>` +
    (state ? `<text class="pill-state" x="${p.w - 6}" y="14" text-anchor="end">${state}</text>` : '') +
    (p.addrText ? `<text class="pill-addr" x="7" y="28">${esc(clip(p.addrText, room))}</text>` : '');
}

export function barMarkup(b: BridgeBar): string {
  // a switch: a body with port notches and the bridge's name and address
  const notches: string[] = [];
  for (let x = 40; x < b.w - 10; x += 18) notches.push(`<rect class="bar-notch" x="${x}" y="${b.h - 7}" width="8" height="4" rx="1"/>`);
  return `<title>${esc(`bridge ${b.label}`)}</title><rect class="bar-body${b.up ? '' : ' bar-down'}" width="${b.w}" height="${b.h}" rx="5"/>${notches.join('')}` +
    `<path class="bar-glyph" d="M8 9h12l-3-3M20 17H8l3 3"/>` +
    `<text class="bar-label" x="28" y="15">${esc(clip(b.label, fit(b.w - 36)))}</text>`;
}

export function pathD(points: readonly Point[]): string {
  return points.map((p, i) => `${i ? 'L' : 'M'}${round(p[0])} ${round(p[1])}`).join('');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export function wireClass(w: Wire): string {
  return `wire wire-${w.kind}${w.down ? ' wire-down' : ''}`;
}

export function wireLabel(w: Wire): string {
  if (!w.label) return '';
  const [a, , , d] = w.points;
  const x = (a[0] + d[0]) / 2;
  const y = w.points[1][1] - 4;
  return `<text class="wire-label" x="${round(x)}" y="${round(y)}" text-anchor="middle">${esc(w.label)}</text>`;
}

export function busMarkup(b: Bus): string {
  return `<line class="bus" x1="${b.x1}" y1="${b.y}" x2="${b.x2}" y2="${b.y}"/><text class="bus-label" x="${b.x2 + 6}" y="${b.y + 4}">${esc(`LAN ${b.name}`)}</text>`;
}

/** The whole drawing, for the page as built (no JavaScript needed to see it). */
export function svgDocument(layout: Layout, opts: { readonly id: string; readonly title: string; readonly desc: string }): string {
  const g = (cls: string, key: string, x: number, y: number, inner: string) => `<g class="${cls}" data-key="${esc(key)}" transform="translate(${round(x)},${round(y)})">${inner}</g>`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="topo-svg" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-labelledby="${opts.id}-t ${opts.id}-d">`,
    `<title id="${opts.id}-t">${esc(opts.title)}</title><desc id="${opts.id}-d">${esc(opts.desc)}</desc>`,
    `<g class="layer-hosts">${layout.hosts.map((h) => g('host', h.id, h.x, h.y, hostMarkup(h))).join('')}</g>`,
    `<g class="layer-ns">${layout.namespaces.map((n) => g('ns', n.id, n.x, n.y, nsMarkup(n))).join('')}</g>`,
    `<g class="layer-buses">${layout.buses.map((b) => `<g class="lan" data-key="${esc(b.id)}">${busMarkup(b)}</g>`).join('')}</g>`,
    `<g class="layer-wires">${layout.wires.map((w) => `<g class="wire-g" data-key="${esc(w.id)}"><path class="${wireClass(w)}" d="${pathD(w.points)}"/>${wireLabel(w)}</g>`).join('')}</g>`,
    `<g class="layer-bars">${layout.bridges.map((b) => g('bar', b.id, b.x, b.y, barMarkup(b))).join('')}</g>`,
    `<g class="layer-pills">${layout.pills.map((p) => g('pill', p.id, p.x, p.y, pillMarkup(p))).join('')}</g>`,
    `<g class="layer-path"></g><g class="layer-trace"></g>`,
    '</svg>',
  ];
  return parts.join('');
}
