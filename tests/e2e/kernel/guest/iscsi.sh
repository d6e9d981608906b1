# Scenarios 2 and 3: virtual MT1959 and TSST drives served over iSCSI (scsi-generic), seen by the guest kernel as real
# SCSI CD devices. Non-root first (list works, write refused before anything is sent), then root list/backup/write.
. /e2e/common.sh
REV=$(flag rev)
mtkflash list --json >/tmp/list.json 2>/tmp/list.err || fail iscsi-list "exit $?: $(cat /tmp/list.err)"
cat /tmp/list.json
drives /tmp/list.json >/tmp/drives.tsv
mt=$(awk -F'\t' '$6=="mt1959"' /tmp/drives.tsv | head -1)
ts=$(awk -F'\t' '$6=="tsst"' /tmp/drives.tsv | head -1)
[ -n "$mt" ] && pass iscsi-list-mt1959 "$(field "$mt" 1) $(field "$mt" 2) $(field "$mt" 3) $(field "$mt" 4)" || fail iscsi-list-mt1959 "no mt1959 drive listed"
[ -n "$ts" ] && pass iscsi-list-tsst "$(field "$ts" 1) $(field "$ts" 2) $(field "$ts" 3) $(field "$ts" 4)" || fail iscsi-list-tsst "no tsst drive listed"

# --- scenario 3: an unprivileged user with group access to the nodes (like Debian's cdrom group) ---
# busybox su as root needs no password and sets the supplementary groups from /etc/group (e2e is in cdrom, gid 24).
chgrp cdrom /dev/sg* /dev/sr* 2>/dev/null; chmod 660 /dev/sg* /dev/sr* 2>/dev/null
mkdir -p /tmp/e2e-home && chown 1000:1000 /tmp/e2e-home
user() { su -s /bin/sh e2e -c "PATH=/bin MTKFLASH_HOME=/tmp/e2e-home $*"; }
[ "$(user id -u)" = 1000 ] && pass iscsi-perms-user "$(user id)" || fail iscsi-perms-user "cannot switch to the e2e user"
user mtkflash list --json >/tmp/ulist.json 2>/tmp/ulist.err; rc=$?
un=$(drives /tmp/ulist.json | awk -F'\t' '$6=="mt1959" || $6=="tsst"' | grep -c .)
[ $rc -eq 0 ] && [ "$un" -eq 2 ] && pass iscsi-perms-list "non-root sees $un drives" || fail iscsi-perms-list "exit $rc, $un drives: $(cat /tmp/ulist.err)"
if [ "$(flag write)" != 1 ]; then
  pending iscsi-perms-write "this build has no 'mtkflash write'"
elif [ -n "$mt" ]; then
  user mtkflash write "$(field "$mt" 1)" /e2e/mt1959.bin --yes --json --trace /tmp/e2e-home/perm.jsonl >/tmp/uw.out 2>/tmp/uw.err; rc=$?
  sent=$(cat /tmp/e2e-home/perm.jsonl 2>/dev/null | grep -c .)
  # Issue 4, scenario 3: the write fails before sending anything (exit 3 = refused by a safety check).
  if [ $rc -eq 0 ]; then fail iscsi-perms-write "a non-root write succeeded"
  elif [ $rc -ne 3 ]; then fail iscsi-perms-write "exit $rc, expected 3 (refused): $(cat /tmp/uw.err)"
  elif ! grep -qiE 'root|CAP_SYS_RAWIO' /tmp/uw.err /tmp/uw.out; then fail iscsi-perms-write "exit $rc without naming root/CAP_SYS_RAWIO: $(cat /tmp/uw.err)"
  elif [ "$sent" -ne 0 ]; then fail iscsi-perms-write "$sent command(s) were sent before the refusal"
  else pass iscsi-perms-write "exit $rc, nothing sent: $(head -c 160 /tmp/uw.err | tr '\n' ' ')"; fi
fi

