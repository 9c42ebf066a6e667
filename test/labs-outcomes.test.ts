/**
 * Labs 6, 7, 10 and 11 grade outcomes: other good fixes than the reference solution pass, and
 * tempting half-fixes leave a task failing. Hints follow what the learner did.
 */
import { describe, expect, it } from 'vitest';
import { loadLabs } from '../src/cli/labs.ts';
import { grade, hintsNow, startLab, variantFor, type LabInstance } from '../src/labs/runner.ts';
import { runLine } from '../src/shell/index.ts';

const labs = loadLabs();
const byId = (id: string) => labs.find((l) => l.lab.id === id)!;

/** A lab instance for the first seed whose variant has this fault. */
async function withFault(id: string, fault: string): Promise<LabInstance> {
  const l = byId(id);
  for (let seed = 1; seed < 100; seed++) if (variantFor(l.lab, seed).fault === fault) return startLab(l.lab, seed, { scenarioText: l.scenarioText });
  throw new Error(`no seed of ${id} gives ${fault}`);
}

async function typeAll(inst: LabInstance, lines: string[]): Promise<void> {
  for (const line of lines) {
    const r = await runLine(inst.session, line);
    if (r.exitCode !== 0) throw new Error(`${line}: ${r.output}`);
  }
}

const failing = async (inst: LabInstance) => {
  const g = await grade(inst);
  return [...g.tasks, ...g.guards].filter((t) => !t.ok).map((t) => t.id);
};

describe('dns-override', () => {
  it('the daemon-wide way (daemon.json "dns", restart, recreate) is as good as --dns', async () => {
    const inst = await withFault('dns-override', 'command-writes-resolv');
    const { app, net, dnsip } = inst.variant.vars;
    await typeAll(inst, ['mkdir -p /etc/docker', `echo '{"dns": ["${dnsip}"]}' > /etc/docker/daemon.json`, 'systemctl restart docker', `docker rm -f ${app}`, `docker run -d --name ${app} --network ${net} alpine sleep infinity`, `docker start ${inst.variant.vars.api}`]);
    expect(await failing(inst)).toEqual([]);
  });

  it('putting 127.0.0.11 back by hand brings the containers back but not the company names', async () => {
    const inst = await withFault('dns-override', 'command-writes-resolv');
    const { app } = inst.variant.vars;
    await typeAll(inst, [`docker exec ${app} sh -c 'echo nameserver 127.0.0.11 > /etc/resolv.conf'`]);
    expect(await failing(inst)).toEqual(['corp-name', 'corp-answers', 'names-from-dns']);
    // and the ladder now speaks to that state: the upstream, no longer the missing 127.0.0.11
    const texts = (await hintsNow(inst)).map((h) => h.text);
    expect(texts.some((t) => t.includes('ExtServers'))).toBe(true);
    expect(texts.some((t) => t.includes('Which one does'))).toBe(false);
  });
});

describe('vpn-overlap', () => {
  it('recreating the network with a --subnet outside the office range fixes the default-pool fault too', async () => {
    const inst = await withFault('vpn-overlap', 'default-pool');
    const { app, api, net } = inst.variant.vars;
    expect(await failing(inst)).toContain('host-reaches-office');
    await typeAll(inst, [`docker network disconnect ${net} ${app}`, `docker network disconnect ${net} ${api}`, `docker network rm ${net}`, `docker network create --subnet 10.99.0.0/24 ${net}`, `docker network connect ${net} ${api}`, `docker network connect ${net} ${app}`]);
    expect(await failing(inst)).toEqual([]);
  });

  it('moving to another subnet inside 172.16.0.0/12 that misses both test machines still fails a guard', async () => {
    const inst = await withFault('vpn-overlap', 'default-pool');
    const { app, api, net } = inst.variant.vars;
    await typeAll(inst, [`docker network disconnect ${net} ${app}`, `docker network disconnect ${net} ${api}`, `docker network rm ${net}`, `docker network create --subnet 172.30.0.0/16 ${net}`, `docker network connect ${net} ${api}`, `docker network connect ${net} ${app}`]);
    expect(await failing(inst)).toEqual(['no-bridge-in-office-range']);
  });
});

describe('macvlan-host', () => {
  it('a shim with another name, and an address at the top of the containers range, passes', async () => {
    const inst = await withFault('macvlan-host', 'no-shim');
    const { r } = inst.variant.vars;
    const top = Number(r) + 31;
    await typeAll(inst, ['ip link add hostside link eth0 type macvlan mode bridge', `ip addr add 10.0.0.${top}/32 dev hostside`, 'ip link set hostside up', `ip route add 10.0.0.${r}/27 dev hostside`]);
    expect(await failing(inst)).toEqual([]);
  });

  it('a shim without its route is not enough, and the hint says where the packets go', async () => {
    const inst = await withFault('macvlan-host', 'no-shim');
    await typeAll(inst, ['ip link add hostside link eth0 type macvlan mode bridge', 'ip addr add 10.0.0.240/32 dev hostside', 'ip link set hostside up']);
    expect(await failing(inst)).toEqual(['host-to-container', 'container-to-host']);
    expect((await hintsNow(inst))[0].text).toContain('ip route get');
  });
});

describe('hardcoded-ip', () => {
  it('a fixed --ip for the API, with the app pointed at it, passes', async () => {
    const inst = await withFault('hardcoded-ip', 'url-with-address');
    const { app, api, net } = inst.variant.vars;
    await typeAll(inst, [`docker rm -f ${api}`, `docker run -d --name ${api} --hostname ${api} --network ${net} --ip 172.18.0.100 traefik/whoami`, `docker rm -f ${app}`, `docker run -dit --name ${app} --network ${net} -e API_URL=http://172.18.0.100/ alpine ash`]);
    expect(await failing(inst)).toEqual([]);
  });

  it('pinning the new address instead of the old one works today and fails the task about tomorrow', async () => {
    const inst = await withFault('hardcoded-ip', 'pinned-now-other');
    const { app, api, net } = inst.variant.vars;
    const ip = (await runLine(inst.session, `docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' ${api}`)).output.trim();
    await typeAll(inst, [`docker rm -f ${app}`, `docker run -dit --name ${app} --network ${net} -e API_URL=http://${api}/ --add-host ${api}:${ip} alpine ash`]);
    expect(await failing(inst)).toEqual(['survives-redeploy']);
  });
});

describe('guard messages a learner reads', () => {
  it('a container moved onto the host network is named as such, not "on no network"', async () => {
    const inst = await withFault('published-but-silent', 'loopback-only');
    const { app, hport } = inst.variant.vars;
    await typeAll(inst, [`docker rm -f ${app}`, `docker run -d --name ${app} --network host python python3 -m http.server ${hport}`]);
    const g = await grade(inst);
    const guard = g.guards.find((x) => x.id === 'own-namespace')!;
    expect(guard.ok).toBe(false);
    expect(guard.checks.map((c) => c.message).join(' ')).toContain(`container ${app}: running, on the host's network namespace (--network host)`);
  });

  it('a flushed FORWARD chain is reported as the jump to DOCKER-USER being gone', async () => {
    const inst = await withFault('forward-policy-drop', 'drop-on-top');
    await typeAll(inst, ['iptables -F FORWARD']);
    const g = await grade(inst);
    const guard = g.guards.find((x) => x.id === 'docker-user-kept')!;
    expect(guard.checks.map((c) => c.message).join(' ')).toContain('FORWARD no longer jumps to DOCKER-USER');
  });
});
