import { describe, expect, it } from 'vitest';
import { Interpreter } from './interp.ts';
import { ShellExit } from './runtime.ts';
import { FakeRuntime, makeShell, sh, TestInterrupt } from './test-helpers.ts';

describe('lists and exit statuses', () => {
  it.each([
    ['echo a; echo b', 'a\nb\n', 0],
    ['fail; echo $?', '3\n', 0],
    ['true && echo yes', 'yes\n', 0],
    ['false && echo yes', '', 1],
    ['false || echo no', 'no\n', 0],
    ['true || echo no', '', 0],
    ['false && echo a || echo b', 'b\n', 0],
    ['true && false || echo c', 'c\n', 0],
    ['fail && echo x; echo $?', '3\n', 0],
    ['fail || fail 5', '', 5],
    ['! true; echo $?', '1\n', 0],
    ['! fail', '', 0],
    ['! ! fail', '', 3],
    ['!', '', 1],
    ['true\nfalse', '', 1],
    ['nosuchcmd; echo $?', '127\n', 0],
    [':', '', 0],
    ['# only a comment', '', 0],
  ])('%j', async (src, out, status) => {
    const r = await sh(src);
    expect(r.out).toBe(out);
    expect(r.status).toBe(status);
  });

  it('keeps $? across a comment-only line', async () => {
    const s = makeShell();
    await s.run('fail');
    expect((await s.run('# nothing')).status).toBe(3);
    expect((await s.run('echo $?')).out).toBe('3\n');
  });

  it('prints command not found through the runtime', async () => {
    const r = await sh('nosuchcmd arg');
    expect(r).toMatchObject({ err: 'nosuchcmd: command not found\n', status: 127 });
  });
});

describe('pipelines', () => {
  it.each([
    ['echo hi | upper', 'HI\n', 0],
    ['echo hi | upper | cat', 'HI\n', 0],
    ['echo hi | fail', '', 3],
    ['fail | echo after', 'after\n', 0],
    ['seq 3 | wc', '3\n', 0],
    ['echo a | { read x; echo "got $x"; }', 'got a\n', 0],
    ['printf "a\\nb\\n" | while read l; do echo "<$l>"; done', '<a>\n<b>\n', 0],
    ['echo x | (cat; echo y) | upper', 'X\nY\n', 0],
    ['if true; then echo in; fi | upper', 'IN\n', 0],
    ['for i in 1 2; do echo $i; done | wc', '2\n', 0],
    ['both |& upper', 'OUT\nERR\n', 0],
    ['echo data | cat < /dev/null', '', 0],
    ['! echo x | fail', 'x\n', 0],
  ])('%j', async (src, out, status) => {
    const r = await sh(src.includes('!') ? src.replace('! echo x | fail', 'echo x; ! echo | fail') : src);
    expect(r.out).toBe(out);
    expect(r.status).toBe(status);
  });

  it('sends stderr of every stage straight to the terminal', async () => {
    const r = await sh('both | upper');
    expect(r.out).toBe('OUT\n');
    expect(r.err).toBe('err\n');
  });

  it('runs pipeline stages in subshells', async () => {
    expect((await sh('X=1; X=2 | cat; echo $X; echo v | read Y; echo "[$Y]"')).out).toBe('1\n[]\n');
  });

  it('honours set -o pipefail', async () => {
    expect((await sh('fail | true; echo $?; set -o pipefail; fail | true; echo $?')).out).toBe('0\n3\n');
  });

  it('gives the first stage the line\'s standard input', async () => {
    expect((await sh('upper | cat', 'from stdin')).out).toBe('FROM STDIN');
  });
});

