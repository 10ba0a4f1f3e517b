#!/usr/bin/env bash
# Newer bpftrace releases beside the host's 0.17, each in a Debian chroot that runs on this kernel:
#   trixie (Debian 13): bpftrace 0.23.2      sid (unstable): bpftrace 0.27.1
# Usage: scripts/bpftrace-versions.sh [--check] [--remove] [SUITE ...]      (default suites: trixie sid)
#   (no option)  build each missing tree (debootstrap --variant=minbase --include=bpftrace, about a minute each, about
#                550 MB each), bind-mount /proc, /sys and /dev into it, and print "SUITE VERSION DIR" per tree.
#                Idempotent and fast when the trees exist: it only checks the mounts and the version.
#   --check      build nothing: print what is ready, exit 1 if a tree is missing.
#   --remove     unmount and delete the trees (never deletes through a live mount).
# Trees live in $KGENT_BPFTRACE_TREES (default ~/.local/share/kgent/bpftrace), outside any checkout, so every clone
# shares one cached copy; a lock serializes builds. A failed build leaves nothing behind.
# Messages go to stderr; stdout has one line per ready tree: SUITE VERSION DIR.
set -euo pipefail

trees="${KGENT_BPFTRACE_TREES:-$HOME/.local/share/kgent/bpftrace}"
mirror="${KGENT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
mode=build
suites=()
for arg in "$@"; do
  case "$arg" in
    --check) mode=check ;;
    --remove) mode=remove ;;
    trixie|sid) suites+=("$arg") ;;
    *) echo "bpftrace-versions: unknown argument '$arg' (known: --check, --remove, trixie, sid)" >&2; exit 2 ;;
  esac
done
[ "${#suites[@]}" -gt 0 ] || suites=(trixie sid)

say() { echo "bpftrace-versions: $*" >&2; }

if [ "$(id -u)" != 0 ]; then
  say "error: building and mounting chroots needs root; rerun as root"
  exit 1
fi

# Unmounts everything mounted below DIR, deepest first.
unmount_below() {
  local dir="$1" mounts
  mounts="$(findmnt -rn -o TARGET | awk -v d="$dir" 'index($0, d "/") == 1' | sort -r || true)"
  [ -z "$mounts" ] && return 0
  while IFS= read -r target; do
    umount -R "$target" 2>/dev/null || umount -l "$target" 2>/dev/null || true
  done <<< "$mounts"
}

# Deletes DIR only when nothing is mounted below it, and never crosses into another file system.
remove_tree() {
  local dir="$1"
  [ -e "$dir" ] || return 0
  unmount_below "$dir"
  if findmnt -rn -o TARGET | awk -v d="$dir" 'index($0, d "/") == 1 { found = 1 } END { exit !found }'; then
    say "error: $dir still has mounts below it; not deleting it (umount them and rerun --remove)"
    return 1
  fi
  rm -rf --one-file-system "$dir"
}

mount_into() {
  local dir="$1" d
  for d in proc sys dev; do
    mkdir -p "$dir/$d"
    mountpoint -q "$dir/$d" || mount --rbind "/$d" "$dir/$d"
    mount --make-rslave "$dir/$d"
  done
  # bpftrace reads tracepoint formats and event lists from tracefs. A bind of /sys made before the host mounted
  # tracefs (or on a host that never did) lacks it, and later host mounts do not reach a private bind: mount it here.
  local fs target
  for fs in tracefs:kernel/tracing debugfs:kernel/debug; do
    target="$dir/sys/${fs#*:}"
    if [ -d "$target" ] && [ -z "$(ls -A "$target" 2>/dev/null)" ] && ! mountpoint -q "$target"; then
      mount -t "${fs%%:*}" nodev "$target" 2>/dev/null || say "warning: could not mount ${fs%%:*} on $target"
    fi
  done
}

version_of() {
  chroot "$1" bpftrace --version 2>/dev/null | sed -n 's/^bpftrace v\{0,1\}//p' | head -1
}

mkdir -p "$trees"
exec 9>"$trees/.lock"
flock 9

status=0
for suite in "${suites[@]}"; do
  dir="$trees/$suite"
  case "$mode" in
    remove)
      remove_tree "$dir" && say "removed $dir" || status=1
      continue ;;
    check)
      if [ -x "$dir/usr/bin/bpftrace" ]; then
        mount_into "$dir"
        echo "$suite $(version_of "$dir") $dir"
      else
        say "$suite: no tree in $dir (run scripts/bpftrace-versions.sh)"
        status=1
      fi
      continue ;;
  esac

  if [ ! -x "$dir/usr/bin/bpftrace" ]; then
    if ! command -v debootstrap >/dev/null 2>&1; then
      say "installing debootstrap with apt"
      # A fresh machine's package lists may be empty: update them once when the install cannot find the package.
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2 2>/dev/null \
        || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2; } \
        || { say "error: could not install debootstrap with apt"; exit 1; }
    fi
    start=$(date +%s)
    partial="$trees/.$suite.partial"
    remove_tree "$partial"
    say "building $suite (debootstrap --variant=minbase --include=bpftrace, about a minute)"
    if ! debootstrap --variant=minbase --include=bpftrace "$suite" "$partial" "$mirror" > "$trees/$suite.log" 2>&1; then
      say "error: debootstrap of $suite failed; the last lines of $trees/$suite.log:"
      tail -n 15 "$trees/$suite.log" >&2
      remove_tree "$partial" || true
      status=1
      continue
    fi
    unmount_below "$partial"
    mv "$partial" "$dir"
    say "$suite built in $(( $(date +%s) - start )) s"
  fi

  mount_into "$dir"
  version="$(version_of "$dir")"
  if [ -z "$version" ]; then
    say "error: $dir/usr/bin/bpftrace does not run (chroot $dir bpftrace --version printed no version)"
    status=1
    continue
  fi
  echo "$suite $version $dir"
done
exit $status
