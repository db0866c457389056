"""Clinical conversions: laboratory units to mM, and total to ionised Ca and Mg."""

from __future__ import annotations

import types
from collections.abc import Mapping

import numpy as np

from .._validate import check_range
from ..ions import IONS
from .ranges import Range

# ------------------------------------------------------------------ unit conversion
#: Molar masses by field, g/mol (from :data:`neuromuscle.ions.IONS`).
MOLAR_MASS: Mapping[str, float] = types.MappingProxyType({i.field: i.molar_mass for i in IONS.values()})

#: Valences (charge numbers) by field, used for mEq/L (from :data:`neuromuscle.ions.IONS`).
VALENCE: Mapping[str, int] = types.MappingProxyType({i.field: i.valence for i in IONS.values()})

#: Units accepted by :func:`to_mM` and :func:`from_mM` (case-insensitive).
UNITS = ("mM", "mmol/L", "mEq/L", "mg/dL")
_UNIT_KEY = {u.lower(): u for u in UNITS}

_ION_ALIASES = {
    "na": "na", "na+": "na", "sodium": "na",
    "k": "k", "k+": "k", "potassium": "k",
    "cl": "cl", "cl-": "cl", "chloride": "cl",
    "ca": "ca", "ca2+": "ca", "ca++": "ca", "calcium": "ca",
    "mg": "mg", "mg2+": "mg", "mg++": "mg", "magnesium": "mg",
    "hco3": "hco3", "hco3-": "hco3", "bicarbonate": "hco3",
}


def _unit(unit: str) -> str:
    key = str(unit).strip().lower() if isinstance(unit, str) else None
    if key not in _UNIT_KEY:
        raise ValueError(f"unit = {unit!r} is not supported; use one of {', '.join(UNITS)}")
    return _UNIT_KEY[key]


def _ion(ion: str) -> str:
    key = ion.strip().lower() if isinstance(ion, str) else None
    if key not in _ION_ALIASES:
        raise ValueError(f"ion = {ion!r} is not known; use one of {', '.join(MOLAR_MASS)}")
    return _ION_ALIASES[key]


def _out(arr: np.ndarray):
    """A 0-d array as a Python float, anything else unchanged."""
    return float(arr) if arr.ndim == 0 else arr


def _mM_per_unit(unit: str, ion: str) -> float:
    """Factor f with ``c[mM] = f * c[unit]``."""
    if unit in ("mM", "mmol/L"):
        return 1.0
    if unit == "mEq/L":
        return 1.0 / abs(VALENCE[ion])  # mEq = mmol * |z|
    # mg/dL -> mg/L (x 10) -> mmol/L (/ M in g/mol = mg/mmol)
    return 10.0 / MOLAR_MASS[ion]


def to_mM(value, unit: str, ion: str):
    """Convert a concentration to mM (= mmol/L).

    Parameters
    ----------
    value : float or array_like
        Concentration in ``unit`` (>= 0).
    unit : {"mM", "mmol/L", "mEq/L", "mg/dL"}
        Unit of ``value`` (case-insensitive). ``mEq/L = mmol/L * |z|``;
        ``mg/dL = mmol/L * M / 10`` with M the molar mass in g/mol (:data:`MOLAR_MASS`).
    ion : {"na", "k", "cl", "ca", "mg", "hco3"}
        The ion (case-insensitive; "Ca2+", "calcium" etc. are accepted).

    Returns
    -------
    float or ndarray
        Concentration, mM.

    Notes
    -----
    Clinical "mmol/L" is per litre of plasma, not of plasma water, and ion-selective
    electrodes report activity-based values; like most models, this package uses the
    reported plasma value as is.

    Examples
    --------
    >>> round(to_mM(10.02, "mg/dL", "ca"), 3)
    2.5
    >>> to_mM(1.4, "mEq/L", "mg")
    0.7
    """
    u, i = _unit(unit), _ion(ion)
    arr = check_range("value", value, 0.0, np.inf, u, high_inclusive=False)
    return _out(arr * _mM_per_unit(u, i))


