/**
 * The plan and the final report as lines with a style; the CLI decides whether styles become
 * colours. Nothing here sees a secret value: file diffs were masked when the plan was made.
 */
import type { DiffLine } from '../diff/index.js';
import { clean } from '../diff/index.js';
import type { ApplyReport } from './execute.js';
import { formatVersion } from './cib.js';
import { describeResourceImpact, disruptionsOf, type ClusterImpact } from './impact.js';
import { brokerPending, changedFiles, isEmpty, type BrokerAction, type Plan } from './plan.js';

export type PlanStyle = 'header' | 'section' | 'added' | 'removed' | 'changed' | 'detail' | 'dim' | 'ok' | 'error';

export interface PlanLine {
  style: PlanStyle;
  text: string;
}

function diffStyle(l: string): PlanStyle {
  if (l.startsWith('@@')) return 'dim';
  if (l.startsWith('+')) return 'added';
  if (l.startsWith('-')) return 'removed';
  return 'detail';
}

const CIB_STYLE: Record<DiffLine['style'], PlanStyle> = {
  header: 'dim',
  section: 'section',
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  unmanaged: 'dim',
  detail: 'detail',
  summary: 'dim',
};

/** What the scheduler will do when a CIB change lands (apply's plan, `hactl diff --impact`). */
export function formatImpact(impact: ClusterImpact, indent = ''): PlanLine[] {
  const out: PlanLine[] = [{ style: 'section', text: `${indent}what Pacemaker does when this lands (crm_simulate on ${impact.node}, live status):` }];
  if (!impact.resources.length && !impact.fencing.length) out.push({ style: 'ok', text: `${indent}  nothing starts, stops or moves` });
  for (const r of impact.resources) out.push({ style: r.action === 'start' || r.action === 'promote' ? 'added' : 'changed', text: `${indent}  ${describeResourceImpact(r)}${r.reason ? `  (${clean(r.reason)})` : ''}` });
  for (const f of impact.fencing) out.push({ style: 'error', text: `${indent}  FENCE ${f.node} (${f.action})${f.reason ? `  (${clean(f.reason)})` : ''}` });
  return out;
}

/** Files whose secret values this run did not have: what a dry run without secrets could not compare. */
function unverifiedLines(plan: Plan): PlanLine[] {
  const files = plan.files.filter((f) => f.unverified?.length);
  if (!files.length) return [];
  return [
    { style: 'section', text: `secret values not compared (not available to this run): ${files.length} file(s), compared without them` },
    ...files.map((f): PlanLine => ({ style: 'dim', text: `  ? ${f.node}:${f.path}  (${f.unverified!.map((s) => `<secret:${s}>`).join(', ')})` })),
  ];
}

