/**
 * What the BusyBox applets share: the banner their usage starts with, getopt as BusyBox's
 * getopt32 uses it (GNU getopt: options and operands may mix, `--` ends options), and the
 * messages of libbb (bb_error_msg, bb_show_usage, xatou).
 *
 * An applet runs with a `Bb`: the banner of the binary it belongs to. Alpine's applets (the
 * `busybox` flavour) print Alpine's; the host's /usr/bin/busybox (Debian's package) its own.
 */
import type { CommandContext } from '../../context.ts';
import { USAGE } from './usage.ts';
import { strerror } from '../../../sim/net/types.ts';
import type { AddrInfo } from '../../../sim/apps/dns.ts';
import { resolveHost } from '../net-util.ts';

export interface Bb {
  /** "BusyBox v1.36.1 (...) multi-call binary." */
  readonly banner: string;
  /** whose strerror() texts the messages use: Alpine links musl, Debian glibc */
  readonly libc: 'musl' | 'glibc';
  /**
   * The process name when run as `busybox APPLET` (argv[0] is then the binary, which is what
   * netstat -p shows); unset when the applet runs through its own link (`nc`, Alpine's way).
   */
  readonly comm?: string;
}

/** The name netstat -p and ss -p show for an applet's process. */
export function progName(bb: Bb, applet: string): string {
  return bb.comm ?? applet;
}

/**
 * What a process knows about its own sockets and the kernel's tables keep apart from the model:
 * the owning pid of a UDP socket, and whether a socket is an IPv6 one (BusyBox nc listens on
 * `::`, dual-stack, so /proc/net/tcp6 lists it and its connections as ::ffff:a.b.c.d). netstat
 * reads it; sockets nobody noted are IPv4 ones with an unknown pid.
 */
export interface SocketNote {
  readonly pid?: number;
  readonly v6?: boolean;
}
const SOCKET_NOTES = new WeakMap<object, SocketNote>();

export function noteSocket(sock: object, note: SocketNote): void {
  SOCKET_NOTES.set(sock, { ...SOCKET_NOTES.get(sock), ...note });
}

export function socketNote(sock: object): SocketNote {
  return SOCKET_NOTES.get(sock) ?? {};
}

/** musl's strerror texts where they differ from glibc's. */
const MUSL: Record<string, string> = {
  ENETUNREACH: 'Network unreachable',
  EHOSTUNREACH: 'Host is unreachable',
  ETIMEDOUT: 'Operation timed out',
  EADDRINUSE: 'Address in use',
  EADDRNOTAVAIL: 'Address not available',
  ECONNRESET: 'Connection reset by peer',
};

/** strerror() as the applet's C library words it. */
export function bbStrerror(bb: Bb, errno: string): string {
  if (bb.libc === 'musl' && errno in MUSL) return MUSL[errno];
  return strerror(errno);
}

/** The banner of Alpine's busybox (the flavour's applets). The build date is Alpine's 3.20 package's. */
export const ALPINE_BB: Bb = { banner: 'BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.', libc: 'musl' };
/** Debian 12's busybox package (1:1.35.0-4+deb12u1+b1), as recorded; its applets run as `busybox APPLET`. */
export const DEBIAN_BB: Bb = { banner: 'BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.', libc: 'glibc', comm: 'busybox' };

/** A failure already printed, with the exit status (xfunc_die). */
export class BbExit {
  readonly status: number;
  constructor(status: number) {
    this.status = status;
  }
}

/** bb_show_usage: the banner and the applet's usage on stderr; exit 1 (0 for --help). */
export function showUsage(ctx: CommandContext, bb: Bb, applet: string, status = 1): never {
  ctx.err(`${bb.banner}\n${USAGE[applet] ?? `\nUsage: ${applet}\n`}`);
  throw new BbExit(status);
}

/** bb_error_msg_and_die */
export function die(ctx: CommandContext, applet: string, msg: string, status = 1): never {
  ctx.err(`${applet}: ${msg}\n`);
  throw new BbExit(status);
}

export interface Parsed {
  /** each option letter (or long name) with its values in order; flags get '' */
  readonly opts: Map<string, string[]>;
  readonly args: string[];
}

