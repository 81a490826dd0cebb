import * as ort from 'onnxruntime-web';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWebGateway } from './ort-web.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createWebGateway (onnxruntime-web WASM)', () => {
  it('start() starts the runtime before any model is asked for, once, on a model it can load', async () => {
    const create = vi.spyOn(ort.InferenceSession, 'create');
    const gateway = await createWebGateway({ prefer: 'wasm' });
    gateway.start!();
    gateway.start!();
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    const started = await create.mock.results[0].value;
    expect([started.inputNames, started.outputNames]).toEqual([['x'], ['y']]);
  });

  it('without it, starts nothing until the first session', async () => {
    const create = vi.spyOn(ort.InferenceSession, 'create');
    await createWebGateway({ prefer: 'wasm' });
    await new Promise((r) => setTimeout(r, 50));
    expect(create).not.toHaveBeenCalled();
  });

  it('lets the event loop in between two calls into the runtime (a message waiting is handled between them)', async () => {
    const create = vi.spyOn(ort.InferenceSession, 'create');
    const gateway = await createWebGateway({ prefer: 'wasm' });
    gateway.start!();
    await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    const order: string[] = [];
    const bytes = create.mock.calls[0][0] as Uint8Array;
    const both = Promise.all([1, 2].map((i) => gateway.createSession(bytes, `model ${i}`).then(() => order.push(`session ${i}`))));
    setImmediate(() => order.push('task'));
    await both;
    expect(order).toEqual(['session 1', 'task', 'session 2']);
  });
});
