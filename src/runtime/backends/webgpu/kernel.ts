/**
 * The one shape of our WGSL kernels. Every WGSL source lives in kernels/*.wgsl.ts as a Kernel:
 * - a label, the WGSL (entry point `main`) and its @workgroup_size (checked against the source);
 * - bindings, all in group 0, in one order: the storage inputs, the storage outputs, then the
 *   uniform block (if any) last;
 * - a Pass is a kernel, its buffers in that binding order and its workgroup counts; GpuContext.run
 *   encodes a list of passes into one compute pass and one submission (and counts them);
 * - buffers a call allocates for itself (uploads of CPU inputs, uniforms, scratch) go in a Scratch,
 *   released in a `finally`: destroying right after submit is valid WebGPU, the memory is freed once
 *   the submitted work is done.
 */
import type { GpuTensor, Tensor } from '../../values/tensor.ts';
import { f32Bits, type GpuContext } from './gpu-context.ts';

export type WorkgroupSize = readonly [number, number, number];

export interface Kernel {
  readonly label: string;
  readonly wgsl: string;
  readonly workgroupSize: WorkgroupSize;
}

export function defineKernel(label: string, workgroupSize: WorkgroupSize, wgsl: string): Kernel {
  if (!wgsl.includes(`@workgroup_size(${workgroupSize.join(', ')})`)) {
    throw new Error(`WGSL kernel ${label}: its source does not declare @workgroup_size(${workgroupSize.join(', ')})`);
  }
  return { label, wgsl, workgroupSize };
}

export interface Pass {
  readonly kernel: Kernel;
  /** Storage inputs, storage outputs, then the uniform block: the kernel's binding order. */
  readonly buffers: readonly GPUBuffer[];
  readonly groups: readonly [number, number, number];
}

/** Workgroup counts for an 8x8x1 kernel over (x, y), one layer per z. */
export const tiles = (x: number, y: number, z = 1): [number, number, number] => [Math.ceil(x / 8), Math.ceil(y / 8), z];

/** The 1-D kernels' workgroup size; their WGSL gets the flat index from FLAT_INDEX (kernels/color-common.ts). */
export const WG = 64;
const MAX_GROUPS = 65535;

/** Workgroup counts for `n` invocations of a 1-D kernel, as a 2-D grid so large photos stay under 65535 per dimension. */
export function linear(n: number): [number, number, number] {
  const g = Math.max(1, Math.ceil(n / WG));
  return g <= MAX_GROUPS ? [g, 1, 1] : [MAX_GROUPS, Math.ceil(g / MAX_GROUPS), 1];
}

/** A uniform value: numbers are u32, `{ f: x }` is an f32. */
export type Uni = number | { f: number };

/** Buffers one call allocates for itself, freed together by release(). */
export class Scratch {
  private readonly owned: GPUBuffer[] = [];
  constructor(private readonly gpu: GpuContext) {}

  /** `t` on the GPU: as is, or uploaded for this call. */
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
  uniform(values: readonly Uni[], label: string): GPUBuffer {
    return this.keep(this.gpu.uniformU32(values.map((v) => (typeof v === 'number' ? v : f32Bits(v.f))), label));
  }
  release(): void {
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
  }
}

/** Runs `body` with a Scratch that is released afterwards, even on error. */
export async function withScratch<T>(gpu: GpuContext, body: (s: Scratch) => T | Promise<T>): Promise<T> {
  const s = new Scratch(gpu);
  try {
    return await body(s);
  } finally {
    s.release();
  }
}
