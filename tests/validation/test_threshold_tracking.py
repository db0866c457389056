"""The threshold-tracking battery on the myelinated motor axon, against human measurements.

One module-scoped run of a reduced battery per condition on the 11-node axon that the
battery uses (stimulus at node 5, detection at node 8; the battery's default engine,
bisection to 2 %). Each test names its source and tolerance. Directions are the published
ones; a wrong direction is a finding about the model: such a test is marked as a strict
expected failure with the measured value in its reason (it fails the suite once it passes).
"""

import pytest

import neuromuscle as nm
from neuromuscle.analysis.threshold_tracking import TrackingProtocol, threshold_tracking, tracking_axon
from neuromuscle.models.myelinated_axon import HUMAN_BATTERY_FIT, fit_overrides

#: Two widths for tau_SD, the 40-60 ms window of TEd, refractoriness at 2 ms and the
#: superexcitable period (three points, the mean of which is the read-out)
MINI = TrackingProtocol(sd_widths=(0.2, 1.0), te_delays=(40.0, 60.0), iv_currents=(),
                        rc_intervals=(2.0, 5.0, 6.3, 7.9), rel_tol=0.02, name="test")


def _battery(electrolytes, params=None, parts=("sd", "te", "rc"), fit=None):
    return threshold_tracking(tracking_axon(electrolytes, fit=fit), params, protocol=MINI, parts=parts)


@pytest.fixture(scope="module")
def normal():
    return _battery("normal")


@pytest.fixture(scope="module")
def high_k():
    # 7 mM: the pre-dialysis range of Krishnan et al. 2005's patients
    return _battery(nm.Electrolytes.preset("normal").replace(k=7.0), parts=("te", "rc"))


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="model gives tau_SD 0.16 ms with intracellular nodal stimulation "
                   "and 0.08 ms with the extracellular point source 0.4 mm away (0.24-0.25 ms at 8-12 mm "
                   "on 31 nodes, the range's lower edge: experiments/strength_duration_distance.py); the "
                   "MRG internode on the same cable gives 0.18 ms (experiments/threshold_tracking_stimulus.py; "
                   "docs limits), the MRG internodal leak alone 0.24 ms (experiments/internode_channels.py), "
                   "a grid over the internodal leak, K + HCN and nodal NaP at most 0.28 ms; with slower nodal Na "
                   "inactivation as well, the fitted axon (fit='human_battery', experiments/axon_fit_search.py) "
                   "is in range (test_fitted_axon_meets_its_fit_targets); "
                   "the authors' Gaines 2018 NEURON files give 0.168 ms on the same points "
                   "(tests/helpers/gaines_modeldb.py), while the MRG 2002 model itself (authors' files "
                   "and channels='mrg2002', rest -80 mV) gives 0.43 ms (tests/helpers/mrg_modeldb.py): "
                   "a property of the Gaines channel set; strict: passes only when the model changes")
def test_strength_duration_time_constant_is_human_median_motor(normal):
    """Mogyoros, Kiernan & Burke 1996 (Brain 119:439): median motor axons tau_SD 0.459 +/- 0.126 ms
    (mean +/- SD, 20 subjects). Tolerance: within mean +/- 2 SD (0.21-0.71 ms)."""
    tau = float(normal["tau_SD"])
    assert 0.459 - 2 * 0.126 <= tau <= 0.459 + 2 * 0.126, tau


@pytest.mark.slow
def test_hyperkalaemia_raises_refractoriness(normal, high_k):
    """Krishnan et al. 2005 (Brain 128:2164): before dialysis (high serum K) refractoriness is
    increased. Direction only; tolerance: larger by more than the 2 % bisection tolerance."""
    assert float(high_k["refractoriness_at_2ms"]) > float(normal["refractoriness_at_2ms"]) + 2.0


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="the model's recovery cycle has no superexcitable period (+8 % at "
                   "5-8 ms in normal plasma, +7.6 % at K 7 mM; also none with the extracellular "
                   "stimulus); the authors' Gaines 2018 NEURON files give +6.4 to +8.3 % at 5-7.9 ms too "
                   "(tests/helpers/gaines_modeldb.py), while the authors' MRG 2002 files give -29 % at "
                   "3.2 ms and channels='mrg2002' reproduces them within 1 point "
                   "(tests/helpers/mrg_modeldb.py, test_mrg2002_recovery_cycle_matches_neuron): the "
                   "published Gaines channel set removes it (the fitted axon, fit='human_battery', has it: "
                   "test_fitted_axon_hyperkalaemia_reduces_superexcitability); strict: passes only when the "
                   "model changes")
