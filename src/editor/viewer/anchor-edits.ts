/**
 * The anchors the viewer shows, and every edit as a pure function from the User Anchors list to a
 * new list. Positions are normalised to the photo (0..1, padding excluded), so edits survive reloads,
 * resizing, sharing and turning Keep Aspect on or off. An
 * automatic anchor is never edited in place: recolouring or locking it adds a user anchor in its
 * token; moving or deleting it adds a `remove` entry that takes its token away from the automatic side.
 */
import { labToRgbPixel } from '../../runtime/backends/cpu/lab.ts';
import { cellAt, type PhotoFit } from '../../runtime/values/anchors.ts';
import type { Anchor, ReferenceMatch } from '../../runtime/values/types.ts';
import type { UserAnchorSpec } from '../../nodes/anchors/user-anchors.ts';

export type { UserAnchorSpec };

export interface ViewAnchor {
  /** Stable within one view: `u<index>` for a user entry, `a<cell>` for an automatic anchor. */
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly cell: number;
  readonly source: 'auto' | 'user';
  /** Index in the User Anchors list (user anchors only). */
  readonly index?: number;
  /** Display colour '#rrggbb', when the anchor has one. */
  readonly color?: string;
  readonly ab?: readonly [number, number];
  readonly locked?: boolean;
  /** Its match in the reference photo (workflows with Reference Colors), when the run made one. */
  readonly reference?: ReferenceMatch;
  /** Where its colour came from: the user's list, the reference photo, or the colour model. */
  readonly colourBy: 'user' | 'reference' | 'model';
}

export interface Grid {
  readonly h: number;
  readonly w: number;
  /** How much of the grid the photo fills (Keep Aspect pads the working image); the whole grid when absent. */
  readonly fit?: PhotoFit;
}

/** The token under photo point (x, y). */
const tokenAt = (x: number, y: number, g: Grid) => cellAt(x, y, g.h, g.w, g.fit);

/** Lab ab at a display lightness as '#rrggbb' (anchors carry no L; 65 reads well on photos). */
export function abToHex(ab: readonly [number, number], L = 65): string {
  return '#' + labToRgbPixel(L, ab[0], ab[1]).map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255).toString(16).padStart(2, '0')).join('');
}

/**
 * User entries (minus removes) plus the automatic anchors of tokens the user list does not touch.
 * `coloured` (the run's Anchor Colors output) gives automatic anchors their colour by token, and
 * any anchor without a colour of its own its reference match. An anchor coloured from the reference
 * is still an automatic anchor to edit: recolouring it adds a user anchor, which wins.
 */
export function viewAnchors(list: readonly UserAnchorSpec[], auto: readonly Anchor[], grid: Grid, coloured: readonly Anchor[] = []): ViewAnchor[] {
  const touched = new Set(list.map((e) => tokenAt(e.x, e.y, grid)));
  const byCell = new Map(coloured.map((a) => [a.cell, a] as const));
  const fromRun = (cell: number) => {
    const c = byCell.get(cell);
    const used = c?.source === 'reference' || c?.reference?.applied === true;
    return { ...(c?.reference ? { reference: c.reference } : {}), colourBy: used ? 'reference' as const : 'model' as const };
  };
  const out: ViewAnchor[] = [];
  list.forEach((e, index) => {
    if (e.remove) return;
    const cell = tokenAt(e.x, e.y, grid);
    const color = e.color ?? (e.ab ? abToHex(e.ab) : undefined);
    const by = color ? { colourBy: 'user' as const } : fromRun(cell);
    out.push({ id: `u${index}`, x: e.x, y: e.y, cell, source: 'user', index, color, ab: e.ab, locked: e.locked, ...by });
  });
  for (const a of auto) {
    if (touched.has(a.cell)) continue;
    const ab = a.ab ?? byCell.get(a.cell)?.ab;
    out.push({ id: `a${a.cell}`, x: a.x, y: a.y, cell: a.cell, source: 'auto', ab, color: ab ? abToHex(ab) : undefined, locked: a.locked, ...fromRun(a.cell) });
  }
  return out;
}

/**
 * The colour an edit gives an entry: Lab ab (a suggested bin centre, or a picked colour converted
 * once where it is picked). Entries from files may carry '#rrggbb' instead; edits keep those as they are.
 */
export type AnchorColor = { ab: [number, number] };

const colourOf = (a: ViewAnchor): Partial<UserAnchorSpec> => (a.ab ? { ab: [a.ab[0], a.ab[1]] } : a.color ? { color: a.color } : {});

function replace(list: readonly UserAnchorSpec[], index: number, entry: UserAnchorSpec): UserAnchorSpec[] {
  const out = list.slice();
  out[index] = entry;
  return out;
}

export function recolor(list: readonly UserAnchorSpec[], a: ViewAnchor, c: AnchorColor): UserAnchorSpec[] {
  if (a.source === 'user') {
    const { color: _c, ab: _ab, ...rest } = list[a.index!];
    return replace(list, a.index!, { ...rest, ...c });
  }
  return [...list, { x: a.x, y: a.y, ...c, ...(a.locked ? { locked: true } : {}) }];
}

export function move(list: readonly UserAnchorSpec[], a: ViewAnchor, x: number, y: number): UserAnchorSpec[] {
  if (a.source === 'user') return replace(list, a.index!, { ...list[a.index!], x, y });
  return [...list, { x: a.x, y: a.y, remove: true }, { x, y, ...colourOf(a) }];
}

/** Deletes an anchor. A user anchor that hid an automatic one leaves its token empty, not automatic again. */
export function remove(list: readonly UserAnchorSpec[], a: ViewAnchor, autoCells: ReadonlySet<number>, grid: Grid): UserAnchorSpec[] {
  if (a.source === 'auto') return [...list, { x: a.x, y: a.y, remove: true }];
  const out = list.filter((_, i) => i !== a.index);
  const stillTouched = out.some((e) => tokenAt(e.x, e.y, grid) === a.cell);
  return autoCells.has(a.cell) && !stillTouched ? [...out, { x: a.x, y: a.y, remove: true }] : out;
}

export function toggleLock(list: readonly UserAnchorSpec[], a: ViewAnchor): UserAnchorSpec[] {
  if (a.source === 'auto') return [...list, { x: a.x, y: a.y, ...colourOf(a), locked: true }];
  const { locked, ...rest } = list[a.index!];
  return replace(list, a.index!, locked ? rest : { ...rest, locked: true });
}

export function add(list: readonly UserAnchorSpec[], x: number, y: number, c?: AnchorColor): UserAnchorSpec[] {
  return [...list, { x, y, ...(c ?? {}) }];
}

/** Adds many anchors at once (a brush stroke, a picked variant): each replaces the entries of its token. */
export function addMany(list: readonly UserAnchorSpec[], entries: readonly UserAnchorSpec[], grid: Grid): UserAnchorSpec[] {
  const cells = new Set(entries.map((e) => tokenAt(e.x, e.y, grid)));
  return [...list.filter((e) => !cells.has(tokenAt(e.x, e.y, grid))), ...entries];
}
