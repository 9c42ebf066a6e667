/**
 * A small model of Go values for the docker CLI's formatting code, and Go's fmt printing of them.
 *
 * Go's text/template and fmt work on typed values (structs, maps, slices, pointers, types with a
 * String method). JavaScript has none of that, so the formatting library represents Go values as:
 *
 *   string                  Go string
 *   number                  int when integral, float64 otherwise
 *   bigint                  int64
 *   boolean                 bool
 *   undefined               no value (an invalid reflect.Value: a missing map key)
 *   null                    a nil interface{} (JSON null)
 *   Array                   []interface {}
 *   plain object            map[string]interface {} (keys iterate sorted, as Go maps do)
 *   GoFloat                 float64 with an integral value (a float literal such as 1.0)
 *   GoStruct                a struct (or pointer to one): ordered fields, JSON names, methods
 *   GoMap                   a typed map (map[string]string, map[network.Port][]PortBinding, ...)
 *   GoSlice                 a typed slice ([]string)
 *   GoNil                   a typed nil pointer, slice or map
 *   GoText                  a value with a String method and its own JSON form (netip.Addr,
 *                           time.Time, json.Number, net.HardwareAddr)
 *
 * The plain forms are what a JSON document decodes to (docker's raw fallback); the classes carry
 * the static types that the docker CLI's typed structs have.
 */

/** float64 holder, for floats whose value is integral (1.0 prints "1" but is not an int). */
export class GoFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/** Parameter and result types a Go function or method declares (what text/template checks). */
export type GoParamType = 'any' | 'string' | 'int' | 'bool' | 'float64' | '[]string';

/** A Go function or method as the template engine sees it. */
export interface GoFunc {
  params: GoParamType[];
  /** The last parameter is variadic (...T). */
  variadic?: boolean;
  /** Called with the evaluated arguments; throw GoError for a returned error. */
  fn: (...args: unknown[]) => unknown;
}

/** A Go error value returned by a function (becomes "error calling NAME: MSG"). */
export class GoError extends Error {}

export function goFunc(params: GoParamType[], fn: (...args: never[]) => unknown, variadic = false): GoFunc {
  return { params, fn: fn as (...args: unknown[]) => unknown, variadic };
}

export interface GoField {
  /** Go field name (what templates use). */
  name: string;
  value: unknown;
  /** JSON name when it differs from the Go name; '-' to leave the field out of JSON. */
  json?: string;
  omitEmpty?: boolean;
  /** An embedded struct: its fields are promoted (template and JSON alike). */
  embedded?: boolean;
}

export interface GoStructInit {
  /** Go type name without the pointer star, e.g. "container.State". */
  type: string;
  /** Held through a pointer (*T): the star shows in messages, nested pointers print as addresses. */
  pointer?: boolean;
  fields?: GoField[];
  methods?: Record<string, GoFunc>;
  /** A String() method: fmt prints this instead of the fields. */
  string?: () => string;
  /** A MarshalJSON method: the JSON text it returns (compacted into the output as is). */
  marshalJSON?: () => string;
}

export class GoStruct {
  readonly type: string;
  readonly pointer: boolean;
  readonly fields: GoField[];
  readonly methods: Record<string, GoFunc>;
  readonly string?: () => string;
  readonly marshalJSON?: () => string;
  constructor(init: GoStructInit) {
    this.type = init.type;
    this.pointer = init.pointer ?? false;
    this.fields = init.fields ?? [];
    this.methods = init.methods ?? {};
    this.string = init.string;
    this.marshalJSON = init.marshalJSON;
  }

  /** Field lookup including fields promoted from embedded structs (shallowest first). */
  field(name: string): GoField | undefined {
    for (const f of this.fields) if (!f.embedded && f.name === name) return f;
    for (const f of this.fields) {
      if (f.embedded && f.value instanceof GoStruct) {
        const inner = f.value.field(name);
        if (inner) return inner;
      }
      if (f.embedded && f.name === name) return f;
    }
    return undefined;
  }

