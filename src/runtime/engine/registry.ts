/**
 * The set of node types a host knows. The executor and the validator look types up here; the
 * editor and the CLI list them. Ids are unique: registering one twice is a programming error.
 */
import type { NodeDef } from './node-def.ts';

export class NodeRegistry {
  private readonly defs = new Map<string, NodeDef>();

  constructor(defs: Iterable<NodeDef> = []) {
    for (const d of defs) this.register(d);
  }

  register(def: NodeDef): this {
    if (this.defs.has(def.id)) throw new Error(`node type "${def.id}" is already registered`);
    this.defs.set(def.id, def);
    return this;
  }

  get(id: string): NodeDef | undefined {
    return this.defs.get(id);
  }

  has(id: string): boolean {
    return this.defs.has(id);
  }

  /** All definitions, in registration order. */
  list(): NodeDef[] {
    return [...this.defs.values()];
  }
}
