"""One component class serving two compartments (rename), checked on a passive
surface + t-tubule membrane against its analytic solution."""

import numpy as np
import pytest
from scipy.linalg import expm

import neuromuscle as nm
from neuromuscle.analysis import equilibria, jacobian
from neuromuscle.components import Leak, Membrane
from neuromuscle.components.membrane import AccessResistance
from neuromuscle.model import Model

G_S, G_T, E, R_A, GAMMA, C = 0.3, 0.1, -80.0, 150.0, 4.8, 1.0


@pytest.fixture(scope="module")
def two_compartment():
    return Model("passive_fibre", [
        Membrane("surface"),
        Membrane("tubule", rename={"V": "u", "I_ion": "I_ion_t", "I_stim": "I_stim_t"}),
        Leak("leak_s", parameters={"g": G_S, "E": E}),
        Leak("leak_t", parameters={"g": G_T, "E": E}, rename={"V": "u", "I_ion": "I_ion_t"}),
        AccessResistance("access"),
    ], {"I_stim_t": nm.components.Parameter(0.0, "uA/cm2", "no stimulus in the tubule", "Tubular stimulus")})


def _matrix():
    g = 1000.0 / R_A
    return np.array([[-(G_S + g) / C, g / C], [g / (GAMMA * C), -(G_T + g / GAMMA) / C]])


def test_layout_uses_renamed_names(two_compartment):
    m = two_compartment
    assert m.state_names[:2] == ["V", "u"] or set(m.state_names) == {"V", "u"}
    assert set(m.sums) == {"I_ion", "I_ion_t"}
    assert set(m.sums["I_ion_t"]) == {"leak_t.I", "access.I_tubule"}


def test_equilibrium_and_eigenvalues_match_analytic(two_compartment):
    eq = equilibria(two_compartment)
    assert len(eq) == 1 and eq[0].stable
    np.testing.assert_allclose(eq[0].y, [E, E], atol=1e-9)
    jac = jacobian(two_compartment, eq[0].y)
    order = [two_compartment.state_index["V"], two_compartment.state_index["u"]]
    np.testing.assert_allclose(jac[np.ix_(order, order)], _matrix(), rtol=1e-7)


def test_step_response_matches_matrix_exponential(two_compartment):
    # C dV/dt = I - ..., so a step of I adds I/C to dV/dt: x' = A x + b, x = (V - E, u - E)
    amp, t = 5.0, 3.0
    res = nm.simulate(two_compartment, nm.Step(amp), t, y0=[E, E], engine="scipy", method="DOP853",
                      rtol=1e-11, atol=1e-12)
    A, b = _matrix(), np.array([amp / C, 0.0])
    x = np.linalg.solve(A, (expm(A * t) - np.eye(2)) @ b)
    order = [two_compartment.state_index["V"], two_compartment.state_index["u"]]
    np.testing.assert_allclose(res.final_state[order] - E, x, rtol=1e-8)
    fast = nm.simulate(two_compartment, nm.Step(amp), t, y0=[E, E], engine="fast", rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fast.final_state[order] - E, x, rtol=1e-6)


def test_rename_does_not_leak_into_other_instances():
    a = Leak("a")
    b = Leak("b", rename={"V": "u", "I_ion": "I_ion_t"})
    assert a.inputs["V"] == "V" and b.inputs["V"] == "u"
    assert a.sum_name(a.outputs[0]) == "I_ion" and b.sum_name(b.outputs[0]) == "I_ion_t"


def test_cable_section_leaks_are_leaks():
    # the myelinated cable's leaks are the membrane Leak with a density per section type
    from neuromuscle.components.membrane import ohmic_current
    from neuromuscle.components.mrg import MRGPassiveLeak, SectionLeak

    assert issubclass(SectionLeak, Leak) and issubclass(MRGPassiveLeak, SectionLeak)
    masks = np.eye(4)  # one compartment each: node, MYSA, FLUT, STIN
    v = np.array([-70.0, -60.0, -50.0, -40.0])
    (i,) = SectionLeak.equations(v, -84.0, 7.0, 2.0, 0.2, 0.2, *masks)
    assert np.array_equal(i, ohmic_current(np.array([7.0, 2.0, 0.2, 0.2]), v, -84.0))
    (i,) = MRGPassiveLeak.equations(v, -90.0, -80.0, 7.0, 0.33, 0.069, 0.069, *masks)
    assert np.array_equal(i, ohmic_current(np.array([7.0, 0.33, 0.069, 0.069]), v,
                                           np.array([-90.0, -80.0, -80.0, -80.0])))
