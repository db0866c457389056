import numpy as np
import pytest

from neuromuscle.protocols import NoStimulus, Pulse, PulseTrain, Ramp, Step, Sum


def test_step_and_pulse_values():
    s = Step(5.0, start=10.0)
    np.testing.assert_array_equal(s([0.0, 9.99, 10.0, 1e6]), [0, 0, 5, 5])
    p = Pulse(2.0, 1.0, 0.5)
    np.testing.assert_array_equal(p([0.99, 1.0, 1.49, 1.5]), [0, 2, 2, 0])
    np.testing.assert_array_equal(p.breakpoints(100.0), [1.0, 1.5])


def test_train_and_ramp():
    tr = PulseTrain(1.0, 0.0, 1.0, 100.0, 3)  # pulses at 0, 10, 20 ms
    np.testing.assert_array_equal(tr([0.5, 1.5, 10.5, 20.5, 30.5]), [1, 0, 1, 1, 0])
    r = Ramp(0.0, 10.0, 5.0, 10.0)
    np.testing.assert_allclose(r([4.0, 5.0, 10.0, 14.999, 15.0]), [0, 0, 5, 9.999, 0])
    assert Ramp(0.0, 10.0, 5.0, 10.0, hold=True)(100.0) == 10.0


def test_sum_adds_values_and_breakpoints():
    total = Step(5.0, 10.0, 20.0) + Ramp(0.0, 10.0, 15.0, 10.0, hold=True) + PulseTrain(1.0, 0.0, 1.0, 100.0, 3)
    t = np.array([0.0, 0.5, 1.0, 10.0, 12.0, 15.0, 20.0, 25.0, 30.0])
    np.testing.assert_allclose(total(t), [1, 1, 0, 6, 5, 5, 6, 10, 10])
    np.testing.assert_array_equal(total.breakpoints(100.0), [1, 10, 11, 15, 20, 21, 25])
    assert isinstance(total, Sum) and len(total.protocols) == 3


def test_no_stimulus():
    assert NoStimulus()(123.0) == 0.0


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: Step(1.0, start=5.0, stop=5.0), "stop"),
        (lambda: Pulse(1.0, 0.0, 0.0), "duration"),
        (lambda: PulseTrain(1.0, 0.0, 20.0, 100.0, 2), "duration"),
        (lambda: PulseTrain(1.0, 0.0, 1.0, -5.0, 2), "frequency"),
        (lambda: Step(1.0, start=-1.0), "start"),
    ],
)
def test_bad_protocols(make, name):
    with pytest.raises(ValueError, match=name):
        make()


def test_segments_split_at_breakpoints():
    a, b, t0, c, s = (Step(5.0, 10.0, 20.0) + Ramp(0.0, 10.0, 15.0, 10.0)).segments(30.0)
    np.testing.assert_array_equal(a, [0, 10, 15, 20, 25])
    np.testing.assert_array_equal(b, [10, 15, 20, 25, 30])
    np.testing.assert_allclose(c, [0, 5, 5, 5, 0])  # ramp starts at 0 at t0 = 15
    np.testing.assert_allclose(s, [0, 0, 1, 1, 0])
    np.testing.assert_array_equal(t0, [0, 10, 15, 20, 25])
    a, *_ = Step(1.0, 10.0).segments(30.0, t_start=12.0)
    np.testing.assert_array_equal(a, [12.0])
