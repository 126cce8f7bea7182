/**
 * The OpenStack files of a node (OPENSTACK_FILES decides which) and the one context their
 * templates share: endpoints, secrets by purpose, Ceph clients, release flags.
 */
import { pick, secretPurposes, SERVICES, type Family, type HereFacts, type ServiceEntry, type ServiceFacts, type TemplateFacts } from '../../catalog/index.js';
import { processesOf } from '../../model/resolve.js';
import type { Node, Topology } from '../../model/types.js';
import { uuidV5 } from '../../util/uuid.js';
import { sinceFlags } from '../../vocabulary.js';
import type { ChangeAction } from '../artifact.js';
import { CEPH_CONF } from './ceph.js';
import { endpoint, mountOf, ownVip, secretName, type Placement } from './facts.js';
import type { Gap } from './gaps.js';
import { networkingName, OPENSTACK_FILES, type OpenStackFile } from './openstack.js';
import { all, nodeFile, type Once, type PlannedFile, type SecretFile } from './plan.js';
import { HORIZON_DB_PASSWORD_FILE, HORIZON_KEY_FILE } from './secret-files.js';
import { haproxyFor, type Frontend } from './current.js';
import { compareStrings } from '../../util/compare.js';

/** Every catalogue endpoint by its template name (`ep.<name>.host`), null where the file has none. */
type Endpoints = Record<string, { host: string } | null>;

/** A cephx client's pool, user and libvirt secret (`ceph.client.<client>`). */
interface CephClient {
  pool: string;
  user: string;
  secretUuid: string;
}

/**
 * What OpenStack templates read. The facts about services (`here`, `svc`, `ep`, `ceph.client`)
 * are derived from catalogue entries and the topology alone (TemplateFacts in
 * src/catalog/types.ts says what each holds); nothing here names a service.
 */
export interface OpenStackContext extends TemplateFacts {
  since: ReturnType<typeof sinceFlags>;
  net: { name: string; Name: 'Quantum' | 'Neutron' };
  /** `compute`: the node runs nova-compute (a compute role), whatever else it runs. */
  node: { name: string; address: string; compute: boolean };
  region: string;
  ep: Endpoints;
  /** The secret name of every catalogue purpose, read as `secrets.<purpose>` (`secrets.nova-db`). */
  secrets: Record<string, string>;
  ceph: { conf: string; client: Record<string, CephClient> };
  instancesPath: string;
  /** Nova's RBD image backend (current family): the instances pool's cephx client, or null. */
  instances: (CephClient & { pool: string }) | null;
  secretKeyFile: string;
  dbPasswordFile: string;
  /** HAProxy's frontends, on the nodes that run the service carrying the VIPs (else null). */
  haproxy: { frontends: Frontend[] } | null;
}

/** The address services of a node listen on and are listed at: its management address. */
function managementAddress(n: Node | undefined): string {
  return n?.addresses['management'] ?? Object.values(n?.addresses ?? {})[0] ?? '';
}

/** The libvirt secret uuid that nova and cinder name for a cephx client: derived from the fsid. */
function libvirtSecretUuid(fsid: string, client: string): string {
  return uuidV5(fsid, `libvirt-secret:client.${client}`);
}

/** The name templates know a catalogue entry by. */
function templateName(e: ServiceEntry): string {
  return e.as ?? e.key;
}

/** `here.<name>` for each service the node runs (the first placement of an entry wins). */
function hereFacts(family: Family, mine: Placement[]): Record<string, HereFacts> {
  const out: Record<string, HereFacts> = {};
  for (const p of mine) {
    const entry = p.service.entry;
    if (!entry || out[templateName(entry)]) continue;
    const prefix = entry.sharedHost === undefined ? null : pick(entry.sharedHost, family);
    out[templateName(entry)] = {
      cluster: p.cluster.name,
      vip: ownVip(p) ?? null,
      mount: mountOf(p.service) ?? null,
      host: prefix === null ? null : `${prefix}-${p.cluster.name}`,
    };
  }
  return out;
}

