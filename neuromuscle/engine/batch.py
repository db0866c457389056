"""Many cells at once on the compiled Dormand-Prince engine.

:func:`simulate_batch` integrates one model for many parameter sets (and/or stimulus
amplitudes) in compiled code, one cell after another on one core; parallelism across
cores comes from running batches in several processes (:mod:`neuromuscle.sweep`).
"""

from __future__ import annotations

import time as _time
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .._validate import check_range
from ..model import Model
from ..protocols import NoStimulus, Protocol
from ..steady import resting_state
from . import dopri
from .compile import compiled_rhs

__all__ = ["BatchResult", "simulate_batch", "kernels", "segments"]

_KERNELS: dict = {}


def kernels(model: Model):
    """Compiled ``(integrate_cell, integrate_batch)`` for ``model`` (cached)."""
    rhs = compiled_rhs(model)
    if rhs not in _KERNELS:
        _KERNELS[rhs] = dopri.make_kernels(rhs)
    return _KERNELS[rhs]


def segments(protocol: Protocol, t_end: float, t_start: float = 0.0, scale=None):
    """Integration segments between protocol breakpoints.

    Returns ``seg_a, seg_b, seg_t0`` (ms) and per-cell stimulus values ``C, S`` of shape
    ``(n_cells, n_segments)``: on segment k the stimulus is ``C[:, k] + S[:, k] (t - seg_t0[k])``.
    ``scale`` (one factor per cell) multiplies the protocol's amplitude.
    """
    a, b, t0, c_seg, s_seg = protocol.segments(t_end, t_start)
    scale = np.ones(1) if scale is None else np.atleast_1d(np.asarray(scale, dtype=float))
    return a, b, t0, scale[:, None] * c_seg[None, :], scale[:, None] * s_seg[None, :]


@dataclass
class BatchResult:
    """Outcome of :func:`simulate_batch` for ``n`` cells.

    Attributes
    ----------
    p : ndarray
        Parameters, shape ``(n_parameters, n)``.
    amplitude : ndarray
        Stimulus scale per cell, shape ``(n,)``.
    status : ndarray of int
        Per cell: 0 reached ``t_end``; 1 reached it with more spikes than ``max_spikes``;
        2 stopped because the problem became stiff; negative: failed (see ``messages``).
    t_reached : ndarray
        Time each cell reached, ms.
    n_spikes : ndarray of int
    spike_buffer : ndarray
        Spike times, ms, shape ``(n, max_spikes)``; row k valid up to ``n_spikes[k]``.
    final_state : ndarray
        Shape ``(n_states, n)``.
    sample_t, samples :
        Uniform output grid (ms) and states there, shape ``(n, n_samples, n_states)``,
        if ``dt`` was given; else empty.
    n_steps, n_fev : ndarray of int
    wall_time : float
        Seconds of integration (excluding compilation).
    """

    model: Model
    protocol: Protocol
    p: np.ndarray
    amplitude: np.ndarray
    t_end: float
    status: np.ndarray
    t_reached: np.ndarray
    n_spikes: np.ndarray
    spike_buffer: np.ndarray
    final_state: np.ndarray
    sample_t: np.ndarray
    samples: np.ndarray
    n_steps: np.ndarray
    n_fev: np.ndarray
    rtol: float
    atol: float
    wall_time: float = 0.0
    compile_time: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.status.size

    def spike_times(self, k: int) -> np.ndarray:
        """Spike times of cell ``k``, ms."""
        return self.spike_buffer[k, : min(self.n_spikes[k], self.spike_buffer.shape[1])].copy()

    @property
    def success(self) -> np.ndarray:
        return self.status >= 0

    @property
    def messages(self) -> list[str]:
        own = self.extra.get("messages", {})
        return [own.get(k) or dopri.STATUS_TEXT.get(int(s), f"status {s}") for k, s in enumerate(self.status)]

    def trace(self, name: str, k: int) -> np.ndarray:
        """Sampled trace of state ``name`` for cell ``k`` (needs ``dt``)."""
        if self.samples.shape[1] == 0:
            raise ValueError("no samples were recorded: pass dt= to simulate_batch")
        return self.samples[k, :, self.model.state_index[name]]


