/**
 * Conformance of the flavoured tools (BusyBox applets, bind's dig/nslookup/host) against real
 * recordings: every case in fixtures/conformance/tools/cases ran on Linux (results/*.jsonl, see
 * the README there for the binaries) and is replayed here through `--world bare`, one command
 * line at a time, as netsim runs it.
 *
 * - Every probe (a command after `# expect: N`) and every other command must exit with the
 *   recorded status.
 * - Outputs must match after normalising what differs between two runs (MACs, times, DNS ids,
 *   dates, the build line of the busybox banner), except the few listed in KNOWN_DIFFERENCES.
 *
 * The DNS case ran dnsmasq; the simulator has no dnsmasq command, so its line is replayed as a
 * simulated server that answers as that dnsmasq did (hosts-file answers authoritative with TTL 0,
 * NXDOMAIN without `aa` for the local domains, NODATA for other types).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixture, normalize, world } from '../helpers.ts';
import { Session, register, runLine } from '../../src/shell/index.ts';
import { flavourCommand } from '../../src/shell/toolbox.ts';
import type { World } from '../../src/sim/net/world.ts';
import { parseIpv4, formatIpv4 } from '../../src/sim/wire/addr.ts';
import { udpOpen, udpSend } from '../../src/sim/transport/udp.ts';
import type { DnsMessage, DnsRecord } from '../../src/sim/wire/packet.ts';

interface Recorded {
  command: string;
  exitCode: number;
  output: string;
}

/** Cases whose applets are not implemented yet. */
const PENDING: Record<string, string> = {};

/** Output the simulator does not reproduce, and why. Keyed by "case: command". */
const KNOWN_DIFFERENCES: Record<string, string> = {
  '04-busybox-ip.sh: ip netns exec a busybox ip link':
    'after `ip link set eth0 down` the kernel keeps the noqueue qdisc a veth got when it came up; the model shows noop for every down link',
};

/** What differs between runs of the same tools, beyond the shared normalisation. */
function canonical(name: string, command: string, output: string): string {
  let n = output
    .replace(/round-trip min\/avg\/max = [\d.]+\/[\d.]+\/[\d.]+ ms/g, 'round-trip min/avg/max = RTT')
    .replace(/status: (\w+), id: \d+/g, 'status: $1, id: ID')
    .replace(/;; Query time: \d+ msec/g, ';; Query time: N msec')
    .replace(/;; WHEN: .+/g, ';; WHEN: DATE')
    .replace(/used \d+\/\d+\/\d+ probes \d+/g, 'used U probes P')
    .replace(/^ {2}(Date|Last-Modified): .+$/gm, '  $1: D')
    // how long IPv6 duplicate address detection keeps a link-local address tentative
    .replace(/scope link tentative /g, 'scope link ');
  // the applets' usage starts with the banner of the binary that ran them
  if (!name.startsWith('00-')) n = n.replace(/^BusyBox v[\d.]+ \([^)]*\) multi-call binary\.$/gm, 'BusyBox vX (BUILD) multi-call binary.');
  // ifconfig prints MACs in capitals. Its counters include IPv6 traffic (router and neighbour
  // solicitations, MLD) the simulator does not send, except on lo, whose packets are compared;
  // bytes never are (the model counts lo's frames with an Ethernet header the kernel does not)
  if (/\bifconfig\b/.test(command)) {
    n = n.replace(/HWaddr ([0-9A-F]{2}:){5}[0-9A-F]{2}/g, 'HWaddr MAC').replace(/(RX|TX) bytes:\d+ \([\d.]+ \w*B\)/g, '$1 bytes:N');
    n = n
      .split('\n\n')
      .map((block) => (block.startsWith('lo ') ? block : block.replace(/(RX|TX) packets:\d+ errors:(\d+) dropped:\d+/g, '$1 packets:N errors:$2 dropped:N')))
      .join('\n\n');
  }
  // the pids of netstat -p
  if (/\bnetstat\b/.test(command)) n = n.replace(/ \d+\/(\S+)$/gm, ' PID/$1');
  n = normalize(n);
  if (/\bip (-\S+ )*neigh(bour)?\b/.test(command)) n = n.split('\n').sort().join('\n');
  // the kernel lists sockets and neighbours in the order of its hash tables, random per namespace
  if (/\b(netstat|arp)\b/.test(command)) n = sortRuns(n, /^(tcp|udp|\? \(|\S+ \(\d)/);
  return n;
}

/** Sort each run of consecutive lines matching `re` (the rows of a table), keeping the rest. */
function sortRuns(text: string, re: RegExp): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    out.push(...run.sort());
    run = [];
  };
  for (const l of lines) {
    if (re.test(l)) run.push(l);
    else {
      flush();
      out.push(l);
    }
  }
  flush();
  return out.join('\n');
}