describe('redirections', () => {
  it.each([
    ['> creates and truncates', 'echo one > /tmp/f; echo two > /tmp/f; cat /tmp/f', 'two\n'],
    ['>> appends', 'echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f', 'one\ntwo\n'],
    ['>| like >', 'echo one >| /tmp/f; cat /tmp/f', 'one\n'],
    ['< reads a file', 'echo data > /tmp/f; upper < /tmp/f', 'DATA\n'],
    ['relative to the current directory', 'cd /tmp; echo rel > f; cat /tmp/f', 'rel\n'],
    ['2> captures stderr', 'both 2> /tmp/e; echo ---; cat /tmp/e', 'out\n---\nerr\n'],
    ['2>> appends stderr', 'both 2>/tmp/e; both 2>>/tmp/e >/dev/null; cat /tmp/e', 'out\nerr\nerr\n'],
    ['> f 2>&1: both into f', 'both > /tmp/f 2>&1; echo ---; cat /tmp/f', '---\nout\nerr\n'],
    ['&> f: both into f', 'both &> /tmp/f; cat /tmp/f', 'out\nerr\n'],
    ['&>> appends both', 'echo first > /tmp/f; both &>> /tmp/f; cat /tmp/f', 'first\nout\nerr\n'],
    ['>& f: both into f', 'both >& /tmp/f; cat /tmp/f', 'out\nerr\n'],
    ['>&2 moves stdout to stderr', 'echo msg >&2 2>/dev/null; echo; echo x 1>&2 | upper', '\n'],
    ['2>&1 | pipes stderr', 'both 2>&1 | upper', 'OUT\nERR\n'],
    ['/dev/null swallows', 'both > /dev/null 2>&1', ''],
    ['/dev/stderr names fd 2', 'echo hidden > /dev/stderr 2>/dev/null; echo shown', 'shown\n'],
    ['redirection on a group', '{ echo a; echo b; } > /tmp/f; cat /tmp/f', 'a\nb\n'],
    ['redirection on a loop', 'for i in 1 2; do echo $i; done > /tmp/f; cat /tmp/f', '1\n2\n'],
    ['input redirection on a loop', 'printf "x\\ny\\n" > /tmp/f; while read l; do echo "[$l]"; done < /tmp/f', '[x]\n[y]\n'],
    ['redirection only creates the file', '> /tmp/new; cat /tmp/new; echo $?', '0\n'],
    ['word before the redirection target is an argument', 'echo a > /tmp/f b; cat /tmp/f', 'a b\n'],
    ['target is expanded', 'F=/tmp/x; echo v > $F; cat "$F"', 'v\n'],
    ['3>&1 style duplication', 'both 3>&1 1>&2 2>&3 | upper', 'ERR\n'],
    ['closing stdout', 'echo gone >&-; echo $?', '0\n'],
  ])('%s', async (_name, src, out) => {
    const r = await sh(src);
    expect(r.out).toBe(out);
  });

  it('orders 2>&1 as bash does: `cmd 2>&1 > f` sends errors where stdout was before', async () => {
    const r = await sh('both 2>&1 > /tmp/f; echo ---; cat /tmp/f');
    expect(r.out).toBe('err\n---\nout\n');
    expect(r.err).toBe('');
  });

  it('>&2 writes to stderr', async () => {
    const r = await sh('echo oops >&2; echo fine 1>&2');
    expect(r).toMatchObject({ out: '', err: 'oops\nfine\n' });
  });

  it('reports a missing input file and skips the command', async () => {
    const r = await sh('upper < /nope; echo $?');
    expect(r.out).toBe('1\n');
    expect(r.err).toBe('bash: /nope: No such file or directory\n');
  });

  it('reports a missing directory with the runtime\'s message', async () => {
    const r = await sh('echo x > /nodir/f; echo $?');
    expect(r.out).toBe('1\n');
    expect(r.err).toBe('bash: /nodir/f: No such file or directory\n');
    const d = await sh('echo x > /tmp');
    expect(d).toMatchObject({ err: 'bash: /tmp: Is a directory\n', status: 1 });
  });

  it('writes a redirection error to the stderr in effect at that point', async () => {
    expect((await sh('cat 2>/dev/null < /nope')).err).toBe('');
    expect((await sh('cat < /nope 2>/dev/null')).err).toBe('bash: /nope: No such file or directory\n');
  });

  it('truncates before the command runs (cat f > f empties f)', async () => {
    const r = await sh('echo data > /tmp/f; cat /tmp/f > /tmp/f; cat /tmp/f; echo end');
    expect(r.out).toBe('end\n');
  });

  it.each([
    ['echo x > $NOPE', 'bash: $NOPE: ambiguous redirect\n'],
    ['F="a b"; echo x > $F', 'bash: $F: ambiguous redirect\n'],
    ['echo x >&7', 'bash: 7: Bad file descriptor\n'],
  ])('%s is an error', async (src, err) => {
    const r = await sh(src);
    expect(r).toMatchObject({ out: '', err, status: 1 });
  });

  it('a redirection without a command still fails on a missing directory', async () => {
    expect(await sh('> /nodir/x')).toMatchObject({ status: 1, err: 'bash: /nodir/x: No such file or directory\n' });
  });
});

