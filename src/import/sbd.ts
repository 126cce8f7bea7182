/**
 * SBD on import. The CIB shows only that SBD fences (a fence_sbd device, or watchdog fencing's
 * stonith-watchdog-timeout); its disks, watchdog and timeouts are in the sbd file every member's
 * sbd unit reads (/etc/default/sbd on Debian, /etc/sysconfig/sbd on RPM distributions) and, for
 * msgwait, on the disks. With that file, SBD becomes the topology's `sbd:` when compile writes the
 * same settings back: the file hactl writes sets the variables below, each to the value the file
 * read sets or, where it leaves one out, to sbd's own default. Anything else (an option hactl
 * writes otherwise, a variable it does not write, a device hactl would derive otherwise) keeps
 * SBD as the cluster runs it, untyped, with the reason: apply replaces the whole file, and would
 * drop or change what the topology cannot say. msgwait is never guessed: it is in the disks'
 * header, which a live import reads with dd as apply does (never with sbd); from a saved file
 * the topology leaves it to hactl's default and a warning says what the operator must confirm.
 */
import { diag, type Diagnostic } from '../diagnostics.js';
import { parseAssignments } from '../formats/assignments.js';
import { isFalse } from '../diff/rules.js';
import { durationSeconds } from '../model/sbd.js';
import type { XmlElement } from '../xml/tree.js';
import { NotTyped, no, operations, plainSet, shownValue, sortedEntries, takeRuntime, type TypedOp } from './typed.js';
import { scalar } from './yaml.js';

/** The sbd file as read: its text and where it came from. */
export interface SbdConfig {
  text: string;
  source: string;
  /** The path sbd reads it from on the node (live reads only). */
  path?: string;
  /** Live reads: the sbd files the node has (two: no path, which one sbd reads is its unit's choice). */
  paths?: string[];
  /** Live reads: each disk's sbd header as read with dd (undefined: blank or unreadable). */
  headers?: Map<string, { watchdog: number; msgwait: number } | undefined>;
}

/** Where RPM distributions keep it: hactl writes Debian's /etc/default/sbd, which sbd there never reads. */
export const SBD_SYSCONFIG = '/etc/sysconfig/sbd';

export interface TypedSbd {
  devices: string[];
  watchdog: string;
  watchdogTimeout: number;
  startmode: 'always' | 'clean';
  /** msgwait as the disks' header says it (live reads); undefined when not read. */
  msgwait?: number;
  /** The fence_sbd device (disk-based SBD): typed as SBD's, not as a fence device of its own. */
  device?: { e: XmlElement; id: string; ops: TypedOp[]; meta: Map<string, string>; runtime: string[] };
  source: string;
}

/** What import found of SBD: typed, or the reason it is not (and what shows SBD in the CIB). */
export type SbdImport = { typed: TypedSbd } | { typed?: undefined; note?: string };

const DEV = /^\/dev\/[A-Za-z0-9_.:@+=-]+(\/[A-Za-z0-9_.:@+=-]+)*$/;

/**
 * The variables the file hactl writes sets, each with the values that mean what hactl writes
 * (the default first: a file leaving the variable out means it too). SBD_DEVICE, the watchdog
 * and SBD_STARTMODE are the topology's and read apart.
 */
const FIXED: Record<string, { default: string; same: (v: string) => boolean; hactl: string }> = {
  SBD_PACEMAKER: { default: 'yes', same: (v) => v === 'yes', hactl: 'yes' },
  SBD_DELAY_START: { default: 'no', same: (v) => v === 'no', hactl: 'no' },
  // "If just one of both is given the other stays at the default" (flush, reboot).
  SBD_TIMEOUT_ACTION: { default: 'flush,reboot', same: (v) => timeoutAction(v) === 'flush,reboot', hactl: 'flush,reboot' },
  SBD_MOVE_TO_ROOT_CGROUP: { default: 'auto', same: (v) => v === 'auto', hactl: 'auto' },
  // The default is the build's; sbd 1.5's packages (Debian 12's, RHEL 9's) say yes.
  SBD_SYNC_RESOURCE_STARTUP: { default: 'yes', same: (v) => v === 'yes', hactl: 'yes' },
  SBD_OPTS: { default: '', same: (v) => v.trim() === '', hactl: '(empty)' },
};
const TOPOLOGY_VARS = new Set(['SBD_DEVICE', 'SBD_WATCHDOG_DEV', 'SBD_WATCHDOG_TIMEOUT', 'SBD_STARTMODE']);

