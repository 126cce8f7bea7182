/** `hactl graph TOPOLOGY [--cluster C] [--format dot|svg] [-o FILE] [--force]`. */
import { clusterDot } from '../../graph/dot.js';
import { invalidInput } from '../../errors.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { writeFileSafely } from '../../util/local-write.js';
import { requireTopology } from '../topology.js';

export interface GraphFlags {
  cluster?: string;
  format?: string;
  output?: string;
  force?: boolean;
}

/**
 * DOT of every cluster (one graph each, which Graphviz reads as a sequence) or of the one named;
 * SVG of one cluster, since an SVG file holds one picture.
 */
export async function graphCommand(io: Io, file: string, flags: GraphFlags): Promise<ExitCode> {
  const format = flags.format ?? 'dot';
  if (format !== 'dot' && format !== 'svg') throw invalidInput('HA5702', { formats: format, known: 'dot, svg' });
  const { topology, model } = await requireTopology(io, file);
  const configs = model.clusters;
  const names = configs.map((c) => c.name);
  if (!configs.length) throw invalidInput('HA5705', { file });
  let chosen = configs;
  if (flags.cluster !== undefined) {
    chosen = configs.filter((c) => c.name === flags.cluster);
    if (!chosen.length) throw invalidInput('HA5703', { cluster: flags.cluster, file, clusters: names.join(', ') });
  } else if (format === 'svg' && configs.length > 1) {
    throw invalidInput('HA5704', { file, count: configs.length, clusters: names.join(', ') });
  }
  const dots = chosen.map((config) => clusterDot({ topology, config }));
  let text: string;
  if (format === 'svg') {
    const { renderSvg } = await import('../../graph/svg.js');
    text = await renderSvg(dots[0]!);
  } else text = dots.join('\n');
  if (flags.output === undefined || flags.output === '-') io.stdout(text);
  else {
    await writeFileSafely(flags.output, text, { force: !!flags.force, cwd: io.cwd });
    io.stderr(`wrote ${format === 'svg' ? 'SVG' : 'DOT'} of ${chosen.map((c) => c.name).join(', ')} to ${flags.output}\n`);
  }
  return EXIT.ok;
}
