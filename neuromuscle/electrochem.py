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

from dataclasses import dataclass

import numpy as np

from ._validate import check_nonzero_int, check_positive, check_range
from .citations import cite
from .constants import (
    CELSIUS_RANGE,
    ELEMENTARY_CHARGE,
    FARADAY,
    GAS_CONSTANT,
    VACUUM_PERMITTIVITY,
    ZERO_CELSIUS,
)
from .ions import IONS
from .mathfn import x_over_expm1

__all__ = [
    "thermal_voltage",
    "nernst",
    "ghk_current",
    "ghk_flux",
    "ghk_voltage",
    "ghk_permeability_ratio",
    "water_permittivity",
    "ChargeGroup",
    "SurfaceCharge",
    "HILLE_1975",
    "surface_potential",
    "gating_shift",
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
    return rt_over_f(_celsius(celsius))


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
    return nernst_unchecked(co, ci, zz, _celsius(celsius))


# ----------------------------------------------------------------------------------------
# Unchecked kernels: pure arithmetic, for model right-hand sides (which are also compiled).
# The public functions validate their arguments and then call these, so every formula
# exists once.
# ----------------------------------------------------------------------------------------

_R_OVER_F_MV = GAS_CONSTANT / FARADAY * 1e3  # RT/F per kelvin, mV


def rt_over_f(celsius):
    """RT/F in mV, without argument checks (see :func:`thermal_voltage`)."""
    return _R_OVER_F_MV * (celsius + ZERO_CELSIUS)


def ghk_permeability_ratio(e_rev, k_o, k_i, na_o, na_i, celsius=37.0) -> float:
    """``P_Na/P_K`` of a K and Na pathway whose GHK reversal potential is ``e_rev``.

    Inverts ``e_rev = (RT/F) ln((K_o + r Na_o)/(K_i + r Na_i))`` for ``r``: the one place the
    models turn a published leak or HCN reversal into a permeability ratio that then follows
    the electrolytes.

    Parameters
    ----------
    e_rev : float
        Reversal potential, mV.
    k_o, k_i, na_o, na_i : float
        Concentrations, mM.
    celsius : float
        Temperature, degrees C.

    Returns
    -------
    float
        The ratio (negative when ``e_rev`` lies outside ``E_K``..``E_Na``).

    Examples
    --------
    >>> r = ghk_permeability_ratio(-70.0, 4.0, 140.0, 140.0, 10.0)
    >>> round(float(ghk_voltage([1.0, r], [4.0, 140.0], [140.0, 10.0], [1, 1])), 6)
    -70.0
    """
    x = np.exp(e_rev / rt_over_f(celsius))
    return float((k_i * x - k_o) / (na_o - na_i * x))


def nernst_unchecked(c_out, c_in, z, celsius):
    """Nernst potential in mV, without argument checks (see :func:`nernst`)."""
    return rt_over_f(celsius) / z * np.log(c_out / c_in)


def ghk_current_density(V, c_out, c_in, z, celsius):
    """GHK current per unit permeability, uA/cm2 per (cm/s), without argument checks.

    ``z F u (c_in - c_out e^-u) / (1 - e^-u)`` with ``u = z F V / RT`` is written as
    ``z F (c_in g(u) - c_out g(-u))`` with ``g(u) = u / (1 - e^-u)``, finite and smooth at
    u = 0 (both terms -> c), so no branch is needed at V = 0 (see :func:`ghk_current`).
    """
    u = z * V / rt_over_f(celsius)
    # g(u) = u/(1 - e^-u) = (-u)/(e^-u - 1) = x_over_expm1(-u); g(-u) = x_over_expm1(u)
    return z * FARADAY * (c_in * x_over_expm1(-u) - c_out * x_over_expm1(u))


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
    return p * ghk_current_density(np.asarray(v, dtype=float), co, ci, zz, _celsius(celsius))


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
    return 1e6 * p * ghk_current_density(np.asarray(v, dtype=float), co, ci, zz, _celsius(celsius)) / (zz * FARADAY)


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
        total = np.sum(p * ghk_current_density(mid, co, ci, zz, celsius), axis=0)
        lo = np.where(total < 0, mid, lo)
        hi = np.where(total < 0, hi, mid)
    return 0.5 * (lo + hi)


# ----------------------------------------------------------------------------------------
# Surface charge: Gouy-Chapman diffuse layer with Stern (Langmuir) binding
# ----------------------------------------------------------------------------------------

#: Valences of the ions the surface-charge model knows. "A" is an unspecified monovalent
#: anion (plasma proteins, phosphate, lactate...) used to restore electroneutrality.
SURFACE_ION_VALENCE = {**{n: IONS[n].valence for n in ("Na", "K", "Cl", "HCO3", "Ca", "Mg")}, "A": -1}


def water_permittivity(celsius=20.0):
    """Relative permittivity of water at a temperature in degrees C.

    Malmberg CG, Maryott AA (1956) J Res Natl Bur Stand 56:1-8, eq. 6:
    ``eps = 87.740 - 0.40008 t + 9.398e-4 t^2 - 1.410e-6 t^3`` (80.10 at 20 C, 74.15 at 37 C).
    """
    t = _celsius(celsius)
    return 87.740 - 0.40008 * t + 9.398e-4 * t**2 - 1.410e-6 * t**3


@dataclass(frozen=True)
class ChargeGroup:
    """One class of fixed charges on the membrane surface.

    Attributes
    ----------
    density : float
        Charge density when fully ionised, elementary charges per nm2 (negative for an
        acid, positive for a base).
    pka : float
        Proton dissociation pK of the group (``inf`` for a group that never titrates).
    binds_divalent : bool
        Whether Ca and Mg bind to it (Langmuir, 1:1, on the surface concentrations).
    """

    density: float
    pka: float = np.inf
    binds_divalent: bool = True


@dataclass(frozen=True)
class SurfaceCharge:
    """Parameters of a Gouy-Chapman-Stern surface: charge groups and divalent binding.

    Attributes
    ----------
    groups : tuple of ChargeGroup
    k_ca, k_mg : float
        Intrinsic association constants of Ca and Mg with a binding group, 1/M, applied to
        the Boltzmann-enhanced surface concentration.
    ph : float
        Bulk pH.
    complex_charge : int
        Net charge (in e) of a site with a bound divalent ion: 0 if the ion only neutralises
        the site, +1 if the complex keeps the divalent's surplus charge.
    source : str
        Where the numbers come from.
    """

    groups: tuple
    k_ca: float
    k_mg: float
    ph: float = 7.4
    complex_charge: int = 0
    source: str = ""


#: Frog node of Ranvier, Na-channel gating (Hille, Woodhull & Shapiro 1975, Phil Trans R Soc
#: B 270:301, abstract): acid groups of -0.90 e/nm2 (pKa 2.88) and -0.58 e/nm2 (pKa 4.58),
#: a base of +0.33 e/nm2 (pKa 6.28); the acids bind Ca with "dissociation constant K = 28 M",
#: read literally (K_Ca = 1/28 per M), which reproduces both headline numbers of the same
#: abstract (+20 to +25 mV per tenfold divalent, -18 mV divalent-free vs 2 mM Ca); the
#: stronger reading (28 per M) gives a divalent-free shift of -64 mV and is rejected.
#: K_Mg is not in the abstract (only the order Mg < Ca); it is set to K_Ca * 8/12, the Mg:Ca
#: ratio of intrinsic binding to phosphatidylserine (McLaughlin et al. 1981, J Gen Physiol
#: 77:445: Ca 12, Mg 8 per M) -- an assumption, stated as such.
HILLE_1975 = SurfaceCharge(
    groups=(
        ChargeGroup(-0.90, 2.88, True),
        ChargeGroup(-0.58, 4.58, True),
        ChargeGroup(+0.33, 6.28, False),
    ),
    k_ca=1.0 / 28.0,
    k_mg=(1.0 / 28.0) * 8.0 / 12.0,
    ph=7.4,
    complex_charge=0,
    source=(
        f"{cite('hille1975')} (groups, pKa, K_Ca); "
        "K_Mg/K_Ca = 8/12 from McLaughlin et al. 1981 J Gen Physiol 77:445 (assumption)"
    ),
)

_E_PER_NM2 = ELEMENTARY_CHARGE / 1e-18  # C/m2 per e/nm2


def surface_potential(concentrations, surface: SurfaceCharge = HILLE_1975, celsius=20.0, eps_r=None):
    """Outer surface potential (mV) of a charged membrane in a mixed electrolyte.

    Solves the Grahame equation of the diffuse double layer,
    ``sigma^2 = 2 eps_r eps_0 R T sum_i c_i (exp(-z_i F psi/RT) - 1)``, against the charge
    left on the surface after protons and divalent cations (Ca, Mg) bind to it, Langmuir
    fashion, at their Boltzmann surface concentrations ``c exp(-z F psi/RT)``
    (McLaughlin 1989, Annu Rev Biophys Biophys Chem 18:113). The mismatch increases
    monotonically with psi, so a bisection on [-500, 500] mV always converges: the
    solve cannot fail anywhere in 0-100 mM of any ion (including divalent-free solutions).

    Parameters
    ----------
    concentrations : mapping
        Bulk concentrations, mM, by ion name (``"Na", "K", "Cl", "HCO3", "Ca", "Mg"``; ``"A"``
        for other monovalent anions). Values may be arrays (they broadcast). Zero allowed.
    surface : SurfaceCharge
        Charge groups and binding constants; default :data:`HILLE_1975`.
    celsius : float
        Temperature, degrees C.
    eps_r : float, optional
        Relative permittivity; default :func:`water_permittivity` at ``celsius``.

    Returns
    -------
    float or ndarray
        Surface potential relative to the bulk, mV (negative for a negative surface).
    """
    unknown = set(concentrations) - set(SURFACE_ION_VALENCE)
    if unknown:
        raise ValueError(f"concentrations: unknown ion(s) {sorted(unknown)}; known: {sorted(SURFACE_ION_VALENCE)}")
    conc = {
        k: check_range(f"concentrations[{k!r}]", v, 0.0, MAX_CONCENTRATION, "mM") for k, v in concentrations.items()
    }
    if not conc or all(np.all(c == 0) for c in conc.values()):
        raise ValueError("concentrations: at least one ion must be present")
    vt = thermal_voltage(celsius)
    eps = water_permittivity(celsius) if eps_r is None else check_positive("eps_r", eps_r)
    t_kelvin = _celsius(celsius) + ZERO_CELSIUS
    grahame = 2.0 * eps * VACUUM_PERMITTIVITY * GAS_CONSTANT * t_kelvin  # C^2/m^4 per mM
    ca = conc.get("Ca", 0.0) * 1e-3  # M
    mg = conc.get("Mg", 0.0) * 1e-3
    h_bulk = 10.0 ** (-surface.ph)

    def mismatch(psi):
        u = np.exp(-psi / vt)  # Boltzmann factor for a monovalent cation
        s = sum(c * (u ** SURFACE_ION_VALENCE[k] - 1.0) for k, c in conc.items())
        sigma_diffuse = np.sign(psi) * np.sqrt(grahame * np.abs(s))
        bound = (surface.k_ca * ca + surface.k_mg * mg) * u * u
        h_surf = h_bulk * u
        sigma_fixed = 0.0
        for g in surface.groups:
            protonated = h_surf / 10.0 ** (-g.pka) if np.isfinite(g.pka) else 0.0
            if g.density < 0:  # acid: charged when deprotonated and unbound
                b = bound if g.binds_divalent else 0.0
                occupancy_charge = 1.0 - surface.complex_charge * b
                sigma_fixed = sigma_fixed + g.density * occupancy_charge / (1.0 + protonated + b)
            else:  # base: charged when protonated
                sigma_fixed = sigma_fixed + g.density * protonated / (1.0 + protonated)
        return sigma_diffuse - sigma_fixed * _E_PER_NM2

    shape = np.broadcast_shapes(*(np.shape(c) for c in conc.values()), np.shape(celsius))
    lo = np.full(shape, -500.0)
    hi = np.full(shape, 500.0)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(60):  # 1000 mV / 2^60: far below double precision of psi
            mid = 0.5 * (lo + hi)
            neg = mismatch(mid) < 0
            lo = np.where(neg, mid, lo)
            hi = np.where(neg, hi, mid)
    psi = 0.5 * (lo + hi)
    return psi if psi.ndim else float(psi)


def gating_shift(test, reference, surface: SurfaceCharge = HILLE_1975, celsius=20.0):
    """Shift (mV) of voltage-dependent gating in solution ``test`` relative to ``reference``.

    Gates sense the potential across the membrane proper, ``V + psi_in - psi_out``; with
    the inner surface unchanged, a gating curve fitted in ``reference`` moves by
    ``psi_out(test) - psi_out(reference)`` along V. Positive (more divalent cations)
    means gates need more depolarisation: threshold rises. Channels apply it by
    evaluating their rates at ``V - shift``.
    """
    return surface_potential(test, surface, celsius) - surface_potential(reference, surface, celsius)
