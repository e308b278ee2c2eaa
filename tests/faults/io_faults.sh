#!/bin/bash
# Disk-full and I/O-error trials (issue 16, item 3): run by hand, or by the
# hardening runs, not by the README's test command.
#
#   ASSAY=build/assay bash tests/faults/io_faults.sh
#
# An LD_PRELOAD shim on the release build (an ASan binary refuses a preloaded
# library that is not its runtime) fails one call, the Nth, of write, pwrite,
# writev, fsync, fdatasync and rename that a command makes on a file (never
# on stdout or stderr), with ENOSPC or EIO. A first run of each command counts
# its calls; then each N from 1 to the count is a trial, once per errno, for:
#   - attest model: hashing (the hash cache), the record written with -o, the
#     ledger append (objects, the ref, the index);
#   - key generate: the secret and public key files;
#   - attest checkpoint -o: the checkpoint note;
#   - observe: the observation records of a new revision.
# After every trial it checks, with the real binary and no fault:
#   - the command exited 0, or 3 with one error line (and at most a hint);
#   - nothing half-written: an output file is absent or whole, and no
#     temporary file is left beside it;
#   - the ledger verifies (`assay verify ledger`): else a broken ledger;
#   - every acknowledged record (printed, exit 0) is still in `assay log`;
#   - the next append works.
# It prints the counts; broken ledgers, lost records, bad exits, half-written
# files and failed next appends must all be 0 (exit 1 otherwise).
set -euo pipefail

ASSAY=$(realpath "${ASSAY:-build/assay}")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/assay-io-faults.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

cat >"$WORK/fail_io.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

// ASSAY_FAULT_AT=N fails the Nth counted call with errno ASSAY_FAULT_ERRNO;
// ASSAY_FAULT_COUNT=FILE writes the number of counted calls there at exit.
static atomic_long calls;

static int fault(void) {
  const long n = atomic_fetch_add(&calls, 1) + 1;
  const char* at = getenv("ASSAY_FAULT_AT");
  if (at == NULL || atol(at) != n) return 0;
  errno = atoi(getenv("ASSAY_FAULT_ERRNO"));
  return 1;
}

__attribute__((destructor)) static void report(void) {
  const char* file = getenv("ASSAY_FAULT_COUNT");
  if (file == NULL) return;
  FILE* out = fopen(file, "w");
  if (out != NULL) {
    fprintf(out, "%ld\n", atomic_load(&calls));
    fclose(out);
  }
}

#define REAL(name)                   \
  static __typeof__(&name) real_##name; \
  if (!real_##name) real_##name = (__typeof__(&name))dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void* buffer, size_t size) {
  REAL(write);
  if (fd > 2 && fault()) return -1;
  return real_write(fd, buffer, size);
}
ssize_t pwrite(int fd, const void* buffer, size_t size, off_t offset) {
  REAL(pwrite);
  if (fd > 2 && fault()) return -1;
  return real_pwrite(fd, buffer, size, offset);
}
ssize_t pwrite64(int fd, const void* buffer, size_t size, off_t offset) {
  REAL(pwrite64);
  if (fd > 2 && fault()) return -1;
  return real_pwrite64(fd, buffer, size, offset);
}
ssize_t writev(int fd, const struct iovec* parts, int count) {
  REAL(writev);
  if (fd > 2 && fault()) return -1;
  return real_writev(fd, parts, count);
}
int fsync(int fd) {
  REAL(fsync);
  if (fault()) return -1;
  return real_fsync(fd);
}
int fdatasync(int fd) {
  REAL(fdatasync);
  if (fault()) return -1;
  return real_fdatasync(fd);
}
int rename(const char* from, const char* to) {
  REAL(rename);
  if (fault()) return -1;
  return real_rename(from, to);
}
C
gcc -shared -fPIC -O1 -o "$WORK/fail_io.so" "$WORK/fail_io.c" -ldl

export ASSAY_CONFIG_DIR="$WORK/config" ASSAY_CACHE_DIR="$WORK/cache" NO_COLOR=1
LEDGER="$WORK/ledger"
"$ASSAY" init "$LEDGER" >/dev/null
"$ASSAY" key generate --unencrypted --key "$WORK/vendor.key" >/dev/null 2>&1
"$ASSAY" trust add vendor --role vendor,observer --key-file "$WORK/vendor.pub" >/dev/null
python3 "$HERE/../e2e/fixtures.py" weights "$WORK/model" --shards 1
git init -q "$WORK/hub"
git -C "$WORK/hub" -c user.name=hub -c user.email=hub@example.com commit -q --allow-empty -m "first upload"
: >"$WORK/acknowledged"

trials=0 injected=0 broken=0 lost=0 bad_exits=0 half_written=0 stuck=0 trial_name=""

