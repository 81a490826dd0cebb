/**
 * Checks an ExecGraph against the registry before anything runs, and says what is wrong in words
 * a user can act on: which node, which port or parameter, and what was expected.
 */
import { isLinkRef, nodeOf, type ExecGraph } from '../workflow/exec-format.ts';
import { canonicalJson, NonJsonError } from './cache-key.ts';
import { checkParam, type NodeDef, type ParamSpec } from './node-def.ts';
import { linksOf, nodeLabel, resolveParams } from './plan.ts';
import type { NodeRegistry } from './registry.ts';

export type IssueKind =
  | 'unknown-type' | 'missing-input' | 'type-mismatch' | 'cycle'
  | 'param-range' | 'param-type' | 'bad-link' | 'unknown-input';

export interface ValidationIssue {
  readonly nodeId: string;
  readonly kind: IssueKind;
  readonly message: string;
}

export class GraphValidationError extends Error {
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(`the graph is not valid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues.map((i) => `  ${i.message}`).join('\n')}`);
    this.name = 'GraphValidationError';
  }
}

/** Validates the nodes `only` names (default: all), including links into them and cycles among them. */
export function validateGraph(graph: ExecGraph, registry: NodeRegistry, only?: Iterable<string>): ValidationIssue[] {
  const ids = only ? [...new Set(only)].filter((id) => nodeOf(graph, id)) : Object.keys(graph);
  const issues: ValidationIssue[] = [];
  for (const id of ids) issues.push(...checkNode(graph, registry, id));
  issues.push(...findCycles(graph, registry, new Set(ids)));
  return issues;
}

function checkNode(graph: ExecGraph, registry: NodeRegistry, id: string): ValidationIssue[] {
  const node = graph[id];
  const label = nodeLabel(id, node);
  const issues: ValidationIssue[] = [];
  const add = (kind: IssueKind, what: string) => issues.push({ nodeId: id, kind, message: `${label}: ${what}` });

  const def = registry.get(node.type);
  if (!def) {
    add('unknown-type', `unknown node type "${node.type}" (is a node pack missing?)`);
    return issues;
  }

  for (const name of Object.keys(node.inputs)) {
    if (!(name in def.inputs) && !(name in def.params)) {
      const known = [...Object.keys(def.inputs).map((n) => `input ${n}`), ...Object.keys(def.params).map((n) => `parameter ${n}`)];
      add('unknown-input', `"${name}" is neither an input nor a parameter of ${def.id} (it has: ${known.join(', ') || 'nothing'})`);
    }
  }

  for (const [name, port] of Object.entries(def.inputs)) {
    const v = node.inputs[name];
    if (v === undefined || v === null) {
      if (!port.optional) add('missing-input', `required input "${name}" (${port.type.name}) is not connected`);
      continue;
    }
    if (!isLinkRef(v)) {
      add('bad-link', `input "${name}" must be a link [nodeId, outputSlot], got ${safeJson(v)}`);
      continue;
    }
    const [srcId, slot] = v;
    const src = nodeOf(graph, srcId);
    if (!src) {
      add('bad-link', `input "${name}" links to node ${srcId}, which does not exist`);
      continue;
    }
    const srcDef = registry.get(src.type);
    if (!srcDef) continue; // the source's own issue (unknown-type) says it
    const outs = Object.entries(srcDef.outputs);
    if (slot < 0 || slot >= outs.length) {
      const has = outs.length ? `outputs ${outs.map(([n], i) => `${i} "${n}"`).join(', ')}` : 'no outputs';
      add('bad-link', `input "${name}" links to output slot ${slot} of ${nodeLabel(srcId, src)}, which has ${has}`);
      continue;
    }
    const [outName, outPort] = outs[slot];
    if (outPort.type.name !== port.type.name) {
      add('type-mismatch', `input "${name}" expects ${port.type.name}, but ${nodeLabel(srcId, src)} output "${outName}" gives ${outPort.type.name}`);
    }
  }

  const params = resolveParams(def, node);
  let paramsOk = true;
  for (const [name, spec] of Object.entries(def.params)) {
    const problem = paramProblem(spec, params[name], `parameter "${name}"`);
    if (problem) {
      paramsOk = false;
      add(problem.kind, problem.message);
    }
  }
  if (paramsOk && def.validate) {
    let msg: string | undefined;
    try {
      msg = def.validate(params);
    } catch (e) {
      msg = `parameter check failed: ${(e as Error).message}`;
    }
    if (msg) add('param-range', msg);
  }
  return issues;
}

function paramProblem(spec: ParamSpec, value: unknown, what: string): { kind: IssueKind; message: string } | undefined {
  if (isLinkRef(value)) return { kind: 'param-type', message: `${what} is connected to a link, but parameters take plain values` };
  const err = checkParam(spec, value);
  if (err) {
    // A well-formed number that is merely outside min/max is a range problem; anything else is a type problem.
    const isNumber = typeof value === 'number' && Number.isFinite(value) && (spec.kind !== 'int' || Number.isInteger(value));
    return { kind: (spec.kind === 'int' || spec.kind === 'float') && isNumber ? 'param-range' : 'param-type', message: `${what} ${err}` };
  }
  try {
    canonicalJson(value, what);
  } catch (e) {
    if (e instanceof NonJsonError) return { kind: 'param-type', message: e.message };
    throw e;
  }
  return undefined;
}

function findCycles(graph: ExecGraph, registry: NodeRegistry, ids: ReadonlySet<string>): ValidationIssue[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const issues: ValidationIssue[] = [];
  const visit = (id: string): void => {
    state.set(id, 'open');
    stack.push(id);
    for (const [, [src]] of linksOf(graph[id], registry.get(graph[id].type))) {
      if (!ids.has(src)) continue;
      if (state.get(src) === 'open') {
        // stack holds readers before the nodes they read; the cycle runs from src back up to id.
        const cycle = stack.slice(stack.indexOf(src));
        const sig = [...cycle].sort().join(',');
        if (!reported.has(sig)) {
          reported.add(sig);
          // In data-flow order, starting and ending at src.
          const path = [src, ...cycle.slice(1).reverse()];
          const loop = [...path, path[0]].map((n) => nodeLabel(n, graph[n])).join(' -> ');
          issues.push({ nodeId: src, kind: 'cycle', message: `${nodeLabel(src, graph[src])}: is part of a cycle: ${loop}` });
        }
      } else if (!state.has(src)) visit(src);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of ids) if (!state.has(id)) visit(id);
  return issues;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
