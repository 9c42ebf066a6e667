import { describe, expect, it } from 'vitest';
import { formatPrintf } from './builtins.ts';
import { makeShell, sh } from './test-helpers.ts';

describe('echo', () => {
  it.each([
    ['echo', '\n'],
    ['echo a  b   c', 'a b c\n'],
    ['echo -n no newline', 'no newline'],
    ['echo -e "a\\tb\\nc"', 'a\tb\nc\n'],
    ['echo "a\\tb"', 'a\\tb\n'],
    ['echo -E "a\\tb"', 'a\\tb\n'],
    ['echo -ne "x\\n"', 'x\n'],
    ['echo -en "x"', 'x'],
    ['echo -e "stop\\chere"', 'stop'],
    ['echo -e "\\x41\\0101\\u00e9\\\\"', 'AAé\\\n'],
    ['echo -e "\\e[1m" | cat', '\x1b[1m\n'],
    ['echo -x', '-x\n'],
    ['echo -n -e "a\\nb"', 'a\nb'],
    ['echo -- a', '-- a\n'],
    ['echo -nx', '-nx\n'],
  ])('%s', async (src, out) => {
    expect((await sh(src)).out).toBe(out);
  });
});

describe('printf', () => {
  it.each([
    ['%s\\n', ['hello'], 'hello\n'],
    ['%s-%s\\n', ['a', 'b', 'c'], 'a-b\nc-\n'],
    ['%d %i\\n', ['42', '-7'], '42 -7\n'],
    ['%5s|%-5s|\\n', ['ab', 'cd'], '   ab|cd   |\n'],
    ['%05d|%-5d|%+d\\n', ['42', '42', '42'], '00042|42   |+42\n'],
    ['%x %X %o %#x %#o\\n', ['255', '255', '8', '255', '8'], 'ff FF 10 0xff 010\n'],
    ['%c%c\\n', ['hello', 'w'], 'hw\n'],
    ['%.2s\\n', ['abcdef'], 'ab\n'],
    ['%.3d\\n', ['7'], '007\n'],
    ['%*d|%-*d|\\n', ['4', '1', '3', '2'], '   1|2  |\n'],
    ['%%\\n', [], '%\n'],
    ['%b\\n', ['a\\tb'], 'a\tb\n'],
    ['%s\\n', ['a\\tb'], 'a\\tb\n'],
    ['%d\\n', ['0x1F'], '31\n'],
    ['%d\\n', ['010'], '8\n'],
    ["%d\\n", ["'A"], '65\n'],
    ['%u\\n', ['-1'], '18446744073709551615\n'],
    ['%x\\n', ['-1'], 'ffffffffffffffff\n'],
    ['%s|%d|\\n', [], '|0|\n'],
    ['%.2f %.1f %.1f %f %.0f %.0f\\n', ['3.14159', '2.25', '2.35', '1', '0.5', '1.5'], '3.14 2.2 2.4 1.000000 0 2\n'],
    ['%e\\n', ['12345'], '1.234500e+04\n'],
    ['%g %g %g\\n', ['0.0001', '1234567', '2.5'], '0.0001 1.23457e+06 2.5\n'],
    ['%q\\n', ["it's a test"], "'it'\\''s a test'\n"],
    ['no newline', [], 'no newline'],
    ['\\101\\x42\\n', [], 'AB\n'],
    ['%s\\c%s\\n', ['a', 'b'], 'a\\cb\n'],
    ['%b|\\n', ['x\\cy'], 'x'],
    ['[%s]', ['a', 'b'], '[a][b]'],
  ])('printf %j %j', (format, args, out) => {
    expect(formatPrintf(format.replace(/\\\\/g, '\\'), args)).toEqual({ output: out, errors: [] });
  });

  it.each([
    ['printf "%d\\n" abc', '0\n', 'bash: printf: abc: invalid number\n', 1],
    ['printf "%d\\n" 12abc', '12\n', 'bash: printf: 12abc: invalid number\n', 1],
    ['printf "%f\\n" x', '0.000000\n', 'bash: printf: x: invalid number\n', 1],
    ['printf "%z"', '', "bash: printf: `z': invalid format character\n", 1],
    ['printf', '', 'printf: usage: printf [-v var] format [arguments]\n', 2],
  ])('%s', async (src, out, err, status) => {
    const r = await sh(src);
    expect(r).toMatchObject({ out, err, status });
  });

  it('assigns with -v', async () => {
    expect((await sh('printf -v X "%03d" 5; echo $X')).out).toBe('005\n');
  });
});

