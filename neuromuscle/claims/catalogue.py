"""The nine claims, from popular health articles on mineral deficiencies and muscle spasms.

Each claim states its criteria before anything is run; its ``measure`` runs the models the
package has and returns the numbers the criteria read, and the panels of its figure.
Thresholds are fixed by physiology, not by what the model happens to give.
"""

from __future__ import annotations

import textwrap

from ..citations import cite
from ..electrolytes import Electrolytes
from . import measures as M
from .base import Claim, Criterion, RunContext, SubClaim
from .figures import draw_panels
from .scenarios import dehydration

__all__ = ["CLAIMS", "claim"]

# ---------------------------------------------------------------- shared criterion reasons
_THRESHOLD_10 = ("a change of threshold below 10 % is within the spread of healthy people's motor-axon "
                 "thresholds and would not change which stimuli fire an axon; hyperexcitability that "
                 "matters clinically (hypocalcaemia, hyperventilation) changes it by more")
_FIRES = ("twitches, spasms, cramps and tetany are movements: they need action potentials that no stimulus "
          "started; a lower threshold alone moves nothing")
_RELAX_20 = ("a 20 % slower half-relaxation is about the slowing of fatigue or of cooling by a few degrees, "
             "the smallest impairment of relaxation that is measured as such; smaller changes are within "
             "the spread between fast fibres")
_FORCE_20 = ("a 20 % loss of force is about the smallest fall of maximal force that strength testing "
             "detects reliably, so it is where weakness begins")
_CONTRACTURE = ("a relaxed fibre keeps well under 1 % of its force 200 ms after a train (the normal run's own "
                "number is reported beside); 10 % still held is a contracture, a failure to relax, whatever the "
                "half-relaxation time (which cannot be read when force never falls to half)")
_CA_10 = ("the Ca released by one action potential varies by a few per cent from twitch to twitch in "
          "fluorescence measurements; 10 % is a clear effect")
_ENTRY_20 = ("resting free Ca differs by tens of per cent between healthy fibres; a Ca entry or a resting "
             "Ca less than 20 % higher cannot be called 'too much'")

_RELEASE_20 = ("release goes as about the fourth power of Ca entry; a 20 % change is well outside the scatter "
               "of quantal content between end-plates")
_SAFETY_1 = ("a nerve impulse fires the muscle fibre only while the end-plate potential exceeds the depolarisation "
             "the fibre needs to fire (safety factor above 1, Ruff 2011); below 1 transmission fails and the "
             "muscle is weak")

_SOURCES_SURFACE = f"{cite('hille1975')} (surface charge and gating)"
_SOURCES_NODE = f"{cite('schwarz1995')}; {cite('wesselink1999')} (human node)"
_SOURCES_FIBRE = f"{cite('wallinga1999')} (muscle fibre channels)"
_SOURCES_EC = (f"{cite('shorten2007')} (EC coupling, Ca, crossbridges); {cite('baylor2003')} "
               "(16 C Ca transients)")


def _normal() -> Electrolytes:
    return Electrolytes.preset("normal")


def _p(name: str) -> Electrolytes:
    return Electrolytes.preset(name)


def _plot(claim_title):
    def plot(data, numbers, path):
        draw_panels(data, numbers, path, claim_title)
    return plot


def _axon_change(ctx, e, base=None):
    a, b = M.axon(ctx, e), M.axon(ctx, base or _normal())
    key = "threshold 0.1 ms (uA/cm2)"
    return M.pct(a[key], b[key]), a


# ======================================================================= 1. magnesium
#: The myelinated axons the claims measure: (prefix of the number's name, ``fit`` argument) -- the
#: published Gaines et al. 2018 channels, and those fitted to the human threshold-tracking battery
#: (``fit="human_battery"``, docs/models/myelinated_axon.md)
_AXON_FITS = (("", None), ("fitted ", "human_battery"))
#: How long the claims watch a myelinated axon for spontaneous firing (ms)
_SPONTANEOUS_MS = 500.0


#: Trousseau's sign: a cuff above systolic pressure for 3 min (an input); the periaxonal K excesses
#: searched, mM (its size depends on clearance, which the model does not contain)
_TROUSSEAU_MIN = 3.0
_TROUSSEAU_DK = (0.0, 2.0, 5.0)
_TROUSSEAU_KEY = "myelinated axon fires, Ca 0.75 after the cuff of Trousseau's sign (yes 1 / no 0)"


def _trousseau_activity(ctx: RunContext, prefix: str = "", fit: str | None = None):
    """Whether the myelinated axon fires at ionised Ca 0.75 mM after the cuff of Trousseau's sign:
    pump blocked, the axoplasmic Na of _TROUSSEAU_MIN of block (derived from the resting fluxes,
    ``ischaemic_ion_budget``), at any periaxonal K excess of _TROUSSEAU_DK; None if not measured."""
    import neuromuscle as nm

    ctx.progress(f"{prefix}myelinated axon: Ca 0.75 after {_TROUSSEAU_MIN:g} min of ischaemia")
    try:
        model = nm.motor_axon_myelinated(_p("hypocalcaemia_severe"), fit=fit)
        budget = nm.analysis.ischaemic_ion_budget(model, _TROUSSEAU_MIN)
        return any(nm.analysis.spontaneous_activity(model, budget.ischaemic_params(dk),
                                                    duration=_SPONTANEOUS_MS).firing for dk in _TROUSSEAU_DK)
    except Exception as exc:
        ctx.progress(f"{prefix}myelinated axon not measured: {type(exc).__name__}: {exc}")
        return None


def _myelinated_activity(ctx: RunContext, what: str, preset: str, params: dict | None = None,
                         prefix: str = "", fit: str | None = None):
    """Spontaneous activity of the myelinated axon (``fit``) in ``preset`` with ``params``, or
    None (with a progress line) when an axon whose interface differs cannot be measured: its
    criteria then stay untested and the node's answers stand."""
    import neuromuscle as nm

    ctx.progress(f"{prefix}myelinated axon: {what}")
    try:
        return nm.analysis.spontaneous_activity(nm.motor_axon_myelinated(_p(preset), fit=fit), params,
                                                duration=_SPONTANEOUS_MS)
    except Exception as exc:
        ctx.progress(f"{prefix}myelinated axon not measured: {type(exc).__name__}: {exc}")
        return None