/** A DNS server in namespace `dns` answering like `dnsmasq --addn-hosts=FILE --local=/lab/`. */
function startDnsmasqLike(w: World, session: Session, line: string): void {
  const host = [...w.hosts.values()][0];
  const ns = host.named.get('dns');
  if (!ns) throw new Error('no namespace dns');
  const file = /--addn-hosts=(\S+)/.exec(line)?.[1] ?? '';
  const listen = parseIpv4(/--listen-address=(\S+)/.exec(line)?.[1] ?? '0.0.0.0') ?? 0;
  const locals = [...line.matchAll(/--local=\/([^/]+)\//g)].map((m) => m[1]);
  const r = host.fs.read(file);
  const text = r.ok ? r.data : '';
  const names = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const [addr, ...ns2] = raw.trim().split(/\s+/);
    for (const n of ns2) names.set(n.toLowerCase(), [...(names.get(n.toLowerCase()) ?? []), addr]);
  }
  void session;
  const sock = udpOpen(ns, {
    addr: listen,
    port: 53,
    owner: 'dnsmasq',
    onRecv: (_t, from, pkt) => {
      if (pkt.data?.kind !== 'dns' || pkt.data.msg.response) return;
      const q = pkt.data.msg;
      const qn = q.qname.toLowerCase().replace(/\.$/, '');
      let answers: DnsRecord[] = [];
      let rcode = 0;
      let aa = false;
      const ptr = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(qn);
      if (ptr) {
        const ip = `${ptr[4]}.${ptr[3]}.${ptr[2]}.${ptr[1]}`;
        const hit = [...names].find(([, addrs]) => addrs.includes(ip));
        if (hit && q.qtype === 12) {
          answers = [{ name: qn, type: 12, ttl: 0, data: hit[0] }];
          aa = true;
        } else if (!hit) rcode = 3;
      } else if (names.has(qn)) {
        if (q.qtype === 1) {
          answers = names.get(qn)!.map((a) => ({ name: qn, type: 1, ttl: 0, data: a }));
          aa = true;
        }
      } else if (locals.some((d) => qn === d || qn.endsWith(`.${d}`))) rcode = 3;
      else rcode = 5;
      const msg: DnsMessage = { id: q.id, response: true, qname: q.qname, qtype: q.qtype, rcode, answers, recursionAvailable: true, authoritative: aa };
      if (!('error' in sock)) udpSend(sock, from.addr, from.port, { kind: 'dns', msg }, { by: 'dnsmasq (DNS answer)' });
    },
  });
  if ('error' in sock) throw new Error(sock.error);
  void formatIpv4;
}

// the DNS case runs bind's tools as netshoot has them: this file's hosts get the bind flavour
register(...['dig', 'nslookup', 'host'].map((n) => flavourCommand('bind', n)!));

const dir = join(FIXTURES, 'conformance/tools');
const cases = readdirSync(join(dir, 'cases'))
  .filter((f) => f.endsWith('.sh'))
  .sort();

describe('tool conformance (--world bare)', () => {
  it('has the recorded cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases)('%s', async (name) => {
    if (name in PENDING) return;
    const script = fixture(`conformance/tools/cases/${name}`);
    const recorded: Recorded[] = fixture(`conformance/tools/results/${name.replace(/\.sh$/, '.jsonl')}`)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const w = world('bare');
    const session = new Session(w, {});
    const probeMismatches: string[] = [];
    const statusMismatches: string[] = [];
    const outputMismatches: string[] = [];
    let expectNext: number | null = null;
    let k = 0;
    for (const raw of script.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      const m = /^# expect: (\d+)/.exec(line);
      if (m) {
        expectNext = Number(m[1]);
        continue;
      }
      if (line.startsWith('#')) continue;
      const rec = recorded[k++];
      expect(rec.command).toBe(line);
      let r: { exitCode: number; output: string };
      if (/ dnsmasq /.test(line)) {
        startDnsmasqLike(w, session, line);
        r = { exitCode: 0, output: '' };
      } else r = await runLine(session, line);
      if (expectNext !== null) {
        expect(rec.exitCode, `the fixture's own expectation for: ${line}`).toBe(expectNext);
        if (r.exitCode !== rec.exitCode) probeMismatches.push(`${line}: Linux ${rec.exitCode}, simulator ${r.exitCode}\n${r.output}`);
        expectNext = null;
      } else if (r.exitCode !== rec.exitCode) statusMismatches.push(`${line}: Linux ${rec.exitCode}, simulator ${r.exitCode}\n${r.output}`);
      const key = `${name}: ${line}`;
      if (!(key in KNOWN_DIFFERENCES) && canonical(name, line, r.output) !== canonical(name, line, rec.output)) {
        outputMismatches.push(`${line}\n--- Linux\n${rec.output}--- simulator\n${r.output}`);
      }
    }
    expect(session.internalErrors).toEqual([]);
    expect(k).toBe(recorded.length);
    expect(probeMismatches).toEqual([]);
    expect(statusMismatches).toEqual([]);
    expect(outputMismatches).toEqual([]);
  });
});
