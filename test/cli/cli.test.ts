/** The disco command as a user meets it: exit codes, one-line errors, inspect, PNG round trip. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { disco } from './helpers.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'disco-cli-'));
const oneLine = (stderr: string) => {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace without --verbose
};

describe('disco CLI', () => {
  it('prints usage and exits 2 without a command', async () => {
    const r = await disco([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/disco colorize <image>/);
  });

  it('exits 2 with a one-line message for usage mistakes', async () => {
    const r = await disco(['paint']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^disco: unknown command "paint"/);
    const s = await disco(['run', 'workflows/user-guided.json', '--set', 'nonsense']);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/--set expects <nodeId>.<param>=<value>/);
    const t = await disco(['run', 'workflows/user-guided.json', '--set', '9.nope=1']);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/disco\/propagate-anchors has no parameter "nope" \(it has: sigma, iterations\)/);
  });

  it('exits 1 with one line naming the problem for a missing or broken workflow', async () => {
    const missing = await disco(['run', 'no-such.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^disco: no-such.json: cannot read the workflow \(ENOENT\)/);
    oneLine(missing.stderr);
    const dir = tmp();
    writeFileSync(join(dir, 'bad.json'), '{"version": 1, nodes: ');
    const bad = await disco(['run', join(dir, 'bad.json')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.json: not JSON/);
    oneLine(bad.stderr);
  });

  it('names the node and parameter when a value is out of range', async () => {
    const r = await disco(['run', 'workflows/user-guided.json', '--set', '6.cell=999']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/node 6 .*disco\/slic-affinity.*parameter "cell" is 999, above the maximum 64/);
  });

  it('names the file when the input image cannot be read, and --verbose adds the stack', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'notes.png'), 'this is text');
    const r = await disco(['run', 'workflows/user-guided.json', '--input', join(dir, 'notes.png'), '-o', join(dir, 'o.png')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/notes\.png: not a readable image/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const v = await disco(['run', 'workflows/user-guided.json', '--input', join(dir, 'notes.png'), '--verbose']);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/\n\s+at /);
  });

  it('inspects a workflow, writes a PNG that embeds it, and runs and inspects that PNG', async () => {
    const ins = await disco(['inspect', 'workflows/user-guided.json']);
    expect(ins.code).toBe(0);
    expect(ins.stdout).toMatch(/6 SLIC Affinity \(disco\/slic-affinity\)/);
    expect(ins.stdout).toMatch(/cell = 16/);
    expect(ins.stdout).toMatch(/anchors <- 8\.anchors/);

    const dir = tmp();
    const out = join(dir, 'out.png');
    const run = await disco(['run', 'workflows/user-guided.json', '--set', '9.sigma=12', '-o', out]);
    expect(run.code, run.stderr).toBe(0);
    const fromPng = await disco(['inspect', out]);
    expect(fromPng.code).toBe(0);
    expect(fromPng.stdout).toMatch(/sigma = 12/);
    // The image path inside is absolute after --input/relative resolution, so the PNG re-runs anywhere.
    const again = await disco(['run', out, '-o', join(dir, 'again.png')], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
  });

  it('without --output writes each Save Image result as <prefix>_NNNNN.png, never overwriting', async () => {
    const dir = tmp();
    for (const n of [1, 2]) {
      const r = await disco(['run', `${process.cwd()}/workflows/user-guided.json`], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`wrote user-guided_0000${n}\\.png \\(451x300\\)`));
    }
  });
});
