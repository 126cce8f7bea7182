/**
 * Pacemaker's CIB secrets: a resource parameter whose CIB value is the marker `lrm://` is read, by
 * pacemaker-execd (pacemaker_remoted on a remote node) and pacemaker-fenced at each operation, from
 * /var/lib/pacemaker/lrm/secrets/<resource id>/<parameter> on the node running it, after checking
 * it against <parameter>.sign (the MD5 of the value, hex). Both files are root's, 0600, in a
 * directory only root can enter; apply writes them the way `cibsecret set` does (the value and
 * the sum each on one line). Only the nodes that may run the resource hold them.
 */
import type { ClusterConfig, Primitive } from '../pacemaker/model.js';
import { primitivesOf } from '../pacemaker/model.js';
import type { SecretFile } from './plan.js';

/** Where Pacemaker looks for CIB secrets (its configure default, Debian's and Red Hat's builds). */
export const CIB_SECRETS_DIR = '/var/lib/pacemaker/lrm/secrets';

/** The file holding a resource parameter's secret value; its checksum is the same path + `.sign`. */
export function cibSecretPath(resource: string, param: string): string {
  return `${CIB_SECRETS_DIR}/${resource}/${param}`;
}

function filesOf(cluster: string, p: Primitive): SecretFile[] {
  const s = p.secrets;
  if (!s) return [];
  const out: SecretFile[] = [];
  for (const node of s.nodes) {
    for (const [param, secret] of Object.entries(s.params)) {
      const file = (target: string, form: NonNullable<SecretFile['form']>): SecretFile => ({
        node,
        target,
        owner: 'root',
        group: 'root',
        mode: '0600',
        secret,
        form,
        services: [p.class === 'stonith' ? 'pacemaker-fenced' : 'pacemaker-execd'],
        onChange: s.restart ? { kind: 'restart', service: s.restart, cluster } : { kind: 'none' },
      });
      out.push(file(cibSecretPath(p.id, param), 'cib-secret'), file(`${cibSecretPath(p.id, param)}.sign`, 'cib-secret-sign'));
    }
  }
  return out;
}

/** Every CIB-secret file of every cluster, by node. */
export function cibSecretFiles(clusters: readonly ClusterConfig[]): Map<string, SecretFile[]> {
  const byNode = new Map<string, SecretFile[]>();
  for (const c of clusters) {
    for (const r of c.resources) {
      for (const p of primitivesOf(r)) {
        for (const f of filesOf(c.name, p)) {
          let list = byNode.get(f.node);
          if (!list) byNode.set(f.node, (list = []));
          list.push(f);
        }
      }
    }
  }
  return byNode;
}
