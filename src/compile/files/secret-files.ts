/**
 * Files whose whole content is one secret (never in out/; apply installs them from the secret):
 * the corosync and pacemaker_remote keys of a cluster, Horizon's session key.
 */
import type { Cluster, Node, Topology } from '../../model/types.js';
import { secretName, type Placement } from './facts.js';
import { HORIZON_KEY_FILE } from './openstack.js';
import { all, type SecretFile } from './plan.js';

export { HORIZON_KEY_FILE };

/** Where Horizon reads the password of its database user (its sessions live in MySQL). */
export const HORIZON_DB_PASSWORD_FILE = '/etc/openstack-dashboard/db_password';

/** The cluster keys a node holds: corosync's (members) and pacemaker_remote's (members and remote nodes). */
export function clusterKeyFiles(n: Node, cluster: Cluster | undefined, remoteOf: Cluster | undefined): SecretFile[] {
  const out: SecretFile[] = [];
  if (cluster?.authkey) {
    out.push({
      node: n.name,
      target: '/etc/corosync/authkey',
      owner: 'root',
      group: 'root',
      mode: '0400',
      secret: cluster.authkey,
      services: ['corosync'],
      // A new key only takes effect at a restart, and every member must get it at once.
      onChange: { kind: 'corosync-restart' },
    });
  }
  // pacemaker_remote: the cluster and its remote nodes share /etc/pacemaker/authkey. hactl uses
  // the cluster's corosync key for it (one secret per cluster; both are random keys).
  const remoteCluster = remoteOf ?? (cluster?.remoteNodes.length ? cluster : undefined);
  if (remoteCluster?.authkey) {
    out.push({
      node: n.name,
      target: '/etc/pacemaker/authkey',
      owner: 'root',
      group: 'haclient',
      mode: '0640',
      secret: remoteCluster.authkey,
      services: remoteOf ? ['pacemaker_remote'] : ['pacemaker'],
      // The cluster reads the key when it connects to a remote node; the remote side at start.
      onChange: remoteOf ? { kind: 'restart', service: 'pacemaker_remote' } : { kind: 'none' },
    });
  }
  return out;
}

/**
 * Whole-file secrets of OpenStack services on a node: Horizon's session key and its database
 * password, the same on every node serving Horizon, so sessions survive a move.
 */
export function openstackSecretFiles(t: Topology, n: Node, mine: Placement[]): SecretFile[] {
  const horizon = mine.filter((p) => p.key === 'horizon');
  if (!horizon.length) return [];
  const file = (target: string, purpose: string): SecretFile => ({
    node: n.name,
    target,
    owner: 'root',
    // Apache's user on Debian and Ubuntu runs the dashboard.
    group: 'www-data',
    mode: '0640',
    secret: secretName(t, purpose),
    services: ['apache2'],
    onChange: all(horizon.map((p) => ({ kind: 'restart', service: 'horizon', cluster: p.cluster.name }))),
  });
  return [file(HORIZON_DB_PASSWORD_FILE, 'horizon-db'), file(HORIZON_KEY_FILE, 'horizon-secret-key')];
}
