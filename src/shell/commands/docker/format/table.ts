/**
 * The docker CLI's list output (`docker ps`, `docker network ls`, ...).
 *
 *  - TabWriter: text/tabwriter's algorithm (the docker CLI's fork, which measures cells in
 *    terminal columns): cells end at tabs, a column is as wide as its widest cell plus padding
 *    (at least minwidth), the last cell of a line is never padded, a line without tabs ends the
 *    column block. The CLI uses NewWriter(out, 10, 1, 3, ' ', 0).
 *  - renderFormat: formatter.Context.Write: "table" formats get a header row rendered from the
 *    header map and go through the tab writer; other formats print one line per row; the
 *    literal sequences \t and \n in a --format become tab and newline.
 *  - containerRow / networkRow: the row contexts the CLI executes templates against
 *    (*formatter.ContainerContext, *network.networkContext), with their header maps, and
 *    `docker ps`' template pre-check.
 */
import { GoNil, GoStruct, compareBytes, goFunc, goQuote, GoMap, type GoFunc } from './govalue.ts';
import { DOCKER_HEADER_FUNCS, TemplateError, parseDockerTemplate } from './gotemplate.ts';
import { encodeJSON } from './json.ts';
import { createdAt as createdAtString, rfc3339ToGoString, runningFor } from './duration.ts';

// =============================================================================================
// Display width

/** Terminal columns of one code point (East Asian wide/fullwidth = 2, combining marks = 0). */
export function runeWidth(cp: number): number {
  if (cp === 0) return 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp === 0x200b || (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x1ab0 && cp <= 0x1aff) || (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe20 && cp <= 0xfe2f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Terminal width of a string (go-runewidth StringWidth, non-CJK locale). */
export function stringWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += runeWidth(ch.codePointAt(0)!);
  return w;
}

// =============================================================================================
// TabWriter

export const AlignRight = 4;
export const DiscardEmptyColumns = 8;
export const TabIndent = 16;
export const Debug = 32;

interface Cell {
  text: string;
  width: number;
  htab: boolean;
}

/** text/tabwriter.Writer (without the HTML-filter and escape-character options). */
export class TabWriter {
  private readonly minwidth: number;
  private readonly tabwidth: number;
  private readonly padding: number;
  private readonly padchar: string;
  private readonly flags: number;
  private out = '';
  private cell = '';
  private lines: Cell[][] = [[]];
  private widths: number[] = [];

  constructor(minwidth: number, tabwidth: number, padding: number, padchar: string, flags = 0) {
    if (minwidth < 0 || tabwidth < 0 || padding < 0) throw new Error('negative minwidth, tabwidth, or padding');
    this.minwidth = minwidth;
    this.tabwidth = tabwidth;
    this.padding = padding;
    this.padchar = padchar;
    this.flags = padchar === '\t' ? flags & ~AlignRight : flags;
  }

  write(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\t' || ch === '\v' || ch === '\n' || ch === '\f') {
        this.cell += text.slice(start, i);
        start = i + 1;
        const ncells = this.terminateCell(ch === '\t');
        if (ch === '\n' || ch === '\f') {
          this.lines.push([]);
          if (ch === '\f' || ncells === 1) {
            this.flushBlock();
            if (ch === '\f' && this.flags & Debug) this.out += '---\n';
          }
        }
      }
    }
    this.cell += text.slice(start);
  }

  /** Flush buffered lines and return everything written so far. */
  flush(): string {
    if (this.cell.length > 0) this.terminateCell(false);
    this.flushBlock();
    const s = this.out;
    this.out = '';
    return s;
  }

  private terminateCell(htab: boolean): number {
    const line = this.lines[this.lines.length - 1];
    line.push({ text: this.cell, width: stringWidth(this.cell), htab });
    this.cell = '';
    return line.length;
  }

  private flushBlock(): void {
    this.format(0, this.lines.length);
    // reset (keeping the incomplete cell, which flush() has terminated already when needed)
    this.lines = [[]];
    this.widths = [];
  }

  private writePadding(textw: number, cellw: number, useTabs: boolean): void {
    if (this.padchar === '\t' || useTabs) {
      if (this.tabwidth === 0) return;
      cellw = Math.floor((cellw + this.tabwidth - 1) / this.tabwidth) * this.tabwidth;
      const n = cellw - textw;
      if (n < 0) throw new Error('internal error');
      this.out += '\t'.repeat(Math.floor((n + this.tabwidth - 1) / this.tabwidth));
      return;
    }
    this.out += this.padchar.repeat(Math.max(0, cellw - textw));
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i];
      let useTabs = (this.flags & TabIndent) !== 0;
      line.forEach((c, j) => {
        if (j > 0 && this.flags & Debug) this.out += '|';
        if (c.text.length === 0) {
          if (j < this.widths.length) this.writePadding(c.width, this.widths[j], useTabs);
        } else {
          useTabs = false;
          if ((this.flags & AlignRight) === 0) {
            this.out += c.text;
            if (j < this.widths.length) this.writePadding(c.width, this.widths[j], false);
          } else {
            if (j < this.widths.length) this.writePadding(c.width, this.widths[j], false);
            this.out += c.text;
          }
        }
      });
      if (i + 1 === this.lines.length) {
        // last buffered line: its (incomplete) cell text is still pending; nothing to add
      } else this.out += '\n';
    }
  }

  private format(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let t = line0; t < line1; t++) {
      let line = this.lines[t];
      if (column >= line.length - 1) continue;
      this.writeLines(line0, t);
      line0 = t;
      let width = this.minwidth;
      let discardable = true;
      for (; t < line1; t++) {
        line = this.lines[t];
        if (column >= line.length - 1) break;
        const c = line[column];
        const w = c.width + this.padding;
        if (w > width) width = w;
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable && this.flags & DiscardEmptyColumns) width = 0;
      this.widths.push(width);
      this.format(line0, t);
      this.widths.pop();
      line0 = t;
    }
    this.writeLines(line0, line1);
  }
}

