#!/usr/bin/env bash
# The walkthrough: a program, a signed LMS completion that issues a credential, a public
# verification, the full record. Run it from the repository root while scripts/run-local.sh serves
# the API (API=<base address> points it elsewhere).
set -euo pipefail
API=${API:-http://localhost:7071}
field() { node -p "JSON.parse(require('fs').readFileSync(0, 'utf8')).$1"; }

# A token for a role (signed with the development key of local.settings.sample.json)
PM=$(bash scripts/token.sh --role ProgramManager)

# A program: pass at 70, valid for a year, the seeds' default reminders (90/60/30 days) and grace (30 days)
PROGRAM=$(curl -sS --fail-with-body "$API/api/programs" -H "Authorization: Bearer $PM" -H 'Content-Type: application/json' -d '{
  "name": "Certified Forklift Operator", "kind": "initialCertification", "issuingOrganization": "Safety Board",
  "passThreshold": 70, "renewal": { "validity": "P1Y", "pathways": ["retakeExam", "refresherModule"] } }' | field programId)
echo "program: $PROGRAM"

# The LMS reports a passing completion, signed with the LMS secret of local.settings.sample.json
BODY='{"eventId":"evt-'$(date +%s%N)'","programId":"'$PROGRAM'","score":88,"completedAt":"'$(date -u +%FT%TZ)'",
       "learner":{"externalId":"42","fullLegalName":"Ada King Lovelace","email":"ada@example.org"}}'
T=$(date +%s)
SIG=$(printf '%s.%s' "$T" "$BODY" | openssl dgst -sha256 -hmac local-lms-signing-secret | sed 's/^.* //')
CERTIFICATE=$(curl -sS --fail-with-body "$API/api/webhooks/lms/completions" -H "X-Webhook-Signature: t=$T,v1=$SIG" \
     -H 'Content-Type: application/json' -d "$BODY" | field certificateId)
echo "credential: $CERTIFICATE"

# Anyone: status, name, program, dates
curl -sS --fail-with-body "$API/api/verify/$CERTIFICATE"; echo

# The full record with its audit trail, for an auditor
AUD=$(bash scripts/token.sh --role Auditor)
curl -sS --fail-with-body "$API/api/credentials/$CERTIFICATE" -H "Authorization: Bearer $AUD"; echo
