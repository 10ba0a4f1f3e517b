#!/usr/bin/env bash
# Sets everything up and runs every test project. Tests that need root, bpftrace or the kernel run for real.
# Ends with one line "N passed, N failed" summed over all test projects; exits non-zero on any failure.
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
cd "$root"

if ! scripts/setup.sh; then
  echo "setup failed: no tests ran"
  echo "0 passed, 1 failed"
  exit 1
fi

# The newer bpftrace releases (0.23.2, 0.27.1) in Debian chroots, cached outside the checkout: about a minute the
# first time, instant afterwards. Without them (no network) the tests that need them say so and skip.
start=$(date +%s)
if scripts/bpftrace-versions.sh >/dev/null; then
  echo "bpftrace-versions: trees ready in $(( $(date +%s) - start )) s"
else
  echo "bpftrace-versions: the newer bpftrace trees are not available; the tests that need them will say so"
fi

results="$root/.kgent/test-results"
rm -rf "$results"
mkdir -p "$results"
projects=(tests/*/*.csproj)
for project in "${projects[@]}"; do
  name="$(basename "$project" .csproj)"
  echo "== $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" | grep -v -E '^\s*$'
done

scripts/test-summary.sh "$results" "${#projects[@]}"
