#!/bin/sh
# Builds and runs every test twice: in build/ (optimised, as shipped) and in
# build-asan/ (AddressSanitizer + UndefinedBehaviorSanitizer), so every parser
# meets its hostile inputs under the sanitizers too.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc)

sh scripts/build.sh
ctest --test-dir build --output-on-failure -j "$jobs"

# -g1: line tables are enough for sanitizer reports, and full debug info of
# nlohmann/json, CLI11 and GoogleTest would double this build's time.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" \
  -DASSAY_SANITIZE=ON >/dev/null
cmake --build build-asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions="$PWD/tests/lsan.supp":print_suppressions=0 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"
