#!/usr/bin/env bash
# Kgent setup for a Debian bookworm machine. Idempotent, and fast when everything is already in place:
#   1. checks for the .NET 10 SDK,
#   2. installs the Debian packages Kgent drives (bpftrace, bpftool, z3, libz3-dev, gcc, clang and libbpf-dev for libbpf C
#      programs, and for notebooks jupyter and chromium) when missing,
#   3. mounts tracefs and debugfs when they are not mounted,
#   4. builds the Z3 shim (native/z3shim: Microsoft.Z3 ships no Linux library and Debian's libz3 lacks one function) and
#      the process guard (native/guard: bpftrace and workloads die with Kgent, however it ends),
#   5. builds Kgent.sln (Release) when a source file changed since the last build,
#   6. packs Kgent.Kernel, Kgent.Notebook and Kgent.Extension into the local NuGet feed ~/.local/share/kgent/feed (linked as .kgent/feed,
#      registered as the NuGet source "kgent-local") so a notebook loads Kgent with `#r "nuget: Kgent.Extension, 0.1.0"`,
#   7. compiles the command line ahead of time (ReadyToRun) into .kgent/cli, which ./kgent runs while it is current,
#   8. installs the Microsoft.dotnet-interactive tool (the .NET Interactive Jupyter kernel) into .kgent/tools, and two
#      kernel specs where Jupyter and VS Code find them without JUPYTER_PATH (/usr/local/share/jupyter/kernels as root,
#      else ~/.local/share/jupyter/kernels): "kgent", Kgent's native kernel (./kgent jupyter-kernel), and ".net-csharp";
#      the .NET Interactive one is also kept in .kgent/jupyter, which Kgent's scripts select through JUPYTER_PATH.
#   9. writes vmlinux.h for the running kernel into Kgent's cache (kgent vmlinux; a new kernel's BTF gets its own).
# Messages go to stderr so commands that print JSON keep a clean stdout.
#   --build-only   skip steps 1-3, 7, 8 and 9 (used by ./kgent before ordinary commands; instant when the build is current)
#   --bpftrace-versions  also build the newer bpftrace releases in Debian chroots (scripts/bpftrace-versions.sh)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
cd "$root"

build_only=0
versions=0
for arg in "$@"; do
  case "$arg" in
    --build-only) build_only=1 ;;
    --bpftrace-versions) versions=1 ;;
    *) echo "setup: unknown option '$arg' (known: --build-only, --bpftrace-versions)" >&2; exit 2 ;;
  esac
done

say() { echo "setup: $*" >&2; }
did_something=0

# The sources a build depends on, newer than the last build (empty when the build is current).
stamp="$root/.kgent/build.stamp"
changed_sources() {
  find src tests bench examples native .kgent/native Kgent.sln Directory.Build.props global.json \
    \( -name bin -o -name obj -o -path bench/results \) -prune -o -type f -newer "$stamp" -print -quit 2>/dev/null || true
}

# ./kgent runs this with --build-only before every command: when the build is current and the native parts are built,
# there is nothing to do, and asking NuGet about its sources (a third of a second) is skipped.
if [ "$build_only" = 1 ] && [ -f "$stamp" ] && [ -f "$root/.kgent/native/libz3.so" ] && [ -x "$root/.kgent/native/kgent-guard" ] \
  && [ ! "$root/native/z3shim/z3shim.c" -nt "$root/.kgent/native/libz3.so" ] && [ ! "$root/native/guard/kgent-guard.c" -nt "$root/.kgent/native/kgent-guard" ] \
  && [ -z "$(changed_sources)" ]; then
  exit 0
fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else say "error: '$*' needs root; run setup as root or install sudo"; return 1
  fi
}

