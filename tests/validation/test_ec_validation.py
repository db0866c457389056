"""The fibre with EC coupling against published numbers, each test naming its source.

Temperature 16 C (the Ca system's reference; Baylor & Hollingworth's data), stimulus twice the
fibre's threshold (0.5 ms), as in ``studies.contraction_study``. Two numbers of Baylor &
Hollingworth 2007 were used to calibrate ``rel.nu_rel`` and ``rel.kon_inact``
(experiments/calibrate_release.py); the tests below that use them say so. Where the model
misses a published number (the Ca transient of Baylor & Hollingworth 2003), the miss is
recorded in docs/models/ec_coupling.md, not hidden here.
"""

import dataclasses

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.analysis import resting_state, transient_metrics
from neuromuscle.models.muscle_ec import initial_pools
from neuromuscle.protocols import Pulse
from neuromuscle.simulation import simulate
from neuromuscle.studies import ec_threshold, release_per_action_potential


def _cold(celsius=16.0):
    return dataclasses.replace(nm.Electrolytes.preset("normal"), celsius=celsius)


@pytest.fixture(scope="module")
def fibre16():
    model = nm.muscle_ec(_cold())
    y = resting_state(model).y
    amplitude = 2.0 * ec_threshold(model, 0.5, y)
    run = simulate(model, Pulse(amplitude, 5.0, 0.5), 80.0, y0=y, rtol=1e-7, atol=1e-10)
    return model, y, amplitude, run


def test_release_flux_duration_is_near_its_calibration_target(fibre16):
    # Calibration target (not independent): Baylor & Hollingworth 2007 J Gen Physiol 130:283,
    # mouse fast-twitch, 16 C: release FDHM 1.6 ms. The least-squares fit leaves it 14 % long
    # (1.82 ms); tolerance 20 %.
    _, _, _, run = fibre16
    rel = transient_metrics(np.asarray(run["t"]), 1e3 * np.asarray(run["J_rel"]), t_start=5.0)
    assert rel.fdhm == pytest.approx(1.6, rel=0.2)


@pytest.mark.xfail(strict=True, reason="the release calibration misses Baylor & Hollingworth 2007: peak release "
                   "191 uM/ms (their 200-225) and second release at 50 ms 0.61 (0.41); over nu_rel 4.2-12 and "
                   "kon_inact 5.3-10.7 the second release stays at 0.61-0.63 (docs/models/ec_coupling.md, "
                   "'Ca-dependent inactivation of release')")
def test_release_meets_its_calibration_targets(fibre16):
    # Baylor & Hollingworth 2007 (16 C): peak release 200-225 uM/ms; second release 50 ms
    # after the first 0.41 (0.25 at 15 ms recovering at 7/s). Tolerance: their range for the
    # peak, 25 % for the second release.
    model, y, amplitude, run = fibre16
    rel = transient_metrics(np.asarray(run["t"]), 1e3 * np.asarray(run["J_rel"]), t_start=5.0)
    pair = release_per_action_potential(model, amplitude, n=2, interval_ms=50.0, y0=y)
    assert pair.spikes == 2
    assert 200.0 <= rel.amplitude <= 225.0
    assert pair.fraction[1] == pytest.approx(1.0 - 0.75 * np.exp(-0.007 * 35.0), rel=0.25)


def test_release_is_inactivated_and_recovers(fibre16):
    # Baylor & Hollingworth 2007: the second of two releases is 0.25 of the first at 15 ms and
    # recovers with rate constant 7/s. The model's second release is clearly smaller than the
    # first at 50 ms (0.61; their 0.41 is missed, previous test) and recovers monotonically, by
    # 300 ms more slowly than theirs (0.86 against 0.90), recorded in docs/models/ec_coupling.md.
    # Tolerance: below 0.75 at 50 ms.
    model, y, amplitude, _ = fibre16
    pairs = {dt: release_per_action_potential(model, amplitude, n=2, interval_ms=dt, y0=y)
             for dt in (50.0, 150.0, 300.0)}
    for p in pairs.values():
        assert p.spikes == 2
    second = [pairs[dt].fraction[1] for dt in (50.0, 150.0, 300.0)]
    assert second[0] < 0.75
    assert second[0] < second[1] < second[2] < 1.0


def test_resting_free_calcium_in_the_sr_is_the_measured_one():
    # Ziman et al. 2010 Biophys J 99:2705: 390 uM (mouse FDB, fluo-5N); 0.31 mM (mouse) quoted
    # by Royer et al. 2010 J Gen Physiol 136:325. The builder loads the SR to sr_free_ca; the
    # resting state (after 200 s of relaxation, total Ca conserved) keeps it within 2 %.
    for target in (0.2, 0.35, 0.6):
        model = nm.muscle_ec(_cold(), sr_free_ca=target)
        y = resting_state(model).y
        for k in (1, 2):
            assert y[model.state_index[f"sr{k}.Ca"]] == pytest.approx(target, rel=0.02)
    default = nm.muscle_ec(_cold())
    # the pools answer semantic labels: the SR's and the myoplasm's free Ca by compartment
    assert [default.label(k) for k in ("sr_free_ca", "terminal_sr_free_ca", "bulk_cytosolic_ca",
                                       "triadic_cytosolic_ca")] == ["sr2.Ca", "sr1.Ca", "myo2.Ca", "myo1.Ca"]
    assert resting_state(default).y[default.state_index[default.label("sr_free_ca")]] == pytest.approx(0.35, rel=0.02)


