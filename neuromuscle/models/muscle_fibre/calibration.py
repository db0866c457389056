"""Calibration of the fibre's resting densities to measured resting properties, and the
published densities with the pump-leak balance."""

from __future__ import annotations

import functools

import numpy as np

from ...citations import cite
from ...components.muscle_wallinga import (
    ClC1Chloride,
    InwardRectifier,
    NaKPump,
    WallingaSodium,
)
from ...electrochem import HILLE_1975, ghk_current_density, rt_over_f
from ...electrolytes import Electrolytes
from ...model import Model
from .build import _SL, _TX, MUSCLE_CYTOSOL, _build
from .steady_state import _relaxed, _states, ion_currents

_PB77 = f"{cite('palade1977')} (rat diaphragm, 37 C, cable analysis)"

#: Measured resting properties the fibre's resting conductances are calibrated to, in
#: normal plasma with K_o = 4 mM at 37 C: (value, unit, source). Wallinga's published
#: resting conductances are far above measured ones (Kir about 40 times, ClC-1 about 8
#: times; docs/models/muscle_fibre.md), so Kir, ClC-1 and pump densities (surface and
#: tubule alike) and the background Na permeability are solved for so that these hold.
RESTING_TARGETS = {
    "v_rest": (-85.0, "mV", f"{cite('jurkatrott2009')}: normal fibres rest near -85 mV at K_o 4 mM "
               "(state P1)"),
    "k_o": (4.0, "mM", f"{cite('jurkatrott2009')} (the K_o of the -85 mV rest)"),
    "g_k": (0.34, "mS/cm2", f"{_PB77}: resting non-Cl (K) slope conductance per cm2 of surface"),
    "g_cl": (2.11, "mS/cm2", f"{_PB77}: resting Cl slope conductance per cm2 of surface"),
}
_PASSIVE_CL = (f"{cite('mccaig1984')} (rat EDL, Cl passively distributed); "
               f"{cite('aickin1989')} (E_Cl within 3 mV of rest)")
_NA_BALANCE = "myoplasmic Na stationary at rest: Na entering = 3x the pump current (pump-leak balance)"

#: Peak Na conductance, mS/cm2 at 20 C (Wallinga's 804 is several times any measured value).
#: Almers, Roberts & Ruff 1984 J Physiol 347:751 measured 100-250 mS/cm2 in rat muscle
#: (loose patch, 23 C): :data:`NA_CONDUCTANCE_RANGE`. The default is the middle of that
#: range, referred to 20 C with the conductance Q10 of 1.5. Where in the range it lies
#: sets the K_o below which a normal fibre is bistable (docs/models/muscle_fibre.md).
NA_CONDUCTANCE_RANGE = (100.0 / 1.5 ** 0.3, 250.0 / 1.5 ** 0.3)
NA_CONDUCTANCE = (175.0 / 1.5 ** 0.3, f"{cite('almers1984')}: rat 100-250 mS/cm2 at 23 C; "
                  "middle value, referred to 20 C with Q10 1.5")

_SCALED = {"kir": ("kir.G", "kir_t.G"), "cl": ("cl.g", "cl_t.g"), "pump": ("pump.I_max", "pump_t.I_max")}


def _published_values() -> dict:
    return {
        "na.g": (WallingaSodium.default_parameters()["g"].value, _TX),
        "kir.G": (InwardRectifier.default_parameters()["G"].value, _TX),
        "cl.g": (ClC1Chloride.default_parameters()["g"].value, _TX),
        "pump.I_max": (NaKPump.default_parameters()["I_max"].value, _TX),
        "Cl_i": (5.83, f"{_SL} (above passive distribution)"),
        "cation_leak.P": (0.0, "off"),
    }


@functools.lru_cache(maxsize=4)
def _published(tubule: bool) -> dict:
    """Wallinga's densities plus the background Na permeability from the pump-leak balance in
    normal plasma (cached): ``{parameter: (value, source)}``."""
    ref = Electrolytes.preset("normal").replace(celsius=37.0)
    values = {**_published_values(), "background.P_Na": (0.0, "trial")}
    model = _build(ref, Electrolytes.preset("normal"), HILLE_1975, values, tubule)
    p = model.parameter_vector()
    i_bg = model.parameter_index["background.P_Na"]
    for _ in range(30):
        y = _states(model, p, "acute", 0.0, (-120.0, -40.0), 321)[0][0]
        cur = ion_currents(model, y, p)
        # Na current needed from the background: minus (3 I_pump + other Na currents)
        need = -(cur["Na"] - cur["background.I_Na"])
        per_p = float(ghk_current_density(y[model.state_index["V"]], ref.na, MUSCLE_CYTOSOL["na_in"][0], 1.0,
                                          37.0))
        new = need / per_p
        done = abs(new - p[i_bg]) <= 1e-9 * abs(new)
        p[i_bg] = new
        if done:
            break
    src = ("derived: Na influx through all Na pathways equals 3x the pump current at rest in normal plasma, so "
           "myoplasmic Na is stationary there (pump-leak balance)")
    return {**_published_values(), "background.P_Na": (float(p[i_bg]), src)}


