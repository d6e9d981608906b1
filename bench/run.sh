#!/usr/bin/env bash
# The benchmark harness (issue 15, docs/performance.md): builds Release, runs every benchmark of bench/MtkFlash.Bench,
# prints a table and writes bench/results.json.
#
#   bash bench/run.sh [--quick|--full] [--only 1,5]
#
#   --quick (default)  under 2 minutes on a 2-core machine; figures 6 and 7 come from the files the fleet and kernel
#                      e2e runs wrote into $MTKFLASH_BENCH_OUT (CI runs them first), or are reported as not measured
#   --full             more rounds, and runs the fleet e2e and the kernel e2e itself (several minutes)
#
# Environment: MTKFLASH_BENCH_OUT  where the e2e runs write their measurements (default bench/out, not in git).
# Exit code: 0; 1 when a target is badly missed (worse than twice the target) or a benchmark failed; 2 usage.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick|--full) args+=("$1");;
    --only) [ $# -ge 2 ] || { echo "error: --only needs a list (e.g. 1,5)" >&2; exit 2; }; args+=("$1" "$2"); shift;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
    *) echo "error: unknown argument '$1' (--quick, --full, --only LIST)" >&2; exit 2;;
  esac
  shift
done
export MTKFLASH_BENCH_OUT=${MTKFLASH_BENCH_OUT:-$repo/bench/out}
mkdir -p "$MTKFLASH_BENCH_OUT"
started=$(date +%s)
log=$(mktemp /tmp/mtkflash-bench-build.XXXXXX)
# One build: the harness, and with it (project references) the core, the CLI and the module.
if ! dotnet build bench/MtkFlash.Bench -c Release -nologo -v q >"$log" 2>&1; then
  grep -E 'error' "$log" | sort -u | head -20 >&2
  echo "error: the Release build failed" >&2
  rm -f "$log"; exit 1
fi
rm -f "$log"
echo "built in $(( $(date +%s) - started )) s"
dotnet bench/MtkFlash.Bench/bin/Release/net10.0/MtkFlash.Bench.dll "${args[@]}" --repo "$repo" --out "$repo/bench/results.json" \
  --commit "$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)"
rc=$?
echo "bench wall time: $(( $(date +%s) - started )) s"
exit $rc
