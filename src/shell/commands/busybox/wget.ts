/**
 * BusyBox `wget` (networking/wget.c, Alpine's options: long options, status bar, -T): HTTP/1.1
 * GET with `Connection: close`, BusyBox's messages on stderr (`Connecting to`, `saving to`, the
 * progress bar, `'x' saved`) and its errors, all exit 1. Without -O the file is created with
 * O_EXCL: BusyBox wget never overwrites. HTTPS is not modelled for BusyBox wget.
 */
import type { CommandContext } from '../../context.ts';
import { SECOND } from '../../../sim/engine/scheduler.ts';
import { formatIpv4 } from '../../../sim/wire/addr.ts';
import { TcpConn } from '../../../sim/transport/tcp.ts';
import { readBody } from '../../../sim/apps/http.ts';
import { bbResolve } from './ping.ts';
import { die, getopt, has, last, showUsage, xatou, type Bb, bbStrerror } from './common.ts';

interface WgetUrl {
  /** host as written, with its port when the URL had one ("10.0.0.2:8000") */
  hostport: string;
  host: string;
  port: number;
  path: string;
}

function parseUrl(ctx: CommandContext, raw: string): WgetUrl {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/.exec(raw);
  let rest: string;
  if (!m) rest = raw;
  else {
    const scheme = m[1].toLowerCase();
    if (scheme === 'https' || scheme === 'ftp' || scheme === 'ftps') die(ctx, 'wget', `${scheme} URLs are not modelled by the simulator; use http://`);
    if (scheme !== 'http') die(ctx, 'wget', `not an http or ftp url: ${raw}`);
    rest = m[2];
  }
  const slash = rest.search(/[/?#]/);
  let hostport = slash < 0 ? rest : rest.slice(0, slash);
  let path = slash < 0 ? '/' : rest.slice(slash);
  if (!path.startsWith('/')) path = `/${path}`;
  path = path.replace(/#.*$/, '');
  const at = hostport.lastIndexOf('@');
  if (at >= 0) hostport = hostport.slice(at + 1);
  let host = hostport;
  let port = 80;
  const colon = hostport.lastIndexOf(':');
  if (colon >= 0) {
    host = hostport.slice(0, colon);
    const p = hostport.slice(colon + 1);
    if (!/^\d+$/.test(p) || Number(p) > 65535) die(ctx, 'wget', `bad port spec '${hostport}'`);
    port = Number(p);
  }
  return { hostport, host, port, path };
}

/** smart_ulltoa5: a size in five columns, with k, M, G... once it does not fit. */
function size5(n: number): string {
  if (n < 100000) return String(n).padStart(5);
  const units = ' kMGTPEZY';
  let v = n;
  let i = 0;
  while (v >= 100000 && i < units.length - 1) {
    v = Math.floor(v / 1024);
    i++;
  }
  return `${String(v).padStart(4)}${units[i]}`.slice(-5);
}

/** The status bar line for a finished transfer (bb_progress_update on a non-tty: one line). */
function progressLine(name: string, bytes: number, total: number | null, tty: boolean): string {
  const file = name.length > 20 ? name.slice(0, 20) : name.padEnd(20);
  let s = `${tty ? '\r' : ''}${file} `;
  if (total !== null && total > 0) {
    const ratio = Math.floor((100 * bytes) / total);
    const bar = 80 - 48;
    const stars = Math.floor((bar * bytes) / total);
    s += `${String(ratio).padStart(3)}% |${'*'.repeat(stars).padEnd(bar)}| `;
  }
  s += size5(bytes);
  s += total !== null && total > 0 && bytes > 0 ? '  0:00:00 ETA' : ' --:--:-- ETA';
  return `${s}\n`;
}

export async function bbWget(ctx: CommandContext, bb: Bb): Promise<number> {
  const p = getopt(ctx, bb, 'wget', 'cqSO:o:P:Y:U:T:t:n', {
    continue: 'c',
    quiet: 'q',
    'server-response': 'S',
    'output-document=': 'O',
    'output-file=': 'o',
    'directory-prefix=': 'P',
    'proxy=': 'Y',
    'user-agent=': 'U',
    'timeout=': 'T',
    'tries=': 't',
    'header=': 'header',
    'post-data=': 'post-data',
    'post-file=': 'post-file',
    spider: 'spider',
    'no-check-certificate': 'ncc',
    'no-verbose': 'n',
  });
  if (!p.args.length) showUsage(ctx, bb, 'wget');
  const quiet = has(p, 'q');
  const timeout = has(p, 'T') ? xatou(ctx, 'wget', last(p, 'T')!) : 900;
  let status = 0;
  for (const raw of p.args) status = await fetchOne(ctx, bb, p, raw, quiet, timeout, 0);
  return status;
}

async function fetchOne(ctx: CommandContext, bb: Bb, p: ReturnType<typeof getopt>, raw: string, quiet: boolean, timeout: number, redirects: number): Promise<number> {
  const world = ctx.world;
  const u = parseUrl(ctx, raw);
  const addr = await bbResolve(ctx, 'wget', u.host);
  const ip = formatIpv4(addr);
  if (!quiet) ctx.err(`Connecting to ${u.hostport} (${ip}:${u.port})\n`);
  const limit = timeout > 0 ? world.now + timeout * SECOND : Infinity;
  const c = TcpConn.connect(ctx.ns, addr, u.port, { owner: 'wget', pid: ctx.pid() });
  if ('error' in c) die(ctx, 'wget', `can't connect to remote host (${ip}): ${bbStrerror(bb, c.error)}`);
  let state = 'pending';
  let response = '';
  let closed = false;
  c.handlers = {
    onConnect: () => {
      state = 'up';
    },
    onError: (e) => {
      if (state === 'pending') state = e;
      closed = true;
    },
    onData: (t) => {
      response += t;
    },
    onEof: () => {
      closed = true;
    },
  };
  await ctx.wait(() => state !== 'pending', limit);
  if (state === 'pending') {
    c.destroy();
    if (ctx.interrupt.interrupted && world.now < limit) return 130;
    die(ctx, 'wget', 'download timed out');
  }
  if (state !== 'up') die(ctx, 'wget', `can't connect to remote host (${ip}): ${bbStrerror(bb, state)}`);
  const post = last(p, 'post-data');
  const lines = [`${post !== undefined ? 'POST' : 'GET'} ${u.path} HTTP/1.1`, `Host: ${u.hostport}`, `User-Agent: ${last(p, 'U') ?? 'Wget'}`];
  for (const h of p.opts.get('header') ?? []) lines.push(h);
  if (post !== undefined) lines.push('Content-Type: application/x-www-form-urlencoded', `Content-Length: ${post.length}`);
  lines.push('Connection: close');
  c.send(`${lines.join('\r\n')}\r\n\r\n${post ?? ''}`);
  const headEnd = () => response.indexOf('\r\n\r\n');
  await ctx.wait(() => headEnd() >= 0 || closed, limit);
  if (headEnd() < 0) {
    c.close();
    if (ctx.interrupt.interrupted && world.now < limit) return 130;
    if (closed) die(ctx, 'wget', 'error getting response: Connection reset by peer');
    die(ctx, 'wget', 'download timed out');
  }
  const head = response.slice(0, headEnd());
  const headLines = head.split('\r\n');
  const statusLine = headLines[0];
  if (has(p, 'S')) ctx.err(`${headLines.map((l) => `  ${l}`).join('\n')}\n  \n`);
  const code = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(statusLine)?.[1] ?? '0');
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim();
  if (code >= 300 && code < 400 && header('location') && redirects < 20) {
    c.close();
    const loc = header('location')!;
    const next = /^[a-z]+:\/\//i.test(loc) ? loc : `http://${u.hostport}${loc.startsWith('/') ? loc : `/${loc}`}`;
    return fetchOne(ctx, bb, p, next, quiet, timeout, redirects + 1);
  }
  if (code !== 200 && code !== 204 && code !== 206) {
    c.close();
    die(ctx, 'wget', `server returned error: ${statusLine}`);
  }
  if (has(p, 'spider')) {
    c.close();
    if (!quiet) ctx.err('remote file exists\n');
    return 0;
  }
  // the output: -O FILE (truncated), -O - (stdout), else the URL's file name, created exclusively
  let out = last(p, 'O');
  const exclusive = out === undefined;
  if (out === undefined) {
    const name = u.path.replace(/[?#].*$/, '');
    out = name.slice(name.lastIndexOf('/') + 1) || 'index.html';
    const dir = last(p, 'P');
    if (dir !== undefined) out = `${dir.replace(/\/$/, '')}/${out}`;
  }
  const toStdout = out === '-';
  if (!toStdout) {
    if (exclusive && ctx.statPath(out) !== null) {
      c.close();
      die(ctx, 'wget', `can't open '${out}': File exists`);
    }
    const w = ctx.writeFile(out, '');
    if (!w.ok) {
      c.close();
      die(ctx, 'wget', `can't open '${out}': ${bbStrerror(bb, w.errno)}`);
    }
  }
  if (!quiet) ctx.err(toStdout ? 'writing to stdout\n' : `saving to '${out}'\n`);
  // Content-Length, chunked transfer coding (decoded), or until the server closes
  const progress = () => readBody(head, response.slice(headEnd() + 4), closed);
  await ctx.wait(() => progress().complete, limit);
  const got = progress();
  const complete = got.complete;
  const total = got.length;
  c.close();
  const body = got.body;
  if (toStdout) ctx.out(body);
  else ctx.writeFile(out, body);
  if (!complete) {
    if (ctx.interrupt.interrupted && world.now < limit) return 130;
    die(ctx, 'wget', closed ? 'connection closed prematurely' : 'download timed out');
  }
  if (!quiet) {
    const name = toStdout ? '-' : out.slice(out.lastIndexOf('/') + 1);
    ctx.err(progressLine(name, body.length, total, ctx.interactive));
    ctx.err(toStdout ? 'written to stdout\n' : `'${out}' saved\n`);
  }
  return 0;
}
