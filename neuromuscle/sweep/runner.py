"""Running a sweep's chunks: in this process, on local worker processes, or on any executor.

Local workers are plain ``python -m neuromuscle.sweep._worker`` processes that talk to
this one over pipes. They never import the caller's ``__main__``, so a parallel sweep
runs the same from a script without an ``if __name__ == "__main__":`` guard, from
``python -`` and from Jupyter, on every start method. They ignore Ctrl-C (this process
stops them), and each one exits within a fraction of a second of this process dying,
however it dies (they watch their parent's pid).
"""

from __future__ import annotations

import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..electrolytes import Electrolytes
from ..engine.base import TOO_MANY_STEPS
from ..model import Model
from ..protocols import Protocol
from .design import electrolyte_parameters, parameter_of
from .metrics import Metric

__all__ = ["Spec", "evaluate_chunk", "run_serial", "run_local", "run_executor", "shutdown_workers"]


@dataclass
class Spec:
    """Everything a worker needs to evaluate points (pickled once per sweep and worker)."""

    model: Model
    names: list[str]
    kinds: list[str]  # per name: "amplitude" or "parameter"
    values: np.ndarray  # (n_points, n_vars)
    metrics: list[tuple[str, Metric]]
    protocol: Protocol
    t_end: float
    context: dict
    sim_options: dict
    keep_traces: bool
    trace_dt: float
    base: Electrolytes | None = None
    fixed: dict = field(default_factory=dict)

    def point_params(self, row: np.ndarray) -> tuple[dict, float]:
        """Parameter overrides and stimulus scale for one point."""
        params = {**electrolyte_parameters(self.model, self.base), **self.fixed}
        amplitude = 1.0
        for name, kind, value in zip(self.names, self.kinds, row):
            if kind == "amplitude":
                amplitude = float(value)
            else:
                params[parameter_of(name)] = float(value)
        return params, amplitude


def evaluate_chunk(spec: Spec, index: np.ndarray) -> dict:
    """Metrics for the points ``index``; failures become NaN with their message."""
    from ..engine import simulate_batch

    m = len(index)
    out = {name: np.full(m, np.nan) for name, _ in spec.metrics}
    errors = [""] * m
    prepared = []
    for j, i in enumerate(index):
        try:
            prepared.append(spec.point_params(spec.values[i]))
        except Exception as exc:  # a bad point is recorded, the sweep goes on
            errors[j] = f"{type(exc).__name__}: {exc}"
            prepared.append(None)
    ok = [j for j in range(m) if prepared[j] is not None]
    sim_metrics = [(n, mt) for n, mt in spec.metrics if mt.needs_simulation]
    traces = None
    if (sim_metrics or spec.keep_traces) and ok:
        try:
            P = np.column_stack([spec.model.parameter_vector(prepared[j][0]) for j in ok])
            amps = np.array([prepared[j][1] for j in ok])
            res = simulate_batch(spec.model, spec.protocol, spec.t_end, params=P, amplitude=amps,
                                 dt=spec.trace_dt if spec.keep_traces else None, **spec.sim_options)
            if spec.keep_traces:
                traces = np.full((m, res.sample_t.size), np.nan)
            for k, j in enumerate(ok):
                if res.status[k] < 0:
                    text = res.messages[k]
                    if res.status[k] == TOO_MANY_STEPS:
                        text += f" (max_steps = {spec.sim_options.get('max_steps')})"
                    if "t = " not in text:
                        text += f" (t = {res.t_reached[k]:g} ms)"
                    errors[j] = f"simulation {text}"
                    continue
                spikes = res.spike_times(k)
                for name, mt in sim_metrics:
                    out[name][j] = mt.func(spikes, spec.t_end)
                if traces is not None:
                    traces[j] = res.trace("V", k)
        except Exception as exc:
            for j in ok:
                errors[j] = errors[j] or f"{type(exc).__name__}: {exc}"
    for j in ok:
        if errors[j]:
            continue
        params = prepared[j][0]
        for name, mt in spec.metrics:
            if mt.needs_simulation:
                continue
            try:
                out[name][j] = float(mt.func(spec.model, params, spec.context))
            except Exception as exc:
                errors[j] = f"{name}: {type(exc).__name__}: {exc}"
    result = {"index": np.asarray(index), "error": np.array(errors, dtype=object)}
    result.update(out)
    if traces is not None:
        result["V_trace"] = traces
    return result


def failed_chunk(spec: Spec, index: np.ndarray, message: str) -> dict:
    """A chunk whose every point failed with ``message``."""
    result = {"index": np.asarray(index), "error": np.array([message] * len(index), dtype=object)}
    result.update({name: np.full(len(index), np.nan) for name, _ in spec.metrics})
    return result


# ---------------------------------------------------------------------- in this process
def run_serial(spec: Spec, chunks: list[np.ndarray], on_done: Callable) -> None:
    for k, index in enumerate(chunks):
        on_done(k, evaluate_chunk(spec, index), True)