def _measure_mg(ctx: RunContext, n: dict):
    n["axon threshold change, Mg 0.30 (%)"], low = _axon_change(ctx, _p("hypomagnesaemia"))
    n["axon threshold change, Mg 0.30 with low Ca and K (%)"], combo = _axon_change(ctx, _p("hypomagnesaemia_combined"))
    n["axon fires, low Mg (yes 1 / no 0)"] = max(low["fires"], combo["fires"])
    if ctx.capabilities.get("myelinated_axon", (False,))[0]:
        # the published axon, and the one fitted to the human threshold-tracking battery
        for prefix, fit in _AXON_FITS:
            act = _myelinated_activity(ctx, "hypomagnesaemia with low Ca and K", "hypomagnesaemia_combined",
                                       prefix=prefix, fit=fit)
            if act is not None:
                n[f"{prefix}myelinated axon fires, Mg 0.30 with low Ca and K (yes 1 / no 0)"] = float(act.firing)
                n["axon fires, low Mg (yes 1 / no 0)"] = max(n["axon fires, low Mg (yes 1 / no 0)"],
                                                            float(act.firing))
    ref, mg04 = M.ec(ctx, "normal"), M.ec(ctx, "free Mg 0.4 mM", free_mg=0.4)
    n["SR Ca release change, free Mg 1 -> 0.4 mM (%)"] = M.pct(mg04["released (uM)"], ref["released (uM)"])
    n["peak Ca rise change, free Mg 1 -> 0.4 mM (%)"] = M.pct(mg04["dCa (uM)"], ref["dCa (uM)"])
    n["twitch change, free Mg 1 -> 0.4 mM (%)"] = M.pct(mg04["twitch"], ref["twitch"])
    n["half-relaxation change, free Mg 1 -> 0.4 mM (%)"] = M.pct(mg04["twitch half-relaxation (ms)"],
                                                                 ref["twitch half-relaxation (ms)"])
    n["MgATP at free Mg 0.4 mM (mM)"] = mg04["rest MgATP (mM)"]
    panels = [
        {"kind": "bar", "title": "Axon node: threshold (0.1 ms pulse)", "ylabel": "change vs normal (%)",
         "labels": ["Mg 0.30", "Mg 0.30 + low Ca, K"],
         "values": [n["axon threshold change, Mg 0.30 (%)"], n["axon threshold change, Mg 0.30 with low Ca and K (%)"]],
         "threshold": -10.0, "threshold_label": "-10 %: criterion"},
        {"kind": "bar", "title": "Fibre, 16 C: myoplasmic Mg 1 -> 0.4 mM", "ylabel": "change (%)",
         "labels": ["SR release", "peak Ca rise", "twitch", "half-relaxation"],
         "values": [n["SR Ca release change, free Mg 1 -> 0.4 mM (%)"],
                    n["peak Ca rise change, free Mg 1 -> 0.4 mM (%)"],
                    n["twitch change, free Mg 1 -> 0.4 mM (%)"], n["half-relaxation change, free Mg 1 -> 0.4 mM (%)"]]},
    ]
    if ctx.capabilities.get("sarcolemmal_ca", (False,))[0]:
        lo = _normal().replace(mg=0.30, name="plasma Mg 0.30")
        r0, r1 = M.sarcolemmal_steady_ca(ctx, _normal()), M.sarcolemmal_steady_ca(ctx, lo)
        t0, t1 = M.ca_entry_train(ctx, "normal, 30 Hz", _normal()), M.ca_entry_train(ctx, "plasma Mg 0.30, 30 Hz", lo)
        n["resting Ca influx change, plasma Mg 0.52 -> 0.30 (%)"] = M.pct(r1["influx (uM/s)"], r0["influx (uM/s)"])
        n["Ca entry in a 30 Hz train change, plasma Mg 0.52 -> 0.30 (%)"] = M.pct(t1["Ca entry (uM)"],
                                                                                 t0["Ca entry (uM)"])
        n["steady resting Ca change, plasma Mg 0.52 -> 0.30 (%)"] = M.pct(r1["steady Ca (nM)"], r0["steady Ca (nM)"])
        n["Ca entry in a 30 Hz train, normal (uM)"] = t0["Ca entry (uM)"]
        n["tubular AP peak in the train, normal (mV)"] = t0["tubular AP peak (mV)"]
        n["tubular AP peak in the train, plasma Mg 0.30 (mV)"] = t1["tubular AP peak (mV)"]
        n["L-type gate peak in the train, normal"] = t0["L-type gate peak"]
        n["L-type gate peak in the train, plasma Mg 0.30"] = t1["L-type gate peak"]
        n["Ca released per AP, normal (uM)"] = ref["released (uM)"]
        panels.append({"kind": "bar", "title": "Ca entry across the fibre's membrane: plasma Mg 0.52 -> 0.30",
                       "ylabel": "change (%)", "labels": ["resting influx", "entry in 30 Hz train", "steady rest Ca"],
                       "values": [n["resting Ca influx change, plasma Mg 0.52 -> 0.30 (%)"],
                                  n["Ca entry in a 30 Hz train change, plasma Mg 0.52 -> 0.30 (%)"],
                                  n["steady resting Ca change, plasma Mg 0.52 -> 0.30 (%)"]],
                       "threshold": 20.0, "threshold_label": "+20 %: criterion"})
    if ctx.capabilities.get("junction", (False,))[0]:
        import neuromuscle as nm

        ctx.progress("junction in hypomagnesaemia")
        q0 = float(nm.analysis.quantal_content(_normal(), celsius=37.0).mean)
        q1 = float(nm.analysis.quantal_content(_p("hypomagnesaemia"), celsius=37.0).mean)
        n["quantal content change, plasma Mg 0.52 -> 0.30 (%)"] = M.pct(q1, q0)
        panels.append({"kind": "bar", "title": "Junction, 37 C: plasma Mg 0.52 -> 0.30", "ylabel": "change (%)",
                       "labels": ["quantal content"],
                       "values": [n["quantal content change, plasma Mg 0.52 -> 0.30 (%)"]],
                       "threshold": 20.0, "threshold_label": "+20 %: criterion"})
    return n, {"panels": panels}


MAGNESIUM = Claim(
    1, "magnesium", "Low magnesium: twitches, relaxation, 'calcium blocker', Ca entry",
    "Low magnesium causes twitches, spasms and cramps; magnesium is needed to relax; it is a 'natural calcium "
    "blocker'; low magnesium lets too much calcium into muscle cells.",
    mechanisms=(
        "Extracellular Mg and Ca screen and bind the membrane's negative surface charge; less Mg shifts every "
        "gate towards depolarisation (axon node and muscle fibre), Mg more weakly than Ca per mM.",
        "Myoplasmic free Mg inhibits the ryanodine receptor (less Mg, more release), competes with Ca on "
        "parvalbumin and forms MgATP, the substrate of SERCA and of crossbridge detachment.",
        "Ca entry across the fibre's membrane: L-type channels whose pore extracellular Mg blocks and whose "
        "gates feel the surface charge; background entry; the surface Ca pump.",
        "At the neuromuscular junction extracellular Mg competes with Ca for the nerve terminal's Ca "
        "channels, so it lowers transmitter release (Dodge & Rahamimoff 1967).",
    ),
    simulations=(
        "Axon node (37 C): threshold of a 0.1 ms pulse and spontaneous firing in normal plasma, "
        "hypomagnesaemia (ionised Mg 0.30 mM) and hypomagnesaemia with low Ca and K; spontaneous firing of "
        "the myelinated axon (21 nodes, 500 ms; published and fitted to the human threshold-tracking "
        "battery) in hypomagnesaemia with low Ca and K.",
        "Fibre with EC coupling (16 C): one twitch at myoplasmic free Mg 1.0 and 0.4 mM, same SR load and stimulus.",
        "Fibre with sarcolemmal Ca: resting influx and the steady resting Ca it sustains (37 C), and the Ca "
        "entering during a 300 ms, 30 Hz train (16 C), at plasma Mg 0.52 and 0.30 mM.",
        "Junction (37 C): quantal content of one nerve impulse at plasma Mg 0.52 and 0.30 mM.",
    ),
    subclaims=(
        SubClaim("cramps", "Low magnesium makes nerves fire: twitches, spasms and cramps.", (
            Criterion("axon threshold change, Mg 0.30 (%)", "<=", -10.0, "%",
                      "hypomagnesaemia alone lowers the axon's threshold by at least 10 %", _THRESHOLD_10),
            Criterion("axon fires, low Mg (yes 1 / no 0)", ">=", 1.0, "1",
                      "the axon node or the myelinated axon (published or fitted to the human threshold-tracking "
                      "battery) fires on its own in hypomagnesaemia (alone or with low Ca and K)", _FIRES),
        )),
        SubClaim("relax", "Magnesium is needed for the muscle to relax.", (
            Criterion("half-relaxation change, free Mg 1 -> 0.4 mM (%)", ">=", 20.0, "%",
                      "lowering myoplasmic Mg to 0.4 mM slows the twitch's relaxation by at least 20 %", _RELAX_20),
        )),
        SubClaim("blocker", "Magnesium is a natural calcium blocker: with less of it, more Ca acts in the cell.", (
            Criterion("SR Ca release change, free Mg 1 -> 0.4 mM (%)", ">=", 10.0, "%",
                      "less myoplasmic Mg releases at least 10 % more Ca from the SR per action potential", _CA_10),
            Criterion("peak Ca rise change, free Mg 1 -> 0.4 mM (%)", ">=", 10.0, "%",
                      "and the free Ca that reaches the filaments rises by at least 10 %", _CA_10),
        )),
        SubClaim("entry", "Low magnesium lets too much calcium into muscle cells.", (
            Criterion("resting Ca influx change, plasma Mg 0.52 -> 0.30 (%)", ">=", 20.0, "%",
                      "at rest, at least 20 % more Ca enters in hypomagnesaemia", _ENTRY_20),
            Criterion("Ca entry in a 30 Hz train change, plasma Mg 0.52 -> 0.30 (%)", ">=", 20.0, "%",
                      "during activity, at least 20 % more Ca enters", _ENTRY_20),
            Criterion("steady resting Ca change, plasma Mg 0.52 -> 0.30 (%)", ">=", 20.0, "%",
                      "and the resting free Ca the cell settles at is at least 20 % higher", _ENTRY_20),
        ), requires=("sarcolemmal_ca",)),
        SubClaim("junction", "Magnesium blocks calcium at the junction, so low magnesium makes it release "
                 "much more transmitter.", (
            Criterion("quantal content change, plasma Mg 0.52 -> 0.30 (%)", ">=", 20.0, "%",
                      "hypomagnesaemia raises the transmitter released by one impulse by at least 20 %",
                      _RELEASE_20),
        ), requires=("junction",)),
    ),
    limits=(
        "Mg's action in the spinal cord (NMDA receptor block) is not in these models.",
        "The threshold is measured on the single node of Ranvier; the myelinated axon's firing over Ca x Mg "
        "is mapped by experiments/low_calcium_tetany.py.",
        "The L-type channel's slow inactivation and Mg's intracellular actions on it are left out.",
    ),
    references=(_SOURCES_SURFACE, _SOURCES_NODE, _SOURCES_EC,
                f"{cite('dutka2004')} (Mg inhibition of voltage-driven release)",
                f"{cite('lansman1986')}; {cite('kuo1993')} (Mg in the L-type pore)"),
    measure=_measure_mg,
)

