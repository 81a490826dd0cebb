/**
 * A node type, declared as data plus one pure function. The editor builds litegraph nodes from it,
 * the executor runs it, the CLI lists it. `execute` must not mutate its inputs: values are shared
 * between cache entries and downstream nodes.
 */
import type { ValueType } from '../values/value-types.ts';
import type { ExecContext } from './context.ts';

export interface PortSpec {
  readonly type: ValueType<any>;
  readonly optional?: boolean;
  readonly description?: string;
}

export type ParamSpec =
  | { readonly kind: 'int'; readonly default: number; readonly min?: number; readonly max?: number; readonly step?: number; readonly description?: string }
  | { readonly kind: 'float'; readonly default: number; readonly min?: number; readonly max?: number; readonly step?: number; readonly description?: string }
  | { readonly kind: 'bool'; readonly default: boolean; readonly description?: string }
  | { readonly kind: 'choice'; readonly default: string; readonly options: readonly string[]; readonly description?: string }
  /**
   * Text. `file: 'image'` says it names an image file (a path in the CLI, a stored-photo key in the
   * browser): the editor offers a photo picker and puts dropped photos there, runs load it, and the
   * CLI's --input sets it.
   */
  | { readonly kind: 'string'; readonly default: string; readonly file?: 'image'; readonly description?: string }
  | { readonly kind: 'color'; readonly default: string; readonly description?: string }
  /** Structured data edited by a custom UI (e.g. the anchor list); must be JSON. */
  | { readonly kind: 'json'; readonly default: unknown; readonly description?: string };

export type ParamValue = number | boolean | string | unknown;
export type Params = Record<string, ParamValue>;
export type Values = Record<string, unknown>;

/**
 * What a node is to the editor and the CLI, so that neither recognises node types by id. A role
 * also promises the parameter or port names its users rely on (in brackets).
 */
export type NodeRole =
  /** Reads the user's photo (its image-file parameter): the viewer's "before". */
  | 'photo'
  /** Writes the final image (`filename_prefix`): the result the viewer shows and Export PNG writes. */
  | 'result'
  /** Makes the colour image: the result when the graph has no 'result' node or other image output. */
  | 'colorized'
  /** Holds the user's anchor list (`anchors`, a JSON list): what the viewer's anchor edits write. */
  | 'user-anchors'
  /** Places anchors automatically (`k` anchors); its AFFINITY input is what the overlays draw. */
  | 'auto-anchors'
  /** Gives anchors their colours (`variant`: diverse results); its COLOR_DIST input gives the suggestions. */
  | 'anchor-colors'
  /** Loads learned models (`set`): a graph with one needs the model files. */
  | 'model-set';

export interface NodeDef {
  /** Stable, namespaced type id, e.g. `disco/anchor-locator`. Never changes once shipped. */
  readonly id: string;
  /** Bump when the node's results change for the same inputs: it invalidates cached results. */
  readonly version: number;
  readonly displayName: string;
  /** Slash path for menus, e.g. `DISCO/anchors`. */
  readonly category: string;
  readonly description: string;
  /** Input ports, in slot order. */
  readonly inputs: Readonly<Record<string, PortSpec>>;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** Output ports, in slot order. */
  readonly outputs: Readonly<Record<string, PortSpec>>;
  /** What the node is to the editor and CLI (see NodeRole). */
  readonly role?: NodeRole;
  /** An output node is a natural run target (save, preview). */
  readonly isOutput?: boolean;
  /** Results depend on something besides inputs and params (e.g. time): never cached. */
  readonly notIdempotent?: boolean;
  /** Extra checks on parameter values beyond kind and range; returns an error message or nothing. */
  validate?(params: Params): string | undefined;
  /** Extra cache-key material, e.g. the sha256 of a file a path parameter names. */
  fingerprint?(ctx: ExecContext, params: Params): Promise<string> | string;
  execute(ctx: ExecContext, inputs: Values, params: Params): Promise<Values> | Values;
}

export function defineNode<D extends NodeDef>(def: D): D {
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(def.id)) throw new Error(`node id "${def.id}" must look like "namespace/kebab-name"`);
  const dup = Object.keys(def.inputs).find((k) => k in def.params);
  if (dup) throw new Error(`${def.id}: "${dup}" is both an input and a parameter`);
  for (const [name, p] of Object.entries(def.params)) {
    const err = checkParam(p, p.default);
    if (err) throw new Error(`${def.id}: default of "${name}" ${err}`);
  }
  // Port and parameter names are looked up with names from files (`name in def.params`): without a
  // prototype, "toString" or "constructor" is not found in every node.
  const bare = <T extends object>(o: T): T => Object.assign(Object.create(null) as T, o);
  return { ...def, inputs: bare(def.inputs), outputs: bare(def.outputs), params: bare(def.params) };
}

export const int = (o: Omit<Extract<ParamSpec, { kind: 'int' }>, 'kind'>): ParamSpec => ({ kind: 'int', ...o });
export const float = (o: Omit<Extract<ParamSpec, { kind: 'float' }>, 'kind'>): ParamSpec => ({ kind: 'float', ...o });
export const bool = (o: Omit<Extract<ParamSpec, { kind: 'bool' }>, 'kind'>): ParamSpec => ({ kind: 'bool', ...o });
export const choice = (o: Omit<Extract<ParamSpec, { kind: 'choice' }>, 'kind'>): ParamSpec => ({ kind: 'choice', ...o });
export const str = (o: Omit<Extract<ParamSpec, { kind: 'string' }>, 'kind'>): ParamSpec => ({ kind: 'string', ...o });
export const color = (o: Omit<Extract<ParamSpec, { kind: 'color' }>, 'kind'>): ParamSpec => ({ kind: 'color', ...o });
export const json = (o: Omit<Extract<ParamSpec, { kind: 'json' }>, 'kind'>): ParamSpec => ({ kind: 'json', ...o });

/** Checks one parameter value against its spec; returns what is wrong, or undefined. */
export function checkParam(spec: ParamSpec, value: unknown): string | undefined {
  switch (spec.kind) {
    case 'int':
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a finite number, got ${JSON.stringify(value)}`;
      if (spec.kind === 'int' && !Number.isInteger(value)) return `must be a whole number, got ${value}`;
      if (spec.min !== undefined && value < spec.min) return `is ${value}, below the minimum ${spec.min}`;
      if (spec.max !== undefined && value > spec.max) return `is ${value}, above the maximum ${spec.max}`;
      return undefined;
    }
    case 'bool':
      return typeof value === 'boolean' ? undefined : `must be true or false, got ${JSON.stringify(value)}`;
    case 'choice':
      return spec.options.includes(value as string) ? undefined : `must be one of ${spec.options.join(', ')}, got ${JSON.stringify(value)}`;
    case 'string':
      return typeof value === 'string' ? undefined : `must be text, got ${JSON.stringify(value)}`;
    case 'color':
      return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value) ? undefined : `must be a colour like #a1b2c3, got ${JSON.stringify(value)}`;
    case 'json':
      return value === undefined ? 'is missing' : undefined;
  }
}
