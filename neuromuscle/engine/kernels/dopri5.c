/* Dormand-Prince 5(4) for one cell after another: the C twin of dopri5.py.
 *
 * neuromuscle.engine.native writes this text after a model's right-hand side
 * `static void rhs(double t, const double *y, const double *p, double I_stim, double *dydt)`
 * (translated from the model's generated Python source) and compiles both with the
 * system C compiler. Every line follows dopri5.py and common.py: SciPy's RK45 error norm
 * and step control, a restart at every protocol breakpoint, spikes located by bisection
 * on a cubic Hermite interpolant, output on the sample grid by the same interpolant,
 * Hairer's stiffness test, and a negative status (never a hang) for a non-finite state,
 * a collapsing step or the step budget.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define NM_OK 0
#define NM_SPIKE_BUFFER_FULL 1
#define NM_STIFF 2
#define NM_STEP_TOO_SMALL (-1)
#define NM_TOO_MANY_STEPS (-2)
#define NM_NOT_FINITE (-3)
#define NM_NO_MEMORY (-4)

static const double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;
static const double A21 = 1.0 / 5;
static const double A31 = 3.0 / 40, A32 = 9.0 / 40;
static const double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
static const double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
static const double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176,
                    A65 = -5103.0 / 18656;
static const double B1 = 35.0 / 384, B3 = 500.0 / 1113, B4 = 125.0 / 192, B5 = -2187.0 / 6784, B6 = 11.0 / 84;
static const double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200,
                    E6 = 22.0 / 525, E7 = -1.0 / 40;

static double nm_norm(int64_t n, const double *x, const double *scale) {
    double acc = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double v = x[i] / scale[i];
        acc += v * v;
    }
    return sqrt(acc / (double)n);
}

static double nm_hermite(double theta, double h, double y0, double f0, double y1, double f1) {
    double t2 = theta * theta, t3 = t2 * theta;
    double h00 = 2 * t3 - 3 * t2 + 1, h10 = t3 - 2 * t2 + theta, h01 = -2 * t3 + 3 * t2, h11 = t3 - t2;
    return h00 * y0 + h10 * h * f0 + h01 * y1 + h11 * h * f1;
}

static int nm_all_finite(int64_t n, const double *x) {
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

/* Spike location and output samples on an accepted step [t, t + h] (common._record). */
static void nm_record(int64_t n, double t, double h, const double *y, const double *f0, const double *ynew,
                      const double *f1, int64_t iv, double threshold, double *spikes, int64_t max_spikes,
                      int64_t *n_spikes, const double *sample_t, int64_t n_samples, double *samples,
                      int64_t *i_sample) {
    if (ynew[iv] >= threshold && threshold > y[iv]) {
        double lo = 0.0, hi = 1.0;
        for (int it = 0; it < 50; it++) {
            double mid = 0.5 * (lo + hi);
            if (nm_hermite(mid, h, y[iv], f0[iv], ynew[iv], f1[iv]) < threshold) lo = mid;
            else hi = mid;
        }
        if (*n_spikes < max_spikes) spikes[*n_spikes] = t + 0.5 * (lo + hi) * h;
        *n_spikes += 1;
    }
    while (*i_sample < n_samples && sample_t[*i_sample] <= t + h) {
        double theta = (sample_t[*i_sample] - t) / h;
        for (int64_t j = 0; j < n; j++)
            samples[*i_sample * n + j] = nm_hermite(theta, h, y[j], f0[j], ynew[j], f1[j]);
        *i_sample += 1;
    }
}

/* SciPy's select_initial_step (Hairer, Norsett & Wanner I, sec. II.4); common._initial_step. */
static double nm_initial_step(int64_t n, double t, const double *y, const double *f0, double *ytmp, double *f1,
                              const double *p, double cur0, double slope, double t0, double b, double rtol,
                              double atol, int order, double *scale) {
    for (int64_t j = 0; j < n; j++) scale[j] = atol + rtol * fabs(y[j]);
    double d0 = nm_norm(n, y, scale), d1 = nm_norm(n, f0, scale);
    double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    if (b - t < h0) h0 = b - t;
    for (int64_t j = 0; j < n; j++) ytmp[j] = y[j] + h0 * f0[j];
    rhs(t + h0, ytmp, p, cur0 + slope * (t + h0 - t0), f1);
    for (int64_t j = 0; j < n; j++) ytmp[j] = f1[j] - f0[j];
    double d2 = nm_norm(n, ytmp, scale) / h0;
    double dmax = d2 > d1 ? d2 : d1; /* Python's max(d1, d2) */
    double h1;
    if (dmax <= 1e-15) h1 = (1e-6 > h0 * 1e-3) ? 1e-6 : h0 * 1e-3;
    else h1 = pow(0.01 / dmax, 1.0 / (order + 1));
    double h = (h1 < 100 * h0) ? h1 : 100 * h0; /* Python's min(100 h0, h1) */
    if (!(h > 0.0)) h = 1e-6; /* NaN from a non-finite derivative: the caller's checks stop the run */
    return h;
}