# ======================================================================= 2. calcium
def _measure_ca(ctx: RunContext, n: dict):
    n["axon threshold change, Ca 0.75 (%)"], low = _axon_change(ctx, _p("hypocalcaemia_severe"))
    n["axon threshold change, Ca 1.00 (%)"], mild = _axon_change(ctx, _p("hypocalcaemia_mild"))
    n["axon node fires, Ca 0.75 (yes 1 / no 0)"] = low["fires"]
    n["gating shift, Ca 0.75 (mV)"] = low["gating shift (mV)"]
    ref = M.ec(ctx, "normal")
    m = M.ec_model(ctx)
    none = M.ec(ctx, "no SR release", overrides={"rel.nu_rel": 0.0})
    serca = m.label("serca_capacity")
    half = M.ec(ctx, "SERCA 50 %", overrides={serca: 0.5 * m.parameters[serca].value})
    n["twitch without SR Ca release (% of normal)"] = 100.0 * none["twitch"] / ref["twitch"]
    n["half-relaxation change, SERCA 50 % (%)"] = M.pct(half["twitch half-relaxation (ms)"],
                                                        ref["twitch half-relaxation (ms)"])
    panels = [
        {"kind": "bar", "title": "Axon node: threshold (0.1 ms pulse)", "ylabel": "change vs Ca 1.22 mM (%)",
         "labels": ["Ca 1.00", "Ca 0.75"], "values": [n["axon threshold change, Ca 1.00 (%)"],
                                                       n["axon threshold change, Ca 0.75 (%)"]],
         "threshold": -10.0, "threshold_label": "-10 %: criterion"},
        {"kind": "line", "title": "Fibre, 16 C: twitch", "xlabel": "ms", "ylabel": "force-bearing bridges / RU",
         "series": [{"label": "normal", "x": ref["_twitch"][0], "y": ref["_twitch"][1]},
                    {"label": "SERCA 50 %", "x": half["_twitch"][0], "y": half["_twitch"][1]},
                    {"label": "no SR release", "x": none["_twitch"][0], "y": none["_twitch"][1]}]},
    ]
    if ctx.capabilities.get("myelinated_axon", (False,))[0]:
        # severe hypocalcaemia; hyperventilation (alkalosis lowers ionised Ca and shifts the gates); and
        # severe hypocalcaemia with the Na/K pump blocked, as under the cuff of Trousseau's sign
        runs = (("myelinated axon fires, Ca 0.75 (yes 1 / no 0)", "hypocalcaemia_severe", None),
                ("myelinated axon fires, hyperventilation (yes 1 / no 0)", "hyperventilation", None),
                ("myelinated axon fires, Ca 0.75 with the pump blocked (yes 1 / no 0)", "hypocalcaemia_severe",
                 {"pump": 0.0}))
        rest = {}
        for prefix, fit in _AXON_FITS:
            for key, preset, params in runs:
                act = _myelinated_activity(ctx, key.split(", ", 1)[1].rsplit(" (", 1)[0], preset, params,
                                           prefix=prefix, fit=fit)
                if act is not None:
                    n[prefix + key] = float(act.firing)
                    rest[prefix + key] = act.v_rest
            fired = _trousseau_activity(ctx, prefix, fit)
            if fired is not None:
                n[prefix + _TROUSSEAU_KEY] = float(fired)
        if runs[0][0] in rest and runs[2][0] in rest:
            n["myelinated axon rest change, pump blocked at Ca 0.75 (mV)"] = rest[runs[2][0]] - rest[runs[0][0]]
    return n, {"panels": panels}


