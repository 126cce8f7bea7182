/**
 * `hactl report`: one self-contained HTML page (inline CSS and SVG; no script, font or request
 * leaves the file, and its Content-Security-Policy forbids them) telling a cluster's failure story
 * from check's report: the topology map, each cluster's resource graph, the failure rehearsal as
 * a matrix, the findings with their file:line, the availability of every service path against the
 * SLA with its arithmetic, and the assumptions. Every string from the topology is HTML-escaped.
 * Deterministic: no clock, no random; the same topology and report give the same bytes.
 */
import type { CheckReport } from '../check/index.js';
import { HOURS_PER_YEAR, sci, type PathEstimate } from '../check/availability.js';
import type { ClusterRehearsal, Scenario, ServiceState } from '../check/rehearsal.js';
import type { Diagnostic } from '../diagnostics.js';
import { clusterDot } from '../graph/dot.js';
import { topologyMapDot } from '../graph/map.js';
import { inlineSvg, renderSvg } from '../graph/svg.js';
import type { Lowered } from '../lower/index.js';
import type { Topology } from '../model/types.js';
import { compareStrings } from '../util/compare.js';

/** Text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const e = escapeHtml;

export interface ReportPictures {
  map: string;
  clusters: { cluster: string; svg: string }[];
}

/** The pictures of a report, rendered with Graphviz (WebAssembly). */
export async function reportPictures(model: Lowered): Promise<ReportPictures> {
  const t = model.topology;
  const map = await renderSvg(topologyMapDot(t));
  const clusters = [];
  for (const config of model.clusters) clusters.push({ cluster: config.name, svg: await renderSvg(clusterDot({ topology: t, config })) });
  return { map, clusters };
}

export async function htmlReport(model: Lowered, report: CheckReport, opts: { file: string }): Promise<string> {
  return renderHtmlReport(model.topology, report, await reportPictures(model), opts);
}

/** An SVG from Graphviz as page content: its size kept as a maximum, scaled down to the page. */
function figure(svg: string, caption: string): string {
  const el = inlineSvg(svg).replace(/^<svg\b/, '<svg class="picture" role="img"');
  return `<figure>${el}<figcaption>${e(caption)}</figcaption></figure>`;
}

function verdictOf(report: CheckReport): { ok: boolean; errors: number; warnings: number; below: PathEstimate[] } {
  const errors = report.findings.filter((d) => d.severity === 'error').length;
  const below = report.availability.paths.filter((p) => p.meetsSla === false);
  return { ok: errors === 0, errors, warnings: report.findings.length - errors, below };
}