/** `svc.<name>` for every catalogue entry, from the first cluster that runs it. */
function serviceFacts(t: Topology, family: Family): Record<string, ServiceFacts> {
  const out: Record<string, ServiceFacts> = {};
  for (const entry of SERVICES) {
    // Entries of other families may share a template name (keystone of 2013 and of today).
    if (entry.families && !entry.families.includes(family)) continue;
    const s = Object.values(t.clusters)
      .flatMap((c) => Object.values(c.services))
      .find((x) => x.entry?.key === entry.key);
    out[templateName(entry)] = {
      activeNodes: s && s.mode === 'active-active' && s.nodes.length > 1 ? s.nodes.length : null,
      members: s ? [...s.nodes].sort(compareStrings).map((name) => ({ name, address: managementAddress(t.nodes[name]) })) : [],
    };
  }
  return out;
}

/** `ceph.client.<client>` for each cephx client a pool names (the first pool by name). */
function cephClients(t: Topology): Record<string, CephClient> {
  // Keyed by names from the topology: no prototype, so a client named `constructor` is one too.
  const out: Record<string, CephClient> = Object.create(null) as Record<string, CephClient>;
  if (!t.ceph) return out;
  for (const pool of Object.values(t.ceph.pools)) {
    if (!pool.client || out[pool.client]) continue;
    out[pool.client] = { pool: pool.name, user: pool.client, secretUuid: libvirtSecretUuid(t.ceph.fsid, pool.client) };
  }
  return out;
}

/** The OpenStack files a node reads, with their readers (empty when the node reads none). */
export function openstackFilesOf(family: Family, n: Node, mine: Placement[]) {
  const compute = n.roles.includes('compute');
  const out: { spec: OpenStackFile; readers: ReturnType<typeof readersOn>; computeUnit: string | undefined }[] = [];
  if (!mine.length && !compute) return out;
  for (const spec of OPENSTACK_FILES) {
    if (spec.families && !spec.families.includes(family)) continue;
    const readers = readersOn(spec, mine, family);
    const computeUnit = compute && spec.compute ? pick(spec.compute, family) : undefined;
    if (readers.length || computeUnit) out.push({ spec, readers, computeUnit });
  }
  return out;
}

export function openstackFiles(t: Topology, family: Family, n: Node, mine: Placement[], gaps: (spec: OpenStackFile) => Gap[], once: Once): PlannedFile[] {
  const files: PlannedFile[] = [];
  let here: Record<string, HereFacts> | undefined;
  for (const { spec, readers, computeUnit } of openstackFilesOf(family, n, mine)) {
    // A file with a hole is left out: lowering reported it as an error, so this plan is never compiled.
    if (gaps(spec).length) continue;
    const actions: ChangeAction[] = readers.map((r): ChangeAction => ({ kind: 'restart', service: r.process, cluster: r.cluster }));
    const services = readers.map((r) => r.daemon);
    if (computeUnit) {
      actions.push({ kind: 'restart', service: computeUnit });
      services.push(computeUnit);
    }
    here ??= hereFacts(family, mine);
    files.push(
      nodeFile<OpenStackContext>({
        node: n.name,
        target: pick(spec.target, family),
        template: pick(spec.template, family),
        grammar: spec.grammar,
        context: openstackContext(t, family, n, spec, here, once),
        services: [...new Set(services)].sort(),
        onChange: all(actions),
        secrets: [...new Set(pick(spec.secrets, family).map((p) => secretName(t, p)))].sort(),
        secretGroup: pick(spec.group, family),
      }),
    );
  }
  return files;
}

/**
 * The whole-file secrets OpenStack files list (`secretFiles`: the Erlang cookie, Keystone's key
 * repositories), on each node that gets the file: the same content on every such node.
 */
