import { describe, expect, it } from 'vitest';
import { parseJsonText, scanJson } from './json-text.ts';

describe('parseJsonText', () => {
  it('parses what JSON.parse parses', () => {
    const samples = ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}} ', '"s"', '0', '[[],[{}]]'];
    for (const s of samples) expect(parseJsonText(s)).toEqual(JSON.parse(s));
  });

  it('says where the error is, on one line, without quoting the file', () => {
    const cases: [string, RegExp][] = [
      ['{"a": x}', /^not JSON at line 1, column 7 \(expected a value, found 'x'\)$/],
      ['{\n"a": 1,\n}', /^not JSON at line 3, column 1 \(expected a property name in double quotes, found '}'\)$/],
      ['{"a"', /^not JSON at line 1, column 5 \(the text ends where ':' was expected\)$/],
      ['', /^not JSON at line 1, column 1 \(the text ends where a value was expected\)$/],
      ['[1,2', /the text ends where ',' or '\]' was expected/],
      ['{"a":"\x01"}', /column 6 \(an unterminated string or a bad escape or control character in it\)/],
      ['{} x', /column 4 \(expected the end of the text, found 'x'\)/],
      ['{"a":1}\n\x1b[2J', /line 2, column 1 \(expected the end of the text, found U\+001B\)/],
    ];
    for (const [text, message] of cases) {
      expect(() => JSON.parse(text)).toThrow();
      expect(() => parseJsonText(text)).toThrow(message);
    }
  });

  it('refuses nesting deeper than the limit before parsing', () => {
    expect(() => parseJsonText('['.repeat(5000) + ']'.repeat(5000))).toThrow(/^not JSON at line 1, column 101 \(nested more than 100 levels deep\)$/);
    expect(parseJsonText('['.repeat(100) + ']'.repeat(100))).toBeInstanceOf(Array);
    expect(scanJson('{"a":'.repeat(101) + '1' + '}'.repeat(101), 100)?.reason).toBe('nested more than 100 levels deep');
  });
});
