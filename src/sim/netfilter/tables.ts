/**
 * The iptables tables of one network namespace, and chain traversal.
 *
 * Packet flow through the hooks (the kernel's order, lowest priority first):
 *
 *                 +-----------+        +---------+        +------------+
 *   in  ------>   | PREROUTING| -----> | routing | -----> |  FORWARD   | -----+
 *                 | raw       |        |decision |        | mangle     |      |
 *                 | conntrack |        +---------+        | filter     |      |
 *                 | mangle    |             |             +------------+      v
 *                 | nat (DNAT)|             v                            +-------------+
 *                 +-----------+        +---------+                       | POSTROUTING |  --> out
 *                                      |  INPUT  |                       | mangle      |
 *                                      | mangle  |                       | nat (SNAT)  |
 *                                      | filter  |                       | ct confirm  |
 *                                      | nat     |                       +-------------+
 *                                      +---------+                              ^
 *                                           |                                   |
 *                                     local process --> OUTPUT (raw, conntrack, mangle,
 *                                                        nat DNAT, filter) --> routing
 *
 * iptables(8): a built-in chain's policy applies when the end of the chain is reached; user
 * chains have no policy, and falling off their end returns to the calling chain.
 */
import { BUILTIN_CHAINS, ruleMatches, type Counters, type Hook, type MatchContext, type Rule, type RuleSpec, type TableName, type Target } from './rule.ts';

export interface Chain {
  readonly name: string;
  readonly builtin: boolean;
  /** only built-in chains have a policy */
  policy: 'ACCEPT' | 'DROP' | null;
  /**
   * iptables-nft gives a built-in chain's policy a counter only once `-P` has been used on it
   * (before that `iptables -L -v` shows "policy ACCEPT 0 packets, 0 bytes" whatever passed).
   */
  policyCounted: boolean;
  policyCounters: Counters;
  rules: Rule[];
}

export interface Table {
  readonly name: TableName;
  /** chains in creation order (built-ins first) */
  readonly chains: Map<string, Chain>;
}

/** The outcome of walking one table at one hook. */
export interface TableVerdict {
  /** ACCEPT lets the packet continue to the next table/hook. */
  readonly verdict: 'ACCEPT' | 'DROP';
  /** the terminating target when it was not a plain ACCEPT/DROP (REJECT, DNAT, SNAT, MASQUERADE, REDIRECT) */
  readonly target?: Target;
  /** where the decision was taken; rule 0 = the chain policy */
  readonly chain: string;
  readonly rule: number;
  readonly spec?: RuleSpec;
}

/** Called for every rule whose target fires (including jumps, RETURN, LOG) and for policies. */
export type RuleObserver = (table: TableName, chain: string, ruleNum: number, spec: RuleSpec | null, verdict: string) => void;

function makeTable(name: TableName): Table {
  const chains = new Map<string, Chain>();
  for (const c of BUILTIN_CHAINS[name]) {
    chains.set(c, { name: c, builtin: true, policy: 'ACCEPT', policyCounted: false, policyCounters: { pkts: 0, bytes: 0 }, rules: [] });
  }
  return { name, chains };
}

/** Maximum depth of chain jumps, as the kernel's XT_MAX_... loop check would refuse deeper. */
const MAX_JUMP_DEPTH = 64;

export class Netfilter {
  /** bumped by every change (edit.ts), so derived facts can be cached */
  version = 0;
  private ctCache = { version: -1, needed: false };
  readonly tables: Record<TableName, Table> = {
    filter: makeTable('filter'),
    nat: makeTable('nat'),
    mangle: makeTable('mangle'),
    raw: makeTable('raw'),
  };

  table(name: TableName): Table {
    return this.tables[name];
  }

  changed(): void {
    this.version++;
  }

  /**
   * Is connection tracking running in this namespace? With the nf_tables backend the kernel
   * registers conntrack only while something needs it: NAT rules or chains, or a rule that
   * matches on conntrack state (nf_ct_netns_get). Flushing them stops tracking of new flows.
   */
  ctNeeded(): boolean {
    if (this.ctCache.version === this.version) return this.ctCache.needed;
    let needed = false;
    for (const c of this.tables.nat.chains.values()) if (c.rules.length) needed = true;
    if (!needed) {
      outer: for (const t of Object.values(this.tables)) {
        for (const c of t.chains.values()) {
          for (const r of c.rules) {
            if (r.spec.matches.some((m) => m.kind === 'conntrack' || m.kind === 'state')) {
              needed = true;
              break outer;
            }
          }
        }
      }
    }
    this.ctCache = { version: this.version, needed };
    return needed;
  }

