# Scenario 1: QEMU's own CD models through the real kernel stack: ATAPI via libata (disc and empty tray) and a
# virtio-scsi scsi-cd with an identity outside the catalogue. Expected identities: docs/reference/kernel-e2e.md §7.
. /e2e/common.sh
mtkflash list --json >/tmp/list.json 2>/tmp/list.err; rc=$?
cat /tmp/list.json
[ $rc -eq 0 ] && pass cd-list-exit || fail cd-list-exit "exit $rc: $(cat /tmp/list.err)"
drives /tmp/list.json >/tmp/drives.tsv
n=$(grep -c . /tmp/drives.tsv)
[ "$n" -eq 3 ] && pass cd-list-count || fail cd-list-count "expected 3 drives, got $n"

check() { # NAME VENDOR PRODUCT REVISION STATE
  line=$(awk -F'\t' -v v="$2" -v p="$3" -v r="$4" -v s="$5" '$2==v && $3==p && $4==r && $5==s' /tmp/drives.tsv | head -1)
  if [ -z "$line" ]; then fail "$1" "no drive '$2' '$3' '$4' in state $5"; return; fi
  [ "$(field "$line" 6)" = unknown ] && [ "$(field "$line" 7)" = false ] && pass "$1" "$(field "$line" 1)" ||
    fail "$1" "family '$(field "$line" 6)' canFlash '$(field "$line" 7)' (expected unknown/false)"
}
check cd-ide-disc QEMU "QEMU DVD-ROM" "2.5+" mediumPresent
check cd-ide-empty QEMU "QEMU DVD-ROM" "2.5+" noMedium
check cd-virtio-identity MTKTEST E2E-CD 1.23 mediumPresent

# A flash attempt on a drive of unknown family is refused by the safety checks (exit 3) before any WRITE BUFFER.
if [ "$(flag write)" != 1 ]; then
  pending cd-write-refused "this build has no 'mtkflash write' (write branch not merged)"
else
  i=0
  for p in $(cut -f1 /tmp/drives.tsv); do
    i=$((i+1))
    mtkflash write "$p" /e2e/blank.bin --yes --json --trace "/tmp/w$i.jsonl" >/tmp/w.out 2>/tmp/w.err; rc=$?
    if [ $rc -ne 3 ]; then fail "cd-write-refused-$i" "$p: exit $rc (expected 3): $(cat /tmp/w.err)"
    elif has_write_cdb "/tmp/w$i.jsonl"; then fail "cd-write-refused-$i" "$p: the trace shows a write command"
    else pass "cd-write-refused-$i" "$p"; fi
  done
fi

# The benchmark harness's figure 7 (SG_IO round trip against sg3-utils), in this boot: tests/e2e/kernel/guest/bench.sh.
. /e2e/bench.sh
