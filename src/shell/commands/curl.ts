/**
 * `curl` (7.88.1, Debian 12) for HTTP to simulated servers: -v -s -S -m -I -o -w -H -X -d -L
 * --connect-timeout, with curl's exit codes (6 resolve, 7 connect, 28 timeout, 52 empty reply,
 * 56 receive error). HTTPS connects to port 443 and speaks plain HTTP there (no TLS is modelled).
 */
import type { Command, CommandContext } from '../context.ts';
import { SECOND } from '../../sim/engine/scheduler.ts';
import { formatIpv4, parseIpv4, type Ipv4 } from '../../sim/wire/addr.ts';
import { TcpConn } from '../../sim/transport/tcp.ts';
import { strerror } from '../../sim/net/types.ts';
import { resolveHost } from './net-util.ts';

const VERSION = 'curl 7.88.1 (x86_64-pc-linux-gnu) libcurl/7.88.1 OpenSSL/3.0.15 zlib/1.2.13 brotli/1.0.9 zstd/1.5.4 libidn2/2.3.3 libpsl/0.21.2 (+libidn2/2.3.3) libssh2/1.10.0 nghttp2/1.52.0 librtmp/2.3 OpenLDAP/2.5.13\nRelease-Date: 2023-02-20, security patched: 7.88.1-10+deb12u8\nProtocols: dict file ftp ftps gopher gophers http https imap imaps ldap ldaps mqtt pop3 pop3s rtmp rtsp scp sftp smb smbs smtp smtps telnet tftp\nFeatures: alt-svc AsynchDNS brotli GSS-API HSTS HTTP2 HTTPS-proxy IDN IPv6 Kerberos Largefile libz NTLM NTLM_WB PSL SPNEGO SSL threadsafe TLS-SRP UnixSockets zstd\n';

interface CurlOpts {
  verbose: boolean;
  silent: boolean;
  showError: boolean;
  maxTime: number | null;
  connectTimeout: number | null;
  head: boolean;
  include: boolean;
  output: string | null;
  writeOut: string | null;
  method: string | null;
  data: string | null;
  headers: string[];
  follow: boolean;
  fail: boolean;
  resolve: Map<string, Ipv4>;
}

interface Url {
  scheme: string;
  host: string;
  port: number;
  path: string;
  text: string;
}

function parseUrl(raw: string): Url | { error: number; message: string } {
  let text = raw;
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(text)) text = `http://${text}`;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^#]*)/.exec(text);
  if (!m) return { error: 3, message: 'URL using bad/illegal format or missing URL' };
  const scheme = m[1].toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return { error: 1, message: `Protocol "${scheme}" not supported or disabled in libcurl` };
  let hostport = m[2];
  const at = hostport.lastIndexOf('@');
  if (at >= 0) hostport = hostport.slice(at + 1);
  let host = hostport;
  let port = scheme === 'https' ? 443 : 80;
  const colon = hostport.lastIndexOf(':');
  if (colon >= 0) {
    host = hostport.slice(0, colon);
    const p = hostport.slice(colon + 1);
    if (p !== '') {
      if (!/^\d+$/.test(p) || Number(p) > 65535) return { error: 3, message: 'URL using bad/illegal format or missing URL' };
      port = Number(p);
    }
  }
  if (!host) return { error: 3, message: 'URL using bad/illegal format or missing URL' };
  const path = m[3] || '/';
  return { scheme, host, port, path: path.startsWith('/') ? path : `/${path}`, text };
}

