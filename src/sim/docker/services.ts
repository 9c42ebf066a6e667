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

function whoamiBody(c: Container, req: HttpRequest, conn: TcpConn): string {
  const lines = [`Hostname: ${c.hostname}`];
  const ns = c.netns!;
  for (const l of ns.allLinks()) for (const a of l.addrs) lines.push(`IP: ${formatIpv4(a.addr)}`);
  lines.push(`RemoteAddr: ${formatIpv4(conn.raddr)}:${conn.rport}`);
  lines.push(req.line);
  for (const [k, v] of req.headers) lines.push(`${k.replace(/(^|-)([a-z])/g, (_m, d: string, ch: string) => d + ch.toUpperCase())}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Start the servers of the image's default command in the container's namespace. */
export function startImageServices(c: Container, engine: DockerEngine): Running[] {
  const ns = c.netns!;
  const out: Running[] = [];
  for (const s of c.image.info.services) {
    if (s.kind === 'nginx' || s.kind === 'httpd' || s.kind === 'whoami') {
      const l = startHttpServer(ns, s.port, {
        flavor: 'nginx',
        owner: s.kind === 'httpd' ? 'httpd' : s.kind === 'whoami' ? 'whoami' : 'nginx',
        serverName: s.kind === 'httpd' ? 'Apache/2.4.65 (Unix)' : undefined,
        site: s.kind === 'httpd' ? (_h, path) => (path === '/' || path === '/index.html' ? { status: 200, body: HTTPD_PAGE, type: 'text/html' } : null) : undefined,
        respond:
          s.kind === 'whoami'
            ? (req, conn): HttpResponse => {
                const body = whoamiBody(c, req, conn);
                return { status: 200, reason: 'OK', headers: [['Date', httpDateAt(engine.now)], ['Content-Length', String(body.length)], ['Content-Type', 'text/plain; charset=utf-8']], body };
              }
            : undefined,
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
    onRecv: (text, from) => {
      const key = `${from.addr}:${from.port}`;
      let up = upstream.get(key);
      if (!up) {
        const s = udpOpen(ns, {
          owner: 'docker-proxy',
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