# --- scenario 2: backup and flash through /dev/sg* as root ---
for kind in mt1959 tsst; do
  line=$(awk -F'\t' -v k=$kind '$6==k' /tmp/drives.tsv | head -1)
  [ -n "$line" ] || continue
  p=$(field "$line" 1)
  if [ "$(flag backup)" = 1 ]; then
    mkdir -p "/tmp/backup-$kind"
    mtkflash backup "$p" --out "/tmp/backup-$kind" --json >/tmp/b.out 2>/tmp/b.err; rc=$?
    files=$(find "/tmp/backup-$kind" -type f -size +0 2>/dev/null | wc -l)
    [ $rc -eq 0 ] && [ "$files" -gt 0 ] && pass "iscsi-backup-$kind" "$files file(s)" || fail "iscsi-backup-$kind" "exit $rc, $files file(s): $(cat /tmp/b.err)"
  else pending "iscsi-backup-$kind" "this build has no 'mtkflash backup'"; fi
  if [ "$(flag write)" = 1 ]; then
    # Issue 9 §4: while the write runs, its sg node must be held exclusively (O_EXCL) and every state-changing command of
    # the trace must have gone through that sg node, not through $p. Exclusivity is probed the way the sg driver shows
    # it: a plain open(2) of an sg node that someone holds with O_EXCL waits (sg.c open_wait), so a dd that opens the node
    # and reads nothing does not return within 2 s during the write, and returns at once afterwards. Probes start only
    # once the trace shows the write's first command (the node is open), so they can never take the node first.
    sgn=$(ls "/sys/block/${p#/dev/}/device/scsi_generic" 2>/dev/null | head -1)
    : >"/tmp/wt-$kind.jsonl"; : >/tmp/excl-$kind.txt
    mtkflash write "$p" "/e2e/$kind.bin" --yes --json --trace "/tmp/wt-$kind.jsonl" >/tmp/w.out 2>/tmp/w.err &
    wpid=$!
    probe=open
    while kill -0 $wpid 2>/dev/null; do
      grep -a 'excl=1' /proc/scsi/sg/debug >>/tmp/excl-$kind.txt 2>/dev/null
      if [ "$probe" = open ] && [ -n "$sgn" ] && [ -s "/tmp/wt-$kind.jsonl" ] && kill -0 $wpid 2>/dev/null; then
        timeout 2 dd if="/dev/$sgn" of=/dev/null count=0 2>/dev/null || probe=blocked
      fi
      sleep 0.05
    done
    wait $wpid; rc=$?
    [ $rc -eq 0 ] && pass "iscsi-write-$kind" || fail "iscsi-write-$kind" "exit $rc: $(cat /tmp/w.err)"
    nodes=$(grep -aiE '"cdb": *"(3b|ff)' "/tmp/wt-$kind.jsonl" 2>/dev/null | sed -n 's/.*"drive": *"\([^"]*\)".*/\1/p' | sort -u | tr '\n' ' ' | sed 's/ $//')
    case "$nodes" in
      /dev/sg[0-9]*) case "$nodes" in *" "*) fail "iscsi-write-sg-$kind" "state-changing commands went through several nodes: $nodes";;
                       *) pass "iscsi-write-sg-$kind" "asked for $p, every state-changing command went through $nodes";; esac;;
      *) fail "iscsi-write-sg-$kind" "state-changing commands went through '$nodes', not an sg node (asked for $p)";;
    esac
    timeout 2 dd if="/dev/$sgn" of=/dev/null count=0 2>/dev/null && after=free || after=blocked
    procline=$(grep -a "device=$sgn " /tmp/excl-$kind.txt | head -1 | tr -s ' ' | cut -c1-100)
    if [ "/dev/$sgn" != "$nodes" ]; then
      fail "iscsi-write-excl-$kind" "the drive's sg node is '/dev/$sgn', the write used '$nodes'"
    elif [ "$probe" = blocked ] && [ "$after" = free ]; then
      pass "iscsi-write-excl-$kind" "/dev/$sgn held O_EXCL during the write (another open waited), free afterwards${procline:+; /proc/scsi/sg/debug: $procline}"
    else
      fail "iscsi-write-excl-$kind" "probe during the write: $probe, after: $after; /proc/scsi/sg: $(ls /proc/scsi/sg 2>&1 | tr '\n' ' ')"
    fi
    mtkflash list "$p" --json >/tmp/after.json 2>/dev/null
    rev=$(drives /tmp/after.json | head -1 | cut -f4)
    [ "$rev" = "$REV" ] && pass "iscsi-newrev-$kind" "$rev" || fail "iscsi-newrev-$kind" "revision '$rev' after the write, expected '$REV'"
  else pending "iscsi-write-$kind" "this build has no 'mtkflash write'"; fi
done
