/**
 * bind 9.18 `dig`: the full default output (banner, header, flags, OPT pseudosection, question
 * and answer sections aligned with tabs, query time, server, date, message size), `+short`,
 * `@server`, `-x`, `-p`, `+time`, `+tries`/`+retry`, `+[no]recurse` and the section switches.
 * Exit 0 on any answer (NXDOMAIN included), 9 when no server answered, 10 on a bad server name.
 * The simulated servers are taken to answer with EDNS (udp 1232), as dnsmasq and bind do.
 */
import type { CommandContext } from '../../context.ts';
import { dayName, monthName, wallClock } from '../../../sim/engine/clock.ts';
import { formatIpv4, parseIpv4, type Ipv4 } from '../../../sim/wire/addr.ts';
import type { DnsMessage } from '../../../sim/wire/packet.ts';
import { fqdn, RCODES, rdataText, reverseName, TYPE_A, TYPE_NAMES, typeByName, wireSize, TYPE_PTR, TYPE_NS } from '../dns-client.ts';
import { resolveHost } from '../net-util.ts';
import { bindQuery, DIG_VERSION, iscText, resolvConfServer } from './query.ts';

/** The column a line has reached, tabs expanded to 8. */
function column(s: string): number {
  let c = 0;
  for (const ch of s) c = ch === '\t' ? (Math.floor(c / 8) + 1) * 8 : c + 1;
  return c;
}

/** Pad with tabs to a column, at least one tab (bind's text output). */
function tabTo(s: string, col: number): string {
  let out = `${s}\t`;
  while (column(out) < col) out += '\t';
  return out;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `Mon Nov 23 09:29:19 UTC 2026` (strftime "%a %b %d %H:%M:%S %Z %Y"). */
export function digDate(now: number): string {
  const c = wallClock(now);
  return `${dayName(c)} ${monthName(c)} ${two(c.d)} ${two(c.h)}:${two(c.mi)}:${two(c.s)} UTC ${c.y}`;
}

interface DigOpts {
  short: boolean;
  cmd: boolean;
  comments: boolean;
  question: boolean;
  answer: boolean;
  stats: boolean;
  recurse: boolean;
  time: number;
  tries: number;
}

export async function digMain(ctx: CommandContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const o: DigOpts = { short: false, cmd: true, comments: true, question: true, answer: true, stats: true, recurse: true, time: 5, tries: 3 };
  let serverText: string | null = null;
  let name: string | null = null;
  let qtype: number | null = null;
  let port = 53;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('@')) serverText = a.slice(1);
    else if (a.startsWith('+')) {
      const [key, val] = a.slice(1).split('=');
      const neg = key.startsWith('no');
      const k = neg ? key.slice(2) : key;
      const on = !neg;
      if (k === 'short') o.short = on;
      else if (k === 'cmd') o.cmd = on;
      else if (k === 'comments') o.comments = on;
      else if (k === 'question') o.question = on;
      else if (k === 'answer') o.answer = on;
      else if (k === 'stats') o.stats = on;
      else if (k === 'all') {
        o.cmd = o.comments = o.question = o.answer = o.stats = on;
      } else if (k === 'recurse') o.recurse = on;
      else if (k === 'time' || k === 'timeout') o.time = Math.max(1, Number(val) || 1);
      else if (k === 'tries') o.tries = Math.max(1, Number(val) || 1);
      else if (k === 'retry') o.tries = Math.max(0, Number(val) || 0) + 1;
      else if (['search', 'nssearch', 'trace', 'tcp', 'vc', 'dnssec', 'cookie', 'edns', 'identify', 'ttlid', 'class', 'multiline', 'nocookie'].includes(k)) {
        // accepted, not modelled
      } else {
        ctx.err(`Invalid option: +${key}\nUsage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n            {global-d-opt} host [@local-server] {local-d-opt}\n            [ host [@local-server] {local-d-opt} [...]]\n\nUse "dig -h" (or "dig -h | more") for complete list of options\n`);
        return 1;
      }
    } else if (a === '-x') {
      const v = args[++i] ?? '';
      const r = reverseName(v);
      if (!r) {
        ctx.err(`Invalid IP address ${v}\n`);
        return 1;
      }
      name = r;
      qtype ??= TYPE_PTR;
    } else if (a === '-p') port = Number(args[++i] ?? '53') || 53;
    else if (a === '-t') qtype = typeByName(args[++i] ?? '') ?? TYPE_A;
    else if (a === '-4' || a === '-6' || a === '-c') {
      if (a === '-c') i++;
    } else if (a === '-q') name = args[++i] ?? name;
    else if (a.startsWith('-')) {
      ctx.err(`Invalid option: ${a}\n`);
      return 1;
    } else if (name !== null && typeByName(a) !== null && qtype === null) qtype = typeByName(a);
    else if (a.toUpperCase() === 'IN' && name !== null) continue;
    else if (name === null) name = a;
    else if (typeByName(a) !== null) qtype = typeByName(a);
    else name = a;
  }
  if (name === null) {
    name = '.';
    qtype ??= TYPE_NS;
  }
  qtype ??= TYPE_A;
  let server: Ipv4;
  let serverName: string;
  if (serverText !== null) {
    const lit = parseIpv4(serverText);
    if (lit !== null) server = lit;
    else {
      const r = await resolveHost(ctx, serverText);
      if (r === null) return 130;
      if (!r.ok) {
        ctx.err(`dig: couldn't get address for '${serverText}': not found\n`);
        return 10;
      }
      server = r.addr;
    }
    serverName = formatIpv4(server);
  } else {
    server = resolvConfServer(ctx).servers[0];
    serverName = formatIpv4(server);
  }
  const qname = name === '.' ? '.' : fqdn(name);
  const banner = () => {
    if (o.short || !o.cmd) return '';
    return `\n; <<>> DiG ${DIG_VERSION} <<>> ${args.join(' ')}\n${serverText !== null ? '; (1 server found)\n' : ''};; global options: +cmd\n`;
  };
  const out = await bindQuery(ctx, server, port, name === '.' ? '' : name.replace(/\.$/, ''), qtype, o.time, o.tries, (why) => {
    ctx.out(`;; communications error to ${serverName}#${port}: ${why}\n`);
  });
  if (out.kind === 'interrupted') return 130;
  if (out.kind === 'setup') {
    for (let t = 0; t < o.tries; t++) ctx.out(`;; UDP setup with ${serverName}#${port}(${serverName}) for ${name} failed: ${iscText(out.errno)}.\n;; no servers could be reached\n`);
    return 9;
  }
  if (out.kind === 'failed') {
    ctx.out(`${banner()};; no servers could be reached\n`);
    return 9;
  }
  const m = out.msg;
  if (o.short) {
    for (const r of m.answers) ctx.out(`${rdataText(r)}\n`);
    return 0;
  }
  ctx.out(printMessage(ctx, banner(), m, qname, qtype, o, serverName, port, out.rttMs));
  return 0;
}

