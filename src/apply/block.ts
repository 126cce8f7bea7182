/**
 * Files hactl shares with the node's own content (/etc/hosts, /etc/fstab, /etc/ceph/rbdmap):
 * hactl owns one block between a '# BEGIN hactl' and a '# END hactl' line and leaves every other
 * line alone. The new file is the node's file with that block replaced, or the block appended
 * when there is none yet.
 */
export const BEGIN = '# BEGIN hactl';
export const END = '# END hactl';

/** The old file with `block` (which carries its own BEGIN/END lines) in place of hactl's block. */
export function spliceBlock(old: string | undefined, block: string): string {
  const body = block.endsWith('\n') ? block : `${block}\n`;
  if (old === undefined || old === '') return body;
  const lines = old.split('\n');
  const begin = lines.findIndex((l) => l.trimEnd() === BEGIN);
  const end = begin < 0 ? -1 : lines.findIndex((l, i) => i > begin && l.trimEnd() === END);
  if (begin >= 0 && end > begin) {
    const before = lines.slice(0, begin).join('\n');
    const after = lines.slice(end + 1).join('\n');
    return (begin > 0 ? `${before}\n` : '') + body + after;
  }
  return (old.endsWith('\n') ? old : `${old}\n`) + body;
}

/** hactl's block in a file, or undefined (for the plan's diff of a block file). */
export function blockOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const begin = lines.findIndex((l) => l.trimEnd() === BEGIN);
  const end = begin < 0 ? -1 : lines.findIndex((l, i) => i > begin && l.trimEnd() === END);
  return begin >= 0 && end > begin ? `${lines.slice(begin, end + 1).join('\n')}\n` : undefined;
}
