/**
 * Named worlds that `netsim --world NAME` and lessons start from.
 *
 * - `bare`: one fresh network namespace as `unshare -n` gives it, with `lo` already up and
 *   nothing else (the world of the kernel conformance cases).
 * - `linux`: one Linux host `host` with eth0 10.0.0.10/24 on a LAN whose router and resolver is
 *   10.0.0.1, and a small simulated internet behind that router.
 */
import { World } from '../net/world.ts';
import { addGatewayAndInternet, addNic, defaultRoute, linuxFs, loUp } from './builders.ts';
import { installDocker } from '../docker/engine.ts';

export type WorldName = 'bare' | 'linux' | 'docker';

export const WORLD_NAMES: readonly string[] = ['bare', 'linux', 'docker'];

export const WORLD_DESCRIPTIONS: Record<WorldName, string> = {
  bare: 'one fresh network namespace (as `unshare -n` gives it): lo up, nothing else',
  linux: 'a Linux host (eth0 10.0.0.10/24) on a LAN with a router and resolver at 10.0.0.1 and the internet behind it',
  docker: 'the linux world with Docker Engine 29 running on the host (docker0 172.17.0.1/16, no containers yet)',
};

export function bareWorld(seed = 1): World {
  const w = new World(seed);
  const h = w.addHost('host', linuxFs('host', '10.0.0.1'));
  loUp(h.root);
  return w;
}

export function linuxWorld(seed = 1): World {
  const w = new World(seed);
  const h = w.addHost('host', linuxFs('host', '10.0.0.1'));
  loUp(h.root);
  addNic(w, h.root, 'eth0', 'lan', '10.0.0.10/24', { latency: 150 });
  defaultRoute(h.root, '10.0.0.1');
  addGatewayAndInternet(w, 'lan', '10.0.0.1/24');
  return w;
}

/** The `linux` host with Docker Engine installed and started. */
export function dockerWorld(seed = 1): World {
  const w = linuxWorld(seed);
  installDocker(w.host('host')!);
  return w;
}

export function createWorld(name: string, seed = 1): World | null {
  switch (name) {
    case 'docker':
      return dockerWorld(seed);
    case 'bare':
      return bareWorld(seed);
    case 'linux':
      return linuxWorld(seed);
    default:
      return null;
  }
}
