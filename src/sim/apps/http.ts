/**
 * HTTP servers that run inside the simulation: Python's http.server (HTTP/1.0, directory
 * listings, access log on stderr), nginx (HTTP/1.1 keep-alive, the welcome page) and the public
 * web sites of the simulated internet.
 */
import { formatIpv4 } from '../wire/addr.ts';
import type { Netns } from '../net/model.ts';
import { tcpListen, type TcpConn, type TcpListener } from '../transport/tcp.ts';
import { httpDate, logDate } from '../engine/clock.ts';
import { tlsServer, type TlsIdentity } from './tls.ts';

export interface HttpResponse {
  status: number;
  reason: string;
  headers: [string, string][];
  body: string;
  /** what the server writes after the head and body, one write() each (a streamed body) */
  more?: string[];
}

export interface HttpRequest {
  method: string;
  path: string;
  version: string;
  headers: Map<string, string>;
  line: string;
  client: string;
}

export interface HttpServerOptions {
  readonly flavor: 'python' | 'nginx';
  readonly addr?: number;
  readonly owner?: string;
  readonly pid?: number;
  /** what to answer for a host and path (the internet's sites); default: the flavor's own pages */
  readonly site?: (host: string, path: string) => { status: number; body: string; type: string } | null;
  /** Python: the directory being served (names listed for `/`), and file contents */
  readonly files?: () => { names: string[]; read(name: string): string | null };
  /** access log lines (Python writes them to stderr) */
  readonly log?: (line: string) => void;
  /** serve HTTPS: the certificate to present for a requested server name */
  readonly tls?: (serverName: string) => TlsIdentity;
  /** answer every request yourself (an application such as traefik/whoami); nginx flavour framing */
  readonly respond?: (req: HttpRequest, conn: TcpConn) => HttpResponse;
  /** the Server header of an nginx-flavoured server (Apache's httpd says its own) */
  readonly serverName?: string;
}

/** RFC 7231 date for virtual time `now` (µs). */
export const httpDateAt = httpDate;
const logDateAt = logDate;

function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Python 3.11 SimpleHTTPRequestHandler.list_directory. */
export function pythonListing(path: string, names: string[]): string {
  const title = `Directory listing for ${htmlEscape(path)}`;
  const r = ['<!DOCTYPE HTML>', '<html lang="en">', '<head>', '<meta charset="utf-8">', `<title>${title}</title>\n</head>`, `<body>\n<h1>${title}</h1>`, '<hr>\n<ul>'];
  for (const n of [...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))) r.push(`<li><a href="${encodeURIComponent(n)}">${htmlEscape(n)}</a></li>`);
  r.push('</ul>\n<hr>\n</body>\n</html>\n');
  return r.join('\n');
}

function pythonError(code: number, message: string): string {
  return `<!DOCTYPE HTML>\n<html lang="en">\n    <head>\n        <meta charset="utf-8">\n        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n        <p>Error code: ${code}</p>\n        <p>Message: ${message}.</p>\n        <p>Error code explanation: ${code} - ${PYTHON_EXPLAIN[code] ?? 'Request could not be handled'}.</p>\n    </body>\n</html>\n`;
}

export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

function nginxError(code: number, reason: string): string {
  return `<html>\r\n<head><title>${code} ${reason}</title></head>\r\n<body>\r\n<center><h1>${code} ${reason}</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n`;
}

/** The pages of the simulated internet, by Host header. */
export function siteFor(host: string, path: string): { status: number; body: string; type: string } | null {
  const h = host.replace(/:\d+$/, '').toLowerCase();
  if (path !== '/' && path !== '/index.html') return null;
  const title = h.replace(/^www\./, '');
  if (title === 'example.com' || title === 'example.org' || title === 'example.net' || /^\d+\.\d+\.\d+\.\d+$/.test(title)) {
    return {
      status: 200,
      type: 'text/html',
      body: `<!doctype html>\n<html>\n<head>\n    <title>Example Domain</title>\n    <meta charset="utf-8" />\n</head>\n<body>\n<div>\n    <h1>Example Domain</h1>\n    <p>This domain is for use in documentation examples without needing permission.</p>\n    <p><a href="https://www.iana.org/help/example-domains">More information...</a></p>\n</div>\n</body>\n</html>\n`,
    };
  }
  return { status: 200, type: 'text/html', body: `<!doctype html>\n<html><head><title>${htmlEscape(title)}</title></head>\n<body><h1>${htmlEscape(title)}</h1><p>A page of the simulated internet.</p></body></html>\n` };
}

/** Parse the head of an HTTP request once it is complete (`\r\n\r\n` seen). */
export function parseRequest(raw: string, client: string): HttpRequest | null {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = raw.slice(0, end).split('\r\n');
  const line = lines[0];
  const [method, path, version] = line.split(' ');
  const headers = new Map<string, string>();
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
  }
  return { method: method ?? '', path: path ?? '/', version: version ?? 'HTTP/0.9', headers, line, client };
}

