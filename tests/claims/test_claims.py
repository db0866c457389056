"""The claims: verdicts come from the numbers (feeding the criteria other numbers changes
them), capabilities are checked in code, the dehydration scenario's mass balance, the
sarcolemmal Ca component, and the report writer."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import neuromuscle as nm
from neuromuscle.claims import CLAIMS, Criterion, SubClaim, Verdict, capabilities, claim, combine
from neuromuscle.claims.base import ClaimResult
from neuromuscle.claims.report import html_page, markdown, report_dict, write_report
from neuromuscle.claims.scenarios import BODY_WATER_FRACTION, ECF_FRACTION, OSMOLALITY, SWEAT, dehydration

ALL = {k: (True, "test") for k in capabilities()}
NONE = {k: (False, f"no {k} in this test") for k in capabilities()}


def _value(c: Criterion, passing: bool) -> float:
    """A number on the passing or failing side of ``c``'s threshold."""
    step = max(1.0, abs(c.threshold))
    up = c.op in (">=", ">")
    return c.threshold + (step if up == passing else -step)


CASES = [(c, s) for c in CLAIMS for s in c.subclaims if s.criteria]


def test_nine_claims_each_with_criteria_and_reasons():
    assert [c.number for c in CLAIMS] == list(range(1, 10))
    assert len({c.key for c in CLAIMS}) == 9
    for c in CLAIMS:
        assert c.subclaims and c.references and c.limits and c.mechanisms and c.simulations
        for cr in c.criteria():
            assert cr.reason and cr.meaning and cr.unit, cr.key
            assert cr.key in c.units


@pytest.mark.parametrize("c,s", CASES, ids=[f"{c.key}-{s.key}" for c, s in CASES])
def test_every_verdict_follows_its_numbers(c, s):
    passing = {cr.key: _value(cr, True) for cr in s.criteria}
    failing = {cr.key: _value(cr, False) for cr in s.criteria}
    assert s.decide(passing, ALL).verdict is Verdict.SUPPORTED
    assert s.decide(failing, ALL).verdict is Verdict.NOT_SUPPORTED
    if len(s.criteria) > 1:
        one = {**failing, s.criteria[0].key: passing[s.criteria[0].key]}
        assert s.decide(one, ALL).verdict is (Verdict.SUPPORTED if s.rule == "any" else Verdict.PARTLY)
    # the whole claim moves with its numbers too
    assert c.decide(passing, ALL)[1][list(c.subclaims).index(s)].verdict is Verdict.SUPPORTED
    if s.requires:
        assert s.decide(passing, NONE).verdict is Verdict.OUTSIDE
        assert "in this test" in s.decide(passing, NONE).explanation


def test_missing_or_nan_numbers_cannot_decide():
    cr = Criterion("x", "<=", -10.0, "%", "falls", "because")
    assert cr.test({}) is None and cr.test({"x": float("nan")}) is None
    assert cr.test({"x": -10.0}) is True and cr.test({"x": -9.99}) is False
    s = SubClaim("s", "statement", (cr,))
    assert s.decide({}, ALL).verdict is Verdict.OUTSIDE
    with pytest.raises(ValueError, match="op"):
        Criterion("x", "=>", 1.0, "%", "", "")
    with pytest.raises(ValueError, match="criteria or an 'outside'"):
        SubClaim("s", "statement")


def test_combine():
    S, P, N, O = Verdict.SUPPORTED, Verdict.PARTLY, Verdict.NOT_SUPPORTED, Verdict.OUTSIDE
    assert combine([S, S, O]) is S
    assert combine([N, O, N]) is N
    assert combine([S, N]) is P
    assert combine([P]) is P
    assert combine([O, O]) is O


def test_outside_statements_say_why():
    outside = [s for c in CLAIMS for s in c.subclaims if s.outside]
    assert {s.key for s in outside} >= {"chvostek", "brain", "absorption", "vitamins"}
    for s in outside:
        v = s.decide({}, ALL)
        assert v.verdict is Verdict.OUTSIDE and len(v.explanation) > 40


