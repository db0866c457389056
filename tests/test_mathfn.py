import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special

from neuromuscle.mathfn import exprel, x_over_expm1


@given(st.floats(min_value=-700, max_value=700))
def test_exprel_matches_scipy(x):
    assert exprel(x) == pytest.approx(special.exprel(x), rel=1e-12)


def test_exprel_at_and_near_zero():
    assert exprel(0.0) == 1.0
    x = np.array([-1e-6, -1e-12, 0.0, 1e-12, 1e-6])
    np.testing.assert_allclose(exprel(x), special.exprel(x), rtol=1e-15)


def test_x_over_expm1_limits():
    assert x_over_expm1(0.0) == 1.0
    assert x_over_expm1(800.0) == 0.0
    assert x_over_expm1(-10.0) == pytest.approx(10.0 / (1 - np.exp(-10.0)), rel=1e-14)