/** Run text through a tab writer with the docker CLI's settings (10, 1, 3, ' ', 0). */
export function tabwrite(text: string, minwidth = 10, tabwidth = 1, padding = 3, padchar = ' ', flags = 0): string {
  const w = new TabWriter(minwidth, tabwidth, padding, padchar, flags);
  w.write(text);
  return w.flush();
}

/** A plain table: header row and rows of cells, tab-joined and aligned as the CLI aligns them. */
export function renderTable(rows: string[][], columns: string[]): string {
  let text = columns.join('\t') + '\n';
  for (const r of rows) text += r.join('\t') + '\n';
  return tabwrite(text);
}

// =============================================================================================
// formatter.Context

export interface FormatResult {
  ok: boolean;
  /** What goes to stdout (empty on error). */
  out: string;
  /** The error line for stderr (no trailing newline), when !ok. */
  error?: string;
  /** A warning the CLI prints on stderr before the output (docker ps --format with --quiet). */
  warning?: string;
}

/** A header map (formatter.SubHeaderContext) with its Label method. */
export function headerContext(headers: Record<string, string>): GoMap {
  return new GoMap({
    type: 'formatter.SubHeaderContext',
    entries: headers,
    zero: '',
    methods: {
      Label: goFunc(['string'], (name: string) => {
        const parts = name.split('.');
        return parts[parts.length - 1].replace(/[-_]/g, ' ');
      }),
    },
  });
}

/** Format.IsTable */
export function isTableFormat(format: string): boolean {
  return format.startsWith('table');
}

/** formatter.Context.preFormat: the template text actually parsed. */
export function finalFormat(format: string): string {
  let f = format;
  if (isTableFormat(f)) f = f.slice('table'.length);
  else if (f === 'json') f = '{{json .}}';
  f = f.replace(/^ +| +$/g, '');
  return f.replace(/\\t|\\n/g, (m) => (m === '\\t' ? '\t' : '\n'));
}

/**
 * formatter.Context.Write: render `rows` (Go values, usually from containerRow/networkRow) with a
 * --format string. `header` is the SubHeaderContext the table header is rendered from.
 */
