/**
 * hactl's library API. The pipeline: parse (text -> document with source ranges) -> validate
 * (schema, then semantic rules) -> model (resolved topology) -> compile targets -> diff / check /
 * plan and apply. Nothing here touches `process`; the CLI (src/cli/) is one consumer of this API.
 */
export { loadTopology, type LoadResult } from './load.js';
export { lower, type Lowered, type LowerResult } from './lower/index.js';
export { extendCatalogue, type CatalogueExtension } from './extend.js';
export type { ServiceEntry, Versioned } from './catalog/index.js';
export type { OpenStackFile } from './compile/files/openstack.js';
export { type Diagnostic, type Severity, hasErrors, sortDiagnostics } from './diagnostics.js';
export { formatDiagnostic, formatDiagnostics, diagnosticsToJson } from './report/diagnostics.js';
export type { Topology } from './model/types.js';
export type { TopologyInput } from './model/input.js';
export { compile, targetNames, type Artifact, type NodeFile, type ChangeAction, type Target } from './compile/index.js';
export { writeOutput, type Written } from './compile/output.js';
export { diffCibs, formatDiff, diffToJson, hactlOwnership, type CibDiff, type DiffResult } from './diff/index.js';
export { parseXml } from './xml/parse.js';
export { check, checkStatic, type CheckReport, type CheckOptions } from './check/index.js';
export { desiredState, makePlan, executePlan, formatPlan, formatReport, type Plan, type ApplyReport } from './apply/index.js';
export { drain, undrain, type MaintReport } from './maint/drain.js';
export { clusterStatus, type ClusterStatus } from './maint/status.js';
export { resolveSecrets, maskSecrets, writeAuthkey } from './secrets/index.js';
export { SshTransport, type Transport } from './remote/ssh.js';
export { clusterDot, topologyGraphs, renderSvg, clusterSvg, type ClusterGraph, type GraphInput } from './graph/index.js';
export { htmlReport, renderHtmlReport, reportPictures, escapeHtml } from './report/html.js';
export { topologyMapDot } from './graph/map.js';
