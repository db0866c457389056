"""Compiled Dormand-Prince 5(4) for one cell or many (template source; see the package docstring).

The method, error norm and step-size control follow SciPy's ``RK45`` (Dormand & Prince
1980, J Comput Appl Math 6:19; Hairer, Norsett & Wanner, Solving ODEs I, sec. II.4-5),
so the tolerances mean the same thing on every engine. Hairer's stiffness test
(``h |lambda| > 3.25`` on 15 accepted steps) can stop a run with status ``STIFF`` so the
caller continues with an implicit method.
"""

import numpy as np

from .common import (
    NOT_FINITE,
    OK,
    SPIKE_BUFFER_FULL,
    STEP_TOO_SMALL,
    STIFF,
    TOO_MANY_STEPS,
    _all_finite,
    _ev,
    _initial_step,
    _norm,
    _record,
)

# Dormand-Prince 5(4) tableau
C2, C3, C4, C5 = 1 / 5, 3 / 10, 4 / 5, 8 / 9
A21 = 1 / 5
A31, A32 = 3 / 40, 9 / 40
A41, A42, A43 = 44 / 45, -56 / 15, 32 / 9
A51, A52, A53, A54 = 19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729
A61, A62, A63, A64, A65 = 9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656
B1, B3, B4, B5, B6 = 35 / 384, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84
E1, E3, E4, E5, E6, E7 = 71 / 57600, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40


def dopri_cell(f, y, p, seg_a, seg_b, seg_t0, seg_c, seg_s, rtol, atol, max_step, iv, threshold,
               spikes, sample_t, samples, max_steps, stiff_check):
    """Integrate one cell in place. Returns ``(status, t_reached, n_spikes, n_steps, n_fev)``."""
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
    t = seg_a[0]
    if not _all_finite(y):
        return NOT_FINITE, t, n_spikes, n_steps, n_fev
    while i_sample < n_samples and sample_t[i_sample] <= t:
        for j in range(n):
            samples[i_sample, j] = y[j]
        i_sample += 1
    iasti = 0
    nonsti = 0
    for seg in range(seg_a.size):
        a = seg_a[seg]
        b = seg_b[seg]
        c0 = seg_c[seg]
        s0 = seg_s[seg]
        t0 = seg_t0[seg]
        t = a
        _ev(f, t, y, p, c0 + s0 * (t - t0), k1)
        n_fev += 1
        if not _all_finite(k1):
            return NOT_FINITE, t, n_spikes, n_steps, n_fev
        h = min(_initial_step(f, t, y, k1, ytmp, k2, p, c0, s0, t0, b, rtol, atol, 4, scale), max_step)
        n_fev += 1
        rejected = False
        while t < b:
            if n_steps >= max_steps:
                return TOO_MANY_STEPS, t, n_spikes, n_steps, n_fev
            min_step = 10.0 * abs(np.nextafter(t, np.inf) - t)
            if not (h >= min_step):  # also catches a NaN step
                return STEP_TOO_SMALL, t, n_spikes, n_steps, n_fev
            last = False
            if t + h >= b:
                h = b - t
                last = True
            for j in range(n):
                ytmp[j] = y[j] + h * A21 * k1[j]
            tt = t + C2 * h
            _ev(f, tt, ytmp, p, c0 + s0 * (tt - t0), k2)
            for j in range(n):
                ytmp[j] = y[j] + h * (A31 * k1[j] + A32 * k2[j])
            tt = t + C3 * h
            _ev(f, tt, ytmp, p, c0 + s0 * (tt - t0), k3)
            for j in range(n):
                ytmp[j] = y[j] + h * (A41 * k1[j] + A42 * k2[j] + A43 * k3[j])
            tt = t + C4 * h
            _ev(f, tt, ytmp, p, c0 + s0 * (tt - t0), k4)
            for j in range(n):
                ytmp[j] = y[j] + h * (A51 * k1[j] + A52 * k2[j] + A53 * k3[j] + A54 * k4[j])
            tt = t + C5 * h
            _ev(f, tt, ytmp, p, c0 + s0 * (tt - t0), k5)
            for j in range(n):
                ysti[j] = y[j] + h * (A61 * k1[j] + A62 * k2[j] + A63 * k3[j] + A64 * k4[j] + A65 * k5[j])
            tt = t + h
            _ev(f, tt, ysti, p, c0 + s0 * (tt - t0), k6)
            for j in range(n):
                ynew[j] = y[j] + h * (B1 * k1[j] + B3 * k3[j] + B4 * k4[j] + B5 * k5[j] + B6 * k6[j])
            _ev(f, tt, ynew, p, c0 + s0 * (tt - t0), k7)
            n_fev += 6
            for j in range(n):
                scale[j] = atol + rtol * max(abs(y[j]), abs(ynew[j]))
                ytmp[j] = h * (E1 * k1[j] + E3 * k3[j] + E4 * k4[j] + E5 * k5[j] + E6 * k6[j] + E7 * k7[j])
            finite = _all_finite(ynew) and _all_finite(k7)
            err = _norm(ytmp, scale) if finite else np.inf
            if not (err >= 0.0):  # NaN
                err = np.inf
                finite = False
            if err <= 1.0:
                n_spikes, i_sample = _record(t, h, y, k1, ynew, k7, iv, threshold, spikes, n_spikes,
                                             sample_t, samples, i_sample)
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
                if not finite and h < min_step * 4:
                    return NOT_FINITE, t, n_spikes, n_steps, n_fev
                h = h * max(0.2, 0.9 * err ** -0.2) if finite else h * 0.2
                rejected = True
    status = OK
    if n_spikes > spikes.size:
        status = SPIKE_BUFFER_FULL
    return status, t, n_spikes, n_steps, n_fev


def dopri_batch(f, Y, P, seg_a, seg_b, seg_t0, C, S, rtol, atol, max_step, iv, threshold,
                spikes, sample_t, samples, max_steps, stiff_check, skip, status, t_end, n_spikes, n_steps, n_fev):
    """Integrate every column of Y (states x cells) with parameters P (params x cells)."""
    for k in range(Y.shape[1]):
        if skip[k]:
            continue
        y = Y[:, k].copy()
        st, tr, ns, nst, nf = dopri_cell(
            f, y, P[:, k].copy(), seg_a, seg_b, seg_t0, C[k], S[k], rtol, atol, max_step, iv, threshold,
            spikes[k], sample_t, samples[k], max_steps, stiff_check,
        )
        Y[:, k] = y
        status[k] = st
        t_end[k] = tr
        n_spikes[k] = ns
        n_steps[k] = nst
        n_fev[k] = nf
