"""The labelled result of a sweep: an :class:`xarray.Dataset` with units and long names."""

from __future__ import annotations

import numpy as np

from ..model import Model
from .design import Design

__all__ = ["assemble", "coordinate_attrs"]

_ION_LABELS = {"na": "Na", "k": "K", "cl": "Cl", "ca": "Ionised Ca", "mg": "Ionised Mg", "hco3": "HCO3"}


def coordinate_attrs(model: Model, name: str) -> dict:
    """``units`` and ``long_name`` of a swept quantity."""
    if name == "amplitude":
        return {"units": "1", "long_name": "Stimulus amplitude factor"}
    if name in model.parameter_index:
        info = model.info(name)
        return {"units": info.unit, "long_name": info.description or name}
    if name == "celsius":
        return {"units": "degC", "long_name": "Temperature"}
    base = name[:-3] if name.endswith("_in") else name
    where = "intracellular" if name.endswith("_in") else "extracellular"
    return {"units": "mM", "long_name": f"{_ION_LABELS.get(base, base)} ({where})"}


def assemble(model: Model, design: Design, metrics, chunks, trace_dt: float, attrs: dict):
    """One Dataset from the chunk results ``chunks`` (any order)."""
    import xarray as xr

    n = design.n_points
    flat = {name: np.full(n, np.nan) for name, _ in metrics}
    errors = np.full(n, "", dtype=object)
    traces = None
    for res in chunks:
        idx = res["index"]
        for name, _ in metrics:
            flat[name][idx] = res[name]
        errors[idx] = res["error"]
        if "V_trace" in res:
            if traces is None:
                traces = np.full((n, res["V_trace"].shape[1]), np.nan)
            traces[idx] = res["V_trace"]
    shape = design.shape
    dims = tuple(design.names) if design.kind == "grid" else ("point",)
    coords = {}
    for i, name in enumerate(design.names):
        a = coordinate_attrs(model, name)
        coords[name] = (name, design.grids[i], a) if design.kind == "grid" else ("point", design.values[:, i], a)
    data_vars = {name: (dims, flat[name].reshape(shape), {"units": mt.unit, "long_name": mt.long_name})
                 for name, mt in metrics}
    data_vars["error"] = (dims, errors.astype(str).reshape(shape), {"long_name": "Error message ('' if none)"})
    if traces is not None:
        tgrid = np.arange(traces.shape[1]) * trace_dt
        coords["time"] = ("time", tgrid, {"units": "ms", "long_name": "Time"})
        data_vars["V_trace"] = (dims + ("time",), traces.reshape(shape + (tgrid.size,)),
                                {"units": "mV", "long_name": "Membrane potential"})
    ds = xr.Dataset(data_vars, coords=coords)
    ds.attrs.update(attrs)
    ds.attrs["design"] = design.kind
    ds.attrs["n_failed"] = int(np.count_nonzero(errors != ""))
    return ds
