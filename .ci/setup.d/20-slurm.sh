#!/usr/bin/env bash
# A real two-node SLURM on this machine for @pdask/distributed's SLURM test (facts: the project's
# notes on SLURM). Debian's packages; one slurmctld and one slurmd per node (node1, node2), all on
# 127.0.0.1, no systemd or cgroups. Idempotent: a running, healthy cluster is left alone.
set -euo pipefail

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
HOST="$(hostname -s)"
CONF_DIR=/etc/slurm
STATE=/var/lib/pdask-slurm
NODES=(node1 node2)

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends munge slurmctld slurmd slurm-client >/dev/null
fi

# Already up with both nodes usable? Then nothing to do.
if sinfo -h -N -o '%N %t' 2>/dev/null | awk '{print $2}' | grep -qvE '^(idle|mix|alloc)$'; then
  :
elif [ "$(sinfo -h -N -o '%N %t' 2>/dev/null | grep -cE ' (idle|mix|alloc)$')" = "${#NODES[@]}" ]; then
  echo "SLURM already running: $(sinfo -h -N -o '%N %t' | tr '\n' ' ')"
  exit 0
fi

CPUS="$(nproc)"
MEM_MB="$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)"

$SUDO mkdir -p "$CONF_DIR" "$STATE"/{ctld,spool} /var/log/pdask-slurm /run/munge
$SUDO chown munge:munge /run/munge 2>/dev/null || true
$SUDO tee "$CONF_DIR/slurm.conf" >/dev/null <<CONF
# Written by .ci/setup.d/20-slurm.sh: ${#NODES[@]} SLURM nodes on one host, for tests.
ClusterName=pdask
SlurmctldHost=${HOST}(127.0.0.1)
SlurmUser=root
SlurmctldPort=16817
SlurmdParameters=config_overrides
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/pdask-slurm/jobcomp.log
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
MinJobAge=3600
StateSaveLocation=${STATE}/ctld
SlurmdSpoolDir=${STATE}/spool/%n
SlurmctldPidFile=/run/pdask-slurmctld.pid
SlurmdPidFile=/run/pdask-slurmd-%n.pid
SlurmctldLogFile=/var/log/pdask-slurm/slurmctld.log
SlurmdLogFile=/var/log/pdask-slurm/slurmd-%n.log
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=node[1-${#NODES[@]}] NodeHostname=${HOST} NodeAddr=127.0.0.1 Port=[17001-$((17000 + ${#NODES[@]}))] CPUs=${CPUS} RealMemory=${MEM_MB} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
for n in "${NODES[@]}"; do $SUDO mkdir -p "$STATE/spool/$n"; done

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# munge: Debian's postinst made the key; start the daemon unless it answers.
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  [ -f /etc/munge/munge.key ] || $SUDO /usr/sbin/mungekey --create 2>/dev/null || $SUDO create-munge-key -f
  $SUDO runuser -u munge -- /usr/sbin/munged --force
  for _ in $(seq 50); do munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi

if ! alive /run/pdask-slurmctld.pid; then
  $SUDO slurmctld -c -i
fi
for n in "${NODES[@]}"; do
  if ! alive "/run/pdask-slurmd-$n.pid"; then
    $SUDO slurmd -N "$n"
  fi
done

# Wait for every node to be idle (nodes that were down come back with ReturnToService=2).
for _ in $(seq 150); do
  states="$(sinfo -h -N -o '%N %t' 2>/dev/null || true)"
  if [ "$(echo "$states" | grep -cE ' (idle|mix|alloc)$')" = "${#NODES[@]}" ]; then
    echo "SLURM up: $(echo "$states" | tr '\n' ' ')"
    exit 0
  fi
  for n in "${NODES[@]}"; do
    if echo "$states" | grep -qE "^$n (down|drain|drng|unk)"; then
      $SUDO scontrol update NodeName="$n" State=RESUME 2>/dev/null || true
    fi
  done
  sleep 0.2
done
echo "SLURM did not come up: $(sinfo -N 2>&1)" >&2
tail -n 20 /var/log/pdask-slurm/*.log >&2 || true
exit 1