def test_hyperkalaemia_reduces_superexcitability(normal, high_k):
    """Krishnan et al. 2005; Kuwabara et al. 2007 (supernormality correlates with serum K):
    superexcitability (the most negative threshold change, 5-8 ms) becomes less negative:
    higher by more than 1 percentage point."""
    assert float(high_k["superexcitability"]) > float(normal["superexcitability"]) + 1.0


@pytest.mark.slow
def test_hyperkalaemia_reduces_depolarising_electrotonus(normal, high_k):
    """Krishnan et al. 2005: depolarising threshold electrotonus is reduced before dialysis
    (TEd 40-60 ms here; direction, beyond 1 percentage point)."""
    assert float(high_k["TEd(40-60ms)"]) < float(normal["TEd(40-60ms)"]) - 1.0


# --- the fitted axon (fit="human_battery", HUMAN_BATTERY_FIT): fitted without the pump to tau_SD
# and the recovery cycle's shape in normal plasma, where the balancing pump changes nothing; its
# response to raised K, to pump block and to alkalosis is what the fit did not see.


@pytest.fixture(scope="module")
def fitted_normal():
    return _battery("normal", fit="human_battery")


@pytest.fixture(scope="module")
def fitted_high_k():
    return _battery(nm.Electrolytes.preset("normal").replace(k=7.0), parts=("te", "rc"), fit="human_battery")


def test_fitted_axon_is_the_search_point():
    """The model built with fit="human_battery" carries the same values as the search's
    run-time overrides of the point, on the pump-free axon the search used."""
    fitted = tracking_axon(fit="human_battery", pump_density=0.0)
    published = tracking_axon(pump_density=0.0)
    for name, value in fit_overrides(published, **HUMAN_BATTERY_FIT).items():
        assert fitted.parameters[name].value == pytest.approx(value, rel=1e-12), name
        if value != published.parameters[name].value:
            assert "fitted" in fitted.parameters[name].source


@pytest.mark.slow
def test_fitted_axon_meets_its_fit_targets(fitted_normal):
    """What the fit aimed at (experiments/axon_fit_search.py), re-measured with this module's
    protocol (other recovery-cycle intervals than the search's): tau_SD within Mogyoros et al.
    1996's mean +/- 2 SD, refractory at 2 ms, superexcitable (below -10 %) at 5-8 ms. A check
    that the published constant is the fitted point, not a validation."""
    tau = float(fitted_normal["tau_SD"])
    assert 0.459 - 2 * 0.126 <= tau <= 0.459 + 2 * 0.126, tau
    assert float(fitted_normal["refractoriness_at_2ms"]) > 0.0
    assert float(fitted_normal["superexcitability"]) < -10.0


@pytest.mark.slow
def test_fitted_axon_hyperkalaemia_raises_refractoriness(fitted_normal, fitted_high_k):
    """Krishnan et al. 2005 (Brain 128:2164): refractoriness increased at high serum K. The fit
    saw normal plasma only. Tolerance: larger by more than the 2 % bisection tolerance."""
    assert float(fitted_high_k["refractoriness_at_2ms"]) > float(fitted_normal["refractoriness_at_2ms"]) + 2.0


@pytest.mark.slow
def test_fitted_axon_hyperkalaemia_reduces_superexcitability(fitted_normal, fitted_high_k):
    """Krishnan et al. 2005; Kuwabara et al. 2007 (supernormality correlates with serum K): the
    fitted axon's superexcitability becomes less negative at K 7 mM, by more than 1 point."""
    assert float(fitted_high_k["superexcitability"]) > float(fitted_normal["superexcitability"]) + 1.0


@pytest.mark.slow
def test_fitted_axon_hyperkalaemia_reduces_depolarising_electrotonus(fitted_normal, fitted_high_k):
    """Krishnan et al. 2005: TEd reduced at high K (40-60 ms; beyond 1 percentage point)."""
    assert float(fitted_high_k["TEd(40-60ms)"]) < float(fitted_normal["TEd(40-60ms)"]) - 1.0


