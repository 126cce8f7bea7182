import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/**
 * A quorum device asks corosync-qnetd on a host outside the cluster (a member that arbitrates its
 * own cluster goes down with the partition it should decide about), reached on a network the host
 * has an address on. ffsplit gives one vote, which breaks ties of an even split only; an
 * even-sized cluster of four or more without a device stops altogether when it splits in halves.
 */
export const qdevice: Rule = {
  name: 'qdevice',
  codes: ['HA3110', 'HA3111', 'HA3112', 'HA3113', 'HA3114', 'HA3115', 'HA3116', 'HA3117'],
  check(t) {
    const out: Diagnostic[] = [];
    // One corosync-qnetd per host serves every cluster naming it: on one port, with one TLS setting.
    const byHost = new Map<string, { cluster: string; port: number; tls: string }>();
    for (const c of Object.values(t.clusters)) {
      const q = c.qdevice;
      if (!q) continue;
      const first = byHost.get(q.host);
      if (!first) byHost.set(q.host, { cluster: c.name, port: q.port, tls: q.tls });
      else if (first.port !== q.port || first.tls !== q.tls) {
        out.push(diag('HA3117', q.pointer, { host: q.host, cluster: c.name, other: first.cluster, port: q.port, tls: q.tls, otherPort: first.port, otherTls: first.tls }));
      }
    }
    for (const c of Object.values(t.clusters)) {
      const q = c.qdevice;
      if (!q) {
        if (c.nodes.length >= 4 && c.nodes.length % 2 === 0) {
          out.push(diag('HA3116', pointerOf('clusters', c.name, 'nodes'), { cluster: c.name, count: c.nodes.length, half: c.nodes.length / 2 }));
        }
        continue;
      }
      const host = t.nodes[q.host];
      if (c.nodes.includes(q.host) || c.remoteNodes.includes(q.host)) {
        out.push(diag('HA3110', `${q.pointer}/host`, { host: q.host, cluster: c.name }));
      } else if (host) {
        if (!host.roles.includes('qnetd')) out.push(diag('HA3112', `${q.pointer}/host`, { host: q.host, cluster: c.name }));
        if (t.networks[q.network] && !host.addresses[q.network]) out.push(diag('HA3111', `${q.pointer}/host`, { host: q.host, network: q.network, cluster: c.name }));
      }
      if (q.tieBreaker !== 'lowest' && q.tieBreaker !== 'highest' && !c.nodes.includes(q.tieBreaker)) {
        out.push(diag('HA3113', `${q.pointer}/tie_breaker`, { name: q.tieBreaker, cluster: c.name, members: c.nodes.join(', ') }));
      }
      if (q.algorithm === 'ffsplit' && c.nodes.length % 2 === 1) {
        out.push(diag('HA3114', `${q.pointer}/algorithm`, { cluster: c.name, count: c.nodes.length }));
      }
      if (q.tls === 'off') out.push(diag('HA3115', `${q.pointer}/tls`, { cluster: c.name, host: q.host }));
    }
    return out;
  },
};
