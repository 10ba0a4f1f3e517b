#!/usr/bin/env bash
# Builds Kgent's Z3 shim (native/z3shim/z3shim.c, see the comment there) into .kgent/native/libz3.so.
# The build copies that file next to every Kgent assembly. Never fails the build: when gcc or Debian's
# libz3.so.4 is missing it says what to install and exits 0; Kgent then reports "Z3 is not available"
# at the symbolic-verification stage only.
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
source_file="$root/native/z3shim/z3shim.c"
out_dir="$root/.kgent/native"
out="$out_dir/libz3.so"

if [ -f "$out" ] && [ "$out" -nt "$source_file" ]; then
  exit 0
fi
if ! command -v gcc >/dev/null 2>&1; then
  echo "z3 shim: gcc is missing, so the Z3 shim was not built (fix: apt-get install -y gcc libz3-4, or run scripts/setup.sh)" >&2
  exit 0
fi
if ! ldconfig -p 2>/dev/null | grep -q 'libz3\.so\.4 '; then
  echo "z3 shim: Debian's libz3.so.4 is missing, so the Z3 shim was not built (fix: apt-get install -y libz3-4 z3, or run scripts/setup.sh)" >&2
  exit 0
fi
mkdir -p "$out_dir"
tmp="$out.tmp.$$"
if gcc -shared -fPIC -O2 -o "$tmp" "$source_file" -Wl,--no-as-needed -l:libz3.so.4 -ldl -lpthread; then
  mv -f "$tmp" "$out"
  echo "z3 shim: built $out" >&2
else
  rm -f "$tmp"
  echo "z3 shim: gcc failed to build $out (see above)" >&2
fi
exit 0