def simulate_batch(
    model: Model,
    protocol: Protocol | None = None,
    t_end: float = 100.0,
    *,
    params: Mapping[str, object] | np.ndarray | None = None,
    amplitude=None,
    y0=None,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    max_step: float = np.inf,
    dt: float | None = None,
    spike_threshold: float = 0.0,
    max_spikes: int = 2000,
    max_steps: int = 10_000_000,
    stiff_check: bool = False,
) -> BatchResult:
    """Integrate ``model`` for many parameter sets at once on the compiled engine.

    Parameters
    ----------
    model : Model
    protocol : Protocol, optional
        Stimulus shape, shared by all cells; ``amplitude`` scales it per cell.
    t_end : float
        ms.
    params : mapping or ndarray, optional
        ``{"name": array}`` (arrays broadcast to one batch) or a full parameter matrix of
        shape ``(n_parameters, n)``.
    amplitude : array_like, optional
        Per-cell factor on the protocol's current (default 1).
    y0 : ndarray, optional
        ``(n_states,)`` or ``(n_states, n)``. Default: each cell's resting state with no
        stimulus (computed once per distinct parameter set).
    rtol, atol, max_step, spike_threshold :
        As in :func:`neuromuscle.simulate`.
    dt : float, optional
        Record all states every ``dt`` ms (memory ``n * t_end/dt * n_states`` floats).
    max_spikes : int
        Spike-time buffer per cell.
    max_steps : int
        Step limit per cell.
    stiff_check : bool
        Stop a cell with status 2 when Hairer's stiffness test fires (off by default: the test
        also fires where a resting cell's step is limited by stability, which is cheap).

    Notes
    -----
    Models declared stiff (the muscle fibre, the fibre with EC coupling) are not integrated
    by the explicit method, whose step their fastest time constants would limit: each cell
    runs on SciPy's LSODA with the compiled right-hand side, one after another, as
    :func:`neuromuscle.simulate` does on its default engine. ``max_steps`` and
    ``stiff_check`` then do not apply; ``n_steps`` counts LSODA's output steps, and a cell
    LSODA fails on has status -4 with LSODA's message in ``messages``.
    """
    t_end = float(check_range("t_end", t_end, 0.0, 1e9, "ms", low_inclusive=False))
    check_range("rtol", rtol, 1e-14, 1e-1)
    check_range("atol", atol, 1e-16, 1.0)
    protocol = protocol or NoStimulus()
    if isinstance(params, np.ndarray) and params.ndim == 2:
        P = np.asarray(params, dtype=float)
        if P.shape[0] != len(model.parameter_names):
            raise ValueError(
                f"params matrix has {P.shape[0]} rows; the model has {len(model.parameter_names)} parameters"
            )
    else:
        P = model.parameter_vector(params)
    amp = np.ones(1) if amplitude is None else np.atleast_1d(np.asarray(amplitude, dtype=float))
    n = int(np.broadcast_shapes(P.shape[1:] or (1,), amp.shape)[0]) if P.ndim > 1 else amp.size
    P = np.ascontiguousarray(np.broadcast_to(P.reshape(P.shape[0], -1), (P.shape[0], n)))
    amp = np.broadcast_to(amp, (n,)).copy()
    ns = len(model.state_names)
    if y0 is None:
        Y = np.empty((ns, n))
        cols, inverse = np.unique(P, axis=1, return_inverse=True)
        rests = np.column_stack([resting_state(model, cols[:, j]).y for j in range(cols.shape[1])])
        Y[:] = rests[:, np.ravel(inverse)]
    else:
        Y = np.array(np.broadcast_to(np.asarray(y0, dtype=float).reshape(ns, -1), (ns, n)))
    # fresh, writable, C-ordered arrays: the warm-up compile below then matches the real
    # call's array types exactly (a read-only view would trigger a second compilation)
    Pfull = np.array(model.full_parameters(P), dtype=float, order="C")
    a, b, t0, C, S = segments(protocol, t_end, scale=amp)
    C = np.array(np.broadcast_to(C, (n, a.size)), dtype=float, order="C")
    S = np.array(np.broadcast_to(S, (n, a.size)), dtype=float, order="C")
    sample_t = np.arange(0.0, t_end + 0.5 * dt, dt) if dt else np.empty(0)
    samples = np.empty((n, sample_t.size, ns))
    spikes = np.full((n, max(int(max_spikes), 1)), np.nan)
    status = np.zeros(n, dtype=np.int64)
    t_reached = np.zeros(n)
    n_spikes = np.zeros(n, dtype=np.int64)
    n_steps = np.zeros(n, dtype=np.int64)
    n_fev = np.zeros(n, dtype=np.int64)
    if model.stiff:
        return _batch_stiff(model, protocol, t_end, P, amp, Y, Pfull, rtol, atol, max_step, dt, sample_t, samples,
                            spike_threshold, spikes, status, t_reached, n_spikes, n_steps, n_fev)
    c0 = _time.perf_counter()
    _, integrate_batch = kernels(model)
    iv = model.state_index["V"]
    args = (a, b, t0, C, S, float(rtol), float(atol), float(max_step), iv, float(spike_threshold))
    if not getattr(integrate_batch, "_nm_warm", False):
        # compile once on a one-cell copy, so the timing below measures integration only
        integrate_batch(Y[:, :1].copy(), Pfull[:, :1].copy(), a, b, t0, C[:1], S[:1], *args[5:], spikes[:1].copy(),
                        sample_t, samples[:1].copy(), 1, stiff_check, status[:1].copy(), t_reached[:1].copy(),
                        n_spikes[:1].copy(), n_steps[:1].copy(), n_fev[:1].copy())
        integrate_batch._nm_warm = True
    compile_time = _time.perf_counter() - c0
    start = _time.perf_counter()
    integrate_batch(Y, Pfull, *args, spikes, sample_t, samples, int(max_steps), bool(stiff_check),
                    status, t_reached, n_spikes, n_steps, n_fev)
    wall = _time.perf_counter() - start
    return BatchResult(
        model=model, protocol=protocol, p=P, amplitude=amp, t_end=t_end, status=status, t_reached=t_reached,
        n_spikes=n_spikes, spike_buffer=spikes, final_state=Y, sample_t=sample_t, samples=samples,
        n_steps=n_steps, n_fev=n_fev, rtol=rtol, atol=atol, wall_time=wall, compile_time=compile_time,
    )


