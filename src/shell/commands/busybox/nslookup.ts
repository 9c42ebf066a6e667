/**
 * BusyBox `nslookup` (networking/nslookup.c, the "big" version): it sends its own queries (A and
 * AAAA for a name, PTR for an address) to the server given or to each nameserver of
 * /etc/resolv.conf, resending every timeout/retry seconds, and prints each answer as it comes:
 * "Non-authoritative answer:" before a non-authoritative one, "** server can't find" for an
 * error code (exit 1), a blank line after each.
 */
import type { CommandContext } from '../../context.ts';
import { SECOND } from '../../../sim/engine/scheduler.ts';
import { formatIpv4, parseIpv4, type Ipv4 } from '../../../sim/wire/addr.ts';
import type { DnsMessage } from '../../../sim/wire/packet.ts';
import { parseResolvConf } from '../../../sim/apps/dns.ts';
import { routeOutput } from '../../../sim/net/route.ts';
import { openDnsSocket, queryId, RCODES, reverseName, TYPE_A, TYPE_AAAA, TYPE_CNAME, TYPE_MX, TYPE_NS, TYPE_PTR, TYPE_SOA, TYPE_SRV, TYPE_TXT, TYPE_ANY } from '../dns-client.ts';
import { fileReader } from '../net-util.ts';
import { bbResolve } from './ping.ts';
import { die, showUsage, type Bb, bbStrerror } from './common.ts';

const QTYPES: Record<string, number> = { a: TYPE_A, cname: TYPE_CNAME, mx: TYPE_MX, txt: TYPE_TXT, ptr: TYPE_PTR, aaaa: TYPE_AAAA, srv: TYPE_SRV, ns: TYPE_NS, soa: TYPE_SOA, any: TYPE_ANY };
const ORDER = ['a', 'cname', 'mx', 'txt', 'ptr', 'aaaa', 'srv', 'ns', 'soa', 'any'];

interface Query {
  name: string;
  type: number;
  id: number;
  answered: boolean;
}

function recordLines(m: DnsMessage): string {
  let s = '';
  for (const r of m.answers) {
    switch (r.type) {
      case TYPE_A:
      case TYPE_AAAA:
        s += `Name:\t${r.name}\nAddress: ${r.data}\n`;
        break;
      case TYPE_CNAME:
        s += `${r.name}\tcanonical name = ${r.data}\n`;
        break;
      case TYPE_PTR:
        s += `${r.name}\tname = ${r.data}\n`;
        break;
      case TYPE_NS:
        s += `${r.name}\tnameserver = ${r.data}\n`;
        break;
      case TYPE_SRV: {
        const [prio, weight, port, target] = r.data.split(' ');
        s += `${r.name}\tservice = ${prio} ${weight} ${port} ${target}\n`;
        break;
      }
      default:
        break;
    }
  }
  return s;
}

