"""What the installed models can show, checked in code.

Each capability is a pair ``(available, reason)``. A claim that needs a capability that is
missing is decided *outside what the model can show*, with the reason; when the model
arrives (a new release of the package), the same claim measures it without any change to
the claim.
"""

from __future__ import annotations

import functools
import inspect

__all__ = ["capabilities", "DEMYELINATION_ARGUMENTS"]

#: Argument names by which a myelinated-axon factory can take a thinner myelin sheath
#: (number of lamellae, or myelin thickness / g-ratio); the first one found is used.
DEMYELINATION_ARGUMENTS = ("n_lamellae", "lamellae", "myelin_lamellae", "nl", "myelin_thickness",
                           "myelin_fraction", "g_ratio")


def _myelinated():
    import neuromuscle as nm

    factory = getattr(nm, "motor_axon_myelinated", None)
    if factory is None:
        try:
            from neuromuscle.models import motor_axon_myelinated as factory  # type: ignore[attr-defined]
        except ImportError:
            factory = None
    return factory


def _has_conduction_velocity() -> bool:
    import neuromuscle as nm

    return callable(getattr(nm.analysis, "conduction_velocity", None))


@functools.lru_cache(maxsize=1)
def _junction_works() -> tuple[bool, str]:
    """The junction exists; does it run? (one quantal content in normal plasma)"""
    import neuromuscle as nm

    try:
        nm.analysis.quantal_content("normal", celsius=37.0)
    except Exception as exc:  # a junction that fails cannot decide anything
        return False, f"nm.analysis.quantal_content fails in this version ({type(exc).__name__}: {exc})"
    return True, "nm.analysis.quantal_content and nm.analysis.safety_factor"


def capabilities() -> dict[str, tuple[bool, str]]:
    """The capabilities of the installed package, each ``(available, reason)``.

    * ``myelinated_axon``: a multi-node axon (``nm.motor_axon_myelinated``) with
      ``nm.analysis.conduction_velocity``;
    * ``demyelination``: that axon accepts a thinner myelin sheath (an argument in
      :data:`DEMYELINATION_ARGUMENTS`);
    * ``junction``: a neuromuscular junction (``nm.analysis.quantal_content`` and
      ``nm.analysis.safety_factor``) that runs;
    * ``sarcolemmal_ca``: Ca entry and extrusion across the fibre's surface
      (:class:`~neuromuscle.components.ca_entry.SarcolemmalCalcium` in ``nm.muscle_ec``);
    * ``atp_supply``: the fibre's metabolic ATP supply as a parameter (``supply.V_supply``).
    """
    import neuromuscle as nm

    caps: dict[str, tuple[bool, str]] = {}
    factory = _myelinated()
    if factory is None:
        caps["myelinated_axon"] = (False, "the package has no myelinated axon (nm.motor_axon_myelinated): the "
                                          "motor axon is a single node of Ranvier, which has no myelin to lose")
        caps["demyelination"] = caps["myelinated_axon"]
    elif not _has_conduction_velocity():
        caps["myelinated_axon"] = (False, "the myelinated axon exists but nm.analysis.conduction_velocity does not, "
                                          "so conduction slowing cannot be measured")
        caps["demyelination"] = caps["myelinated_axon"]
    else:
        caps["myelinated_axon"] = (True, "nm.motor_axon_myelinated and nm.analysis.conduction_velocity")
        params = inspect.signature(factory).parameters
        arg = next((a for a in DEMYELINATION_ARGUMENTS if a in params), None)
        if arg is None:
            caps["demyelination"] = (False, "nm.motor_axon_myelinated takes no myelin-thickness argument (one of "
                                            f"{', '.join(DEMYELINATION_ARGUMENTS)}), so thinner myelin cannot be "
                                            "simulated")
        else:
            caps["demyelination"] = (True, f"nm.motor_axon_myelinated({arg}=...)")
    if callable(getattr(nm.analysis, "quantal_content", None)) and callable(getattr(nm.analysis, "safety_factor",
                                                                                    None)):
        caps["junction"] = _junction_works()
    else:
        caps["junction"] = (False, "the package has no neuromuscular junction (presynaptic Ca entry, transmitter "
                                   "release, end-plate current): nothing in it releases transmitter")
    try:
        from neuromuscle.components.ca_entry import SarcolemmalCalcium  # noqa: F401

        caps["sarcolemmal_ca"] = (True, "SarcolemmalCalcium (L-type Ca channel, background entry, surface Ca pump)")
    except ImportError:
        caps["sarcolemmal_ca"] = (False, "no Ca flux across the fibre's surface membrane")
    caps["atp_supply"] = (True, "the fibre's metabolic ATP supply capacity supply.V_supply")
    return caps
