#!/usr/bin/env bash
# Fleet end-to-end: MtkFlash over real PowerShell remoting (SSH transport), on one machine. See docs/fleet.md.
#
#   bash tests/e2e/fleet/run.sh
#
# Four "hosts", each its own sshd on its own loopback address (127.0.0.2 … 127.0.0.5) and a free high port, in its own
# UTS namespace (so each has its own host name), key-only authentication with keys made for this run, its own
# MTKFLASH_HOME (sshd SetEnv) and several virtual drives of different families. A controller pwsh
# (tests/e2e/fleet/controller.ps1) runs the fleet patterns with Invoke-Command -HostName … -KeyFilePath … and asserts.
#
# Environment:
#   MTKFLASH_MODULE_PATH      use this laid-out module (out/MtkFlash) instead of building one with build.ps1
#   MTKFLASH_FLEET_TIMEOUT    overall limit in seconds (default 900); the run is stopped and fails after it
#   MTKFLASH_FLEET_KEEP=1     keep the work directory (logs, homes, backups) for inspection
#   MTKFLASH_BENCH_OUT        write the measured figures to this folder as fleet.json (bench/run.sh reads it: figure 6)
#
# Installs what is missing: openssh-server (apt-get), pwsh 7.6.9 (dotnet tool). Never touches the machine's own sshd
# or port 22; every process it starts is stopped by its own PID. Exit 1 on any failed assertion.
set -uo pipefail

started=$(date +%s)
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
limit=${MTKFLASH_FLEET_TIMEOUT:-900}
deadline=$((started + limit))
addresses=(127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5)
work=$(mktemp -d "${TMPDIR:-/tmp}/mtkflash-fleet.XXXXXX")
chmod 755 "$work"
controller_pid=

