/**
 * `iptables`, `iptables-save`, `iptables-restore` (1.8.9, nf_tables backend) and `conntrack`.
 */
import type { Command, CommandContext } from '../context.ts';
import type { Netns } from '../../sim/net/model.ts';
import { BUILTIN_CHAINS, TABLE_NAMES, type TableName } from '../../sim/netfilter/rule.ts';
import { formatListHeader, formatListRule, formatRuleSave, IPT_VERSION, isRuleError, TRY_HELP, type ListFormat } from '../../sim/netfilter/ruletext.ts';
import { addRule, checkRule, deleteChain, deleteRuleNum, deleteRuleSpec, flush, isTable, newChain, parseSpecFor, renameChain, replaceRule, setPolicy, splitRuleText, zero, NO_CHAIN, type EditResult } from '../../sim/netfilter/edit.ts';
import { formatCtEntry } from '../../sim/netfilter/conntrack.ts';
import { wallClock, dayName, monthName } from '../../sim/engine/clock.ts';

/** Tables the nf_tables backend has created in a namespace (iptables-save lists only those). */
const touched = new WeakMap<Netns, Set<TableName>>();

export function markTable(ns: Netns, t: TableName): void {
  let s = touched.get(ns);
  if (!s) {
    s = new Set();
    touched.set(ns, s);
  }
  s.add(t);
}

function tableExists(ns: Netns, t: TableName): boolean {
  if (touched.get(ns)?.has(t)) return true;
  // a table someone configured (rules, user chains, a policy) exists
  const tb = ns.nf.table(t);
  for (const c of tb.chains.values()) if (c.rules.length || !c.builtin || c.policyCounted) return true;
  return false;
}

type Cmd = 'A' | 'I' | 'D' | 'R' | 'L' | 'S' | 'F' | 'Z' | 'N' | 'X' | 'P' | 'E' | 'C';

const LONG: Record<string, Cmd> = {
  '--append': 'A',
  '--insert': 'I',
  '--delete': 'D',
  '--replace': 'R',
  '--list': 'L',
  '--list-rules': 'S',
  '--flush': 'F',
  '--zero': 'Z',
  '--new-chain': 'N',
  '--delete-chain': 'X',
  '--policy': 'P',
  '--rename-chain': 'E',
  '--check': 'C',
};

const HELP = `iptables v1.8.9

Usage: iptables -[ACD] chain rule-specification [options]
       iptables -I chain [rulenum] rule-specification [options]
       iptables -R chain rulenum rule-specification [options]
       iptables -D chain rulenum [options]
       iptables -[LS] [chain [rulenum]] [options]
       iptables -[FZ] [chain] [options]
       iptables -[NX] chain
       iptables -E old-chain-name new-chain-name
       iptables -P chain target [options]
       iptables -h (print this help information)

Commands:
Either long or short options are allowed.
  --append  -A chain		Append to chain
  --check   -C chain		Check for the existence of a rule
  --delete  -D chain		Delete matching rule from chain
  --delete  -D chain rulenum
				Delete rule rulenum (1 = first) from chain
  --insert  -I chain [rulenum]
				Insert in chain as rulenum (default 1=first)
  --replace -R chain rulenum
				Replace rule rulenum (1 = first) in chain
  --list    -L [chain [rulenum]]
				List the rules in a chain or all chains
  --list-rules -S [chain [rulenum]]
				Print the rules in a chain or all chains
  --flush   -F [chain]		Delete all rules in  chain or all chains
  --zero    -Z [chain [rulenum]]
				Zero counters in chain or all chains
  --new     -N chain		Create a new user-defined chain
  --delete-chain
            -X [chain]		Delete a user-defined chain
  --policy  -P chain target
				Change policy on chain to target
  --rename-chain
            -E old-chain new-chain
				Change chain name, (moving any references)

Options:
    --ipv4	-4		Nothing (line is ignored by ip6tables-restore)
    --ipv6	-6		Error (line is ignored by iptables-restore)
[!] --proto	-p proto	protocol: by number or name, eg. \`tcp'
[!] --source	-s address[/mask][...]
				source specification
[!] --destination -d address[/mask][...]
				destination specification
[!] --in-interface -i input name[+]
				network interface name ([+] for wildcard)
 --jump	-j target
				target for rule (may load target extension)
  --goto      -g chain
                              jump to chain with no return
  --match	-m match
				extended match (may load extension)
  --numeric	-n		numeric output of addresses and ports
[!] --out-interface -o output name[+]
				network interface name ([+] for wildcard)
  --table	-t table	table to manipulate (default: \`filter')
  --verbose	-v		verbose mode
  --wait	-w [seconds]	maximum wait to acquire xtables lock before give up
  --line-numbers		print line numbers when listing
  --exact	-x		expand numbers (display exact values)
[!] --fragment	-f		match second or further fragments only
  --modprobe=<command>		try to insert modules using this command
  --set-counters -c PKTS BYTES	set the counter during insert/append
[!] --version	-V		print package version.
`;

