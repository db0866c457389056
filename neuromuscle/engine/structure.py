"""The Jacobian's sparsity read from a model's structure, its colouring and a band ordering.

A component's derivatives can depend only on its own states and on what it reads: a
state directly; a variable another component provides (which depends on what *that*
component reads); a shared sum (which depends on every contributor). Following these
links through the model graph gives, for each state derivative, the states it may depend
on: the structural sparsity of the Jacobian, without evaluating anything. For a cable of
coupled compartments this is a band: each compartment's states depend on its own
potential and its neighbours'.

From the pattern :func:`jacobian_structure` derives

* a colouring of the columns (greedy, largest degree first; Curtis, Powell & Reid 1974,
  J Inst Math Appl 13:117): columns of one colour share no row, so one right-hand-side
  evaluation gives all of them by finite differences;
* a reverse Cuthill-McKee permutation (``scipy.sparse.csgraph``) and the lower and upper
  bandwidths of the permuted matrix, for a band LU;
* the pattern of the LU factors of the permuted iteration matrix without row exchanges
  (the pattern and its fill-in), for a sparse LU that touches only those entries; it is
  used where it needs fewer operations than the band (:attr:`JacobianStructure.sparse_lu`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["JacobianStructure", "sparsity", "jacobian_structure"]


def sparsity(model) -> np.ndarray:
    """Boolean matrix ``S`` (states x states): ``S[i, j]`` if d(dy_i/dt)/dy_j may be non-zero.

    The diagonal is always set (the implicit method needs it). For a compartmental model
    (array states, :attr:`Model.array_states`) the structure is read per *slot* (one array
    state stands for all its compartments) and placed block by block: compartment k's
    derivatives depend on compartment k of what they read. The coupling of neighbouring
    compartments lies in the model's equations (the cable's axial currents), not in its
    graph, so it is read from those equations within the band the model declares
    (:attr:`Model.jacobian_bandwidth`): a NaN placed in a set of structurally independent
    columns turns exactly the rows that depend on them NaN (NaN propagates through every
    arithmetic dependence, whatever the state's value). Without a declared band every
    compartment is assumed to depend on every other.
    """
    n = len(model.state_names)
    array_states = getattr(model, "array_states", None) or {}
    n_comp = int(getattr(model, "n_compartments", 0) or 0)
    n_scalar = n - len(array_states) * n_comp
    # units: the scalar states, then one unit per array state (slot)
    unit_index = {name: i for i, name in enumerate(model.state_names[:n_scalar])}
    for alias, target in getattr(model, "aliases", {}).items():
        if target in unit_index:
            unit_index[alias] = unit_index[target]
    slots = list(array_states)
    for j, name in enumerate(slots):
        unit_index[name] = n_scalar + j
    n_units = n_scalar + len(slots)
    # who computes each shared name: provided outputs and "<comp>.<out>" names, and sums
    provider: dict[str, object] = {}
    contributors: dict[str, list] = {}
    for comp in model.components:
        for out in comp.outputs:
            provider[comp.output_name(out)] = comp
            target = comp.sum_name(out)
            if target:
                contributors.setdefault(target, []).append(comp)
    deps: dict[str, frozenset] = {}

    def of_name(name: str) -> set:
        if name in unit_index:
            return {unit_index[name]}
        if name in model.state_index:  # an alias of one compartment's state ("V" -> "V[0]")
            i = model.state_index[name]
            return {unit_index[model.state_names[i]]} if i < n_scalar else {n_scalar + (i - n_scalar) % len(slots)}
        if name in provider:
            return set(of_component(provider[name]))
        if name in contributors:
            acc = set()
            for c in contributors[name]:
                acc |= of_component(c)
            return acc
        return set()  # a parameter, t or I_stim

    def of_component(comp) -> frozenset:
        if comp.name not in deps:
            deps[comp.name] = frozenset()  # guards a (disallowed) cycle
            acc = {unit_index[comp.state_name(s)] for s in comp.states}
            for gname in comp.inputs.values():
                acc |= of_name(gname)
            deps[comp.name] = frozenset(acc)
        return deps[comp.name]

    U = np.zeros((n_units, n_units), dtype=bool)
    for comp in model.components:
        cols = sorted(of_component(comp))
        for st in comp.states:
            U[unit_index[comp.state_name(st)], cols] = True
    if not slots:
        S = U
    else:
        # expand: state of slot a in compartment k sits at array_states[a][0] + k * stride
        where = [np.array([i]) for i in range(n_scalar)]
        where += [np.arange(a, b, c) for a, b, c in (array_states[s] for s in slots)]
        S = np.zeros((n, n), dtype=bool)
        for r in range(n_units):
            for c in np.flatnonzero(U[r]):
                rows, cols = where[r], where[int(c)]
                if rows.size == cols.size:  # two slots: compartment by compartment
                    S[rows, cols] = True
                else:  # a scalar state and a slot: every compartment
                    S[np.ix_(rows, cols)] = True
        band = getattr(model, "jacobian_bandwidth", None)
        if band is None:
            for r in range(n_scalar, n_units):
                for c in np.flatnonzero(U[r, n_scalar:]):
                    S[np.ix_(where[r], where[n_scalar + int(c)])] = True
        else:
            S |= _nan_pattern(model, int(max(band)))
    S[np.arange(n), np.arange(n)] = True
    return S


def _nan_pattern(model, bw: int) -> np.ndarray:
    """Dependences within the band ``|i - j| <= bw`` read by NaN propagation (2 bw + 1
    evaluations of the NumPy equations at the initial state)."""
    n = len(model.state_names)
    f = model.function("rhs")
    p = model.full_parameters()
    y0 = np.asarray(model.initial_state, dtype=float)
    S = np.zeros((n, n), dtype=bool)
    width = 2 * bw + 1
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for g in range(min(width, n)):
            cols = np.arange(g, n, width)
            y = y0.copy()
            y[cols] = np.nan
            rows = np.flatnonzero(np.isnan(f(0.0, y, p, 0.0, np.empty(n))))
            # each such row lies within the band of exactly one of the columns
            owner = cols[np.clip(np.searchsorted(cols, rows - bw), 0, cols.size - 1)]
            ok = np.abs(owner - rows) <= bw
            S[rows[ok], owner[ok]] = True
    return S


def reads_time(model) -> bool:
    """Whether any component reads the time ``t`` (beyond the stimulus)."""
    return any(g == "t" for c in model.components for g in c.inputs.values())


def _colour(S: np.ndarray) -> list[list[int]]:
    """Greedy column colouring: columns in one group share no non-zero row."""
    n = S.shape[1]
    order = np.argsort(-S.sum(axis=0), kind="stable")
    groups: list[list[int]] = []
    rows_used: list[np.ndarray] = []
    for j in order:
        col = S[:, j]
        for g, used in enumerate(rows_used):
            if not np.any(used & col):
                groups[g].append(int(j))
                used |= col
                break
        else:
            groups.append([int(j)])
            rows_used.append(col.copy())
    assert sum(len(g) for g in groups) == n
    return groups


@dataclass(frozen=True)
class JacobianStructure:
    """Arrays the stiff integrator reads (all ``int64``).

    ``jac_ptr``, ``jac_rows``: the pattern by column (CSC, original state order);
    ``color_ptr``, ``color_cols``: the column groups; ``perm``: permuted position -> state,
    ``pinv``: state -> permuted position; ``kl``, ``ku``: bandwidths after the permutation;
    ``lu_ptr``, ``lu_cols``, ``lu_diag``: per permuted row, the sorted columns of the pattern
    of L + U with its fill-in (no row exchanges) and the position of the diagonal in them;
    ``sparse_lu``: the integrator factorises on that pattern first (it takes fewer
    multiply-adds than the band, :data:`SPARSE_ADVANTAGE`).
    """

    pattern: np.ndarray
    jac_ptr: np.ndarray
    jac_rows: np.ndarray
    color_ptr: np.ndarray
    color_cols: np.ndarray
    perm: np.ndarray
    pinv: np.ndarray
    kl: int
    ku: int
    t_dependent: bool
    lu_ptr: np.ndarray
    lu_cols: np.ndarray
    lu_diag: np.ndarray
    sparse_lu: bool

    @property
    def n_colours(self) -> int:
        return self.color_ptr.size - 1

    def __repr__(self) -> str:
        n = self.pattern.shape[0]
        return (f"<JacobianStructure {n} states, {int(self.pattern.sum())} non-zeros, {self.n_colours} colours, "
                f"band ({self.kl}, {self.ku}), LU pattern {self.lu_cols.size}"
                f"{' (sparse LU)' if self.sparse_lu else ''}>")


#: The sparse LU is used if the band LU would take more than this many times its
#: multiply-adds (its indexed loops cost more per operation than the band's contiguous ones).
SPARSE_ADVANTAGE = 3.0


def lu_pattern(P: np.ndarray, kl: int, ku: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """Pattern of the LU factors of a matrix of pattern ``P`` (diagonal included), no row exchanges.

    Fill-in follows Gaussian elimination: eliminating column k fills every ``(i, j)`` with
    ``i, j > k``, ``(i, k)`` and ``(k, j)`` in the pattern; it stays inside the band
    ``(kl, ku)``. Returns ``(ptr, cols, diag, sparse_ops, band_ops)``: per row the sorted
    columns and the position of the diagonal among them, and the multiply-adds of the
    elimination on this pattern and on the band (the band LU's upper bound).
    """
    F = np.array(P, dtype=bool)
    n = F.shape[0]
    np.fill_diagonal(F, True)
    sparse_ops = band_ops = 0
    for k in range(n):
        hi_r, hi_c = min(n, k + kl + 1), min(n, k + kl + ku + 1)
        rows = np.flatnonzero(F[k + 1:hi_r, k]) + k + 1
        cols = F[k, k + 1:hi_c]
        if rows.size:
            F[rows, k + 1:hi_c] |= cols
        sparse_ops += rows.size * int(cols.sum())
        band_ops += (hi_r - k - 1) * (hi_c - k - 1)
    ptr = np.zeros(n + 1, dtype=np.int64)
    cols_all, diag = [], np.empty(n, dtype=np.int64)
    for i in range(n):
        c = np.flatnonzero(F[i])
        diag[i] = ptr[i] + int(np.searchsorted(c, i))
        cols_all.append(c)
        ptr[i + 1] = ptr[i] + c.size
    return ptr, np.concatenate(cols_all).astype(np.int64), diag, sparse_ops, band_ops


def _bandwidths(S: np.ndarray, perm: np.ndarray) -> tuple[int, int]:
    P = S[np.ix_(perm, perm)]
    i, j = np.nonzero(P)
    return int(max(0, np.max(i - j))), int(max(0, np.max(j - i)))


def probed_sparsity(model, structural: np.ndarray | None = None, n_points: int = 12) -> np.ndarray:
    """:func:`sparsity` narrowed to the dependences the equations show at sample states.

    The model graph works at component granularity: a component's derivatives are taken to
    depend on every state it reads, directly or through a shared sum, although most depend
    on a few. Here each column is probed at ``n_points`` states (the quasi-steady states at
    membrane potentials from -90 to +30 mV, perturbed by a few percent, at rest and with a
    stimulus): a NaN placed in state j marks every derivative it reaches (NaN propagates
    through every arithmetic use, whatever the values), and a small change of state j marks
    every derivative that moves. An entry is kept if any probe marks it; the result is never
    larger than the structural pattern and always has the diagonal. Compartmental models
    keep :func:`sparsity` (their per-slot reading is already exact).
    """
    S = sparsity(model) if structural is None else np.asarray(structural, dtype=bool)
    if getattr(model, "array_states", None):
        return S
    n = S.shape[0]
    p = model.full_parameters(model.parameter_vector())
    rng = np.random.default_rng(20261203)
    found = np.eye(n, dtype=bool)
    points = 0
    for k, v in enumerate(np.linspace(-90.0, 30.0, n_points)):
        try:
            y = np.asarray(model.quasi_steady_state(float(v), p), dtype=float).copy()
        except (ValueError, ArithmeticError, RuntimeError, TypeError):
            continue
        y = y * (1.0 + 0.03 * rng.standard_normal(n))
        i_stim = 0.0 if k % 2 == 0 else 20.0
        with np.errstate(all="ignore"):
            f0 = model.rhs(0.0, y, p, i_stim)
            if not np.all(np.isfinite(f0)):
                continue
            points += 1
            for j in range(n):
                yy = y.copy()
                yy[j] = np.nan
                found[:, j] |= np.isnan(model.rhs(0.0, yy, p, i_stim))
                yy[j] = y[j] + 1e-6 * max(abs(y[j]), 1e-9)
                found[:, j] |= model.rhs(0.0, yy, p, i_stim) != f0
    if points < 3:  # too few usable states to trust a narrower pattern
        return S
    return S & found


def jacobian_structure(model, pattern: np.ndarray | None = None) -> JacobianStructure:
    """Sparsity (from :func:`sparsity` unless given), colouring and band ordering of ``model``."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    S = sparsity(model) if pattern is None else np.asarray(pattern, dtype=bool)
    n = S.shape[0]
    ptr = np.zeros(n + 1, dtype=np.int64)
    rows = []
    for j in range(n):
        r = np.flatnonzero(S[:, j])
        rows.append(r)
        ptr[j + 1] = ptr[j] + r.size
    groups = _colour(S)
    cptr = np.cumsum([0] + [len(g) for g in groups]).astype(np.int64)
    identity = np.arange(n, dtype=np.int64)
    kl0, ku0 = _bandwidths(S, identity)
    rcm = np.asarray(reverse_cuthill_mckee(csr_matrix(S | S.T), symmetric_mode=True), dtype=np.int64)
    kl1, ku1 = _bandwidths(S, rcm)
    perm, kl, ku = (rcm, kl1, ku1) if kl1 + ku1 < kl0 + ku0 else (identity, kl0, ku0)
    pinv = np.empty(n, dtype=np.int64)
    pinv[perm] = np.arange(n, dtype=np.int64)
    lu_ptr, lu_cols, lu_diag, sparse_ops, band_ops = lu_pattern(S[np.ix_(perm, perm)], kl, ku)
    return JacobianStructure(
        pattern=S, jac_ptr=ptr, jac_rows=np.concatenate(rows).astype(np.int64) if rows else np.zeros(0, np.int64),
        color_ptr=cptr, color_cols=np.concatenate([np.array(g, dtype=np.int64) for g in groups]),
        perm=perm, pinv=pinv, kl=kl, ku=ku, t_dependent=reads_time(model),
        lu_ptr=lu_ptr, lu_cols=lu_cols, lu_diag=lu_diag, sparse_lu=bool(band_ops > SPARSE_ADVANTAGE * sparse_ops),
    )
