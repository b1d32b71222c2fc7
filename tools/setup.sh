#!/usr/bin/env bash
# Installs what migsim needs to build, test and read its output, from Debian 12 packages only.
set -euo pipefail
packages=(
  build-essential cmake git pkg-config
  libtbb-dev libeigen3-dev libhdf5-dev libcli11-dev nlohmann-json3-dev libyaml-cpp-dev librandom123-dev libcsv-dev
  libssl-dev zlib1g-dev libgtest-dev libbenchmark-dev hdf5-tools
  libopenmpi-dev openmpi-bin
  clang clang-tidy clang-format libclang-rt-14-dev
  python3 python3-h5py python3-xarray python3-h5netcdf python3-pandas python3-pytest python3-numpy
  python3-scipy python3-matplotlib python3-setuptools jupyter-nbconvert python3-nbconvert python3-nbformat
  python3-ipykernel python3-venv
)
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
