#!/usr/bin/env bash
# hactl's test cluster: N real Pacemaker/Corosync nodes on this one machine, each in its own
# network, mount and UTS namespaces, joined by a bridge in the root namespace, each with an sshd
# that the root namespace reaches with strict host key checking.
#
#   testbed.sh up N [--ipv6] [--corosync-conf FILE] [--authkey FILE] [--no-cluster]
#   testbed.sh exec NODE CMD [ARG...]     run a command inside a node (all its namespaces)
#   testbed.sh crash NODE                 SIGKILL everything in the node, take its eth0 down
#   testbed.sh restart NODE               reboot a node: fresh /run, /dev/shm and eth0 addresses, start all
#   testbed.sh start NODE                 start sshd, corosync and pacemakerd on a node (boot)
#   testbed.sh corosync-conf NODE FILE    install FILE as the node's /etc/corosync/corosync.conf
#   testbed.sh authkey NODE FILE          install FILE as the node's /etc/corosync/authkey
#   testbed.sh wait [TIMEOUT]             wait until every running node is online in crm_mon
#   testbed.sh env                        print STATE, SSH_CONFIG, NODES, ... as shell assignments
#   testbed.sh down [--stale]             tear everything of this instance down (idempotent);
#                                         --stale: only if the process that brought it up is gone
#
# HACTL_TESTBED_ID (1-8, default 1) selects the instance: bridge, namespace names, state
# directory and address block, so several test clusters can run side by side. Ids 1-4 use the
# /26 blocks of 198.51.100.0/24, ids 5-8 those of 203.0.113.0/24 (documentation ranges; never
# this machine's real 192.0.2.0/24). In a block: bridge .1, node i at .10+i, VIPs from .50.
# With --ipv6 the instance has IPv6 only, in 2001:db8:ID::/64 (documentation prefix): bridge ::1,
# node i at ::(10+i) written in decimal digits (n1 is 2001:db8:ID::11), VIPs from ::50; no IPv4
# address and no link-local address on the bridge or the veths, no DAD (addresses usable at once).
# Nodes are named n1..nN and have no default route. See ../../README.md "Test cluster".
set -euo pipefail

SELF=$(readlink -f "$0")
ID=${HACTL_TESTBED_ID:-1}
[[ $ID =~ ^[1-8]$ ]] || { echo "testbed: HACTL_TESTBED_ID must be 1-8, not '$ID'" >&2; exit 2; }
STATE=${HACTL_TESTBED_STATE:-/tmp/hactl-testbed-$ID}
NSDIR=$STATE/ns
BR=hatb$ID
CLUSTER=${HACTL_TESTBED_CLUSTER:-lab}
# Corosync's token timeout in ms: 1000 notices a lost node in about 2 s instead of about 8 s.
TOKEN=${HACTL_TESTBED_TOKEN:-1000}
if ((ID <= 4)); then NET=198.51.100; BASE=$((64 * (ID - 1))); else NET=203.0.113; BASE=$((64 * (ID - 5))); fi
PREFIX=26
BRIDGE_ADDR=$NET.$((BASE + 1))
# IPv6 mode: chosen by `up --ipv6`, remembered in the state directory for every later command.
NET6=2001:db8:$ID:
FAMILY=4
[[ -f $STATE/family ]] && FAMILY=$(cat "$STATE/family")
use_family() {
  FAMILY=$1
  if [[ $FAMILY == 6 ]]; then PREFIX=64; BRIDGE_ADDR=$NET6:1; fi
}
use_family "$FAMILY"
subnet() { if [[ $FAMILY == 6 ]]; then echo "$NET6:/$PREFIX"; else echo "$NET.$BASE/$PREFIX"; fi; }
# The process an instance belongs to (a test run); `down --stale` leaves it alone while that runs.
OWNER=${HACTL_TESTBED_OWNER:-$PPID}

die() { echo "testbed: $*" >&2; exit 1; }
log() { [[ -n ${HACTL_TESTBED_QUIET:-} ]] || echo "testbed[$ID]: $*" >&2; }

