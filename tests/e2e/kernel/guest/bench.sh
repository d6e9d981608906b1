# Figure 7 of the benchmark harness (docs/performance.md), run at the end of the cd scenario on the virtio-scsi
# scsi-cd (vendor MTKTEST), in one boot:
#  - N TEST UNIT READY through MtkFlash's SG_IO transport (the hidden `mtkflash bench-sgio`: one open, N commands) and
#    through `sg_turs --number=N --time` (sg3-utils): both one process sending N commands, the like-for-like pair;
#  - N INQUIRY (96 bytes) through MtkFlash, and INQUIRY through sg_raw, which sends one command per process: R runs of
#    `sg_raw -R -r 96 DEV 12 00 00 00 60 00` and R runs of `sg_raw -e` (starts, decodes the CDB, exits without opening
#    the device) for its process cost. Under TCG a process start costs ~100 times an INQUIRY, so R is kept small.
# Prints one line "MTKFLASH-BENCH sgio key=value ..." for the host (run.sh writes it to $MTKFLASH_BENCH_OUT/kernel.json).
. /e2e/common.sh
N=1000; R=${MTKFLASH_BENCH_SGRAW_RUNS:-50}
up() { cut -d' ' -f1 /proc/uptime; }
since() { awk -v a="$1" -v b="$(up)" 'BEGIN { printf "%.2f", b - a }'; }
seconds() { echo "$1" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p'; }
if ! command -v sg_raw >/dev/null 2>&1 || ! command -v sg_turs >/dev/null 2>&1; then
  echo "MTKFLASH-BENCH sgio skipped=no-sg3-utils-in-guest"
  return 0 2>/dev/null || exit 0
fi
dev=
for s in /sys/class/scsi_generic/sg*; do
  [ "$(tr -d ' ' <"$s/device/vendor" 2>/dev/null)" = MTKTEST ] && dev=/dev/${s##*/}
done
if [ -z "$dev" ]; then fail cd-bench-sgio "no scsi-generic node for the MTKTEST drive"; return 0 2>/dev/null || exit 0; fi
out=$(mtkflash bench-sgio "$dev" --count $N 2>&1); rc=$?
mtk_inq=$(seconds "$out")
if [ $rc -ne 0 ] || [ -z "$mtk_inq" ]; then fail cd-bench-sgio "mtkflash bench-sgio $dev: exit $rc: $out"; return 0 2>/dev/null || exit 0; fi
pass cd-bench-sgio "$N INQUIRY through MtkFlash's SG_IO on $dev: $mtk_inq s"
mtk_tur=$(seconds "$(mtkflash bench-sgio "$dev" --count $N --command tur 2>&1)")
turs_tur=$(sg_turs --number=$N --time "$dev" 2>&1 | sed -n 's/.*time to perform commands was \([0-9.]*\) secs.*/\1/p')
t=$(up); i=0; bad=0
while [ $i -lt $R ]; do sg_raw -R -r 96 "$dev" 12 00 00 00 60 00 >/dev/null 2>&1 || bad=$((bad+1)); i=$((i+1)); done
raw_inq=$(since "$t")
t=$(up); i=0
while [ $i -lt $R ]; do sg_raw -e "$dev" 12 00 00 00 60 00 >/dev/null 2>&1; i=$((i+1)); done
raw_start=$(since "$t")
echo "MTKFLASH-BENCH sgio device=$dev n=$N mtkflash_inquiry_s=$mtk_inq mtkflash_tur_s=${mtk_tur:-0} sgturs_tur_s=${turs_tur:-0} sgraw_runs=$R sgraw_inquiry_s=$raw_inq sgraw_start_s=$raw_start sgraw_failed=$bad"
