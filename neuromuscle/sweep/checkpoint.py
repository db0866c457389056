"""Checkpoints: a folder of finished chunks that a sweep resumes from.

Every chunk file carries the fingerprint of the sweep that wrote it and a checksum of
its own contents. A chunk whose checksum, fingerprint or layout does not match is never
used: it is named in a warning, set aside (renamed ``*.bad``) and recomputed. A folder
whose sweep record (``sweep.json``) or chunks belong to another sweep is refused, with
what differs. Files are written to a temporary name and renamed, so a killed run leaves
no half-written chunk under a chunk's name. Loading never unpickles.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import warnings
from pathlib import Path

import numpy as np

__all__ = ["CheckpointMismatch", "CheckpointWarning", "fingerprint", "Checkpoint"]

_META = "_meta"
_FORMAT = 2


class CheckpointMismatch(ValueError):
    """The checkpoint folder holds another sweep."""


class CheckpointWarning(UserWarning):
    """A chunk file could not be used and is recomputed."""


def _digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=repr).encode()).hexdigest()[:16]


def _code(func) -> str:
    """Where a function lives and a hash of its source (so an edited metric is a new sweep)."""
    target = func.func if hasattr(func, "func") and not inspect.isfunction(func) else func
    if not (inspect.isfunction(target) or inspect.ismethod(target)):
        target = type(target)
    name = f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', repr(target))}"
    try:
        src = inspect.getsource(target)
    except (OSError, TypeError):
        src = ""
    return f"{name} {hashlib.sha256(src.encode()).hexdigest()[:12]}" + (f" {func!r}" if target is not func else "")


def _model_source(model) -> str:
    parts = [model.source("rhs")]
    for comp in model.components:
        parts.append(_code(type(comp)))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def fingerprint(spec) -> dict[str, dict]:
    """What the results of a sweep depend on: ``{key: {"summary": text, "hash": digest}}``.

    Left out: what cannot change a result (number of workers, executor, chunk size and
    order, progress bars, output file).
    """
    from .._version import __version__

    model = spec.model
    items = {
        "model": (model.name, _model_source(model)),  # equations and components (electrolytes too)
        "parameters": (f"{len(model.parameter_names)} values",
                       [model.parameter_names, model.parameter_vector(spec.fixed).tolist(), spec.fixed]),
        "electrolytes": (repr(getattr(spec.base, "name", None) or getattr(model.electrolytes, "name", None)),
                         [repr(spec.base), repr(getattr(model, "electrolytes", None))]),
        "axes": (", ".join(f"{n} ({len(np.unique(spec.values[:, i]))} values, {spec.values[:, i].min():g}.."
                           f"{spec.values[:, i].max():g})" for i, n in enumerate(spec.names)),
                 [spec.names, spec.values.shape, hashlib.sha256(np.ascontiguousarray(spec.values)).hexdigest()]),
        "metrics": (", ".join(n for n, _ in spec.metrics),
                    [(n, _code(m.func), m.unit, m.needs_simulation) for n, m in spec.metrics]),
        "protocol": (repr(spec.protocol), [repr(spec.protocol), repr(spec.protocol.pieces()), spec.t_end]),
        "t_end": (f"{spec.t_end:g} ms", spec.t_end),
        "tolerances": (", ".join(f"{k}={v:g}" for k, v in {**spec.sim_options, **spec.context}.items()),
                       [spec.sim_options, spec.context]),
        "traces": (f"keep_traces={spec.keep_traces}, trace_dt={spec.trace_dt:g}", [spec.keep_traces, spec.trace_dt]),
        "version": (f"neuromuscle {__version__}", __version__),
    }
    return {k: {"summary": str(s)[:120], "hash": _digest(v)} for k, (s, v) in items.items()}


def _key(fp: dict) -> str:
    return _digest({k: v["hash"] for k, v in sorted(fp.items())})


def describe_difference(old: dict, new: dict) -> str:
    """``"axes: ca (3 values..) here, mg (...) in the folder; ..."``"""
    diffs = []
    for k in sorted(set(old) | set(new)):
        a, b = old.get(k, {}), new.get(k, {})
        if a.get("hash") != b.get("hash"):
            sa, sb = a.get("summary", "missing"), b.get("summary", "missing")
            diffs.append(f"{k}: {sb} (this sweep) vs {sa} (folder)" if sa != sb else f"{k} differ")
    return "; ".join(diffs) or "format differs"


def _checksum(meta: dict, arrays: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256(json.dumps(meta, sort_keys=True).encode())
    for k in sorted(arrays):
        a = np.ascontiguousarray(arrays[k])
        h.update(f"{k}|{a.dtype.str}|{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _writer_alive(tmp: Path) -> bool:
    """Whether the process that is writing ``tmp`` (its pid is in the name) still runs."""
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process there: keep the file
        return True
    try:
        pid = int(tmp.name.rsplit(".", 2)[-2])
        os.kill(pid, 0)
    except (ValueError, IndexError, ProcessLookupError):
        return False
    except (PermissionError, OSError):
        return True
    return pid != os.getpid()  # our own leftover is from a save an interrupt cut short


def _write_atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        write(fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)  # atomic: a killed run never leaves a half file under the final name


class Checkpoint:
    """A checkpoint folder for one sweep (``fp`` from :func:`fingerprint`)."""

    def __init__(self, folder, fp: dict, n_points: int, metric_names: list[str]):
        self.folder = Path(folder)
        self.fp = fp
        self.key = _key(fp)
        self.n_points = n_points
        self.metric_names = list(metric_names)

    # ------------------------------------------------------------- folder
    def open(self) -> dict[int, dict]:
        """Check the folder, return the usable chunks ``{start index: result}``; refuse another sweep."""
        if self.folder.exists() and not self.folder.is_dir():
            raise ValueError(f"checkpoint = {str(self.folder)!r} is a file, not a folder")
        self.folder.mkdir(parents=True, exist_ok=True)
        meta = self.folder / "sweep.json"
        if meta.exists():
            try:
                old = json.loads(meta.read_text())
                old_fp = old["fingerprint"]
                if not isinstance(old_fp, dict):
                    raise TypeError
            except (ValueError, KeyError, TypeError, OSError):
                old_fp = None
            if old_fp is None:
                warnings.warn(f"checkpoint {meta} is unreadable; rebuilding it from the chunk files",
                              CheckpointWarning, stacklevel=3)
            elif _key(old_fp) != self.key:
                what = describe_difference(old_fp, self.fp)
                raise CheckpointMismatch(f"checkpoint folder {str(self.folder)!r} holds another sweep ({what}); "
                                         "use another folder, or delete this one to start afresh")
        for tmp in self.folder.glob(".*.tmp"):  # left by a run killed while it wrote
            if not _writer_alive(tmp):
                try:
                    tmp.unlink()
                except OSError:
                    pass
        chunks, foreign = {}, []
        for path in sorted(self.folder.glob("chunk_*.npz")):
            got = self._read(path)
            if isinstance(got, str):
                self._set_aside(path, got)
            elif got[0] != self.key:
                foreign.append((path, got[1]))
            else:
                chunks[int(got[2]["index"][0])] = got[2]
        if foreign and not chunks and not meta.exists():
            path, fp = foreign[0]
            raise CheckpointMismatch(
                f"checkpoint folder {str(self.folder)!r} holds another sweep (e.g. {path.name}: "
                f"{describe_difference(fp, self.fp)}); use another folder, or delete this one to start afresh")
        for path, _ in foreign:
            self._set_aside(path, "it was written by another sweep")
        # overlapping chunks cannot come from this code; keep the first, recompute the rest
        covered = np.zeros(self.n_points, dtype=bool)
        for start in sorted(chunks):
            idx = chunks[start]["index"]
            if covered[idx].any():
                self._set_aside(self._path(idx), "it overlaps another chunk")
                del chunks[start]
            else:
                covered[idx] = True
        if not meta.exists() or old_fp is None:
            _write_atomic(meta, lambda fh: fh.write(json.dumps(
                {"format": _FORMAT, "fingerprint": self.fp, "n_points": self.n_points}, indent=1).encode()))
        return chunks

    def _path(self, index: np.ndarray) -> Path:
        return self.folder / f"chunk_{int(index[0]):07d}-{int(index[-1]) + 1:07d}.npz"

    def _set_aside(self, path: Path, why: str) -> None:
        warnings.warn(f"checkpoint chunk {path.name} is not used ({why}); its points are recomputed",
                      CheckpointWarning, stacklevel=4)
        try:
            os.replace(path, path.with_name(path.name + ".bad"))
        except OSError:
            pass

    # ------------------------------------------------------------- chunks
    def save(self, result: dict) -> None:
        arrays = {k: (np.asarray(v).astype(str) if k == "error" else np.asarray(v)) for k, v in result.items()}
        meta = {"format": _FORMAT, "sweep": self.key, "fingerprint": self.fp}
        meta["checksum"] = _checksum(meta, arrays)
        arrays[_META] = np.array(json.dumps(meta))
        _write_atomic(self._path(arrays["index"]), lambda fh: np.savez(fh, **arrays))

    def _read(self, path: Path):
        """``(sweep key, fingerprint, result)``, or the reason the file cannot be used."""
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {k: data[k] for k in data.files}
            meta = json.loads(str(arrays.pop(_META)))
            checksum = meta.pop("checksum")
        except Exception as exc:  # truncated zip, bad JSON, missing entry, object arrays...
            return f"unreadable: {type(exc).__name__}: {exc}"
        if meta.get("format") != _FORMAT or _checksum(meta, arrays) != checksum:
            return "its checksum does not match its contents"
        if meta.get("sweep") != self.key:
            return meta.get("sweep"), meta.get("fingerprint", {}), None
        idx = arrays.get("index")
        n = None if idx is None else idx.size
        if (n is None or n == 0 or idx.dtype.kind not in "iu" or idx.min() < 0 or idx.max() >= self.n_points
                or not np.array_equal(idx, np.arange(idx[0], idx[0] + n))
                or path.name != self._path(idx).name or "error" not in arrays
                or any(arrays.get(k, np.empty(0)).shape[:1] != (n,) for k in [*self.metric_names, "error"])):
            return "its points do not fit this sweep"
        arrays["error"] = arrays["error"].astype(object)
        return self.key, self.fp, arrays
