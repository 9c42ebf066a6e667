import { describe, expect, it } from 'vitest';
import { makeShell, sh } from './test-helpers.ts';

// `args` (a fake runtime command) prints each argument in brackets: it shows how words split.

describe('quoting', () => {
  it.each([
    [`args 'a b' "c d" e\\ f`, '[a b][c d][e f]'],
    [`args ''`, '[]'],
    [`args "" ""`, '[][]'],
    [`args a'b'"c"d`, '[abcd]'],
    [`args "a'b" 'a"b'`, `[a'b][a"b]`],
    [`args "a\\"b"`, '[a"b]'],
    [`args "a\\$b" "a\\\`b"`, '[a$b][a`b]'],
    [`args "a\\\\b"`, '[a\\b]'],
    [`args "a\\nb"`, '[a\\nb]'],
    [`args a\\\\b a\\b`, '[a\\b][ab]'],
    [`args \\$HOME '$HOME'`, '[$HOME][$HOME]'],
    [`args $'a\\tb' $'it\\'s' $'\\x41\\101\\u00e9'`, '[a\tb][it\'s][AAé]'],
    [`args $'\\n' | upper`, '[\n]'],
    [`args "$" $ a$ "a$"`, '[$][$][a$][a$]'],
    [`args "$HOME"x "\${HOME}x" $HOME"x"`, '[/rootx][/rootx][/rootx]'],
    [`args a#b '#' "#"`, '[a#b][#][#]'],
    [`args a #b c`, '[a]'],
    [`args '*' * a?b [x]`, '[*][*][a?b][[x]]'],
    [`args "a  b"'  c'`, '[a  b  c]'],
    [`args "multi\nline"`, '[multi\nline]'],
    [`args 'single\nline'`, '[single\nline]'],
    [`args a\\\nb`, '[ab]'],
    [`args "a\\\nb"`, '[ab]'],
    [`args 'a\\\nb'`, '[a\\\nb]'],
    [`args $"locale"`, '[locale]'],
    [`args "$(echo "inner quotes")"`, '[inner quotes]'],
    [`args "{a,b}" \\{a,b} '{a,b}'`, '[{a,b}][{a,b}][{a,b}]'],
  ])('%s', async (src, expected) => {
    const r = await sh(src);
    expect(r.err).toBe('');
    expect(r.out).toBe(expected + '\n');
  });
});

describe('brace expansion', () => {
  it.each([
    ['args {a,b,c}', '[a][b][c]'],
    ['args x{a,b}y', '[xay][xby]'],
    ['args {a,b}{1,2}', '[a1][a2][b1][b2]'],
    ['args {a,{b,c}}d', '[ad][bd][cd]'],
    ['args a{,b}', '[a][ab]'],
    ['args {1..5}', '[1][2][3][4][5]'],
    ['args {5..1..2}', '[5][3][1]'],
    ['args {-1..1}', '[-1][0][1]'],
    ['args {01..03} {8..10}', '[01][02][03][8][9][10]'],
    ['args {a..e..2} {C..A}', '[a][c][e][C][B][A]'],
    ['args {a} {} {a,b', '[{a}][{}][{a,b]'],
    ['X=v; args {$X,w}', '[v][w]'],
    ['args "x"{1,2}', '[x1][x2]'],
    ['for i in {1..3}; do echo -n $i; done; echo', '123'],
    ['X={a,b}; args $X', '[{a,b}]'],
  ])('%s', async (src, expected) => {
    const r = await sh(src);
    expect(r.err).toBe('');
    expect(r.out).toBe(expected + '\n');
  });

  it('refuses absurd sizes', async () => {
    expect(await sh('args {1..100000000}')).toMatchObject({ out: '', err: 'bash: brace expansion: too many words\n', status: 1 });
  });
});