function usage(ctx: CommandContext, text: string, status = 2): number {
  ctx.err(`${IPT_VERSION}: ${text}\n${TRY_HELP}\n`);
  return status;
}

function done(ctx: CommandContext, r: EditResult): number {
  if (r.ok) return 0;
  ctx.err(r.message);
  return r.status;
}

export const iptablesCommand: Command = {
  name: 'iptables',
  path: '/usr/sbin/iptables',
  summary: 'show and change the packet filter and NAT rules (iptables -L -n -v, iptables -t nat -S)',
  run(ctx) {
    return iptables(ctx, ctx.argv.slice(1));
  },
  complete(args, partial, place) {
    const last = args[args.length - 1];
    if (last === '-t') return TABLE_NAMES.filter((t) => t.startsWith(partial));
    if (['-A', '-I', '-D', '-R', '-L', '-S', '-F', '-Z', '-P', '-X', '-C'].includes(last)) {
      const ti = args.indexOf('-t');
      const table = (ti >= 0 ? args[ti + 1] : 'filter') as TableName;
      const t = isTable(table) ? place.ns.nf.table(table) : place.ns.nf.table('filter');
      return [...t.chains.keys()].filter((c) => c.startsWith(partial));
    }
    if (last === '-j') return ['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'LOG', 'DNAT', 'SNAT', 'MASQUERADE'].filter((t) => t.startsWith(partial));
    if (last === '-p') return ['tcp', 'udp', 'icmp', 'all'].filter((t) => t.startsWith(partial));
    if (last === '-i' || last === '-o') return place.ns.allLinks().map((l) => l.name).filter((n) => n.startsWith(partial));
    if (last === '-m') return ['conntrack', 'state', 'addrtype', 'comment', 'multiport', 'tcp', 'udp', 'icmp', 'mark'].filter((t) => t.startsWith(partial));
    return ['-t', '-A', '-I', '-D', '-L', '-S', '-F', '-N', '-X', '-P', '-n', '-v', '-j', '-p', '-s', '-d', '-i', '-o', '--dport', '--sport', '--line-numbers'].filter((t) => t.startsWith(partial));
  },
};

function iptables(ctx: CommandContext, argv: readonly string[]): number {
  let table: string = 'filter';
  let cmd: Cmd | null = null;
  const fmt = { numeric: false, verbose: false, exact: false, lineNumbers: false };
  const rest: string[] = [];
  const cmdArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let c: Cmd | null = null;
    if (/^-[AIDRLSFZNXPEC]$/.test(a)) c = a[1] as Cmd;
    else if (LONG[a]) c = LONG[a];
    else if (/^-[LSFZ][nvx]+$/.test(a)) {
      // combined short options such as -Ln or -nvL
      c = a[1] as Cmd;
      for (const f of a.slice(2)) {
        if (f === 'n') fmt.numeric = true;
        if (f === 'v') fmt.verbose = true;
        if (f === 'x') fmt.exact = true;
      }
    } else if (/^-[nvx]+[LS]$/.test(a)) {
      c = a[a.length - 1] as Cmd;
      for (const f of a.slice(1, -1)) {
        if (f === 'n') fmt.numeric = true;
        if (f === 'v') fmt.verbose = true;
        if (f === 'x') fmt.exact = true;
      }
    }
    if (c) {
      if (cmd) return usage(ctx, `Cannot use -${c} with -${cmd}`);
      cmd = c;
      // positional arguments of the command: chain, then a rule number, a policy or a new name
      const max: Record<Cmd, number> = { A: 1, C: 1, I: 2, D: 2, R: 2, L: 2, S: 2, F: 1, Z: 2, N: 1, X: 1, P: 2, E: 2 };
      const numericSecond = c === 'I' || c === 'D' || c === 'R' || c === 'L' || c === 'S' || c === 'Z';
      while (i + 1 < argv.length && cmdArgs.length < max[c] && !argv[i + 1].startsWith('-') && argv[i + 1] !== '!') {
        if (cmdArgs.length === 1 && numericSecond && !/^\d+$/.test(argv[i + 1])) break;
        cmdArgs.push(argv[++i]);
      }
      continue;
    }
    if (a === '-t' || a === '--table') {
      const v = argv[++i];
      if (v === undefined) return usage(ctx, 'option "-t" requires an argument');
      table = v;
      continue;
    }
    if (a.startsWith('--table=')) {
      table = a.slice(8);
      continue;
    }
    if (a === '-n' || a === '--numeric') fmt.numeric = true;
    else if (a === '-v' || a === '--verbose') fmt.verbose = true;
    else if (a === '-x' || a === '--exact') fmt.exact = true;
    else if (a === '--line-numbers') fmt.lineNumbers = true;
    else if (a === '-w' || a === '--wait') {
      if (argv[i + 1] && /^\d+$/.test(argv[i + 1])) i++;
    } else if (a === '-W' || a === '--wait-interval') i++;
    else if (/^-[nvx]+$/.test(a)) {
      for (const f of a.slice(1)) {
        if (f === 'n') fmt.numeric = true;
        if (f === 'v') fmt.verbose = true;
        if (f === 'x') fmt.exact = true;
      }
    } else if (a === '-h' || a === '--help') {
      ctx.out(HELP);
      return 0;
    } else if (a === '-V' || a === '--version') {
      ctx.out('iptables v1.8.9 (nf_tables)\n');
      return 0;
    } else if (a === '-4' || a === '--ipv4') continue;
    else if (a === '-6' || a === '--ipv6') return usage(ctx, 'This is the IPv4 version of iptables.');
    else rest.push(a);
  }
  if (!cmd) return usage(ctx, 'no command specified');
  if (!isTable(table)) {
    ctx.err(`${IPT_VERSION}: table '${table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n`);
    return 3;
  }
  const ns = ctx.ns;
  const t = table as TableName;
  const writes = cmd !== 'L' && cmd !== 'S' && cmd !== 'C';
  if (writes) markTable(ns, t);
  const chain = cmdArgs[0];
  const specOf = (words: string[]) => parseSpecFor(ns, t, words);
  switch (cmd) {
    case 'A':
    case 'C':
    case 'I':
    case 'D':
    case 'R': {
      if (chain === undefined) return usage(ctx, `option "-${cmd}" requires an argument`);
      let num: number | undefined;
      if (cmdArgs[1] !== undefined) {
        if (!/^\d+$/.test(cmdArgs[1])) return usage(ctx, `Bad argument \`${cmdArgs[1]}'`);
        num = Number(cmdArgs[1]);
      }
      if (cmd === 'D' && num !== undefined && !rest.length) return done(ctx, deleteRuleNum(ns, t, chain, num));
      if (cmd === 'R' && num === undefined) return usage(ctx, '-R requires a rule number');
      if (!ns.nf.table(t).chains.has(chain) && !rest.length) {
        ctx.err(`${NO_CHAIN}\n`);
        return 1;
      }
      const spec = specOf(rest);
      if (isRuleError(spec)) {
        ctx.err(spec.message);
        return spec.status;
      }
      if (!ns.nf.table(t).chains.has(chain)) {
        ctx.err(`${NO_CHAIN}\n`);
        return 1;
      }
      if (cmd === 'A') return done(ctx, addRule(ns, t, chain, spec));
      if (cmd === 'I') return done(ctx, addRule(ns, t, chain, spec, num ?? 1));
      if (cmd === 'C') return done(ctx, checkRule(ns, t, chain, spec));
      if (cmd === 'R') return done(ctx, replaceRule(ns, t, chain, num!, spec));
      return done(ctx, deleteRuleSpec(ns, t, chain, spec));
    }
    case 'F':
      if (rest.length) return usage(ctx, `Bad argument \`${rest[0]}'`);
      return done(ctx, flush(ns, t, chain));
    case 'Z':
      return done(ctx, zero(ns, t, chain, cmdArgs[1] !== undefined ? Number(cmdArgs[1]) : undefined));
    case 'N':
      if (chain === undefined) return usage(ctx, 'option "-N" requires an argument');
      return done(ctx, newChain(ns, t, chain));
    case 'X':
      return done(ctx, deleteChain(ns, t, chain));
    case 'P':
      if (chain === undefined || cmdArgs[1] === undefined) return usage(ctx, '-P requires a chain and a policy');
      return done(ctx, setPolicy(ns, t, chain, cmdArgs[1]));
    case 'E':
      if (chain === undefined || cmdArgs[1] === undefined) return usage(ctx, '-E requires old-chain-name and new-chain-name');
      return done(ctx, renameChain(ns, t, chain, cmdArgs[1]));
    case 'S':
      return listRules(ctx, ns, t, chain, fmt.verbose);
    case 'L':
      return list(ctx, ns, t, chain, fmt, cmdArgs[1] !== undefined ? Number(cmdArgs[1]) : undefined);
  }
}