  /** True when any rule exists or any policy is not ACCEPT (used to skip work on the fast path). */
  isEmpty(table: TableName): boolean {
    for (const c of this.tables[table].chains.values()) {
      if (c.rules.length || (c.policy !== null && c.policy !== 'ACCEPT')) return false;
    }
    return true;
  }

  /** Number of rules in the table that jump to `chain`. */
  references(table: TableName, chain: string): number {
    let n = 0;
    for (const c of this.tables[table].chains.values()) {
      for (const r of c.rules) {
        const t = r.spec.target;
        if ((t.kind === 'jump' || t.kind === 'goto') && t.chain === chain) n++;
      }
    }
    return n;
  }

  private policy(tableName: TableName, chain: Chain, bytes: number, observe?: RuleObserver): TableVerdict {
    if (chain.policyCounted) {
      chain.policyCounters.pkts++;
      chain.policyCounters.bytes += bytes;
    }
    const verdict = chain.policy ?? 'ACCEPT';
    observe?.(tableName, chain.name, 0, null, verdict);
    return { verdict, chain: chain.name, rule: 0 };
  }

  /**
   * Walk the built-in chain `hook` of `table` for a packet.
   * The byte count is the packet's IP total length, as the kernel's counters use.
   */
  traverse(tableName: TableName, hook: Hook, ctx: MatchContext, bytes: number, observe?: RuleObserver): TableVerdict {
    const table = this.tables[tableName];
    const base = table.chains.get(hook);
    if (!base) return { verdict: 'ACCEPT', chain: hook, rule: 0 };
    // explicit stack of (chain, next rule index) for jumps
    const stack: { chain: Chain; index: number }[] = [{ chain: base, index: 0 }];
    while (stack.length) {
      const frame = stack[stack.length - 1];
      const { chain } = frame;
      if (frame.index >= chain.rules.length) {
        // fell off the end
        stack.pop();
        if (chain.builtin) return this.policy(tableName, chain, bytes, observe);
        continue;
      }
      const ruleIndex = frame.index++;
      const rule = chain.rules[ruleIndex];
      if (!ruleMatches(rule.spec, ctx)) continue;
      rule.counters.pkts++;
      rule.counters.bytes += bytes;
      const t = rule.spec.target;
      const num = ruleIndex + 1;
      switch (t.kind) {
        case 'none':
          continue;
        case 'ACCEPT':
        case 'DROP':
          observe?.(tableName, chain.name, num, rule.spec, t.kind);
          return { verdict: t.kind, chain: chain.name, rule: num, spec: rule.spec };
        case 'RETURN':
          observe?.(tableName, chain.name, num, rule.spec, 'RETURN');
          stack.pop();
          if (chain.builtin) return this.policy(tableName, chain, bytes, observe);
          continue;
        case 'jump':
        case 'goto': {
          const sub = table.chains.get(t.chain);
          if (!sub) continue;
          observe?.(tableName, chain.name, num, rule.spec, t.kind === 'jump' ? `jump ${t.chain}` : `goto ${t.chain}`);
          if (stack.length >= MAX_JUMP_DEPTH) return { verdict: 'DROP', chain: chain.name, rule: num, spec: rule.spec };
          if (t.kind === 'goto') stack.pop();
          stack.push({ chain: sub, index: 0 });
          continue;
        }
        case 'LOG':
        case 'MARK':
          observe?.(tableName, chain.name, num, rule.spec, t.kind);
          continue;
        case 'REJECT':
          observe?.(tableName, chain.name, num, rule.spec, 'REJECT');
          return { verdict: 'DROP', target: t, chain: chain.name, rule: num, spec: rule.spec };
        case 'DNAT':
        case 'SNAT':
        case 'MASQUERADE':
        case 'REDIRECT':
          observe?.(tableName, chain.name, num, rule.spec, t.kind);
          return { verdict: 'ACCEPT', target: t, chain: chain.name, rule: num, spec: rule.spec };
      }
    }
    return { verdict: 'ACCEPT', chain: hook, rule: 0 };
  }
}
