"""Ca-transient and force-record measures against hand-computed values.

Most records are piecewise linear, so linear interpolation of crossings is exact and
the expected values follow by hand; the grids deliberately avoid the crossing times,
so an implementation that snapped to the nearest sample would fail.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuromuscle.analysis.transients import (
    TransientMetrics,
    fusion_frequency,
    fusion_index,
    residual_force,
    transient_metrics,
    twitch_tetanus_ratio,
)

# Coarse, non-uniform grid holding the triangle's corners (0, 2, 6 ms) but none of
# its crossing times (1, 4, 5.6 ms).
GRID = np.array([0.0, 0.3, 1.7, 2.0, 2.5, 4.6, 6.0, 7.5, 9.0])


def triangle(t, onset=0.0):
    """0 -> 1 linearly over 2 ms from ``onset``, back to 0 linearly over the next 4 ms."""
    s = np.asarray(t, dtype=float) - onset
    return np.where(s < 0, 0.0, np.where(s <= 2, s / 2, np.clip((6 - s) / 4, 0.0, None)))


def durations(m: TransientMetrics):
    return np.array([m.time_to_peak, m.fdhm, m.half_relaxation, m.relaxation_90])


# ------------------------------------------------------------- transient_metrics


def test_triangle_time_course_by_linear_interpolation():
    m = transient_metrics(GRID, triangle(GRID))
    assert (m.baseline, m.peak, m.amplitude, m.t_peak) == (0.0, 1.0, 1.0, 2.0)
    assert m.time_to_peak == pytest.approx(2.0, abs=1e-12)
    # half max 0.5 is crossed at 1 ms (rise) and 4 ms (fall)
    assert m.fdhm == pytest.approx(3.0, abs=1e-12)
    assert m.half_relaxation == pytest.approx(2.0, abs=1e-12)
    # 10 % of amplitude is reached at 6 - 0.1 * 4 = 5.6 ms
    assert m.relaxation_90 == pytest.approx(3.6, abs=1e-12)
    assert m.residual == 0.0


def test_window_ending_mid_relaxation():
    # At 4.6 ms the triangle is at (6 - 4.6)/4 = 0.35: past half relaxation, not 90 %.
    m = transient_metrics(GRID, triangle(GRID), t_stop=4.6)
    assert m.fdhm == pytest.approx(3.0, abs=1e-12)
    assert m.half_relaxation == pytest.approx(2.0, abs=1e-12)
    assert math.isnan(m.relaxation_90)
    assert m.residual == pytest.approx(0.35, abs=1e-12)


def test_window_selects_second_transient_and_times_from_t_start():
    t = np.concatenate([GRID, GRID + 20.0])
    x = triangle(t) + 0.5 * triangle(t, onset=20.0)
    whole = transient_metrics(t, x)
    assert whole.t_peak == 2.0 and whole.amplitude == 1.0
    second = transient_metrics(t, x, t_start=18.5, t_stop=29.0)
    assert second.amplitude == pytest.approx(0.5, abs=1e-12)
    assert second.t_peak == 22.0
    # measured from t_start (18.5 ms), not from the first sample in the window (20 ms)
    assert second.time_to_peak == pytest.approx(3.5, abs=1e-12)
    assert second.fdhm == pytest.approx(3.0, abs=1e-12)


def test_explicit_baseline_sets_the_half_level():
    # Against a baseline of 0.5 the amplitude is 0.5, half max is 0.75: crossed at
    # 1.5 ms (rise) and 3 ms (fall); 10 % level 0.55 at 6 - 0.55 * 4 = 3.8 ms.
    m = transient_metrics(GRID, triangle(GRID), baseline=0.5)
    assert m.amplitude == pytest.approx(0.5)
    assert m.fdhm == pytest.approx(1.5, abs=1e-12)
    assert m.half_relaxation == pytest.approx(1.0, abs=1e-12)
    assert m.relaxation_90 == pytest.approx(1.8, abs=1e-12)
    assert m.residual == pytest.approx(-1.0, abs=1e-12)  # ends at 0, a full amplitude below 0.5


@pytest.mark.parametrize("tau", [5.0, 20.0, 80.0])
def test_exponential_relaxation_times(tau):
    # Instantaneous rise at t = 0, then x = exp(-t/tau): half relaxation tau ln 2,
    # 90 % relaxation tau ln 10. Snapping to the 0.01 ms grid would miss by up to
    # 0.01 ms (7e-4 relative for tau = 20); interpolation errs by < 1e-7 relative.
    t = np.concatenate([[-2.0, -1.0], np.linspace(0.0, 5 * tau, 500 * round(tau) + 1)])
    x = np.where(t >= 0, np.exp(-t / tau), 0.0)
    m = transient_metrics(t, x)
    assert m.t_peak == 0.0 and m.amplitude == 1.0
    assert m.half_relaxation == pytest.approx(tau * math.log(2), rel=1e-6)
    assert m.relaxation_90 == pytest.approx(tau * math.log(10), rel=1e-6)
    assert m.residual == pytest.approx(math.exp(-5.0), rel=1e-12)


ALPHA_T = 60.0 * np.linspace(0.0, 1.0, 157) ** 1.5  # non-uniform, dense near the rise
ALPHA_X = (ALPHA_T / 5.0) * np.exp(1.0 - ALPHA_T / 5.0)  # alpha function, peak 1 at 5 ms


@settings(max_examples=200, deadline=None)
@given(scale=st.floats(1e-2, 1e3), offset=st.floats(0.0, 1e2))
def test_durations_invariant_to_offset_and_scale(scale, offset):
    ref = transient_metrics(ALPHA_T, ALPHA_X)
    assert np.all(np.isfinite(durations(ref)))  # otherwise nan vs nan would prove nothing
    y = offset + scale * ALPHA_X
    for m in (transient_metrics(ALPHA_T, y), transient_metrics(ALPHA_T, y, baseline=offset)):
        np.testing.assert_allclose(durations(m), durations(ref), rtol=0, atol=1e-9)
        assert m.baseline == pytest.approx(offset, abs=1e-12)
        assert m.amplitude == pytest.approx(scale * ref.amplitude, rel=1e-12)
        assert m.residual == pytest.approx(ref.residual, abs=1e-9)


def test_record_that_never_relaxes():
    t = np.linspace(0.0, 100.0, 1001)
    x = 1.0 - np.exp(-t / 5.0)  # rises to a plateau and stays there (contracture)
    m = transient_metrics(t, x)
    assert m.t_peak == 100.0 and m.time_to_peak == 100.0
    assert math.isnan(m.fdhm) and math.isnan(m.half_relaxation) and math.isnan(m.relaxation_90)
    assert m.residual == pytest.approx(1.0, abs=1e-12)
    # mean over the last 50 ms is 1 - (5/50)(e^-10 - e^-20): essentially the peak
    assert residual_force(t, x, t_after=50.0) == pytest.approx(1.0, abs=1e-4)


def test_fdhm_spans_only_the_excursion_around_the_peak():
    # A smaller earlier bump (to 0.6) also crosses half max (0.5); the FDHM must start
    # at the last rise before the peak (1 ms after onset), not at the bump.
    t = np.concatenate([[0.0, 1.0, 2.0, 3.0], 5.0 + GRID])
    x = np.concatenate([[0.0, 0.6, 0.0, 0.0], triangle(GRID)])
    m = transient_metrics(t, x)
    assert m.t_peak == 7.0
    assert m.fdhm == pytest.approx(3.0, abs=1e-12)


def test_relaxation_counts_only_a_fall_strictly_below_the_level():
    # Relaxes to exactly half max at 4 ms, holds there until 6 ms, then falls further:
    # the force first falls *below* half max at 6 ms, 4 ms after the peak.
    t = np.array([0.0, 2.0, 4.0, 6.0, 8.0, 9.0])
    x = np.array([0.0, 1.0, 0.5, 0.5, 0.0, 0.0])
    m = transient_metrics(t, x)
    assert m.half_relaxation == pytest.approx(4.0, abs=1e-12)
    assert m.fdhm == pytest.approx(5.0, abs=1e-12)  # from 1 ms to 6 ms


def test_rise_before_window_gives_nan_fdhm_but_relaxation_times():
    # Starting the window on the peak: no rising crossing of half max is observed.
    m = transient_metrics(GRID, triangle(GRID), t_start=2.0, baseline=0.0)
    assert math.isnan(m.fdhm)
    assert m.half_relaxation == pytest.approx(2.0, abs=1e-12)


def test_no_rise_gives_zero_amplitude_and_nan_durations():
    t = np.linspace(0.0, 10.0, 11)
    m = transient_metrics(t, np.exp(-t))
    assert m.amplitude == 0.0 and m.peak == 1.0 and m.baseline == 1.0
    assert np.all(np.isnan(durations(m))) and math.isnan(m.residual)


# --------------------------------------------------------------- ratios, fusion


def test_twitch_tetanus_ratio():
    assert twitch_tetanus_ratio(0.25, 1.0) == pytest.approx(0.25)
    assert twitch_tetanus_ratio(0.3, 1.2, baseline=0.2) == pytest.approx(0.1)


def test_fusion_index_flat_and_fully_relaxing_records():
    t = np.linspace(0.0, 100.0, 10001)
    assert fusion_index(t, np.full_like(t, 0.7), t_stop=100.0, interval_ms=20.0) == 1.0
    # |sin| returns to zero every 20 ms: fully unfused
    x = np.abs(np.sin(np.pi * t / 20.0))
    assert fusion_index(t, x, t_stop=95.0, interval_ms=20.0) == pytest.approx(0.0, abs=1e-3)


def test_fusion_index_of_ripple_and_baseline():
    t = np.linspace(0.0, 100.0, 10001)
    x = 0.9 + 0.1 * np.sin(2 * np.pi * t / 20.0)  # between 0.8 and 1.0
    assert fusion_index(t, x, t_stop=100.0, interval_ms=20.0) == pytest.approx(1 - 0.2 / 1.0, abs=1e-3)
    # above a baseline of 0.5 the record runs from 0.3 to 0.5: 1 - 0.2/0.5
    assert fusion_index(t, x, t_stop=100.0, interval_ms=20.0, baseline=0.5) == pytest.approx(0.6, abs=1e-3)


def test_fusion_index_uses_only_the_last_interval():
    t = np.linspace(0.0, 100.0, 10001)
    x = np.where(t < 75.0, np.abs(np.sin(np.pi * t / 20.0)), 0.9 + 0.1 * np.sin(2 * np.pi * t / 20.0))
    assert fusion_index(t, x, t_stop=100.0, interval_ms=20.0) == pytest.approx(0.8, abs=1e-3)


@pytest.mark.parametrize(("period", "expected"), [(6.0, 0.0), (4.0, 0.5), (3.0, 0.6)])
def test_fusion_index_of_summed_triangle_twitches(period, expected):
    # Twitches (2 ms rise, 4 ms fall, peak 1) summed linearly at period P. At P = 4 the
    # steady cycle runs 0.5 + s/4 (0 <= s <= 2) then (6 - s)/4: trough 0.5, peak 1.
    # At P = 3 it runs 0.75 + s/4 then (9 - 2s)/4: trough 0.75, peak 1.25 -> 0.6.
    # At P >= 6 each twitch relaxes fully before the next: 0.
    t = np.arange(0.0, 60.0 + 1e-9, 0.25)
    x = sum(triangle(t, onset) for onset in np.arange(0.0, 60.0, period))
    assert fusion_index(t, x, t_stop=54.0, interval_ms=period) == pytest.approx(expected, abs=1e-12)


def test_fusion_frequency_interpolates_first_crossing():
    f = [10.0, 20.0, 30.0, 50.0]
    # 0.9 lies between 0.8 (30 Hz) and 0.95 (50 Hz): 30 + (0.1/0.15) * 20
    assert fusion_frequency(f, [0.1, 0.5, 0.8, 0.95]) == pytest.approx(30.0 + 40.0 / 3.0, rel=1e-12)
    assert fusion_frequency(f, [0.1, 0.5, 0.8, 0.95], level=0.5) == pytest.approx(20.0, rel=1e-12)
    # a non-monotone curve: the lowest crossing counts, 10 + (0.8/0.85) * 10
    assert fusion_frequency(f, [0.1, 0.95, 0.85, 0.97]) == pytest.approx(10.0 + 8.0 / 0.85, rel=1e-12)
    assert fusion_frequency(f, [0.95, 0.96, 0.97, 0.98]) == 10.0


def test_fusion_frequency_never_reached_is_nan():
    assert math.isnan(fusion_frequency([10.0, 20.0, 40.0], [0.1, 0.5, 0.89]))


def test_residual_force_is_time_weighted():
    # After 10 ms the force rises linearly 0.2 -> 0.5, sampled densely only at first:
    # the time-weighted mean is 0.35, whereas the plain sample mean would be ~0.25.
    t = np.array([0.0, 5.0, 10.0, 10.5, 11.0, 11.5, 30.0])
    x = np.array([0.0, 1.0, 0.2, 0.2075, 0.215, 0.2225, 0.5])
    assert residual_force(t, x, t_after=10.0) == pytest.approx(0.35, abs=1e-12)
    # a window starting between samples: x(20) = 0.35, mean over [20, 30] = 0.425
    assert residual_force(t, x, t_after=20.0) == pytest.approx(0.425, abs=1e-12)
    assert residual_force(t, x, t_after=10.0, baseline=0.1, peak=1.1) == pytest.approx(0.25, abs=1e-12)


def test_residual_force_zero_after_full_relaxation():
    assert residual_force(GRID, triangle(GRID), t_after=6.0) == 0.0


# ----------------------------------------------------------------------- errors

T3 = [0.0, 1.0, 2.0]
X3 = [0.0, 1.0, 0.0]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: transient_metrics([0.0, 2.0, 1.0], X3), r"^t must be strictly increasing.*t\[2\] = 1 ms"),
        (lambda: transient_metrics([0.0, 1.0, 1.0], X3), r"^t must be strictly increasing"),
        (lambda: transient_metrics([0.0, 1.0, 2.0, 3.0], X3), r"x has 3 samples but t has 4"),
        (lambda: transient_metrics([0.0, 1.0], [0.0, 1.0]), r"t has 2 samples; at least 3"),
        (lambda: transient_metrics(T3, [0.0, np.nan, 0.0]), r"x\[1\] = nan is not finite"),
        (lambda: transient_metrics(T3, X3, t_start=-1.0), r"t_start = -1 ms is outside the record \[0, 2\]"),
        (lambda: transient_metrics(T3, X3, t_stop=5.0), r"t_stop = 5 ms is outside the record"),
        (lambda: transient_metrics(GRID, GRID, t_start=4.0, t_stop=3.0), r"t_stop = 3 ms must be later than t_start"),
        (lambda: transient_metrics(GRID, GRID, t_start=6.5), r"\[t_start, t_stop\] = \[6.5, 9\] ms holds 2"),
        (lambda: transient_metrics(T3, X3, baseline=-0.1), r"baseline = -0.1 is outside the valid range \[0, inf\)"),
        (lambda: twitch_tetanus_ratio(0.2, 0.1, baseline=0.1), r"tetanus_peak = 0.1 must exceed baseline"),
        (lambda: twitch_tetanus_ratio(0.2, 1.0, baseline=-1.0), r"baseline = -1 is outside"),
        (lambda: fusion_index(GRID, GRID, t_stop=9.0, interval_ms=0.0), r"interval_ms = 0 ms is outside"),
        (lambda: fusion_index(GRID, GRID, t_stop=9.0, interval_ms=12.0), r"interval_ms = 12 ms .* \(0, 9\] ms"),
        (lambda: fusion_index(GRID, GRID, t_stop=10.0, interval_ms=1.0), r"t_stop = 10 ms is outside the record"),
        (lambda: fusion_index(GRID, -GRID, t_stop=9.0, interval_ms=1.0), r"x never exceeds baseline"),
        (lambda: fusion_index(GRID, GRID, t_stop=9.0, interval_ms=1.0, baseline=-2), r"baseline = -2 is outside"),
        (lambda: fusion_frequency([1.0, 2.0, 3.0], [0.1, 0.2]), r"indices has 2 values but frequencies has 3"),
        (lambda: fusion_frequency([1.0, 3.0, 2.0], [0.1, 0.2, 0.3]), r"frequencies must be strictly ascending"),
        (lambda: fusion_frequency([0.0, 3.0], [0.1, 0.2]), r"frequencies\[0\] = 0 Hz is outside"),
        (lambda: fusion_frequency([1.0], [0.1]), r"frequencies has 1 values; at least 2"),
        (lambda: fusion_frequency([1.0, 2.0], [0.1, 0.2], level=1.5), r"level = 1.5 is outside .* \(0, 1\]"),
        (lambda: residual_force(GRID, GRID, t_after=9.0), r"t_after = 9 ms is outside the valid range \[0, 9\)"),
        (lambda: residual_force(GRID, GRID, t_after=1.0, baseline=-1.0), r"baseline = -1 is outside"),
        (lambda: residual_force(GRID, GRID, t_after=1.0, baseline=1.0, peak=0.5), r"peak = 0.5 must exceed baseline"),
    ],
)
def test_bad_input_names_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()
