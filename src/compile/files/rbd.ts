/** RBD images a node maps (/etc/ceph/rbdmap) and mounts (/etc/fstab on compute nodes). */
import type { Node, Topology } from '../../model/types.js';
import { keyring } from './ceph.js';
import { instancesImage } from './facts.js';
import { rbdClient } from './gaps.js';
import { nodeFile, type PlannedFile } from './plan.js';

export interface RbdmapContext {
  images: { pool: string; image: string; client: string; keyring: string }[];
}

export interface FstabContext {
  device: string;
  mount: string;
  fs: string;
  options: string;
}

/** rbdmap entries (compute: the node's instances image; service nodes: their RBD images) and fstab. */
export function rbdFiles(t: Topology, n: Node): PlannedFile[] {
  const images: RbdmapContext['images'] = [];
  const files: PlannedFile[] = [];
  let computeMount: string | undefined;
  const inst = t.compute?.instances;
  const instClient = inst ? rbdClient(t, inst.pool) : undefined;
  if (n.roles.includes('compute') && inst?.mount && instClient && 'client' in instClient) {
    const client = instClient.client;
    const image = instancesImage(inst.image, n.name);
    images.push({ pool: inst.pool, image, client, keyring: keyring(client) });
    computeMount = inst.mount;
    files.push(
      nodeFile<FstabContext>({
        node: n.name,
        target: '/etc/fstab',
        template: 'fstab',
        grammar: 'fstab',
        // _netdev: mounted after the network (and rbdmap) are up; noatime spares the cluster writes.
        context: { device: `/dev/rbd/${inst.pool}/${image}`, mount: inst.mount, fs: 'xfs', options: '_netdev,noatime' },
        onChange: { kind: 'mount', path: computeMount },
        install: 'block',
      }),
    );
  }
  // Images of services' storage are not listed: Pacemaker maps and mounts them (ocf:ceph:rbd,
  // Filesystem). rbdmap.service maps every listed image at boot, so the probe on a rebooting
  // passive node would find it active and Pacemaker would restart the service group where it
  // runs; at shutdown its `unmap-all` would pull the image from under Pacemaker (review M1).
  if (images.length) {
    files.push(
      nodeFile<RbdmapContext>({
        node: n.name,
        target: '/etc/ceph/rbdmap',
        template: 'rbdmap',
        grammar: 'rbdmap',
        context: { images },
        services: computeMount ? ['rbdmap'] : [],
        // rbdmap.service's reload maps new entries without unmapping mounted ones.
        onChange: computeMount ? { kind: 'reload', service: 'rbdmap' } : { kind: 'none' },
        install: 'block',
      }),
    );
  }
  return files;
}
