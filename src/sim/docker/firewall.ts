/**
 * The iptables rules Docker Engine 29 (moby, iptables firewall backend) installs, in its layout:
 * filter chains DOCKER-USER, DOCKER-FORWARD (with DOCKER-CT, DOCKER-INTERNAL, DOCKER-BRIDGE)
 * and DOCKER; nat chain DOCKER with one MASQUERADE rule per network in POSTROUTING; raw rules that
 * stop direct access to containers with published ports. Rules are added and removed through the
 * same netfilter API `iptables` uses, so `iptables -S` shows exactly what Docker would have added,
 * and a learner who changes them changes what happens to packets.
 *
 * Layout and ordering follow moby's generated iptables documentation
 * (integration/network/bridge/iptablesdoc).
 */
import type { Netns } from '../net/model.ts';
import { addRule, deleteRuleSpec, newChain, parseSpecFor, setPolicy } from '../netfilter/edit.ts';
import type { TableName } from '../netfilter/rule.ts';
import { formatRuleSave } from '../netfilter/ruletext.ts';
import { formatIpv4, type Ipv4 } from '../wire/addr.ts';
import { subnetText, type Subnet } from './ipam.ts';

function rule(ns: Netns, table: TableName, chain: string, text: string, position?: number): void {
  const spec = parseSpecFor(ns, table, text.split(' '));
  if ('message' in spec) throw new Error(`docker firewall: bad rule ${text}: ${spec.message}`);
  addRule(ns, table, chain, spec, position);
}

/** Delete a rule if it is there (a learner may have removed it already). */
function unrule(ns: Netns, table: TableName, chain: string, text: string): void {
  if (!ns.nf.table(table).chains.has(chain)) return;
  const spec = parseSpecFor(ns, table, text.split(' '));
  if ('message' in spec) return;
  deleteRuleSpec(ns, table, chain, spec);
}

function chain(ns: Netns, table: TableName, name: string): void {
  if (!ns.nf.table(table).chains.has(name)) newChain(ns, table, name);
}

/**
 * EnsureJumpRule: remove the jump if it is there, then insert it at the head of the chain. A
 * daemon that starts again so puts its jumps back above whatever rules were added meanwhile.
 */
function ensureJump(ns: Netns, from: string, to: string): void {
  unrule(ns, 'filter', from, `-j ${to}`);
  rule(ns, 'filter', from, `-j ${to}`, 1);
}

/**
 * setupIPChains (the bridge driver's chains and jumps, each inserted at the top in reverse
 * order), then setupUserChain (DOCKER-USER, created once and never emptied, its jump inserted
 * above DOCKER-FORWARD), when the daemon starts.
 */
export function installBaseRules(ns: Netns, forwardPolicyDrop: boolean, hairpin = false): void {
  for (const c of ['DOCKER', 'DOCKER-BRIDGE', 'DOCKER-CT', 'DOCKER-FORWARD', 'DOCKER-INTERNAL', 'DOCKER-USER']) chain(ns, 'filter', c);
  ensureJump(ns, 'FORWARD', 'DOCKER-FORWARD');
  ensureJump(ns, 'DOCKER-FORWARD', 'DOCKER-BRIDGE');
  ensureJump(ns, 'DOCKER-FORWARD', 'DOCKER-INTERNAL');
  ensureJump(ns, 'DOCKER-FORWARD', 'DOCKER-CT');
  ensureJump(ns, 'FORWARD', 'DOCKER-USER');
  chain(ns, 'nat', 'DOCKER');
  rule(ns, 'nat', 'PREROUTING', '-m addrtype --dst-type LOCAL -j DOCKER');
  // with the userland proxy, the host's own connections to 127.0.0.0/8 are left to docker-proxy;
  // without it (hairpin mode) they are DNATed too
  rule(ns, 'nat', 'OUTPUT', hairpin ? '-m addrtype --dst-type LOCAL -j DOCKER' : '! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER');
  // setupIPv4Forwarding: the daemon switched forwarding on itself, so it closes the FORWARD
  // policy to keep the host from routing for everyone
  if (forwardPolicyDrop) setPolicy(ns, 'filter', 'FORWARD', 'DROP');
}

/**
 * What dockerd does to its rules when it starts again (removeIPChains): its chains are emptied
 * and the jumps to them removed, so that installBaseRules and addNetworkRules rebuild exactly one
 * copy of each. DOCKER-USER is the user's: its rules stay (setupUserChain never touches them).
 */
