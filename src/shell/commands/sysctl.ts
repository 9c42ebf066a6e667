/**
 * `sysctl` (procps-ng 4.0.2, Debian 12): read and write kernel parameters of the current network
 * namespace, and load them from files: `-p [FILE...]` (default /etc/sysctl.conf) and `--system`
 * (every *.conf of /etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d, /usr/lib/sysctl.d and
 * /lib/sysctl.d, a name found earlier hiding the same name later, in name order, then
 * /etc/sysctl.conf). Each setting is written as its line is read, as 4.0.2 does.
 */
import type { Command } from '../context.ts';
import { allSysctlKeys, setSysctl, sysctlKey } from '../../sim/net/sysctl.ts';
import { strerror } from '../../sim/net/types.ts';

export const sysctlCommand: Command = {
  name: 'sysctl',
  path: '/usr/sbin/sysctl',
  summary: 'read or set kernel parameters (net.ipv4.ip_forward, net.bridge.bridge-nf-call-iptables, ...)',
  run(ctx) {
    const args = ctx.argv.slice(1);
    let write = false;
    let quiet = false;
    let valueOnly = false;
    let all = false;
    let ignore = false;
    let load: string[] | null = null;
    let system = false;
    const items: string[] = [];
    for (const a of args) {
      if (a === '-w' || a === '--write') write = true;
      else if (a === '-q' || a === '--quiet') quiet = true;
      else if (a === '-n' || a === '--values') valueOnly = true;
      else if (a === '-a' || a === '-A' || a === '-X' || a === '--all') all = true;
      else if (a === '-e' || a === '--ignore') ignore = true;
      else if (a === '-N' || a === '--names' || a === '-b' || a === '--binary') continue;
      else if (a === '-p' || a === '-f' || a === '--load') load = [];
      else if (/^-p./.test(a) || a.startsWith('--load=')) load = [a.startsWith('--load=') ? a.slice(7) : a.slice(2)];
      else if (a === '--system') {
        system = true;
        ignore = true;
      } else if (a.startsWith('-') && a !== '-') {
        ctx.err(`sysctl: invalid option -- '${a.replace(/^-+/, '')}'\nUsage:\n sysctl [options] [variable[=value] ...]\n`);
        return 255;
      } else items.push(a);
    }
    const ns = ctx.ns;
    const show = (key: string, v: string) => {
      if (valueOnly) ctx.out(`${v}\n`);
      else ctx.out(`${key} = ${v}\n`);
    };
    if (all) {
      for (const k of allSysctlKeys(ns)) show(k, ns.sysctlGet(k)!);
      return 0;
    }
    /** One setting from a file or the command line: written, echoed, or an error. */
    const apply = (key: string, value: string, ignoreFailure: boolean): number => {
      const err = setSysctl(ns, key, value);
      if (err === 'ENOENT') {
        if (ignore || ignoreFailure) return 0;
        ctx.err(`sysctl: cannot stat /proc/sys/${key.replaceAll('.', '/')}: No such file or directory\n`);
        return 255;
      }
      if (err) {
        ctx.err(`sysctl: setting key "${key}"${ignoreFailure ? ', ignoring' : ''}: ${strerror(err)}\n`);
        return ignoreFailure ? 0 : 255;
      }
      if (!quiet) show(key, ns.sysctlGet(key)!);
      return 0;
    };
    /** Preload: `key = value` lines; `#` and `;` start comments, a leading `-` ignores failures. */
    const preload = (file: string): number => {
      const r = ctx.readFile(file);
      if (!r.ok) {
        ctx.err(`sysctl: cannot open "${file}": No such file or directory\n`);
        return 255;
      }
      let rc = 0;
      r.data.split('\n').forEach((raw, i) => {
        let line = raw.trim();
        if (line.length < 2 || line[0] === '#' || line[0] === ';') return;
        const eq = line.indexOf('=');
        if (eq < 0) {
          ctx.err(`sysctl: ${file}(${i + 1}): invalid syntax, continuing...\n`);
          return;
        }
        let ignoreFailure = false;
        if (line[0] === '-') {
          ignoreFailure = true;
          line = line.slice(1);
        }
        const key = sysctlKey(line.slice(0, line.indexOf('=')).trim());
        rc |= apply(key, line.slice(line.indexOf('=') + 1).trim(), ignoreFailure);
      });
      return rc;
    };
    if (load) {
      const files = load.length ? load : items.length ? [] : ['/etc/sysctl.conf'];
      let rc = 0;
      for (const f of [...files, ...items]) rc |= preload(f);
      return rc;
    }
    if (system) {
      const seen = new Map<string, string>();
      for (const dir of ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d']) {
        const l = ctx.listDir(dir);
        if (!l.ok) continue;
        for (const n of l.names) if (n.endsWith('.conf') && n.length >= 5 && !seen.has(n) && ctx.statPath(`${dir}/${n}`) === 'file') seen.set(n, `${dir}/${n}`);
      }
      let rc = 0;
      for (const n of [...seen.keys()].sort()) {
        if (!quiet) ctx.out(`* Applying ${seen.get(n)} ...\n`);
        rc |= preload(seen.get(n)!);
      }
      if (ctx.statPath('/etc/sysctl.conf') === 'file') {
        if (!quiet) ctx.out('* Applying /etc/sysctl.conf ...\n');
        rc |= preload('/etc/sysctl.conf');
      }
      if (!items.length) return rc;
    }
    if (!items.length) {
      ctx.err('\nUsage:\n sysctl [options] [variable[=value] ...]\n\nOptions:\n  -a, --all            display all variables\n  -A                   alias of -a\n  -X                   alias of -a\n      --deprecated     include deprecated parameters to listing\n  -b, --binary         print value without new line\n  -e, --ignore         ignore unknown variables errors\n  -N, --names          print variable names without values\n  -n, --values         print only values of the given variable(s)\n  -p, --load[=<file>]  read values from file\n  -f                   alias of -p\n      --system         read values from all system directories\n  -r, --pattern <expression>\n                       select setting that match expression\n  -q, --quiet          do not echo variable set\n  -w, --write          enable writing a value to variable\n  -o                   does nothing\n  -x                   does nothing\n  -d                   alias of -h\n\n -h, --help     display this help and exit\n -V, --version  output version information and exit\n\nFor more details see sysctl(8).\n');
      return 255;
    }
    let status = 0;
    for (const item of items) {
      const eq = item.indexOf('=');
      if (eq >= 0 || write) {
        if (eq < 0) {
          ctx.err(`sysctl: "${item}" must be of the form name=value\n`);
          status = 255;
          continue;
        }
        const key = sysctlKey(item.slice(0, eq).trim());
        const value = item.slice(eq + 1);
        if (value === '') {
          ctx.err(`sysctl: malformed setting "${item}"\n`);
          status = 255;
          continue;
        }
        const err = setSysctl(ns, key, value);
        if (err === 'ENOENT') {
          if (!ignore) {
            ctx.err(`sysctl: cannot stat /proc/sys/${key.replaceAll('.', '/')}: No such file or directory\n`);
            status = 255;
          }
          continue;
        }
        if (err) {
          ctx.err(`sysctl: setting key "${key}": ${strerror(err)}\n`);
          status = 255;
          continue;
        }
        if (!quiet) show(key, ns.sysctlGet(key)!);
        continue;
      }
      const key = sysctlKey(item);
      const v = ns.sysctlGet(key);
      if (v === undefined) {
        // a directory lists every key under it
        const under = allSysctlKeys(ns).filter((k) => k.startsWith(`${key}.`));
        if (under.length) {
          for (const k of under) show(k, ns.sysctlGet(k)!);
          continue;
        }
        if (!ignore) {
          ctx.err(`sysctl: cannot stat /proc/sys/${key.replaceAll('.', '/')}: No such file or directory\n`);
          status = 1;
        }
        continue;
      }
      show(key, v);
    }
    return status;
  },
  complete(_args, partial, place) {
    return allSysctlKeys(place.ns).filter((k) => k.startsWith(partial));
  },
};
