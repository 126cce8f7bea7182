#!/bin/bash
# Pacemaker configuration of cluster apps (topology sbd-test), compiled by hactl,
# as pcs commands. Generated: change the topology and compile again instead of editing this file.
#
#   bash pcs.sh CIB_FILE   builds into CIB_FILE with pcs -f (start from an empty CIB: cibadmin --empty)
#   bash pcs.sh --push     builds on a copy of the live CIB (pcs cluster cib) and pushes only the
#                          difference (pcs cluster cib-push FILE diff-against=...); nothing is
#                          pushed if any command fails (for a cluster without these resources yet)
set -euo pipefail

usage() {
  echo "usage: bash pcs.sh CIB_FILE   build the configuration into the CIB file CIB_FILE" >&2
  echo "       bash pcs.sh --push     build it on a copy of the live CIB and push the difference" >&2
  exit 2
}
[[ $# -eq 1 ]] || usage
push=0
case "$1" in
  --push)
    push=1
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    pcs cluster cib "$work/live.xml"
    cp "$work/live.xml" "$work/new.xml"
    cib="$work/new.xml"
    ;;
  -*) usage ;;
  *) cib=$1 ;;
esac

run() { pcs -f "$cib" "$@"; }

# pcs refuses an agent whose meta-data it cannot read. The ocf:openstack:* agents come with no
# package and init scripts (lsb:) exist only where their service is installed, so a command for
# an agent that is not installed here is forced (--force); installed agents are checked by pcs.
declare -A installed=()
run_for_agent() {
  local agent=$1
  shift
  if [[ -z ${installed[$agent]+set} ]]; then
    if [[ $agent == stonith:* ]]; then
      pcs stonith describe "${agent#stonith:}" >/dev/null 2>&1 && installed[$agent]=1 || installed[$agent]=0
    else
      pcs resource describe "$agent" >/dev/null 2>&1 && installed[$agent]=1 || installed[$agent]=0
    fi
  fi
  if [[ ${installed[$agent]} == 1 ]]; then run "$@"; else run "$@" --force; fi
}
# stonith-enabled: a node that stops answering is powered off before its resources start elsewhere: no double-mounted RBD image, no VIP on two nodes
# stonith-timeout: longer than stonith-watchdog-timeout (20s), the wait before a lost node counts as reset by its watchdog
# stonith-watchdog-timeout: watchdog-only SBD: a node that lost quorum has reset itself after twice SBD_WATCHDOG_TIMEOUT (10s); Pacemaker sets have-watchdog itself
run property set stonith-enabled=true stonith-timeout=60s stonith-watchdog-timeout=20s
# failure-timeout: fail counts expire, so a node left by a flapping service may take it back when the other node fails; longer than the longest start timeout (120s), so a start/fail loop reaches the threshold first
# migration-threshold: three failures on one node move a service to the other node instead of restarting it there forever; a single failure is restarted in place, which is faster than moving the whole VIP stack
# resource-stickiness: a recovered node does not pull services back: moving them again would be a second outage for no gain
run resource defaults update failure-timeout=120s migration-threshold=3 resource-stickiness=100
# timeout: every listed operation has its own timeout; this covers the rest (probes at start-up, on every node, for every resource), where Pacemaker's 20s is short for agents that query a loaded node
run resource op defaults update timeout=60s
if (( ! push )); then
  CIB_file="$cib" cibadmin --create --scope nodes --xml-text '<node id="1" uname="app1"/>'
  CIB_file="$cib" cibadmin --create --scope nodes --xml-text '<node id="2" uname="app2"/>'
  CIB_file="$cib" cibadmin --create --scope nodes --xml-text '<node id="3" uname="app3"/>'
fi
run_for_agent ocf:heartbeat:IPaddr2 resource create p_ip_app ocf:heartbeat:IPaddr2 cidr_netmask=26 ip=198.51.100.30 op start interval=0s timeout=20s op stop interval=0s timeout=20s op monitor interval=10s timeout=20s --no-default-ops
run_for_agent ocf:pacemaker:Dummy resource create p_api ocf:pacemaker:Dummy op start interval=0s timeout=60s op stop interval=0s timeout=60s op monitor interval=30s timeout=30s --no-default-ops
run_for_agent ocf:pacemaker:Dummy resource create p_web ocf:pacemaker:Dummy op start interval=0s timeout=60s op stop interval=0s timeout=60s op monitor interval=30s timeout=30s clone cl_web interleave=true --no-default-ops
run_for_agent ocf:pacemaker:ping resource create p_ping_management ocf:pacemaker:ping dampen=5s 'host_list=198.51.100.40 198.51.100.11 198.51.100.12' multiplier=1000 name=ping_management op start interval=0s timeout=60s op stop interval=0s timeout=20s op monitor interval=10s timeout=60s clone cl_ping_management interleave=true --no-default-ops
# VIP app prefers the nodes that reach at least 2 of arbiter (198.51.100.40), db1 (198.51.100.11), db2 (198.51.100.12) on network management: a node whose link there failed scores lower, and the VIP moves; one target's difference moves nothing
run constraint location p_ip_app rule id=l_ip_app_connected-rule constraint-id=l_ip_app_connected score=1000 defined ping_management and ping_management gte 2000
# api is reached at VIP app
run constraint colocation add p_api with p_ip_app INFINITY id=c_api_with_ip_app
# api binds to the VIP address, so it starts after it and stops before it
run constraint order p_ip_app then p_api kind=Mandatory id=o_ip_app_before_api

if (( push )); then
  pcs cluster cib-push "$cib" diff-against="$work/live.xml"
fi
