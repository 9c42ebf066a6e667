/**
 * Servers a learner starts by hand: `python3 -m http.server` (the usual quick web server in
 * tutorials). It runs until Ctrl+C in the foreground, or as a background job with `&`.
 *
 * Python buffers its standard output when it is not a terminal (a pipe, a file, a container
 * started without -t): the "Serving HTTP on ..." line then waits in an 8 KiB buffer that is only
 * written when the interpreter exits normally, so `docker logs` of such a container shows only the
 * access log, which goes to standard error. `-u` or PYTHONUNBUFFERED turn buffering off.
 */
import type { Command } from '../context.ts';
import { parseIpv4 } from '../../sim/wire/addr.ts';
import { startHttpServer } from '../../sim/apps/http.ts';

export const python3Command: Command = {
  name: 'python3',
  path: '/usr/bin/python3',
  summary: 'only `python3 -m http.server [PORT]` (a web server serving the current directory)',
  async run(ctx) {
    const args = ctx.argv.slice(1);
    let unbuffered = !!ctx.env.get('PYTHONUNBUFFERED');
    while (args[0] === '-u') {
      unbuffered = true;
      args.shift();
    }
    if (args[0] === '--version' || args[0] === '-V') {
      ctx.out('Python 3.11.2\n');
      return 0;
    }
    if (args[0] !== '-m' || args[1] !== 'http.server') {
      if (!args.length) ctx.err('python3: the interactive interpreter is not available in this simulator; `python3 -m http.server [PORT]` is\n');
      else ctx.err('python3: only `python3 -m http.server [PORT] [--bind ADDRESS] [--directory DIR]` is modelled by the simulator\n');
      return 2;
    }
    let port = 8000;
    let bind = 0;
    let dir = ctx.cwd;
    const rest = args.slice(2);
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i];
      if (a === '--bind' || a === '-b') {
        const v = rest[++i] ?? '';
        const ip = parseIpv4(v);
        if (ip === null) {
          ctx.err(`usage: server.py [-h] [--cgi] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [port]\nserver.py: error: argument -b/--bind: invalid address: '${v}'\n`);
          return 2;
        }
        bind = ip;
      } else if (a === '--directory' || a === '-d') dir = rest[++i] ?? dir;
      else if (/^\d+$/.test(a)) port = Number(a);
      else {
        ctx.err(`usage: server.py [-h] [--cgi] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [port]\nserver.py: error: argument port: invalid int value: '${a}'\n`);
        return 2;
      }
    }
    const base = dir.startsWith('/') ? dir : `${ctx.cwd}/${dir}`;
    const host = ctx.host;
    const ns = ctx.ns;
    const files = () => ({
      names: ns.fs.list(base),
      read: (name: string) => {
        const r = ns.fs.read(`${base}/${name}`);
        return r.ok ? r.data : null;
      },
    });
    void host;
    const l = startHttpServer(ctx.ns, port, { flavor: 'python', addr: bind, owner: 'python3', pid: ctx.pid(), files, log: (line) => ctx.err(line) });
    if ('error' in l) {
      ctx.err(`Traceback (most recent call last):\n  File "<frozen runpy>", line 198, in _run_module_as_main\n  File "<frozen runpy>", line 88, in _run_code\n  File "/usr/lib/python3.11/http/server.py", line 1313, in <module>\n    test(\n  File "/usr/lib/python3.11/http/server.py", line 1260, in test\n    with ServerClass(addr, HandlerClass) as httpd:\n         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  File "/usr/lib/python3.11/socketserver.py", line 456, in __init__\n    self.server_bind()\n  File "/usr/lib/python3.11/http/server.py", line 1307, in server_bind\n    return super().server_bind()\n           ^^^^^^^^^^^^^^^^^^^^^\n  File "/usr/lib/python3.11/http/server.py", line 136, in server_bind\n    socketserver.TCPServer.server_bind(self)\n  File "/usr/lib/python3.11/socketserver.py", line 472, in server_bind\n    self.socket.bind(self.server_address)\nOSError: [Errno ${l.error === 'EADDRINUSE' ? '98] Address already in use' : '99] Cannot assign requested address'}\n`);
      return 1;
    }
    const shown = bind === 0 ? '0.0.0.0' : rest[rest.indexOf('--bind') + 1] ?? rest[rest.indexOf('-b') + 1];
    // sys.stdout: line-buffered on a terminal, block-buffered (8192 bytes) otherwise
    const buffered = !ctx.stdoutTty && !unbuffered;
    let pending = '';
    const print = (t: string) => {
      if (!buffered) return ctx.out(t);
      pending += t;
      if (pending.length >= 8192) {
        ctx.out(pending);
        pending = '';
      }
    };
    print(`Serving HTTP on ${shown} port ${port} (http://${shown}:${port}/) ...\n`);
    let alive = true;
    const daemon = {
      name: 'python3',
      kill() {
        alive = false;
        l.close();
      },
      get alive() {
        return alive;
      },
    };
    if (ctx.background) {
      ctx.spawn(daemon);
      return 0;
    }
    await ctx.wait(() => !alive, Infinity);
    daemon.kill();
    print('\nKeyboard interrupt received, exiting.\n');
    // a normal exit flushes what was buffered; a killed process loses it
    if (pending) ctx.out(pending);
    return 0;
  },
};
