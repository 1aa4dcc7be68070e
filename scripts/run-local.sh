#!/usr/bin/env bash
# Serves the API on http://localhost:7071 with the same function classes as Azure, starting a
# local Cosmos-compatible server itself. Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run --project functions/CredentialFunctions.LocalHost -- "$@"
