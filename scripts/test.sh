#!/usr/bin/env bash
# Runs every test on a fresh machine: installs the Node tools the tests start (local Cosmos
# server, local SMTP server), runs their own tests, then the whole .NET solution.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v dotnet >/dev/null || { echo "Needs the .NET 10 SDK on PATH." >&2; exit 1; }
command -v node >/dev/null || { echo "Needs Node.js 20 or newer on PATH (the local Cosmos server runs on it)." >&2; exit 1; }

# The browser tests drive Debian's Chromium through its driver (CI runs this as root).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "== apt-get install chromium chromium-driver"
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver
fi

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
