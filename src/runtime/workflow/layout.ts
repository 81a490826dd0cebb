/**
 * Where the nodes of a generated workflow go (buildWorkflow), and how big the editor draws them.
 *
 * Nodes sit in lanes: columns read left to right, each node under the one before it. A workflow
 * spec may name its lanes (the example workflows use one per DISCO stage: photo, superpixel
 * features, anchors, colours); each named lane becomes a litegraph group with that title, so a
 * reader sees the stages. Without lanes, each dependency depth is a lane of its own.
 *
 * Sizes follow litegraph's `computeSize` with the editor's settings (graph/graph-canvas.ts,
 * graph/def-to-litegraph.ts): a node saved at least that big is drawn at the saved size, so the
 * layout holds in the editor (a browser test checks the example workflows do not grow or overlap).
 */
import type { NodeDef } from '../engine/node-def.ts';

/** litegraph's title bar, drawn above a node's `pos`. */
export const NODE_TITLE_HEIGHT = 30;
/** The editor never draws a node narrower than this. */
export const NODE_MIN_WIDTH = 220;
/** Height the editor adds for a node's thumbnail (150 px image + margins). */
export const THUMBNAIL_HEIGHT = 158;
const SLOT_HEIGHT = 20;
const WIDGET_ROW = 24; // litegraph's 20 px widget + 4 px spacing
/** Title text (litegraph's NODE_TEXT_SIZE in the editor) and slot labels, in graph units. */
const TITLE_FONT = 15, LABEL_FONT = 13;
/** Average advance of a character in Arial-like fonts, in ems, a little generous. */
const CHAR_EM = 0.46, LABEL_CHAR_EM = 0.55;

/** Between a node's bottom and the next node's title bar in a lane. */
const NODE_GAP = 24;
/** Around the nodes inside a named lane's group box. */
const LANE_PAD = 8;
/** Between two lanes' boxes; untitled lanes (one per depth) leave more room for the links to bend. */
const LANE_GAP = 12, COLUMN_GAP = 60;
/** A lane group's title text; litegraph's title bar is 1.4 times that. */
export const LANE_FONT = 18;
const LANE_TITLE_HEIGHT = Math.ceil(LANE_FONT * 1.4);
/** Top-left corner of the layout. */
const ORIGIN = 40;
/** One colour per lane, in turn: litegraph fills a group with it at 25 % and writes the title in it. */
const LANE_COLORS = ['#5b9bd5', '#6fbf73', '#d4a64a', '#b07cc6', '#4fb3b3'];

/** Whether the editor shows a thumbnail in the node's body: it makes an IMAGE, or it is an output node reading one. */
export function showsThumbnail(def: NodeDef): boolean {
  const has = (ports: NodeDef['inputs']) => Object.values(ports).some((p) => p.type.name === 'IMAGE');
  return has(def.outputs) || (!!def.isOutput && has(def.inputs));
}

/**
 * The body size (without the title bar) the editor gives a node: slot rows, one widget row per
 * parameter (a JSON parameter is a button; an image file has a "choose photo" button too), the
 * thumbnail, and a width that fits the title and the widest input and output labels.
 */
export function nodeSize(def: NodeDef, title = def.displayName): [number, number] {
  const inputs = Object.keys(def.inputs), outputs = Object.keys(def.outputs);
  const params = Object.values(def.params);
  const widgets = params.length + params.filter((p) => p.kind === 'string' && p.file === 'image').length;
  const rows = Math.max(inputs.length, outputs.length, 1);
  const height = rows * SLOT_HEIGHT + (widgets ? widgets * WIDGET_ROW + 8 : 0) + 6 + (showsThumbnail(def) ? THUMBNAIL_HEIGHT : 0);
  const longest = (names: string[]) => Math.max(0, ...names.map((n) => n.length));
  // litegraph shortens a title to the node's width less two title heights (the dot, the collapse box).
  const titleWidth = 2 * NODE_TITLE_HEIGHT + title.length * TITLE_FONT * CHAR_EM;
  const slotsWidth = (longest(inputs) + longest(outputs)) * LABEL_FONT * LABEL_CHAR_EM + 2 * SLOT_HEIGHT + 5;
  return [Math.ceil(Math.max(NODE_MIN_WIDTH, titleWidth, slotsWidth)), height];
}

export interface Lane {
  /** Shown as the lane's group title; an untitled lane has no group box. */
  readonly title?: string;
  /** Node ids, top to bottom. */
  readonly nodes: readonly number[];
}

export interface LaneGroup {
  readonly title: string;
  readonly bounding: [number, number, number, number];
  readonly color: string;
  readonly font_size: number;
}

export interface Placement {
  readonly pos: Map<number, [number, number]>;
  /** Every node of a lane is as wide as the lane's widest node (tidy columns). */
  readonly size: Map<number, [number, number]>;
  readonly groups: LaneGroup[];
}

/**
 * Places lanes left to right, top-aligned; a lane's nodes stack downwards. Titled lanes get a group
 * box, all of the same height, so the stages read as columns of equal length.
 */
export function placeLanes(lanes: readonly Lane[], sizes: ReadonlyMap<number, [number, number]>): Placement {
  const pos = new Map<number, [number, number]>();
  const size = new Map<number, [number, number]>();
  const boxes: { title: string; x: number; width: number }[] = [];
  let x = ORIGIN, bottom = ORIGIN;
  for (const lane of lanes) {
    const pad = lane.title !== undefined ? LANE_PAD : 0;
    const width = Math.max(...lane.nodes.map((id) => sizes.get(id)![0]));
    let y = ORIGIN + (lane.title !== undefined ? LANE_TITLE_HEIGHT + pad : 0);
    for (const id of lane.nodes) {
      const h = sizes.get(id)![1];
      pos.set(id, [x + pad, y + NODE_TITLE_HEIGHT]);
      size.set(id, [width, h]);
      y += NODE_TITLE_HEIGHT + h + NODE_GAP;
    }
    bottom = Math.max(bottom, y - NODE_GAP + pad);
    if (lane.title !== undefined) boxes.push({ title: lane.title, x, width: width + 2 * pad });
    x += width + 2 * pad + (lane.title !== undefined ? LANE_GAP : COLUMN_GAP);
  }
  const groups = boxes.map((b, i) => ({
    title: b.title, bounding: [b.x, ORIGIN, b.width, bottom - ORIGIN] as [number, number, number, number],
    color: LANE_COLORS[i % LANE_COLORS.length]!, font_size: LANE_FONT,
  }));
  return { pos, size, groups };
}
