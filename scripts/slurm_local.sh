#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for testing ijmond-sweep's Slurm launcher for real:
# munge (authentication), slurmctld (the controller) and slurmd (the one compute node), all on
# localhost, with their configuration, state and logs in one folder. Needs Debian's slurm-wlm and
# munge (apt-get install -y slurm-wlm munge) and root (the daemons run as root; munged as munge).
#
#   scripts/slurm_local.sh start    start the cluster (again: nothing to do); prints SLURM_CONF
#   scripts/slurm_local.sh stop     stop the daemons this script started
#   scripts/slurm_local.sh status   sinfo of the running cluster
#
# Clients (sbatch, squeue, sacct, and so submitit) find the cluster through SLURM_CONF:
#   export SLURM_CONF=$SLURM_LOCAL_DIR/slurm.conf   (default folder: /tmp/ijmond-slurm)
# There is no accounting database: sacct says so, and submitit then learns that a job has ended
# from its result file, as it always does first.
set -euo pipefail

DIR=${SLURM_LOCAL_DIR:-/tmp/ijmond-slurm}
CONF=$DIR/slurm.conf
NODE=$(hostname -s)
CPUS=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)  # nproc obeys OMP_NUM_THREADS, which make sets to 1
MEMORY_MB=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))

need() { command -v "$1" >/dev/null 2>&1 || { echo "slurm_local.sh: $1 not found; install it with:" \
  "apt-get install -y slurm-wlm munge" >&2; exit 2; }; }

running() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

write_conf() {
  mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log"
  cat >"$CONF" <<EOF
# Written by scripts/slurm_local.sh: one node, $NODE, that is also the controller.
ClusterName=ijmond-local
SlurmctldHost=$NODE
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
MaxArraySize=10001
NodeName=$NODE CPUs=$CPUS RealMemory=$MEMORY_MB State=UNKNOWN
PartitionName=local Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
  # no cgroups in a container: nothing to configure, but slurmd looks for the file
  echo "CgroupPlugin=autodetect" >"$DIR/cgroup.conf"
}

start_munge() {
  if [[ -S /run/munge/munge.socket.2 ]] && munge -n </dev/null | unmunge >/dev/null 2>&1; then
    return
  fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  [[ -f /etc/munge/munge.key ]] || { mungekey --create --keyfile=/etc/munge/munge.key; chown munge:munge /etc/munge/munge.key; }
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do munge -n </dev/null | unmunge >/dev/null 2>&1 && return; sleep 0.1; done
  echo "slurm_local.sh: munged did not start" >&2; exit 1
}

start() {
  need slurmctld; need slurmd; need munged
  write_conf
  start_munge
  export SLURM_CONF=$CONF
  running "$DIR/slurmctld.pid" || slurmctld -f "$CONF"
  running "$DIR/slurmd.pid" || slurmd -f "$CONF"
  for _ in $(seq 100); do
    if sinfo -h -N -o "%T" 2>/dev/null | grep -qE "^(idle|mixed|allocated)"; then
      echo "slurm_local.sh: one-node cluster up ($NODE, $CPUS CPUs); logs in $DIR/log"
      echo "export SLURM_CONF=$CONF"
      return
    fi
    scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true
    sleep 0.2
  done
  echo "slurm_local.sh: the node did not come up; see $DIR/log/slurmctld.log and slurmd.log" >&2
  sinfo -N -l >&2 || true
  exit 1
}

stop() {
  for daemon in slurmd slurmctld; do
    if running "$DIR/$daemon.pid"; then
      kill "$(cat "$DIR/$daemon.pid")"
    fi
  done
  echo "slurm_local.sh: stopped (munged, shared with the machine, is left running)"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) SLURM_CONF=$CONF sinfo -N -l ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