log() { echo "[fleet] $*"; }
remaining() { echo $((deadline - $(date +%s))); }
bounded() { # run a step within what is left of the overall time limit
  local left; left=$(remaining)
  [ "$left" -gt 0 ] || { echo "error: the overall time limit ($limit s) is used up" >&2; return 124; }
  timeout -k 10 "$left" "$@"
}
descendants() { # PID → its child processes, recursively (sshd forks one process per session)
  local c
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do descendants "$c"; echo "$c"; done
}
stop_pid() { # SIGTERM, SIGKILL after 5 s
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null
}
summarized=0
summarize() { # RC: the closing lines, from the controller's own summary or, when it was stopped, from what it printed
  local summary passed failed drives log=$work/controller.log
  summarized=1
  [ -f "$log" ] || { echo "0 passed, 1 failed"; return; }
  summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
  passed=$(echo "$summary" | sed -nE 's/^([0-9]+) passed.*/\1/p')
  failed=$(echo "$summary" | sed -nE 's/.* ([0-9]+) failed$/\1/p')
  if [ -z "$summary" ]; then   # stopped before its summary: count what it printed, and the stop is a failure
    passed=$(grep -c '^PASS ' "$log"); failed=$(( $(grep -c '^FAIL ' "$log") + 1 ))
  fi
  [ "$1" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1   # the controller ended badly without saying so
  drives=$(sed -nE 's/^controller: [0-9]+ hosts, ([0-9]+) drives.*/\1/p' "$log" | tail -1)
  log "wall time: $(( $(date +%s) - started )) s, ${#addresses[@]} hosts, ${drives:-?} drives"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
cleanup() {
  local rc=$? pidfile pid
  trap - EXIT INT TERM
  [ -n "$controller_pid" ] && stop_pid "$controller_pid"
  [ "$summarized" = 1 ] || [ ! -f "$work/controller.log" ] || summarize 1
  for pidfile in "$work"/host*/sshd.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    # Only an sshd started on this run's own config (the PID could have been reused after a crash).
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$work/" || continue
    for c in $(descendants "$pid"); do stop_pid "$c"; done
    stop_pid "$pid"
  done
  if [ "${MTKFLASH_FLEET_KEEP:-0}" = 1 ]; then log "work directory kept: $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
fail_setup() { echo "error: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

# ---- 1. what the run needs: sshd, pwsh, the module ---------------------------------------------------------------
sudo=; [ "$(id -u)" -ne 0 ] && sudo=sudo
if [ ! -x /usr/sbin/sshd ]; then
  command -v apt-get >/dev/null || fail_setup "openssh-server is missing and this is not a Debian-like system"
  log "installing openssh-server (the system's own sshd is not started or touched)"
  { bounded $sudo apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive bounded $sudo apt-get install -y -q --no-install-recommends openssh-server >/dev/null; } ||
    fail_setup "could not install openssh-server with apt-get"
fi
$sudo mkdir -p /run/sshd   # privilege-separation directory
pwsh=$(command -v pwsh || true)
[ -z "$pwsh" ] && [ -x "$HOME/.dotnet/tools/pwsh" ] && pwsh=$HOME/.dotnet/tools/pwsh
if [ -z "$pwsh" ]; then
  log "installing pwsh 7.6.9 (dotnet tool)"
  bounded dotnet tool install --global PowerShell --version 7.6.9 >/dev/null || fail_setup "could not install pwsh 7.6.9"
  pwsh=$HOME/.dotnet/tools/pwsh
fi
[ -x "$pwsh" ] || fail_setup "pwsh is not available"
module=${MTKFLASH_MODULE_PATH:-}
if [ -z "$module" ]; then
  log "building the module (build.ps1)"
  bounded "$pwsh" -NoProfile -NonInteractive -File "$repo/build.ps1" >"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; fail_setup "build.ps1 failed"; }
  module=$repo/out/MtkFlash
fi
[ -f "$module/MtkFlash.psd1" ] || fail_setup "no module at $module"
cli=$repo/src/MtkFlash.Cli/bin/Release/net10.0/mtkflash.dll
[ -f "$cli" ] || fail_setup "the mtkflash CLI is not built ($cli)"
# The module is "installed" on every host the way an admin would: a folder on the hosts' PSModulePath.
mkdir -p "$work/modules" && ln -s "$(cd "$module" && pwd)" "$work/modules/MtkFlash"

# ---- 2. keys and one sshd per host --------------------------------------------------------------------------------
unshare --uts true 2>/dev/null || fail_setup "cannot make UTS namespaces (unshare --uts): run as root, each host needs its own host name"
ports_in_use() { ss -Hltn 2>/dev/null | awk '{print $4}'; }
port=
for _ in $(seq 1 50); do
  p=$((20000 + RANDOM % 20000))
  ports_in_use | grep -Eq "(^|:|\])$p\$" || { port=$p; break; }
done
[ -n "$port" ] || fail_setup "no free high port"
ssh-keygen -q -t ed25519 -N '' -C mtkflash-fleet-controller -f "$work/client" || fail_setup "ssh-keygen failed"
: >"$work/known_hosts"
hostnames=()
for i in "${!addresses[@]}"; do
  addr=${addresses[$i]}; n=${addr##*.}; d=$work/host$n; name=mtkfleet$n
  mkdir -p "$d/home"
  ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$d/hostkey" || fail_setup "ssh-keygen failed"
  cat >"$d/sshd.conf" <<EOF
ListenAddress $addr
Port $port
HostKey $d/hostkey
PidFile $d/sshd.pid
AuthorizedKeysFile $work/client.pub
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
X11Forwarding no
AllowTcpForwarding no
SetEnv MTKFLASH_HOME=$d/home PSModulePath=$work/modules
Subsystem powershell $pwsh -sshs -NoLogo -NoProfile
EOF
  /usr/sbin/sshd -t -f "$d/sshd.conf" 2>"$d/sshd.log" || { cat "$d/sshd.log"; fail_setup "sshd rejects $d/sshd.conf"; }
  # Its own UTS namespace: the host has its own name (what [Environment]::MachineName and bundle manifests show).
  unshare --uts sh -c "hostname $name && exec /usr/sbin/sshd -f '$d/sshd.conf' -E '$d/sshd.log'" || fail_setup "sshd for $addr did not start"
  for _ in $(seq 1 50); do [ -s "$d/sshd.pid" ] && break; sleep 0.1; done
  [ -s "$d/sshd.pid" ] || fail_setup "sshd for $addr wrote no PID file"
  echo "[$addr]:$port $(cut -d' ' -f1,2 "$d/hostkey.pub")" >>"$work/known_hosts"
  hostnames+=("$name")
done
log "${#addresses[@]} hosts: ${addresses[*]} port $port (sshd PIDs: $(cat "$work"/host*/sshd.pid | tr '\n' ' '))"

# ---- 3. the controller: drives and images first, then the five fleet patterns over remoting -------------------------
log "controller: $pwsh tests/e2e/fleet/controller.ps1 (time left: $(remaining) s)"
export MTKFLASH_HOME=$work/controller-home   # the controller's own drives: none
left=$(remaining)
[ "$left" -gt 0 ] || fail_setup "the overall time limit ($limit s) is used up"
# timeout itself in the background (not a shell function), so that its PID is the one to stop: it passes the signal on.
timeout -k 10 "$left" "$pwsh" -NoProfile -NonInteractive -File "$here/controller.ps1" -Work "$work" -Port "$port" -Module "$module" -Cli "$cli" \
  -Address "$(IFS=,; echo "${addresses[*]}")" -HostName "$(IFS=,; echo "${hostnames[*]}")" </dev/null > >(tee "$work/controller.log") 2>&1 &
controller_pid=$!
wait "$controller_pid"
rc=$?
controller_pid=
[ "$rc" -eq 124 ] && echo "error: the controller was stopped at the overall time limit ($limit s)" >&2
for _ in $(seq 1 20); do grep -qE '^[0-9]+ passed, [0-9]+ failed$' "$work/controller.log" && break; sleep 0.1; done   # tee may lag
summarize "$rc"
