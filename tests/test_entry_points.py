"""Public entry points given arbitrary values raise only their documented exceptions.

Documented: ``TypeError`` for a wrong type, ``ValueError`` for a bad value (both naming the
argument), and for :func:`simulate` a ``SimulationError`` when the solver fails. Anything
else (``AttributeError``, ``ZeroDivisionError``, ``KeyError``...) is a bug this test finds.
"""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import neuromuscle as nm
from neuromuscle.sweep import sweep

DOCUMENTED = (TypeError, ValueError, nm.SimulationError)

anything = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.lists(st.floats(-1e3, 1e3), max_size=3), st.dictionaries(st.text(max_size=4), st.floats(), max_size=2),
    st.sampled_from(["normal", "hypocalcaemia_severe", "nope", "", "celsius"]),
)
quick = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _only_documented(call):
    try:
        call()
    except DOCUMENTED as exc:
        assert str(exc), "the error must say what is wrong"


@quick
@given(value=anything, which=st.sampled_from(["celsius", "gating_shift", "reversal", "concentrations"]))
def test_hodgkin_huxley(value, which):
    _only_documented(lambda: nm.hodgkin_huxley(**{which: value}))


@quick
@given(value=anything, which=st.sampled_from(["electrolytes", "nap_fraction"]))
def test_motor_axon(value, which):
    _only_documented(lambda: nm.motor_axon(**{which: value}))


@quick
@given(value=anything, which=st.sampled_from(["electrolytes", "cation_leak", "resting"]))
def test_muscle_fibre(value, which):
    _only_documented(lambda: nm.muscle_fibre(**{which: value}))


@pytest.fixture(scope="module")
def hh():
    return nm.hodgkin_huxley()


@quick
@given(model=st.one_of(anything, st.just("hh")), protocol=st.one_of(anything, st.just(nm.Step(5.0))),
       t_end=anything)
def test_simulate(hh, model, protocol, t_end):
    model = hh if model == "hh" else model
    if isinstance(t_end, (int, float)) and not isinstance(t_end, bool) and math.isfinite(t_end) and t_end > 5:
        t_end = 5.0  # a valid long run proves nothing here and costs time
    _only_documented(lambda: nm.simulate(model, protocol, t_end, engine="scipy"))


@quick
@given(axes=st.one_of(anything, st.dictionaries(st.sampled_from(["dV_surface", "celsius", "ca", "x"]),
                                                st.lists(st.floats(), max_size=2), max_size=2)),
       metrics=st.one_of(anything, st.lists(st.sampled_from(["rest", "threshold:x", "rate", "nope"]), max_size=2)),
       t_end=anything, n_jobs=anything, chunk_size=anything)
def test_sweep(hh, axes, metrics, t_end, n_jobs, chunk_size):
    if isinstance(n_jobs, int) and not isinstance(n_jobs, bool) and (n_jobs > 1 or n_jobs == -1):
        n_jobs = 1  # a valid parallel draw would only start worker processes; serial proves the same
    _only_documented(lambda: sweep(hh, axes, metrics=metrics, t_end=t_end, n_jobs=n_jobs, chunk_size=chunk_size,
                                   progress=False))


@quick
@given(field=st.sampled_from(["na", "k", "ca", "mg", "celsius", "na_in", "name"]), value=anything)
def test_electrolytes(field, value):
    _only_documented(lambda: nm.Electrolytes(**{field: value}))
