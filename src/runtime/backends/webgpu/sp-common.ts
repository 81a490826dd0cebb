/**
 * Shared plumbing for the superpixel WGSL kernels. WGSL lives in TypeScript template strings (not
 * `?raw` imports) so the same modules load under Vite, vitest and plain tsx/Node.
 *
 * Every kernel binds its storage buffers first and this `Grid` uniform last; it uses the fields
 * it needs. Pixel kernels run one invocation per (x, y, channel) with 8x8x1 workgroups, token
 * kernels one per (token column, token row, channel).
 */
import type { GpuTensor, Tensor } from '../../values/tensor.ts';
import type { SpGrid } from '../ops/superpixel-ops.ts';
import { f32Bits, type GpuContext } from './gpu-context.ts';

export const GRID_WGSL = /* wgsl */ `
struct Grid { H: u32, W: u32, gh: u32, gw: u32, cell: u32, C: u32, K: u32, s0: f32, s1: f32 }

// Token index of the neighbour cell k (docs/disco-method.md §0 offsets) of cell (cy, cx), or -1 outside the grid.
fn neighbour(g: Grid, cy: u32, cx: u32, k: u32) -> i32 {
  let ny = i32(cy) + i32(k / 3u) - 1;
  let nx = i32(cx) + i32(k % 3u) - 1;
  if (ny < 0 || nx < 0 || ny >= i32(g.gh) || nx >= i32(g.gw)) { return -1; }
  return ny * i32(g.gw) + nx;
}
`;

export interface GridParams {
  C?: number;
  K?: number;
  s0?: number;
  s1?: number;
}

export function gridUniform(gpu: GpuContext, g: SpGrid, p: GridParams = {}): GPUBuffer {
  return gpu.uniformU32([g.H, g.W, g.h, g.w, g.cell, p.C ?? 0, p.K ?? 0, f32Bits(p.s0 ?? 0), f32Bits(p.s1 ?? 0)], 'sp-grid');
}

export interface Step {
  readonly pipeline: GPUComputePipeline;
  readonly buffers: GPUBuffer[];
  readonly groups: readonly [number, number, number];
}

/** Encodes the steps as consecutive dispatches of one compute pass and submits them at once. */
export function runSteps(gpu: GpuContext, steps: readonly Step[]): void {
  const enc = gpu.device.createCommandEncoder({ label: 'superpixel' });
  const pass = enc.beginComputePass();
  for (const s of steps) {
    pass.setPipeline(s.pipeline);
    pass.setBindGroup(0, gpu.device.createBindGroup({
      layout: s.pipeline.getBindGroupLayout(0),
      entries: s.buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    }));
    pass.dispatchWorkgroups(...s.groups);
    gpu.dispatches++;
  }
  pass.end();
  gpu.device.queue.submit([enc.finish()]);
}

/** Workgroups for an 8x8 tile over (x, y) and one layer per channel. */
export const tiles = (x: number, y: number, z = 1): [number, number, number] => [Math.ceil(x / 8), Math.ceil(y / 8), z];

/**
 * Buffers a call allocates for itself (uploads of CPU inputs, uniforms, scratch). Destroying right
 * after submit is valid WebGPU: the memory is freed once the submitted work is done.
 */
export class Scratch {
  private readonly owned: GPUBuffer[] = [];
  constructor(private readonly gpu: GpuContext) {}

  input(t: Tensor): GpuTensor {
    if (t.location === 'gpu') return t;
    const up = this.gpu.upload(t);
    this.owned.push(up.buffer);
    return up;
  }
  keep<B extends GPUBuffer>(b: B): B {
    this.owned.push(b);
    return b;
  }
  storage(n: number, label: string): GPUBuffer {
    return this.keep(this.gpu.storage(n, label));
  }
  release(): void {
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
  }
}
