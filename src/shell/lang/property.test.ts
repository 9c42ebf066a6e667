/**
 * Property: whatever text a learner types, the language layer never throws a JavaScript
 * exception. Text either runs (any status) or is a syntax error reported with status 2;
 * `exit` may end the shell with ShellExit, which is part of the contract.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { complete } from './complete.ts';
import { analyzeInput, parse } from './parser.ts';
import { ShellExit } from './runtime.ts';
import { makeShell } from './test-helpers.ts';

/** Printable ASCII plus newline and tab. */
const printableChar = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.constant('\n') },
  { weight: 1, arbitrary: fc.constant('\t') },
);
const printable = fc.array(printableChar, { maxLength: 60 }).map((cs) => cs.join(''));

/** Fragments of shell syntax, so random texts reach deep into the grammar. */
const fragments = [
  'echo', 'a', 'b c', '"', "'", '$', '$x', '${', '}', '${x:-d}', '${#x}', '${x%.*}', '$(', ')', '(', '`',
  '$((', '))', '1+2', '{', ';', ';;', '&&', '||', '|', '|&', '&', '>', '>>', '<', '<<', '<<-', '<<<',
  'EOF', '\n', '\\', '\\\n', '#', ' ', '  ', '2>&1', '>&2', '&>', 'x=1', 'x+=2', '*', '?', '~', 'upper',
  'fail', 'cat', 'args', 'if', 'then', 'elif', 'else', 'fi', 'for', 'in', 'do', 'done', 'while', 'until',
  'case', 'esac', 'f()', 'f', 'function', 'return', 'break', 'continue', 'exit', '[', ']', '-eq', 'test',
  'printf', '%s', '%d', 'read', 'local', 'set', '--', 'export', 'unset', 'cd', '/tmp', 'eval', '!', '((',
  "$'", '\\n', '=', ':', 'true', 'false', 'shift', 'let', 'source', 'type', 'command', '-v', '0', '9',
  '{a,b}', '{1..3}', ',', '..', '[[', ']]', '==', '=~', '-z', '-f', '^(a|b)$',
];
const shellish = fc
  .array(fc.constantFrom(...fragments), { maxLength: 25 })
  .map((parts) => parts.join(''));
const shellishSpaced = fc
  .array(fc.constantFrom(...fragments), { maxLength: 25 })
  .map((parts) => parts.join(' '));

const anyText = fc.oneof(printable, shellish, shellishSpaced);

async function runsCleanly(text: string): Promise<void> {
  const parsed = parse(text, { final: true });
  const analysis = analyzeInput(text);
  expect(['complete', 'incomplete', 'error']).toContain(analysis.status);

  const shell = makeShell(undefined, { loopLimit: 30, maxFunctionDepth: 30 });
  let status: number;
  let err = '';
  try {
    status = await shell.interp.run(text, { stdin: 'input line\n', out: () => {}, err: (s) => void (err += s) }, shell.interrupt);
  } catch (e) {
    if (e instanceof ShellExit) return;
    throw e;
  }
  expect(Number.isInteger(status)).toBe(true);
  expect(status).toBeGreaterThanOrEqual(0);
  expect(status).toBeLessThanOrEqual(255);
  if (parsed.kind !== 'ok') {
    expect(status).toBe(2);
    expect(err).toBe(parsed.message + '\n');
  }
}

describe('random input never throws', () => {
  it('parse / analyzeInput / run', async () => {
    await fc.assert(fc.asyncProperty(anyText, runsCleanly), { seed: 20240601, numRuns: 1500 });
  });

  it('runs every command line of a random script', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (text) => {
        const shell = makeShell(undefined, { loopLimit: 30, maxFunctionDepth: 30 });
        const r = await shell.script(text);
        expect(Number.isInteger(r.status)).toBe(true);
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('complete', () => {
    fc.assert(
      fc.property(anyText, fc.nat(), (text, n) => {
        const r = complete(text, n % (text.length + 1), {
          commandNames: () => ['ip'],
          argCandidates: () => ['x'],
        });
        expect(r.start).toBeLessThanOrEqual(r.end);
      }),
      { seed: 11, numRuns: 1000 },
    );
  });
});
