/**
 * bind 9.18's `nslookup` and `host` (nicolaka/netshoot ships them with `dig`), non-interactive:
 * `nslookup NAME [SERVER]`, `host [-t TYPE] NAME [SERVER]`, their answer formats, NXDOMAIN
 * (exit 1) and unreachable servers (exit 1). The `dig` command is in dig.ts.
 */
import type { Command, CommandContext } from '../../context.ts';
import { formatIpv4, parseIpv4, type Ipv4 } from '../../../sim/wire/addr.ts';
import type { DnsMessage } from '../../../sim/wire/packet.ts';
import { RCODES, rdataText, reverseName, TYPE_A, TYPE_AAAA, TYPE_CNAME, TYPE_MX, TYPE_PTR, TYPE_SRV, TYPE_NAMES, typeByName } from '../dns-client.ts';
import { resolveHost } from '../net-util.ts';
import { bindQuery, resolvConfServer, type QueryOutcome } from './query.ts';
import { digMain } from './dig.ts';

async function serverArg(ctx: CommandContext, text: string | undefined, tool: string): Promise<{ addr: Ipv4; name: string; given: boolean } | number> {
  if (text === undefined) {
    const a = resolvConfServer(ctx).servers[0];
    return { addr: a, name: formatIpv4(a), given: false };
  }
  const lit = parseIpv4(text);
  if (lit !== null) return { addr: lit, name: text, given: true };
  const r = await resolveHost(ctx, text);
  if (r === null) return 130;
  if (!r.ok) {
    ctx.err(tool === 'host' ? `host: couldn't get address for '${text}': not found\n` : `nslookup: couldn't get address for '${text}': not found\n`);
    return 1;
  }
  return { addr: r.addr, name: text, given: true };
}

export async function nslookupMain(ctx: CommandContext): Promise<number> {
  let timeout = 2;
  let tries = 3;
  let qtype: number | null = null;
  const pos: string[] = [];
  for (const a of ctx.argv.slice(1)) {
    if (a.startsWith('-') && a.length > 1) {
      const [k, v] = a.slice(1).split('=');
      if (k === 'timeout') timeout = Number(v) || 2;
      else if (k === 'retry') tries = Math.max(1, Number(v) || 1);
      else if (k === 'type' || k === 'querytype' || k === 'q') qtype = typeByName(v ?? '') ?? TYPE_A;
      continue;
    }
    pos.push(a);
  }
  if (!pos.length) {
    ctx.err('nslookup: the interactive mode is not available in this simulator; give a name\n');
    return 1;
  }
  const target = pos[0];
  const sv = await serverArg(ctx, pos[1], 'nslookup');
  if (typeof sv === 'number') return sv;
  const ptr = reverseName(target);
  const header = `Server:\t\t${sv.name}\nAddress:\t${formatIpv4(sv.addr)}#53\n\n`;
  const fail = (o: QueryOutcome): number | null => {
    if (o.kind === 'interrupted') return 130;
    if (o.kind === 'setup') {
      ctx.out(`;; UDP setup with ${formatIpv4(sv.addr)}#53(${formatIpv4(sv.addr)}) for ${target} failed: network unreachable.\n;; no servers could be reached\n\n`);
      return 1;
    }
    if (o.kind === 'failed') {
      ctx.out(';; no servers could be reached\n\n');
      return 1;
    }
    return null;
  };
  const commError = (why: string) => ctx.out(`;; communications error to ${formatIpv4(sv.addr)}#53: ${why}\n`);
  if (ptr && qtype === null) {
    const o = await bindQuery(ctx, sv.addr, 53, ptr, TYPE_PTR, timeout, tries, commError);
    const f = fail(o);
    if (f !== null) return f;
    const m = (o as { msg: DnsMessage }).msg;
    if (m.rcode !== 0) {
      ctx.out(`** server can't find ${ptr}: ${RCODES[m.rcode]}\n\n`);
      return 1;
    }
    let s = m.authoritative ? '' : 'Non-authoritative answer:\n';
    for (const r of m.answers) if (r.type === TYPE_PTR) s += `${r.name}\tname = ${rdataText(r)}\n`;
    ctx.out(`${s}\n`);
    return 0;
  }
  const types = qtype !== null ? [qtype] : [TYPE_A, TYPE_AAAA];
  let printedHeader = false;
  let printedNonAuth = false;
  let status = 0;
  for (const t of types) {
    const o = await bindQuery(ctx, sv.addr, 53, target.replace(/\.$/, ''), t, timeout, tries, commError);
    const f = fail(o);
    if (f !== null) return f;
    const m = (o as { msg: DnsMessage }).msg;
    if (!printedHeader) {
      ctx.out(header);
      printedHeader = true;
    }
    if (m.rcode !== 0) {
      ctx.out(`** server can't find ${target}: ${RCODES[m.rcode]}\n\n`);
      return 1;
    }
    if (!m.answers.length) continue;
    let s = '';
    if (!m.authoritative && !printedNonAuth) {
      s += 'Non-authoritative answer:\n';
      printedNonAuth = true;
    }
    for (const r of m.answers) {
      if (r.type === TYPE_CNAME) s += `${r.name}\tcanonical name = ${rdataText(r)}\n`;
      else if (r.type === TYPE_A || r.type === TYPE_AAAA) s += `Name:\t${r.name}\nAddress: ${r.data}\n`;
      else if (r.type === TYPE_MX) s += `${r.name}\tmail exchanger = ${rdataText(r)}\n`;
      else if (r.type === TYPE_SRV) s += `${r.name}\tservice = ${rdataText(r)}\n`;
      else s += `${r.name}\t${(TYPE_NAMES[r.type] ?? '').toLowerCase()} = ${rdataText(r)}\n`;
    }
    ctx.out(s);
    status = 0;
  }
  ctx.out('\n');
  return status;
}