describe('test and [', () => {
  it.each([
    ['[ a = a ]', 0],
    ['[ a = b ]', 1],
    ['[ a == a ]', 0],
    ['[ a != b ]', 0],
    ['[ -z "" ]', 0],
    ['[ -z x ]', 1],
    ['[ -n x ]', 0],
    ['[ -n "" ]', 1],
    ['[ x ]', 0],
    ['[ "" ]', 1],
    ['[ ]', 1],
    ['[ 1 -eq 1 ]', 0],
    ['[ 1 -ne 1 ]', 1],
    ['[ 2 -gt 10 ]', 1],
    ['[ 2 -lt 10 ]', 0],
    ['[ 3 -le 3 ]', 0],
    ['[ 3 -ge 4 ]', 1],
    ['[ -5 -lt 2 ]', 0],
    ['[ b \\> a ]', 0],
    ['[ b \\< a ]', 1],
    ['[ ! a = b ]', 0],
    ['[ ! -z x ]', 0],
    ['[ a = a -a b = b ]', 0],
    ['[ a = a -a b = c ]', 1],
    ['[ a = b -o b = b ]', 0],
    ['[ \\( a = b \\) -o c = c ]', 0],
    ['[ ! \\( a = a \\) ]', 1],
    ['[ -d /tmp ]', 0],
    ['[ -d /nope ]', 1],
    ['[ -f /tmp/file ]', 0],
    ['[ -f /tmp ]', 1],
    ['[ -e /tmp ]', 0],
    ['[ -e /tmp/file ]', 0],
    ['[ -e /nope ]', 1],
    ['[ -s /tmp/file ]', 0],
    ['[ -s /tmp/empty ]', 1],
    ['[ -v HOME ]', 0],
    ['[ -v NOPE ]', 1],
    ['test -n abc', 0],
    ['test', 1],
    ['test -z', 0],
    ['[ -n ]', 0],
    ['[ = ]', 0],
    ['[ ! ]', 0],
    ['[ x -a "" ]', 1],
  ])('%s → %i', async (src, status) => {
    const s = makeShell();
    s.runtime.files.set('/tmp/file', 'content');
    s.runtime.files.set('/tmp/empty', '');
    const r = await s.run(src);
    expect(r.err).toBe('');
    expect(r.status).toBe(status);
  });

  it.each([
    ['[ a = b', "bash: [: missing `]'\n"],
    ['[ abc -eq 1 ]', 'bash: [: abc: integer expression expected\n'],
    ['test 1 -lt x', 'bash: test: x: integer expression expected\n'],
    ['[ -q x ]', 'bash: [: -q: unary operator expected\n'],
    ['[ a b c ]', 'bash: [: b: binary operator expected\n'],
    ['[ a b c d e ]', 'bash: [: too many arguments\n'],
    ['[ \\( a ]', 'bash: [: (: unary operator expected\n'],
    ['[ \\( a = a ]', "bash: [: `)' expected\n"],
  ])('%s → status 2', async (src, err) => {
    expect(await sh(src)).toMatchObject({ err, status: 2 });
  });
});