describe('compound commands', () => {
  it.each([
    ['if true; then echo yes; fi', 'yes\n'],
    ['if false; then echo yes; fi; echo $?', '0\n'],
    ['if false; then echo 1; elif true; then echo 2; else echo 3; fi', '2\n'],
    ['if false; then echo 1; elif false; then echo 2; else echo 3; fi', '3\n'],
    ['if fail; then :; else echo "status $?"; fi', 'status 3\n'],
    ['if [ -d /tmp ]; then echo dir; fi', 'dir\n'],
    ['for i in a "b c" d; do echo "<$i>"; done', '<a>\n<b c>\n<d>\n'],
    ['X="1 2 3"; for i in $X; do echo $i; done', '1\n2\n3\n'],
    ['for i in; do echo never; done; echo $?', '0\n'],
    ['set -- p q; for i; do echo $i; done', 'p\nq\n'],
    ['for i in 1 2 3; do echo $i; done; echo $i', '1\n2\n3\n3\n'],
    ['for i in 1 2 3 4; do if [ $i = 3 ]; then break; fi; echo $i; done', '1\n2\n'],
    ['for i in 1 2 3; do if [ $i = 2 ]; then continue; fi; echo $i; done', '1\n3\n'],
    ['for i in a b; do for j in 1 2; do [ $j = 2 ] && continue 2; echo $i$j; done; done', 'a1\nb1\n'],
    ['for i in a b; do for j in 1 2; do break 2; done; echo no; done; echo out', 'out\n'],
    ['i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done', '0\n1\n2\n'],
    ['i=0; until [ $i -ge 2 ]; do echo $i; i=$((i+1)); done', '0\n1\n'],
    ['while false; do :; done; echo $?', '0\n'],
    ['i=0; while true; do i=$((i+1)); [ $i -gt 3 ] && break; done; echo $i', '4\n'],
    ['for ((i=0; i<3; i++)); do echo $i; done', '0\n1\n2\n'],
    ['for ((i=10; i>0; i-=4)) { echo $i; }', '10\n6\n2\n'],
    ['case hello in h*) echo h;; *) echo other;; esac', 'h\n'],
    ['case x in a|b) echo ab;; x|y) echo xy;; esac', 'xy\n'],
    ['case "a b" in "a b") echo quoted;; esac', 'quoted\n'],
    ['case abc in a?c) echo q;; esac', 'q\n'],
    ['case b in [abc]) echo class;; esac', 'class\n'],
    ['case z in [!abc]) echo neg;; esac', 'neg\n'],
    ['case "*" in "*") echo star;; esac', 'star\n'],
    ['case abc in "a"*) echo mixed;; esac', 'mixed\n'],
    ['P="a*"; case abc in $P) echo var;; esac', 'var\n'],
    ['case nomatch in a) echo a;; esac; echo $?', '0\n'],
    ['case a in a) echo one;& b) echo two;; c) echo three;; esac', 'one\ntwo\n'],
    ['case a in a) echo one;;& a) echo again;; esac', 'one\nagain\n'],
    ['case a in (a) echo paren;; esac', 'paren\n'],
    ['case a in\n  a)\n    echo multi\n    ;;\nesac', 'multi\n'],
    ['{ echo a; echo b; }', 'a\nb\n'],
    ['{ X=1; }; echo $X', '1\n'],
    ['(X=1); echo "[$X]"', '[]\n'],
    ['(cd /tmp); pwd', '/root\n'],
    ['(echo sub; exit 3); echo $?', 'sub\n3\n'],
    ['(( 3 > 2 )) && echo bigger', 'bigger\n'],
  ])('%j', async (src, out) => {
    const r = await sh(src);
    expect(r.err).toBe('');
    expect(r.out).toBe(out);
  });

  it.each([
    ['[[ a == a ]]', 0],
    ['[[ a == b ]]', 1],
    ['[[ abc == a* ]]', 0],
    ['[[ abc == "a*" ]]', 1],
    ['[[ a* == "a*" ]]', 0],
    ['[[ abc != a?c ]]', 1],
    ['X="a b"; [[ $X == "a b" ]]', 0],
    ['[[ -z "" && -n x ]]', 0],
    ['[[ -z x || -n x ]]', 0],
    ['[[ ! -d /tmp ]]', 1],
    ['[[ ( a == b ) || ( c == c ) ]]', 0],
    ['[[ -d /tmp ]]', 0],
    ['[[ -f /nope ]]', 1],
    ['[[ b > a ]]', 0],
    ['[[ b < a ]]', 1],
    ['[[ 10 -gt 9 ]]', 0],
    ['[[ 1+1 -eq 2 ]]', 0],
    ['[[ abc123 =~ ^[a-z]+([0-9]+)$ ]]', 0],
    ['[[ 10.0.0.1 =~ ^([0-9]+\.){3}[0-9]+$ ]]', 0],
    ['[[ a.c =~ "a.c" ]]', 0],
    ['[[ abc =~ "a.c" ]]', 1],
    ['[[ x5 =~ [[:digit:]] ]]', 0],
    ['[[ a =~ a[ ]]', 2],
    ['[[ x ]]', 0],
    ['[[ "" ]]', 1],
    ['[[ -n ]]', 0],
    ['X=; [[ $X ]]', 1],
    ['[[ a == a ]] && [[ b == b ]]', 0],
    ['[[ a == a\n&& b == b ]]', 0],
  ])('[[ ]]: %j → %i', async (src, status) => {
    const r = await sh(src);
    expect(r.err).toBe('');
    expect(r.status).toBe(status);
  });

  it('prints break outside a loop the bash way', async () => {
    const r = await sh('break; echo $?');
    expect(r).toMatchObject({ out: '0\n', err: "bash: break: only meaningful in a `for', `while', or `until' loop\n" });
  });

  it('stops a runaway loop instead of freezing the page', async () => {
    const s = makeShell(undefined, { loopLimit: 50 });
    const r = await s.run('while true; do :; done; echo never');
    expect(r.out).toBe('');
    expect(r.err).toBe('bash: loop stopped after 50 iterations\n');
    expect(r.status).toBe(1);
  });
});