/** SBD_DEVICE's disks, as sbd splits it. */
export function sbdDevices(vars: Map<string, string>): string[] {
  return (vars.get('SBD_DEVICE') ?? '')
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean);
}

function timeoutAction(v: string): string | undefined {
  let flush = 'flush';
  let action = 'reboot';
  for (const part of v.split(',').map((p) => p.trim())) {
    if (part === 'flush' || part === 'noflush') flush = part;
    else if (part === 'reboot' || part === 'crashdump' || part === 'off') action = part;
    else return undefined;
  }
  return `${flush},${action}`;
}

interface CibFacts {
  resources: XmlElement[];
  /** The cluster's properties as the CIB sets them (every set without a rule). */
  property: (name: string) => string | undefined;
}

/** A comment naming what in the CIB shows SBD, or undefined when nothing does. */
function sbdInCib(cib: CibFacts): string | undefined {
  const devices = cib.resources.filter(isSbdDevice).map((e) => `${e.attrs.id} (stonith:${e.attrs.type})`);
  const swt = cib.property('stonith-watchdog-timeout');
  const shown = [...devices, ...(swt !== undefined && durationSeconds(swt) !== 0 ? [`stonith-watchdog-timeout=${swt}`] : [])];
  return shown.length ? shown.join(', ') : undefined;
}

function isSbdDevice(e: XmlElement): boolean {
  return e.name === 'primitive' && e.attrs.class === 'stonith' && (e.attrs.type === 'fence_sbd' || e.attrs.type === 'external/sbd');
}

/** SBD as the topology's `sbd:`, or why it stays as the cluster runs it. Warnings go to `diagnostics`. */
export function importSbd(config: SbdConfig | undefined, cib: CibFacts, diagnostics: Diagnostic[]): SbdImport {
  const shown = sbdInCib(cib);
  if (!config) {
    return shown ? { note: `SBD fences here (${shown}), but its disks and timeouts are in /etc/default/sbd or /etc/sysconfig/sbd (and msgwait on the disks), which were not read: not typed, it runs as it is (import with --sbd-config FILE, or --node/--cluster, to type it)` } : {};
  }
  // Debian's sbd package installs a default file with a watchdog set: the file alone says sbd is
  // installed, not that it fences, so this is a comment and no warning.
  if (!shown) return { note: `SBD not typed: ${config.source} is there, but nothing in the CIB uses SBD (no fence_sbd device, no stonith-watchdog-timeout): sbd is installed, not fencing, and the topology holds none` };
  try {
    if (config.paths && config.paths.length > 1) no('both exist: which one sbd reads is its unit\'s choice');
    if (config.path === SBD_SYSCONFIG) no(`is an RPM distribution's: hactl writes /etc/default/sbd, which sbd there never reads`);
    return { typed: fromFile(config, cib) };
  } catch (e) {
    if (!(e instanceof NotTyped)) throw e;
    diagnostics.push(diag('HA5566', '', { source: config.source, why: e.message }));
    return { note: `SBD not typed: ${config.source} ${e.message}; it runs as it is` };
  }
}

