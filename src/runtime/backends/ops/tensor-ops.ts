import type { CpuTensor, Tensor } from '../../values/tensor.ts';

/** Moving data between the CPU and the backend's memory. */
export interface TensorOps {
  /** Returns the tensor in the backend's own memory (a no-op when it is already there). */
  upload(t: Tensor): Promise<Tensor>;
  /**
   * Returns a CPU copy. On WebGPU this is a readback: call it only for previews, CLI outputs, or in a
   * stage that truly needs the CPU, and say so where you do.
   */
  download(t: Tensor): Promise<CpuTensor>;
  /** Frees backend memory held by a tensor that nothing uses any more. */
  release(t: Tensor): void;
}
