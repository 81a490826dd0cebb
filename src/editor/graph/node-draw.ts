/**
 * Canvas drawing for a node's run state: a badge in the title bar (state, time), a progress bar under
 * the title, the error pinned below the node, a tint for bypass/mute, and the IMAGE thumbnail.
 * Coordinates are node-local: (0,0) is the top-left of the body, the title bar is above it.
 */
import { LiteGraph, type LGraphNode } from '@comfyorg/litegraph';
import type { NodeStatus } from './node-status.ts';

export const THUMB_H = 150;

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

/** `problems`: what is wrong with the node itself (e.g. invalid parameter values from a file), pinned below it. */
export function drawNodeStatus(ctx: CanvasRenderingContext2D, node: LGraphNode, s: NodeStatus | undefined, problems: readonly string[] = []): void {
  const [w, h] = node.size;
  const titleH = LiteGraph.NODE_TITLE_HEIGHT;
  if (node.mode === 4 || node.mode === 2) {
    ctx.fillStyle = node.mode === 4 ? 'rgba(156, 39, 176, 0.28)' : 'rgba(0, 0, 0, 0.45)';
    ctx.fillRect(0, -titleH, w, h + titleH);
    label(ctx, node.mode === 4 ? 'BYPASS' : 'MUTED', w - 8, h - 8, '#e1bee7', 'right');
  }
  if (!s?.state) {
    if (problems.length) drawPinned(ctx, problems.join('\n'), w, h, '#8d3c00');
    return;
  }

  const color = STATE_COLOR[s.state] ?? '#888';
  const text = s.state === 'done' && s.ms !== undefined ? formatMs(s.ms)
    : s.state === 'running' && s.progress ? `${Math.round((100 * s.progress.done) / Math.max(1, s.progress.total))}%`
      : s.state;
  ctx.font = 'bold 13px sans-serif';
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
  // A node skipped because an upstream node failed (or the run was cancelled) says nothing more:
  // the failed node and the problems panel say it once.
  const followOn = s.state === 'skipped' && /failed$|^run cancelled$/.test(s.reason ?? '');
  const pinned = [s.state === 'error' ? s.error : s.state === 'skipped' && !followOn ? s.reason : s.warning, ...problems].filter(Boolean).join('\n');
  if (pinned) drawPinned(ctx, pinned, w, h, s.state === 'error' ? '#b71c1c' : '#5d4037');
}

function drawPinned(ctx: CanvasRenderingContext2D, message: string, w: number, h: number, bg: string): void {
  ctx.font = '13px sans-serif';
  const lines = wrap(ctx, message, Math.max(w, 260) - 16).slice(0, 6);
  const boxH = lines.length * 17 + 10;
  ctx.fillStyle = bg;
  ctx.beginPath();
  ctx.roundRect(0, h + 6, Math.max(w, 260), boxH, 6);
  ctx.fill();
  lines.forEach((line, i) => label(ctx, line, 8, h + 22 + i * 17, '#fff', 'left', '13px sans-serif'));
}

function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      const next = line ? `${line} ${word}` : word;
      if (ctx.measureText(next).width > width && line) {
        out.push(line);
        line = word;
      } else line = next;
    }
    out.push(line);
  }
  return out;
}

function label(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, color: string, align: CanvasTextAlign, font = 'bold 13px sans-serif'): void {
  ctx.font = font;
  ctx.fillStyle = color;
  ctx.textAlign = align;
  ctx.fillText(text, x, y);
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
