"""Compiled Rosenbrock method RODAS4 for stiff models (template source; see the package docstring).

RODAS4 (Hairer & Wanner, Solving ODEs II, 2nd ed. 1996, sec. IV.7, coefficients of
Table 7.2's method as in Hairer's ``rodas.f``): six stages, order 4 with an embedded
order-3 solution, L-stable and stiffly accurate. Each step needs the Jacobian and one LU
decomposition of ``W = I / (h gamma) - J``; no Newton iteration, so a step never fails
to converge. Here:

* the Jacobian is computed by finite differences in compiled code, one right-hand-side
  evaluation per *colour* of structurally independent columns (the sparsity comes from
  the model's structure, :mod:`neuromuscle.engine.structure`), so a cable of hundreds of
  states costs a handful of evaluations, not one per state;
* ``W`` is factorised after a bandwidth-reducing permutation (reverse Cuthill-McKee):
  where the structure says it takes fewer operations, first on the pattern of its LU
  factors without row exchanges (:func:`_sparse_lu`), kept only if the first stage's solve
  has a componentwise backward error below :data:`R_BACKWARD_ERROR` (:func:`_residual_ok`);
  otherwise, and for the other models, as a band matrix with partial pivoting
  (:func:`_band_lu`); a dense model is the special case of a full band;
* the step size follows the embedded error estimate in SciPy's norm (exponent 1/4,
  factors 0.2-6, safety 0.9), so ``rtol``/``atol`` mean what they mean on the other engines;
* spikes and output samples use the cubic Hermite interpolant of the step, as in the
  explicit engine, and the integration restarts at every protocol breakpoint.
"""

import numpy as np

from .common import (
    NOT_FINITE,
    OK,
    SPIKE_BUFFER_FULL,
    STEP_TOO_SMALL,
    TOO_MANY_STEPS,
    _all_finite,
    _ev,
    _initial_step,
    _norm,
    _record,
)

R_GAMMA = 0.25
R_A21 = 1.544
R_A31, R_A32 = 0.9466785280815826, 0.2557011698983284
R_A41, R_A42, R_A43 = 3.314825187068521, 2.896124015972201, 0.9986419139977817
R_A51, R_A52, R_A53, R_A54 = 1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950
R_C21 = -5.6688
R_C31, R_C32 = -2.430093356833875, -0.2063599157091915
R_C41, R_C42, R_C43 = -0.1073529058151375, -9.594562251023355, -20.47028614809616
R_C51, R_C52, R_C53, R_C54 = 7.496443313967647, -10.24680431464352, -33.99990352819905, 11.70890893206160
R_C61, R_C62, R_C63 = 8.083246795921522, -7.981132988064893, -31.52159432874371
R_C64, R_C65 = 16.31930543123136, -6.058818238834054
R_c2, R_c3, R_c4 = 0.386, 0.21, 0.63
R_d1, R_d2, R_d3, R_d4 = 0.25, -0.1043, 0.1035, -0.0362

#: Largest componentwise backward error (Oettli & Prager 1964, Numer Math 6:405) of the
#: first stage's solve for which factors without row exchanges are kept. A solve with
#: partial pivoting reaches a few units of rounding (1e-16); where the unpivoted factors do
#: much worse the step is factorised again with the band LU.
R_BACKWARD_ERROR = 1e-10


def _fd_jacobian(f, t, y, f0, p, cur, jac_ptr, jac_rows, color_ptr, color_cols, pinv, thresh, ytmp, fp, J):
    """Finite-difference Jacobian, one evaluation per colour; ``J`` in permuted order."""
    eps = 1.4901161193847656e-08  # sqrt(machine epsilon)
    for g in range(color_ptr.size - 1):
        for j in range(y.size):
            ytmp[j] = y[j]
        for q in range(color_ptr[g], color_ptr[g + 1]):
            j = color_cols[q]
            d = eps * max(abs(y[j]), thresh)
            ytmp[j] = y[j] + d
        _ev(f, t, ytmp, p, cur, fp)
        for q in range(color_ptr[g], color_ptr[g + 1]):
            j = color_cols[q]
            d = ytmp[j] - y[j]  # the increment as represented in floating point
            pj = pinv[j]
            for r in range(jac_ptr[j], jac_ptr[j + 1]):
                i = jac_rows[r]
                J[pinv[i], pj] = (fp[i] - f0[i]) / d
    return color_ptr.size - 1


