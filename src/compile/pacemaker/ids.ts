/**
 * Ids of everything hactl puts into a CIB, derived from topology names only, so that the same
 * topology always gives the same ids and an operator can tell where each came from:
 *
 *   p_<process>        primitive of a catalogue process (p_keystone, p_nova-api) or custom service
 *   p_ip_<vip>         IPaddr2 primitive of a VIP
 *   p_rbd_<service>    RBD map, p_fs_<service> its filesystem (services with storage)
 *   g_<service>        group of a multi-process or storage-backed service
 *   cl_<service>       clone of an active-active service
 *   b_<service>        bundle of a service run in containers (Pacemaker names each replica's
 *                      container, address and remote connection b_<service>-<runtime>-<i>, …)
 *   st_<node>          stonith device fencing <node>; st_<device> a shared device of the cluster
 *   fl_<node>_<index>  fencing level <index> of <node>
 *   p_ping_<network>   ping primitive watching <network>, cl_ping_<network> its clone; it writes
 *                      the node attribute ping_<network>
 *   <node>             ocf:pacemaker:remote connection of a remote node (Pacemaker names the
 *                      remote node after this resource, so it must be the node's own name)
 *   c_<a>_with_<b>     colocation, o_<a>_before_<b> order, l_<a>_<what> location, where <a> and
 *                      <b> are the resources' ids without their p_/g_/cl_/b_ prefix
 *   l_ip_<vip>_connected  the VIP's ping rule, named after the VIP even when it is placed on the
 *                      group holding it (a group holds at most one VIP)
 *
 * Topology names are lowercase letters, digits and hyphens, so they never contain the '_' that
 * separates the parts: ids from different kinds of source cannot meet by accident. Two entities
 * that still derive the same id (a custom service named like a catalogue process) are reported
 * when the topology is lowered (HA3901, src/lower/).
 */
export { MAX_NODE_ID, nodeIdOf } from '../../model/node-id.js';

export const primitiveId = (stem: string): string => `p_${stem}`;
export const vipId = (vip: string): string => `p_ip_${vip}`;
export const rbdId = (service: string): string => `p_rbd_${service}`;
export const filesystemId = (service: string): string => `p_fs_${service}`;
export const groupId = (service: string): string => `g_${service}`;
export const cloneId = (service: string): string => `cl_${service}`;
export const bundleId = (service: string): string => `b_${service}`;
export const stonithId = (node: string): string => `st_${node}`;
export const fencingLevelId = (node: string, index: number): string => `fl_${node}_${index}`;
export const pingId = (network: string): string => `p_ping_${network}`;
export const pingCloneId = (network: string): string => `cl_ping_${network}`;
export const pingAttribute = (network: string): string => `ping_${network}`;

/** The part of a resource id that constraint ids are built from. */
export function stemOf(id: string): string {
  const m = /^(?:p|g|cl|b)_(.*)$/.exec(id);
  return m ? m[1]! : id;
}

export const colocationId = (rsc: string, withRsc: string): string => `c_${stemOf(rsc)}_with_${stemOf(withRsc)}`;
export const orderId = (first: string, then: string): string => `o_${stemOf(first)}_before_${stemOf(then)}`;
export const locationId = (rsc: string, what: string): string => `l_${stemOf(rsc)}_${what}`;

// XML 1.0 NCName restricted to ASCII, which is all topology names can produce.
const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Whether `id` is a valid XML id (an NCName): Pacemaker's schema types every id as xsd:ID. */
export function isXmlId(id: string): boolean {
  return NCNAME.test(id);
}

/**
 * Where apply installs the root-only (0700) script that prints a secret, for agents that take a
 * password_script: the CIB names the script, never the password.
 */
export function secretScriptPath(secret: string): string {
  return `/etc/hactl/secrets/${secret}.sh`;
}

/** Where apply installs the root-only (0600) file holding a secret, for agents that read a file. */
export function secretFilePath(secret: string): string {
  return `/etc/hactl/secrets/${secret}`;
}
