"""Compiled Dormand-Prince 5(4) integrator for one cell or many (numba).

The method, error norm and step-size control follow SciPy's ``RK45`` (Dormand & Prince
1980, J Comput Appl Math 6:19; Hairer, Norsett & Wanner, Solving ODEs I, sec. II.4-5),
so the tolerances mean the same thing on both paths. Additions for cells:

* the stimulus is piecewise linear, and the integration restarts at every breakpoint
  (as on the SciPy path), so no pulse is stepped over;
* spikes are located on each accepted step by a cubic Hermite interpolant of V
  (4th-order local accuracy) and bisection;
* optional output sampled on a uniform grid by the same interpolant;
* Hairer's stiffness test (``h * |lambda| > 3.25`` on 15 accepted steps): the run stops
  with status :data:`STIFF` so the caller can continue with an implicit method.
"""

from __future__ import annotations

import numpy as np

__all__ = ["OK", "STEP_TOO_SMALL", "TOO_MANY_STEPS", "NOT_FINITE", "STIFF", "SPIKE_BUFFER_FULL", "make_kernels"]

OK = 0
STEP_TOO_SMALL = -1
TOO_MANY_STEPS = -2
NOT_FINITE = -3
STIFF = 2
SPIKE_BUFFER_FULL = 1  # completed, but more spikes occurred than the buffer holds

STATUS_TEXT = {
    OK: "reached t_end",
    SPIKE_BUFFER_FULL: "reached t_end; more spikes than max_spikes (extra spikes not stored)",
    STIFF: "stopped: the problem became stiff (Hairer's test); continue with an implicit method",
    STEP_TOO_SMALL: "failed: step size fell below the resolution of t",
    TOO_MANY_STEPS: "failed: more than max_steps steps",
    NOT_FINITE: "failed: a state became non-finite",
}

# Dormand-Prince 5(4) tableau
C2, C3, C4, C5 = 1 / 5, 3 / 10, 4 / 5, 8 / 9
A21 = 1 / 5
A31, A32 = 3 / 40, 9 / 40
A41, A42, A43 = 44 / 45, -56 / 15, 32 / 9
A51, A52, A53, A54 = 19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729
A61, A62, A63, A64, A65 = 9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656
B1, B3, B4, B5, B6 = 35 / 384, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84
E1, E3, E4, E5, E6, E7 = 71 / 57600, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40


