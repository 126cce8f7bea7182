/**
 * The quorum and fencing story of each cluster, in words: how many votes there are and who keeps
 * quorum in a split (two_node's fence race, or the side a quorum device picks), which devices fence
 * each node in which order and which of them still work after the node loses power (a BMC loses
 * it with the node; a PDU outlet, SBD and the watchdog do not), and SBD's timeouts. Pure: read from
 * the model and the compiled CIB, so it says what the rehearsal and the rules reason with.
 */
import { HA_NEEDS } from '../catalog/ha-needs.js';
import { fenceAgentEntry } from '../catalog/index.js';
import type { ClusterConfig, Primitive } from '../compile/pacemaker/model.js';
import { primitivesOf } from '../compile/pacemaker/model.js';
import type { Lowered } from '../lower/index.js';
import type { Cluster } from '../model/types.js';
import { isDiskless, sbdFences, watchdogFencingSeconds } from '../model/sbd.js';
import { arbiterOf, deviceVotes, keptAlive, majorityTolerance, possibleNodes, quorumTolerance } from './model.js';
import { indexResources } from './rehearsal.js';

export interface ClusterStory {
  cluster: string;
  quorum: string;
  /** SBD's timeouts, when the cluster runs SBD. */
  sbd?: string;
  /** The votes of each service with a quorum of its own (Galera, quorum queues), with its arbiter's. */
  ownQuorum?: string[];
  /** One line per fenced node (or one saying fencing is off). */
  fencing: string[];
}

export function clusterStories(model: Lowered): ClusterStory[] {
  return model.clusters.map((config) => storyOf(model.topology.clusters[config.name]!, config));
}

function quorumLine(c: Cluster): string {
  const n = c.nodes.length;
  const q = c.qdevice;
  const tolerance = quorumTolerance(c);
  if (c.properties['no-quorum-policy'] === 'ignore') return `${n} member(s), no-quorum-policy=ignore: every partition runs resources, whatever its votes`;
  if (q) {
    const dv = deviceVotes(c);
    const total = n + dv;
    const tie = q.tieBreaker === 'lowest' ? 'the lowest node id' : q.tieBreaker === 'highest' ? 'the highest node id' : `${q.tieBreaker}'s side`;
    const split = n === 2 ? 'no fence race: a member cut off from qnetd loses quorum and stops, the other keeps it' : `survives ${tolerance} failure(s), the qnetd host counted as one`;
    return `${n} members + quorum device on ${q.host} (${q.algorithm}, ${dv} vote(s)): ${total} votes, ${Math.floor(total / 2) + 1} needed; qnetd votes for one partition (the larger, then ${tie}): ${split}`;
  }
  if (n === 2) return '2 members, two_node: each alone keeps quorum, so a split is a fence race that the first to fence the other wins (a quorum device would decide it)';
  return `${n} members, ${Math.floor(n / 2) + 1} needed: survives ${tolerance} member failure(s)`;
}

/** `galera: 2 members (ctl1, ctl2) + garbd on arbiter: 3 votes, 2 needed, survives 1 failure(s)`. */
function ownQuorumLines(c: Cluster): string[] {
  return keptAlive(c).flatMap((s) => {
    const spec = s.entry ? HA_NEEDS[s.entry.key]?.majority : undefined;
    if (!spec) return [];
    const members = possibleNodes(c, s);
    const arbiter = arbiterOf(s);
    const votes = members.length + (arbiter ? 1 : 0);
    return [`${s.name}: ${members.length} member(s) (${members.join(', ')})${arbiter ? ` + ${spec.arbiter!.name} on ${arbiter}` : ''}: ${votes} votes, ${Math.floor(votes / 2) + 1} needed, survives ${majorityTolerance(votes)} failure(s)`];
  });
}