describe('tilde', () => {
  it.each([
    ['args ~', '[/root]'],
    ['args ~/a/b', '[/root/a/b]'],
    ['args "~" \\~ \'~\'', '[~][~][~]'],
    ['args a~ a/~', '[a~][a/~]'],
    ['args ~root ~nosuchuser', '[/root][~nosuchuser]'],
    ['X=~/bin:~/sbin; args $X', '[/root/bin:/root/sbin]'],
    ['cd /tmp; args ~+ ~-', '[/tmp][/root]'],
  ])('%s', async (src, expected) => {
    expect((await sh(src)).out).toBe(expected + '\n');
  });
});

describe('parameters and field splitting', () => {
  it.each([
    [`X='a  b'; args $X "$X"`, '[a][b][a  b]'],
    [`X=' a b '; args $X`, '[a][b]'],
    [String.raw`X='a\tb\nc'; args $X`, String.raw`[a\tb\nc]`],
    [`X=$'a\\tb\\nc'; args $X`, '[a][b][c]'],
    [`E=; args $E x "$E"`, '[x][]'],
    [`args $UNSET_VARIABLE y`, '[y]'],
    [`IFS=:; X=a:b::c; args $X`, '[a][b][][c]'],
    [`IFS=': '; X='a : b'; args $X`, '[a][b]'],
    [`IFS=:; X=:a:; args $X`, '[][a]'],
    [`IFS=; X='a b'; args $X`, '[a b]'],
    [`X='*'; args $X`, '[*]'],
    [`X=a; args pre$X"post"`, '[preapost]'],
    [`X='1 2'; args a$X"b"`, '[a1][2b]'],
    [`args \${X:-a b} "\${X:-a b}"`, '[a][b][a b]'],
    [`X=; args "\${X-def}" "\${X:-def}"`, '[][def]'],
    [`args \${X:=assigned}; args $X`, '[assigned]\n[assigned]'],
    [`X=; args \${X=no} "\${X:=yes}"; args $X`, '[yes]\n[yes]'],
    [`X=v; args \${X:+alt} \${Y:+alt} \${X+set}`, '[alt][set]'],
    [`args \${#HOME} \${#UNSET}`, '[5][0]'],
    [`X=hello.tar.gz; args \${X%.*} \${X%%.*} \${X#*.} \${X##*.}`, '[hello.tar][hello][tar.gz][gz]'],
    [`X=a/b/c; args \${X/\\//-} \${X//\\//-} \${X/b/B}`, '[a-b/c][a-b-c][a/B/c]'],
    [`X=aaa; args \${X/#a/b} \${X/%a/b} \${X//a}`, '[baa][aab]'],
    [`X=abcdef; args \${X:2} \${X:1:3} \${X: -2}`, '[cdef][bcd][ef]'],
    [`X=Hello; args \${X^^} \${X,,} \${X,}`, '[HELLO][hello][hello]'],
    [`X='a.b'; args \${X%'.b'} "\${X%.*}" "\${X:-'q'}" "\${U:-'q'}" "\${U:-a\\b}" \${U:-a\\b}`, "[a][a][a.b]['q'][a\\b][ab]"],
    [`X='a*b'; args "\${X#a\\*}" \${X#'a*'}`, '[b][b]'],
    [`set -- a b c; args $# $1 $3 "$@" "$*"`, '[3][a][c][a][b][c][a b c]'],
    [`set -- "a b" c; args $@ / "$@" / $*`, '[a][b][c][/][a b][c][/][a][b][c]'],
    [`set -- "a b" c; IFS=,; args "$*" "x$@y"`, '[a b,c][xa b][cy]'],
    [`set -- 1 2 3 4 5 6 7 8 9 ten; args \${10} $10`, '[ten][10]'],
    [`args "$@" "$*" $# $1`, '[][0]'],
    [`set -- ''; args "$@"`, '[]'],
    [`args $0 $$`, '[bash][1000]'],
    [`fail; args $?`, '[3]'],
    [`args $!`, ''],
    [`X=1 Y=2; args $X$Y`, '[12]'],
    [`A=1 B=$A args x; args $B`, '[x]\n'],
    [`X=a; X+=b; args $X`, '[ab]'],
  ])('%s', async (src, expected) => {
    const r = await sh(src);
    expect(r.err).toBe('');
    expect(r.out).toBe(expected + '\n');
  });

  it('expands the default of ${X:?} as an error that abandons the line', async () => {
    const r = await sh('echo before; args ${X:?is not set}; echo after');
    expect(r.out).toBe('before\n');
    expect(r.err).toBe('bash: X: is not set\n');
    expect(r.status).toBe(1);
  });

  it.each([
    ['args ${X:?}', 'bash: X: parameter null or not set\n'],
    ['args ${X?}', 'bash: X: parameter not set\n'],
    ['args ${}', 'bash: ${}: bad substitution\n'],
    ['args ${a b}', 'bash: ${a b}: bad substitution\n'],
    ['args ${1:=x}', 'bash: $1: cannot assign in this way\n'],
  ])('%s reports an error', async (src, err) => {
    const r = await sh(src);
    expect(r).toMatchObject({ out: '', err, status: 1 });
  });

  it('sets $? for each command', async () => {
    const s = makeShell();
    await s.run('fail');
    expect((await s.run('echo $?')).out).toBe('3\n');
    expect((await s.run('echo $?')).out).toBe('0\n');
    await s.run('fail 42');
    expect(s.interp.lastStatus).toBe(42);
  });
});