#: The 1 ms threshold alone, bisected to 0.5 % (the estimate is within +-0.25 %)
THRESHOLD_ONLY = TrackingProtocol(sd_widths=(), te_delays=(), iv_currents=(), rc_intervals=(), rel_tol=0.005,
                                  name="threshold")


def _threshold(electrolytes, params=None, fit=None):
    ds = threshold_tracking(tracking_axon(electrolytes, fit=fit), params, protocol=THRESHOLD_ONLY, parts=())
    return float(ds["threshold_1ms"])


@pytest.fixture(scope="module")
def normal_threshold():
    return _threshold("normal")


@pytest.mark.slow
@pytest.mark.parametrize("condition", ["ischaemia", "hyperventilation"])
def test_ischaemia_and_hyperventilation_lower_threshold(normal_threshold, condition):
    """Ischaemia (Na/K pump block; Bostock, Baker & Reid 1991, Han et al. 2008: threshold falls)
    and hyperventilation (Macefield & Burke 1991: responses to a constant stimulus grow) make
    the axon more excitable: 1 ms threshold lower by more than 0.5 % (twice the bisection
    error)."""
    thr = _threshold("normal", {"pump": 0.0}) if condition == "ischaemia" else _threshold("hyperventilation")
    assert thr < normal_threshold * (1 - 0.005), (thr, normal_threshold)


@pytest.mark.slow
@pytest.mark.parametrize("condition", ["ischaemia", "hyperventilation"])
def test_fitted_axon_ischaemia_and_hyperventilation_lower_threshold(condition):
    """As test_ischaemia_and_hyperventilation_lower_threshold, on the fitted axon (sources and
    tolerance there): neither condition was seen by the fit."""
    fit = "human_battery"
    normal = _threshold("normal", fit=fit)
    thr = (_threshold("normal", {"pump": 0.0}, fit=fit) if condition == "ischaemia"
           else _threshold("hyperventilation", fit=fit))
    assert thr < normal * (1 - 0.005), (thr, normal)


#: Minutes of ischaemia before release (an input; the clinical studies use about 10-13 min)
ISCHAEMIA_MIN = 10.0
#: Periaxonal K excesses at release, mM: the size depends on clearance, which the model does not
#: contain (nm.analysis.ischaemic_ion_budget), so the expected failure below spans a range
RELEASE_DK = (0.0, 2.0, 5.0, 10.0)


def _released(fit):
    """The axon and its derived state just after release (axoplasmic Na of ISCHAEMIA_MIN of block)."""
    axon = tracking_axon("normal", fit=fit)
    return axon, nm.analysis.ischaemic_ion_budget(axon, ISCHAEMIA_MIN)


@pytest.mark.slow
@pytest.mark.parametrize("fit", [None, "human_battery"])
def test_post_ischaemic_pump_raises_threshold(normal_threshold, fit):
    """After ischaemia is released the pump, driven by the Na that entered, hyperpolarises the
    axon and the threshold rises above its pre-ischaemic value (Bostock, Baker & Reid 1991).
    The released state is derived, not assumed: the axoplasmic Na that the resting influx brings
    in 10 min of block, the pump restored (``ischaemic_ion_budget``); the raised Na also lowers
    E_Na, which raises the threshold too. Direction only; tolerance: higher by more than 0.5 %
    (twice the bisection error)."""
    normal = normal_threshold if fit is None else _threshold("normal", fit=fit)
    _, budget = _released(fit)
    thr = _threshold("normal", budget.released_params(), fit=fit)
    assert thr > normal * (1 + 0.005), (thr, normal)


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="neither axon fires just after release, with the derived Na load and the "
                   "pump restored, at any periaxonal K excess of 0-10 mM: the derived pump is too weak to hold the "
                   "axolemma below the periaxonal K reversal (experiments/ischaemia_axon.py: two stable states "
                   "appear only with a pump 30 times the derived density, on the published axon at 8 mM, and "
                   "neither state fires; a periaxonal K with its own balance has one stable excess for any "
                   "clearance, and the restarted pump clears it); strict: passes only when the model changes")
