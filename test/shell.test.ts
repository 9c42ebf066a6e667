/**
 * The simulated shell as a person uses it: pipes, redirections into the namespace's files,
 * heredocs, nested shells (`ip netns exec red bash`, `ssh`), background jobs, virtual time,
 * history and tab completion.
 */
import { describe, expect, it } from 'vitest';
import { Session, runLine } from '../src/shell/index.ts';
import { run, world } from './helpers.ts';
import { loadScenarioText } from '../src/sim/scenario/load.ts';

async function session(name: 'bare' | 'linux', setup: string[] = []) {
  const s = new Session(world(name), {});
  for (const l of setup) {
    const r = await runLine(s, l);
    if (r.exitCode !== 0) throw new Error(`${l}: ${r.output}`);
  }
  return s;
}

const VETH = [
  'ip netns add red',
  'ip netns add blue',
  'ip link add veth-red netns red type veth peer name veth-blue netns blue',
  'ip netns exec red ip addr add 10.0.0.1/24 dev veth-red',
  'ip netns exec blue ip addr add 10.0.0.2/24 dev veth-blue',
  'ip netns exec red ip link set veth-red up',
  'ip netns exec blue ip link set veth-blue up',
];

describe('shell language over the simulator', () => {
  it('pipes, $? and && / ||', async () => {
    const s = await session('bare', VETH);
    expect((await runLine(s, 'ip netns exec red ip -br link | grep veth | wc -l')).output.trim()).toBe('1');
    expect((await runLine(s, 'ip netns exec red ping -c1 -W1 10.0.0.9 >/dev/null; echo $?')).output).toBe('1\n');
    expect((await runLine(s, 'ip netns exec red ping -c1 -W1 10.0.0.2 > /dev/null && echo reachable || echo unreachable')).output).toBe('reachable\n');
    expect((await runLine(s, 'IP=$(ip netns exec blue ip -4 -o addr show dev veth-blue | cut -d" " -f7); echo "blue is $IP"')).output).toBe('blue is 10.0.0.2/24\n');
  });

  it('redirects and heredocs write the host filesystem; /etc/netns/NAME overlays /etc inside ip netns exec', async () => {
    const s = await session('bare', ['ip netns add red', 'mkdir -p /etc/netns/red']);
    await runLine(s, "cat > /etc/netns/red/resolv.conf <<'EOF'\nnameserver 192.0.2.53\nEOF");
    expect((await runLine(s, 'ip netns exec red cat /etc/resolv.conf')).output).toBe('nameserver 192.0.2.53\n');
    expect((await runLine(s, 'cat /etc/resolv.conf')).output).not.toContain('192.0.2.53');
    await runLine(s, 'echo hello >> /tmp/notes');
    await runLine(s, 'echo again >> /tmp/notes');
    expect((await runLine(s, 'cat /tmp/notes')).output).toBe('hello\nagain\n');
    const missing = await runLine(s, 'cat /nope/file');
    expect(missing).toMatchObject({ exitCode: 1, output: 'cat: /nope/file: No such file or directory\n' });
  });

  it('sysctls are files under /proc/sys, per namespace', async () => {
    const s = await session('bare', ['ip netns add router']);
    await runLine(s, 'ip netns exec router sh -c "echo 1 > /proc/sys/net/ipv4/ip_forward"');
    expect((await runLine(s, 'ip netns exec router sysctl net.ipv4.ip_forward')).output).toBe('net.ipv4.ip_forward = 1\n');
    expect((await runLine(s, 'cat /proc/sys/net/ipv4/ip_forward')).output).toBe('0\n');
    expect((await runLine(s, 'ls /proc/sys/net/bridge')).output).toBe('bridge-nf-call-arptables\nbridge-nf-call-ip6tables\nbridge-nf-call-iptables\nbridge-nf-filter-pppoe-tagged\nbridge-nf-filter-vlan-tagged\nbridge-nf-pass-vlan-input-dev\n');
    expect((await runLine(s, 'ls /run/netns')).output).toBe('router\n');
  });

  it('sysctl -p and --system load settings from files, in procps-ng 4.0.2\'s order and format', async () => {
    const s = await session('bare', ['mkdir -p /etc/sysctl.d /usr/lib/sysctl.d']);
    const none = await runLine(s, 'sysctl -p');
    expect(none.output).toBe('sysctl: cannot open "/etc/sysctl.conf": No such file or directory\n');
    expect(none.exitCode).toBe(255);
    await runLine(s, "printf '# hardening\\nnet.ipv4.ip_forward = 0\\n-net.ipv4.no_such_key = 1\\n;old\\nnot a setting\\n' > /etc/sysctl.d/60-net.conf");
    // the same name in /usr/lib/sysctl.d is hidden by /etc's; files apply in name order, sysctl.conf last
    await runLine(s, "printf 'net.ipv4.ip_forward = 1\\n' > /usr/lib/sysctl.d/60-net.conf");
    await runLine(s, "printf 'net.ipv4.ip_default_ttl=64\\n' > /usr/lib/sysctl.d/50-ttl.conf");
    await runLine(s, "printf 'net.ipv4.conf.all.rp_filter = 2\\n' > /etc/sysctl.conf");
    await runLine(s, 'sysctl -w net.ipv4.ip_forward=1');
    const sys = await runLine(s, 'sysctl --system');
    expect(sys.exitCode).toBe(0);
    expect(sys.output).toBe('* Applying /usr/lib/sysctl.d/50-ttl.conf ...\nnet.ipv4.ip_default_ttl = 64\n* Applying /etc/sysctl.d/60-net.conf ...\nnet.ipv4.ip_forward = 0\nsysctl: /etc/sysctl.d/60-net.conf(5): invalid syntax, continuing...\n* Applying /etc/sysctl.conf ...\nnet.ipv4.conf.all.rp_filter = 2\n');
    expect((await runLine(s, 'cat /proc/sys/net/ipv4/ip_forward')).output).toBe('0\n');
    const p = await runLine(s, 'sysctl -q -p /usr/lib/sysctl.d/60-net.conf');
    expect(p.output).toBe('');
    expect((await runLine(s, 'sysctl -n net.ipv4.ip_forward')).output).toBe('1\n');
    expect((await runLine(s, "printf 'net.ipv4.nope = 1\\n' > /tmp/x.conf; sysctl -p /tmp/x.conf")).output).toBe('sysctl: cannot stat /proc/sys/net/ipv4/nope: No such file or directory\n');
  });

  it('pathname expansion: sorted matches, quoted characters literal, dot files hidden, no match left as written', async () => {
    const s = await session('bare', ['mkdir -p /etc/sysctl.d/sub /srv/a /srv/b']);
    for (const f of ['/etc/sysctl.d/99-z.conf', '/etc/sysctl.d/10-a.conf', '/etc/sysctl.d/.hidden.conf', '/etc/sysctl.d/README', '/etc/sysctl.d/sub/x.conf', '/srv/a/compose.yaml', '/srv/b/compose.yaml']) await runLine(s, `echo x > ${f}`);
    expect((await runLine(s, 'echo /etc/sysctl.d/*.conf')).output).toBe('/etc/sysctl.d/10-a.conf /etc/sysctl.d/99-z.conf\n');
    expect((await runLine(s, 'echo /etc/sysctl.d/.*.conf /srv/*/compose.yaml')).output).toBe('/etc/sysctl.d/.hidden.conf /srv/a/compose.yaml /srv/b/compose.yaml\n');
    expect((await runLine(s, 'cd /etc/sysctl.d && echo ?0-*.conf [9]* */x.conf')).output).toBe('10-a.conf 99-z.conf sub/x.conf\n');
    expect((await runLine(s, 'echo "*.conf" \\*.conf /nope/*.conf *.yaml')).output).toBe('*.conf *.conf /nope/*.conf *.yaml\n');
    expect((await runLine(s, 'P="/srv/*/compose.yaml"; echo $P "$P"')).output).toBe('/srv/a/compose.yaml /srv/b/compose.yaml /srv/*/compose.yaml\n');
    expect((await runLine(s, 'for f in /srv/*; do echo "[$f]"; done')).output).toBe('[/srv/a]\n[/srv/b]\n');
  });

  it('grep -r searches directories file by file; an unreadable operand is reported in turn and gives status 2', async () => {
    const s = await session('bare', ['mkdir -p /etc/sysctl.d/sub']);
    await runLine(s, "printf 'a = 1\\nnet.ipv4.ip_forward = 0\\n' > /etc/sysctl.d/60-net.conf");
    await runLine(s, "printf 'net.ipv4.ip_forward=1\\n' > /etc/sysctl.d/sub/x.conf");
    const r = await runLine(s, 'grep -r ip_forward /etc/sysctl.d /etc/sysctl.conf');
    expect(r.output).toBe('/etc/sysctl.d/60-net.conf:net.ipv4.ip_forward = 0\n/etc/sysctl.d/sub/x.conf:net.ipv4.ip_forward=1\ngrep: /etc/sysctl.conf: No such file or directory\n');
    expect(r.exitCode).toBe(2);
    expect((await runLine(s, 'cd /etc/sysctl.d && grep -rn forward')).output).toBe('60-net.conf:2:net.ipv4.ip_forward = 0\nsub/x.conf:1:net.ipv4.ip_forward=1\n');
    expect((await runLine(s, 'grep -rs ip_forward /nope; echo $?')).output).toBe('2\n');
  });

  it('`ip netns exec red bash` opens a shell inside red until exit', async () => {
    const s = await session('bare', VETH);
    await runLine(s, 'ip netns exec red bash');
    const inside = await runLine(s, 'ip -br link show veth-red');
    expect(inside.namespace).toBe('red');
    expect(inside.output).toMatch(/^veth-red@if\d+ +UP/);
    expect((await runLine(s, 'ping -c1 -W1 10.0.0.2')).exitCode).toBe(0);
    await runLine(s, 'exit');
    expect((await runLine(s, 'ip link show veth-red')).output).toBe('Device "veth-red" does not exist.\n');
  });

  it('background listeners are jobs; kill %1 stops them', async () => {
    const s = await session('bare', VETH);
    const bg = await runLine(s, 'ip netns exec blue nc -lk 8080 &');
    expect(bg).toMatchObject({ exitCode: 0, output: '' });
    expect((await runLine(s, 'jobs')).output).toBe('[1]+  Running                 ip netns exec blue nc -lk 8080 &\n');
    expect((await runLine(s, 'ip netns exec blue ss -ltnp')).output).toContain('0.0.0.0:8080');
    expect((await runLine(s, 'ip netns exec red nc -z 10.0.0.2 8080')).exitCode).toBe(0);
    expect((await runLine(s, 'kill %1')).exitCode).toBe(0);
    const refused = await runLine(s, 'ip netns exec red nc -zv -w1 10.0.0.2 8080');
    expect(refused).toMatchObject({ exitCode: 1, output: 'nc: connect to 10.0.0.2 port 8080 (tcp) failed: Connection refused\n' });
    expect((await runLine(s, 'kill %7')).output).toBe('bash: kill: %7: no such job\n');
  });

  it('sleep lets virtual time pass, instantly', async () => {
    const s = await session('bare');
    const before = s.world.now;
    await runLine(s, 'sleep 90');
    expect(s.world.now - before).toBeGreaterThanOrEqual(90_000_000);
    expect((await runLine(s, 'date')).output).toBe('Mon Jan  5 09:01:30 UTC 2026\n');
  });

  it('a foreground command that would wait forever is stopped in a script', async () => {
    const s = await session('bare', ['ip link set lo up']);
    const r = await runLine(s, 'nc -l 9999');
    expect(r.exitCode).toBe(130);
    const p = await runLine(s, 'ping 127.0.0.1');
    expect(p.output).toMatch(/^PING 127\.0\.0\.1/);
    expect(p.output).toMatch(/packets transmitted/);
  });

  it('history and tab completion', async () => {
    const s = await session('bare', VETH);
    await runLine(s, 'hostname');
    expect((await runLine(s, 'history 2')).output).toBe(`${String(VETH.length + 1).padStart(5)}  hostname\n${String(VETH.length + 2).padStart(5)}  history 2\n`);
    expect(s.complete('ip li', 5).candidates).toEqual(['link']);
    expect(s.complete('ip netns exec r', 15).candidates).toEqual(['red']);
    expect(s.complete('tcpd', 4).candidates).toEqual(['tcpdump']);
    await runLine(s, 'ip link add br0 type bridge');
    expect(s.complete('ip link set b', 13).candidates).toEqual(['br0']);
    expect(s.complete('iptables -t n', 13).candidates).toEqual(['nat']);
  });

  it('type and command -v know where the tools live', async () => {
    const [t] = await run(world('bare'), ['type ip']);
    expect(t.output).toBe('ip is /usr/sbin/ip\n');
  });
});