def from_mM(value, unit: str, ion: str):
    """Convert a concentration in mM to ``unit``; the inverse of :func:`to_mM`.

    Parameters
    ----------
    value : float or array_like
        Concentration, mM (>= 0).
    unit, ion : str
        As in :func:`to_mM`.

    Returns
    -------
    float or ndarray
        Concentration in ``unit``.

    Examples
    --------
    >>> round(from_mM(2.5, "mg/dL", "ca"), 2), from_mM(2.5, "mEq/L", "ca")
    (10.02, 5.0)
    """
    u, i = _unit(unit), _ion(ion)
    arr = check_range("value", value, 0.0, np.inf, "mM", high_inclusive=False)
    return _out(arr / _mM_per_unit(u, i))


# ------------------------------------------------------------------ total -> ionised
#: Plausible total (not ionised) plasma concentrations, mM, for the conversion helpers.
_TOTAL_CA = Range(0.8, 6.0, "mM",
                  "total Ca; Ca 1.47 mmol/L in a survivor, hypercalcaemic crisis rarely > 5 mmol/L; plus a "
                  "margin (modelling choice)", confidence="unchecked")
_TOTAL_MG = Range(0.1, 10.0, "mM",
                  "total Mg; cardiac arrest above ~7.5-12 mmol/L (MgSO4 labelling, obstetric literature); "
                  "modelling choice", confidence="unchecked")
#: Albumin accepted by the Payne adjustment, g/L. A modelling choice of this module (no cited
#: bound): it is wide enough for severe hypoalbuminaemia and catches g/dL passed as g/L.
_ALBUMIN = Range(5.0, 80.0, "g/L", "modelling choice of this module")
#: Payne et al. 1973 (BMJ 4:643-646): adjusted Ca = total + 0.02 (40 - albumin), SI units.
PAYNE_SLOPE = 0.02  # mmol/L of Ca per g/L of albumin
PAYNE_REFERENCE_ALBUMIN = 40.0  # g/L
#: Default ionised fractions. Ca: 45-50 % ionised, ~40 % protein-bound, 10-15 % complexed
#: (MSD Manual, guideline summaries); 0.48 is a modelling choice within that band.
#: Mg: 55 % (Barbagallo et al. 2009, Magnes Res 22:235) to 67 % (Altura & Altura 1994, Scand J
#: Clin Lab Invest 54 Suppl 217:83-87) ionised; 0.60 is a modelling choice.
CA_IONISED_FRACTION = 0.48
MG_IONISED_FRACTION = 0.60
#: Fractions accepted: the ionised/total bands outside which the value is implausible
#: (modelling choice derived from the fractions above).
_CA_FRACTION = Range(0.30, 0.80, "", "modelling choice")
_MG_FRACTION = Range(0.40, 0.90, "", "modelling choice")


def _check(name: str, value, rng: Range) -> np.ndarray:
    return check_range(name, value, rng.low, rng.high, rng.unit,
                       low_inclusive=rng.low_inclusive, high_inclusive=rng.high_inclusive)


def _albumin_g_per_L(albumin_g_per_L) -> np.ndarray:
    try:
        return _check("albumin_g_per_L", albumin_g_per_L, _ALBUMIN)
    except ValueError as exc:
        raise ValueError(f"{exc} (if the value is in g/dL, multiply it by 10)") from None


def payne_adjusted_calcium(total_mM, albumin_g_per_L):
    """Albumin-adjusted total calcium, mM (Payne et al. 1973).

    ``adjusted = total + 0.02 * (40 - albumin)`` with albumin in g/L: the total Ca the patient
    would have at the reference albumin of 40 g/L, because about 40 % of plasma Ca is bound,
    mostly to albumin.

    Parameters
    ----------
    total_mM : float or array_like
        Measured total plasma Ca, mM (0.8-6).
    albumin_g_per_L : float or array_like
        Plasma albumin, g/L (5-80; the value in g/dL times 10).

    Returns
    -------
    float or ndarray
        Adjusted total Ca, mM.

    Notes
    -----
    Payne RB, Little AJ, Williams RB, Milner JR (1973) BMJ 4(5893):643-646. The formula was
    derived from about 200 patients at one laboratory. It is inaccurate in critical illness,
    chronic kidney disease and acid-base disturbance; a directly measured ionised Ca is the
    gold standard.

    Examples
    --------
    >>> round(payne_adjusted_calcium(1.83, 26.0), 2)
    2.11
    """
    total = _check("total_mM", total_mM, _TOTAL_CA)
    alb = _albumin_g_per_L(albumin_g_per_L)
    return _out(total + PAYNE_SLOPE * (PAYNE_REFERENCE_ALBUMIN - alb))