export function renderHtmlReport(t: Topology, report: CheckReport, pictures: ReportPictures, opts: { file: string }): string {
  const v = verdictOf(report);
  const a = report.availability;
  const scenarios = report.rehearsal?.clusters.reduce((n, c) => n + c.scenarios.length, 0);
  const worst = [...a.paths].sort((x, y) => x.availability - y.availability)[0];
  const sla = a.sla === undefined ? 'no SLA set' : `SLA ${a.sla}%`;
  const headline = v.ok
    ? `No HA problem found${a.sla !== undefined ? (v.below.length ? '' : `: every service path meets its ${a.sla}% SLA`) : ''}`
    : `${v.errors} HA problem${v.errors === 1 ? '' : 's'} found`;
  const body = [
    `<header class="${v.ok ? 'ok' : 'bad'}"><h1>${e(t.name)} <span class="sub">high-availability report</span></h1>`,
    `<p class="verdict">${e(headline)}</p>`,
    `<p class="meta">topology ${e(opts.file)} · region ${e(t.region)}${t.release ? ` · OpenStack ${e(t.release)}` : ''} · ${e(sla)}</p></header>`,
    '<section class="cards">',
    card('findings', `${v.errors} error${v.errors === 1 ? '' : 's'}, ${v.warnings} warning${v.warnings === 1 ? '' : 's'}`, v.errors ? 'bad' : v.warnings ? 'warn' : 'ok'),
    card('failure rehearsal', scenarios === undefined ? 'skipped' : `${scenarios} scenario${scenarios === 1 ? '' : 's'}, ${report.rehearsal!.runs} crm_simulate runs`, scenarios === undefined ? 'warn' : report.rehearsal!.findings.length ? 'bad' : 'ok'),
    card('service paths', `${a.paths.length - v.below.length} of ${a.paths.length} meet the SLA`, v.below.length ? 'bad' : 'ok'),
    worst ? card('lowest availability', `${worst.availability.toFixed(5)}% (${worst.cluster}/${worst.service}, ${worst.minutesPerYear.toFixed(1)} min/year)`, worst.meetsSla === false ? 'bad' : 'ok') : '',
    '</section>',
    // The answer first (does it meet the SLA, what happens when a node fails), then the evidence.
    section('availability', 'Availability per service path', availabilitySection(report)),
    section('rehearsal', 'Failure rehearsal', rehearsalSection(report)),
    section('findings', 'Findings', findingsSection(report.findings)),
    section('topology', 'Topology', topologySection(t, pictures.map)),
    section('clusters', 'Clusters: resources and constraints', clustersSection(t, pictures.clusters)),
    section('arithmetic', 'The arithmetic', arithmeticSection(report)),
    section('assumptions', 'Assumptions', `<ul>${a.assumptions.map((s) => `<li>${e(s)}</li>`).join('')}</ul><p class="note">An estimate to compare designs with, not a promise.</p>`),
    `<footer>hactl report · ${e(opts.file)}</footer>`,
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // Nothing may be fetched or run: the page is read offline and may be mailed around.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(t.name)}: high-availability report</title>`,
    `<style>${CSS}</style></head><body>`,
    ...body,
    '</body></html>',
    '',
  ].join('\n');
}

function card(title: string, value: string, tone: 'ok' | 'warn' | 'bad'): string {
  return `<div class="card ${tone}"><div class="label">${e(title)}</div><div class="value">${e(value)}</div></div>`;
}

function section(id: string, title: string, content: string): string {
  return `<section id="${e(id)}"><h2>${e(title)}</h2>${content}</section>`;
}

const sorted = <T>(o: Record<string, T>): [string, T][] => Object.entries(o).sort(([x], [y]) => compareStrings(x, y));

function topologySection(t: Topology, map: string): string {
  const nets = sorted(t.networks);
  const head = `<tr><th>node</th><th>roles</th><th>cluster</th>${nets.map(([n, net]) => `<th>${e(n)}<br><span class="dim">${e(net.cidr)}</span></th>`).join('')}<th>fencing</th></tr>`;
  const rows = sorted(t.nodes).map(([name, n]) => {
    const cluster = n.cluster ? n.cluster : n.remoteOf ? `${n.remoteOf} (remote)` : '';
    const cells = nets.map(([net]) => `<td class="addr">${e(n.addresses[net] ?? '')}</td>`).join('');
    const fence = n.fencing ? `${n.fencing.agent}${n.fencing.address ? ` ${n.fencing.address}` : ''}` : '';
    return `<tr class="node" data-node="${e(name)}"><th>${e(name)}${n.bond ? ` <span class="dim">bond ${e(n.bond.name)}</span>` : ''}</th><td>${e(n.roles.join(', '))}</td><td>${e(cluster)}</td>${cells}<td>${e(fence)}</td></tr>`;
  });
  const vips = sorted(t.clusters).flatMap(([cname, c]) =>
    sorted(c.vips).map(([vname, vip]) => {
      const users = sorted(c.services).filter(([, s]) => s.vip === vname).map(([s]) => s);
      return `<tr class="vip" data-vip="${e(`${cname}/${vname}`)}"><th>${e(vname)}</th><td>${e(cname)}</td><td class="addr">${e(vip.address)}${vip.prefix !== undefined ? `/${vip.prefix}` : ''}</td><td>${e(vip.network)}</td><td>${e(users.join(', '))}</td></tr>`;
    }),
  );
  return [
    figure(map, 'Networks, nodes (by cluster) with their address on each network, fence devices (BMC) and VIPs.'),
    `<table class="grid"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`,
    vips.length ? `<h3>Virtual IPs</h3><table class="grid"><thead><tr><th>VIP</th><th>cluster</th><th>address</th><th>network</th><th>services</th></tr></thead><tbody>${vips.join('')}</tbody></table>` : '',
  ].join('');
}