def _band_lu(W, J, diag, kl, ku, piv):
    """``W = diag I - J`` factorised in place (band LU, partial pivoting); False if singular."""
    n = W.shape[0]
    kw = kl + ku
    for i in range(n):
        lo = max(0, i - kl)
        hi = min(n - 1, i + kw)
        for j in range(lo, hi + 1):
            W[i, j] = -J[i, j]
        W[i, i] += diag
    for k in range(n):
        last_row = min(n - 1, k + kl)
        last_col = min(n - 1, k + kw)
        p = k
        big = abs(W[k, k])
        for i in range(k + 1, last_row + 1):
            if abs(W[i, k]) > big:
                big = abs(W[i, k])
                p = i
        piv[k] = p
        if big == 0.0 or not np.isfinite(big):
            return False
        if p != k:
            for j in range(k, last_col + 1):
                tmp = W[k, j]
                W[k, j] = W[p, j]
                W[p, j] = tmp
        inv = 1.0 / W[k, k]
        for i in range(k + 1, last_row + 1):
            m = W[i, k] * inv
            W[i, k] = m
            if m != 0.0:
                for j in range(k + 1, last_col + 1):
                    W[i, j] -= m * W[k, j]
    return True


def _sparse_lu(W, J, diag, lu_ptr, lu_cols, lu_diag):
    """``W = diag I - J`` factorised in place on the pattern of its LU factors, no row exchanges.

    Row by row (Doolittle): row i is reduced by the rows k < i of its pattern in increasing
    order; the pattern is closed under fill-in, so every entry written is in it. Only the
    pattern's entries of ``W`` are written and read. False if a multiplier is not finite or
    a pivot is zero; the stability of the factors is judged on a solve (:func:`_residual_ok`).
    """
    n = W.shape[0]
    for i in range(n):
        for q in range(lu_ptr[i], lu_ptr[i + 1]):
            j = lu_cols[q]
            W[i, j] = -J[i, j]
        W[i, i] += diag
    for i in range(n):
        for q in range(lu_ptr[i], lu_diag[i]):
            k = lu_cols[q]
            m = W[i, k] / W[k, k]
            if not np.isfinite(m):
                return False
            W[i, k] = m
            if m != 0.0:
                for r in range(lu_diag[k] + 1, lu_ptr[k + 1]):
                    j = lu_cols[r]
                    W[i, j] -= m * W[k, j]
        if W[i, i] == 0.0:
            return False
    return True


def _sparse_solve(W, lu_ptr, lu_cols, lu_diag, perm, b, x, work):
    """Solve ``W x = b`` with the factors of :func:`_sparse_lu` (``b``, ``x`` in original order)."""
    n = W.shape[0]
    for k in range(n):
        work[k] = b[perm[k]]
    for i in range(n):
        s = work[i]
        for q in range(lu_ptr[i], lu_diag[i]):
            s -= W[i, lu_cols[q]] * work[lu_cols[q]]
        work[i] = s
    for i in range(n - 1, -1, -1):
        s = work[i]
        for q in range(lu_diag[i] + 1, lu_ptr[i + 1]):
            s -= W[i, lu_cols[q]] * work[lu_cols[q]]
        work[i] = s / W[i, i]
    for k in range(n):
        x[perm[k]] = work[k]