export async function bbNslookup(ctx: CommandContext, bb: Bb): Promise<number> {
  const args = ctx.argv.slice(1);
  if (args[0] === '--help') showUsage(ctx, bb, 'nslookup', 0);
  let types: string[] = [];
  let port = 53;
  let retry = 2;
  let timeout = 5;
  let debug = false;
  let i = 0;
  const number = (v: string, min: number, max: number) => {
    if (!/^\d+$/.test(v)) die(ctx, 'nslookup', `invalid number '${v}'`);
    const n = Number(v);
    if (n < min || n > max) die(ctx, 'nslookup', `number ${v} is not in ${min}..${max} range`);
    return n;
  };
  for (; i < args.length && args[i].startsWith('-'); i++) {
    const a = args[i].slice(1);
    const eq = a.indexOf('=');
    const key = eq >= 0 ? a.slice(0, eq) : a;
    const val = eq >= 0 ? a.slice(eq + 1) : '';
    if (key === 'type' || key === 'querytype') {
      const t = val.toLowerCase();
      if (!(t in QTYPES)) die(ctx, 'nslookup', `invalid query type "${val}"`);
      if (!types.includes(t)) types.push(t);
    } else if (key === 'port') port = number(val, 1, 65535);
    else if (key === 'retry') retry = number(val, 1, 0x7fffffff);
    else if (key === 'debug') debug = true;
    else if (key === 't' || key === 'timeout') timeout = number(val, 1, 2147483);
    else showUsage(ctx, bb, 'nslookup');
  }
  const rest = args.slice(i);
  if (rest.length < 1 || rest.length > 2) showUsage(ctx, bb, 'nslookup');
  const target = rest[0];
  // the servers: the one given, else resolv.conf's, else localhost
  const servers: { name: string; addr: Ipv4 }[] = [];
  const conf = parseResolvConf(fileReader(ctx)('/etc/resolv.conf') ?? '');
  if (rest[1] !== undefined) servers.push({ name: rest[1], addr: await bbResolve(ctx, 'nslookup', rest[1]) });
  else {
    for (const s of conf.servers) servers.push({ name: formatIpv4(s), addr: s });
    if (!servers.length) servers.push({ name: '127.0.0.1', addr: parseIpv4('127.0.0.1')! });
  }
  // the queries: PTR for an address; else A and AAAA (or the -type list), with the search list
  // for a name without a dot
  const ns = ctx.ns;
  const queries: Query[] = [];
  const add = (type: number, name: string) => {
    if (type === TYPE_PTR || !conf.search.length || name.includes('.')) queries.push({ name, type, id: queryId(ns), answered: false });
    else for (const d of conf.search) queries.push({ name: `${name}.${d}`, type, id: queryId(ns), answered: false });
  };
  if (!types.length) {
    const ptr = reverseName(target);
    if (ptr) add(TYPE_PTR, ptr);
    else {
      add(TYPE_A, target);
      add(TYPE_AAAA, target);
    }
  } else {
    types = ORDER.filter((t) => types.includes(t));
    for (const t of types) add(QTYPES[t], target);
  }
  let exit = 0;
  const world = ctx.world;
  for (let k = 0; k < servers.length; k++) {
    const server = servers[k];
    // bind() and connect() the UDP socket: no route fails here
    const r = routeOutput(ns, server.addr);
    if (!r.ok) die(ctx, 'nslookup', `can't connect to remote host (${formatIpv4(server.addr)}): ${bbStrerror(bb, r.error)}`);
    let replies = 0;
    let out = 0;
    const sock = openDnsSocket(
      ns,
      server.addr,
      port,
      'nslookup',
      (m) => {
        const q = queries.find((x) => x.id === m.id);
        if (!q || q.answered) return;
        if (replies++ === 0) ctx.out(`Server:\t\t${server.name}\nAddress:\t${formatIpv4(server.addr)}:${port}\n\n`);
        q.answered = true;
        out++;
        if (debug) ctx.out(`Query #${queries.indexOf(q)} completed in ${0}ms:\n`);
        if (m.rcode !== 0) {
          ctx.out(`** server can't find ${q.name}: ${RCODES[m.rcode] ?? String(m.rcode)}\n`);
          exit = 1;
        } else {
          if (!m.authoritative) ctx.out('Non-authoritative answer:\n');
          else if (debug) ctx.out('authoritative answer:\n');
          ctx.out(recordLines(m));
        }
        ctx.out('\n');
      },
      (errno) => {
        // a refused port shows on the next read; failed ARP does not reach a UDP socket
        if (errno === 'ECONNREFUSED') ctx.err(`nslookup: read: ${bbStrerror(bb, errno)}\n`);
      },
    );
    if ('error' in sock) die(ctx, 'nslookup', `socket: ${bbStrerror(bb, sock.error)}`);
    const start = world.now;
    const end = start + timeout * SECOND;
    const interval = Math.floor((timeout * 1000) / retry) * 1000;
    const all = () => queries.every((q) => q.answered);
    let interrupted = false;
    while (world.now < end && !all()) {
      for (const q of queries) {
        if (q.answered) continue;
        const err = sock.send(q.id, q.name, q.type);
        if (err) {
          ctx.err(`nslookup: write to '${server.name}': ${bbStrerror(bb, err)}\n`);
          out = -1;
          break;
        }
      }
      if (out < 0) break;
      const ok = await ctx.wait(all, Math.min(end, world.now + interval));
      if (!ok && ctx.interrupt.interrupted) {
        interrupted = true;
        break;
      }
    }
    sock.close();
    if (interrupted) return 130;
    if (out > 0) break;
    if (k === servers.length - 1) {
      ctx.out(';; connection timed out; no servers could be reached\n\n');
      return 1;
    }
  }
  let missing = false;
  for (const q of queries) {
    if (!q.answered) {
      ctx.out(`*** Can't find ${q.name}: No answer\n`);
      missing = true;
    }
  }
  if (missing) ctx.out('\n');
  return exit;
}
