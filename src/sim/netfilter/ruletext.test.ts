/**
 * The iptables rule language: parsing into a RuleSpec and printing back in `iptables -S` form,
 * checked against rules and outputs recorded from iptables 1.8.9, plus a round-trip property.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatCount, formatListRule, formatRuleSave, isRuleError, parseRuleSpec } from './ruletext.ts';
import { splitRuleText } from './edit.ts';
import type { RuleSpec } from './rule.ts';

const chains = new Set(['DOCKER', 'DOCKER-ISOLATION-STAGE-1', 'KUBE-SERVICES']);
const parse = (text: string) => parseRuleSpec(splitRuleText(text), (n) => chains.has(n));

describe('iptables -S form', () => {
  it.each([
    // given                                                             printed by iptables -S (recorded)
    ['-p icmp --icmp-type echo-request -m comment --comment "allow ping" -j ACCEPT', '-p icmp -m icmp --icmp-type 8 -m comment --comment "allow ping" -j ACCEPT'],
    ['-j DOCKER-ISOLATION-STAGE-1', '-j DOCKER-ISOLATION-STAGE-1'],
    ['-o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'],
    ['-o docker0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT', '-o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'],
    ['-i docker0 ! -o docker0 -j ACCEPT', '-i docker0 ! -o docker0 -j ACCEPT'],
    ['-d 172.17.0.3 ! -i docker0 -o docker0 -p tcp --dport 80 -j ACCEPT', '-d 172.17.0.3/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT'],
    ['-m addrtype --dst-type LOCAL -j DOCKER', '-m addrtype --dst-type LOCAL -j DOCKER'],
    ['! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER', '! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER'],
    ['-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE', '-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE'],
    ['! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.3:80', '! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.3:80'],
    ['-p tcp --dport 80 -j REJECT --reject-with tcp-reset', '-p tcp -m tcp --dport 80 -j REJECT --reject-with tcp-reset'],
    ['-p icmp -j REJECT', '-p icmp -j REJECT --reject-with icmp-port-unreachable'],
    ['-s 10.1.2.3/16 -j DROP', '-s 10.1.0.0/16 -j DROP'],
    ['-s 203.0.113.1 -p icmp', '-s 203.0.113.1/32 -p icmp'],
    ['-p udp -m multiport --dports 53,67:68 -j ACCEPT', '-p udp -m multiport --dports 53,67:68 -j ACCEPT'],
    ['-p tcp --syn -j LOG --log-prefix "new: "', '-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j LOG --log-prefix "new: "'],
  ])('%s', (given, printed) => {
    const spec = parse(given);
    expect(isRuleError(spec)).toBe(false);
    expect(formatRuleSave(spec as RuleSpec)).toBe(printed);
  });
});

describe('parse errors (iptables 1.8.9 wording and status)', () => {
  it.each([
    ['-j NOPE', "iptables v1.8.9 (nf_tables): Chain 'NOPE' does not exist\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
    ['--dport 80 -j ACCEPT', 'iptables v1.8.9 (nf_tables): unknown option "--dport"\nTry `iptables -h\' or \'iptables --help\' for more information.\n', 2],
    ['-s 300.1.1.1 -j DROP', "iptables v1.8.9 (nf_tables): host/network `300.1.1.1' not found\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
    ['-p tcp --dport nope -j DROP', "iptables v1.8.9 (nf_tables): invalid port/service `nope' specified\nTry `iptables -h' or 'iptables --help' for more information.\n", 2],
  ])('%s', (given, message, status) => {
    const r = parse(given);
    expect(isRuleError(r)).toBe(true);
    if (isRuleError(r)) {
      expect(r.message).toBe(message);
      expect(r.status).toBe(status);
    }
  });
});

describe('iptables -L columns', () => {
  it('matches the recorded line for a DNAT rule', () => {
    const spec = parse('! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.3:80') as RuleSpec;
    expect(formatListRule(spec, { pkts: 1, bytes: 60 }, 1, { numeric: true, verbose: true, exact: false, lineNumbers: false })).toBe(
      '    1    60 DNAT       6    --  !docker0 *       0.0.0.0/0            0.0.0.0/0            tcp dpt:8080 to:172.17.0.3:80',
    );
  });

  it('prints names without -n', () => {
    const spec = parse('-o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT') as RuleSpec;
    expect(formatListRule(spec, { pkts: 0, bytes: 0 }, 1, { numeric: false, verbose: false, exact: false, lineNumbers: false })).toBe(
      'ACCEPT     all  --  anywhere             anywhere             ctstate RELATED,ESTABLISHED',
    );
  });

  it.each([
    [0, false, '    0 '],
    [99999, false, '99999 '],
    [100000, false, ' 100K '],
    [123456789, false, ' 123M '],
    [168, true, '     168 '],
  ])('counter %i (exact %s)', (n, exact, text) => {
    expect(formatCount(n, exact)).toBe(text);
  });
});

describe('round trip', () => {
  const addr = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 32 })).map(([a, b, len]) => `10.${a}.${b}.0/${len}`);
  const iface = fc.constantFrom('eth0', 'docker0', 'br-1a2b', 'veth+', 'cni0');
  const neg = fc.boolean().map((b) => (b ? '! ' : ''));
  const piece = fc.oneof(
    fc.tuple(neg, addr).map(([n, a]) => `${n}-s ${a}`),
    fc.tuple(neg, addr).map(([n, a]) => `${n}-d ${a}`),
    fc.tuple(neg, iface).map(([n, i]) => `${n}-i ${i}`),
    fc.tuple(neg, iface).map(([n, i]) => `${n}-o ${i}`),
  );
  const proto = fc.oneof(
    fc.constant(''),
    fc.integer({ min: 1, max: 65535 }).map((p) => `-p tcp -m tcp --dport ${p}`),
    fc.integer({ min: 1, max: 65535 }).map((p) => `-p udp -m udp --sport ${p}`),
    fc.constant('-p icmp -m icmp --icmp-type 8'),
  );
  const extra = fc.constantFrom('', '-m conntrack --ctstate NEW', '-m addrtype --dst-type LOCAL', '-m comment --comment "a b"');
  const target = fc.constantFrom('-j ACCEPT', '-j DROP', '-j RETURN', '-j DOCKER', '-j REJECT --reject-with icmp-port-unreachable', '');

  it('printing a parsed rule and parsing it again gives the same rule', () => {
    fc.assert(
      fc.property(fc.uniqueArray(piece, { maxLength: 4, selector: (s) => s.replace(/^! /, '').slice(0, 2) }), proto, extra, target, (ps, p, e, t) => {
        const text = [...ps, p, e, t].filter(Boolean).join(' ');
        const spec = parse(text);
        if (isRuleError(spec)) return false;
        const printed = formatRuleSave(spec);
        const again = parse(printed);
        return !isRuleError(again) && JSON.stringify(again) === JSON.stringify(spec) && formatRuleSave(again) === printed;
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});
