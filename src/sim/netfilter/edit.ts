/**
 * Changing a namespace's iptables tables: the operations behind `iptables -A/-I/-D/-R/-F/-N/-X/
 * -P/-Z/-E`, with the error texts iptables 1.8.9 (nf_tables) prints. Docker and kube-proxy
 * models use the same functions, so their rules are exactly what `iptables -S` shows.
 */
import type { Netns } from '../net/model.ts';
import { BUILTIN_CHAINS, sameSpec, TABLE_NAMES, type RuleSpec, type TableName } from './rule.ts';
import { IPT_VERSION, isBuiltinTarget, isRuleError, parseRuleSpec, TRY_HELP, type RuleError } from './ruletext.ts';

export type EditResult = { ok: true } | { ok: false; message: string; status: number };

const OK: EditResult = { ok: true };

/** Record a change and report success. */
function changed(ns: Netns): EditResult {
  ns.nf.changed();
  return OK;
}

function err(message: string, status: number): EditResult {
  return { ok: false, message: message.endsWith('\n') ? message : `${message}\n`, status };
}

export const NO_CHAIN = 'iptables: No chain/target/match by that name.';

export function isTable(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name);
}

/** Split a rule written as text into words (double quotes group words, as a shell would). */
export function splitRuleText(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]));
  return out;
}

export function parseSpecFor(ns: Netns, table: TableName, words: readonly string[]): RuleSpec | RuleError {
  const t = ns.nf.table(table);
  return parseRuleSpec(words, (name) => t.chains.has(name) && !isBuiltinTarget(name));
}

/** Check that a target may be used in this table and chain (DNAT only in nat PREROUTING/OUTPUT...). */
function targetAllowed(table: TableName, chain: string, spec: RuleSpec): string | null {
  const t = spec.target.kind;
  const builtin = (BUILTIN_CHAINS[table] as readonly string[]).includes(chain);
  if ((t === 'DNAT' || t === 'SNAT' || t === 'MASQUERADE' || t === 'REDIRECT') && table !== 'nat') {
    return `${IPT_VERSION}: RULE_APPEND failed (Invalid argument): rule in chain ${chain}`;
  }
  if (builtin && table === 'nat') {
    if ((t === 'DNAT' || t === 'REDIRECT') && chain !== 'PREROUTING' && chain !== 'OUTPUT') return `${IPT_VERSION}: RULE_APPEND failed (Invalid argument): rule in chain ${chain}`;
    if ((t === 'SNAT' || t === 'MASQUERADE') && chain !== 'POSTROUTING' && chain !== 'INPUT') return `${IPT_VERSION}: RULE_APPEND failed (Invalid argument): rule in chain ${chain}`;
  }
  if (t === 'REJECT' && table !== 'filter' && table !== 'mangle' && table !== 'raw') return `${IPT_VERSION}: RULE_APPEND failed (Invalid argument): rule in chain ${chain}`;
  return null;
}

/** -A / -I: add a rule. `position` is 1-based for -I; undefined appends. */
export function addRule(ns: Netns, table: TableName, chain: string, spec: RuleSpec, position?: number): EditResult {
  const c = ns.nf.table(table).chains.get(chain);
  if (!c) return err(NO_CHAIN, 1);
  const bad = targetAllowed(table, chain, spec);
  if (bad) return err(bad, 4);
  if (spec.target.kind === 'jump' || spec.target.kind === 'goto') {
    if (spec.target.chain === chain) return err(`${IPT_VERSION}: RULE_APPEND failed (Too many levels of symbolic links): rule in chain ${chain}`, 4);
  }
  const rule = { spec, counters: { pkts: 0, bytes: 0 } };
  if (position === undefined) c.rules.push(rule);
  else {
    if (position < 1 || position > c.rules.length + 1) return err('iptables: Index of insertion too big.', 1);
    c.rules.splice(position - 1, 0, rule);
  }
  return changed(ns);
}

/** Append a rule given as text (`-o eth0 -j MASQUERADE`); throws on a malformed rule (a model bug). */
export function appendRuleText(ns: Netns, table: TableName, chain: string, text: string): void {
  const spec = parseSpecFor(ns, table, splitRuleText(text));
  if (isRuleError(spec)) throw new Error(`bad built-in rule "${text}": ${spec.message}`);
  const r = addRule(ns, table, chain, spec);
  if (!r.ok) throw new Error(`cannot add built-in rule "${text}": ${r.message}`);
}

export function deleteRuleNum(ns: Netns, table: TableName, chain: string, num: number): EditResult {
  const c = ns.nf.table(table).chains.get(chain);
  if (!c) return err(NO_CHAIN, 1);
  if (num < 1 || num > c.rules.length) return err('iptables: Index of deletion too big.', 1);
  c.rules.splice(num - 1, 1);
  return changed(ns);
}

export function deleteRuleSpec(ns: Netns, table: TableName, chain: string, spec: RuleSpec): EditResult {
  const c = ns.nf.table(table).chains.get(chain);
  if (!c) return err(NO_CHAIN, 1);
  const i = c.rules.findIndex((r) => sameSpec(r.spec, spec));
  if (i < 0) return err('iptables: Bad rule (does a matching rule exist in that chain?).', 1);
  c.rules.splice(i, 1);
  return changed(ns);
}

