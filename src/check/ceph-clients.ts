/**
 * The Ceph client side the compiled files rely on and hactl does not make (HA review M10): the
 * keyrings the Pacemaker RBD resources, rbdmap, cinder, glance and the gateways read, the libvirt
 * secret nova-compute attaches volumes with, and the pools themselves. Each is a warning that
 * names the commands, from the compiled output (what apply installs), so a later hactl that
 * installs one silences its warning.
 */
import { CLIENT_CAPS, POOL_CAP } from '../catalog/ceph.js';
import { DEFAULT_FAMILY, pick } from '../catalog/index.js';
import { keyring } from '../compile/files/ceph.js';
import { nodeFilePath } from '../compile/files/index.js';
import { paramOf, primitivesOf } from '../compile/pacemaker/model.js';
import { diag, pointerOf, type Diagnostic } from '../diagnostics.js';
import type { Lowered } from '../lower/index.js';
import { compareStrings } from '../util/compare.js';
import { readIni, type CompiledOutput } from './services.js';

/** INI files and the option in them that names the cephx client the daemon connects as. */
const CLIENT_OPTIONS: { file: string; option: string; who: string }[] = [
  { file: '/etc/cinder/cinder.conf', option: 'rbd_user', who: 'cinder-volume' },
  { file: '/etc/cinder/cinder.conf.d/60-hactl.conf', option: 'rbd_user', who: 'cinder-volume' },
  { file: '/etc/glance/glance-api.conf', option: 'rbd_store_user', who: 'glance-api' },
  { file: '/etc/glance/glance-api.conf.d/60-hactl.conf', option: 'rbd_store_user', who: 'glance-api' },
];

/** Files that name libvirt's secret for RBD volumes on a compute node. */
const LIBVIRT_FILES = ['/etc/nova/nova.conf', '/etc/nova/nova.conf.d/60-hactl.conf'];

export function cephClientFindings(model: Lowered, out: CompiledOutput): Diagnostic[] {
  const t = model.topology;
  const ceph = t.ceph;
  if (!ceph) return [];
  const family = t.family ?? DEFAULT_FAMILY;
  const caps = pick(CLIENT_CAPS, family);
  const poolCap = pick(POOL_CAP, family);
  // client -> node -> who reads its keyring there
  const needs = new Map<string, Map<string, Set<string>>>();
  const need = (client: string, node: string, who: string) => {
    const nodes = needs.get(client) ?? new Map<string, Set<string>>();
    nodes.set(node, (nodes.get(node) ?? new Set()).add(who));
    needs.set(client, nodes);
  };
  for (const config of out.configs) {
    const cluster = t.clusters[config.name];
    for (const p of config.resources.flatMap(primitivesOf)) {
      const user = p.class === 'ocf' && p.provider === 'ceph' && p.type === 'rbd' ? paramOf(p, 'user') : undefined;
      if (user) for (const n of cluster?.nodes ?? []) need(user, n, p.id);
    }
  }
  const secrets = new Map<string, { client: string; nodes: string[] }>();
  for (const n of Object.keys(t.nodes).sort(compareStrings)) {
    const rbdmap = out.files.get(nodeFilePath(n, '/etc/ceph/rbdmap')) ?? '';
    for (const line of rbdmap.split('\n')) {
      const m = /^\S+\s+id=([^,\s]+)/.exec(line.trim());
      if (m && !line.trim().startsWith('#')) need(m[1]!, n, 'rbdmap');
    }
    for (const o of CLIENT_OPTIONS) {
      const text = out.files.get(nodeFilePath(n, o.file));
      if (text === undefined) continue;
      for (const section of readIni(text).values()) {
        const client = section.get(o.option);
        if (client) need(client, n, o.who);
      }
    }
    if (t.nodes[n]!.roles.includes('radosgw')) need(`radosgw.${n}`, n, 'radosgw');
    if (!t.nodes[n]!.roles.includes('compute')) continue;
    for (const f of LIBVIRT_FILES) {
      const text = out.files.get(nodeFilePath(n, f));
      if (text === undefined) continue;
      for (const section of readIni(text).values()) {
        const uuid = section.get('rbd_secret_uuid');
        if (!uuid) continue;
        const s = secrets.get(uuid) ?? { client: section.get('rbd_user') ?? 'cinder', nodes: [] };
        if (!s.nodes.includes(n)) s.nodes.push(n);
        secrets.set(uuid, s);
      }
    }
  }
  const findings: Diagnostic[] = [];
  for (const [client, nodes] of [...needs].sort((a, b) => compareStrings(a[0], b[0]))) {
    const path = keyring(client);
    const missing = [...nodes.keys()].filter((n) => !out.files.has(nodeFilePath(n, path))).sort(compareStrings);
    if (!missing.length) continue;
    const pools = Object.values(ceph.pools).filter((p) => p.client === client).map((p) => p.name).sort(compareStrings);
    const cap = client.startsWith('radosgw') ? caps.radosgw : caps.rbd.replace('{pools}', pools.map((p) => poolCap.replace('{pool}', p)).join(', ') || poolCap.replace('{pool}', '…'));
    const users = [...new Set(missing.flatMap((n) => [...nodes.get(n)!]))].sort(compareStrings);
    findings.push(diag('HA6063', pointerOf('ceph'), { client, path, nodes: missing.join(', '), users: users.join(', '), command: `ceph auth get-or-create client.${client} ${cap} -o ${path}` }));
  }
  for (const [uuid, s] of [...secrets].sort((a, b) => compareStrings(a[0], b[0]))) {
    findings.push(diag('HA6064', pointerOf('ceph'), { uuid, client: s.client, nodes: s.nodes.sort(compareStrings).join(', ') }));
  }
  const pools = Object.values(ceph.pools).sort((a, b) => compareStrings(a.name, b.name));
  if (pools.length) {
    findings.push(diag('HA6065', pointerOf('ceph', 'pools'), { pools: pools.map((p) => `${p.name} (${p.pgs})`).join(', '), commands: pools.map((p) => caps.poolCreate.replaceAll('{pool}', p.name).replace('{pgs}', String(p.pgs))).join('; ') }));
  }
  return findings;
}
