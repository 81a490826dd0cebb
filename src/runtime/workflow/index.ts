/** Workflow files: the saved (UI) format, its migrations, the execution format, PNG embedding. */
export { WorkflowFormatError } from './errors.ts';
export {
  zWorkflow, zNode, zLink, zDiscoExtra, zModelRef, formatPath, validate,
  type Workflow, type WorkflowNode, type WorkflowLink, type WorkflowGroup, type DiscoExtra, type DiscoModelRef,
} from './schema.ts';
export { resolveParams, widgetsValuesOf, type NodeDefLookup, type ResolvedParams } from './params.ts';
export { CURRENT_FORMAT_VERSION, formatVersionOf, migrateFormat, migrateComfy04, type MigrationContext } from './migrate.ts';
export {
  DEFAULT_MAX_WORKFLOW_BYTES, loadWorkflow, loadWorkflowObject, serializeWorkflow, checkSize,
  type LoadOptions, type LoadResult,
} from './load.ts';
export { toExecGraph, modeFromLitegraph, LITEGRAPH_MODE, type ToExecResult, type WorkflowIssue } from './to-exec.ts';
export {
  APP_VERSION, buildWorkflow, setParam, type WorkflowSpec, type WorkflowSpecNode, type WorkflowSpecLink,
} from './build.ts';
export { workflowFromExecGraph } from './from-exec.ts';
export {
  crc32, isPng, readPngChunks, writePngChunks, readPngTextChunks, scanPngTextChunks, writePngTextChunks,
  loadWorkflowFromPng, embedWorkflowInPng, type PngChunk, type PngTextScan,
} from './png-chunks.ts';
export { findPlaceholders, missingNodeTypes, type Placeholder } from './placeholders.ts';
export * from './exec-format.ts';
