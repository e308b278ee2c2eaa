#!/bin/bash
# Kill -9 trials against ledger appends (issue "What a forged bundle, a hostile
# config, a kill and a race break today"): run by hand, or by the hardening
# runs, not by the README's test command.
#
#   ASSAY=build/assay bash tests/faults/kill_appends.sh [TRIALS]
#
# Each trial starts an append (`assay attest model` of a tiny model, a new name
# each time) and kills it with SIGKILL: half the trials at a random moment
# (0-60 ms in), half from inside libgit2's ref update, by an LD_PRELOAD shim
# that kills the process when it renames refs/heads/ledger.lock into place
# (before the rename, or just after it, before assay's fsync). After every
# trial it checks, with the real binary:
#   - the ledger verifies (`assay verify ledger`): else a broken ledger;
#   - every acknowledged record (an append that printed its id and exited 0)
#     is still in `assay log`: else a lost record;
#   - the next append succeeds without help: else a stale lock.
# It prints the counts; the last three must be 0 (exit 1 otherwise).
set -euo pipefail

ASSAY=$(realpath "${ASSAY:-build/assay}")
TRIALS=${1:-240}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/assay-kills.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# The shim: kill at the ref update, when ASSAY_KILL_AT says so.
cat >"$WORK/kill_at_ref.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int ends_with(const char* text, const char* suffix) {
  size_t n = strlen(text), m = strlen(suffix);
  return n >= m && strcmp(text + n - m, suffix) == 0;
}

int rename(const char* from, const char* to) {
  static int (*real_rename)(const char*, const char*);
  if (real_rename == NULL) real_rename = (int (*)(const char*, const char*))dlsym(RTLD_NEXT, "rename");
  const char* when = getenv("ASSAY_KILL_AT");
  int at_ref = when != NULL && ends_with(from, "refs/heads/ledger.lock");
  if (at_ref && strcmp(when, "before-rename") == 0) raise(SIGKILL);
  int result = real_rename(from, to);
  if (at_ref && strcmp(when, "after-rename") == 0) raise(SIGKILL);
  return result;
}
C
gcc -shared -fPIC -O1 -o "$WORK/kill_at_ref.so" "$WORK/kill_at_ref.c" -ldl

export ASSAY_CONFIG_DIR="$WORK/config" ASSAY_CACHE_DIR="$WORK/cache" NO_COLOR=1
LEDGER="$WORK/ledger"
"$ASSAY" init "$LEDGER" >/dev/null
"$ASSAY" key generate --unencrypted --key "$WORK/vendor.key" >/dev/null
"$ASSAY" trust add vendor --role vendor --key-file "$WORK/vendor.pub" >/dev/null
python3 "$HERE/../e2e/fixtures.py" weights "$WORK/model" --shards 1
: >"$WORK/acknowledged"

trials=0 killed_mid_append=0 broken=0 lost=0 stale=0 finished=0

append() {  # append NAME [env...]: one append; records the id when acknowledged
  local name=$1
  shift
  if env "$@" "$ASSAY" attest model "$WORK/model" --name "$name" --key "$WORK/vendor.key" --ledger "$LEDGER" \
      --no-cache >"$WORK/out" 2>"$WORK/err"; then
    awk '$1 == "ledger" {print $2}' "$WORK/out" >>"$WORK/acknowledged"
    return 0
  fi
  return 1
}

complain() { echo "trial $trials: $*" >&2; }
source "$HERE/lib.sh"  # check_ledger

for ((trial = 0; trial < TRIALS; ++trial)); do
  trials=$((trials + 1))
  name="kill/m$trial"
  case $((trial % 4)) in
    0 | 1)  # a random moment
      env "$ASSAY" attest model "$WORK/model" --name "$name" --key "$WORK/vendor.key" --ledger "$LEDGER" \
        --no-cache >"$WORK/out" 2>"$WORK/err" &
      pid=$!
      sleep "0.0$((RANDOM % 6))$((RANDOM % 10))"
      kill -9 "$pid" 2>/dev/null || true
      code=0
      wait "$pid" 2>/dev/null || code=$?
      if ((code == 137)); then
        killed_mid_append=$((killed_mid_append + 1))
      elif ((code == 0)); then
        finished=$((finished + 1))
        awk '$1 == "ledger" {print $2}' "$WORK/out" >>"$WORK/acknowledged"
      fi
      ;;
    2)
      append "$name" LD_PRELOAD="$WORK/kill_at_ref.so" ASSAY_KILL_AT=before-rename && finished=$((finished + 1)) ||
        killed_mid_append=$((killed_mid_append + 1))
      ;;
    3)
      append "$name" LD_PRELOAD="$WORK/kill_at_ref.so" ASSAY_KILL_AT=after-rename && finished=$((finished + 1)) ||
        killed_mid_append=$((killed_mid_append + 1))
      ;;
  esac
  check_ledger
  # The next append must work by itself: a kill must never leave a lock behind.
  if ! append "after/m$trial"; then
    stale=$((stale + 1))
    echo "trial $trials: the append after the kill failed: $(cat "$WORK/err")" >&2
  fi
done
check_ledger

printf 'trials %d, kills mid-append %d, appends that finished first %d\n' "$trials" "$killed_mid_append" "$finished"
printf 'broken ledgers %d, lost acknowledged records %d, stale locks %d\n' "$broken" "$lost" "$stale"
((broken == 0 && lost == 0 && stale == 0))
