import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allNodes } from '../src/nodes/index.ts';

describe('README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  it('lists every node type', () => {
    const missing = allNodes.map((d) => d.id).filter((id) => !readme.includes(`\`${id}\``));
    expect(missing, 'add these nodes to the README "Nodes" table').toEqual([]);
  });

  it('has the two quick-start commands', () => {
    expect(readme).toMatch(/npm run setup && npx disco colorize examples\/chelsea-gray\.png -o chelsea-color\.png\nnpm test\n/);
  });
});
