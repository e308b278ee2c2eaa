#!/bin/sh
# Configures and builds assay and its tests in build/ (warnings are errors).
#   sh scripts/build.sh [configure|build]    both steps when none is named
set -eu
cd "$(dirname "$0")/.."
step=${1:-all}
if [ "$step" = all ] || [ "$step" = configure ]; then
  # Optimised as shipped, without debug info (it would double the build's time).
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" >/dev/null
fi
if [ "$step" = all ] || [ "$step" = build ]; then
  cmake --build build
fi
