"""Times a notebook's first code cells on a fresh kernel, as a student runs them.

Usage: firstcell.py NOTEBOOK.ipynb CELLS KERNEL_NAME
Starts the kernel (jupyter_client, the kernel spec found on JUPYTER_PATH), waits until it
answers, then sends the first CELLS code cells one at a time, each after the previous one's
reply, and prints JSON: the kernel's start-up seconds and, per cell, its first source line,
the seconds from the request to the reply, the seconds to its first output (null when it
printed nothing) and whether it failed. Run by benchfirstcell (lib/cmd/benchfirstcell).
"""
import json
import os
import sys
import time

from jupyter_client.manager import start_new_kernel


def main():
    path, ncells, kernel = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    sources = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"][:ncells]
    t0 = time.perf_counter()
    # In the notebook's folder, as Jupyter starts it (the setup cell finds the module from there).
    km, kc = start_new_kernel(kernel_name=kernel, startup_timeout=120,
                              cwd=os.path.dirname(os.path.abspath(path)))
    startup = time.perf_counter() - t0
    cells = []
    try:
        for src in sources:
            start = time.perf_counter()
            msg_id = kc.execute(src)
            first_output, failed, text = None, False, []
            while True:
                msg = kc.get_iopub_msg(timeout=600)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                kind = msg["msg_type"]
                if kind in ("stream", "display_data", "execute_result", "error"):
                    if first_output is None:
                        first_output = time.perf_counter() - start
                    if kind == "stream":
                        text.append(msg["content"]["text"])
                    if kind == "error":
                        failed = True
                if kind == "status" and msg["content"]["execution_state"] == "idle":
                    break
            reply = kc.get_shell_msg(timeout=600)
            if reply["content"].get("status") != "ok":
                failed = True
            cells.append({
                "source": next((l for l in src.splitlines() if l.strip()), ""),
                "imports_lib": "dawnchorus/lib/" in src,
                "seconds": time.perf_counter() - start,
                "first_output_seconds": first_output,
                "failed": failed,
                "output": "".join(text)[:300],
            })
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    json.dump({"startup_seconds": startup, "cells": cells}, sys.stdout)


if __name__ == "__main__":
    main()