CALCIUM = Claim(
    2, "calcium", "Low calcium: threshold, tetany; Ca triggers contraction and must be removed",
    "Low calcium over-excites nerves, lowers the firing threshold, causes spontaneous firing, spasms and tetany "
    "(and Chvostek's sign); calcium triggers contraction and must be removed for the muscle to relax.",
    mechanisms=(
        "Less extracellular Ca screens and binds less of the membrane's surface charge: the gates behave as "
        "if the membrane were depolarised by a few mV.",
        "In the fibre, released Ca binds troponin and lets crossbridges form; SERCA pumps it back into the SR.",
    ),
    simulations=(
        "Axon node (37 C): threshold and spontaneous firing at ionised Ca 1.22, 1.00 and 0.75 mM; the "
        "myelinated axon (21 nodes, 500 ms without a stimulus; published, and fitted to the human "
        "threshold-tracking battery) in severe hypocalcaemia, after acute hyperventilation, in severe "
        "hypocalcaemia with the Na/K pump blocked (ischaemia), and after the 3 min cuff of Trousseau's sign "
        "(pump blocked, the Na it leaves, periaxonal K raised 0, 2 and 5 mM).",
        "Fibre with EC coupling (16 C): twitch normal, with SR release removed, and with SERCA at 50 %.",
    ),
    subclaims=(
        SubClaim("threshold", "Low calcium lowers the nerve's firing threshold.", (
            Criterion("axon threshold change, Ca 0.75 (%)", "<=", -10.0, "%",
                      "severe hypocalcaemia (ionised Ca 0.75 mM) lowers the threshold by at least 10 %", _THRESHOLD_10),
        )),
        SubClaim("tetany", "Low calcium causes spontaneous firing, spasms and tetany.", (
            Criterion("axon node fires, Ca 0.75 (yes 1 / no 0)", ">=", 1.0, "1",
                      "the axon node fires on its own at ionised Ca 0.75 mM, the range of clinical tetany", _FIRES),
            Criterion("myelinated axon fires, Ca 0.75 (yes 1 / no 0)", ">=", 1.0, "1",
                      "or the myelinated axon does", _FIRES),
            Criterion("myelinated axon fires, hyperventilation (yes 1 / no 0)", ">=", 1.0, "1",
                      "or the myelinated axon does after acute hyperventilation (PCO2 20 mmHg)", _FIRES),
            Criterion("myelinated axon fires, Ca 0.75 with the pump blocked (yes 1 / no 0)", ">=", 1.0, "1",
                      "or the myelinated axon does at ionised Ca 0.75 mM with its Na/K pump blocked, as "
                      "ischaemia under the cuff of Trousseau's sign blocks it", _FIRES),
            Criterion(_TROUSSEAU_KEY, ">=", 1.0, "1",
                      f"or the myelinated axon does at ionised Ca 0.75 mM after the {_TROUSSEAU_MIN:g} min cuff of "
                      "Trousseau's sign: pump blocked, the axoplasmic Na of that block, periaxonal K raised by "
                      + ", ".join(f"{d:g}" for d in _TROUSSEAU_DK) + " mM", _FIRES),
            Criterion("fitted " + _TROUSSEAU_KEY, ">=", 1.0, "1",
                      "or the fitted axon does after the same cuff", _FIRES),
            Criterion("fitted myelinated axon fires, Ca 0.75 (yes 1 / no 0)", ">=", 1.0, "1",
                      "or the myelinated axon fitted to the human threshold-tracking battery does", _FIRES),
            Criterion("fitted myelinated axon fires, hyperventilation (yes 1 / no 0)", ">=", 1.0, "1",
                      "or the fitted axon does after acute hyperventilation", _FIRES),
            Criterion("fitted myelinated axon fires, Ca 0.75 with the pump blocked (yes 1 / no 0)", ">=", 1.0, "1",
                      "or the fitted axon does at ionised Ca 0.75 mM with its Na/K pump blocked", _FIRES),
        ), rule="any"),
        SubClaim("chvostek", "Low calcium causes Chvostek's sign.", outside=(
            "Chvostek's sign is a twitch of the face when the facial nerve is tapped: it needs a mechanically "
            "stimulated nerve trunk and facial muscles, and the models have no mechanical stimulus.")),
        SubClaim("trigger", "Calcium triggers contraction.", (
            Criterion("twitch without SR Ca release (% of normal)", "<=", 5.0, "%",
                      "without Ca release from the SR the twitch falls below 5 % of normal",
                      "if Ca is the trigger, force without it is no more than noise; 5 % leaves room for the "
                      "resting force of attached bridges"),
        )),
        SubClaim("removal", "Calcium must be removed for the muscle to relax.", (
            Criterion("half-relaxation change, SERCA 50 % (%)", ">=", 20.0, "%",
                      "halving SR Ca uptake slows the twitch's relaxation by at least 20 %", _RELAX_20),
        )),
    ),
    limits=(
        "The myelinated axon has nodes and internodes but no branches or terminal, where ectopic discharges "
        "may also arise; its spontaneous firing is searched at single conditions here, and mapped over Ca, Mg, "
        "pH and K by experiments/low_calcium_tetany.py.",
        "Blocking the pump alone removes only its outward current, so the axon depolarises by the amount "
        "reported under 'other numbers'. The cuff of Trousseau's sign adds the axoplasmic Na that the resting "
        "influx brings in 3 min and a periaxonal K excess searched at a few levels, because its clearance is not "
        "modelled; both are snapshots, not a time course (experiments/ischaemia_axon.py).",
        "The Ca system is validated at 16 C; the twitch is slower there than at body temperature.",
    ),
    references=(_SOURCES_SURFACE, _SOURCES_NODE, _SOURCES_EC,
                f"{cite('frankenhaeuser1957')} (Ca and the threshold of nerve)"),
    measure=_measure_ca,
)

# ======================================================================= 3. potassium
def _measure_k(ctx: RunContext, n: dict):
    severe = _p("hypokalaemia_severe")
    n["axon threshold change, K 2.3 (%)"], ax = _axon_change(ctx, severe)
    n["axon rest change, K 2.3 (mV)"] = ax["rest (mV)"] - M.axon(ctx, _normal())["rest (mV)"]
    f0, f1 = M.fibre(ctx, _normal(), mode="chloride"), M.fibre(ctx, severe, mode="chloride")
    n["muscle threshold change, K 2.3 (%)"] = M.pct(f1["threshold (uA/cm2)"], f0["threshold (uA/cm2)"])
    n["muscle rest change, K 2.3 (mV)"] = f1["rest (mV)"] - f0["rest (mV)"]
    n["largest threshold fall, axon or muscle, K 2.3 (%)"] = min(n["axon threshold change, K 2.3 (%)"],
                                                                n["muscle threshold change, K 2.3 (%)"])
    n["axon fires, K 2.3 (yes 1 / no 0)"] = ax["fires"]
    low = _normal().replace(k=1.5, cl=100.0, hco3=27.0, name="K 1.5 mM")
    levels = (severe, low)
    n["inexcitable state at K >= 1.5, normal fibre (yes 1 / no 0)"] = max(
        M.fibre(ctx, e, mode="chloride", threshold=False)["inexcitable state"] for e in levels)
    n["inexcitable state at K >= 1.5, HypoPP leak (yes 1 / no 0)"] = max(
        M.fibre(ctx, e, cation_leak=0.0195, mode="chloride", threshold=False)["inexcitable state"] for e in levels)
    ref, lk = M.ec(ctx, "normal"), M.ec(ctx, "K 2.3", severe)
    n["half-relaxation change, K 2.3 (%)"] = M.pct(lk["twitch half-relaxation (ms)"],
                                                   ref["twitch half-relaxation (ms)"])
    n["twitch change, K 2.3 (%)"] = M.pct(lk["twitch"], ref["twitch"])
    panels = [
        {"kind": "bar", "title": "Threshold at K 2.3 mM", "ylabel": "change vs K 4.2 (%)",
         "labels": ["axon node", "muscle fibre"], "values": [n["axon threshold change, K 2.3 (%)"],
                                                            n["muscle threshold change, K 2.3 (%)"]],
         "threshold": -10.0, "threshold_label": "-10 %: hyperexcitable"},
        {"kind": "bar", "title": "Fibre stuck depolarised and inexcitable (K 2.3 or 1.5)", "ylabel": "yes 1 / no 0",
         "labels": ["normal fibre", "HypoPP leak 19.5 uS/cm2"],
         "values": [n["inexcitable state at K >= 1.5, normal fibre (yes 1 / no 0)"],
                    n["inexcitable state at K >= 1.5, HypoPP leak (yes 1 / no 0)"]]},
        {"kind": "line", "title": "Fibre, 16 C: twitch", "xlabel": "ms", "ylabel": "force-bearing bridges / RU",
         "series": [{"label": "K 4.2", "x": ref["_twitch"][0], "y": ref["_twitch"][1]},
                    {"label": "K 2.3", "x": lk["_twitch"][0], "y": lk["_twitch"][1]}]},
    ]
    return n, {"panels": panels}


