/**
 * Port types: one entry per kind of value that flows along a link. The name is what litegraph shows
 * on a slot and what the validator compares; `bytes` sizes a value for the cache; `describe` is for
 * tooltips and `disco inspect`; `dispose` frees GPU memory when the cache evicts a value.
 */
import { describeShape, tensorBytes, type Tensor } from './tensor.ts';
import type {
  AffinityValue, AnchorsValue, ColorDistValue, GrayValue, ImageValue, LabValue, ModelValue, TokensValue,
} from './types.ts';

export interface ValueType<T = unknown> {
  readonly name: string;
  /** Slot colour in the editor. */
  readonly color: string;
  bytes(v: T): number;
  describe(v: T): string;
  /** Tensors this value owns (GPU ones are destroyed on eviction when nothing else holds them). */
  tensors(v: T): Tensor[];
}

const opt = (t: Tensor | undefined): Tensor[] => (t ? [t] : []);
const sumBytes = (ts: Tensor[]): number => ts.reduce((a, t) => a + tensorBytes(t), 0);

function tensorType<T>(name: string, color: string, get: (v: T) => Tensor[], describe: (v: T) => string): ValueType<T> {
  return { name, color, tensors: get, bytes: (v) => sumBytes(get(v)), describe };
}

export const IMAGE: ValueType<ImageValue> = {
  name: 'IMAGE', color: '#64b5f6',
  bytes: (v) => v.data.byteLength, tensors: () => [],
  describe: (v) => `RGBA image ${v.width}x${v.height}`,
};
export const LAB = tensorType<LabValue>('LAB', '#ba68c8', (v) => [v.lab], (v) => `Lab ${describeShape(v.lab)}`);
export const GRAY = tensorType<GrayValue>('GRAY', '#bdbdbd', (v) => [v.L], (v) => `L plane ${describeShape(v.L)}`);
export const TENSOR = tensorType<Tensor>('TENSOR', '#81c784', (v) => [v], (v) => describeShape(v));
export const AFFINITY = tensorType<AffinityValue>(
  'AFFINITY', '#ffb74d', (v) => [v.assoc], (v) => `association map (${v.method}, cell ${v.cell}) ${describeShape(v.assoc)}`);
export const TOKENS = tensorType<TokensValue>(
  'TOKENS', '#4db6ac', (v) => [v.tokens, ...opt(v.mass), ...opt(v.pooledAb)],
  (v) => `tokens ${describeShape(v.tokens)}`);
export const COLOR_DIST = tensorType<ColorDistValue>(
  'COLOR_DIST', '#f06292', (v) => [v.probs], (v) => `313-bin distribution ${describeShape(v.probs)}`);
export const ANCHORS: ValueType<AnchorsValue> = {
  name: 'ANCHORS', color: '#fff176', tensors: () => [],
  bytes: (v) => 64 * v.anchors.length + (v.clusters?.byteLength ?? 0),
  describe: (v) => `${v.anchors.length} anchors on a ${v.gridH}x${v.gridW} grid`,
};
export const MODEL: ValueType<ModelValue> = {
  name: 'MODEL', color: '#e57373', tensors: () => [], bytes: () => 256,
  describe: (v) => `${v.set}/${v.stage} (${v.file})`,
};

export const valueTypes: Readonly<Record<string, ValueType<any>>> = Object.freeze(
  Object.fromEntries([IMAGE, LAB, GRAY, TENSOR, AFFINITY, TOKENS, COLOR_DIST, ANCHORS, MODEL].map((t) => [t.name, t])),
);
