/**
 * The host's `busybox` (Debian 12's package, /usr/bin/busybox): `busybox APPLET ARGS` runs the
 * applet (BusyBox's network applets as Alpine builds them, see README of the tools fixtures);
 * with no argument it prints the banner and the list of applets of Debian's binary; an unknown
 * applet is "APPLET: applet not found" (exit 127).
 */
import type { Command } from '../../context.ts';
import { DEBIAN_BB } from './common.ts';
import { DEBIAN_BUSYBOX_HELP } from './usage.ts';
import { APPLETS, runBb } from './applets.ts';

export const busyboxCommand: Command = {
  name: 'busybox',
  path: '/usr/bin/busybox',
  summary: 'BusyBox multi-call binary: busybox ping, busybox wget, busybox nslookup ...',
  async run(ctx) {
    const args = ctx.argv.slice(1);
    if (!args.length || args[0] === '--help') {
      ctx.out(DEBIAN_BUSYBOX_HELP);
      return 0;
    }
    if (args[0] === '--list') {
      ctx.out(`${[...APPLETS.keys()].sort().join('\n')}\n`);
      return 0;
    }
    const name = args[0].slice(args[0].lastIndexOf('/') + 1);
    if (!APPLETS.has(name)) {
      ctx.err(`${name}: applet not found\n`);
      return 127;
    }
    return runBb(name, { ...ctx, argv: args }, DEBIAN_BB);
  },
  complete(args, partial) {
    if (args.length === 0) return [...APPLETS.keys()].filter((n) => n.startsWith(partial));
    return [];
  },
};
