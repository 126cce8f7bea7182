/**
 * Instance HA of the current profile, as data: how compute nodes that are pacemaker_remote nodes
 * of the controllers' cluster are fenced. The pattern of the Pacemaker-based distributions (RHOSP
 * 16/17): each compute node's fencing level runs its own power device and then fence_compute
 * (fence-agents), which logs in to Nova, forces the node's nova-compute down and records it for
 * evacuation (the `evacuate` node attribute); a clone on the compute nodes requires unfencing, so
 * a fenced node runs it again only after fence_compute's "on" (which waits for its evacuations and
 * enables the service again). Read from fence_compute's meta-data (fence-agents 4.12).
 *
 * NovaEvacuate, which acts on the recorded attribute and calls nova's evacuate API, is the
 * catalogue service `nova-evacuate` (src/catalog/current.ts) the topology lists in that cluster:
 * its Keystone password is a CIB secret (lrm://), as it has no script option.
 */
export const INSTANCE_HA = {
  /** Catalogue key of the nova API service: instance HA applies to the cluster that runs it. */
  nova: 'nova-current',
  /** Catalogue key of the NovaEvacuate service that must run in that cluster. */
  evacuate: 'nova-evacuate',
  /** Catalogue key of the identity service whose endpoint fence_compute logs in at. */
  keystone: 'keystone-current',
  /** Keystone's public API port and version path (the HAProxy frontend of keystone-current). */
  authUrl: { port: 5000, path: '/v3' },
  device: {
    /** Stem of the stonith resource id (st_<name>). */
    name: 'fence-compute',
    agent: 'fence_compute',
    /**
     * Nova's service user, which has the admin role in the service project (the install guides'
     * `openstack role add --project service --user nova admin`): force-down and evacuate are
     * admin APIs. Its password is the secret of purpose `passwordPurpose`.
     */
    params: { username: 'nova', tenant_name: 'service', user_domain: 'Default', project_domain: 'Default', record_only: '1' } as Record<string, string>,
    passwordPurpose: 'nova-keystone',
    /** fence-agents' option naming a script that prints the password (installed root-only by apply). */
    passwordParam: 'password_script',
    /** Pacemaker unfences the compute nodes with this device before resources that require it start. */
    meta: { provides: 'unfencing' } as Record<string, string>,
  },
  /** A clone on the compute nodes whose start requires unfencing. */
  trigger: { id: 'compute-unfence-trigger', agent: { class: 'ocf', provider: 'pacemaker', type: 'Dummy' }, meta: { requires: 'unfencing' } as Record<string, string> },
} as const;
