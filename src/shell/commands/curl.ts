/**
 * `curl` (7.88.1, Debian 12) for HTTP to simulated servers: -v -s -S -m -I -o -w -H -X -d -L
 * --connect-timeout, with curl's exit codes (6 resolve, 7 connect, 28 timeout, 52 empty reply,
 * 56 receive error). HTTPS connects to port 443 and speaks plain HTTP there (no TLS is modelled).
 */
import type { Command, CommandContext } from '../context.ts';
import { SECOND } from '../../sim/engine/scheduler.ts';
import { formatIpv4, parseIpv4, type Ipv4 } from '../../sim/wire/addr.ts';
import { TcpConn } from '../../sim/transport/tcp.ts';
import { readBody, type BodyProgress } from '../../sim/apps/http.ts';
import { strerror } from '../../sim/net/types.ts';
import { resolveHost } from './net-util.ts';
import {
  alertRecord,
  certDate,
  changeCipherSpec,
  clientHello,
  CLIENT_KEY,
  CT_APPLICATION_DATA,
  CT_CHANGE_CIPHER_SPEC,
  CT_HANDSHAKE,
  decrypt,
  encrypted,
  encryptedFiller,
  FINISHED_LEN,
  matchName,
  RecordReader,
  SERVER_KEY,
  type TlsIdentity,
  type TlsRecord,
} from '../../sim/apps/tls.ts';

const VERSION = 'curl 7.88.1 (x86_64-pc-linux-gnu) libcurl/7.88.1 OpenSSL/3.0.15 zlib/1.2.13 brotli/1.0.9 zstd/1.5.4 libidn2/2.3.3 libpsl/0.21.2 (+libidn2/2.3.3) libssh2/1.10.0 nghttp2/1.52.0 librtmp/2.3 OpenLDAP/2.5.13\nRelease-Date: 2023-02-20, security patched: 7.88.1-10+deb12u8\nProtocols: dict file ftp ftps gopher gophers http https imap imaps ldap ldaps mqtt pop3 pop3s rtmp rtsp scp sftp smb smbs smtp smtps telnet tftp\nFeatures: alt-svc AsynchDNS brotli GSS-API HSTS HTTP2 HTTPS-proxy IDN IPv6 Kerberos Largefile libz NTLM NTLM_WB PSL SPNEGO SSL threadsafe TLS-SRP UnixSockets zstd\n';

interface CurlOpts {
  verbose: boolean;
  silent: boolean;
  showError: boolean;
  maxTime: number | null;
  connectTimeout: number | null;
  head: boolean;
  include: boolean;
  /** -D FILE (or - for stdout): the response headers, as they arrive; `dumped` once written */
  dumpHeader: string | null;
  dumped: boolean;
  output: string | null;
  writeOut: string | null;
  method: string | null;
  data: string | null;
  headers: string[];
  follow: boolean;
  fail: boolean;
  resolve: Map<string, Ipv4>;
  noMeter: boolean;
  insecure: boolean;
  cacert: string | null;
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
    const o: CurlOpts = { verbose: false, silent: false, showError: false, maxTime: null, connectTimeout: null, head: false, include: false, dumpHeader: null, dumped: false, output: null, writeOut: null, method: null, data: null, headers: [], follow: false, fail: false, resolve: new Map(), noMeter: false, insecure: false, cacert: null };
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
          case '--dump-header': {
            const v = val();
            if (v === null) return 2;
            o.dumpHeader = v;
            break;
          }
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
            // HOST:PORT:ADDRESS, used only for that host and port
            const [h, port, addr] = v.split(':');
            const ip = parseIpv4(addr ?? '');
            if (ip !== null && h && /^\d+$/.test(port ?? '')) o.resolve.set(`${h.toLowerCase()}:${port}`, ip);
            break;
          }
          case '--insecure':
            o.insecure = true;
            break;
          case '--cacert': {
            const v = val();
            if (v === null) return 2;
            o.cacert = v;
            break;
          }
          case '--ipv4':
          case '--compressed':
          case '--http1.1':
            break;
          case '--no-progress-meter':
            o.noMeter = true;
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
          const takes = 'moXdHwAuUD'.includes(c);
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
            case 'D':
              o.dumpHeader = v;
              break;
            case 'L':
              o.follow = true;
              break;
            case 'f':
              o.fail = true;
              break;
            case 'k':
              o.insecure = true;
              break;
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
    const { run, flush } = newRun(ctx, o);
    for (const [key, ip] of o.resolve) run.trace.info(`Added ${key}:${formatIpv4(ip)} to DNS cache`);
    for (const u of urls) status = await fetchUrl(run, u, 0);
    flush();
    return status;
  },
};

