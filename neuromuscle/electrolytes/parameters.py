"""From an :class:`~neuromuscle.electrolytes.Electrolytes` record to model parameters."""

from __future__ import annotations

import types
from collections.abc import Mapping

from ..ions import IONS
from .record import Electrolytes

# ------------------------------------------------------------------ electrolytes -> model parameters
#: The model parameter that carries each field (the names every model is built to).
PARAMETER_OF_FIELD: Mapping[str, str] = types.MappingProxyType({
    **{i.field: i.outside for i in IONS.values()},
    **{f"{i.field}_in": i.inside for i in IONS.values() if i.inside is not None},
    "celsius": "celsius", "ph": "pH_o",
})
#: The field each electrolyte parameter comes from (inverse of :data:`PARAMETER_OF_FIELD`).
FIELD_OF_PARAMETER: Mapping[str, str] = types.MappingProxyType({v: k for k, v in PARAMETER_OF_FIELD.items()})


def model_parameters(model, electrolytes: Electrolytes | str) -> dict[str, float]:
    """Parameter overrides that put ``model`` in ``electrolytes``.

    Sets whichever of the electrolyte parameters (:data:`PARAMETER_OF_FIELD`) the model
    declares; cytosolic fields left unset (``None``) keep the model's own values. Anything
    computed from the electrolytes (the surface-charge gating shift, Nernst potentials)
    follows inside the model.

    Parameters
    ----------
    model : Model
        Any model built to the names of :data:`PARAMETER_OF_FIELD`.
    electrolytes : Electrolytes or str
        The environment, or a preset name.

    Returns
    -------
    dict
        ``{parameter name: value}``, for :func:`~neuromuscle.simulate` ``params`` or
        :meth:`~neuromuscle.model.Model.parameter_vector`.

    Examples
    --------
    >>> import neuromuscle as nm
    >>> model_parameters(nm.motor_axon(), "hypocalcaemia_severe")["Ca_o"]
    0.75
    """
    e = Electrolytes.preset(electrolytes) if isinstance(electrolytes, str) else electrolytes
    declared = model.parameter_index
    out = {}
    for field_name, par in PARAMETER_OF_FIELD.items():
        value = getattr(e, field_name)
        if par in declared and value is not None:
            out[par] = float(value)
    return out


def as_electrolytes(name: str, value, default: str | None = None):
    """An :class:`~neuromuscle.Electrolytes` from an object or a preset name (``None``: ``default``)."""
    if value is None and default is not None:
        value = default
    if isinstance(value, Electrolytes):
        return value
    if isinstance(value, str):
        try:
            return Electrolytes.preset(value)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    raise TypeError(f"{name} must be an Electrolytes object or a preset name, got {value!r}")
