/**
 * The `sbd create` step of disk-based SBD. Writing the header and slots to a shared disk erases
 * what is there and must happen once, from one node, before sbd starts: an operator step apply
 * lists and never runs. apply never runs the sbd binary either (several of its commands open the
 * watchdog): it reads the first 32 bytes of each disk with dd and decodes sbd's header itself
 * (magic "SBD_SBD_", then the timeouts as 32-bit big-endian seconds at bytes 16 and 28).
 */
import type { Cluster } from '../model/types.js';
import type { Transport } from '../remote/ssh.js';

export interface SbdDisk {
  path: string;
  /** blank: no sbd header; differs: created with other timeouts; unreadable: dd failed. */
  state: 'ready' | 'blank' | 'differs' | 'unreadable';
  detail?: string;
}

/** The header's timeouts, or undefined when the bytes hold no sbd header. */
export function decodeSbdHeader(bytes: Uint8Array): { watchdog: number; msgwait: number } | undefined {
  if (bytes.length < 32 || String.fromCharCode(...bytes.subarray(0, 8)) !== 'SBD_SBD_') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { watchdog: view.getUint32(16), msgwait: view.getUint32(28) };
}

/** What a disk holds compared with what the cluster's SBD wants. */
export function diskState(c: Cluster, path: string, bytes: Uint8Array | undefined): SbdDisk {
  if (!bytes) return { path, state: 'unreadable' };
  const h = decodeSbdHeader(bytes);
  if (!h) return { path, state: 'blank' };
  const s = c.sbd!;
  if (h.watchdog === s.watchdogTimeout && h.msgwait === s.msgwait) return { path, state: 'ready' };
  return { path, state: 'differs', detail: `watchdog ${h.watchdog}s, msgwait ${h.msgwait}s on the disk` };
}

/** The command the operator runs once, on one member, for the disks that need it. */
export function sbdCreateCommand(c: Cluster, paths: string[]): string {
  const s = c.sbd!;
  return `sbd ${paths.map((p) => `-d ${p}`).join(' ')} -1 ${s.watchdogTimeout} -4 ${s.msgwait} create`;
}

/** The header as hex through od, so that the transport carries text; a failed dd leaves od nothing to print. */
const READ_HEADER = 'dd if="$1" bs=32 count=1 2>/dev/null | od -An -v -tx1';

/** The first 32 bytes of a disk on a node, read with dd (never sbd); undefined when dd could not read them. */
export async function readSbdHeaderBytes(t: Transport, node: string, path: string): Promise<Uint8Array | undefined> {
  const r = await t.exec(node, ['sh', '-c', READ_HEADER, 'hactl-sbd', path]);
  const hex = r.stdout.trim().split(/\s+/).filter(Boolean);
  return r.exitCode === 0 && hex.length >= 32 ? Uint8Array.from(hex.slice(0, 32).map((h) => parseInt(h, 16))) : undefined;
}

export async function readSbdDisks(t: Transport, node: string, c: Cluster): Promise<SbdDisk[]> {
  const out: SbdDisk[] = [];
  for (const path of c.sbd?.devices ?? []) out.push(diskState(c, path, await readSbdHeaderBytes(t, node, path)));
  return out;
}