def make_kernels(rhs):
    """Build the compiled single-cell and batch integrators for a compiled ``rhs``."""
    import numba

    from .compile import FASTMATH

    @numba.njit(cache=False, fastmath=FASTMATH)
    def _norm(x, scale):
        acc = 0.0
        for i in range(x.size):
            v = x[i] / scale[i]
            acc += v * v
        return np.sqrt(acc / x.size)

    @numba.njit(cache=False, fastmath=FASTMATH)
    def _hermite(theta, h, y0, f0, y1, f1):
        t2 = theta * theta
        t3 = t2 * theta
        h00 = 2 * t3 - 3 * t2 + 1
        h10 = t3 - 2 * t2 + theta
        h01 = -2 * t3 + 3 * t2
        h11 = t3 - t2
        return h00 * y0 + h10 * h * f0 + h01 * y1 + h11 * h * f1

    @numba.njit(cache=False, fastmath=FASTMATH)
    def integrate_cell(y, p, seg_a, seg_b, seg_t0, seg_c, seg_s, rtol, atol, max_step, iv, threshold,
                       spikes, sample_t, samples, max_steps, stiff_check):
        """Integrate one cell in place. Returns (status, t_reached, n_spikes, n_steps, n_fev)."""
        n = y.size
        k1 = np.empty(n)
        k2 = np.empty(n)
        k3 = np.empty(n)
        k4 = np.empty(n)
        k5 = np.empty(n)
        k6 = np.empty(n)
        k7 = np.empty(n)
        ytmp = np.empty(n)
        ynew = np.empty(n)
        ysti = np.empty(n)
        scale = np.empty(n)
        n_spikes = 0
        n_steps = 0
        n_fev = 0
        i_sample = 0
        n_samples = sample_t.size
        # samples at t = start of the run
        t = seg_a[0]
        while i_sample < n_samples and sample_t[i_sample] <= t:
            for j in range(n):
                samples[i_sample, j] = y[j]
            i_sample += 1
        iasti = 0
        nonsti = 0
        status = 0
        for seg in range(seg_a.size):
            a = seg_a[seg]
            b = seg_b[seg]
            c0 = seg_c[seg]
            s0 = seg_s[seg]
            t0 = seg_t0[seg]
            t = a
            rhs(t, y, p, c0 + s0 * (t - t0), k1)
            n_fev += 1
            # initial step of each segment: SciPy's select_initial_step (order 5)
            for j in range(n):
                scale[j] = atol + rtol * abs(y[j])
            d0 = _norm(y, scale)
            d1 = _norm(k1, scale)
            h0 = 1e-6 if (d0 < 1e-5 or d1 < 1e-5) else 0.01 * d0 / d1
            h0 = min(h0, b - a)
            for j in range(n):
                ytmp[j] = y[j] + h0 * k1[j]
            rhs(t + h0, ytmp, p, c0 + s0 * (t + h0 - t0), k2)
            n_fev += 1
            for j in range(n):
                k3[j] = k2[j] - k1[j]
            d2 = _norm(k3, scale) / h0
            dmax = max(d1, d2)
            h1 = max(1e-6, h0 * 1e-3) if dmax <= 1e-15 else (0.01 / dmax) ** 0.2
            h = min(100 * h0, h1, max_step)
            rejected = False
            while t < b:
                if n_steps >= max_steps:
                    return TOO_MANY_STEPS, t, n_spikes, n_steps, n_fev
                min_step = 10.0 * abs(np.nextafter(t, np.inf) - t)
                if h < min_step:
                    return STEP_TOO_SMALL, t, n_spikes, n_steps, n_fev
                last = False
                if t + h >= b:
                    h = b - t
                    last = True
                # stages
                for j in range(n):
                    ytmp[j] = y[j] + h * A21 * k1[j]
                tt = t + C2 * h
                rhs(tt, ytmp, p, c0 + s0 * (tt - t0), k2)
                for j in range(n):
                    ytmp[j] = y[j] + h * (A31 * k1[j] + A32 * k2[j])
                tt = t + C3 * h
                rhs(tt, ytmp, p, c0 + s0 * (tt - t0), k3)
                for j in range(n):
                    ytmp[j] = y[j] + h * (A41 * k1[j] + A42 * k2[j] + A43 * k3[j])
                tt = t + C4 * h
                rhs(tt, ytmp, p, c0 + s0 * (tt - t0), k4)
                for j in range(n):
                    ytmp[j] = y[j] + h * (A51 * k1[j] + A52 * k2[j] + A53 * k3[j] + A54 * k4[j])
                tt = t + C5 * h
                rhs(tt, ytmp, p, c0 + s0 * (tt - t0), k5)
                for j in range(n):
                    ysti[j] = y[j] + h * (A61 * k1[j] + A62 * k2[j] + A63 * k3[j] + A64 * k4[j] + A65 * k5[j])
                tt = t + h
                rhs(tt, ysti, p, c0 + s0 * (tt - t0), k6)
                for j in range(n):
                    ynew[j] = y[j] + h * (B1 * k1[j] + B3 * k3[j] + B4 * k4[j] + B5 * k5[j] + B6 * k6[j])
                rhs(tt, ynew, p, c0 + s0 * (tt - t0), k7)
                n_fev += 6
                finite = True
                for j in range(n):
                    scale[j] = atol + rtol * max(abs(y[j]), abs(ynew[j]))
                    ytmp[j] = h * (E1 * k1[j] + E3 * k3[j] + E4 * k4[j] + E5 * k5[j] + E6 * k6[j] + E7 * k7[j])
                    if not np.isfinite(ynew[j]):
                        finite = False
                err = _norm(ytmp, scale) if finite else np.inf
                if err <= 1.0:
                    # accepted: events and samples on [t, t + h]
                    if ynew[iv] >= threshold > y[iv]:
                        lo = 0.0
                        hi = 1.0
                        for _ in range(50):
                            mid = 0.5 * (lo + hi)
                            if _hermite(mid, h, y[iv], k1[iv], ynew[iv], k7[iv]) < threshold:
                                lo = mid
                            else:
                                hi = mid
                        if n_spikes < spikes.size:
                            spikes[n_spikes] = t + 0.5 * (lo + hi) * h
                        n_spikes += 1
                    while i_sample < n_samples and sample_t[i_sample] <= t + h:
                        theta = (sample_t[i_sample] - t) / h
                        for j in range(n):
                            samples[i_sample, j] = _hermite(theta, h, y[j], k1[j], ynew[j], k7[j])
                        i_sample += 1
                    if stiff_check:
                        stnum = 0.0
                        stden = 0.0
                        for j in range(n):
                            stnum += (k7[j] - k6[j]) ** 2
                            stden += (ynew[j] - ysti[j]) ** 2
                        if stden > 0.0 and h * np.sqrt(stnum / stden) > 3.25:
                            nonsti = 0
                            iasti += 1
                            if iasti == 15:
                                for j in range(n):
                                    y[j] = ynew[j]
                                return STIFF, t + h, n_spikes, n_steps + 1, n_fev
                        else:
                            nonsti += 1
                            if nonsti == 6:
                                iasti = 0
                    t = b if last else t + h
                    for j in range(n):
                        y[j] = ynew[j]
                        k1[j] = k7[j]
                    n_steps += 1
                    factor = 10.0 if err == 0.0 else min(10.0, 0.9 * err ** -0.2)
                    if rejected:
                        factor = min(1.0, factor)
                    h = min(h * factor, max_step)
                    rejected = False
                else:
                    if not finite and h < min_step * 2:
                        return NOT_FINITE, t, n_spikes, n_steps, n_fev
                    h = h * max(0.2, 0.9 * err ** -0.2) if np.isfinite(err) else h * 0.2
                    rejected = True
        if n_spikes > spikes.size:
            status = SPIKE_BUFFER_FULL
        return status, t, n_spikes, n_steps, n_fev

    @numba.njit(cache=False, fastmath=FASTMATH)
    def integrate_batch(Y, P, seg_a, seg_b, seg_t0, C, S, rtol, atol, max_step, iv, threshold,
                        spikes, sample_t, samples, max_steps, stiff_check, status, t_end, n_spikes, n_steps, n_fev):
        """Integrate every column of Y (states x cells) with parameters P (params x cells)."""
        for k in range(Y.shape[1]):
            y = Y[:, k].copy()
            st, tr, ns, nst, nf = integrate_cell(
                y, P[:, k].copy(), seg_a, seg_b, seg_t0, C[k], S[k], rtol, atol, max_step, iv, threshold,
                spikes[k], sample_t, samples[k], max_steps, stiff_check,
            )
            Y[:, k] = y
            status[k] = st
            t_end[k] = tr
            n_spikes[k] = ns
            n_steps[k] = nst
            n_fev[k] = nf

    return integrate_cell, integrate_batch
