"""The :class:`Electrolytes` record: validated, with constructors for bath solutions and
clinical values."""

from __future__ import annotations

import dataclasses
import numbers
import types
from collections.abc import Mapping
from dataclasses import dataclass, field

from .._validate import check_choice
from .clinical import (
    CA_IONISED_FRACTION,
    MG_IONISED_FRACTION,
    _albumin_g_per_L,
    _check,
    _unit,
    ionised_calcium,
    ionised_magnesium,
    payne_adjusted_calcium,
    to_mM,
)
from .presets import _BODY_CELSIUS, _CA_ION, _CL, _HCO3, _K, _MG_ION, _NA, PRESET_DATA
from .ranges import (
    _CONCENTRATION_FIELDS,
    _NUMERIC_FIELDS,
    _SOLUTION_LIMITS,
    _TEXT_FIELDS,
    CONFIDENCE,
    EXTRACELLULAR_FIELDS,
    HARD_LIMITS,
    INTRACELLULAR_FIELDS,
    REFERENCE_RANGES,
    _claims,
)
from .report import report as _report


# ------------------------------------------------------------------ the environment
@dataclass(frozen=True)
class OutOfRange:
    """One value outside its reference range (see :meth:`Electrolytes.out_of_range`)."""

    field: str
    value: float
    low: float
    high: float
    unit: str
    verdict: str  # "low" or "high"
    source: str

    def __str__(self) -> str:
        return f"{self.field} = {self.value:g} {self.unit} is {self.verdict} (reference {self.low:g}-{self.high:g})"