export function formatPlan(plan: Plan): PlanLine[] {
  const out: PlanLine[] = [];
  const changed = changedFiles(plan);
  const unchanged = plan.files.length - changed.length;
  out.push({ style: 'header', text: `Plan for ${plan.topology}: ${plan.nodes.length} node(s) (${plan.nodes.join(', ')})` });
  if (isEmpty(plan)) {
    const cibs = plan.cib.map((c) => c.cluster);
    const units = plan.units.length ? `, ${plan.units.length} boot-time unit(s)` : '';
    out.push({ style: 'ok', text: `nothing to do: ${plan.files.length} file(s)${units}${cibs.length ? ` and the CIB of ${cibs.join(', ')}` : ''} already match the topology` });
    out.push(...unverifiedLines(plan));
    out.push(...brokerLines(plan));
    // An operator's objects and runtime state (a stop, an unmanage, a standby) are named: apply keeps them.
    for (const c of plan.cib) {
      if (!c.counts.unmanaged) continue;
      out.push({ style: 'dim', text: `CIB of cluster ${c.cluster}: ${c.counts.unmanaged} unmanaged object(s) or operator state left alone:` });
      for (const l of c.lines) if (l.style === 'unmanaged' || (l.style === 'detail' && l.indent > 2)) out.push({ style: 'dim', text: `  ${' '.repeat(l.indent)}${l.text}` });
    }
    return out;
  }
  out.push({ style: 'section', text: `files: ${changed.filter((f) => f.change === 'create').length} to create, ${changed.filter((f) => f.change === 'update').length} to update, ${unchanged} unchanged` });
  for (const f of changed) {
    const sign = f.change === 'create' ? '+' : '~';
    const what = f.change === 'create' ? 'create' : `update ${f.differs.map((d) => (d === 'content' && f.secretOnly ? 'content: changed (secret)' : d)).join(', ')}`;
    out.push({ style: f.change === 'create' ? 'added' : 'changed', text: `  ${sign} ${f.node}:${f.path}  (${what}; ${f.owner}:${f.group} ${f.mode}${f.install === 'block' ? '; hactl block only' : ''})` });
    for (const l of f.diff) out.push({ style: diffStyle(l), text: `      ${clean(l)}` });
  }
  out.push(...unverifiedLines(plan));
  const off = plan.units.filter((u) => u.want !== 'enabled');
  const units = off.filter((u) => u.steps.length);
  if (off.length) {
    out.push({ style: 'section', text: `boot-time units of services Pacemaker manages: ${units.length} to change, ${off.length - units.length} already off or not installed` });
    for (const u of units) {
      const short = u.want === 'masked' && u.reaches !== 'masked' ? `; ${u.init} cannot mask` : '';
      out.push({ style: 'changed', text: `  ${u.node}: ${u.steps.join(', then ')} ${u.unit}  (${u.was} -> ${u.reaches}${short}; ${u.init}; for ${u.services.join(', ')})` });
    }
  }
  const on = plan.units.filter((u) => u.want === 'enabled');
  if (on.some((u) => u.steps.length || u.was === 'absent')) {
    out.push({ style: 'section', text: 'sbd at boot (it starts with corosync and fences this node)' });
    for (const u of on) {
      if (u.steps.length) out.push({ style: 'changed', text: `  ${u.node}: ${u.steps.join(', then ')} ${u.unit}  (${u.was} -> ${u.reaches}; ${u.init})` });
      else if (u.was === 'absent') out.push({ style: 'removed', text: `  ${u.node}: ${u.unit} is not installed: install the sbd package, or the node cannot be fenced by SBD` });
    }
  }
  if (plan.nodeActions.length) {
    out.push({ style: 'section', text: 'then on the nodes' });
    for (const a of plan.nodeActions) out.push({ style: 'changed', text: `  ${a.node}: ${a.kind} ${a.target}  (because of ${a.because.join(', ')})` });
  }
  for (const c of plan.corosync) {
    const how =
      c.kind === 'reload'
        ? 'reload (corosync-cfgtool -R: every member re-reads corosync.conf; nothing stops)'
        : c.kind === 'rolling-restart'
          ? `rolling restart, one member at a time, each back online before the next: ${c.nodes.join(', ')}`
          : `FULL RESTART of every member at once (${c.nodes.join(', ')}): the cluster's services stop meanwhile`;
    out.push({ style: 'section', text: `corosync of cluster ${c.cluster}: ${how}` });
    for (const r of c.reasons) out.push({ style: 'detail', text: `    ${clean(r)}` });
  }
  for (const c of plan.cib) {
    const head = `CIB of cluster ${c.cluster} (read from ${c.node}, version ${formatVersion(c.base)}): `;
    if (!c.drift) {
      out.push({ style: 'section', text: `${head}no change${c.counts.unmanaged ? ` (${c.counts.unmanaged} unmanaged object(s) left alone)` : ''}` });
      continue;
    }
    out.push({ style: 'section', text: `${head}${c.counts.added + c.counts.removed + c.counts.changed} object(s) to change, pushed as one versioned patch` });
    out.push(...ownershipLines(c));
    out.push({ style: 'dim', text: '  (apply makes the live side match the reference: what is marked - is created on the cluster, + is removed from it, ~ is set to the reference value; unmanaged objects stay as they are)' });
    for (const l of c.lines) out.push({ style: CIB_STYLE[l.style], text: `  ${' '.repeat(l.indent)}${l.text}` });
    const impact = plan.impact.find((i) => i.cluster === c.cluster);
    if (impact) out.push(...formatImpact(impact, '  '));
  }
  for (const q of plan.qdevice ?? []) {
    out.push({ style: 'section', text: `quorum device of cluster ${q.cluster}: no certificate signed for it on ${q.host} yet; run once, in order (apply does not carry the client key between nodes):` });
    for (const s of q.steps) {
      out.push({ style: 'changed', text: `  ${s.node}: ${s.command}${s.note ? `  (${s.note})` : ''}` });
      if (s.carry) out.push({ style: 'detail', text: `      then copy ${s.node}:${s.carry.path} to ${s.carry.to.join(', ')}` });
    }
  }
  for (const a of plan.sbd ?? []) {
    out.push({ style: 'section', text: `SBD disks of cluster ${a.cluster}: run once, on ${a.node}, before sbd starts (it erases what the disks hold; apply never runs sbd):` });
    for (const d of a.disks) out.push({ style: 'detail', text: `  ${d.path}: ${d.state === 'blank' ? 'no sbd header' : d.state === 'differs' ? `created with other timeouts (${d.detail})` : 'could not be read on this node'}` });
    out.push({ style: 'changed', text: `  ${a.node}: ${a.command}` });
  }
  out.push(...brokerLines(plan));
  if (plan.resources.length) {
    out.push({ style: 'section', text: 'then through Pacemaker' });
    for (const r of plan.resources) out.push({ style: 'changed', text: `  ${r.cluster}: restart ${r.resource}, one node at a time for a clone  (because of ${r.because.join(', ')})` });
  }
  const disruptions = disruptionsOf(plan);
  if (disruptions.length) {
    out.push({ style: 'section', text: `disruption, in the order apply runs it (needs --allow-disruption or a yes on the terminal):` });
    disruptions.forEach((d, i) => out.push({ style: 'changed', text: `  ${i + 1}. ${d.what}: interrupts ${d.interrupts.join(', ')}` }));
  } else out.push({ style: 'ok', text: 'no running service is stopped, restarted or moved, and no node is fenced' });
  return out;
}

