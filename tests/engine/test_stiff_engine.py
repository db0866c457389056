"""The compiled stiff engine (RODAS4, structural sparse Jacobian, band LU): its pieces and
its agreement with the SciPy reference on the EC fibre, HH and an HH cable."""

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.components import Leak, Membrane
from neuromuscle.components.hh1952 import HHPotassium, HHSodium
from neuromuscle.components.membrane import AccessResistance
from neuromuscle.components.reversal import FixedReversal
from neuromuscle.engine import simulate_batch
from neuromuscle.engine.compile import compiled_module, kernels
from neuromuscle.engine.structure import jacobian_structure, probed_sparsity, sparsity
from neuromuscle.model import Model


def hh_cable(n: int, r_a: float = 100.0) -> Model:
    """``n`` HH compartments in a chain, each coupled to the next by a resistance ``r_a``
    (Ohm cm2, equal areas); the stimulus enters compartment 0."""
    comps = [FixedReversal("E_Na", "Na", 50.0, "HH 1952 Table 3"), FixedReversal("E_K", "K", -77.0, "HH 1952 Table 3")]
    for i in range(n):
        v = "V" if i == 0 else f"V{i}"
        ren = {"V": v, "I_ion": f"I_ion{i}"}
        mem_ren = dict(ren, I_stim="I_stim" if i == 0 else "I_none")
        comps += [Membrane(f"m{i}", rename=mem_ren), HHSodium(f"na{i}", rename=ren), HHPotassium(f"k{i}", rename=ren),
                  Leak(f"leak{i}", rename=ren)]
        if i:
            prev = "V" if i == 1 else f"V{i - 1}"
            comps.append(AccessResistance(f"ax{i}", parameters={"R_a": r_a, "gamma": 1.0},
                                          rename={"V": prev, "u": v, "I_ion": f"I_ion{i - 1}", "I_ion_t": f"I_ion{i}"}))
    P = nm.components.Parameter
    glob = {"celsius": P(6.3, "degC", "HH 1952", "Temperature", (0.0, 50.0)),
            "dV_surface": P(0.0, "mV", "none", "Gating shift", (-200.0, 200.0)),
            "I_none": P(0.0, "uA/cm2", "no stimulus beyond the first compartment", "stimulus", (0.0, 0.0))}
    return Model(f"hh_cable_{n}", comps, glob, stiff=True)


@pytest.fixture(scope="module")
def cable():
    return hh_cable(20)


def _nan_probe(model, y):
    """Rows that turn NaN when state j is NaN: a numerical lower bound of the pattern."""
    f = model.function("rhs")
    p = model.full_parameters()
    n = y.size
    seen = np.zeros((n, n), dtype=bool)
    for j in range(n):
        yy = y.copy()
        yy[j] = np.nan
        with np.errstate(invalid="ignore"):
            seen[:, j] = np.isnan(f(0.0, yy, p, 0.0, np.empty(n)))
    return seen


@pytest.mark.parametrize("factory", [nm.hodgkin_huxley, nm.muscle_ec, lambda: hh_cable(6)])
def test_structural_sparsity_contains_every_dependence(factory):
    model = factory()
    S = sparsity(model)
    probe = _nan_probe(model, model.initial_state)
    assert not np.any(probe & ~S), "a derivative depends on a state the structure left out"
    # and the pattern is not trivially dense for HH: the Na gates do not depend on the K gate
    # (the structure is per component: m and h of one channel count as coupled)
    if model.name.startswith("hodgkin"):
        i = model.state_index
        assert not S[i["na.m"], i["k.n"]] and not S[i["k.n"], i["na.h"]] and S[i["V"], i["k.n"]]


def test_cable_structure_is_banded_and_coloured(cable):
    js = jacobian_structure(cable)
    assert len(cable.state_names) == 80
    assert js.kl + js.ku <= 16 and js.n_colours <= 12  # a chain: a narrow band, a few colours
    # colouring: no two columns of one colour share a row
    for g in range(js.n_colours):
        cols = js.color_cols[js.color_ptr[g]:js.color_ptr[g + 1]]
        assert np.all(js.pattern[:, cols].sum(axis=1) <= 1)


