"""The EC fibre against published whole-fibre measurements it was not fitted to.

Each test names its source and tolerance. Where the model misses, the test is marked as an
expected failure with what the model gives (strict: it fails the suite once the model
passes, so the mark cannot outlive the miss); docs/models/ec_coupling.md says why.
"""

import dataclasses

import pytest

import neuromuscle as nm
from neuromuscle.studies import contraction_study

pytestmark = pytest.mark.slow

#: Baylor & Hollingworth 2003 J Physiol 551:125 (mouse fast-twitch fibres, 16 C, one AP,
#: furaptra): peak Delta[Ca] 18.5 uM, FDHM 4.9 ms. Tolerance: 25 % on each, a stated choice
#: for comparing one model fibre with a mean over fibres (the paper's spread was not read).
BH2003 = {"peak": 18.5, "fdhm": 4.9}
BH2003_TOLERANCE = 0.25
#: Twitch/tetanus of human thenar motor units (PMC1779696 Table 1: median 0.30, range
#: 0.11-0.58). Caveat: those units were chronically paralysed; no healthy fast-fibre ratio
#: was reachable (docs/models/ec_coupling.md). Tested at 37 C, trains up to 150 Hz.
TWITCH_TETANUS_RANGE = (0.11, 0.58)
#: Lännergren & Westerblad 1987 J Physiol 390:285 (PMC1192180; single intact mouse FDB
#: fibres, 7.5-37.5 C), abstract: at 35 C twitch contraction time 7-14 ms and half-relaxation
#: time 6-15 ms (the range over fibres, used as the tolerance); Q10 of the two 3.2 +/- 0.4 and
#: 4.0 +/- 0.6 (mean +/- SD; tolerance 2 SD). The temperature span of their Q10 fit is in
#: the full text, which was not read: the model's Q10 is taken over 15-35 C, inside the span
#: they studied.
LW1987_35C = {"contraction": (7.0, 14.0), "half_relaxation": (6.0, 15.0)}
LW1987_Q10 = {"contraction": (3.2, 0.4), "half_relaxation": (4.0, 0.6)}


def _fibre(celsius):
    return nm.muscle_ec(dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=celsius))


@pytest.fixture(scope="module")
def cold():
    return contraction_study(_fibre(16.0), frequencies=(), train_ms=60.0, after_ms=60.0)


@pytest.mark.xfail(strict=True, reason="the 16 C transient misses Baylor & Hollingworth 2003: 8.1 uM, FDHM "
                   "6.7 ms (too small since the release recalibration with the fast-twitch SERCA: nu_rel 11.5 -> 6.35 "
                   "chasing the second-release target; the fast-twitch SERCA with the old release gave 22.7 uM, "
                   "6.9 ms) (docs/models/ec_coupling.md, 'What remains off')")
def test_16C_calcium_transient_is_baylor_and_hollingworth_2003(cold):
    assert cold.calcium.amplitude == pytest.approx(BH2003["peak"], rel=BH2003_TOLERANCE)
    assert cold.calcium.fdhm == pytest.approx(BH2003["fdhm"], rel=BH2003_TOLERANCE)


@pytest.mark.xfail(strict=True, reason="force does not summate at 37 C: twitch/tetanus 1.00 (force peak of the "
                   "last AP of a 100 Hz train 0.26 of the first): release falls within a train (free SR Ca 0.61 of "
                   "rest, release peak 0.43 of the first) and the twitch relaxes by half in 1.4 ms; with 16 C filament "
                   "rates and no release inactivation together still 1.00; only with Razumova's crossbridge rates, no "
                   "release inactivation and no parvalbumin together 0.37, the train then at 0.26 of the "
                   "steady-state maximum; at 37 C the SR takes back all but 48 of one AP's 170 uM within 5 ms "
                   "(docs/models/ec_coupling.md, 'Why force does not summate')")