if [ "$build_only" = 0 ]; then
  # 1. The .NET SDK is not in Debian's archive, so it cannot be installed from here.
  if ! command -v dotnet >/dev/null 2>&1; then
    say "error: the .NET 10 SDK is not installed; install it (Microsoft's Debian instructions) and rerun"
    exit 1
  fi
  sdk_major="$(dotnet --version 2>/dev/null | cut -d. -f1)"
  if [ "${sdk_major:-0}" -lt 10 ]; then
    say "error: Kgent needs the .NET 10 SDK, found $(dotnet --version 2>/dev/null || echo none)"
    exit 1
  fi

  # 2. Debian packages.
  packages=(bpftrace bpftool z3 libz3-dev gcc clang libbpf-dev jupyter-notebook jupyter-nbconvert jupyter-client python3-nbclient python3-yaml chromium)
  missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]} with apt"
    as_root apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
    did_something=1
  fi

  # 3. tracefs and debugfs: bpftrace reads tracepoint formats and event lists from them.
  mount_fs() {
    local type="$1" dir="$2"
    [ -d "$dir" ] || return 0
    mountpoint -q "$dir" && return 0
    if as_root mount -t "$type" nodev "$dir" 2>/dev/null; then
      say "mounted $type at $dir"
      did_something=1
    else
      say "warning: could not mount $type at $dir; tracepoints will not be available (try: mount -t $type nodev $dir)"
    fi
  }
  mount_fs tracefs /sys/kernel/tracing
  mount_fs debugfs /sys/kernel/debug
fi

# The local NuGet feed notebooks load Kgent from. It lives in the user's data folder, not in the checkout, because it is
# registered as the user-level NuGet source "kgent-local": a registered folder that disappears (a deleted checkout)
# would make every restore on the machine fail (NU1301). .kgent/feed links to it. It is created and registered before
# the build, whose restore reads every registered source.
feed="${XDG_DATA_HOME:-$HOME/.local/share}/kgent/feed"
mkdir -p "$feed" "$root/.kgent"
if [ ! -L "$root/.kgent/feed" ] || [ "$(readlink "$root/.kgent/feed")" != "$feed" ]; then
  rm -rf "$root/.kgent/feed"
  ln -s "$feed" "$root/.kgent/feed"
fi
registered="$(dotnet nuget list source --format detailed 2>/dev/null | grep -A1 ' kgent-local ' | tail -n 1 | tr -d '[:space:]' || true)"
if [ "$registered" != "$feed" ]; then
  if [ -n "$registered" ]; then
    dotnet nuget update source kgent-local --source "$feed" >/dev/null
  else
    dotnet nuget add source "$feed" --name kgent-local >/dev/null
  fi
  say "registered $feed as the NuGet source kgent-local"
  did_something=1
fi

# 4. The Z3 shim, .kgent/native/libz3.so, and the process guard, .kgent/native/kgent-guard; the build copies both next to
#    every Kgent assembly.
if [ ! -f "$root/.kgent/native/libz3.so" ] || [ "$root/native/z3shim/z3shim.c" -nt "$root/.kgent/native/libz3.so" ]; then
  bash "$root/scripts/build-z3-shim.sh"
  did_something=1
fi
if [ ! -x "$root/.kgent/native/kgent-guard" ] || [ "$root/native/guard/kgent-guard.c" -nt "$root/.kgent/native/kgent-guard" ]; then
  bash "$root/scripts/build-guard.sh"
  did_something=1
fi

# 5. Build when any source is newer than the last successful build.
changed=""
if [ -f "$stamp" ]; then
  changed="$(changed_sources)"
fi
if [ ! -f "$stamp" ] || [ -n "$changed" ]; then
  say "building Kgent.sln (Release)${changed:+, $changed changed}"
  if ! dotnet build Kgent.sln -c Release -nologo -v quiet >&2; then
    say "error: the build failed (errors above)"
    exit 1
  fi
  mkdir -p "$(dirname "$stamp")"
  touch "$stamp"
  did_something=1
fi

