import { describe, expect, it } from 'vitest';
import { printable, printableLines } from './terminal-text.ts';

describe('printable', () => {
  it('escapes C0, ESC sequences, DEL, C1, bidi controls and line separators', () => {
    expect(printable('a\x1b[2Jb')).toBe('a\\x1b[2Jb');
    expect(printable('\x1b]52;c;aGk=\x07')).toBe('\\x1b]52;c;aGk=\\x07'); // OSC 52 clipboard write
    expect(printable('x\ndisco: all good\r')).toBe('x\\x0adisco: all good\\x0d');
    expect(printable('\t\x00\x7f\x9b\x85')).toBe('\\x09\\x00\\x7f\\x9b\\x85');
    expect(printable('abc\u202edcba\u2066\u2069\u200f\u2028')).toBe('abc\\u202edcba\\u2066\\u2069\\u200f\\u2028');
  });

  it('keeps ordinary text, including non-ASCII letters and emoji', () => {
    expect(printable('Résumé 色 🎨 "q" \\ ok')).toBe('Résumé 色 🎨 "q" \\ ok');
  });

  it('printableLines keeps our own line breaks', () => {
    expect(printableLines('one\x1b\ntwo')).toBe('one\\x1b\ntwo');
  });
});
