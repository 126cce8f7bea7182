/**
 * What kind of filesystem holds a directory, as the kernel says it (statfs, /sys), never guessed
 * from its path: the bench prints it beside the compile rows, because how fast a compile's output
 * is written depends on it as much as on hactl.
 */
import { existsSync, readFileSync, realpathSync, statfsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

// statfs(2) f_type values (linux/magic.h).
const TMPFS_MAGIC = 0x01021994;
const EXT_MAGIC = 0xef53; // ext2, ext3 and ext4 share it

/**
 * { kind: 'tmpfs' | 'ext4' | 'other', device?, journal? } for the filesystem holding dir.
 * For ext4, `device` is the block device's kernel name and `journal` whether the filesystem has
 * one: /sys/fs/ext4/DEVICE/journal_task names the journal's thread, or `<none>` without a journal.
 * `journal` is absent when /sys does not tell.
 */
export function filesystemOf(dir) {
  const type = statfsSync(dir).type;
  if (type === TMPFS_MAGIC) return { kind: 'tmpfs' };
  if (type !== EXT_MAGIC) return { kind: 'other' };
  const dev = statSync(dir).dev;
  // Linux's encoding of a device number (new_encode_dev): the minor's low 8 bits, then 12 bits of
  // major, then the minor's upper bits.
  const major = (dev >> 8) & 0xfff;
  const minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
  let device;
  try {
    device = basename(realpathSync(`/sys/dev/block/${major}:${minor}`));
  } catch {
    return { kind: 'other' };
  }
  const sys = join('/sys/fs/ext4', device);
  // ext2 and ext3 mounted by their own drivers have no /sys/fs/ext4 entry.
  if (!existsSync(sys)) return { kind: 'other', device };
  let journal;
  try {
    journal = readFileSync(join(sys, 'journal_task'), 'utf8').trim() !== '<none>';
  } catch {
    // an older kernel without the attribute: not known
  }
  return { kind: 'ext4', device, ...(journal === undefined ? {} : { journal }) };
}
