/**
 * Fence agents as data: which agent parameter receives each first-class fencing field of the
 * topology. Checked against `fence_ipmilan -o metadata` (fence-agents 4.12) and cluster-glue's
 * external/ipmi. Adding an agent with other parameter names is adding an entry.
 */
export interface FenceAgentEntry {
  /** Parameter that receives fencing.address (the BMC). */
  address?: string;
  /** Parameter that receives fencing.username. */
  username?: string;
  /**
   * How the password (a secret) reaches the agent without ever being written into the CIB:
   * 'script' names a root-only script printing it, 'file' a root-only file holding it (both
   * installed by apply); `extra` are parameters the agent needs to read it that way.
   */
  password?: { param: string; ref: 'script' | 'file'; extra?: Record<string, string> };
  /** Parameter and values for fencing.lanplus (IPMI v2.0). */
  lanplus?: { param: string; on: string; off: string };
  /** Parameter that names the fenced node to the agent itself (besides pcmk_host_list). */
  host?: string;
  /**
   * The device is the node's own management controller (a BMC): it shares the node's power
   * supply, so after a power failure of the node it answers nobody and fencing through it fails.
   */
  bmc?: boolean;
}

// fence-agents' common options: every network fence_* agent takes ip, username and
// password_script (the older ipaddr/login/passwd_script names are deprecated aliases).
const FENCE_AGENTS_COMMON: FenceAgentEntry = {
  address: 'ip',
  username: 'username',
  password: { param: 'password_script', ref: 'script' },
};

// fence_ipmilan and the names it is installed under for vendors' BMCs; lanplus is its option.
const IPMI: FenceAgentEntry = { ...FENCE_AGENTS_COMMON, lanplus: { param: 'lanplus', on: '1', off: '0' }, bmc: true };

export const FENCE_AGENTS: Record<string, FenceAgentEntry> = {
  fence_ipmilan: IPMI,
  fence_ipmilanplus: IPMI,
  fence_idrac: IPMI,
  fence_ilo3: IPMI,
  fence_ilo4: IPMI,
  fence_ilo5: IPMI,
  fence_imm: IPMI,
  // DMTF Redfish, the BMC API of current servers (iDRAC 8+, iLO 5+, XCC), over HTTPS.
  fence_redfish: { ...FENCE_AGENTS_COMMON, bmc: true },
  // cluster-glue's 2013-era IPMI plugin: its own names; passwd_method=file makes `passwd` the
  // path of a file holding the password instead of the password itself.
  'external/ipmi': {
    address: 'ipaddr',
    username: 'userid',
    password: { param: 'passwd', ref: 'file', extra: { passwd_method: 'file' } },
    lanplus: { param: 'interface', on: 'lanplus', off: 'lan' },
    host: 'hostname',
    bmc: true,
  },
};

/** The entry for a fence agent: its own, the fence-agents common one, or none (params only). */
export function fenceAgentEntry(agent: string): FenceAgentEntry {
  return (Object.hasOwn(FENCE_AGENTS, agent) ? FENCE_AGENTS[agent] : undefined) ?? (agent.startsWith('fence_') ? FENCE_AGENTS_COMMON : {});
}
