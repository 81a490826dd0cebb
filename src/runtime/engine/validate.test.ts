import { describe, expect, it } from 'vitest';
import type { ExecGraph } from '../workflow/exec-format.ts';
import { makeToys } from './toy-nodes.fixture.ts';
import { GraphValidationError, validateGraph } from './validate.ts';

const { registry } = makeToys();
const check = (g: ExecGraph) => validateGraph(g, registry);

describe('validateGraph', () => {
  it('accepts a valid graph, filling missing params with defaults', () => {
    expect(check({
      1: { type: 'toy/num', inputs: {} },
      2: { type: 'toy/add', inputs: { a: ['1', 0], k: 3 } },
      3: { type: 'toy/to-str', inputs: { n: ['2', 0] } },
      4: { type: 'toy/show', inputs: { s: ['3', 0] } },
    })).toEqual([]);
  });

  it('reports an unknown node type', () => {
    expect(check({ 1: { type: 'toy/nope', inputs: {}, title: 'Mystery' } })).toEqual([{
      nodeId: '1', kind: 'unknown-type', message: 'node 1 "Mystery" (toy/nope): unknown node type "toy/nope" (is a node pack missing?)',
    }]);
  });

  it('reports a required input left unconnected, but not an optional one', () => {
    expect(check({ 2: { type: 'toy/add', inputs: {} } })).toEqual([{
      nodeId: '2', kind: 'missing-input', message: 'node 2 (toy/add): required input "a" (NUM) is not connected',
    }]);
  });

  it('reports a port type mismatch', () => {
    const issues = check({
      1: { type: 'toy/num', inputs: {} },
      2: { type: 'toy/show', inputs: { s: ['1', 0] } },
    });
    expect(issues).toEqual([{
      nodeId: '2', kind: 'type-mismatch', message: 'node 2 (toy/show): input "s" expects STR, but node 1 (toy/num) output "n" gives NUM',
    }]);
  });

  it('reports a cycle with its path in data-flow order', () => {
    const issues = check({
      1: { type: 'toy/add', inputs: { a: ['3', 0] } },
      2: { type: 'toy/add', inputs: { a: ['1', 0] } },
      3: { type: 'toy/add', inputs: { a: ['2', 0] } },
      4: { type: 'toy/add', inputs: { a: ['4', 0] } },
    });
    expect(issues.map((i) => i.kind)).toEqual(['cycle', 'cycle']);
    expect(issues[0].message).toBe('node 1 (toy/add): is part of a cycle: node 1 (toy/add) -> node 2 (toy/add) -> node 3 (toy/add) -> node 1 (toy/add)');
    expect(issues[1].message).toBe('node 4 (toy/add): is part of a cycle: node 4 (toy/add) -> node 4 (toy/add)');
  });

  it('reports parameters out of range, as in the docs example', () => {
    expect(check({ 7: { type: 'toy/add', inputs: { a: ['1', 0], k: 20 } }, 1: { type: 'toy/num', inputs: {} } })).toEqual([{
      nodeId: '7', kind: 'param-range', message: 'node 7 (toy/add): parameter "k" is 20, above the maximum 10',
    }]);
  });

  it('reports the NodeDef validate() message as a range problem, only when each param is well-formed', () => {
    expect(check({ 1: { type: 'toy/range', inputs: { lo: 5, hi: 2 } } })).toEqual([{
      nodeId: '1', kind: 'param-range', message: 'node 1 (toy/range): lo (5) must be below hi (2)',
    }]);
    expect(check({ 1: { type: 'toy/range', inputs: { lo: 'x', hi: 2 } } }).map((i) => i.kind)).toEqual(['param-type']);
  });

  it('reports parameters of the wrong type, links in parameters and non-JSON values', () => {
    const issues = check({
      1: { type: 'toy/add', inputs: { a: ['2', 0], k: 1.5 } },
      2: { type: 'toy/num', inputs: { value: 'high' } },
      3: { type: 'toy/range', inputs: { lo: ['2', 0], meta: { t: new Float32Array(1) } } },
    });
    expect(issues).toEqual([
      { nodeId: '1', kind: 'param-type', message: 'node 1 (toy/add): parameter "k" must be a whole number, got 1.5' },
      { nodeId: '2', kind: 'param-type', message: 'node 2 (toy/num): parameter "value" must be a finite number, got "high"' },
      { nodeId: '3', kind: 'param-type', message: 'node 3 (toy/range): parameter "lo" is connected to a link, but parameters take plain values' },
      { nodeId: '3', kind: 'param-type', message: expect.stringContaining('node 3 (toy/range): parameter "meta".t is a Float32Array') },
    ]);
  });

  it('reports links to missing nodes, missing slots and non-link input values', () => {
    const issues = check({
      1: { type: 'toy/num', inputs: {} },
      2: { type: 'toy/add', inputs: { a: ['9', 0] } },
      3: { type: 'toy/add', inputs: { a: ['1', 2] } },
      4: { type: 'toy/add', inputs: { a: 5 } },
    });
    expect(issues).toEqual([
      { nodeId: '2', kind: 'bad-link', message: 'node 2 (toy/add): input "a" links to node 9, which does not exist' },
      { nodeId: '3', kind: 'bad-link', message: 'node 3 (toy/add): input "a" links to output slot 2 of node 1 (toy/num), which has outputs 0 "n"' },
      { nodeId: '4', kind: 'bad-link', message: 'node 4 (toy/add): input "a" must be a link [nodeId, outputSlot], got 5' },
    ]);
  });

  it('reports names that are neither inputs nor parameters', () => {
    expect(check({ 1: { type: 'toy/num', inputs: { valeu: 3 } } })).toEqual([{
      nodeId: '1', kind: 'unknown-input', message: 'node 1 (toy/num): "valeu" is neither an input nor a parameter of toy/num (it has: parameter value)',
    }]);
  });

  it('checks only the nodes asked for', () => {
    const g: ExecGraph = { 1: { type: 'toy/num', inputs: {} }, 2: { type: 'toy/nope', inputs: {} } };
    expect(validateGraph(g, registry, ['1'])).toEqual([]);
    expect(validateGraph(g, registry).map((i) => i.nodeId)).toEqual(['2']);
  });

  it('GraphValidationError lists the issues one per line', () => {
    const issues = check({ 1: { type: 'toy/nope', inputs: {} }, 2: { type: 'toy/add', inputs: {} } });
    const err = new GraphValidationError(issues);
    expect(err.issues).toBe(issues);
    expect(err.message.split('\n')).toEqual([
      'the graph is not valid (2 problems):',
      '  node 1 (toy/nope): unknown node type "toy/nope" (is a node pack missing?)',
      '  node 2 (toy/add): required input "a" (NUM) is not connected',
    ]);
  });
});
