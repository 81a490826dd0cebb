/**
 * Reading what node definitions declare for their users (roles, image-file parameters), so the
 * editor and the CLI find "the photo", "the result" or "the user's anchors" without knowing node ids.
 */
import type { NodeDef, NodeRole } from './node-def.ts';

interface Lookup {
  get(id: string): NodeDef | undefined;
}

/** The role a node type declares, if it is known and has one. */
export function roleOf(registry: Lookup, type: string): NodeRole | undefined {
  return registry.get(type)?.role;
}

/** The name of a node type's image-file parameter (`file: 'image'`), if it has one. */
export function imageParam(def: NodeDef | undefined): string | undefined {
  if (!def) return undefined;
  return Object.keys(def.params).find((name) => {
    const p = def.params[name];
    return p.kind === 'string' && p.file === 'image';
  });
}