/** Listing a chain that does not exist: iptables-nft's wording (it cannot tell it from a foreign chain). */
function missingChain(ctx: CommandContext, t: TableName, chain: string): number {
  ctx.err(`${IPT_VERSION}: chain \`${chain}' in table \`${t}' is incompatible, use 'nft' tool.\n`);
  return 1;
}

function policyText(ns: Netns, t: TableName, name: string): string {
  const c = ns.nf.table(t).chains.get(name)!;
  return c.policy ?? 'ACCEPT';
}

function listRules(ctx: CommandContext, ns: Netns, t: TableName, chain: string | undefined, counters: boolean): number {
  const table = ns.nf.table(t);
  if (chain !== undefined && !table.chains.has(chain)) return missingChain(ctx, t, chain);
  const chains = chain !== undefined ? [table.chains.get(chain)!] : [...table.chains.values()];
  const builtins = chains.filter((c) => c.builtin);
  const users = chains.filter((c) => !c.builtin).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const c of builtins) ctx.out(`-P ${c.name} ${policyText(ns, t, c.name)}${counters ? ` -c ${c.policyCounters.pkts} ${c.policyCounters.bytes}` : ''}\n`);
  for (const c of users) ctx.out(`-N ${c.name}\n`);
  for (const c of [...builtins, ...users]) {
    for (const r of c.rules) ctx.out(`-A ${c.name} ${formatRuleSave(r.spec)}${counters ? ` -c ${r.counters.pkts} ${r.counters.bytes}` : ''}\n`.replace(`-A ${c.name} \n`, `-A ${c.name}\n`));
  }
  return 0;
}