POTASSIUM = Claim(
    3, "potassium", "Low potassium: nerve-muscle signalling, weakness, cramps, relaxation",
    "Low potassium disrupts nerve-muscle signalling, causing weakness, cramps and difficulty relaxing.",
    mechanisms=(
        "The resting potential of axon and fibre follows the K equilibrium potential: less K hyperpolarises.",
        "In muscle the inward rectifier's conductance falls with external K; at very low K (or with the "
        "cation leak of hypokalaemic periodic paralysis) a second, depolarised resting state appears.",
    ),
    simulations=(
        "Axon node (37 C): threshold at K 4.2 and 2.3 mM.",
        "Muscle fibre (37 C, Cl redistributed): threshold at K 2.3; stable states at K 2.3 and 1.5 mM, "
        "with and without the HypoPP leak (19.5 uS/cm2), and whether a fixed pulse fires from each.",
        "Fibre with EC coupling (16 C): twitch at K 4.2 and 2.3 mM.",
    ),
    subclaims=(
        SubClaim("signalling", "Low potassium disrupts nerve signalling.", (
            Criterion("axon threshold change, K 2.3 (%)", ">=", 10.0, "%",
                      "severe hypokalaemia makes the axon at least 10 % harder to excite", _THRESHOLD_10),
        )),
        SubClaim("weakness", "Low potassium causes weakness.", (
            Criterion("inexcitable state at K >= 1.5, normal fibre (yes 1 / no 0)", ">=", 1.0, "1",
                      "a normal fibre can be stuck depolarised and inexcitable at clinical K (2.3 or 1.5 mM)",
                      "an inexcitable fibre makes no force: that is the paralysis of severe hypokalaemia"),
            Criterion("inexcitable state at K >= 1.5, HypoPP leak (yes 1 / no 0)", ">=", 1.0, "1",
                      "a fibre with the HypoPP cation leak can", "as above, for the fibres of hypokalaemic "
                      "periodic paralysis (Jurkat-Rott et al. 2009)"),
        )),
        SubClaim("cramps", "Low potassium causes cramps.", (
            Criterion("largest threshold fall, axon or muscle, K 2.3 (%)", "<=", -10.0, "%",
                      "the axon or the muscle fibre becomes at least 10 % easier to excite", _THRESHOLD_10),
            Criterion("axon fires, K 2.3 (yes 1 / no 0)", ">=", 1.0, "1", "and the axon fires on its own", _FIRES),
        )),
        SubClaim("relaxing", "Low potassium makes relaxing difficult.", (
            Criterion("half-relaxation change, K 2.3 (%)", ">=", 20.0, "%",
                      "severe hypokalaemia slows the twitch's relaxation by at least 20 %", _RELAX_20),
        )),
    ),
    limits=(
        "Hours of hypokalaemia also lower the fibre's own K; the 'chloride' states here are minutes, "
        "the 'chronic' ones of experiments/hypokalaemia_muscle.py are hours.",
        "Rhabdomyolysis and the kidney's handling of K are not modelled.",
    ),
    references=(_SOURCES_NODE, _SOURCES_FIBRE, _SOURCES_EC,
                f"{cite('jurkatrott2009')} (two resting states, HypoPP cation leak)"),
    measure=_measure_k,
)

# ======================================================================= 4. sodium
def _measure_na(ctx: RunContext, n: dict):
    ex, sev = _p("exercise_hyponatraemia"), _p("hyponatraemia_severe")
    n["axon threshold change, Na 128 (%)"], a1 = _axon_change(ctx, ex)
    f0, f1, f2 = M.fibre(ctx, _normal()), M.fibre(ctx, ex), M.fibre(ctx, sev)
    n["muscle threshold change, Na 128 (%)"] = M.pct(f1["threshold (uA/cm2)"], f0["threshold (uA/cm2)"])
    n["muscle AP peak change, Na 118 (mV)"] = f2["AP peak (mV)"] - f0["AP peak (mV)"]
    n["largest threshold fall, axon or muscle, Na 128 (%)"] = min(n["axon threshold change, Na 128 (%)"],
                                                                 n["muscle threshold change, Na 128 (%)"])
    n["axon fires, Na 128 (yes 1 / no 0)"] = a1["fires"]
    ref, low = M.ec(ctx, "normal"), M.ec(ctx, "Na 118", sev)
    n["twitch change, Na 118 (%)"] = M.pct(low["twitch"], ref["twitch"])
    panels = [
        {"kind": "bar", "title": "Threshold, exercise hyponatraemia (Na 128)", "ylabel": "change vs normal (%)",
         "labels": ["axon node", "muscle fibre"], "values": [n["axon threshold change, Na 128 (%)"],
                                                            n["muscle threshold change, Na 128 (%)"]],
         "threshold": -10.0, "threshold_label": "-10 %: criterion"},
        {"kind": "line", "title": "Fibre, 16 C: twitch", "xlabel": "ms", "ylabel": "force-bearing bridges / RU",
         "series": [{"label": "Na 140", "x": ref["_twitch"][0], "y": ref["_twitch"][1]},
                    {"label": "Na 118", "x": low["_twitch"][0], "y": low["_twitch"][1]}]},
    ]
    return n, {"panels": panels}


SODIUM = Claim(
    4, "sodium", "Low sodium (sweating plus plain water): cramps and weakness",
    "Low sodium, after heavy sweating replaced with plain water, causes cramps and weakness.",
    mechanisms=(
        "The action potential's upstroke is Na entry: less external Na lowers the Na equilibrium potential "
        "and the overshoot; a weaker salt solution screens the surface charge a little less.",
    ),
    simulations=(
        "Axon node and muscle fibre (37 C): threshold in exercise-associated hyponatraemia (Na 128 mM).",
        "Muscle fibre: action-potential peak at Na 118 mM; fibre with EC coupling (16 C): twitch at Na 118.",
    ),
    subclaims=(
        SubClaim("cramps", "Low sodium causes cramps.", (
            Criterion("largest threshold fall, axon or muscle, Na 128 (%)", "<=", -10.0, "%",
                      "the axon or the muscle fibre becomes at least 10 % easier to excite", _THRESHOLD_10),
            Criterion("axon fires, Na 128 (yes 1 / no 0)", ">=", 1.0, "1", "and the axon fires on its own", _FIRES),
        )),
        SubClaim("weakness", "Low sodium causes weakness.", (
            Criterion("twitch change, Na 118 (%)", "<=", -20.0, "%",
                      "profound hyponatraemia (Na 118) lowers the twitch by at least 20 %", _FORCE_20),
        )),
        SubClaim("brain", "Low sodium's danger is brain swelling.", outside=(
            "brain oedema is water moving into brain cells when plasma osmolality falls; the models have no "
            "cell volume, no brain and no skull")),
    ),
    limits=("Cell swelling of muscle fibres with hypo-osmolality is not modelled.",),
    references=(_SOURCES_NODE, _SOURCES_FIBRE, _SOURCES_EC,
                "Hew-Butler et al. 2015 Clin J Sport Med 25:303 (exercise-associated hyponatraemia)"),
    measure=_measure_na,
)

# ======================================================================= 5. vitamin D
def _measure_vitd(ctx: RunContext, n: dict):
    n["axon threshold change, vitamin D deficiency (Ca 1.15) (%)"], _ = _axon_change(ctx, _p("vitamin_d_deficiency"))
    n["axon threshold change, severe vitamin D deficiency (Ca 0.95) (%)"], sev = _axon_change(
        ctx, _p("vitamin_d_deficiency_severe"))
    n["axon fires, severe vitamin D deficiency (yes 1 / no 0)"] = sev["fires"]
    panels = [{"kind": "bar", "title": "Axon node: threshold at the Ca vitamin-D deficiency leaves",
               "ylabel": "change vs normal (%)", "labels": ["compensated (Ca 1.15)", "severe (Ca 0.95)"],
               "values": [n["axon threshold change, vitamin D deficiency (Ca 1.15) (%)"],
                          n["axon threshold change, severe vitamin D deficiency (Ca 0.95) (%)"]],
               "threshold": -10.0, "threshold_label": "-10 %: criterion"}]
    return n, {"panels": panels}


