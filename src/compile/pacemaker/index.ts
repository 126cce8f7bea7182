/** The intermediate Pacemaker model shared by the cib, crmsh and pcs targets. */
export * from './model.js';
export { buildClusterConfig, buildPacemaker, type BuildResult } from './build.js';
export { nodeIdOf, secretFilePath, secretScriptPath, isXmlId } from './ids.js';
