import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import { closest } from '../../util/suggest.js';
import type { ParamValue } from '../input.js';
import type { Rule } from './rule.js';

/** `scope` names where the name was looked up when that is narrower than the topology. */
function missing(kind: string, name: string, pointer: string, known: Iterable<string>, scope?: string): Diagnostic {
  const near = closest(name, known);
  const list = [...known];
  const suggestion = near ? `did you mean '${near}'?` : list.length ? `defined: ${list.join(', ')}` : `no ${kind} is defined${scope ? ` in ${scope}` : ''}`;
  return diag('HA3001', pointer, { kind, name, scope: scope ? ` in ${scope}` : '' }, suggestion);
}

/**
 * Every name used as a reference is defined: networks, nodes, VIPs, secrets (a password, a key, an
 * agent parameter's `{ secret: NAME }`), pools, services.
 * Each reference is reported where it is written (a default once, not once per node using it).
 */
export const references: Rule = {
  name: 'references',
  codes: ['HA3001'],
  check(t, input) {
    const out: Diagnostic[] = [];
    const nets = Object.keys(t.networks);
    const secrets = Object.keys(t.secrets);
    const nodes = Object.keys(t.nodes);
    const pools = Object.keys(t.ceph?.pools ?? {});
    const net = (name: string, p: string) => { if (!t.networks[name]) out.push(missing('network', name, p, nets)); };
    const secret = (name: string, p: string) => { if (!t.secrets[name]) out.push(missing('secret', name, p, secrets)); };
    const node = (name: string, p: string) => { if (!t.nodes[name]) out.push(missing('node', name, p, nodes)); };
    const pool = (name: string, p: string) => { if (!t.ceph?.pools[name]) out.push(missing('pool', name, p, pools)); };

    // Agent parameters given as { secret: NAME } (Pacemaker's CIB secrets).
    const params = (rec: Record<string, ParamValue> | undefined, at: string) => {
      for (const [p, v] of Object.entries(rec ?? {})) if (typeof v !== 'string') secret(v.secret, `${at}/${p}/secret`);
    };
    params(input.defaults?.fencing?.params, '/defaults/fencing/params');
    for (const [name, n] of Object.entries(input.nodes)) params(n.fencing?.params, pointerOf('nodes', name, 'fencing', 'params'));
    for (const [cname, c] of Object.entries(input.clusters ?? {})) {
      for (const [sname, s] of Object.entries(c.services ?? {})) params(s.params, pointerOf('clusters', cname, 'services', sname, 'params'));
      for (const [dname, d] of Object.entries(c.fence_devices ?? {})) params(d.params, pointerOf('clusters', cname, 'fence_devices', dname, 'params'));
    }

    for (const n of Object.values(t.nodes)) {
      for (const a of Object.keys(n.addresses)) net(a, pointerOf('nodes', n.name, 'addresses', a));
      const own = input.nodes[n.name]?.fencing?.password;
      if (own) secret(own, pointerOf('nodes', n.name, 'fencing', 'password'));
      const sshNet = input.nodes[n.name]?.ssh?.network;
      if (sshNet) net(sshNet, pointerOf('nodes', n.name, 'ssh', 'network'));
    }
    const defaultPassword = input.defaults?.fencing?.password;
    if (defaultPassword) secret(defaultPassword, '/defaults/fencing/password');
    if (input.defaults?.ssh?.network) net(input.defaults.ssh.network, '/defaults/ssh/network');
    if (input.ssh?.network) net(input.ssh.network, '/ssh/network');

    for (const c of Object.values(t.clusters)) {
      for (const d of Object.values(c.fenceDevices)) if (d.password) secret(d.password, `${d.pointer}/password`);
      c.nodes.forEach((n, i) => node(n, pointerOf('clusters', c.name, 'nodes', i)));
      c.remoteNodes.forEach((n, i) => node(n, pointerOf('clusters', c.name, 'remote_nodes', i)));
      // links default to management: an unwritten default that is missing is reported at the cluster.
      if (input.clusters?.[c.name]?.links) c.links.forEach((l, i) => net(l, pointerOf('clusters', c.name, 'links', i)));
      else if (!t.networks[c.links[0]!]) {
        const suggestion = nets.length ? `corosync uses the management network unless told otherwise: set links: [${nets[0]}]` : 'no network is defined';
        out.push(diag('HA3001', c.pointer, { kind: 'network', name: c.links[0]!, scope: '' }, suggestion));
      }
      if (c.authkey) secret(c.authkey, pointerOf('clusters', c.name, 'authkey'));
      if (c.qdevice) {
        node(c.qdevice.host, `${c.qdevice.pointer}/host`);
        if (input.clusters?.[c.name]?.qdevice?.network) net(c.qdevice.network, `${c.qdevice.pointer}/network`);
      }
      for (const v of Object.values(c.vips)) net(v.network, `${v.pointer}/network`);
      const vips = Object.keys(c.vips);
      const services = Object.keys(c.services);
      for (const s of Object.values(c.services)) {
        if (s.vip && !c.vips[s.vip]) out.push(missing('VIP', s.vip, `${s.pointer}/vip`, vips, `cluster ${c.name}`));
        if (s.storage) pool(s.storage.pool, `${s.storage.pointer}/pool`);
        if (s.arbiter !== undefined) node(s.arbiter, `${s.pointer}/arbiter`);
        const written = input.clusters?.[c.name]?.services?.[s.name]?.after ?? [];
        written.forEach((a, i) => {
          if (!c.services[a]) out.push(missing('service', a, `${s.pointer}/after/${i}`, services, `cluster ${c.name}`));
        });
      }
    }
    if (t.ceph) {
      if (t.ceph.publicNetwork) net(t.ceph.publicNetwork, '/ceph/public_network');
      if (t.ceph.clusterNetwork) net(t.ceph.clusterNetwork, '/ceph/cluster_network');
    }
    if (t.compute?.instances) pool(t.compute.instances.pool, `${t.compute.instances.pointer}/pool`);
    return out;
  },
};
