#!/bin/bash
# tests/fuzz/run.sh TARGET SECONDS [LIBFUZZER FLAG...]: fuzzes one target
# (`fuzz_replay --list`, or the folders of tests/fuzz/corpus, name them) for
# SECONDS with libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer.
# It builds build-fuzz/ with clang on first use (Debian's clang and
# libclang-rt-14-dev, from scripts/setup-debian.sh). The committed seeds,
# and the files of ../shared/realdata of the target's kind when present (read
# in place, never copied), start it; what it finds that is new goes to
# build-fuzz/corpus/TARGET, and an input that fails to build-fuzz/findings/.
# The last lines are libFuzzer's final statistics: executions, executions per
# second, peak memory. tests/fuzz/README.md says how to run it for hours and
# how a finding becomes a regression input.
set -euo pipefail
target=${1:?usage: run.sh TARGET SECONDS [LIBFUZZER FLAG...]}
seconds=${2:?usage: run.sh TARGET SECONDS [LIBFUZZER FLAG...]}
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
fuzz="$root/tests/fuzz"
build="$root/build-fuzz"
[[ -d "$fuzz/corpus/$target" ]] || { echo "run.sh: no target '$target' (tests/fuzz/corpus names them)" >&2; exit 2; }

if [[ ! -f "$build/build.ninja" ]]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
    -DASSAY_FUZZ=ON -DASSAY_WERROR=OFF >/dev/null
fi
cmake --build "$build" --target "fuzz_$target" >/dev/null

# The dictionary of the target's format, where it has keywords.
declare -A dictionary=(
  [safetensors]=safetensors [safetensors_index]=safetensors [model_folder]=safetensors [gguf]=gguf
  [lfs_pointer]=lfs_pointer [strict_json]=json [lenient_json]=json [dsse]=record [record]=record
  [statement]=record [evidence_bundle]=record [sshsig]=sshsig [signed_note]=signed_note
  [eval_log_json]=eval_log [eval_log_jsonl]=eval_log [lm_eval_samples]=eval_log [lm_eval_run]=eval_log
  [inspect_eval]=zip [zip]=zip [helm_run]=eval_log [transcript_opening]=eval_log [sample_proof]=eval_log
)
flags=()
[[ -n "${dictionary[$target]:-}" ]] && flags+=(-dict="$fuzz/dicts/${dictionary[$target]}.dict")

# Real files of the target's kind, linked (not copied) into a scratch seed folder.
realdata="$root/../shared/realdata"
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
declare -A real=(
  [safetensors]="weights/*.safetensors" [model_folder]="weights/*.safetensors weights/*.gguf" [gguf]="weights/*.gguf"
  [eval_log_json]="eval/*.json" [lenient_json]="eval/*.json" [lm_eval_samples]="eval/*samples*.jsonl"
  [eval_log_jsonl]="eval/*samples*.jsonl" [inspect_eval]="eval/*.eval" [zip]="eval/*.eval"
)
if [[ -d "$realdata" && -n "${real[$target]:-}" ]]; then
  for pattern in ${real[$target]}; do
    for file in "$realdata"/$pattern; do [[ -f "$file" ]] && ln -s "$file" "$seeds/"; done
  done
fi
# The multi-file targets take their files as one input, cut by "----8<----" lines (fuzz_input.h).
cut=$'\n----8<----\n'
helm="$realdata/eval/helm__hellaswag_pythia-1b"
if [[ "$target" == helm_run && -d "$helm" ]]; then
  for file in run_spec scenario scenario_state per_instance_stats stats; do
    cat "$helm/$file.json"
    [[ "$file" == stats ]] || printf '%s' "$cut"
  done >"$seeds/real-helm"
fi
if [[ "$target" == lm_eval_run && -d "$realdata/eval" ]]; then
  { cat "$realdata"/eval/lm-evaluation-harness__results_2026-07-08T16-04-34.219874.json; printf '%s' "$cut"
    cat "$realdata"/eval/lm-evaluation-harness__samples_negotiationtom_belief_2026-07-08T16-04-34.219874.jsonl; } \
    >"$seeds/real-lm-eval" 2>/dev/null || rm -f "$seeds/real-lm-eval"
fi

mkdir -p "$build/corpus/$target" "$build/findings/$target"
"$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 \
  -timeout=30 -artifact_prefix="$build/findings/$target/" "${flags[@]}" "$@" \
  "$build/corpus/$target" "$fuzz/corpus/$target" "$seeds"