def _residual_ok(J, diag, jac_ptr, jac_rows, pinv, x, b, res, den):
    """True if ``x`` solves ``(diag I - J) x = b`` with componentwise backward error at most
    :data:`R_BACKWARD_ERROR`: ``max_i |W x - b|_i / (|W| |x| + |b|)_i`` (``J`` permuted)."""
    n = x.size
    for i in range(n):
        res[i] = diag * x[i] - b[i]
        den[i] = abs(diag * x[i]) + abs(b[i])
    for j in range(n):
        xj = x[j]
        pj = pinv[j]
        for q in range(jac_ptr[j], jac_ptr[j + 1]):
            i = jac_rows[q]
            v = J[pinv[i], pj] * xj
            res[i] -= v
            den[i] += abs(v)
    for i in range(n):
        if not (abs(res[i]) <= R_BACKWARD_ERROR * den[i]):
            return False
    return True


def _lu_solve(sparse, W, kl, ku, piv, perm, lu_ptr, lu_cols, lu_diag, b, x, work):
    """Solve with whichever factors :func:`rodas_cell` computed this step."""
    if sparse:
        _sparse_solve(W, lu_ptr, lu_cols, lu_diag, perm, b, x, work)
    else:
        _band_solve(W, kl, ku, piv, perm, b, x, work)


def _band_solve(W, kl, ku, piv, perm, b, x, work):
    """Solve ``W x = b`` with the factors of :func:`_band_lu` (``b``, ``x`` in original order)."""
    n = W.shape[0]
    kw = kl + ku
    for k in range(n):
        work[k] = b[perm[k]]
    for k in range(n):
        p = piv[k]
        if p != k:
            tmp = work[k]
            work[k] = work[p]
            work[p] = tmp
        v = work[k]
        if v != 0.0:
            for i in range(k + 1, min(n - 1, k + kl) + 1):
                work[i] -= W[i, k] * v
    for k in range(n - 1, -1, -1):
        s = work[k]
        for j in range(k + 1, min(n - 1, k + kw) + 1):
            s -= W[k, j] * work[j]
        work[k] = s / W[k, k]
    for k in range(n):
        x[perm[k]] = work[k]