def test_twitch_tetanus_ratio_is_in_the_published_range():
    c = contraction_study(_fibre(37.0), frequencies=(100.0, 150.0), train_ms=200.0, after_ms=100.0)
    assert all(v["action potentials"] == v["stimuli"] for v in c.trains.values())  # trains followed
    low, high = TWITCH_TETANUS_RANGE
    assert low <= c.twitch_tetanus <= high


@pytest.fixture(scope="module")
def twitch_15_35():
    """Single-AP twitches at 15 and 35 C: {celsius: TransientMetrics of force}."""
    return {c: contraction_study(_fibre(c), frequencies=(), train_ms=60.0, after_ms=60.0).twitch
            for c in (15.0, 35.0)}


def _q10(slow, fast, dt=20.0):
    return (slow / fast) ** (10.0 / dt)


@pytest.mark.xfail(strict=True, reason="the 35 C twitch is 3-4 x too brief: time to peak 2.7 ms, half-relaxation "
                   "1.7 ms against 7-14 and 6-15 ms (Lännergren & Westerblad 1987); the 37 C Ca transient lasts "
                   "0.6 ms (docs/models/ec_coupling.md, 'Why force does not summate')")
def test_35C_twitch_time_course_is_lannergren_and_westerblad_1987(twitch_15_35):
    tw = twitch_15_35[35.0]
    low, high = LW1987_35C["contraction"]
    assert low <= tw.time_to_peak <= high
    low, high = LW1987_35C["half_relaxation"]
    assert low <= tw.half_relaxation <= high


def test_twitch_half_relaxation_q10_is_lannergren_and_westerblad_1987(twitch_15_35):
    # Model: 18.8 ms at 15 C, 1.7 ms at 35 C (Q10 3.3); nothing was fitted to temperature
    # except the rates' own published Q10s (docs/models/ec_coupling.md).
    q10 = _q10(twitch_15_35[15.0].half_relaxation, twitch_15_35[35.0].half_relaxation)
    mean, sd = LW1987_Q10["half_relaxation"]
    assert q10 == pytest.approx(mean, abs=2.0 * sd)


@pytest.mark.xfail(strict=True, reason="contraction-time Q10 2.3 over 15-35 C (13.7 -> 2.7 ms) against 3.2 +/- 0.4 "
                   "(Lännergren & Westerblad 1987): every rate that shapes the rise carries Q10 2.0-2.5 (Bennett "
                   "1984) and release permeability none, so the rise cannot speed up by 3.2 per 10 C")
def test_twitch_contraction_time_q10_is_lannergren_and_westerblad_1987(twitch_15_35):
    q10 = _q10(twitch_15_35[15.0].time_to_peak, twitch_15_35[35.0].time_to_peak)
    mean, sd = LW1987_Q10["contraction"]
    assert q10 == pytest.approx(mean, abs=2.0 * sd)


def test_fibre_with_native_na_kinetics_follows_the_16C_trains():
    # Baylor & Hollingworth 2007 J Gen Physiol 130:283: mouse fast-twitch fibres at 16 C follow
    # five shocks at 67 Hz; with Wallinga's Na fast inactivation the model fired 3 of 5. Not
    # used to build NativeSodium (its constants are voltage-clamp numbers). Tolerance: every
    # shock fires an AP, also at 100 Hz.
    from neuromuscle.analysis import resting_state, threshold_current
    from neuromuscle.components.muscle_sodium import NativeSodium

    fibre = nm.muscle_fibre(dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=16.0),
                            sodium=NativeSodium)
    rest = resting_state(fibre).y
    amplitude = 2.0 * threshold_current(fibre, 0.5, y0=rest, post=10.0, tol=1e-2).current
    for hz, n in ((67.0, 5), (100.0, 20)):
        run = nm.simulate(fibre, nm.PulseTrain(amplitude, 5.0, 0.5, hz, n), 5.0 + n * 1000.0 / hz + 20.0, y0=rest)
        assert len(run.spike_times) == n
