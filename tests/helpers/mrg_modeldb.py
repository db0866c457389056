"""Check the myelinated axon against the authors' own McIntyre, Richardson & Grill (2002) files.

ModelDB 3810 (McIntyre CC, Richardson AG, Grill WM 2002, J Neurophysiol 87:995) holds
``MRGaxon.hoc`` and the node mechanism ``AXNODE.mod``. This script compiles ``AXNODE.mod``
(from a directory the user supplies: the file is not part of this package) in a temporary
directory, builds the cable as ``MRGaxon.hoc`` does (its table row for a 10 um fibre; node,
MYSA, FLUT and STIN sections with their ``Ra``, ``cm``, ``g_pas``, ``e_pas`` -80 mV,
``xraxial``, ``xg``, ``xc``; celsius 37, or ``--celsius``), lets it settle for 50 ms from the
hoc's ``v_init`` -80 mV, injects current at the middle node and detects the action potential 3
nodes further on, as :func:`neuromuscle.analysis.threshold_tracking.tracking_axon` does. It
measures, bisected to 0.5 %:

* the 1 and 0.2 ms thresholds and tau_SD by Weiss's line through them;
* the recovery cycle: threshold change of a 1 ms test pulse 2-100 ms after a 1 ms conditioning
  pulse of twice threshold, and its read-outs as the package defines them
  (refractoriness at 2 ms, superexcitability = most negative mean of three adjacent points,
  late subexcitability = largest such mean after 10 ms);
* the afterpotentials at the recorded node after the conditioning action potential: the
  depolarising afterpotential (DAP: largest ``V - V_rest`` from 1 ms after the spike peak),
  its duration (spike peak to the first return to rest) and the afterhyperpolarisation (AHP:
  most negative ``V - V_rest`` after that, and when).

It then runs the same points on ``neuromuscle.motor_axon_myelinated(channels="mrg2002")`` and
on the default (Gaines et al. 2018) axon.

Run: ``PYTHONPATH=. python tests/helpers/mrg_modeldb.py DIR [--nodes 11] [--dt 0.0025]`` with
``DIR`` a copy of ModelDB 3810; writes ``figures/mrg_source_check/mrg_source_check.json`` and the
table ``docs/models/data/mrg_source_check.md`` that docs/models/myelinated_axon.md includes.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

INTERVALS = (2.0, 2.5, 3.2, 4.0, 5.0, 6.3, 7.9, 10.0, 13.0, 16.0, 20.0, 25.0, 32.0, 40.0, 50.0, 63.0, 79.0,
             100.0)
REL_TOL = 0.005
#: MRGaxon.hoc table row of the 10 um fibre: axonD, nodeD, paraD1, paraD2, deltax, FLUT length, nl (um)
ROW_10UM = (6.9, 3.3, 3.3, 6.9, 1150.0, 46.0, 120)


def build(modeldb: Path, workdir: Path, n_nodes: int, dt: float, celsius: float = 37.0):
    """The hoc's cable in NEURON with the authors' AXNODE mechanism; returns (h, nodes, sections)."""
    from neuron import h

    shutil.copy(modeldb / "AXNODE.mod", workdir / "AXNODE.mod")
    nrnivmodl = shutil.which("nrnivmodl") or str(Path(sys.executable).parent / "nrnivmodl")
    subprocess.run([nrnivmodl, "."], cwd=workdir, check=True, capture_output=True, timeout=600)
    h.nrn_load_dll(str(next(workdir.glob("*/libnrnmech.so"))))
    h.load_file("stdrun.hoc")
    h.celsius, h.dt = celsius, dt
    h.steps_per_ms = 1.0 / dt
    D = 10.0
    axon_d, node_d, para_d1, para_d2, deltax, flut_l, nl = ROW_10UM
    rhoa, mycm, mygm = 0.7e6, 0.1, 0.001  # Ohm um, uF/cm2 and S/cm2 per lamella membrane
    stin_l = (deltax - 1.0 - 2 * 3.0 - 2 * flut_l) / 6

    def rp(d, w):  # periaxonal resistance per length, MOhm/cm
        return rhoa * 0.01 / (math.pi * ((d / 2 + w) ** 2 - (d / 2) ** 2))

    def section(name, L, d_ax, width, g_pas=None):
        s = h.Section(name=name)
        s.nseg, s.L = 1, L
        seg = s(0.5)
        if g_pas is None:  # node
            s.diam, s.Ra, s.cm = node_d, rhoa / 1e4, 2.0
            s.insert("axnode")
            s.insert("extracellular")
            seg.xg[0], seg.xc[0] = 1e10, 0.0
        else:
            s.diam, s.Ra, s.cm = D, rhoa * (1 / (d_ax / D) ** 2) / 1e4, 2.0 * d_ax / D
            s.insert("pas")
            seg.pas.g, seg.pas.e = g_pas * d_ax / D, -80.0
            s.insert("extracellular")
            seg.xg[0], seg.xc[0] = mygm / (nl * 2), mycm / (nl * 2)
        seg.xraxial[0] = rp(d_ax, width)
        return s

    nodes = [section(f"node{i}", 1.0, node_d, 0.002) for i in range(n_nodes)]
    keep = []
    for i in range(n_nodes - 1):
        chain = [section(f"mysa{i}a", 3.0, para_d1, 0.002, 0.001), section(f"flut{i}a", flut_l, para_d2, 0.004, 1e-4)]
        chain += [section(f"stin{i}_{k}", stin_l, axon_d, 0.004, 1e-4) for k in range(6)]
        chain += [section(f"flut{i}b", flut_l, para_d2, 0.004, 1e-4), section(f"mysa{i}b", 3.0, para_d1, 0.002, 0.001)]
        prev = nodes[i]
        for s in chain:
            s.connect(prev(1), 0)
            prev = s
        nodes[i + 1].connect(prev(1), 0)
        keep += chain
    return h, nodes, keep


def rc_readouts(intervals, rc) -> dict[str, float]:
    """Refractoriness at 2 ms, superexcitability and late subexcitability as the package defines them."""
    from neuromuscle.analysis.threshold_tracking import _mean3

    iv, rc = np.asarray(intervals), np.asarray(rc)
    m3 = _mean3(rc)
    k = int(np.argmin(m3))
    late = iv[1:-1] >= 10.0
    return {"refractoriness_at_2ms": float(np.interp(2.0, iv, rc)), "superexcitability": float(m3[k]),
            "superexcitability_at_ms": float(iv[k + 1]), "late_subexcitability": float(m3[late].max())}


def afterpotentials(t, v, v_rest) -> dict[str, float]:
    """DAP (mV above rest, from 1 ms after the spike peak), its duration and the AHP (mV, ms)."""
    k = int(np.argmax(v))
    dv = v - v_rest
    after = t >= t[k] + 1.0
    dap = float(dv[after].max())
    below = np.flatnonzero((t > t[k]) & (dv < 0.0))
    if below.size == 0:
        return {"DAP_mV": dap, "DAP_duration_ms": float("nan"), "AHP_mV": float("nan"), "AHP_at_ms": float("nan")}
    end = below[0]
    j = end + int(np.argmin(dv[end:]))
    return {"DAP_mV": dap, "DAP_duration_ms": float(t[end] - t[k]), "AHP_mV": float(dv[j]),
            "AHP_at_ms": float(t[j] - t[k])}


def neuron_points(modeldb: Path, n_nodes: int, dt: float, celsius: float) -> dict:
    from tests.helpers.neuron_mrg import RecoveryCycle

    h, nodes, _keep = build(modeldb, Path(tempfile.mkdtemp()), n_nodes, dt, celsius)
    stim = n_nodes // 2
    b = RecoveryCycle(h, nodes, stim, stim + 3, v_init=-80.0, settle=50.0, rel_tol=REL_TOL)
    t1 = b.threshold(width=1.0, guess=0.3)
    t02 = b.threshold(width=0.2, guess=3 * t1)
    slope, intercept = np.polyfit([0.2, 1.0], [0.2 * t02, 1.0 * t1], 1)
    states, (t, _v_stim, v_rec) = b.conditioned(2 * t1, 1.0, INTERVALS, tail=0.0)
    rc, guess = [], 2 * t1
    for iv, s in zip(INTERVALS, states):
        guess = b.threshold(s, iv, 1.0, guess)
        rc.append(100.0 * (guess - t1) / t1)
    return {"v_rest_stim_node_mV": b.v_rest, "threshold_1ms_nA": t1, "tau_SD": intercept / slope, "RC": rc,
            **rc_readouts(INTERVALS, rc), **afterpotentials(t, v_rec, b.v_rest_record)}


def neuromuscle_points(n_nodes: int, channels: str, celsius: float) -> dict:
    import neuromuscle as nm
    from neuromuscle.analysis.threshold_tracking import TrackingProtocol, threshold_tracking, tracking_axon

    proto = TrackingProtocol(sd_widths=(0.2, 1.0), te_delays=(), iv_currents=(), rc_intervals=INTERVALS,
                             rel_tol=REL_TOL, name="source check")
    env = nm.Electrolytes.preset("normal").replace(celsius=celsius)
    axon = tracking_axon(env, n_nodes=n_nodes, channels=channels)
    ds = threshold_tracking(axon, protocol=proto, parts=("sd", "rc"))
    thr = float(ds["threshold_1ms"])
    rest = nm.simulate(axon, None, 1e-3).y[:, 0]
    res = nm.simulate(axon, nm.Pulse(2 * thr, 0.0, 1.0), 100.0, y0=rest, dt=0.01, rtol=1e-4, atol=1e-5)
    a, _, c = axon.array_states["V"]
    v_rest = float(rest[a + c * axon.node_compartments[axon.record_node]])
    rc = [float(x) for x in ds["rc"].values]
    return {"v_rest_stim_node_mV": float(rest[a + c * axon.node_compartments[axon.stim_node]]),
            "threshold_1ms_nA": thr * axon.stim_area_cm2 * 1e3, "tau_SD": float(ds["tau_SD"]), "RC": rc,
            **rc_readouts(INTERVALS, rc), **afterpotentials(res.t, res["V"], v_rest), "engine": ds.attrs["engine"]}


COLUMNS = (("mrg_files_in_NEURON", "MRG 2002 authors' files in NEURON"),
           ("neuromuscle_mrg2002", 'neuromuscle, channels="mrg2002"'),
           ("neuromuscle_gaines2018", "neuromuscle, default (Gaines 2018)"))


def table(res: dict) -> str:
    """The comparison as a Markdown table."""
    cols = [res[k] for k, _ in COLUMNS]
    rows = [("resting potential, stimulated node (mV)", "v_rest_stim_node_mV"),
            ("1 ms threshold (nA)", "threshold_1ms_nA"), ("tau_SD, 0.2 and 1 ms (ms)", "tau_SD"),
            ("refractoriness at 2 ms (%)", "refractoriness_at_2ms"), ("superexcitability (%)", "superexcitability"),
            ("superexcitability, middle interval (ms)", "superexcitability_at_ms"),
            ("late subexcitability (%)", "late_subexcitability"), ("DAP (mV above rest)", "DAP_mV"),
            ("DAP duration (ms)", "DAP_duration_ms"), ("AHP (mV)", "AHP_mV"), ("AHP time (ms)", "AHP_at_ms")]
    lines = ["<!-- written by tests/helpers/mrg_modeldb.py from mrg_source_check.json; do not edit -->", "",
             f"{res['nodes']}-node axon, fibre 10 um, normal plasma, {res['celsius']:g} C; stimulus at the middle "
             f"node, detection 3 nodes on; bisection to {100 * res['bisection']:g} %; NEURON fixed step "
             f"{res['neuron_dt_ms']:g} ms; afterpotentials at the detection node after the conditioning "
             "pulse (1 ms, twice threshold).", "",
             "| quantity | " + " | ".join(lab for _, lab in COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(f"{c[key]:.4g}" for c in cols) + " |" for name, key in rows]
    lines += ["", "Recovery cycle, threshold change (%):", "",
              "| interval (ms) | " + " | ".join(lab for _, lab in COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    lines += [f"| {iv:g} | " + " | ".join(f"{c['RC'][i]:.3g}" for c in cols) + " |"
              for i, iv in enumerate(res["intervals_ms"])]
    return "\n".join(lines) + "\n"


def main(argv=None) -> dict:
    import argparse

    p = argparse.ArgumentParser(description=__doc__.strip().split("\n")[0])
    p.add_argument("modeldb", help="folder with the ModelDB 3810 files (AXNODE.mod, MRGaxon.hoc)")
    p.add_argument("--nodes", type=int, default=11)
    p.add_argument("--dt", type=float, default=0.0025, help="NEURON fixed step, ms (the hoc uses 0.005)")
    p.add_argument("--celsius", type=float, default=37.0, help="temperature, C (the hoc's 37)")
    p.add_argument("--out", default="figures/mrg_source_check")
    p.add_argument("--no-docs", action="store_true", help="do not rewrite docs/models/data/mrg_source_check.md")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    res = {"nodes": args.nodes, "celsius": args.celsius, "neuron_dt_ms": args.dt, "intervals_ms": INTERVALS,
           "bisection": REL_TOL,
           "mrg_files_in_NEURON": neuron_points(Path(args.modeldb), args.nodes, args.dt, args.celsius)}
    for ch in ("mrg2002", "gaines2018"):
        res[f"neuromuscle_{ch}"] = neuromuscle_points(args.nodes, ch, args.celsius)
    res["wall_s"] = time.perf_counter() - t0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "mrg_source_check.json").write_text(json.dumps(res, indent=1))
    if not args.no_docs:
        (ROOT / "docs" / "models" / "data" / "mrg_source_check.md").write_text(table(res))
    print(table(res))
    return res


if __name__ == "__main__":
    main()
