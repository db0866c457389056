"""The factory :func:`muscle_fibre`."""

from __future__ import annotations

from ..._validate import check_range, check_real
from ...citations import cite
from ...components.muscle_wallinga import (
    WallingaSodium,
)
from ...electrochem import HILLE_1975, SurfaceCharge
from ...electrolytes import Electrolytes, as_electrolytes
from ...model import Model
from .build import _build, cation_permeability
from .calibration import _calibration, _published

#: Largest added cation leak accepted, mS/cm2
CATION_LEAK_MAX = 100.0


def muscle_fibre(
    electrolytes: Electrolytes | None = None,
    *,
    cation_leak: float = 0.0,
    tubule: bool = True,
    surface: SurfaceCharge = HILLE_1975,
    resting: str = "calibrated",
    na_conductance: float | None = None,
    sodium: type = WallingaSodium,
) -> Model:
    """A mammalian fast-twitch skeletal-muscle fibre (surface membrane + t-tubule).

    Parameters
    ----------
    electrolytes : Electrolytes, optional
        The ionic environment (default normal plasma, 37 C). Intracellular Na, K, Cl come
        from it when given, else from :data:`MUSCLE_CYTOSOL` and the calibrated passive Cl.
    cation_leak : float
        Conductance of an added non-selective cation leak, mS/cm2, as its chord conductance
        at -85 mV in normal plasma (hypokalaemic periodic paralysis fibres: 0.012-0.0195,
        Jurkat-Rott et al. 2009), 0-100 mS/cm2. Converted to a GHK permeability
        by :func:`cation_permeability`.
    tubule : bool
        Include the t-tubular compartment (default). Without it the model is the surface
        membrane alone.
    surface : SurfaceCharge
        Surface-charge parameters for the Ca/Mg gating shift (default Hille et al. 1975).
    resting : {"calibrated", "published"}
        Densities that set the resting state. ``"calibrated"`` (default): Kir, ClC-1 and
        pump densities, background Na and Cl_i calibrated to the measured resting
        conductances and rest potential of :data:`RESTING_TARGETS`, and the measured peak
        Na conductance :data:`NA_CONDUCTANCE` (see Notes and docs/models/muscle_fibre.md).
        ``"published"``: Wallinga's channel densities and pump, Cl_i 5.83 mM, and a
        background Na permeability from the pump-leak balance in normal plasma; its
        resting K conductance is about 40 times the measured one.
    na_conductance : float, optional
        Peak Na conductance, mS/cm2 at 20 C (conductance Q10 1.5), for
        ``resting="calibrated"``; default :data:`NA_CONDUCTANCE`. The calibration is
        redone for it (the Na window current enters the Na balance).
    sodium : type
        Na channel class of the surface and tubular membranes (default
        :class:`~neuromuscle.components.muscle_wallinga.WallingaSodium`; with
        ``resting="calibrated"`` the resting densities are calibrated with it).

    Returns
    -------
    Model
        States ``V``, gates, and (with the tubule) ``u``, tubular gates and ``K_t``. Model-wide
        parameters ``celsius, Na_o, K_o, Cl_o, Ca_o, Mg_o, HCO3_o, Na_i, K_i, Cl_i``
        (:data:`FIBRE_ELECTROLYTES`, component ``environment``) and ``ATP_i`` (component
        ``myoplasm``); the component ``surface`` computes the gating shift ``dV_surface``
        (an output) from them, relative to its reference solution ``surface.*_ref``.
        Declared stiff (slow inactivation time constants of tens of seconds next to 0.02 ms
        Na activation).

    Notes
    -----
    Channel kinetics are Wallinga's. With ``resting="calibrated"`` the *densities* that set
    the resting state are not. Wallinga's resting K and Cl conductances are many times the measured ones, so the Kir,
    ClC-1 and pump densities, a background Na permeability (Wallinga has none) and the
    myoplasmic Cl are calibrated once, for normal plasma with K_o 4 mM at 37 C, to the
    measured resting K and Cl conductances and rest potential in :data:`RESTING_TARGETS`,
    with myoplasmic Na stationary (pump-leak balance) and Cl passively distributed. The
    peak Na conductance is the measured one (:data:`NA_CONDUCTANCE`). Nothing is re-fitted
    per condition: every other electrolyte state follows from the equations.
    """
    e = as_electrolytes("electrolytes", electrolytes, default="normal")
    ref = Electrolytes.preset("normal")
    # upper bound: far above a fibre's whole resting conductance (a few mS/cm2); a huge value would
    # overflow the permeability
    check_range("cation_leak", check_real("cation_leak", cation_leak), 0.0, CATION_LEAK_MAX, "mS/cm2")
    if resting == "calibrated":
        values = dict(_calibration(tubule, na_conductance, sodium))
    elif resting == "published" and na_conductance is None and sodium is WallingaSodium:
        values = dict(_published(tubule))
    else:
        raise ValueError("resting must be 'published' or 'calibrated' (na_conductance and sodium only with "
                         f"'calibrated'), got {resting!r}")
    values["cation_leak.P"] = (cation_permeability(cation_leak),
                               f"input: cation_leak = {cation_leak:g} mS/cm2 (chord at -85 mV) argument of "
                               "muscle_fibre "
                               f"({cite('jurkatrott2009')}: 12-19.5 uS/cm2 in HypoPP fibres)")
    return _build(e, ref, surface, values, tubule, sodium)
