/**
 * DOT to SVG without a system tool: Graphviz compiled to WebAssembly (@viz-js/viz), loaded only
 * when a picture is asked for (it is 1.2 MB of JavaScript that no other command needs).
 */
import { createRequire } from 'node:module';
import { clusterDot, type GraphInput } from './dot.js';

type VizModule = typeof import('@viz-js/viz');
type Viz = Awaited<ReturnType<VizModule['instance']>>;
let viz: Promise<Viz> | undefined;

function instance(): Promise<Viz> {
  // require, not import(): the CLI runs as one CommonJS bundle in a vm.Script, where Node 20
  // offers no dynamic import; the package ships a CommonJS build.
  viz ??= (createRequire(import.meta.url)('@viz-js/viz') as VizModule).instance();
  return viz;
}

/**
 * Renders DOT with Graphviz's dot layout; a Graphviz error is thrown with its messages. The
 * DOCTYPE (an external DTD reference that XML parsers rightly refuse) and the comment naming the
 * Graphviz build are dropped: the document starts at the XML declaration and its <svg> element.
 */
export async function renderSvg(dot: string): Promise<string> {
  const r = (await instance()).render(dot, { format: 'svg', engine: 'dot' });
  if (r.status !== 'success') throw new Error(`graphviz: ${r.errors.map((e) => e.message.trim()).join('; ')}`);
  const start = r.output.indexOf('<svg');
  if (start < 0) throw new Error('graphviz: no <svg> element in its output');
  return `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n${r.output.slice(start)}`;
}

/** The <svg> element alone, for a page that carries the picture inline. */
export function inlineSvg(svg: string): string {
  return svg.slice(svg.indexOf('<svg'));
}

export async function clusterSvg(input: GraphInput): Promise<string> {
  return renderSvg(clusterDot(input));
}
