/**
 * The namespace files dockerd keeps under /var/run/docker/netns (libnetwork's osl), which
 * `ip netns` does not see and `nsenter --net=FILE` enters:
 *
 * - a container's sandbox: the first 12 characters of its sandbox id (what `docker inspect`
 *   shows as NetworkSettings.SandboxKey);
 * - an overlay network's sandbox on this node: `1-` and the first 10 characters of the network
 *   id (osl.GenerateKey of "<epoch>-<network id>", cut to 12);
 * - the routing mesh's sandbox: `ingress_sbox`;
 * - `default`, the host's own namespace, once a container runs with `--network host`.
 *
 * Containers that share another's namespace (`--network container:X`) have no file of their own.
 */
import type { Netns } from '../net/model.ts';
import type { Container, DockerEngine } from './engine.ts';

/** The container's sandbox id (64 hex), as NetworkSettings.SandboxID shows it. */
export function sandboxId(c: Container): string {
  return c.id.split('').reverse().join('');
}

/** The file of a running container's sandbox, as NetworkSettings.SandboxKey shows it. */
export function sandboxKey(c: Container): string {
  return `/var/run/docker/netns/${sandboxId(c).slice(0, 12)}`;
}

/** The pid of a running container's main process, as State.Pid shows it. */
export function containerPid(c: Container): number {
  return 4000 + (parseInt(c.id.slice(0, 4), 16) % 20000);
}

/** name → namespace, for the files present now under /var/run/docker/netns. */
export function dockerNetnsFiles(e: DockerEngine): Map<string, Netns> {
  const out = new Map<string, Netns>();
  let hostMode = false;
  for (const c of e.containers.values()) {
    if (c.state !== 'running' || !c.netns) continue;
    if (c.networkMode === 'host') {
      hostMode = true;
      continue;
    }
    if (c.networkMode.startsWith('container:')) continue;
    if (c.spec.labels?.['com.docker.swarm.task.id'] === 'ingress-sbox') out.set('ingress_sbox', c.netns);
    else out.set(sandboxId(c).slice(0, 12), c.netns);
  }
  for (const net of e.networks.values()) {
    const sb = net.overlay?.nodes.get(e);
    if (sb) out.set(`1-${net.id.slice(0, 10)}`, sb.ns);
  }
  if (hostMode) out.set('default', e.host.root);
  return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}