complain() { echo "trial $trials ($trial_name): $*" >&2; }

# What each command writes, by the name of its trial: "attest-model",
# "key-generate", "checkpoint", "observe". run_command NAME N ENV...
run_command() {
  local name=$1 n=$2
  shift 2
  rm -rf "$WORK/out"
  mkdir -p "$WORK/out"
  case $name in
    attest-model)
      env "$@" "$ASSAY" attest model "$WORK/model" --name "io/m$n" --key "$WORK/vendor.key" --ledger "$LEDGER" \
        -o "$WORK/out/record.json" ;;
    key-generate)
      env "$@" "$ASSAY" key generate --unencrypted --key "$WORK/out/new.key" ;;
    checkpoint)
      env "$@" "$ASSAY" attest checkpoint --ledger "$LEDGER" --key "$WORK/vendor.key" -o "$WORK/out/checkpoint.note" ;;
    observe)
      git -C "$WORK/hub" -c user.name=hub -c user.email=hub@example.com commit -q --allow-empty -m "upload $n"
      env "$@" "$ASSAY" observe "$WORK/hub" --source hf:io/hub --ledger "$LEDGER" --key "$WORK/vendor.key" ;;
  esac
}

# The files a command wrote are whole, or absent, and nothing else is left in out/.
check_outputs() {
  local name=$1 file
  for file in "$WORK"/out/* "$WORK"/out/.[!.]*; do
    [[ -e "$file" ]] || continue
    case "$(basename "$file")" in
      record.json) python3 -c 'import json, sys; json.load(open(sys.argv[1]))["signatures"][0]["sig"]' "$file" \
                     2>/dev/null || { half_written=$((half_written + 1)); complain "a half-written record"; } ;;
      new.key | new.pub) "$ASSAY" key show --key "$WORK/out/new.pub" >/dev/null 2>&1 ||
                     { half_written=$((half_written + 1)); complain "a half-written key"; } ;;
      checkpoint.note) grep -q "^— " "$file" || { half_written=$((half_written + 1)); complain "a half-written note"; } ;;
      *) half_written=$((half_written + 1)); complain "left behind: $(basename "$file")" ;;
    esac
  done
}

source "$HERE/lib.sh"  # check_ledger

# One trial: the command with the Nth call failing, then the checks.
trial() {
  local name=$1 n=$2 errno=$3 code=0
  trials=$((trials + 1))
  trial_name="$name, call $n, errno $errno"
  run_command "$name" "$trials" LD_PRELOAD="$WORK/fail_io.so" ASSAY_FAULT_AT="$n" ASSAY_FAULT_ERRNO="$errno" \
    >"$WORK/stdout" 2>"$WORK/stderr" || code=$?
  injected=$((injected + 1))
  if ((code == 0)); then
    # Acknowledged: every record it printed must stay.
    grep -oE '^(ledger|  record) +[0-9a-f]{64}' "$WORK/stdout" | awk '{print $2}' >>"$WORK/acknowledged" || true
  elif ((code != 3)) || [[ "$(head -c 14 "$WORK/stderr")" != "assay: error: " ]] ||
      (($(grep -vc '^hint: ' "$WORK/stderr") != 1)); then
    bad_exits=$((bad_exits + 1))
    complain "exit $code: $(cat "$WORK/stderr")"
  fi
  check_outputs "$name"
  check_ledger
  # The next append works by itself.
  if ! "$ASSAY" attest model "$WORK/model" --name "after/m$trials" --key "$WORK/vendor.key" --ledger "$LEDGER" \
      >"$WORK/next" 2>"$WORK/next.err"; then
    stuck=$((stuck + 1))
    complain "the next append failed: $(cat "$WORK/next.err")"
  else
    awk '$1 == "ledger" {print $2}' "$WORK/next" >>"$WORK/acknowledged"
  fi
}

for name in attest-model key-generate checkpoint observe; do
  run_command "$name" "count" LD_PRELOAD="$WORK/fail_io.so" ASSAY_FAULT_COUNT="$WORK/count" >/dev/null 2>&1
  count=$(cat "$WORK/count")
  echo "$name: $count counted calls" >&2
  for ((n = 1; n <= count; ++n)); do
    for errno in 28 5; do  # ENOSPC, EIO
      trial "$name" "$n" "$errno"
    done
  done
done
check_ledger

printf 'trials %d, faults injected %d\n' "$trials" "$injected"
printf 'broken ledgers %d, lost acknowledged records %d, bad exits %d, half-written files %d, failed next appends %d\n' \
  "$broken" "$lost" "$bad_exits" "$half_written" "$stuck"
((broken == 0 && lost == 0 && bad_exits == 0 && half_written == 0 && stuck == 0))