VITAMIN_D = Claim(
    5, "vitamin_d", "Vitamin D deficiency: cramps through low calcium",
    "Vitamin D deficiency causes cramps through low calcium.",
    mechanisms=("Only through the plasma it leaves: the ionised Ca of compensated and of severe, prolonged "
                "deficiency (the vitamin_d_deficiency presets), acting on the membrane's surface charge.",),
    simulations=("Axon node (37 C): threshold and spontaneous firing at ionised Ca 1.15 and 0.95 mM.",),
    subclaims=(
        SubClaim("absorption", "Vitamin D deficiency lowers plasma calcium.", outside=(
            "the models take plasma Ca as given: gut absorption, parathyroid hormone and bone, which decide "
            "how far Ca falls, are not in them")),
        SubClaim("cramps", "At the calcium vitamin D deficiency leaves, nerves over-excite and fire.", (
            Criterion("axon threshold change, severe vitamin D deficiency (Ca 0.95) (%)", "<=", -10.0, "%",
                      "the axon's threshold falls by at least 10 %", _THRESHOLD_10),
            Criterion("axon fires, severe vitamin D deficiency (yes 1 / no 0)", ">=", 1.0, "1",
                      "and it fires on its own", _FIRES),
        )),
    ),
    limits=("Secondary hyperparathyroidism usually keeps ionised Ca near normal for a long time; the severe "
            "preset is osteomalacia with frank hypocalcaemia.",),
    references=(_SOURCES_SURFACE, _SOURCES_NODE, "Holick 2007 N Engl J Med 357:266 (vitamin D deficiency)"),
    measure=_measure_vitd,
)

# ======================================================================= 6. B vitamins, ATP, B12
_SUPPLY_LOW = 0.005  # below the resting demand (about 0.6 % of the default capacity)
_SUPPLY_MODERATE = 0.1


def _measure_b(ctx: RunContext, n: dict):
    m = M.ec_model(ctx)
    supply = m.label("atp_supply_capacity")
    v = m.parameters[supply].value
    ref = M.ec(ctx, "normal, 30 Hz", trains=(30.0,))
    mod = M.ec(ctx, "supply 10 %", overrides={supply: _SUPPLY_MODERATE * v}, trains=(30.0,), relax_ms=3.6e6)
    low = M.ec(ctx, "supply 0.5 %", overrides={supply: _SUPPLY_LOW * v}, trains=(30.0,), relax_ms=3.6e6)
    key = "30 Hz half-relaxation (ms)"
    n["relaxation change after a train, supply 10 % (%)"] = M.pct(mod[key], ref[key])
    n["relaxation change after a train, supply 0.5 % (%)"] = M.pct(low[key], ref[key])
    n["force left 200 ms after the train, supply 0.5 % (%)"] = 100.0 * low["30 Hz residual"]
    n["force left 200 ms after the train, supply 10 % (%)"] = 100.0 * mod["30 Hz residual"]
    n["force left 200 ms after the train, normal supply (%)"] = 100.0 * ref["30 Hz residual"]
    n["resting MgATP, supply 0.5 % (mM)"] = low["rest MgATP (mM)"]
    n["resting ATP use (mM/s)"] = ref["rest ATP use (mM/s)"]
    n["default supply capacity (mM/s)"] = 1e3 * v
    panels = [{"kind": "line", "title": "Fibre, 16 C: 300 ms, 30 Hz train", "xlabel": "ms",
               "ylabel": "force-bearing bridges / RU",
               "series": [{"label": "supply 100 %", "x": ref["_train"][0], "y": ref["_train"][1]},
                          {"label": "supply 10 %", "x": mod["_train"][0], "y": mod["_train"][1]},
                          {"label": "supply 0.5 %", "x": low["_train"][0], "y": low["_train"][1]}]}]
    if ctx.capabilities.get("demyelination", (False,))[0]:
        a, b = M.myelinated_conduction(ctx, 1.0), M.myelinated_conduction(ctx, 0.5)
        n["conduction velocity change, half the myelin (%)"] = M.pct(b["conduction velocity (m/s)"],
                                                                    a["conduction velocity (m/s)"])
        n["conduction block, half the myelin (yes 1 / no 0)"] = b["blocked"]
        panels.append({"kind": "bar", "title": "Myelinated axon: conduction velocity", "ylabel": "m/s",
                       "labels": ["normal myelin", "half the myelin"],
                       "values": [a["conduction velocity (m/s)"], b["conduction velocity (m/s)"]]})
    else:
        panels.append({"kind": "text", "title": "B12 and myelin",
                       "text": "not measured:\n" + "\n".join(textwrap.wrap(ctx.capabilities["demyelination"][1], 40))})
    return n, {"panels": panels}


B_VITAMINS = Claim(
    6, "b_vitamins", "B vitamins, ATP and relaxation; B12 and myelin",
    "B vitamins are needed to make ATP, and without enough ATP muscles cannot relax; B12 deficiency impairs "
    "nerve signalling (myelin damage).",
    mechanisms=(
        "SERCA and crossbridge detachment use MgATP; creatine kinase buffers ATP; a metabolic supply "
        "regenerates it. The vitamins enter as one lumped parameter: the fibre's ATP supply capacity "
        "(oxidative plus glycolytic). Vitamin -> ATP is that one number, nothing more.",
        "Myelin: demyelination on the myelinated motor axon (MRG double cable), as fewer myelin lamellae "
        "(nm.motor_axon_myelinated(lamellae=...)): more capacitance and leak across the internode -> "
        "slower conduction, then block.",
    ),
    simulations=(
        "Fibre with EC coupling (16 C): rest (an hour to settle) and a 300 ms, 30 Hz train at 100 %, 10 % "
        "and 0.5 % of the default ATP supply capacity.",
        "Myelinated axon, 7 nodes: conduction velocity and block with normal myelin and "
        "with half the lamellae.",
    ),
    subclaims=(
        SubClaim("vitamins", "B vitamins are needed to make ATP.", outside=(
            "the models have no vitamin chemistry: the vitamins' part in making ATP is one lumped "
            "parameter, the ATP supply capacity, and how much a deficiency lowers it is not known to them")),
        SubClaim("atp", "Without enough ATP muscles cannot relax.", (
            Criterion("force left 200 ms after the train, supply 0.5 % (%)", ">=", 10.0, "%",
                      "with a supply below the resting demand, at least 10 % of the force is still held 200 ms "
                      "after a train", _CONTRACTURE),
            Criterion("force left 200 ms after the train, supply 10 % (%)", ">=", 10.0, "%",
                      "and with a tenfold lower supply, which still covers the demand",
                      "a deficiency that matters in life would not need to cut ATP synthesis below the "
                      "resting demand; the same 10 % applies"),
        )),
        SubClaim("b12", "B12 deficiency impairs nerve signalling through myelin damage.", (
            Criterion("conduction velocity change, half the myelin (%)", "<=", -10.0, "%",
                      "halving the myelin slows conduction by at least 10 %",
                      "nerve conduction studies call slowing of more than about 10-20 % abnormal; "
                      "demyelinating neuropathies slow conduction far more"),
            Criterion("conduction block, half the myelin (yes 1 / no 0)", ">=", 1.0, "1",
                      "or blocks it", "a blocked impulse is lost signalling outright"),
        ), rule="any", requires=("demyelination",)),
    ),
    limits=("Where ATP is made (mitochondria, glycolysis) and fatigue's metabolites other than Pi are not "
            "modelled; B12's other effects (anaemia, spinal cord) are not either.",),
    references=(_SOURCES_EC, f"{cite('ferenczi1984')} (MgATP and crossbridges)",
                f"{cite('chance1986')} (control of ATP supply)",
                f"{cite('mcintyre2002')} (myelinated axon)"),
    measure=_measure_b,
)

