/**
 * Helpers shared by the network client tools: waiting for a callback from the simulation, name
 * resolution with the process's view of /etc/hosts and /etc/resolv.conf, reverse lookups.
 */
import type { CommandContext } from '../context.ts';
import { getaddrinfo, hostsLookup, type AddrInfo } from '../../sim/apps/dns.ts';
import { formatIpv4, parseIpv4, type Ipv4 } from '../../sim/wire/addr.ts';

/** Start an operation that reports through a callback, and let virtual time pass until it does. */
export async function awaitCallback<T>(ctx: CommandContext, start: (done: (v: T) => void) => void, deadline = Infinity): Promise<T | null> {
  let result: { v: T } | null = null;
  start((v) => {
    if (!result) result = { v };
  });
  await ctx.wait(() => result !== null, deadline);
  const r = result as { v: T } | null;
  return r ? r.v : null;
}

/** A file as the process sees it, or null. */
export function fileReader(ctx: CommandContext): (path: string) => string | null {
  return (path) => {
    const r = ctx.readFile(path);
    return r.ok ? r.data : null;
  };
}

/** getaddrinfo from the command's namespace; null when interrupted. */
export function resolveHost(ctx: CommandContext, name: string): Promise<AddrInfo | null> {
  return awaitCallback<AddrInfo>(ctx, (done) => getaddrinfo(ctx.ns, name, fileReader(ctx), done));
}

/** getnameinfo from /etc/hosts: a name for an address, or null. */
export function reverseName(ctx: CommandContext, ip: Ipv4): string | null {
  const hosts = fileReader(ctx)('/etc/hosts');
  if (!hosts) return null;
  for (const raw of hosts.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const [addr, name] = line.split(/\s+/);
    if (name && parseIpv4(addr) === ip) return name;
  }
  return null;
}

/** "name (addr)" as iputils prints a peer when the target was a name; "addr" otherwise. */
export function peerText(ctx: CommandContext, ip: Ipv4, numeric: boolean): string {
  const a = formatIpv4(ip);
  if (numeric) return a;
  return `${reverseName(ctx, ip) ?? a} (${a})`;
}

export { hostsLookup };

/** iputils' RTT formatting: 3 significant decimals below 1 ms, fewer above. */
export function rttText(us: number): string {
  if (us >= 100000 - 50) return `${Math.floor((us + 500) / 1000)}`;
  if (us >= 10000 - 5) return `${Math.floor((us + 50) / 1000)}.${Math.floor(((us + 50) % 1000) / 100)}`;
  if (us >= 1000) return `${Math.floor((us + 5) / 1000)}.${String(Math.floor(((us + 5) % 1000) / 10)).padStart(2, '0')}`;
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;
}

/** Parse a positive decimal number of seconds (ping -i, -W). */
export function parseSeconds(s: string): number | null {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(s)) return null;
  return Number(s);
}