  /** Method lookup including methods promoted from embedded structs. */
  method(name: string): GoFunc | undefined {
    if (Object.prototype.hasOwnProperty.call(this.methods, name)) return this.methods[name];
    for (const f of this.fields) {
      if (f.embedded && f.value instanceof GoStruct) {
        const m = f.value.method(name);
        if (m) return m;
      }
    }
    return undefined;
  }

  /** Field names, for GoNil pointers that must tell "nil pointer" from "no such field". */
  fieldNames(): string[] {
    const out: string[] = [];
    for (const f of this.fields) {
      out.push(f.name);
      if (f.embedded && f.value instanceof GoStruct) out.push(...f.value.fieldNames());
    }
    return out;
  }
}

export interface GoMapInit {
  /** e.g. "map[string]string", "map[network.Port][]network.PortBinding". */
  type: string;
  /** Entries in any order; printing, ranging and JSON sort them by key as Go does. */
  entries: Iterable<[unknown, unknown]> | Record<string, unknown>;
  /** Key type name; field syntax (.key) and index with a string work only for "string". */
  keyType?: string;
  /** Value returned by index for a missing key (Go's zero value of the element type). */
  zero?: unknown;
  methods?: Record<string, GoFunc>;
}

export class GoMap {
  readonly type: string;
  readonly keyType: string;
  readonly entries: Map<unknown, unknown>;
  readonly zero: unknown;
  readonly methods: Record<string, GoFunc>;
  constructor(init: GoMapInit) {
    this.type = init.type;
    this.keyType = init.keyType ?? 'string';
    const e = init.entries;
    this.entries = isIterable(e) ? new Map(e) : new Map(Object.entries(e));
    this.zero = init.zero;
    this.methods = init.methods ?? {};
  }
}

function isIterable(x: unknown): x is Iterable<[unknown, unknown]> {
  return typeof x === 'object' && x !== null && Symbol.iterator in x;
}

export class GoSlice {
  readonly type: string;
  readonly items: unknown[];
  constructor(type: string, items: unknown[]) {
    this.type = type;
    this.items = items;
  }
}

/** A typed nil: pointer (prints <nil>), slice (prints []) or map (prints map[]); JSON null. */
export class GoNil {
  readonly type: string;
  readonly kind: 'ptr' | 'slice' | 'map';
  /** For a nil pointer to a struct: the struct's field names. */
  readonly fields: readonly string[];
  constructor(type: string, kind: 'ptr' | 'slice' | 'map', fields: readonly string[] = []) {
    this.type = type;
    this.kind = kind;
    this.fields = fields;
  }
}

/**
 * A value with a String method and its own JSON encoding: netip.Addr, netip.Prefix, time.Time,
 * net.HardwareAddr, network.Port, json.Number. `kind` is the underlying Go kind (what truth,
 * comparison and len see); `text` what fmt prints; `json` the JSON value, or `jsonRaw` the JSON
 * text (json.Number's literal).
 */
export class GoText {
  readonly type: string;
  readonly kind: 'struct' | 'string' | 'slice';
  readonly text: string;
  readonly json: unknown;
  readonly jsonRaw?: string;
  /** Underlying value for comparisons and len (the string of a json.Number, the bytes' count). */
  readonly under: string;
  constructor(init: { type: string; kind: 'struct' | 'string' | 'slice'; text: string; json?: unknown; jsonRaw?: string; under?: string }) {
    this.type = init.type;
    this.kind = init.kind;
    this.text = init.text;
    this.json = init.json ?? init.text;
    this.jsonRaw = init.jsonRaw;
    this.under = init.under ?? init.text;
  }
}

/** json.Number, as encoding/json's Decoder.UseNumber produces. */
export function jsonNumber(literal: string): GoText {
  return new GoText({ type: 'json.Number', kind: 'string', text: literal, jsonRaw: literal });
}

// ---------------------------------------------------------------------------------------------
// Kinds and type names

