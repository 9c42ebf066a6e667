import { describe, expect, it } from 'vitest';
import { complete, type CompletionProvider } from './complete.ts';

/** Records what the provider was asked; knows `ip` subcommands and a few files. */
function provider(): CompletionProvider & { calls: [string[], string][] } {
  const calls: [string[], string][] = [];
  return {
    calls,
    commandNames: () => ['ip', 'iptables', 'ping', 'docker', 'cat'],
    argCandidates(argv, partial) {
      calls.push([argv, partial]);
      if (argv[0] === 'ip' && argv.length === 1) return ['link', 'addr', 'address', 'route', 'netns', 'link'];
      if (argv[0] === 'ip' && argv[1] === 'link') return ['show', 'set', 'add', 'delete'];
      if (argv[0] === 'cat') return ['/etc/hosts', '/etc/hostname'];
      return [];
    },
    fileCandidates: (partial) => ['out.txt', 'other.log', partial + 'x'],
    variableNames: () => ['HOME', 'HOSTNAME', 'PATH'],
  };
}

const run = (line: string, cursor = line.length) => {
  const p = provider();
  return { ...complete(line, cursor, p), calls: p.calls };
};

describe('command position', () => {
  it.each([
    ['', 0, ['.', ':', '[', 'break', 'cat', 'cd', 'command', 'continue', 'docker', 'echo', 'eval', 'exec', 'exit', 'export', 'false', 'ip', 'iptables', 'let', 'local', 'ping', 'printf', 'pwd', 'read', 'return', 'set', 'shift', 'source', 'test', 'true', 'type', 'unset']],
    ['i', 0, ['ip', 'iptables']],
    ['ip', 0, ['ip', 'iptables']],
    ['ipt', 0, ['iptables']],
    ['e', 0, ['echo', 'eval', 'exec', 'exit', 'export']],
    ['echo a; i', 8, ['ip', 'iptables']],
    ['echo a | i', 9, ['ip', 'iptables']],
    ['echo a |i', 8, ['ip', 'iptables']],
    ['true && p', 8, ['ping', 'printf', 'pwd']],
    ['false || d', 9, ['docker']],
    ['sleep 1 & d', 10, ['docker']],
    ['(d', 1, ['docker']],
    ['echo $(d', 7, ['docker']],
    ['echo `d', 6, ['docker']],
    ['sudo i', 5, ['ip', 'iptables']],
    ['sudo  ip', 6, ['ip', 'iptables']],
    ['X=1 i', 4, ['ip', 'iptables']],
    ['if d', 3, ['docker']],
    ['while true; do d', 15, ['docker']],
    ['  pi', 2, ['ping']],
    ['zz', 0, []],
  ])('%j', (line, start, candidates) => {
    const r = run(line);
    expect(r.candidates).toEqual(candidates);
    expect(r.start).toBe(start);
    expect(r.end).toBe(line.length);
    expect(r.calls).toEqual([]);
  });
});

describe('arguments', () => {
  it('asks the provider with the argv before the cursor', () => {
    const r = run('ip ');
    expect(r.candidates).toEqual(['addr', 'address', 'link', 'netns', 'route']);
    expect(r.calls).toEqual([[['ip'], '']]);
    expect([r.start, r.end]).toEqual([3, 3]);
  });

  it('filters by the partial word, sorted and unique', () => {
    const r = run('ip a');
    expect(r.candidates).toEqual(['addr', 'address']);
    expect([r.start, r.end]).toEqual([3, 4]);
  });

  it('passes deeper argv and drops sudo and assignments', () => {
    const r = run('sudo X=1 ip link s');
    expect(r.candidates).toEqual(['set', 'show']);
    expect(r.calls).toEqual([[['ip', 'link'], 's']]);
  });

  it('completes the command the cursor is in, not the whole line', () => {
    const r = run('cat /etc/h | ip l');
    expect(r.calls).toEqual([[['ip'], 'l']]);
    expect(r.candidates).toEqual(['link']);
  });

  it('removes quotes from the words', () => {
    const r = run('cat "/etc/h');
    expect(r.calls).toEqual([[['cat'], '/etc/h']]);
    expect(r.candidates).toEqual(['/etc/hostname', '/etc/hosts']);
    expect(r.start).toBe(4);
  });

  it('uses the text up to the cursor only', () => {
    const line = 'ip li show';
    const r = run(line, 5);
    expect(r.calls).toEqual([[['ip'], 'li']]);
    expect([r.start, r.end]).toEqual([3, 5]);
    expect(r.candidates).toEqual(['link']);
  });

  it('completes redirection targets as files', () => {
    const r = run('echo hi > o');
    expect(r.candidates).toEqual(['other.log', 'out.txt', 'ox']);
    expect(r.calls).toEqual([]);
    expect(run('echo hi 2>o').candidates).toEqual(['other.log', 'out.txt', 'ox']);
  });

  it('skips redirections when building argv', () => {
    const r = run('ip 2>/dev/null link s');
    expect(r.calls).toEqual([[['ip', 'link'], 's']]);
  });

  it('completes variable names after $', () => {
    expect(run('echo $HO').candidates).toEqual(['$HOME', '$HOSTNAME']);
  });

  it('offers nothing inside a comment', () => {
    expect(run('echo # ip').candidates).toEqual([]);
  });

  it('never fails on odd input', () => {
    for (const line of ['"', "'", '\\', '$(', '`', '>', '| |', 'a\\', '$']) {
      expect(() => run(line)).not.toThrow();
    }
  });
});