export function renderFormat(format: string, rows: unknown[], header: Record<string, string> | GoMap): FormatResult {
  const text = finalFormat(format);
  let tmpl;
  try {
    tmpl = parseDockerTemplate(text);
  } catch (e) {
    if (e instanceof TemplateError) return { ok: false, out: '', error: `template parsing error: ${e.message}` };
    throw e;
  }
  let buffer = '';
  for (const row of rows) {
    try {
      buffer += tmpl.execute(row);
    } catch (e) {
      if (e instanceof TemplateError) return { ok: false, out: '', error: `template parsing error: ${e.message}` };
      throw e;
    }
    buffer += '\n';
  }
  if (!isTableFormat(format)) return { ok: true, out: buffer };
  const hdr = header instanceof GoMap ? header : headerContext(header);
  let head: string;
  try {
    head = tmpl.execute(hdr, { funcs: DOCKER_HEADER_FUNCS });
  } catch (e) {
    // The CLI ignores header errors; what was written before the error stays.
    if (!(e instanceof TemplateError)) throw e;
    head = e.partial;
  }
  const w = new TabWriter(10, 1, 3, ' ', 0);
  w.write(head);
  w.write('\n');
  w.write(buffer);
  return { ok: true, out: w.flush() };
}

// =============================================================================================
// Helpers from cli/command/formatter

/** stringid.TruncateID: drop an "algo:" prefix, keep 12 characters. */
export function truncateID(id: string): string {
  const i = id.indexOf(':');
  if (i >= 0) id = id.slice(i + 1);
  return id.length > 12 ? id.slice(0, 12) : id;
}

/** formatter.Ellipsis: cut to a display width, ending in "…". */
export function ellipsis(s: string, maxWidth: number): string {
  if (maxWidth <= 0) return '';
  const rs = [...s];
  if (maxWidth === 1) return rs[0] ?? '';
  if (rs.every((c) => c.codePointAt(0)! < 0x80)) {
    if (rs.length <= maxWidth) return s;
    return rs.slice(0, maxWidth - 1).join('') + '…';
  }
  const display: number[] = [];
  let w = 0;
  for (const r of rs) {
    const cp = r.codePointAt(0)!;
    w += runeWidth(cp) === 2 ? 2 : 1;
    display.push(w);
  }
  if (w <= maxWidth) return s;
  for (let i = 0; i < display.length; i++) {
    if (display[i] <= maxWidth - 1 && display[i + 1] > maxWidth - 1) return rs.slice(0, i + 1).join('') + '…';
  }
  return s;
}

/** sortorder.NaturalLess: digit runs compare as numbers ("net2" < "net10"). */
export function naturalLess(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  while (i < a.length && j < b.length) {
    const ca = a[i];
    const cb = b[j];
    const da = isDigit(ca);
    const db = isDigit(cb);
    if (da !== db) return da;
    if (!da) {
      if (ca !== cb) return ca < cb;
      i++;
      j++;
      continue;
    }
    let si = i;
    let sj = j;
    while (a[si] === '0') si++;
    while (b[sj] === '0') sj++;
    let ei = si;
    let ej = sj;
    while (isDigit(a[ei])) ei++;
    while (isDigit(b[ej])) ej++;
    const na = a.slice(si, ei);
    const nb = b.slice(sj, ej);
    if (na.length !== nb.length) return na.length < nb.length;
    if (na !== nb) return na < nb;
    if (ei - i !== ej - j) return ei - i < ej - j; // fewer leading zeros first
    i = ei;
    j = ej;
  }
  return a.length - i < b.length - j;
}

