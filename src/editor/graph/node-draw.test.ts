import { describe, expect, it } from 'vitest';
import { wrap } from './node-draw.ts';

/** A context whose text is 7 px per character. */
const ctx = { measureText: (t: string) => ({ width: 7 * t.length }) } as unknown as CanvasRenderingContext2D;

describe('wrap (pinned messages under a node)', () => {
  it('breaks at spaces, keeps every line within the width and loses no character', () => {
    const text = 'node 1 "Load Image" (disco/load-image): photo 0123456789abcdef0123456789abcdef0123 is not in this browser\'s storage';
    const lines = wrap(ctx, text, 140); // 20 characters
    expect(lines.every((l) => l.length <= 20)).toBe(true);
    expect(lines.join(' ').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    expect(lines).toContain('0123456789abcdef0123'); // a hash longer than a line is cut where it must be
    expect(lines[0]).toBe('node 1 "Load Image"');
  });

  it('keeps the message\'s own line breaks', () => {
    expect(wrap(ctx, 'size too big\nk must be whole', 700)).toEqual(['size too big', 'k must be whole']);
  });
});