export function clearDockerRules(ns: Netns): void {
  for (const table of ['filter', 'nat', 'raw'] as TableName[]) {
    const t = ns.nf.table(table);
    for (const c of t.chains.values()) {
      if (c.name === 'DOCKER-USER' && table === 'filter') continue;
      if (c.name.startsWith('DOCKER')) c.rules.length = 0;
      else c.rules = c.rules.filter((r) => {
        const tgt = r.spec.target;
        const jumpsToDocker = (tgt.kind === 'jump' || tgt.kind === 'goto') && tgt.chain.startsWith('DOCKER');
        // Docker's own MASQUERADE and direct-access rules, not rules of the same kind a user added
        const text = formatRuleSave(r.spec);
        const masq = table === 'nat' && c.name === 'POSTROUTING' && (/^-s \S+ ! -o \S+ -j MASQUERADE$/.test(text) || /^-o \S+ -m addrtype --src-type LOCAL -j MASQUERADE$/.test(text) || /^-s (\S+)\/32 -d \1\/32 -p (tcp|udp) -m (tcp|udp) --dport \d+ -j MASQUERADE$/.test(text));
        const direct = table === 'raw' && c.name === 'PREROUTING' && (/^-d \S+\/32 ! -i \S+ -j DROP$/.test(text) || /^-d 127\.\S+\/32 ! -i lo -p (tcp|udp) -m (tcp|udp) --dport \d+ -j DROP$/.test(text));
        return !jumpsToDocker && !masq && !direct;
      });
    }
  }
  ns.nf.changed();
}

export interface BridgeNet {
  readonly bridge: string;
  readonly subnet: Subnet;
  readonly internal: boolean;
  /** the userland proxy is off (daemon.json "userland-proxy": false): Docker's hairpin mode */
  readonly hairpin?: boolean;
}

function networkRules(n: BridgeNet): { table: TableName; chain: string; text: string; top?: boolean }[] {
  const br = n.bridge;
  const net = subnetText(n.subnet);
  if (n.internal) {
    return [
      { table: 'filter', chain: 'DOCKER-FORWARD', text: `-i ${br} -o ${br} -j ACCEPT` },
      // inserted at the head of DOCKER-INTERNAL as a pair (newest network first)
      { table: 'filter', chain: 'DOCKER-INTERNAL', text: `! -d ${net} -i ${br} -j DROP`, top: true },
      { table: 'filter', chain: 'DOCKER-INTERNAL', text: `! -s ${net} -o ${br} -j DROP`, top: true },
    ];
  }
  return [
    { table: 'filter', chain: 'DOCKER', text: `! -i ${br} -o ${br} -j DROP` },
    { table: 'filter', chain: 'DOCKER-BRIDGE', text: `-o ${br} -j DOCKER` },
    { table: 'filter', chain: 'DOCKER-CT', text: `-o ${br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT` },
    { table: 'filter', chain: 'DOCKER-FORWARD', text: `-i ${br} -j ACCEPT` },
    { table: 'nat', chain: 'POSTROUTING', text: `-s ${net} ! -o ${br} -j MASQUERADE`, top: true },
    // hairpin mode: the host's own connections, DNATed from 127.0.0.1 (route_localnet is on for
    // the bridge), leave by the bridge with the bridge's address ("MASQ LOCAL HOST")
    ...(n.hairpin ? [{ table: 'nat' as TableName, chain: 'POSTROUTING', text: `-o ${br} -m addrtype --src-type LOCAL -j MASQUERADE`, top: true }] : []),
  ];
}

/** setupIPTablesInternal and friends, when a bridge network is created. */
export function addNetworkRules(ns: Netns, n: BridgeNet): void {
  for (const r of networkRules(n)) rule(ns, r.table, r.chain, r.text, r.top ? 1 : undefined);
}

export function removeNetworkRules(ns: Netns, n: BridgeNet): void {
  for (const r of networkRules(n)) unrule(ns, r.table, r.chain, r.text);
}

export interface PortMapping {
  readonly proto: 'tcp' | 'udp';
  readonly hostIp: Ipv4 | null;
  readonly hostPort: number;
  readonly containerPort: number;
}

