"""The compiled-code cache: reused across processes, falls back cleanly when unwritable."""

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.engine import compile as cc


def test_unwritable_directory_warns_once_and_compiles_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("NEUROMUSCLE_CACHE_DIR", str(blocker / "cache"))
    cc._reset_cache_directory()
    try:
        with pytest.warns(cc.CacheWarning, match="compiling in memory"):
            assert cc.cache_directory() is None
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert cc.cache_directory() is None  # said once only
    finally:
        cc._reset_cache_directory()


def test_key_changes_with_the_equations_not_with_parameter_values():
    hh = nm.hodgkin_huxley()
    text = cc._module_text(hh, cache=True)
    k1 = cc._key(hh, text, hh.namespace())
    k2 = cc._key(hh.with_parameters(na__g=100.0), text, hh.namespace())
    other = nm.hodgkin_huxley(reversal="nernst")
    k3 = cc._key(other, cc._module_text(other, cache=True), other.namespace())
    assert k1 == k2 and k1 != k3


_CHILD = """
import numpy as np, neuromuscle as nm
from neuromuscle.engine.compile import kernels, compiled_module
hh = nm.hodgkin_huxley()
res = nm.simulate(hh, nm.Step(10.0), 50.0, engine="explicit")
k, m = kernels(), compiled_module(hh)
misses = sum(k.dopri_batch.stats.cache_misses.values()) + sum(m.rhs.stats.cache_misses.values())
print(len(res.spike_times), misses, sum(k.dopri_batch.stats.cache_hits.values()), res.y[:, -1].tobytes().hex())
"""


def test_a_second_process_loads_the_compiled_code_and_gets_the_same_bits(tmp_path):
    # the pytest process has compiled HH and the explicit kernels into the cache in use
    nm.simulate(nm.hodgkin_huxley(), nm.Step(10.0), 5.0, engine="explicit")
    directory = cc.cache_directory()
    if directory is None:
        pytest.skip("no writable cache directory here")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]),
               NEUROMUSCLE_CACHE_DIR=str(directory.parent))
    outs = [subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True, env=env, check=True,
                           timeout=300).stdout.split() for _ in range(2)]
    for spikes, misses, hits, _ in outs:
        assert int(spikes) == 4 and int(misses) == 0 and int(hits) >= 1
    assert outs[0][3] == outs[1][3]  # processes loading from the cache agree bit for bit
    assert np.isfinite(float(outs[0][0]))


_EXIT_CHILD = """
import atexit, gc
import neuromuscle as nm
res = nm.simulate(nm.hodgkin_huxley(), nm.Step(10.0), 20.0, engine="explicit")
before = gc.get_freeze_count()
atexit._run_exitfuncs()
print(before, gc.get_freeze_count(), len(res.spike_times))
"""


def test_a_process_that_loaded_compiled_code_freezes_the_heap_at_exit():
    # the interpreter's last garbage collection would walk numba's and LLVM's objects; the
    # atexit handler leaves them to the operating system (compile module docstring, "Exit")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    out = subprocess.run([sys.executable, "-c", _EXIT_CHILD], capture_output=True, text=True, env=env, check=True,
                         timeout=300).stdout.split()
    before, after, spikes = map(int, out)
    assert before == 0 and after > 10_000 and spikes >= 1
