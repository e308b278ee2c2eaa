#!/bin/sh
# Builds and tests assay twice: in build/ (optimised, as shipped) every test;
# in build-asan/ (AddressSanitizer + UndefinedBehaviorSanitizer) what reads
# untrusted bytes: every parser's unit tests and the end-to-end tests of bad
# and hostile input (tests/README.md lists what runs where, and why).
# At the end, pass or fail, it prints the wall time of each phase.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc)

times=""
phase() {  # phase NAME COMMAND...: runs COMMAND and notes how long it took
  name=$1
  shift
  start=$(date +%s)
  "$@"
  times="$times$(printf '%-20s %5d s' "$name" $(($(date +%s) - start)))
"
}
report() {
  printf '\nwall time per phase:\n%s' "$times"
}
trap report EXIT
started=$(date +%s)

phase "release configure" sh scripts/build.sh configure
phase "release build" sh scripts/build.sh build
phase "release test" ctest --test-dir build --output-on-failure -j "$jobs"

# -g1: line tables are enough for sanitizer reports, and full debug info of
# nlohmann/json, CLI11 and GoogleTest would double this build's time.
phase "sanitize configure" cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" -DASSAY_SANITIZE=ON >/dev/null
phase "sanitize build" cmake --build build-asan
phase "sanitize test" env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions="$PWD/tests/lsan.supp":print_suppressions=0 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"
times="$times$(printf '%-20s %5d s' total $(($(date +%s) - started)))
"
