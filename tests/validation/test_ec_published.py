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
                   "rates and no release inactivation together still 1.00 (docs/models/ec_coupling.md, 'Why force "
                   "does not summate')")
def test_twitch_tetanus_ratio_is_in_the_published_range():
    c = contraction_study(_fibre(37.0), frequencies=(100.0, 150.0), train_ms=200.0, after_ms=100.0)
    assert all(v["action potentials"] == v["stimuli"] for v in c.trains.values())  # trains followed
    low, high = TWITCH_TETANUS_RANGE
    assert low <= c.twitch_tetanus <= high


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
