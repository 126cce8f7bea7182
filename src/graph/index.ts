/** Pictures of a topology's clusters: DOT from the compiled Pacemaker model, SVG through Graphviz in WebAssembly. */
import type { Lowered } from '../lower/index.js';
import { clusterDot } from './dot.js';

export { clusterDot, dotId, labelText, type GraphInput } from './dot.js';
export { clusterSvg, inlineSvg, renderSvg } from './svg.js';

export interface ClusterGraph {
  cluster: string;
  dot: string;
}

/** One DOT graph per cluster of a lowered topology, in cluster-name order. */
export function topologyGraphs(model: Lowered): ClusterGraph[] {
  return model.clusters.map((config) => ({ cluster: config.name, dot: clusterDot({ topology: model.topology, config }) }));
}
