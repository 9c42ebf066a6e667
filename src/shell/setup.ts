/**
 * Finish a scenario: on each host, set its sysctls, add its routes and run its setup commands,
 * through the shell, in the order the scenario lists the hosts.
 */
import type { World } from '../sim/net/world.ts';
import type { Scenario } from '../sim/scenario/schema.ts';
import { Session } from './session.ts';
import { runLine } from './script.ts';

/** Returns null on success, else a message naming the host and command that failed. */
export async function runScenarioSetup(world: World, s: Scenario): Promise<string | null> {
  for (const h of s.hosts) {
    const lines: string[] = [];
    for (const [k, v] of Object.entries(h.sysctl)) lines.push(`sysctl -q -w ${k}=${v}`);
    for (const r of h.routes) lines.push(`ip route add ${r}`);
    lines.push(...h.setup);
    if (!lines.length) continue;
    const session = new Session(world, { startHost: h.name });
    for (const line of lines) {
      const r = await runLine(session, line);
      if (r.exitCode !== 0) return `host ${h.name}: \`${line}\` exited ${r.exitCode}${r.output ? `: ${r.output.trim()}` : ''}`;
    }
  }
  return null;
}