# ======================================================================= 7. dehydration
def _measure_dehydration(ctx: RunContext, n: dict):
    d2, d4 = dehydration(0.02), dehydration(0.04)
    hypo = _p("hypomagnesaemia")
    both = dehydration(0.04, hypo)
    n["plasma Na, 4 % dehydration (mM)"] = d4.electrolytes.na
    n["plasma ionised Ca, 4 % dehydration (mM)"] = d4.electrolytes.ca
    n["extracellular volume change, 4 % (%)"] = 100.0 * d4.ecf_change
    n["axon threshold change, 2 % dehydration (%)"], _ = _axon_change(ctx, d2.electrolytes)
    n["axon threshold change, 4 % dehydration (%)"], a4 = _axon_change(ctx, d4.electrolytes)
    n["axon fires, 4 % dehydration (yes 1 / no 0)"] = a4["fires"]
    f0, f4 = M.fibre(ctx, _normal()), M.fibre(ctx, d4.electrolytes)
    n["muscle threshold change, 4 % dehydration (%)"] = M.pct(f4["threshold (uA/cm2)"], f0["threshold (uA/cm2)"])
    n["largest threshold fall, axon or muscle, 4 % dehydration (%)"] = min(
        n["axon threshold change, 4 % dehydration (%)"], n["muscle threshold change, 4 % dehydration (%)"])
    alone, _ = _axon_change(ctx, hypo)
    combined, _ = _axon_change(ctx, both.electrolytes)
    n["axon threshold change, low Mg alone (%)"] = alone
    n["axon threshold change, low Mg + 4 % dehydration (%)"] = combined
    n["extra threshold change from dehydration on low Mg (points)"] = combined - alone
    panels = [{"kind": "bar", "title": "Axon node: threshold (0.1 ms pulse)", "ylabel": "change vs normal (%)",
               "labels": ["2 % dehydration", "4 % dehydration", "low Mg", "low Mg + 4 %"],
               "values": [n["axon threshold change, 2 % dehydration (%)"],
                          n["axon threshold change, 4 % dehydration (%)"],
                          alone, combined], "threshold": -10.0, "threshold_label": "-10 %: criterion"},
              {"kind": "bar", "title": "Plasma after 4 % dehydration", "ylabel": "change vs normal (%)",
               "labels": ["Na", "Cl", "ionised Ca", "ionised Mg", "ECF volume"],
               "values": [M.pct(d4.electrolytes.na, 140.0), M.pct(d4.electrolytes.cl, _normal().cl),
                          M.pct(d4.electrolytes.ca, _normal().ca), M.pct(d4.electrolytes.mg, _normal().mg),
                          100.0 * d4.ecf_change]}]
    return n, {"panels": panels}


DEHYDRATION = Claim(
    7, "dehydration", "Dehydration with electrolyte loss: magnified deficiencies, cramps",
    "Dehydration with electrolyte loss magnifies deficiencies and causes cramps.",
    mechanisms=(
        "A dehydration scenario computed by mass balance: sweat of a cited composition leaves, water leaves "
        "every compartment, the extracellular solutes left are concentrated (haemoconcentration); K is held "
        "by the cells.",
        "The plasma that results acts on the axon and fibre like any other (Nernst/GHK driving forces, "
        "surface charge).",
    ),
    simulations=(
        "Axon node (37 C): threshold and spontaneous firing after losing 2 % and 4 % of body mass as sweat; "
        "hypomagnesaemia with and without 4 % dehydration.",
        "Muscle fibre (37 C): threshold after 4 % dehydration.",
    ),
    subclaims=(
        SubClaim("cramps", "Dehydration with electrolyte loss causes cramps.", (
            Criterion("largest threshold fall, axon or muscle, 4 % dehydration (%)", "<=", -10.0, "%",
                      "the axon or the muscle fibre becomes at least 10 % easier to excite", _THRESHOLD_10),
            Criterion("axon fires, 4 % dehydration (yes 1 / no 0)", ">=", 1.0, "1", "and the axon fires on its own",
                      _FIRES),
        )),
        SubClaim("magnifies", "Dehydration magnifies a deficiency.", (
            Criterion("extra threshold change from dehydration on low Mg (points)", "<=", -5.0, "points",
                      "dehydration lowers the threshold of a hypomagnesaemic axon by at least 5 more points",
                      "half the 10 % that counts as a clear change on its own: a 'magnified' deficiency must "
                      "move the axon noticeably further in the same direction"),
        )),
    ),
    limits=("Cramps during exercise are thought to arise mostly in the spinal cord (reflex drive of motor "
            "neurons), which is not modelled; heat, fatigue and blood flow are not in the scenario.",
            "The sweat composition varies widely between people (Na 10-90 mM).",
            "The scenario is the plasma right after the loss: the hours-long return of Ca and Mg from bone "
            "and cells, and the kidney's response, are not in it.",),
    references=(_SOURCES_NODE, _SOURCES_FIBRE, "Baker 2017 Sports Med 47 Suppl 1:111 (sweat composition)",
                "Minetto et al. 2013 Exerc Sport Sci Rev 41:3 (origin of cramps)"),
    measure=_measure_dehydration,
)

# ======================================================================= 8. Ca relative to Mg
def _measure_ratio(ctx: RunContext, n: dict):
    high = _normal().replace(ca=1.45, mg=0.30, name="Ca 1.45, Mg 0.30")
    ref, hr = M.ec(ctx, "normal"), M.ec(ctx, "plasma Ca 1.45, Mg 0.30", high)
    n["plasma Ca/Mg ratio, normal"] = _normal().ca / _normal().mg
    n["plasma Ca/Mg ratio, high"] = high.ca / high.mg
    n["half-relaxation change, plasma Ca 1.45 / Mg 0.30 (%)"] = M.pct(hr["twitch half-relaxation (ms)"],
                                                                      ref["twitch half-relaxation (ms)"])
    mg04 = M.ec(ctx, "free Mg 0.4 mM", free_mg=0.4)
    n["half-relaxation change, myoplasmic Mg 0.4 (%)"] = M.pct(mg04["twitch half-relaxation (ms)"],
                                                              ref["twitch half-relaxation (ms)"])
    panels = [{"kind": "line", "title": "Fibre, 16 C: twitch", "xlabel": "ms", "ylabel": "force-bearing bridges / RU",
               "series": [{"label": "normal plasma", "x": ref["_twitch"][0], "y": ref["_twitch"][1]},
                          {"label": "plasma Ca 1.45, Mg 0.30", "x": hr["_twitch"][0], "y": hr["_twitch"][1]},
                          {"label": "myoplasmic Mg 0.4", "x": mg04["_twitch"][0], "y": mg04["_twitch"][1]}]}]
    if ctx.capabilities.get("sarcolemmal_ca", (False,))[0]:
        r0, r1 = M.sarcolemmal_steady_ca(ctx, _normal()), M.sarcolemmal_steady_ca(ctx, high)
        n["steady resting Ca change, plasma Ca 1.45 / Mg 0.30 (%)"] = M.pct(r1["steady Ca (nM)"], r0["steady Ca (nM)"])
        panels.append({"kind": "bar", "title": "Steady resting Ca (sarcolemmal balance, 37 C)", "ylabel": "nM",
                       "labels": ["normal", "Ca 1.45, Mg 0.30"],
                       "values": [r0["steady Ca (nM)"], r1["steady Ca (nM)"]]})
    return n, {"panels": panels}


