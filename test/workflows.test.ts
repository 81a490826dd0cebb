import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exampleWorkflows } from '../scripts/make-workflows.ts';
import { serializeWorkflow } from '../src/runtime/workflow/load.ts';

describe('example workflows', () => {
  it('are exactly what scripts/make-workflows.ts writes (regenerate after changing a node)', () => {
    for (const [name, wf] of Object.entries(exampleWorkflows())) {
      const committed = readFileSync(new URL(`../workflows/${name}`, import.meta.url), 'utf8');
      expect(committed, `workflows/${name} is stale: run "npx tsx scripts/make-workflows.ts"`).toBe(serializeWorkflow(wf));
    }
  });

  it('read in lanes: every node in one titled group, no overlaps, links run right or down their lane', () => {
    for (const [name, wf] of Object.entries(exampleWorkflows())) {
      const box = new Map(wf.nodes.map((n) => [n.id, { l: n.pos[0], t: n.pos[1] - 30, r: n.pos[0] + n.size[0], b: n.pos[1] + n.size[1] }]));
      const lane = new Map(wf.nodes.map((n) => {
        const b = box.get(n.id)!;
        const lanes = (wf.groups ?? []).map((g, i) => ({ g: g.bounding, i })).filter(({ g }) => b.l >= g[0] && b.t >= g[1] && b.r <= g[0] + g[2] && b.b <= g[1] + g[3]);
        expect(lanes, `${name}: node ${n.id} in one lane`).toHaveLength(1);
        return [n.id, lanes[0]!.i];
      }));
      const boxes = [...box];
      for (const [i, [a, p]] of boxes.entries()) {
        for (const [b, q] of boxes.slice(i + 1)) expect(p.l < q.r && q.l < p.r && p.t < q.b && q.t < p.b, `${name}: nodes ${a} and ${b} overlap`).toBe(false);
      }
      for (const l of wf.links ?? []) {
        const [from, to] = [l.origin_id, l.target_id];
        const right = lane.get(to)! > lane.get(from)!;
        const down = lane.get(to) === lane.get(from) && box.get(to)!.t > box.get(from)!.b;
        expect(right || down, `${name}: link ${from} -> ${to} runs left or up`).toBe(true);
      }
    }
  });
});