#: Status of a stiff-model cell that LSODA failed on (its message is in ``BatchResult.messages``)
LSODA_FAILED = -4


class _Scaled:
    """``protocol`` with its current multiplied by ``factor`` (the per-cell amplitude)."""

    def __init__(self, protocol: Protocol, factor: float):
        self.protocol, self.factor = protocol, factor

    def segments(self, t_end, t_start=0.0):
        a, b, t0, c, s = segments(self.protocol, t_end, t_start, scale=self.factor)
        return a, b, t0, c[0], s[0]


def _batch_stiff(model, protocol, t_end, P, amp, Y, Pfull, rtol, atol, max_step, dt, sample_t, samples,
                 spike_threshold, spikes, status, t_reached, n_spikes, n_steps, n_fev) -> BatchResult:
    """Cells of a stiff model one after another on LSODA with the compiled right-hand side;
    fills the per-cell arrays :func:`simulate_batch` allocated."""
    from ..simulation import _integrate_scipy

    c0 = _time.perf_counter()
    rhs = compiled_rhs(model)
    compile_time = _time.perf_counter() - c0
    n = P.shape[1]
    messages = {}
    start = _time.perf_counter()
    for k in range(n):
        y0 = Y[:, k].copy()
        try:
            t, Yk, spk, counters, st, message = _integrate_scipy(
                model, _Scaled(protocol, float(amp[k])), np.ascontiguousarray(Pfull[:, k]), y0, 0.0, t_end,
                "LSODA", rtol, atol, max_step, dt, spike_threshold, rhs=rhs,
            )
        except (ValueError, ArithmeticError) as exc:  # e.g. a non-finite start: this cell fails, the batch goes on
            status[k], messages[k] = LSODA_FAILED, f"failed: {exc}"
            samples[k] = np.nan
            continue
        t_full = np.concatenate([[0.0], t])
        Y_full = np.concatenate([y0[:, None], Yk], axis=1)
        t_reached[k] = t_full[-1]
        Y[:, k] = Y_full[:, -1]
        n_spikes[k] = spk.size
        m = min(spk.size, spikes.shape[1])
        spikes[k, :m] = spk[:m]
        n_steps[k], n_fev[k] = t.size, counters[0]
        if st != 0:
            status[k] = LSODA_FAILED
            messages[k] = f"failed: {message}"
        elif spk.size > spikes.shape[1]:
            status[k] = dopri.SPIKE_BUFFER_FULL
        if sample_t.size:
            reached = sample_t <= t_reached[k]
            for j in range(Y_full.shape[0]):
                samples[k, reached, j] = np.interp(sample_t[reached], t_full, Y_full[j])
            samples[k, ~reached, :] = np.nan
    wall = _time.perf_counter() - start
    return BatchResult(
        model=model, protocol=protocol, p=P, amplitude=amp, t_end=t_end, status=status, t_reached=t_reached,
        n_spikes=n_spikes, spike_buffer=spikes, final_state=Y, sample_t=sample_t, samples=samples,
        n_steps=n_steps, n_fev=n_fev, rtol=rtol, atol=atol, wall_time=wall, compile_time=compile_time,
        extra={"messages": messages, "method": "LSODA (compiled equations), one cell at a time"},
    )