function sbdLine(c: Cluster, config: ClusterConfig): string | undefined {
  const sbd = c.sbd;
  if (!sbd) return undefined;
  const stonith = config.properties.find((p) => p.name === 'stonith-timeout')?.value ?? '60s';
  if (isDiskless(c)) {
    return `watchdog-only SBD: watchdog_timeout ${sbd.watchdogTimeout} s; a member out of quorum is taken as reset after stonith-watchdog-timeout ${watchdogFencingSeconds(c)}s (2 × watchdog_timeout); stonith-timeout ${stonith}`;
  }
  return `SBD on ${sbd.devices.length} disk(s): watchdog_timeout ${sbd.watchdogTimeout} s, msgwait ${sbd.msgwait} s (at least 2 × watchdog_timeout: a pill is obeyed by then), stonith-timeout ${stonith} (above msgwait)`;
}

/** A device as the story names it: its id, agent and whether it keeps power when the node loses it. */
function deviceWords(p: Primitive | undefined, id: string, node: string): { text: string; keepsPower: boolean } {
  if (!p) return { text: id, keepsPower: true };
  if (p.type === 'fence_sbd') return { text: `${id} (fence_sbd: poison pill on the shared disks)`, keepsPower: true };
  // Instance HA's device marks the node down in Nova beside a level's power device: it cuts no power.
  if (p.type === 'fence_compute') return { text: `${id} (fence_compute: marks ${node} down in Nova)`, keepsPower: true };
  const bmc = !!fenceAgentEntry(p.type).bmc;
  return { text: `${id} (${p.type}${bmc ? `: the BMC, loses power with ${node}` : ': outside the node, keeps power'})`, keepsPower: !bmc };
}

function storyOf(c: Cluster, config: ClusterConfig): ClusterStory {
  const story: ClusterStory = { cluster: c.name, quorum: quorumLine(c), fencing: [] };
  const own = ownQuorumLines(c);
  if (own.length) story.ownQuorum = own;
  const sbd = sbdLine(c, config);
  if (sbd) story.sbd = sbd;
  const stonithOff = config.properties.find((p) => p.name === 'stonith-enabled')?.value === 'false';
  if (!c.fencing.enabled || stonithOff) {
    story.fencing.push(`fencing disabled${c.fencing.reason ? ` (${c.fencing.reason})` : ''}: a node that stops answering is never fenced`);
    return story;
  }
  const prims = new Map(config.resources.flatMap(primitivesOf).map((p) => [p.id, p]));
  const targets = indexResources(c, config).stonith;
  const fenced = [...new Set([...c.nodes, ...c.remoteNodes])];
  for (const node of fenced) {
    const levels = config.fencingLevels.filter((l) => l.target === node).sort((a, b) => a.index - b.index);
    const tiers = levels.length ? levels.map((l) => l.devices) : [[...targets].filter(([, t]) => t.includes(node)).map(([id]) => id)];
    const words: string[] = [];
    const afterPower: string[] = [];
    tiers.forEach((devices, i) => {
      const described = devices.map((id) => deviceWords(prims.get(id), id, node));
      words.push(`${levels.length ? `level ${i + 1} ` : ''}${described.map((d) => d.text).join(' + ')}`);
      // A level fences only when every device in it does.
      if (described.length && described.every((d) => d.keepsPower)) afterPower.push(devices.join(' + '));
    });
    if (isDiskless(c) && sbdFences(c, node)) {
      words.push(`watchdog (sbd resets ${node} once it is out of quorum)`);
      afterPower.push('watchdog');
    }
    const listed = words.filter((w) => w !== '');
    if (!listed.length) {
      story.fencing.push(`${node}: no fence device, nothing fences it (HA6006)`);
      continue;
    }
    const after = afterPower.length ? `after a power failure of ${node}: ${afterPower.join(', then ')}` : `after a power failure of ${node} nothing fences it (HA6015)`;
    story.fencing.push(`${node}: ${listed.join(', then ')}; ${after}`);
  }
  return story;
}