export interface PortSummary {
  /** Host address, "" when the port is not published. */
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** formatter.DisplayablePorts: the PORTS column ("0.0.0.0:8080->80/tcp, [::]:8080->80/tcp"). */
export function displayablePorts(ports: PortSummary[]): string {
  const sorted = [...ports].sort((x, y) => {
    if (x.PrivatePort !== y.PrivatePort) return x.PrivatePort - y.PrivatePort;
    const ix = x.IP || 'invalid IP';
    const iy = y.IP || 'invalid IP';
    if ((x.IP ?? '') !== (y.IP ?? '')) return compareBytes(ix, iy);
    if ((x.PublicPort ?? 0) !== (y.PublicPort ?? 0)) return (x.PublicPort ?? 0) - (y.PublicPort ?? 0);
    return compareBytes(x.Type, y.Type);
  });
  const groups = new Map<string, { first: number; last: number }>();
  const order: string[] = [];
  const result: string[] = [];
  const hostMappings: string[] = [];
  for (const p of sorted) {
    const current = p.PrivatePort;
    let key = p.Type;
    if (p.IP) {
      const pub = p.PublicPort ?? 0;
      if (pub !== current) {
        hostMappings.push(`${joinHostPort(p.IP, String(pub))}->${p.PrivatePort}/${p.Type}`);
        continue;
      }
      key = p.IP + '/' + p.Type;
    }
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { first: current, last: current });
      order.push(key);
      continue;
    }
    if (current === g.last + 1) {
      g.last = current;
      continue;
    }
    result.push(formGroup(key, g.first, g.last));
    groups.set(key, { first: current, last: current });
  }
  for (const k of order) {
    const g = groups.get(k)!;
    result.push(formGroup(k, g.first, g.last));
  }
  return [...result, ...hostMappings].join(', ');
}

function formGroup(key: string, start: number, last: number): string {
  const parts = key.split('/');
  let type = parts[0];
  let ip = '';
  if (parts.length > 1) {
    ip = parts[0];
    type = parts[1];
  }
  let group = String(start);
  if (start !== last) group = `${group}-${last}`;
  if (ip !== '') group = `${joinHostPort(ip, group)}->${group}`;
  return group + '/' + type;
}

/** units.HumanSizeWithPrecision(size, 3): "0B", "1.5kB", "21.5MB". */
export function humanSize(size: number, precision = 3): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  let i = 0;
  while (size >= 1000 && i < units.length - 1) {
    size /= 1000;
    i++;
  }
  // %.*g
  let s = size.toPrecision(precision);
  if (s.includes('e')) {
    const [m, e] = s.split('e');
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const exp = Number(e);
    s = mant + 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  } else if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s + units[i];
}

/** A formatter context's MarshalJSON: every exported no-argument method, keys sorted. */
function marshalMethods(methods: Record<string, GoFunc>): string {
  const obj: Record<string, unknown> = {};
  for (const name of Object.keys(methods)) {
    if (name === 'FullHeader' || methods[name].params.length !== 0) continue;
    obj[name] = methods[name].fn();
  }
  return encodeJSON(obj, { escapeHTML: true });
}

// ---------------------------------------------------------------------------------------------
// docker ps

export const CONTAINER_HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID',
  Names: 'NAMES',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  State: 'STATE',
  Status: 'STATUS',
  Size: 'SIZE',
  Labels: 'LABELS',
  Mounts: 'MOUNTS',
  LocalVolumes: 'LOCAL VOLUMES',
  Networks: 'NETWORKS',
  Platform: 'PLATFORM',
};

export const DEFAULT_CONTAINER_TABLE = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

/** One container as the list API (container.Summary) gives it, with the client's clock. */
export interface ContainerSummaryRow {
  Id: string;
  /** With leading slashes: ["/web"]. */
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  /** Unix seconds */
  Created: number;
  Ports: PortSummary[];
  SizeRw?: number;
  SizeRootFs?: number;
  Labels: Record<string, string> | null;
  State: string;
  /** The daemon's status text (containerStatus in duration.ts). */
  Status: string;
  /** Attached network names (iteration order of the daemon's map; sorted here). */
  Networks?: string[];
  Mounts?: { Name?: string; Source: string; Driver?: string }[];
  /** "linux/amd64" when the image store reports a platform. */
  Platform?: string;
}

