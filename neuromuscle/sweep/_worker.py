"""A local sweep worker: ``python -m neuromuscle.sweep._worker`` (started by the runner).

Reads ``("spec", key, pickled spec)`` and ``("chunk", key, k, index)`` messages on stdin
and answers ``("done", k, result)`` or ``("error", k, message)`` on what was stdout.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import time


def _watch_parent(parent: int) -> None:
    # a worker must not outlive the sweep that started it, even one killed with SIGKILL
    while True:
        time.sleep(0.1)
        if os.getppid() != parent:
            os._exit(1)


def main() -> None:
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # prints by user metrics go to stderr, not the pipe
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent decides
    parent = int(os.environ.get("NEUROMUSCLE_SWEEP_PARENT", os.getppid()))
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()

    from neuromuscle.sweep.runner import evaluate_chunk, recv, send

    inp = sys.stdin.buffer
    specs: dict = {}
    while True:
        try:
            msg = recv(inp)
        except EOFError:
            break
        if msg[0] == "spec":
            try:
                specs = {msg[1]: pickle.loads(msg[2])}
            except Exception as exc:  # e.g. a metric from a module this process cannot import
                specs = {msg[1]: exc}
        elif msg[0] == "chunk":
            _, key, k, index = msg
            spec = specs.get(key)
            if not hasattr(spec, "point_params"):
                send(out, ("error", k, f"the sweep could not be loaded in a worker process: {spec!r}"))
                continue
            try:
                send(out, ("done", k, evaluate_chunk(spec, index)))
            except Exception as exc:
                send(out, ("error", k, f"{type(exc).__name__}: {exc}"))


if __name__ == "__main__":
    main()
