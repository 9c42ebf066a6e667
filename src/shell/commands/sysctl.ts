/**
 * `sysctl` (procps-ng): read and write kernel parameters of the current network namespace.
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
    const items: string[] = [];
    for (const a of args) {
      if (a === '-w' || a === '--write') write = true;
      else if (a === '-q' || a === '--quiet') quiet = true;
      else if (a === '-n' || a === '--values') valueOnly = true;
      else if (a === '-a' || a === '-A' || a === '-X' || a === '--all') all = true;
      else if (a === '-e' || a === '--ignore') ignore = true;
      else if (a === '-N' || a === '--names' || a === '-b' || a === '--binary') continue;
      else if (a === '-p' || a === '--load' || a === '--system') {
        ctx.err(`sysctl: ${a}: loading settings from files is not supported in the simulator\n`);
        return 1;
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
