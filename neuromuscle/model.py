"""Compose components into one ODE system.

:class:`Model` lays out the state vector and the parameter vector, orders the
components so that every shared variable is computed before it is read, and
*generates* the right-hand side as Python source that calls each component's own
``equations`` function. The generated functions take arrays whose first axis is the
state (or parameter) index and whose optional further axes form a batch, so a whole
parameter sweep can be evaluated in one call. A compiled fast path can compile the very
same generated source: there is one copy of the physiology.

Shared variables that are always present:

``I_stim``
    Applied (stimulus) current density, uA/cm2, positive = depolarising. Supplied by
    the protocol at each time.
``t``
    Time, ms.
"""

from __future__ import annotations

import copy
import keyword
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ._validate import check_range
from .components.base import Component, Parameter
from .components.declarations import BANDED_BY_COMPARTMENT, ModelDeclarations, SubModel

__all__ = ["Model", "VariableInfo", "LABELS", "check_model"]

#: Semantic labels a model can answer (:meth:`Model.label`), so that studies and users can
#: ask for a quantity without knowing the instance names of a particular model.
LABELS = {
    "membrane_potential": "Membrane potential of the (surface) membrane, mV",
    "force": "Force, as force-bearing crossbridges per regulatory unit (1)",
    "ca_release_flux": "Ca release flux from the SR into the myoplasm, mM/ms",
    "cytosolic_ca": "Free cytosolic (myoplasmic) Ca, mM",
    "mgatp": "Cytosolic MgATP, mM",
    "ca_uptake_flux": "Ca uptake by the SR pump (SERCA), mM/ms",
    "atp_use": "ATP use of the myoplasm (myosin, SERCA, Na/K pump), mM/ms",
    "pump_atp_use": "ATP used by the Na/K pump, per volume of myoplasm, mM/ms",
    "tubular_potential": "Membrane potential of the t-tubule, mV",
    "axon_potential": "Membrane potential of the motor axon at its terminal, mV",
    "quanta_released": "Quanta released by the motor-nerve terminal since the start (a counter)",
    "transmitter_release_rate": "Transmitter release rate at the motor-nerve terminal, quanta/ms",
    "releasable_pool": "Available fraction of the terminal's readily releasable pool (1)",
    "endplate_current": "End-plate current, nA (inward negative)",
    "endplate_conductance": "End-plate conductance, mS/cm2 of the fibre area it charges",
    "endplate_transmitter": "Released transmitter at the end plate not yet acting on its channels, quanta",
    "endplate_fibre_area": "Fibre membrane area the end-plate current charges, cm2 (a parameter)",
    "atp_supply_capacity": "Capacity of the metabolic ATP supply, mM/ms (a parameter)",
    "serca_capacity": "Maximal SERCA pump rate, a parameter (its unit is the model's)",
    "sr_free_ca": "Free Ca in the (longitudinal, bulk) SR, mM",
    "terminal_sr_free_ca": "Free Ca in the terminal SR beside the release sites, mM",
    "bulk_cytosolic_ca": "Free Ca in the bulk myoplasm, where the thin filament is, mM",
    "triadic_cytosolic_ca": "Free Ca in the triadic myoplasm beside the release sites, mM",
}

#: Variables the model supplies to every component.
BUILTIN_INPUTS = {
    "t": ("ms", "Time"),
    "I_stim": ("uA/cm2", "Applied stimulus current density (positive depolarises)"),
}


@dataclass(frozen=True)
class VariableInfo:
    """Unit and description of a named model variable (state, output, sum or parameter)."""

    name: str
    unit: str
    description: str
    kind: str  # "state", "output", "sum", "parameter", "input"


def _const_ident(comp: Component, key: str) -> str:
    return f"_k_{_ident(comp.name)}__{key}"


def _ident(name: str) -> str:
    ident = name.replace(".", "__")
    if not ident.isidentifier() or keyword.iskeyword(ident):
        raise ValueError(f"variable name {name!r} cannot be used as an identifier")
    return ident


def _user_set(par: Parameter) -> str:
    """The source of a value set in place of ``par``'s: a user input, with the default it replaces."""
    if par.source.startswith("input: user-set"):
        return par.source
    return f"input: user-set (default {par.value:g}, {par.source})"