export const curlCommand: Command = {
  name: 'curl',
  path: '/usr/bin/curl',
  summary: 'transfer a URL (curl -v http://10.0.0.2/)',
  async run(ctx) {
    const o: CurlOpts = { verbose: false, silent: false, showError: false, maxTime: null, connectTimeout: null, head: false, include: false, output: null, writeOut: null, method: null, data: null, headers: [], follow: false, fail: false, resolve: new Map() };
    const urls: string[] = [];
    const args = ctx.argv.slice(1);
    const need = (i: number, name: string): string | null => {
      const v = args[i];
      if (v === undefined) {
        ctx.err(`curl: option ${name}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
        return null;
      }
      return v;
    };
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a.startsWith('--')) {
        const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
        const val = () => inline ?? need(++i, name);
        switch (name) {
          case '--verbose':
            o.verbose = true;
            break;
          case '--silent':
            o.silent = true;
            break;
          case '--show-error':
            o.showError = true;
            break;
          case '--max-time': {
            const v = val();
            if (v === null) return 2;
            o.maxTime = Number(v);
            break;
          }
          case '--connect-timeout': {
            const v = val();
            if (v === null) return 2;
            o.connectTimeout = Number(v);
            break;
          }
          case '--head':
            o.head = true;
            break;
          case '--include':
            o.include = true;
            break;
          case '--output': {
            const v = val();
            if (v === null) return 2;
            o.output = v;
            break;
          }
          case '--write-out': {
            const v = val();
            if (v === null) return 2;
            o.writeOut = v;
            break;
          }
          case '--request': {
            const v = val();
            if (v === null) return 2;
            o.method = v;
            break;
          }
          case '--data':
          case '--data-raw':
          case '--data-binary': {
            const v = val();
            if (v === null) return 2;
            o.data = v;
            break;
          }
          case '--header': {
            const v = val();
            if (v === null) return 2;
            o.headers.push(v);
            break;
          }
          case '--location':
            o.follow = true;
            break;
          case '--fail':
            o.fail = true;
            break;
          case '--resolve': {
            const v = val();
            if (v === null) return 2;
            const [h, , addr] = v.split(':');
            const ip = parseIpv4(addr ?? '');
            if (ip !== null) o.resolve.set(h, ip);
            break;
          }
          case '--insecure':
          case '--ipv4':
          case '--compressed':
          case '--no-progress-meter':
          case '--http1.1':
            if (name === '--no-progress-meter') o.silent = o.silent || false;
            break;
          case '--version':
            ctx.out(VERSION);
            return 0;
          case '--help':
            ctx.out('Usage: curl [options...] <url>\n -d, --data <data>          HTTP POST data\n -f, --fail                 Fail fast with no output on HTTP errors\n -h, --help <category>      Get help for commands\n -i, --include              Include protocol response headers in the output\n -o, --output <file>        Write to file instead of stdout\n -O, --remote-name          Write output to a file named as the remote file\n -s, --silent               Silent mode\n -T, --upload-file <file>   Transfer local FILE to destination\n -u, --user <user:password> Server user and password\n -A, --user-agent <name>    Send User-Agent <name> to server\n -v, --verbose              Make the operation more talkative\n -V, --version              Show version number and quit\n\nThis is not the full help, this menu is stripped into categories.\nUse "--help category" to get an overview of all categories.\nFor all options use the manual or "--help all".\n');
            return 0;
          case '--url': {
            const v = val();
            if (v === null) return 2;
            urls.push(v);
            break;
          }
          default:
            ctx.err(`curl: option ${name}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
            return 2;
        }
        continue;
      }
      if (a.startsWith('-') && a.length > 1) {
        for (let j = 1; j < a.length; j++) {
          const c = a[j];
          const takes = 'moXdHwAuU'.includes(c);
          let v = '';
          if (takes) {
            v = a.slice(j + 1) || (need(++i, `-${c}`) ?? '\u0000');
            if (v === '\u0000') return 2;
            j = a.length;
          }
          switch (c) {
            case 'v':
              o.verbose = true;
              break;
            case 's':
              o.silent = true;
              break;
            case 'S':
              o.showError = true;
              break;
            case 'I':
              o.head = true;
              break;
            case 'i':
              o.include = true;
              break;
            case 'L':
              o.follow = true;
              break;
            case 'f':
              o.fail = true;
              break;
            case 'k':
            case '4':
            case 'N':
            case 'g':
              break;
            case 'm':
              o.maxTime = Number(v);
              if (!Number.isFinite(o.maxTime)) {
                ctx.err('curl: option -m: expected a proper numerical parameter\ncurl: try \'curl --help\' or \'curl --manual\' for more information\n');
                return 2;
              }
              break;
            case 'o':
              o.output = v;
              break;
            case 'X':
              o.method = v;
              break;
            case 'd':
              o.data = v;
              break;
            case 'H':
              o.headers.push(v);
              break;
            case 'w':
              o.writeOut = v;
              break;
            case 'A':
              o.headers.push(`User-Agent: ${v}`);
              break;
            case 'u':
            case 'U':
              break;
            case 'V':
              ctx.out(VERSION);
              return 0;
            case 'h':
              ctx.out('Usage: curl [options...] <url>\n');
              return 0;
            case '6':
              ctx.err('curl: IPv6 is not modelled by the simulator\n');
              return 2;
            default:
              ctx.err(`curl: option -${c}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
              return 2;
          }
        }
        continue;
      }
      urls.push(a);
    }
    if (!urls.length) {
      ctx.err("curl: try 'curl --help' or 'curl --manual' for more information\n");
      return 2;
    }
    let status = 0;
    for (const u of urls) status = await fetchUrl(ctx, o, u, 0);
    return status;
  },
};

function report(ctx: CommandContext, o: CurlOpts, code: number, message: string): number {
  if (o.verbose) ctx.err(`* ${message}\n`);
  if (!o.silent || o.showError) ctx.err(`curl: (${code}) ${message}\n`);
  return code;
}

async function fetchUrl(ctx: CommandContext, o: CurlOpts, raw: string, redirects: number): Promise<number> {
  const world = ctx.world;
  const start = world.now;
  const elapsedMs = () => Math.floor((world.now - start) / 1000);
  const total = o.maxTime !== null ? start + Math.round(o.maxTime * SECOND) : Infinity;
  const writeOut = (code: string, extra: Record<string, string> = {}) => {
    if (o.writeOut === null) return;
    let s = o.writeOut.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\r/g, '\r');
    const vars: Record<string, string> = {
      http_code: code,
      response_code: code,
      time_total: ((world.now - start) / SECOND).toFixed(6),
      time_connect: extra.time_connect ?? '0.000000',
      remote_ip: extra.remote_ip ?? '',
      remote_port: extra.remote_port ?? '',
      size_download: extra.size_download ?? '0',
      url_effective: raw,
      exitcode: extra.exitcode ?? '0',
      errormsg: extra.errormsg ?? '',
      content_type: extra.content_type ?? '',
      num_connects: extra.num_connects ?? '0',
    };
    s = s.replace(/%\{([a-z_]+)\}/g, (_m, k: string) => vars[k] ?? '');
    ctx.out(s);
  };
  const u = parseUrl(raw);
  if ('error' in u) {
    writeOut('000', { exitcode: String(u.error) });
    return report(ctx, o, u.error, u.message);
  }
  let addr = parseIpv4(u.host) ?? o.resolve.get(u.host) ?? null;
  if (addr === null) {
    const r = await resolveHost(ctx, u.host);
    if (r === null) return 130;
    if (!r.ok) {
      writeOut('000', { exitcode: '6' });
      return report(ctx, o, 6, `Could not resolve host: ${u.host}`);
    }
    addr = r.addr;
  }
  const ip = formatIpv4(addr);
  if (o.verbose) ctx.err(`*   Trying ${ip}:${u.port}...\n`);
  const c = TcpConn.connect(ctx.ns, addr, u.port, { owner: 'curl', pid: ctx.pid() });
  const connectFail = (errno: string) => {
    if (o.verbose) ctx.err(`* connect to ${ip} port ${u.port} failed: ${strerror(errno)}\n`);
    writeOut('000', { exitcode: '7' });
    const msg = `Failed to connect to ${u.host} port ${u.port} after ${elapsedMs()} ms: Couldn't connect to server`;
    if (o.verbose) ctx.err(`* ${msg}\n* Closing connection 0\n`);
    if (!o.silent || o.showError) ctx.err(`curl: (7) ${msg}\n`);
    return 7;
  };
  if ('error' in c) return connectFail(c.error);
  let state = 'pending';
  let response = '';
  let closed = false;
  c.handlers = {
    onConnect: () => {
      state = 'up';
    },
    onError: (e) => {
      if (state === 'pending') state = e;
      else {
        state = `reset:${e}`;
        closed = true;
      }
    },
    onData: (t) => {
      response += t;
    },
    onEof: () => {
      closed = true;
    },
  };
  const connectDeadline = Math.min(total, o.connectTimeout !== null ? start + Math.round(o.connectTimeout * SECOND) : start + 300 * SECOND);
  const ok = await ctx.wait(() => state !== 'pending', connectDeadline);
  if (state === 'pending') {
    // the process exits: the kernel abandons the half-open connection
    c.destroy();
    if (!ok && ctx.interrupt.interrupted && world.now < connectDeadline) return 130;
    writeOut('000', { exitcode: '28' });
    return report(ctx, o, 28, `${o.maxTime !== null && world.now >= total ? 'Connection timed out' : 'Connection timed out'} after ${elapsedMs()} milliseconds`);
  }
  if (state !== 'up') return connectFail(state);
  const connectedAt = world.now;
  if (o.verbose) ctx.err(`* Connected to ${u.host} (${ip}) port ${u.port} (#0)\n`);
  const method = o.method ?? (o.head ? 'HEAD' : o.data !== null ? 'POST' : 'GET');
  const hostHeader = (u.scheme === 'http' && u.port === 80) || (u.scheme === 'https' && u.port === 443) ? u.host : `${u.host}:${u.port}`;
  const lines = [`${method} ${u.path} HTTP/1.1`, `Host: ${hostHeader}`];
  const custom = new Map(o.headers.map((h) => [h.split(':')[0].toLowerCase(), h]));
  lines.push(custom.get('user-agent') ?? 'User-Agent: curl/7.88.1');
  lines.push(custom.get('accept') ?? 'Accept: */*');
  for (const h of o.headers) if (!['user-agent', 'accept', 'host'].includes(h.split(':')[0].toLowerCase())) lines.push(h);
  if (o.data !== null) {
    if (!custom.has('content-type')) lines.push('Content-Type: application/x-www-form-urlencoded');
    lines.push(`Content-Length: ${o.data.length}`);
  }
  const request = `${lines.join('\r\n')}\r\n\r\n${o.data ?? ''}`;
  if (o.verbose) {
    for (const l of lines) ctx.err(`> ${l}\n`);
    ctx.err('> \n');
  }
  c.send(request);
  // read the response: headers, then Content-Length bytes or until the server closes
  const parsed = () => {
    const end = response.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const head = response.slice(0, end);
    const m = /content-length:\s*(\d+)/i.exec(head);
    const bodyLen = response.length - end - 4;
    if (method === 'HEAD') return { head, body: '' };
    if (m && bodyLen >= Number(m[1])) return { head, body: response.slice(end + 4, end + 4 + Number(m[1])) };
    if (closed) return { head, body: response.slice(end + 4) };
    return null;
  };
  const got = await ctx.wait(() => parsed() !== null || closed, total);
  const res = parsed();
  if (!res) {
    // curl gives up and exits: its socket is closed (FIN)
    c.close();
    if (!got && ctx.interrupt.interrupted && world.now < total) return 130;
    if (closed && state.startsWith('reset:')) {
      writeOut('000', { exitcode: '56' });
      return report(ctx, o, 56, 'Recv failure: Connection reset by peer');
    }
    if (closed && response === '') {
      writeOut('000', { exitcode: '52' });
      return report(ctx, o, 52, 'Empty reply from server');
    }
    writeOut('000', { exitcode: '28' });
    return report(ctx, o, 28, `Operation timed out after ${elapsedMs()} milliseconds with ${response.length} bytes received`);
  }
  const headLines = res.head.split('\r\n');
  const statusLine = headLines[0];
  const code = /^HTTP\/[\d.]+ (\d{3})/.exec(statusLine)?.[1] ?? '000';
  const version = /^HTTP\/([\d.]+)/.exec(statusLine)?.[1] ?? '1.1';
  if (o.verbose) {
    for (const l of headLines) ctx.err(`< ${l}\n`);
    ctx.err('< \n');
  }
  const keepAlive = version === '1.1' && !/^connection:\s*close/im.test(res.head);
  if (o.fail && Number(code) >= 400) {
    c.close();
    writeOut(code, { exitcode: '22' });
    if (o.verbose) ctx.err('* Closing connection 0\n');
    if (!o.silent || o.showError) ctx.err(`curl: (22) The requested URL returned error: ${code}\n`);
    return 22;
  }
  const location = /^location:\s*(.+)$/im.exec(res.head)?.[1];
  if (o.follow && location && /^3\d\d$/.test(code) && redirects < 50) {
    c.close();
    return fetchUrl(ctx, o, location.startsWith('/') ? `${u.scheme}://${hostHeader}${location}` : location, redirects + 1);
  }
  const headerText = `${res.head}\r\n\r\n`;
  let out = '';
  if (o.head || o.include) out += headerText;
  if (!o.head) out += res.body;
  if (o.output !== null) {
    const w = ctx.writeFile(o.output, out);
    if (!w.ok) {
      c.close();
      return report(ctx, o, 23, `Failure writing output to destination`);
    }
    if (!o.silent && o.output !== '/dev/null') {
      const n = out.length;
      ctx.err(`  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n\r100 ${String(n).padStart(5)}  100 ${String(n).padStart(5)}    0     0   ${speed(n, world.now - start).padStart(5)}      0 --:--:-- --:--:-- --:--:-- ${speed(n, world.now - start).padStart(5)}\n`);
    }
  }
  // stdout is block-buffered when it is not a terminal: the body comes out after the verbose lines
  const deferred = o.output === null && !ctx.interactive ? out : '';
  if (o.output === null && ctx.interactive) ctx.out(out);
  c.close();
  if (o.verbose) ctx.err(keepAlive ? `* Connection #0 to host ${u.host} left intact\n` : '* Closing connection 0\n');
  if (deferred) ctx.out(deferred);
  writeOut(code, { remote_ip: ip, remote_port: String(u.port), size_download: String(res.body.length), time_connect: ((connectedAt - start) / SECOND).toFixed(6), num_connects: '1', content_type: /^content-type:\s*(.+)$/im.exec(res.head)?.[1] ?? '' });
  return 0;
}

function speed(bytes: number, us: number): string {
  const perSec = us > 0 ? (bytes * SECOND) / us : bytes;
  if (perSec >= 1024 * 1024) return `${Math.round(perSec / (1024 * 1024))}M`;
  if (perSec >= 10 * 1024) return `${Math.round(perSec / 1024)}k`;
  return String(Math.round(perSec));
}