def test_capabilities_follow_the_installed_models(monkeypatch):
    caps = capabilities()
    assert caps["sarcolemmal_ca"][0] and caps["atp_supply"][0]
    if not hasattr(nm, "motor_axon_myelinated"):
        assert not caps["demyelination"][0] and "single node" in caps["demyelination"][1]

    def fake_axon(electrolytes=None, *, n_lamellae=120, n_nodes=21):
        return {"lamellae": n_lamellae}

    monkeypatch.setattr(nm, "motor_axon_myelinated", fake_axon, raising=False)
    monkeypatch.setattr(nm.analysis, "conduction_velocity",
                        lambda m: 50.0 * m["lamellae"] / 120 if m["lamellae"] > 30 else float("nan"), raising=False)
    caps = capabilities()
    assert caps["myelinated_axon"][0] and caps["demyelination"] == (True, "nm.motor_axon_myelinated(n_lamellae=...)")
    # the B12 claim measures the axon it finds: half the lamellae, half the velocity here
    from neuromuscle.claims import measures as M
    from neuromuscle.claims.base import RunContext

    ctx = RunContext(capabilities=caps)
    full, half = M.myelinated_conduction(ctx, 1.0), M.myelinated_conduction(ctx, 0.5)
    assert full["conduction velocity (m/s)"] == 50.0 and half["n_lamellae"] == 60
    assert M.myelinated_conduction(ctx, 0.2)["blocked"] == 1.0
    b12 = claim("b_vitamins").subclaims[2]
    numbers = {"conduction velocity change, half the myelin (%)": M.pct(25.0, 50.0),
               "conduction block, half the myelin (yes 1 / no 0)": 0.0}
    assert b12.decide(numbers, caps).verdict is Verdict.SUPPORTED


def test_dehydration_mass_balance_by_hand():
    """4 % of 70 kg as sweat: osmoles and each ion's amount balance by hand."""
    r = dehydration(0.04)
    litres, tbw, ecf = 2.8, BODY_WATER_FRACTION * 70, ECF_FRACTION * 70
    osm = (OSMOLALITY * tbw - SWEAT.osmolality * litres) / (tbw - litres)
    assert r.osmolality == pytest.approx(osm)
    v_new = ecf * (1 + r.ecf_change)
    assert v_new * osm == pytest.approx(OSMOLALITY * ecf - SWEAT.osmolality * litres)
    e = r.electrolytes
    assert e.na * v_new == pytest.approx(140.0 * ecf - SWEAT.na * litres)
    assert e.mg * v_new == pytest.approx(0.52 * ecf - SWEAT.mg * litres)
    assert e.k == 4.2 and e.hco3 == pytest.approx(25.0 * ecf / v_new)
    assert 145.0 < e.na < 150.0  # hypernatraemic dehydration: sweat is hypotonic
    assert dehydration(0.0).electrolytes.na == pytest.approx(140.0)
    with pytest.raises(ValueError, match="fraction"):
        dehydration(0.2)


def test_l_type_pore_factor_by_hand():
    from neuromuscle.components.ca_entry import l_type_pore_factor

    # Ca 1.22 mM on a 0.7 uM site, Mg 0.52 mM on a 7 uM site: 1 - (74.3 / (1 + 1742.9 + 74.3))
    f = l_type_pore_factor(1.22, 0.52, 0.7e-3, 7e-3)
    assert f == pytest.approx(1 - (0.52 / 7e-3) / (1 + 1.22 / 0.7e-3 + 0.52 / 7e-3))
    assert l_type_pore_factor(1.22, 0.30, 0.7e-3, 7e-3) > f  # less Mg, fewer blocked pores
    assert l_type_pore_factor(1.22, 0.0, 0.7e-3, 7e-3) == 1.0


@pytest.mark.slow
def test_sarcolemmal_calcium_balances_at_rest_and_enters_on_depolarisation():
    """Entry balances the surface pump at the normal rest (the background permeability is
    derived there), the fibre's resting Ca barely moves, and a twitch lets Ca in."""
    from neuromuscle.components.ca_entry import sarcolemmal_calcium

    model = nm.muscle_ec(extra=(sarcolemmal_calcium(),))
    y = nm.analysis.resting_state(model).y
    obs = model.observables(0.0, y)
    assert abs(float(obs["ca_sl.J"])) < 0.02 * float(obs["ca_sl.J_in"])
    closed = nm.muscle_ec()
    ca_closed = nm.analysis.resting_state(closed).y[closed.state_index["myo1.Ca"]]
    assert y[model.state_index["myo1.Ca"]] == pytest.approx(ca_closed, rel=0.02)
    run = nm.simulate(model, nm.Pulse(1400.0, 5.0, 0.5), 40.0, dt=0.05)
    assert float(np.max(run["ca_sl.J_in"])) > 20 * float(obs["ca_sl.J_in"])
    assert float(np.min(run["ca_sl.I_CaL"])) < 0.0


