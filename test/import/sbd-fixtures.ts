/** CIBs and sbd files of SBD clusters, as import tests read them (sbd.test.ts, sbd.tools.test.ts). */

export const DISK = '/dev/disk/by-id/wwn-0x6001405aaaaaaaaaaaaaaaaaaaaaaaa01';

/** A CIB of `count` nodes with fencing on, these properties and resources. */
export function sbdCib(count: number, props: Record<string, string>, resources = '', levels = ''): string {
  const nv = Object.entries({ 'stonith-enabled': 'true', ...props }).map(([k, v]) => `<nvpair id="o-${k}" name="${k}" value="${v}"/>`).join('');
  const nodes = Array.from({ length: count }, (_, i) => `<node id="${i + 1}" uname="n${i + 1}"/>`).join('');
  return `<cib admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.7"><configuration><crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="o-hw" name="have-watchdog" value="true"/>${nv}</cluster_property_set></crm_config><nodes>${nodes}</nodes><resources>${resources}</resources><constraints/><fencing-topology>${levels}</fencing-topology></configuration><status/></cib>`;
}

/** crmsh's bootstrap form of the fence_sbd device. */
export const STONITH_SBD = `<primitive id="stonith-sbd" class="stonith" type="fence_sbd"><instance_attributes id="stonith-sbd-ia"><nvpair id="stonith-sbd-devices" name="devices" value="${DISK}"/></instance_attributes><operations><op id="stonith-sbd-mon" name="monitor" interval="15s" timeout="20s"/></operations></primitive>`;

/** An sbd file as the distributions ship it (comments, every variable), with these changes. */
export function sbdFile(set: Record<string, string>): string {
  const base: Record<string, string> = { SBD_PACEMAKER: 'yes', SBD_STARTMODE: 'always', SBD_DELAY_START: 'no', SBD_WATCHDOG_DEV: '/dev/watchdog', SBD_WATCHDOG_TIMEOUT: '5', SBD_TIMEOUT_ACTION: 'flush,reboot', SBD_MOVE_TO_ROOT_CGROUP: 'auto', SBD_SYNC_RESOURCE_STARTUP: 'yes', SBD_OPTS: '' };
  return `## Type: string\n## Default: ""\n#\n# SBD_DEVICE specifies the devices to use.\n#\n#SBD_DEVICE=""\n\n${Object.entries({ ...base, ...set })
    .map(([k, v]) => `# ${k}\n${k}=${v}\n`)
    .join('\n')}`;
}

