/**
 * ClusterConfig -> CIB element tree. Ids of attribute sets, nvpairs and operations follow one
 * pattern (<resource>-instance_attributes-<name>, <resource>-<op>-interval-<interval>) so that
 * the same configuration always has the same ids.
 */
import { el, type XmlElement } from '../../xml/tree.js';
import { HACTL_SET_IDS, type RawSection } from '../../vocabulary.js';
import { fencingLevelElement, type AlertConfig, type Bundle, type ClusterConfig, type ClusterNode, type Constraint, type Group, type NvPair, type Primitive, type Resource, type RuleTest, type SetConstraint, type TagConfig } from '../pacemaker/model.js';

/**
 * pacemaker-3.0 is the schema of Pacemaker 2.0: every Pacemaker 2.x accepts it, and a cluster
 * without promotable clones uses nothing newer. One that names roles (Promoted/Unpromoted) needs
 * pacemaker-3.7 (Pacemaker 2.1): the model says which (ClusterConfig.schema). A cluster upgrades
 * the schema on its own when it needs to; a newer validate-with would lock out older clusters.
 */
export const CIB_SCHEMA = 'pacemaker-3.0';
/**
 * The feature set of Pacemaker 2.0.0, matching the schema: the DC rewrites it with its own on
 * the first write; crm_simulate on Pacemaker 2.1.5 refuses sets newer than its 3.16.1.
 */
export const CIB_FEATURE_SET = '3.1.0';

function attributeSet(tag: string, id: string, pairs: readonly NvPair[]): XmlElement[] {
  if (!pairs.length) return [];
  return [el(tag, { id }, pairs.map((p) => el('nvpair', { id: `${id}-${p.name}`, name: p.name, value: p.value })))];
}

function primitive(p: Primitive): XmlElement {
  return el('primitive', { id: p.id, class: p.class, provider: p.provider, type: p.type }, [
    ...attributeSet('instance_attributes', `${p.id}-instance_attributes`, p.params),
    ...attributeSet('meta_attributes', `${p.id}-meta_attributes`, p.meta),
    ...attributeSet('utilization', `${p.id}-utilization`, p.utilization ?? []),
    ...(p.ops.length
      ? [
          el(
            'operations',
            {},
            p.ops.map((o) => el('op', { id: `${p.id}-${o.name}-interval-${o.interval}`, name: o.name, interval: o.interval, timeout: o.timeout, role: o.role, 'on-fail': o.onFail })),
          ),
        ]
      : []),
  ]);
}

function group(g: Group): XmlElement {
  return el('group', { id: g.id }, [...attributeSet('meta_attributes', `${g.id}-meta_attributes`, g.meta), ...g.members.map(primitive)]);
}

const num = (n: number | undefined): string | undefined => (n === undefined ? undefined : String(n));

function bundle(b: Bundle): XmlElement {
  const n = b.network;
  return el('bundle', { id: b.id }, [
    el(b.runtime, { image: b.image, replicas: num(b.replicas), 'replicas-per-host': num(b.replicasPerHost), 'promoted-max': num(b.promotedMax), options: b.options }),
    ...(n
      ? [
          el(
            'network',
            { 'ip-range-start': n.ipRangeStart, 'host-interface': n.hostInterface, 'host-netmask': num(n.hostNetmask), 'control-port': num(n.controlPort) },
            n.ports.map((p) => el('port-mapping', { id: p.id, port: num(p.port), 'internal-port': num(p.internalPort), range: p.range })),
          ),
        ]
      : []),
    ...(b.storage.length ? [el('storage', {}, b.storage.map((m) => el('storage-mapping', { id: m.id, 'source-dir': m.sourceDir, 'source-dir-root': m.sourceDirRoot, 'target-dir': m.targetDir, options: m.options })))] : []),
    ...attributeSet('meta_attributes', `${b.id}-meta_attributes`, b.meta),
    ...(b.primitive ? [primitive(b.primitive)] : []),
  ]);
}

function resource(r: Resource): XmlElement {
  if (r.kind === 'primitive') return primitive(r);
  if (r.kind === 'group') return group(r);
  if (r.kind === 'bundle') return bundle(r);
  return el('clone', { id: r.id }, [...attributeSet('meta_attributes', `${r.id}-meta_attributes`, r.meta), r.child.kind === 'group' ? group(r.child) : primitive(r.child)]);
}