export type GoKind = 'invalid' | 'nilif' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'map' | 'struct' | 'ptr' | 'func';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Go kind of a value after indirecting pointers to structs (GoStruct counts as struct). */
export function kindOf(v: unknown): GoKind {
  if (v === undefined) return 'invalid';
  if (v === null) return 'nilif';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'function':
      return 'func';
  }
  if (v instanceof GoFloat) return 'float';
  if (Array.isArray(v) || v instanceof GoSlice) return 'slice';
  if (v instanceof GoMap || isPlainObject(v)) return 'map';
  if (v instanceof GoStruct) return 'struct';
  if (v instanceof GoNil) return v.kind === 'ptr' ? 'ptr' : v.kind;
  if (v instanceof GoText) return v.kind;
  return 'struct';
}

/** Go's name for the value's type, as reflect.Type.String() spells it. */
export function typeName(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float64';
    case 'bigint':
      return 'int64';
    case 'function':
      return 'func()';
  }
  if (v instanceof GoFloat) return 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  if (isPlainObject(v)) return 'map[string]interface {}';
  if (v instanceof GoStruct) return (v.pointer ? '*' : '') + v.type;
  if (v instanceof GoMap || v instanceof GoSlice || v instanceof GoNil || v instanceof GoText) return v.type;
  return 'interface {}';
}

export function numberValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof GoFloat) return v.value;
  return NaN;
}

/** Entries of a map value sorted as Go's fmtsort does (numbers numerically, strings bytewise). */
export function sortedEntries(v: GoMap | Record<string, unknown>): [unknown, unknown][] {
  const entries: [unknown, unknown][] = v instanceof GoMap ? [...v.entries] : Object.entries(v);
  entries.sort((a, b) => compareKeys(a[0], b[0]));
  return entries;
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // network.Port is a struct {num uint16; proto}: fmtsort orders it by number first.
  if (a instanceof GoText && b instanceof GoText && a.type === 'network.Port' && b.type === 'network.Port') {
    const pa = /^(\d+)\/(.*)$/.exec(a.text);
    const pb = /^(\d+)\/(.*)$/.exec(b.text);
    if (pa && pb && pa[1] !== pb[1]) return Number(pa[1]) - Number(pb[1]);
  }
  const sa = a instanceof GoText ? a.text : String(a);
  const sb = b instanceof GoText ? b.text : String(b);
  return compareBytes(sa, sb);
}

