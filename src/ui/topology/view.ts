/**
 * The live topology drawing (d3). It adopts the SVG the page was built with, redraws it when the
 * world changes (joined by id, so existing pieces stay and new ones appear), and plays a trace:
 * each packet is a dot that travels along the wires, decisions (routes, rules, NAT) appear as
 * notes where they happen, and a drop is marked where it happens with its reason.
 *
 * With reduced motion the dots jump from place to place and the path is highlighted instead.
 */
import { select, type Selection } from 'd3-selection';
import 'd3-transition';
import { adjacency, layoutTopology, route, type Edge, type Layout, type Point } from './layout.ts';
import { barMarkup, busMarkup, esc, hostMarkup, nsMarkup, pathD, pillMarkup, wireClass, wireLabel } from './svg.ts';
import type { Topology } from './model.ts';
import { positionsAt, type Step } from '../trace/steps.ts';
import { formatIpv4 } from '../../sim/wire/addr.ts';

type Keyed = { id: string };
type Adj = ReturnType<typeof adjacency>;

function keyOf(this: Element | null, d: Keyed | undefined): string {
  return d ? d.id : ((this as Element | null)?.getAttribute('data-key') ?? '');
}

/** Remember the markup a group was filled with, to skip identical redraws. */
const filled = new WeakMap<Element, string>();

function fill(el: Element, html: string): void {
  if (filled.get(el) === html) return;
  if (!filled.has(el) && el.innerHTML === html) {
    filled.set(el, html);
    return;
  }
  el.innerHTML = html;
  filled.set(el, html);
}

/** A point a fraction `f` of the way along a polyline. */
export function along(points: readonly Point[], f: number): Point {
  if (points.length === 1) return points[0];
  const lens: number[] = [];
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    const l = Math.hypot(points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]);
    lens.push(l);
    total += l;
  }
  let d = Math.max(0, Math.min(1, f)) * total;
  for (let i = 0; i < lens.length; i++) {
    if (d <= lens[i] || i === lens.length - 1) {
      const t = lens[i] ? d / lens[i] : 1;
      return [points[i][0] + (points[i + 1][0] - points[i][0]) * t, points[i][1] + (points[i + 1][1] - points[i][1]) * t];
    }
    d -= lens[i];
  }
  return points[points.length - 1];
}

function polyLength(points: readonly Point[]): number {
  let n = 0;
  for (let i = 1; i < points.length; i++) n += Math.hypot(points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]);
  return n;
}

/** The layout node where a step's packet is drawn: the interface, or its namespace. */
export function nodeFor(layout: Layout, at: string): string | null {
  if (layout.nodes.has(at)) return at;
  const ns = at.split('/').slice(0, 2).join('/');
  return layout.nodes.has(ns) ? ns : null;
}

function packetLabel(s: Step): string {
  const p = s.event.packet;
  if (p.arp) return p.arp.op === 1 ? 'ARP?' : 'ARP!';
  if (p.vxlan && p.inner?.ip) return `VXLAN[${formatIpv4(p.inner.ip.src)}→${formatIpv4(p.inner.ip.dst)}]`;
  if (p.ip) return `${formatIpv4(p.ip.src)}→${formatIpv4(p.ip.dst)}`;
  return `p${s.event.packetId}`;
}

function packetClass(s: Step): string {
  const p = s.event.packet;
  if (p.arp) return 'pkt pkt-arp';
  if (p.vxlan) return 'pkt pkt-vxlan';
  if (p.tcp) return 'pkt pkt-tcp';
  if (p.udp) return 'pkt pkt-udp';
  return 'pkt pkt-icmp';
}

export interface ShowOptions {
  readonly animate: boolean;
  /** 1 = normal speed */
  readonly speed: number;
}

export class TopologyView {
  readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  layout: Layout | null = null;
  private adj: Adj | null = null;
  private steps: readonly Step[] = [];
  private shown = -1;
  private topoKey = '';
  /** called when the learner clicks a place the trace visits */
  onPick: ((step: number) => void) | null = null;

  constructor(svgEl: SVGSVGElement) {
    this.svg = select(svgEl);
    this.svg.on('click', (ev: MouseEvent) => {
      const t = (ev.target as Element).closest('[data-step]');
      if (t && this.onPick) this.onPick(Number(t.getAttribute('data-step')));
    });
  }

