import { diag, type Diagnostic } from '../../diagnostics.js';
import { inSeveralClusters } from './membership.js';
import type { Rule } from './rule.js';

/**
 * Every node a catalogue service may run on has one of the service's roles: a node's packages and
 * configuration files follow its roles, so a keystone on a node without the controller role
 * would start without its configuration.
 */
export const serviceRoles: Rule = {
  name: 'service-roles',
  codes: ['HA3029'],
  check(t) {
    const out: Diagnostic[] = [];
    const several = inSeveralClusters(t); // HA3011 is their finding
    for (const c of Object.values(t.clusters)) {
      for (const s of Object.values(c.services)) {
        if (!s.entry) continue;
        const roles = s.entry.roles;
        s.nodes.forEach((name, i) => {
          const n = t.nodes[name];
          // Nodes outside the cluster are the service-nodes rule's finding.
          if (!n || several.has(name) || !(c.nodes.includes(name) || c.remoteNodes.includes(name)) || n.roles.some((r) => roles.includes(r))) return;
          const at = s.pinned ? `${s.pointer}/nodes/${i}` : s.pointer;
          out.push(diag('HA3029', at, { node: name, service: s.name, roles: roles.join(' or ') }));
        });
      }
    }
    return out;
  },
};
