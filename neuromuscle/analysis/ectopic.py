"""Spontaneous (ectopic) firing of a multi-node axon: whether, where, how fast, how soon.

Criterion (the single-compartment one of :mod:`neuromuscle.analysis.spontaneous`, applied
to a cable): the axon starts at its resting state (every compartment, found by Newton's
method on the full cable) displaced by ``kick`` mV in every compartment, and runs with no
stimulus for ``duration`` ms. It *fires spontaneously* if at least ``min_spikes`` upward
0 mV crossings occur at some node in the second half of the run. Reported with it: the
node where the first spike starts (earliest crossing), the rate at the busiest node, the
latency of the first spike, and the stability of the resting state (the six eigenvalues of
the banded Jacobian nearest 0, which hold the slow modes; the run itself is the test for a
fast unstable mode). A bistable axon that only fires after a larger disturbance is found by
raising ``kick``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..electrolytes import Electrolytes, model_parameters
from ..model import Model
from ..simulation import SimulationError, simulate
from .conduction import crossing_times
from .spontaneous import FiringOnset, _bisect_switch

__all__ = ["EctopicActivity", "ectopic_activity", "ectopic_onset", "ectopic_map"]


@dataclass(frozen=True)
class EctopicActivity:
    """Result of :func:`ectopic_activity`.

    Attributes
    ----------
    firing : bool
    origin_node : int
        Node of the earliest spike (-1 if none).
    rate : float
        Spike rate at the busiest node in the second half of the run, Hz.
    latency : float
        Time of the first spike, ms (nan if none).
    spikes_per_node : ndarray of int
    rest_stable : bool
        Whether the resting state is stable.
    v_rest : float
        Resting potential of the recorded node, mV (nan if no rest was found).
    leading_eigenvalue : complex
    """

    firing: bool
    origin_node: int
    rate: float
    latency: float
    spikes_per_node: np.ndarray = field(repr=False)
    rest_stable: bool
    v_rest: float
    leading_eigenvalue: complex


def ectopic_activity(
    model: Model,
    params: Mapping[str, float] | None = None,
    *,
    duration: float = 100.0,
    kick: float = 1.0,
    min_spikes: int = 2,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    compiled: bool = False,
) -> EctopicActivity:
    """Apply the module's criterion to a multi-node axon (see the module docstring).

    ``compiled``: integrate the numba-compiled equations (LSODA either way; worth it for many
    runs of one model)."""
    p = model.parameter_vector(params)
    eqs = model.equilibrium_finder(model, p) if model.equilibrium_finder else []
    eq = eqs[0] if eqs else None
    stable = bool(eq is not None and eq.stable)
    lead = complex(eq.eigenvalues[0]) if eq is not None else complex("nan")
    v_rest = eq.v if eq is not None else float("nan")
    y0 = eq.y.copy() if eq is not None else model.quasi_steady_state(-80.0, p)
    a, b, c = model.array_states["V"]
    y0[a:b:c] += kick
    try:
        res = simulate(model, None, duration, params=params, y0=y0, engine="scipy", method="LSODA",
                       rtol=rtol, atol=atol, compiled=compiled)
    except SimulationError as exc:  # keep what was integrated
        res = exc.partial
    first, counts, late = [], [], []
    for k in model.node_compartments:
        tc = crossing_times(res.t, res.y[a + c * int(k)])
        counts.append(tc.size)
        late.append(int(np.sum(tc >= duration / 2)))
        first.append(tc[0] if tc.size else np.inf)
    first = np.asarray(first)
    fired = bool(max(late) >= min_spikes)
    origin = int(np.argmin(first)) if np.isfinite(first).any() else -1
    return EctopicActivity(
        firing=fired, origin_node=origin, rate=1000.0 * max(late) / (duration / 2),
        latency=float(first.min()) if origin >= 0 else float("nan"),
        spikes_per_node=np.asarray(counts), rest_stable=stable, v_rest=v_rest, leading_eigenvalue=lead,
    )


_FIELDS = ("ca", "mg", "k", "na", "cl", "hco3", "celsius", "ph")


def _params_at(model, base: Electrolytes, levels: Mapping[str, float], extra: Mapping[str, float]):
    """Parameters for ``levels`` of Electrolytes fields and/or model parameters.

    With ``"ph"``, ionised Ca follows pH acutely (:func:`neuromuscle.acid_base.ionised_calcium_at_ph`)
    from the Ca given (or the base's), which is taken as the value at the base's pH.
    """
    fields = {k: v for k, v in levels.items() if k in _FIELDS}
    pars = {k: v for k, v in levels.items() if k not in _FIELDS}
    unknown = [k for k in pars if k not in model.parameter_index]
    if unknown:
        raise KeyError(f"{unknown}: neither Electrolytes fields {_FIELDS} nor parameters of {model.name!r}")
    if "ph" in fields:
        from ..acid_base import ionised_calcium_at_ph

        fields["ca"] = ionised_calcium_at_ph(fields.get("ca", base.ca), fields["ph"], base.ph)
    return {**model_parameters(model, base.replace(**fields) if fields else base), **extra, **pars}


def ectopic_onset(
    model: Model,
    variable: str,
    low: float,
    high: float,
    *,
    base: Electrolytes | None = None,
    tol: float = 0.02,
    n_scan: int = 7,
    start: str = "high",
    extra: Mapping[str, float] | None = None,
    **kw,
) -> FiringOnset:
    """Bisect the level of ``variable`` (an Electrolytes field, ``"ph"`` or a model parameter such
    as ``"dV_surface"``) where spontaneous firing starts, scanning from the ``start`` end."""
    base = base or Electrolytes.preset("normal")
    extra = dict(extra or {})
    return _bisect_switch(
        lambda x: ectopic_activity(model, _params_at(model, base, {variable: x}, extra), **kw).firing,
        low, high, tol, n_scan, start)


def ectopic_map(
    model: Model,
    x: tuple[str, Sequence[float]],
    y: tuple[str, Sequence[float]] | None = None,
    *,
    base: Electrolytes | None = None,
    extra: Mapping[str, float] | None = None,
    **kw,
):
    """Spontaneous firing over a grid of one or two variables, as an :class:`xarray.Dataset`.

    Variables ``firing``, ``rate`` (Hz), ``origin_node``, ``latency`` (ms), ``rest_stable``,
    ``v_rest`` (mV), ``leading_eigenvalue_real`` (1/ms) on dimensions named after the variables.
    """
    import xarray as xr

    base = base or Electrolytes.preset("normal")
    extra = dict(extra or {})
    xs = np.asarray(x[1], dtype=float)
    ys = np.asarray(y[1], dtype=float) if y is not None else np.array([np.nan])
    shape = (xs.size, ys.size)
    out = {k: np.zeros(shape, dtype=t) for k, t in (("firing", bool), ("rate", float), ("origin_node", int),
                                                    ("latency", float), ("rest_stable", bool), ("v_rest", float),
                                                    ("leading_eigenvalue_real", float))}
    for i, xv in enumerate(xs):
        for j, yv in enumerate(ys):
            levels = {x[0]: xv} if y is None else {x[0]: xv, y[0]: yv}
            r = ectopic_activity(model, _params_at(model, base, levels, extra), **kw)
            for k in out:
                out[k][i, j] = r.leading_eigenvalue.real if k == "leading_eigenvalue_real" else getattr(r, k)
    dims = (x[0], y[0]) if y is not None else (x[0], "_")
    ds = xr.Dataset({k: (dims, v) for k, v in out.items()}, coords={dims[0]: xs, dims[1]: ys})
    if y is None:
        ds = ds.isel(_=0, drop=True)
    ds.attrs.update(model=model.name, description=model.description,
                    criterion="module docstring of neuromuscle.analysis.ectopic", base=base.name)
    return ds