export function listedSecretFiles(t: Topology, family: Family, n: Node, mine: Placement[], gaps: (spec: OpenStackFile) => Gap[]): SecretFile[] {
  const out: SecretFile[] = [];
  for (const { spec, readers } of openstackFilesOf(family, n, mine)) {
    // Left out with its file when the file has a hole (lowering reports it).
    if (!spec.secretFiles || gaps(spec).length) continue;
    for (const f of spec.secretFiles) {
      out.push({
        node: n.name,
        target: f.target,
        owner: f.owner,
        group: f.group,
        mode: f.mode,
        secret: secretName(t, f.purpose),
        services: [...new Set(readers.map((r) => r.daemon))].sort(),
        onChange: f.restart ? all(readers.map((r) => ({ kind: 'restart', service: r.process, cluster: r.cluster }))) : { kind: 'none' },
      });
    }
  }
  return out;
}

function readersOn(spec: OpenStackFile, mine: Placement[], family: Family): { process: string; daemon: string; cluster: string }[] {
  const out: { process: string; daemon: string; cluster: string }[] = [];
  for (const r of spec.readers) {
    for (const p of mine) {
      if (p.key !== r.key) continue;
      for (const proc of processesOf(p.service, family)) {
        if (r.processes && !r.processes.includes(proc.id)) continue;
        out.push({ process: proc.id, daemon: proc.daemon, cluster: p.cluster.name });
      }
    }
  }
  return out;
}

/** Every catalogue endpoint by its template name: the VIP when the file needs or uses it, else null. */
function endpointsFor(t: Topology, family: Family, spec: OpenStackFile): Endpoints {
  const wanted = new Set([...pick(spec.needs, family), ...(spec.uses ?? [])]);
  const out: Endpoints = {};
  for (const entry of SERVICES) {
    if (!entry.endpoint || (entry.families && !entry.families.includes(family))) continue;
    const e = wanted.has(entry.key) ? endpoint(t, entry.key) : undefined;
    out[templateName(entry)] = e && 'address' in e ? { host: e.address } : null;
  }
  return out;
}

/** What every OpenStack file of the topology shares, built once. */
type Shared = Pick<OpenStackContext, 'since' | 'net' | 'region' | 'svc' | 'secrets' | 'ceph' | 'instancesPath' | 'instances' | 'secretKeyFile' | 'dbPasswordFile'>;

function shared(t: Topology, family: Family): Shared {
  const name = networkingName(family);
  const clients = cephClients(t);
  const pool = t.compute?.instances ? t.ceph?.pools[t.compute.instances.pool] : undefined;
  const instances = pool?.client ? clients[pool.client] : undefined;
  return {
    // Templates ask "this family or later", never "this family": a family added later inherits
    // the newest options until its templates say otherwise.
    since: sinceFlags(family),
    net: { name, Name: name === 'quantum' ? 'Quantum' : 'Neutron' },
    region: t.region,
    svc: serviceFacts(t, family),
    secrets: Object.fromEntries(secretPurposes().map((p) => [p.id, secretName(t, p.id)])),
    ceph: { conf: CEPH_CONF, client: clients },
    instancesPath: t.compute?.instances?.mount ?? '/var/lib/nova/instances',
    instances: instances ? { ...instances, pool: t.compute!.instances!.pool } : null,
    secretKeyFile: HORIZON_KEY_FILE,
    dbPasswordFile: HORIZON_DB_PASSWORD_FILE,
  };
}

function openstackContext(t: Topology, family: Family, n: Node, spec: OpenStackFile, here: Record<string, HereFacts>, once: Once): OpenStackContext {
  return {
    ...once('openstack', () => shared(t, family)),
    node: { name: n.name, address: managementAddress(n), compute: n.roles.includes('compute') },
    ep: once(`openstack-ep:${spec.id}`, () => endpointsFor(t, family, spec)),
    here,
    haproxy: haproxyFor(t, n),
  };
}
