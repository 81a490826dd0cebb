/**
 * The editor warns when a run loads other model weights than the ones the workflow records
 * (extra.disco.models), e.g. a model set whose file and manifest were both replaced.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT, useHarness, waitForEditor, type Harness } from './harness.ts';

let h: Harness;
useHarness((started) => (h = started));

it('a toast names the stage whose loaded weights differ from the recorded ones', async () => {
  const { page } = h;
  await page.goto(`${h.url}?backend=cpu`);
  await waitForEditor(page, h.errors);
  const wf = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/bad/models/load-model-set.json'), 'utf8'));
  wf.nodes[0].properties.params.set = 'disco-lite';
  wf.extra.disco.models = [{ set: 'disco-lite', stage: 'spixelnet', file: 'spixelnet.onnx', sha256: '0'.repeat(64) }];
  const summary = await page.evaluate(async (text) => {
    const app = (window as any).discoEditor;
    app.openText(text);
    return app.run();
  }, JSON.stringify(wf));
  expect(summary).toMatchObject({ ok: true });
  const toasts = await page.locator('.toast.error').allTextContents();
  expect(toasts.filter((t) => /Other model weights/.test(t))).toEqual([
    expect.stringMatching(/^Other model weights: model set "disco-lite" stage "spixelnet": the workflow was made with spixelnet\.onnx sha256 000000000000…, but spixelnet\.onnx loaded with sha256 [0-9a-f]{12}…/),
  ]);
}, 180_000);
