/** /etc/network/interfaces.d/<bond>: the node's bond, for ifupdown. */
import type { Node } from '../../model/types.js';
import { nodeFile, type PlannedFile } from './plan.js';

export interface BondContext {
  name: string;
  mode: string;
  slaves: string[];
  lacp: boolean;
}

export function bondFile(n: Node): PlannedFile<BondContext> {
  const b = n.bond!;
  return nodeFile({
    node: n.name,
    target: `/etc/network/interfaces.d/${b.name}`,
    template: 'bond',
    grammar: 'ifupdown',
    context: { name: b.name, mode: b.mode, slaves: b.interfaces, lacp: b.mode === '802.3ad' },
    services: ['networking'],
    onChange: { kind: 'ifup', interface: b.name },
  });
}
