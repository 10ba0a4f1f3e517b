"""Drives Kgent's native Jupyter kernel (kernel spec "kgent", found through JUPYTER_PATH) with jupyter_client, as
Jupyter and VS Code do, and prints one JSON report on stdout. The model endpoint is a loopback server that accepts
connections and never answers, so a synth cell runs until it is interrupted through the control channel.
Usage: native_kernel.py"""
import json
import socket
import sys
import threading
import time

import jupyter_client

hanging = socket.socket()
hanging.bind(("127.0.0.1", 0))
hanging.listen(16)
held = []
threading.Thread(target=lambda: [held.append(hanging.accept()) for _ in range(64)], daemon=True).start()
port = hanging.getsockname()[1]

report = {}
started = time.monotonic()
manager = jupyter_client.manager.KernelManager(kernel_name="kgent")
manager.start_kernel(env={**__import__("os").environ, "KGENT_ENDPOINT": f"http://127.0.0.1:{port}/v1", "KGENT_MODEL": "hangs",
                          "KGENT_API_KEY": "test", "KGENT_TIMEOUT": "300", "KGENT_MAX_RETRIES": "0"})
client = manager.client()
client.start_channels()


def reply_to(request, channel):
    while True:
        message = channel(timeout=60)
        if message["parent_header"].get("msg_id") == request:
            return message


def execute(code, timeout=120):
    request = client.execute(code)
    outputs = []
    while True:
        message = client.get_iopub_msg(timeout=timeout)
        if message["parent_header"].get("msg_id") != request:
            continue
        kind = message["msg_type"]
        if kind == "status" and message["content"]["execution_state"] == "idle":
            break
        if kind in ("execute_result", "display_data", "error", "stream", "execute_input"):
            outputs.append({"type": kind, "content": message["content"]})
    reply = reply_to(request, client.get_shell_msg)
    return {"reply": reply["content"], "outputs": outputs}


try:
    client.wait_for_ready(timeout=60)
    report["ready_seconds"] = time.monotonic() - started
    request = client.kernel_info()
    report["kernel_info"] = reply_to(request, client.get_shell_msg)["content"]
    report["check"] = execute("#!kgent check\ntracepoint:syscalls:sys_enter_openat\n{\n  printf(\"%s\\n\", str(args->filenam));\n}\n")
    report["bare_stage"] = execute("config")
    report["unknown_option"] = execute("#!kgent run --tirse 2")
    report["completions"] = {}
    for code in ["#!kgent sy", "#!kgent run --d", "#!kgent run --duration ", "syn", "#!", "#!kgent contract --hook "]:
        request = client.complete(code, len(code))
        report["completions"][code] = reply_to(request, client.get_shell_msg)["content"]

    # Interrupt a synth that waits on the model, through the control channel, once it is running.
    request = client.execute("#!kgent synth\ncount file opens by process name")
    while True:
        message = client.get_iopub_msg(timeout=60)
        if message["parent_header"].get("msg_id") == request and message["msg_type"] == "execute_input":
            break
    time.sleep(3)
    interrupted = time.monotonic()
    control = client.session.send(client.control_channel.socket, client.session.msg("interrupt_request", {}))
    report["interrupt_reply"] = reply_to(control["header"]["msg_id"], client.get_control_msg)["content"]
    outputs = []
    while True:
        message = client.get_iopub_msg(timeout=60)
        if message["parent_header"].get("msg_id") != request:
            continue
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            break
        outputs.append({"type": message["msg_type"], "content": message["content"]})
    report["synth"] = {"reply": reply_to(request, client.get_shell_msg)["content"], "outputs": outputs,
                       "seconds_after_interrupt": time.monotonic() - interrupted}
    report["after_interrupt"] = execute("#!kgent config")
finally:
    client.stop_channels()
    manager.shutdown_kernel(now=False)
    report["exited"] = not manager.is_alive()
print(json.dumps(report))