/* One cell in place (dopri5.dopri_cell). Writes t_reached, n_spikes, n_steps, n_fev. */
static int64_t nm_dopri_cell(int64_t n, double *y, const double *p, int64_t n_seg, const double *seg_a,
                             const double *seg_b, const double *seg_t0, const double *seg_c, const double *seg_s,
                             double rtol, double atol, double max_step, int64_t iv, double threshold,
                             double *spikes, int64_t max_spikes, const double *sample_t, int64_t n_samples,
                             double *samples, int64_t max_steps, int stiff_check, double *work,
                             double *t_out, int64_t *ns_out, int64_t *nst_out, int64_t *nf_out) {
    double *k1 = work, *k2 = work + n, *k3 = work + 2 * n, *k4 = work + 3 * n, *k5 = work + 4 * n;
    double *k6 = work + 5 * n, *k7 = work + 6 * n, *ytmp = work + 7 * n, *ynew = work + 8 * n;
    double *ysti = work + 9 * n, *scale = work + 10 * n;
    int64_t n_spikes = 0, n_steps = 0, n_fev = 0, i_sample = 0;
    int64_t status = NM_OK;
    int iasti = 0, nonsti = 0;
    double t = seg_a[0];
    if (!nm_all_finite(n, y)) { status = NM_NOT_FINITE; goto done; }
    while (i_sample < n_samples && sample_t[i_sample] <= t) {
        for (int64_t j = 0; j < n; j++) samples[i_sample * n + j] = y[j];
        i_sample++;
    }
    for (int64_t seg = 0; seg < n_seg; seg++) {
        double a = seg_a[seg], b = seg_b[seg], c0 = seg_c[seg], s0 = seg_s[seg], t0 = seg_t0[seg];
        t = a;
        rhs(t, y, p, c0 + s0 * (t - t0), k1);
        n_fev++;
        if (!nm_all_finite(n, k1)) { status = NM_NOT_FINITE; goto done; }
        double h = nm_initial_step(n, t, y, k1, ytmp, k2, p, c0, s0, t0, b, rtol, atol, 4, scale);
        if (max_step < h) h = max_step;
        n_fev++;
        int rejected = 0;
        while (t < b) {
            if (n_steps >= max_steps) { status = NM_TOO_MANY_STEPS; goto done; }
            double min_step = 10.0 * fabs(nextafter(t, INFINITY) - t);
            if (!(h >= min_step)) { status = NM_STEP_TOO_SMALL; goto done; } /* also a NaN step */
            int last = 0;
            if (t + h >= b) { h = b - t; last = 1; }
            double tt;
            for (int64_t j = 0; j < n; j++) ytmp[j] = y[j] + h * A21 * k1[j];
            tt = t + C2 * h;
            rhs(tt, ytmp, p, c0 + s0 * (tt - t0), k2);
            for (int64_t j = 0; j < n; j++) ytmp[j] = y[j] + h * (A31 * k1[j] + A32 * k2[j]);
            tt = t + C3 * h;
            rhs(tt, ytmp, p, c0 + s0 * (tt - t0), k3);
            for (int64_t j = 0; j < n; j++) ytmp[j] = y[j] + h * (A41 * k1[j] + A42 * k2[j] + A43 * k3[j]);
            tt = t + C4 * h;
            rhs(tt, ytmp, p, c0 + s0 * (tt - t0), k4);
            for (int64_t j = 0; j < n; j++)
                ytmp[j] = y[j] + h * (A51 * k1[j] + A52 * k2[j] + A53 * k3[j] + A54 * k4[j]);
            tt = t + C5 * h;
            rhs(tt, ytmp, p, c0 + s0 * (tt - t0), k5);
            for (int64_t j = 0; j < n; j++)
                ysti[j] = y[j] + h * (A61 * k1[j] + A62 * k2[j] + A63 * k3[j] + A64 * k4[j] + A65 * k5[j]);
            tt = t + h;
            rhs(tt, ysti, p, c0 + s0 * (tt - t0), k6);
            for (int64_t j = 0; j < n; j++)
                ynew[j] = y[j] + h * (B1 * k1[j] + B3 * k3[j] + B4 * k4[j] + B5 * k5[j] + B6 * k6[j]);
            rhs(tt, ynew, p, c0 + s0 * (tt - t0), k7);
            n_fev += 6;
            for (int64_t j = 0; j < n; j++) {
                double ay = fabs(y[j]), an = fabs(ynew[j]);
                scale[j] = atol + rtol * (an > ay ? an : ay);
                ytmp[j] = h * (E1 * k1[j] + E3 * k3[j] + E4 * k4[j] + E5 * k5[j] + E6 * k6[j] + E7 * k7[j]);
            }
            int finite = nm_all_finite(n, ynew) && nm_all_finite(n, k7);
            double err = finite ? nm_norm(n, ytmp, scale) : INFINITY;
            if (!(err >= 0.0)) { err = INFINITY; finite = 0; } /* NaN */
            if (err <= 1.0) {
                nm_record(n, t, h, y, k1, ynew, k7, iv, threshold, spikes, max_spikes, &n_spikes, sample_t,
                          n_samples, samples, &i_sample);
                if (stiff_check) {
                    double stnum = 0.0, stden = 0.0;
                    for (int64_t j = 0; j < n; j++) {
                        double dk = k7[j] - k6[j], dy = ynew[j] - ysti[j];
                        stnum += dk * dk;
                        stden += dy * dy;
                    }
                    if (stden > 0.0 && h * sqrt(stnum / stden) > 3.25) {
                        nonsti = 0;
                        iasti++;
                        if (iasti == 15) {
                            for (int64_t j = 0; j < n; j++) y[j] = ynew[j];
                            t = t + h;
                            n_steps++;
                            status = NM_STIFF;
                            goto done;
                        }
                    } else {
                        nonsti++;
                        if (nonsti == 6) iasti = 0;
                    }
                }
                t = last ? b : t + h;
                for (int64_t j = 0; j < n; j++) { y[j] = ynew[j]; k1[j] = k7[j]; }
                n_steps++;
                double factor = (err == 0.0) ? 10.0 : 0.9 * pow(err, -0.2);
                if (factor > 10.0) factor = 10.0;
                if (rejected && factor > 1.0) factor = 1.0;
                h = h * factor;
                if (max_step < h) h = max_step;
                rejected = 0;
            } else {
                if (!finite && h < min_step * 4) { status = NM_NOT_FINITE; goto done; }
                if (finite) {
                    double f = 0.9 * pow(err, -0.2);
                    h = h * (f > 0.2 ? f : 0.2);
                } else {
                    h = h * 0.2;
                }
                rejected = 1;
            }
        }
    }
    if (n_spikes > max_spikes) status = NM_SPIKE_BUFFER_FULL;
done:
    *t_out = t;
    *ns_out = n_spikes;
    *nst_out = n_steps;
    *nf_out = n_fev;
    return status;
}

