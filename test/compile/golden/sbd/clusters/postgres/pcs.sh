#!/bin/bash
# Pacemaker configuration of cluster postgres (topology sbd-test), compiled by hactl,
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
# priority-fencing-delay: in a split of two nodes both may fence at once; the node running more resources (rsc_defaults priority) is fenced 15s later, so it survives
# stonith-enabled: a node that stops answering is powered off before its resources start elsewhere: no double-mounted RBD image, no VIP on two nodes
# stonith-timeout: longer than SBD's msgwait (10s), the time a poison pill takes to be obeyed
run property set priority-fencing-delay=15s stonith-enabled=true stonith-timeout=60s
# failure-timeout: fail counts expire, so a node left by a flapping service may take it back when the other node fails; longer than the longest start timeout (120s), so a start/fail loop reaches the threshold first
# migration-threshold: three failures on one node move a service to the other node instead of restarting it there forever; a single failure is restarted in place, which is faster than moving the whole VIP stack
# priority: every resource counts for priority-fencing-delay: the node running more of them wins a fencing race
# resource-stickiness: a recovered node does not pull services back: moving them again would be a second outage for no gain
run resource defaults update failure-timeout=120s migration-threshold=3 priority=1 resource-stickiness=100
# timeout: every listed operation has its own timeout; this covers the rest (probes at start-up, on every node, for every resource), where Pacemaker's 20s is short for agents that query a loaded node
run resource op defaults update timeout=60s
if (( ! push )); then
  CIB_file="$cib" cibadmin --create --scope nodes --xml-text '<node id="1" uname="db1"/>'
  CIB_file="$cib" cibadmin --create --scope nodes --xml-text '<node id="2" uname="db2"/>'
fi
run_for_agent ocf:heartbeat:IPaddr2 resource create p_ip_db ocf:heartbeat:IPaddr2 cidr_netmask=24 ip=203.0.113.50 op start interval=0s timeout=20s op stop interval=0s timeout=20s op monitor interval=10s timeout=20s --no-default-ops
run_for_agent ocf:pacemaker:Stateful resource create p_pgsql ocf:pacemaker:Stateful op start interval=0s timeout=60s op stop interval=0s timeout=60s op promote interval=0s timeout=60s op demote interval=0s timeout=60s op monitor interval=20s timeout=30s role=Promoted op monitor interval=30s timeout=30s role=Unpromoted promotable cl_pgsql interleave=true notify=true promoted-max=1 --no-default-ops
run_for_agent stonith:fence_ipmilan stonith create st_db1 fence_ipmilan ip=198.51.100.211 lanplus=1 password_script=/etc/hactl/secrets/ipmi.sh pcmk_host_list=db1 username=admin op monitor interval=60s timeout=20s
run_for_agent stonith:fence_ipmilan stonith create st_db2 fence_ipmilan ip=198.51.100.212 lanplus=1 password_script=/etc/hactl/secrets/ipmi.sh pcmk_host_list=db2 username=admin op monitor interval=60s timeout=20s
run_for_agent stonith:fence_sbd stonith create st_sbd fence_sbd devices=/dev/disk/by-id/wwn-0x6001405aaaaaaaaaaaaaaaaaaaaaaaa01 op monitor interval=60s timeout=20s
# a node never runs the device that fences it: a hung node could not fence itself
run constraint location add l_st_db1_avoid_db1 st_db1 db1 -- -INFINITY
# a node never runs the device that fences it: a hung node could not fence itself
run constraint location add l_st_db2_avoid_db2 st_db2 db2 -- -INFINITY
# VIP db runs where pgsql is promoted: clients reach the instance that takes writes
run constraint colocation add p_ip_db with Promoted cl_pgsql INFINITY id=c_ip_db_with_pgsql
# VIP db starts once pgsql is promoted, and stops before it is demoted: clients never reach an instance that cannot take writes
run constraint order promote cl_pgsql then start p_ip_db kind=Mandatory id=o_pgsql_before_ip_db
# fencing levels of db1
run stonith level add 1 db1 st_db1
run stonith level add 2 db1 st_sbd
# fencing levels of db2
run stonith level add 1 db2 st_db2
run stonith level add 2 db2 st_sbd

if (( push )); then
  pcs cluster cib-push "$cib" diff-against="$work/live.xml"
fi
