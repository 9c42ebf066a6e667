/**
 * The netsim CLI contract (docs/netsim.md), driven as lab authors and outside checks drive it:
 * a child process running the real entry point on Node 24.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const cli = join(root, 'src/cli/netsim.ts');

function netsim(args: string[], input?: string) {
  const r = spawnSync(node, [cli, ...args], { input: input ?? '', encoding: 'utf8', cwd: root });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmpFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'netsim-'));
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const TWO_NS = `# two namespaces joined by a veth pair
ip netns add red
ip netns add blue
ip link add veth-red type veth peer name veth-blue
ip link set veth-red netns red
ip link set veth-blue netns blue
ip netns exec red ip addr add 10.0.0.1/24 dev veth-red
ip netns exec blue ip addr add 10.0.0.2/24 dev veth-blue
ip netns exec red ip link set veth-red up
ip netns exec blue ip link set veth-blue up

ip netns exec red ping -c1 -W1 10.0.0.2
ip netns exec blue nc -lk 80 &
ip netns exec red nc -zv -w1 10.0.0.2 80 && echo open || echo closed
ip netns exec red curl -s -m 2 -o /dev/null -w '%{http_code}\\n' http://10.0.0.2:81/
`;

// each test spawns node a few times: allow for a machine busy with the rest of the suite
describe('netsim', { timeout: 60_000 }, () => {
  it('--json prints one object per command line, skipping blank and comment lines', () => {
    const r = netsim(['--world', 'linux', '--json', '-'], TWO_NS);
    const objs = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(objs).toHaveLength(13);
    expect(Object.keys(objs[0])).toEqual(['host', 'namespace', 'command', 'exitCode', 'output']);
    expect(objs[0]).toEqual({ host: 'host', namespace: 'root', command: 'ip netns add red', exitCode: 0, output: '' });
    const ping = objs[9];
    expect(ping.exitCode).toBe(0);
    expect(ping.output).toMatch(/^PING 10\.0\.0\.2 \(10\.0\.0\.2\) 56\(84\) bytes of data\.\n64 bytes from 10\.0\.0\.2: icmp_seq=1 ttl=64 time=\d\.\d{3} ms\n/);
    expect(objs[10]).toMatchObject({ command: 'ip netns exec blue nc -lk 80 &', exitCode: 0, output: '' });
    expect(objs[11]).toMatchObject({ exitCode: 0, output: 'Connection to 10.0.0.2 80 port [tcp/http] succeeded!\nopen\n' });
    expect(objs[12]).toMatchObject({ exitCode: 7, output: '000\n' });
    // the CLI exits with the last command line's status
    expect(r.status).toBe(7);
  });

  it('plain mode prints what the commands printed; --transcript adds prompts', () => {
    const script = tmpFile('s.sh', 'echo hello\nhostname\n');
    expect(netsim(['--world', 'bare', script]).stdout).toBe('hello\nhost\n');
    expect(netsim(['--world', 'bare', '--transcript', script]).stdout).toBe('root@host:~# echo hello\nhello\nroot@host:~# hostname\nhost\n');
  });

  it('a heredoc belongs to the line that opens it', () => {
    const r = netsim(['--world', 'bare', '--json', '-'], "cat > /tmp/x <<'EOF'\nline $HOME\nEOF\ncat /tmp/x\n");
    const objs = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(objs).toHaveLength(2);
    expect(objs[0].command).toBe("cat > /tmp/x <<'EOF'\nline $HOME\nEOF");
    expect(objs[1].output).toBe('line $HOME\n');
  });

  it('is byte-identical from run to run', () => {
    const a = netsim(['--world', 'linux', '--json', '--trace', '-'], TWO_NS + 'ping -c2 example.com\ntcpdump -i eth0 -n -c 4\n');
    const b = netsim(['--world', 'linux', '--json', '--trace', '-'], TWO_NS + 'ping -c2 example.com\ntcpdump -i eth0 -n -c 4\n');
    expect(a.stdout.length).toBeGreaterThan(1000);
    expect(a.stdout).toBe(b.stdout);
  });

  it('a different seed gives different MAC addresses', () => {
    const a = netsim(['--world', 'bare', '--seed', '1', '-'], 'ip link add v0 type veth\nip -br link show v0\n');
    const b = netsim(['--world', 'bare', '--seed', '2', '-'], 'ip link add v0 type veth\nip -br link show v0\n');
    expect(a.stdout).not.toBe(b.stdout);
  });

  it('reports usage errors with status 2', () => {
    const r = netsim(['--world', 'nowhere']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("netsim: unknown world 'nowhere'");
    expect(netsim(['--bogus']).status).toBe(2);
    expect(netsim(['--help']).stdout).toContain('Usage: netsim');
  });

  it('runs a scenario file and its setup', () => {
    const scenario = tmpFile(
      'two.yaml',
      `name: two hosts and a router
hosts:
  - name: alpha
    interfaces: [{ name: eth0, segment: left, address: 192.168.1.10/24 }]
    routes: [default via 192.168.1.1]
  - name: router
    interfaces:
      - { name: eth0, segment: left, address: 192.168.1.1/24 }
      - { name: eth1, segment: right, address: 192.168.2.1/24 }
    sysctl: { net.ipv4.ip_forward: 1 }
  - name: beta
    interfaces: [{ name: eth0, segment: right, address: 192.168.2.20/24 }]
    routes: [default via 192.168.2.1]
    setup: [ip link add dummy0 type dummy]
`,
    );
    const r = netsim(['--scenario', scenario, '--json', '-'], 'hostname\nping -c1 192.168.2.20\nssh beta ip -br link show dummy0\nssh beta hostname\n');
    const objs = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(objs[0].output).toBe('alpha\n');
    expect(objs[1].output).toContain('ttl=63');
    expect(objs[2].output).toMatch(/^dummy0 +DOWN/);
    expect(objs[3].output).toBe('beta\n');
    expect(r.status).toBe(0);
  });

  it('rejects an invalid scenario with the field at fault', () => {
    const scenario = tmpFile('bad.yaml', 'hosts:\n  - name: Bad_Name\n    interfaces: [{ name: eth0, segment: lan, address: 10.0.0.300/24 }]\n');
    const r = netsim(['--scenario', scenario]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('hosts.0.name');
  });
});