function clustersSection(t: Topology, svgs: ReportPictures['clusters']): string {
  const legend =
    '<p class="legend"><span class="k order">→ order (solid: Mandatory, grey: Optional)</span> <span class="k coloc">⇢ colocation, with its score</span> <span class="k fence">→ fences</span> <span class="k loc">⋯ location or rule score</span> boxes: groups (solid) and clones (dashed)</p>';
  return (
    legend +
    svgs
      .map(({ cluster, svg }) => {
        const c = t.clusters[cluster]!;
        return `<h3>cluster ${e(cluster)}</h3>${figure(svg, `members ${c.nodes.join(', ')}${c.remoteNodes.length ? `; remote ${c.remoteNodes.join(', ')}` : ''}; corosync links ${c.links.join(', ')}; fencing ${c.fencing.enabled ? 'enabled' : `disabled (${c.fencing.reason ?? 'no reason given'})`}`)}`;
      })
      .join('')
  );
}

function rehearsalSection(report: CheckReport): string {
  if (!report.rehearsal) return '<p class="note">The rehearsal was skipped (--no-rehearsal): no crm_simulate run backs this report.</p>';
  const intro = `<p>Pacemaker's own scheduler (<code>crm_simulate</code>) on the compiled CIB, settled with every node online, then every single node failure and, for clusters of three or more, every pair. A cell tells where the service runs afterwards: <span class="tag stays">stays</span> <span class="tag moved">moved</span> <span class="tag stopped">stopped</span>.</p>`;
  return intro + report.rehearsal.clusters.map(matrix).join('');
}

function servicesOf(c: ClusterRehearsal): string[] {
  return c.settled.map((s) => s.service).sort(compareStrings);
}

function matrix(c: ClusterRehearsal): string {
  const services = servicesOf(c);
  const settled = new Map(c.settled.map((s) => [s.service, s]));
  const head = `<tr><th>failure</th><th>quorum</th><th>fencing</th>${services.map((s) => `<th>${e(s)}</th>`).join('')}</tr>`;
  const base = `<tr class="settled"><th>none (all online)</th><td></td><td></td>${services.map((s) => cell(settled.get(s), undefined)).join('')}</tr>`;
  const rows = c.scenarios.map((s) => scenarioRow(s, services, settled));
  return `<h3>cluster ${e(c.cluster)} <span class="dim">(${e(c.nodes.join(', '))})</span></h3><div class="scroll"><table class="grid matrix" data-cluster="${e(c.cluster)}"><thead>${head}</thead><tbody>${base}${rows.join('')}</tbody></table></div>`;
}

function scenarioRow(s: Scenario, services: string[], settled: Map<string, ServiceState>): string {
  const byName = new Map(s.services.map((x) => [x.service, x]));
  const fencing = s.fencing.map((f) => (!f.required ? `${f.node}: not needed` : f.possible ? `${f.node} fenced by ${f.devices.join(', ')}` : `${f.node}: NOT possible`)).join('; ');
  const fenceTone = s.fencing.some((f) => f.required && !f.possible) ? 'stopped' : '';
  const cls = `scenario${s.survivable ? '' : ' beyond'}`;
  const title = `${s.failed.join(' + ')} fail${s.failed.length > 1 ? '' : 's'}`;
  const note = s.survivable ? '' : '<br><span class="dim">beyond what quorum survives</span>';
  return `<tr class="${cls}" data-failed="${e(s.failed.join(' '))}"><th>${e(title)}${note}</th><td>${s.quorum ? 'kept' : '<span class="tag stopped">lost</span>'}</td><td class="${fenceTone}">${e(fencing)}</td>${services.map((svc) => cell(byName.get(svc), settled.get(svc))).join('')}</tr>`;
}