node_index() { [[ $1 =~ ^n([1-9][0-9]?)$ ]] || die "no such node '$1' (nodes are n1..nN)"; echo "${BASH_REMATCH[1]}"; }
node_addr() {
  local i
  i=$(node_index "$1")
  if [[ $FAMILY == 6 ]]; then echo "$NET6:$((10 + i))"; else echo "$NET.$((BASE + 10 + i))"; fi
}
netns() { echo "hatb$ID-$1"; }
nodes() { [[ -f $STATE/nodes ]] && cat "$STATE/nodes" || true; }
require_node() {
  node_index "$1" >/dev/null
  grep -qx "$1" "$STATE/nodes" 2>/dev/null || die "node $1 is not up in instance $ID"
}

# Runs a command inside a node: its network, mount and UTS namespaces.
in_node() {
  local node=$1; shift
  nsenter --net="/run/netns/$(netns "$node")" --mount="$NSDIR/$node.mnt" --uts="$NSDIR/$node.uts" -- "$@"
}

newest_schema() {
  local f
  f=$(find /usr/share/pacemaker -maxdepth 1 -name 'pacemaker-[0-9]*.rng' -printf '%f\n' | sed 's/\.rng$//' | sort -V | tail -1)
  [[ -n $f ]] || die "no Pacemaker schema under /usr/share/pacemaker"
  echo "$f"
}

