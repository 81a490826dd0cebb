import { LiteGraph, type LGraphNode } from '@comfyorg/litegraph';
import { describe, expect, it } from 'vitest';
import { separateOverlaps } from './workflow-io.ts';

const node = (x: number, y: number, w: number, h: number) => ({ pos: [x, y], size: [w, h] }) as unknown as LGraphNode;
const T = LiteGraph.NODE_TITLE_HEIGHT;

describe('separateOverlaps', () => {
  it('pushes a covered node (and the ones under it) below the node that grew', () => {
    const grown = node(40, 40, 280, 250); // was 88 high, now has a thumbnail
    const below = node(40, 188, 280, 184);
    const further = node(60, 188 + 184 + 40, 200, 50);
    const beside = node(380, 40, 280, 64); // another column: untouched
    separateOverlaps([grown, below, further, beside]);
    expect(below.pos[1] - T).toBe(40 + 250 + 20);
    expect(further.pos[1] - T).toBeGreaterThanOrEqual(below.pos[1] + 184 + 20);
    expect(beside.pos).toEqual([380, 40]);
    expect(grown.pos).toEqual([40, 40]);
  });

  it('leaves a layout without overlaps as it is', () => {
    const a = node(0, 40, 100, 50), b = node(0, 40 + 50 + T + 5, 100, 50);
    separateOverlaps([a, b]);
    expect([a.pos, b.pos]).toEqual([[0, 40], [0, 40 + 50 + T + 5]]);
  });
});
