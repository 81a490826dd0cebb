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
});
