/**
 * The viewer shows the photo, but the association map (and its token grid) covers the working
 * image, which Keep Aspect and Full Size pad bottom/right. These map between a normalised point on
 * the photo (what the pointer and the anchor markers use) and the map's pixels and cells, through
 * the content frame: the map's top-left `content` pixels are the photo, the rest is padding.
 */
import { photoFit, type PhotoFit } from '../../runtime/values/anchors.ts';

export interface FramedMap {
  readonly W: number;
  readonly H: number;
  /** The photo's part of the map, in map pixels (the whole map when absent). */
  readonly content?: { readonly width: number; readonly height: number };
}

/** The photo's width and height in map pixels. */
export function photoRegion(m: FramedMap): { width: number; height: number } {
  return { width: m.content?.width ?? m.W, height: m.content?.height ?? m.H };
}

/** The share of the map (and of its token grid) the photo fills. */
export function fitOf(m: FramedMap): PhotoFit {
  return photoFit(m.content, m.H, m.W);
}

/** The map pixel under normalised photo point (x, y), or undefined off the photo. */
export function pixelAt(m: FramedMap, x: number, y: number): { px: number; py: number; p: number } | undefined {
  if (!(x >= 0 && x < 1 && y >= 0 && y < 1)) return undefined;
  const { width, height } = photoRegion(m);
  const px = Math.floor(x * width), py = Math.floor(y * height);
  return { px, py, p: py * m.W + px };
}

/** The centre of cell (row, col) as a share of the photo (0..1), or undefined when it lies in the padding. */
export function cellCentreOnPhoto(m: FramedMap, cell: number, row: number, col: number): { x: number; y: number } | undefined {
  const { width, height } = photoRegion(m);
  const x = ((col + 0.5) * cell) / width, y = ((row + 0.5) * cell) / height;
  return x < 1 && y < 1 ? { x, y } : undefined;
}
