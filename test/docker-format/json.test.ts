/** encoding/json compatibility: escaping, numbers, struct and map order, indentation, decoding. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  GoFloat,
  GoMap,
  GoNil,
  GoSlice,
  GoStruct,
  GoText,
  compactJSON,
  decodeJSON,
  encodeJSON,
  indentJSON,
  jsonNumber,
  marshalIndent,
  quoteJSON,
} from '../../src/shell/commands/docker/format/index.ts';

describe('strings', () => {
  it('escapes as Go does, HTML characters only when asked', () => {
    expect(quoteJSON('<a href="x">&</a>')).toBe('"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"');
    expect(quoteJSON('<a>&', false)).toBe('"<a>&"');
    expect(quoteJSON('tab\there\nnl\rcr\bbs\fff\\back')).toBe('"tab\\there\\nnl\\rcr\\bbs\\fff\\\\back"');
    expect(quoteJSON('\u0000\u0001\u001f\u007f')).toBe('"\\u0000\\u0001\\u001f\u007f"');
    expect(quoteJSON('line\u2028sep\u2029', false)).toBe('"line\\u2028sep\\u2029"');
    expect(quoteJSON('é中😀')).toBe('"é中😀"');
    expect(quoteJSON('bad\ud800x')).toBe('"bad\\ufffdx"');
  });

  it('json.Marshal escapes HTML by default', () => {
    expect(encodeJSON({ a: '<b>' })).toBe('{"a":"\\u003cb\\u003e"}');
    expect(encodeJSON({ a: '<b>' }, { escapeHTML: false })).toBe('{"a":"<b>"}');
  });
});

describe('numbers', () => {
  it('writes floats like Go (exponent below 1e-6 and from 1e21)', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [1, '1'],
      [-1.5, '-1.5'],
      [0.1, '0.1'],
      [1e20, '100000000000000000000'],
      [1e21, '1e+21'],
      [1.5e-7, '1.5e-7'],
      [0.000001, '0.000001'],
      [123456789.125, '123456789.125'],
    ];
    for (const [n, want] of cases) expect(encodeJSON(n)).toBe(want);
    expect(encodeJSON(new GoFloat(-0))).toBe('-0');
    expect(encodeJSON(2n ** 63n - 1n)).toBe('9223372036854775807');
    expect(() => encodeJSON(NaN)).toThrow('json: unsupported value: NaN');
    expect(() => encodeJSON(new GoFloat(-Infinity))).toThrow('json: unsupported value: -Inf');
  });
});

describe('composites', () => {
  it('maps sort their keys; structs keep field order, JSON names and omitempty', () => {
    expect(encodeJSON({ b: 1, a: { d: [], c: null } })).toBe('{"a":{"c":null,"d":[]},"b":1}');
    const s = new GoStruct({
      type: 'x.T',
      fields: [
        { name: 'ID', value: 'abc', json: 'Id' },
        { name: 'Zed', value: 1 },
        { name: 'Empty', value: '', omitEmpty: true },
        { name: 'NilPtr', value: new GoNil('*x.U', 'ptr'), omitEmpty: true },
        { name: 'Kept', value: new GoNil('[]string', 'slice') },
        { name: 'Hidden', value: 'x', json: '-' },
        { name: 'Addr', value: new GoText({ type: 'netip.Addr', kind: 'struct', text: 'invalid IP', json: '' }), omitEmpty: true },
        { name: 'Alpha', value: new GoMap({ type: 'map[string]int', entries: [['z', 1], ['a', 2]] }) },
      ],
    });
    expect(encodeJSON(s)).toBe('{"Id":"abc","Zed":1,"Kept":null,"Addr":"","Alpha":{"a":2,"z":1}}');
  });

  it('flattens embedded structs, the shallower field winning', () => {
    const inner = new GoStruct({ type: 'x.In', fields: [{ name: 'A', value: 1 }, { name: 'B', value: 2 }] });
    const outer = new GoStruct({ type: 'x.Out', fields: [{ name: 'In', value: inner, embedded: true }, { name: 'B', value: 'outer' }, { name: 'C', value: 3 }] });
    expect(encodeJSON(outer)).toBe('{"A":1,"B":"outer","C":3}');
  });

  it('uses MarshalJSON and TextMarshaler forms, and raw json.Number', () => {
    const m = new GoStruct({ type: 'x.M', marshalJSON: () => '{ "b" : "<x>" , "a": 1 }' });
    expect(encodeJSON([m], { escapeHTML: false })).toBe('[{"b":"<x>","a":1}]');
    expect(encodeJSON([m])).toBe('[{"b":"\\u003cx\\u003e","a":1}]');
    expect(encodeJSON(new GoSlice('[]json.Number', [jsonNumber('1e+21'), jsonNumber('-0.50')]))).toBe('[1e+21,-0.50]');
    const port = new GoText({ type: 'network.Port', kind: 'struct', text: '80/tcp', json: '80/tcp' });
    expect(encodeJSON(new GoMap({ type: 'map[network.Port]struct {}', keyType: 'network.Port', entries: [[port, new GoStruct({ type: 'struct {}' })]] }))).toBe('{"80/tcp":{}}');
  });

  it('MarshalIndent / Indent: nested indentation, empty {} and [] on one line', () => {
    expect(marshalIndent({ a: [], b: {}, c: [1, { d: 'x' }] }, '', '    ')).toBe(
      '{\n    "a": [],\n    "b": {},\n    "c": [\n        1,\n        {\n            "d": "x"\n        }\n    ]\n}',
    );
    expect(indentJSON('[ ]', '', '  ')).toBe('[]');
    expect(indentJSON('{"a":"x, y: {z}"}', '>', '\t')).toBe('{\n>\t"a": "x, y: {z}"\n>}');
  });

  it('compacts while keeping strings intact', () => {
    expect(compactJSON('{ "a" : [ 1 , "b c" ] }')).toBe('{"a":[1,"b c"]}');
  });
});

describe('decoding (UseNumber)', () => {
  it('decodes into maps, slices and json.Number', () => {
    const v = decodeJSON('{"b":[1,2.50,"x"],"a":{"n":null,"t":true}}') as Record<string, unknown>;
    expect(encodeJSON(v)).toBe('{"a":{"n":null,"t":true},"b":[1,2.50,"x"]}');
    expect(() => decodeJSON('{"a":}')).toThrow(SyntaxError);
  });
});

describe('properties', () => {
  const jsonValue = fc.jsonValue({ maxDepth: 4 });

  it('round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        expect(JSON.parse(encodeJSON(v))).toEqual(v);
        expect(JSON.parse(encodeJSON(v, { escapeHTML: false }))).toEqual(v);
      }),
    );
  });

  it('never lets <, > or & through when escaping HTML', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        expect(encodeJSON(v)).not.toMatch(/[<>&]/);
      }),
    );
  });

  it('indentation and compaction are inverse, and decoding re-encodes to the same text', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        const text = encodeJSON(v, { escapeHTML: false });
        expect(compactJSON(indentJSON(text, '', '    '))).toBe(text);
        expect(JSON.parse(indentJSON(text, '', '  '))).toEqual(v);
        expect(encodeJSON(decodeJSON(text), { escapeHTML: false })).toBe(text);
      }),
    );
  });

  it('matches JSON.stringify on strings apart from Go’s extra escapes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const go = quoteJSON(s, false);
        const js = JSON.stringify(s)
          .replace(/\u2028/g, '\\u2028')
          .replace(/\u2029/g, '\\u2029');
        expect(go).toBe(js);
      }),
    );
  });
});
