/**
 * Build a world from a scenario: validate, create hosts, segments, NICs, addresses and files.
 * Routes, sysctls and setup commands are run afterwards through the shell (shell/setup.ts), so
 * they use exactly the syntax a person would type.
 */
import { parse as parseYaml } from 'yaml';
import { World } from '../net/world.ts';
import { addAddr, addLink, setUp } from '../net/netlink.ts';
import { parseCidr, parseMac } from '../wire/addr.ts';
import { linuxFs, loUp, startSshd, addGatewayAndInternet } from '../worlds/builders.ts';
import { ScenarioSchema, type Scenario } from './schema.ts';

export type LoadResult = { ok: true; world: World; scenario: Scenario } | { ok: false; errors: string[] };

function zodErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(top)'}: ${i.message}`);
}

export function validateScenario(data: unknown): { ok: true; scenario: Scenario } | { ok: false; errors: string[] } {
  const r = ScenarioSchema.safeParse(data);
  if (!r.success) return { ok: false, errors: zodErrors(r.error.issues) };
  const s = r.data;
  const errors: string[] = [];
  const names = new Set<string>();
  for (const [i, h] of s.hosts.entries()) {
    if (names.has(h.name)) errors.push(`hosts.${i}.name: host "${h.name}" is defined twice`);
    names.add(h.name);
    const ifs = new Set<string>();
    for (const [j, nic] of h.interfaces.entries()) {
      if (ifs.has(nic.name) || nic.name === 'lo') errors.push(`hosts.${i}.interfaces.${j}.name: interface "${nic.name}" is defined twice on ${h.name}`);
      ifs.add(nic.name);
      for (const a of [nic.address, ...(nic.addresses ?? [])]) {
        if (a !== undefined && !parseCidr(a)) errors.push(`hosts.${i}.interfaces.${j}: "${a}" is not a valid address/prefix`);
      }
    }
  }
  if (s.internet && (names.has('gateway') || names.has('internet'))) errors.push('internet: the hosts "gateway" and "internet" are reserved when internet is set');
  return errors.length ? { ok: false, errors } : { ok: true, scenario: s };
}

export function buildScenario(s: Scenario, seed: number): World {
  const world = new World(s.seed ?? seed);
  for (const h of s.hosts) {
    const host = world.addHost(h.name, linuxFs(h.name, h.resolver ?? null));
    loUp(host.root);
    for (const nic of h.interfaces) {
      const latency = s.segments[nic.segment]?.latency_us ?? 100;
      const r = addLink(host.root, { name: nic.name, kind: 'ether', segment: nic.segment, segmentLatency: latency, mac: nic.mac ? parseMac(nic.mac)! : world.rngFor(`${h.name}/${nic.name}`).mac(), mtu: nic.mtu });
      if (!r.ok) throw new Error(`${h.name}: cannot create ${nic.name}`);
      for (const a of [nic.address, ...(nic.addresses ?? [])]) {
        if (a === undefined) continue;
        const c = parseCidr(a)!;
        addAddr(r.value, { addr: c.addr, len: c.len });
      }
      if (!nic.down) setUp(r.value);
    }
    for (const [path, content] of Object.entries(h.files)) {
      const dir = path.slice(0, path.lastIndexOf('/')) || '/';
      host.fs.mkdir(dir, true);
      host.fs.write(path, content);
    }
    if (h.ssh) startSshd(host.root);
  }
  if (s.internet) addGatewayAndInternet(world, s.internet.segment, s.internet.gateway);
  return world;
}

export function loadScenarioText(text: string, seed = 1): LoadResult {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    return { ok: false, errors: [`YAML: ${(e as Error).message.split('\n')[0]}`] };
  }
  const v = validateScenario(data);
  if (!v.ok) return v;
  return { ok: true, world: buildScenario(v.scenario, seed), scenario: v.scenario };
}
