"""Source text of the compiled integrators.

These modules are not called as they stand: :mod:`neuromuscle.engine.compile` writes
their text, together with a model's generated right-hand side ``rhs``, into one module
per model and compiles it with numba (cached on disk). Each refers to ``rhs`` as a global
of that generated module; the placeholders here only keep them importable.

``common`` holds the norm and interpolant, ``dopri5`` the explicit Dormand-Prince 5(4)
integrator, ``dopri5_block`` the same integrator run in lockstep on blocks of cells,
``rodas4`` the linearly implicit Rosenbrock integrator with a sparse
finite-difference Jacobian and a banded LU.
"""

#: Template modules, in the order they are written into a generated module.
TEMPLATES = ("common", "dopri5", "dopri5_block", "rodas4")