# ---------------------------------------------------------------------- pipes
def send(fh, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    fh.write(struct.pack("<Q", len(data)))
    fh.write(data)
    fh.flush()


def _read_exact(fh, n: int) -> bytes:
    parts, got = [], 0
    while got < n:
        b = fh.read(n - got)
        if not b:
            raise EOFError
        parts.append(b)
        got += len(b)
    return b"".join(parts)


def recv(fh):
    (n,) = struct.unpack("<Q", _read_exact(fh, 8))
    return pickle.loads(_read_exact(fh, n))


# ---------------------------------------------------------------------- local workers
class _Worker:
    def __init__(self, inbox: queue.Queue):
        path = [os.getcwd() if p == "" else p for p in sys.path]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path), "NEUROMUSCLE_SWEEP_PARENT": str(os.getpid())}
        self.proc = subprocess.Popen([sys.executable, "-m", "neuromuscle.sweep._worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=env, close_fds=True)
        self.spec_key = None
        self.busy = None
        self.reader = threading.Thread(target=self._read, args=(inbox,), daemon=True)
        self.reader.start()

    def _read(self, inbox: queue.Queue) -> None:
        try:
            while True:
                inbox.put((self, recv(self.proc.stdout)))
        except Exception:  # EOF (the worker ended) or a message cut short by its death
            inbox.put((self, ("exit", self.proc.wait())))

    def send(self, obj) -> None:
        send(self.proc.stdin, obj)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()

    def close(self) -> None:
        try:
            self.proc.stdin.close()  # EOF: the worker finishes and exits
        except OSError:
            pass


class _Pool:
    def __init__(self, n: int):
        self.inbox: queue.Queue = queue.Queue()
        self.workers = [_Worker(self.inbox) for _ in range(n)]

    def replace(self, w: _Worker) -> _Worker:
        w.kill()
        new = _Worker(self.inbox)
        self.workers[self.workers.index(w)] = new
        return new

    def kill(self, timeout: float = 1.0) -> None:
        for w in self.workers:
            w.kill()
        for w in self.workers:
            w.reader.join(timeout)

    def close(self) -> None:
        for w in self.workers:
            w.close()


_POOL: _Pool | None = None
_LOCK = threading.Lock()


def _pool(n: int) -> _Pool:
    """Workers kept for the session, so each compiles a model's equations once."""
    global _POOL
    if _POOL is not None and (len(_POOL.workers) != n or any(w.proc.poll() is not None for w in _POOL.workers)):
        _POOL.kill()
        _POOL = None
    if _POOL is None:
        import atexit

        _POOL = _Pool(n)
        atexit.register(shutdown_workers)
    return _POOL


def shutdown_workers() -> None:
    """Stop the session's local sweep workers (they are restarted when needed)."""
    global _POOL
    if _POOL is not None:
        _POOL.close()
        _POOL = None


def run_local(spec: Spec, chunks: list[np.ndarray], n_workers: int, on_done: Callable) -> None:
    """Chunks on ``n_workers`` local worker processes; ``on_done(k, result, keep)`` as each finishes."""
    global _POOL
    if not _LOCK.acquire(blocking=False):
        raise RuntimeError("another sweep is running on this session's local workers; wait for it, or pass "
                           "executor= to run this one elsewhere")
    try:
        pool = _pool(n_workers)
        blob = pickle.dumps(spec, protocol=pickle.HIGHEST_PROTOCOL)
        key = f"{os.getpid()}-{id(spec)}-{hash(blob)}"
        todo = deque(range(len(chunks)))
        n_left = len(chunks)
        try:
            while n_left:
                for w in list(pool.workers):
                    if w.busy is None and todo:
                        k = todo.popleft()
                        try:
                            if w.spec_key != key:
                                w.send(("spec", key, blob))
                                w.spec_key = key
                            w.send(("chunk", key, k, chunks[k]))
                            w.busy = k
                        except OSError:  # it died while idle: a fresh worker takes the chunk
                            todo.appendleft(k)
                            pool.replace(w)
                try:
                    w, msg = pool.inbox.get(timeout=0.2)
                except queue.Empty:
                    continue
                if w not in pool.workers:
                    continue
                kind = msg[0]
                if kind == "done":
                    w.busy = None
                    n_left -= 1
                    on_done(msg[1], msg[2], True)
                elif kind == "error":
                    w.busy = None
                    n_left -= 1
                    on_done(msg[1], failed_chunk(spec, chunks[msg[1]], msg[2]), True)
                elif kind == "exit" and w.busy is not None:
                    k = w.busy
                    n_left -= 1
                    pool.replace(w)
                    # not kept in a checkpoint: a resumed run tries these points again
                    on_done(k, failed_chunk(spec, chunks[k], f"worker process died (exit code {msg[1]})"), False)
                elif kind == "exit":
                    pool.replace(w)
        except BaseException:
            # Ctrl-C, SIGTERM or a failure here: stop every worker now, keep what has arrived
            pool.kill()
            _POOL = None
            while True:
                try:
                    w, msg = pool.inbox.get_nowait()
                except queue.Empty:
                    break
                if msg[0] == "done":
                    try:
                        on_done(msg[1], msg[2], True)
                    except Exception:
                        break
            raise
    finally:
        _LOCK.release()


# ---------------------------------------------------------------------- any executor
def _as_completed(pool, futures):
    if type(pool).__module__.startswith("distributed"):
        from distributed import as_completed

        return as_completed(futures)
    from concurrent.futures import as_completed

    return as_completed(futures)


def run_executor(executor, spec: Spec, chunks: list[np.ndarray], on_done: Callable) -> None:
    """Chunks on a ``concurrent.futures``-style executor (e.g. a Dask ``distributed.Client``)."""
    futures = {executor.submit(evaluate_chunk, spec, chunks[k]): k for k in range(len(chunks))}
    handled = set()
    try:
        for fut in _as_completed(executor, list(futures)):
            on_done(futures[fut], fut.result(), True)
            handled.add(futures[fut])
    except BaseException:
        for fut in futures:
            fut.cancel()
        for fut, k in futures.items():  # keep the chunks that finished meanwhile
            try:
                if k not in handled and fut.done() and not fut.cancelled():
                    on_done(k, fut.result(timeout=0), True)
            except BaseException:
                pass
        raise