/**
 * curl's progress meter (lib/progress.c): a two-line header once, then a `\r`-started status
 * line when the transfer starts, about once a second while it runs, and a final forced one
 * followed by a newline. Shown on stderr unless -s, and not when the body goes to a terminal.
 */
class Meter {
  private readonly ctx: CommandContext;
  readonly enabled: boolean;
  private headersOut = false;
  private lastShow = -1;
  private speeder: number[] = [];
  private speederTime: number[] = [];
  private speederC = 0;
  private currentSpeed = 0;
  private tStart = 0;
  dlCur = 0;
  dlTotal: number | null = null;
  ulCur = 0;
  ulTotal: number | null = null;

  constructor(ctx: CommandContext, enabled: boolean) {
    this.ctx = ctx;
    this.enabled = enabled;
  }

  /** A new request on the handle (the header stays printed). */
  begin(now: number): void {
    this.tStart = now;
    this.lastShow = -1;
    this.speeder = [];
    this.speederTime = [];
    this.speederC = 0;
    this.currentSpeed = 0;
    this.dlCur = 0;
    this.dlTotal = null;
    this.ulCur = 0;
    this.ulTotal = null;
    this.update(now);
  }

  /** Curl_pgrsUpdate: print when the second has changed since the last line. */
  update(now: number): void {
    const sec = Math.floor(now / SECOND);
    if (sec === this.lastShow) return;
    this.lastShow = sec;
    const CURR_TIME = 6;
    const idx = this.speederC % CURR_TIME;
    this.speeder[idx] = this.dlCur + this.ulCur;
    this.speederTime[idx] = now;
    this.speederC++;
    const count = Math.min(this.speederC, CURR_TIME) - 1;
    const spent = now - this.tStart;
    if (count) {
      const check = this.speederC >= CURR_TIME ? this.speederC % CURR_TIME : 0;
      const spanMs = Math.max(1, Math.floor((now - this.speederTime[check]) / 1000));
      this.currentSpeed = Math.floor(((this.speeder[idx] - this.speeder[check]) * 1000) / spanMs);
    } else this.currentSpeed = trspeed(this.dlCur, spent) + trspeed(this.ulCur, spent);
    if (this.enabled) this.print(now);
  }

  /** Curl_pgrsDone: a final forced line, then the newline that ends the meter. */
  done(now: number): void {
    this.lastShow = -1;
    this.update(now);
    if (this.enabled) this.ctx.err('\n');
  }

  private print(now: number): void {
    if (!this.headersOut) {
      this.headersOut = true;
      this.ctx.err('  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n');
    }
    const spent = now - this.tStart;
    const curSecs = Math.floor(spent / SECOND);
    const dlSpeed = trspeed(this.dlCur, spent);
    const ulSpeed = trspeed(this.ulCur, spent);
    const est = (total: number | null, cur: number, speed: number) => (total !== null && speed > 0 ? { secs: Math.floor(total / speed), percent: percentOf(total, cur) } : { secs: 0, percent: 0 });
    const ul = est(this.ulTotal, this.ulCur, ulSpeed);
    const dl = est(this.dlTotal, this.dlCur, dlSpeed);
    const totalSecs = Math.max(ul.secs, dl.secs);
    const expected = (this.ulTotal ?? this.ulCur) + (this.dlTotal ?? this.dlCur);
    const totalPercent = percentOf(expected, this.dlCur + this.ulCur);
    const p3 = (n: number) => String(n).padStart(3);
    this.ctx.err(
      `\r${p3(totalPercent)} ${max5(expected)}  ${p3(dl.percent)} ${max5(this.dlCur)}  ${p3(ul.percent)} ${max5(this.ulCur)}  ${max5(dlSpeed)}  ${max5(ulSpeed)} ${time2str(totalSecs)} ${time2str(curSecs)} ${time2str(totalSecs > 0 ? totalSecs - curSecs : 0)} ${max5(this.currentSpeed)}`,
    );
  }
}

