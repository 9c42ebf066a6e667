import { describe, expect, it } from 'vitest';
import { analyzeInput, checkInput, parse } from './parser.ts';

const syntax = (tok: string): string => `bash: syntax error near unexpected token \`${tok}'`;

describe('checkInput: complete input', () => {
  it.each([
    'echo hello',
    'echo hello\n',
    '',
    '\n\n',
    '# just a comment',
    'echo a # comment with a "quote',
    "echo 'it''s'",
    'echo "a\nb"',
    'echo a; echo b',
    'echo a && echo b || echo c',
    'echo a | upper | upper',
    'sleep 1 &',
    'sleep 1 & echo x',
    '(cd /tmp; pwd)',
    '{ echo a; echo b; }',
    'if true; then echo y; elif false; then echo n; else echo z; fi',
    'for i in 1 2 3; do echo $i; done',
    'for i in a b\ndo\n  echo $i\ndone',
    'echo a&&echo b;echo c|upper',
    'echo a;# comment',
    'for i; do echo $i; done',
    'while false; do :; done',
    'until true; do :; done',
    'case x in a|b) echo ab;; *) echo other;; esac',
    'f() { echo f; }',
    'function g { echo g; }',
    'cat <<EOF\nbody\nEOF',
    'cat <<EOF\nbody\nEOF\n',
    'cat <<-EOF\n\tbody\n\tEOF',
    "cat <<'EOF'\n$x\nEOF",
    'upper <<< "word"',
    'echo $(echo $(echo nested))',
    'echo `echo hi`',
    'echo $((1 + (2 * 3)))',
    '(( x = 1 + 2 ))',
    'for ((i = 0; i < 3; i++)); do echo $i; done',
    'echo a \\\n b',
    'echo ${x:-default} ${#x} ${x%.*}',
    'X=1 Y=2 env',
    'X=1',
    '> file',
    'echo {',
    'echo }',
    'echo fi then done',
    '! false',
    'echo a 2>&1 >/dev/null &>out &>>out 2>>err <in <<<str >&2 1>&2',
    '[[ -f x && ( a < b || $x =~ ^(a|b)+$ ) ]]',
    'echo [[ ]]',
  ])('%j is complete', (text) => {
    expect(checkInput(text)).toBe('complete');
    expect(parse(text).kind).toBe('ok');
  });
});

describe('checkInput: incomplete input (the terminal asks for another line)', () => {
  it.each([
    ['open double quote', 'echo "abc'],
    ['open single quote', "echo 'abc"],
    ['open $\'', "echo $'abc"],
    ['double quote over lines', 'echo "a\nb'],
    ['trailing backslash', 'echo abc\\'],
    ['backslash-newline at the end', 'echo abc \\\n'],
    ['trailing pipe', 'echo a |'],
    ['trailing pipe and newline', 'echo a |\n'],
    ['trailing &&', 'echo a &&'],
    ['trailing ||', 'echo a ||\n\n'],
    ['heredoc without body', 'cat <<EOF'],
    ['unterminated heredoc', 'cat <<EOF\nline\n'],
    ['unterminated quoted heredoc', "cat <<'EOF'\nline"],
    ['heredoc with <<- and untabbed text', 'cat <<-END\n\tx\n  END'],
    ['open if', 'if true'],
    ['if without fi', 'if true; then echo'],
    ['if waiting for else body', 'if true; then echo; else'],
    ['open for', 'for i in a b'],
    ['for without done', 'for i in a b; do echo $i'],
    ['open while', 'while true; do'],
    ['open until', 'until false'],
    ['open brace group', '{ echo a'],
    ['brace not in command position', '{ echo a }'],
    ['open subshell', '( echo a'],
    ['open case', 'case x in'],
    ['case without esac', 'case x in a) echo a;;'],
    ['case pattern without )', 'case x in a) echo a;; b'],
    ['function without body', 'f()'],
    ['function with open body', 'f() {'],
    ['open command substitution', 'echo $(echo a'],
    ['open backquote', 'echo `echo'],
    ['open ${', 'echo ${a'],
    ['open arithmetic', 'echo $((1 +'],
    ['open (( command', '(( 1 +'],
    ['second line of a compound still open', 'if true\nthen\n  echo a\n'],
    ['open [[', '[[ -f x'],
    ['[[ waiting after &&', '[[ a &&'],
  ])('%s', (_name, text) => {
    const a = analyzeInput(text);
    expect(a.status).toBe('incomplete');
    expect(a.pending).not.toBeNull();
    expect(parse(text).kind).toBe('incomplete');
  });

  it('gives what bash says at a real end of input', () => {
    expect(parse('echo "abc')).toEqual({ kind: 'incomplete', message: "bash: unexpected EOF while looking for matching `\"'" });
    expect(parse('if true')).toEqual({ kind: 'incomplete', message: 'bash: syntax error: unexpected end of file' });
  });

  it('closes a here-document at the end of input when final, with bash\'s warning', () => {
    const r = parse('cat <<EOF\nline', { final: true });
    expect(r.kind).toBe('ok');
    if (r.kind === 'ok') {
      expect(r.warnings).toEqual(["bash: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')"]);
    }
  });
});

