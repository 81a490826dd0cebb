/**
 * Canvas drawing for a node's run state: a badge in the title bar (state, time), a progress bar under
 * the title, a tint for bypass/mute, the IMAGE thumbnail, and the message pinned below the node (its
 * error), drawn after every node so that none covers it. Coordinates are node-local: (0,0) is the
 * top-left of the body, the title bar is above it.
 */
import { LiteGraph, type LGraphNode } from '@comfyorg/litegraph';
import type { NodeStatus } from './node-status.ts';

export const THUMB_H = 150;
/** A pinned message shows at most this many lines; the problems panel has the whole text of an error. */
const PINNED_LINES = 5;
const LINE_H = 17;
const BADGE_FONT = 'bold 13px sans-serif';

const STATE_COLOR: Record<string, string> = {
  pending: '#8a8f98', running: '#42a5f5', cached: '#26a69a', done: '#66bb6a', error: '#ef5350', skipped: '#8a8f98',
};

export function drawThumbnail(ctx: CanvasRenderingContext2D, node: LGraphNode, bitmap: ImageBitmap | undefined): void {
  const [w, h] = node.size;
  const box = { x: 8, y: h - THUMB_H - 6, w: w - 16, h: THUMB_H };
  ctx.fillStyle = '#15171a';
  ctx.fillRect(box.x, box.y, box.w, box.h);
  if (!bitmap) {
    ctx.fillStyle = '#555a63';
    ctx.font = '13px sans-serif';
    ctx.textAlign = 'center';
    ctx.fillText('no preview yet', box.x + box.w / 2, box.y + box.h / 2 + 4);
    return;
  }
  const s = Math.min(box.w / bitmap.width, box.h / bitmap.height);
  const dw = bitmap.width * s;
  const dh = bitmap.height * s;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, box.x + (box.w - dw) / 2, box.y + (box.h - dh) / 2, dw, dh);
}

export function drawNodeStatus(ctx: CanvasRenderingContext2D, node: LGraphNode, s: NodeStatus | undefined): void {
  const [w, h] = node.size;
  const titleH = LiteGraph.NODE_TITLE_HEIGHT;
  if (node.mode === 4 || node.mode === 2) {
    ctx.fillStyle = node.mode === 4 ? 'rgba(156, 39, 176, 0.28)' : 'rgba(0, 0, 0, 0.45)';
    ctx.fillRect(0, -titleH, w, h + titleH);
    label(ctx, node.mode === 4 ? 'BYPASS' : 'MUTED', w - 8, h - 8, '#e1bee7', 'right');
  }
  const text = badgeText(s);
  if (!s?.state || !text) return;

  const color = STATE_COLOR[s.state] ?? '#888';
  ctx.font = BADGE_FONT;
  const tw = ctx.measureText(text).width + 16;
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.roundRect(w - tw - 6, -titleH + 6, tw, titleH - 12, 6);
  ctx.fill();
  label(ctx, text, w - tw / 2 - 6, -titleH / 2 + 4, '#101214', 'center');

  if (s.state === 'running') {
    const f = s.progress && s.progress.total > 0 ? s.progress.done / s.progress.total : 0.05;
    ctx.fillStyle = '#263238';
    ctx.fillRect(0, 0, w, 3);
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, w * f, 3);
  }
  if (s.state === 'running' || s.state === 'error' || s.state === 'cached' || s.state === 'done') {
    ctx.strokeStyle = color;
    ctx.lineWidth = s.state === 'running' || s.state === 'error' ? 2.5 : 1.5;
    ctx.strokeRect(-1, -titleH - 1, w + 2, h + titleH + 2);
  }
}

function badgeText(s: NodeStatus | undefined): string | undefined {
  if (!s?.state) return undefined;
  return s.state === 'done' && s.ms !== undefined ? formatMs(s.ms)
    : s.state === 'running' && s.progress ? `${Math.round((100 * s.progress.done) / Math.max(1, s.progress.total))}%`
      : s.state;
}

/**
 * The node's title, in place of litegraph's: it ends (in "…") before the run-state badge rather than
 * under it. Nodes keep their size: a long title is shortened, the node is not widened.
 */
