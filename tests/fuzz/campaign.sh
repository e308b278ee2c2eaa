#!/bin/bash
# tests/fuzz/campaign.sh SECONDS [LONG_SECONDS]: every target for SECONDS, the
# eight riskiest (the weight formats, DSSE, lenient JSON, lm-eval samples,
# the zip reader, SSHSIG, signed notes) for LONG_SECONDS, two at a time (one
# per core). Each run's log is build-fuzz/logs/TARGET.log; the table at the
# end gives seconds, executions, executions per second, the corpus it grew,
# peak memory and whether it found anything.
set -euo pipefail
short=${1:?usage: campaign.sh SECONDS [LONG_SECONDS]}
long=${2:-$short}
root=$(cd "$(dirname "$0")/../.." && pwd)
riskiest=" safetensors gguf dsse lenient_json lm_eval_samples zip sshsig signed_note "
logs="$root/build-fuzz/logs"
mkdir -p "$logs"
"$root/tests/fuzz/run.sh" lfs_pointer 1 >/dev/null 2>&1  # builds build-fuzz once, before the runs start
cmake --build "$root/build-fuzz" --target fuzzers >/dev/null
for corpus in "$root"/tests/fuzz/corpus/*; do
  target=$(basename "$corpus")
  seconds=$short
  [[ "$riskiest" == *" $target "* ]] && seconds=$long
  echo "$target $seconds"
done | xargs -P 2 -L 1 bash -c '"$0/tests/fuzz/run.sh" "$1" "$2" >"$0/build-fuzz/logs/$1.log" 2>&1 || true' "$root"
printf '%-20s %8s %12s %10s %8s %8s  %s\n' target seconds executions "exec/s" "units" "rss MB" finding
for log in "$logs"/*.log; do
  target=$(basename "$log" .log)
  stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
  found=$(grep -m1 -oE "ERROR: (AddressSanitizer|UndefinedBehaviorSanitizer|libFuzzer)[^ ]*: [a-z-]+|runtime error:.*|SUMMARY: [A-Za-z]+: [a-z-]+" "$log" || true)
  seconds=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  printf '%-20s %8s %12s %10s %8s %8s  %s\n' "$target" "${seconds:-?}" "$(stat number_of_executed_units)" \
    "$(stat average_exec_per_sec)" "$(stat new_units_added)" "$(stat peak_rss_mb)" "${found:-none}"
done
