/** Small helpers for the UI unit tests: run commands on a fresh lab and collect traces. */
import { runLine } from '../../src/shell/index.ts';
import { startLab, type Lab } from '../../src/ui/sim/lab.ts';
import type { TraceEvent } from '../../src/sim/trace/events.ts';

export async function lab(world: string, script: string): Promise<Lab> {
  const l = await startLab({ world });
  for (const line of script.split('\n').map((s) => s.trim()).filter(Boolean)) {
    const r = await runLine(l.session, line);
    if (r.exitCode !== 0) throw new Error(`${line}: ${r.output}`);
  }
  return l;
}

export async function trace(l: Lab, line: string): Promise<TraceEvent[]> {
  return (await runLine(l.session, line)).events;
}

/** docker0 with two containers c1 (172.17.0.2) and c2 (172.17.0.3), as in lesson 3. */
export const BRIDGE = `ip link add docker0 type bridge
ip addr add 172.17.0.1/16 dev docker0
ip link set docker0 up
ip netns add c1
ip netns add c2
ip link add veth1 type veth peer name eth0 netns c1
ip link add veth2 type veth peer name eth0 netns c2
ip link set veth1 master docker0
ip link set veth2 master docker0
ip link set veth1 up
ip link set veth2 up
ip -n c1 addr add 172.17.0.2/16 dev eth0
ip -n c2 addr add 172.17.0.3/16 dev eth0
ip -n c1 link set eth0 up
ip -n c2 link set eth0 up`;