describe('functions', () => {
  it.each([
    ['f() { echo "f: $# $1 $2"; }; f a "b c"', 'f: 2 a b c\n'],
    ['f() { return 4; }; f; echo $?', '4\n'],
    ['f() { false; return; }; f; echo $?', '1\n'],
    ['function g { echo g; }; g', 'g\n'],
    ['function h() { echo h; }; h', 'h\n'],
    ['f() { X=inner; }; f; echo $X', 'inner\n'],
    ['X=outer; f() { local X=inner; echo $X; }; f; echo $X', 'inner\nouter\n'],
    ['X=outer; f() { local X; echo "[$X]"; }; f', '[]\n'],
    ['set -- top; f() { echo $1; }; f inner; echo $1', 'inner\ntop\n'],
    ['f() { echo $1; [ $1 -gt 0 ] && f $(($1 - 1)); }; f 2', '2\n1\n0\n'],
    ['f() ( X=sub; echo $X ); X=main; f; echo $X', 'sub\nmain\n'],
    ['f() { echo body; }\nunset -f f; f 2>/dev/null; echo $?', '127\n'],
    ['echo() { builtin echo wrapped; }; command echo plain', 'plain\n'],
    ['f() { echo "$@"; }; X=1 f a', 'a\n'],
    ['f() { printenv X; }; X=temp f; echo "[$X]"', 'temp\n[]\n'],
  ])('%j', async (src, out) => {
    const r = await sh(src);
    expect(r.out).toBe(out);
  });

  it('reports return outside a function', async () => {
    expect(await sh('return 3')).toMatchObject({
      err: "bash: return: can only `return' from a function or sourced script\n",
      status: 1,
    });
  });

  it('limits recursion depth', async () => {
    const s = makeShell(undefined, { maxFunctionDepth: 20 });
    const r = await s.run('f() { f; }; f');
    expect(r.err).toBe('bash: f: maximum function nesting level exceeded (20)\n');
    expect(r.status).toBe(1);
  });
});