RATIO = Claim(
    8, "ca_mg_ratio", "Too much calcium relative to magnesium and relaxation",
    "Too much calcium relative to magnesium upsets the balance needed for relaxation.",
    mechanisms=(
        "Plasma Ca and Mg act on the membrane's surface charge and (with sarcolemmal Ca) on Ca entry; "
        "myoplasmic Mg acts on release, parvalbumin and MgATP.",
    ),
    simulations=(
        "Fibre with EC coupling (16 C): twitch in normal plasma and with plasma Ca 1.45 / Mg 0.30 mM (ratio "
        "4.8 against 2.3), and with myoplasmic Mg 0.4 mM.",
        "Sarcolemmal Ca balance (37 C): the steady resting Ca in both plasmas.",
    ),
    subclaims=(
        SubClaim("relaxation", "A high Ca/Mg ratio slows relaxation.", (
            Criterion("half-relaxation change, plasma Ca 1.45 / Mg 0.30 (%)", ">=", 20.0, "%",
                      "a high plasma Ca/Mg ratio slows the twitch's relaxation by at least 20 %", _RELAX_20),
            Criterion("half-relaxation change, myoplasmic Mg 0.4 (%)", ">=", 20.0, "%",
                      "or a low myoplasmic Mg does", _RELAX_20),
        ), rule="any"),
        SubClaim("resting_ca", "A high Ca/Mg ratio raises the cell's resting Ca.", (
            Criterion("steady resting Ca change, plasma Ca 1.45 / Mg 0.30 (%)", ">=", 20.0, "%",
                      "the resting free Ca rises by at least 20 %", _ENTRY_20),
        ), requires=("sarcolemmal_ca",)),
    ),
    limits=("Hypercalcaemia's effects on the kidney, the heart and the gut are not modelled.",),
    references=(_SOURCES_SURFACE, _SOURCES_EC),
    measure=_measure_ratio,
)

# ======================================================================= 9. junction
def _measure_nmj(ctx: RunContext, n: dict):
    import neuromuscle as nm

    if not ctx.capabilities.get("junction", (False,))[0]:
        return n, {"panels": [{"kind": "text", "title": "Neuromuscular junction",
                               "text": "not in the installed models:\n" + ctx.capabilities["junction"][1]}]}
    ctx.progress("neuromuscular junction")
    q = {}
    for label, e in (("normal", _normal()), ("Ca 0.75", _p("hypocalcaemia_severe")),
                     ("Mg 2.0", _normal().replace(mg=2.0, name="Mg 2.0 mM"))):
        q[label] = float(nm.analysis.quantal_content(e, celsius=37.0).mean)
    n["quantal content change, Ca 0.75 (%)"] = M.pct(q["Ca 0.75"], q["normal"])
    n["quantal content change, Mg 2.0 (%)"] = M.pct(q["Mg 2.0"], q["normal"])
    n["quantal content, normal"] = q["normal"]
    ctx.progress("safety factor of transmission")
    sf = {}
    for label, e in (("Ca 0.75", _p("hypocalcaemia_severe")), ("Mg 2.0", _normal().replace(mg=2.0, name="Mg 2.0 mM"))):
        sf[label] = float(nm.analysis.safety_factor(e, celsius=37.0).value)
    n["safety factor, Ca 0.75"] = sf["Ca 0.75"]
    n["safety factor, Mg 2.0"] = sf["Mg 2.0"]
    return n, {"panels": [{"kind": "bar", "title": "Transmitter release (quantal content)", "ylabel": "quanta",
                           "labels": list(q), "values": list(q.values())},
                          {"kind": "bar", "title": "Safety factor of transmission (37 C)", "ylabel": "EPP / threshold",
                           "labels": list(sf), "values": list(sf.values()),
                           "threshold": 1.0, "threshold_label": "1: transmission fails below"}]}


JUNCTION = Claim(
    9, "junction", "The junction needs the right ionic environment to release transmitter",
    "The neuromuscular junction needs the right ionic environment to release transmitter.",
    mechanisms=("Presynaptic Ca entry and transmitter release with Ca cooperativity and Mg competition "
                "(Dodge & Rahamimoff 1967), when the package has the junction.",),
    simulations=("Quantal content at 37 C in normal plasma, ionised Ca 0.75 mM and Mg 2.0 mM.",
                 "Safety factor of transmission (Ruff 2011: end-plate potential over the depolarisation the fibre "
                 "needs to fire) at ionised Ca 0.75 mM and Mg 2.0 mM, 37 C.",),
    subclaims=(
        SubClaim("release", "Transmitter release depends on the ionic environment.", (
            Criterion("quantal content change, Ca 0.75 (%)", "<=", -20.0, "%",
                      "severe hypocalcaemia lowers release by at least 20 %",
                      "release goes as about the fourth power of Ca entry; a 20 % fall is well outside "
                      "the scatter of quantal content between end-plates"),
            Criterion("quantal content change, Mg 2.0 (%)", "<=", -20.0, "%",
                      "high Mg (2 mM, as in magnesium therapy) lowers release by at least 20 %",
                      "as above; Mg competes with Ca for presynaptic entry"),
        ), requires=("junction",)),
        SubClaim("transmission", "Without the right ionic environment the junction stops transmitting.", (
            Criterion("safety factor, Ca 0.75", "<", 1.0, "EPP/threshold",
                      "in severe hypocalcaemia a nerve impulse no longer fires the muscle fibre", _SAFETY_1),
            Criterion("safety factor, Mg 2.0", "<", 1.0, "EPP/threshold",
                      "at plasma Mg 2.0 mM a nerve impulse no longer fires the muscle fibre", _SAFETY_1),
        ), requires=("junction",)),
    ),
    limits=("The junction's release constants are fitted to the margin of safety of the rat diaphragm (Paton & "
            "Waud 1967) and to Dodge & Rahamimoff's slope; the safety factor in normal plasma is therefore not a "
            "prediction, its change with Ca and Mg is. The quantal content in normal plasma is several times the "
            "20-150 measured at mammalian end-plates (docs/models/neuromuscular_junction.md).",
            "Release is judged for one impulse: depletion and facilitation in trains, and the stochastic "
            "failures of release at low quantal content, are not part of these criteria."),
    references=(f"{cite('dodge1967')} (Ca and Mg in transmitter release)",
                f"{cite('paton1967')} (margin of safety of neuromuscular transmission)",
                "Ruff 2011 Muscle Nerve 44:854 (safety factor of transmission)"),
    measure=_measure_nmj,
)

CLAIMS: tuple[Claim, ...] = (MAGNESIUM, CALCIUM, POTASSIUM, SODIUM, VITAMIN_D, B_VITAMINS, DEHYDRATION, RATIO,
                             JUNCTION)
for _c in CLAIMS:
    _c.plot = _plot(f"{_c.number}. {_c.title}")
    _c.units = {c.key: c.unit for c in _c.criteria()}


def claim(key: str) -> Claim:
    """The claim with ``key`` (or number)."""
    for c in CLAIMS:
        if c.key == key or str(c.number) == str(key):
            return c
    raise KeyError(f"no claim {key!r}; known: {', '.join(c.key for c in CLAIMS)}")