/** Bytewise (UTF-8) string order, as Go compares strings. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** Length of a string in UTF-8 bytes (Go's len). */
export function byteLength(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Go's truth: non-zero numbers, non-empty strings/slices/maps, non-nil pointers, any struct. */
export function isTrue(v: unknown): { truth: boolean; ok: boolean } {
  if (v === undefined || v === null) return { truth: false, ok: true };
  if (typeof v === 'boolean') return { truth: v, ok: true };
  if (typeof v === 'string') return { truth: v.length > 0, ok: true };
  if (typeof v === 'number') return { truth: v !== 0, ok: true };
  if (typeof v === 'bigint') return { truth: v !== 0n, ok: true };
  if (typeof v === 'function') return { truth: true, ok: true };
  if (v instanceof GoFloat) return { truth: v.value !== 0, ok: true };
  if (Array.isArray(v)) return { truth: v.length > 0, ok: true };
  if (v instanceof GoSlice) return { truth: v.items.length > 0, ok: true };
  if (v instanceof GoMap) return { truth: v.entries.size > 0, ok: true };
  if (isPlainObject(v)) return { truth: Object.keys(v).length > 0, ok: true };
  if (v instanceof GoNil) return { truth: false, ok: true };
  if (v instanceof GoText) return { truth: v.kind === 'struct' ? true : v.under.length > 0, ok: true };
  return { truth: true, ok: true };
}

// ---------------------------------------------------------------------------------------------
// fmt: %v and friends

/** Deterministic stand-ins for the addresses fmt prints for nested pointers. */
const addresses = new WeakMap<object, string>();
let nextAddress = 0xc000010000;
function addressOf(o: object): string {
  let a = addresses.get(o);
  if (!a) {
    a = '0x' + nextAddress.toString(16);
    nextAddress += 0x100;
    addresses.set(o, a);
  }
  return a;
}

interface Flags {
  plus: boolean;
  /** %+v: field names in structs (the sign flag is not applied) */
  plusV?: boolean;
  sharp: boolean;
  minus: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

const NOFLAGS: Flags = { plus: false, sharp: false, minus: false, space: false, zero: false };

/** fmt.Sprint of one operand with %v (depth 0: a pointer to a struct prints as &{...}). */
export function formatValue(v: unknown): string {
  return printValue(v, 'v', NOFLAGS, 0);
}

/**
 * What text/template prints for a value: pointers are followed first (so a *T prints as {..}),
 * and a missing value prints "<no value>".
 */
export function templateString(v: unknown): string {
  if (v === undefined || v === null) return '<no value>';
  if (v instanceof GoStruct && v.pointer && !v.string) return printValue(v, 'v', NOFLAGS, 0, true);
  return printValue(v, 'v', NOFLAGS, 0);
}

function printValue(v: unknown, verb: string, f: Flags, depth: number, deref = false): string {
  if (v === undefined || v === null) return '<nil>';
  // handleMethods: Stringer and error values.
  if (v instanceof GoText) {
    if (verb === 'v' || verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') return fmtString(v.text, verb, f);
  }
  if (v instanceof GoStruct && v.string && 'vsqxX'.includes(verb)) return fmtString(v.string(), verb, f);
  switch (typeof v) {
    case 'string':
      return fmtString(v, verb, f);
    case 'boolean':
      return verb === 'v' || verb === 't' ? pad(String(v), f) : badVerb(verb, v);
    case 'number':
      if (Number.isInteger(v) && !Object.is(v, -0)) return fmtInteger(BigInt(v), verb, f, v);
      return fmtFloat(v, verb, f);
    case 'bigint':
      return fmtInteger(v, verb, f, v);
    case 'function':
      return addressOf(v);
  }
  if (v instanceof GoFloat) return fmtFloat(v.value, verb, f);
  if (v instanceof GoNil) {
    if (v.kind === 'ptr') return verb === 'v' || verb === 's' || verb === 'p' ? pad('<nil>', f) : badVerb(verb, v);
    if (v.kind === 'slice') return pad('[]', f);
    return pad('map[]', f);
  }
  if (Array.isArray(v) || v instanceof GoSlice) {
    const items = Array.isArray(v) ? v : v.items;
    const body = items.map((x) => printValue(x, verb, f, depth + 1)).join(' ');
    return '[' + body + ']';
  }
  if (v instanceof GoMap || isPlainObject(v)) {
    const parts = sortedEntries(v).map(([k, x]) => printValue(k, verb, f, depth + 1) + ':' + printValue(x, verb, f, depth + 1));
    return 'map[' + parts.join(' ') + ']';
  }
  if (v instanceof GoStruct) {
    if (v.pointer && !deref) {
      if (depth > 0) return addressOf(v);
      return '&' + structBody(v, verb, f, depth);
    }
    return structBody(v, verb, f, depth);
  }
  if (v instanceof GoText) return badVerb(verb, v);
  return String(v);
}

function structBody(v: GoStruct, verb: string, f: Flags, depth: number): string {
  const parts = v.fields.map((fd) => {
    const val = fd.value;
    // An embedded struct held by value prints as its own {..}.
    if (fd.embedded && val instanceof GoStruct && !val.pointer) return (f.plusV ? fd.name + ':' : '') + structBody(val, verb, f, depth + 1);
    return (f.plusV ? fd.name + ':' : '') + printValue(val, verb, f, depth + 1);
  });
  return '{' + parts.join(' ') + '}';
}

function badVerb(verb: string, v: unknown): string {
  if (v === undefined || v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${printValue(v, 'v', NOFLAGS, 0)})`;
}

function pad(s: string, f: Flags): string {
  if (f.width === undefined) return s;
  const n = [...s].length;
  if (n >= f.width) return s;
  const fill = f.width - n;
  if (f.minus) return s + ' '.repeat(fill);
  return ' '.repeat(fill) + s;
}

function padNumber(s: string, f: Flags): string {
  if (f.width === undefined || f.minus || !f.zero) return pad(s, f);
  const n = [...s].length;
  if (n >= f.width) return s;
  let sign = '';
  if (s[0] === '-' || s[0] === '+' || s[0] === ' ') {
    sign = s[0];
    s = s.slice(1);
  }
  return sign + '0'.repeat(f.width - n) + s;
}

function fmtString(s: string, verb: string, f: Flags): string {
  switch (verb) {
    case 'v':
    case 's': {
      if (f.prec !== undefined) s = [...s].slice(0, f.prec).join('');
      return pad(s, f);
    }
    case 'q':
      if (f.prec !== undefined) s = [...s].slice(0, f.prec).join('');
      return pad(f.sharp && !s.includes('`') ? '`' + s + '`' : goQuote(s, f.plus), f);
    case 'x':
    case 'X': {
      const bytes = new TextEncoder().encode(s);
      let out = '';
      bytes.forEach((b, i) => {
        if (f.space && i > 0) out += ' ';
        if (f.sharp && (f.space || i === 0)) out += verb === 'x' ? '0x' : '0X';
        const h = b.toString(16).padStart(2, '0');
        out += verb === 'x' ? h : h.toUpperCase();
      });
      return pad(out, f);
    }
  }
  return badVerb(verb, s);
}

function fmtInteger(n: bigint, verb: string, f: Flags, orig: unknown): string {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  let digits: string;
  let prefix = '';
  switch (verb) {
    case 'v':
    case 'd':
      digits = abs.toString(10);
      break;
    case 'b':
      digits = abs.toString(2);
      if (f.sharp) prefix = '0b';
      break;
    case 'o':
      digits = abs.toString(8);
      if (f.sharp) prefix = '0';
      break;
    case 'O':
      digits = abs.toString(8);
      prefix = '0o';
      break;
    case 'x':
      digits = abs.toString(16);
      if (f.sharp) prefix = '0x';
      break;
    case 'X':
      digits = abs.toString(16).toUpperCase();
      if (f.sharp) prefix = '0X';
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(n)), f);
    case 'q':
      return pad(quoteRune(Number(n)), f);
    case 'U': {
      const h = abs.toString(16).toUpperCase().padStart(4, '0');
      return pad('U+' + h, f);
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      return badVerb(verb, orig);
    default:
      return badVerb(verb, orig);
  }
  if (f.prec !== undefined) {
    if (f.prec === 0 && abs === 0n) digits = '';
    else digits = digits.padStart(f.prec, '0');
  }
  const sign = neg ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  const s = sign + prefix + digits;
  if (f.prec !== undefined) return pad(s, f);
  return padNumber(s, f);
}

/** Go's strconv.FormatFloat(v, fmt, prec, 64). prec -1 = shortest. */
export function formatFloat(v: number, fmt: 'e' | 'E' | 'f' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  let body: string;
  if (fmt === 'f') {
    body = fixed(a, prec);
  } else if (fmt === 'e' || fmt === 'E') {
    body = expo(a, prec, fmt);
  } else {
    // %g: digits first, then choose %e or %f.
    let mant: string;
    let exp: number;
    if (prec < 0) {
      [mant, exp] = shortestDigits(a);
    } else {
      const p = prec === 0 ? 1 : prec;
      [mant, exp] = precisionDigits(a, p);
    }
    const nd = mant.length;
    let eprec = prec < 0 ? 6 : prec === 0 ? 1 : prec;
    if (prec >= 0 && eprec > nd && nd >= exp + 1) eprec = nd;
    if (prec < 0) eprec = 6;
    if (exp < -4 || exp >= eprec) {
      const m = mant.length > 1 ? mant[0] + '.' + mant.slice(1) : mant;
      body = m + (fmt === 'G' ? 'E' : 'e') + expText(exp);
    } else {
      const dp = exp + 1;
      if (dp <= 0) body = '0.' + '0'.repeat(-dp) + mant;
      else if (dp >= nd) body = mant + '0'.repeat(dp - nd);
      else body = mant.slice(0, dp) + '.' + mant.slice(dp);
    }
  }
  return (neg ? '-' : '') + body;
}

function expText(exp: number): string {
  const s = Math.abs(exp).toString();
  return (exp < 0 ? '-' : '+') + (s.length < 2 ? '0' + s : s);
}

/** Shortest round-trip digits (no trailing zeros) and decimal exponent of a >= 0. */
function shortestDigits(a: number): [string, number] {
  if (a === 0) return ['0', 0];
  const [m, e] = a.toExponential().split('e');
  return [m.replace('.', '').replace(/0+$/, '') || '0', Number(e)];
}

/** `p` significant digits (trailing zeros removed) and exponent, correctly rounded. */
function precisionDigits(a: number, p: number): [string, number] {
  if (a === 0) return ['0', 0];
  const [digits, exp] = exactDigits(a, p);
  return [digits.replace(/0+$/, '') || '0', exp];
}

/** a = mant * 2^exp2 exactly (a finite, >= 0). */
function decompose(a: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2: number;
  if (biased === 0) exp2 = -1074;
  else {
    mant |= 1n << 52n;
    exp2 = biased - 1075;
  }
  return [mant, exp2];
}

/** num/den rounded to an integer, ties to even (as strconv rounds exact decimal ties). */
function divRound(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) return q + 1n;
  return q;
}

