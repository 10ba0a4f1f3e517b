#!/usr/bin/env bash
# Builds kgent-guard (native/guard/kgent-guard.c, see the comment there) into .kgent/native/kgent-guard. The build copies
# it next to every Kgent assembly. Never fails the build: without gcc it says what to install and exits 0; Kgent then runs
# its children unguarded, and `kgent doctor` says so.
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
source_file="$root/native/guard/kgent-guard.c"
out_dir="$root/.kgent/native"
out="$out_dir/kgent-guard"

if [ -x "$out" ] && [ "$out" -nt "$source_file" ]; then
  exit 0
fi
if ! command -v gcc >/dev/null 2>&1; then
  echo "kgent-guard: gcc is missing, so the process guard was not built (fix: apt-get install -y gcc, or run scripts/setup.sh)" >&2
  exit 0
fi
mkdir -p "$out_dir"
tmp="$out.tmp.$$"
if gcc -O2 -Wall -Wextra -Werror -o "$tmp" "$source_file"; then
  mv -f "$tmp" "$out"
  echo "kgent-guard: built $out" >&2
else
  rm -f "$tmp"
  echo "kgent-guard: gcc failed to build $out (see above)" >&2
fi
exit 0
