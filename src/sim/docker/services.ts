/**
 * What runs inside containers and beside them: the servers an image's default command starts
 * (nginx, httpd, redis, traefik/whoami, a database port), and docker-proxy, the userland proxy
 * dockerd starts for each published port. The proxy is what answers when the host itself
 * connects to a published port on 127.0.0.1 (the DNAT rule in nat OUTPUT skips 127.0.0.0/8),
 * and when a container reaches a port published by another container on its own bridge.
 */
import { formatIpv4, parseIpv4, type Ipv4 } from '../wire/addr.ts';
import { startHttpServer, httpDateAt, type HttpRequest, type HttpResponse } from '../apps/http.ts';
import { tcpListen, TcpConn } from '../transport/tcp.ts';
import { udpClose, udpOpen, udpSend } from '../transport/udp.ts';
import type { UdpSocket } from '../transport/sockets.ts';
import type { Container, DockerEngine } from './engine.ts';

export interface Running {
  readonly kind: 'service' | 'proxy';
  stop(): void;
}

const HTTPD_PAGE = '<html><body><h1>It works!</h1></body></html>\n';

/** traefik/whoami's flags (Go's flag package: -name or --name, a value after = or as the next word). */
export interface WhoamiFlags {
  port: number;
  name: string;
}

/** Parse whoami's command line and environment; an error is what the binary prints before exiting 2. */
export function whoamiFlags(args: readonly string[], env: readonly string[]): WhoamiFlags | { error: string } {
  const envOf = (k: string) => env.find((e) => e.startsWith(`${k}=`))?.slice(k.length + 1);
  let port = envOf('WHOAMI_PORT_NUMBER') ?? '80';
  let name = envOf('WHOAMI_NAME') ?? '';
  for (let i = 0; i < args.length; i++) {
    const m = /^--?([a-z]+)(?:=(.*))?$/.exec(args[i]);
    if (!m) break; // the first non-flag ends flag parsing
    const [, flag, inline] = m;
    if (flag === 'verbose') continue;
    if (!['port', 'name', 'cert', 'key', 'cacert'].includes(flag)) return { error: `flag provided but not defined: -${flag}` };
    const value = inline ?? args[++i];
    if (value === undefined) return { error: `flag needs an argument: -${flag}` };
    if (flag === 'port') port = value;
    if (flag === 'name') name = value;
  }
  const n = Number(port);
  if (!/^\d+$/.test(port) || n > 65535) return { error: `listen tcp: address ${port}: invalid port` };
  return { port: n, name };
}

/** What Go's flag package prints after a bad flag (flag.PrintDefaults, names sorted). */
export const WHOAMI_USAGE = 'Usage of /whoami:\n  -cacert string\n    \tgive me a CA chain, enforces mutual TLS\n  -cert string\n    \tgive me a certificate\n  -key string\n    \tgive me a key\n  -name string\n    \tgive me a name\n  -port string\n    \tgive me a port number (default "80")\n  -verbose\n    \tEnable verbose logging\n';

const WHOAMI_CHARSET = '-ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** whoami's /data body: `size` bytes of the charset by position, a bar at each end (contentReader). */
export function whoamiData(size: number): string {
  if (size <= 0) return '';
  const run = WHOAMI_CHARSET.repeat(Math.ceil(size / WHOAMI_CHARSET.length)).slice(0, size);
  return size === 1 ? '|' : `|${run.slice(1, size - 1)}|`;
}

/**
 * GET /data?size=N&unit=KB: the handler io.Copy's the content into the response. Go's server
 * copies the first 512 bytes (for Content-Type sniffing) and, if the body goes on, sends the head
 * with `Transfer-Encoding: chunked` and those 512 bytes as the first chunk; the rest follows in
 * writes of 32 KiB chunks, then the last chunk. A body under 512 bytes is sent whole, with a
 * Content-Length.
 */