function list(ctx: CommandContext, ns: Netns, t: TableName, chain: string | undefined, fmt: ListFormat, ruleNum?: number): number {
  const table = ns.nf.table(t);
  if (chain !== undefined && !table.chains.has(chain)) return missingChain(ctx, t, chain);
  const builtinOrder = BUILTIN_CHAINS[t] as readonly string[];
  const all = [...table.chains.values()];
  const ordered = [...all.filter((c) => c.builtin).sort((a, b) => builtinOrder.indexOf(a.name) - builtinOrder.indexOf(b.name)), ...all.filter((c) => !c.builtin).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))];
  const chains = chain !== undefined ? [table.chains.get(chain)!] : ordered;
  const blocks: string[] = [];
  for (const c of chains) {
    let s = `Chain ${c.name} `;
    if (c.builtin) {
      s += fmt.verbose ? `(policy ${c.policy ?? 'ACCEPT'} ${c.policyCounters.pkts} packets, ${c.policyCounters.bytes} bytes)` : `(policy ${c.policy ?? 'ACCEPT'})`;
    } else s += `(${ns.nf.references(t, c.name)} references)`;
    s += `\n${formatListHeader(fmt)}\n`;
    c.rules.forEach((r, i) => {
      if (ruleNum !== undefined && i + 1 !== ruleNum) return;
      s += `${formatListRule(r.spec, r.counters, i + 1, fmt)}\n`;
    });
    blocks.push(s);
  }
  ctx.out(blocks.join('\n'));
  return 0;
}

