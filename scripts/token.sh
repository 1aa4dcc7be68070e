#!/usr/bin/env bash
# Prints a development bearer token for the local host, and nothing else on stdout, so that
# PM=$(bash scripts/token.sh --role ProgramManager) captures exactly the token. Options: --role
# (repeatable; Administrator when none), --sub, --learner-id, --hours. Signed with the development
# key of the app's local settings (local.settings.sample.json unless you made your own).
set -euo pipefail
cd "$(dirname "$0")/.."
configuration=${CONFIGURATION:-Debug}
host=functions/CredentialFunctions.LocalHost
# scripts/run-local.sh builds the host each time it starts; build here only if it never ran, and
# to stderr, since a build talks on stdout (the Functions SDK's restore warnings, every time).
if [[ ! -f "$host/bin/$configuration/net10.0/CredentialFunctions.LocalHost.dll" ]]; then
  dotnet build "$host" --configuration "$configuration" --nologo --verbosity quiet >&2
fi
exec dotnet "$host/bin/$configuration/net10.0/CredentialFunctions.LocalHost.dll" token "$@"
