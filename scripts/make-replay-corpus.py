#!/usr/bin/env python3
"""Writes datasets/replay/replies.yaml: chat-model replies for the 40 requests of datasets/eval, in the styles real
models answer in, for the replay tests (a loopback OpenAI-compatible server answers attempt N of a case with its reply N).

Each case's first reply is in one style; its second and third are good answers (prose around a tagged block, then an
untagged block), so a case shows what the loop does with that style and whether it gets to a verified program within
three attempts. The styles: prose around the code; several code blocks (a shell block after the program); a block
without a language tag; the newer dialect (args.f) on an older host; a misspelt field; a made-up probe; a wrong arity;
an unsafe builtin; a reply cut off mid-program; an empty reply; a kprobe where this host has none (for the opens).
The programs are the cases' own reference programs (datasets/eval), changed only as the style says.
Usage: make-replay-corpus.py [--check]  (rewrites the file, deterministic; --check only says whether it is current)"""
import glob
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cases():
    import yaml  # Debian's python3-yaml
    for path in sorted(glob.glob(os.path.join(ROOT, "datasets", "eval", "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            for case in yaml.safe_load(f)["cases"]:
                yield case["id"], case["request"], case["reference"].rstrip("\n") + "\n"


def prose(program):
    return f"Here's a bpftrace program that does that:\n\n```bpftrace\n{program}```\n\nRun it as root with `bpftrace trace.bt` and stop it with Ctrl-C."


def untagged(program):
    return f"```\n{program}```"


def styled(style, program):
    if style == "prose":
        return prose(program), True
    if style == "several blocks":
        return f"Save this as trace.bt:\n\n```bpftrace\n{program}```\n\nThen run it:\n\n```sh\nsudo bpftrace trace.bt\n```\n", True
    if style == "untagged block":
        return untagged(program), True
    if style == "newer dialect" and "args->" in program:
        return prose(program.replace("args->", "args.")), True
    if style == "misspelt field":
        match = re.search(r"args->(\w{4,})", program)
        if match:
            return prose(program[:match.start(1)] + match.group(1)[:-1] + program[match.end(1):]), True
    if style == "made-up probe":
        match = re.search(r"tracepoint:(\w+):(\w+)", program)
        if match:
            return prose(program[:match.start(2)] + "kgent_no_such_event" + program[match.end(2):]), True
    if style == "wrong arity":
        if "count()" in program:
            return prose(program.replace("count()", "count(1)", 1)), True
        match = re.search(r"str\(([^(),]+)\)", program)
        if match:
            return prose(program[:match.start()] + f"str({match.group(1)}, 64, 2)" + program[match.end():]), True
    if style == "unsafe builtin" and "{" in program:
        at = program.index("{") + 1
        return prose(program[:at] + ' system("logger traced");' + program[at:]), True
    if style == "cut off":
        return "Here's the program:\n\n```bpftrace\n" + program[: max(12, len(program) * 3 // 5)], True
    if style == "empty reply":
        return "", True
    if style == "kprobe" and re.search(r"tracepoint:syscalls:sys_enter_openat\b", program) and re.search(r"args->(?!filename)\w+", program) is None:
        return prose(program.replace("tracepoint:syscalls:sys_enter_openat", "kprobe:do_sys_openat2").replace("args->filename", "arg1")), True
    return None, False


STYLES = ["kprobe", "wrong arity", "misspelt field", "newer dialect", "made-up probe", "unsafe builtin", "cut off", "empty reply",
          "several blocks", "untagged block", "prose"]


def main():
    out = ["# Chat-model replies for the replay tests, made by scripts/make-replay-corpus.py from datasets/eval's reference",
           "# programs: each case's first reply is in its style, the second and third are good answers. Do not edit by hand.",
           "cases:"]
    count = 0
    used = {style: 0 for style in STYLES}
    for index, (case_id, request, program) in enumerate(cases()):
        # Each case takes, of the styles that apply to its program, the one used least so far: every style is used.
        applicable = [style for style in STYLES if styled(style, program)[1]]
        style = min(applicable, key=lambda s: (used[s], STYLES.index(s)))
        used[style] += 1
        first, _ = styled(style, program)
        replies = [first, prose(program), untagged(program)]
        count += len(replies)
        out.append(f"  - id: {case_id}")
        out.append(f"    request: {json.dumps(request)}")
        out.append(f"    style: {style}")
        out.append("    replies:")
        for reply in replies:
            out.append(f"      - {json.dumps(reply, ensure_ascii=False)}")
    path = os.path.join(ROOT, "datasets", "replay", "replies.yaml")
    text = "\n".join(out) + "\n"
    if "--check" in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            current = f.read() == text
        print("replies.yaml is current" if current else "replies.yaml differs from what the eval references give: run scripts/make-replay-corpus.py")
        return 0 if current else 1
    with open(path + ".new", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".new", path)
    print(f"wrote {count} replies for {index + 1} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
