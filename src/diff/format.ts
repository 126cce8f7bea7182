/**
 * A CibDiff as lines a reviewer reads: grouped by section, managed drift first and the
 * unmanaged objects after it, each object with its attribute-level changes below it. Lines are
 * data with a style; the CLI decides whether styles become colours. Every id and value is
 * cleaned of control characters, so a hostile CIB cannot drive the terminal.
 */
import type { CibDiff, ObjectChange, ValueChange } from './compare.js';

export type LineStyle = 'header' | 'section' | 'added' | 'removed' | 'changed' | 'unmanaged' | 'detail' | 'summary';

export interface DiffLine {
  style: LineStyle;
  indent: number;
  text: string;
}

export interface DiffLabels {
  /** What the reference side is, e.g. "compiled fixtures/lab.yaml, cluster lab". */
  from: string;
  /** What the live side is, e.g. "live CIB of n1". */
  live: string;
}

const SIGN = { added: '+', removed: '-', changed: '~' } as const;
const SECTION_TITLE: Record<string, string> = {
  cib: 'cib',
  crm_config: 'cluster properties',
  rsc_defaults: 'resource defaults',
  op_defaults: 'operation defaults',
  nodes: 'nodes',
  resources: 'resources',
  constraints: 'constraints',
  'fencing-topology': 'fencing topology',
  tags: 'tags',
  acls: 'ACLs',
  alerts: 'alerts',
};

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text from a CIB made safe to print: control characters and bidi overrides shown as \u escapes. */
export function clean(s: string): string {
  return s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function value(v: string | undefined): string {
  return v === undefined ? '(none)' : clean(JSON.stringify(v));
}

function valueLine(c: ValueChange): string {
  const path = clean(c.path);
  if (c.kind === 'changed') return `${SIGN.changed} ${path}: ${value(c.from)} -> ${value(c.to)}`;
  const v = c.kind === 'added' ? c.to : c.from;
  return `${SIGN[c.kind]} ${path}${v === undefined ? '' : `: ${value(v)}`}`;
}

function objectLines(c: ObjectChange, indent: number): DiffLine[] {
  const where = c.parents.length ? ` (in ${c.parents.map(clean).join(' / ')})` : '';
  const summary = `${c.summary ? `  ${clean(c.summary)}` : ''}${c.foreign && !c.parents.length ? "  (not recorded as hactl's: apply changes it only with --adopt)" : ''}`;
  const head: DiffLine = { style: c.managed ? c.kind : 'unmanaged', indent, text: `${SIGN[c.kind]} ${c.tag} ${clean(c.id)}${where}${summary}` };
  return [head, ...c.changes.map((v): DiffLine => ({ style: 'detail', indent: indent + 4, text: valueLine(v) }))];
}

export function formatDiff(diff: CibDiff, labels: DiffLabels): DiffLine[] {
  const lines: DiffLine[] = [
    { style: 'header', indent: 0, text: `--- ${clean(labels.from)}` },
    { style: 'header', indent: 0, text: `+++ ${clean(labels.live)}` },
    { style: 'header', indent: 0, text: '(- only in the reference, + only on the live side, ~ changed: reference -> live)' },
  ];
  const managed = diff.changes.filter((c) => c.managed);
  const unmanaged = diff.changes.filter((c) => !c.managed);
  let section = '';
  for (const c of managed) {
    if (c.section !== section) {
      section = c.section;
      lines.push({ style: 'section', indent: 0, text: SECTION_TITLE[section] ?? clean(section) });
    }
    lines.push(...objectLines(c, 2));
  }
  if (unmanaged.length) {
    lines.push({ style: 'section', indent: 0, text: 'unmanaged (not the reference\'s to manage; shown, not drift)' });
    for (const c of unmanaged) lines.push(...objectLines(c, 2));
  }
  const n = diff.counts;
  const total = n.added + n.removed + n.changed;
  lines.push({
    style: 'summary',
    indent: 0,
    text: total
      ? `drift: ${total} object(s) differ (${n.added} only live, ${n.removed} only in the reference, ${n.changed} changed)${n.unmanaged ? `; ${n.unmanaged} unmanaged` : ''}`
      : `no drift${n.unmanaged ? ` (${n.unmanaged} unmanaged object(s) shown above)` : ''}`,
  });
  return lines;
}

/** The diff as JSON for machines: the same data as the text, secrets already masked. */
export function diffToJson(diff: CibDiff, labels: DiffLabels): unknown {
  return { from: labels.from, live: labels.live, drift: diff.drift, counts: diff.counts, changes: diff.changes };
}
