#!/usr/bin/env bash
# Installs the Debian 12 packages policysim needs: only those missing, so it is safe to re-run.
# Everything comes from Debian's archive; nothing is downloaded from anywhere else.
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libeigen3-dev libboost-program-options-dev libhdf5-dev zlib1g-dev libdeflate-dev catch2 libtomlplusplus-dev librandom123-dev
  openmpi-bin libopenmpi-dev
  python3 python3-h5py python3-numpy python3-pandas python3-matplotlib python3-xarray python3-netcdf4 python3-scipy
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install_dependencies: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install_dependencies: installing ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