function constraint(k: Constraint): XmlElement {
  switch (k.kind) {
    case 'location':
      if (k.rule) {
        const ruleId = `${k.id}-rule`;
        return el('rsc_location', { id: k.id, rsc: k.rsc, 'resource-discovery': k.resourceDiscovery }, [
          el(
            'rule',
            { id: ruleId, score: k.rule.score, 'score-attribute': k.rule.scoreAttribute, 'boolean-op': k.rule.booleanOp },
            k.rule.expressions.map((e, i) => ruleTest(e, `${ruleId}-expr-${i}`)),
          ),
        ]);
      }
      return el('rsc_location', { id: k.id, rsc: k.rsc, node: k.node, score: k.score });
    case 'colocation':
      return el('rsc_colocation', { id: k.id, rsc: k.rsc, 'with-rsc': k.withRsc, 'with-rsc-role': k.withRscRole, score: k.score });
    case 'order':
      return el('rsc_order', { id: k.id, first: k.first, 'first-action': k.firstAction, then: k.then, kind: k.orderKind });
  }
}

/** The elements of the topology's raw passthrough for one section (copies: the model stays as lowered). */
function rawOf(config: ClusterConfig, section: RawSection): XmlElement[] {
  const copy = (e: XmlElement): XmlElement => ({ name: e.name, attrs: { ...e.attrs }, children: e.children.map(copy) });
  return config.raw.filter((r) => r.section === section).flatMap((r) => r.elements.map(copy));
}

/** Sections that only raw passthrough fills, emitted only when it does. */
function rawOnly(config: ClusterConfig, section: RawSection): XmlElement[] {
  const elements = rawOf(config, section);
  return elements.length ? [el(section, {}, elements)] : [];
}

/** A section emitted only when something fills it (hactl's objects and the raw passthrough's). */
function section(name: RawSection, elements: XmlElement[]): XmlElement[] {
  return elements.length ? [el(name, {}, elements)] : [];
}

function ruleTest(e: RuleTest, id: string): XmlElement {
  if (e.date !== undefined) return el('date_expression', { id, operation: e.date, start: e.start, end: e.end });
  return el('expression', { id, attribute: e.attribute, operation: e.operation, value: e.value });
}

function node(n: ClusterNode): XmlElement {
  return el('node', { id: n.id, uname: n.uname }, [
    ...attributeSet('instance_attributes', `nodes-${n.id}`, n.attributes ?? []),
    ...attributeSet('utilization', `nodes-${n.id}-utilization`, n.utilization ?? []),
  ]);
}

function setConstraint(k: SetConstraint): XmlElement {
  const sets = k.sets.map((s) => el('resource_set', { id: s.id, sequential: s.sequential ? undefined : 'false' }, s.resources.map((r) => el('resource_ref', { id: r }))));
  return k.kind === 'order-set' ? el('rsc_order', { id: k.id, kind: k.orderKind }, sets) : el('rsc_colocation', { id: k.id, score: k.score }, sets);
}

function alert(a: AlertConfig): XmlElement {
  return el('alert', { id: a.id, path: a.path }, [
    ...attributeSet('meta_attributes', `${a.id}-meta_attributes`, a.meta),
    ...(a.select.length ? [el('select', {}, a.select.map((k) => el(`select_${k}`)))] : []),
    ...a.recipients.map((r) => el('recipient', { id: r.id, value: r.value })),
  ]);
}

function tag(g: TagConfig): XmlElement {
  return el('tag', { id: g.id }, g.refs.map((r) => el('obj_ref', { id: r })));
}

/** The whole CIB of a cluster: configuration plus an empty status. */
export function toCib(config: ClusterConfig): XmlElement {
  const levels = [...config.fencingLevels.map(fencingLevelElement), ...rawOf(config, 'fencing-topology')];
  return el('cib', { 'validate-with': config.schema, crm_feature_set: CIB_FEATURE_SET, admin_epoch: '0', epoch: '1', num_updates: '0' }, [
    el('configuration', {}, [
      el('crm_config', {}, [...attributeSet('cluster_property_set', HACTL_SET_IDS.crm_config, config.properties), ...rawOf(config, 'crm_config')]),
      el('nodes', {}, [...config.nodes.map(node), ...rawOf(config, 'nodes')]),
      el('resources', {}, [...config.resources.map(resource), ...rawOf(config, 'resources')]),
      el('constraints', {}, [...config.constraints.map(constraint), ...config.sets.map(setConstraint), ...rawOf(config, 'constraints')]),
      ...(levels.length ? [el('fencing-topology', {}, levels)] : []),
      ...section('tags', [...config.tags.map(tag), ...rawOf(config, 'tags')]),
      ...rawOnly(config, 'acls'),
      ...section('alerts', [...config.alerts.map(alert), ...rawOf(config, 'alerts')]),
      el('rsc_defaults', {}, [...attributeSet('meta_attributes', HACTL_SET_IDS.rsc_defaults, config.rscDefaults), ...rawOf(config, 'rsc_defaults')]),
      el('op_defaults', {}, [...attributeSet('meta_attributes', HACTL_SET_IDS.op_defaults, config.opDefaults), ...rawOf(config, 'op_defaults')]),
    ]),
    el('status'),
  ]);
}