function cell(now: ServiceState | undefined, before: ServiceState | undefined): string {
  if (!now) return '<td></td>';
  if (!now.up) return `<td class="stopped" title="${e(`stopped: ${now.stopped.join(', ')}`)}">stopped</td>`;
  const where = `${now.nodes.join(', ')}${now.promoted ? ` (promoted ${now.promoted.join(', ')})` : ''}`;
  if (!before) return `<td class="stays">${e(where)}</td>`;
  const moved = before.nodes.join(',') !== now.nodes.join(',') || (before.promoted ?? []).join(',') !== (now.promoted ?? []).join(',');
  return moved ? `<td class="moved">→ ${e(where)}</td>` : `<td class="stays">${e(where)}</td>`;
}

function findingsSection(findings: readonly Diagnostic[]): string {
  if (!findings.length) return '<p>No single point of failure, rehearsal or availability finding.</p>';
  const rows = findings.map((d) => {
    const where = `${d.file ?? ''}:${d.start?.line ?? 1}:${d.start?.col ?? 1}`;
    return `<tr class="finding ${e(d.severity)}"><td><span class="tag ${d.severity === 'error' ? 'stopped' : 'moved'}">${e(d.severity)}</span></td><td><code>${e(d.code)}</code></td><td class="addr">${e(where)}<br><span class="dim">${e(d.pointer || '/')}</span></td><td>${e(d.message)}${d.hint ? `<br><span class="hint">fix: ${e(d.hint)}</span>` : ''}</td></tr>`;
  });
  return `<table class="grid"><thead><tr><th></th><th>code</th><th>where</th><th>finding</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function availabilitySection(report: CheckReport): string {
  const a = report.availability;
  const r = a.rates;
  const qNode = r.node.mttrHours / (r.node.mtbfHours + r.node.mttrHours);
  const qLink = r.link.mttrHours / (r.link.mtbfHours + r.link.mttrHours);
  const rates = `<p class="note">Rates: node MTBF ${r.node.mtbfHours} h, MTTR ${r.node.mttrHours} h → q(node) = MTTR/(MTBF+MTTR) = ${sci(qNode)}; link MTBF ${r.link.mtbfHours} h, MTTR ${r.link.mttrHours} h → q(link) = ${sci(qLink)}; failover ${r.failoverSeconds} s; Ceph pause ${r.cephFailoverSeconds} s. ${r.overridden.length ? `Set in the topology: ${e(r.overridden.join(', '))}.` : 'All defaults.'}</p>`;
  const rows = sortedPaths(report).map((p) => {
    const tone = p.meetsSla === undefined ? '' : p.meetsSla ? 'stays' : 'stopped';
    const vs = a.sla === undefined ? '' : p.meetsSla ? `≥ ${a.sla}%` : `< ${a.sla}%`;
    return `<tr class="path"><th>${e(`${p.cluster}/${p.service}`)}</th><td>${e(p.needs.join(' → '))}${p.ceph ? ' → ceph' : ''}</td><td class="num">${p.availability.toFixed(5)}%</td><td class="num">${p.minutesPerYear.toFixed(1)}</td><td class="${tone}">${e(vs)}</td></tr>`;
  });
  const table = `<table class="grid"><thead><tr><th>service</th><th>path</th><th>availability</th><th>min/year</th><th>SLA</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return table + rates;
}

function sortedPaths(report: CheckReport): PathEstimate[] {
  return [...report.availability.paths].sort((x, y) => x.availability - y.availability || compareStrings(`${x.cluster}/${x.service}`, `${y.cluster}/${y.service}`));
}

/** Every path's terms, the lowest path's open. */
function arithmeticSection(report: CheckReport): string {
  const details = sortedPaths(report).map((p, i) => `<details${i === 0 ? ' open' : ''}><summary>${e(`${p.cluster}/${p.service}`)}: ${p.availability.toFixed(5)}%</summary>${arithmetic(p)}</details>`).join('');
  return `<p class="note">U(path) = Σ over the minimal failure sets that stop the path of Π q(unit), plus the outage of every failover; A = 1 − U.</p>${details}`;
}

