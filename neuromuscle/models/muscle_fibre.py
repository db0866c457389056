"""A mammalian fast-twitch skeletal-muscle fibre: surface membrane plus a lumped t-tubule,
driven by the electrolytes.

Channels, pump and tubule are those of Wallinga et al. (1999), as transcribed by Shorten et
al. (2007, CellML) and Senneff & Lowery (2021, code), at 37 C with the Senneff & Lowery
Q10s (:mod:`neuromuscle.components.muscle_wallinga`, docs/models/muscle_fibre.md). The
surface membrane (potential ``V``) carries Na (fast and slow inactivation), delayed-rectifier
K, inward-rectifier K (Standen-Stanfield K_o dependence), ClC-1, the Na/K pump, a GHK Na
background and an optional non-selective cation leak. The tubular membrane (potential ``u``,
``gamma`` = 4.8 cm2 per cm2 of surface) carries the same channels at densities ``eta`` times
the surface ones and is reached through the access resistance ``R_a``; K leaving the
tubular membrane accumulates in the lumen (``K_t``).

How the electrolytes enter: Nernst potentials of Na, K and Cl; K_o in the inward rectifier
(conductance and block) and the pump; Na_o in the pump; Ca and Mg through the surface
potential (a gating shift, as for the axon). Intracellular Na, K and Cl are parameters:
an *acute* change of the plasma keeps them, :func:`fibre_states` with ``mode="chloride"``
or ``"chronic"`` lets them re-settle (see its docstring).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from ..components.base import Parameter
from ..components.ghk import Nernst
from ..components.membrane import AccessResistance, Membrane, TubularMembrane
from ..components.muscle_wallinga import (
    CationLeak,
    ClC1Chloride,
    GHKBackground,
    InwardRectifier,
    NaKPump,
    TubularPotassium,
    WallingaDelayedRectifier,
    WallingaSodium,
)
from ..electrochem import HILLE_1975, SurfaceCharge, gating_shift, ghk_current_density, ghk_voltage, rt_over_f
from ..electrolytes import Electrolytes
from ..model import Model
from ..steady import Equilibrium, jacobian
from .motor_axon import surface_ions

__all__ = [
    "muscle_fibre", "muscle_environment", "MUSCLE_CYTOSOL", "TUBULAR_DENSITY", "FibreState", "fibre_states",
    "ion_currents", "cation_permeability",
]

_SL = "Senneff & Lowery 2021 J Theor Biol 519:110656 (code defaults, 37 C fast-twitch fibre)"
_TX = ("Wallinga et al. 1999 as transcribed in the Shorten et al. 2007 CellML and the Senneff & Lowery "
       "2021 code (docs/research/muscle_membrane.md)")

#: Myoplasmic concentrations, mM, used when the Electrolytes object gives none: the values
#: the Wallinga-lineage model is run with. Na_i 14.7 is at the top of measured free Na (about
#: 10-14 mM, e.g. Juel 1986 Pflugers Arch 406:458); K_i 154.5 is within measured 150-180 mM.
#: Cl_i 5.83 mM is *above* passive distribution at -85 mV in plasma (about 4.4 mM), as in
#: mammalian muscle, where NKCC1 accumulates Cl; that is why the acute model rests near
#: -85 mV rather than at E_K (-98 mV). See docs/models/muscle_fibre.md.
MUSCLE_CYTOSOL = {
    "na_in": (14.7, _SL),
    "k_in": (154.5, _SL),
    "cl_in": (5.83, _SL),
}

#: Tubular channel density relative to the surface (``eta``), Wallinga et al. 1999.
TUBULAR_DENSITY = {"na": 0.1, "kdr": 0.45, "kir": 1.0, "cl": 0.1, "pump": 0.1}

_INTRA = {"Na_i": "na_in", "K_i": "k_in", "Cl_i": "cl_in"}


def muscle_environment(
    electrolytes: Electrolytes,
    reference: Electrolytes | None = None,
    surface: SurfaceCharge = HILLE_1975,
) -> dict[str, float]:
    """Parameters of :func:`muscle_fibre` that carry the electrolytes.

    Extracellular Na, K, Cl, the temperature and the Ca/Mg gating shift relative to
    ``reference`` (default normal plasma). Intracellular values are included only when
    the Electrolytes object gives them (an acute change keeps the fibre's own).
    """
    ref = reference or Electrolytes.preset("normal")
    env = {
        "celsius": electrolytes.celsius, "Na_o": electrolytes.na, "K_o": electrolytes.k, "Cl_o": electrolytes.cl,
        "dV_surface": float(gating_shift(surface_ions(electrolytes), surface_ions(ref), surface,
                                         electrolytes.celsius)),
    }
    for par, fld in _INTRA.items():
        if getattr(electrolytes, fld) is not None:
            env[par] = getattr(electrolytes, fld)
    return env


def cation_permeability(g: float, v: float = -85.0, electrolytes: Electrolytes | None = None,
                        cytosol: dict[str, float] | None = None) -> float:
    """Permeability P (cm/s) of a non-selective cation pathway (``P_Na = P_K = P``) whose
    chord conductance at ``v`` (mV) in ``electrolytes`` (default normal plasma) is ``g``
    (mS/cm2). Converts a measured leak conductance such as Jurkat-Rott et al.'s 12-19.5
    uS/cm2 into the GHK form used by :class:`~neuromuscle.components.muscle_wallinga.CationLeak`.
    """
    e = electrolytes or Electrolytes.preset("normal")
    c = cytosol or {k: MUSCLE_CYTOSOL[k][0] for k in MUSCLE_CYTOSOL}
    i_per_p = (ghk_current_density(v, e.na, c["na_in"], 1.0, e.celsius)
               + ghk_current_density(v, e.k, c["k_in"], 1.0, e.celsius))
    e_rev = ghk_voltage([1.0, 1.0], [e.na, e.k], [c["na_in"], c["k_in"]], [1, 1], e.celsius)
    return float(g * (v - e_rev) / i_per_p)


def _build(e: Electrolytes, ref: Electrolytes, surface: SurfaceCharge, p_background: float,
           p_cation: float, tubule: bool) -> Model:
    env = muscle_environment(e, ref, surface)
    src_e = f"electrolytes {e.name!r}"

    def conc(name, desc):
        fld = _INTRA.get(name)
        if fld is not None and getattr(e, fld) is None:
            return Parameter(MUSCLE_CYTOSOL[fld][0], "mM", MUSCLE_CYTOSOL[fld][1], desc, (1e-3, 1e4))
        return Parameter(env[name], "mM", src_e, desc, (1e-3, 1e4))

    globals_ = {
        "celsius": Parameter(env["celsius"], "degC", src_e, "Temperature", (0.0, 50.0)),
        "Na_o": conc("Na_o", "Extracellular Na"), "Na_i": conc("Na_i", "Myoplasmic Na"),
        "K_o": conc("K_o", "Extracellular K"), "K_i": conc("K_i", "Myoplasmic K"),
        "Cl_o": conc("Cl_o", "Extracellular Cl"), "Cl_i": conc("Cl_i", "Myoplasmic Cl"),
        "dV_surface": Parameter(env["dV_surface"], "mV", f"Gouy-Chapman-Stern shift vs normal plasma "
                                f"({surface.source}); assumed to apply to muscle channels as to the axon",
                                "Gating shift from Ca/Mg surface-charge screening and binding", (-200.0, 200.0)),
    }
    src_bg = ("derived: Na influx through all Na pathways equals 3x the pump current at rest in normal "
              "plasma, so myoplasmic Na is stationary there (pump-leak balance)")
    comps = [
        Membrane("membrane", parameters={"C_m": Parameter(1.0, "uF/cm2", _TX, "Specific capacitance",
                                                          (1e-3, 100.0))}),
        WallingaSodium("na"), WallingaDelayedRectifier("kdr"), InwardRectifier("kir"), ClC1Chloride("cl"),
        NaKPump("pump"),
        GHKBackground("background", parameters={"P_Na": Parameter(
            p_background, "cm/s", src_bg, "Background Na permeability", (0.0, 1.0))}),
        CationLeak("cation_leak", parameters={"P": Parameter(
            p_cation, "cm/s", "cation_leak argument of muscle_fibre (Jurkat-Rott et al. 2009: 12-19.5 uS/cm2)",
            "Non-selective cation leak permeability", (0.0, 1.0))}),
        Nernst("E_K", "K", 1), Nernst("E_Na", "Na", 1), Nernst("E_Cl", "Cl", -1),
    ]
    if tubule:
        t = {"V": "u", "I_ion": "I_ion_t"}

        def eta(cls, name, key, par, **kw):
            base = cls.default_parameters()[par]
            return cls(name, parameters={par: base.with_value(
                TUBULAR_DENSITY[key] * base.value, f"{base.source}; times eta = {TUBULAR_DENSITY[key]} ({_TX})")},
                rename=t, **kw)

        comps += [
            TubularMembrane("tubule"), AccessResistance("access"), TubularPotassium("k_tubule"),
            eta(WallingaSodium, "na_t", "na", "g"),
            eta(WallingaDelayedRectifier, "kdr_t", "kdr", "g", inputs={"E": "E_K_t"}),
            eta(InwardRectifier, "kir_t", "kir", "G", inputs={"K_o": "K_t", "E": "E_K_t"}),
            eta(ClC1Chloride, "cl_t", "cl", "g"),
            eta(NaKPump, "pump_t", "pump", "I_max", inputs={"K_o": "K_t"}),
            Nernst("E_K_t", "K", 1, inputs={"celsius": "celsius", "c_out": "K_t", "c_in": "K_i"},
                   rename={"E_K": "E_K_t"}),
        ]
    model = Model(
        "muscle_fibre", comps, globals_,
        citation="Wallinga et al. 1999 Med Biol Eng Comput 37:288; Q10s: Senneff & Lowery 2021",
        description=(f"Mammalian fast-twitch muscle fibre at {e.celsius:g} C in {e.name!r} electrolytes: "
                     + ("surface + t-tubule" if tubule else "surface membrane only")),
        stiff=True,
    )
    model.electrolytes = e
    model.environment = functools.partial(muscle_environment, reference=ref, surface=surface)
    model.equilibrium_finder = _equilibria
    return model


@functools.lru_cache(maxsize=8)
def _background_permeability(celsius: float, tubule: bool) -> float:
    """Background Na permeability from the pump-leak balance in normal plasma (cached)."""
    ref = Electrolytes.preset("normal").replace(celsius=celsius)
    model = _build(ref, Electrolytes.preset("normal"), HILLE_1975, 0.0, 0.0, tubule)
    p = model.parameter_vector()
    i_bg = model.parameter_index["background.P_Na"]
    for _ in range(30):
        y = _states(model, p, "acute", 0.0, (-170.0, -20.0), 3001)[0][0]
        cur = ion_currents(model, y, p)
        # Na current needed from the background: minus (3 I_pump + other Na currents)
        need = -(cur["Na"] - cur["background.I_Na"])
        per_p = float(ghk_current_density(y[model.state_index["V"]], ref.na, MUSCLE_CYTOSOL["na_in"][0], 1.0,
                                          celsius))
        new = need / per_p
        if abs(new - p[i_bg]) <= 1e-9 * abs(new):
            return new
        p[i_bg] = new
    return float(p[i_bg])


def muscle_fibre(
    electrolytes: Electrolytes | None = None,
    *,
    cation_leak: float = 0.0,
    tubule: bool = True,
    surface: SurfaceCharge = HILLE_1975,
) -> Model:
    """A mammalian fast-twitch skeletal-muscle fibre (surface membrane + t-tubule).

    Parameters
    ----------
    electrolytes : Electrolytes, optional
        The ionic environment (default normal plasma, 37 C). Intracellular Na, K, Cl come
        from it when given, else from :data:`MUSCLE_CYTOSOL`.
    cation_leak : float
        Conductance of an added non-selective cation leak, mS/cm2, as its chord conductance
        at -85 mV in normal plasma (hypokalaemic periodic paralysis fibres: 0.012-0.0195,
        Jurkat-Rott et al. 2009). Converted to a GHK permeability by
        :func:`cation_permeability`.
    tubule : bool
        Include the t-tubular compartment (default). Without it the model is the surface
        membrane alone.
    surface : SurfaceCharge
        Surface-charge parameters for the Ca/Mg gating shift (default Hille et al. 1975).

    Returns
    -------
    Model
        States ``V``, gates, and (with the tubule) ``u``, tubular gates and ``K_t``. Global
        parameters ``celsius, Na_o, Na_i, K_o, K_i, Cl_o, Cl_i, dV_surface``. Declared stiff
        (slow inactivation time constants of tens of seconds next to 0.02 ms Na activation).

    Notes
    -----
    The background Na permeability (no such current in Wallinga's voltage equation) is
    derived once, for normal plasma, so that the Na entering at rest equals what the pump
    extrudes (``3 I_pump``): myoplasmic Na is then stationary in normal plasma. It is not
    re-fitted per condition.
    """
    e = electrolytes or Electrolytes.preset("normal")
    ref = Electrolytes.preset("normal")
    if cation_leak < 0:
        raise ValueError(f"cation_leak must be >= 0 mS/cm2, got {cation_leak}")
    p_bg = _background_permeability(37.0, tubule)
    return _build(e, ref, surface, p_bg, cation_permeability(cation_leak), tubule)


def ion_currents(model: Model, y, p=None) -> dict[str, float]:
    """Membrane current carried by each ion, uA per cm2 of *surface* (tubular currents times
    ``gamma``), outward positive; also every contributing output by name.

    Uses the ``carries`` declarations of the outputs (the pump counts as 3 Na out and 2 K
    in). The access current carries no net ion across the membrane and is not counted.
    """
    obs = model.observables(0.0, y, p)
    gamma = 1.0
    if "access.gamma" in model.parameter_index:
        pv = model.parameter_vector() if p is None else p
        gamma = float(pv[model.parameter_index["access.gamma"]])
    out: dict[str, float] = {}
    for comp in model.components:
        for o in comp.outputs:
            if not o.carries:
                continue
            name = comp.output_name(o)
            weight = gamma if comp.sum_name(o) == "I_ion_t" else 1.0
            value = float(obs[name]) * weight
            out[name] = value
            for ion, factor in o.carries:
                out[ion] = out.get(ion, 0.0) + factor * value
    return out


@dataclass
class FibreState:
    """A steady state of the fibre.

    Attributes
    ----------
    v : float
        Surface membrane potential, mV.
    stable : bool
        Stable with the intracellular ions held (fast stability) and, for ``"chloride"``
        and ``"chronic"``, also against the slow ion movement (the reduced current-voltage
        relation with Cl at equilibrium rises through the point).
    mode : str
        ``"acute"``, ``"chloride"`` or ``"chronic"``.
    y : ndarray
        Full state vector.
    params : dict
        Parameter overrides that reproduce the state (extracellular and intracellular ions,
        temperature, gating shift); pass to :func:`~neuromuscle.simulate` as ``params``.
    equilibrium : Equilibrium
        Eigenvalues etc. with the intracellular ions held.
    """

    v: float
    stable: bool
    mode: str
    y: np.ndarray
    params: dict[str, float] = field(default_factory=dict)
    equilibrium: Equilibrium | None = None

    @property
    def cytosol(self) -> dict[str, float]:
        """Myoplasmic Na, K, Cl (mM) of this state."""
        return {k: self.params[k] for k in ("Na_i", "K_i", "Cl_i")}


_MODES = ("acute", "chloride", "chronic")


def fibre_states(
    model: Model,
    electrolytes: Electrolytes | None = None,
    mode: str = "acute",
    v_range: tuple[float, float] = (-170.0, -20.0),
    n_grid: int = 3001,
) -> list[FibreState]:
    """All steady states of the fibre in ``electrolytes`` (default: the model's own), by
    how long the fibre has had to adapt.

    Parameters
    ----------
    model : Model
        From :func:`muscle_fibre`.
    electrolytes : Electrolytes, optional
        New extracellular ions (intracellular ones, if given, are used as the start).
    mode : {"acute", "chloride", "chronic"}
        ``"acute"``: seconds after the change; myoplasmic Na, K and Cl as before.
        ``"chloride"``: minutes; Cl has redistributed (ClC-1 is the largest resting
        conductance) until no net Cl current flows; Na and K as before.
        ``"chronic"``: hours; Na, K and Cl have re-settled under the pump until no net flux
        of any of them remains, at constant cell volume and fixed impermeant anion (so
        ``Na_i + K_i - Cl_i`` is conserved).
    v_range, n_grid
        Potentials scanned for equilibria (mV) and grid size.

    Returns
    -------
    list of FibreState
        Sorted by potential. Several stable states mean the fibre is bistable: which one
        it is in depends on its history.
    """
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES}, got {mode!r}")
    e = electrolytes or model.electrolytes
    base = {name: float(model.parameters[name].value) for name in ("Na_i", "K_i", "Cl_i")}
    params = {**base, **model.environment(e)} if e is not None else dict(base)
    p0 = model.parameter_vector(params)
    found = []
    for y, p_sol, eq, reduced_stable in _states(model, p0, mode, 0.0, v_range, n_grid):
        stable = eq.stable and (mode == "acute" or reduced_stable)
        out = {n: float(p_sol[model.parameter_index[n]]) for n in params}
        found.append(FibreState(eq.v, stable, mode, y, out, eq))
    return found


def _equilibria(model: Model, p=None, i_stim: float = 0.0, v_range=(-170.0, -20.0), n_grid: int = 3001):
    """Equilibrium finder for the fibre with fixed parameters (used by
    :func:`neuromuscle.steady.equilibria`): the generic one cannot guess ``u`` and ``K_t``."""
    p0 = model.parameter_vector() if p is None else np.asarray(p, dtype=float)[: len(model.parameter_names)]
    return [eq for _, _, eq, _ in _states(model, p0, "acute", i_stim, v_range, n_grid)]


def _states(model: Model, p0, mode, i_stim, v_range, n_grid):
    """Scan V, then solve each bracketed equilibrium exactly: (y, p, Equilibrium, reduced_stable)."""
    ip = model.parameter_index
    iv = model.state_index["V"]
    vt = rt_over_f(float(p0[ip["celsius"]]))
    grid = np.linspace(*v_range, n_grid)
    pg = np.repeat(p0[:, None], n_grid, axis=1)
    if mode != "acute":  # Cl at equilibrium at every grid potential
        pg[ip["Cl_i"]] = p0[ip["Cl_o"]] * np.exp(grid / vt)
    yg = _relaxed(model, grid, pg, i_stim)
    fgrid = model.rhs(0.0, yg, pg, i_stim)[iv]
    unknown = {"acute": [], "chloride": ["Cl_i"], "chronic": ["Cl_i", "Na_i", "K_i"]}[mode]
    conserved = p0[ip["Na_i"]] + p0[ip["K_i"]] - p0[ip["Cl_i"]]
    found = []
    for k in np.flatnonzero(np.sign(fgrid[:-1]) * np.sign(fgrid[1:]) < 0):
        x0 = np.concatenate([yg[:, k], [pg[ip[n], k] for n in unknown]])
        sol = _solve(model, p0, x0, unknown, conserved, i_stim)
        if sol is None:
            continue
        y, values = sol
        p_sol = p0.copy()
        for n, val in zip(unknown, values):
            p_sol[ip[n]] = val
        if any(abs(f[0][iv] - y[iv]) < 1e-6 for f in found):
            continue
        eig = np.linalg.eigvals(jacobian(model, y, p_sol, i_stim))
        eq = Equilibrium(float(y[iv]), y, eig[np.argsort(-eig.real)], float(i_stim))
        found.append((y, p_sol, eq, bool(fgrid[k] > 0 > fgrid[k + 1])))
    return sorted(found, key=lambda f: f[2].v)


def _relaxed(model: Model, v, p, i_stim, n_iter: int = 50):
    """States at surface potential ``v`` with gates at steady state, ``u = v``, and the
    tubular K ``K_t`` at its own balance."""
    y = model.quasi_steady_state(v, p, i_stim)
    if "K_t" not in model.state_index:
        return y
    ik = model.state_index["K_t"]
    # Bisection on log K_t, vectorised over the grid: dK_t/dt is positive for K_t -> 0 and
    # negative for large K_t, but not monotone in between (Kir conductance rises with K_t),
    # so Newton from K_o can walk away from the root.
    lo = np.full(np.shape(v), np.log(1e-3))
    hi = np.full(np.shape(v), np.log(2000.0))
    for _ in range(n_iter):
        mid = 0.5 * (lo + hi)
        y[ik] = np.exp(mid)
        up = model.rhs(0.0, y, p, i_stim)[ik] > 0
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    y[ik] = np.exp(0.5 * (lo + hi))
    return y


def _solve(model: Model, p0, x0, unknown, conserved, i_stim=0.0):
    """Root of rhs = 0 plus, per unknown ion, its balance; None if it fails.

    Concentrations (``K_t`` and the unknown myoplasmic ions) are solved for in log space so
    that Newton steps cannot make them negative.
    """
    ip = model.parameter_index
    n = len(model.state_names)
    logs = [model.state_index["K_t"]] if "K_t" in model.state_index else []
    logs += list(range(n, n + len(unknown)))

    def unpack(z):
        x = np.array(z, dtype=float)
        x[logs] = np.exp(x[logs])
        return x

    def residual(z):
        x = unpack(z)
        p = p0.copy()
        for j, name in enumerate(unknown):
            p[ip[name]] = x[n + j]
        r = list(model.rhs(0.0, x[:n], p, i_stim))
        if unknown:
            cur = ion_currents(model, x[:n], p)
            r.append(cur.get("Cl", 0.0))
            if "Na_i" in unknown:
                r.append(cur.get("Na", 0.0))
                r.append((x[n + 1] + x[n + 2] - x[n] - conserved) / conserved)
        return np.asarray(r)

    z0 = np.array(x0, dtype=float)
    z0[logs] = np.log(z0[logs])
    def err(z):
        return np.max(np.abs(residual(z))) if np.all(np.isfinite(z)) else np.inf

    z = optimize.root(residual, z0, method="hybr", tol=1e-12).x
    if err(z) > 1e-8:  # Powell's hybrid method can stall near folds: Levenberg-Marquardt, then polish
        z = optimize.root(residual, z0, method="lm", options={"maxiter": 1500, "xtol": 1e-14}).x
        if np.all(np.isfinite(z)):
            z = optimize.root(residual, z, method="hybr", tol=1e-12).x
    if err(z) > 1e-8:
        return None
    x = unpack(z)
    return x[:n], x[n:]