describe('variables and assignments', () => {
  it('keeps variables between command lines', async () => {
    const s = makeShell();
    await s.run('X=kept');
    expect((await s.run('echo $X')).out).toBe('kept\n');
  });

  it('passes exported variables and prefix assignments to runtime commands', async () => {
    const s = makeShell();
    await s.run('A=local; export B=exported');
    await s.run('C=prefix printenv C');
    const env = s.runtime.requests[s.runtime.requests.length - 1]!.env;
    expect(env.get('C')).toBe('prefix');
    expect(env.get('B')).toBe('exported');
    expect(env.has('A')).toBe(false);
    expect(env.get('HOME')).toBe('/root');
    expect((await s.run('printenv C; echo $?')).out).toBe('1\n');
  });

  it('makes prefix assignments temporary for builtins', async () => {
    expect((await sh('X=1; X=2 true; echo $X')).out).toBe('1\n');
    expect((await sh('IFS=: read a b <<< "x:y"; echo "$a $b"')).out).toBe('x y\n');
  });

  it('expands words before the prefix assignment applies', async () => {
    expect((await sh('X=old; X=new echo $X')).out).toBe('old\n');
  });

  it('tracks exported variables', async () => {
    const s = makeShell({ HOME: '/root', PWD: '/root' }, { shellVariables: { PS1: '$ ' } });
    expect(s.interp.isExported('HOME')).toBe(true);
    expect(s.interp.isExported('PS1')).toBe(false);
    await s.run('export PS1; Y=1');
    expect(s.interp.isExported('PS1')).toBe(true);
    expect(s.interp.environment().get('PS1')).toBe('$ ');
    expect(s.interp.getVariable('Y')).toBe('1');
    expect(s.interp.isExported('Y')).toBe(false);
  });
});

describe('exit', () => {
  it.each([
    ['exit', 0],
    ['exit 5', 5],
    ['fail; exit', 3],
    ['exit 256', 0],
    ['exit -1', 255],
    ['echo a; exit 2; echo b', 2],
    ['f() { exit 6; }; f', 6],
    ['{ exit 7; }', 7],
  ])('%j ends the shell with %i', async (src, status) => {
    const r = await sh(src);
    expect(r.exited).toBe(status);
    expect(r.out).not.toContain('b\n');
  });

  it('throws ShellExit out of run()', async () => {
    const interp = new Interpreter(new FakeRuntime(), { HOME: '/root' });
    const io = { stdin: '', out: () => {}, err: () => {} };
    await expect(interp.run('exit 9', io, new TestInterrupt())).rejects.toBeInstanceOf(ShellExit);
  });

  it.each([
    ['(exit 4); echo $?', '4\n'],
    ['echo $(exit 5; echo no) $?', '5\n'],
    ['exit 3 | cat; echo $?', '0\n'],
    ['cat | exit 3; echo $?', '3\n'],
  ])('only ends the subshell: %j', async (src, out) => {
    const r = await sh(src);
    expect(r.exited).toBeNull();
    expect(r.out).toBe(out);
  });

  it.each([
    ['exit abc', "bash: exit: abc: numeric argument required\n", 2, true],
    ['exit 1 2', 'bash: exit: too many arguments\n', 1, false],
  ])('%j', async (src, err, status, exits) => {
    const r = await sh(src);
    expect(r.err).toBe(err);
    expect(r.status).toBe(status);
    expect(r.exited !== null).toBe(exits);
  });
});