function printMessage(ctx: CommandContext, banner: string, m: DnsMessage, qname: string, qtype: number, o: DigOpts, server: string, port: number, rtt: number): string {
  let s = banner;
  const typeName = TYPE_NAMES[qtype] ?? `TYPE${qtype}`;
  if (o.comments) {
    const flags = ['qr'];
    if (m.authoritative) flags.push('aa');
    if (o.recurse) flags.push('rd');
    if (m.recursionAvailable ?? true) flags.push('ra');
    s += ';; Got answer:\n';
    s += `;; ->>HEADER<<- opcode: QUERY, status: ${RCODES[m.rcode] ?? m.rcode}, id: ${m.id}\n`;
    s += `;; flags: ${flags.join(' ')}; QUERY: 1, ANSWER: ${m.answers.length}, AUTHORITY: 0, ADDITIONAL: ${m.plain ? 0 : 1}\n\n`;
    if (!m.plain) s += ';; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n';
  }
  if (o.question) {
    if (o.comments) s += ';; QUESTION SECTION:\n';
    s += `${tabTo(tabTo(`;${qname}`, 24), 32)}IN\t${typeName}\n`;
  }
  if (o.answer && m.answers.length) {
    if (o.comments || o.question) s += '\n';
    if (o.comments) s += ';; ANSWER SECTION:\n';
    for (const r of m.answers) {
      const t = TYPE_NAMES[r.type] ?? `TYPE${r.type}`;
      s += `${tabTo(`${tabTo(`${tabTo(`${tabTo(fqdn(r.name), 24)}${r.ttl}`, 32)}IN`, 40)}${t}`, 48)}${rdataText(r)}\n`;
    }
  }
  if (o.stats) {
    s += '\n';
    s += `;; Query time: ${rtt} msec\n;; SERVER: ${server}#${port}(${server}) (UDP)\n;; WHEN: ${digDate(ctx.world.now)}\n;; MSG SIZE  rcvd: ${wireSize(m, true)}\n\n`;
  } else if (o.comments || o.question || o.answer) s += '\n';
  return s;
}
