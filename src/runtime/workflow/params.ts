/**
 * Reading a node's parameters from its saved form. Values live by name in `properties.params`
 * (formatVersion >= 2) and are mirrored positionally in `widgets_values` (ComfyUI); by-name wins,
 * then the widgets_values position of the NodeDef's param order, then the NodeDef default.
 */
import type { NodeDef, Params } from '../engine/node-def.ts';
import type { WorkflowNode } from './schema.ts';

/** All the workflow code needs from the node registry. */
export interface NodeDefLookup {
  get(id: string): NodeDef | undefined;
}

export interface ResolvedParams {
  readonly params: Params;
  /** Names that were in neither place and took the NodeDef default. */
  readonly defaulted: readonly string[];
}

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

// JSON has no holes: litegraph writes null for a missing widget, so null counts as missing except for json params.
const isValue = (v: unknown, kind: string): boolean => v !== undefined && (v !== null || kind === 'json');

export function resolveParams(node: Pick<WorkflowNode, 'properties' | 'widgets_values'>, def: NodeDef): ResolvedParams {
  const byName = node.properties?.params;
  const positional = Array.isArray(node.widgets_values) ? node.widgets_values : undefined;
  const params: Params = {};
  const defaulted: string[] = [];
  Object.entries(def.params).forEach(([name, spec], i) => {
    if (byName && has(byName, name)) params[name] = byName[name];
    else if (positional && i < positional.length && isValue(positional[i], spec.kind)) params[name] = positional[i];
    else {
      params[name] = spec.default;
      defaulted.push(name);
    }
  });
  return { params, defaulted };
}

/** Positional mirror of `params` in the NodeDef's param order. */
export function widgetsValuesOf(def: NodeDef, params: Params): unknown[] {
  return Object.keys(def.params).map((name) => params[name]);
}
