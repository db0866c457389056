"""Neuromuscular junction against published behaviour.

Fitted (experiments/calibrate_junction.py), so these tests guard the fit: the log-log
slope at Mg 1 mM (K_Ca), the Mg that blocks at 37 C and the margin of safety (K_Mg,
k_rel). Not seen by the fit: the slope at Mg 3 mM (Dodge & Rahamimoff's parallel shift),
Ruff's safety factor, the quantal content, the Mg that blocks at 22 C and the Ca needed
for transmission at 22 vs 37 C.
"""

import pytest

import neuromuscle as nm
from neuromuscle.analysis import junction

NORMAL = nm.Electrolytes.preset("normal")
LOW_CA = (0.27, 0.35, 0.45, 0.6)


def _tyrode(mg, celsius=37.0, ca=1.8):
    return nm.Electrolytes.solution(na=149.3, k=2.7, cl=137.0 + 2.7 + 2 * ca + 2 * mg, ca=ca, mg=mg, hco3=11.9,
                                    celsius=celsius)


def _slope(mg):
    m = [nm.analysis.quantal_content(NORMAL.replace(ca=c, mg=mg, physiological=False)).mean for c in LOW_CA]
    return junction.log_log_slope(LOW_CA, m)


def test_low_calcium_slope_dodge_rahamimoff():
    # Dodge & Rahamimoff 1967 J Physiol 193:419: slope 3.78 +/- 0.2 (SD, 28 junctions); fitted at Mg 1 mM
    # over 0.27-0.6 mM Ca. Tolerance 2 SD.
    assert _slope(1.0) == pytest.approx(3.78, abs=0.4)


def test_magnesium_shift_is_parallel():
    # Dodge & Rahamimoff 1967: added Mg lowers the e.p.p. without changing the slope. Not fitted (the fit
    # saw Mg 1 mM only). Tolerance 2 SD (0.4) on the slope at Mg 3 mM.
    assert _slope(3.0) == pytest.approx(_slope(1.0), abs=0.4)


def test_magnesium_lowers_release_at_every_calcium():
    for c in (0.3, 1.2):
        e = NORMAL.replace(ca=c, mg=0.5, physiological=False)
        more = NORMAL.replace(ca=c, mg=2.0, physiological=False)
        assert nm.analysis.quantal_content(more).mean < 0.6 * nm.analysis.quantal_content(e).mean


@pytest.mark.parametrize("celsius, published", [
    (37.0, 6.0),
    pytest.param(22.0, 10.0, marks=pytest.mark.xfail(strict=True, reason="predicted 14.7 mM: cold transmission in "
                 "the model resists Mg more than the rat diaphragm's (docs/models/neuromuscular_junction.md)")),
])
def test_magnesium_block_rat_diaphragm(celsius, published):
    # rat phrenic-diaphragm in vitro: 6 mM Mg just blocks transmission to single shocks at 37 C, 10 mM at
    # 22 C (abstract; docs/models/neuromuscular_junction.md). 37 C fitted, 22 C not; tolerance 10 %.
    mg = nm.analysis.blocking_magnesium(_tyrode(1.0, celsius), mg_range=(3.0, 20.0), rtol=0.04)
    assert mg == pytest.approx(published, rel=0.1)


def test_safety_factor_in_published_band():
    # Ruff 2011 Muscle Nerve 44:854 definition (EPP / (E_AP - E_rest)). Band 2-6: Paton & Waud 1967
    # J Physiol 191:59 give 4.1 for the most sensitive cat fibres (receptor occupancy at threshold block);
    # mammalian end-plates are usually put at 3-5. Not fitted.
    sf = nm.analysis.safety_factor(NORMAL, rtol=0.03)
    assert 2.0 < sf.value < 6.0
    assert 5.0 < sf.epp_threshold < 30.0  # depolarisation to threshold, mV


@pytest.mark.xfail(strict=True, reason="quantal content ~290: the margin of safety (7) times a threshold quantal "
                   "content of 42, from a miniature EPP of 0.43 mV (docs/models/neuromuscular_junction.md)")
def test_quantal_content_in_normal_plasma_is_mammalian():
    # rat diaphragm, cut-fibre voltage clamp at 23 C: m 40-45 (binomial n 45-53, p 0.82-0.90; abstract on
    # scilit); mammalian end-plates generally tens to ~100. Not fitted. Tolerance: the band 20-150.
    assert 20.0 < nm.analysis.quantal_content(NORMAL).mean < 150.0


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="predicted ratio 1.88; cooling lengthens the axon's action potential "
                   "and the end-plate current, but not enough (docs/models/neuromuscular_junction.md)")
def test_calcium_for_transmission_lower_when_cold():
    # rat phrenic-diaphragm: the Ca needed for minimal transmission is about 4 times lower at 22 C than at
    # 37 C (abstract). Not fitted; tolerance: ratio 3-5.
    from importlib.util import module_from_spec, spec_from_file_location
    from pathlib import Path

    spec = spec_from_file_location("nmj_exp", Path(__file__).parents[2] / "experiments" / "neuromuscular_junction.py")
    mod = module_from_spec(spec)
    spec.loader.exec_module(mod)
    ratio = mod.blocking_calcium(37.0) / mod.blocking_calcium(22.0)
    assert 3.0 < ratio < 5.0