def test_fd_jacobian_and_band_lu_solve_match_dense_numpy(cable):
    mod, kern = compiled_module(cable), kernels()
    js = jacobian_structure(cable)
    rng = np.random.default_rng(1)
    y = cable.initial_state + rng.normal(scale=[5.0 if n.startswith("V") else 0.02 for n in cable.state_names])
    p = cable.full_parameters()
    n = y.size
    f0 = np.empty(n)
    mod.rhs(0.0, y, p, 0.0, f0)
    J = np.zeros((n, n))
    kern._fd_jacobian(mod.rhs_c, 0.0, y, f0, p, 0.0, js.jac_ptr, js.jac_rows, js.color_ptr, js.color_cols,
                      js.pinv, 1e-2, np.empty(n), np.empty(n), J)
    J_orig = J[np.ix_(js.pinv, js.pinv)]  # back to state order
    # reference: dense central differences in NumPy, column by column
    ref = np.empty((n, n))
    f = cable.function("rhs")
    for j in range(n):
        d = 1e-6 * max(abs(y[j]), 1e-2)
        yp, ym = y.copy(), y.copy()
        yp[j] += d
        ym[j] -= d
        ref[:, j] = (f(0.0, yp, p, 0.0, np.empty(n)) - f(0.0, ym, p, 0.0, np.empty(n))) / (2 * d)
    np.testing.assert_allclose(J_orig, ref, rtol=1e-4, atol=1e-6 * np.abs(ref).max())
    # band LU of W = c I - J (permuted) solves the dense system
    W = np.zeros((n, n))
    piv = np.zeros(n, dtype=np.int64)
    c = 1.0 / (0.05 * 0.25)
    assert kern._band_lu(W, J, c, js.kl, js.ku, piv)
    b = rng.normal(size=n)
    x = np.empty(n)
    kern._band_solve(W, js.kl, js.ku, piv, js.perm, b, x, np.empty(n))
    np.testing.assert_allclose((c * np.eye(n) - J_orig) @ x, b, atol=1e-9 * np.abs(b).max())
    # the LU on the pattern of the factors (no row exchanges) solves it too, and passes its check
    W = np.zeros((n, n))
    assert kern._sparse_lu(W, J, c, js.lu_ptr, js.lu_cols, js.lu_diag)
    x2 = np.empty(n)
    kern._sparse_solve(W, js.lu_ptr, js.lu_cols, js.lu_diag, js.perm, b, x2, np.empty(n))
    np.testing.assert_allclose((c * np.eye(n) - J_orig) @ x2, b, atol=1e-9 * np.abs(b).max())
    assert kern._residual_ok(J, c, js.jac_ptr, js.jac_rows, js.pinv, x2, b, np.empty(n), np.empty(n))


def test_sparse_lu_of_the_ec_fibre_matches_lapack_and_its_check_rejects_a_wrong_solve():
    # the EC fibre's band is nearly full (51 states, band (29, 32)); its LU pattern has 480
    # entries, so the structure picks the sparse LU. Against LAPACK (partial pivoting) at
    # step sizes from 1 us to 50 ms; the backward-error check refuses a perturbed solution.
    ec = nm.muscle_ec()
    mod, kern = compiled_module(ec), kernels()
    js = nm.engine.stiff.structure_of(ec)
    n = len(ec.state_names)
    assert js.sparse_lu and js.lu_cols.size < n * n / 4
    y = nm.analysis.resting_state(ec).y
    p = ec.full_parameters()
    f0 = np.empty(n)
    mod.rhs(0.0, y, p, 0.0, f0)
    J = np.zeros((n, n))
    kern._fd_jacobian(mod.rhs_c, 0.0, y, f0, p, 0.0, js.jac_ptr, js.jac_rows, js.color_ptr, js.color_cols,
                      js.pinv, 1e-2, np.empty(n), np.empty(n), J)
    J_orig = J[np.ix_(js.pinv, js.pinv)]
    rng = np.random.default_rng(3)
    for h in (1e-3, 0.05, 1.0, 50.0):
        c = 1.0 / (h * 0.25)
        W = np.zeros((n, n))
        assert kern._sparse_lu(W, J, c, js.lu_ptr, js.lu_cols, js.lu_diag)
        b = rng.normal(size=n)
        x = np.empty(n)
        kern._sparse_solve(W, js.lu_ptr, js.lu_cols, js.lu_diag, js.perm, b, x, np.empty(n))
        ref = np.linalg.solve(c * np.eye(n) - J_orig, b)
        np.testing.assert_allclose(x, ref, rtol=0, atol=1e-9 * np.abs(ref).max())
        assert kern._residual_ok(J, c, js.jac_ptr, js.jac_rows, js.pinv, x, b, np.empty(n), np.empty(n))
        bad = x.copy()
        bad[np.argmax(np.abs(x))] *= 1.0 + 1e-6
        assert not kern._residual_ok(J, c, js.jac_ptr, js.jac_rows, js.pinv, bad, b, np.empty(n), np.empty(n))