/**
 * GNU getopt with BusyBox's option string: letters, `:` after one that takes a value. `longs`
 * maps long option names to a letter or to themselves (name ending in `=` takes a value).
 * Unknown options and missing values print getopt's message and the usage (exit 1).
 */
export function getopt(ctx: CommandContext, bb: Bb, applet: string, spec: string, longs: Record<string, string> = {}, stopAtFirstArg = false): Parsed {
  const takes = new Set<string>();
  const letters = new Set<string>();
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === ':' || c === '+') continue;
    letters.add(c);
    if (spec[i + 1] === ':') takes.add(c);
  }
  const opts = new Map<string, string[]>();
  const add = (k: string, v: string) => opts.set(k, [...(opts.get(k) ?? []), v]);
  const args: string[] = [];
  const argv = ctx.argv.slice(1);
  if (argv[0] === '--help') showUsage(ctx, bb, applet, 0);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const keys = Object.keys(longs).filter((k) => k.replace(/=$/, '').startsWith(name));
      const exact = keys.find((k) => k.replace(/=$/, '') === name);
      const key = exact ?? (keys.length === 1 ? keys[0] : undefined);
      if (key === undefined) {
        ctx.err(keys.length > 1 ? `${applet}: option '${a}' is ambiguous\n` : `${applet}: unrecognized option '${a}'\n`);
        showUsage(ctx, bb, applet);
      }
      const target = longs[key];
      if (key.endsWith('=')) {
        let v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) {
          ctx.err(`${applet}: option '--${key.slice(0, -1)}' requires an argument\n`);
          showUsage(ctx, bb, applet);
        }
        v ??= '';
        add(target, v);
      } else add(target, '');
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (!letters.has(c)) {
          ctx.err(`${applet}: invalid option -- '${c}'\n`);
          showUsage(ctx, bb, applet);
        }
        if (takes.has(c)) {
          let v = a.slice(j + 1);
          if (v === '') {
            const next = argv[++i];
            if (next === undefined) {
              ctx.err(`${applet}: option requires an argument -- '${c}'\n`);
              showUsage(ctx, bb, applet);
            }
            v = next;
          }
          add(c, v);
          break;
        }
        add(c, '');
      }
      continue;
    }
    if (stopAtFirstArg) {
      args.push(...argv.slice(i));
      break;
    }
    args.push(a);
  }
  return { opts, args };
}

export function has(p: Parsed, k: string): boolean {
  return p.opts.has(k);
}

export function last(p: Parsed, k: string): string | undefined {
  const v = p.opts.get(k);
  return v ? v[v.length - 1] : undefined;
}

export function count(p: Parsed, k: string): number {
  return p.opts.get(k)?.length ?? 0;
}

/** xatou_range / xatoi_positive: a decimal number in range, else "invalid number 'x'" (exit 1). */
export function xatou(ctx: CommandContext, applet: string, s: string, min = 0, max = 0xffffffff): number {
  if (!/^\d+$/.test(s)) die(ctx, applet, `invalid number '${s}'`);
  const n = Number(s);
  if (n < min || n > max) die(ctx, applet, `number ${s} is not in ${min}..${max} range`);
  return n;
}

/** parse_duration_str: seconds with an optional fraction and suffix (s, m, h, d). */
export function xduration(ctx: CommandContext, applet: string, s: string): number {
  const m = /^(\d*\.?\d*)([smhd]?)$/.exec(s);
  if (!m || m[1] === '' || m[1] === '.') die(ctx, applet, `invalid number '${s}'`);
  const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]] ?? 1;
  return Number(m[1]) * mult;
}

/** Run an applet body, turning a BbExit into its status. */
export async function runApplet(body: () => Promise<number> | number): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof BbExit) return e.status;
    throw e;
  }
}

/** gethostbyname for an applet: a literal or a name; interrupted counts as a failure to resolve. */
export async function bbLookup(ctx: CommandContext, name: string): Promise<AddrInfo> {
  const r = await resolveHost(ctx, name);
  return r ?? { ok: false, error: 'AGAIN' };
}

/** herror()'s words for a failed lookup (libbb's bb_herror_msg). */
export function herrorText(r: AddrInfo): string {
  if (r.ok) return '';
  return r.error === 'AGAIN' ? 'Host name lookup failure' : r.error === 'NODATA' ? 'No address associated with name' : 'Unknown host';
}
