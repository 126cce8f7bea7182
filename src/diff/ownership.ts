/**
 * Who owns an object of the live CIB. hactl manages what its compile produces; everything else on
 * a cluster (an operator's `crm resource move` constraints, node attributes, a property an
 * operator set, objects outside hactl's ids) is shown as unmanaged: visible, but not drift that
 * an apply would delete.
 */
export interface ObjectRef {
  section: string;
  tag: string;
  id: string;
}

export interface Ownership {
  /** Short name for reports ("hactl", "reference CIB"). */
  name: string;
  /**
   * Whether an object the reference (compiled) side does not have is still one the reference
   * owns, so that its presence on the live side is drift.
   */
  ownsExtra(obj: ObjectRef): boolean;
}

/** Constraints that `crm resource move/ban` and `crm_resource --move/--ban` leave behind. */
const OPERATOR_CONSTRAINT = /^cli-(ban|prefer|standby)-/;

/** True for objects that belong to the cluster's operators whatever the reference says. */
export function alwaysUnmanaged(obj: ObjectRef): boolean {
  // Node entries and their attributes (standby, utilization, health) are per-node state.
  if (obj.section === 'nodes') return true;
  return obj.section === 'constraints' && OPERATOR_CONSTRAINT.test(obj.id);
}

/**
 * The ids hactl's CIB compiler gives objects (src/compile/cib): p_ primitives, g_ groups, cl_
 * clones, c_ colocations, o_ orders, l_ locations, st_/fence_ stonith devices. An object with such
 * an id that the compile did not produce is stale hactl state or someone else using hactl's
 * names: drift either way.
 */
export const HACTL_ID = /^(p|g|cl|ms|c|o|l|st|fence|fl|t)_/;

/** Ownership when the reference is a compiled topology. */
export const HACTL_OWNERSHIP: Ownership = {
  name: 'hactl',
  ownsExtra: (obj) => obj.section !== 'crm_config' && obj.section !== 'rsc_defaults' && obj.section !== 'op_defaults' && HACTL_ID.test(obj.id),
};

/**
 * Ownership when the reference is another saved CIB (`hactl diff --from A --live B`): the
 * reference owns everything except what always belongs to operators.
 */
export const REFERENCE_OWNERSHIP: Ownership = {
  name: 'reference CIB',
  ownsExtra: () => true,
};