/** formatter.NewContainerFormat */
export function containerFormat(source: string, quiet: boolean, size: boolean): string {
  if (source === 'table' || source === '') {
    if (quiet) return '{{.ID}}';
    return DEFAULT_CONTAINER_TABLE + (size ? '\\t{{.Size}}' : '');
  }
  if (source === 'raw') {
    if (quiet) return 'container_id: {{.ID}}';
    let f =
      'container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\nstate: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\nlabels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n';
    if (size) f += 'size: {{.Size}}\\n';
    return f;
  }
  if (quiet) return '{{.ID}}';
  return source;
}

/** *formatter.ContainerContext for one container; `trunc` unless --no-trunc. */
export function containerRow(c: ContainerSummaryRow, opts: { trunc: boolean; nowUs: number }): GoStruct {
  const { trunc } = opts;
  const m: Record<string, GoFunc> = {
    Command: goFunc([], () => goQuote(trunc ? ellipsis(c.Command, 20) : c.Command)),
    CreatedAt: goFunc([], () => createdAtString(c.Created)),
    ID: goFunc([], () => (trunc ? truncateID(c.Id) : c.Id)),
    Image: goFunc([], () => {
      if (c.Image === '') return '<no image>';
      if (!trunc) return c.Image;
      if (truncateID(c.ImageID) === truncateID(c.Image)) return truncateID(c.Image);
      return c.Image.replace(/@sha256:[0-9a-f]+$/, '');
    }),
    Label: goFunc(['string'], (name: string) => (c.Labels ? (c.Labels[name] ?? '') : '')),
    Labels: goFunc([], () =>
      c.Labels
        ? Object.entries(c.Labels)
            .map(([k, v]) => `${k}=${v}`)
            .sort(compareBytes)
            .join(',')
        : '',
    ),
    LocalVolumes: goFunc([], () => String((c.Mounts ?? []).filter((x) => x.Driver === 'local').length)),
    Mounts: goFunc([], () => (c.Mounts ?? []).map((x) => (trunc ? ellipsis(x.Name || x.Source, 15) : x.Name || x.Source)).join(',')),
    Names: goFunc([], () => {
      let names = c.Names.map((n) => n.slice(1));
      if (trunc) {
        const plain = names.find((n) => n.split('/').length === 1);
        if (plain !== undefined) names = [plain];
      }
      return names.join(',');
    }),
    Networks: goFunc([], () => [...(c.Networks ?? [])].sort(compareBytes).join(',')),
    Platform: goFunc([], () =>
      c.Platform ? new GoStruct({ type: 'formatter.Platform', pointer: true, string: () => c.Platform!, marshalJSON: () => JSON.stringify(c.Platform) }) : new GoNil('*formatter.Platform', 'ptr'),
    ),
    Ports: goFunc([], () => displayablePorts(c.Ports)),
    RunningFor: goFunc([], () => runningFor(c.Created * 1_000_000, opts.nowUs)),
    Size: goFunc([], () => {
      const srw = humanSize(c.SizeRw ?? 0, 3);
      return (c.SizeRootFs ?? 0) > 0 ? `${srw} (virtual ${humanSize(c.SizeRootFs!, 3)})` : srw;
    }),
    State: goFunc([], () => c.State),
    Status: goFunc([], () => c.Status),
  };
  return formatterContext('formatter.ContainerContext', m);
}

/** A row context: a *T with the given methods, whose JSON is its no-argument methods. */
export function formatterContext(type: string, methods: Record<string, GoFunc>): GoStruct {
  return new GoStruct({
    type,
    pointer: true,
    fields: [{ name: 'HeaderContext', value: new GoStruct({ type: 'formatter.HeaderContext', fields: [{ name: 'Header', value: null }] }), embedded: true }],
    methods,
    marshalJSON: () => marshalMethods(methods),
  });
}

/** The empty context `docker ps` validates a --format against before listing. */
export function emptyContainerContext(): GoStruct {
  return containerRow({ Id: '', Names: [], Image: '', ImageID: '', Command: '', Created: 0, Ports: [], Labels: null, State: '', Status: '' }, { trunc: false, nowUs: 0 });
}

export interface PsOptions {
  /** --format ("" when not given) */
  format: string;
  quiet?: boolean;
  size?: boolean;
  noTrunc?: boolean;
  nowUs: number;
}

