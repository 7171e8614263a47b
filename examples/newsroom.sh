#!/usr/bin/env bash
# A newsroom's day with plain curl: record a refused proposal, a breach of the Istanbul
# arrangements and a completed swap with breakdowns, correct a figure, pull the gaps and the
# timeline as CSV, cut a release and read the gaps as of that release.
# The events and figures below are illustrative: run it against a test instance.
#   BASE         the service (default http://127.0.0.1:8000)
#   TOKEN        a write token:  exchange-log tokens create newsroom --scope write
#   ADMIN_TOKEN  an admin token (for the release): exchange-log tokens create editor --scope admin
#   RELEASE      the release name (default newsroom-<today>)
set -euo pipefail

BASE="${BASE:-http://127.0.0.1:8000}"
RELEASE="${RELEASE:-newsroom-$(date -u +%Y-%m-%d)}"
: "${TOKEN:?set TOKEN to a write token}"
: "${ADMIN_TOKEN:?set ADMIN_TOKEN to an admin token}"

# POST a JSON body with the write token. The Idempotency-Key makes a rerun of this script
# return the events it already recorded instead of failing on the ids it chose.
post() { # path idempotency-key json [extra curl arguments...]
  local path="$1" key="$2" body="$3"
  shift 3
  curl --fail-with-body -sS -X POST "$BASE$path" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: $key" -d "$body" "$@"
  echo
}

# 1. Ukraine proposes an all-for-all exchange; Russia refuses and asks for categories.
post /v1/proposals newsroom-proposal '{"id": "ua-all-for-all-2026-05-20",
  "occurred_on": "2026-05-20", "proposed_by": "UA", "addressed_to": "RU",
  "format": "all_for_all", "categories": ["military", "civilians"],
  "summary": "Ukraine offers to exchange all prisoners for all.",
  "sources": [{"url": "https://news.example/2026/05/20/all-for-all", "publisher": "Example News"}]}'
post /v1/proposals/ua-all-for-all-2026-05-20/refusals newsroom-refusal '{
  "occurred_on": "2026-05-22", "refused_by": "RU",
  "reason": "Russia wants exchanges by categories, not all for all.",
  "demanded_categories": ["severely_wounded", "under_25"],
  "sources": [{"url": "https://news.example/2026/05/22/refusal", "publisher": "Example News"}]}'

# 2. A breach of the Istanbul arrangements of 2 June 2025 (the shipped history has them as
#    istanbul-2025-06-02; record them first on an empty instance).
status=$(curl -sS -o /dev/null -w '%{http_code}' "$BASE/v1/agreements/istanbul-2025-06-02")
if [ "$status" = 404 ]; then
  post /v1/agreements newsroom-istanbul '{"id": "istanbul-2025-06-02",
    "occurred_on": "2025-06-02", "name": "Istanbul arrangements", "parties": ["UA", "RU"],
    "venue": "Istanbul", "terms": [
      {"category": "severely_wounded", "basis": "all_for_all", "open_ended": true},
      {"category": "under_25", "basis": "all_for_all", "open_ended": true}],
    "sources": [{"url": "https://news.example/2025/06/02/istanbul", "publisher": "Example News"}]}'
fi
post /v1/agreements/istanbul-2025-06-02/breaches newsroom-breach '{
  "occurred_on": "2026-05-25", "alleged_by": "UA", "breached_by": "RU",
  "description": "No severely wounded prisoners were on the lists, contrary to the arrangements.",
  "sources": [{"url": "https://news.example/2026/05/25/breach", "publisher": "Example News"}]}'

# 3. A completed swap with its breakdowns from a published report. The event id for the
#    correction comes from the Location header (/v1/events/<id>).
post /v1/swaps newsroom-swap '{"id": "2026-06-05", "occurred_on": "2026-06-05",
  "mediators": ["AE"], "categories": ["military", "severely_wounded"],
  "sides": [{"party": "UA", "received": 205}, {"party": "RU", "received": 205}],
  "breakdowns": [{"side": "RU", "dimension": "nationality", "values": [
    {"label": "Russians", "share": 0.8}, {"label": "Chechens", "share": 0.13},
    {"label": "other", "share": 0.07}]}],
  "sources": [{"url": "https://news.example/2026/06/05/swap", "publisher": "Example News"}]}' \
  -D swap-headers.txt
swap_event=$(tr -d '\r' < swap-headers.txt | sed -n 's|^[Ll]ocation: .*/v1/events/||p')
rm -f swap-headers.txt

# 4. The ministry revises Ukraine's figure to 206: correct it. If-Match: the swap is still at
#    stream version 1 (nobody corrected it meanwhile); changes replace the whole "sides".
post "/v1/events/$swap_event/corrections" newsroom-correction '{"occurred_on": "2026-06-06",
  "reason": "The ministry revised the number of Ukrainians returned.",
  "changes": {"sides": [{"party": "UA", "received": 206}, {"party": "RU", "received": 205}]},
  "sources": [{"url": "https://news.example/2026/06/06/revision", "publisher": "Example News"}]}' \
  -H 'If-Match: "1"'

# 5. Pull the figures: the gaps (JSON) and the timeline as CSV.
curl --fail-with-body -sS "$BASE/v1/metrics/gaps?from=2026-01-01"
echo
curl --fail-with-body -sS -H 'Accept: text/csv' "$BASE/v1/timeline?from=2026-05-01" -o timeline.csv

# 6. Cut a release (admin), then cite it: the gaps exactly as published.
curl --fail-with-body -sS -X POST "$BASE/v1/releases" \
  -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"name\": \"$RELEASE\", \"description\": \"Figures for the June exchange story\"}"
echo
curl --fail-with-body -sS "$BASE/v1/metrics/gaps?from=2026-01-01&as_of=release:$RELEASE"
echo
