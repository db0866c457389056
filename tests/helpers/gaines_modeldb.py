"""Check the myelinated axon against the authors' own Gaines et al. (2018) NEURON files.

ModelDB 243841 (Gaines, Finn, Slopsema, Heyboer & Polasek 2018, J Comput Neurosci 45:29)
holds ``motor_final.hoc`` and the channel files ``{node,mysa,flut,stin}_motor.mod``. This
script compiles those .mod files (from a directory the user supplies: they are not part of
this package), builds the cable as ``motor_final.hoc`` does (fibre 10 um; sections,
diameters, ``Ra``, ``cm``, ``xraxial``, ``xg``, ``xc`` from the hoc's formulas; celsius 37;
``v_init`` -85.9411 mV and the hoc's 50 ms before any stimulus), injects current at the
middle node and detects the action potential 3 nodes further on, as
:func:`neuromuscle.analysis.threshold_tracking.tracking_axon` does. It measures the same
points of the battery (1 and 0.2 ms thresholds and tau_SD by Weiss's line, TEd at 40 and
60 ms of a +40 % current, recovery cycle at 2, 5, 6.3 and 7.9 ms after a 2 x threshold
conditioning pulse), bisected to 0.5 %, and runs the same points on the neuromuscle model.

Run: ``PYTHONPATH=. python tests/helpers/gaines_modeldb.py DIR [--nodes 11] [--dt 0.0025]``
with ``DIR`` a copy of ModelDB 243841; writes ``figures/gaines_source_check/gaines_source_check.json``
and the table ``docs/models/data/gaines_source_check.md`` that docs/models/myelinated_axon.md
includes.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
DELAYS = (40.0, 60.0)
INTERVALS = (2.0, 5.0, 6.3, 7.9)
REL_TOL = 0.005


def build(modeldb: Path, workdir: Path, n_nodes: int, dt: float, fibre_diameter: float = 10.0):
    """The hoc's cable in NEURON with the authors' mechanisms; returns (h, nodes)."""
    from neuron import h

    for name in ("node_motor", "mysa_motor", "flut_motor", "stin_motor"):
        shutil.copy(modeldb / f"{name}.mod", workdir / f"{name}.mod")
    nrnivmodl = shutil.which("nrnivmodl") or str(Path(sys.executable).parent / "nrnivmodl")
    subprocess.run([nrnivmodl, "."], cwd=workdir, check=True, capture_output=True, timeout=600)
    h.nrn_load_dll(str(next(workdir.glob("*/libnrnmech.so"))))
    h.load_file("stdrun.hoc")
    h.celsius, h.dt = 37.0, dt
    h.steps_per_ms = 1.0 / dt
    D = fibre_diameter
    rhoa, mycm, mygm = 0.7e6, 0.1, 0.001  # Ohm um, uF/cm2 and S/cm2 per lamella membrane
    axon_d, node_d, para_d1 = 0.889 * D - 1.9104, 0.3449 * D - 0.1484, 0.3527 * D - 0.1804
    deltax, flut_l, nl = 969.3 * math.log(D) - 1144.6, 2.5811 * D + 19.59, 65.897 * math.log(D) - 32.666
    stin_l = (deltax - 1.0 - 2 * 3.0 - 2 * flut_l) / 6

    def rp(d, w):  # periaxonal resistance per length, MOhm/cm
        return rhoa * 0.01 / (math.pi * ((d / 2 + w) ** 2 - (d / 2) ** 2))

    def section(name, L, diam, d_ax, mech, width, node=False):
        s = h.Section(name=name)
        s.nseg, s.L, s.diam = 1, L, diam
        s.Ra = rhoa * (1 / (d_ax / diam) ** 2) / 1e4
        s.cm = 2.0 if node else 2.0 * d_ax / diam
        s.insert(mech)
        s.insert("extracellular")
        seg = s(0.5)
        seg.xraxial[0] = rp(d_ax, width)
        seg.xg[0], seg.xc[0] = (1e10, 0.0) if node else (mygm / (2 * nl), mycm / (2 * nl))
        seg.e_extracellular = 0.0
        return s

    nodes = [section(f"node{i}", 1.0, node_d, node_d, "node_motor", 0.002, node=True) for i in range(n_nodes)]
    keep = []
    for i in range(n_nodes - 1):
        chain = [section(f"mysa{i}a", 3.0, D, para_d1, "mysa_motor", 0.002),
                 section(f"flut{i}a", flut_l, D, axon_d, "flut_motor", 0.004)]
        chain += [section(f"stin{i}_{k}", stin_l, D, axon_d, "stin_motor", 0.004) for k in range(6)]
        chain += [section(f"flut{i}b", flut_l, D, axon_d, "flut_motor", 0.004),
                  section(f"mysa{i}b", 3.0, D, para_d1, "mysa_motor", 0.002)]
        prev = nodes[i]
        for s in chain:
            s.connect(prev(1), 0)
            prev = s
        nodes[i + 1].connect(prev(1), 0)
        keep += chain
    return h, nodes, keep


class Battery:
    """Threshold searches on the NEURON cable (currents in nA at the middle node)."""

    def __init__(self, h, nodes):
        self.h = h
        stim = len(nodes) // 2
        self.clamps = [h.IClamp(nodes[stim](0.5)) for _ in range(3)]  # test, conditioning, polarising
        self.spikes = h.Vector()
        self.nc = h.NetCon(nodes[stim + 3](0.5)._ref_v, None, sec=nodes[stim + 3])
        self.nc.threshold = 0.0
        self.nc.record(self.spikes)
        h.finitialize(-85.9411)
        h.continuerun(50.0)  # motor_final.hoc: 50 ms before the stimulus
        self.t0 = h.t
        self.v_rest = nodes[stim].v
        self.state = h.SaveState()
        self.state.save()

    def fires(self, amp, width, at, cond=None, bg=None):
        h, t0 = self.h, self.t0
        self.state.restore()
        for c in self.clamps:
            c.amp = c.dur = 0.0
            c.delay = t0
        test, c2, c3 = self.clamps
        test.delay, test.dur, test.amp = t0 + at, width, amp
        if cond:
            c2.dur, c2.amp = cond[1], cond[0]
        if bg:
            c3.dur, c3.amp = bg[1], bg[0]
        self.spikes.resize(0)
        h.continuerun(t0 + at + width + 2.5)
        return any(t > t0 + at for t in self.spikes)

    def threshold(self, width, at=0.0, guess=0.7, **kw):
        lo, hi = guess / 1.15, guess * 1.15
        while not self.fires(hi, width, at, **kw):
            lo, hi = hi, hi * 1.6
        while self.fires(lo, width, at, **kw):
            hi, lo = lo, lo / 1.6
        while hi / lo > 1 + REL_TOL:
            mid = math.sqrt(lo * hi)
            lo, hi = (lo, mid) if self.fires(mid, width, at, **kw) else (mid, hi)
        return math.sqrt(lo * hi)


def neuron_points(modeldb: Path, n_nodes: int, dt: float) -> dict:
    import tempfile

    h, nodes, _keep = build(modeldb, Path(tempfile.mkdtemp()), n_nodes, dt)
    b = Battery(h, nodes)
    t1 = b.threshold(1.0)
    t02 = b.threshold(0.2, guess=3 * t1)
    slope, intercept = np.polyfit([0.2, 1.0], [0.2 * t02, 1.0 * t1], 1)
    out = {"v_rest_stim_node_mV": b.v_rest, "threshold_1ms_nA": t1, "tau_SD": intercept / slope}
    out["TEd"] = [100 * (t1 - b.threshold(1.0, d, 0.7 * t1, bg=(0.4 * t1, 100.0))) / t1 for d in DELAYS]
    out["RC"] = [100 * (b.threshold(1.0, iv, 1.2 * t1, cond=(2 * t1, 1.0)) - t1) / t1 for iv in INTERVALS]
    return out


def neuromuscle_points(n_nodes: int) -> dict:
    import neuromuscle as nm
    from neuromuscle.analysis.threshold_tracking import TrackingProtocol, threshold_tracking, tracking_axon

    proto = TrackingProtocol(sd_widths=(0.2, 1.0), te_delays=DELAYS, iv_currents=(), rc_intervals=INTERVALS,
                             rel_tol=REL_TOL, name="source check")
    axon = tracking_axon(n_nodes=n_nodes)
    ds = threshold_tracking(axon, protocol=proto, parts=("sd", "te", "rc"))
    rest = nm.simulate(axon, None, 1e-3).y[:, 0]
    a, _, c = axon.array_states["V"]
    return {"v_rest_stim_node_mV": float(rest[a + c * axon.node_compartments[axon.stim_node]]),
            "threshold_1ms_nA": float(ds["threshold_1ms"]) * axon.stim_area_cm2 * 1e3,
            "tau_SD": float(ds["tau_SD"]), "TEd": [float(x) for x in ds["te"].values[0]],
            "RC": [float(x) for x in ds["rc"].values], "engine": ds.attrs["engine"]}


def main(argv=None) -> dict:
    import argparse

    p = argparse.ArgumentParser(description=__doc__.strip().split("\n")[0])
    p.add_argument("modeldb", help="folder with the ModelDB 243841 files (node_motor.mod, ...)")
    p.add_argument("--nodes", type=int, default=11)
    p.add_argument("--dt", type=float, default=0.0025, help="NEURON fixed step, ms (the hoc uses 0.005)")
    p.add_argument("--out", default="figures/gaines_source_check")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    res = {"nodes": args.nodes, "neuron_dt_ms": args.dt, "delays_ms": DELAYS, "intervals_ms": INTERVALS,
           "bisection": REL_TOL, "authors_files_in_NEURON": neuron_points(Path(args.modeldb), args.nodes, args.dt)}
    res["neuromuscle"] = neuromuscle_points(args.nodes)
    res["wall_s"] = time.perf_counter() - t0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "gaines_source_check.json").write_text(json.dumps(res, indent=1))
    page = ROOT / "docs" / "models" / "data" / "gaines_source_check.md"
    page.write_text(table(res))
    print(json.dumps(res, indent=1))
    return res


def table(res: dict) -> str:
    """The comparison as a Markdown table."""
    a, b = res["authors_files_in_NEURON"], res["neuromuscle"]
    rows = [("resting potential, stimulated node (mV)", a["v_rest_stim_node_mV"], b["v_rest_stim_node_mV"]),
            ("1 ms threshold (nA)", a["threshold_1ms_nA"], b["threshold_1ms_nA"]),
            ("tau_SD, 0.2 and 1 ms (ms)", a["tau_SD"], b["tau_SD"])]
    rows += [(f"TEd at {d:g} ms (%)", x, y) for d, x, y in zip(res["delays_ms"], a["TEd"], b["TEd"])]
    rows += [(f"recovery cycle at {i:g} ms (%)", x, y) for i, x, y in zip(res["intervals_ms"], a["RC"], b["RC"])]
    lines = ["<!-- written by tests/helpers/gaines_modeldb.py from gaines_source_check.json; do not edit -->", "",
             f"{res['nodes']}-node axon, fibre 10 um, normal plasma, 37 C; stimulus at the middle node, "
             f"detection 3 nodes on; bisection to {100 * res['bisection']:g} %; NEURON fixed step "
             f"{res['neuron_dt_ms']:g} ms, neuromuscle on its {b['engine']} engine.", "",
             "| quantity | authors' files in NEURON | neuromuscle |", "|---|---|---|"]
    lines += [f"| {name} | {x:.4g} | {y:.4g} |" for name, x, y in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