write_corosync_conf() { # N -> stdout
  local n=$1 i
  cat <<EOF
# written by hactl's test cluster (test/testbed/testbed.sh), instance $ID
totem {
    version: 2
    cluster_name: $CLUSTER
    transport: knet
    token: $TOKEN
EOF
  [[ $FAMILY == 6 ]] && printf '    ip_version: ipv6\n'
  if [[ -n ${AUTHKEY:-} ]]; then
    printf '    crypto_cipher: aes256\n    crypto_hash: sha256\n'
  else
    printf '    crypto_cipher: none\n    crypto_hash: none\n'
  fi
  printf '}\n\nquorum {\n    provider: corosync_votequorum\n'
  ((n == 2)) && printf '    two_node: 1\n'
  printf '}\n\nlogging {\n    to_logfile: yes\n    logfile: /var/log/corosync/corosync.log\n    to_stderr: no\n    to_syslog: no\n    timestamp: on\n}\n\nnodelist {\n'
  for ((i = 1; i <= n; i++)); do
    printf '    node {\n        ring0_addr: %s\n        name: n%d\n        nodeid: %d\n    }\n' "$(node_addr "n$i")" "$i" "$i"
  done
  printf '}\n'
}

seed_cib() { # -> stdout: an empty configuration that validates and elects a DC quickly
  cat <<EOF
<cib validate-with="$(newest_schema)" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="cib-bootstrap-options-dc-deadtime" name="dc-deadtime" value="5s"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources/>
    <constraints/>
  </configuration>
  <status/>
</cib>
EOF
}

# Internal: runs inside a node's new mount and UTS namespaces and its network namespace, once.
node_setup() {
  local node=$1 d=$STATE/$1 m
  hostname "$node"
  # The new mount namespace started as a copy of the root one, including the pins of other
  # namespaces (this instance's earlier nodes, other instances' nodes, /run/netns). Copies would
  # keep those namespaces, and their veths, alive after their own `down`: drop them here.
  findmnt -rn -t nsfs -o TARGET | sort -r | while read -r m; do umount -n -l "$m" 2>/dev/null || true; done
  mount -n -t sysfs sysfs /sys
  mount -n -t overlay overlay -o "lowerdir=/etc,upperdir=$d/etc.up,workdir=$d/etc.work" /etc
  mount -n -t overlay overlay -o "lowerdir=/var,upperdir=$d/var.up,workdir=$d/var.work" /var
  mount -n --bind "$d/pacemaker" /var/lib/pacemaker
  mount -n --bind "$d/log" /var/log
  mount -n --bind "$d/root" /root
  mount -n -t tmpfs -o mode=0755 tmpfs /run
  mount -n -t tmpfs -o mode=1777 tmpfs /dev/shm
  echo "$node" > /etc/hostname
}

# Internal: a fresh /run and /dev/shm, as at every boot (libqb's ring buffers live in /dev/shm).
node_fresh_run() {
  umount -n -l /run 2>/dev/null || true
  umount -n -l /dev/shm 2>/dev/null || true
  mount -n -t tmpfs -o mode=0755 tmpfs /run
  mount -n -t tmpfs -o mode=1777 tmpfs /dev/shm
}

# Internal: runs inside a node; starts sshd, then corosync and pacemakerd unless told not to.
node_boot() {
  local node=$1 cluster=$2 d=$STATE/$1 i
  mkdir -p /run/sshd /run/crm /var/log/corosync /var/log/pacemaker
  chmod 0755 /run/sshd
  /usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log" </dev/null
  [[ $cluster == yes ]] || return 0
  [[ -f /etc/corosync/corosync.conf ]] || { echo "no /etc/corosync/corosync.conf on $node" >&2; return 1; }
  setsid -f corosync -f </dev/null >>"$d/corosync.out" 2>&1
  for ((i = 0; i < 100; i++)); do
    corosync-cmapctl -g totem.cluster_name >/dev/null 2>&1 && break
    sleep 0.1
  done
  corosync-cmapctl -g totem.cluster_name >/dev/null 2>&1 || { echo "corosync did not start on $node (see $d/corosync.out)" >&2; return 1; }
  setsid -f pacemakerd </dev/null >>"$d/pacemakerd.out" 2>&1
}

kill_node() {
  local node=$1 ns i pids
  ns=$(netns "$node")
  [[ -e /run/netns/$ns ]] || return 0
  for ((i = 0; i < 50; i++)); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [[ -z $pids ]] && return 0
    # shellcheck disable=SC2086
    kill -9 $pids 2>/dev/null || true
    sleep 0.1
  done
  die "processes of $node survived SIGKILL: $pids"
}

cmd_up() {
  local n=${1:-}; shift || true
  local conf='' cluster=yes i node d ns addr schema
  AUTHKEY=''
  while (($#)); do
    case $1 in
      --corosync-conf) conf=$(readlink -f "$2"); shift 2 ;;
      --authkey) AUTHKEY=$(readlink -f "$2"); shift 2 ;;
      --no-cluster) cluster=no; shift ;;
      --ipv6) use_family 6; shift ;;
      *) die "up: unknown option $1" ;;
    esac
  done
  [[ $n =~ ^[1-9][0-9]?$ ]] && ((n <= 30)) || die "usage: testbed.sh up N (1-30) [--ipv6] [--corosync-conf FILE] [--authkey FILE] [--no-cluster]"
  [[ $(id -u) == 0 ]] || die "needs root (network, mount and UTS namespaces)"
  [[ -z $conf || -f $conf ]] || die "no such file: $conf"
  if [[ -n $conf && $FAMILY == 6 ]]; then
    # The same for IPv6: every address corosync reads is this instance's, written as hactl writes
    # them (canonical), and no IPv4 address at all.
    local a
    ! grep -qE '\b([0-9]{1,3}\.){3}[0-9]{1,3}\b' "$conf" || die "$conf: an IPv4 address in an IPv6 instance"
    for a in $(sed -nE 's/^[[:space:]]*[a-z0-9_]*addr[[:space:]]*:[[:space:]]*([^[:space:]]+).*$/\1/p' "$conf" | sort -u); do
      [[ $a =~ ^${NET6}:[1-9a-f][0-9a-f]{0,3}$ ]] || die "$conf: address $a is outside instance $ID's block $(subnet)"
    done
  elif [[ -n $conf ]]; then
    # A given corosync.conf must stay inside this instance's block: the nodes have no route out,
    # and an address of another block would be some other instance's node.
    local a o
    for a in $(grep -oE '\b([0-9]{1,3}\.){3}[0-9]{1,3}\b' "$conf" | sort -u); do
      o=${a##*.}
      [[ ${a%.*} == "$NET" ]] && ((o > BASE && o < BASE + 63)) || die "$conf: address $a is outside instance $ID's block $NET.$BASE/$PREFIX"
    done
  fi
  [[ -z $AUTHKEY || -f $AUTHKEY ]] || die "no such file: $AUTHKEY"
  if ip link show "$BR" >/dev/null 2>&1 || [[ -e $STATE ]]; then
    owner_alive && die "instance $ID is in use by process $(cat "$STATE/owner") (another test run?): choose another HACTL_TESTBED_ID"
    die "instance $ID is already up (or left over): run 'testbed.sh down' first"
  fi
  # From here on, a failure tears down whatever was made.
  trap 'echo "testbed: up failed; tearing down" >&2; cmd_down' ERR
  mkdir -p "$NSDIR"
  chmod 0700 "$STATE"
  echo "$OWNER" > "$STATE/owner"
  mount --bind "$NSDIR" "$NSDIR"
  mount --make-private "$NSDIR"
  ip link add "$BR" type bridge
  if [[ $FAMILY == 6 ]]; then
    # No link-local address (only 2001:db8:: ones), no DAD; without MLD reports from link-local
    # sources, multicast snooping could drop neighbour solicitations: the bridge floods instead.
    echo 6 > "$STATE/family"
    ip link set "$BR" addrgenmode none type bridge mcast_snooping 0
    ip addr add "$BRIDGE_ADDR/$PREFIX" dev "$BR" nodad
  else
    ip addr add "$BRIDGE_ADDR/$PREFIX" dev "$BR"
  fi
  ip link set "$BR" up
  # Never send anything before the kernel agrees that the block is on our bridge.
  for ((i = 1; i <= n; i++)); do
    addr=$(node_addr "n$i")
    ip route get "$addr" | grep -q " dev $BR " || { ip route get "$addr" >&2; false; }
  done

  ssh-keygen -q -t ed25519 -N '' -C "hactl-testbed-$ID" -f "$STATE/id_ed25519"
  : > "$STATE/known_hosts"
  {
    echo "# hactl test cluster, instance $ID: ssh -F $STATE/ssh_config n1"
    for ((i = 1; i <= n; i++)); do printf 'Host n%d\n    HostName %s\n' "$i" "$(node_addr "n$i")"; done
    cat <<EOF
Host *
    User root
    IdentityFile $STATE/id_ed25519
    IdentitiesOnly yes
    UserKnownHostsFile $STATE/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    BatchMode yes
    ConnectTimeout 5
    LogLevel ERROR
EOF
  } > "$STATE/ssh_config"
  [[ -n $conf ]] && cp "$conf" "$STATE/corosync.conf" || write_corosync_conf "$n" > "$STATE/corosync.conf"
  schema=$(newest_schema)
  : > "$STATE/nodes"

  for ((i = 1; i <= n; i++)); do
    node=n$i d=$STATE/n$i ns=$(netns "n$i") addr=$(node_addr "n$i")
    mkdir -p "$d"/{etc.up,etc.work,var.up,var.work,root/.ssh}
    # Fresh /var/lib/pacemaker and /var/log: the host's directory trees without their files.
    cp -a --attributes-only /var/lib/pacemaker "$d/pacemaker"
    find "$d/pacemaker" -type f -delete
    cp -a --attributes-only /var/log "$d/log"
    find "$d/log" -type f -exec truncate -s 0 {} +
    chmod 0700 "$d/root" "$d/root/.ssh"
    cp "$STATE/id_ed25519.pub" "$d/root/.ssh/authorized_keys"
    chmod 0600 "$d/root/.ssh/authorized_keys"
    ssh-keygen -q -t ed25519 -N '' -C "$node" -f "$d/ssh_host_ed25519_key"
    printf '%s,%s %s\n' "$node" "$addr" "$(cut -d' ' -f1,2 "$d/ssh_host_ed25519_key.pub")" >> "$STATE/known_hosts"
    cat > "$d/sshd_config" <<EOF
ListenAddress $addr
HostKey $d/ssh_host_ed25519_key
PidFile /run/sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AuthorizedKeysFile .ssh/authorized_keys
Subsystem sftp internal-sftp
EOF
    seed_cib | sed "s/pacemaker-[0-9.]*\"/$schema\"/" > "$d/pacemaker/cib/cib.xml"
    chown hacluster:haclient "$d/pacemaker/cib/cib.xml"
    chmod 0600 "$d/pacemaker/cib/cib.xml"

    ip netns add "$ns"
    ip link add "$BR-n$i" type veth peer name eth0 netns "$ns"
    if [[ $FAMILY == 6 ]]; then
      ip link set "$BR-n$i" addrgenmode none
      ip -n "$ns" link set eth0 addrgenmode none
    fi
    ip link set "$BR-n$i" master "$BR" up
    ip -n "$ns" link set lo up
    node_addr_add "$node"
    ip -n "$ns" link set eth0 up
    touch "$NSDIR/$node.mnt" "$NSDIR/$node.uts"
    unshare --mount="$NSDIR/$node.mnt" --uts="$NSDIR/$node.uts" --propagation private -- \
      nsenter --net="/run/netns/$ns" -- "$SELF" _setup "$node"
    in_node "$node" install -D -m 0644 "$STATE/corosync.conf" /etc/corosync/corosync.conf
    [[ -z $AUTHKEY ]] || in_node "$node" install -D -m 0400 "$AUTHKEY" /etc/corosync/authkey
    echo "$node" >> "$STATE/nodes"
  done
  echo "$cluster" > "$STATE/cluster"
  for ((i = 1; i <= n; i++)); do in_node "n$i" "$SELF" _boot "n$i" "$cluster"; done
  trap - ERR
  log "up: $n node(s) on $BR ($(subnet)); ssh -F $STATE/ssh_config n1"
}