def _slope(model: Model, y, p, ion: str, dv: float = 1e-3) -> float:
    """Slope conductance (mS/cm2 of surface) of the current carried by ``ion``, with the
    surface and tubular potentials moved together and every other state held."""
    idx = [model.state_index[k] for k in ("V", "u") if k in model.state_index]
    up, down = y.copy(), y.copy()
    up[idx] += dv
    down[idx] -= dv
    return (ion_currents(model, up, p)[ion] - ion_currents(model, down, p)[ion]) / (2.0 * dv)


@functools.lru_cache(maxsize=8)
def _calibration(tubule: bool, g_na: float | None = None, sodium: type = WallingaSodium) -> dict:
    """Resting densities: ``{parameter: (value, source)}`` (cached).

    Solves, in normal plasma with K_o = 4 mM at 37 C, for the Kir, ClC-1 and pump densities
    (Wallinga's values times one factor each, surface and tubule alike), the background Na
    permeability and the myoplasmic Cl such that the fibre rests at ``RESTING_TARGETS``
    with the measured K and Cl slope conductances, Na stationary (pump-leak balance) and Cl
    passively distributed. All states are solved with them, so the result is an exact
    steady state. ``g_na``: peak Na conductance (mS/cm2 at 20 C) if not :data:`NA_CONDUCTANCE`.
    """
    na = NA_CONDUCTANCE if g_na is None else (g_na, "na_conductance argument of muscle_fibre")
    e = Electrolytes.preset("normal").replace(k=RESTING_TARGETS["k_o"][0], celsius=37.0)
    v_rest, g_k, g_cl = (RESTING_TARGETS[k][0] for k in ("v_rest", "g_k", "g_cl"))
    vt = rt_over_f(37.0)
    # Wallinga's densities are the base the scale factors multiply
    values = {**_published_values(), "na.g": na, "background.P_Na": (1e-7, "trial"),
              "Cl_i": (e.cl * np.exp(v_rest / vt), "trial")}
    model = _build(e, Electrolytes.preset("normal"), HILLE_1975, values, tubule, sodium)
    ip, n = model.parameter_index, len(model.state_names)
    p0 = model.parameter_vector()
    scaled = [[ip[name] for name in names if name in ip] for names in _SCALED.values()]
    log_states = [model.state_index["K_t"]] if tubule else []

    def unpack(z):
        y = z[:n].copy()
        y[log_states] = np.exp(y[log_states])
        p = p0.copy()
        for idx, f in zip(scaled, np.exp(z[n:n + 3])):
            p[idx] = p0[idx] * f
        p[ip["background.P_Na"]], p[ip["Cl_i"]] = np.exp(z[n + 3:])
        return y, p

    def residual(z):
        y, p = unpack(z)
        cur = ion_currents(model, y, p)
        return np.concatenate([model.rhs(0.0, y, p), [
            (y[model.state_index["V"]] - v_rest) / 10.0,
            _slope(model, y, p, "K") / g_k - 1.0,
            _slope(model, y, p, "Cl") / g_cl - 1.0,
            cur["Na"], cur["Cl"]]])

    # Start: the factors found for the published model (docs/models/muscle_fibre.md)
    x0 = np.log([0.033, 0.12, 0.42, 1e-7, p0[ip["Cl_i"]]])
    _, p_start = unpack(np.concatenate([np.zeros(n), x0]))
    y0 = _relaxed(model, np.array(v_rest), p_start, 0.0)
    z0 = np.concatenate([y0, x0])
    z0[log_states] = np.log(z0[log_states])
    from scipy import optimize  # imported when used (keeps `import neuromuscle` light)

    sol = optimize.root(residual, z0, method="hybr", tol=1e-12)
    if not np.all(np.abs(sol.fun) < 1e-8):
        raise RuntimeError(f"muscle fibre calibration did not converge (max residual {np.max(np.abs(sol.fun)):.3g})")
    _, p = unpack(sol.x)
    target = (f"fitted: rest {v_rest:g} mV at K_o {RESTING_TARGETS['k_o'][0]:g} mM, 37 C, with K slope "
              f"conductance {g_k:g} and Cl slope conductance {g_cl:g} mS/cm2 ({RESTING_TARGETS['v_rest'][2]}; {_PB77})")
    out = {"na.g": na, "cation_leak.P": (0.0, "off")}
    for names, idx in zip(_SCALED.values(), scaled):
        factor = p[idx[0]] / p0[idx[0]]
        out[names[0]] = (float(p[idx[0]]), f"{target}: Wallinga's value times {factor:.4g}")
    out["background.P_Na"] = (float(p[ip["background.P_Na"]]), f"{target}; {_NA_BALANCE}")
    out["Cl_i"] = (float(p[ip["Cl_i"]]), f"derived: passive distribution at the calibrated rest ({_PASSIVE_CL})")
    return out