/** -C: does the rule exist? */
export function checkRule(ns: Netns, table: TableName, chain: string, spec: RuleSpec): EditResult {
  const c = ns.nf.table(table).chains.get(chain);
  if (!c) return err(NO_CHAIN, 1);
  if (!c.rules.some((r) => sameSpec(r.spec, spec))) return err('iptables: Bad rule (does a matching rule exist in that chain?).', 1);
  return changed(ns);
}

export function replaceRule(ns: Netns, table: TableName, chain: string, num: number, spec: RuleSpec): EditResult {
  const c = ns.nf.table(table).chains.get(chain);
  if (!c) return err(NO_CHAIN, 1);
  if (num < 1 || num > c.rules.length) return err('iptables: Index of replacement too big.', 1);
  const bad = targetAllowed(table, chain, spec);
  if (bad) return err(bad, 4);
  c.rules[num - 1] = { spec, counters: { pkts: 0, bytes: 0 } };
  return changed(ns);
}

/** -F [chain]: remove the rules (policies and counters of the chains stay). */
export function flush(ns: Netns, table: TableName, chain?: string): EditResult {
  const t = ns.nf.table(table);
  if (chain !== undefined) {
    const c = t.chains.get(chain);
    if (!c) return err(NO_CHAIN, 1);
    c.rules = [];
    return changed(ns);
  }
  for (const c of t.chains.values()) c.rules = [];
  return changed(ns);
}

export function newChain(ns: Netns, table: TableName, chain: string): EditResult {
  const t = ns.nf.table(table);
  if (t.chains.has(chain)) return err('iptables: Chain already exists.', 1);
  if (chain.length > 28) return err(`${IPT_VERSION}: chain name \`${chain}' too long (must be under 29 chars)\n${TRY_HELP}`, 2);
  if (isBuiltinTarget(chain) || chain.startsWith('-') || chain === '!') return err(`${IPT_VERSION}: chain name not allowed to start with \`-'\n${TRY_HELP}`, 2);
  t.chains.set(chain, { name: chain, builtin: false, policy: null, policyCounted: false, policyCounters: { pkts: 0, bytes: 0 }, rules: [] });
  return changed(ns);
}

/** -X [chain]: delete empty, unreferenced user chains. */
export function deleteChain(ns: Netns, table: TableName, chain?: string): EditResult {
  const t = ns.nf.table(table);
  if (chain === undefined) {
    for (const c of [...t.chains.values()]) {
      if (c.builtin) continue;
      if (ns.nf.references(table, c.name) > 0) return err(`${IPT_VERSION}:  CHAIN_DEL failed (Device or resource busy): chain ${c.name}`, 4);
    }
    for (const c of [...t.chains.values()]) if (!c.builtin) t.chains.delete(c.name);
    return changed(ns);
  }
  const c = t.chains.get(chain);
  if (!c) return err(NO_CHAIN, 1);
  if (c.builtin) return err(`${IPT_VERSION}: Cannot delete built-in chain \`${chain}'`, 1);
  if (ns.nf.references(table, chain) > 0 || c.rules.length) return err(`${IPT_VERSION}:  CHAIN_DEL failed (Device or resource busy): chain ${chain}`, 4);
  t.chains.delete(chain);
  return changed(ns);
}

export function setPolicy(ns: Netns, table: TableName, chain: string, policy: string): EditResult {
  const c = ns.nf.table(table).chains.get(chain);
  if (!c) return err(NO_CHAIN, 1);
  if (!c.builtin) return err('iptables: Bad built-in chain name.', 1);
  if (policy !== 'ACCEPT' && policy !== 'DROP') return err(`${IPT_VERSION}: Bad policy name. Run \`dmesg' for more information.`, 1);
  c.policy = policy;
  c.policyCounted = true;
  return changed(ns);
}

export function zero(ns: Netns, table: TableName, chain?: string, num?: number): EditResult {
  const t = ns.nf.table(table);
  const chains = chain === undefined ? [...t.chains.values()] : [t.chains.get(chain)];
  for (const c of chains) {
    if (!c) return err(NO_CHAIN, 1);
    if (num !== undefined) {
      const r = c.rules[num - 1];
      if (!r) return err('iptables: Index of counter zeroing too big.', 1);
      r.counters = { pkts: 0, bytes: 0 };
      continue;
    }
    c.policyCounters = { pkts: 0, bytes: 0 };
    for (const r of c.rules) r.counters = { pkts: 0, bytes: 0 };
  }
  return changed(ns);
}

export function renameChain(ns: Netns, table: TableName, from: string, to: string): EditResult {
  const t = ns.nf.table(table);
  const c = t.chains.get(from);
  if (!c) return err(NO_CHAIN, 1);
  if (c.builtin) return err(`${IPT_VERSION}: Cannot rename built-in chain \`${from}'`, 1);
  if (t.chains.has(to)) return err('iptables: File exists.', 1);
  const entries = [...t.chains.entries()].map(([k, v]) => (k === from ? ([to, { ...v, name: to }] as const) : ([k, v] as const)));
  t.chains.clear();
  for (const [k, v] of entries) t.chains.set(k, v);
  for (const ch of t.chains.values()) {
    ch.rules = ch.rules.map((r) => {
      const tg = r.spec.target;
      if ((tg.kind === 'jump' || tg.kind === 'goto') && tg.chain === from) return { ...r, spec: { ...r.spec, target: { ...tg, chain: to } } };
      return r;
    });
  }
  return changed(ns);
}