/* Every column of Y (n states x n_cells, C order) with parameters P (n_p x n_cells);
 * dopri5.dopri_batch. C, S: n_cells x n_seg; spikes: n_cells x max_spikes;
 * samples: n_cells x n_samples x n. */
int64_t nm_dopri_batch(int64_t n, int64_t n_cells, double *Y, int64_t n_p, const double *P, int64_t n_seg,
                       const double *seg_a, const double *seg_b, const double *seg_t0, const double *C,
                       const double *S, double rtol, double atol, double max_step, int64_t iv, double threshold,
                       double *spikes, int64_t max_spikes, const double *sample_t, int64_t n_samples,
                       double *samples, int64_t max_steps, int64_t stiff_check, const uint8_t *skip,
                       int64_t *status, double *t_end, int64_t *n_spikes, int64_t *n_steps, int64_t *n_fev) {
    double *work = (double *)malloc(sizeof(double) * (size_t)(12 * n + n_p));
    if (work == NULL) return NM_NO_MEMORY;
    double *y = work + 11 * n, *p = work + 12 * n;
    for (int64_t k = 0; k < n_cells; k++) {
        if (skip[k]) continue;
        for (int64_t j = 0; j < n; j++) y[j] = Y[j * n_cells + k];
        for (int64_t j = 0; j < n_p; j++) p[j] = P[j * n_cells + k];
        status[k] = nm_dopri_cell(n, y, p, n_seg, seg_a, seg_b, seg_t0, C + k * n_seg, S + k * n_seg, rtol, atol,
                                  max_step, iv, threshold, spikes + k * max_spikes, max_spikes, sample_t, n_samples,
                                  samples + k * n_samples * n, max_steps, (int)stiff_check, work, &t_end[k],
                                  &n_spikes[k], &n_steps[k], &n_fev[k]);
        for (int64_t j = 0; j < n; j++) Y[j * n_cells + k] = y[j];
    }
    free(work);
    return NM_OK;
}
