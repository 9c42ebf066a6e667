/**
 * Session and system commands: hostname, uname, date, sleep, jobs, kill, history, clear, help,
 * sudo, sh/bash, ssh, modprobe, lsmod, dmesg, id, whoami.
 */
import type { Command, CommandContext, Place } from '../context.ts';
import { SECOND } from '../../sim/engine/scheduler.ts';
import { EPOCH_MS, dateText } from '../../sim/engine/clock.ts';
import { parseIpv4 } from '../../sim/wire/addr.ts';
import { TcpConn } from '../../sim/transport/tcp.ts';
import { strerror } from '../../sim/net/types.ts';
import type { Host } from '../../sim/net/model.ts';
import { COMMANDS } from '../registry.ts';
import { sleepUntil } from '../wakeups.ts';

/** The kernel the simulator models: the one the conformance cases were recorded on. */
export const KERNEL_RELEASE = '6.18.44-fc-v782';

export const hostnameCommand: Command = {
  name: 'hostname',
  path: '/usr/bin/hostname',
  summary: 'show or set the host name',
  run(ctx) {
    const args = ctx.argv.slice(1);
    if (args[0] === '-I' || args[0] === '--all-ip-addresses') {
      const addrs = ctx.ns.allAddrs().filter((x) => x.a.scope === 'global').map((x) => x.a.addr);
      ctx.out(`${addrs.map((a) => `${ipStr(a)} `).join('')}\n`);
      return 0;
    }
    if (args[0] === '-i') {
      const local = ctx.ns.allAddrs().find((x) => x.a.scope === 'global');
      ctx.out(`${local ? ipStr(local.a.addr) : '127.0.1.1'}\n`);
      return 0;
    }
    if (args.length && !args[0].startsWith('-')) {
      if (ctx.container) {
        // a container's UTS namespace cannot be renamed without CAP_SYS_ADMIN
        ctx.err('hostname: you must be root to change the host name\n');
        return 1;
      }
      ctx.host.hostname = args[0];
      return 0;
    }
    ctx.out(`${ctx.hostname}\n`);
    return 0;
  },
};