function fromFile(config: SbdConfig, cib: CibFacts): TypedSbd {
  const parsed = parseAssignments(config.text);
  if (!parsed.ok) no(`cannot be read at line ${parsed.line}: ${parsed.detail}`);
  const vars = parsed.vars;
  for (const [k, v] of vars) {
    if (TOPOLOGY_VARS.has(k)) continue;
    const fixed = FIXED[k];
    if (!fixed) no(`sets ${k}, which the file hactl writes does not`);
    if (!fixed.same(v)) no(`sets ${k}=${shownValue(v)}, where hactl writes ${fixed.hactl}`);
  }
  const devices = sbdDevices(vars);
  if (devices.length > 3 || devices.some((d) => !DEV.test(d) || d.length > 255) || new Set(devices).size !== devices.length) no(`sets SBD_DEVICE="${vars.get('SBD_DEVICE')}": a topology holds 1 to 3 distinct disks by their path under /dev`);
  const watchdog = vars.get('SBD_WATCHDOG_DEV') ?? '/dev/watchdog';
  if (!DEV.test(watchdog) || watchdog.length > 255) no(`sets SBD_WATCHDOG_DEV=${shownValue(watchdog)}, no device path a topology holds`);
  const timeout = vars.get('SBD_WATCHDOG_TIMEOUT') ?? '5';
  if (!/^[1-9][0-9]{0,2}$/.test(timeout) || Number(timeout) > 300) no(`sets SBD_WATCHDOG_TIMEOUT=${shownValue(timeout)}: a topology holds 1 to 300 seconds`);
  const startmode = vars.get('SBD_STARTMODE') ?? 'always';
  if (startmode !== 'always' && startmode !== 'clean') no(`sets SBD_STARTMODE=${shownValue(startmode)}: a topology holds always or clean`);
  const out: TypedSbd = { devices, watchdog, watchdogTimeout: Number(timeout), startmode, source: config.source };
  const fenceSbd = cib.resources.filter(isSbdDevice);
  const swt = cib.property('stonith-watchdog-timeout');
  if (!devices.length) {
    if (fenceSbd.length) no(`names no disk, but the CIB has the SBD device ${fenceSbd[0]!.attrs.id}`);
    if (swt === undefined || durationSeconds(swt) === 0 || isFalse(swt)) no('names no disk, and the CIB sets no stonith-watchdog-timeout: sbd runs, but nothing fences with it');
    return out;
  }
  if (fenceSbd.length !== 1) no(`names disks, and the CIB has ${fenceSbd.length || 'no'} SBD fence devices: a topology's disk-based SBD is one fence_sbd device`);
  const e = fenceSbd[0]!;
  if (e.attrs.type !== 'fence_sbd') no(`names disks, and the CIB fences with stonith:${e.attrs.type}: hactl writes fence_sbd`);
  out.device = sbdDevice(e, devices);
  const msgwait = headerMsgwait(config, devices, out.watchdogTimeout);
  if (msgwait !== undefined) out.msgwait = msgwait;
  return out;
}

/**
 * msgwait from the disks' headers (a live read), when every disk has one and they agree. sbd takes
 * the watchdog timeout of the header over SBD_WATCHDOG_TIMEOUT, so the two must agree for the
 * topology's one watchdog_timeout to say both.
 */
function headerMsgwait(config: SbdConfig, devices: string[], timeout: number): number | undefined {
  const found = config.headers ? devices.map((d) => config.headers!.get(d)) : [];
  if (!found.length || found.some((h) => !h)) return undefined;
  const headers = found as { watchdog: number; msgwait: number }[];
  const shown = devices.map((d, i) => `${d}: watchdog ${headers[i]!.watchdog}s, msgwait ${headers[i]!.msgwait}s`).join('; ');
  if (new Set(headers.map((h) => `${h.watchdog}/${h.msgwait}`)).size > 1) no(`names disks whose sbd headers differ (${shown}): a topology holds one watchdog timeout and msgwait`);
  const h = headers[0]!;
  if (h.watchdog !== timeout) no(`sets SBD_WATCHDOG_TIMEOUT=${timeout}, but the disks' header says ${h.watchdog}s, which sbd uses instead: a topology holds one watchdog_timeout`);
  if (h.msgwait < 2 || h.msgwait > 600) no(`names disks whose msgwait is ${h.msgwait}s: a topology holds 2 to 600 seconds`);
  return h.msgwait;
}

