import { diag, type Diagnostic } from '../../diagnostics.js';
import { contains, formatIp, parseCidr, parseIp, reservedKind } from '../../util/ip.js';
import type { Network, Topology } from '../types.js';
import type { Rule } from './rule.js';

/** Service fields a bundle says in its own words, and where it says them. */
const NOT_BESIDE: Record<string, string> = {
  mode: 'the mode follows from bundle.replicas and bundle.promoted',
  instances: 'write bundle.replicas',
  promoted: 'write bundle.promoted',
  promoted_per_node: 'a bundle promotes at most one replica per node it runs on',
  storage: 'a service with storage is a group (device, filesystem, process) and a bundle cannot be in a group; map host directories with bundle.storage',
};

/** The IPv4 network of the topology holding an address (none for an IPv6 one). */
export function networkOf(t: Topology, address: string): Network | undefined {
  return Object.values(t.networks).find((n) => !n.cidr.includes(':') && contains(parseCidr(n.cidr), address));
}

/**
 * Bundles hold together: what a bundle says itself is not written beside it; the replicas'
 * addresses lie inside one network of the topology and clash with no node or VIP; ports are
 * published once; promoted replicas are replicas and need an agent inside that promotes; an agent
 * inside is reached by pacemaker_remote (an address per replica, or a control port on the
 * host's network, which then holds one replica per node); each storage mapping has one source.
 */
export const bundles: Rule = {
  name: 'bundles',
  codes: ['HA3160', 'HA3161', 'HA3162', 'HA3163', 'HA3164', 'HA3165', 'HA3166', 'HA3167', 'HA3168', 'HA3169', 'HA3170'],
  check(t, input) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      for (const s of Object.values(c.services)) {
        const b = s.bundle;
        if (!b) continue;
        const written = input.clusters?.[c.name]?.services?.[s.name] ?? {};
        for (const [field, hint] of Object.entries(NOT_BESIDE)) {
          if ((written as Record<string, unknown>)[field] !== undefined) out.push(diag('HA3160', `${s.pointer}/${field}`, { service: s.name, field, hint }));
        }
        if (!s.agent) {
          for (const field of ['params', 'utilization'] as const) if (written[field] !== undefined) out.push(diag('HA3170', `${s.pointer}/${field}`, { service: s.name, field }));
        } else if (!s.agent.startsWith('ocf:')) out.push(diag('HA3166', `${s.pointer}/agent`, { service: s.name, problem: `runs ${s.agent} inside its containers`, hint: 'pacemaker_remote in a container runs OCF agents: give an ocf: agent, or no agent to let the image run its own entry point' }));
        if (b.promoted !== undefined) {
          if (b.promoted > b.replicas) out.push(diag('HA3165', `${b.pointer}/promoted`, { service: s.name, promoted: b.promoted, replicas: b.replicas }));
          if (!s.agent) out.push(diag('HA3166', `${b.pointer}/promoted`, { service: s.name, problem: 'promotes replicas but runs no agent inside them', hint: 'give the service an agent that promotes (ocf:heartbeat:galera, ocf:pacemaker:Stateful, …), or drop promoted' }));
        }
        const net = b.network;
        const start = net?.ipRangeStart;
        if (s.agent && start === undefined && net?.controlPort === undefined) {
          out.push(diag('HA3167', b.pointer, { service: s.name, problem: 'runs an agent inside its containers but gives them no address and no control port', hint: 'set network.ip_range_start (an address per replica), or network.control_port for containers on the host network' }));
        } else if (s.agent && start === undefined && (b.replicasPerHost ?? 1) > 1) {
          out.push(diag('HA3167', `${b.pointer}/replicas_per_host`, { service: s.name, problem: 'runs several replicas per node on the host network', hint: 'their pacemaker_remote would all listen on the same host port: set network.ip_range_start, or replicas_per_host: 1' }));
        }
        const hosts = s.nodes.filter((n) => c.nodes.includes(n) || c.remoteNodes.includes(n)).length;
        if (b.replicas > hosts * (b.replicasPerHost ?? 1)) out.push(diag('HA3168', `${b.pointer}/replicas`, { service: s.name, replicas: b.replicas, room: hosts * (b.replicasPerHost ?? 1), hosts, perHost: b.replicasPerHost ?? 1 }));
        if (start !== undefined) {
          const at = `${b.pointer}/network/ip_range_start`;
          const home = networkOf(t, start);
          if (!home) out.push(diag('HA3161', at, { service: s.name, address: start, networks: Object.values(t.networks).map((n) => `${n.name} ${n.cidr}`).join(', ') || 'none' }));
          else {
            const cidr = parseCidr(home.cidr);
            const taken = new Map<string, string>();
            for (const n of Object.values(t.nodes)) {
              const a = n.addresses[home.name];
              if (a) taken.set(a, `node ${n.name}`);
            }
            for (const v of Object.values(t.clusters).flatMap((x) => Object.values(x.vips))) taken.set(v.address, `VIP ${v.name}`);
            for (let i = 0; i < b.replicas; i++) {
              const n = (parseIp(start) ?? 0n) + BigInt(i);
              const a = formatIp(n, 4);
              if (n > 0xffffffffn || !contains(cidr, a) || reservedKind(cidr, a)) {
                out.push(diag('HA3162', at, { service: s.name, address: a, replica: i + 1, network: home.name, cidr: home.cidr }));
                break;
              }
              const who = taken.get(a);
              if (who) out.push(diag('HA3163', at, { service: s.name, address: a, replica: i + 1, who }));
            }
          }
        }
        const seen = new Map<number, string>();
        const publish = (from: number, to: number, what: string, at: string) => {
          for (let p = from; p <= to; p++) {
            const other = seen.get(p);
            if (other) {
              out.push(diag('HA3164', at, { service: s.name, problem: other === what ? `${what} is published twice` : `${what} publishes port ${p}, which ${other} publishes already` }));
              return;
            }
            seen.set(p, what);
          }
        };
        if (net?.controlPort !== undefined) seen.set(net.controlPort, 'control_port');
        (written.bundle?.network?.ports ?? []).forEach((p, i) => {
          const at = `${b.pointer}/network/ports/${i}`;
          if ((p.range === undefined) === (p.port === undefined) || (p.range !== undefined && p.internal_port !== undefined)) {
            out.push(diag('HA3164', at, { service: s.name, problem: 'a port mapping is either port (with internal_port when it differs inside) or range' }));
          } else if (p.range !== undefined) {
            const [first, last] = p.range.split('-').map(Number) as [number, number];
            if (first > last || last > 65535) out.push(diag('HA3164', `${at}/range`, { service: s.name, problem: `range ${p.range} is not first-last within 1-65535` }));
            else publish(first, last, `range ${p.range}`, at);
          } else publish(p.port!, p.port!, `port ${p.port}`, at);
        });
        b.storage.forEach((m, i) => {
          if ((m.source === undefined) === (m.sourceRoot === undefined)) out.push(diag('HA3169', `${b.pointer}/storage/${i}`, { service: s.name, target: m.target }));
        });
      }
    }
    return out;
  },
};