def test_sr_content_is_fryer_and_stephenson():
    # Fryer & Stephenson 1996 J Physiol 493:357: endogenous SR Ca content of rat fast-twitch
    # fibres 1.01 mM per fibre volume (the calsequestrin K_D was derived from it at 0.35 mM free;
    # here checked on the built model's resting state: SR is 5 % of the volume).
    model = nm.muscle_ec(_cold())
    y = resting_state(model).y
    i = model.state_index
    content = 0.05 * (y[i["sr2.Ca"]] + y[i["csq.CaCS_2"]])
    assert content == pytest.approx(1.01, rel=0.03)


def test_calcium_released_per_action_potential_at_37c_is_posterino_and_lamb():
    # Posterino & Lamb 2003 J Physiol 551:219: about 230 uM per AP (rat fast-twitch skinned
    # fibres, room temperature); Royer et al. 2010: about 200 uM per litre of myoplasm. At 37 C
    # (AP half-width 0.85 ms) the model releases within 25 % of it (170 uM, near the lower
    # edge); at 16 C, where its AP lasts 4 ms, it releases about twice as much (466 uM).
    model = nm.muscle_ec(_cold(37.0))
    y = resting_state(model).y
    one = release_per_action_potential(model, 2.0 * ec_threshold(model, 0.5, y), n=1, y0=y)
    assert one.spikes == 1
    assert one.released[0] == pytest.approx(215.0, rel=0.25)


def test_resting_atp_turnover_and_serca_share():
    # Smith, Bombardier, Vigna & Tupling 2013 PLoS One 8:e68924 (mouse EDL, 30 C): SERCA is
    # 40-50 % of the resting metabolic rate. The model's resting ATP use (SERCA re-pumping the
    # SR leak, the Na/K pump, myosin) at 30 C.
    from neuromuscle.studies import _rest_summary

    model = nm.muscle_ec(_cold(30.0))
    rest = _rest_summary(model, resting_state(model).y)
    share = rest["SERCA (mM/s)"] / rest["ATP use (mM/s)"]
    assert 0.3 < share < 0.7
    assert rest["ATP use (mM/s)"] < 0.2  # mM/s: a resting muscle, not the 1 mM/s of Shorten's SR load


def test_initial_pools_rejects_absurd_sr_load():
    with pytest.raises(ValueError, match="sr_free_ca"):
        nm.muscle_ec(_cold(), sr_free_ca=0.0)
    model = nm.muscle_ec(_cold())
    with pytest.raises(ValueError, match="sr_free_ca"):
        initial_pools(model, sr_free_ca=50.0)


def test_relaxation_slows_monotonically_as_atp_supply_falls():
    # Relaxation slows monotonically as the supply falls, and force stays up (rigor)
    # when ATP runs out (crossbridges detach only with MgATP, Ferenczi et al. 1984). Supply as
    # a fraction of capacity; the resting demand is about 0.6 % of it. Each level's rest is
    # relaxed for an hour (ATP runs down slowly below the demand); then a 300 ms, 30 Hz train.
    import functools

    from neuromuscle.models.muscle_ec import ec_equilibria
    from neuromuscle.studies import contraction_study

    base = nm.muscle_ec(_cold())
    v = base.parameters["supply.V_supply"].value
    half, residual, mgatp = [], [], []
    amplitude = None
    for level in (1.0, 0.01, 0.006, 0.005, 0.003):
        model = base.with_parameters(supply__V_supply=level * v)
        model.equilibrium_finder = functools.partial(ec_equilibria, relax_ms=3.6e6)
        c = contraction_study(model, amplitude=amplitude, frequencies=(30.0,), after_ms=250.0)
        amplitude = amplitude or c.stimulus
        # no half-relaxation within the record (a rigor contracture): slower than any that happens
        h = c.trains[30.0]["half_relaxation"]
        half.append(h if np.isfinite(h) else np.inf)
        residual.append(c.trains[30.0]["residual"])
        mgatp.append(c.rest["MgATP (mM)"])
    assert all(b >= 0.995 * a for a, b in zip(half, half[1:]))  # never faster (to 0.5 %: solver noise)
    assert half[-1] > 3 * half[0]
    assert mgatp[0] > 7.0 and mgatp[-1] < 0.01  # mM
    assert residual[0] < 0.01 and residual[-1] > 0.2  # rigor contracture