describe('cd and pwd', () => {
  it.each([
    ['cd /tmp; pwd', '/tmp\n'],
    ['cd /tmp; cd ..; pwd', '/\n'],
    ['cd /; cd tmp; pwd; echo $PWD $OLDPWD', '/tmp\n/tmp /\n'],
    ['cd /tmp; cd; pwd', '/root\n'],
    ['cd /tmp; cd -; pwd', '/root\n/root\n'],
    ['cd /tmp/../home/./user; pwd', '/home/user\n'],
    ['cd ~; pwd', '/root\n'],
  ])('%s', async (src, out) => {
    const r = await sh(src);
    expect(r.err).toBe('');
    expect(r.out).toBe(out);
  });

  it.each([
    ['cd /nope', 'bash: cd: /nope: No such file or directory\n'],
    ['cd /tmp/file', 'bash: cd: /tmp/file: Not a directory\n'],
    ['cd a b', 'bash: cd: too many arguments\n'],
    ['unset HOME; cd', 'bash: cd: HOME not set\n'],
    ['cd -', 'bash: cd: OLDPWD not set\n'],
  ])('%s fails', async (src, err) => {
    const s = makeShell();
    s.runtime.files.set('/tmp/file', '');
    const r = await s.run(src + '; pwd');
    expect(r.err).toBe(err);
    expect(r.out).toBe('/root\n');
    expect((await s.run(src)).status).toBe(1);
  });

  it('exposes the directory to the session', async () => {
    const s = makeShell();
    await s.run('cd /etc');
    expect(s.interp.cwd).toBe('/etc');
    s.interp.setCwd('/tmp');
    expect((await s.run('pwd; echo $PWD')).out).toBe('/tmp\n/tmp\n');
  });
});

describe('export, unset, set', () => {
  it('prints exported variables like bash', async () => {
    const s = makeShell({ HOME: '/root', PWD: '/root' });
    const r = await s.run('export A=1 B=\'q"uote$\' C; export -p');
    expect(r.out).toBe(
      [
        'declare -x A="1"',
        'declare -x B="q\\"uote\\$"',
        'declare -x C',
        'declare -x HOME="/root"',
        'declare -x PWD="/root"',
        '',
      ].join('\n'),
    );
    expect((await s.run('export')).out).toBe(r.out);
  });

  it('exports an existing variable and un-exports with -n', async () => {
    const s = makeShell();
    await s.run('V=val; export V');
    expect(s.interp.environment().get('V')).toBe('val');
    await s.run('export -n V');
    expect(s.interp.environment().has('V')).toBe(false);
    expect(s.interp.getVariable('V')).toBe('val');
  });

  it('rejects bad names', async () => {
    expect(await sh('export 1a=2')).toMatchObject({ err: "bash: export: `1a=2': not a valid identifier\n", status: 1 });
    expect(await sh('unset 1a')).toMatchObject({ err: "bash: unset: `1a': not a valid identifier\n", status: 1 });
  });

  it('unsets variables and functions', async () => {
    expect((await sh('X=1; unset X; echo "[${X-unset}]"')).out).toBe('[unset]\n');
    expect((await sh('f() { :; }; unset f; type f')).err).toBe('bash: type: f: not found\n');
    expect((await sh('unset NEVER_SET; echo $?')).out).toBe('0\n');
  });

  it('lists variables with set', async () => {
    const s = makeShell({ HOME: '/root' });
    const r = await s.run("Z='a b'; set");
    expect(r.out).toBe("HOME=/root\nPWD=/root\nZ='a b'\n");
  });

  it('sets positional parameters', async () => {
    expect((await sh('set -- x y z; echo $# $2; set a; echo $# $1; set --; echo $#')).out).toBe('3 y\n1 a\n0\n');
  });

  it('traces with set -x', async () => {
    const r = await sh('set -x; echo "a b" c; X=1; set +x; echo quiet');
    expect(r.out).toBe('a b c\nquiet\n');
    expect(r.err).toBe("+ echo 'a b' c\n+ X=1\n+ set +x\n");
  });

  it('rejects unknown options', async () => {
    expect((await sh('set -q')).status).toBe(2);
    expect((await sh('set -o nope')).err).toBe('bash: set: nope: invalid option name\n');
  });

  it('reports flags in $-', async () => {
    expect((await sh('echo $-; set -x; echo $- 2>/dev/null')).out).toBe('hB\nhxB\n');
  });
});

