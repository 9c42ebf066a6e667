/**
 * dnsmasq on a LAN host, as an office DNS server: names from /etc/hosts and addn-hosts files,
 * address= and local= rules, the rest forwarded to the nameservers of its resolv.conf; the
 * configuration read from /etc/dnsmasq.conf; a port already taken refused.
 */
import { describe, expect, it } from 'vitest';
import { Session, runLine } from '../src/shell/index.ts';
import { runScenarioSetup } from '../src/shell/setup.ts';
import { loadScenarioText } from '../src/sim/scenario/load.ts';

const SCENARIO = `
segments: { lan: {} }
internet: { segment: lan, gateway: 10.0.0.1/24 }
hosts:
  - name: client
    docker: true
    interfaces: [{ name: eth0, segment: lan, address: 10.0.0.10/24 }]
    routes: [default via 10.0.0.1]
    resolver: 10.0.0.53
  - name: ns1
    interfaces: [{ name: eth0, segment: lan, address: 10.0.0.53/24 }]
    routes: [default via 10.0.0.1]
    resolver: 10.0.0.1
    files:
      /etc/dnsmasq.conf: |
        # office names
        domain-needed
        addn-hosts=/etc/hosts.corp
        address=/lab.corp.example/10.0.0.99
        local=/corp.example/
      /etc/hosts.corp: |
        10.0.0.20 wiki.corp.example wiki
    setup: [dnsmasq]
`;

async function world(): Promise<Session> {
  const r = loadScenarioText(SCENARIO, 1);
  if (!r.ok) throw new Error(r.errors.join('; '));
  const err = await runScenarioSetup(r.world, r.scenario);
  if (err) throw new Error(err);
  return new Session(r.world, { startHost: 'client' });
}

describe('dnsmasq', () => {
  it('answers its files and rules, keeps its local domain, forwards the rest', async () => {
    const s = await world();
    expect((await runLine(s, 'ping -c1 wiki.corp.example')).output).toMatch(/^PING wiki\.corp\.example \(10\.0\.0\.20\)/);
    expect((await runLine(s, 'ping -c1 -W1 build.lab.corp.example')).output).toMatch(/^PING build\.lab\.corp\.example \(10\.0\.0\.99\)/);
    expect((await runLine(s, 'curl -sS -o /dev/null -w "%{http_code}\\n" http://example.com/')).output).toBe('200\n');
    // local=/corp.example/: an unknown office name is not forwarded, it is NXDOMAIN at once
    const none = await runLine(s, 'ping -c1 nothing.corp.example');
    expect(none).toMatchObject({ exitCode: 2, output: 'ping: nothing.corp.example: Name or service not known\n' });
    expect((await runLine(s, 'ssh ns1 ss -ulnp')).output).toContain('users:(("dnsmasq"');
  });

  it('a second one cannot take port 53; --test checks the configuration; -d logs what it read', async () => {
    const s = await world();
    expect(await runLine(s, 'ssh ns1 dnsmasq')).toMatchObject({ exitCode: 2, output: 'dnsmasq: failed to create listening socket for port 53: Address already in use\n' });
    expect((await runLine(s, 'ssh ns1 dnsmasq --test')).output).toBe('dnsmasq: syntax check OK.\n');
    expect(await runLine(s, 'ssh ns1 dnsmasq --bogus')).toMatchObject({ exitCode: 1, output: "dnsmasq: unrecognized option '--bogus'\ndnsmasq: bad command line options: try --help\n" });
    const d = await runLine(s, 'ssh ns1 dnsmasq -d --port 5353 --no-hosts');
    expect(d.output).toContain('dnsmasq: started, version 2.89 cachesize 150\n');
    expect(d.output).toContain('dnsmasq: using only locally-known addresses for corp.example\n');
    expect(d.output).toContain('dnsmasq: using nameserver 10.0.0.1#53\n');
    expect(d.output).toContain('dnsmasq: read /etc/hosts.corp - 2 names\n');
  });

  it('its own names carry the AA flag, forwarded ones do not; the embedded DNS of Docker relays the flag', async () => {
    const s = await world();
    await runLine(s, 'docker network create n');
    const own = (await runLine(s, 'docker run --rm --network n --dns 10.0.0.53 alpine nslookup wiki.corp.example')).output;
    expect(own).toContain('Name:\twiki.corp.example\nAddress: 10.0.0.20\n');
    expect(own).not.toContain('Non-authoritative answer:');
    expect((await runLine(s, 'docker run --rm --network n --dns 10.0.0.53 alpine nslookup example.com')).output).toContain('Non-authoritative answer:\nName:\texample.com\n');
  });
});
