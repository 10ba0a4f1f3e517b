"""Asks the real .NET Interactive Jupyter kernel, with Kgent loaded, for completions (Jupyter's complete_request).
Usage: complete.py CODE... ; prints one JSON object {code: [matches]} on stdout."""
import json
import sys

import jupyter_client

manager = jupyter_client.manager.KernelManager(kernel_name=".net-csharp")
manager.start_kernel()
client = manager.client()
client.start_channels()
try:
    client.wait_for_ready(timeout=120)
    client.execute_interactive('#r "nuget: Kgent.Extension, 0.1.0"', timeout=300, output_hook=lambda message: None)
    results = {}
    for code in sys.argv[1:]:
        request = client.complete(code, len(code))
        while True:
            reply = client.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == request:
                break
        results[code] = reply["content"].get("matches", [])
    print(json.dumps(results))
finally:
    client.stop_channels()
    manager.shutdown_kernel(now=True)