/** Exactly `n` significant digits of a > 0 and the decimal exponent of the first. */
function exactDigits(a: number, n: number): [string, number] {
  const [mant, exp2] = decompose(a);
  let e10 = Math.floor(Math.log10(a));
  for (let attempt = 0; attempt < 3; attempt++) {
    const k = n - 1 - e10;
    let num = mant;
    let den = 1n;
    if (exp2 >= 0) num <<= BigInt(exp2);
    else den <<= BigInt(-exp2);
    if (k >= 0) num *= 10n ** BigInt(k);
    else den *= 10n ** BigInt(-k);
    const q = divRound(num, den);
    const s = q.toString();
    if (s.length === n) return [s, e10];
    if (s.length > n) {
      if (s === '1' + '0'.repeat(n)) return ['1' + '0'.repeat(n - 1), e10 + 1];
      e10++;
    } else e10--;
  }
  const [m, e] = a.toExponential(Math.min(n - 1, 100)).split('e');
  return [m.replace('.', ''), Number(e)];
}

/** a (>= 0) with exactly `prec` decimals, correctly rounded. */
function exactFixed(a: number, prec: number): string {
  const [mant, exp2] = decompose(a);
  let num = mant * 10n ** BigInt(prec);
  let den = 1n;
  if (exp2 >= 0) num <<= BigInt(exp2);
  else den <<= BigInt(-exp2);
  const q = divRound(num, den).toString().padStart(prec + 1, '0');
  return prec > 0 ? q.slice(0, q.length - prec) + '.' + q.slice(q.length - prec) : q;
}