/** What has arrived of a response body so far, with any chunked framing taken off. */
export interface BodyProgress {
  /** the whole body is there (Content-Length reached, the last chunk read, or the server closed) */
  readonly complete: boolean;
  /** the body bytes received so far, decoded */
  readonly body: string;
  /** Content-Length when the server gave one */
  readonly length: number | null;
  readonly chunked: boolean;
}

/**
 * Read a response body as a client does (RFC 9112 section 6): chunked transfer coding first,
 * then Content-Length, else everything until the server closes. `raw` is what followed the
 * blank line after the headers; `closed` says whether the server has closed its side.
 */
export function readBody(head: string, raw: string, closed: boolean, method = 'GET'): BodyProgress {
  const m = /^content-length:\s*(\d+)/im.exec(head);
  const length = m ? Number(m[1]) : null;
  // no body whatever the headers say; Content-Length still tells the size of what was asked
  if (method === 'HEAD' || /^HTTP\/[\d.]+ (1\d\d|204|304)/.test(head)) return { complete: true, body: '', length, chunked: false };
  if (/^transfer-encoding:.*\bchunked\b/im.test(head)) {
    let at = 0;
    let body = '';
    for (;;) {
      const eol = raw.indexOf('\r\n', at);
      if (eol < 0) return { complete: false, body, length: null, chunked: true };
      const size = parseInt(raw.slice(at, eol).split(';')[0].trim(), 16);
      if (!Number.isFinite(size)) return { complete: closed, body, length: null, chunked: true };
      if (size === 0) {
        // trailer fields, then an empty line
        const end = raw.indexOf('\r\n\r\n', eol);
        const bare = raw.startsWith('\r\n', eol + 2);
        return { complete: bare || end >= 0, body, length: null, chunked: true };
      }
      const data = raw.slice(eol + 2, eol + 2 + size);
      body += data;
      if (data.length < size || raw.length < eol + 2 + size + 2) return { complete: false, body, length: null, chunked: true };
      at = eol + 2 + size + 2;
    }
  }
  if (length !== null) return { complete: raw.length >= length, body: raw.slice(0, length), length, chunked: false };
  return { complete: closed, body: raw, length: null, chunked: false };
}

function serialize(version: string, r: HttpResponse, head: boolean): string {
  let s = `${version} ${r.status} ${r.reason}\r\n`;
  for (const [k, v] of r.headers) s += `${k}: ${v}\r\n`;
  s += '\r\n';
  return head ? s : s + r.body;
}

/** Python's repr() of a str: quotes, backslash escapes for control characters. */
function pyRepr(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (ch === '\\' || ch === "'") out += `\\${ch}`;
    else if (c === 9) out += '\\t';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `'${out}'`;
}

/** The explanations Python's http.server puts on its error pages (http.HTTPStatus descriptions). */
const PYTHON_EXPLAIN: Record<number, string> = {
  400: 'Bad request syntax or unsupported method',
  403: 'Request forbidden -- authorization will not help',
  404: 'Nothing matches the given URI',
  501: 'Server does not support this operation',
};

function pythonRespond(ns: Netns, req: HttpRequest, o: HttpServerOptions): HttpResponse {
  const date = httpDateAt(ns.world.now);
  const server = 'SimpleHTTP/0.6 Python/3.11.2';
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const body = pythonError(501, `Unsupported method ('${req.method}')`);
    o.log?.(`${req.client} - - [${logDateAt(ns.world.now)}] code 501, message Unsupported method ('${req.method}')\n`);
    return { status: 501, reason: `Unsupported method ('${req.method}')`, headers: [['Server', server], ['Date', date], ['Connection', 'close'], ['Content-Type', 'text/html;charset=utf-8'], ['Content-Length', String(body.length)]], body };
  }
  const files = o.files?.();
  const path = decodeURIComponent(req.path.split('?')[0]);
  if (path === '/' || path.endsWith('/')) {
    const body = pythonListing(path, files?.names ?? []);
    return { status: 200, reason: 'OK', headers: [['Server', server], ['Date', date], ['Content-type', 'text/html; charset=utf-8'], ['Content-Length', String(body.length)]], body };
  }
  const content = files?.read(path.slice(1)) ?? null;
  if (content === null) {
    const body = pythonError(404, 'File not found');
    o.log?.(`${req.client} - - [${logDateAt(ns.world.now)}] code 404, message File not found\n`);
    return { status: 404, reason: 'File not found', headers: [['Server', server], ['Date', date], ['Connection', 'close'], ['Content-Type', 'text/html;charset=utf-8'], ['Content-Length', String(body.length)]], body };
  }
  const type = path.endsWith('.html') ? 'text/html' : path.endsWith('.json') ? 'application/json' : path.endsWith('.yaml') || path.endsWith('.yml') ? 'application/yaml' : 'text/plain';
  return { status: 200, reason: 'OK', headers: [['Server', server], ['Date', date], ['Content-type', type], ['Content-Length', String(content.length)], ['Last-Modified', httpDateAt(0)]], body: content };
}