function saveDate(now: number): string {
  const c = wallClock(now);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${dayName(c)} ${monthName(c)} ${String(c.d).padStart(2)} ${two(c.h)}:${two(c.mi)}:${two(c.s)} ${c.y}`;
}

export const iptablesSaveCommand: Command = {
  name: 'iptables-save',
  path: '/usr/sbin/iptables-save',
  summary: 'print every iptables rule in the format iptables-restore reads',
  run(ctx) {
    const args = ctx.argv.slice(1);
    let only: string | null = null;
    let counters = false;
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '-t' || args[i] === '--table') only = args[++i] ?? null;
      else if (args[i] === '-c' || args[i] === '--counters') counters = true;
    }
    if (only !== null && !isTable(only)) {
      ctx.err(`iptables-save v1.8.9 (nf_tables): table '${only}' does not exist\n`);
      return 1;
    }
    const ns = ctx.ns;
    const date = saveDate(ctx.world.now);
    for (const t of ['filter', 'nat', 'mangle', 'raw'] as TableName[]) {
      if (only !== null && only !== t) continue;
      if (!tableExists(ns, t)) continue;
      const table = ns.nf.table(t);
      ctx.out(`# Generated by iptables-save v1.8.9 (nf_tables) on ${date}\n*${t}\n`);
      const builtinOrder = BUILTIN_CHAINS[t] as readonly string[];
      const all = [...table.chains.values()];
      const builtins = all.filter((c) => c.builtin).sort((a, b) => builtinOrder.indexOf(a.name) - builtinOrder.indexOf(b.name));
      const users = all.filter((c) => !c.builtin).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const c of builtins) ctx.out(`:${c.name} ${c.policy ?? 'ACCEPT'} [${c.policyCounters.pkts}:${c.policyCounters.bytes}]\n`);
      for (const c of users) ctx.out(`:${c.name} - [0:0]\n`);
      for (const c of [...builtins, ...users]) {
        for (const r of c.rules) ctx.out(`${counters ? `[${r.counters.pkts}:${r.counters.bytes}] ` : ''}-A ${c.name} ${formatRuleSave(r.spec)}\n`);
      }
      ctx.out(`COMMIT\n# Completed on ${date}\n`);
    }
    return 0;
  },
};

export const iptablesRestoreCommand: Command = {
  name: 'iptables-restore',
  path: '/usr/sbin/iptables-restore',
  summary: 'load rules written by iptables-save (from standard input or a file)',
  run(ctx) {
    const args = ctx.argv.slice(1);
    const noflush = args.includes('-n') || args.includes('--noflush');
    const file = args.find((a) => !a.startsWith('-'));
    let text = ctx.stdin;
    if (file) {
      const r = ctx.readFile(file);
      if (!r.ok) {
        ctx.err(`Could not open file "${file}": No such file or directory\n`);
        return 1;
      }
      text = r.data;
    }
    const ns = ctx.ns;
    let table: TableName | null = null;
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n].trim();
      if (!line || line.startsWith('#')) continue;
      const fail = (why: string) => {
        ctx.err(`iptables-restore v1.8.9 (nf_tables): ${why}\nError occurred at line: ${n + 1}\nTry \`iptables-restore -h' or 'iptables-restore --help' for more information.\n`);
        return 1;
      };
      if (line.startsWith('*')) {
        const name = line.slice(1);
        if (!isTable(name)) return fail(`table '${name}' does not exist`);
        table = name;
        markTable(ns, table);
        if (!noflush) {
          flush(ns, table);
          deleteChain(ns, table);
        }
        continue;
      }
      if (line === 'COMMIT') {
        table = null;
        continue;
      }
      if (!table) return fail('no command specified');
      if (line.startsWith(':')) {
        const [name, policy] = line.slice(1).split(/\s+/);
        const c = ns.nf.table(table).chains.get(name);
        if (c?.builtin) {
          if (policy !== '-') setPolicy(ns, table, name, policy);
        } else if (!c) newChain(ns, table, name);
        continue;
      }
      const words = splitRuleText(line.replace(/^\[\d+:\d+\]\s*/, ''));
      const r = iptables({ ...ctx, argv: ['iptables', '-t', table, ...words] }, ['-t', table, ...words]);
      if (r !== 0) return fail(`line ${n + 1} failed`);
    }
    return 0;
  },
};

export const conntrackCommand: Command = {
  name: 'conntrack',
  path: '/usr/sbin/conntrack',
  summary: 'list (-L) or flush (-F) the connection tracking table',
  run(ctx) {
    const args = ctx.argv.slice(1);
    const ns = ctx.ns;
    const op = args[0];
    if (op === '-L' || op === '--dump' || op === '-E' && false) {
      const entries = ns.ct.entries();
      const summary = `conntrack v1.4.7 (conntrack-tools): ${entries.length} flow entries have been shown.\n`;
      // stdout is block-buffered when it is not a terminal: the summary (stderr) comes out first
      if (!ctx.interactive) ctx.err(summary);
      for (const e of entries) ctx.out(`${formatCtEntry(e, ctx.world.now)}\n`);
      if (ctx.interactive) ctx.err(summary);
      return 0;
    }
    if (op === '-C' || op === '--count') {
      ctx.out(`${ns.ct.entries().length}\n`);
      return 0;
    }
    if (op === '-F' || op === '--flush') {
      ns.ct.flush();
      ctx.err('conntrack v1.4.7 (conntrack-tools): connection tracking table has been emptied.\n');
      return 0;
    }
    ctx.err('conntrack v1.4.7 (conntrack-tools): Operation not supported by the simulator (use -L, -C or -F)\n');
    return 2;
  },
};
