/**
 * Fuzzing the workflow path: seeded mutations of the files in workflows/ (deleted, duplicated and
 * unknown nodes, corrupt links, cycles, wrong types, random and out-of-range parameters, strings for
 * numbers, huge numbers, truncated JSON) go through load -> toExecGraph -> validate -> run. Each case
 * must either succeed or fail with a WorkflowFormatError, a GraphValidationError, or node errors that
 * name the node; never an uncaught exception or a JavaScript TypeError/RangeError. Mutations include
 * string node ids named like Object.prototype members, hostile strings (HTML, terminal escapes) in
 * every text field and JSON nested thousands deep; every fourth case goes through a PNG (the
 * `workflow` chunk, or a `prompt` linking to missing or prototype-named nodes). A sample of cases also
 * goes through the real CLI (`disco inspect`, `disco run`): exit 0 or 1, one line naming the problem,
 * no stack trace, no raw control character.
 * Set FUZZ_SEED to reproduce or vary a run; FUZZ_CASES to change the count (default 240).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allNodes } from '../../src/nodes/index.ts';
import { createCpuBackend } from '../../src/runtime/backends/cpu/cpu-backend.ts';
import type { HostIO } from '../../src/runtime/engine/context.ts';
import { Executor } from '../../src/runtime/engine/executor.ts';
import { NodeRegistry } from '../../src/runtime/engine/registry.ts';
import { GraphValidationError, validateGraph } from '../../src/runtime/engine/validate.ts';
import type { ImageValue } from '../../src/runtime/values/types.ts';
import { WorkflowFormatError } from '../../src/runtime/workflow/errors.ts';
import { loadWorkflow, type LoadResult } from '../../src/runtime/workflow/load.ts';
import { loadWorkflowFromPng, writePngChunks, writePngTextChunks } from '../../src/runtime/workflow/png-chunks.ts';
import { toExecGraph } from '../../src/runtime/workflow/to-exec.ts';
import { disco, REPO } from '../cli/helpers.ts';
import { mulberry32 } from '../helpers/prng.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const CASES = Number(process.env.FUZZ_CASES ?? 240);
/** Runs (not just validations) are capped so the test stays well under a minute. */
const MAX_RUNS = 80;

const prng = mulberry32;

type Json = any; // mutated JSON: any shape at all
const registry = new NodeRegistry(allNodes);
const WEIRD: unknown[] = [
  'NaN', 'Infinity', '-1', '1e999', '', '16', 'true', '<img src=x onerror=alert(1)>', 'constructor', '__proto__',
  1e308, -1e308, 2 ** 53 + 1, -1, 0, 0.5, 1e9, -0, true, false, null, {}, [], [1, 2], { __proto__: { x: 1 } }, ['1', 0], ['999', 0],
];

/** Text that is markup in a page or drives a terminal when printed raw. */
const HOSTILE = [
  '<img src=x onerror=alert(1)>', '\x1b]0;title\x07', '\x1b[2J\x1b[H', '\x1b]52;c;aGk=\x07', 'ok\ndisco: all good', '\u202eevil', '\x9b31m', '__proto__', 'constructor',
];