function fixed(a: number, prec: number): string {
  if (prec < 0) {
    const [mant, exp] = shortestDigits(a);
    const dp = exp + 1;
    if (dp <= 0) return '0.' + '0'.repeat(-dp) + mant;
    if (dp >= mant.length) return mant + '0'.repeat(dp - mant.length);
    return mant.slice(0, dp) + '.' + mant.slice(dp);
  }
  return exactFixed(a, prec);
}

function expo(a: number, prec: number, fmt: string): string {
  let mant: string;
  let exp: number;
  if (prec < 0) {
    [mant, exp] = shortestDigits(a);
  } else if (a === 0) {
    mant = '0'.repeat(prec + 1);
    exp = 0;
  } else {
    [mant, exp] = exactDigits(a, prec + 1);
  }
  const m = mant.length > 1 ? mant[0] + '.' + mant.slice(1) : mant;
  return m + (fmt === 'E' ? 'E' : 'e') + expText(exp);
}

function fmtFloat(v: number, verb: string, f: Flags): string {
  let s: string;
  switch (verb) {
    case 'v':
      s = formatFloat(v, 'g', f.prec ?? -1);
      break;
    case 'g':
    case 'G':
      s = formatFloat(v, verb, f.prec ?? -1);
      break;
    case 'e':
    case 'E':
      s = formatFloat(v, verb, f.prec ?? 6);
      break;
    case 'f':
    case 'F':
      s = formatFloat(v, 'f', f.prec ?? 6);
      break;
    default:
      return badVerb(verb, Number.isInteger(v) ? new GoFloat(v) : v);
  }
  if (f.plus && s[0] !== '-' && s[0] !== '+') s = '+' + s;
  else if (f.space && s[0] !== '-') s = ' ' + s;
  if (s === '+Inf' && !f.plus) s = f.space ? ' Inf' : '+Inf';
  return padNumber(s, f);
}

