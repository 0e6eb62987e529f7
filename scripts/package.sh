#!/usr/bin/env bash
# Builds the Debian packages (CPack, cmake/AllerversPackaging.cmake) from this tree into
# build/packages/: allervers-data, allervers-server, allervers-kiosk, allervers-device.
# Install them on Debian 12 with `apt install ./build/packages/allervers-*.deb`.
# A Release build of its own (build/package), without tests or benchmarks; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_DIR="${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/allervers-ccache}"
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B build/package -G Ninja -DCMAKE_BUILD_TYPE=Release -DALLERVERS_WERROR=ON \
  -DALLERVERS_BUILD_TESTS=OFF -DALLERVERS_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
cmake --build build/package -j "${JOBS:-$(nproc)}"
rm -rf build/packages
(cd build/package && cpack -G DEB -B "$PWD/../packages" >/dev/null)
rm -rf build/packages/_CPack_Packages
for deb in build/packages/*.deb; do
  echo "$deb: $(dpkg-deb -f "$deb" Package Version Depends | tr '\n' ' ')"
done
