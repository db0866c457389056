"""Electrochemistry of membranes: Nernst, Goldman-Hodgkin-Katz voltage and current.

Pure, vectorised functions; no state. All follow the package's unit rule
(see :mod:`neuromuscle`): potentials in mV, concentrations in mM, temperature in
degrees C, permeabilities in cm/s, current densities in uA/cm2.

The sign convention is the physiological one: membrane potential is inside minus
outside, and outward current (positive charge leaving the cell) is positive.

References
----------
Goldman DE (1943) J Gen Physiol 27:37-60. Hodgkin AL & Katz B (1949) J Physiol
108:37-77. Hille B (2001) Ion Channels of Excitable Membranes, 3rd ed., ch. 14
(the GHK current equation in the form used here, eq. 14-3).
"""

from __future__ import annotations

import numpy as np

from ._validate import check_nonzero_int, check_positive, check_range
from .constants import CELSIUS_RANGE, FARADAY, GAS_CONSTANT, ZERO_CELSIUS
from .mathfn import x_over_expm1

__all__ = [
    "thermal_voltage",
    "nernst",
    "ghk_current",
    "ghk_flux",
    "ghk_voltage",
]

#: Largest concentration accepted, mM. Saturated NaCl is about 6 M; anything above
#: 10 M is a unit mistake (e.g. uM passed as mM), not a solution.
MAX_CONCENTRATION = 10_000.0


def _celsius(celsius) -> np.ndarray:
    return check_range("celsius", celsius, *CELSIUS_RANGE, "degC")


def thermal_voltage(celsius=37.0):
    """RT/F in mV at a temperature in degrees C.

    Parameters
    ----------
    celsius : float or array_like
        Temperature, degrees C, within 0-50.

    Returns
    -------
    float or ndarray
        RT/F in mV (25.27 mV at 20 C, 26.73 mV at 37 C).
    """
    t = _celsius(celsius)
    return GAS_CONSTANT * (t + ZERO_CELSIUS) / FARADAY * 1e3


def nernst(c_out, c_in, z, celsius=37.0):
    """Nernst equilibrium potential ``E = (RT/zF) ln(c_out/c_in)`` in mV.

    Parameters
    ----------
    c_out, c_in : float or array_like
        Extracellular and intracellular concentrations, mM (> 0).
    z : int or array_like
        Valence (non-zero integer): +1 Na, K; +2 Ca, Mg; -1 Cl.
    celsius : float or array_like
        Temperature, degrees C (0-50).

    Returns
    -------
    float or ndarray
        Equilibrium potential, mV (inside relative to outside).

    Examples
    --------
    >>> round(float(nernst(4.0, 155.0, 1, 37.0)), 2)
    -97.74
    """
    co = check_positive("c_out", c_out, "mM", upper=MAX_CONCENTRATION)
    ci = check_positive("c_in", c_in, "mM", upper=MAX_CONCENTRATION)
    zz = check_nonzero_int("z", z)
    return thermal_voltage(celsius) / zz * np.log(co / ci)


def _ghk_driving(v, c_out, c_in, z, celsius):
    """GHK concentration term in mM: ``u (c_in - c_out e^-u) / (1 - e^-u)``, u = zFV/RT.

    Written as ``c_in g(u) - c_out g(-u)`` with ``g(u) = u / (1 - e^-u)``, which is
    finite and smooth at u = 0 (both terms -> c), so no branch is needed at V = 0.
    """
    u = z * np.asarray(v, dtype=float) / thermal_voltage(celsius)
    # g(u) = u/(1 - e^-u) = (-u)/(e^-u - 1); g(-u) = u/(e^u - 1)
    return c_in * x_over_expm1(-u) - c_out * x_over_expm1(u)


def ghk_current(v, permeability, c_out, c_in, z, celsius=37.0):
    """GHK current density of one ion, uA/cm2 (outward positive).

    ``I = P z F u (c_in - c_out exp(-u)) / (1 - exp(-u))`` with ``u = zFV/RT``.
    With P in cm/s and c in mM (1e-6 mol/cm3) the factors 1e-6 and A->uA cancel, so
    ``I[uA/cm2] = z F P[cm/s] * (...)[mM]``.

    Parameters
    ----------
    v : float or array_like
        Membrane potential, mV.
    permeability : float or array_like
        Permeability, cm/s (>= 0).
    c_out, c_in : float or array_like
        Concentrations, mM (> 0).
    z : int
        Valence.
    celsius : float
        Temperature, degrees C.

    Returns
    -------
    float or ndarray
        Current density, uA/cm2. Zero at the ion's Nernst potential; finite and
        continuous at V = 0, where it equals ``z F P (c_in - c_out)``.
    """
    p = check_range("permeability", permeability, 0.0, np.inf, "cm/s")
    co = check_positive("c_out", c_out, "mM", upper=MAX_CONCENTRATION)
    ci = check_positive("c_in", c_in, "mM", upper=MAX_CONCENTRATION)
    zz = check_nonzero_int("z", z)
    return zz * FARADAY * p * _ghk_driving(v, co, ci, zz, celsius)


