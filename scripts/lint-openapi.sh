#!/usr/bin/env bash
# Lints an OpenAPI document with Redocly CLI (recommended rules) and Spectral (spectral:oas).
# Both must report zero errors; warnings are printed but don't fail.
#
# Usage: scripts/lint-openapi.sh <openapi.json> [redocly|spectral]
#   Without a second argument runs both. Exit code 0 when every linter run reports no error.
#   The linters live in .tools/ (scripts/test.sh installs them with maildev). To get the served
#   document without the test suite: run the app and curl http://localhost:5000/openapi/v1.json.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOC="${1:?usage: scripts/lint-openapi.sh <openapi.json> [redocly|spectral]}"
WHICH="${2:-all}"
BIN="$REPO/.tools/node_modules/.bin"
[ -f "$DOC" ] || { echo "no such document: $DOC" >&2; exit 2; }

export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export NO_UPDATE_NOTIFIER=1

rc=0
if [ "$WHICH" = all ] || [ "$WHICH" = redocly ]; then
  [ -x "$BIN/redocly" ] || { echo "redocly is not installed in .tools/ (run scripts/test.sh once)" >&2; exit 2; }
  "$BIN/redocly" lint "$DOC" --config "$REPO/scripts/openapi/redocly.yaml" --format=stylish || rc=1
fi
if [ "$WHICH" = all ] || [ "$WHICH" = spectral ]; then
  [ -x "$BIN/spectral" ] || { echo "spectral is not installed in .tools/ (run scripts/test.sh once)" >&2; exit 2; }
  "$BIN/spectral" lint "$DOC" --ruleset "$REPO/scripts/openapi/spectral.yaml" --fail-severity error --format stylish || rc=1
fi
exit "$rc"
