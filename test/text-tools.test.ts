/**
 * sed as a person uses it on a config file: substitutions (BRE and -E), -n with p, d, addresses and
 * ranges, -i (with a backup suffix), and GNU sed's wording for the usual mistakes.
 */
import { describe, expect, it } from 'vitest';
import { Session, runLine } from '../src/shell/index.ts';
import { world } from './helpers.ts';

async function sh() {
  const s = new Session(world('bare'), {});
  await runLine(s, 'mkdir -p /etc/sysctl.d');
  const w = await runLine(s, "printf 'net.ipv4.ip_forward = 0\\n# keep\\nnet.ipv4.conf.all.send_redirects = 0\\n' > /etc/sysctl.d/60-x.conf");
  if (w.exitCode !== 0) throw new Error(w.output);
  return s;
}

describe('sed', () => {
  it('edits a file in place, the way a learner switches forwarding back on', async () => {
    const s = await sh();
    const r = await runLine(s, "sed -i 's/^net.ipv4.ip_forward = 0/net.ipv4.ip_forward = 1/' /etc/sysctl.d/60-x.conf; echo $?");
    expect(r.output).toBe('0\n');
    expect((await runLine(s, 'cat /etc/sysctl.d/60-x.conf')).output).toBe('net.ipv4.ip_forward = 1\n# keep\nnet.ipv4.conf.all.send_redirects = 0\n');
    await runLine(s, "sed -i.bak -e '/^#/d' /etc/sysctl.d/60-x.conf");
    expect((await runLine(s, 'cat /etc/sysctl.d/60-x.conf')).output).toBe('net.ipv4.ip_forward = 1\nnet.ipv4.conf.all.send_redirects = 0\n');
    expect((await runLine(s, 'cat /etc/sysctl.d/60-x.conf.bak')).output).toContain('# keep\n');
  });

  it('prints to stdout: groups, &, g, -n with p, line and regex addresses, ranges, negation, y', async () => {
    const s = await sh();
    const f = '/etc/sysctl.d/60-x.conf';
    expect((await runLine(s, `sed -n '/forward/p' ${f}`)).output).toBe('net.ipv4.ip_forward = 0\n');
    expect((await runLine(s, `sed -n 's/\\(ip_forward\\) = \\([0-9]\\)/\\1 is \\2/p' ${f}`)).output).toBe('net.ipv4.ip_forward is 0\n');
    expect((await runLine(s, `sed -E -n 's/(ip_forward) = ([0-9])/[&]/p' ${f}`)).output).toBe('net.ipv4.[ip_forward = 0]\n');
    expect((await runLine(s, `sed 's/0/1/g;2d' ${f}`)).output).toBe('net.ipv4.ip_forward = 1\nnet.ipv4.conf.all.send_redirects = 1\n');
    expect((await runLine(s, `sed -n '2,$p' ${f}`)).output).toBe('# keep\nnet.ipv4.conf.all.send_redirects = 0\n');
    expect((await runLine(s, `sed '/^#/!d' ${f}`)).output).toBe('# keep\n');
    expect((await runLine(s, `sed -n '$=' ${f}`)).output).toBe('3\n');
    expect((await runLine(s, "echo abc | sed 'y/abc/xyz/'")).output).toBe('xyz\n');
    expect((await runLine(s, "echo 'a.b.c' | sed 's|\\.|/|2'")).output).toBe('a.b/c\n');
    expect((await runLine(s, "echo 'one two' | sed 's/[[:space:]]\\+/_/'")).output).toBe('one_two\n');
  });

  it('errors as GNU sed words them', async () => {
    const s = await sh();
    expect((await runLine(s, "sed 's/a/b' /etc/hostname; echo $?")).output).toBe("sed: -e expression #1, char 5: unterminated `s' command\n1\n");
    expect((await runLine(s, "sed 'k' /etc/hostname; echo $?")).output).toBe("sed: -e expression #1, char 1: unknown command: `k'\n1\n");
    expect((await runLine(s, "sed p /nope; echo $?")).output).toBe("sed: can't read /nope: No such file or directory\n2\n");
    expect((await runLine(s, "sed -i s/a/b/; echo $?")).output).toBe('sed: no input files\n1\n');
  });
});

describe('ls -l', () => {
  it('opens a directory listing with its total of 1K blocks, as GNU ls does', async () => {
    const s = await sh();
    expect((await runLine(s, 'ls -l /etc/sysctl.d')).output).toBe('total 4\n-rw-r--r-- 1 root root 68 Jan  5 09:00 60-x.conf\n');
    expect((await runLine(s, 'ls -l /etc/sysctl.d/60-x.conf')).output).toBe('-rw-r--r-- 1 root root 68 Jan  5 09:00 /etc/sysctl.d/60-x.conf\n');
    await runLine(s, 'mkdir /tmp/empty');
    expect((await runLine(s, 'ls -l /tmp/empty')).output).toBe('total 0\n');
  });

  it('reports what it cannot access first, then the files, then the directories, each sorted', async () => {
    const s = await sh();
    await runLine(s, 'mkdir -p /srv/b /srv/a; touch /srv/a/x');
    expect((await runLine(s, 'ls /srv/b /nope /srv/a /etc/sysctl.d/60-x.conf 2>&1; echo $?')).output).toBe(
      "ls: cannot access '/nope': No such file or directory\n/etc/sysctl.d/60-x.conf\n\n/srv/a:\nx\n\n/srv/b:\n2\n",
    );
  });
});

describe('which', () => {
  it('prints where each installed command lives, nothing for a missing one, and status 1 then', async () => {
    const s = await sh();
    expect((await runLine(s, 'which sed ip; echo $?')).output).toBe('/usr/bin/sed\n/usr/sbin/ip\n0\n');
    expect((await runLine(s, 'which ip nano; echo $?')).output).toBe('/usr/sbin/ip\n1\n');
    expect((await runLine(s, 'which; echo $?')).output).toBe('1\n');
  });
});
