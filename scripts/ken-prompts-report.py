#!/usr/bin/env python3
"""Which hooks the offline model's programs use on the paper's 40 prompts, the composing model beside its
retrieval-only baseline, in the kgent configuration (or the one named): one row per prompt, with the reason when a
run gave up. Reads two `kgent eval` results folders.

  scripts/ken-prompts-report.py BASELINE_DIR COMPOSING_DIR [CONFIGURATION] > bench/results/eval-ken-prompts/hooks.md
"""
import json
import re
import sys
from collections import Counter
from pathlib import Path

PROBE = re.compile(r"^\s*((?:tracepoint|kprobe|kretprobe|uprobe|uretprobe|interval|profile|software|hardware|rawtracepoint|fentry|fexit|kfunc|kretfunc|t|k|kr)[:][^\s{/]*)", re.M)


def runs(folder, configuration):
    found = {}
    for line in (Path(folder) / "results.jsonl").read_text().splitlines():
        run = json.loads(line)
        if run["configuration"] == configuration:
            found[run["caseId"]] = run
    return found


def hooks(program):
    points = []
    for match in PROBE.finditer(program or ""):
        points.extend(p for p in match.group(1).split(",") if p)
    return sorted(set(points))


def cell(run):
    if run is None:
        return "not run"
    if run.get("program"):
        return ", ".join(f"`{h}`" for h in hooks(run["program"])) or "(no probe)"
    reason = (run.get("reason") or run.get("stoppedAt") or "gave up").replace("|", "/")
    return f"gave up: {reason[:160]}"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    configuration = sys.argv[3] if len(sys.argv) > 3 else "kgent"
    baseline, composing = runs(sys.argv[1], configuration), runs(sys.argv[2], configuration)
    ids = sorted(set(baseline) | set(composing))
    out = sys.stdout
    out.write(f"# The paper's 40 prompts: hooks of the returned programs ({configuration} configuration)\n\n")
    for name, found in (("retrieval-only baseline", baseline), ("composing offline model", composing)):
        returned = [r for r in found.values() if r.get("program")]
        kinds = Counter(h.split(":")[0] for r in returned for h in hooks(r["program"]))
        out.write(f"- {name}: {len(returned)} of {len(found)} return a program; probe types used: "
                  + (", ".join(f"{k} {n}" for k, n in kinds.most_common()) or "none") + "\n")
    out.write("\n| prompt | request | retrieval-only baseline | composing offline model |\n|---|---|---|---|\n")
    for case in ids:
        run = composing.get(case) or baseline.get(case)
        request = (run.get("request") or "").split(" (Hint:")[0].replace("|", "/")
        out.write(f"| {case} | {request[:90]} | {cell(baseline.get(case))} | {cell(composing.get(case))} |\n")


main()