/** Bytes per second from a byte count and microseconds (trspeed). */
function trspeed(bytes: number, us: number): number {
  return us < 1 ? bytes * 1_000_000 : Math.floor((bytes * 1_000_000) / us);
}

function percentOf(total: number, cur: number): number {
  if (total > 10000) return Math.floor(cur / Math.floor(total / 100));
  if (total > 0) return Math.floor((cur * 100) / total);
  return 0;
}

/** A byte count in at most five characters: 12345, 1234k, 12.3M (max5data). */
function max5(bytes: number): string {
  const K = 1024;
  const M = K * K;
  if (bytes < 100000) return String(bytes).padStart(5);
  if (bytes < 10000 * K) return `${String(Math.floor(bytes / K)).padStart(4)}k`;
  if (bytes < 100 * M) return `${String(Math.floor(bytes / M)).padStart(2)}.${Math.floor((bytes % M) / (M / 10))}M`;
  if (bytes < 10000 * M) return `${String(Math.floor(bytes / M)).padStart(4)}M`;
  return `${String(Math.floor(bytes / (M * K))).padStart(4)}G`;
}

/** Seconds as H:MM:SS in eight characters, or --:--:-- when unknown (time2str). */
function time2str(secs: number): string {
  if (secs <= 0) return '--:--:--';
  const h = Math.floor(secs / 3600);
  if (h <= 99) {
    const m = Math.floor((secs - h * 3600) / 60);
    const s = secs - h * 3600 - m * 60;
    return `${String(h).padStart(2)}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  }
  const d = Math.floor(secs / 86400);
  return d <= 999 ? `${String(d).padStart(3)}d ${String(Math.floor((secs - d * 86400) / 3600)).padStart(2, '0')}h` : `${String(d).padStart(7)}d`;
}

/** One curl run: the meter, and stdout, which is block-buffered (so written last) unless it is a terminal. */
interface Run {
  readonly ctx: CommandContext;
  readonly o: CurlOpts;
  readonly meter: Meter;
  readonly trace: Trace;
  out(text: string): void;
}

/**
 * curl's -v trace (tool_cb_dbg.c): informational lines start with `*`, headers with `>` or `<`;
 * data is not shown but noted once, as `} [N bytes data]` going out or `{ [N bytes data]`
 * coming in, until the next text or header line, and only when stdout is not a terminal.
 */
class Trace {
  private readonly ctx: CommandContext;
  private readonly on: boolean;
  private traced = false;

  constructor(ctx: CommandContext, on: boolean) {
    this.ctx = ctx;
    this.on = on;
  }

  info(line: string): void {
    if (!this.on) return;
    this.ctx.err(`* ${line}\n`);
    this.traced = false;
  }

  headerOut(line: string): void {
    if (!this.on) return;
    this.ctx.err(`> ${line}\r\n`);
    this.traced = false;
  }

  headerIn(line: string): void {
    if (!this.on) return;
    this.ctx.err(`< ${line}\r\n`);
    this.traced = false;
  }

  data(direction: '{' | '}', bytes: number): void {
    if (!this.on || this.traced || this.ctx.stdoutTty) return;
    this.ctx.err(`${direction} [${bytes} bytes data]\n`);
    this.traced = true;
  }
}

function newRun(ctx: CommandContext, o: CurlOpts): { run: Run; flush(): void } {
  let pending = '';
  // no meter when the body goes to the terminal, as curl decides from isatty(stdout)
  const meter = new Meter(ctx, !o.silent && !o.noMeter && (o.output !== null || !ctx.stdoutTty));
  const run: Run = {
    ctx,
    o,
    meter,
    trace: new Trace(ctx, o.verbose),
    out: (t) => {
      if (ctx.stdoutTty) ctx.out(t);
      else pending += t;
    },
  };
  return {
    run,
    flush: () => {
      if (pending) ctx.out(pending);
      pending = '';
    },
  };
}

/** The end of a failed transfer: the verbose reason, the meter's last line, then the error. */
function failTransfer(r: Run, code: number, message: string, opts: { meterDone?: boolean; more?: string } = {}): number {
  const { ctx, o } = r;
  r.trace.info(message);
  if (opts.meterDone !== false) r.meter.done(ctx.world.now);
  r.trace.info('Closing connection 0');
  if (!o.silent || o.showError) ctx.err(`curl: (${code}) ${message}\n${opts.more ?? ''}`);
  return code;
}

const SSL_CERT_HELP = `More details here: https://curl.se/docs/sslcerts.html

curl failed to verify the legitimacy of the server and therefore could not
establish a secure connection to it. To learn more about this situation and
how to fix it, please visit the web page mentioned above.
`;

async function fetchUrl(r: Run, raw: string, redirects: number): Promise<number> {
  const { ctx, o, meter, trace } = r;
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
    r.out(s);
  };
  /** Wait like curl's event loop: wake at least once a second to refresh the meter. */
  const waitFor = async (done: () => boolean, deadline: number): Promise<boolean> => {
    while (!done()) {
      if (world.now >= deadline || ctx.interrupt.interrupted) return false;
      // a script waiting with no end in sight: let the session decide when to give up (as ^C)
      if (!ctx.interactive && deadline === Infinity && (world.sched.idle || world.now - start >= 60 * SECOND)) {
        const ok = await ctx.wait(done, Infinity);
        meter.update(world.now);
        return ok;
      }
      const tick = start + (Math.floor((world.now - start) / SECOND) + 1) * SECOND;
      const before = world.now;
      const ok = await ctx.wait(done, Math.min(deadline, tick));
      if (done()) break;
      if (world.now >= tick && tick < deadline) meter.update(world.now);
      if (!ok && (ctx.interrupt.interrupted || world.now === before)) return false;
    }
    meter.update(world.now);
    return true;
  };
  const u = parseUrl(raw);
  if ('error' in u) {
    writeOut('000', { exitcode: String(u.error) });
    trace.info('Closing connection -1');
    if (!o.silent || o.showError) ctx.err(`curl: (${u.error}) ${u.message}\n`);
    return u.error;
  }
  const pinned = o.resolve.get(`${u.host.toLowerCase()}:${u.port}`);
  if (pinned !== undefined) trace.info(`Hostname ${u.host} was found in DNS cache`);
  meter.begin(start);
  let addr = parseIpv4(u.host) ?? pinned ?? null;
  if (addr === null) {
    const res = await resolveHost(ctx, u.host);
    if (res === null) return 130;
    if (!res.ok) {
      writeOut('000', { exitcode: '6' });
      // the resolver fails before the transfer really starts: no final meter line
      return failTransfer(r, 6, `Could not resolve host: ${u.host}`, { meterDone: false });
    }
    addr = res.addr;
  }
  const ip = formatIpv4(addr);
  trace.info(`  Trying ${ip}:${u.port}...`);
  const c = TcpConn.connect(ctx.ns, addr, u.port, { owner: 'curl', pid: ctx.pid() });
  const connectFail = (errno: string) => {
    trace.info(`connect to ${ip} port ${u.port} failed: ${strerror(errno)}`);
    writeOut('000', { exitcode: '7' });
    return failTransfer(r, 7, `Failed to connect to ${u.host} port ${u.port} after ${elapsedMs()} ms: Couldn't connect to server`);
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
      if (!tls) response += t;
      else tlsRecords.push(...reader.push(t));
      if (tls && reader.garbage) closed = true;
    },
    onEof: () => {
      closed = true;
    },
  };
  const tls = u.scheme === 'https';
  const reader = new RecordReader();
  const tlsRecords: TlsRecord[] = [];
  const connectDeadline = Math.min(total, o.connectTimeout !== null ? start + Math.round(o.connectTimeout * SECOND) : start + 300 * SECOND);
  await waitFor(() => state !== 'pending', connectDeadline);
  if (state === 'pending') {
    // the process exits: the kernel abandons the half-open connection
    c.destroy();
    if (ctx.interrupt.interrupted && world.now < connectDeadline) return 130;
    writeOut('000', { exitcode: '28' });
    return failTransfer(r, 28, `Connection timed out after ${elapsedMs()} milliseconds`);
  }
  if (state !== 'up') return connectFail(state);
  const connectedAt = world.now;
  trace.info(`Connected to ${u.host} (${ip}) port ${u.port} (#0)`);
  if (tls) {
    const shaken = await tlsHandshake(r, c, u.host, u.port, tlsRecords, () => (reader.garbage ? 'garbage' : closed ? 'closed' : 'ok'), total, waitFor, elapsedMs);
    if (shaken !== 0) return shaken;
    // what arrives from now on is application data (or tickets), read record by record below
  }
  const method = o.method ?? (o.head ? 'HEAD' : o.data !== null ? 'POST' : 'GET');
  const hostHeader = (u.scheme === 'http' && u.port === 80) || (u.scheme === 'https' && u.port === 443) ? u.host : `${u.host}:${u.port}`;
  const lines = [`${method} ${u.path} HTTP/1.1`, `Host: ${hostHeader}`];
  const custom = new Map(o.headers.map((h) => [h.split(':')[0].toLowerCase(), h]));
  lines.push(custom.get('user-agent') ?? 'User-Agent: curl/7.88.1');
  lines.push(custom.get('accept') ?? 'Accept: */*');
  for (const h of o.headers) if (!['user-agent', 'accept', 'host'].includes(h.split(':')[0].toLowerCase())) lines.push(h);
  if (o.data !== null) {
    lines.push(`Content-Length: ${o.data.length}`);
    if (!custom.has('content-type')) lines.push('Content-Type: application/x-www-form-urlencoded');
    meter.ulTotal = o.data.length;
  }
  const request = `${lines.join('\r\n')}\r\n\r\n${o.data ?? ''}`;
  if (tls) trace.data('}', 5);
  for (const l of lines) trace.headerOut(l);
  trace.headerOut('');
  if (o.data) trace.data('}', o.data.length);
  c.send(tls ? encrypted(request, CLIENT_KEY) : request);
  // over TLS the response comes in records: session tickets first, then the HTTP bytes
  let tickets = 0;
  const readRecords = () => {
    while (tls && tlsRecords.length) {
      const rec = tlsRecords.shift()!;
      if (rec.type !== CT_APPLICATION_DATA) continue;
      const plain = decrypt(rec, SERVER_KEY);
      trace.data('{', 5);
      if (plain.startsWith('\0')) {
        trace.info('TLSv1.3 (IN), TLS handshake, Newsession Ticket (4):');
        trace.data('{', plain.length);
        if (++tickets === 2) trace.info('old SSL session ID is stale, removing');
        continue;
      }
      response += plain;
    }
  };
  if (o.data !== null) meter.ulCur = o.data.length;
  // read the response: headers, then Content-Length bytes or until the server closes
  // the body as it arrives: Content-Length, chunked (decoded), or until the server closes
  let progress: BodyProgress | null = null;
  // -v shows the response headers as soon as they are read, before the body
  let headShown = false;
  let noted = 0;
  const showHead = (head: string) => {
    if (headShown) return;
    headShown = true;
    // -D writes each response's headers as soon as they are read (appended after a redirect)
    if (o.dumpHeader !== null) {
      const text = `${head}\r\n\r\n`;
      if (o.dumpHeader === '-') r.out(text);
      else ctx.writeFile(o.dumpHeader, text, o.dumped);
      o.dumped = true;
    }
    const lines = head.split('\r\n');
    if (/^HTTP\/1\.0 /.test(lines[0])) trace.info('HTTP 1.0, assume close after body');
    for (const l of lines) trace.headerIn(l);
    // --fail gives up as soon as the headers say error: before the blank line and the body
    if (!(o.fail && Number(/^HTTP\/[\d.]+ (\d{3})/.exec(lines[0])?.[1] ?? 0) >= 400)) trace.headerIn('');
  };
  const parsed = () => {
    readRecords();
    const end = response.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const head = response.slice(0, end);
    showHead(head);
    progress = readBody(head, response.slice(end + 4), closed, method);
    meter.dlTotal = progress.length;
    meter.dlCur = progress.body.length;
    if (progress.complete) return { head, body: progress.body };
    // a body still coming: -v notes each piece as it is read (raw, before any de-chunking)
    const raw = response.length - end - 4;
    if (raw > noted) {
      trace.data('{', raw - noted);
      noted = raw;
    }
    return null;
  };
  await waitFor(() => parsed() !== null || closed, total);
  const res = parsed();
  if (!res) {
    // curl gives up and exits: its socket is closed (FIN)
    c.close();
    if (ctx.interrupt.interrupted && world.now < total) return 130;
    if (closed && state.startsWith('reset:')) {
      writeOut('000', { exitcode: '56' });
      return failTransfer(r, 56, 'Recv failure: Connection reset by peer');
    }
    if (closed && response === '') {
      writeOut('000', { exitcode: '52' });
      return failTransfer(r, 52, 'Empty reply from server');
    }
    // curl writes the body as it comes: what arrived before the transfer failed is already out
    const got = progress as BodyProgress | null;
    const code = /^HTTP\/[\d.]+ (\d{3})/.exec(response)?.[1] ?? '000';
    if (got) {
      // the headers were read (and shown by -v) as soon as they came
      const head = response.slice(0, response.indexOf('\r\n\r\n'));
      const partial = o.head ? '' : `${o.include ? `${head}\r\n\r\n` : ''}${got.body}`;
      if (o.output !== null) ctx.writeFile(o.output, partial);
      else if (partial) r.out(partial);
    }
    const sizeDownload = String(got?.body.length ?? 0);
    if (closed && got) {
      writeOut(code, { exitcode: '18', size_download: sizeDownload });
      return failTransfer(r, 18, got.length !== null ? `transfer closed with ${got.length - got.body.length} bytes remaining to read` : 'transfer closed with outstanding read data remaining');
    }
    writeOut(code, { exitcode: '28', size_download: sizeDownload });
    const received = got?.body.length ?? 0;
    return failTransfer(r, 28, got?.length != null ? `Operation timed out after ${elapsedMs()} milliseconds with ${received} out of ${got.length} bytes received` : `Operation timed out after ${elapsedMs()} milliseconds with ${received} bytes received`);
  }
  const headLines = res.head.split('\r\n');
  const statusLine = headLines[0];
  const code = /^HTTP\/[\d.]+ (\d{3})/.exec(statusLine)?.[1] ?? '000';
  const version = /^HTTP\/([\d.]+)/.exec(statusLine)?.[1] ?? '1.1';
  const failed = o.fail && Number(code) >= 400;
  showHead(res.head);
  const keepAlive = version === '1.1' && !/^connection:\s*close/im.test(res.head);
  if (failed) {
    meter.dlCur = 0;
    c.close();
    writeOut(code, { exitcode: '22' });
    return failTransfer(r, 22, `The requested URL returned error: ${code}`);
  }
  const location = /^location:\s*(.+)$/im.exec(res.head)?.[1];
  if (o.follow && location && /^3\d\d$/.test(code) && redirects < 50) {
    c.close();
    meter.done(world.now);
    trace.info(keepAlive ? `Connection #0 to host ${u.host} left intact` : 'Closing connection 0');
    return fetchUrl(r, location.startsWith('/') ? `${u.scheme}://${hostHeader}${location}` : location, redirects + 1);
  }
  let out = '';
  if (o.head || o.include) out += `${res.head}\r\n\r\n`;
  if (!o.head) out += res.body;
  // the verbose trace notes data it does not show, unless the data itself goes to the terminal
  const rawLen = response.length - response.indexOf('\r\n\r\n') - 4;
  if (noted) {
    if (rawLen > noted) trace.data('{', rawLen - noted);
  } else if (res.body.length) trace.data('{', Math.min(res.body.length, 16384));
  if (o.output !== null) {
    const w = ctx.writeFile(o.output, out);
    if (!w.ok) {
      c.close();
      return failTransfer(r, 23, 'Failure writing output to destination');
    }
  } else r.out(out);
  c.close();
  meter.done(world.now);
  trace.info(keepAlive ? `Connection #0 to host ${u.host} left intact` : 'Closing connection 0');
  writeOut(code, { remote_ip: ip, remote_port: String(u.port), size_download: String(res.body.length), time_connect: ((connectedAt - start) / SECOND).toFixed(6), num_connects: '1', content_type: /^content-type:\s*(.+)$/im.exec(res.head)?.[1] ?? '' });
  return 0;
}

