/** CIBs of fenced two-node clusters n1/n2, as the import tests read them (fencing.test.ts, fence-levels.tools.test.ts). */

/** A two-node CIB with fencing on, holding these resources, constraints and levels. */
export function cib(resources: string, constraints = '', levels = ''): string {
  return `<cib admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.7"><configuration><crm_config><cluster_property_set id="o"><nvpair id="o-s" name="stonith-enabled" value="true"/><nvpair id="o-p" name="priority-fencing-delay" value="15s"/></cluster_property_set></crm_config><nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes><resources>${resources}</resources><constraints>${constraints}</constraints><fencing-topology>${levels}</fencing-topology></configuration><status/></cib>`;
}

export const pdu = (map: string) =>
  `<primitive id="st_pdu" class="stonith" type="fence_apc_snmp"><instance_attributes id="st_pdu-ia"><nvpair id="st_pdu-ip" name="ip" value="198.51.100.240"/><nvpair id="st_pdu-map" name="pcmk_host_map" value="${map}"/></instance_attributes><operations><op id="st_pdu-mon" name="monitor" interval="60s"/></operations></primitive>`;

/** Fencing levels of the nodes a pattern or an attribute selects, naming the PDU, beside a node's own level. */
export function targetLevelsCib(pattern = '^n[12]$'): string {
  const levels = `<fencing-level id="fl-pat-1" target-pattern="${pattern}" index="1" devices="st_pdu"/><fencing-level id="fl-rack-1" target-attribute="rack" target-value="r1" index="1" devices="st_pdu"/><fencing-level id="fl-n1-1" target="n1" index="1" devices="st_pdu"/>`;
  return cib(pdu('n1:1;n2:2'), '', levels).replace('<node id="1" uname="n1"/>', '<node id="1" uname="n1"><instance_attributes id="n1-ia"><nvpair id="n1-rack" name="rack" value="r1"/></instance_attributes></node>');
}

