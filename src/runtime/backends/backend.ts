/**
 * The tensor operations DISCO's parameter-free stages need. Two implementations: `cpu` (TypeScript,
 * the reference; tests hold everything against it) and `webgpu` (WGSL compute). Nodes call
 * `ctx.backend.x(...)` and never know which one runs. Each group of ops is declared in `ops/`.
 */
import type { TensorOps } from './ops/tensor-ops.ts';
import type { ColorOps } from './ops/color-ops.ts';
import type { SuperpixelOps } from './ops/superpixel-ops.ts';
import type { AnchorOps } from './ops/anchor-ops.ts';

export type BackendName = 'cpu' | 'webgpu';

export interface Backend extends TensorOps, ColorOps, SuperpixelOps, AnchorOps {
  readonly name: BackendName;
  /** Human-readable adapter description, e.g. "CPU (TypeScript)" or "WebGPU: swiftshader". */
  readonly description: string;
}