  /** Draw a topology (only what changed). */
  update(topology: Topology, animate: boolean): void {
    const key = JSON.stringify(topology);
    if (key === this.topoKey) return;
    this.topoKey = key;
    const layout = layoutTopology(topology);
    this.layout = layout;
    this.adj = adjacency(layout);
    const svg = this.svg;
    svg.attr('viewBox', `0 0 ${layout.width} ${layout.height}`).attr('width', layout.width).attr('height', layout.height);
    const dur = animate ? 300 : 0;
    const place = <T extends Keyed & { x: number; y: number }>(layer: string, cls: string, data: readonly T[], markup: (d: T) => string) => {
      const sel = svg.select(`g.${layer}`).selectAll<SVGGElement, T>(`g.${cls}`).data(data as T[], keyOf as never);
      sel.exit().remove();
      const enter = sel.enter().append('g').attr('class', cls).attr('data-key', (d) => d.id).attr('transform', (d) => `translate(${d.x},${d.y})`);
      const all = enter.merge(sel);
      all.each(function (d) {
        fill(this, markup(d));
      });
      if (dur) sel.transition().duration(dur).attr('transform', (d) => `translate(${d.x},${d.y})`);
      else sel.attr('transform', (d) => `translate(${d.x},${d.y})`);
    };
    place('layer-hosts', 'host', layout.hosts, hostMarkup);
    place('layer-ns', 'ns', layout.namespaces, nsMarkup);
    place('layer-bars', 'bar', layout.bridges, barMarkup);
    place('layer-pills', 'pill', layout.pills, pillMarkup);
    const plain = <T extends Keyed>(layer: string, cls: string, data: readonly T[], markup: (d: T) => string) => {
      const sel = svg.select(`g.${layer}`).selectAll<SVGGElement, T>(`g.${cls}`).data(data as T[], keyOf as never);
      sel.exit().remove();
      sel
        .enter()
        .append('g')
        .attr('class', cls)
        .attr('data-key', (d) => d.id)
        .merge(sel)
        .each(function (d) {
          fill(this, markup(d));
        });
    };
    plain('layer-buses', 'lan', layout.buses, busMarkup);
    plain('layer-wires', 'wire-g', layout.wires, (d) => `<path class="${wireClass(d)}" d="${pathD(d.points)}"/>${wireLabel(d)}`);
    // a trace drawn on the old layout is redrawn on the new one
    if (this.steps.length) {
      const i = this.shown;
      this.setTrace(this.steps);
      this.show(i, { animate: false, speed: 1 });
    }
  }

  /** Start showing a trace (nothing moves until `show`). */
  setTrace(steps: readonly Step[]): void {
    this.steps = steps;
    this.shown = -1;
    const trace = this.svg.select('g.layer-trace');
    trace.selectAll('*').interrupt().remove();
    this.drawPath();
    this.drawMarkers();
  }

  /** Every wire the trace's packets travel, highlighted (the whole path, without motion). */
  private drawPath(): void {
    const layer = this.svg.select('g.layer-path');
    layer.selectAll('*').remove();
    const layout = this.layout;
    if (!layout || !this.adj) return;
    const segs = new Set<Edge>();
    const last = new Map<number, string>();
    for (const s of this.steps) {
      if (!s.moves) continue;
      const to = nodeFor(layout, s.at);
      const from = last.get(s.event.packetId);
      if (to) last.set(s.event.packetId, to);
      if (!from || !to || from === to) continue;
      const used: Edge[] = [];
      route(layout, from, to, this.adj, used);
      for (const e of used) if (!e.internal) segs.add(e);
    }
    // only real wires are highlighted; moves inside a namespace are not drawn
    for (const e of segs) layer.append('path').attr('class', 'trace-path').attr('d', pathD(e.points));
  }

  /** Small numbered markers on the places the trace visits; clicking one shows that hop. */
  private drawMarkers(): void {
    const layout = this.layout;
    if (!layout) return;
    const layer = this.svg.select('g.layer-trace');
    const seen = new Map<string, number>();
    for (const s of this.steps) {
      if (!s.moves) continue;
      const n = nodeFor(layout, s.at);
      if (n && !seen.has(n)) seen.set(n, s.index);
    }
    for (const [n, i] of seen) {
      const p = layout.nodes.get(n)!;
      layer
        .append('g')
        .attr('class', 'hop-marker')
        .attr('data-step', i)
        .attr('data-node', n)
        .attr('transform', `translate(${p[0]},${p[1]})`)
        .html(`<title>${esc(`hop ${i + 1}: ${this.steps[i].placeText}`)}</title><circle r="11"/>`);
    }
  }

