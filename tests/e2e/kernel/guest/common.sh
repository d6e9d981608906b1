# Shared helpers for the guest scenarios (busybox sh). Markers are the only thing the host judges.
pass() { echo "MTKFLASH-E2E PASS $1${2:+ $2}"; }
fail() { echo "MTKFLASH-E2E FAIL $1 $(echo "$2" | tr '\n' ' ' | cut -c1-300)"; }
pending() { echo "MTKFLASH-E2E PENDING $1 $2"; }
# flag NAME → the value of NAME in mtkflash.flags=a=1,b=0 (empty when absent)
flag() { echo ",$FLAGS," | sed -n "s/.*,$1=\([^,]*\),.*/\1/p"; }

# drives FILE: the objects of `mtkflash list --json` as tab-separated path vendor product revision state family
# canFlash (top-level keys only; brace depth is counted outside strings).
drives() {
  awk '
  {
    line = $0; s = line; gsub(/"([^"\\]|\\.)*"/, "", s)
    if (depth == 2 && line ~ /^[ \t]*"[A-Za-z]+": /) {
      key = line; sub(/^[ \t]*"/, "", key); sub(/".*/, "", key)
      val = line; sub(/^[ \t]*"[A-Za-z]+": */, "", val); sub(/,[ \t]*$/, "", val); gsub(/^"|"$/, "", val)
      f[key] = val
    }
    for (i = 1; i <= length(s); i++) {
      c = substr(s, i, 1)
      if (c == "{" || c == "[") depth++
      else if (c == "}" || c == "]") {
        depth--
        if (depth == 1 && c == "}") {
          print f["path"] "\t" f["vendor"] "\t" f["product"] "\t" f["revision"] "\t" f["state"] "\t" f["family"] "\t" f["canFlash"]
          split("", f)
        }
      }
    }
  }' "$1"
}

# field TSV-LINE N
field() { echo "$1" | cut -f"$2"; }

# has_write_cdb TRACE → true when the trace holds a WRITE BUFFER (3B) or a TSST flash (FF) command
has_write_cdb() { [ -f "$1" ] && grep -qiE '"cdb": *"(3B|FF)' "$1"; }
