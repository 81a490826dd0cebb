/**
 * ort-web.ts in headless Chromium with WebGPU (SwiftShader): a gateway given our GPUDevice runs a
 * tiny stage on a GpuTensor feed, hands the output back as a GpuTensor on that device, and agrees with
 * the WASM build; a gateway without our device returns CPU tensors. Node cannot test this path (onnxruntime-web is WASM-only there).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tinyModelsDir } from '../helpers/tiny-models.ts';
import { useHarness, type Harness } from './harness.ts';

interface BrowserResult {
  gpuDesc: string; accepts: boolean; location: string; shape: number[]; gpuData: number[]; refData: number[];
  plainDesc: string; plainAccepts: boolean; plainData: number[];
}

let h: Harness;
useHarness((started) => (h = started));

describe('onnxruntime-web gateway in Chromium', () => {
  it('takes and gives GPU tensors on our device with WebGPU, matching WASM', async () => {
    const model = [...(await readFile(join(await tinyModelsDir(), 'tiny', 'spixelnet.onnx')))];
    await h.page.goto(`${h.url}?example=none`);
    // Passed as source text: vitest would rewrite a dynamic import() inside a function.
    const script = `(async (bytes) => {
      const { createWebGateway } = await import('/src/runtime/onnx/ort-web.ts');
      const adapter = await navigator.gpu.requestAdapter();
      const device = await adapter.requestDevice();
      const n = 16 * 16;
      const gray = Float32Array.from({ length: n }, (_, i) => Math.sin(i / 7));
      const buf = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(buf, 0, gray);

      const gpuGw = await createWebGateway({ device });
      const gpuSession = await gpuGw.createSession(new Uint8Array(bytes), 'spixelnet');
      const out = await gpuSession.run({ gray: { location: 'gpu', dtype: 'float32', shape: [1, 1, 16, 16], buffer: buf } });
      const a = out.assoc;
      let gpuData = [];
      if (a.location === 'gpu') {
        const read = device.createBuffer({ size: 9 * n * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
        const enc = device.createCommandEncoder();
        enc.copyBufferToBuffer(a.buffer, 0, read, 0, 9 * n * 4);
        device.queue.submit([enc.finish()]);
        await read.mapAsync(GPUMapMode.READ);
        gpuData = [...new Float32Array(read.getMappedRange().slice(0))];
      }
      // Without our device, ORT may compute on WebGPU but hands back CPU tensors.
      const plainGw = await createWebGateway();
      const plain = await (await plainGw.createSession(new Uint8Array(bytes), 'spixelnet'))
        .run({ gray: { location: 'cpu', dtype: 'float32', shape: [1, 1, 16, 16], data: gray } });
      const plainData = plain.assoc.location === 'cpu' ? [...plain.assoc.data] : [];
      const wasmGw = await createWebGateway({ prefer: 'wasm' });
      const wasmSession = await wasmGw.createSession(new Uint8Array(bytes), 'spixelnet');
      const ref = await wasmSession.run({ gray: { location: 'cpu', dtype: 'float32', shape: [1, 1, 16, 16], data: gray } });
      const refData = ref.assoc.location === 'cpu' ? [...ref.assoc.data] : [];
      return { gpuDesc: gpuGw.description, accepts: gpuGw.acceptsGpuTensors, location: a.location, shape: a.shape, gpuData, refData,
        plainDesc: plainGw.description, plainAccepts: plainGw.acceptsGpuTensors, plainData };
    })`;
    const result: BrowserResult = await h.page.evaluate(([src, bytes]) => (0, eval)(src as string)(bytes), [script, model] as const);
    expect(result.gpuDesc).toBe('onnxruntime-web (webgpu on the shared device)');
    expect(result.accepts).toBe(true);
    expect(result.location).toBe('gpu');
    expect(result.shape).toEqual([1, 9, 16, 16]);
    expect(result.refData.length).toBe(9 * 256);
    const diff = Math.max(...result.gpuData.map((v, i) => Math.abs(v - result.refData[i])));
    expect(diff).toBeLessThan(1e-5);
    expect(result.plainDesc).toBe('onnxruntime-web (webgpu, CPU tensors)');
    expect(result.plainAccepts).toBe(false);
    expect(Math.max(...result.plainData.map((v, i) => Math.abs(v - result.refData[i])))).toBeLessThan(1e-5);
    expect(h.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 180_000);
});