def ghk_flux(v, permeability, c_out, c_in, z, celsius=37.0):
    """GHK efflux of one ion, pmol/(cm2 s) (outward positive).

    The flux is ``I / (z F)``; with I in uA/cm2 this is ``1e6 * I / (z F)`` pmol/(cm2 s).
    Parameters as :func:`ghk_current`.
    """
    p = check_range("permeability", permeability, 0.0, np.inf, "cm/s")
    co = check_positive("c_out", c_out, "mM", upper=MAX_CONCENTRATION)
    ci = check_positive("c_in", c_in, "mM", upper=MAX_CONCENTRATION)
    zz = check_nonzero_int("z", z)
    # I/(zF) [uA/cm2 / (C/mol)] = 1e-6 mol/(cm2 s) * ...; in pmol: * 1e12 * 1e-6
    return 1e6 * p * _ghk_driving(v, co, ci, zz, celsius)


def ghk_voltage(permeability, c_out, c_in, z, celsius=37.0):
    """Reversal (zero-current) potential of several permeant ions, mV.

    For monovalent ions only, the closed form
    ``V = (RT/F) ln((sum_cations P c_out + sum_anions P c_in) /
    (sum_cations P c_in + sum_anions P c_out))`` is used. With divalent ions there is
    no closed form; the zero of the total GHK current is found instead (it is unique,
    because every GHK current increases monotonically with V, and it lies between the
    smallest and largest Nernst potential of the permeant ions).

    Parameters
    ----------
    permeability, c_out, c_in, z : array_like
        One entry per ion along axis 0; further axes broadcast. Permeabilities in
        cm/s (or any common relative unit: only ratios matter), concentrations in mM.
    celsius : float or array_like
        Temperature, degrees C.

    Returns
    -------
    float or ndarray
        Potential at which the net GHK current is zero, mV.

    Examples
    --------
    Permeability ratios PK:PNa:PCl = 1:0.04:0.45 (Hodgkin & Katz 1949, squid axon at rest)
    with illustrative squid concentrations

    >>> round(float(ghk_voltage([1, 0.04, 0.45], [20, 440, 560], [400, 50, 52], [1, 1, -1], 6.3)), 1)
    -57.1
    """
    p = check_range("permeability", permeability, 0.0, np.inf, "cm/s")
    co = check_positive("c_out", c_out, "mM", upper=MAX_CONCENTRATION)
    ci = check_positive("c_in", c_in, "mM", upper=MAX_CONCENTRATION)
    zz = check_nonzero_int("z", z)
    if p.ndim == 0:
        raise ValueError("permeability must list one value per ion (axis 0), got a scalar")
    p, co, ci, zz = np.broadcast_arrays(p, co, ci, zz)
    if np.any(np.all(p == 0, axis=0)):
        raise ValueError("permeability: at least one ion must be permeant (all values are 0)")
    vt = thermal_voltage(celsius)
    if np.all(np.abs(zz) == 1):
        cation = zz > 0
        num = np.sum(np.where(cation, p * co, p * ci), axis=0)
        den = np.sum(np.where(cation, p * ci, p * co), axis=0)
        return vt * np.log(num / den)
    # Divalent ions present: bisection on the monotonic total current. The bracket is
    # the span of the permeant ions' Nernst potentials; 64 halvings reach double precision.
    e_ion = vt / zz * np.log(co / ci)
    e_ion = np.where(p > 0, e_ion, np.nan)
    lo = np.nanmin(e_ion, axis=0)
    hi = np.nanmax(e_ion, axis=0)
    for _ in range(64):
        mid = 0.5 * (lo + hi)
        total = np.sum(zz * p * _ghk_driving(mid, co, ci, zz, celsius), axis=0)
        lo = np.where(total < 0, mid, lo)
        hi = np.where(total < 0, hi, mid)
    return 0.5 * (lo + hi)
