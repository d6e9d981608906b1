#!/usr/bin/env bash
# Installs what the module's tests need when it is missing, quietly and idempotently:
#   - PowerShell 7.6.9 as a .NET global tool (~/.dotnet/tools/pwsh);
#   - Pester 5.7.1 from NuGet: a throw-away project downloads the package, whose tools/ folder is the module; it is
#     copied to the user's module folder (~/.local/share/powershell/Modules/Pester/5.7.1).
# Prints one line per component; on failure prints the installer's log and exits non-zero.
# Use: bash .ci/install-powershell.sh   (then: export PATH="$PATH:$HOME/.dotnet/tools")
set -uo pipefail
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
export HOME DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

PWSH_VERSION=7.6.9
PESTER_VERSION=5.7.1
tools="$HOME/.dotnet/tools"
pester_dir="$HOME/.local/share/powershell/Modules/Pester/$PESTER_VERSION"
log=$(mktemp /tmp/mtkflash-install.XXXXXX)
trap 'rm -f "$log"' EXIT

fail() {
  echo "error: $1" >&2
  tail -40 "$log" >&2
  exit 1
}

installed_pwsh() { "$tools/pwsh" -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null </dev/null; }

if [ "$(installed_pwsh)" = "$PWSH_VERSION" ]; then
  echo "pwsh $PWSH_VERSION: present"
else
  # Another version (or a broken install) is replaced; an absent tool is installed.
  dotnet tool uninstall --global PowerShell >/dev/null 2>&1 || true
  dotnet tool install --global PowerShell --version "$PWSH_VERSION" >"$log" 2>&1 || fail "dotnet tool install PowerShell $PWSH_VERSION failed"
  [ "$(installed_pwsh)" = "$PWSH_VERSION" ] || fail "pwsh $PWSH_VERSION does not start after installing it"
  echo "pwsh $PWSH_VERSION: installed in $tools"
fi

if [ -f "$pester_dir/Pester.psd1" ]; then
  echo "Pester $PESTER_VERSION: present"
else
  work=$(mktemp -d /tmp/mtkflash-pester.XXXXXX)
  packages="$work/packages"
  cat >"$work/download.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <RestorePackagesPath>$packages</RestorePackagesPath>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Pester" Version="[$PESTER_VERSION]" />
  </ItemGroup>
</Project>
EOF
  dotnet restore "$work/download.csproj" >"$log" 2>&1 || { rm -rf "$work"; fail "restoring Pester $PESTER_VERSION from NuGet failed"; }
  src="$packages/pester/$PESTER_VERSION/tools"
  [ -f "$src/Pester.psd1" ] || { rm -rf "$work"; fail "the Pester package has no tools/Pester.psd1"; }
  # Copy into a sibling folder first, then rename: an interrupted install never leaves a half module behind.
  mkdir -p "$(dirname "$pester_dir")"
  rm -rf "$pester_dir.partial"
  cp -R "$src" "$pester_dir.partial" && mv "$pester_dir.partial" "$pester_dir" || { rm -rf "$work"; fail "copying Pester to $pester_dir failed"; }
  rm -rf "$work"
  echo "Pester $PESTER_VERSION: installed in $pester_dir"
fi
