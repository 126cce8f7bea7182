/** The semantic CIB diff: normalise, compare, classify ownership, format (as data). */
export { diffCibs, compareNormalized, type CibDiff, type ChangeKind, type DiffResult, type ObjectChange, type ValueChange } from './compare.js';
export { normalizeCib, type NormCib, type NormNode } from './normalize.js';
export { cibFoldDepth, pruneFolded } from './prune.js';
export { hactlOwnership, REFERENCE_OWNERSHIP, OWNERSHIP_SET, OWNERSHIP_NAME, OWNERSHIP_NODE_PAIRS, OWNERSHIP_INTENT, alwaysUnmanaged, ownedIdsOf, recordedIds, recordedIntent, recordedNodePairs, writeRecord, type Ownership, type ObjectRef } from './ownership.js';
export { RUNTIME_META, RUNTIME_PROPERTIES, carryRuntime, intentTokensOf, propertyIntent, withoutProperties } from './runtime.js';
export { MASK, maskValue, isSecretName, looksLikeSecretRef } from './mask.js';
export { formatDiff, diffToJson, clean, type DiffLine, type DiffLabels, type LineStyle } from './format.js';
export { declaredNodePairs, declaredNodeTokens, nodePairToken, NODE_PAIR_KINDS, type NodePairKind } from './node-pairs.js';