describe('command substitution', () => {
  it.each([
    [`args "$(echo a; echo b)"`, '[a\nb]'],
    [`args $(echo a; echo b)`, '[a][b]'],
    [`args "$(printf 'x\\n\\n\\n')"`, '[x]'],
    [`args $(echo $(echo nested) deeper)`, '[nested][deeper]'],
    [`args "$(echo "$(echo "deep  quoted")")"`, '[deep  quoted]'],
    ['args `echo back`', '[back]'],
    ['args "`echo \\"q\\"`"', '[q]'],
    ['args `echo \\`echo inner\\``', '[inner]'],
    [`args $(fail; echo $?)`, '[3]'],
    [`args "$(cd /tmp; pwd)" "$(pwd)"`, '[/tmp][/root]'],
    [`args $(echo ')')`, '[)]'],
    [`X=1; Y=$(X=2; echo $X); args $X $Y`, '[1][2]'],
    [`args $(exit 4)x`, '[x]'],
    [`args $(echo hi | upper)`, '[HI]'],
    [`args $(case a in a) echo yes;; esac)`, '[yes]'],
    [`args $( (echo sub) )`, '[sub]'],
    [`args $((echo a); echo b)`, '[a][b]'],
  ])('%s', async (src, expected) => {
    const r = await sh(src);
    expect(r.err).toBe('');
    expect(r.out).toBe(expected + '\n');
  });

  it('gives an assignment the status of its substitution', async () => {
    expect((await sh('X=$(fail); echo $?')).out).toBe('3\n');
    expect((await sh('X=$(fail 5) Y=$(true); echo $?')).out).toBe('0\n');
  });

  it('passes stderr of the substitution through', async () => {
    const r = await sh('X=$(errecho oops; echo out); echo $X');
    expect(r.out).toBe('out\n');
    expect(r.err).toBe('oops\n');
  });

  it('runs exit inside a substitution in a subshell', async () => {
    const r = await sh('X=$(echo a; exit 7; echo b); echo "$X $?"');
    expect(r.out).toBe('a 7\n');
    expect(r.exited).toBeNull();
  });
});

