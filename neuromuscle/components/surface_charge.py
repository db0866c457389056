"""The gating shift from surface charge, computed inside the model from its electrolytes.

Divalent cations screen and bind the fixed negative charge on the outer face of the
membrane; the outer surface potential then changes and every voltage-dependent gate sees
the membrane potential shifted by the change (Frankenhaeuser & Hodgkin 1957; Hille,
Woodhull & Shapiro 1975). :class:`SurfaceChargeShift` computes that shift once per
parameter set (in ``precompute``) from the model's ``Na_o, K_o, Cl_o, HCO3_o, Ca_o,
Mg_o`` and ``celsius``, relative to a reference solution (normal plasma by default: the
solution the channel kinetics are taken to describe), with
:func:`neuromuscle.electrochem.gating_shift`. It provides ``dV_surface``, which the
channels read; an electrolyte sweep is therefore an ordinary parameter sweep.
"""

from __future__ import annotations

import numpy as np

from ..electrochem import HILLE_1975, SurfaceCharge, gating_shift
from .base import Component, Output, Parameter

__all__ = ["SurfaceChargeShift", "surface_solution", "surface_shift"]

_IONS = ("Na", "K", "Cl", "HCO3", "Ca", "Mg")


def surface_solution(Na, K, Cl, HCO3, Ca, Mg) -> dict:
    """Bulk ions for the surface-charge model, mM: the given ones plus the unmeasured anions
    (proteins, phosphate, lactate: the anion gap) as a monovalent anion ``A``, so that the
    solution is electroneutral. Ionised Ca and Mg (protein-bound Ca does not screen)."""
    cations = Na + K + 2.0 * Ca + 2.0 * Mg
    anions = Cl + HCO3
    return {"Na": Na, "K": K, "Cl": Cl, "HCO3": HCO3, "Ca": Ca, "Mg": Mg, "A": np.maximum(cations - anions, 0.0)}


def _reference_parameters():
    from ..electrolytes import Electrolytes

    ref = Electrolytes.preset("normal")
    src = ("input: the 'normal' preset of neuromuscle.electrolytes (typical adult plasma): the solution the "
           "kinetics describe")
    return {f"{ion}_ref": Parameter(getattr(ref, ion.lower()), "mM", src, f"{ion} of the reference solution",
                                    (0.0, 1e4)) for ion in _IONS}


class SurfaceChargeShift(Component):
    """Gating shift ``dV_surface`` (mV) of the model's solution relative to a reference one.

    ``dV_surface = psi(test) - psi(reference) + dV_offset``, both outer surface potentials
    at the model's temperature (Gouy-Chapman-Stern, :func:`~neuromuscle.electrochem.surface_potential`).
    Positive (more divalent cations) means gates need more depolarisation.

    Parameters
    ----------
    name : str
        Component name (default ``"surface"``).
    surface : SurfaceCharge
        Charge groups and divalent binding constants (default :data:`~neuromuscle.electrochem.HILLE_1975`).
    parameters : mapping, optional
        ``<ion>_ref`` (reference solution, mM; default normal plasma) and ``dV_offset``
        (mV, an added shift from any other cause; default 0).
    """

    states = ()
    outputs = (Output("dV", "mV", "Gating shift from Ca/Mg surface-charge screening and binding",
                      provides="dV_surface"),)
    precomputed = ("shift",)

    def __init__(self, name: str = "surface", surface: SurfaceCharge = HILLE_1975, **kw) -> None:
        self.surface = surface
        super().__init__(name, **kw)

    @property
    def citation(self):  # type: ignore[override]
        return self.surface.source

    @classmethod
    def default_parameters(cls):
        return {
            **_reference_parameters(),
            "dV_offset": Parameter(0.0, "mV", "input: none by default (no shift besides the surface charge's)",
                                   "Added gating shift (from any other cause)", (-200.0, 200.0)),
        }

    @classmethod
    def default_inputs(cls):
        return {"celsius": "celsius", **{f"{ion}_o": f"{ion}_o" for ion in _IONS}}

    def precompute_settings(self) -> dict:
        return {"surface": self.surface}

    @staticmethod
    def precompute(celsius, Na_o, K_o, Cl_o, HCO3_o, Ca_o, Mg_o, Na_ref, K_ref, Cl_ref, HCO3_ref, Ca_ref, Mg_ref,
                   dV_offset, *, surface=HILLE_1975):
        args = np.broadcast_arrays(celsius, Na_o, K_o, Cl_o, HCO3_o, Ca_o, Mg_o,
                                   Na_ref, K_ref, Cl_ref, HCO3_ref, Ca_ref, Mg_ref)
        shape = args[0].shape
        # a batch (a sweep over conductances, a steady-state scan) mostly repeats one solution:
        # solve the surface once per distinct solution, not once per column
        table = np.stack([a.ravel() for a in args])
        if table.shape[1] > 1 and np.all(table == table[:, :1]):
            table = table[:, :1]  # one solution for the whole batch
        shift = np.broadcast_to(_shifts(table, surface), (int(np.prod(shape)),)).reshape(shape)
        return (shift + dV_offset,)

    @staticmethod
    def equations(shift):
        return (shift,)


_SHIFTS: dict = {}


def _shifts(columns: np.ndarray, surface: SurfaceCharge) -> np.ndarray:
    """Gating shift for each column ``(celsius, 6 test ions, 6 reference ions)``. A single
    solution met before is looked up: steady-state solvers and sweeps meet the same few
    many times, and one bisection costs tens of ms of NumPy overhead."""
    if columns.shape[1] != 1:
        c, test, ref = columns[0], columns[1:7], columns[7:]
        return np.atleast_1d(gating_shift(surface_solution(*test), surface_solution(*ref), surface, c))
    table = _SHIFTS.setdefault(surface, {})
    key = tuple(columns[:, 0].tolist())
    if key not in table:
        if len(table) > 10_000:
            table.clear()
        c, test, ref = key[0], key[1:7], key[7:]
        table[key] = float(gating_shift(surface_solution(*test), surface_solution(*ref), surface, c))
    return np.array([table[key]])


def surface_shift(model, params=None) -> float | np.ndarray:
    """The gating shift ``dV_surface`` (mV) of ``model`` with parameter overrides ``params``.

    Examples
    --------
    >>> import neuromuscle as nm
    >>> round(surface_shift(nm.motor_axon(), {"Ca_o": 0.0}), 2)
    -8.01
    """
    for c in model.components:
        if isinstance(c, SurfaceChargeShift):
            p = model.full_parameters(model.parameter_vector(params))
            row = len(model.parameter_names) + model.derived_names.index(f"{c.name}.shift")
            v = p[row]
            return float(v) if np.ndim(v) == 0 else v
    if "dV_surface" in model.parameter_index:
        v = model.parameter_vector(params)[model.parameter_index["dV_surface"]]
        return float(v) if np.ndim(v) == 0 else v
    raise ValueError(f"model {model.name!r} has no surface-charge component and no dV_surface parameter")