# A node's own address on its eth0. IPv6 ones go when the link goes down (keep_addr_on_down is
# off), IPv4 ones stay: a restart flushes eth0 and adds it again, as after a reboot.
node_addr_add() {
  local node=$1
  if [[ $FAMILY == 6 ]]; then
    ip -n "$(netns "$node")" addr replace "$(node_addr "$node")/$PREFIX" dev eth0 nodad
  else
    ip -n "$(netns "$node")" addr add "$(node_addr "$node")/$PREFIX" dev eth0
  fi
}

# Whether another process that brought this instance up still runs (see HACTL_TESTBED_OWNER).
owner_alive() {
  local pid
  pid=$(cat "$STATE/owner" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ && $pid != "$OWNER" ]] && kill -0 "$pid" 2>/dev/null
}

cmd_down() {
  local f node ns
  if [[ ${1:-} == --stale ]] && owner_alive; then
    die "instance $ID is in use by process $(cat "$STATE/owner") (another test run?): choose another HACTL_TESTBED_ID"
  fi
  set +e
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^hatb$ID-n[0-9]*$"); do
    node=${ns#hatb"$ID"-}
    kill_node "$node"
    ip netns del "$ns" 2>/dev/null
  done
  if [[ -d $NSDIR ]]; then
    for f in "$NSDIR"/*.mnt "$NSDIR"/*.uts; do [[ -e $f ]] && umount -n "$f" 2>/dev/null; done
    umount -n "$NSDIR" 2>/dev/null
  fi
  ip link del "$BR" 2>/dev/null
  # A root-side veth whose namespace is still held somewhere outlives `ip netns del`: remove it.
  for f in $(ip -o link show 2>/dev/null | grep -oE "^[0-9]+: $BR-n[0-9]+@" | sed -E 's/^[0-9]+: //; s/@$//'); do
    ip link del "$f" 2>/dev/null
  done
  rm -rf "$STATE"
  set -e
  log "down"
}

cmd_crash() {
  local node=$1
  require_node "$node"
  kill_node "$node"
  ip -n "$(netns "$node")" link set eth0 down
  log "crashed $node"
}

cmd_restart() {
  local node=$1
  require_node "$node"
  kill_node "$node"
  in_node "$node" "$SELF" _fresh_run
  # A reboot starts without the addresses the node had: a crash leaves the IPv4 ones on the downed
  # eth0, VIPs included, and a VIP back on the bridge next to its new holder is a duplicate that
  # Pacemaker's probe finds active twice (it stops both and starts one: the VIP moves again).
  ip -n "$(netns "$node")" addr flush dev eth0
  node_addr_add "$node"
  ip -n "$(netns "$node")" link set eth0 up
  in_node "$node" "$SELF" _boot "$node" "$(cat "$STATE/cluster")"
  log "restarted $node"
}

cmd_start() {
  local node=$1
  require_node "$node"
  in_node "$node" "$SELF" _boot "$node" yes
  echo yes > "$STATE/cluster"
}

cmd_install() { # NODE FILE TARGET MODE
  require_node "$1"
  [[ -f $2 ]] || die "no such file: $2"
  in_node "$1" install -D -m "$4" "$(readlink -f "$2")" "$3"
}

cmd_wait() {
  local timeout=${1:-90} want n online end agreed mon
  want=0
  for n in $(nodes); do ip netns pids "$(netns "$n")" 2>/dev/null | grep -q . && want=$((want + 1)); done
  ((want > 0)) || die "no running node"
  end=$((SECONDS + timeout))
  # Every running node must see all of them online (and a DC): a node that was just restarted has
  # then rejoined, rather than still being remembered by the others.
  while ((SECONDS < end)); do
    agreed=0
    for n in $(nodes); do
      ip netns pids "$(netns "$n")" 2>/dev/null | grep -q . || continue
      mon=$(in_node "$n" crm_mon -1 --output-as=xml 2>/dev/null || true)
      online=$(grep -c '<node name=[^>]* online="true"' <<<"$mon" || true)
      ((online == want)) && grep -q '<current_dc [^>]*present="true"' <<<"$mon" && agreed=$((agreed + 1))
    done
    ((agreed == want)) && { log "$want node(s) online"; return 0; }
    sleep 0.5
  done
  die "not all $want node(s) online after ${timeout}s"
}

cmd_env() {
  printf 'HACTL_TESTBED_ID=%s\nSTATE=%s\nSSH_CONFIG=%s\nBRIDGE=%s\nFAMILY=%s\nSUBNET=%s\nBRIDGE_ADDR=%s\nNODES="%s"\n' \
    "$ID" "$STATE" "$STATE/ssh_config" "$BR" "$FAMILY" "$(subnet)" "$BRIDGE_ADDR" "$(nodes | tr '\n' ' ' | sed 's/ $//')"
  local n
  for n in $(nodes); do printf 'ADDR_%s=%s\n' "$n" "$(node_addr "$n")"; done
}

sub=${1:-}
shift || true
case $sub in
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  exec) (($# >= 2)) || die "usage: testbed.sh exec NODE CMD [ARG...]"; node=$1; shift; require_node "$node"; in_node "$node" "$@" ;;
  crash) (($# == 1)) || die "usage: testbed.sh crash NODE"; cmd_crash "$1" ;;
  restart) (($# == 1)) || die "usage: testbed.sh restart NODE"; cmd_restart "$1" ;;
  start) (($# == 1)) || die "usage: testbed.sh start NODE"; cmd_start "$1" ;;
  corosync-conf) (($# == 2)) || die "usage: testbed.sh corosync-conf NODE FILE"; cmd_install "$1" "$2" /etc/corosync/corosync.conf 0644 ;;
  authkey) (($# == 2)) || die "usage: testbed.sh authkey NODE FILE"; cmd_install "$1" "$2" /etc/corosync/authkey 0400 ;;
  wait) cmd_wait "$@" ;;
  env) cmd_env ;;
  _setup) node_setup "$1" ;;
  _boot) node_boot "$1" "$2" ;;
  _fresh_run) node_fresh_run ;;
  *) sed -n '2,/^set -euo/p' "$SELF" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
