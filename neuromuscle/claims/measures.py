"""The simulations the claims share, each run once per condition and cached in the
:class:`~neuromuscle.claims.base.RunContext`: the motor axon's excitability, the muscle
fibre's rest and threshold, and the fibre with EC coupling's twitch and trains.

Every function takes an :class:`~neuromuscle.electrolytes.Electrolytes` (or options) and
builds the models it needs from the package as installed, so a claim measures whatever the
current models say.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import warnings

import numpy as np

from ..electrolytes import Electrolytes
from .base import RunContext

__all__ = ["axon", "fibre", "ec", "ec_stimulus", "pct", "EC_CELSIUS", "sarcolemmal_steady_ca", "ca_entry_train",
           "myelinated_conduction", "normal"]

#: Temperature of the Ca system's data and of the EC runs (docs/models/ec_coupling.md)
EC_CELSIUS = 16.0
#: Pulse for the fibre's threshold and stimuli, ms
FIBRE_PULSE_MS = 0.5


def normal() -> Electrolytes:
    return Electrolytes.preset("normal")


def pct(new: float, old: float) -> float:
    """Change from ``old`` to ``new``, per cent (nan if ``old`` is 0 or either is not finite)."""
    if not (np.isfinite(new) and np.isfinite(old)) or old == 0:
        return float("nan")
    return 100.0 * (new / old - 1.0)


def _key(e: Electrolytes) -> tuple:
    return tuple(getattr(e, f.name) for f in dataclasses.fields(e) if f.name not in ("name", "description", "source"))


def axon(ctx: RunContext, e: Electrolytes) -> dict:
    """The single-node motor axon in ``e``: rest, gating shift, threshold of a 0.1 ms pulse,
    AP peak, and whether it fires on its own (200 ms quick, 500 ms full)."""
    def compute():
        from ..analysis import excitability_summary, spontaneous_activity
        from ..components.surface_charge import surface_shift
        from ..models.motor_axon import motor_axon, motor_axon_environment

        model = ctx.cached("axon model", motor_axon)
        env = motor_axon_environment(e)
        row = dict(excitability_summary(model, env, pulse_durations=(0.1,)))
        act = spontaneous_activity(model, env, duration=200.0 if ctx.quick else 500.0)
        row["gating shift (mV)"] = surface_shift(model, env)
        row["fires"] = float(act.firing)
        return row

    ctx.progress(f"axon node in {e.name}")
    return ctx.cached(("axon", _key(e)), compute)


def fibre(ctx: RunContext, e: Electrolytes, *, cation_leak: float = 0.0, mode: str = "acute",
          threshold: bool = True) -> dict:
    """The muscle fibre (no EC coupling, 37 C unless ``e`` says otherwise) in ``e``: its
    stable states (``mode`` as :func:`~neuromuscle.fibre_states`), the threshold of a 0.5 ms
    pulse from the most polarised one, and, from each stable state, whether a fixed pulse
    (twice the normal fibre's threshold) fires an action potential."""
    def compute():
        import neuromuscle as nm

        model = ctx.cached(("fibre model", cation_leak), lambda: nm.muscle_fibre(cation_leak=cation_leak))
        amp = 2.0 * _fibre_normal_threshold(ctx)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            states = [s for s in nm.fibre_states(model, e, mode=mode) if s.stable]
        if not states:
            return {"rest (mV)": float("nan"), "threshold (uA/cm2)": float("nan"), "n stable": 0.0,
                    "inexcitable state": float("nan"), "AP peak (mV)": float("nan")}
        rest = states[0]
        thr = float("nan")
        if threshold:
            try:
                thr = nm.analysis.threshold_current(model, FIBRE_PULSE_MS, params=rest.params, y0=rest.y, post=10.0,
                                                    tol=1e-2, criterion="regenerative", i_max=2e4).current
            except (RuntimeError, ArithmeticError):  # no regenerative response up to i_max: inexcitable
                pass
        peaks, dead = [], 0
        for s in states:
            r = nm.analysis.pulse_response(model, amp, FIBRE_PULSE_MS, params=s.params, y0=s.y)
            peaks.append(r.peak)
            dead += not (r.regenerative and r.peak > 0.0)
        return {"rest (mV)": rest.v, "threshold (uA/cm2)": thr, "n stable": float(len(states)),
                "inexcitable state": float(dead > 0), "AP peak (mV)": float(peaks[0]),
                "states (mV)": [s.v for s in states]}

    ctx.progress(f"muscle fibre in {e.name}" + (f", cation leak {cation_leak * 1e3:g} uS/cm2" if cation_leak else ""))
    return ctx.cached(("fibre", _key(e), cation_leak, mode, threshold), compute)


def _fibre_normal_threshold(ctx: RunContext) -> float:
    def compute():
        import neuromuscle as nm

        model = ctx.cached(("fibre model", 0.0), lambda: nm.muscle_fibre(cation_leak=0.0))
        rest = nm.fibre_states(model, normal(), mode="acute")[0]
        return nm.analysis.threshold_current(model, FIBRE_PULSE_MS, params=rest.params, y0=rest.y, post=10.0,
                                             tol=1e-2).current
    return ctx.cached("fibre normal threshold", compute)


def _cold(e: Electrolytes) -> Electrolytes:
    return dataclasses.replace(e, celsius=EC_CELSIUS)


def ec_model(ctx: RunContext, e: Electrolytes | None = None, free_mg: float = 1.0, entry: bool = False):
    """The fibre with EC coupling at 16 C; with ``entry``, with Ca entry and extrusion across
    its membrane too. The EC claims use the fibre whose Ca is conserved (its SR load is the
    measured one); only the claims about Ca entry need the sarcolemmal fluxes."""
    import neuromuscle as nm

    e = _cold(e or normal())
    from ..components.ca_entry import sarcolemmal_calcium

    return ctx.cached(("ec model", _key(e), free_mg, entry),
                      lambda: nm.muscle_ec(e, free_mg=free_mg, extra=(sarcolemmal_calcium(),) if entry else ()))


def _relaxing_for(model, relax_ms: float):
    """A :func:`~neuromuscle.muscle_ec` model rebuilt from its components with its declared
    equilibrium finder relaxing the Ca system for ``relax_ms`` (ms) instead of the default
    (:func:`~neuromuscle.models.muscle_ec.ec_equilibria`); its other declarations (the fibre
    sub-model, the initial pools) are those of ``model``."""
    from ..components.declarations import ModelDeclarations
    from ..model import Model
    from ..models.muscle_ec import ec_equilibria

    comps = []
    for c in model.components:
        if isinstance(c, ModelDeclarations):
            c = copy.copy(c)
            c.equilibrium_finder = functools.partial(ec_equilibria, relax_ms=relax_ms)
        comps.append(c)
    return Model(model.name, comps, model.global_parameters, model.citation, model.description, model.stiff)


def ec_stimulus(ctx: RunContext) -> float:
    """Twice the normal fibre's threshold at 16 C (0.5 ms), the same in every EC condition."""
    from ..studies import ec_threshold

    return ctx.cached("ec stimulus", lambda: 2.0 * ec_threshold(ec_model(ctx), FIBRE_PULSE_MS))


def ec(ctx: RunContext, label: str, e: Electrolytes | None = None, *, free_mg: float = 1.0,
       overrides: dict | None = None, trains: tuple[float, ...] = (), relax_ms: float | None = None,
       entry: bool = False) -> dict:
    """One twitch (and optional 300 ms trains) of the fibre with EC coupling at 16 C.

    ``overrides`` change model parameters (``{"serca.nu_SR": ...}``); ``relax_ms`` gives the
    Ca/ATP system longer to settle at rest (a short ATP supply runs down over tens of
    minutes). Returns the resting budget and the twitch's measures (Ca uM, times ms, force
    as force-bearing bridges per regulatory unit)."""
    def compute():
        from ..studies import contraction_study

        model = ec_model(ctx, e, free_mg, entry)
        if relax_ms is not None:
            model = _relaxing_for(model, relax_ms)
        if overrides:
            model = model.with_parameters(**{k.replace(".", "__"): v for k, v in overrides.items()})
        c = contraction_study(model, amplitude=ec_stimulus(ctx), frequencies=trains,
                              train_ms=300.0 if trains else 0.0, after_ms=300.0 if trains else 150.0)
        row = {f"rest {k}": v for k, v in c.rest.items()}
        row.update({
            "dCa (uM)": c.calcium.amplitude, "Ca FDHM (ms)": c.calcium.fdhm, "released (uM)": c.released,
            "twitch": c.twitch.amplitude, "twitch half-relaxation (ms)": c.twitch.half_relaxation,
        })
        for f, tr in c.trains.items():
            row[f"{f:g} Hz peak"] = tr["peak"]
            row[f"{f:g} Hz half-relaxation (ms)"] = tr["half_relaxation"]
            row[f"{f:g} Hz residual"] = tr["residual"]
        if "ca_sl.J_in" in model.output_names:
            rec = c.records[trains[0]] if trains else c.records["twitch"]
            t = np.asarray(rec["t"])
            row["Ca entry (uM)"] = 1e3 * float(np.trapezoid(np.asarray(rec["ca_sl.J_in"]), t))
        row["rest SR free Ca (mM)"] = c.rest["SR free Ca (mM)"]
        rec = c.records[trains[0]] if trains else c.records["twitch"]
        row["tubular AP peak (mV)"] = float(np.max(np.asarray(rec["tubular_potential"])))
        row["L-type gate peak"] = float(np.max(np.asarray(rec["ca_sl.d"]))) if "ca_sl.d" in model.state_names \
            else float("nan")
        row["_twitch"] = (np.asarray(c.records["twitch"]["t"]), np.asarray(c.records["twitch"]["force"]))
        if trains:
            r = c.records[trains[0]]
            row["_train"] = (np.asarray(r["t"]), np.asarray(r["force"]))
        return row

    ctx.progress(f"fibre with EC coupling, 16 C: {label}")
    return ctx.cached(("ec", label, _key(_cold(e or normal())), free_mg, tuple(sorted((overrides or {}).items())),
                       trains, relax_ms, entry), compute)


def sarcolemmal_steady_ca(ctx: RunContext, e: Electrolytes) -> dict:
    """The resting Ca flux across the fibre's membrane in ``e`` (37 C) and the triadic free Ca
    at which the surface pump balances it: the steady state of the slow sarcolemmal loop
    (hours, so solved for directly), with the membrane at the fibre's rest and the L-type
    gate at its steady state there. The fluxes are those of
    :class:`~neuromuscle.components.ca_entry.SarcolemmalCalcium` with its default parameters."""
    def compute():
        from scipy.optimize import brentq

        import neuromuscle as nm

        from ..components.ca_entry import SarcolemmalCalcium
        from ..components.surface_charge import surface_shift

        model = ctx.cached(("fibre model", 0.0), lambda: nm.muscle_fibre(cation_leak=0.0))
        rest = [s for s in nm.fibre_states(model, e, mode="acute") if s.stable][0]
        u = float(rest.y[model.state_index[model.label("tubular_potential")]])
        par = {k: v.value for k, v in SarcolemmalCalcium.default_parameters().items()}
        phi, phi_pmca, to_flux = SarcolemmalCalcium.precompute(e.celsius, par["q10"], par["celsius_ref"],
                                                               par["q10_PMCA"], par["gamma"], par["radius"])
        shift = float(surface_shift(model, rest.params))
        d = float(SarcolemmalCalcium.steady_state(u, shift, par["V_half"], par["k"])[0])
        args = dict(V=u, dV_surface=shift, Ca_o=e.ca, Mg_o=e.mg, celsius=e.celsius, d=d, V_myo=1.0, V_myo1=1.0,
                    **{k: par[k] for k in ("P_CaL", "V_half", "k", "tau_d", "K_Ca", "K_Mg", "P_Cab", "I_PMCA",
                                           "K_PMCA")}, phi=phi, phi_pmca=phi_pmca, to_flux=to_flux)

        def out(ca):
            return SarcolemmalCalcium.equations(Ca_i=ca, **args)

        ca_ss = brentq(lambda ca: float(out(ca)[4]), 1e-9, 1e-2, xtol=1e-14)
        i_cal, i_cab, _, j_in = out(ca_ss)[:4]
        return {"influx (uM/s)": 1e6 * float(j_in), "L-type share (%)": 100.0 * float(i_cal / (i_cal + i_cab)),
                "steady Ca (nM)": 1e6 * ca_ss, "tubular rest (mV)": u}

    ctx.progress(f"sarcolemmal Ca balance at rest in {e.name}")
    return ctx.cached(("sl steady", _key(e)), compute)


def ca_entry_train(ctx: RunContext, label: str, e: Electrolytes, hz: float = 30.0) -> dict:
    """Ca entering through the fibre's membrane during a 300 ms train at 16 C, uM of myoplasm."""
    return ec(ctx, label, e, trains=(hz,), entry=True)


def myelinated_conduction(ctx: RunContext, fraction: float) -> dict:
    """Conduction velocity (m/s) and block of the myelinated axon with its myelin reduced
    to ``fraction`` of normal (through the factory's myelin argument)."""
    import inspect

    import neuromuscle as nm

    from .capabilities import DEMYELINATION_ARGUMENTS, _myelinated

    factory = _myelinated()
    params = inspect.signature(factory).parameters
    arg = next(a for a in DEMYELINATION_ARGUMENTS if a in params)
    # a short axon: stimulus at node 1, arrival timed at nodes 3 and 4 (away from both ends)
    short = {k: v for k, v in (("n_nodes", 7), ("stim_node", 1)) if k in params}
    default = params[arg].default
    if default is None:  # the factory's own value, e.g. the lamellae of its fibre diameter
        geometry = getattr(factory(**short), "geometry", None)
        default = getattr(geometry, arg, None)
        if default is None:
            raise ValueError(f"nm.motor_axon_myelinated({arg}=None) does not say its normal value")
    if arg == "g_ratio":  # thinner myelin: the axon's share of the fibre diameter rises
        value = 1.0 - (1.0 - default) * fraction
    elif isinstance(default, int) and not isinstance(default, bool):
        value = max(1, int(round(default * fraction)))
    else:
        value = default * fraction

    def compute():
        model = factory(**short, **{arg: value})
        try:
            cv = float(nm.analysis.conduction_velocity(model))
        except Exception:  # no propagated spike to time: conduction block
            cv = float("nan")
        return {"conduction velocity (m/s)": cv, "blocked": float(not np.isfinite(cv)), arg: value}

    ctx.progress(f"myelinated axon, myelin x{fraction:g}")
    return ctx.cached(("myelin", fraction), compute)