  /**
   * Show the world as it is after step `index` (-1: before the first). Moving forward one step
   * animates it; any other jump redraws at once. Resolves when the animation has finished.
   */
  show(index: number, opts: ShowOptions): Promise<void> {
    const layout = this.layout;
    if (!layout) return Promise.resolve();
    const prev = this.shown;
    this.shown = index;
    const trace = this.svg.select('g.layer-trace');
    trace.selectAll('.pkt, .note, .focus-ring').interrupt();
    const step = index >= 0 ? this.steps[index] : null;
    const animateStep = opts.animate && step !== null && index === prev + 1 && step.moves;
    // positions of all packets before this step (or at it, when not animating)
    const pos = positionsAt(this.steps, animateStep ? index - 1 : index);
    const lastStepOf = new Map<number, Step>();
    for (let i = 0; i <= index && i < this.steps.length; i++) lastStepOf.set(this.steps[i].event.packetId, this.steps[i]);
    const data = [...pos.entries()]
      .filter(([id, p]) => !p.gone || (step && step.event.packetId === id))
      .map(([id, p]) => ({ id, at: p.at, step: lastStepOf.get(id)! }));
    const dots = trace.selectAll<SVGGElement, (typeof data)[number]>('g.pkt').data(data, (d) => String(d.id));
    dots.exit().remove();
    const enter = dots.enter().append('g').attr('data-packet', (d) => d.id);
    enter.append('circle').attr('r', 7);
    enter.append('text').attr('class', 'pkt-label').attr('x', 10).attr('y', -9);
    const all = enter.merge(dots);
    all.attr('class', (d) => `${packetClass(d.step)}${step && d.id === step.event.packetId ? ' pkt-current' : ''}`);
    all
      .select('text')
      .text((d) => (step && d.id === step.event.packetId ? packetLabel(d.step) : ''))
      // near the right edge the label goes to the left of the dot
      .attr('text-anchor', (d) => (this.nearRight(d.at) ? 'end' : 'start'))
      .attr('x', (d) => (this.nearRight(d.at) ? -10 : 10));
    all.attr('transform', (d) => {
      const n = nodeFor(layout, d.at);
      const p = n ? layout.nodes.get(n)! : ([0, 0] as Point);
      return `translate(${p[0]},${p[1]})`;
    });
    // drops: a cross where they happened, with the reason
    trace.selectAll('g.drop').remove();
    for (let i = 0; i <= index && i < this.steps.length; i++) {
      const s = this.steps[i];
      if (s.event.kind !== 'drop') continue;
      const n = nodeFor(layout, s.at);
      if (!n) continue;
      const p = layout.nodes.get(n)!;
      trace
        .append('g')
        .attr('class', 'drop')
        .attr('data-step', i)
        .attr('transform', `translate(${p[0]},${p[1]})`)
        .html(`<title>${esc(s.event.drop ? `${s.event.drop.reason}: ${s.event.drop.text}` : s.event.summary)}</title><path d="M-8-8L8 8M8-8L-8 8"/><text x="12" y="18">${esc(s.event.drop?.reason ?? 'dropped')}</text>`);
    }
    // the current place
    trace.selectAll('.focus-ring, .note').remove();
    this.svg.selectAll('.hop-marker').classed('hop-current', false);
    if (!step) return Promise.resolve();
    const node = nodeFor(layout, step.at);
    if (node) {
      this.svg.selectAll(`.hop-marker`).filter(function () {
        return (this as Element).getAttribute('data-node') === node;
      }).classed('hop-current', true);
      const p = layout.nodes.get(node)!;
      trace.append('circle').attr('class', 'focus-ring').attr('r', 16).attr('cx', p[0]).attr('cy', p[1]).attr('data-place', step.place);
    }
    if (!step.moves || step.event.kind === 'drop' || step.event.kind === 'deliver') this.note(step);
    const dot = all.filter((d) => d.id === step.event.packetId);
    if (!animateStep || !node) return Promise.resolve();
    const from = nodeFor(layout, pos.get(step.event.packetId)?.at ?? step.at);
    const path = from ? route(layout, from, node, this.adj ?? undefined) : null;
    const target = layout.nodes.get(node)!;
    if (!path || path.length < 2) {
      dot.attr('transform', `translate(${target[0]},${target[1]})`);
      return Promise.resolve();
    }
    const len = polyLength(path);
    const duration = Math.min(1100, 260 + len * 1.1) / Math.max(0.25, opts.speed);
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(guard);
        resolve();
      };
      // a transition removed before it starts ends with "cancel", one stopped midway with "interrupt"
      const guard = setTimeout(finish, duration + 250);
      dot
        .transition()
        .duration(duration)
        .attrTween('transform', () => (t: number) => {
          const q = along(path, t);
          return `translate(${q[0]},${q[1]})`;
        })
        .on('end', finish)
        .on('interrupt', finish)
        .on('cancel', finish);
    });
  }

  private nearRight(at: string): boolean {
    const layout = this.layout!;
    const n = nodeFor(layout, at);
    const p = n ? layout.nodes.get(n) : undefined;
    return !!p && p[0] > layout.width - 170;
  }

  /** A note beside the packet: the decision taken at this step. */
  private note(step: Step): void {
    const layout = this.layout!;
    const n = nodeFor(layout, step.at);
    if (!n) return;
    const p = layout.nodes.get(n)!;
    const text = step.event.kind === 'nat' && step.event.nat ? `${step.event.nat.kind} ${step.event.nat.before} → ${step.event.nat.after}` : step.event.summary;
    const maxChars = 60;
    const shown = text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
    const w = shown.length * 6.6 + 14;
    const x = Math.min(p[0] + 14, layout.width - w - 4);
    const y = Math.max(4, p[1] - 38);
    const cls = step.event.kind === 'drop' ? 'note note-drop' : step.event.kind === 'nat' ? 'note note-nat' : 'note';
    this.svg
      .select('g.layer-trace')
      .append('g')
      .attr('class', cls)
      .attr('transform', `translate(${x},${y})`)
      .html(`<rect width="${w}" height="20" rx="4"/><text x="7" y="14">${esc(shown)}</text>`);
  }
}
