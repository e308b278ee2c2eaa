#!/bin/sh
# Configures and builds assay and its tests in build/ (warnings are errors).
set -eu
cd "$(dirname "$0")/.."
# Optimised as shipped, without debug info (it would double the build's time).
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" >/dev/null
cmake --build build