function mutator(rand: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const nodeOf = (wf: Json) => (Array.isArray(wf.nodes) && wf.nodes.length ? pick(wf.nodes as Json[]) : undefined);
  const paramsOf = (n: Json): Record<string, unknown> | undefined => n?.properties?.params;

  const mutations: Record<string, (wf: Json) => void> = {
    deleteNode: (wf) => { wf.nodes.splice(Math.floor(rand() * wf.nodes.length), 1); },
    duplicateNode: (wf) => { const n = nodeOf(wf); if (n) wf.nodes.push(structuredClone(n)); },
    unknownType: (wf) => { const n = nodeOf(wf); if (n) n.type = pick(['acme/unknown', 'disco/not-a-node', '', 42]); },
    corruptLink: (wf) => {
      const l = wf.links?.length ? pick(wf.links as Json[]) : undefined;
      if (l) l[pick(['origin_id', 'target_id', 'origin_slot', 'target_slot', 'id', 'type'])] = pick(WEIRD.concat([9999, 3, 'IMAGE']));
    },
    danglingInput: (wf) => {
      const n = nodeOf(wf);
      if (n?.inputs?.length) pick(n.inputs as Json[]).link = pick([9999, 0, -1, 'x', 1.5]);
    },
    cycle: (wf) => {
      // A link from a late node back into an early node's input of any type.
      const from = wf.nodes[wf.nodes.length - 1];
      const to = wf.nodes.find((n: Json) => n.inputs?.length);
      if (!from || !to) return;
      const id = 1000 + Math.floor(rand() * 1000);
      wf.links.push({ id, origin_id: from.id, origin_slot: 0, target_id: to.id, target_slot: 0, type: to.inputs[0].type });
      to.inputs[0].link = id;
    },
    randomParam: (wf) => {
      const p = paramsOf(nodeOf(wf));
      const names = p ? Object.keys(p) : [];
      if (p && names.length) p[pick(names)] = pick(WEIRD);
    },
    stringForNumber: (wf) => {
      for (const n of wf.nodes) {
        const p = paramsOf(n);
        for (const k of Object.keys(p ?? {})) if (typeof p![k] === 'number' && rand() < 0.5) p![k] = String(p![k]);
      }
    },
    outOfRange: (wf) => {
      const p = paramsOf(nodeOf(wf));
      for (const k of Object.keys(p ?? {})) if (typeof p![k] === 'number') p![k] = pick([-5, 1e6, 1e15, 0.123]);
    },
    widgetsOnly: (wf) => {
      // Drop the by-name params so widgets_values (mutated) are used instead.
      const n = nodeOf(wf);
      if (!n) return;
      delete n.properties?.params;
      if (Array.isArray(n.widgets_values)) n.widgets_values = n.widgets_values.map((v: unknown) => (rand() < 0.5 ? pick(WEIRD) : v));
    },
    wrongFieldType: (wf) => {
      const n = nodeOf(wf);
      if (n) n[pick(['pos', 'size', 'mode', 'inputs', 'outputs', 'properties', 'flags', 'order', 'id', 'widgets_values'])] = pick(WEIRD);
    },
    wrongTopLevel: (wf) => { wf[pick(['nodes', 'links', 'state', 'version', 'extra', 'groups'])] = pick(WEIRD); },
    formatVersion: (wf) => { if (wf.extra?.disco) wf.extra.disco.formatVersion = pick([0, 1, 3, 99, 1.5, '2', null]); },
    mode: (wf) => { const n = nodeOf(wf); if (n) n.mode = pick([0, 1, 2, 3, 4, 5, -1]); },
    stringIds: (wf) => {
      // Every node id becomes a string, some named like Object.prototype members; links follow.
      const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'node-a', '0', 'x y'];
      const ids = new Map<unknown, string>((wf.nodes as Json[]).map((n, i) => [n.id, names[i] ?? `n${i}`]));
      for (const n of wf.nodes) n.id = ids.get(n.id);
      for (const l of wf.links ?? []) { l.origin_id = ids.get(l.origin_id) ?? l.origin_id; l.target_id = ids.get(l.target_id) ?? l.target_id; }
    },
    hostileStrings: (wf) => {
      const hostile = pick(HOSTILE);
      const n = nodeOf(wf);
      if (!n) return;
      const field = pick(['title', 'type', 'property', 'slot', 'group', 'link', 'extra']);
      if (field === 'title') n.title = hostile;
      else if (field === 'type') n.type = hostile;
      else if (field === 'property') (n.properties ??= {})[hostile] = hostile;
      else if (field === 'slot' && n.inputs?.length) pick(n.inputs as Json[]).name = hostile;
      else if (field === 'group') wf.groups = [{ id: 1, title: hostile, bounding: [0, 0, 10, 10], [hostile]: hostile }];
      else if (field === 'link' && wf.links?.length) pick(wf.links as Json[]).type = hostile;
      else (wf.extra ??= {})[hostile] = hostile;
    },
  };
  const names = Object.keys(mutations);

  /** 1-3 structural mutations, then sometimes a text-level one (truncation, or huge numbers). */
  return (base: Json): { text: string; applied: string[] } => {
    const wf = structuredClone(base);
    const applied: string[] = [];
    const count = 1 + Math.floor(rand() * 3);
    for (let i = 0; i < count; i++) {
      const name = pick(names);
      applied.push(name);
      try {
        mutations[name](wf);
      } catch {
        // A mutation may not apply to an already mutated shape; the workflow is what it is.
      }
    }
    let text = JSON.stringify(wf, null, 1);
    const r = rand();
    if (r < 0.08) {
      text = text.slice(0, Math.floor(rand() * text.length));
      applied.push('truncate');
    } else if (r < 0.14) {
      text = text.replace(/: (\d+)(,?)$/m, ': 1e400$2');
      applied.push('hugeNumberText');
    } else if (r < 0.18) {
      text = text.replace('{', `{"deep": ${'['.repeat(4000)}${']'.repeat(4000)},`);
      applied.push('deepNesting');
    }
    return { text, applied };
  };
}

