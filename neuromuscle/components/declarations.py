"""What a published model declares about itself beyond its equations, as a component.

A factory builds a model from components and, besides the equations, knows things about
the whole: how to find its resting state (an equilibrium finder), the sub-models it is
built from, extra names for states (aliases), semantic labels, the band of its Jacobian,
the initial state its pools are built to, and descriptive attributes (a cable's geometry).
:class:`ModelDeclarations` holds them as one more component (no states, no parameters,
no equations), so that a model recomposed from ``model.components`` plus a new channel
keeps them, as :class:`~neuromuscle.components.environment.IonicEnvironment` keeps the
electrolytes.

A sub-model is declared with the prefix and name mapping under which its components
appear in the host (:class:`SubModel`). Components that the host gains later (not among
the component names the declarations record) *join* each sub-model in which they can be
evaluated: every variable they read, and every sum they add to, exists in the sub-model
under the mapping. A channel composed into a muscle fibre with EC coupling thus also
joins its membrane sub-model, so the equilibrium finder that relaxes the fibre first
sees the channel.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .base import Component

__all__ = ["ModelDeclarations", "SubModel", "BANDED_BY_COMPARTMENT"]

#: ``jacobian_bandwidth`` value meaning: a cable whose compartments couple only to their
#: neighbours; the half-width is the number of states per compartment plus one (states
#: interleaved by compartment, the cable's two potentials first), computed by the model.
BANDED_BY_COMPARTMENT = "by compartment"


@dataclass(frozen=True)
class SubModel:
    """A model the host is built from, and how its names appear in the host.

    Parameters
    ----------
    model : Model
        The sub-model as built on its own.
    prefix : str
        Prefix of its component names in the host (``"axon_"``).
    mapping : mapping of str to str
        Sub-model shared name -> host name, for the shared names the host renamed
        (``{"V": "V_axon"}``); what :func:`~neuromuscle.models.nerve_muscle.relabel` applied.
    """

    model: Any
    prefix: str = ""
    mapping: Mapping[str, str] = field(default_factory=dict)


class ModelDeclarations(Component):
    """Model-wide declarations of a published model (no states, parameters or equations).

    Parameters
    ----------
    name : str
        Component name (default ``"declarations"``).
    components : sequence of str
        Names of the components the factory built the model from. Components a recomposed
        model has beyond these were added later and may join the sub-models.
    equilibrium_finder : callable, optional
        As :class:`~neuromuscle.model.Model`'s argument of that name.
    submodels : mapping of str to SubModel or Model, optional
        Sub-models (readable as ``model.<name>``); a Model alone means prefix ``""`` and no
        renaming.
    aliases, labels : mapping, optional
        As the Model arguments of those names.
    jacobian_bandwidth : tuple of int or str, optional
        ``(lower, upper)`` or :data:`BANDED_BY_COMPARTMENT`.
    initial : mapping of str to float, optional
        Initial values of states (by name) that differ from the components' declared ones,
        e.g. Ca and Mg pools built to a resting free Ca.
    attributes : mapping, optional
        Descriptive values set as model attributes (``geometry``, ``node_compartments``, ...).
    stiff : bool, optional
        Whether the model is stiff (a recomposed model is stiff if any declaration says so).
    electrolytes : Electrolytes, optional
        The electrolytes the model was built in (a record).
    """

    states = ()
    outputs = ()
    citation = ""

    def __init__(self, name: str = "declarations", *, components: Sequence[str] = (),
                 equilibrium_finder: Callable | None = None,
                 submodels: Mapping[str, Any] | None = None,
                 aliases: Mapping[str, str] | None = None, labels: Mapping[str, str] | None = None,
                 jacobian_bandwidth: tuple[int, int] | str | None = None,
                 initial: Mapping[str, float] | None = None, attributes: Mapping[str, Any] | None = None,
                 stiff: bool | None = None, electrolytes=None) -> None:
        self.declared_components = tuple(components)
        self.equilibrium_finder = equilibrium_finder
        self.submodels = {k: v if isinstance(v, SubModel) else SubModel(v) for k, v in (submodels or {}).items()}
        self.aliases = dict(aliases or {})
        self.labels = dict(labels or {})
        if not (jacobian_bandwidth is None or jacobian_bandwidth == BANDED_BY_COMPARTMENT
                or (len(jacobian_bandwidth) == 2 and all(int(b) == b >= 0 for b in jacobian_bandwidth))):
            raise ValueError(f"jacobian_bandwidth = {jacobian_bandwidth!r} must be (lower, upper) or "
                             f"{BANDED_BY_COMPARTMENT!r}")
        self.jacobian_bandwidth = jacobian_bandwidth
        self.initial = {k: float(v) for k, v in (initial or {}).items()}
        self.attributes = dict(attributes or {})
        self.stiff = stiff
        self.electrolytes = electrolytes
        super().__init__(name)

    @staticmethod
    def equations():
        return ()