function whoamiDataResponse(engine: DockerEngine, req: HttpRequest): HttpResponse {
  const q = new URLSearchParams(req.path.includes('?') ? req.path.slice(req.path.indexOf('?') + 1) : '');
  let size = /^[+-]?\d+$/.test(q.get('size') ?? '') ? Number(q.get('size')) : 1;
  if (size < 0) size = 0;
  const unit = (q.get('unit') ?? '').toLowerCase();
  size *= unit === 'kb' ? 1024 : unit === 'mb' ? 1024 ** 2 : unit === 'gb' ? 1024 ** 3 : unit === 'tb' ? 1024 ** 4 : 1;
  // the simulation carries at most 8 MiB in one response
  size = Math.min(size, 8 * 1024 * 1024);
  const body = whoamiData(size);
  const close = (req.headers.get('connection') ?? '').toLowerCase() === 'close';
  const date: [string, string] = ['Date', httpDateAt(engine.now)];
  const type: [string, string] = ['Content-Type', 'text/plain; charset=utf-8'];
  const conn: [string, string][] = close ? [['Connection', 'close']] : [];
  if (size < 512) return { status: 200, reason: 'OK', headers: [date, ['Content-Length', String(size)], type, ...conn], body };
  const chunk = (d: string) => `${d.length.toString(16)}\r\n${d}\r\n`;
  const more: string[] = [];
  for (let i = 512; i < size; i += 32768) more.push(chunk(body.slice(i, i + 32768)));
  more.push('0\r\n\r\n');
  return { status: 200, reason: 'OK', headers: [date, type, ...conn, ['Transfer-Encoding', 'chunked']], body: chunk(body.slice(0, 512)), more };
}

/** Go's textproto.CanonicalMIMEHeaderKey: `user-agent` → `User-Agent`. */
function canonicalKey(k: string): string {
  return k.toLowerCase().replace(/(^|-)([a-z])/g, (_m, d: string, ch: string) => d + ch.toUpperCase());
}

/**
 * What traefik/whoami's handler writes: Name (with -name), Hostname, one IP line per address and RemoteAddr
 * (fmt.Fprintln, so "\n"), then the request as Go's Request.Write puts it on the wire ("\r\n"):
 * the request line in HTTP/1.1, Host, User-Agent, the other headers sorted by name, a blank line.
 */