@pytest.mark.slow  # compiles the kernels for one more model
def test_rodas4_is_fourth_order_on_a_linear_decay():
    # dV/dt = -g (V - E) / C: exact exponential; the error at fixed steps falls as h^4
    model = Model("passive", [Membrane("membrane"), Leak("leak", parameters={"g": 1.0, "E": 0.0})], stiff=True)
    errs = []
    for rtol in (1e-4, 1e-6, 1e-8):
        res = nm.simulate(model, None, 5.0, y0=[1.0], engine="stiff", rtol=rtol, atol=rtol * 1e-3, dt=0.5)
        errs.append(np.max(np.abs(res["V"] - np.exp(-res.t))))
    assert errs[0] < 1e-3 and errs[2] < 1e-7 and errs[2] < errs[1] < errs[0]


def test_hh_on_the_stiff_engine_agrees_with_dop853(hh, hh_reference_10ua):
    res = nm.simulate(hh, nm.Step(10.0), 200.0, engine="stiff")
    assert res.engine == "stiff" and "RODAS4" in res.method
    ref = hh_reference_10ua.spike_times
    assert res.spike_times.size == ref.size
    np.testing.assert_allclose(res.spike_times, ref, atol=2e-3)


def test_ec_fibre_agrees_with_scipy_spikes_calcium_and_conservation():
    ec = nm.muscle_ec()
    assert nm.engine.choose(ec) == "stiff"
    rest = nm.analysis.resting_state(ec).y
    prot = nm.PulseTrain(400.0, 2.0, 0.5, 50.0, 2)
    fast = nm.simulate(ec, prot, 45.0, y0=rest, dt=0.05)
    assert fast.engine == "stiff"
    ref = nm.simulate(ec, prot, 45.0, y0=rest, engine="scipy", rtol=1e-9, atol=1e-12, dt=0.05)
    assert fast.spike_times.size == ref.spike_times.size == 2
    np.testing.assert_allclose(fast.spike_times, ref.spike_times, atol=1e-3)
    for name in ("Ca_cyt", "V"):
        scale = np.abs(ref[name]).max()
        np.testing.assert_allclose(fast[name], ref[name], atol=1e-3 * scale)
    # Ca, Mg, adenine and phosphate of the closed Ca system stay conserved on the stiff engine
    from tests.models.test_muscle_ec import _totals

    totals = np.array([_totals(ec, fast.y[:, k]) for k in (0, -1)])
    np.testing.assert_allclose(totals[1, :2], totals[0, :2], rtol=1e-9)  # Ca and Mg are closed


@pytest.mark.slow  # compiles both integrators for an 80-state model
def test_cable_propagates_and_agrees_with_the_explicit_engine(cable):
    prot = nm.Pulse(100.0, 0.5, 0.5)  # 40 uA/cm2 does not fire the loaded first compartment
    y0 = cable.quasi_steady_state(-65.0)
    stiff = nm.simulate(cable, prot, 12.0, y0=y0, engine="stiff", dt=0.01)
    expl = nm.simulate(cable, prot, 12.0, y0=y0, engine="explicit", rtol=1e-9, atol=1e-11, dt=0.01)
    assert stiff.spike_times.size == expl.spike_times.size == 1
    np.testing.assert_allclose(stiff.spike_times, expl.spike_times, atol=0.01)

    def arrival(res):
        v = res["V19"]
        k = np.flatnonzero((v[1:] >= 0.0) & (v[:-1] < 0.0))
        return res.t[k[0] + 1]

    assert arrival(stiff) > stiff.spike_times[0] + 1.0  # the AP travelled down the chain
    assert abs(arrival(stiff) - arrival(expl)) < 0.02
    batch = simulate_batch(cable, prot, 12.0, y0=y0, amplitude=[1.0, 0.05], dt=0.5)
    assert batch.engine == "stiff" and batch.n_spikes.tolist() == [1, 0]
    np.testing.assert_allclose(batch.spike_times(0), stiff.spike_times, atol=1e-9)


