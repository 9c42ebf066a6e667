/**
 * Finish a scenario: on each host, set its sysctls, add its routes and run its setup commands,
 * through the shell, in the order the scenario lists the hosts.
 */
import type { World } from '../sim/net/world.ts';
import type { Scenario } from '../sim/scenario/schema.ts';
import { Session } from './session.ts';
import { runLine } from './script.ts';
import { installDocker } from '../sim/docker/engine.ts';

/** Returns null on success, else a message naming the host and command that failed. */
export async function runScenarioSetup(world: World, s: Scenario): Promise<string | null> {
  const run = async (host: string, lines: string[]): Promise<string | null> => {
    if (!lines.length) return null;
    const session = new Session(world, { startHost: host });
    for (const line of lines) {
      const r = await runLine(session, line);
      if (r.exitCode !== 0) return `host ${host}: \`${line}\` exited ${r.exitCode}${r.output ? `: ${r.output.trim()}` : ''}`;
    }
    return null;
  };
  // sysctls and routes everywhere first, then Docker, then the setup commands (which may use both)
  for (const h of s.hosts) {
    const lines: string[] = [];
    for (const [k, v] of Object.entries(h.sysctl)) lines.push(`sysctl -q -w ${k}=${v}`);
    for (const r of h.routes) lines.push(`ip route add ${r}`);
    const err = await run(h.name, lines);
    if (err) return err;
  }
  for (const h of s.hosts) if (h.docker) installDocker(world.host(h.name)!);
  for (const h of s.hosts) {
    const err = await run(h.name, h.setup);
    if (err) return err;
  }
  return null;
}
