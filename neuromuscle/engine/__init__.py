"""The fast engine: the models' generated equations compiled with numba, integrated by a
compiled Dormand-Prince 5(4) method for one cell or many."""

from .batch import BatchResult, simulate_batch
from .compile import compiled_rhs, numba_available

__all__ = ["BatchResult", "simulate_batch", "compiled_rhs", "numba_available"]