describe('type and command', () => {
  it('describes builtins, keywords, functions and runtime commands', async () => {
    const s = makeShell(undefined, { commandPaths: { ip: '/usr/sbin/ip' } });
    const r = await s.run('f() { echo hi; }; type echo if ip cat f');
    expect(r.out).toBe(
      'echo is a shell builtin\nif is a shell keyword\nip is /usr/sbin/ip\ncat is /usr/bin/cat\nf is a function\nf() { echo hi; }\n',
    );
    expect(r.status).toBe(0);
  });

  it('reports unknown names', async () => {
    expect(await sh('type echo nope')).toMatchObject({
      out: 'echo is a shell builtin\n',
      err: 'bash: type: nope: not found\n',
      status: 1,
    });
  });

  it('supports type -t and -p', async () => {
    expect((await sh('f() { :; }; type -t echo if cat f; type -p cat echo')).out).toBe(
      'builtin\nkeyword\nfile\nfunction\n/usr/bin/cat\n',
    );
  });

  it('supports command -v', async () => {
    const s = makeShell(undefined, { commandPaths: new Map([['ip', '/usr/sbin/ip']]) });
    expect(await s.run('command -v ip echo nope')).toMatchObject({ out: '/usr/sbin/ip\necho\n', status: 1 });
    expect(await s.run('command -v cat')).toMatchObject({ out: '/usr/bin/cat\n', status: 0 });
    expect((await s.run('command -V echo')).out).toBe('echo is a shell builtin\n');
  });

  it('runs a command bypassing functions', async () => {
    expect((await sh('upper() { echo func; }; echo x | command upper; upper')).out).toBe('X\nfunc\n');
  });
});

describe('read, shift, eval, source, local, let', () => {
  it.each([
    ['read a b <<< "one two three"; echo "$a|$b"', 'one|two three\n'],
    ['read a <<< "  padded  "; echo "[$a]"', '[padded]\n'],
    ['read <<< "  raw  "; echo "[$REPLY]"', '[  raw  ]\n'],
    ['read a b c <<< "x"; echo "[$a][$b][$c]"', '[x][][]\n'],
    ['read -r a <<< "back\\\\slash"; echo "$a"', 'back\\slash\n'],
    ['read a <<< "back\\\\slash"; echo "$a"', 'backslash\n'],
    ['IFS=, read a b <<< "x,y,z"; echo "$a|$b"', 'x|y,z\n'],
    ['read a < /dev/null; echo $?', '1\n'],
    ['printf "no newline" | { read a; echo "$? $a"; }', '1 no newline\n'],
    ['{ read a; read b; } <<< $\'1\\n2\'; echo $a$b', '12\n'],
    ['set -- a b c; shift; echo $@; shift 2; echo $#', 'b c\n0\n'],
    ['set -- a; shift 3; echo $? $#', '1 1\n'],
    ['eval "X=1; echo \\$X"', '1\n'],
    ['cmd="echo evaluated"; eval $cmd', 'evaluated\n'],
    ['eval "echo ;;"; echo $?', '2\n'],
    ['f() { local a=1 b; b=2; echo $a$b; }; f; echo "[$a$b]"', '12\n[]\n'],
    ['let "x = 2 * 3"; echo $x', '6\n'],
    ['let 0; echo $?', '1\n'],
  ])('%s', async (src, out) => {
    expect((await sh(src)).out).toBe(out);
  });

  it('sources a file in the current shell, with arguments and return', async () => {
    const s = makeShell();
    s.runtime.files.set('/root/lib.sh', 'LIBVAR=loaded\nlibf() { echo "libf $1"; }\necho "args: $*"\nreturn 3\necho never\n');
    const r = await s.run('source lib.sh x y; echo $?; . /root/lib.sh; libf z; echo $LIBVAR');
    expect(r.out).toBe('args: x y\n3\nargs: \nlibf z\nloaded\n');
  });

  it('reports a missing sourced file', async () => {
    expect(await sh('source /nope.sh')).toMatchObject({ err: 'bash: /nope.sh: No such file or directory\n', status: 1 });
    expect((await sh('.')).status).toBe(2);
  });

  it('reports local outside a function', async () => {
    expect(await sh('local x')).toMatchObject({ err: 'bash: local: can only be used in a function\n', status: 1 });
  });

  it('has true, false and :', async () => {
    expect((await sh('true; echo $?; false; echo $?; : ignored args; echo $?')).out).toBe('0\n1\n0\n');
  });
});