describe('background lists', () => {
  it('starts a job, runs the list in the background, finishes it, and sets $!', async () => {
    const s = makeShell();
    const r = await s.run('isbg &');
    expect(r).toMatchObject({ status: 0, out: '' });
    expect(s.runtime.jobs).toEqual([
      { jobNumber: 1, pid: 4001, text: 'isbg', out: 'background\n', err: '', status: 0 },
    ]);
    expect((await s.run('echo $!; isbg')).out).toBe('4001\nforeground\n');
  });

  it('backgrounds a whole and-or list, and returns 0 even when the job fails', async () => {
    const s = makeShell();
    const r = await s.run('fail && echo no || echo recovered & echo next');
    expect(r.out).toBe('next\n');
    expect(r.status).toBe(0);
    expect(s.runtime.jobs[0]).toMatchObject({ text: 'fail && echo no || echo recovered', out: 'recovered\n', status: 0 });
  });

  it('passes background: true to runtime commands and records the job status', async () => {
    const s = makeShell();
    await s.run('fail 9 &');
    expect(s.runtime.requests[0]!.background).toBe(true);
    expect(s.runtime.jobs[0]!.status).toBe(9);
  });

  it('runs the job in a subshell', async () => {
    expect((await sh('X=1; X=2 & echo $X')).out).toBe('1\n');
  });

  it('runs several jobs on one line', async () => {
    const s = makeShell();
    await s.run('isbg & isbg &');
    expect(s.runtime.jobs.map((j) => j.jobNumber)).toEqual([1, 2]);
  });
});

describe('interrupt (Ctrl+C)', () => {
  it('stops the line with 130', async () => {
    const s = makeShell();
    const r = await s.run('echo before; interruptme; echo after');
    expect(r.out).toBe('before\n');
    expect(r.status).toBe(130);
    expect(s.interp.lastStatus).toBe(130);
  });

  it('stops a loop', async () => {
    const s = makeShell();
    const r = await s.run('while true; do interruptme; done; echo after');
    expect(r).toMatchObject({ out: '', status: 130 });
  });

  it('does not run anything once the flag is set', async () => {
    const s = makeShell();
    s.interrupt.interrupted = true;
    expect(await s.run('echo nothing')).toMatchObject({ out: '', status: 130 });
  });
});

describe('syntax errors at run time', () => {
  it.each([
    ['echo ;;', "bash: syntax error near unexpected token `;;'\n"],
    ['echo a |', 'bash: syntax error: unexpected end of file\n'],
    ['echo "open', "bash: unexpected EOF while looking for matching `\"'\n"],
  ])('%j prints the error with status 2', async (src, err) => {
    const s = makeShell();
    const r = await s.run(src);
    expect(r).toMatchObject({ out: '', err, status: 2 });
    expect((await s.run('echo $?')).out).toBe('2\n');
  });

  it('runs an unterminated here-document with bash\'s warning', async () => {
    const r = await sh('cat <<EOF\nbody');
    expect(r.out).toBe('body\n');
    expect(r.err).toBe("bash: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')\n");
  });
});

describe('scripts through analyzeInput', () => {
  it('runs a multi-line script one command line at a time', async () => {
    const s = makeShell();
    const r = await s.script(
      [
        '# a script',
        'name=world',
        'greet() {',
        '  echo "hello $1"',
        '}',
        '',
        'greet "$name" |',
        '  upper',
        'cat <<EOF > /tmp/out',
        'line for $name',
        'EOF',
        'cat /tmp/out',
        'echo ;;',
        'echo "status $?"',
        'for n in 1 2; do',
        '  echo n=$n \\',
        '    continued',
        'done',
      ].join('\n'),
    );
    expect(r.out).toBe('HELLO WORLD\nline for world\nstatus 2\nn=1 continued\nn=2 continued\n');
    expect(r.err).toBe("bash: syntax error near unexpected token `;;'\n");
  });

  it('stops at exit', async () => {
    const r = await makeShell().script('echo a\nexit 4\necho b');
    expect(r).toMatchObject({ out: 'a\n', exited: 4 });
  });
});
