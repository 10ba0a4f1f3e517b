#!/usr/bin/env bash
# Reproduces the committed offline evaluation results (bench/results/eval-offline*, eval-ken-prompts): datasets/eval and
# the paper's 40 prompts (with its human hints), with the offline model and with its retrieval-only baseline, every
# configuration, then the hooks report; and datasets/eval in libbpf C (--lang c) with the offline model. About 5 minutes on a 2-core machine; needs root, bpftrace and the kernel.
#   scripts/eval-offline.sh [RESULTS_DIR]   (default: bench/results)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
results="${1:-$root/bench/results}"
ken="$root/../shared/reference/ken"
work="$(mktemp -d /tmp/kgent-eval-offline.XXXXXX)"
trap 'rm -rf "$work"' EXIT
kgent() { "$root/kgent" "$@"; }

copy() { # copy FROM TO: the portable summaries of one results folder
  mkdir -p "$2"
  cp "$1/results.csv" "$1/summary.csv" "$1/summary.md" "$2/"
}

for model in offline offline-retrieval; do
  suffix=$([ "$model" = offline ] && echo "" || echo "-retrieval")
  kgent eval --suite "$root/datasets/eval" --out "$work/eval$suffix" --model "$model"
  copy "$work/eval$suffix" "$results/eval-offline$suffix"
  if [ -f "$ken/tracing_testcases.txt" ]; then
    kgent eval --suite "$ken/tracing_testcases.txt" --hints "$ken/test_cases_human_info.txt" --out "$work/ken$suffix" --model "$model"
    copy "$work/ken$suffix" "$results/eval-ken-prompts$suffix"
  fi
done

kgent eval --suite "$root/datasets/eval" --out "$work/eval-c" --model offline --lang c
copy "$work/eval-c" "$results/eval-offline-c"

if [ -f "$ken/tracing_testcases.txt" ]; then
  /usr/bin/python3 "$root/scripts/ken-prompts-report.py" "$work/ken-retrieval" "$work/ken" > "$results/eval-ken-prompts/hooks.md"
fi
echo "eval-offline: results in $results"