/**
 * The client side of the TLS 1.3 handshake, traced as curl 7.88.1 with OpenSSL 3 traces it:
 * ClientHello out, the server's flight in, the certificate checked against the CA bundle and
 * the host name, then ChangeCipherSpec and Finished out. Returns 0 or curl's exit code.
 */
async function tlsHandshake(
  r: Run,
  c: TcpConn,
  host: string,
  port: number,
  records: TlsRecord[],
  peer: () => 'ok' | 'garbage' | 'closed',
  deadline: number,
  waitFor: (done: () => boolean, deadline: number) => Promise<boolean>,
  elapsedMs: () => number,
): Promise<number> {
  const { o, trace, ctx } = r;
  trace.info('ALPN: offers h2,http/1.1');
  trace.data('}', 5);
  trace.info('TLSv1.3 (OUT), TLS handshake, Client hello (1):');
  trace.data('}', 512);
  // no SNI for an address literal (RFC 6066)
  c.send(clientHello(parseIpv4(host) !== null ? '' : host));
  trace.info(` CAfile: ${o.cacert ?? '/etc/ssl/certs/ca-certificates.crt'}`);
  trace.info(' CApath: /etc/ssl/certs');
  // the server's flight: ServerHello, ChangeCipherSpec, then four encrypted handshake messages
  const flight = () => records.filter((x) => x.type === CT_HANDSHAKE || x.type === CT_CHANGE_CIPHER_SPEC || x.type === CT_APPLICATION_DATA).length >= 6;
  await waitFor(() => flight() || peer() !== 'ok', deadline);
  if (!flight()) {
    c.close();
    if (ctx.interrupt.interrupted && ctx.world.now < deadline) return 130;
    if (peer() === 'garbage') {
      // OpenSSL reports the 5-byte record header it read before rejecting it
      trace.data('{', 5);
      return failTransfer(r, 35, 'error:0A00010B:SSL routines::wrong version number');
    }
    if (peer() === 'closed') return failTransfer(r, 35, `OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to ${host}:${port} `);
    return failTransfer(r, 28, `Connection timed out after ${elapsedMs()} milliseconds`);
  }
  const got = records.splice(0, 6);
  const certRecord = got[3];
  const id = JSON.parse(decrypt(certRecord, SERVER_KEY).replace(/\0+$/, '')) as TlsIdentity;
  trace.data('{', 5);
  trace.info('TLSv1.3 (IN), TLS handshake, Server hello (2):');
  trace.data('{', got[0].body.length);
  trace.data('{', 5);
  trace.info('TLSv1.3 (IN), TLS handshake, Encrypted Extensions (8):');
  trace.data('{', got[2].body.length - 17);
  trace.info('TLSv1.3 (IN), TLS handshake, Certificate (11):');
  trace.data('{', id.certLen);
  const selfSigned = id.subject === id.issuer;
  const verifyError = id.trusted ? null : selfSigned ? { text: 'self-signed certificate', code: 18 } : { text: 'unable to get local issuer certificate', code: 20 };
  if (verifyError && !o.insecure) {
    trace.info('TLSv1.3 (OUT), TLS alert, unknown CA (560):');
    trace.data('}', 2);
    c.send(alertRecord());
    c.close();
    return failTransfer(r, 60, `SSL certificate problem: ${verifyError.text}`, { more: SSL_CERT_HELP });
  }
  trace.info('TLSv1.3 (IN), TLS handshake, CERT verify (15):');
  trace.data('{', got[4].body.length - 17);
  trace.info('TLSv1.3 (IN), TLS handshake, Finished (20):');
  trace.data('{', got[5].body.length - 17);
  trace.info('TLSv1.3 (OUT), TLS change cipher, Change cipher spec (1):');
  trace.data('}', 1);
  trace.info('TLSv1.3 (OUT), TLS handshake, Finished (20):');
  trace.data('}', FINISHED_LEN);
  c.send(changeCipherSpec() + encryptedFiller(FINISHED_LEN, CLIENT_KEY));
  trace.info('SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384');
  trace.info('ALPN: server accepted http/1.1');
  trace.info('Server certificate:');
  trace.info(` subject: ${id.subject}`);
  trace.info(` start date: ${certDate(id.notBefore)}`);
  trace.info(` expire date: ${certDate(id.notAfter)}`);
  // -k turns host name checking off altogether: no subjectAltName line at all
  const matched = matchName(id, host);
  if (o.insecure) {
    // nothing checked
  } else if (matched) trace.info(` subjectAltName: host "${host}" matched cert's "${matched}"`);
  else {
    trace.info(` subjectAltName does not match ${host}`);
    c.close();
    return failTransfer(r, 60, `SSL: no alternative certificate subject name matches target host name '${host}'`, { more: SSL_CERT_HELP });
  }
  trace.info(` issuer: ${id.issuer}`);
  trace.info(verifyError ? ` SSL certificate verify result: ${verifyError.text} (${verifyError.code}), continuing anyway.` : ' SSL certificate verify ok.');
  trace.info('using HTTP/1.1');
  return 0;
}