/** A tiny gray image for every Load Image, so runs are fast and need no files. */
const tinyIo: HostIO = {
  async loadImage(): Promise<ImageValue> {
    const width = 24, height = 16;
    const data = new Uint8ClampedArray(width * height * 4);
    for (let p = 0; p < width * height; p++) data.set([p % 97 + 60, p % 97 + 60, p % 97 + 60, 255], p * 4);
    return { width, height, data };
  },
  async fingerprint(ref) {
    return `tiny:${ref}`;
  },
};

/** A 1x1 gray PNG to carry workflows in text chunks. */
const tinyPng = (() => {
  const ihdr = new Uint8Array([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  return writePngChunks([{ type: 'IHDR', data: ihdr }, { type: 'IDAT', data: new Uint8Array(deflateSync(Buffer.from([0, 128]))) }, { type: 'IEND', data: new Uint8Array() }]);
})();

/** Messages a real crash produces (a bug), as opposed to a validation message written for users. */
const CRASH = /Cannot read prop|Cannot set prop|is not a function|is not iterable|is not defined|Invalid array length|Maximum call stack|Cannot convert|Invalid typed array length/;

function bases(): { name: string; wf: Json }[] {
  const dir = join(REPO, 'workflows');
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => {
    const wf = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    // Keep runs small: working size 32 and few iterations (the mutations may still change them).
    for (const n of wf.nodes) {
      const p = n.properties?.params;
      if (n.type === 'disco/resize-to-working') p.size = 32;
      if (n.type === 'disco/propagate-anchors') p.iterations = 10;
      if (n.type === 'disco/slic-affinity') p.iterations = 1;
    }
    return { name: f, wf };
  });
}

/** The base's exec graph as a PNG `prompt`, with one input linked to a missing or prototype-named node. */
function promptOf(wf: Json, rand: () => number): string {
  const { graph } = toExecGraph(loadWorkflow(JSON.stringify(wf), { registry }).workflow, registry);
  const plain = JSON.parse(JSON.stringify(graph));
  const withInputs = Object.values(plain).filter((n: Json) => Object.values(n.inputs).some(Array.isArray)) as Json[];
  const node = withInputs[Math.floor(rand() * withInputs.length)];
  if (node) {
    const name = Object.keys(node.inputs).find((k) => Array.isArray(node.inputs[k]))!;
    node.inputs[name] = [['toString', '__proto__', 'constructor', '999'][Math.floor(rand() * 4)], 0];
  }
  return JSON.stringify(plain);
}

describe('workflow fuzzing', () => {
  it(`${CASES} mutated workflows (seed ${SEED}) load, validate and run, or fail with a clear error`, async () => {
    const rand = prng(SEED);
    const mutate = mutator(rand);
    const all = bases();
    const executor = new Executor({ registry });
    const backend = createCpuBackend();
    const tally = { formatError: 0, invalid: 0, ran: 0, ranWithNodeErrors: 0, skippedSlow: 0, validNotRun: 0 };
    let runs = 0;

    for (let i = 0; i < CASES; i++) {
      const base = all[i % all.length];
      const { text, applied } = mutate(base.wf);
      const where = `case ${i} (seed ${SEED}, ${base.name}, ${applied.join('+')})`;
      try {
        let loaded: LoadResult;
        if (i % 4 === 3) {
          // Through a PNG: the workflow chunk, or (every other time) only a prompt with hostile links.
          const prompt = i % 8 === 7 ? promptOf(base.wf, rand) : undefined;
          const png = writePngTextChunks(tinyPng, prompt ? { prompt } : { workflow: text });
          loaded = loadWorkflowFromPng(png, { registry, newId: () => 'fuzz' });
        } else loaded = loadWorkflow(text, { registry, newId: () => 'fuzz' });
        const { workflow } = loaded;
        const { graph } = toExecGraph(workflow, registry);
        const issues = validateGraph(graph, registry);
        for (const issue of issues) {
          expect(issue.message, where).toMatch(/^node \S+/);
          expect(issue.message, where).not.toMatch(CRASH);
        }
        if (issues.length) {
          tally.invalid++;
          continue;
        }
        const slow = Object.values(graph).some((n) => n.type === 'disco/resize-to-working' && Number(n.inputs.size) > 64
          || n.type === 'disco/propagate-anchors' && Number(n.inputs.iterations) > 50
          || n.type === 'disco/slic-affinity' && Number(n.inputs.iterations) > 3);
        if (slow || runs >= MAX_RUNS) {
          tally[slow ? 'skippedSlow' : 'validNotRun']++;
          continue;
        }
        runs++;
        const result = await executor.run(graph, { backend, io: tinyIo }).catch((e: unknown) => {
          // Targets that are invalid while the whole graph is valid cannot happen; anything else is a bug.
          if (e instanceof GraphValidationError) return undefined;
          throw e;
        });
        if (!result) continue;
        tally.ran++;
        if (result.errors.length) tally.ranWithNodeErrors++;
        for (const err of result.errors) {
          expect(err.message, where).toMatch(/^node \S+/);
          expect(err.message, where).not.toMatch(CRASH);
        }
      } catch (e) {
        if (e instanceof WorkflowFormatError) {
          expect(e.message, where).not.toMatch(CRASH);
          tally.formatError++;
          continue;
        }
        throw new Error(`${where}: uncaught ${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack}`);
      }
    }
    // Every kind of outcome happened, so the fuzzer exercises each stage.
    expect(tally.formatError, JSON.stringify(tally)).toBeGreaterThan(10);
    expect(tally.invalid, JSON.stringify(tally)).toBeGreaterThan(10);
    expect(tally.ran, JSON.stringify(tally)).toBeGreaterThan(5);
    console.log(`workflow fuzz (seed ${SEED}): ${JSON.stringify(tally)}`);
  }, 120_000);

  it('a sample of mutated workflows through the real CLI: inspect and run exit 0 or 1 with one clean line', async () => {
    const rand = prng(SEED + 1);
    const mutate = mutator(rand);
    const all = bases().filter((b) => b.name === 'user-guided.json'); // needs no model set
    const dir = mkdtempSync(join(tmpdir(), 'disco-fuzz-cli-'));
    const cases = Array.from({ length: 4 }, (_, i) => {
      const { text, applied } = mutate(all[0].wf);
      const path = join(dir, `case${i}.json`);
      writeFileSync(path, text);
      return { path, where: `CLI case ${i} (seed ${SEED + 1}, ${applied.join('+')})` };
    });
    const results = await Promise.all(cases.flatMap(({ path, where }) => [
      disco(['inspect', path]).then((r) => ({ r, where: `${where} inspect` })),
      disco(['run', path, '--input', join(REPO, 'test/fixtures/bad/images/gray.png'), '-o', join(dir, 'out.png')]).then((r) => ({ r, where: `${where} run` })),
    ]));
    for (const { r, where } of results) {
      expect([0, 1], `${where}: ${r.stderr}`).toContain(r.code);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('disco: '));
      expect(errors.length, `${where}: ${r.stderr}`).toBe(r.code === 1 ? 1 : 0);
      expect(r.stderr, where).not.toMatch(/\n\s+at /);
      expect(r.stderr + r.stdout, where).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
      expect(r.stderr, where).not.toMatch(CRASH);
    }
  }, 300_000);
});