function portRules(br: string, ip: Ipv4, p: PortMapping, hairpin: boolean): { table: TableName; chain: string; text: string; top?: boolean }[] {
  const ctr = formatIpv4(ip);
  const dst = p.hostIp !== null && p.hostIp !== 0 ? `-d ${formatIpv4(p.hostIp)}/32 ` : '';
  const rules: { table: TableName; chain: string; text: string; top?: boolean }[] = [];
  // filterPortMappedOnLoopback: a port published on a loopback address is dropped when it comes
  // from anywhere but lo (a remote host could otherwise route to 127.0.0.1 through a bridge
  // whose route_localnet is on)
  if (p.hostIp !== null && p.hostIp >>> 24 === 127) rules.push({ table: 'raw', chain: 'PREROUTING', text: `-d ${formatIpv4(p.hostIp)}/32 ! -i lo -p ${p.proto} -m ${p.proto} --dport ${p.hostPort} -j DROP` });
  // setPerPortForwarding: at the head of DOCKER, before the network's DROP rule
  rules.push({ table: 'filter', chain: 'DOCKER', text: `-d ${ctr}/32 ! -i ${br} -o ${br} -p ${p.proto} -m ${p.proto} --dport ${p.containerPort} -j ACCEPT`, top: true });
  // setPerPortNAT: with the userland proxy the DNAT rule skips traffic from the container's own
  // bridge (docker-proxy serves it); without it, that traffic is DNATed too, and a container
  // reaching its own published port needs its source rewritten (the hairpin MASQUERADE), or the
  // answer would stay inside the container and never be un-DNATed
  rules.push({ table: 'nat', chain: 'DOCKER', text: `${dst}${hairpin ? '' : `! -i ${br} `}-p ${p.proto} -m ${p.proto} --dport ${p.hostPort} -j DNAT --to-destination ${ctr}:${p.containerPort}` });
  if (hairpin) rules.push({ table: 'nat', chain: 'POSTROUTING', text: `-s ${ctr}/32 -d ${ctr}/32 -p ${p.proto} -m ${p.proto} --dport ${p.containerPort} -j MASQUERADE` });
  return rules;
}

/** A container's published ports on one network. */
export function addPortRules(ns: Netns, br: string, ip: Ipv4, ports: readonly PortMapping[], hairpin = false): void {
  for (const p of ports) for (const r of portRules(br, ip, p, hairpin)) rule(ns, r.table, r.chain, r.text, r.top ? 1 : undefined);
}

export function removePortRules(ns: Netns, br: string, ip: Ipv4, ports: readonly PortMapping[], hairpin = false): void {
  for (const p of ports) for (const r of portRules(br, ip, p, hairpin)) unrule(ns, r.table, r.chain, r.text);
}

/**
 * filterDirectAccess, for every endpoint of a bridge network that is not internal (Engine 29
 * adds it with the endpoint, published ports or not): packets addressed straight to the
 * container's address are dropped unless they come from its own bridge, so a machine on the LAN
 * with a route to the subnet cannot reach the container past the published ports.
 */
export function addDirectAccessRule(ns: Netns, br: string, ip: Ipv4): void {
  rule(ns, 'raw', 'PREROUTING', `-d ${formatIpv4(ip)}/32 ! -i ${br} -j DROP`);
}

export function removeDirectAccessRule(ns: Netns, br: string, ip: Ipv4): void {
  unrule(ns, 'raw', 'PREROUTING', `-d ${formatIpv4(ip)}/32 ! -i ${br} -j DROP`);
}

/**
 * Inside a container on a user-defined network: the embedded DNS server listens on 127.0.0.11
 * at two random ports, and these rules make it answer on port 53 (setupResolutionFiles /
 * resolver.SetupFunc).
 */
export function addResolverRules(ns: Netns, udpPort: number, tcpPort: number): void {
  chain(ns, 'nat', 'DOCKER_OUTPUT');
  chain(ns, 'nat', 'DOCKER_POSTROUTING');
  rule(ns, 'nat', 'OUTPUT', '-d 127.0.0.11/32 -j DOCKER_OUTPUT');
  rule(ns, 'nat', 'POSTROUTING', '-d 127.0.0.11/32 -j DOCKER_POSTROUTING');
  rule(ns, 'nat', 'DOCKER_OUTPUT', `-d 127.0.0.11/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:${tcpPort}`);
  rule(ns, 'nat', 'DOCKER_OUTPUT', `-d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:${udpPort}`);
  rule(ns, 'nat', 'DOCKER_POSTROUTING', `-s 127.0.0.11/32 -p tcp -m tcp --sport ${tcpPort} -j SNAT --to-source :53`);
  rule(ns, 'nat', 'DOCKER_POSTROUTING', `-s 127.0.0.11/32 -p udp -m udp --sport ${udpPort} -j SNAT --to-source :53`);
}