describe('multi-host', () => {
  it('ssh runs a command on another host of the linux world only when TCP reaches port 22', async () => {
    const s = await session('linux');
    const r = await runLine(s, 'ssh 198.51.100.1 hostname');
    expect(r.exitCode).toBe(255);
    expect(r.output).toMatch(/^ssh: connect to host 198\.51\.100\.1 port 22: Connection refused\n$/);
  });

  it('ssh leaves the remote command\'s own options alone (-o, -p after the command word)', async () => {
    const r = loadScenarioText(`hosts:
  - name: a
    interfaces: [{ name: eth0, segment: lan, address: 10.1.0.1/24 }]
  - name: b
    interfaces: [{ name: eth0, segment: lan, address: 10.1.0.2/24 }]
`, 1);
    if (!r.ok) throw new Error(r.errors.join('; '));
    const s = new Session(r.world, { startHost: 'a' });
    expect((await runLine(s, 'ssh -p 22 b mkdir -p /srv/x')).exitCode).toBe(0);
    // the words are joined and parsed again by the remote shell, as OpenSSH does
    expect((await runLine(s, `ssh b -l root 'echo hi > /srv/x/f'`)).exitCode).toBe(0);
    expect((await runLine(s, 'ssh b head -n 1 -q /srv/x/f')).output).toBe('hi\n');
  });
});