def rodas_cell(f, y, p, seg_a, seg_b, seg_t0, seg_c, seg_s, rtol, atol, max_step, iv, threshold,
               spikes, sample_t, samples, max_steps, jac_ptr, jac_rows, color_ptr, color_cols, perm, pinv,
               kl, ku, t_dependent, jac_reuse, lu_ptr, lu_cols, lu_diag, sparse_lu):
    """Integrate one cell in place. Returns ``(status, t_reached, n_spikes, n_steps, n_fev, n_jev, n_lu)``."""
    n = y.size
    f0 = np.empty(n)
    f1 = np.empty(n)
    du = np.empty(n)
    dT = np.zeros(n)
    u = np.empty(n)
    r = np.empty(n)
    k1 = np.empty(n)
    k2 = np.empty(n)
    k3 = np.empty(n)
    k4 = np.empty(n)
    k5 = np.empty(n)
    k6 = np.empty(n)
    ynew = np.empty(n)
    scale = np.empty(n)
    work = np.empty(n)
    J = np.zeros((n, n))
    W = np.zeros((n, n))
    piv = np.zeros(n, dtype=np.int64)
    thresh = atol / rtol
    n_spikes = 0
    n_steps = 0
    n_fev = 0
    n_jev = 0
    n_lu = 0
    i_sample = 0
    n_samples = sample_t.size
    t = seg_a[0]
    if not _all_finite(y):
        return NOT_FINITE, t, n_spikes, n_steps, n_fev, n_jev, n_lu
    while i_sample < n_samples and sample_t[i_sample] <= t:
        for j in range(n):
            samples[i_sample, j] = y[j]
        i_sample += 1
    for seg in range(seg_a.size):
        a = seg_a[seg]
        b = seg_b[seg]
        c0 = seg_c[seg]
        s0 = seg_s[seg]
        t0 = seg_t0[seg]
        t = a
        _ev(f, t, y, p, c0 + s0 * (t - t0), f0)
        n_fev += 1
        if not _all_finite(f0):
            return NOT_FINITE, t, n_spikes, n_steps, n_fev, n_jev, n_lu
        h = min(_initial_step(f, t, y, f0, u, f1, p, c0, s0, t0, b, rtol, atol, 3, scale), max_step)
        n_fev += 1
        rejected = False
        jac_current = False
        jac_age = 0
        while t < b:
            if n_steps >= max_steps:
                return TOO_MANY_STEPS, t, n_spikes, n_steps, n_fev, n_jev, n_lu
            min_step = 10.0 * abs(np.nextafter(t, np.inf) - t)
            if not (h >= min_step):
                return STEP_TOO_SMALL, t, n_spikes, n_steps, n_fev, n_jev, n_lu
            last = False
            if t + h >= b:
                h = b - t
                last = True
            cur = c0 + s0 * (t - t0)
            if not jac_current:
                n_fev += _fd_jacobian(f, t, y, f0, p, cur, jac_ptr, jac_rows, color_ptr, color_cols, pinv, thresh,
                                      u, f1, J)
                n_jev += 1
                if t_dependent or s0 != 0.0:
                    dt_fd = 1.4901161193847656e-08 * max(abs(t), 1.0)
                    _ev(f, t + dt_fd, y, p, c0 + s0 * (t + dt_fd - t0), f1)
                    n_fev += 1
                    for j in range(n):
                        dT[j] = (f1[j] - f0[j]) / dt_fd
                else:
                    for j in range(n):
                        dT[j] = 0.0
                jac_current = True
                jac_age = 0
            n_lu += 1
            sparse = sparse_lu and _sparse_lu(W, J, 1.0 / (h * R_GAMMA), lu_ptr, lu_cols, lu_diag)
            if not sparse and not _band_lu(W, J, 1.0 / (h * R_GAMMA), kl, ku, piv):
                h *= 0.25
                rejected = True
                continue
            # stage 1
            for j in range(n):
                r[j] = f0[j] + h * R_d1 * dT[j]
            _lu_solve(sparse, W, kl, ku, piv, perm, lu_ptr, lu_cols, lu_diag, r, k1, work)
            if sparse and not _residual_ok(J, 1.0 / (h * R_GAMMA), jac_ptr, jac_rows, pinv, k1, r, u, du):
                # the factors without row exchanges are not accurate enough: pivot this step
                sparse = False
                if not _band_lu(W, J, 1.0 / (h * R_GAMMA), kl, ku, piv):
                    h *= 0.25
                    rejected = True
                    continue
                _band_solve(W, kl, ku, piv, perm, r, k1, work)
            # stage 2
            for j in range(n):
                u[j] = y[j] + R_A21 * k1[j]
            tt = t + R_c2 * h
            _ev(f, tt, u, p, c0 + s0 * (tt - t0), du)
            for j in range(n):
                r[j] = du[j] + h * R_d2 * dT[j] + (R_C21 * k1[j]) / h
            _lu_solve(sparse, W, kl, ku, piv, perm, lu_ptr, lu_cols, lu_diag, r, k2, work)
            # stage 3
            for j in range(n):
                u[j] = y[j] + R_A31 * k1[j] + R_A32 * k2[j]
            tt = t + R_c3 * h
            _ev(f, tt, u, p, c0 + s0 * (tt - t0), du)
            for j in range(n):
                r[j] = du[j] + h * R_d3 * dT[j] + (R_C31 * k1[j] + R_C32 * k2[j]) / h
            _lu_solve(sparse, W, kl, ku, piv, perm, lu_ptr, lu_cols, lu_diag, r, k3, work)
            # stage 4
            for j in range(n):
                u[j] = y[j] + R_A41 * k1[j] + R_A42 * k2[j] + R_A43 * k3[j]
            tt = t + R_c4 * h
            _ev(f, tt, u, p, c0 + s0 * (tt - t0), du)
            for j in range(n):
                r[j] = du[j] + h * R_d4 * dT[j] + (R_C41 * k1[j] + R_C42 * k2[j] + R_C43 * k3[j]) / h
            _lu_solve(sparse, W, kl, ku, piv, perm, lu_ptr, lu_cols, lu_diag, r, k4, work)
            # stage 5
            for j in range(n):
                u[j] = y[j] + R_A51 * k1[j] + R_A52 * k2[j] + R_A53 * k3[j] + R_A54 * k4[j]
            tt = t + h
            cur1 = c0 + s0 * (tt - t0)
            _ev(f, tt, u, p, cur1, du)
            for j in range(n):
                r[j] = du[j] + (R_C51 * k1[j] + R_C52 * k2[j] + R_C53 * k3[j] + R_C54 * k4[j]) / h
            _lu_solve(sparse, W, kl, ku, piv, perm, lu_ptr, lu_cols, lu_diag, r, k5, work)
            # stage 6 (the embedded solution is u + k5)
            for j in range(n):
                u[j] += k5[j]
            _ev(f, tt, u, p, cur1, du)
            for j in range(n):
                r[j] = du[j] + (R_C61 * k1[j] + R_C62 * k2[j] + R_C63 * k3[j] + R_C64 * k4[j] + R_C65 * k5[j]) / h
            _lu_solve(sparse, W, kl, ku, piv, perm, lu_ptr, lu_cols, lu_diag, r, k6, work)
            for j in range(n):
                ynew[j] = u[j] + k6[j]
            n_fev += 5
            finite = _all_finite(ynew)
            if finite:
                _ev(f, tt, ynew, p, cur1, f1)
                n_fev += 1
                finite = _all_finite(f1)
            err = np.inf
            if finite:
                for j in range(n):
                    scale[j] = atol + rtol * max(abs(y[j]), abs(ynew[j]))
                err = _norm(k6, scale)
                if not (err >= 0.0):
                    err = np.inf
                    finite = False
            if err <= 1.0:
                n_spikes, i_sample = _record(t, h, y, f0, ynew, f1, iv, threshold, spikes, n_spikes,
                                             sample_t, samples, i_sample)
                t = b if last else t + h
                for j in range(n):
                    y[j] = ynew[j]
                    f0[j] = f1[j]
                n_steps += 1
                jac_age += 1
                jac_current = jac_age <= jac_reuse
                factor = 6.0 if err == 0.0 else min(6.0, 0.9 * err ** -0.25)
                if rejected:
                    factor = min(1.0, factor)
                h = min(h * max(factor, 0.2), max_step)
                rejected = False
            else:
                if not finite and h < min_step * 4:
                    return NOT_FINITE, t, n_spikes, n_steps, n_fev, n_jev, n_lu
                h = h * max(0.2, 0.9 * err ** -0.25) if finite else h * 0.2
                rejected = True
                if jac_age > 0:  # a Jacobian from an earlier step: refresh it before shrinking further
                    jac_current = False
    status = OK
    if n_spikes > spikes.size:
        status = SPIKE_BUFFER_FULL
    return status, t, n_spikes, n_steps, n_fev, n_jev, n_lu