@dataclass(frozen=True, kw_only=True)
class Electrolytes:
    """The ionic environment of a cell: extracellular and (optionally) cytosolic ions, temperature.

    All concentrations in mM. Construct with keywords; the defaults are the ``"normal"``
    preset (typical adult plasma). The constructor checks every value against the hard limits
    of a living person (:data:`HARD_LIMITS`); use :meth:`solution` for experimental bath
    solutions and :meth:`from_clinical` for laboratory values in other units or as totals.

    Parameters
    ----------
    na, k, cl, hco3 : float
        Extracellular (plasma / interstitial) Na, K, Cl and HCO3, mM.
    ca, mg : float
        Extracellular **ionised (free)** Ca and Mg, mM; not the total reported by most
        laboratories (see :func:`ionised_calcium`, :func:`ionised_magnesium`).
    na_in, k_in, cl_in, ca_in, mg_in : float or None
        Cytosolic free concentrations, mM. ``None`` (default) means "use the cell model's own
        cited cytosolic values".
    celsius : float
        Temperature, degrees C (15-45 for a living person).
    name, description, source : str
        A short name, a sentence saying what the environment represents, and where its
        numbers come from.
    physiological : bool
        True (default): human hard limits apply. False: only 0 <= c <= 10 M and 0-50 C (a bath
        solution); prefer :meth:`solution`, which asks for every ion explicitly.

    Raises
    ------
    ValueError
        If a value is outside its hard limits, naming the field, its value, the valid range
        and the unit (all problems are listed at once).
    TypeError
        If a value is not a single real number (or a text field is not a string).

    Examples
    --------
    >>> e = Electrolytes(k=2.3)
    >>> [str(r) for r in e.out_of_range()]
    ['k = 2.3 mM is low (reference 3.5-5)']
    """

    na: float = _NA
    k: float = _K
    cl: float = _CL
    ca: float = _CA_ION
    mg: float = _MG_ION
    hco3: float = _HCO3
    na_in: float | None = None
    k_in: float | None = None
    cl_in: float | None = None
    ca_in: float | None = None
    mg_in: float | None = None
    celsius: float = _BODY_CELSIUS
    #: Plasma (extracellular) pH; it does not change the other fields by itself (see
    #: :mod:`neuromuscle.acid_base` for the ionised Ca that follows it).
    ph: float = 7.40
    name: str = "custom"
    description: str = ""
    source: str = ""
    physiological: bool = True
    #: Confidence (:data:`CONFIDENCE`) of each claim of ``source`` (claims are separated by
    #: ``"; "`` outside parentheses), in order: data, not printed (:meth:`sources` pairs them).
    #: Empty: every claim ``"unchecked"``.
    confidence: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        for f in _TEXT_FIELDS:
            if not isinstance(getattr(self, f), str):
                raise TypeError(f"{f} must be a string, got {getattr(self, f)!r}")
        n_claims = len(_claims(self.source))
        given = tuple(self.confidence) or ("unchecked",) * n_claims
        if len(given) != n_claims:
            raise ValueError(f"confidence has {len(given)} levels but source has {n_claims} claims "
                             f"(separated by '; '): {self.source!r}")
        for level in given:
            check_choice("confidence", level, CONFIDENCE)
        object.__setattr__(self, "confidence", given)
        if not isinstance(self.physiological, bool):
            raise TypeError(f"physiological must be True or False, got {self.physiological!r}")
        limits = HARD_LIMITS if self.physiological else _SOLUTION_LIMITS
        problems = []
        for f in _NUMERIC_FIELDS:
            value = getattr(self, f)
            if value is None and f in INTRACELLULAR_FIELDS:
                continue
            # a real scalar only: bools, strings and arrays are mistakes, not concentrations
            if not isinstance(value, numbers.Real) or isinstance(value, bool):
                raise TypeError(f"{f} must be a single number, got {value!r}")
            try:
                x = float(_check(f, value, limits[f]))
            except ValueError as exc:
                problems.append(str(exc))
                continue
            object.__setattr__(self, f, x)  # store plain floats (not ints / numpy scalars)
        if self.physiological and not problems:
            problems += self._gradient_problems()
        if problems:
            where = (
                "hard limit for a living person; for an experimental bath solution use Electrolytes.solution()"
                if self.physiological
                else "experimental solution"
            )
            raise ValueError(f"Electrolytes({self.name!r}): " + "; ".join(problems) + f" ({where})")

    def _gradient_problems(self) -> list[str]:
        # A living cell at rest keeps Na and Ca lower and K higher inside than outside; a
        # reversed or absent gradient means dead or depolarised tissue. The hard limits imply
        # this for K and Ca; for Na they leave the single case na_in = na = 80 mM.
        out = []
        for ion, inside_lower in (("na", True), ("k", False), ("ca", True)):
            c_in, c_out = getattr(self, ion + "_in"), getattr(self, ion)
            if c_in is not None and (c_in >= c_out if inside_lower else c_in <= c_out):
                rel = "below" if inside_lower else "above"
                out.append(f"{ion}_in = {c_in:g} mM must be {rel} {ion} = {c_out:g} mM in a living cell at rest")
        return out

    # ------------------------------------------------------------ constructors
    @classmethod
    def solution(
        cls,
        *,
        na: float,
        k: float,
        cl: float,
        ca: float,
        mg: float,
        hco3: float,
        celsius: float,
        na_in: float | None = None,
        k_in: float | None = None,
        cl_in: float | None = None,
        ca_in: float | None = None,
        mg_in: float | None = None,
        name: str = "solution",
        description: str = "",
        source: str = "",
    ) -> Electrolytes:
        """An experimental bath (and pipette) solution, outside the human hard limits.

        Every extracellular ion and the temperature must be given, because human plasma
        defaults would be silently wrong for, say, squid sea water. Concentrations need only
        be within 0-10,000 mM (0 is allowed: divalent-free or K-free baths, HCO3-free
        HEPES-buffered Ringer), temperature within 0-50 C.

        Examples
        --------
        >>> bath = Electrolytes.solution(na=115, k=2.5, cl=120, ca=0, mg=0, hco3=0, celsius=20)
        >>> bath.ca, bath.physiological
        (0.0, False)
        """
        return cls(
            na=na, k=k, cl=cl, ca=ca, mg=mg, hco3=hco3, celsius=celsius,
            na_in=na_in, k_in=k_in, cl_in=cl_in, ca_in=ca_in, mg_in=mg_in,
            name=name, description=description, source=source, physiological=False,
        )

    @classmethod
    def from_clinical(
        cls,
        *,
        ca_fraction: float = CA_IONISED_FRACTION,
        mg_fraction: float = MG_IONISED_FRACTION,
        **values,
    ) -> Electrolytes:
        """Build from laboratory values in clinical units, converting totals to ionised.

        Parameters
        ----------
        ca_fraction, mg_fraction : float
            Ionised fractions passed to :func:`ionised_calcium` and :func:`ionised_magnesium`.
        **values
            Any of ``na, k, cl, hco3, ca, mg`` (ionised), ``ca_total, mg_total``, ``albumin``,
            the intracellular fields, ``celsius``, ``name``, ``description``, ``source``.
            A concentration is either a number (mM) or a pair ``(value, unit)`` with a unit
            from :data:`UNITS`. ``albumin`` is a number (g/L) or ``(value, "g/L" | "g/dL")``;
            it is used (Payne adjustment) only with ``ca_total``. ``celsius`` is a number.
            Extracellular ions not given take the ``"normal"`` preset values.

        Returns
        -------
        Electrolytes
            Its ``description`` records each conversion and assumption.

        Examples
        --------
        >>> e = Electrolytes.from_clinical(na=(132, "mEq/L"), ca_total=(7.6, "mg/dL"),
        ...                                albumin=(30, "g/L"), mg_total=(1.2, "mg/dL"), k=3.1)
        >>> round(e.ca, 3), round(e.mg, 3), e.na, e.k
        (1.006, 0.296, 132.0, 3.1)
        """
        allowed = set(_CONCENTRATION_FIELDS) | {"ca_total", "mg_total", "albumin", "celsius"} | set(_TEXT_FIELDS)
        unknown = sorted(set(values) - allowed)
        if unknown:
            raise TypeError(
                f"from_clinical got unknown field(s) {', '.join(unknown)}; valid fields: {', '.join(sorted(allowed))}"
            )
        for ion in ("ca", "mg"):
            if ion in values and f"{ion}_total" in values:
                raise ValueError(
                    f"from_clinical: give either {ion} (ionised) or {ion}_total, not both "
                    f"({ion} = {values[ion]!r}, {ion}_total = {values[ion + '_total']!r})"
                )
        notes: list[str] = []
        fields: dict = {}

        def conc(key: str, ion: str) -> float:
            v = values[key]
            if isinstance(v, tuple):
                if len(v) != 2:
                    raise ValueError(f"{key} = {v!r}: expected a number (mM) or a pair (value, unit)")
                c = float(to_mM(v[0], v[1], ion))
                if _unit(v[1]) not in ("mM", "mmol/L"):
                    notes.append(f"{key} {v[0]:g} {v[1]} = {c:.4g} mM")
                return c
            return float(to_mM(v, "mM", ion))

        for f in _CONCENTRATION_FIELDS:
            if f in values:
                fields[f] = conc(f, f.removesuffix("_in"))
        for f in ("celsius",) + _TEXT_FIELDS:
            if f in values:
                fields[f] = values[f]
        fields.setdefault("name", "clinical")

        albumin = None
        if "albumin" in values:
            a = values["albumin"]
            if isinstance(a, tuple):
                if len(a) != 2 or not isinstance(a[1], str) or a[1].strip().lower() not in ("g/l", "g/dl"):
                    raise ValueError(f"albumin = {a!r}: expected a number (g/L) or (value, 'g/L' or 'g/dL')")
                albumin = float(a[0]) * (10.0 if a[1].strip().lower() == "g/dl" else 1.0)
            else:
                albumin = float(a)
        if "ca_total" in values:
            total = conc("ca_total", "ca")
            if albumin is None:
                fields["ca"] = float(ionised_calcium(total, None, ca_fraction))
                notes.append(
                    f"ionised Ca = {ca_fraction:g} x total {total:.4g} mM = {fields['ca']:.4g} mM "
                    "(albumin not given, assumed normal; ionised fraction "
                    f"{ca_fraction:g} is a modelling choice, 45-50 % ionised in plasma; pH ignored)"
                )
            else:
                adjusted = float(payne_adjusted_calcium(total, albumin))
                fields["ca"] = float(ionised_calcium(total, albumin, ca_fraction))
                notes.append(
                    f"total Ca {total:.4g} mM adjusted for albumin {albumin:g} g/L to {adjusted:.4g} mM "
                    f"(Payne et al. 1973: + 0.02 x (40 - albumin)); ionised Ca = {ca_fraction:g} x "
                    f"{adjusted:.4g} = {fields['ca']:.4g} mM (ionised fraction {ca_fraction:g} is a modelling "
                    "choice, 45-50 % ionised in plasma; pH ignored)"
                )
        elif albumin is not None:
            _albumin_g_per_L(albumin)  # still refuse an impossible value
            notes.append(f"albumin {albumin:g} g/L not used (calcium not given as a total)")
        if "mg_total" in values:
            total = conc("mg_total", "mg")
            fields["mg"] = float(ionised_magnesium(total, mg_fraction))
            notes.append(
                f"ionised Mg = {mg_fraction:g} x total {total:.4g} mM = {fields['mg']:.4g} mM (ionised fraction "
                f"{mg_fraction:g} is a modelling choice within 0.55-0.67 measured; no albumin correction)"
            )
        defaulted = [f for f in EXTRACELLULAR_FIELDS if f not in fields]
        if defaulted:
            notes.append(f"not given, 'normal' preset values used: {', '.join(defaulted)}")
        text = "From clinical values: " + "; ".join(notes) + "." if notes else "From clinical values (all in mM)."
        given = fields.get("description", "")
        fields["description"] = f"{given} {text}".strip()
        return cls(**fields)

    @classmethod
    def preset(cls, name: str) -> Electrolytes:
        """The named preset (see :data:`PRESETS` and :func:`preset_names`)."""
        try:
            return PRESETS[name]
        except (KeyError, TypeError):
            raise ValueError(
                f"preset name = {name!r} is not known; valid names: {', '.join(preset_names())}"
            ) from None

    # ------------------------------------------------------------ derived
    def replace(self, **changes) -> Electrolytes:
        """A new, validated object with some fields changed.

        Unless ``name`` / ``description`` are among the changes, the name gets the suffix
        " (modified)" and the description records what changed, so a modified preset is
        never mistaken for the original.

        Examples
        --------
        >>> e = Electrolytes.preset("normal").replace(k=3.0)
        >>> e.k, e.name
        (3.0, 'normal (modified)')
        """
        valid = [f.name for f in dataclasses.fields(self)]
        unknown = sorted(set(changes) - set(valid))
        if unknown:
            raise TypeError(f"replace got unknown field(s) {', '.join(unknown)}; valid fields: {', '.join(valid)}")
        changed = [f for f in _NUMERIC_FIELDS if f in changes and changes[f] != getattr(self, f)]
        if changed and "name" not in changes and not self.name.endswith(" (modified)"):
            changes["name"] = f"{self.name} (modified)"
        if changed and "description" not in changes:
            what = ", ".join(f"{f} {getattr(self, f)} -> {changes[f]}" for f in changed)
            changes["description"] = f"{self.description} Modified from {self.name!r}: {what}.".strip()
        if "source" in changes and "confidence" not in changes:
            changes["confidence"] = ()  # the old levels belong to the old source
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict:
        """All fields as a plain dict (``Electrolytes(**e.as_dict()) == e``)."""
        return dataclasses.asdict(self)

    @property
    def anion_gap(self) -> float:
        """``na - (cl + hco3)``, mM; typically about 8-16 mM in plasma."""
        return self.na - (self.cl + self.hco3)

    def out_of_range(self) -> list[OutOfRange]:
        """Values outside their reference ranges (:data:`REFERENCE_RANGES`), in field order.

        Extracellular values are compared with adult plasma reference intervals; the
        cytosolic values (when set) and the temperature with the bands listed there. The
        comparison is made for bath solutions too, against the same human values.

        Returns
        -------
        list of OutOfRange
            Empty when everything is within range.
        """
        flags = []
        for f in _NUMERIC_FIELDS:
            value, rng = getattr(self, f), REFERENCE_RANGES.get(f)
            if value is None or rng is None:
                continue
            if value < rng.low or value > rng.high:
                verdict = "low" if value < rng.low else "high"
                flags.append(OutOfRange(f, value, rng.low, rng.high, rng.unit, verdict, rng.source))
        return flags

    def sources(self) -> list[tuple[str, str]]:
        """Each claim of :attr:`source` with its confidence (:data:`CONFIDENCE`)."""
        return list(zip(_claims(self.source), self.confidence))
    def report(self) -> str:
        """Human-readable table of the values, their reference ranges and the flags."""
        return _report(self)


#: The presets by name (:data:`~neuromuscle.electrolytes.presets.PRESET_DATA` as records).
PRESETS: Mapping[str, Electrolytes] = types.MappingProxyType(
    {name: Electrolytes(**data) for name, data in PRESET_DATA.items()})


def preset_names() -> list[str]:
    """Names of the presets, in definition order (``"normal"`` first)."""
    return list(PRESETS)