def ionised_calcium(total_mM, albumin_g_per_L=None, fraction: float = CA_IONISED_FRACTION):
    """Estimate ionised (free) plasma Ca from total Ca, mM.

    ``iCa = fraction * total``, with ``total`` first adjusted for albumin by
    :func:`payne_adjusted_calcium` when ``albumin_g_per_L`` is given.

    Parameters
    ----------
    total_mM : float or array_like
        Measured total plasma Ca, mM (0.8-6).
    albumin_g_per_L : float or array_like, optional
        Plasma albumin, g/L. If omitted, albumin is assumed normal (no adjustment).
    fraction : float
        Ionised fraction of the (adjusted) total, 0.30-0.80; default 0.48.

    Returns
    -------
    float or ndarray
        Estimated ionised Ca, mM.

    Notes
    -----
    No validated universal formula converts total to ionised Ca. The assumptions here:

    * About 45-50 % of plasma Ca is ionised, ~40 % is protein-bound (mostly to albumin) and
      10-15 % is complexed with citrate, phosphate, bicarbonate or lactate (MSD Manual and
      guideline summaries). The default 0.48 is a modelling choice within that
      band; values of 0.40-0.55 are defensible.
    * The fraction applies at normal albumin; the Payne adjustment removes the effect of an
      abnormal albumin on the bound part.
    * pH is ignored: a rise of 0.1 pH unit lowers ionised Ca by about 0.05 mmol/L because
      alkalosis increases albumin binding. Citrate (massive transfusion) and
      renal failure raise the complexed part, which this estimate also ignores.

    Measure ionised Ca directly when it matters.

    Examples
    --------
    >>> ionised_calcium(2.5)
    1.2
    >>> round(ionised_calcium(1.83, albumin_g_per_L=26.0), 4)  # 0.48 * 2.11
    1.0128
    """
    f = float(_check("fraction", fraction, _CA_FRACTION))
    if albumin_g_per_L is None:
        total = _check("total_mM", total_mM, _TOTAL_CA)
    else:
        total = np.asarray(payne_adjusted_calcium(total_mM, albumin_g_per_L))
    return _out(f * total)


def ionised_magnesium(total_mM, fraction: float = MG_IONISED_FRACTION):
    """Estimate ionised (free) plasma Mg from total Mg, mM: ``iMg = fraction * total``.

    Parameters
    ----------
    total_mM : float or array_like
        Measured total plasma Mg, mM (0.1-10).
    fraction : float
        Ionised fraction, 0.40-0.90; default 0.60.

    Returns
    -------
    float or ndarray
        Estimated ionised Mg, mM.

    Notes
    -----
    Measured fractions: 55 % ionised, 25 % albumin-bound, 8 % globulin-bound, 12 % chelated
    (Barbagallo et al. 2009, Magnes Res 22:235, via BioNumbers 114371); 67 %
    ionised, 19 % protein-bound, 14 % complexed (Altura & Altura 1994, Scand J Clin Lab
    Invest 54 Suppl 217:83-87). The default 0.60 is a modelling choice
    within 0.55-0.70. An albumin correction for Mg exists (Kroll & Elin 1985, Clin Chem), but
    its formula was not retrieved, so none is applied.

    Examples
    --------
    >>> round(ionised_magnesium(0.85), 3)
    0.51
    """
    f = float(_check("fraction", fraction, _MG_FRACTION))
    return _out(f * _check("total_mM", total_mM, _TOTAL_MG))