describe('syntax errors use bash\'s wording', () => {
  it.each([
    ['echo ;;', ';;'],
    ['| foo', '|'],
    ['echo a | | b', '|'],
    [';', ';'],
    ['; echo', ';'],
    ['&', '&'],
    ['&& echo', '&&'],
    ['echo a && ;', ';'],
    ['echo a || || b', '||'],
    ['echo >', 'newline'],
    ['echo > ;', ';'],
    ['cat <<', 'newline'],
    ['echo 2>', 'newline'],
    ['echo (', 'newline'],
    ['echo a (', '('],
    ['echo (a)', 'a'],
    [')', ')'],
    ['echo )', ')'],
    ['()', ')'],
    ['fi', 'fi'],
    ['then', 'then'],
    ['done', 'done'],
    ['esac', 'esac'],
    ['}', '}'],
    ['echo a; }', '}'],
    ['if then fi', 'then'],
    ['if true; then fi', 'fi'],
    ['if true; done', 'done'],
    ['while true; do done', 'done'],
    ['while true; do; done', ';'],
    ['for i in a; do; done', ';'],
    ['{ }', '}'],
    ['( )', ')'],
    ['echo $(fi)', 'fi'],
    ['echo $(echo a |)', ')'],
    ['f() echo', 'echo'],
    ['{ echo a; } b', 'b'],
    ['if true; then echo; fi x', 'x'],
    ['echo a &; b', ';'],
    ['case x in a) echo;; b c', 'c'],
    ['[[ ]]', ']]'],
    [']]', ']]'],
    ['[[ a b ]]', 'b'],
    ['[[ a == ]]', ']]'],
  ])('%j → near %j', (text, token) => {
    const r = parse(text);
    expect(r).toMatchObject({ kind: 'error', message: syntax(token), token });
    expect(checkInput(text)).toBe('error');
  });

  it('reports an error before a later unterminated quote (bash reads token by token)', () => {
    expect(parse('echo ;; "abc')).toMatchObject({ kind: 'error', token: ';;' });
  });

  it('reports a bad for-loop variable', () => {
    expect(parse('for 1 in a; do echo; done')).toMatchObject({ kind: 'error', message: "bash: `1': not a valid identifier" });
  });
});

describe('parse tree', () => {
  it('keeps words, assignments and redirections of a simple command', () => {
    const r = parse('A=1 B+=x cmd arg 2>err >>out');
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    const cmd = r.program.body.items[0]!.command.first.commands[0]!;
    expect(cmd.type).toBe('simple');
    if (cmd.type !== 'simple') return;
    expect(cmd.assignments.map((a) => [a.name, a.append, a.value.raw])).toEqual([['A', false, '1'], ['B', true, 'x']]);
    expect(cmd.words.map((w) => w.raw)).toEqual(['cmd', 'arg']);
    expect(cmd.redirects.map((x) => [x.fd, x.op, x.target.raw])).toEqual([[2, '>', 'err'], [null, '>>', 'out']]);
  });

  it('only treats words before the command name as assignments', () => {
    const r = parse('echo A=1');
    if (r.kind !== 'ok') throw new Error('parse failed');
    const cmd = r.program.body.items[0]!.command.first.commands[0]!;
    expect(cmd.type === 'simple' && cmd.words.map((w) => w.raw)).toEqual(['echo', 'A=1']);
  });

  it('marks background items and keeps their text', () => {
    const r = parse('sleep 5 && echo done & echo next');
    if (r.kind !== 'ok') throw new Error('parse failed');
    expect(r.program.body.items.map((i) => [i.text, i.background])).toEqual([
      ['sleep 5 && echo done', true],
      ['echo next', false],
    ]);
  });

  it('reads here-document bodies after the line, in order', () => {
    const r = parse('cat <<A <<-B\none\nA\n\ttwo\n\tB\necho after');
    if (r.kind !== 'ok') throw new Error('parse failed');
    const cmd = r.program.body.items[0]!.command.first.commands[0]!;
    if (cmd.type !== 'simple') throw new Error('not simple');
    expect(cmd.redirects.map((x) => x.heredoc?.body)).toEqual(['one\n', 'two\n']);
    expect(r.program.body.items).toHaveLength(2);
  });

  it('recognizes quoted here-document delimiters', () => {
    for (const d of ["'EOF'", '"EOF"', '\\EOF', "E'O'F"]) {
      const r = parse(`cat <<${d}\n$x\nEOF`);
      if (r.kind !== 'ok') throw new Error('parse failed');
      const cmd = r.program.body.items[0]!.command.first.commands[0]!;
      if (cmd.type !== 'simple') throw new Error('not simple');
      expect(cmd.redirects[0]!.heredoc).toMatchObject({ delimiter: 'EOF', quoted: true, body: '$x\n' });
    }
  });

  it('finds the end of $( ) by parsing, so parentheses inside case patterns work', () => {
    expect(parse('echo $(case a in a) echo yes;; esac)').kind).toBe('ok');
    expect(parse('echo $( (echo a) )').kind).toBe('ok');
    expect(parse('echo $(echo ")")').kind).toBe('ok');
  });

  it('never throws on very deep nesting', () => {
    const deep = '$('.repeat(3000) + 'echo' + ')'.repeat(3000);
    expect(['ok', 'error']).toContain(parse(`echo ${deep}`).kind);
  });
});