// ---------------------------------------------------------------------------------------------
// Quoting

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

/** Go's strconv.Quote (ASCII-only escapes when ascii is set, as %+q does). */
export function goQuote(s: string, ascii = false): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') {
      out += '\\' + ch;
      continue;
    }
    if (c < 0x80 && c >= 0x20 && c !== 0x7f) {
      out += ch;
      continue;
    }
    if (!ascii && c >= 0x80 && PRINTABLE.test(ch) && c !== 0xfffd) {
      out += ch;
      continue;
    }
    if (c === 0xfffd && !ascii) {
      out += ch;
      continue;
    }
    switch (c) {
      case 7:
        out += '\\a';
        continue;
      case 8:
        out += '\\b';
        continue;
      case 12:
        out += '\\f';
        continue;
      case 10:
        out += '\\n';
        continue;
      case 13:
        out += '\\r';
        continue;
      case 9:
        out += '\\t';
        continue;
      case 11:
        out += '\\v';
        continue;
    }
    if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c < 0x10000) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return out + '"';
}

function quoteRune(c: number): string {
  if (c === 0x27) return "'\\''";
  const q = goQuote(String.fromCodePoint(c));
  const inner = q.slice(1, -1).replace(/\\"/g, '"');
  return "'" + inner + "'";
}

// ---------------------------------------------------------------------------------------------
// Sprint, Sprintln, Sprintf

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a);
  });
  return out;
}

/** fmt.Sprintln: spaces between all operands, newline at the end. */
export function sprintln(args: unknown[]): string {
  return args.map((a) => formatValue(a)).join(' ') + '\n';
}