function brokerLine(plan: Plan, b: BrokerAction): PlanLine {
  const who = `${b.cluster}: RabbitMQ user ${b.user} on vhost ${b.vhost} (${b.service}`;
  const unverified = b.unverified ? '; its password not compared: not available to this run' : '';
  switch (b.state) {
    case 'running':
      return b.steps.length
        ? { style: 'changed', text: `  ${who}, on ${b.node}): rabbitmqctl ${b.steps.join(', then ')}${unverified}` }
        : { style: 'ok', text: `  ${who}, on ${b.node}): exists with its password and permissions${unverified}` };
    case 'stopped':
      return brokerPending(plan, b)
        ? { style: 'changed', text: `  ${who}): read and made after the CIB push, on the node where ${b.resource} then runs` }
        : { style: 'dim', text: `  ${who}): ${b.resource} runs nowhere; made by the apply after it runs again` };
    case 'down':
      return { style: 'error', text: `  ${who}, on ${b.node}): rabbitmqctl gets no answer from the broker; the account was not read (an apply that runs tries again after its CIB phase)` };
    case 'no-ctl':
      return { style: 'error', text: `  ${who}, on ${b.node}): no rabbitmqctl on the node; make the user there by hand` };
    case 'old-cli':
      return { style: 'error', text: `  ${who}, on ${b.node}): this rabbitmqctl (before 3.7) takes a password only on its command line, where ps shows it; apply leaves the user to the operator` };
  }
}

/** The broker accounts (HA review C4): made once, on the broker that runs (its database is the shared one). */
function brokerLines(plan: Plan): PlanLine[] {
  if (!plan.brokers?.length) return [];
  return [{ style: 'section', text: 'broker accounts (on the broker that runs; the password goes on rabbitmqctl\'s stdin, never on a command line)' }, ...plan.brokers.map((b) => brokerLine(plan, b))];
}

/** What the push records as hactl's, and what it would change that hactl did not make. */
function ownershipLines(c: Plan['cib'][number]): PlanLine[] {
  const out: PlanLine[] = [];
  const same = c.adopt.filter((id) => !c.foreign.includes(id));
  if (same.length) out.push({ style: 'changed', text: `  adopts (records as hactl's; they already match the topology): ${same.map(clean).join(', ')}` });
  if (c.foreign.length) {
    out.push(
      c.adoptForeign
        ? { style: 'changed', text: `  adopts and changes (--adopt; not made by hactl): ${c.foreign.map(clean).join(', ')}` }
        : { style: 'error', text: `  not hactl's and different from the topology (apply refuses; --adopt takes them over): ${c.foreign.map(clean).join(', ')}` },
    );
  }
  return out;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
}

export function formatReport(report: ApplyReport): PlanLine[] {
  const cibOf = new Map<string, string>();
  for (const c of report.clusters) {
    const v = c.cib === 'pushed' ? `pushed ${c.from ?? '?'} -> ${c.to ?? '?'}${c.attempts > 1 ? ` (attempt ${c.attempts})` : ''}` : c.cib === 'none' || c.cib === 'unchanged' ? 'no change' : c.cib;
    cibOf.set(c.node, `${c.cluster}: ${v}${c.corosync ? `; corosync ${c.corosync}` : ''}`);
  }
  const rows = [['node', 'files changed', 'CIB', 'result']];
  for (const n of report.nodes) rows.push([n.node, String(n.filesChanged), cibOf.get(n.node) ?? '-', n.result]);
  const out: PlanLine[] = table(rows).map((text, i) => ({ style: i === 0 ? 'header' : 'detail', text }));
  for (const n of report.nodes) if (n.error) out.push({ style: 'error', text: `${n.node}: ${clean(n.error)}` });
  for (const c of report.clusters) for (const b of c.brokers ?? []) out.push({ style: 'detail', text: `cluster ${c.cluster}: RabbitMQ ${clean(b)}` });
  for (const c of report.clusters) if (c.error) out.push({ style: 'error', text: `cluster ${c.cluster}: ${clean(c.error)}` });
  out.push(report.ok ? { style: 'ok', text: 'apply finished' } : { style: 'error', text: 'apply stopped: see above' });
  return out;
}
