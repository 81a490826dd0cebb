/**
 * JSON.parse for text from files: nesting is checked first (deeper input would overflow the stack of
 * the recursive code after the parse, far from the cause), and a syntax error is one line giving the
 * line and column, never a quoted snippet of the file (which may hold newlines or terminal escapes).
 */
import { WorkflowFormatError } from './errors.ts';

/** Deepest nesting of arrays and objects accepted (ComfyUI workflows nest about 8 deep). */
export const MAX_JSON_DEPTH = 100;

/** Parses `text`, or throws WorkflowFormatError `<what>: not JSON at line L, column C (<reason>)`. */
export function parseJsonText(text: string, what = 'not JSON', maxDepth = MAX_JSON_DEPTH): unknown {
  const problem = scanJson(text, maxDepth);
  if (problem) throw new WorkflowFormatError(`${what} at ${lineColumn(text, problem.at)} (${problem.reason})`);
  try {
    return JSON.parse(text);
  } catch (e) {
    // The scanner accepts what JSON.parse accepts; this is a fallback that keeps the message one line.
    throw new WorkflowFormatError(`${what} (${String((e as Error).message).split('\n')[0].slice(0, 200)})`);
  }
}

function lineColumn(text: string, at: number): string {
  let line = 1, col = 1;
  for (let i = 0; i < at && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) { line++; col = 1; } else col++;
  }
  return `line ${line}, column ${col}`;
}

interface Problem { at: number; reason: string }

const WS = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const PLAIN = /[^"\\\x00-\x1f]*/y; // a run of characters that need no check (no backtracking: one class)
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** The end of the string literal starting at `at` (a '"'), or -1 if it is not a valid one. */
function stringEnd(text: string, at: number): number {
  let i = at + 1;
  for (;;) {
    PLAIN.lastIndex = i;
    PLAIN.exec(text);
    i = PLAIN.lastIndex;
    if (text[i] === '"') return i + 1;
    if (text[i] !== '\\') return -1; // the end of the text or a raw control character
    ESCAPE.lastIndex = i;
    if (!ESCAPE.test(text)) return -1;
    i = ESCAPE.lastIndex;
  }
}

/** The first syntax error in `text` (RFC 8259) or nesting deeper than `maxDepth`, iteratively. */
export function scanJson(text: string, maxDepth: number): Problem | undefined {
  let at = 0;
  const skip = () => { WS.lastIndex = at; WS.exec(text); at = WS.lastIndex; };
  const match = (re: RegExp): boolean => {
    re.lastIndex = at;
    if (!re.test(text)) return false;
    at = re.lastIndex;
    return true;
  };
  const string = (): boolean => {
    if (text[at] !== '"') return false;
    const end = stringEnd(text, at);
    if (end < 0) return false;
    at = end;
    return true;
  };
  const found = (what: string): Problem => ({ at, reason: at >= text.length ? `the text ends where ${what} was expected` : `expected ${what}, found ${describe(text, at)}` });
  // Each open container: ']' or '}'. After a value we expect ',' or the closer.
  const stack: string[] = [];
  skip();
  for (;;) {
    // A value is expected here.
    const c = text[at];
    if (c === '[' || c === '{') {
      if (stack.length >= maxDepth) return { at, reason: `nested more than ${maxDepth} levels deep` };
      stack.push(c === '[' ? ']' : '}');
      at++;
      skip();
      if (text[at] === stack[stack.length - 1]) { stack.pop(); at++; } // empty container
      else if (c === '{') {
        if (!string()) return found('a property name in double quotes');
        skip();
        if (text[at] !== ':') return found("':'");
        at++;
        skip();
        continue;
      } else continue;
    } else if (c === '"') {
      if (!string()) return { at, reason: 'an unterminated string or a bad escape or control character in it' };
    } else if (!match(NUMBER) && !['true', 'false', 'null'].some((w) => text.startsWith(w, at) && (at += w.length))) {
      return found('a value');
    }
    // After a value: close containers or go on with ',' to the next element.
    for (;;) {
      skip();
      if (stack.length === 0) return at < text.length ? found('the end of the text') : undefined;
      const closer = stack[stack.length - 1];
      if (text[at] === closer) { stack.pop(); at++; continue; }
      if (text[at] !== ',') return found(`',' or '${closer}'`);
      at++;
      skip();
      if (closer === '}') {
        if (!string()) return found('a property name in double quotes');
        skip();
        if (text[at] !== ':') return found("':'");
        at++;
        skip();
      }
      break;
    }
  }
}

function describe(text: string, at: number): string {
  const ch = text.codePointAt(at)!;
  return ch >= 0x21 && ch <= 0x7e ? `'${String.fromCodePoint(ch)}'` : `U+${ch.toString(16).toUpperCase().padStart(4, '0')}`;
}
