"""The ionic environment of a model as a component: electrolytes as model-wide parameters.

:class:`IonicEnvironment` holds the extracellular and cytosolic concentrations and the
temperature a model uses as ordinary parameters known model-wide by their bare names
(``Na_o``, ``K_i``, ``celsius``, ...; see :data:`neuromuscle.electrolytes.PARAMETER_OF_FIELD`).
Because they belong to a component, a model recomposed from ``model.components`` keeps
them, and they can be swept or batched like any other parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .base import Component, Parameter

__all__ = ["IonicEnvironment", "ENVIRONMENT_BOUNDS"]

#: Valid range of each environment parameter. Na, K and Cl enter logarithms (Nernst, GHK),
#: so they must be positive; Ca, Mg and HCO3 may be zero (divalent-free or HEPES baths).
ENVIRONMENT_BOUNDS: Mapping[str, tuple[float, float]] = {
    "celsius": (0.0, 50.0),
    **{n: (1e-3, 1e4) for n in ("Na_o", "K_o", "Cl_o", "Na_i", "K_i", "Cl_i")},
    **{n: (0.0, 1e4) for n in ("Ca_o", "Mg_o", "HCO3_o", "Ca_i", "Mg_i")},
    "pH_o": (6.0, 8.5), "pH_i": (6.0, 8.5),
}

_DESCRIPTION = {
    "celsius": ("degC", "Temperature"),
    "Na_o": ("mM", "Extracellular Na"), "K_o": ("mM", "Extracellular K"), "Cl_o": ("mM", "Extracellular Cl"),
    "Ca_o": ("mM", "Extracellular ionised Ca"), "Mg_o": ("mM", "Extracellular ionised Mg"),
    "HCO3_o": ("mM", "Extracellular HCO3"),
    "Na_i": ("mM", "Cytosolic Na"), "K_i": ("mM", "Cytosolic K"), "Cl_i": ("mM", "Cytosolic Cl"),
    "Ca_i": ("mM", "Cytosolic free Ca"), "Mg_i": ("mM", "Cytosolic free Mg"),
    "pH_o": ("1", "Extracellular pH"), "pH_i": ("1", "Cytosolic pH"),
}


class IonicEnvironment(Component):
    """Model-wide electrolyte parameters (no states, no outputs).

    Parameters
    ----------
    name : str
        Component name (default ``"environment"``).
    values : mapping
        Parameter name -> :class:`Parameter` or ``(value, source)``; names from
        ``celsius, Na_o, K_o, Cl_o, Ca_o, Mg_o, HCO3_o, Na_i, K_i, Cl_i, Ca_i, Mg_i, pH_o,
        pH_i`` or, with a Parameter, any other name (e.g. ``ATP_i``).

    Examples
    --------
    >>> env = IonicEnvironment(values={"celsius": (37.0, "body temperature"), "K_o": (4.2, "plasma")})
    >>> sorted(env.parameters), env.parameter_name("K_o")
    (['K_o', 'celsius'], 'K_o')
    """

    states = ()
    outputs = ()
    citation = ""

    def __init__(self, name: str = "environment", values: Mapping | None = None, **kw) -> None:
        values = dict(values or {})
        pars = {}
        for key, v in values.items():
            if isinstance(v, Parameter):
                pars[key] = v
                continue
            if key not in _DESCRIPTION:
                raise ValueError(
                    f"IonicEnvironment: unknown parameter {key!r} given as (value, source); known: "
                    f"{sorted(_DESCRIPTION)} (give a Parameter for any other name)"
                )
            value, source = v
            unit, desc = _DESCRIPTION[key]
            pars[key] = Parameter(float(value), unit, source, desc, ENVIRONMENT_BOUNDS[key])
        self._declared = pars
        self.shared_parameters = tuple(pars)
        super().__init__(name, parameters=pars, **kw)

    def default_parameters(self):  # type: ignore[override]
        return dict(self._declared)

    @staticmethod
    def equations():
        return ()

    @classmethod
    def from_electrolytes(cls, electrolytes, names: Sequence[str], cytosol: Mapping | None = None,
                          name: str = "environment", extra: Mapping[str, Parameter] | None = None):
        """The parameters ``names`` filled from an :class:`~neuromuscle.electrolytes.Electrolytes`.

        ``cytosol`` gives ``(value, source)`` for cytosolic parameters the Electrolytes
        object leaves unset (``None``); ``extra`` adds other model-wide parameters.
        """
        from ..electrolytes import FIELD_OF_PARAMETER

        cytosol = dict(cytosol or {})
        src = f"input: electrolytes {electrolytes.name!r}"
        values: dict = {}
        for n in names:
            field = FIELD_OF_PARAMETER.get(n)
            value = getattr(electrolytes, field) if field is not None else None
            if value is None:
                if n not in cytosol:
                    raise ValueError(f"{n} is not set by electrolytes {electrolytes.name!r}; give it in cytosol")
                values[n] = cytosol[n]
            else:
                values[n] = (value, src)
        values.update(extra or {})
        return cls(name, values)
