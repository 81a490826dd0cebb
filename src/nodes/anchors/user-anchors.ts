/**
 * User Anchors: anchors placed by hand (the editor's anchor overlay writes the `anchors` list).
 * Each entry is `{ x, y, color?: '#rrggbb', ab?: [a, b], locked? }` in normalised photo coordinates
 * (0..1 across the photo, also when Keep Aspect pads the working image: the grid's content frame);
 * the colour becomes Lab ab by the colour kernels' sRGB->Lab; an entry without colour lets the
 * model choose it. An entry `{ x, y, remove: true }` adds no anchor: it takes its token away from the
 * automatic anchors (Merge Anchors drops them), so a user can delete or move an automatic anchor.
 * The token grid comes from the optional `grid` input, else from gridH x gridW.
 */
import { defineNode, int, json, type Params } from '../../runtime/engine/node-def.ts';
import { rgbToLabPixel } from '../../runtime/backends/cpu/lab.ts';
import { cellAt, photoFit } from '../../runtime/values/anchors.ts';
import type { Anchor, AnchorsValue } from '../../runtime/values/types.ts';
import { ANCHORS, TOKENS } from '../../runtime/values/value-types.ts';

const ID = 'disco/user-anchors';

export interface UserAnchorSpec {
  x: number;
  y: number;
  color?: string;
  ab?: [number, number];
  locked?: boolean;
  /** Suppress the automatic anchor of this token instead of adding one (no colour, no lock). */
  remove?: true;
}

/** Checks one entry of the list; returns what is wrong with it, or undefined. */
function entryProblem(e: unknown, i: number): string | undefined {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return `anchor ${i} must be an object like {"x": 0.5, "y": 0.5, "color": "#ff0000"}`;
  const { x, y, color, ab, locked, remove } = e as Record<string, unknown>;
  for (const [name, v] of [['x', x], ['y', y]] as const) {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) return `anchor ${i}: ${name} must be a number in 0..1 (normalised image coordinates), got ${JSON.stringify(v)}`;
  }
  if (color !== undefined && ab !== undefined) return `anchor ${i}: give either color or ab, not both`;
  if (color !== undefined && (typeof color !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(color))) {
    return `anchor ${i}: color must look like #a1b2c3, got ${JSON.stringify(color)}`;
  }
  if (ab !== undefined && !(Array.isArray(ab) && ab.length === 2 && ab.every((v) => typeof v === 'number' && Math.abs(v) <= 128))) {
    return `anchor ${i}: ab must be two numbers in -128..128 (Lab a and b), got ${JSON.stringify(ab)}`;
  }
  if (locked !== undefined && typeof locked !== 'boolean') return `anchor ${i}: locked must be true or false, got ${JSON.stringify(locked)}`;
  if (remove !== undefined && remove !== true) return `anchor ${i}: remove must be true when given, got ${JSON.stringify(remove)}`;
  if (remove && (color !== undefined || ab !== undefined || locked)) return `anchor ${i}: a remove entry takes no color, ab or locked`;
  return undefined;
}

function listProblem(list: unknown): string | undefined {
  if (!Array.isArray(list)) return `anchors must be a list of {x, y, color} entries, got ${JSON.stringify(list)}`;
  for (let i = 0; i < list.length; i++) {
    const p = entryProblem(list[i], i);
    if (p) return p;
  }
  return undefined;
}

/** sRGB '#rrggbb' -> Lab [a, b]. */
export function hexToAb(hex: string): [number, number] {
  const v = (i: number) => parseInt(hex.slice(i, i + 2), 16) / 255;
  const [, a, b] = rgbToLabPixel(v(1), v(3), v(5));
  return [a, b];
}

export const userAnchors = defineNode({
  id: ID,
  version: 1,
  displayName: 'User Anchors',
  category: 'DISCO/anchors',
  description: 'Anchors placed by hand, each with an optional colour, on the token grid.',
  role: 'user-anchors',
  inputs: {
    grid: { type: TOKENS, optional: true, description: 'Tokens whose h x w grid the anchors go on (else gridH x gridW).' },
  },
  params: {
    anchors: json<UserAnchorSpec[]>({ default: [], description: 'List of {x, y, color: "#rrggbb" | ab: [a, b], locked?} or {x, y, remove: true}; x, y in 0..1 across the photo (padding excluded).' }),
    gridH: int({ default: 16, min: 1, max: 256, description: 'Token rows when no grid input is connected.' }),
    gridW: int({ default: 16, min: 1, max: 256, description: 'Token columns when no grid input is connected.' }),
  },
  outputs: {
    anchors: { type: ANCHORS, description: "The anchors, source 'user'." },
  },
  validate: (params: Params) => listProblem(params.anchors),
  execute(ctx, inputs, params) {
    const problem = listProblem(params.anchors);
    if (problem) throw new Error(`${ID}: ${problem}`);
    const grid = inputs.grid;
    const [gridH, gridW] = grid ? [grid.tokens.shape[2], grid.tokens.shape[3]] : [params.gridH, params.gridW];
    // x, y are on the photo; a padded working image puts the photo in the grid's top-left part.
    const fit = grid ? photoFit(grid.content, gridH * grid.cell, gridW * grid.cell) : undefined;
    // A remove entry is a null in the token's slot: a later entry in the same token replaces it, and vice versa.
    const byCell = new Map<number, Anchor | null>();
    for (const e of params.anchors) {
      const cell = cellAt(e.x, e.y, gridH, gridW, fit);
      if (byCell.get(cell)) ctx.warn(`two user anchors fall in token ${cell}; the later one is kept`);
      const ab = e.ab ? ([e.ab[0], e.ab[1]] as const) : e.color ? hexToAb(e.color) : undefined;
      byCell.delete(cell); // keep list order: the later anchor takes the later position
      byCell.set(cell, e.remove ? null : { cell, x: e.x, y: e.y, source: 'user', ...(ab ? { ab } : {}), ...(e.locked ? { locked: true } : {}) });
    }
    const anchors = [...byCell.values()].filter((a): a is Anchor => a !== null);
    const suppressed = [...byCell].filter(([, a]) => a === null).map(([cell]) => cell);
    const value: AnchorsValue = { gridH, gridW, anchors, ...(suppressed.length ? { suppressed } : {}) };
    return { anchors: value };
  },
});