# 6. Pack the build into the feed when the feed holds another build (of this checkout or of another one). NuGet caches
#    a package by id and version, so the cached copies of our packages are dropped on every repack (otherwise a
#    notebook would load the old build).
marker="$root $(date -r "$stamp" +%s%N)"
if [ ! -f "$feed/Kgent.Extension.0.1.0.nupkg" ] || [ ! -f "$feed/Kgent.Notebook.0.1.0.nupkg" ] || [ "$(cat "$feed/.packed-from" 2>/dev/null)" != "$marker" ]; then
  say "packing Kgent into $feed"
  rm -f "$feed"/*.nupkg "$feed/.packed-from"
  for package in kgent.kernel kgent.notebook kgent.extension; do
    rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/$package"
  done
  for project in src/Kgent.Kernel src/Kgent.Notebook src/Kgent.Extension; do
    if ! dotnet pack "$project" -c Release --no-build -o "$feed" -nologo -v quiet >&2; then
      say "error: packing $project failed (errors above)"
      exit 1
    fi
  done
  echo "$marker" > "$feed/.packed-from"
  did_something=1
fi

# 7. The command line as ReadyToRun code in .kgent/cli (./kgent runs it while it is as new as the build): precompiled, it
#    starts in about a tenth of a second instead of JIT-compiling for half a second. Made by the full setup only (it
#    takes a minute); ./kgent runs the plain build until then. A failed publish leaves the plain build in use.
cli="$root/.kgent/cli"
if [ "$build_only" = 0 ] && { [ ! -f "$cli/.stamp" ] || [ "$stamp" -nt "$cli/.stamp" ]; }; then
  say "compiling the command line ahead of time (ReadyToRun) into $cli"
  rm -rf "$cli.new" "$root/src/Kgent.Cli/obj/Release/net10.0/linux-x64/R2R"
  if dotnet publish src/Kgent.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$cli.new" -nologo -v quiet >&2 \
    && "$cli.new/kgent" --version >/dev/null 2>&1; then
    rm -rf "$cli"
    mv "$cli.new" "$cli"
    touch "$cli/.stamp"
  else
    rm -rf "$cli.new"
    say "warning: the ReadyToRun command line could not be made; ./kgent runs the plain build"
  fi
  did_something=1
fi

# 8. Notebook hosts, in .kgent/tools (no global tool install needed) with a kernel spec that Kgent's scripts select
#    through JUPYTER_PATH=.kgent/jupyter. It listens on 127.0.0.1 only (--http-local-only).
if [ "$build_only" = 0 ]; then
  tools="$root/.kgent/tools"
  install_tool() {
    local package="$1" version="$2" command="$3"
    [ -x "$tools/$command" ] && return 0
    say "installing $package $version into $tools"
    dotnet tool install "$package" --version "$version" --tool-path "$tools" >&2
    did_something=1
  }
  install_tool Microsoft.dotnet-interactive 1.0.712001 dotnet-interactive
  # write_spec DIR JSON: writes DIR/kernel.json when it differs (atomically, through a temporary file beside it).
  write_spec() {
    local dir="$1" json="$2"
    mkdir -p "$dir"
    printf '%s\n' "$json" > "$dir/kernel.json.new"
    if ! cmp -s "$dir/kernel.json.new" "$dir/kernel.json"; then
      mv "$dir/kernel.json.new" "$dir/kernel.json"
      say "wrote the Jupyter kernel spec $dir"
      did_something=1
    else
      rm "$dir/kernel.json.new"
    fi
  }
  dotnet_spec='{"argv": ["'"$tools"'/dotnet-interactive", "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-local-only"],
 "display_name": ".NET (C#)", "language": "C#"}'
  kgent_spec='{"argv": ["'"$root"'/kgent", "jupyter-kernel", "--connection-file", "{connection_file}"],
 "display_name": "Kgent", "language": "kgent", "interrupt_mode": "message",
 "metadata": {"description": "Kgent: each cell is one #!kgent stage (synth, check, symbex, verify, run, ...)"}}'
  write_spec "$root/.kgent/jupyter/kernels/.net-csharp" "$dotnet_spec"
  write_spec "$root/.kgent/jupyter/kernels/kgent" "$kgent_spec"
  if [ "$(id -u)" = 0 ]; then kernels=/usr/local/share/jupyter/kernels; else kernels="${XDG_DATA_HOME:-$HOME/.local/share}/jupyter/kernels"; fi
  write_spec "$kernels/kgent" "$kgent_spec"
  write_spec "$kernels/.net-csharp" "$dotnet_spec"
fi

# 9. vmlinux.h for the running kernel (libbpf C programs include it), kept in the cache under the digest of this kernel's BTF.
if [ "$build_only" = 0 ] && [ -f /sys/kernel/btf/vmlinux ]; then
  if header="$("$root/kgent" vmlinux 2>&1)"; then
    say "vmlinux.h for this kernel: $header"
  else
    say "warning: vmlinux.h could not be written ($header); C programs cannot be compiled until it is"
  fi
fi

if [ "$versions" = 1 ]; then
  "$root/scripts/bpftrace-versions.sh" >&2
fi

if [ "$did_something" = 0 ] && [ "$build_only" = 0 ]; then
  say "everything is in place"
fi
