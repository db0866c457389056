"""The Hodgkin-Huxley (1952) squid giant axon, space-clamped (a membrane patch)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from .._validate import check_range, check_real
from ..citations import cite, reference
from ..components.base import Parameter
from ..components.environment import IonicEnvironment
from ..components.ghk import Nernst
from ..components.hh1952 import HHPotassium, HHSodium
from ..components.membrane import Leak, Membrane
from ..components.reversal import FixedReversal
from ..model import Model

__all__ = ["hodgkin_huxley", "SQUID_CONCENTRATIONS"]

_SRC = cite("hodgkin1952")

#: Squid axoplasm and sea water, mM: (outside, inside). Textbook values as tabulated by
#: Hodgkin (1964) The Conduction of the Nervous Impulse, Table 1 (Loligo, freshly
#: isolated axon). At 6.3 C they give E_Na = +52.4 mV and E_K = -72.1 mV, close to but
#: not equal to the +50 / -77 mV that HH (1952) measured on their axons.
SQUID_CONCENTRATIONS: dict[str, tuple[float, float]] = {
    "Na": (440.0, 50.0),
    "K": (20.0, 400.0),
}
_CONC_SRC = cite("hodgkin1964", "Table 1 (squid axon)")


def hodgkin_huxley(
    celsius: float = 6.3,
    reversal: Literal["classic", "nernst"] = "classic",
    concentrations: Mapping[str, tuple[float, float]] | None = None,
    gating_shift: float = 0.0,
) -> Model:
    """The Hodgkin & Huxley (1952) model of the squid giant axon membrane.

    Modern convention: absolute potentials with the resting potential at -65 mV;
    ``C_m = 1 uF/cm2``, ``g_Na = 120``, ``g_K = 36``, ``g_L = 0.3 mS/cm2``,
    ``E_Na = +50``, ``E_K = -77``, ``E_L = -54.387 mV`` (Table 3 of the paper, shifted by
    -65 mV). Rates apply at 6.3 C and scale with Q10 = 3.

    Parameters
    ----------
    celsius : float
        Temperature, degrees C (0-50). The gating rates scale by ``3 ** ((celsius - 6.3)/10)``;
        conductances are not temperature scaled (as in HH 1952 and NEURON's ``hh``).
    reversal : {"classic", "nernst"}
        ``"classic"``: E_Na and E_K fixed at the published +50 and -77 mV.
        ``"nernst"``: computed from ``concentrations`` by the Nernst equation at
        ``celsius`` (the leak reversal stays at its published value).
    concentrations : mapping, optional
        ``{"Na": (outside, inside), "K": (outside, inside)}`` in mM, for
        ``reversal="nernst"``. Default :data:`SQUID_CONCENTRATIONS`.
    gating_shift : float
        Shift of all gating along the voltage axis, mV (rates evaluated at ``V - shift``):
        the effect of a change in divalent cations relative to sea water, e.g.
        ``electrochem.gating_shift(test_solution, sea_water)``. Positive raises threshold.

    Returns
    -------
    Model
        States ``V``, ``na.m``, ``na.h``, ``k.n``; model-wide parameters ``celsius``,
        ``dV_surface`` and, with ``reversal="nernst"``, ``Na_o, Na_i, K_o, K_i``.

    References
    ----------
    Hodgkin AL, Huxley AF (1952) A quantitative description of membrane current and its
    application to conduction and excitation in nerve. J Physiol 117:500-544.
    """
    if reversal == "classic":
        if concentrations is not None:
            raise ValueError("concentrations are only used with reversal='nernst'")
        rev = [
            FixedReversal("E_Na", "Na", 50.0, f"{_SRC}, Table 3: V_Na = -115 mV from rest (rest -65 mV)"),
            FixedReversal("E_K", "K", -77.0, f"{_SRC}, Table 3: V_K = +12 mV from rest (rest -65 mV)"),
        ]
    elif reversal == "nernst":
        conc = dict(SQUID_CONCENTRATIONS)
        conc.update(concentrations or {})
        unknown = set(conc) - {"Na", "K"}
        if unknown:
            raise ValueError(f"concentrations: unknown ion(s) {sorted(unknown)}; HH needs 'Na' and 'K'")
        rev = [Nernst("E_Na", "Na"), Nernst("E_K", "K")]
    else:
        raise ValueError(f"reversal must be 'classic' or 'nernst', got {reversal!r}")

    # Validate now so a wrong temperature is reported by name before anything is built.
    check_range("celsius", check_real("celsius", celsius), 0.0, 50.0, "degC"), check_real("gating_shift", gating_shift)
    env = {
        "celsius": Parameter(
            celsius, "degC", (f"{_SRC}, p. 519 (experiments at 6.3 C)" if celsius == 6.3
             else f"input: user-set temperature (default 6.3 C, {_SRC}, p. 519)"),
            "Temperature", (0.0, 50.0),
        ),
        "dV_surface": Parameter(
            gating_shift, "mV",
            "input: none, the paper's kinetics (sea water)" if gating_shift == 0 else "input: user-set",
            "Gating shift from surface-charge changes (Ca, Mg)", (-200.0, 200.0),
        ),
    }
    if reversal == "nernst":
        for ion in ("Na", "K"):
            src = _CONC_SRC if ion not in (concentrations or {}) else f"input: user-set (default {_CONC_SRC})"
            for side, value, where in (("o", conc[ion][0], "Extracellular"), ("i", conc[ion][1], "Axoplasmic")):
                env[f"{ion}_{side}"] = Parameter(value, "mM", src, f"{where} {ion}", (1e-3, 1e4))
    comps = [IonicEnvironment("environment", env), Membrane("membrane"), HHSodium("na"), HHPotassium("k"),
             Leak("leak"), *rev]
    return Model(
        "hodgkin_huxley_1952",
        comps,
        citation=reference("hodgkin1952").full,
        description=(
            "Space-clamped squid giant axon membrane: transient Na, delayed-rectifier K and "
            "leak currents (modern convention, rest -65 mV)."
        ),
    )
