"""Kernel start to the first #!kgent result in the real .NET Interactive Jupyter kernel, with jupyter_client.
Usage: first-result.py [RUNS]; prints one line per run: kernel_ready load check total (seconds), then one JSON line.
  kernel_ready: start_kernel() until the kernel answers kernel_info (wait_for_ready)
  load:         the `#r "nuget: Kgent.Extension, 0.1.0"` cell
  check:        the first `#!kgent check` cell, until its result arrives
  total:        start_kernel() until that result: what a user waits for after opening a notebook and running all"""
import json
import sys
import time

import jupyter_client

PROGRAM = "tracepoint:syscalls:sys_enter_openat { @opens[comm] = count(); }"


def run_once():
    manager = jupyter_client.manager.KernelManager(kernel_name=".net-csharp")
    start = time.monotonic()
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        ready = time.monotonic()
        reply = client.execute_interactive('#r "nuget: Kgent.Extension, 0.1.0"', timeout=300, output_hook=lambda m: None)
        assert reply["content"]["status"] == "ok", reply["content"]
        loaded = time.monotonic()
        outputs = []
        reply = client.execute_interactive("#!kgent check\n\n" + PROGRAM, timeout=300, output_hook=outputs.append)
        done = time.monotonic()
        assert reply["content"]["status"] == "ok", reply["content"]
        html = "".join(m["content"].get("data", {}).get("text/html", "") for m in outputs if m["msg_type"] == "display_data")
        assert "kgent-check" in html, "the #!kgent check cell showed no check result"
        return ready - start, loaded - ready, done - loaded, done - start
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
rows = []
for _ in range(runs):
    row = run_once()
    rows.append(row)
    print("%.2f %.2f %.2f %.2f" % row, flush=True)
median = lambda i: sorted(r[i] for r in rows)[len(rows) // 2]
print(json.dumps({"runs": runs, "kernel_ready": median(0), "load": median(1), "check": median(2), "total": median(3)}))