class Model:
    """A set of components composed into one ODE system.

    Parameters
    ----------
    name : str
        Model name.
    components : sequence of Component
        The components. Their order does not matter; the model orders them by what they
        read and write.
    global_parameters : mapping of str to Parameter, optional
        Model-wide parameters readable by any component (e.g. ``celsius``), besides those
        components declare as shared (:class:`~neuromuscle.components.environment.IonicEnvironment`).
        Prefer a component: parameters given here are not part of ``components``, so a
        model recomposed from ``model.components`` does not have them.
    citation : str
        The publication the model as a whole comes from.
    description : str
        One paragraph for users.
    stiff : bool
        Whether the system is stiff (the default engine then uses LSODA).
    equilibrium_finder : callable, optional
        Replacement for the generic equilibrium search, same signature as
        :func:`neuromuscle.steady.equilibria`.
    submodels : mapping of str to Model or SubModel, optional
        Models this one is built from and uses (readable as attributes, ``model.fibre``);
        a :class:`~neuromuscle.components.declarations.SubModel` says under which prefix and
        names its components appear here. :attr:`submodel_names` maps their names to this
        model's.
    electrolytes : Electrolytes, optional
        The electrolytes the model was built in, as a record (the parameters carry them).
    aliases : mapping of str to str, optional
        Extra names for states, e.g. ``{"V": "V[110]"}`` for the recorded compartment of a
        cable; they index results and :attr:`state_index` like the state itself.
    labels : mapping of str to str, optional
        Semantic labels (:data:`LABELS`) -> variable names, besides those the components
        declare (the membrane's ``V`` is ``"membrane_potential"``). Results are indexable
        by label: ``res["force"]``.

    Notes
    -----
    A :class:`~neuromuscle.components.declarations.ModelDeclarations` among the components
    supplies the equilibrium finder, sub-models, aliases, labels, Jacobian band, initial
    values and attributes its factory declared; the arguments above, when given, take
    precedence. A model recomposed from ``model.components`` plus new components therefore
    keeps them, and each new component joins every sub-model in which everything it reads
    and adds to exists.

    Compartmental components (``Component(..., compartments=n)``) hold each state as an
    array over n compartments. Their states follow the scalar ones in the state vector,
    interleaved by compartment: every state of compartment 0, then of compartment 1, ...
    (named ``"<state>[k]"``). A cable whose compartments couple only to their neighbours
    then has a banded Jacobian (:attr:`jacobian_bandwidth` gives its half-width when the
    factory declares it). All compartmental components of a model span the same
    compartments.
    """

    def __init__(
        self,
        name: str,
        components: Sequence[Component],
        global_parameters: Mapping[str, Parameter] | None = None,
        citation: str = "",
        description: str = "",
        stiff: bool = False,
        *,
        equilibrium_finder: Callable | None = None,
        submodels: Mapping[str, Model] | None = None,
        electrolytes=None,
        aliases: Mapping[str, str] | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        decls = [c for c in components if isinstance(c, ModelDeclarations)]
        #: What the constructor was given besides the components (what with_parameters repeats).
        self._given = {"equilibrium_finder": equilibrium_finder, "submodels": dict(submodels or {}),
                       "electrolytes": electrolytes, "aliases": dict(aliases or {}), "labels": dict(labels or {})}
        merged_aliases: dict[str, str] = {}
        merged_labels: dict[str, str] = {}
        for d in decls:
            merged_aliases.update(d.aliases)
            merged_labels.update(d.labels)
        self.aliases = {**merged_aliases, **dict(aliases or {})}
        #: Half-width (lower, upper) of the Jacobian's band, if the factory knows it (a cable
        #: with states interleaved by compartment); LSODA then uses a banded Jacobian.
        self.jacobian_bandwidth: tuple[int, int] | None = None
        #: Declared stiff (e.g. fast buffers): the default engine then uses an implicit method.
        self.stiff = bool(stiff) or any(bool(d.stiff) for d in decls)
        #: The :class:`~neuromuscle.electrolytes.Electrolytes` the model was built in (a
        #: record only: the electrolytes themselves are the parameters ``Na_o``, ``Ca_o``, ...
        #: that :func:`neuromuscle.electrolytes.model_parameters` maps to).
        self.electrolytes = electrolytes if electrolytes is not None else next(
            (d.electrolytes for d in decls if d.electrolytes is not None), None)
        finders = {d.equilibrium_finder for d in decls if d.equilibrium_finder is not None}
        if equilibrium_finder is None and len(finders) > 1:
            raise ValueError(f"model {name!r}: components {[d.name for d in decls]} declare different "
                             "equilibrium finders; give one with Model(..., equilibrium_finder=...)")
        #: Optional replacement for the generic equilibrium search of
        #: :func:`neuromuscle.steady.equilibria` (same signature), for models whose
        #: non-voltage states need more than a steady-state guess (a t-tubule's K).
        self.equilibrium_finder: Callable | None = (
            equilibrium_finder if equilibrium_finder is not None else next(iter(finders), None))
        self.citation = citation
        self.description = description
        self.global_parameters = dict(global_parameters or {})
        names = [c.name for c in components]
        if len(set(names)) != len(names):
            raise ValueError(f"component names must be unique, got {names}")
        self._shared = self._shared_parameters(list(components))
        self.components = self._order(list(components))
        self._build_layout()
        #: Models this one was built from and still uses (e.g. the fibre of a fibre with EC
        #: coupling, whose equilibria it relaxes); also readable as attributes. A component
        #: added to a published model joins each sub-model in which it can be evaluated.
        self.submodels: dict[str, Model] = {}
        #: Per sub-model: ``{"states": {sub name: name here}, "parameters": {...}}``.
        self.submodel_names: dict[str, dict[str, dict[str, str]]] = {}
        declared = {k: v for d in decls for k, v in d.submodels.items()}
        declared.update({k: v if isinstance(v, SubModel) else SubModel(v) for k, v in (submodels or {}).items()})
        known = {n for d in decls for n in d.declared_components} | {d.name for d in decls}
        added = [c for c in components if decls and c.name not in known]
        for key, sub in declared.items():
            self._add_submodel(key, sub, added)
        self._apply_declarations(decls)
        self.labels = self._collect_labels({**merged_labels, **dict(labels or {})})
        self._functions: dict[str, Callable] = {}
        self._prepared: list[tuple[np.ndarray, np.ndarray]] = []

    def _apply_declarations(self, decls: list[ModelDeclarations]) -> None:
        """Initial values, Jacobian band and attributes that the components declare."""
        for d in decls:
            for state, value in d.initial.items():
                if state in self.state_index:
                    self.initial_state[self.state_index[state]] = value
            if d.jacobian_bandwidth == BANDED_BY_COMPARTMENT:
                # the band holds only while every state is one of the interleaved compartments'
                if self.n_compartments and len(self.state_names) == len(self.array_states) * self.n_compartments:
                    self.jacobian_bandwidth = (len(self.array_states) + 1,) * 2
            elif d.jacobian_bandwidth is not None:
                self.jacobian_bandwidth = tuple(int(b) for b in d.jacobian_bandwidth)
            for key, value in d.attributes.items():
                if key not in self.__dict__:
                    setattr(self, key, value)

    def _add_submodel(self, key: str, sub: SubModel, added: list[Component]) -> None:
        """The sub-model ``key`` with the added components that can be evaluated in it, and
        the names its states and parameters have here."""
        base = sub.model
        back = {v: k for k, v in sub.mapping.items()}  # name here -> name in the sub-model
        own = {c.output_name(o) for c in added for o in c.outputs} | {c.state_name(st) for c in added
                                                                       for st in c.states}

        def there(name: str) -> str | None:
            """The sub-model's name for a variable named ``name`` here (None: not in it)."""
            if name in back:
                return back[name]
            if name in sub.mapping:
                return None  # the sub-model's variable of that name is called otherwise here
            if "." in name and name not in own and sub.prefix:
                return name[len(sub.prefix):] if name.startswith(sub.prefix) else None
            return name

        available = set(base.variables) | set(BUILTIN_INPUTS) | own
        joined = []
        for c in added:
            if c.compartments != base.n_compartments:
                continue
            inputs = {k: there(v) for k, v in c.inputs.items()}
            sums = [there(c.sum_name(o)) for o in c.outputs if o.adds_to]
            if all(v in available for v in inputs.values()) and all(s in base.sums for s in sums):
                new = copy.copy(c)
                new.inputs = inputs
                rename = dict(c.rename)
                for s in ([st.name for st in c.states if st.shared] + [o.provides for o in c.outputs if o.provides]
                          + [o.adds_to for o in c.outputs if o.adds_to] + list(c.shared_parameters)):
                    current = c.rename.get(s, s)
                    rename[s] = there(current) or current
                new.rename = rename
                joined.append(new)
        model = base if not joined else Model(base.name, list(base.components) + joined, base.global_parameters,
                                              base.citation, base.description, base.stiff,
                                              **{k: v for k, v in base._given.items()})
        for name in base.state_names if joined else ():  # the states' order may change: by name
            model.initial_state[model.state_index[name]] = base.initial_state[base.state_index[name]]
        joined_names = {c.name for c in joined}

        def host(comp, local_name, shared):
            # shared names as mapped; the sub-model's own components carry the prefix here,
            # a joined component its name here
            if shared:
                return sub.mapping.get(local_name, local_name)
            return local_name if comp.name in joined_names else sub.prefix + local_name

        states, params = {}, {}
        for c in model.components:
            for st in c.states:
                gname = c.state_name(st)
                hname = host(c, gname, st.shared)
                if c.compartments:
                    for k in range(c.compartments):
                        states[f"{gname}[{k}]"] = f"{hname}[{k}]"
                else:
                    states[gname] = hname
            for k in c.parameters:
                gname = c.parameter_name(k)
                params[gname] = host(c, gname, k in c.shared_parameters)
        for k in model.global_parameters:
            params[k] = sub.mapping.get(k, k)
        missing = [h for h in states.values() if h not in self.state_index]
        if missing:
            raise ValueError(f"sub-model {key!r} of model {self.name!r}: states {missing[:5]} are not states of "
                             "the model (check the sub-model's prefix and mapping)")
        # a parameter the host does not have (the fibre's fixed ATP_i, which the Ca system replaces
        # by its MgATP) keeps the sub-model's own value
        params = {k: v for k, v in params.items() if v in self.parameter_index}
        self.submodels[key] = model
        self.submodel_names[key] = {"states": states, "parameters": params}
        # the sub-model's initial state (its pools) is this model's, unless declared otherwise
        for name, here in states.items():
            self.initial_state[self.state_index[here]] = model.initial_state[model.state_index[name]]

    def submodel_parameters(self, key: str, p=None) -> np.ndarray:
        """The parameter vector of sub-model ``key`` with the values of this model's ``p``."""
        sub = self.submodels[key]
        p = self.parameter_vector() if p is None else np.asarray(p, dtype=float)
        q = sub.parameter_vector()
        for name, here in self.submodel_names[key]["parameters"].items():
            q[sub.parameter_index[name]] = p[self.parameter_index[here]]
        return q

    def __getattr__(self, name: str):
        # sub-models read as attributes (``model.fibre``); guarded for unpickling
        if name != "submodels" and name in self.__dict__.get("submodels", {}):
            return self.__dict__["submodels"][name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _collect_labels(self, given: dict[str, str]) -> dict[str, str]:
        """Labels given to the constructor, then those declared by the components' states,
        outputs and parameters (not renamed). An output that adds to a sum labels the sum
        (every SERCA, myosin and pump term of ``J_ATP`` says ``"atp_use"``). A label that
        two variables claim is left to ``labels=``."""
        declared: dict[str, set[str]] = {}
        for c in self.components:
            for st in c.states:
                if st.label and not (st.shared and st.name in c.rename):
                    declared.setdefault(st.label, set()).add(c.state_name(st))
            for out in c.outputs:
                if not out.label:
                    continue
                if out.adds_to:
                    declared.setdefault(out.label, set()).add(c.sum_name(out))
                elif not (out.provides and out.provides in c.rename):
                    declared.setdefault(out.label, set()).add(c.output_name(out))
            for key, par in c.parameters.items():
                if par.label:
                    declared.setdefault(par.label, set()).add(c.parameter_name(key))
        # a compartmental state is known only by compartment ("V[3]") or by an alias
        declared = {k: {n for n in v if n in self.variables} for k, v in declared.items()}
        declared = {k: v for k, v in declared.items() if v}
        labels = {k: next(iter(v)) for k, v in declared.items() if len(v) == 1}
        self._ambiguous_labels = {k: sorted(v) for k, v in declared.items() if len(v) > 1}
        for label, name in given.items():
            if name not in self.variables:
                raise ValueError(f"label {label!r} names {name!r}, which is not a variable of model {self.name!r}")
            labels[label] = name
            self._ambiguous_labels.pop(label, None)
        return labels

    def label(self, label: str, default: str | None = None) -> str:
        """The variable name behind a semantic label (:data:`LABELS`), e.g.
        ``model.label("membrane_potential")`` -> ``"V"``.

        Parameters
        ----------
        label : str
            The semantic label.
        default : str, optional
            Returned if the model has no such label (a hand-built model whose membrane
            declares none); without it a missing label is an error.

        Raises
        ------
        KeyError
            If the model has no such label and no default is given (the message lists the
            labels it has).
        """
        try:
            return self.labels[label]
        except KeyError:
            if default is not None:
                return default
            amb = self.__dict__.get("_ambiguous_labels", {}).get(label)
            why = f"; declared by {amb}: choose one with Model(..., labels=...)" if amb else ""
            raise KeyError(f"model {self.name!r} has no label {label!r}{why}; it has {sorted(self.labels)}") from None

    def _shared_parameters(self, comps: list[Component]) -> dict[str, Parameter]:
        """Model-wide parameters: the global ones given, then those components share.

        The same name may be declared more than once only with the same value and unit.
        """
        shared = dict(self.global_parameters)
        for c in comps:
            for key in c.shared_parameters:
                gname, par = c.parameter_name(key), c.parameters[key]
                old = shared.get(gname)
                if old is not None and (old.value != par.value or old.unit != par.unit):
                    raise ValueError(
                        f"model-wide parameter {gname!r} is declared twice with different values: "
                        f"{old.value:g} {old.unit} and {par.value:g} {par.unit} (component {c.name!r})"
                    )
                shared.setdefault(gname, par)
        return shared

    # ------------------------------------------------------------------ layout
    def _build_layout(self) -> None:
        self.state_names: list[str] = []
        self.variables: dict[str, VariableInfo] = {}
        initial = []
        # Shared states (the membrane potential V) first, so V is always index 0 when present.
        layout = sorted(self.components, key=lambda c: not any(s.shared for s in c.states))
        for comp in layout:
            if comp.compartments:
                continue
            for st in comp.states:
                gname = comp.state_name(st)
                self.state_names.append(gname)
                initial.append(st.initial)
                self.variables[gname] = VariableInfo(gname, st.unit, st.description, "state")
        self._layout_compartments(layout, initial)
        self.initial_state = np.array(initial, dtype=float)

        self.parameter_names: list[str] = list(self._shared)
        self.parameters: dict[str, Parameter] = dict(self._shared)
        for comp in self.components:
            for key, par in comp.parameters.items():
                if key in comp.shared_parameters:
                    continue
                gname = comp.parameter_name(key)
                self.parameter_names.append(gname)
                self.parameters[gname] = par
        for gname, par in self.parameters.items():
            self.variables[gname] = VariableInfo(gname, par.unit, par.description, "parameter")
        #: Quantities computed from parameters only (e.g. Q10 factors), stored after the
        #: parameters in the "full" parameter vector the generated functions read.
        self.derived_names: list[str] = [f"{c.name}.{d}" for c in self.components for d in c.precomputed]
        #: Compartmental constants (geometry, density masks) follow the derived rows in the full
        #: parameter vector, one row per compartment, so compiled code does not depend on
        #: their values: (component, constant) -> (first row, end row).
        self.constant_rows: dict[tuple[str, str], tuple[int, int]] = {}
        row = len(self.parameter_names) + len(self.derived_names)
        for c in self.components:
            for key, arr in c.constants.items():
                self.constant_rows[(c.name, key)] = (row, row + arr.size)
                row += arr.size
        self._n_full = row

        self.output_names: list[str] = []
        self.sums: dict[str, list[str]] = {}
        sum_units: dict[str, str] = {}
        for comp in self.components:
            for out in comp.outputs:
                gname = comp.output_name(out)
                if gname in self.variables:
                    # two writers of one name: readers would see whichever ran last
                    raise ValueError(f"component {comp.name!r} provides {gname!r}, which is already a variable "
                                     f"of model {self.name!r}; rename one of them (Component(..., rename=...))")
                self.output_names.append(gname)
                self.variables[gname] = VariableInfo(gname, out.unit, out.description, "output")
                target = comp.sum_name(out)
                if target:
                    unit = sum_units.setdefault(target, out.unit)
                    if unit != out.unit:
                        raise ValueError(
                            f"{gname} adds to {target} in {out.unit}, but other terms of "
                            f"{target} are in {unit}"
                        )
                    self.sums.setdefault(target, []).append(gname)
        for sname, unit in sum_units.items():
            self.variables[sname] = VariableInfo(sname, unit, f"Sum of {', '.join(self.sums[sname])}", "sum")
        for bname, (unit, desc) in BUILTIN_INPUTS.items():
            self.variables[bname] = VariableInfo(bname, unit, desc, "input")
        self.state_index = {n: i for i, n in enumerate(self.state_names)}
        for alias, target in self.aliases.items():
            if target not in self.state_index or alias in self.state_index:
                raise ValueError(f"alias {alias!r} -> {target!r}: the target must be a state and the alias "
                                 "a new name")
            self.state_index[alias] = self.state_index[target]
            info = self.variables[target]
            self.variables[alias] = VariableInfo(alias, info.unit, f"{info.description} ({target})", "state")
        self.parameter_index = {n: i for i, n in enumerate(self.parameter_names)}

    def _layout_compartments(self, layout: list[Component], initial: list[float]) -> None:
        """Place the states of compartmental components, interleaved by compartment."""
        #: model-wide state name -> (start, stop, step) of its array in the state vector
        self.array_states: dict[str, tuple[int, int, int]] = {}
        comps = [c for c in layout if c.compartments]
        self.n_compartments = comps[0].compartments if comps else 0
        bad = [c.name for c in comps if c.compartments != self.n_compartments]
        if bad:
            raise ValueError(f"compartmental components {bad} do not span the {self.n_compartments} "
                             f"compartments of {comps[0].name!r}")
        slots = [(c, st) for c in comps for st in c.states]
        base, n_slots, n = len(self.state_names), len(slots), self.n_compartments
        for j, (comp, st) in enumerate(slots):
            gname = comp.state_name(st)
            self.array_states[gname] = (base + j, base + j + n * n_slots, n_slots)
            self.variables[gname] = VariableInfo(gname, st.unit, f"{st.description} (array over compartments)",
                                                 "state")
        for k in range(n):
            for comp, st in slots:
                gname = f"{comp.state_name(st)}[{k}]"
                self.state_names.append(gname)
                initial.append(st.initial)
                self.variables[gname] = VariableInfo(gname, st.unit, f"{st.description}, compartment {k}",
                                                     "state")

    def _order(self, comps: list[Component]) -> list[Component]:
        """Topological order: a component runs after everything that writes what it reads."""
        writers: dict[str, set[str]] = {}
        for c in comps:
            for out in c.outputs:
                # every output can be read by name ("kir_t.I"); provided names and sums too
                writers.setdefault(c.output_name(out), set()).add(c.name)
                if out.adds_to:
                    writers.setdefault(c.sum_name(out), set()).add(c.name)
        available = set(BUILTIN_INPUTS) | set(self._shared)
        for c in comps:
            available |= {c.state_name(s) for s in c.states}
        deps: dict[str, set[str]] = {}
        for c in comps:
            d = set()
            for local, gname in c.inputs.items():
                if gname in writers:
                    d |= writers[gname] - {c.name}
                elif gname not in available:
                    raise ValueError(
                        f"component {c.name!r} reads {gname!r} (as {local!r}), which no "
                        "component provides and which is not a state, a global parameter or "
                        f"one of {sorted(BUILTIN_INPUTS)}"
                    )
            deps[c.name] = d
        ordered: list[Component] = []
        done: set[str] = set()
        pending = list(comps)
        while pending:
            ready = [c for c in pending if deps[c.name] <= done]
            if not ready:
                raise ValueError(
                    "components depend on each other in a cycle: "
                    + ", ".join(f"{c.name} <- {sorted(deps[c.name] - done)}" for c in pending)
                )
            for c in ready:
                ordered.append(c)
                done.add(c.name)
                pending.remove(c)
        return ordered

    # ------------------------------------------------------------------ parameters
    def component(self, name: str) -> Component:
        for c in self.components:
            if c.name == name:
                return c
        raise KeyError(f"model {self.name!r} has no component {name!r}; it has {[c.name for c in self.components]}")

    def parameter_vector(self, overrides: Mapping[str, object] | None = None) -> np.ndarray:
        """The parameter vector, with optional overrides by name.

        Parameters
        ----------
        overrides : mapping, optional
            ``{"na.g": 100.0, "celsius": 20.0}``. A value may be an array: the result
            then has shape ``(n_parameters, *batch_shape)`` for batch evaluation.

        Returns
        -------
        ndarray
            Shape ``(n_parameters,)`` or ``(n_parameters, *batch_shape)``.
        """
        overrides = dict(overrides or {})
        unknown = [k for k in overrides if k not in self.parameter_index]
        if unknown:
            raise KeyError(
                f"unknown parameter(s) {unknown} for model {self.name!r}; "
                f"known parameters: {self.parameter_names}"
            )
        values = []
        for name in self.parameter_names:
            par = self.parameters[name]
            if name in overrides:
                v = check_range(name, overrides[name], *par.bounds, par.unit)
            else:
                v = np.asarray(par.value, dtype=float)
            values.append(v)
        shape = np.broadcast_shapes(*(v.shape for v in values))
        return np.stack([np.broadcast_to(v, shape) for v in values]).astype(float)

    def with_parameters(self, **overrides: float) -> Model:
        """A new model with changed default parameter values (keyword names use ``__`` for ``.``)."""
        named = {k.replace("__", "."): v for k, v in overrides.items()}
        pvec = self.parameter_vector(named)  # validates names and ranges
        comps = []
        for c in self.components:
            new = {
                key: par.with_value(pvec[self.parameter_index[c.parameter_name(key)]], _user_set(par))
                if c.parameter_name(key) in named
                else par
                for key, par in c.parameters.items()
            }
            clone = copy.copy(c)
            clone.parameters = new
            comps.append(clone)
        glob = {
            k: (p.with_value(pvec[self.parameter_index[k]], _user_set(p)) if k in named else p)
            for k, p in self.global_parameters.items()
        }
        new = Model(self.name, comps, glob, self.citation, self.description, self.stiff, **self._given)
        # anything else a factory set (and the initial state) travels with the parameters
        for key, value in self.__dict__.items():
            if key not in new.__dict__:
                setattr(new, key, value)
        new.initial_state = self.initial_state.copy()
        return new

    # ------------------------------------------------------------------ code generation
    def _call(self, comp: Component, func_name: str) -> str:
        func = getattr(type(comp), func_name)
        args = []
        state_local = {s.name: comp.state_name(s) for s in comp.states}
        for a in comp.argument_names(func):
            if a in comp.inputs:
                args.append(_ident(comp.inputs[a]))
            elif a in state_local:
                args.append(_ident(state_local[a]))
            elif a in comp.constants:
                args.append(_const_ident(comp, a))
            elif a in comp.parameters:
                args.append(_ident(comp.parameter_name(a)))
            else:  # a precomputed quantity
                args.append(_ident(f"{comp.name}.{a}"))
        return f"_f_{func_name}_{_ident(comp.name)}({', '.join(args)})"

    def source(self, kind: str) -> str:
        """Generated Python source of ``rhs``, ``observables``, ``quasi_steady`` or ``prepare``."""
        if kind == "prepare":
            return self._prepare_source()
        if kind == "rhs":
            head = "def rhs(t, y, p, I_stim, dydt):"
        elif kind == "observables":
            head = "def observables(t, y, p, I_stim):"
        elif kind == "quasi_steady":
            head = "def quasi_steady(t, y, p, I_stim):"
        else:
            raise ValueError(f"kind must be 'rhs', 'observables', 'quasi_steady' or 'prepare', got {kind!r}")
        lines = [head]
        n_scalar = len(self.state_names) - len(self.array_states) * self.n_compartments
        for i, n in enumerate(self.state_names[:n_scalar]):
            lines.append(f"    {_ident(n)} = y[{i}]")
        for n, (a, b, c) in self.array_states.items():
            lines.append(f"    {_ident(n)} = y[{a}:{b}:{c}]")
        for i, n in enumerate(self.parameter_names + self.derived_names):
            lines.append(f"    {_ident(n)} = p[{i}]")
        for (cname, key), (a, b) in self.constant_rows.items():
            lines.append(f"    {_const_ident(self.component(cname), key)} = p[{a}:{b}]")
        for sname in self.sums:
            lines.append(f"    {_ident(sname)} = 0.0")
        # Shared states with a steady-state guess (a tubular potential that follows V) are set
        # first, so that the gates of that compartment see them; see quasi_steady_state.
        first = [c for c in self.components if c.steady_state is not None and any(s.shared for s in c.states)]

        def set_steady(comp):
            lines.append(f"    _s = {self._call(comp, 'steady_state')}")
            for j, st in enumerate(comp.states):
                tgt = _ident(comp.state_name(st))
                lines.append(f"    {tgt} = _s[{j}]")
                lines.append(f"    y[{self._where(comp.state_name(st))}] = {tgt}")

        if kind == "quasi_steady":
            for comp in first:
                set_steady(comp)
        for comp in self.components:
            if not comp.outputs and not comp.states:
                continue  # parameters only (the ionic environment)
            lines.append(f"    # {comp.name}: {type(comp).__name__}")
            if kind == "quasi_steady" and comp.steady_state is not None and all(comp is not c for c in first):
                set_steady(comp)
            lines.append(f"    _r = {self._call(comp, 'equations')}")
            for j, out in enumerate(comp.outputs):
                oname = _ident(comp.output_name(out))
                lines.append(f"    {oname} = _r[{j}]")
                if out.adds_to:
                    s = _ident(comp.sum_name(out))
                    lines.append(f"    {s} = {s} + {oname}")
            if kind == "rhs":
                n_out = len(comp.outputs)
                for j, st in enumerate(comp.states):
                    lines.append(f"    dydt[{self._where(comp.state_name(st))}] = _r[{n_out + j}]")
        if kind == "rhs":
            lines.append("    return dydt")
        elif kind == "observables":
            names = self.output_names + list(self.sums)
            lines.append("    return (" + ", ".join(_ident(n) for n in names) + ",)")
        else:
            lines.append("    return y")
        return "\n".join(lines) + "\n"

    def _where(self, state: str) -> str:
        """Index expression of a state in the state vector: ``"3"`` or a slice ``"5:1773:8"``."""
        if state in self.array_states:
            return "{}:{}:{}".format(*self.array_states[state])
        return str(self.state_index[state])

    def _prepare_source(self) -> str:
        """``prepare(p)``: fill the derived rows of a full parameter vector in place."""
        n_base = len(self.parameter_names)
        lines = ["def prepare(p):"]
        for i, n in enumerate(self.parameter_names):
            lines.append(f"    {_ident(n)} = p[{i}]")
        j = n_base
        for comp in self.components:
            if comp.precompute is None:
                continue
            lines.append(f"    _d = {self._call(comp, 'precompute')}")
            for k, _ in enumerate(comp.precomputed):
                lines.append(f"    p[{j}] = _d[{k}]")
                j += 1
        lines.append("    return p")
        return "\n".join(lines) + "\n"

    def namespace(self) -> dict[str, Callable]:
        """Names the generated ``rhs``, ``observables`` and ``quasi_steady`` source refers
        to: each component's ``equations`` and ``steady_state`` (plain functions, which a
        compiled engine may compile). ``prepare`` has its own, :meth:`prepare_namespace`."""
        ns: dict[str, Callable] = {}
        for comp in self.components:
            if not comp.outputs and not comp.states:
                continue
            ns[f"_f_equations_{_ident(comp.name)}"] = comp.function("equations")
            if comp.steady_state is not None:
                ns[f"_f_steady_state_{_ident(comp.name)}"] = comp.function("steady_state")
        return ns

    def prepare_namespace(self) -> dict[str, Callable]:
        """Names the generated ``prepare`` source refers to: each component's
        ``precompute`` (run with NumPy only, once per parameter set)."""
        return {f"_f_precompute_{_ident(c.name)}": c.function("precompute")
                for c in self.components if c.precompute is not None}

    def full_parameters(self, p=None) -> np.ndarray:
        """Parameter vector extended by the derived quantities (``derived_names``).

        The generated functions read this full vector. Accepts a base vector (or matrix
        with a batch axis) from :meth:`parameter_vector`; a full one is returned as is.
        """
        p = self.parameter_vector() if p is None else np.asarray(p, dtype=float)
        n_base = len(self.parameter_names)
        if p.shape[0] == self._n_full and self._n_full > n_base:
            return p
        if p.shape[0] != n_base:
            raise ValueError(f"parameter vector has {p.shape[0]} rows; model {self.name} has {n_base} parameters")
        if self._n_full == n_base:
            return p
        # the derived quantities of the last few parameter sets are kept: solvers call rhs
        # many times with the same base vector, and a precompute may be an iterative solve
        for base, full in self._prepared:
            if base.shape == p.shape and np.array_equal(base, p):
                return full.copy()
        full = np.empty((self._n_full,) + p.shape[1:])
        full[:n_base] = p
        for (cname, key), (a, b) in self.constant_rows.items():
            arr = self.component(cname).constants[key]
            full[a:b] = arr.reshape(arr.shape + (1,) * (p.ndim - 1))
        if self.derived_names:
            full = self.function("prepare")(full)
        self._prepared = [(p.copy(), full.copy())] + self._prepared[:3]
        return full

    def function(self, kind: str) -> Callable:
        """The generated numpy function of the given kind (cached)."""
        if kind not in self._functions:
            ns = {"np": np, **(self.prepare_namespace() if kind == "prepare" else self.namespace())}
            exec(compile(self.source(kind), f"<neuromuscle model {self.name}: {kind}>", "exec"), ns)
            self._functions[kind] = ns[kind]
        return self._functions[kind]

    # ------------------------------------------------------------------ evaluation
    def rhs(self, t: float, y: np.ndarray, p: np.ndarray | None = None, i_stim=0.0) -> np.ndarray:
        """Time derivatives, per ms, at state ``y`` (shape ``(n_states, ...)``)."""
        p = self.full_parameters(p)
        y = np.asarray(y, dtype=float)
        dydt = np.empty((y.shape[0],) + np.broadcast_shapes(y.shape[1:], p.shape[1:]))
        return self.function("rhs")(t, y, p, i_stim, dydt)

    def observables(self, t, y, p=None, i_stim=0.0) -> dict[str, np.ndarray]:
        """All component outputs and shared sums at state ``y``, by name."""
        p = self.full_parameters(p)
        values = self.function("observables")(t, np.asarray(y, dtype=float), p, i_stim)
        names = self.output_names + list(self.sums)
        shape = np.broadcast_shapes(*(np.shape(v) for v in values))
        return {n: np.broadcast_to(v, shape) for n, v in zip(names, values)}

    def quasi_steady_state(self, v, p=None, i_stim=0.0, y=None) -> np.ndarray:
        """States with every component that has a steady-state function at its steady state.

        The membrane potential is held at ``v`` (array allowed: one column each).
        States without a steady-state function keep their value in ``y`` (default: the
        declared initial values).
        """
        p = self.full_parameters(p)
        v = np.asarray(v, dtype=float)
        base = self.initial_state if y is None else np.asarray(y, dtype=float)
        shape = np.broadcast_shapes(v.shape, p.shape[1:], base.shape[1:])
        yy = np.empty((len(self.state_names),) + shape)
        yy[...] = base.reshape(base.shape + (1,) * (yy.ndim - base.ndim))
        if "V" in self.array_states:  # a cable: every compartment at v
            a, b, c = self.array_states["V"]
            yy[a:b:c] = v
        else:
            yy[self.state_index["V"]] = v
        return self.function("quasi_steady")(0.0, yy, p, i_stim)

    def __getstate__(self):
        # generated functions are rebuilt on demand; they cannot be pickled
        state = dict(self.__dict__)
        state["_functions"] = {}
        state["_prepared"] = []
        return state

    def info(self, name: str) -> VariableInfo:
        """Unit and description of any named variable (or semantic label)."""
        if name not in self.variables and name in self.labels:
            name = self.labels[name]
        try:
            return self.variables[name]
        except KeyError:
            raise KeyError(f"model {self.name!r} has no variable {name!r}") from None

    def describe(self) -> str:
        """A readable summary: components, citations, parameters with units and sources."""
        parts = [f"Model {self.name}: {self.citation}", self.description, "Model-wide parameters:"]
        for k, par in self._shared.items():
            parts.append(f"  {k:>12} = {par.value:<10g} {par.unit:<8} {par.source}")
        parts += [c.describe() for c in self.components]
        return "\n".join(parts)

    def __repr__(self) -> str:
        return f"<Model {self.name}: {len(self.state_names)} states, {len(self.parameter_names)} parameters>"


def check_model(name: str, value):
    """A :class:`~neuromuscle.Model` (not a factory, a name or a number)."""
    if not isinstance(value, Model):
        hint = " (call the factory: nm.hodgkin_huxley())" if callable(value) else ""
        raise TypeError(f"{name} must be a Model, got {value!r}{hint}")
    return value