function arithmetic(p: PathEstimate): string {
  const terms = [...p.cutSets, ...p.failover, ...p.undetected];
  const rows = terms.map((x) => `<tr><td>${e(x.label)}</td><td class="addr">${e(x.formula)}</td><td class="num">${sci(x.value)}</td></tr>`);
  if (p.otherCutSets.count) rows.push(`<tr><td>${p.otherCutSets.count} more failure set(s)</td><td></td><td class="num">${sci(p.otherCutSets.value)}</td></tr>`);
  rows.push(`<tr class="total"><td>U = sum</td><td class="addr">A = 1 − U; U × ${HOURS_PER_YEAR} h × 60</td><td class="num">${sci(p.unavailability)} → ${p.availability.toFixed(5)}%, ${p.minutesPerYear.toFixed(1)} min/year</td></tr>`);
  return `<table class="grid arith"><tbody>${rows.join('')}</tbody></table>`;
}

const CSS = `
:root{--ok:#2e7d32;--okbg:#e8f5e9;--warn:#a66300;--warnbg:#fff4e0;--bad:#c62828;--badbg:#fdecea;--line:#d7dce1;--ink:#1d2733;--dim:#66717d}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,"Liberation Sans",sans-serif;color:var(--ink);background:#f6f8fa}
header{padding:22px 32px;color:#fff;background:#263238}
header.ok{border-bottom:6px solid var(--ok)}header.bad{border-bottom:6px solid var(--bad)}
h1{margin:0;font-size:26px}h1 .sub{font-weight:400;opacity:.75;font-size:18px}
.verdict{font-size:18px;margin:8px 0 4px;font-weight:600}.meta{margin:0;opacity:.8}
section{margin:18px 32px;padding:16px 20px;background:#fff;border:1px solid var(--line);border-radius:8px}
section.cards{display:flex;gap:14px;flex-wrap:wrap;background:none;border:0;padding:0}
.card{flex:1 1 200px;padding:12px 16px;border-radius:8px;border:1px solid var(--line);background:#fff;border-left:6px solid}
.card.ok{border-left-color:var(--ok)}.card.warn{border-left-color:var(--warn)}.card.bad{border-left-color:var(--bad)}
.card .label{color:var(--dim);font-size:12px;text-transform:uppercase;letter-spacing:.05em}.card .value{font-size:16px;font-weight:600}
h2{margin:0 0 10px;font-size:19px}h3{margin:16px 0 8px;font-size:15px}
table.grid{border-collapse:collapse;margin:8px 0;font-size:13px}
.grid th,.grid td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
.grid thead th{background:#eef1f4}
.matrix td{text-align:center;white-space:nowrap}
td.stays{background:var(--okbg);color:var(--ok)}td.moved{background:var(--warnbg);color:var(--warn);font-weight:600}td.stopped{background:var(--badbg);color:var(--bad);font-weight:700}
tr.settled th,tr.settled td{border-bottom:2px solid #90a4ae}tr.beyond{opacity:.7}
.tag{display:inline-block;padding:0 6px;border-radius:4px;font-size:12px;font-weight:600}
.tag.stays{background:var(--okbg);color:var(--ok)}.tag.moved{background:var(--warnbg);color:var(--warn)}.tag.stopped{background:var(--badbg);color:var(--bad)}
.addr,code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12px}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.dim{color:var(--dim);font-weight:400}.hint{color:var(--dim)}.note{color:var(--dim)}
.scroll{overflow-x:auto}
figure{margin:8px 0;overflow-x:auto}figcaption{color:var(--dim);font-size:12px}
svg.picture{max-width:100%;height:auto}
.legend .k{margin-right:14px}.k.order{color:#333}.k.coloc{color:#1565c0}.k.fence{color:#b22222}.k.loc{color:#8e24aa}
details{margin:4px 0}summary{cursor:pointer;font-weight:600}
tr.total td{font-weight:600;background:#eef1f4}
footer{margin:18px 32px 32px;color:var(--dim);font-size:12px}
`.trim();
