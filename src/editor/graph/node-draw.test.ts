import { describe, expect, it } from 'vitest';
import { fitText, wrap } from './node-draw.ts';

/** A context whose text is 7 px per character. */
const ctx = { font: '', measureText: (t: string) => ({ width: 7 * t.length }) } as unknown as CanvasRenderingContext2D;

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

describe('fitText (a node title before its run-state badge)', () => {
  it('keeps a title that fits and shortens one that does not to at most the width, ending in "…"', () => {
    expect(fitText(ctx, 'Load Image', 70, '14px sans-serif')).toBe('Load Image');
    const short = fitText(ctx, 'Resize to Working Size', 70, '14px sans-serif');
    expect(short).toBe('Resize to…');
    expect(7 * short.length).toBeLessThanOrEqual(70);
    expect(ctx.font).toBe('14px sans-serif'); // measured in the title's font
  });

  it('gives just "…" when no character fits', () => {
    expect(fitText(ctx, 'Refine', 5, 'x')).toBe('…');
  });
});