/**
 * `docker ps`: pre-checks a --format as the CLI does (parse and run against an empty context:
 * "failed to parse template: ..." / "failed to execute template: ..."), then renders.
 */
export function renderPs(containers: ContainerSummaryRow[], opts: PsOptions): FormatResult {
  const warning = opts.format.length > 0 && opts.quiet ? 'WARNING: Ignoring custom format, because both --format and --quiet are set.' : undefined;
  if (opts.format.length > 0) {
    try {
      const t = parseDockerTemplate(opts.format);
      t.execute(emptyContainerContext());
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      return { ok: false, out: '', error: e.kind === 'parse' ? `failed to parse template: ${e.message}` : `failed to execute template: ${e.message}` };
    }
  }
  const format = containerFormat(opts.format, opts.quiet ?? false, opts.size ?? false);
  const rows = containers.map((c) => containerRow(c, { trunc: !opts.noTrunc, nowUs: opts.nowUs }));
  const r = renderFormat(format, rows, CONTAINER_HEADERS);
  return warning ? { ...r, warning } : r;
}

// ---------------------------------------------------------------------------------------------
// docker network ls

export const NETWORK_HEADERS: Record<string, string> = {
  ID: 'NETWORK ID',
  Name: 'NAME',
  Driver: 'DRIVER',
  Scope: 'SCOPE',
  IPv4: 'IPV4',
  IPv6: 'IPV6',
  Internal: 'INTERNAL',
  Labels: 'LABELS',
  CreatedAt: 'CREATED AT',
};

export const DEFAULT_NETWORK_TABLE = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}';

export interface NetworkSummaryRow {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
  EnableIPv4: boolean;
  EnableIPv6: boolean;
  Internal: boolean;
  Labels: Record<string, string> | null;
  /** RFC 3339 */
  Created: string;
}

/** network newFormat (the command turns "" into "table" first). */
export function networkFormat(source: string, quiet: boolean): string {
  if (source === 'table') return quiet ? '{{.ID}}' : DEFAULT_NETWORK_TABLE;
  if (source === 'raw') return quiet ? 'network_id: {{.ID}}' : 'network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n';
  return source;
}

/** *network.networkContext for one network. */
export function networkRow(n: NetworkSummaryRow, opts: { trunc: boolean }): GoStruct {
  const m: Record<string, GoFunc> = {
    CreatedAt: goFunc([], () => rfc3339ToGoString(n.Created)),
    Driver: goFunc([], () => n.Driver),
    ID: goFunc([], () => (opts.trunc ? truncateID(n.Id) : n.Id)),
    IPv4: goFunc([], () => String(n.EnableIPv4)),
    IPv6: goFunc([], () => String(n.EnableIPv6)),
    Internal: goFunc([], () => String(n.Internal)),
    Label: goFunc(['string'], (name: string) => (n.Labels ? (n.Labels[name] ?? '') : '')),
    Labels: goFunc([], () =>
      n.Labels
        ? Object.entries(n.Labels)
            .map(([k, v]) => `${k}=${v}`)
            .sort(compareBytes)
            .join(',')
        : '',
    ),
    Name: goFunc([], () => n.Name),
    Scope: goFunc([], () => n.Scope),
  };
  return formatterContext('network.networkContext', m);
}

export interface NetworkLsOptions {
  format: string;
  quiet?: boolean;
  noTrunc?: boolean;
}

/** `docker network ls`: networks sorted by name (natural order), then rendered. */
export function renderNetworkLs(networks: NetworkSummaryRow[], opts: NetworkLsOptions): FormatResult {
  const sorted = [...networks].sort((a, b) => (naturalLess(a.Name, b.Name) ? -1 : naturalLess(b.Name, a.Name) ? 1 : 0));
  const format = networkFormat(opts.format === '' ? 'table' : opts.format, opts.quiet ?? false);
  return renderFormat(
    format,
    sorted.map((n) => networkRow(n, { trunc: !opts.noTrunc })),
    NETWORK_HEADERS,
  );
}