function whoamiBody(c: Container, req: HttpRequest, conn: TcpConn, name: string): string {
  let out = `${name ? `Name: ${name}\n` : ''}Hostname: ${c.hostname}\n`;
  const ns = c.netns!;
  for (const l of ns.allLinks()) for (const a of l.addrs) out += `IP: ${formatIpv4(a.addr)}\n`;
  out += `RemoteAddr: ${formatIpv4(conn.raddr)}:${conn.rport}\n`;
  const headers = new Map([...req.headers].map(([k, v]) => [canonicalKey(k), v]));
  out += `${req.method} ${req.path} HTTP/1.1\r\nHost: ${headers.get('Host') ?? ''}\r\nUser-Agent: ${headers.get('User-Agent') ?? 'Go-http-client/1.1'}\r\n`;
  const rest = [...headers].filter(([k]) => !['Host', 'User-Agent', 'Content-Length', 'Transfer-Encoding', 'Trailer'].includes(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [k, v] of rest) out += `${k}: ${v}\r\n`;
  return `${out}\r\n`;
}

/** Start the servers of the image's default command in the container's namespace. */
export function startImageServices(c: Container, engine: DockerEngine): Running[] {
  const ns = c.netns!;
  const out: Running[] = [];
  for (const s of c.image.info.services) {
    if (s.kind === 'whoami') {
      // the command given to `docker run` or `docker service create` is whoami's flags
      const f = whoamiFlags(c.spec.cmd, c.spec.env ?? []);
      if ('error' in f) continue;
      const l = startHttpServer(ns, f.port, {
        flavor: 'nginx',
        owner: 'whoami',
        respond: (req, conn): HttpResponse => {
          const path = req.path.split('?')[0];
          if (path === '/data') return whoamiDataResponse(engine, req);
          const close: [string, string][] = (req.headers.get('connection') ?? '').toLowerCase() === 'close' ? [['Connection', 'close']] : [];
          if (path === '/health') return { status: 200, reason: 'OK', headers: [['Date', httpDateAt(engine.now)], ['Content-Length', '0'], ...close], body: '' };
          if (path === '/bench') return { status: 200, reason: 'OK', headers: [['Date', httpDateAt(engine.now)], ['Content-Length', '1'], ['Content-Type', 'text/plain'], ...close], body: '1' };
          const body = whoamiBody(c, req, conn, f.name);
          return { status: 200, reason: 'OK', headers: [['Date', httpDateAt(engine.now)], ['Content-Length', String(body.length)], ['Content-Type', 'text/plain; charset=utf-8'], ...close], body };
        },
      });
      if (!('error' in l)) out.push({ kind: 'service', stop: () => l.close() });
      continue;
    }
    if (s.kind === 'nginx' || s.kind === 'httpd') {
      const l = startHttpServer(ns, s.port, {
        flavor: 'nginx',
        owner: s.kind === 'httpd' ? 'httpd' : 'nginx',
        serverName: s.kind === 'httpd' ? 'Apache/2.4.65 (Unix)' : undefined,
        site: s.kind === 'httpd' ? (_h, path) => (path === '/' || path === '/index.html' ? { status: 200, body: HTTPD_PAGE, type: 'text/html' } : null) : undefined,
      });
      if (!('error' in l)) out.push({ kind: 'service', stop: () => l.close() });
    } else if (s.kind === 'redis') {
      const l = tcpListen(ns, 0, s.port, 511, 'redis-server', 1, (conn) => {
        conn.handlers = {
          onData: (t) => {
            // RESP: inline `PING` or the array form redis-cli sends
            if (/PING/i.test(t)) conn.send('+PONG\r\n');
            else conn.send("-ERR unknown command\r\n");
          },
          onEof: () => conn.close(),
        };
      });
      if (!('error' in l)) out.push({ kind: 'service', stop: () => l.close() });
    } else {
      const owner = c.image.info.repo === 'postgres' ? 'postgres' : c.image.info.repo === 'mysql' ? 'mysqld' : c.image.info.repo;
      const l = tcpListen(ns, 0, s.port, 128, owner, 1, (conn) => {
        conn.handlers = { onEof: () => conn.close() };
      });
      if (!('error' in l)) out.push({ kind: 'service', stop: () => l.close() });
    }
  }
  return out;
}

/** docker-proxy for one published port: listen on the host, connect to the container, copy. */
export function startProxy(engine: DockerEngine, c: Container, proto: 'tcp' | 'udp', hostIp: string, hostPort: number, ctrIp: Ipv4, ctrPort: number): Running | null {
  const ns = engine.ns;
  const bind = hostIp === '0.0.0.0' ? 0 : (parseIpv4(hostIp) ?? 0);
  // one docker-proxy process per published port
  const pid = engine.host.world.nextPid();
  if (proto === 'tcp') {
    const l = tcpListen(ns, bind, hostPort, 4096, 'docker-proxy', pid, (client) => {
      // the backend is dialled only now; when the container refuses, the proxy closes the client
      // it has already accepted, with the request unread: the client gets a reset
      const up = TcpConn.connect(ns, ctrIp, ctrPort, { owner: 'docker-proxy', pid });
      if ('error' in up) {
        client.close();
        return;
      }
      let upReady = false;
      let pending = '';
      client.handlers = {
        onData: (t) => (upReady ? up.send(t) : (pending += t)),
        onEof: () => up.close(),
        onError: () => up.abort(),
      };
      up.handlers = {
        onConnect: () => {
          upReady = true;
          if (pending) up.send(pending);
          pending = '';
        },
        onData: (t) => client.send(t),
        onEof: () => client.close(),
        onError: () => client.abort(),
      };
    });
    if ('error' in l) return null;
    return { kind: 'proxy', stop: () => l.close() };
  }
  // UDP: one upstream socket per client address, replies relayed back
  const upstream = new Map<string, UdpSocket>();
  const front = udpOpen(ns, {
    addr: bind,
    port: hostPort,
    owner: 'docker-proxy',
    pid,
    onRecv: (text, from) => {
      const key = `${from.addr}:${from.port}`;
      let up = upstream.get(key);
      if (!up) {
        const s = udpOpen(ns, {
          owner: 'docker-proxy',
          pid,
          onRecv: (reply) => {
            if (!('error' in front)) udpSend(front, from.addr, from.port, reply, { by: 'docker-proxy' });
          },
        });
        if ('error' in s) return;
        up = s;
        upstream.set(key, up);
      }
      udpSend(up, ctrIp, ctrPort, text, { by: 'docker-proxy' });
    },
  });
  if ('error' in front) return null;
  void c;
  return {
    kind: 'proxy',
    stop: () => {
      udpClose(front);
      for (const s of upstream.values()) udpClose(s);
    },
  };
}
