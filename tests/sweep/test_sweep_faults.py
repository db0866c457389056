"""Fault injection on sweeps: kill -9 and resume, damaged chunks, foreign folders, Ctrl-C / SIGTERM.

Each test states what it breaks and what must hold afterwards. The random moments and the
random chunk come from a seed printed in the failure message, so a failure can be replayed.
"""

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.sweep import CheckpointMismatch, CheckpointWarning, sweep
from tests.helpers.sweep_metrics import logged_rest

ROOT = Path(__file__).resolve().parents[2]
AXIS = {"dV_surface": np.linspace(-8.0, 0.0, 12)}
posix_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to list processes")


def _children(pid: int) -> list[int]:
    """Live (non-zombie) processes whose parent is ``pid``."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _script(ckpt: Path, n_jobs: int) -> str:
    # a plain script: no __main__ guard, nothing catches the interrupt
    body = f"""
        import numpy as np, neuromuscle as nm
        from neuromuscle.sweep import sweep
        from tests.helpers.sweep_metrics import logged_rest
        sweep(nm.hodgkin_huxley(), {{"dV_surface": np.linspace(-8, 0, 12)}}, metrics=[logged_rest],
              chunk_size=2, n_jobs={n_jobs}, checkpoint={str(ckpt)!r}, progress=False)
    """
    return textwrap.dedent(body)


def _start(script: str, log: Path, delay: str = "0.25") -> subprocess.Popen:
    env = {**os.environ, "NM_SWEEP_LOG": str(log), "NM_SWEEP_DELAY": delay, "PYTHONPATH": str(ROOT)}
    # its own process group, as a terminal's foreground job: Ctrl-C goes to the whole group
    return subprocess.Popen([sys.executable, "-c", script], env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _wait_for_chunks(ckpt: Path, n: int, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.time() + timeout
    while len(list(ckpt.glob("chunk_*.npz"))) < n:
        assert proc.poll() is None, f"the sweep ended early: {proc.stderr.read()}"
        assert time.time() < deadline, "no chunk was written in time"
        time.sleep(0.02)


def _resume(ckpt: Path, log: Path):
    before = log.read_text().split() if log.exists() else []
    os.environ["NM_SWEEP_LOG"] = str(log)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ds = sweep(nm.hodgkin_huxley(), AXIS, metrics=[logged_rest], chunk_size=2, checkpoint=ckpt,
                       progress=False)
    finally:
        del os.environ["NM_SWEEP_LOG"]
    after = log.read_text().split()[len(before):]
    return ds, after, [str(w.message) for w in caught if issubclass(w.category, CheckpointWarning)]


@pytest.fixture(scope="module")
def reference():
    """The uninterrupted sweep every resumed run must equal, bit for bit."""
    return sweep(nm.hodgkin_huxley(), AXIS, metrics=[logged_rest], chunk_size=2, progress=False)


def _points_of(files) -> set[str]:
    grid = AXIS["dV_surface"]
    pts = set()
    for f in files:
        a, b = (int(x) for x in f.name[len("chunk_"):-len(".npz")].split("-"))
        pts |= {f"{v:.6f}" for v in grid[a:b]}
    return pts


@posix_proc
def test_kill_9_at_random_moments_then_resume_is_bit_identical(tmp_path, reference):
    """SIGKILL a parallel sweep twice at random moments; its workers die with it; resuming
    recomputes no finished chunk and equals the uninterrupted run bit for bit."""
    seed = random.randrange(10**6)
    rng = random.Random(seed)
    ckpt, log = tmp_path / "ckpt", tmp_path / "calls.log"
    for _ in range(2):  # two kills, each at a random moment
        n_before = len(list(ckpt.glob("chunk_*.npz")))
        proc = _start(_script(ckpt, n_jobs=2), log)
        _wait_for_chunks(ckpt, n_before + 1, proc)
        time.sleep(rng.uniform(0.0, 0.6))
        workers = _children(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.time() + 3.0
        while any(_alive(p) for p in workers) and time.time() < deadline:
            time.sleep(0.05)
        assert not [p for p in workers if _alive(p)], f"workers outlived their killed parent (seed {seed})"
        if len(list(ckpt.glob("chunk_*.npz"))) == 6:
            break
    finished = sorted(ckpt.glob("chunk_*.npz"))
    assert finished and len(finished) <= 6
    ds, calls, warned = _resume(ckpt, log)
    assert not warned, warned
    assert not _points_of(finished) & set(calls), f"finished points were recomputed (seed {seed})"
    assert len(calls) == 12 - 2 * len(finished)
    np.testing.assert_array_equal(ds.logged_rest.values, reference.logged_rest.values)


def _finished_folder(tmp_path: Path) -> Path:
    ckpt = tmp_path / "ckpt"
    sweep(nm.hodgkin_huxley(), AXIS, metrics=[logged_rest], chunk_size=2, checkpoint=ckpt, progress=False)
    return ckpt


@pytest.mark.parametrize("damage", ["truncate", "flip a byte", "change a value"])
def test_a_damaged_chunk_is_named_and_recomputed(tmp_path, reference, damage):
    seed = random.randrange(10**6)
    rng = random.Random(seed)
    ckpt = _finished_folder(tmp_path)
    victim = rng.choice(sorted(ckpt.glob("chunk_*.npz")))
    raw = victim.read_bytes()
    if damage == "truncate":
        victim.write_bytes(raw[: rng.randrange(len(raw))])
    elif damage == "flip a byte":  # inside the stored numbers (a flip in a zip timestamp changes nothing)
        with np.load(victim, allow_pickle=False) as data:
            numbers = data["logged_rest"].tobytes()
        i = raw.index(numbers) + rng.randrange(len(numbers))
        victim.write_bytes(raw[:i] + bytes([raw[i] ^ 0xFF]) + raw[i + 1:])
    else:  # a well-formed file whose numbers were edited: only the checksum can tell
        with np.load(victim, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        arrays["logged_rest"] = arrays["logged_rest"] + 1e-9
        with open(victim, "wb") as fh:
            np.savez(fh, **arrays)
    ds, calls, warned = _resume(ckpt, tmp_path / "calls.log")
    assert len(warned) == 1 and victim.name in warned[0], (seed, warned)
    a, b = (int(x) for x in victim.name[6:-4].split("-"))
    assert sorted(calls) == sorted(f"{v:.6f}" for v in AXIS["dV_surface"][a:b]), (seed, calls)
    np.testing.assert_array_equal(ds.logged_rest.values, reference.logged_rest.values)
    assert (ckpt / (victim.name + ".bad")).exists()
    _, calls, warned = _resume(ckpt, tmp_path / "calls.log")  # and it is healed
    assert not calls and not warned


@pytest.mark.parametrize("record", ["with sweep.json", "sweep.json deleted"])
def test_another_sweep_pointed_at_an_old_folder_is_refused(tmp_path, record):
    hh = nm.hodgkin_huxley()
    ckpt = tmp_path / "ckpt"
    sweep(hh, {"dV_surface": [-6.0, 0.0], "celsius": [6.3, 10.0]}, checkpoint=ckpt, chunk_size=1, progress=False)
    if record == "sweep.json deleted":
        (ckpt / "sweep.json").unlink()
    with pytest.raises(CheckpointMismatch, match=r"another sweep \(.*axes: dV_surface .* k\.g") as err:
        sweep(hh, {"dV_surface": [-6.0, 0.0], "k.g": [36.0, 30.0]}, checkpoint=ckpt, chunk_size=1, progress=False)
    assert str(ckpt) in str(err.value)
    with pytest.raises(CheckpointMismatch, match="metrics: stability"):
        sweep(hh, {"dV_surface": [-6.0, 0.0], "celsius": [6.3, 10.0]}, metrics=["stability"], checkpoint=ckpt,
              progress=False)
    with pytest.raises(CheckpointMismatch, match="tolerances"):
        sweep(hh, {"dV_surface": [-6.0, 0.0], "celsius": [6.3, 10.0]}, threshold_tol=1e-3, checkpoint=ckpt,
              progress=False)
    # what cannot change a result does not make it another sweep: chunking, workers
    same = sweep(hh, {"dV_surface": [-6.0, 0.0], "celsius": [6.3, 10.0]}, checkpoint=ckpt, chunk_size=3,
                 n_jobs=2, progress=False)
    assert same.attrs["n_failed"] == 0 and same.rest.shape == (2, 2)


@posix_proc
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_stops_workers_at_once_keeps_chunks_and_says_how_to_resume(tmp_path, reference, sig):
    ckpt, log = tmp_path / "ckpt", tmp_path / "calls.log"
    proc = _start(_script(ckpt, n_jobs=2), log, delay="0.4")
    _wait_for_chunks(ckpt, 1, proc)
    workers = _children(proc.pid)
    assert len(workers) == 2
    t0 = time.time()
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # Ctrl-C in a terminal reaches the sweep and its workers
    else:
        proc.send_signal(sig)  # kill PID
    proc.wait(timeout=10)
    stopped = time.time() - t0
    err = proc.stderr.read()
    kept = sorted(ckpt.glob("chunk_*.npz"))
    assert proc.returncode != 0
    assert stopped < 1.0, f"took {stopped:.2f} s to stop"
    assert not [p for p in workers if _alive(p)], "a worker outlived the interrupted sweep"
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "resume" in lines[0] and "Traceback" not in err, err
    # every chunk that finished was kept: the log names a point only once its chunk started,
    # and no kept chunk is recomputed on resume
    ds, calls, warned = _resume(ckpt, log)
    assert kept and not warned and not _points_of(kept) & set(calls)
    np.testing.assert_array_equal(ds.logged_rest.values, reference.logged_rest.values)


def test_a_point_over_its_step_budget_fails_with_the_reason_and_the_others_are_computed():
    # Hand-measured on HH with Step(10): at rest a 200 ms run takes ~270 adaptive steps,
    # firing at 10 uA/cm2 takes ~2000. A budget of 1000 steps per point lies between.
    axes = {"amplitude": [0.0, 0.1, 1.0]}
    kw = dict(metrics=["n_spikes"], protocol=nm.protocols.Step(10.0), t_end=200.0, progress=False)
    free = sweep(nm.hodgkin_huxley(), axes, **kw)
    tight = sweep(nm.hodgkin_huxley(), axes, max_steps=1000, **kw)
    assert free.n_spikes.values[2] > 5 and free.attrs["n_failed"] == 0
    assert free.attrs["max_steps"] == 100_000 + 2000 * 200  # the default scales with t_end
    np.testing.assert_array_equal(tight.n_spikes.values[:2], free.n_spikes.values[:2])
    assert np.isnan(tight.n_spikes.values[2]) and tight.attrs["n_failed"] == 1
    reason = str(tight.error.values[2])
    assert "step budget" in reason and "max_steps = 1000" in reason, reason
    with pytest.raises(ValueError, match="max_steps = 0"):
        sweep(nm.hodgkin_huxley(), axes, max_steps=0, **kw)
