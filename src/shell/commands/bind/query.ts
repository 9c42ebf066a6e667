/**
 * One query as bind's tools (dig, nslookup, host from bind 9.18) send it: UDP to one server,
 * `tries` attempts of `time` seconds each, a failure callback per attempt ("communications error
 * ... timed out"), and the answer with its round-trip time.
 */
import type { CommandContext } from '../../context.ts';
import { SECOND } from '../../../sim/engine/scheduler.ts';
import type { Ipv4 } from '../../../sim/wire/addr.ts';
import type { DnsMessage } from '../../../sim/wire/packet.ts';
import { routeOutput } from '../../../sim/net/route.ts';
import { parseResolvConf } from '../../../sim/apps/dns.ts';
import { openDnsSocket, queryId } from '../dns-client.ts';
import { fileReader } from '../net-util.ts';

export const DIG_VERSION = '9.18.49-1~deb12u3-Debian';

export type QueryOutcome =
  | { kind: 'answer'; msg: DnsMessage; rttMs: number }
  | { kind: 'failed'; why: 'timed out' | 'connection refused' }
  | { kind: 'setup'; errno: string }
  | { kind: 'interrupted' };

/** Lower-case errno text as isc_result_totext gives it ("network unreachable"). */
export function iscText(errno: string): string {
  switch (errno) {
    case 'ENETUNREACH':
      return 'network unreachable';
    case 'EHOSTUNREACH':
      return 'host unreachable';
    case 'ECONNREFUSED':
      return 'connection refused';
    default:
      return errno.toLowerCase();
  }
}

export async function bindQuery(ctx: CommandContext, server: Ipv4, port: number, qname: string, qtype: number, time: number, tries: number, onTryFailed: (why: 'timed out' | 'connection refused') => void): Promise<QueryOutcome> {
  const ns = ctx.ns;
  const world = ctx.world;
  const r = routeOutput(ns, server);
  if (!r.ok) return { kind: 'setup', errno: r.error };
  let last: 'timed out' | 'connection refused' = 'timed out';
  for (let t = 0; t < Math.max(1, tries); t++) {
    const id = queryId(ns);
    let answer: DnsMessage | null = null;
    let refused = false;
    const sock = openDnsSocket(
      ns,
      server,
      port,
      'dig',
      (m) => {
        if (m.id === id && !answer) answer = m;
      },
      (errno) => {
        if (errno === 'ECONNREFUSED') refused = true;
      },
    );
    if ('error' in sock) return { kind: 'setup', errno: sock.error };
    const sent = world.now;
    const err = sock.send(id, qname, qtype);
    if (err) {
      sock.close();
      return { kind: 'setup', errno: err };
    }
    const ok = await ctx.wait(() => answer !== null || refused, sent + Math.max(1, time) * SECOND);
    sock.close();
    if (answer) return { kind: 'answer', msg: answer, rttMs: Math.floor((world.now - sent) / 1000) };
    if (!ok && ctx.interrupt.interrupted) return { kind: 'interrupted' };
    last = refused ? 'connection refused' : 'timed out';
    onTryFailed(last);
  }
  return { kind: 'failed', why: last };
}

/** The first nameserver of /etc/resolv.conf (bind's tools fall back to 127.0.0.1). */
export function resolvConfServer(ctx: CommandContext): { servers: Ipv4[]; search: string[]; ndots: number } {
  const conf = parseResolvConf(fileReader(ctx)('/etc/resolv.conf') ?? '');
  return { servers: conf.servers.length ? conf.servers : [0x7f000001], search: conf.search, ndots: conf.ndots };
}
