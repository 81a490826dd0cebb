/**
 * The bad-input corpus (test/fixtures/bad/, written by make-fixtures.ts) through the real `disco`
 * command. A refused input exits 1 with one line on stderr naming the file and the problem, and no
 * stack trace; an odd but accepted photo is colourised by workflows/user-guided.json at its size.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/cli/image-io.ts';
import { rgbToLabPixel } from '../../src/runtime/backends/cpu/lab.ts';
import type { ImageValue } from '../../src/runtime/values/types.ts';
import { disco, REPO, type CliResult } from './helpers.ts';

const BAD = join(REPO, 'test/fixtures/bad');
const tmp = () => mkdtempSync(join(tmpdir(), 'disco-bad-'));

/** stderr without the per-node progress lines and notes. */
const errorLines = (r: CliResult) => r.stderr.split('\n').filter((l) => l && !/^\[\d+\/\d+\]/.test(l) && !l.startsWith('note: '));

function expectRefused(r: CliResult, message: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  const lines = errorLines(r);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^disco: /);
  expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const runPhoto = (image: string, extra: string[] = [], out = join(tmp(), 'out.png')) =>
  disco(['run', 'workflows/user-guided.json', '--input', join(BAD, 'images', image), '-o', out, ...extra]);

describe.concurrent('bad images', () => {
  const refused: [file: string, message: RegExp, extra?: string[]][] = [
    ['truncated.png', /truncated\.png: could not decode \(.+\)$/],
    ['truncated.jpg', /truncated\.jpg: could not decode \(.*premature end of JPEG/],
    ['truncated.webp', /truncated\.webp: not a readable image \(.+\)$/],
    ['corrupt.png', /corrupt\.png: (could not decode|not a readable image) \(.+\)$/],
    ['corrupt.jpg', /corrupt\.jpg: (could not decode|not a readable image) \(.+\)$/],
    ['corrupt.webp', /corrupt\.webp: (could not decode|not a readable image) \(.+\)$/],
    ['text.png', /text\.png: not a readable image \(contains unsupported image format\)/],
    ['zero-width.png', /zero-width\.png: the image has no pixels \(0x48\)/],
    // The file's IHDR claims the size and its pixel data is empty: a decode attempt would fail
    // differently, so these messages show the size was refused before decoding.
    ['huge-20000x20000.png', /huge-20000x20000\.png: 20000x20000 is 400\.0 megapixels, above the limit of 50\.0; downscale it first or raise --max-pixels/],
  ];
  for (const [file, message, extra] of refused) {
    it(`refuses ${file}`, async () => expectRefused(await runPhoto(file, extra), message));
  }

  it('refuses huge-20000x20000.png by the memory estimate when the pixel limit is raised', async () => {
    const r = await runPhoto('huge-20000x20000.png', ['--max-pixels', '500000000', '--max-memory', '8000']);
    expectRefused(r, /huge-20000x20000\.png: 20000x20000 needs about 19\.2 GB to colourise \(48 bytes per pixel\), above the memory budget of 8\.0 GB \(about 166\.7 megapixels\); downscale it first or raise --max-memory/);
  });

  it('refuses a photo within the pixel limit that does not fit a small memory budget', async () => {
    const r = await disco(['run', 'workflows/user-guided.json', '--max-memory', '5']);
    expectRefused(r, /chelsea-gray\.png: 451x300 needs about 7 MB to colourise \(48 bytes per pixel\), above the memory budget of 5 MB \(about 0\.1 megapixels\)/);
  });
});

describe.concurrent('odd photos that are accepted', () => {
  let reference: Promise<ImageValue> | undefined;
  /** user-guided on the plain 8-bit gray PNG: what the same content in another encoding must give. */
  const grayResult = () => (reference ??= (async () => {
    const out = join(tmp(), 'gray.png');
    const r = await runPhoto('gray.png', [], out);
    expect(r.code, r.stderr).toBe(0);
    return decodeImageFile(out);
  })());

  const accepted: [file: string, width: number, height: number, sameAsGray: boolean][] = [
    ['gray-16bit.png', 64, 48, true],
    ['gray-animated.webp', 64, 48, true], // the first frame; the second is white
    ['gray-palette.png', 64, 48, false],
    ['gray-cmyk.jpg', 64, 48, false],
    ['gray-exif-rotated.jpg', 48, 64, false], // stored 64x48, EXIF orientation 6
    ['one-by-one.png', 1, 1, false], // smaller than one 16-px cell: the working-size resize makes it 256x256
  ];
  for (const [file, width, height, sameAsGray] of accepted) {
    it(`colourises ${file} at ${width}x${height}`, async () => {
      const out = join(tmp(), 'out.png');
      const r = await runPhoto(file, [], out);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`(${width}x${height})`);
      const img = await decodeImageFile(out);
      expect([img.width, img.height]).toEqual([width, height]);
      if (sameAsGray) {
        const ref = await grayResult();
        const diff = Math.max(...img.data.map((v, i) => Math.abs(v - ref.data[i])));
        expect(diff).toBeLessThanOrEqual(1);
      }
    });
  }

  it('flattens alpha over white (the stated rule): the transparent quarter comes out white', async () => {
    const out = join(tmp(), 'out.png');
    const r = await runPhoto('gray-alpha.png', [], out);
    expect(r.code, r.stderr).toBe(0);
    const img = await decodeImageFile(out);
    expect([img.width, img.height]).toEqual([64, 48]);
    // Colourisation keeps each pixel's lightness, so white stays near L = 100 (its a, b may be tinted).
    for (const [x, y] of [[2, 5], [10, 40]]) {
      const i = (y * img.width + x) * 4;
      const [L] = rgbToLabPixel(img.data[i] / 255, img.data[i + 1] / 255, img.data[i + 2] / 255);
      expect(L, `pixel ${x},${y}`).toBeGreaterThan(93); // 100 less gamut clipping of the tint
    }
    const i = (5 * img.width + 40) * 4; // an opaque pixel keeps its own lightness (well below white)
    expect(rgbToLabPixel(img.data[i] / 255, img.data[i + 1] / 255, img.data[i + 2] / 255)[0]).toBeLessThan(85);
  });

  it('uses the gray version of a coloured photo and says so', async () => {
    const r = await runPhoto('color-photo.png');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^note: 2 Gray from Photo: the photo had colour; it was dropped \(Lab a = b = 0\)/m);
    expect(r.stderr).toContain('(64x48)');
  });
});

