#!/usr/bin/env bash
# Runs every test on a fresh machine: installs the Node tools the tests start (local Cosmos
# server, local SMTP server), runs their own tests, then the whole .NET solution.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v dotnet >/dev/null || { echo "Needs the .NET 10 SDK on PATH." >&2; exit 1; }
command -v node >/dev/null || { echo "Needs Node.js 20 or newer on PATH (the local Cosmos server runs on it)." >&2; exit 1; }

for tool in tools/*/; do
  if [[ -f "$tool/package-lock.json" ]]; then
    echo "== npm ci in $tool"
    (cd "$tool" && npm ci --no-audit --no-fund --loglevel=error)
    if [[ -d "$tool/test" ]]; then
      echo "== node tests of $tool"
      (cd "$tool" && node --test test/)
    fi
  fi
done

# PDFs are set in DejaVu Sans (functions/CredentialFunctions.Adapters/Pdf/DejaVuFonts.cs reads it from here).
if [[ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]]; then
  echo "== apt-get install fonts-dejavu-core"
  sudo=$([[ $(id -u) -eq 0 ]] && echo "" || echo sudo)
  $sudo apt-get install -y --no-install-recommends fonts-dejavu-core
fi

echo "== dotnet test"
log=$(mktemp)
set +e
dotnet test CredentialFunctions.sln --configuration Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) } }
     END { printf "== .NET tests: %d passed, %d failed\n", p, f }' "$log"
rm -f "$log"
exit "$status"
