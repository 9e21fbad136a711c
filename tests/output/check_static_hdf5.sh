#!/usr/bin/env bash
# check_static_hdf5.sh PROGRAM: with POLICYSIM_STATIC_HDF5 (the default), the program loads neither
# Debian's shared libhdf5 nor libcurl, which the shared libhdf5 needs for its S3 driver and which
# brought some 30 more libraries to every run's start (docs/performance.md, thirteenth round).
# A structural check of the link, not a timing: it fails if a change of the build brings them back.
set -euo pipefail
program=$1
libraries=$(ldd "$program")
if grep -E 'libhdf5|libcurl' <<< "$libraries"; then
  echo "check_static_hdf5: $program loads the libraries above; HDF5 should be linked statically" >&2
  exit 1
fi
echo "check_static_hdf5: $program loads $(grep -c '=>' <<< "$libraries") shared libraries, no libhdf5 or libcurl"
