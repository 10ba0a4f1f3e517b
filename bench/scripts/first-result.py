"""Kernel start to the first #!kgent result, in the .NET Interactive Jupyter kernel (".net-csharp", Kgent's extension)
and in Kgent's native kernel ("kgent"), with jupyter_client; the two kernels alternate round by round.
Usage: first-result.py [RUNS]; prints one line per run: kernel ready load check total (seconds), then one JSON line
with the medians per kernel.
  ready:  start_kernel() until the kernel answers kernel_info (wait_for_ready)
  load:   the `#r "nuget: Kgent.Extension, 0.1.0"` cell (.NET Interactive only; the native kernel has nothing to load)
  check:  the first `#!kgent check` cell, until its result arrives
  total:  start_kernel() until that result: what a user waits for after opening a notebook and running all"""
import json
import sys
import time

import jupyter_client

PROGRAM = "tracepoint:syscalls:sys_enter_openat { @opens[comm] = count(); }"
KERNELS = [".net-csharp", "kgent"]


def run_once(kernel):
    manager = jupyter_client.manager.KernelManager(kernel_name=kernel)
    start = time.monotonic()
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        ready = time.monotonic()
        if kernel == ".net-csharp":
            reply = client.execute_interactive('#r "nuget: Kgent.Extension, 0.1.0"', timeout=300, output_hook=lambda m: None)
            assert reply["content"]["status"] == "ok", reply["content"]
        loaded = time.monotonic()
        outputs = []
        reply = client.execute_interactive("#!kgent check\n\n" + PROGRAM, timeout=300, output_hook=outputs.append)
        done = time.monotonic()
        assert reply["content"]["status"] == "ok", reply["content"]
        html = "".join(m["content"].get("data", {}).get("text/html", "") for m in outputs if m["msg_type"] in ("display_data", "execute_result"))
        assert "kgent-check" in html, f"the #!kgent check cell showed no check result in {kernel}"
        return ready - start, loaded - ready, done - loaded, done - start
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
rows = {kernel: [] for kernel in KERNELS}
for _ in range(runs):
    for kernel in KERNELS:
        row = run_once(kernel)
        rows[kernel].append(row)
        print("%-12s %.2f %.2f %.2f %.2f" % ((kernel,) + row), flush=True)


def median(kernel, i):
    return sorted(r[i] for r in rows[kernel])[len(rows[kernel]) // 2]


print(json.dumps({kernel: {"runs": runs, "kernel_ready": median(kernel, 0), "load": median(kernel, 1), "check": median(kernel, 2), "total": median(kernel, 3)}
                  for kernel in KERNELS}))
