/**
 * The syntax errors of Go's encoding/json, as dockerd reports a broken daemon.json: the first
 * byte the scanner cannot take, in its words ("invalid character '}' looking for beginning of
 * object key string", "unexpected end of JSON input"). Returns null for valid JSON.
 */

/** How Go's scanner quotes the offending byte (quoteChar). */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const q = JSON.stringify(c).slice(1, -1);
  return `'${q}'`;
}

export function goJsonSyntaxError(text: string): string | null {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && ' \t\r\n'.includes(text[i])) i++;
  };
  class Fail extends Error {}
  const fail = (msg: string): never => {
    throw new Fail(msg);
  };
  const eof = () => fail('unexpected end of JSON input');
  const bad = (context: string): never => (i >= n ? eof() : fail(`invalid character ${quoteChar(text[i])} ${context}`));

  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++, i++) {
      if (i >= n) eof();
      if (text[i] !== word[k]) fail(`invalid character ${quoteChar(text[i])} in literal ${word} (expecting ${quoteChar(word[k])})`);
    }
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= n) eof();
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c < ' ') fail(`invalid character ${quoteChar(c)} in string literal`);
      if (c === '\\') {
        i++;
        if (i >= n) eof();
        const e = text[i];
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (i >= n) eof();
            if (!/[0-9a-fA-F]/.test(text[i])) fail(`invalid character ${quoteChar(text[i])} in \\u hexadecimal character escape`);
          }
        } else if (!'"\\/bfnrt'.includes(e)) fail(`invalid character ${quoteChar(e)} in string escape code`);
      }
      i++;
    }
  };
  const number = () => {
    if (text[i] === '-') {
      i++;
      if (i >= n) eof();
      if (!/[0-9]/.test(text[i])) fail(`invalid character ${quoteChar(text[i])} in numeric literal`);
    }
    if (text[i] === '0') i++;
    else while (i < n && /[0-9]/.test(text[i])) i++;
    if (text[i] === '.') {
      i++;
      if (i >= n) eof();
      if (!/[0-9]/.test(text[i])) fail(`invalid character ${quoteChar(text[i])} after decimal point in numeric literal`);
      while (i < n && /[0-9]/.test(text[i])) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (i >= n) eof();
      if (!/[0-9]/.test(text[i])) fail(`invalid character ${quoteChar(text[i])} in exponent of numeric literal`);
      while (i < n && /[0-9]/.test(text[i])) i++;
    }
  };
  const value = (): void => {
    ws();
    if (i >= n) eof();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') bad('looking for beginning of object key string');
        string();
        ws();
        if (text[i] !== ':') bad('after object key');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        bad('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        bad('after array element');
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || /[0-9]/.test(c)) return number();
    bad('looking for beginning of value');
  };
  try {
    value();
    ws();
    if (i < n) bad('after top-level value');
    return null;
  } catch (e) {
    if (e instanceof Fail) return e.message;
    throw e;
  }
}
