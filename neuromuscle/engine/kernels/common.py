"""Helpers shared by the compiled integrators (template source; see the package docstring)."""

import numpy as np

# status codes (the same values as neuromuscle.engine.base)
OK = 0
SPIKE_BUFFER_FULL = 1
STIFF = 2
STEP_TOO_SMALL = -1
TOO_MANY_STEPS = -2
NOT_FINITE = -3


def _norm(x, scale):
    """SciPy's error norm: RMS of ``x / scale``."""
    acc = 0.0
    for i in range(x.size):
        v = x[i] / scale[i]
        acc += v * v
    return np.sqrt(acc / x.size)


def _hermite(theta, h, y0, f0, y1, f1):
    """Cubic Hermite interpolant at ``t + theta h`` from values and slopes at both ends."""
    t2 = theta * theta
    t3 = t2 * theta
    h00 = 2 * t3 - 3 * t2 + 1
    h10 = t3 - 2 * t2 + theta
    h01 = -2 * t3 + 3 * t2
    h11 = t3 - t2
    return h00 * y0 + h10 * h * f0 + h01 * y1 + h11 * h * f1


def _all_finite(x):
    for i in range(x.size):
        if not np.isfinite(x[i]):
            return False
    return True


def _record(t, h, y, f0, ynew, f1, iv, threshold, spikes, n_spikes, sample_t, samples, i_sample):
    """Spike location and output samples on an accepted step ``[t, t + h]``.

    Returns the updated ``(n_spikes, i_sample)``.
    """
    n = y.size
    if ynew[iv] >= threshold > y[iv]:
        lo = 0.0
        hi = 1.0
        for _ in range(50):
            mid = 0.5 * (lo + hi)
            if _hermite(mid, h, y[iv], f0[iv], ynew[iv], f1[iv]) < threshold:
                lo = mid
            else:
                hi = mid
        if n_spikes < spikes.size:
            spikes[n_spikes] = t + 0.5 * (lo + hi) * h
        n_spikes += 1
    n_samples = sample_t.size
    while i_sample < n_samples and sample_t[i_sample] <= t + h:
        theta = (sample_t[i_sample] - t) / h
        for j in range(n):
            samples[i_sample, j] = _hermite(theta, h, y[j], f0[j], ynew[j], f1[j])
        i_sample += 1
    return n_spikes, i_sample


def _initial_step(f, t, y, f0, ytmp, f1, p, cur0, slope, t0, b, rtol, atol, order, scale):
    """SciPy's ``select_initial_step`` (Hairer, Norsett & Wanner I, sec. II.4)."""
    n = y.size
    for j in range(n):
        scale[j] = atol + rtol * abs(y[j])
    d0 = _norm(y, scale)
    d1 = _norm(f0, scale)
    h0 = 1e-6 if (d0 < 1e-5 or d1 < 1e-5) else 0.01 * d0 / d1
    h0 = min(h0, b - t)
    for j in range(n):
        ytmp[j] = y[j] + h0 * f0[j]
    _ev(f, t + h0, ytmp, p, cur0 + slope * (t + h0 - t0), f1)
    for j in range(n):
        ytmp[j] = f1[j] - f0[j]
    d2 = _norm(ytmp, scale) / h0
    dmax = max(d1, d2)
    h1 = max(1e-6, h0 * 1e-3) if dmax <= 1e-15 else (0.01 / dmax) ** (1.0 / (order + 1))
    h = min(100 * h0, h1)
    if not (h > 0.0):  # NaN from a non-finite derivative: the caller's checks stop the run
        h = 1e-6
    return h


def _ev(f, t, y, p, I_stim, dydt):
    """Evaluate the model's right-hand side ``f`` (a compiled C callback) into ``dydt``.

    The integrators receive the right-hand side as a function pointer, so they are
    compiled once for every model instead of once per model.
    """
    f(t, y.ctypes, p.ctypes, I_stim, dydt.ctypes)
