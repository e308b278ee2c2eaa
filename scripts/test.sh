#!/bin/sh
# Builds and runs every test twice: in build/ (optimised, as shipped) and in
# build-asan/ (AddressSanitizer + UndefinedBehaviorSanitizer), so every parser
# meets its hostile inputs under the sanitizers too.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc)

sh scripts/build.sh
ctest --test-dir build --output-on-failure -j "$jobs"

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DASSAY_SANITIZE=ON >/dev/null
cmake --build build-asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"