describe.concurrent('bad workflows', () => {
  const run = (file: string) => disco(['run', join(BAD, 'workflows', file), '-o', join(tmp(), 'out.png')]);
  const refused: [file: string, message: RegExp][] = [
    ['not-json.json', /not-json\.json: not JSON at line \d+, column \d+ \(.+\)$/],
    ['wrong-shape.json', /wrong-shape\.json: workflow: nodes: expected an array of nodes$/],
    ['array.json', /array\.json: workflow: expected a JSON object, got an array$/],
    ['bad-node-field.json', /bad-node-field\.json: workflow: nodes\[1\]\.pos: expected an array of 2 numbers$/],
    ['future-format.json', /future-format\.json: extra\.disco\.formatVersion is 99, but this version of Disco Nodes reads formatVersion 2 at most/],
    ['duplicate-ids.json', /duplicate-ids\.json: workflow: nodes\[3\]\.id: duplicate node id 3 \(also nodes\[2\]\)$/],
    ['link-to-missing-node.json', /node 3 "Resize to Working Size" \(disco\/resize-to-working\): input "lab" comes from node 2, which does not exist$/],
    ['cycle.json', /cycle\.json: node \d "[^"]+" \(disco\/[a-z-]+\): is part of a cycle: .* -> .* -> .* -> /],
    ['param-out-of-range.json', /param-out-of-range\.json: node 3 "Resize to Working Size" \(disco\/resize-to-working\): parameter "size" is 4096, above the maximum 1024$/],
    ['param-wrong-type.json', /param-wrong-type\.json: node 3 .*: parameter "keepAspect" must be true or false, got "yes"$/],
    ['string-for-number.json', /string-for-number\.json: node 3 .*: parameter "size" must be a finite number, got "64"$/],
    ['unknown-node-type.json', /the workflow uses node types this version of Disco Nodes does not have: acme\/sharpen$/],
    ['broken-chunk.png', /broken-chunk\.png: not JSON at line \d+, column \d+ \(.+\)$/],
  ];
  for (const [file, message] of refused) {
    it(`refuses ${file}`, async () => expectRefused(await run(file), message));
  }

  it('runs valid.json, the base every bad file was made from', async () => {
    const r = await run('valid.json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('(64x64)');
  });

  it('keeps an unknown node as a placeholder: inspect lists it, marked not installed', async () => {
    const r = await disco(['inspect', join(BAD, 'workflows', 'unknown-node-type.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {2}3 acme\/sharpen \(acme\/sharpen, NOT INSTALLED\)$/m);
    expect(r.stdout).toMatch(/missing node types: acme\/sharpen/);
  });

  it('refuses a workflow over the 16 MiB size limit before parsing it', async () => {
    const path = join(tmp(), 'huge.json'); // too big to commit, so made here
    writeFileSync(path, `{"version": 1, "padding": "${'x'.repeat(17 * 1024 * 1024)}"}`);
    expectRefused(await disco(['run', path]), /huge\.json: workflow is too large: 17\.0 MiB \(\d+ bytes\), the limit is 16\.0 MiB$/);
  });
});

describe.concurrent('hostile workflows', () => {
  const wf = (file: string) => join(BAD, 'workflows', file);
  const refused: [file: string, message: RegExp][] = [
    ['deep-nesting.json', /deep-nesting\.json: not JSON at line \d+, column \d+ \(nested more than 100 levels deep\)$/],
    ['prompt-tostring.png', /prompt-tostring\.png: prompt\.2\.inputs\.image: links to node toString, which is not in the prompt$/],
    ['long-prefix.json', /long-prefix\.json: node 5 "Save Image" \(disco\/save-image\): filename_prefix is too long: 300 characters, the limit is 120 bytes \(UTF-8\)$/],
    ['control-prefix.json', /control-prefix\.json: node 5 "Save Image" \(disco\/save-image\): filename_prefix must not contain control characters$/],
  ];
  for (const [file, message] of refused) {
    it(`refuses ${file} before running anything`, async () => {
      const r = await disco(['run', wf(file), '-o', join(tmp(), 'out.png')]);
      expectRefused(r, message);
      expect(r.stderr).not.toMatch(/^\[\d+\/\d+\]/m); // no node ran
    });
  }

  for (const [file, damage] of [['cycle.json', /is part of a cycle/], ['link-to-missing-node.json', /input "lab" comes from node 2, which does not exist/]] as const) {
    it(`inspect lists ${file}, then exits 1 naming the damage`, async () => {
      const r = await disco(['inspect', wf(file)]);
      expect(r.stdout).toMatch(/^nodes \(\d\):$/m);
      expect(r.stdout).toMatch(/^damaged \(1\):$/m);
      expectRefused(r, new RegExp(`${file.replace('.', '\\.')}: the workflow is damaged: node \\d "[^"]+" \\(disco/[a-z-]+\\): ${damage.source}`));
    });
  }

  it('inspect says a plain ComfyUI file was not saved by Disco Nodes, and lists its Note as not installed', async () => {
    const r = await disco(['inspect', join(REPO, 'test/fixtures/comfyui/schema-1.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^not saved by Disco Nodes \(no extra\.disco\.appVersion\): read as a ComfyUI\/litegraph workflow$/m);
    expect(r.stdout).not.toMatch(/saved by Disco Nodes unknown/);
    expect(r.stdout).toMatch(/^ {2}note-1 Note \(Note, NOT INSTALLED\)$/m);
  });

  it('refuses a 1 MB filename prefix before running, in one short line', async () => {
    const big = JSON.parse(readFileSync(wf('valid.json'), 'utf8'));
    big.nodes.find((n: { id: number }) => n.id === 5).properties.params.filename_prefix = 'p'.repeat(1 << 20);
    const path = join(tmp(), 'big-prefix.json'); // 1 MB: too big for a command-line argument
    writeFileSync(path, JSON.stringify(big));
    const r = await disco(['run', path], { cwd: tmp() });
    expectRefused(r, /filename_prefix is too long: 1048576 characters, the limit is 120 bytes \(UTF-8\)$/);
    expect(r.stderr.length).toBeLessThan(1000);
    expect(r.stderr).not.toMatch(/^\[\d+\/\d+\]/m);
  });

  it('runs proto-ids.json (node ids __proto__, constructor, toString, ...) and inspect lists every node', async () => {
    const out = join(tmp(), 'out.png');
    const r = await disco(['run', wf('proto-ids.json'), '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) expect(r.stderr).toMatch(new RegExp(`^\\[\\d/5\\] ${id} .*: \\d+ ms$`, 'm'));
    expect(r.stderr).toContain('wrote');
    const inspect = await disco(['inspect', out]); // the PNG it wrote, workflow embedded
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(inspect.stdout).toMatch(/^nodes \(5\):$/m);
    expect(inspect.stdout).toMatch(/^ {6}image <- __proto__\.image$/m);
    expect(inspect.stdout).toMatch(/^ {6}lab <- toString\.lab$/m);
    // Without --output the Save Image node (id valueOf) writes <prefix>_00001.png.
    const cwd = tmp();
    const saved = await disco(['run', wf('proto-ids.json')], { cwd });
    expect(saved.code, saved.stderr).toBe(0);
    expect(readdirSync(cwd)).toEqual(['bad-fixture_00001.png']);
  }, 180_000); // three runs of the CLI

  it('escapes control characters of terminal-escapes.json in inspect, progress lines and errors', async () => {
    const inspect = await disco(['inspect', wf('terminal-escapes.json')]);
    expect(inspect.code, inspect.stderr).toBe(0);
    const run = await disco(['run', wf('terminal-escapes.json'), '-o', join(tmp(), 'out.png')]);
    expect(run.code, run.stderr).toBe(0);
    // An error quoting a title: the cycle check of a graph whose titles hold escapes.
    const broken = JSON.parse(readFileSync(wf('terminal-escapes.json'), 'utf8'));
    broken.nodes = broken.nodes.filter((n: { id: number }) => n.id !== 2);
    const path = join(tmp(), 'broken.json');
    writeFileSync(path, JSON.stringify(broken));
    const failed = await disco(['run', path]);
    expect(failed.code).toBe(1);
    for (const text of [inspect.stdout, run.stderr, failed.stderr]) {
      expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/); // nothing but newlines
      expect(text).not.toMatch(/^disco: all good/m);
    }
    expect(inspect.stdout).toContain('1 \\x1b[2J\\x1b[Hcleared (disco/load-image)');
    expect(inspect.stdout).toContain('5 Save \\u202egnp.exe\\x9b31m (disco/save-image)');
    expect(run.stderr).toContain('[2/5] 2 \\x1b]0;window title\\x07: ');
    expect(failed.stderr).toMatch(/^disco: node 3 "\\u001b\]52;c;cm0gLXJmIH4=\\u0007clip" \(disco\/resize-to-working\): input "lab" comes from node 2, which does not exist$/m);
  }, 180_000); // three runs of the CLI
});

describe.concurrent('broken model sets', () => {
  const run = (set: string) => disco(['run', join(BAD, 'models', 'load-model-set.json'), '--models-dir', join(BAD, 'models'), '--set', `1.set=${set}`]);
  const refused: [set: string, message: RegExp][] = [
    ['missing-file', /node 1 "Load Model Set" \(disco\/load-model-set\): .*missing-file\/spixelnet\.onnx: cannot read the model file \(ENOENT\)$/],
    ['sha-mismatch', /sha-mismatch\/spixelnet\.onnx: SHA-256 mismatch, the manifest says [0-9a-f]{64} but the file hashes to [0-9a-f]{64}/],
    ['wrong-inputs', /model set "wrong-inputs" stage "spixelnet" \(spixelnet\.onnx\): the ONNX graph's inputs \[image\] do not match the spixelnet contract \[gray\]/],
    ['missing-stage', /missing-stage\/manifest\.json: model set "missing-stage" has no "backbone" stage \(it has spixelnet\)$/],
    ['no-such-set', /model set "no-such-set" not found: .*no-such-set\/manifest\.json does not exist \(sets in .*: missing-file, missing-stage, sha-mismatch, wrong-inputs\)$/],
  ];
  for (const [set, message] of refused) {
    it(`refuses the ${set} set`, async () => expectRefused(await run(set), message));
  }

  it('warns when the loaded weights are not the ones the workflow records (file and manifest both replaced)', async () => {
    // The workflow says it was made with other disco-lite spixelnet weights than the ones installed.
    const wf = JSON.parse(readFileSync(join(BAD, 'models', 'load-model-set.json'), 'utf8'));
    wf.extra.disco.models = [{ set: 'disco-lite', stage: 'spixelnet', file: 'spixelnet.onnx', sha256: '0'.repeat(64) }];
    const path = join(tmp(), 'drift.json');
    writeFileSync(path, JSON.stringify(wf));
    const r = await disco(['run', path, '--set', '1.set=disco-lite']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warning: model set "disco-lite" stage "spixelnet": the workflow was made with spixelnet\.onnx sha256 000000000000…, but spixelnet\.onnx loaded with sha256 [0-9a-f]{12}…: these are other weights, results may differ$/m);
    expect(r.stderr.match(/^warning: /gm)).toHaveLength(1); // the other stages are not recorded: nothing to compare
  });
});

it('has a test for every file in the corpus', () => {
  const files = [
    ...readdirSync(join(BAD, 'images')), ...readdirSync(join(BAD, 'workflows')),
    ...readdirSync(join(BAD, 'models')).filter((n) => !n.endsWith('.json')), // the model sets by name
  ];
  const source = readFileSync(new URL(import.meta.url), 'utf8');
  expect(files.filter((f) => !source.includes(`'${f}'`))).toEqual([]);
});
