#!/usr/bin/env bash
# The mtkflash CLI as a user installs it: `build.ps1 -Task Package` writes the .NET tool package to ./out, which is
# installed into a temporary tool path (only ./out as a package source, a private package cache, so nothing stale or
# foreign is picked up) and run: --version, `virtual profiles`, a backup whose redirected stderr holds the plain progress
# lines, and, where tmux is installed, the same backup on a terminal (a tmux pane), which shows the live bars.
# The last line is "package: N passed, N failed"; the exit code is non-zero when a check failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PATH="$PATH:${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}/.dotnet/tools"

passed=0 failed=0
check() {   # check NAME COMMAND...: runs the command, counts the result
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok: $name"; else failed=$((failed + 1)); echo "FAILED: $name" >&2; fi
}
finish() { echo "package: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

tmp=$(mktemp -d /tmp/mtkflash-package.XXXXXX)
session="mtkflash-package-$$"
cleanup() { command -v tmux >/dev/null 2>&1 && tmux kill-session -t "$session" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

echo "== build.ps1 -Task Package"
if ! pwsh -NoProfile -NonInteractive -File build.ps1 -Task Package </dev/null >"$tmp/build.log" 2>&1; then
  tail -30 "$tmp/build.log"; failed=$((failed + 1)); echo "FAILED: build.ps1 -Task Package" >&2; finish
fi
nupkg=$(ls out/MtkFlash.Cli.*.nupkg 2>/dev/null | sort -V | tail -1)
check "the package is in ./out" test -n "$nupkg"
[ -n "$nupkg" ] || finish
version=$(basename "$nupkg" .nupkg); version=${version#MtkFlash.Cli.}
echo "package: $nupkg (version $version)"
check "the package is a dotnet tool with the README" bash -c "unzip -l '$nupkg' | grep -q 'tools/net10.0/any/DotnetToolSettings.xml' && unzip -l '$nupkg' | grep -q ' README.md'"
check "the package metadata has no placeholder" bash -c "! unzip -p '$nupkg' MtkFlash.Cli.nuspec | grep -Eiq 'example\.(com|org)|placeholder|TODO'"
# The iSCSI target ships with the CLI only: the module folder build.ps1 laid out has no MtkFlash.Iscsi.dll and its core
# holds no iSCSI type (a type named Iscsi*, loaded in a separate pwsh; IScsiTransport is the SCSI seam, not iSCSI), while the
# tool has the assembly and serves.
check "the module folder has no MtkFlash.Iscsi.dll" bash -c "test -f out/MtkFlash/MtkFlash.Core.dll && ! ls out/MtkFlash | grep -qi 'iscsi'"
check "the module's MtkFlash.Core.dll holds no iSCSI type" bash -c \
  "pwsh -NoProfile -NonInteractive -Command '\$t = [Reflection.Assembly]::LoadFile((Resolve-Path out/MtkFlash/MtkFlash.Core.dll).Path).GetTypes(); if (\$t.Count -lt 50) { exit 2 }; \$i = @(\$t | Where-Object FullName -cmatch \"Iscsi\"); \$i.FullName; exit \$i.Count' </dev/null"
check "the tool package carries MtkFlash.Iscsi.dll" bash -c "unzip -l '$nupkg' | grep -q 'tools/net10.0/any/MtkFlash.Iscsi.dll'"

echo "== dotnet tool install --tool-path $tmp/tools --add-source ./out MtkFlash.Cli"
cat >"$tmp/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear /></packageSources></configuration>
XML
if NUGET_PACKAGES="$tmp/packages" dotnet tool install --tool-path "$tmp/tools" --configfile "$tmp/nuget.config" --add-source ./out \
     MtkFlash.Cli --version "$version" >"$tmp/install.log" 2>&1; then
  passed=$((passed + 1)); echo "ok: installed"
else
  cat "$tmp/install.log"; failed=$((failed + 1)); echo "FAILED: dotnet tool install" >&2; finish
fi
mtk="$tmp/tools/mtkflash"
export MTKFLASH_HOME="$tmp/home"

check "mtkflash --version prints $version" bash -c "'$mtk' --version | tee '$tmp/version.txt' | grep -q '^${version//./\\.}'"
check "mtkflash virtual profiles lists the emulated models" bash -c "'$mtk' virtual profiles | tee '$tmp/profiles.txt' | grep -q 'lg-bh16ns40'"
check "mtkflash virtual new" bash -c "'$mtk' virtual new pkg --profile lg-bh16ns40 >/dev/null"
check "mtkflash virtual serve (from the tool) listens on loopback and stops" bash -c \
  "'$mtk' virtual serve pkg --iscsi 127.0.0.1:0 --seconds 0 >'$tmp/serve.txt' 2>'$tmp/serve-err.txt' && grep -q '^portal: 127\.0\.0\.1:[1-9]' '$tmp/serve.txt' && grep -q '^stopped serving virtual:pkg' '$tmp/serve-err.txt'"
mkdir -p "$tmp/backups"
check "a backup with stderr redirected prints plain progress lines" bash -c \
  "'$mtk' backup virtual:pkg --out '$tmp/backups' >'$tmp/out.txt' 2>'$tmp/err.txt' && grep -q '^done: Backing up virtual:pkg 100% - done' '$tmp/err.txt' && ! grep -q \$'\\e' '$tmp/err.txt'"

if command -v tmux >/dev/null 2>&1; then
  echo "== on a terminal (tmux pane)"
  tmux new-session -d -s "$session" -x 120 -y 30 \
    "env TERM=xterm-256color MTKFLASH_HOME='$MTKFLASH_HOME' '$mtk' backup virtual:pkg --out '$tmp/backups'; echo \"exit=\$?\" >'$tmp/tmux-exit'; sleep 60"
  for _ in $(seq 1 120); do [ -s "$tmp/tmux-exit" ] && break; sleep 0.5; done
  tmux capture-pane -p -t "$session" >"$tmp/pane.txt" 2>/dev/null
  cat "$tmp/pane.txt" | grep -v '^$'
  check "on a terminal the backup ends with full live bars" bash -c \
    "grep -q 'exit=0' '$tmp/tmux-exit' && grep -Eq '^Backing up virtual:pkg - done +━+ 100% ' '$tmp/pane.txt' && grep -Eq '^  Reading the firmware of virtual:pkg .+━+ 100% ' '$tmp/pane.txt' && ! grep -q 'progress:' '$tmp/pane.txt'"
else
  echo "note: tmux is not installed, so the terminal check is skipped (apt-get install tmux to run it)"
fi
finish
