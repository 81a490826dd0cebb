import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tinyModelsCopy } from '../../../test/helpers/tiny-models.ts';
import { fsModelSource } from './fs-model-source.ts';

describe('fsModelSource', () => {
  it('stamps a settled file, and stamps it otherwise once it is rewritten or replaced', async () => {
    const d = await tinyModelsCopy();
    let clock = Date.now();
    const src = fsModelSource(d, { now: () => clock });
    const path = join(d, 'tiny', 'refiner.onnx');
    // Written just now: too recent to tell a second change within the same tick of the file times.
    expect(src.stamp!('tiny', 'refiner.onnx')).toBeUndefined();
    clock += 10_000;
    const settled = src.stamp!('tiny', 'refiner.onnx');
    expect(settled).toMatch(/^\d+:\d+:\d+:/);
    expect(src.stamp!('tiny', 'refiner.onnx')).toBe(settled);

    // Rewritten in place (a byte longer: the same size within one tick of the file times could
    // keep the stamp, which is why an unsettled file gets none).
    const bytes = Buffer.concat([await readFile(path), Buffer.of(0)]);
    await writeFile(path, bytes);
    clock = Date.now() + 10_000;
    const rewritten = src.stamp!('tiny', 'refiner.onnx');
    expect(rewritten).toBeDefined();
    expect(rewritten).not.toBe(settled);

    await writeFile(`${path}.new`, bytes);
    await rename(`${path}.new`, path);
    clock = Date.now() + 10_000;
    expect(src.stamp!('tiny', 'refiner.onnx')).not.toBe(rewritten);
    expect(src.stamp!('tiny', 'gone.onnx')).toBeUndefined();
  });

  it('gives the same manifest JSON while the file is unchanged, and the new one after a change', async () => {
    const d = await tinyModelsCopy();
    const mpath = join(d, 'tiny', 'manifest.json');
    // Just written (compared by text) and settled (compared by stamp).
    for (const ahead of [0, 10_000]) {
      const src = fsModelSource(d, { now: () => Date.now() + ahead });
      const first = await src.readManifest('tiny');
      expect(await src.readManifest('tiny')).toBe(first);
      await writeFile(mpath, JSON.stringify({ ...(first as object), description: `changed ${ahead}` }));
      expect(await src.readManifest('tiny')).toMatchObject({ description: `changed ${ahead}` });
    }
  });
});
