/**
 * Reading and writing workflow JSON. Load = size check -> nesting check + JSON.parse -> schema check (0.4 or 1) ->
 * 0.4 -> 1 -> formatVersion chain -> schema check again. The returned workflow is the parsed object
 * itself (plus migrations), so key order and unknown keys survive, and save -> load -> save is
 * byte-identical.
 */
import { WorkflowFormatError } from './errors.ts';
import { parseJsonText } from './json-text.ts';
import { migrateComfy04, migrateFormat, normalizeComfyVectors } from './migrate.ts';
import type { NodeDefLookup } from './params.ts';
import { validate, zWorkflow, zWorkflow04, type Workflow } from './schema.ts';

export const DEFAULT_MAX_WORKFLOW_BYTES = 16 * 1024 * 1024;

export interface LoadOptions {
  /** Needed by migrations that map positional values to parameter names. */
  readonly registry: NodeDefLookup;
  /** Largest accepted workflow text, in UTF-8 bytes. Default 16 MiB. */
  readonly maxBytes?: number;
  /** Graph id for files that have none (0.4). Default: crypto.randomUUID(). */
  readonly newId?: () => string;
}

export interface LoadResult {
  readonly workflow: Workflow;
  /** Migrations applied, in order (empty for a current file). */
  readonly notes: readonly string[];
}

const MiB = 1024 * 1024;
const mib = (n: number): string => `${(n / MiB).toFixed(n < MiB ? 3 : 1)} MiB`;

/** UTF-8 length without encoding when the answer is clear from the UTF-16 length (1..3 bytes per unit). */
function utf8Length(text: string, limit: number): number {
  if (text.length > limit || text.length * 3 <= limit) return text.length;
  return new TextEncoder().encode(text).length;
}

export function checkSize(bytes: number, maxBytes = DEFAULT_MAX_WORKFLOW_BYTES): void {
  if (bytes > maxBytes) {
    throw new WorkflowFormatError(`workflow is too large: ${mib(bytes)} (${bytes} bytes), the limit is ${mib(maxBytes)}`);
  }
}

export function loadWorkflow(text: string, options: LoadOptions): LoadResult {
  checkSize(utf8Length(text, options.maxBytes ?? DEFAULT_MAX_WORKFLOW_BYTES), options.maxBytes);
  return loadWorkflowObject(parseJsonText(text), options);
}

/** Same as loadWorkflow for an already parsed value (e.g. from litegraph). `raw` is not modified. */
export function loadWorkflowObject(raw: unknown, options: LoadOptions): LoadResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new WorkflowFormatError(`workflow: expected a JSON object, got ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw}`);
  }
  const version = (raw as { version?: unknown }).version;
  const notes: string[] = [];
  let wf: Workflow;
  if (version === 1) {
    wf = validate(zWorkflow, raw, 'workflow');
  } else if (version === 0.4 || 'last_node_id' in raw) {
    const old = validate(zWorkflow04, normalizeComfyVectors(raw as Record<string, unknown>), 'workflow (ComfyUI schema 0.4)');
    wf = validate(zWorkflow, migrateComfy04(old, options.newId ?? (() => crypto.randomUUID())), 'workflow (migrated from schema 0.4)');
    notes.push('ComfyUI schema 0.4 -> 1: links converted to objects');
  } else {
    throw new WorkflowFormatError(`version: expected 1 (ComfyUI workflow schema 1) or 0.4, got ${JSON.stringify(version)}`);
  }
  const migrated = migrateFormat(wf, options);
  if (migrated.notes.length === 0) return { workflow: wf, notes };
  return { workflow: validate(zWorkflow, migrated.workflow, 'workflow (after migration)'), notes: [...notes, ...migrated.notes] };
}

/** Stable text: 2-space indent, keys in the order they were loaded or built, newline at the end. */
export function serializeWorkflow(wf: Workflow): string {
  return `${JSON.stringify(wf, null, 2)}\n`;
}
