#!/usr/bin/env bash
# Sums the TRX files in a directory into one line: "N passed, N failed[, N skipped]".
# Usage: test-summary.sh RESULTS_DIR EXPECTED_PROJECTS   (a project without a TRX, or whose run did not complete, counts as
# one failure)
set -euo pipefail
dir="$1"; expected="$2"
passed=0; failed=0; skipped=0; found=0
for trx in "$dir"/*.trx; do
  [ -f "$trx" ] || continue
  found=$((found + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
  # A run the test host did not finish (a crash, a stack overflow) says so only in its outcome: its counters may show
  # no failure at all. It counts as one failure, named, so an aborted run is never reported green.
  outcome="$(grep -o '<ResultSummary outcome="[A-Za-z]*"' "$trx" | head -n 1 | grep -o '"[A-Za-z]*"' | tr -d '"')"
  run_failed=$(( $(value failed) + $(value error) + $(value timeout) + $(value aborted) ))
  if [ "$outcome" != "Completed" ] && [ "$outcome" != "Passed" ] && [ "$run_failed" -eq 0 ]; then
    echo "$(basename "$trx" .trx): the test run did not complete (outcome: ${outcome:-none}); its host crashed or was aborted"
    failed=$((failed + 1))
  fi
done
failed=$((failed + expected - found))
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
