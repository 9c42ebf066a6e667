/** Line editing in the terminal, key by key. */
import { describe, expect, it } from 'vitest';
import { applyKey, commonPrefix, emptyEditor, keys, redrawSequence, replaceRange, visibleLength, type EditorState } from '../../src/ui/terminal/line-editor.ts';

function type(s: EditorState, data: string): { state: EditorState; actions: string[] } {
  const actions: string[] = [];
  for (const k of keys(data)) {
    const r = applyKey(s, k);
    s = r.state;
    actions.push(r.action.kind);
  }
  return { state: s, actions };
}

describe('keys', () => {
  it('splits text, control bytes and escape sequences', () => {
    expect(keys('ip a\x1b[D\x7f\r')).toEqual(['ip a', '\x1b[D', '\x7f', '\r']);
    expect(keys('\x1bOH\x1b[3~\x1b[1;5C')).toEqual(['\x1bOH', '\x1b[3~', '\x1b[1;5C']);
  });
});

describe('applyKey', () => {
  it.each([
    ['insert and submit', 'ip addr\r', '', 0],
    ['backspace in the middle', 'ip adr\x1b[D\x1b[Dd', 'ip addr', 5],
    ['home and end', 'link\x01ip \x05 show', 'ip link show', 12],
    ['kill to start', 'ip link\x1b[D\x1b[D\x15', 'nk', 0],
    ['kill to end', 'ip link\x01\x1b[C\x1b[C\x0b', 'ip', 2],
    ['kill the word before', 'ip link show\x17', 'ip link ', 8],
    ['delete under the cursor', 'ipp\x1b[D\x1b[3~', 'ip', 2],
    ['word moves', 'ip link show\x1b[1;5D\x1b[1;5DX', 'ip Xlink show', 4],
  ])('%s', (_, data, buffer, cursor) => {
    const { state } = type(emptyEditor(), data);
    expect(state.buffer).toBe(buffer);
    expect(state.cursor).toBe(cursor);
  });

  it('submits the line and keeps history, without duplicates or blanks', () => {
    let { state, actions } = type(emptyEditor(), 'one\rone\r\rtwo\r');
    expect(actions.filter((a) => a === 'submit')).toHaveLength(4);
    expect(state.history).toEqual(['one', 'two']);
    ({ state } = type(state, 'dra\x1b[A'));
    expect(state.buffer).toBe('two');
    ({ state } = type(state, '\x1b[A\x1b[A'));
    expect(state.buffer).toBe('one');
    ({ state } = type(state, '\x1b[B\x1b[B'));
    expect(state.buffer).toBe('dra');
  });

  it('reports Ctrl+C, Ctrl+L, Tab and Ctrl+D on an empty line', () => {
    expect(applyKey(emptyEditor(), '\x03').action.kind).toBe('interrupt');
    expect(applyKey({ ...emptyEditor(), buffer: 'x', cursor: 1 }, '\x03').state.buffer).toBe('');
    expect(applyKey(emptyEditor(), '\x0c').action.kind).toBe('clear-screen');
    expect(applyKey(emptyEditor(), '\t').action.kind).toBe('complete');
    expect(applyKey(emptyEditor(), '\x04').action.kind).toBe('eof');
    expect(applyKey({ ...emptyEditor(), buffer: 'ab', cursor: 0 }, '\x04').state.buffer).toBe('b');
  });
});

describe('completion helpers', () => {
  it('finds the common prefix and replaces the word', () => {
    expect(commonPrefix(['veth0', 'veth1', 'vethx'])).toBe('veth');
    expect(commonPrefix([])).toBe('');
    const s = replaceRange({ ...emptyEditor(), buffer: 'ip li', cursor: 5 }, 3, 5, 'link ');
    expect(s).toMatchObject({ buffer: 'ip link ', cursor: 8 });
  });
});

describe('redrawSequence', () => {
  it('rewrites the line from the prompt and puts the cursor back', () => {
    const s = { ...emptyEditor(), buffer: 'ip addr', cursor: 3 };
    expect(redrawSequence(5, 7, s, 80)).toBe('\x1b[6G\x1b[Jip addr\x1b[9G');
  });
  it('handles wrapped lines', () => {
    const s = { ...emptyEditor(), buffer: 'x'.repeat(15), cursor: 15 };
    // prompt 5 + 15 = 20 = exactly two rows of 10: wrap explicitly, cursor on row 2 column 1
    expect(redrawSequence(5, 3, s, 10)).toBe(`\x1b[6G\x1b[J${'x'.repeat(15)}\r\n\x1b[1G`);
    const t = { ...s, cursor: 2 };
    expect(redrawSequence(5, 15, t, 10)).toBe(`\x1b[2A\x1b[6G\x1b[J${'x'.repeat(15)}\r\n\x1b[2A\x1b[8G`);
  });
  it('measures prompts without their colours', () => {
    expect(visibleLength('\x1b[1mroot@host:~# \x1b[0m')).toBe(13);
  });
});
