/**
 * GPU stages chained without CPU round trips, in headless Chromium on WebGPU (SwiftShader):
 * gray -> SpixelNet and Backbone (ORT) -> SP-Pooling and the position encoding (our WGSL kernels) ->
 * Colour modeler (ORT), all on the one GPUDevice our backend and ORT share. Two counters watch for
 * readbacks: our GpuContext's `readbacks`, and a page-wide count of GPUBuffer.mapAsync(READ) calls,
 * which WebGPU makes the only way for anyone (ORT included) to get buffer data to the CPU. Both must
 * stay put across the chain and rise by exactly one for the single final download, whose values must
 * match the same chain on the CPU (ORT WASM + CPU backend). A control run of ORT returning CPU tensors
 * shows the page-wide count does see ORT's internal readbacks.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tinyModelsDir } from '../helpers/tiny-models.ts';
import { useHarness, type Harness } from './harness.ts';

interface Counts { ours: number; mapReads: number }
interface BrowserResult {
  backend: string; gateway: string;
  locations: Record<string, string>;
  before: Counts; afterChain: Counts; afterRead: Counts;
  afterPlain: Counts; plainGateway: string; plainLocation: string;
  gpuError: string | null;
  shape: number[]; gpuData: number[]; refShape: number[]; refData: number[];
}

const STAGES = ['spixelnet', 'backbone', 'color_modeler'] as const;

let h: Harness;
useHarness((started) => (h = started));

describe('GPU stage chain in Chromium', () => {
  it('passes ORT -> WGSL -> ORT data on the GPU with no readback, matching the CPU chain', async () => {
    const dir = join(await tinyModelsDir(), 'tiny');
    const models = await Promise.all(STAGES.map(async (s) => [...(await readFile(join(dir, `${s}.onnx`)))]));
    await h.page.goto(`${h.url}?example=none`);
    // Passed as source text: vitest would rewrite a dynamic import() inside a function.
    const script = `(async ([spixelBytes, backboneBytes, modelerBytes]) => {
      // Every GPU->CPU copy in WebGPU ends in mapAsync(READ); count them page-wide, ORT's included.
      let mapReads = 0;
      const mapAsync = GPUBuffer.prototype.mapAsync;
      GPUBuffer.prototype.mapAsync = function (mode, ...rest) {
        if (mode & GPUMapMode.READ) mapReads++;
        return mapAsync.call(this, mode, ...rest);
      };
      const { selectBackend } = await import('/src/runtime/backends/select-backend.ts');
      const { createCpuBackend } = await import('/src/runtime/backends/cpu/cpu-backend.ts');
      const { createWebGateway } = await import('/src/runtime/onnx/ort-web.ts');

      const H = 32, W = 32, cell = 8;
      const gray = Float32Array.from({ length: H * W }, (_, i) => Math.sin(i / 7) * 0.5 + 0.5);
      const grayT = { location: 'cpu', dtype: 'float32', shape: [1, 1, H, W], data: gray };

      // The chain, written once for both backends.
      async function chain(backend, gateway, locations) {
        const open = async (bytes, label) => gateway.createSession(new Uint8Array(bytes), label);
        const [spixel, backbone, modeler] = [await open(spixelBytes, 'spixelnet'), await open(backboneBytes, 'backbone'), await open(modelerBytes, 'color_modeler')];
        const g = await backend.upload(grayT);
        const { assoc } = await spixel.run({ gray: g });
        const { features } = await backbone.run({ gray: g });
        const { pooled } = await backend.spPool(features, assoc, cell);
        const pos = await backend.positionEncoding(H / cell, W / cell);
        const out = await modeler.run({ tokens: pooled, pos });
        Object.assign(locations, { assoc: assoc.location, features: features.location, tokens: pooled.location, pos: pos.location,
          color_features: out.color_features.location, logits: out.logits.location });
        return out.logits;
      }

      const { backend } = await selectBackend({ gpu: navigator.gpu });
      if (backend.name !== 'webgpu') throw new Error('no WebGPU backend: ' + backend.description);
      const gateway = await createWebGateway({ device: backend.gpu.device });
      const count = () => ({ ours: backend.gpu.readbacks, mapReads });
      const locations = {};
      const before = count();
      backend.gpu.device.pushErrorScope('validation');
      const logits = await chain(backend, gateway, locations);
      await backend.gpu.device.queue.onSubmittedWorkDone();
      const gpuError = (await backend.gpu.device.popErrorScope())?.message ?? null;
      const afterChain = count();
      const result = await backend.download(logits);
      const afterRead = count();

      // Control: ORT handing back CPU tensors must read back inside ORT, and only the page-wide count sees it.
      const plain = await createWebGateway();
      const plainSpixel = await plain.createSession(new Uint8Array(spixelBytes), 'spixelnet');
      const plainOut = await plainSpixel.run({ gray: grayT });
      const afterPlain = count();

      const ref = await chain(createCpuBackend(), await createWebGateway({ prefer: 'wasm' }), {});
      return { backend: backend.description, gateway: gateway.description, locations, before, afterChain, afterRead, afterPlain, plainGateway: plain.description, plainLocation: plainOut.assoc.location, gpuError,
        shape: result.shape, gpuData: [...result.data], refShape: ref.shape, refData: [...ref.data] };
    })`;
    const r: BrowserResult = await h.page.evaluate(([src, m]) => (0, eval)(src as string)(m), [script, models] as const);

    expect(r.backend).toMatch(/^WebGPU: /);
    expect(r.gateway).toBe('onnxruntime-web (webgpu on the shared device)');
    expect(r.gpuError).toBeNull();
    // Every intermediate and both final ORT outputs stayed GPU-resident...
    expect(r.locations).toEqual({ assoc: 'gpu', features: 'gpu', tokens: 'gpu', pos: 'gpu', color_features: 'gpu', logits: 'gpu' });
    // ...and nothing, ours or ORT's, read a buffer back while the chain ran.
    expect(r.afterChain).toEqual(r.before);
    // The one final download is seen by both counters, so they do count.
    expect(r.afterRead).toEqual({ ours: r.before.ours + 1, mapReads: r.before.mapReads + 1 });
    // ORT's own readbacks are visible to the page-wide count (not to ours): a gateway that returns CPU
    // tensors computes on the same WebGPU device and must map its output for reading.
    expect(r.plainGateway).toBe('onnxruntime-web (webgpu, CPU tensors)');
    expect(r.plainLocation).toBe('cpu');
    expect(r.afterPlain.ours).toBe(r.afterRead.ours);
    expect(r.afterPlain.mapReads).toBeGreaterThan(r.afterRead.mapReads);

    expect(r.shape).toEqual([1, 313, 4, 4]);
    expect(r.refShape).toEqual(r.shape);
    const scale = Math.max(...r.refData.map(Math.abs));
    expect(scale).toBeGreaterThan(0.01); // not a trivially-zero comparison
    const diff = Math.max(...r.gpuData.map((v, i) => Math.abs(v - r.refData[i])));
    console.log(`gpu chain: readbacks ${JSON.stringify(r.before)} -> ${JSON.stringify(r.afterChain)} -> ${JSON.stringify(r.afterRead)}; CPU-tensor ORT run -> ${JSON.stringify(r.afterPlain)}; max |gpu - cpu| ${diff.toExponential(2)} (max |ref| ${scale.toFixed(3)})`);
    expect(diff).toBeLessThan(1e-4);
    expect(h.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  }, 240_000);
});
