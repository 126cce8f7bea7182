/**
 * hactl's library API. The pipeline: parse (text -> document with source ranges) -> validate
 * (schema, then semantic rules) -> model (resolved topology) -> compile targets -> plan/apply.
 * Nothing here touches `process`; the CLI (src/cli/) is one consumer of this API.
 */
export { loadTopology, type LoadResult } from './load.js';
export { type Diagnostic, type Severity, hasErrors, sortDiagnostics } from './diagnostics.js';
export { formatDiagnostic, formatDiagnostics } from './report/diagnostics.js';
export type { Topology } from './model/types.js';
export type { TopologyInput } from './model/input.js';