export async function hostMain(ctx: CommandContext): Promise<number> {
  let qtype: number | null = null;
  let timeout = 5;
  let tries = 2;
  const pos: string[] = [];
  const args = ctx.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-t') {
      const t = args[++i] ?? '';
      qtype = typeByName(t);
      if (qtype === null) {
        ctx.err(`host: invalid type: ${t}\n`);
        return 1;
      }
    } else if (a === '-W') timeout = Number(args[++i]) || 1;
    else if (a === '-R') tries = Math.max(1, Number(args[++i]) || 1);
    else if (a.startsWith('-')) continue;
    else pos.push(a);
  }
  if (!pos.length) {
    ctx.err('Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]\n');
    return 1;
  }
  const target = pos[0];
  const sv = await serverArg(ctx, pos[1], 'host');
  if (typeof sv === 'number') return sv;
  let head = sv.given ? `Using domain server:\nName: ${sv.name}\nAddress: ${formatIpv4(sv.addr)}#53\nAliases: \n\n` : '';
  const ptr = reverseName(target);
  const qname = ptr && qtype === null ? ptr : target.replace(/\.$/, '');
  const types = qtype !== null ? [qtype] : ptr ? [TYPE_PTR] : [TYPE_A, TYPE_AAAA, TYPE_MX];
  for (const t of types) {
    const o = await bindQuery(ctx, sv.addr, 53, qname, t, timeout, tries, () => undefined);
    if (o.kind === 'interrupted') return 130;
    if (o.kind !== 'answer') {
      ctx.out(`${head};; connection timed out; no servers could be reached\n`);
      return 1;
    }
    const m = o.msg;
    ctx.out(head);
    head = '';
    if (m.rcode !== 0) {
      ctx.out(`Host ${qname} not found: ${m.rcode}(${RCODES[m.rcode]})\n`);
      return 1;
    }
    for (const r of m.answers) {
      if (r.type === TYPE_CNAME) ctx.out(`${r.name} is an alias for ${rdataText(r)}\n`);
      else if (r.type === TYPE_A) ctx.out(`${r.name} has address ${r.data}\n`);
      else if (r.type === TYPE_AAAA) ctx.out(`${r.name} has IPv6 address ${r.data}\n`);
      else if (r.type === TYPE_PTR) ctx.out(`${r.name} domain name pointer ${rdataText(r)}\n`);
      else if (r.type === TYPE_MX) ctx.out(`${r.name} mail is handled by ${rdataText(r)}\n`);
      else ctx.out(`${r.name} has ${TYPE_NAMES[r.type] ?? r.type} record ${rdataText(r)}\n`);
    }
  }
  return 0;
}

export const digCommand: Command = {
  name: 'dig',
  path: '/usr/bin/dig',
  summary: 'query DNS servers (bind 9.18): dig @10.0.0.1 example.com',
  run: (ctx) => digMain(ctx),
};

export const bindNslookupCommand: Command = {
  name: 'nslookup',
  path: '/usr/bin/nslookup',
  summary: 'query a DNS server (bind 9.18): nslookup example.com',
  run: (ctx) => nslookupMain(ctx),
};

export const hostCommand: Command = {
  name: 'host',
  path: '/usr/bin/host',
  summary: 'DNS lookup (bind 9.18): host example.com',
  run: (ctx) => hostMain(ctx),
};