@pytest.mark.parametrize("fit", [None, "human_battery"])
def test_axon_fires_after_ischaemia(fit):
    """Post-ischaemic fasciculations: motor axons discharge on their own after the release of
    ischaemia (Bostock, Baker & Reid 1991), which Mogyoros, Bostock & Burke (2000) attribute to
    raised periaxonal K under a hyperpolarising pump. Criterion: any spontaneous AP within
    500 ms at some periaxonal K excess of RELEASE_DK."""
    axon, budget = _released(fit)
    fired = [nm.analysis.spontaneous_activity(axon, budget.released_params(dk), duration=500.0).n_spikes > 0
             for dk in RELEASE_DK]
    assert any(fired)


#: Kiernan, Lin & Burke 2004 (J Physiol 558:341): supramaximal stimulation of the median nerve at
#: 8 Hz for 10 min raised the 1 ms threshold of motor axons by 16.4 % (0.1 ms: 9.9 %), through
#: hyperpolarisation by the Na/K pump; mean of nine subjects, no SD in the abstract reached
ACTIVITY_HZ, ACTIVITY_MIN, ACTIVITY_RISE_1MS = 8.0, 10.0, 16.4


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="the derived pump, sized by the resting Na influx, is electrically weak: the "
                   "Na of 4800 APs (read from one simulated AP, extruded at the pump's own time constant) raises the "
                   "1 ms threshold by 0.4 % (published) and 2.2 % (fitted), against 16.4 %; most of that is E_Na "
                   "falling, not hyperpolarisation; its current leaves the internodal axolemma and mostly returns "
                   "across it, and with every pump at the nodes (pump_nodal_share=1) the fitted axon still gives "
                   "only 8.8 % (experiments/ischaemia_axon.py); strict: passes only when the model changes")
@pytest.mark.parametrize("fit", [None, "human_battery"])
def test_activity_dependent_hyperpolarisation(fit):
    """After 10 min at 8 Hz the 1 ms threshold of human motor axons rises 16.4 % (Kiernan, Lin &
    Burke 2004). The post-train state is derived: the Na load of the train
    (``activity_sodium_load``), pump at normal activity. Tolerance: the rise within a factor of 2
    of the published mean (8.2-32.8 %), as the abstract gives no spread."""
    axon = tracking_axon("normal", fit=fit)
    load = nm.analysis.activity_sodium_load(axon, ACTIVITY_HZ, ACTIVITY_MIN)
    rise = 100.0 * (_threshold("normal", load.after_params(), fit=fit) / _threshold("normal", fit=fit) - 1.0)
    assert ACTIVITY_RISE_1MS / 2 <= rise <= 2 * ACTIVITY_RISE_1MS, rise


#: Reads the battery's SD and RC parts to 0.5 %: the changes below are a few points
POLARISED = TrackingProtocol(sd_widths=(0.2, 1.0), te_delays=(), iv_currents=(), rc_intervals=(2.0, 5.0, 6.3, 7.9),
                             rel_tol=0.005, name="polarised")


@pytest.mark.slow
@pytest.mark.parametrize("fit", [None, "human_battery"])
def test_hyperpolarising_current_lowers_tau_sd_and_raises_superexcitability(fit):
    """Kuwabara et al. 2001 (J Physiol 531:265): an imposed hyperpolarising current reproduced
    the changes after a maximal contraction in threshold, supernormality (greater) and the
    strength-duration time constant (smaller); Kiernan, Lin & Burke 2004 attribute the same
    pattern after 8 Hz trains to hyperpolarisation. Here the hyperpolarisation is an outward
    pump current at the nodes (every pump there, activity 1.5, axoplasmic Na normal), not seen
    by any fit. Direction only; tolerances beyond the 0.5 % bisection: threshold higher by more
    than 5 %, tau_SD lower by more than 5 %, superexcitability more negative by more than 1 point."""
    axon = tracking_axon("normal", fit=fit, pump_nodal_share=1.0)
    before = threshold_tracking(axon, None, protocol=POLARISED, parts=("sd", "rc"))
    after = threshold_tracking(axon, {"pump": 1.5}, protocol=POLARISED, parts=("sd", "rc"))
    assert float(after["threshold_1ms"]) > 1.05 * float(before["threshold_1ms"])
    assert float(after["tau_SD"]) < 0.95 * float(before["tau_SD"])
    assert float(after["superexcitability"]) < float(before["superexcitability"]) - 1.0