def _crossing(t, v, level=-20.0):
    k = np.flatnonzero((v[:-1] < level) & (v[1:] >= level))[0]
    return t[k] + (level - v[k]) * (t[k + 1] - t[k]) / (v[k + 1] - v[k])


@pytest.mark.slow  # compiles the equations of the myelinated axon (once per machine: disk cache)
def test_myelinated_axon_on_the_stiff_engine_agrees_with_lsoda():
    """The 11-node tracking axon (array states): the automatic choice is the stiff engine, its
    pattern is a narrow band, and the action potential's arrival at the recorded node and its
    conduction velocity (nodes 6 -> 10, -20 mV crossings on a 10 us grid) agree with LSODA
    with the cable's band at rtol 1e-7 (reference) within 1 us and 0.1 %."""
    from neuromuscle.analysis.threshold_tracking import tracking_axon

    axon = tracking_axon()
    assert nm.engine.choose(axon) == "stiff"
    js = nm.engine.stiff.structure_of(axon)
    assert js.kl <= 9 and js.ku <= 9 and js.n_colours <= 14, js
    rest = nm.simulate(axon, None, 1e-3, engine="scipy", method="LSODA", compiled=True).y[:, 0]
    prot = nm.Pulse(5e-3 / axon.stim_area_cm2, 0.5, 0.1)  # 5 nA for 0.1 ms: one action potential
    ref = nm.simulate(axon, prot, 3.0, y0=rest, engine="scipy", method="LSODA", compiled=True, rtol=1e-7,
                      atol=1e-8, dt=0.01)
    res = nm.simulate(axon, prot, 3.0, y0=rest, rtol=1e-4, atol=1e-5, dt=0.01)
    assert res.engine == "stiff" and "RODAS4" in res.method
    assert res.spike_times.size == ref.spike_times.size == 1
    assert abs(res.spike_times[0] - ref.spike_times[0]) < 1e-3

    def transit(r):
        return _crossing(r.t, r["V_node10"]) - _crossing(r.t, r["V_node6"])

    assert transit(res) == pytest.approx(transit(ref), rel=1e-3)


def test_probed_sparsity_holds_the_jacobian_at_unseen_states():
    # the probed pattern is narrower than the graph's (fewer colours, cheaper Jacobians) and
    # must still hold every non-zero of the Jacobian at states the probe did not visit:
    # dense central differences at random states far from the probe's points
    ec = nm.muscle_ec()
    S = sparsity(ec)
    P = probed_sparsity(ec)
    assert not np.any(P & ~S) and np.all(np.diag(P))
    assert jacobian_structure(ec, P).n_colours < jacobian_structure(ec, S).n_colours / 2
    p = ec.full_parameters(ec.parameter_vector())
    rng = np.random.default_rng(7)
    n = len(ec.state_names)
    for v, i_stim in ((-75.0, 0.0), (-20.0, 35.0), (15.0, 5.0)):
        y = ec.quasi_steady_state(v, p) * (1.0 + 0.1 * rng.random(n))
        assert not np.any(_nan_probe(ec, y) & ~P)
        J = np.empty((n, n))
        for j in range(n):
            d = 1e-7 * max(abs(y[j]), 1e-6)
            yp, ym = y.copy(), y.copy()
            yp[j] += d
            ym[j] -= d
            J[:, j] = (ec.rhs(0.0, yp, p, i_stim) - ec.rhs(0.0, ym, p, i_stim)) / (2 * d)
        assert np.all(J[~P] == 0.0), "a Jacobian entry outside the probed pattern"
