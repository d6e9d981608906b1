# Scenario 4: the served drive stops answering in the middle of the work. The target leaves the command unanswered,
# the guest kernel's SG_IO timer fires (ABORT TASK → DID_TIME_OUT) and mtkflash must report a timeout and exit.
. /e2e/common.sh
# No discovery list first: the hang point (run.sh, --hang-after) counts commands, and QEMU's attach plus the kernel's
# probe are a fixed number of them, so the first command of this work is always the same one.
p=/dev/sr0
if [ "$(flag backup)" = 1 ]; then mkdir -p /tmp/hang-backup; work="backup $p --out /tmp/hang-backup --json"; else work="list $p --json"; fi
t0=$(cut -d' ' -f1 /proc/uptime)
# The guest-side timeout is only a safety net: reaching it means mtkflash hung, which is the failure.
timeout 150 mtkflash $work >/tmp/h.out 2>/tmp/h.err; rc=$?
t1=$(cut -d' ' -f1 /proc/uptime)
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
cat /tmp/h.err
if [ $rc -eq 143 ] || [ $rc -eq 124 ]; then fail hang-returns "mtkflash $work did not return within 150 s"
else pass hang-returns "mtkflash $work returned (exit $rc) after $secs s"; fi
if [ "$(flag backup)" = 1 ]; then
  if [ $rc -eq 0 ]; then fail hang-timeout-error "backup succeeded although the drive hangs (hang point too late? see run.sh)"
  elif grep -qiE 'timed out|timeout' /tmp/h.err /tmp/h.out; then pass hang-timeout-error "exit $rc: $(grep -ihE 'timed out|timeout' /tmp/h.err /tmp/h.out | head -1 | cut -c1-160)"
  else fail hang-timeout-error "exit $rc without a timeout message: $(cat /tmp/h.err)"; fi
else
  # `list` tolerates a silent drive (its probes become a drive state), so the error check needs `backup`.
  pending hang-timeout-error "needs 'mtkflash backup'; list reported state '$(drives /tmp/h.out | head -1 | cut -f5)'"
fi
dmesg | tail -3