def rodas_batch(f, Y, P, seg_a, seg_b, seg_t0, C, S, rtol, atol, max_step, iv, threshold, spikes, sample_t, samples,
                max_steps, jac_ptr, jac_rows, color_ptr, color_cols, perm, pinv, kl, ku, t_dependent, jac_reuse, skip,
                status, t_end, n_spikes, n_steps, n_fev, n_jev, n_lu, lu_ptr, lu_cols, lu_diag, sparse_lu):
    """Integrate every column of Y (states x cells) with parameters P (params x cells)."""
    for k in range(Y.shape[1]):
        if skip[k]:
            continue
        y = Y[:, k].copy()
        st, tr, ns, nst, nf, nj, nl = rodas_cell(
            f, y, P[:, k].copy(), seg_a, seg_b, seg_t0, C[k], S[k], rtol, atol, max_step, iv, threshold,
            spikes[k], sample_t, samples[k], max_steps, jac_ptr, jac_rows, color_ptr, color_cols, perm, pinv,
            kl, ku, t_dependent, jac_reuse, lu_ptr, lu_cols, lu_diag, sparse_lu,
        )
        Y[:, k] = y
        status[k] = st
        t_end[k] = tr
        n_spikes[k] = ns
        n_steps[k] = nst
        n_fev[k] = nf
        n_jev[k] = nj
        n_lu[k] = nl
