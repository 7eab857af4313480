#!/usr/bin/env bash
# A one-node Slurm cluster on localhost, for trying and testing `lorapar run --executor slurm` (tests and .ci/run call it).
#   build/slurm-local.sh start   installs Debian's slurm-wlm and munge if missing (needs root), writes /etc/slurm/slurm.conf
#                                (one node: this host's CPUs, a generic count-only `gpu` gres so GPU requests are scheduled),
#                                starts munged, slurmctld and slurmd, and waits until the node takes jobs; a no-op when running
#   build/slurm-local.sh stop    stops the daemons this script started (by their pid files), nothing else
#   build/slurm-local.sh status  exit 0 when the cluster takes jobs
# State, logs and pid files live in $LORAPAR_SLURM_STATE (default /var/tmp/lorapar-slurm). Without accounting storage
# (slurmdbd) there is no sacct; finished jobs stay visible to `scontrol show job` for MinJobAge (an hour) and are logged by
# jobcomp/filetxt in the state folder.
set -euo pipefail

state=${LORAPAR_SLURM_STATE:-/var/tmp/lorapar-slurm}
conf=/etc/slurm/slurm.conf
marker="# written by lorapar build/slurm-local.sh"
gpus=${LORAPAR_SLURM_GPUS:-2}

fail() { echo "slurm-local: $*" >&2; exit 1; }

install_packages() {
    command -v slurmctld >/dev/null && command -v munged >/dev/null && command -v sbatch >/dev/null && return
    [ "$(id -u)" -eq 0 ] || fail "slurm-wlm and munge are not installed and installing them needs root"
    command -v apt-get >/dev/null || fail "slurm-wlm and munge are not installed and there is no apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null; } \
        || fail "apt-get could not install slurm-wlm and munge"
}

write_config() {
    [ -f "$conf" ] && ! grep -qF "$marker" "$conf" && fail "$conf exists and was not written by this script; not touching it"
    local host cpus memory
    host=$(hostname -s)
    cpus=$(nproc)
    memory=$(awk '/MemTotal/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
    mkdir -p /etc/slurm "$state/ctld" "$state/d" "$state/munge"
    cat > "$conf" <<EOF
$marker
ClusterName=lorapar-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$state/munge/munge.socket,cred_expire=10
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SchedulerTimeSlice=5
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobCompType=jobcomp/filetxt
JobCompLoc=$state/jobcomp.log
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MinJobAge=3600
KillWait=30
GresTypes=gpu
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory Gres=gpu:$gpus State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    # Stand-in GPUs: the gpu gres needs one device file per GPU, so empty files in the state folder take that role; jobs asking
    # for --gres=gpu:N or --gpus=N are scheduled and given CUDA_VISIBLE_DEVICES, and no real device is bound.
    mkdir -p "$state/dev"
    local i
    for i in $(seq 0 $((gpus - 1))); do touch "$state/dev/gpu$i"; done
    cat > /etc/slurm/gres.conf <<EOF
$marker
AutoDetect=off
NodeName=$host Name=gpu File=$state/dev/gpu[0-$((gpus - 1))]
EOF
}

running() { [ -f "$state/$1.pid" ] && kill -0 "$(cat "$state/$1.pid")" 2>/dev/null; }

start_daemons() {
    [ -f /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key "$state/munge" 2>/dev/null || true
    if ! running munged; then
        runuser -u munge -- munged --socket="$state/munge/munge.socket" --pid-file="$state/munge/munged.pid" \
            --log-file="$state/munge/munged.log" --seed-file="$state/munge/munged.seed" --key-file=/etc/munge/munge.key
        cp "$state/munge/munged.pid" "$state/munged.pid"
    fi
    running slurmctld || slurmctld
    running slurmd || slurmd
}

wait_ready() {
    for _ in $(seq 1 60); do
        if sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then return 0; fi
        sleep 0.5
    done
    echo "--- slurmctld.log" >&2; tail -n 20 "$state/slurmctld.log" >&2 || true
    echo "--- slurmd.log" >&2; tail -n 20 "$state/slurmd.log" >&2 || true
    fail "the node did not come up within 30 s"
}

stop_daemon() {
    local name=$1
    running "$name" || { rm -f "$state/$name.pid"; return 0; }
    local pid
    pid=$(cat "$state/$name.pid")
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    rm -f "$state/$name.pid"
}

case "${1:-}" in
    start)
        if running slurmctld && running slurmd && running munged; then wait_ready; echo "slurm-local: running"; exit 0; fi
        install_packages
        write_config
        start_daemons
        wait_ready
        echo "slurm-local: running (node $(hostname -s), $(nproc) CPUs, gpu:$gpus; state in $state)"
        ;;
    stop)
        stop_daemon slurmd
        stop_daemon slurmctld
        stop_daemon munged
        echo "slurm-local: stopped"
        ;;
    status)
        running slurmctld && running slurmd && sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'
        ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