/** fmt.Sprintf with Go's verbs, flags, width and precision, and its error notations. */
export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let argi = 0;
  let reordered = false;
  const chars = [...format];
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i];
    if (ch !== '%') {
      out += ch;
      i++;
      continue;
    }
    i++;
    const f: Flags = { plus: false, sharp: false, minus: false, space: false, zero: false };
    for (; i < chars.length; i++) {
      const c = chars[i];
      if (c === '+') f.plus = true;
      else if (c === '#') f.sharp = true;
      else if (c === '-') f.minus = true;
      else if (c === ' ') f.space = true;
      else if (c === '0') f.zero = true;
      else break;
    }
    // argument index [n]
    const argIndex = (): void => {
      if (chars[i] === '[') {
        const close = chars.indexOf(']', i);
        if (close > 0) {
          const n = Number(chars.slice(i + 1, close).join(''));
          if (Number.isInteger(n) && n >= 1) {
            argi = n - 1;
            reordered = true;
          }
          i = close + 1;
        }
      }
    };
    argIndex();
    if (chars[i] === '*') {
      i++;
      const w = args[argi++];
      if (typeof w === 'number' && Number.isInteger(w)) {
        f.width = Math.abs(w);
        if (w < 0) f.minus = true;
      } else out += '%!(BADWIDTH)';
    } else {
      let w = '';
      while (i < chars.length && chars[i] >= '0' && chars[i] <= '9') w += chars[i++];
      if (w) f.width = Number(w);
    }
    if (chars[i] === '.') {
      i++;
      argIndex();
      if (chars[i] === '*') {
        i++;
        const p = args[argi++];
        if (typeof p === 'number' && Number.isInteger(p) && p >= 0) f.prec = p;
        else out += '%!(BADPREC)';
      } else {
        let p = '';
        while (i < chars.length && chars[i] >= '0' && chars[i] <= '9') p += chars[i++];
        f.prec = p ? Number(p) : 0;
      }
    }
    argIndex();
    if (i >= chars.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = chars[i++];
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = args[argi++];
    out += formatVerb(a, verb, f);
  }
  if (!reordered && argi < args.length) {
    out += '%!(EXTRA ' + args.slice(argi).map((a) => (a === undefined || a === null ? '<nil>' : typeName(a) + '=' + formatValue(a))).join(', ') + ')';
  }
  return out;
}

function formatVerb(a: unknown, verb: string, f: Flags): string {
  if (verb === 'T') return pad(a === undefined || a === null ? '<nil>' : typeName(a), f);
  if (verb === 'p') return a !== null && typeof a === 'object' ? addressOf(a) : badVerb(verb, a);
  if (a === undefined || a === null) {
    return verb === 'v' ? pad('<nil>', f) : `%!${verb}(<nil>)`;
  }
  if (verb === 'v' && f.sharp) return pad(goSyntax(a), f);
  if (verb === 'v' && f.plus) f = { ...f, plus: false, plusV: true };
  if ((verb === 'd' || verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') && (Array.isArray(a) || a instanceof GoSlice)) {
    const items = Array.isArray(a) ? a : a.items;
    return '[' + items.map((x) => formatVerb(x, verb, f)).join(' ') + ']';
  }
  if (typeof a === 'boolean') return verb === 't' || verb === 'v' ? pad(String(a), f) : badVerb(verb, a);
  if (typeof a === 'string' || a instanceof GoText) {
    const s = a instanceof GoText ? a.text : a;
    if ('vsqxX'.includes(verb)) return fmtString(s, verb, f);
    return badVerb(verb, a);
  }
  if (typeof a === 'number' || typeof a === 'bigint' || a instanceof GoFloat) return printValue(a, verb, f, 0);
  return printValue(a, verb === 's' ? 'v' : verb, f, 0);
}

/** %#v: Go-syntax representation (approximate for composite types). */
function goSyntax(a: unknown): string {
  if (a === undefined || a === null) return '<nil>';
  if (typeof a === 'string') return goQuote(a);
  if (typeof a === 'number' || typeof a === 'bigint' || typeof a === 'boolean') return String(a);
  if (a instanceof GoFloat) return formatFloat(a.value, 'g', -1);
  if (Array.isArray(a)) return '[]interface {}{' + a.map(goSyntax).join(', ') + '}';
  if (a instanceof GoSlice) return a.type + '{' + a.items.map(goSyntax).join(', ') + '}';
  if (isPlainObject(a) || a instanceof GoMap) {
    return typeName(a) + '{' + sortedEntries(a).map(([k, v]) => goSyntax(k) + ':' + goSyntax(v)).join(', ') + '}';
  }
  if (a instanceof GoStruct) {
    return (a.pointer ? '&' : '') + a.type + '{' + a.fields.map((fd) => fd.name + ':' + goSyntax(fd.value)).join(', ') + '}';
  }
  if (a instanceof GoNil) return '(' + a.type + ')(nil)';
  if (a instanceof GoText) return a.type + '{' + goQuote(a.text) + '}';
  return String(a);
}
