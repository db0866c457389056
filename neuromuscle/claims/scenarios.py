"""Plasma compositions the claims need that are not single presets: dehydration by sweating
(combined losses and haemoconcentration), computed by mass balance.

Dehydration is computed, not tabulated: a person of ``body_mass`` kg loses ``fraction`` of it
as sweat of a stated composition and drinks nothing. Water leaves every compartment
(osmotic equilibrium between cells and extracellular fluid, as in Edelman's relation), the
sweat's solutes leave the extracellular fluid, and what remains is concentrated into the
smaller extracellular volume (haemoconcentration). Potassium is the exception: almost all
of it is in the cells, which hold plasma K where it was, so plasma K is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..electrolytes import Electrolytes

__all__ = ["Sweat", "SWEAT", "dehydration", "DehydrationResult", "BODY_WATER_FRACTION", "ECF_FRACTION"]

#: Total body water, fraction of body mass (adult man), and extracellular fluid, fraction of
#: body mass (a third of body water): Guyton & Hall, Textbook of Medical Physiology, ch. 25
BODY_WATER_FRACTION = 0.60
ECF_FRACTION = 0.20
#: Plasma osmolality of the reference, mOsm/kg (reference interval 275-295)
OSMOLALITY = 290.0


@dataclass(frozen=True)
class Sweat:
    """Sweat composition, mM (ionised for Ca and Mg)."""

    na: float
    k: float
    cl: float
    ca: float
    mg: float
    source: str

    @property
    def osmolality(self) -> float:
        """mOsm/L: the sum of the ions (sweat has almost no other solute)."""
        return self.na + self.k + self.cl + self.ca + self.mg


#: Typical sweat of trained athletes
SWEAT = Sweat(
    na=45.0, k=5.0, cl=40.0, ca=1.0, mg=0.2,
    source="Na 43-54 mmol/L in 696 professional team-sport athletes (J Int Soc Sports Nutr 2017, "
           "doi:10.1186/s12970-017-0197-4); Cl, K, Ca and Mg mid-range of the ranges reviewed by Baker 2017 Sports "
           "Med 47 Suppl 1:111 (Cl 10-90, K 2-8, Ca 0.2-2, Mg 0.02-0.4 mmol/L; recalled, not checked against the "
           "table); the values are a modelling choice within those ranges",
)


@dataclass(frozen=True)
class DehydrationResult:
    """A dehydrated plasma and how it was reached."""

    electrolytes: Electrolytes
    sweat_litres: float
    osmolality: float
    ecf_change: float  # fraction (negative: smaller)
    haemoconcentration: float  # fraction by which the ECF's remaining solutes are concentrated


def dehydration(fraction: float, base: Electrolytes | None = None, *, sweat: Sweat = SWEAT,
                body_mass: float = 70.0) -> DehydrationResult:
    """Plasma after losing ``fraction`` of ``body_mass`` (kg) as ``sweat``, without drinking.

    Parameters
    ----------
    fraction : float
        Sweat lost, fraction of body mass (0-0.1; 2 % impairs endurance performance, more than
        5 % is severe).
    base : Electrolytes, optional
        The plasma before (default normal); a deficiency preset gives "deficiency plus
        dehydration".

    Examples
    --------
    >>> r = dehydration(0.04)
    >>> round(r.electrolytes.na, 1), round(r.osmolality), round(100 * r.ecf_change)
    (146.6, 304, -11)
    """
    if not 0.0 <= fraction <= 0.1:
        raise ValueError(f"dehydration fraction = {fraction!r}: valid range 0-0.1 (0-10 % of body mass)")
    if not 20.0 <= body_mass <= 200.0:
        raise ValueError(f"body_mass = {body_mass!r} kg: valid range 20-200 kg")
    e = base or Electrolytes.preset("normal")
    litres = fraction * body_mass  # 1 kg of sweat is about 1 L
    tbw, ecf = BODY_WATER_FRACTION * body_mass, ECF_FRACTION * body_mass
    total = OSMOLALITY * tbw
    osm = (total - sweat.osmolality * litres) / (tbw - litres)
    ecf_new = (OSMOLALITY * ecf - sweat.osmolality * litres) / osm
    factor = ecf / ecf_new

    def remaining(c, lost):
        return (c * ecf - lost * litres) / ecf_new

    values = dict(na=remaining(e.na, sweat.na), cl=remaining(e.cl, sweat.cl), ca=remaining(e.ca, sweat.ca),
                  mg=remaining(e.mg, sweat.mg), hco3=e.hco3 * factor, k=e.k)
    text = (f"{100 * fraction:g} % of {body_mass:g} kg body mass lost as sweat ({litres:.2f} L) from "
            f"'{e.name}', no drinking: osmolality {osm:.0f} mOsm/kg, extracellular volume "
            f"{100 * (ecf_new / ecf - 1):+.0f} %; K held by the cells")
    out = e.replace(name=f"{e.name}, {100 * fraction:g} % dehydration", description=text,
                    source="computed by mass balance (neuromuscle.claims.scenarios.dehydration); "
                           f"sweat: {sweat.source}; "
                           "body water 60 % and extracellular fluid 20 % of body mass (Guyton & Hall)",
                    **values)
    return DehydrationResult(out, litres, osm, ecf_new / ecf - 1.0, factor - 1.0)
