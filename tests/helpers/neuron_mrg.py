"""Build the MRG/Gaines motor axon of :func:`neuromuscle.motor_axon_myelinated` in NEURON.

The channels come from this package's own NMODL files (``tests/validation/neuron_mods``),
written from the published equations; geometry and densities are read from the neuromuscle
model, so both simulators run one parameter set. NEURON's ``extracellular`` mechanism gives
the double cable (``xraxial``, ``xg``, ``xc``), as in the MRG hoc code.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path

import numpy as np

MODS = Path(__file__).resolve().parents[1] / "validation" / "neuron_mods"
_LOADED: dict[str, bool] = {}


def compile_mods(workdir: Path) -> None:
    """Compile the NMODL files with nrnivmodl in ``workdir`` and load them (once per process)."""
    from neuron import h

    if _LOADED.get("done"):
        return
    for f in MODS.glob("*.mod"):
        shutil.copy(f, workdir / f.name)
    nrnivmodl = shutil.which("nrnivmodl") or str(Path(__import__("sys").executable).parent / "nrnivmodl")
    subprocess.run([nrnivmodl, "."], cwd=workdir, check=True, capture_output=True, timeout=600)
    lib = next(workdir.glob("*/libnrnmech.so"), None) or next(workdir.glob("*/.libs/libnrnmech.so"))
    h.nrn_load_dll(str(lib))
    _LOADED["done"] = True


class NeuronAxon:
    """The cable of ``model`` (a neuromuscle myelinated axon) as NEURON sections."""

    def __init__(self, model, extracellular: bool = True, params: dict | None = None):
        """``params``: parameter overrides whose reversal potentials (per compartment: E_Na, E_K,
        the leak's and HCN's) every section then takes from the model; default the published
        +50, -90, -90 (MRG 2002: -80 internodal) and -54.9 mV."""
        from neuron import h

        from neuromuscle.models.myelinated_axon import _sections

        h.load_file("stdrun.hoc")
        self.h = h
        geo = model.geometry
        pv = {k: model.parameters[k].value for k in model.parameter_names}
        h.celsius = pv["celsius"]
        # the gating shift is computed by the model's surface-charge component
        pvec = model.parameter_vector(params) if params is not None else None
        shift = float(np.ravel(model.observables(0.0, model.initial_state, pvec)["dV_surface"])[0])
        mrg2002 = getattr(model, "channels", "gaines2018") == "mrg2002"
        # MRG 2002: alpha_m offset 21.4 mV and internodal e_pas -80 mV (Gaines: 20.4 and -90)
        am_b, e_inter = (21.4, -80.0) if mrg2002 else (20.4, -90.0)
        secs = _sections(geo, model.n_nodes)
        rev = None
        if params is not None:
            obs = model.observables(0.0, model.initial_state, pvec)
            rev = {k: np.broadcast_to(np.asarray(obs[k], dtype=float), (len(secs),))
                   for k in ("E_Na", "E_K", "E_L", "E_h", "E_pas") if k in obs}
            rev["E_inter"] = rev["E_pas"] if mrg2002 else rev["E_L"]
        self.sections = []
        rhoa = 0.7e6  # Ohm um
        nl = geo.lamellae
        for k, (kind, L, diam, d_ax, width) in enumerate(secs):
            sec = h.Section(name=f"{kind}{k}")
            sec.nseg = 1
            sec.L, sec.diam = L, diam
            sec.Ra = rhoa / 1e4 * (diam / d_ax) ** 2
            sec.cm = 2.0 if kind == "node" else 2.0 * d_ax / diam
            seg = sec(0.5)
            if extracellular:
                sec.insert("extracellular")
                seg.xraxial[0] = rhoa * 0.01 / (math.pi * ((d_ax / 2 + width) ** 2 - (d_ax / 2) ** 2))
            if kind == "node":
                if extracellular:
                    seg.xg[0], seg.xc[0] = 1e10, 0.0
                sec.insert("nmgnode")
                mech = seg.nmgnode
                mech.gnaf = pv["naf.g"] * 1e-3
                mech.gnap = pv["nap.g"] * 1e-3
                mech.gks = pv["ks.g_node"] * 1e-3
                mech.gkf = pv["kf.g_node"] * 1e-3
                mech.gl = pv["leak.g_node"] * 1e-3
            else:
                if extracellular:
                    seg.xg[0], seg.xc[0] = 0.001 / (2 * nl), 0.1 / (2 * nl)
                sec.insert("nmginter")
                mech = seg.nmginter
                mech.gks = pv[f"ks.g_{kind}"] * 1e-3
                mech.gkf = pv[f"kf.g_{kind}"] * 1e-3
                mech.gq = pv[f"hcn.g_{kind}"] * 1e-3
                mech.gl = pv[f"leak.g_{kind}"] * 1e-3
                mech.vq = pv["hcn.v_half"]
                mech.eq = -54.9
            mech.ek = -90.0 if rev is None else rev["E_K"][k]
            mech.el = (-90.0 if kind == "node" else e_inter) if rev is None else (
                rev["E_L"] if kind == "node" else rev["E_inter"])[k]
            mech.shift = shift
            if kind == "node":
                mech.ena = 50.0 if rev is None else rev["E_Na"][k]
                mech.amB = am_b
            elif rev is not None:
                mech.eq = rev["E_h"][k]
            if self.sections:
                sec.connect(self.sections[-1](1.0), 0.0)
            self.sections.append(sec)
        self.nodes = [self.sections[11 * i] for i in range(model.n_nodes)]
        self.stim_node = model.stim_node
        # backward Euler: with the extracellular mechanism, secondorder = 2 converges to a different
        # solution (it disagrees with secondorder = 0 at any dt, and so with LSODA)
        self.secondorder = 0

    def spike_recorders(self):
        """One NetCon (threshold 0 mV) per node recording its spike times: ``(netcons, vectors)``.

        Keep the NetCons referenced for as long as the vectors should record."""
        h = self.h
        ncs, vecs = [], []
        for node in self.nodes:
            nc = h.NetCon(node(0.5)._ref_v, None, sec=node)
            nc.threshold = 0.0
            tv = h.Vector()
            nc.record(tv)
            ncs.append(nc)
            vecs.append(tv)
        return ncs, vecs

    def run(self, pulses, t_stop, v_init, dt=0.001, record_dt=None):
        """Square current pulses ``[(onset ms, duration ms, nA)]`` at the stimulated node.

        Returns spike times (upward 0 mV crossings) per node and, with ``record_dt``, the
        sampled potential of every node.
        """
        h = self.h
        seg = self.nodes[self.stim_node](0.5)
        stims = []
        for onset, dur, amp in pulses:
            st = h.IClamp(seg)
            st.delay, st.dur, st.amp = onset, dur, amp
            stims.append(st)
        # fixed step (the cross-checks compare at a known dt; benchmarks/bench_myelinated_axon.py
        # also runs this axon under CVODE, which handles the nodes' xg = 1e10, xc = 0 layer there)
        h.CVode().active(0)
        h.secondorder = self.secondorder
        h.dt = dt
        ncs, vecs = self.spike_recorders()
        traces = [h.Vector().record(n(0.5)._ref_v, record_dt) for n in self.nodes] if record_dt else None
        h.finitialize(v_init)
        h.continuerun(t_stop)
        spikes = [np.array(v) for v in vecs]
        return spikes, (np.array([np.array(t) for t in traces]) if traces else None)


def run_extracellular(axon: NeuronAxon, potential, onset, duration, amp_uA, t_stop, v_init, dt=0.0005):
    """A square electrode-current pulse as ``e_extracellular = amp * potential`` on every section
    (``potential``: mV per uA, one value per section); spike times per node."""
    h = axon.h
    h.CVode().active(0)
    h.secondorder = axon.secondorder
    h.dt = dt
    ncs, vecs = axon.spike_recorders()

    def set_e(scale):
        for sec, ve in zip(axon.sections, potential):
            sec(0.5).e_extracellular = scale * ve

    set_e(0.0)
    h.finitialize(v_init)
    h.continuerun(onset)
    set_e(amp_uA)
    h.continuerun(onset + duration)
    set_e(0.0)
    h.continuerun(t_stop)
    return [np.array(v) for v in vecs]


class RecoveryCycle:
    """Threshold tracking of a NEURON cable: 1 ms (or ``width``) test pulses at node ``stim``,
    an action potential counted when node ``record`` crosses 0 mV; log-scale bisection.

    The cable is initialised at ``v_init``, run for ``settle`` ms to its rest, and that state
    saved (``SaveState``); a recovery cycle runs the conditioning pulse once, saves the state
    at each test time, and bisects each test threshold from its saved state.
    """

    def __init__(self, h, nodes, stim: int, record: int, v_init: float, settle: float = 50.0,
                 rel_tol: float = 0.005):
        self.h, self.nodes, self.stim, self.rel_tol = h, nodes, stim, rel_tol
        self.test = h.IClamp(nodes[stim](0.5))
        self.cond = h.IClamp(nodes[stim](0.5))
        for c in (self.test, self.cond):
            c.amp, c.dur, c.delay = 0.0, 0.0, 0.0
        self.spikes = h.Vector()
        self.nc = h.NetCon(nodes[record](0.5)._ref_v, None, sec=nodes[record])
        self.nc.threshold = 0.0
        self.nc.record(self.spikes)
        # potential of the stimulated and recorded nodes every 0.01 ms (afterpotentials)
        self.v_stim = h.Vector().record(nodes[stim](0.5)._ref_v, 0.01)
        self.v_record = h.Vector().record(nodes[record](0.5)._ref_v, 0.01)
        self.t_rec = h.Vector().record(h._ref_t, 0.01)
        h.finitialize(v_init)
        h.continuerun(settle)
        self.t0 = h.t
        self.v_rest = nodes[stim](0.5).v
        self.v_rest_record = nodes[record](0.5).v
        self.rest = h.SaveState()
        self.rest.save()

    def fires(self, state, at: float, amp: float, width: float) -> bool:
        """From ``state``, does a test pulse (nA) at ``at`` ms after t0 reach the recorded node?"""
        h = self.h
        state.restore()
        self.test.delay, self.test.dur, self.test.amp = self.t0 + at, width, amp
        self.spikes.resize(0)
        h.continuerun(self.t0 + at + width + 2.5)
        self.test.amp = 0.0
        return any(t > self.t0 + at for t in self.spikes)

    def threshold(self, state=None, at: float = 0.0, width: float = 1.0, guess: float = 0.5) -> float:
        """Threshold (nA) to ``rel_tol`` (the geometric midpoint of the final bracket)."""
        state = self.rest if state is None else state
        lo, hi = guess / 1.15, guess * 1.15
        while not self.fires(state, at, hi, width):
            lo, hi = hi, hi * 1.6
        while self.fires(state, at, lo, width):
            hi, lo = lo, lo / 1.6
        while hi / lo > 1 + self.rel_tol:
            mid = math.sqrt(lo * hi)
            lo, hi = (lo, mid) if self.fires(state, at, mid, width) else (mid, hi)
        return math.sqrt(lo * hi)

    def conditioned(self, amp: float, width: float, intervals, tail: float = 0.0):
        """States at ``intervals`` (ms from the conditioning onset) after one conditioning pulse;
        also the afterpotential traces ``(t, V_stim, V_record)`` (ms from onset, mV) up to
        ``max(intervals) + tail``."""
        h = self.h
        self.rest.restore()
        for v in (self.v_stim, self.v_record, self.t_rec):
            v.resize(0)
        self.cond.delay, self.cond.dur, self.cond.amp = self.t0, width, amp
        states = []
        for iv in intervals:
            h.continuerun(self.t0 + iv)
            s = h.SaveState()
            s.save()
            states.append(s)
        h.continuerun(self.t0 + max(intervals) + tail)
        self.cond.amp = 0.0
        trace = (np.array(self.t_rec) - self.t0, np.array(self.v_stim), np.array(self.v_record))
        return states, trace

    def recovery_cycle(self, intervals, width: float = 1.0, factor: float = 2.0):
        """Threshold change (%) at ``intervals`` after a ``factor`` x threshold conditioning pulse,
        and the unconditioned threshold (nA)."""
        thr = self.threshold(width=width)
        states, _ = self.conditioned(factor * thr, width, intervals)
        out, guess = [], factor * thr
        for iv, s in zip(intervals, states):
            guess = self.threshold(s, iv, width, guess)
            out.append(100.0 * (guess - thr) / thr)
        return np.array(out), thr