describe('analyzeInput splits a script into command lines', () => {
  const script = [
    '#!/bin/bash',
    '# setup',
    'echo one',
    '',
    'echo two; echo three',
    'cat <<EOF | upper',
    'body $HOME',
    '',
    'EOF',
    'if true',
    'then',
    '  # inner comment',
    '',
    '  echo four',
    'fi',
    'echo five \\',
    '  six',
    'echo a |',
    '  upper',
    '   ',
    'echo ;; bad',
    'echo after',
    'for x in 1 2; do',
    '  echo $x',
    'done # trailing',
    '# the end',
    '',
  ].join('\n');

  it('gives each unit with its lines', () => {
    const a = analyzeInput(script);
    expect(a.status).toBe('error');
    expect(a.pending).toBeNull();
    expect(a.lines.map((l) => [l.text, l.firstLine, l.lastLine, l.error ?? null])).toEqual([
      ['echo one', 3, 3, null],
      ['echo two; echo three', 5, 5, null],
      ['cat <<EOF | upper\nbody $HOME\n\nEOF', 6, 9, null],
      ['if true\nthen\n  # inner comment\n\n  echo four\nfi', 10, 15, null],
      ['echo five \\\n  six', 16, 17, null],
      ['echo a |\n  upper', 18, 19, null],
      ['echo ;; bad', 21, 21, syntax(';;')],
      ['echo after', 22, 22, null],
      ['for x in 1 2; do\n  echo $x\ndone # trailing', 23, 25, null],
    ]);
  });

  it('keeps the offsets of each unit', () => {
    const a = analyzeInput('echo a\n\n  echo b\n');
    expect(a.lines.map((l) => [l.start, l.end, l.text])).toEqual([
      [0, 6, 'echo a'],
      [8, 16, '  echo b'],
    ]);
  });

  it('returns the unfinished tail as pending', () => {
    const a = analyzeInput('echo one\nif true; then\n  echo two\n');
    expect(a.status).toBe('incomplete');
    expect(a.lines.map((l) => l.text)).toEqual(['echo one']);
    expect(a.pending).toBe('if true; then\n  echo two\n');
    expect(a.pendingMessage).toBe('bash: syntax error: unexpected end of file');
  });

  it('turns the unfinished tail into an error when final', () => {
    const a = analyzeInput('echo one\necho "two\n', { final: true });
    expect(a.status).toBe('error');
    expect(a.lines.map((l) => l.error ?? null)).toEqual([null, "bash: unexpected EOF while looking for matching `\"'"]);
  });

  it('after an error inside a compound command, starts afresh on the next line (as bash does)', () => {
    const a = analyzeInput('if true; then\n  echo ;;\nfi\necho ok');
    expect(a.lines.map((l) => [l.text, l.error ?? null])).toEqual([
      ['if true; then\n  echo ;;', syntax(';;')],
      ['fi', syntax('fi')],
      ['echo ok', null],
    ]);
  });

  it('has no units for blank and comment-only text', () => {
    expect(analyzeInput('\n  \n# c\n\t# d\n')).toEqual({ status: 'complete', lines: [], pending: null, pendingMessage: null });
  });

  it('keeps several commands on one line together, and a background job with what follows', () => {
    const a = analyzeInput('sleep 1 & echo x; echo y\necho z');
    expect(a.lines.map((l) => l.text)).toEqual(['sleep 1 & echo x; echo y', 'echo z']);
  });

  it('handles a here-document whose command continues on the next line', () => {
    const a = analyzeInput('cat <<EOF |\nhello\nEOF\nupper\necho next');
    expect(a.lines.map((l) => l.text)).toEqual(['cat <<EOF |\nhello\nEOF\nupper', 'echo next']);
  });

  it('handles CR-free text without a trailing newline', () => {
    expect(analyzeInput('echo a').lines.map((l) => l.text)).toEqual(['echo a']);
  });
});
