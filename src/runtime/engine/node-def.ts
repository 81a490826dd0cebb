/**
 * A node type, declared as data plus one pure function. The editor builds litegraph nodes from it,
 * the executor runs it, the CLI lists it. `execute` must not mutate its inputs: values are shared
 * between cache entries and downstream nodes.
 */
import type { ValueType } from '../values/value-types.ts';
import type { ExecContext } from './context.ts';

export interface PortSpec<T = any> {
  readonly type: ValueType<T>;
  readonly optional?: boolean;
  readonly description?: string;
}

interface Described {
  readonly description?: string;
}
export interface IntSpec extends Described { readonly kind: 'int'; readonly default: number; readonly min?: number; readonly max?: number; readonly step?: number }
export interface FloatSpec extends Described { readonly kind: 'float'; readonly default: number; readonly min?: number; readonly max?: number; readonly step?: number }
export interface BoolSpec extends Described { readonly kind: 'bool'; readonly default: boolean }
export interface ChoiceSpec<S extends string = string> extends Described { readonly kind: 'choice'; readonly default: S; readonly options: readonly S[] }
/**
 * Text. `file: 'image'` says it names an image file (a path in the CLI, a stored-photo key in the
 * browser): the editor offers a photo picker and puts dropped photos there, runs load it, and the
 * CLI's --input sets it.
 */
export interface StringSpec extends Described { readonly kind: 'string'; readonly default: string; readonly file?: 'image' }
export interface ColorSpec extends Described { readonly kind: 'color'; readonly default: string }
/** Structured data edited by a custom UI (e.g. the anchor list); must be JSON. `T` is what the node reads. */
export interface JsonSpec<T = unknown> extends Described { readonly kind: 'json'; readonly default: T }
export type ParamSpec = IntSpec | FloatSpec | BoolSpec | ChoiceSpec | StringSpec | ColorSpec | JsonSpec;

export type ParamValue = number | boolean | string | unknown;
export type Params = Record<string, ParamValue>;
export type Values = Record<string, unknown>;

export type PortSpecs = Readonly<Record<string, PortSpec>>;
export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

/** What a port carries; an optional input may be missing. */
type PortValue<P> = P extends PortSpec<infer T> ? (P extends { readonly optional: true } ? T | undefined : T) : never;
type OptionalPorts<I> = { [K in keyof I]: I[K] extends { readonly optional: true } ? K : never }[keyof I];
/** `execute`'s inputs, typed by the declared input ports (an optional one may be missing). */
export type InputValues<I extends PortSpecs> =
  & { readonly [K in Exclude<keyof I, OptionalPorts<I>>]: PortValue<I[K]> }
  & { readonly [K in OptionalPorts<I>]?: PortValue<I[K]> };
/** `execute`'s result, typed by the declared output ports. */
export type OutputValues<O extends PortSpecs> = { [K in keyof O]: O[K] extends PortSpec<infer T> ? T : never };
type ParamValueOf<S> = S extends { readonly kind: 'int' | 'float' } ? number
  : S extends { readonly kind: 'bool' } ? boolean
  : S extends ChoiceSpec<infer C> ? C
  : S extends { readonly kind: 'string' | 'color' } ? string
  : S extends JsonSpec<infer T> ? T
  : unknown;
/** `execute`'s (and `validate`'s, `fingerprint`'s) parameters, typed by the declared parameters. */
export type ParamValues<P extends ParamSpecs> = { readonly [K in keyof P]: ParamValueOf<P[K]> };

/**
 * What a node is to the editor and the CLI, so that neither recognises node types by id. A role
 * also promises the parameter or port names its users rely on (in brackets).
 */
export type NodeRole =
  /** Reads the user's photo (its image-file parameter): the viewer's "before". */
  | 'photo'
  /** Reads a colour reference photo (its image-file parameter): not the photo, so `--input` and drops leave it alone. */
  | 'reference'
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

/**
 * A node type. The type parameters are the declared ports and parameters: `defineNode` infers them,
 * so `execute` gets its inputs and params typed (no casts). Code that handles any node uses `NodeDef`.
 */
export interface NodeDef<I extends PortSpecs = PortSpecs, P extends ParamSpecs = ParamSpecs, O extends PortSpecs = PortSpecs> {
  /** Stable, namespaced type id, e.g. `disco/anchor-locator`. Never changes once shipped. */
  readonly id: string;
  /** Bump when the node's results change for the same inputs: it invalidates cached results. */
  readonly version: number;
  readonly displayName: string;
  /** Slash path for menus, e.g. `DISCO/anchors`. */
  readonly category: string;
  readonly description: string;
  /** Input ports, in slot order. */
  readonly inputs: I;
  readonly params: P;
  /** Output ports, in slot order. */
  readonly outputs: O;
  /** What the node is to the editor and CLI (see NodeRole). */
  readonly role?: NodeRole;
  /** An output node is a natural run target (save, preview). */
  readonly isOutput?: boolean;
  /** Results depend on something besides inputs and params (e.g. time): never cached. */
  readonly notIdempotent?: boolean;
  /** Extra checks on parameter values beyond kind and range; returns an error message or nothing. */
  validate?(params: ParamValues<P>): string | undefined;
  /** Extra cache-key material, e.g. the sha256 of a file a path parameter names. */
  fingerprint?(ctx: ExecContext, params: ParamValues<P>): Promise<string> | string;
  execute(ctx: ExecContext, inputs: InputValues<I>, params: ParamValues<P>): Promise<OutputValues<O>> | OutputValues<O>;
}

export function defineNode<const I extends PortSpecs, const P extends ParamSpecs, const O extends PortSpecs>(def: NodeDef<I, P, O>): NodeDef<I, P, O> {
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

export const int = (o: Omit<IntSpec, 'kind'>): IntSpec => ({ kind: 'int', ...o });
export const float = (o: Omit<FloatSpec, 'kind'>): FloatSpec => ({ kind: 'float', ...o });
export const bool = (o: Omit<BoolSpec, 'kind'>): BoolSpec => ({ kind: 'bool', ...o });
/** The options' names become the parameter's type (a union of string literals). */
export const choice = <const S extends string>(o: Omit<ChoiceSpec<S>, 'kind'>): ChoiceSpec<S> => ({ kind: 'choice', ...o });
export const str = (o: Omit<StringSpec, 'kind'>): StringSpec => ({ kind: 'string', ...o });
export const color = (o: Omit<ColorSpec, 'kind'>): ColorSpec => ({ kind: 'color', ...o });
/** `json<T>(...)`: the node reads the value as T (its `validate` must make sure it is one). */
export const json = <T = unknown>(o: Omit<JsonSpec<NoInfer<T>>, 'kind'>): JsonSpec<T> => ({ kind: 'json', ...o });

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
