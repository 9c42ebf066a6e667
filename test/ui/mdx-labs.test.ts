/** Reading labs, commands and expected outputs out of lesson MDX. */
import { describe, expect, it } from 'vitest';
import { lessonLabs, outputMatches, parseProps } from '../../src/ui/content/mdx-labs.ts';

describe('parseProps', () => {
  it('reads strings, templates, numbers, flags and quoted expressions', () => {
    const { props, errors } = parseProps(` id="a" setup={\`ip netns add red
ip netns add \\\`blue\\\`\`} seed={3} fails world={'bare'}`);
    expect(errors).toEqual([]);
    expect(props).toEqual({ id: 'a', setup: 'ip netns add red\nip netns add `blue`', seed: 3, fails: true, world: 'bare' });
  });
  it('refuses templates with substitutions', () => {
    expect(parseProps('cmd={`echo ${x}`}').errors[0]).toMatch(/not allowed/);
  });
});

describe('lessonLabs', () => {
  const mdx = `
<Lab id="one" world="bare" />

<Run cmd="ip netns add red" />

<Run cmd={\`ip netns list
ls /run/netns\`} />
\`\`\`output
red
  red
\`\`\`

<Run cmd="ping -c 1 10.9.9.9" lab="two" fails />

\`\`\`output
x
\`\`\`

<Trace id="t" world="bare" run="ping -c 1 127.0.0.1" caption="c" />
`;
  it('finds labs, runs with their outputs, and traces', () => {
    const r = lessonLabs(mdx);
    expect(r.errors).toEqual([]);
    expect(r.labs).toEqual([{ kind: 'Lab', id: 'one', props: { id: 'one', world: 'bare' }, line: 2 }]);
    expect(r.runs.map((x) => [x.commands, x.output, x.fails, x.lab])).toEqual([
      [['ip netns add red'], undefined, false, undefined],
      [['ip netns list', 'ls /run/netns'], 'red\n  red', false, undefined],
      [['ping -c 1 10.9.9.9'], 'x', true, 'two'],
    ]);
    expect(r.traces.map((t) => t.id)).toEqual(['t']);
  });
  it('keeps a heredoc with the command that opens it, indentation included (the body written two spaces further in)', () => {
    const r = lessonLabs("<Run cmd={`cat > compose.yaml <<'EOF'\n  services:\n    web:\n      image: nginx\n  EOF\ndocker compose up -d`} />\n");
    expect(r.runs[0].commands).toEqual(["cat > compose.yaml <<'EOF'\nservices:\n  web:\n    image: nginx\nEOF", 'docker compose up -d']);
  });
  it('reads a multi-line template prop as the MDX compiler does: continuation lines lose up to two columns of indentation', async () => {
    const { mdxToJs } = await import('satteri');
    const body = "cat > c <<'EOF'\nservices:\n  web:\n    image: nginx\n      x\n \ty\n\tz\n\t\tw\nEOF";
    for (const src of [`<Run cmd={\`${body}\`} />\n`, `Text <Run cmd={\`${body}\`} /> more\n`, `<Run\n  lab="l"\n  cmd={\`${body}\`} />\n`]) {
      const out = await mdxToJs(src, {});
      const code = typeof out === 'string' ? out : (out as { code: string }).code;
      const compiled = /cmd: `([^`]*)`/.exec(code)![1];
      const tag = src.slice(src.indexOf('<Run') + 4, src.lastIndexOf('/>'));
      expect(parseProps(tag).props.cmd).toBe(compiled);
    }
  });
  it('reports an unterminated output block', () => {
    expect(lessonLabs('<Run cmd="x" />\n```output\nabc').errors[0]).toMatch(/unterminated/);
  });
});

describe('outputMatches', () => {
  it.each([
    ['a\nb\n', 'a\nb', true],
    ['a  \nb', 'a\nb', true],
    ['a\nb\nc\nd', 'a\n[...]\nd', true],
    ['a\nd', 'a\n[...]\nd', true],
    ['a\nb', 'a\nc', false],
    ['a\nb\nc', 'a\nb', false],
  ])('%j vs %j', (actual, expected, ok) => {
    expect(outputMatches(actual, expected)).toBe(ok);
  });
});