/** The fence_sbd device as hactl writes it (devices= the disks joined by commas), its id, operations and meta kept. */
function sbdDevice(e: XmlElement, devices: string[]): NonNullable<TypedSbd['device']> {
  const id = e.attrs.id ?? '';
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(id) || id.length > 128) no(`has the SBD device ${id || '(no id)'}, an id a topology cannot hold`);
  const extra = Object.keys(e.attrs).filter((k) => !['id', 'class', 'type'].includes(k));
  if (extra.length) no(`has the SBD device ${id} with ${extra.join(', ')}`);
  for (const c of e.children) if (!['instance_attributes', 'meta_attributes', 'operations'].includes(c.name)) no(`has the SBD device ${id} holding <${c.name}>`);
  const params = plainSet(e, 'instance_attributes');
  const other = [...params.keys()].filter((k) => k !== 'devices');
  if (other.length) no(`has the SBD device ${id} with ${other.join(', ')}: hactl writes fence_sbd with devices only`);
  if (params.get('devices') !== devices.join(',')) no(`has the SBD device ${id} with devices="${params.get('devices') ?? ''}": hactl writes the disks of SBD_DEVICE, joined by commas`);
  const meta = plainSet(e, 'meta_attributes');
  const runtime = takeRuntime(meta);
  const ops = operations(e);
  if (ops.some((o) => o.role)) no(`has the SBD device ${id} with an operation for a role`);
  return { e, id, ops, meta, runtime };
}

/** SBD typed after the topology's rules had their say: not typed any more, with the rule's words. */
export function refuseSbd(s: SbdImport, why: string, diagnostics: Diagnostic[]): SbdImport {
  if (!s.typed) return s;
  diagnostics.push(diag('HA5566', '', { source: s.typed.source, why }));
  return { note: `SBD not typed: ${s.typed.source} ${why}; it runs as it is` };
}

/** What the operator must confirm of SBD typed from the file: msgwait, which only the disks hold. */
export function sbdWarnings(s: SbdImport, diagnostics: Diagnostic[]): void {
  const t = s.typed;
  if (t?.devices.length && t.msgwait === undefined) diagnostics.push(diag('HA5565', '', { devices: t.devices.join(' '), msgwait: 2 * t.watchdogTimeout, timeout: t.watchdogTimeout }));
}

/** The cluster's `sbd:` (or the comment saying why there is none). */
export function renderSbd(out: string[], indent: string, s: SbdImport): void {
  if (!s.typed) {
    if (s.note) out.push(`${indent}# ${s.note}`);
    return;
  }
  const t = s.typed;
  out.push(`${indent}sbd:  # from ${t.source}; the other variables are as hactl writes them`);
  if (t.devices.length) out.push(`${indent}  devices: [${t.devices.map(scalar).join(', ')}]`);
  out.push(`${indent}  watchdog: ${scalar(t.watchdog)}`, `${indent}  watchdog_timeout: ${t.watchdogTimeout}`, `${indent}  startmode: ${t.startmode}`);
  if (t.msgwait !== undefined) out.push(`${indent}  msgwait: ${t.msgwait}  # the disks' sbd header, read with dd`);
  else if (t.devices.length) out.push(`${indent}  # msgwait: NOT READ (it is on the disks): hactl takes twice watchdog_timeout (${2 * t.watchdogTimeout}); confirm it (HA5565) and write it here`);
  const d = t.device;
  if (!d) return;
  if (d.runtime.length) out.push(`${indent}  # runtime state in the cluster, an operator's: apply keeps it, the topology holds none: ${d.runtime.join(', ')}`);
  out.push(`${indent}  cib:  # the fence_sbd device as the cluster runs it`, `${indent}    id: ${scalar(d.id)}`);
  out.push(`${indent}    operations:${d.ops.length ? '' : ' []'}`);
  for (const o of d.ops) out.push(`${indent}      - { name: ${o.name}, interval: ${scalar(o.interval)}${o.timeout !== undefined ? `, timeout: ${scalar(o.timeout)}` : ''} }`);
  if (d.meta.size) out.push(`${indent}    meta: { ${sortedEntries(d.meta).map(([k, v]) => `${scalar(k)}: ${scalar(v)}`).join(', ')} }`);
}
