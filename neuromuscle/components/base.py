"""The component protocol: how a piece of physiology declares itself.

A component (a channel, a pump, a buffer, the membrane capacitor...) is a small class
that declares what it is and holds its equations in **one** pure function. The model
(:class:`neuromuscle.model.Model`) reads the declarations and composes the components
into one ODE system. Because the equations are a pure function of named arguments
written with numpy ufuncs only, the same function serves a single parameter set, a
batch of parameter sets (arrays with a trailing batch axis) and compiled fast paths:
the physiology exists in exactly one copy.

A subclass must provide:

1. ``states`` -- a tuple of :class:`State` (local name, unit, description, initial value).
2. ``parameters`` -- a mapping of local name to :class:`Parameter` (value, unit, source).
3. ``inputs`` -- a mapping of local argument name to the model-wide (shared) variable it
   reads: ``{"V": "V", "E": "E_Na", "celsius": "celsius"}``.
4. ``outputs`` -- a tuple of :class:`Output`: quantities it computes, such as its current;
   an output may *add to* a shared sum (``"I_ion"``) or *provide* a shared variable
   (``"E_Na"``).
5. ``equations`` -- a static function whose argument names are drawn from the local input,
   state and parameter names, returning a tuple: the outputs in declared order, then the
   time derivatives of the states in declared order (per ms).
6. optionally ``steady_state`` -- a static function of inputs and parameters returning the
   states' steady-state values (for gates: ``x_inf(V)``), used to find resting states.
7. optionally ``precompute`` with ``precomputed`` names -- a static function of parameters
   (and model-wide parameters such as ``celsius``) only, e.g. a Q10 factor. It runs once
   per parameter set instead of at every right-hand-side call; ``equations`` may take the
   precomputed names as arguments. It runs in NumPy only (never compiled), so it may call
   any NumPy or SciPy code, e.g. an iterative solve; keyword-only arguments with defaults
   are not filled from the model but bound by :meth:`Component.function` (structural
   settings such as a surface-charge parameter set).
8. optionally ``shared_parameters`` -- names of parameters known model-wide by their bare
   name (``"K_o"``, ``"celsius"``) instead of ``"<component>.<name>"``; any component can
   read them as inputs. The ionic environment
   (:class:`~neuromuscle.components.environment.IonicEnvironment`) declares the
   electrolytes this way, so they travel with the components when a model is recomposed.

Adding a component never means editing another one: components only meet through
shared variable names.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import ClassVar

import numpy as np

from .._validate import check_range

__all__ = ["Parameter", "State", "Output", "Component"]


@dataclass(frozen=True)
class Parameter:
    """A model parameter with its unit and where its value comes from.

    Parameters
    ----------
    value : float
        The value, in ``unit``.
    unit : str
        Unit string following the package rule (mV, ms, mM, mS/cm2, ...); "1" for
        dimensionless.
    source : str
        Citation: paper (with table/equation) or a stated modelling assumption.
    description : str
        What it is.
    bounds : tuple of float
        Physically valid range; a value outside it is refused with an error naming the
        parameter.
    label : str, optional
        Semantic label, as for :class:`State`.
    """

    value: float
    unit: str
    source: str
    description: str = ""
    bounds: tuple[float, float] = (-np.inf, np.inf)
    #: Semantic label (see :data:`neuromuscle.model.LABELS`), e.g. ``"atp_supply_capacity"``:
    #: studies find the parameter by what it is, not by its instance name.
    label: str | None = field(default=None, compare=False)

    def with_value(self, value: float, source: str | None = None) -> Parameter:
        """A copy with a new value (and, optionally, a new source)."""
        return replace(self, value=float(value), source=self.source if source is None else source)


@dataclass(frozen=True)
class State:
    """A state variable of a component."""

    name: str
    unit: str
    description: str
    initial: float
    #: If True the state is known model-wide by its bare name (the membrane's ``V``);
    #: otherwise as ``"<component>.<name>"``.
    shared: bool = False
    #: Semantic label (see :data:`neuromuscle.model.LABELS`), e.g. ``"membrane_potential"``:
    #: the model answers :meth:`~neuromuscle.model.Model.label` with this state's name.
    #: A renamed instance (another compartment) does not carry it.
    label: str | None = None


@dataclass(frozen=True)
class Output:
    """A quantity a component computes.

    ``adds_to`` names a shared sum it contributes to (e.g. ``"I_ion"``, the total ionic
    current); ``provides`` names a shared variable it defines (e.g. ``"E_Na"``).
    """

    name: str
    unit: str
    description: str
    adds_to: str | None = None
    provides: str | None = None
    #: For a membrane current: which ions carry it, as ``(ion, factor)`` pairs, where the
    #: current carried by ``ion`` (outward positive) is ``factor`` times this output. A
    #: channel is ``(("Na", 1.0),)``; the Na/K pump (3 Na out, 2 K in per cycle, net one
    #: charge out) is ``(("Na", 3.0), ("K", -2.0))``. Used for ion balances.
    carries: tuple[tuple[str, float], ...] = ()
    #: Semantic label (see :data:`neuromuscle.model.LABELS`), as for :class:`State`. On an
    #: output that adds to a sum it labels the sum (SERCA's ``J_up`` term: ``"ca_uptake_flux"``).
    label: str | None = None


@dataclass
class Component:
    """Base class of all components; see the module docstring for the protocol."""

    name: str
    parameters: dict[str, Parameter] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    #: Per-instance renaming of the shared names the class declares: shared states, sums it
    #: adds to, variables it provides, and the shared names its default inputs read. Lets one
    #: class serve two compartments, e.g. a tubular membrane
    #: ``Membrane("tubule", rename={"V": "u", "I_ion": "I_ion_t"})``.
    rename: dict[str, str] = field(default_factory=dict)
    #: Number of compartments the instance spans (0: an ordinary, scalar component). A
    #: compartmental component holds every state as an array over the compartments (a cable's
    #: potentials, a channel's gates along the axon); its outputs are arrays too, and the sums
    #: they add to become arrays. The equations are the same numpy-ufunc code: they just
    #: receive arrays. See :class:`neuromuscle.model.Model` for the state layout.
    compartments: int = 0
    #: Fixed per-compartment arrays (geometry, channel-density masks) the equations read by
    #: name, each of length ``compartments``. They are not parameters: they are set when the
    #: instance is built (from a fibre diameter, say) and do not vary in sweeps.
    constants: dict[str, np.ndarray] = field(default_factory=dict)

    states: ClassVar[tuple[State, ...]] = ()
    outputs: ClassVar[tuple[Output, ...]] = ()
    #: The publication the equations come from.
    citation: ClassVar[str] = ""
    equations: ClassVar[Callable]
    steady_state: ClassVar[Callable | None] = None
    precompute: ClassVar[Callable | None] = None
    precomputed: ClassVar[tuple[str, ...]] = ()
    #: Parameters known model-wide by their bare (renamed) name; see the module docstring.
    shared_parameters: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        defaults = self.default_parameters()
        unknown = set(self.parameters) - set(defaults)
        if unknown:
            raise ValueError(
                f"component {self.name!r} ({type(self).__name__}) has no parameter(s) "
                f"{sorted(unknown)}; known: {sorted(defaults)}"
            )
        merged = dict(defaults)
        for key, value in self.parameters.items():
            merged[key] = value if isinstance(value, Parameter) else defaults[key].with_value(value)
        for key, par in merged.items():
            check_range(f"{self.name}.{key}", par.value, *par.bounds, par.unit)
        self.parameters = merged
        defaults = {k: self.rename.get(v, v) for k, v in self.default_inputs().items()}
        self.inputs = {**defaults, **self.inputs}
        if int(self.compartments) != self.compartments or self.compartments < 0:
            raise ValueError(f"component {self.name!r}: compartments = {self.compartments!r} must be a "
                             "non-negative integer")
        self.compartments = int(self.compartments)
        consts = {}
        for key, arr in self.constants.items():
            a = np.ascontiguousarray(arr, dtype=float)
            if a.shape != (self.compartments,):
                raise ValueError(f"component {self.name!r}: constant {key!r} has shape {a.shape}; it must "
                                 f"have one value per compartment, shape ({self.compartments},)")
            a.setflags(write=False)
            consts[key] = a
        self.constants = consts
        self._check_signature()

    # -- declarations a subclass overrides -------------------------------------------
    @classmethod
    def default_parameters(cls) -> dict[str, Parameter]:
        """The published parameter set of this component."""
        return {}

    @classmethod
    def default_inputs(cls) -> dict[str, str]:
        """Default mapping of local input names to shared variable names."""
        return {}

    # -- helpers used by the model -----------------------------------------------------
    def argument_names(self, func: Callable) -> list[str]:
        """Arguments the model fills (keyword-only ones are bound by :meth:`function`)."""
        return [n for n, a in inspect.signature(func).parameters.items() if a.kind != a.KEYWORD_ONLY]

    def function(self, kind: str) -> Callable:
        """The callable the generated code calls for ``kind`` (``"equations"``,
        ``"steady_state"``, ``"precompute"``): the class's static function, or for
        ``precompute`` that function with its keyword-only settings bound (override
        :meth:`precompute_settings`)."""
        func = getattr(type(self), kind)
        if kind == "precompute":
            settings = self.precompute_settings()
            if settings:
                return functools.partial(func, **settings)
        return func

    def precompute_settings(self) -> dict:
        """Keyword-only (structural, non-numeric) arguments of ``precompute``."""
        return {}

    def parameter_name(self, key: str) -> str:
        """Model-wide name of parameter ``key``: ``"<component>.<key>"``, or the (renamed)
        bare name of a shared parameter."""
        return self.rename.get(key, key) if key in self.shared_parameters else f"{self.name}.{key}"

    def _check_signature(self) -> None:
        known = (set(self.inputs) | {s.name for s in self.states} | set(self.parameters)
                 | set(self.precomputed) | set(self.constants))
        for func_name in ("equations", "steady_state", "precompute"):
            func = getattr(type(self), func_name, None)
            if func is None:
                continue
            missing = [a for a in self.argument_names(func) if a not in known]
            if missing:
                raise TypeError(
                    f"{type(self).__name__}.{func_name} takes {missing}, which are neither "
                    f"inputs, states nor parameters of component {self.name!r}"
                )
        state_args = {s.name for s in self.states}
        if self.precompute is not None:
            bad = set(self.argument_names(type(self).precompute)) & (
                state_args | set(self.precomputed) | set(self.constants))
            if bad:
                raise TypeError(f"{type(self).__name__}.precompute may use parameters only, not {bad}")
        if self.steady_state is not None:
            used = set(self.argument_names(type(self).steady_state)) & state_args
            if used:
                raise TypeError(
                    f"{type(self).__name__}.steady_state must not depend on its own states {used}"
                )

    def state_name(self, state: State) -> str:
        """Model-wide name of a state: ``"<component>.<state>"``, or the (renamed) shared name."""
        return self.rename.get(state.name, state.name) if state.shared else f"{self.name}.{state.name}"

    def output_name(self, output: Output) -> str:
        """Model-wide name of an output: the (renamed) shared name it provides, or ``"<component>.<output>"``."""
        if output.provides:
            return self.rename.get(output.provides, output.provides)
        return f"{self.name}.{output.name}"

    def sum_name(self, output: Output) -> str | None:
        """The shared sum an output adds to (after renaming), or None."""
        return self.rename.get(output.adds_to, output.adds_to) if output.adds_to else None

    def describe(self) -> str:
        """A human-readable table of this component's parameters."""
        lines = [f"{self.name} ({type(self).__name__}); {self.citation}"]
        for key, par in self.parameters.items():
            lines.append(f"  {key:>12} = {par.value:<10g} {par.unit:<8} {par.source}")
        return "\n".join(lines)

    def parameter_values(self) -> Mapping[str, float]:
        return {k: p.value for k, p in self.parameters.items()}
