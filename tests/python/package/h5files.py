"""Small netCDF-4-style HDF5 files written with h5py for the tests of migsim.posterior and
migsim.sensitivity (the files `migsim calibrate` and `migsim sensitivity` write)."""
from __future__ import annotations

import h5py
import numpy as np


def write_h5(path, coords: dict, variables: dict, attrs: dict | None = None, *, scales: bool = True):
    """Writes `coords` ({name: values}; strings as variable-length UTF-8) and `variables`
    ({name: (dims, values)}) to `path`, with `attrs` on the root. With `scales`, each
    coordinate is a dimension scale attached to the variables along it (as netCDF-4 does);
    without, plain datasets only."""
    with h5py.File(path, "w") as f:
        for name, values in coords.items():
            values = np.asarray(values)
            if values.dtype.kind in "UO":
                f.create_dataset(name, data=np.asarray(values, dtype=object), dtype=h5py.string_dtype("utf-8"))
            else:
                f.create_dataset(name, data=values)
            if scales:
                f[name].make_scale(name)
        for name, (dims, values) in variables.items():
            values = np.asarray(values)
            if values.dtype.kind in "UO":
                f.create_dataset(name, data=np.asarray(values, dtype=object), dtype=h5py.string_dtype("utf-8"))
            else:
                f.create_dataset(name, data=values)
            assert f[name].ndim == len(dims), name
            if scales:
                for i, dim in enumerate(dims):
                    f[name].dims[i].attach_scale(f[dim])
        for key, value in (attrs or {}).items():
            f.attrs[key] = value
    return path
