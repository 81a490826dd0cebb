/**
 * Text from files (node titles, types, parameter values, paths) printed to a terminal. Control
 * characters in it could clear the screen, set the window title, write the clipboard (OSC 52) or fake a
 * line of our own output, so every line the CLI prints that may hold such text goes through `printable`:
 * C0 controls (including newline and tab), DEL, C1 controls, bidi overrides and line separators become
 * visible escapes (`\x1b`, `\u202e`).
 */

// C0, DEL, C1; U+061C and U+200E/F (bidi marks), U+2028/9 (line/paragraph separators),
// U+202A-E (embeddings/overrides), U+2066-9 (isolates).
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string): string => {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** One line of text, safe to print: every control character escaped. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** Several lines (split on "\n", which we put there), each made printable. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
