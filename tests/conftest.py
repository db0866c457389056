import pytest

import neuromuscle as nm


@pytest.fixture(scope="session")
def hh():
    return nm.hodgkin_huxley()


@pytest.fixture(scope="session")
def hh_reference_10ua():
    """Tight-tolerance reference: HH, 10 uA/cm2 step for 200 ms (DOP853, rtol 1e-11)."""
    model = nm.hodgkin_huxley()
    return nm.simulate(model, nm.Step(10.0), 200.0, method="DOP853", rtol=1e-11, atol=1e-11)