export function drawTitle(ctx: CanvasRenderingContext2D, node: LGraphNode, title: string, s: NodeStatus | undefined, color: string): void {
  const titleH = LiteGraph.NODE_TITLE_HEIGHT;
  const badge = badgeText(s);
  ctx.font = BADGE_FONT;
  // The badge spans w - (text + 16) - 6 .. w - 6; the title starts at titleH, as litegraph draws it.
  const end = badge ? node.size[0] - ctx.measureText(badge).width - 16 - 6 - 8 : node.size[0] - titleH;
  label(ctx, fitText(ctx, title, end - titleH, node.titleFontStyle), titleH, LiteGraph.NODE_TITLE_TEXT_Y - titleH, color, 'left', node.titleFontStyle);
}

/** `text` if it is at most `width` pixels wide in `font`, else as much of it as fits, then "…". */
export function fitText(ctx: CanvasRenderingContext2D, text: string, width: number, font: string): string {
  ctx.font = font;
  return ctx.measureText(text).width <= width ? text : ellipsis(ctx, text, width);
}

/**
 * What a node pins below itself, if anything: its error, why it was skipped or its warning, and
 * `problems` with the node itself (e.g. invalid parameter values from a file).
 */
export function pinnedMessage(s: NodeStatus | undefined, problems: readonly string[] = []): { text: string; bg: string } | undefined {
  // A node skipped because an upstream node failed (or the run was cancelled) says nothing more:
  // the failed node and the problems panel say it once.
  const followOn = s?.state === 'skipped' && /failed$|^run cancelled$/.test(s.reason ?? '');
  const own = s?.state === 'error' ? s.error : s?.state === 'skipped' && !followOn ? s.reason : s?.warning;
  const text = [own, ...problems].filter(Boolean).join('\n');
  if (!text) return undefined;
  return { text, bg: s?.state === 'error' ? '#b71c1c' : s?.state ? '#5d4037' : '#8d3c00' };
}

/** The pinned message in a box under the node, as wide as the node; long text ends in "…". */
export function drawPinned(ctx: CanvasRenderingContext2D, node: LGraphNode, message: { text: string; bg: string }): void {
  const [w, h] = node.size;
  ctx.font = '13px sans-serif';
  let lines = wrap(ctx, message.text, w - 16);
  if (lines.length > PINNED_LINES) {
    lines = lines.slice(0, PINNED_LINES);
    lines[PINNED_LINES - 1] = ellipsis(ctx, lines[PINNED_LINES - 1], w - 16);
  }
  const boxH = lines.length * LINE_H + 10;
  ctx.save();
  ctx.shadowColor = 'rgba(0, 0, 0, 0.7)';
  ctx.shadowBlur = 8;
  ctx.fillStyle = message.bg;
  ctx.beginPath();
  ctx.roundRect(0, h + 6, w, boxH, 6);
  ctx.fill();
  ctx.restore();
  lines.forEach((line, i) => label(ctx, line, 8, h + 22 + i * LINE_H, '#fff', 'left', '13px sans-serif'));
}

/** Lines of at most `width` pixels; a word longer than a line (a hash, a path) is broken where it must be. */
export function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const fits = (t: string) => ctx.measureText(t).width <= width;
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (let word of para.split(' ')) {
      while (!fits(word)) {
        let n = 1;
        while (n < word.length && fits(word.slice(0, n + 1))) n++;
        if (line) out.push(line);
        out.push(word.slice(0, n));
        line = '';
        word = word.slice(n);
      }
      const next = line ? `${line} ${word}` : word;
      if (!fits(next) && line) {
        out.push(line);
        line = word;
      } else line = next;
    }
    out.push(line);
  }
  return out;
}

function ellipsis(ctx: CanvasRenderingContext2D, line: string, width: number): string {
  let t = line;
  while (t && ctx.measureText(`${t}…`).width > width) t = t.slice(0, -1);
  return `${t.trimEnd()}…`;
}

function label(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, color: string, align: CanvasTextAlign, font = BADGE_FONT): void {
  ctx.font = font;
  ctx.fillStyle = color;
  ctx.textAlign = align;
  ctx.fillText(text, x, y);
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
