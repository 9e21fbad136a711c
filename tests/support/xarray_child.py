"""The xarray check shared by tests/output/check_output.py and tests/sweep/check_sweep.py: every
group of an HDF5 file opened through xarray's netcdf4 engine, each in a child process of its own
(a netCDF-C crash then fails the check instead of killing it), its variables compared with h5py's
datasets.

The parent calls check_groups(script, path, groups); that runs `script xarray-group FILE GROUP`
once per group, and the script answers by calling check_group with what its files look like
(root attributes, dimension scales, how to read a dataset's dimension names).

The scripts run from CTest in other folders, so they put this folder on sys.path themselves.
"""
import subprocess
import sys

import h5py
import numpy as np


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def is_text(dataset):
    return h5py.check_string_dtype(dataset.dtype) is not None


def check_group(path, group_name, *, root_attributes, scales, dims_of, dataframe_groups=()):
    """Runs in a child: opens one group ("/" for the root) with xarray's netcdf4 engine and
    compares it with h5py: variables, dims, coordinates, units and long_name, dtypes and values.
    `dims_of(dataset)` gives the dimension names h5py sees; the groups in `dataframe_groups`
    must also convert with to_dataframe()."""
    import xarray as xr

    group_arg = None if group_name == "/" else group_name
    with xr.open_dataset(path, engine="netcdf4", group=group_arg) as ds, h5py.File(path, "r") as f:
        if group_name == "/":
            for attribute in root_attributes:
                expect(attribute in ds.attrs, f"xarray: root attribute {attribute} missing")
            if "scenario_file" in f.attrs:
                expect(ds.attrs["scenario_file"] == f.attrs["scenario_file"], "xarray: scenario_file differs")
            print("xarray: / ok")
            return
        group = f[group_name]
        expect(set(ds.variables) == set(group), f"xarray: /{group_name} variables {sorted(ds.variables)} "
                                                f"differ from h5py's {sorted(group)}")
        for name, dataset in group.items():
            variable = ds[name]
            want_dims = dims_of(dataset) if dataset.ndim else ()
            expect(variable.dims == want_dims, f"xarray: /{group_name}/{name} dims {variable.dims}, want {want_dims}")
            if name in scales:
                expect(name in ds.coords, f"xarray: /{group_name}/{name} is not a coordinate")
            units = dataset.attrs.get("units", b"")
            units = units.decode() if isinstance(units, bytes) else str(units)
            if units.startswith("days since "):
                # A CF time coordinate (a run file's time): xarray decodes it to dates, the first
                # days of the quarters of period_label, and keeps units and calendar as its encoding.
                expect(np.issubdtype(variable.dtype, np.datetime64),
                       f"xarray: /{group_name}/{name} ({units}) is not decoded to dates but {variable.dtype}")
                expect(variable.encoding.get("units") == units, f"xarray: /{group_name}/{name} encoding units differ")
                expect(variable.encoding.get("calendar") == "standard", f"xarray: /{group_name}/{name} calendar")
                if "period_label" in group:
                    starts = [f"{label[:4]}-{3 * (int(label[5]) - 1) + 1:02d}-01"
                              for label in group["period_label"].asstr()[()]]
                    expect(list(np.datetime_as_string(variable.values, unit="D")) == starts,
                           f"xarray: /{group_name}/{name} dates are not the starts of period_label's quarters")
                expect(variable.attrs.get("long_name") == dataset.attrs["long_name"],
                       f"xarray: /{group_name}/{name}.long_name differs")
                continue
            for attribute in ("units", "long_name"):
                expect(variable.attrs.get(attribute) == dataset.attrs[attribute],
                       f"xarray: /{group_name}/{name}.{attribute} differs")
            if is_text(dataset):
                values = variable.values
                expect(all(isinstance(v, str) for v in np.ravel(values)),
                       f"xarray: /{group_name}/{name} does not decode as str")
                expect(np.array_equal(values.astype(object), np.asarray(dataset.asstr()[()], dtype=object)),
                       f"xarray: /{group_name}/{name} differs")
            else:
                expect(variable.dtype == dataset.dtype, f"xarray: /{group_name}/{name} dtype {variable.dtype}")
                expect(np.array_equal(variable.values, dataset[()], equal_nan=dataset.dtype.kind == "f"),
                       f"xarray: /{group_name}/{name} values differ")
        if "period_label" in ds:
            expect(all(isinstance(v, str) for v in ds["period_label"].values), "period_label is not str")
        if group_name in dataframe_groups:
            ds.to_dataframe()  # the one-liner of the docs
    print(f"xarray: /{group_name} ok: dims {dict(ds.sizes)}")


def run_child(arguments, what, **kwargs):
    """Runs `python3 ARGUMENTS...` and passes its stdout on; a failure or a crash raises CheckFailed."""
    result = subprocess.run([sys.executable, *arguments], capture_output=True, text=True, **kwargs)
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        cause = f"killed by signal {-result.returncode}" if result.returncode < 0 else f"exit {result.returncode}"
        raise CheckFailed(f"{what}: {cause}\n{result.stderr}")


def check_groups(script, path, groups):
    """In the parent: `script xarray-group PATH GROUP` for "/" and then each of `groups`."""
    for group_name in ["/", *groups]:
        run_child([str(script), "xarray-group", str(path), group_name], f"xarray on group {group_name}")