function nginxRespond(ns: Netns, req: HttpRequest, o: HttpServerOptions): HttpResponse {
  const date = httpDateAt(ns.world.now);
  const base: [string, string][] = [['Server', o.serverName ?? 'nginx/1.27.3'], ['Date', date]];
  const host = req.headers.get('host') ?? '';
  const page = o.site ? o.site(host, req.path) : req.path === '/' || req.path === '/index.html' ? { status: 200, body: NGINX_WELCOME, type: 'text/html' } : null;
  if (!page) {
    const body = nginxError(404, 'Not Found');
    return { status: 404, reason: 'Not Found', headers: [...base, ['Content-Type', 'text/html'], ['Content-Length', String(body.length)], ['Connection', 'keep-alive']], body };
  }
  return {
    status: page.status,
    reason: 'OK',
    headers: [...base, ['Content-Type', page.type], ['Content-Length', String(page.body.length)], ['Last-Modified', httpDateAt(0)], ['Connection', 'keep-alive'], ['ETag', `"695b7e50-${page.body.length.toString(16)}"`], ['Accept-Ranges', 'bytes']],
    body: page.body,
  };
}

/** Start an HTTP server listening on `port`. Returns the listener or an errno. */
export function startHttpServer(ns: Netns, port: number, o: HttpServerOptions): TcpListener | { error: string } {
  const backlog = o.flavor === 'python' ? 5 : 511;
  return tcpListen(ns, o.addr ?? 0, port, backlog, o.owner ?? (o.flavor === 'python' ? 'python3' : 'nginx'), o.pid ?? 1, (c: TcpConn) => {
    let buf = '';
    let reply: (text: string) => void = (t) => c.send(t);
    const onText = (text: string) => {
      buf += text;
      if (o.flavor === 'python' && buf.length && buf.charCodeAt(0) < 0x20) {
        // not HTTP at all (a TLS ClientHello, say): Python rejects the request line
        const line = buf.split('\n')[0];
        const message = `Bad request syntax (${pyRepr(line.slice(0, 60))})`;
        const body = pythonError(400, message);
        o.log?.(`${formatIpv4(c.raddr)} - - [${logDateAt(ns.world.now)}] code 400, message ${message}\n`);
        buf = '';
        reply(serialize('HTTP/1.0', { status: 400, reason: message, headers: [['Server', 'SimpleHTTP/0.6 Python/3.11.2'], ['Date', httpDateAt(ns.world.now)], ['Connection', 'close'], ['Content-Type', 'text/html;charset=utf-8'], ['Content-Length', String(body.length)]], body }, false));
        c.close();
        return;
      }
      const req = parseRequest(buf, formatIpv4(c.raddr));
      if (!req) return;
      buf = '';
      const head = req.method === 'HEAD';
      if (o.flavor === 'python') {
        const res = pythonRespond(ns, req, o);
        o.log?.(`${req.client} - - [${logDateAt(ns.world.now)}] "${req.line}" ${res.status} -\n`);
        reply(serialize('HTTP/1.0', res, head));
        c.close();
      } else {
        const res = o.respond ? o.respond(req, c) : nginxRespond(ns, req, o);
        reply(serialize('HTTP/1.1', res, head));
        if (!head) for (const w of res.more ?? []) reply(w);
        if ((req.headers.get('connection') ?? '').toLowerCase() === 'close' || req.version === 'HTTP/1.0') c.close();
      }
    };
    c.handlers = { onData: onText, onEof: () => c.close() };
    if (o.tls) {
      const session = tlsServer(c, o.tls, {
        onPlain: onText,
        onPlainRequestOnTlsPort: (text) => {
          buf += text;
          if (!parseRequest(buf, formatIpv4(c.raddr))) return;
          const why = 'The plain HTTP request was sent to HTTPS port';
          const body = `<html>\r\n<head><title>400 ${why}</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>${why}</center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n`;
          c.send(serialize('HTTP/1.1', { status: 400, reason: 'Bad Request', headers: [['Server', 'nginx/1.27.3'], ['Date', httpDateAt(ns.world.now)], ['Content-Type', 'text/html'], ['Content-Length', String(body.length)], ['Connection', 'close']], body }, false));
          c.close();
        },
      });
      reply = (t) => session.send(t);
    }
  });
}
