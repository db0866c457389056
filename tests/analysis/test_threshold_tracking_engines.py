"""The threshold-tracking battery gives the same read-outs on the compiled stiff engine
(its default for a cable) as on LSODA with the cable's banded Jacobian (the engine it used
before), on the 11-node tracking axon in normal plasma."""

import numpy as np
import pytest

from neuromuscle.analysis.threshold_tracking import TrackingProtocol, threshold_tracking, tracking_axon

#: The 1 ms threshold and one interval of the recovery cycle (the refractory period, from a
#: saved conditioning state), bisected to 1 %
ONE_EACH = TrackingProtocol(sd_widths=(), te_delays=(), iv_currents=(), rc_intervals=(2.0,),
                            rel_tol=0.01, name="engines")


@pytest.mark.slow
def test_battery_agrees_between_the_stiff_engine_and_lsoda():
    """Default engine ("auto") is the stiff one; every threshold agrees with LSODA's within the
    bisection tolerance: each estimate is within +-0.5 % of its engine's threshold, so the two
    differ by at most ~1 % (tolerance 1.2 %); the threshold change (%) within 1.5 points."""
    axon = tracking_axon()
    auto = threshold_tracking(axon, protocol=ONE_EACH, parts=("rc",))
    lsoda = threshold_tracking(axon, protocol=ONE_EACH, parts=("rc",), engine="compiled")
    assert auto.attrs["engine"] == "stiff" and lsoda.attrs["engine"] == "compiled"
    assert float(auto["threshold_1ms"]) == pytest.approx(float(lsoda["threshold_1ms"]), rel=0.012)
    assert abs(float(auto["rc"][0]) - float(lsoda["rc"][0])) <= 1.5, (auto["rc"].values, lsoda["rc"].values)
    assert float(auto["rc"][0]) > 5.0  # 2 ms after an action potential: refractory (not a trivial 0 = 0)


def test_threshold_tracking_rejects_an_unknown_engine():
    with pytest.raises(ValueError, match="engine = 'rk4'.*auto"):
        threshold_tracking(tracking_axon(), engine="rk4")


def test_threshold_tracking_accepts_every_engine_name_and_compiled():
    import importlib

    from neuromuscle import engine

    tt = importlib.import_module("neuromuscle.analysis.threshold_tracking")
    assert tt.ENGINES == ("auto", *engine.ENGINES, *engine.ALIASES, "compiled")


def test_threshold_search_gives_nan_for_an_unexcitable_state():
    # an axon that never fires (absolutely refractory): the upward search stops at the
    # protocols' amplitude limit and reports no threshold instead of asking for a larger pulse
    from neuromuscle.analysis.threshold_tracking import _Tracker
    from neuromuscle.protocols import MAX_AMPLITUDE

    tr = _Tracker.__new__(_Tracker)
    tr.n_searches, asked = 0, []

    def never(y0, amp, width, **bg):
        asked.append(amp)
        return False

    tr.fires = never
    assert np.isnan(tr.threshold(None, 1.0, 10.0, 0.02))
    assert max(asked) <= MAX_AMPLITUDE and len(asked) > 10
