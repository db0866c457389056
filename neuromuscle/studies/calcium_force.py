"""Steady-state force against clamped free Ca."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CalciumForce:
    """Steady-state force against clamped free Ca (:func:`calcium_force_relation`).

    Attributes
    ----------
    ca : numpy.ndarray
        Free Ca, uM.
    force : numpy.ndarray
        Steady-state force, as force-bearing bridges per regulatory unit (``force``).
    force_max : float
        The same at saturating Ca (troponin fully loaded).
    ca50 : float
        Free Ca giving half of ``force_max``, uM (interpolated on log Ca; NaN if ``ca`` does not
        span it).
    hill : float
        Hill coefficient: slope of log(F/(F_max - F)) against log Ca, fitted between 10 % and
        90 % of ``force_max`` (NaN with fewer than two values there).
    """

    ca: np.ndarray
    force: np.ndarray
    force_max: float
    ca50: float
    hill: float

    @property
    def pca50(self) -> float:
        """-log10 of ``ca50`` in M."""
        return float(-np.log10(self.ca50 * 1e-6))

    @property
    def relative(self) -> np.ndarray:
        """``force / force_max``."""
        return self.force / self.force_max


def calcium_force_relation(model, ca=None, *, y=None) -> CalciumForce:
    """Steady-state Ca–force relation of a :func:`~neuromuscle.muscle_ec` model's thin filament
    and crossbridges, the analogue of a skinned-fibre force–pCa curve.

    Free Ca in the bulk myoplasm is held at each value and the states of the thin filament
    and crossbridges (component ``xb``: troponin Ca binding, regulatory-unit transitions,
    crossbridge cycle) are solved for their steady state with the model's own equations
    (Newton's method, continued from one Ca to the next; for a scheme linear in its states, as
    the independent-unit one, the first step is already exact); MgATP and the rates'
    temperature are those of ``y``. So the relation is exact, not a long simulation.

    Parameters
    ----------
    model : Model
        From :func:`~neuromuscle.muscle_ec`.
    ca : array_like, optional
        Free Ca, uM, each > 0 (default 60 values from 0.01 to 1000 uM, log-spaced).
    y : array, optional
        State supplying MgATP and the other fixed quantities (default the model's resting
        state).

    Returns
    -------
    CalciumForce
    """
    from scipy.integrate import solve_ivp

    from ..analysis import resting_state

    try:
        filament = model.component("xb")
    except KeyError:
        raise ValueError(f"model {model.name!r} has no thin-filament component 'xb'; use nm.muscle_ec()") from None
    ca = np.geomspace(0.01, 1000.0, 60) if ca is None else np.atleast_1d(np.asarray(ca, dtype=float))
    if not np.all(np.isfinite(ca)) or np.any(ca <= 0):
        raise ValueError(f"ca must be finite and > 0 uM, got {ca[(~np.isfinite(ca)) | (ca <= 0)][:3]}")
    y = resting_state(model).y if y is None else np.asarray(y, dtype=float)
    idx = [model.state_index[filament.state_name(s)] for s in filament.states]
    i_ca = model.state_index[filament.inputs["Ca"]]
    k = len(idx)
    p = model.parameter_vector()

    def solve(c_uM: float, x: np.ndarray) -> tuple[float, np.ndarray]:
        ys = np.repeat(y[:, None], k + 1, axis=1)
        ys[i_ca, :] = 1e-3 * c_uM
        h = 1e-7  # mM: the states are tenths of a mM

        def newton(x):
            for _ in range(50):
                ys[idx, :] = x[:, None]
                ys[idx, np.arange(1, k + 1)] += h
                d = model.rhs(0.0, ys, p)[idx]
                step = np.linalg.solve((d[:, 1:] - d[:, :1]) / h, -d[:, 0])
                x = x + step
                if np.max(np.abs(step)) <= 1e-12 * max(float(np.max(np.abs(x))), 1e-9):
                    return x
            return None

        found = newton(x)
        if found is None:
            # far from the last steady state (a steep, cooperative relation): approach this one
            # in time with Ca held, then polish
            def rates(_, xx):
                yy = ys[:, 0].copy()
                yy[idx] = xx
                return model.rhs(0.0, yy, p)[idx]

            x = solve_ivp(rates, (0.0, 1e5), x, method="LSODA", rtol=1e-10, atol=1e-14).y[:, -1]
            found = newton(x)
        if found is None:
            raise RuntimeError(f"calcium_force_relation: no steady state found at {c_uM:g} uM Ca")
        x = found
        ys[idx, 0] = x
        return float(model.observables(0.0, ys[:, 0], p)[model.label("force")]), x

    force, x = [], np.zeros(k)
    for c in ca:
        f, x = solve(c, x)
        force.append(f)
    force = np.array(force)
    force_max = solve(1e6, x)[0]  # 1 M: every troponin site loaded
    rel = force / force_max
    logc = np.log(ca)
    order = np.argsort(logc)
    ca50 = hill = float("nan")
    if rel.min() < 0.5 < rel.max():
        ca50 = float(np.exp(np.interp(0.5, rel[order], logc[order])))
    mid = (rel > 0.1) & (rel < 0.9)
    if mid.sum() >= 2:
        hill = float(np.polyfit(logc[mid], np.log(rel[mid] / (1.0 - rel[mid])), 1)[0])
    return CalciumForce(ca, force, force_max, ca50, hill)