function ipStr(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export const unameCommand: Command = {
  name: 'uname',
  path: '/usr/bin/uname',
  summary: 'print system information',
  run(ctx) {
    const a = ctx.argv.slice(1).join('');
    const parts: string[] = [];
    const all = a.includes('a');
    if (!a || all || a.includes('s')) parts.push('Linux');
    if (all || a.includes('n')) parts.push(ctx.hostname);
    if (all || a.includes('r')) parts.push(KERNEL_RELEASE);
    if (all || a.includes('v')) parts.push('#1 SMP PREEMPT_DYNAMIC');
    if (all || a.includes('m')) parts.push('x86_64');
    if (all || a.includes('o')) parts.push('GNU/Linux');
    ctx.out(`${parts.join(' ')}\n`);
    return 0;
  },
};

export const dateCommand: Command = {
  name: 'date',
  path: '/usr/bin/date',
  summary: 'print the (virtual) date and time',
  run(ctx) {
    if (ctx.argv[1] === '+%s') {
      ctx.out(`${Math.floor((EPOCH_MS + ctx.world.now / 1000) / 1000)}\n`);
      return 0;
    }
    ctx.out(`${dateText(ctx.world.now)}\n`);
    return 0;
  },
};

/** Parse `1`, `0.5`, `2s`, `1m` as sleep(1) does. */
function parseDuration(s: string): number | null {
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(s);
  if (!m) return null;
  const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * mult;
}

export const sleepCommand: Command = {
  name: 'sleep',
  path: '/usr/bin/sleep',
  summary: 'let virtual time pass',
  async run(ctx) {
    const args = ctx.argv.slice(1);
    if (!args.length) {
      ctx.err("sleep: missing operand\nTry 'sleep --help' for more information.\n");
      return 1;
    }
    let total = 0;
    for (const a of args) {
      // `sleep infinity` (coreutils and BusyBox read the number with strtod, which takes "inf")
      if (/^inf(inity)?$/i.test(a)) {
        total = Infinity;
        continue;
      }
      const d = parseDuration(a);
      if (d === null) {
        ctx.err(`sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`);
        return 1;
      }
      total += d;
    }
    const end = total === Infinity ? Infinity : ctx.world.now + Math.round(total * SECOND);
    if (ctx.background) {
      const world = ctx.world;
      let killed = false;
      ctx.spawn({ name: 'sleep', kill() { killed = true; }, get alive() { return !killed && world.now < end; } });
      return 0;
    }
    if (ctx.interrupt.passive && end !== Infinity) {
      // in a detached process: wake up when the clock gets there, without driving it
      await sleepUntil(ctx.world, end);
      return 0;
    }
    const ok = await ctx.wait(() => ctx.world.now >= end, end);
    return ok || ctx.world.now >= end ? 0 : 130;
  },
};

export const jobsCommand: Command = {
  name: 'jobs',
  path: '/usr/bin/jobs',
  summary: 'list background jobs',
  run(ctx) {
    const args = ctx.argv.slice(1);
    const pids = args.includes('-p');
    const long = args.includes('-l');
    for (const j of ctx.control.jobs()) {
      if (pids) ctx.out(`${j.pid}\n`);
      else if (long) ctx.out(`${j.status.replace(/^(\[\d+\]\+)  /, `$1 ${j.pid} `)}\n`);
      else ctx.out(`${j.status}\n`);
    }
    return 0;
  },
};

export const killCommand: Command = {
  name: 'kill',
  path: '/usr/bin/kill',
  summary: 'stop a background job (kill %1) or process',
  run(ctx) {
    const args = ctx.argv.slice(1).filter((a) => !/^-(\d+|[A-Z]+|s)$/.test(a) && a !== 'SIGTERM' && a !== 'SIGKILL' && a !== 'KILL' && a !== 'TERM');
    if (!args.length) {
      ctx.err('kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n');
      return 2;
    }
    let status = 0;
    for (const a of args) {
      if (a.startsWith('%')) {
        const spec = a.slice(1);
        const jobs = ctx.control.jobs();
        const id = spec === '' || spec === '%' || spec === '+' ? jobs[jobs.length - 1]?.id : spec === '-' ? jobs[jobs.length - 2]?.id : Number(spec);
        if (id === undefined || !ctx.control.killJob(id)) {
          ctx.err(`bash: kill: ${a}: no such job\n`);
          status = 1;
        }
      } else if (/^\d+$/.test(a)) {
        if (!ctx.control.killPid(Number(a))) {
          ctx.err(`bash: kill: (${a}) - No such process\n`);
          status = 1;
        }
      } else {
        ctx.err(`bash: kill: ${a}: arguments must be process or job IDs\n`);
        status = 1;
      }
    }
    return status;
  },
};

export const historyCommand: Command = {
  name: 'history',
  path: '/usr/bin/history',
  summary: 'list the commands typed so far',
  run(ctx) {
    const args = ctx.argv.slice(1);
    if (args[0] === '-c') {
      ctx.control.clearHistory();
      return 0;
    }
    const h = ctx.control.history();
    const n = args[0] && /^\d+$/.test(args[0]) ? Number(args[0]) : h.length;
    const start = Math.max(0, h.length - n);
    for (let i = start; i < h.length; i++) ctx.out(`${String(i + 1).padStart(5)}  ${h[i]}\n`);
    return 0;
  },
};

export const clearCommand: Command = {
  name: 'clear',
  path: '/usr/bin/clear',
  summary: 'clear the terminal screen',
  run(ctx) {
    ctx.out('\x1b[H\x1b[2J\x1b[3J');
    return 0;
  },
};

export const helpCommand: Command = {
  name: 'help',
  path: '/usr/bin/help',
  summary: 'list the commands this simulated Linux knows',
  run(ctx) {
    ctx.out('Packet Path simulated shell. These commands behave like the real tools (try `CMD --help` where the tool has one):\n\n');
    const names = [...COMMANDS.keys()].sort();
    for (const n of names) ctx.out(`  ${n.padEnd(16)}${COMMANDS.get(n)!.summary}\n`);
    ctx.out('\nShell builtins: cd pwd export unset echo printf test [ true false type command exit\nOperators: ; && || | > >> < 2>&1 <<EOF & $VAR $(...)\n');
    return 0;
  },
};

export const sudoCommand: Command = {
  name: 'sudo',
  path: '/usr/bin/sudo',
  summary: 'run a command as root (you already are root)',
  run(ctx) {
    const args = ctx.argv.slice(1).filter((a, i, all) => !(a.startsWith('-') && all.slice(0, i).every((x) => x.startsWith('-'))));
    if (!args.length) {
      ctx.err('usage: sudo -h | -K | -k | -V\nusage: sudo [-AbEHknPS] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-R directory] [-T timeout] [-u user] [VAR=value] [-i | -s] [command [arg ...]]\n');
      return 1;
    }
    return ctx.exec(args);
  },
};

export const shCommand: Command = {
  name: 'bash',
  path: '/usr/bin/bash',
  summary: 'run a shell (bash -c "CMD" runs one command line)',
  run(ctx) {
    const args = ctx.argv.slice(1);
    const place: Place = { host: ctx.host, ns: ctx.ns };
    if (args[0] === '-c') {
      if (args[1] === undefined) {
        ctx.err(`${ctx.argv[0]}: -c: option requires an argument\n`);
        return 2;
      }
      return ctx.shell(args[1], place);
    }
    if (args.length && !args[0].startsWith('-')) {
      const r = ctx.readFile(args[0]);
      if (!r.ok) {
        ctx.err(`${ctx.argv[0]}: ${args[0]}: ${strerror(r.errno)}\n`);
        return 127;
      }
      return ctx.shell(r.data, place);
    }
    if (ctx.stdin) return ctx.shell(ctx.stdin, place);
    return ctx.enterShell(place, 'shell');
  },
};

export const shAliasCommand: Command = { ...shCommand, name: 'sh', path: '/usr/bin/sh' };

/** Find a host by name, or by one of its addresses. */
function findHost(ctx: CommandContext, target: string): { host: Host; addr: number | null } | null {
  const byName = ctx.world.host(target);
  const ip = parseIpv4(target);
  for (const h of ctx.world.hosts.values()) {
    if (byName === h) {
      const a = h.root.allAddrs().find((x) => x.a.scope === 'global');
      return { host: h, addr: a ? a.a.addr : null };
    }
    if (ip !== null && h.root.allAddrs().some((x) => x.a.addr === ip)) return { host: h, addr: ip };
  }
  return null;
}

export const sshCommand: Command = {
  name: 'ssh',
  path: '/usr/bin/ssh',
  summary: 'log in to another host of the scenario (ssh HOST [CMD])',
  async run(ctx) {
    const args = ctx.argv.slice(1);
    const rest: string[] = [];
    // options, the destination, options again (OpenSSH parses once more after the host), then
    // the remote command, left alone from its first word on
    for (let i = 0; i < args.length; i++) {
      if (rest.length === 1 && !args[i].startsWith('-')) {
        rest.push(...args.slice(i));
        break;
      }
      if (args[i] === '-o' || args[i] === '-p' || args[i] === '-i' || args[i] === '-l') i++;
      else if (args[i].startsWith('-')) continue;
      else rest.push(args[i]);
    }
    if (!rest.length) {
      ctx.err('usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]\n           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]\n           [-J destination] [-L address] [-l login_name] [-m mac_spec]\n           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-R address]\n           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n           destination [command [argument ...]]\n');
      return 255;
    }
    const dest = rest[0].includes('@') ? rest[0].slice(rest[0].indexOf('@') + 1) : rest[0];
    const found = findHost(ctx, dest);
    if (!found || found.addr === null) {
      ctx.err(`ssh: Could not resolve hostname ${dest}: Name or service not known\n`);
      return 255;
    }
    // a real TCP connection to port 22 decides whether the login works
    if (found.host !== ctx.host) {
      const c = TcpConn.connect(ctx.ns, found.addr, 22, { owner: 'ssh', pid: ctx.pid() });
      const addrText = ipStr(found.addr);
      if ('error' in c) {
        ctx.err(`ssh: connect to host ${dest} port 22: ${strerror(c.error)}\n`);
        return 255;
      }
      let result: string | null = null;
      c.handlers = {
        onConnect: () => {
          result = 'ok';
        },
        onError: (e) => {
          result = e;
        },
      };
      await ctx.wait(() => result !== null, Infinity);
      if (result !== 'ok') {
        ctx.err(`ssh: connect to host ${dest === addrText ? addrText : dest} port 22: ${strerror(result ?? 'ETIMEDOUT')}\n`);
        if (c.state !== 'CLOSED') c.destroy();
        return 255;
      }
      c.close();
    }
    const place = { host: found.host, ns: found.host.root };
    if (rest.length === 1) return ctx.enterShell(place, 'ssh');
    return ctx.shell(rest.slice(1).join(' '), place);
  },
};

export const modprobeCommand: Command = {
  name: 'modprobe',
  path: '/usr/sbin/modprobe',
  summary: 'load a kernel module (this kernel has everything built in)',
  run(ctx) {
    const mods = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
    if (!mods.length) {
      ctx.err('modprobe: ERROR: missing parameters. See -h.\n');
      return 1;
    }
    ctx.err(`modprobe: FATAL: Module ${mods[0]} not found in directory /lib/modules/${KERNEL_RELEASE}\n`);
    return 1;
  },
};

export const lsmodCommand: Command = {
  name: 'lsmod',
  path: '/usr/sbin/lsmod',
  summary: 'list loaded kernel modules (none: everything is built in)',
  run(ctx) {
    ctx.out('Module                  Size  Used by\n');
    return 0;
  },
};

export const dmesgCommand: Command = {
  name: 'dmesg',
  path: '/usr/bin/dmesg',
  summary: 'print the kernel log (iptables LOG lines appear here)',
  run(ctx) {
    if (ctx.argv.includes('-c') || ctx.argv.includes('-C')) {
      if (ctx.argv.includes('-c')) for (const l of ctx.host.klog) ctx.out(`${l}\n`);
      ctx.host.klog.length = 0;
      return 0;
    }
    for (const l of ctx.host.klog) ctx.out(`${l}\n`);
    return 0;
  },
};

export const whoamiCommand: Command = {
  name: 'whoami',
  path: '/usr/bin/whoami',
  summary: 'print the user name',
  run(ctx) {
    ctx.out('root\n');
    return 0;
  },
};

export const idCommand: Command = {
  name: 'id',
  path: '/usr/bin/id',
  summary: 'print user and group ids',
  run(ctx) {
    ctx.out('uid=0(root) gid=0(root) groups=0(root)\n');
    return 0;
  },
};

/**
 * which (debianutils): the path of each named command, nothing for one that is not installed, and
 * status 1 when any was missing (also for no operand). Only commands with a file are found: a
 * shell builtin such as cd has none.
 */
export const whichCommand: Command = {
  name: 'which',
  path: '/usr/bin/which',
  summary: 'locate a command',
  run(ctx) {
    let all = false;
    const names: string[] = [];
    for (const a of ctx.argv.slice(1)) {
      if (a === '-a') all = true;
      else if (a.startsWith('-') && a.length > 1) {
        ctx.err(`Illegal option ${a}\nUsage: /usr/bin/which [-as] args\n`);
        return 2;
      } else names.push(a);
    }
    void all;
    let status = names.length ? 0 : 1;
    for (const n of names) {
      const c = n.includes('/') ? undefined : COMMANDS.get(n);
      if (c) ctx.out(`${c.path}\n`);
      else status = 1;
    }
    return status;
  },
};
