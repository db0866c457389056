"""From nerve to force: motor axon, neuromuscular junction and muscle fibre as one ODE system.

:func:`nerve_muscle` puts an axon model (default :func:`~neuromuscle.motor_axon`, the
single node) and a muscle model (default :func:`~neuromuscle.muscle_ec`: fibre membrane,
t-tubule, SR Ca, crossbridges and ATP) side by side in one :class:`~neuromuscle.Model` and
joins them with the junction of :mod:`neuromuscle.components.nmj`: the axon's potential
drives Ca entry and release at the terminal, the released quanta open end-plate channels,
and the end-plate current flows into the fibre membrane.

Names: the muscle keeps its own (``V`` is the fibre's surface potential, so the spikes a
simulation reports are muscle action potentials); the axon's components are prefixed
``axon_`` and its membrane potential and ionic-current sum are ``V_axon`` and
``I_ion_axon``. Any other axon name that would clash with a muscle name gets the suffix
``_axon`` (e.g. ``Na_i_axon``, the axoplasm's Na), except the environment (temperature,
extracellular ions, the surface-charge shift), which both read when the values agree.
The applied current ``I_stim`` of a protocol goes to the axon; the fibre reads the global
``I_stim_muscle`` (0 by default).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable

import numpy as np

from ..components.base import Component, Parameter
from ..components.declarations import ModelDeclarations, SubModel
from ..components.environment import IonicEnvironment
from ..components.nmj import EndPlateCurrent, PresynapticRelease, cable_peak_factor, fibre_input_area
from ..electrolytes import Electrolytes
from ..model import Model
from ..steady import Equilibrium, equilibria, resting_state
from .motor_axon import motor_axon
from .muscle_ec import muscle_ec

__all__ = ["nerve_muscle", "relabel", "ENVIRONMENT", "force_variable"]

#: Shared parameters both halves read when their values agree (one Ca_o, one temperature...).
#: Quantities computed from them (the surface-charge shift ``dV_surface``) are each half's
#: own: the axon's is ``dV_surface_axon``, which the nerve terminal reads too.
ENVIRONMENT = ("celsius", "Na_o", "K_o", "Cl_o", "Ca_o", "Mg_o", "HCO3_o", "pH_o")
_ALWAYS = ("V", "I_ion")


def _shared_names(model: Model) -> set[str]:
    names = set(model.global_parameters) | set(model.sums) | set(model.__dict__.get("_shared", {}))
    for c in model.components:
        names |= {c.state_name(s) for s in c.states if s.shared}
        names |= {c.output_name(o) for o in c.outputs if o.provides}
    return names


def relabel(model: Model, mapping: dict[str, str], prefix: str = "") -> list[Component]:
    """Copies of ``model``'s components with shared names replaced by ``mapping`` (old -> new)
    in what they read, hold, provide and add to, and with ``prefix`` before their names."""
    out = []
    for c in model.components:
        if isinstance(c, ModelDeclarations):
            continue  # what the model declares about itself is declared anew by the host
        new = copy.copy(c)
        new.name = prefix + c.name
        new.inputs = {k: mapping.get(v, v) for k, v in c.inputs.items()}
        rename = dict(c.rename)
        declared = [s.name for s in c.states if s.shared] + [o.provides for o in c.outputs if o.provides] + \
                   [o.adds_to for o in c.outputs if o.adds_to] + list(getattr(c, "shared_parameters", ()))
        for s in declared:
            current = c.rename.get(s, s)
            rename[s] = mapping.get(current, current)
        new.rename = rename
        out.append(new)
    return out


def force_variable(model: Model) -> str:
    """The name of the force output of a muscle (or nerve-muscle) model: ``force`` (the shared
    variable the thin filament provides: force-bearing bridges per regulatory unit), or an
    output whose name ends in ``F_rel``."""
    if "force" in model.labels:
        return model.label("force")
    hits = [n for n in model.output_names if n == "force" or n.endswith("F_rel")]
    if not hits:
        raise KeyError(f"model {model.name!r} has no force output ('force' or a name ending in 'F_rel')")
    return hits[0]


def nerve_muscle(
    electrolytes: Electrolytes | str | None = None,
    *,
    axon: Callable[[Electrolytes], Model] | Model | None = None,
    muscle: Callable[[Electrolytes], Model] | Model | None = muscle_ec,
    terminal: str = "V",
    junction: dict | None = None,
) -> Model:
    """Motor axon, neuromuscular junction and muscle fibre in one ODE system.

    Parameters
    ----------
    electrolytes : Electrolytes or str, optional
        The one ionic environment every compartment reads (default normal plasma, 37 C); a
        preset name is accepted.
    axon : callable or Model, optional
        The axon end: a factory called with ``electrolytes`` (default
        :func:`~neuromuscle.motor_axon`) or a built model. Its potential ``terminal``
        drives the nerve terminal.
    muscle : callable or Model or None
        The muscle end: a factory called with ``electrolytes`` (default
        :func:`~neuromuscle.muscle_ec`; :func:`~neuromuscle.muscle_fibre` gives the
        membrane without Ca handling) or a built model. ``None``: axon and nerve terminal
        only (release, no end-plate).
    terminal : str
        Name, in the axon model, of the potential the terminal sees (default ``"V"``; for a
        multi-node axon, the last node's).
    junction : dict, optional
        Parameter values for the terminal (``{"nmj.K_Mg": 2.0}``-style keys without the
        component name: ``{"K_Mg": 2.0}``) and the end-plate (``{"endplate.g_q": ...}``);
        keys ``"nmj.<p>"`` or ``"endplate.<p>"``.

    Returns
    -------
    Model
        With the muscle's states and parameters under their own names, the axon's under
        ``axon_*`` (potential ``V_axon``), and ``nmj.*`` (terminal: Ca-channel gate, pool,
        released-quanta counter ``nmj.Q``) and ``endplate.*``. Attributes ``axon``,
        ``muscle`` (the sub-models), ``force`` (name of the force output, if the muscle has
        one); ``submodel_names`` maps each sub-model's names to the
        chain's. The sub-models, the equilibrium finder and the labels are declared by a
        :class:`~neuromuscle.components.declarations.ModelDeclarations` component, so a
        chain recomposed from its components with a new channel keeps them. Its equilibrium
        finder composes the axon's and the muscle's resting states, so
        :func:`~neuromuscle.simulate` starts from rest.

    Examples
    --------
    >>> import neuromuscle as nm
    >>> model = nm.nerve_muscle()                                         # doctest: +SKIP
    >>> run = nm.simulate(model, nm.Pulse(200.0, 2.0, 0.1), 200.0, dt=0.05)  # doctest: +SKIP
    >>> run[model.force].max()                                            # doctest: +SKIP
    """
    if isinstance(electrolytes, str):
        electrolytes = Electrolytes.preset(electrolytes)
    e = electrolytes or Electrolytes.preset("normal")
    axon = axon if axon is not None else motor_axon
    ax = axon if isinstance(axon, Model) else axon(e)
    mu = None
    if muscle is not None:
        mu = muscle if isinstance(muscle, Model) else muscle(e)
    if terminal not in ax.state_index:
        raise ValueError(f"terminal = {terminal!r} is not a state of the axon model {ax.name!r}; "
                         f"its states: {ax.state_names}")

    # which axon names must move out of the muscle's way
    mu_names = _shared_names(mu) if mu is not None else set()
    mu_values = ({k: p.value for k, p in {**mu.global_parameters, **mu.__dict__.get("_shared", {})}.items()}
                 if mu is not None else {})
    ax_values = {k: p.value for k, p in {**ax.global_parameters, **ax.__dict__.get("_shared", {})}.items()}
    mapping = {}
    for name in _shared_names(ax) | {terminal}:
        keep_env = name in ENVIRONMENT and name in ax_values and (name not in mu_values or (
            name in ax_values and np.isclose(ax_values[name], mu_values[name])))
        # with no muscle the axon keeps its names (its V is then the one spikes are read from)
        if (mu is not None and (name in _ALWAYS or name == terminal)) or (name in mu_names and not keep_env):
            mapping[name] = f"{name}_axon"
    comps = relabel(ax, mapping, "axon_")
    # model-wide inputs of the chain, as a component so that a recomposed chain keeps them
    inputs = {mapping.get(k, k): p for k, p in ax.global_parameters.items()}

    src_e = f"input: electrolytes {e.name!r}"
    for key, ion, desc in (("Ca_o", e.ca, "Extracellular ionised Ca"), ("Mg_o", e.mg, "Extracellular ionised Mg")):
        inputs.setdefault(key, Parameter(ion, "mM", src_e, desc, (0.0, 100.0)))
    jpar = dict(junction or {})
    pre = {k.split(".", 1)[1]: v for k, v in jpar.items() if k.startswith("nmj.")}
    post = {k.split(".", 1)[1]: v for k, v in jpar.items() if k.startswith("endplate.")}
    bad = [k for k in jpar if not k.startswith(("nmj.", "endplate."))]
    if bad:
        raise KeyError(f"junction keys must start with 'nmj.' or 'endplate.', got {bad}")
    # the terminal is axon membrane: it reads the axon's potential and gating shift
    comps.append(PresynapticRelease("nmj", parameters=pre, inputs={
        "V": mapping.get(terminal, terminal), "dV_surface": mapping.get("dV_surface", "dV_surface")}))

    if mu is not None:
        for c in mu.components:
            if isinstance(c, ModelDeclarations):
                continue
            new = copy.copy(c)
            if c.inputs.get("I_stim") == "I_stim":
                new.inputs = {**c.inputs, "I_stim": "I_stim_muscle"}
            comps.append(new)
        for k, p in mu.global_parameters.items():
            if k in inputs and not np.isclose(inputs[k].value, p.value):
                raise ValueError(f"axon and muscle disagree on {k!r} ({inputs[k].value} vs {p.value})")
            inputs[k] = p
        inputs["I_stim_muscle"] = Parameter(0.0, "uA/cm2", "input: no current applied to the fibre",
                                            "Current applied to the muscle fibre", (-1e4, 1e4))
        if "A_fibre" not in post:
            # the component's parameter (unit, bounds, label) with the model fibre's area
            area, a_dc, factor = _endplate_area()
            post["A_fibre"] = EndPlateCurrent.default_parameters()["A_fibre"].with_value(
                area, f"derived: fibre_input_area() with the resting slope conductance of the model fibre in normal "
                f"plasma at 37 C ({a_dc:.4g} cm2), over cable_peak_factor() ({factor:.3f}: the peak miniature EPP at "
                "the middle of an infinite fibre of the same membrane over the DC patch's); an anatomical constant, "
                "kept in every condition")
        comps.append(EndPlateCurrent("endplate", parameters=post))
    # Ca_o and Mg_o only where neither half declares them
    declared = {c.parameter_name(k) for c in comps for k in c.shared_parameters}
    inputs = {k: p for k, p in inputs.items() if k not in declared}
    if inputs:
        comps.append(IonicEnvironment("chain_inputs", inputs))
    submodels = {"axon": SubModel(ax, "axon_", mapping)}
    if mu is not None:
        submodels["muscle"] = SubModel(mu, "", {"I_stim": "I_stim_muscle"})
    force = None
    if mu is not None:
        try:
            force = force_variable(mu)
        except KeyError:
            pass
    comps.append(ModelDeclarations(
        components=[c.name for c in comps], equilibrium_finder=_chain_equilibria, submodels=submodels,
        # the muscle's labels (its membrane, force, Ca) are declared by its components
        labels={"axon_potential": mapping.get(terminal, terminal)},
        stiff=bool(mu is not None and mu.stiff) or ax.stiff, electrolytes=e,
        attributes={"axon_potential": mapping.get(terminal, terminal), "force": force,
                    **({"muscle": None} if mu is None else {})}))
    return Model(
        "nerve_muscle" if mu is not None else "nerve_terminal", comps,
        citation=f"axon: {ax.citation}; junction: {PresynapticRelease.citation}; {EndPlateCurrent.citation}"
                 + (f"; muscle: {mu.citation}" if mu is not None else ""),
        description=f"{ax.description} -> neuromuscular junction" + (f" -> {mu.description}" if mu else ""),
    )


def na_block(model: Model) -> dict:
    """Parameter overrides that block a chain's muscle-fibre Na channels (as mu-conotoxin does),
    so that end-plate potentials can be read without the fibre firing."""
    out = {}
    for c in model.muscle.components:
        if "Sodium" in type(c).__name__:
            out.update({f"{c.name}.{k}": 0.0 for k in ("g", "P") if k in c.parameters})
    return out


def one_quantum(model: Model, params: dict, t_end: float, *, dt: float = 0.005):
    """Simulate one quantum released into a chain's end-plate at rest.

    The nerve is silent (no evoked release), the fibre's Na channels are blocked
    (:func:`na_block`), and one quantum is put into the end-plate's transmitter state at
    t = 0, as when miniature potentials are recorded from a fibre that does not fire.

    Parameters
    ----------
    model : Model
        A :func:`nerve_muscle` model with a muscle.
    params : dict
        Parameter overrides (the block and the silent nerve are added to them).
    t_end, dt : float
        Record length and output step, ms.

    Returns
    -------
    SimulationResult
    """
    from ..simulation import simulate

    quiet = {**params, **na_block(model), "nmj.k_rel": 0.0}
    y0 = resting_state(model, model.parameter_vector(quiet)).y.copy()
    y0[model.state_index[model.label("endplate_transmitter")]] = 1.0
    return simulate(model, None, t_end, params=quiet, y0=y0, dt=dt)


@functools.lru_cache(maxsize=1)
def _endplate_area() -> tuple[float, float, float]:
    """The end-plate current's area: the DC patch of :func:`_input_area` made as small as makes its
    peak miniature EPP that of a long fibre of the same membrane (:func:`cable_peak_factor`), in
    normal plasma at 37 C. Returns (area, DC area, factor)."""
    from .muscle_fibre import muscle_fibre

    a_dc = _input_area()
    model = nerve_muscle(Electrolytes.preset("normal"), muscle=muscle_fibre, junction={"endplate.A_fibre": a_dc})
    dt = 0.005
    run = one_quantum(model, {}, 60.0, dt=dt)
    t = np.arange(0.0, 60.0, dt)
    v = np.interp(t, run.t, np.asarray(run[model.label("membrane_potential")]))
    i = -np.interp(t, run.t, np.asarray(run[model.label("endplate_current")]))
    factor = cable_peak_factor(t, i, v - v[0])
    return a_dc / factor, a_dc, factor


@functools.lru_cache(maxsize=1)
def _input_area() -> float:
    """Area for the end-plate current: :func:`fibre_input_area` with the fibre's resting
    ionic slope conductance (surface plus tubule, per cm2 of surface; V and u moved
    together with the gates held, so the access current does not change)."""
    from .muscle_fibre import muscle_fibre

    mu = muscle_fibre(Electrolytes.preset("normal"))
    y = resting_state(mu).y
    p = mu.parameter_vector()
    dv = 1e-3
    idx = [mu.state_index[k] for k in ("V", "u") if k in mu.state_index]
    up, dn = y.copy(), y.copy()
    up[idx] += dv
    dn[idx] -= dv
    obs_up, obs_dn = mu.observables(0.0, up, p), mu.observables(0.0, dn, p)
    g = (obs_up["I_ion"] - obs_dn["I_ion"]) / (2 * dv)
    if "I_ion_t" in obs_up:
        g = g + mu.parameters["access.gamma"].value * (obs_up["I_ion_t"] - obs_dn["I_ion_t"]) / (2 * dv)
    return fibre_input_area(float(g))


def _chain_equilibria(model: Model, p=None, i_stim: float = 0.0, v_range=(-150.0, 60.0), n_grid: int = 4201):
    """Equilibria of a :func:`nerve_muscle` model: the axon's resting state (with ``i_stim``
    applied to it) with the terminal relaxed at it, combined with each equilibrium of the
    muscle. The coupling runs one way (axon -> terminal -> end-plate -> fibre) and the
    resting release is negligible (~1e-20 quanta/ms), so the Jacobian is block triangular
    and the eigenvalues are those of the parts."""
    n_base = len(model.parameter_names)
    p = model.parameter_vector() if p is None else np.asarray(p, dtype=float)[:n_base]
    key = (p.tobytes(), float(i_stim))
    cache = model.__dict__.setdefault("_rest_cache", {})
    if key in cache:
        return cache[key]
    ax, mu = model.axon, model.muscle
    a_eq = resting_state(ax, model.submodel_parameters("axon", p), i_stim)
    y = model.initial_state.copy()
    si = model.state_index
    amap = model.submodel_names["axon"]["states"]
    for name in ax.state_names:
        y[si[amap[name]]] = a_eq.y[ax.state_index[name]]
    v_ax = a_eq.y[ax.state_index[_terminal_state(model)]]
    pf = model.full_parameters(p)
    # the terminal's gating shift: what the model computes for it from the electrolytes
    ds = model.observables(0.0, y, pf)[model.component("nmj").inputs["dV_surface"]]
    surf = pf[model.parameter_index["nmj.surface"]]
    m_inf, n_full, _ = PresynapticRelease.steady_state(np.asarray(v_ax), np.asarray(ds), surf)
    y[si["nmj.m"]], y[si["nmj.N"]], y[si["nmj.Q"]] = float(m_inf), 1.0, 0.0
    found = []
    if mu is None:
        found.append(Equilibrium(float(v_ax), y, np.asarray(a_eq.eigenvalues), float(i_stim)))
    else:
        mmap = model.submodel_names["muscle"]["states"]
        for eq in equilibria(mu, model.submodel_parameters("muscle", p), 0.0):
            yy = y.copy()
            for name in mu.state_names:
                yy[si[mmap[name]]] = eq.y[mu.state_index[name]]
            yy[si["endplate.A"]] = yy[si["endplate.G"]] = 0.0
            eig = np.concatenate([np.asarray(eq.eigenvalues), np.asarray(a_eq.eigenvalues)])
            found.append(Equilibrium(eq.v, yy, eig[np.argsort(-eig.real)], float(i_stim)))
    cache[key] = found
    return found


def _terminal_state(model: Model) -> str:
    """The axon sub-model's name of the potential the terminal sees."""
    inv = {v: k for k, v in model.submodel_names["axon"]["states"].items()}
    return inv[model.axon_potential]