def _fake_result(c, numbers):
    v, subs = c.decide(numbers, ALL)
    return ClaimResult(c, numbers, {}, v, subs, seconds=0.1, figure=None)


def test_report_holds_every_verdict_number_and_criterion(tmp_path):
    results = []
    for c in CLAIMS:
        numbers = {cr.key: _value(cr, i % 2 == 0) for i, cr in enumerate(c.criteria())}
        numbers["an extra number"] = math.pi
        results.append(_fake_result(c, numbers))
    rep = write_report(results, tmp_path, quick=True, capabilities=ALL, seconds=1.0)
    data = json.loads((tmp_path / "claims.json").read_text())
    assert data == json.loads(json.dumps(rep))
    assert len(data["claims"]) == 9
    for c, r in zip(CLAIMS, data["claims"]):
        assert r["verdict"] in {str(v) for v in Verdict}
        keys = {cr["key"] for s in r["sub_claims"] for cr in s["criteria"]}
        assert keys == {cr.key for cr in c.criteria()}
        for s in r["sub_claims"]:
            for cr in s["criteria"]:
                assert cr["value"] == pytest.approx(results[c.number - 1].numbers[cr["key"]])
                assert cr["passed"] in (True, False) and cr["reason"]
    md = (tmp_path / "claims.md").read_text()
    page = (tmp_path / "claims.html").read_text()
    for c in CLAIMS:
        assert c.statement in md and c.title in md
    assert md.count("| **") == 9 and "an extra number = 3.142" in md
    assert page.count("<section") == 9 and "id='verdicts'" in page
    assert markdown(rep) == md and html_page(rep) == page
    assert report_dict(results, quick=False, capabilities=ALL, seconds=2.0)["mode"] == "full"


def test_cli_refuses_an_unknown_claim(tmp_path, capsys):
    from neuromuscle.cli import main

    assert main(["claims", "--only", "bogus", "--out", str(tmp_path)]) == 2
    assert "bogus" in capsys.readouterr().err


def test_demyelination_thins_the_myelin_of_the_myelinated_axon():
    # MRG: myelin capacitance and conductance per internode area scale as 1/lamellae
    normal = nm.motor_axon_myelinated(n_nodes=3)
    thin = nm.motor_axon_myelinated(n_nodes=3, lamellae=normal.geometry.lamellae / 2)
    cable = {m: next(c for c in m.components if c.name == "cable") for m in (normal, thin)}
    for key in ("c_my", "g_my"):
        np.testing.assert_allclose(np.asarray(cable[thin].constants[key]),
                                   2.0 * np.asarray(cable[normal].constants[key]), rtol=1e-12)
    np.testing.assert_array_equal(np.asarray(cable[thin].constants["cm"]), np.asarray(cable[normal].constants["cm"]))
    assert capabilities()["demyelination"] == (True, "nm.motor_axon_myelinated(lamellae=...)")
    with pytest.raises(ValueError, match="lamellae = 0"):
        nm.motor_axon_myelinated(n_nodes=3, lamellae=0)


def test_a_longer_relaxation_is_declared_with_the_ec_model():
    """The EC runs with a run-down ATP supply relax the Ca system for longer: the equilibrium
    finder is declared when the model is built, so a model recomposed from its components
    keeps it, and the model is otherwise the published one."""
    from neuromuscle.claims import measures as M
    from neuromuscle.models.muscle_ec import ec_equilibria

    published = nm.muscle_ec(M._cold(M.normal()))
    model = M._relaxing_for(published, 3.6e6)
    finder = model.equilibrium_finder
    assert finder.func is ec_equilibria and finder.keywords == {"relax_ms": 3.6e6}
    assert published.equilibrium_finder is ec_equilibria
    assert nm.Model("again", model.components, model.global_parameters).equilibrium_finder is finder
    assert model.with_parameters(supply__V_supply=0.0).equilibrium_finder is finder
    assert model.state_names == published.state_names
    assert np.array_equal(model.initial_state, published.initial_state)
    assert np.array_equal(model.parameter_vector(), published.parameter_vector())
    assert model.source("rhs") == published.source("rhs")
