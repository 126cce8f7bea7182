/**
 * What a node may be called: the name the host calls itself (`uname -n`, `crm_node -n`, the
 * `name:` of corosync.conf's nodelist), so that hactl names a node as Pacemaker, corosync and ssh
 * do. A host name or FQDN: labels of letters (case kept), digits, '-' and '_' (kernels and
 * Pacemaker take underscores, and clusters run with them), no label starting or ending with '-'
 * (ssh would read a leading one as an option), single dots between labels, at most 64 characters
 * (the kernel's HOST_NAME_MAX), not only digits and dots (that reads as an address). Every
 * character is one an XML id holds, so ids derived from a node name carry it unchanged. The same
 * pattern stands in schemas/topology.schema.json.
 */
export const NODE_NAME = /^(?![0-9.]+$)[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?)*$/;
export const NODE_NAME_MAX = 64;

export function isNodeName(name: string): boolean {
  return name.length <= NODE_NAME_MAX && NODE_NAME.test(name);
}

/** Pacemaker finds a node by its name ignoring case: the key two names are one node under. */
export function nodeNameKey(name: string): string {
  return name.toLowerCase();
}