describe('arithmetic', () => {
  it.each([
    ['1+2', '3'],
    ['7/2', '3'],
    ['-7/2', '-3'],
    ['7%3', '1'],
    ['-7%3', '-1'],
    ['2**10', '1024'],
    ['2**3**2', '512'],
    ['1<2', '1'],
    ['2<=1', '0'],
    ['3>=3', '1'],
    ['1==1 && 0 || 1', '1'],
    ['1!=1', '0'],
    [' (1+2)*3 ', '9'],
    ['-(2+3)', '-5'],
    ['0x10 + 010 + 2#101', '29'],
    ['1?2:3', '2'],
    ['0?2:3', '3'],
    ['~0', '-1'],
    ['1<<4', '16'],
    ['!0', '1'],
    ['5 > 3 ? 10 : 20', '10'],
    ['x', '0'],
    ['9223372036854775807 + 1', '-9223372036854775808'],
    ['0 && 1/0', '0'],
    ['6 & 3, 6 | 3, 6 ^ 3', '5'],
    ['', '0'],
  ])('$((%s)) = %s', async (expr, expected) => {
    const r = await sh(`echo $((${expr}))`);
    expect(r.err).toBe('');
    expect(r.out).toBe(expected + '\n');
  });

  it.each([
    ['x=3; echo $((x+1)) $(($x*2))', '4 6'],
    ['echo $((x=5, x*2)) $x', '10 5'],
    ['x=1; echo $((x++)) $x $((++x)) $((x--)) $x', '1 2 3 3 2'],
    ['x=2; ((x+=3)); echo $x', '5'],
    ['a=b; b=7; echo $((a + 1))', '8'],
    ['n=$(echo 4); echo $((n * n))', '16'],
    ['echo $(( $(echo 2) + 3 ))', '5'],
    ['(( 0 )); echo $?; (( 2 )); echo $?', '1\n0'],
    ['let x=2+3 "y = x * 2"; echo $x $y', '5 10'],
  ])('%s', async (src, expected) => {
    const r = await sh(src);
    expect(r.err).toBe('');
    expect(r.out).toBe(expected + '\n');
  });

  it.each([
    ['echo $((1/0))', 'bash: 1/0: division by 0 (error token is "0")\n'],
    ['echo $((1 +))', 'bash: 1 +: syntax error: operand expected (error token is "+")\n'],
    ['echo $((1 + * 2))', 'bash: 1 + * 2: syntax error: operand expected (error token is "* 2")\n'],
    ['echo $((08))', 'bash: 08: value too great for base (error token is "08")\n'],
  ])('%s fails like bash', async (src, err) => {
    const r = await sh(src + '; echo after');
    expect(r).toMatchObject({ out: '', err, status: 1 });
  });
});

describe('here-documents and here-strings', () => {
  it.each([
    ['unquoted delimiter expands', 'cat <<EOF\n$HOME $(echo sub) $((1+1)) \\$HOME "q" \'q\' \\\\\nEOF', '/root sub 2 $HOME "q" \'q\' \\\n'],
    ['quoted delimiter is literal', "cat <<'EOF'\n$HOME $(echo sub) \\$x\nEOF", '$HOME $(echo sub) \\$x\n'],
    ['double-quoted delimiter is literal', 'cat <<"EOF"\n$HOME\nEOF', '$HOME\n'],
    ['backslash-newline joins lines when unquoted', 'cat <<EOF\na\\\nb\nEOF', 'ab\n'],
    ['<<- strips leading tabs', 'cat <<-EOF\n\t\tindented\n\tEOF', 'indented\n'],
    ['<<- keeps spaces', 'cat <<-EOF\n  spaced\nEOF', '  spaced\n'],
    ['empty body', 'cat <<EOF\nEOF', ''],
    ['delimiter must match the whole line', 'cat <<EOF\n EOF\nEOF x\nEOF', ' EOF\nEOF x\n'],
    ['two here-documents: the last one is stdin', 'cat <<A <<B\na\nA\nb\nB', 'b\n'],
    ['piped', 'cat <<EOF | upper\nshout\nEOF', 'SHOUT\n'],
    ['here-string', 'upper <<< "some words"', 'SOME WORDS\n'],
    ['here-string expands without splitting', 'X="a  b"; cat <<< $X', 'a  b\n'],
    ['here-string with fd', 'cat 0<<< x', 'x\n'],
    ['heredoc feeding a loop', 'while read line; do echo "<$line>"; done <<EOF\none\ntwo\nEOF', '<one>\n<two>\n'],
  ])('%s', async (_name, src, expected) => {
    const r = await sh(src);
    expect(r.err).toBe('');
    expect(r.out).toBe(expected);
  });
});
