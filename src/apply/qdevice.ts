/**
 * The certificate steps of a quorum device with TLS, as corosync-qdevice-net-certutil(8) orders
 * them: the qnetd host's CA, the CA on every member, one member's request signed by the qnetd
 * host for the cluster, the signed certificate imported there, and its PKCS#12 bundle (the
 * client key) on the other members. apply lists them in the plan while the qnetd host holds no
 * certificate signed for the cluster; it does not carry the client key between nodes itself.
 */
import type { Cluster } from '../model/types.js';

export const QNETD_DB = '/etc/corosync/qnetd/nssdb';
export const QDEVICE_DB = '/etc/corosync/qdevice/net/nssdb';

export interface CertStep {
  node: string;
  /** The command as the operator types it (file names are fixed, the cluster name is a safe identifier). */
  command: string;
  /** A file this step leaves on its node that the next steps need on other nodes: copy it there. */
  carry?: { path: string; to: string[] };
  note?: string;
}

/** The signed certificate the qnetd host keeps once the cluster's request was signed there. */
export function signedCertOf(cluster: Cluster): string {
  return `${QNETD_DB}/cluster-${cluster.name}.crt`;
}

export function qdeviceCertSteps(cluster: Cluster): CertStep[] {
  const q = cluster.qdevice;
  if (!q || q.tls === 'off') return [];
  const [first, ...rest] = cluster.nodes;
  if (!first) return [];
  const ca = `${QNETD_DB}/qnetd-cacert.crt`;
  return [
    { node: q.host, command: 'corosync-qnetd-certutil -i', note: `only where ${QNETD_DB} is missing (Debian's package creates it)`, carry: { path: ca, to: cluster.nodes } },
    ...cluster.nodes.map((n) => ({ node: n, command: 'corosync-qdevice-net-certutil -i -c qnetd-cacert.crt' })),
    { node: first, command: `corosync-qdevice-net-certutil -r -n ${cluster.name}`, carry: { path: `${QDEVICE_DB}/qdevice-net-node.crq`, to: [q.host] } },
    { node: q.host, command: `corosync-qnetd-certutil -s -c qdevice-net-node.crq -n ${cluster.name}`, carry: { path: signedCertOf(cluster), to: [first] } },
    { node: first, command: `corosync-qdevice-net-certutil -M -c cluster-${cluster.name}.crt`, ...(rest.length ? { carry: { path: `${QDEVICE_DB}/qdevice-net-node.p12`, to: rest } } : {}) },
    ...rest.map((n) => ({ node: n, command: 'corosync-qdevice-net-certutil -m -c qdevice-net-node.p12' })),
  ];
}
