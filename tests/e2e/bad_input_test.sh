#!/bin/bash
# End-to-end: broken and hostile model folders (DESIGN.md, Bad input and
# faults; item 7 of "What it must show"). Each is refused with exit 2 (3 for
# I/O) and one "assay: error: " line naming the file, writes nothing, and
# never crashes (lib.sh's `run` fails on signals and sanitizer reports).
source "$(dirname "$0")/lib.sh"
require_tool mkfifo

# new_model NAME: a folder holding one valid shard, so the bad file is not
# alone; prints its path.
new_model() {
  local dir="$WORK/$1"
  fixtures safetensors "$dir/good.safetensors" layers.0.norm.weight layers.1.norm.weight
  echo "$dir"
}

# Malformed weight files, one problem each (fixtures.py, HOSTILE): truncated
# before the length prefix ends or inside the header, a header length past
# the end of the file, offsets out of range, overlapping and gapped tensors,
# an unknown dtype, bad JSON, a key twice, and GGUF counts and lengths that no
# file of that size could hold.
malformed_weight_files_refused() {
  local kind file dir
  for kind in st-short-prefix st-short-header st-header-length-too-large st-offset-out-of-range \
    st-overlap st-gap st-unknown-dtype st-bad-json st-duplicate-key \
    gguf-absurd-tensor-count gguf-absurd-string-length; do
    file="bad.${kind%%-*}"
    file="${file/.st/.safetensors}"
    dir=$(new_model "$kind")
    fixtures hostile "$kind" "$dir/$file"
    expect_refused "$dir" 2 "$file"
  done
}
check "malformed safetensors and gguf files refused" malformed_weight_files_refused

# One tensor name in two shards of one format is ambiguous: the error names
# the tensor and both shards, so the user knows which files to look at.
duplicate_tensor_across_shards_refused() {
  local dir
  dir=$(new_model duplicate-across-shards)
  fixtures safetensors "$dir/a.safetensors" embed.weight step
  fixtures safetensors "$dir/b.safetensors" embed.weight
  expect_refused "$dir" 2 embed.weight a.safetensors b.safetensors
}
check "a tensor name in two shards of one format refused, naming both" duplicate_tensor_across_shards_refused

# The same name in two formats is fine: each format has its own root.
same_tensor_name_in_two_formats_accepted() {
  local dir
  dir=$(new_model same-name-two-formats)
  fixtures safetensors "$dir/a.safetensors" embed.weight
  fixtures gguf "$dir/a.gguf" embed.weight=F32:4
  attest "$dir" --no-cache
  expect_code 0
}
check "a tensor name in two formats accepted" same_tensor_name_in_two_formats_accepted

# A shard index that names a missing shard, or puts a tensor in a shard that
# does not hold it; the corrected index is accepted. The fixture's two-shard
# split puts the first five standard tensors in shard 1, the other four in 2.
shard_index_checked() {
  local shard1=model-00001-of-00002.safetensors shard2=model-00002-of-00002.safetensors dir
  local in1=(embed.weight layers.0.attn.q.weight layers.0.attn.k.weight layers.0.norm.weight layers.1.mlp.up.weight)
  local in2=(layers.1.norm.weight lm_head.weight step unused)
  local map=("${in1[@]/%/=$shard1}" "${in2[@]/%/=$shard2}")  # TENSOR=SHARD, as `fixtures index` takes them
  dir="$WORK/index-missing-shard"
  fixtures weights "$dir" --shards 2 --index
  rm "$dir/$shard2"
  expect_refused "$dir" 2 model.safetensors.index.json "$shard2"
  dir="$WORK/index-wrong-shard"
  fixtures weights "$dir" --shards 2
  fixtures index "$dir/model.safetensors.index.json" "${map[@]/#lm_head.weight=$shard2/lm_head.weight=$shard1}"
  expect_refused "$dir" 2 model.safetensors.index.json lm_head.weight
  fixtures index "$dir/model.safetensors.index.json" "${map[@]}"
  attest "$dir" --no-cache
  expect_code 0
}
check "index naming a missing shard or the wrong shard refused" shard_index_checked

# Entries that are not plain files inside the folder: symlinks that leave it
# (absolute and relative), a fifo (refused, never opened: no hang), and a file
# name that is not UTF-8 (named by its folder, since it cannot be printed).
non_files_and_escapes_refused() {
  local dir
  echo outside >"$WORK/outside.txt"
  dir=$(new_model symlink-absolute)
  ln -s "$WORK/outside.txt" "$dir/escape"
  expect_refused "$dir" 2 escape
  dir=$(new_model symlink-relative)
  mkdir "$dir/sub"
  ln -s ../../outside.txt "$dir/sub/escape"
  expect_refused "$dir" 2 sub/escape
  dir=$(new_model fifo)
  mkfifo "$dir/pipe"
  expect_refused "$dir" 2 pipe
  dir=$(new_model non-utf8-name)
  mkdir "$dir/sub"
  echo x >"$dir/sub/bad"$'\xff'".bin"
  expect_refused "$dir" 2 non-utf8-name/sub
}
check "escaping symlinks, fifos and non-UTF-8 names refused" non_files_and_escapes_refused

# Usage and I/O errors: an unknown flag or a missing folder argument is exit
# 2; a folder that does not exist is exit 3, naming it.
usage_and_io_errors() {
  local dir
  dir=$(new_model usage)
  attest "$dir" --frobnicate
  expect_code 2
  [[ "$(head -c 14 "$WORK/stderr")" == "assay: error: " ]] || fail "usage error does not start with 'assay: error: '"
  expect_stderr_contains --frobnicate
  run "$ASSAY" attest model
  expect_code 2
  expect_one_line_error "DIR is required" "assay attest model --help"
  expect_refused "$WORK/no-such-folder" 3 "$WORK/no-such-folder"
  # An unknown command is named, with the nearest known one, at any depth.
  run "$ASSAY" nosuchcommand
  expect_code 2
  expect_one_line_error "unknown command 'nosuchcommand'" "did you mean '" "'assay --help' lists the commands"
  run "$ASSAY" statsu acme/model
  expect_code 2
  expect_one_line_error "unknown command 'statsu'" "did you mean 'status'?"
  run "$ASSAY" verify clam 0123
  expect_code 2
  expect_one_line_error "unknown command 'verify clam'" "did you mean 'verify claim'?" "'assay verify --help'"
}
check "unknown flag, command and missing argument exit 2; missing folder exits 3" usage_and_io_errors

# Inputs are checked before the key is unlocked: with no key at all, each
# signing command names its missing input, never the key.
inputs_before_the_key() {
  local command
  local commands=(
    "attest model $WORK/no-such-folder"
    "attest claim $WORK/no-such-log.jsonl --model acme/none@v1"
    "attest plan $WORK/no-such-plan.json"
    "attest comparison $WORK/no-such-a.jsonl $WORK/no-such-b.jsonl --endpoint acme/x --model acme/none@v1"
    "observe $WORK/no-such-checkout"
    "sign $WORK/no-such-file"
    "attest cosign $WORK/no-such-checkpoint"
  )
  for command in "${commands[@]}"; do
    # shellcheck disable=SC2086
    run "$ASSAY" $command --key "$WORK/no-such-key"
    [[ "$RUN_CODE" == 2 || "$RUN_CODE" == 3 ]] || fail "assay $command: exit $RUN_CODE"
    # The missing file, or the missing ledger that the model record would be in.
    grep -q "no-such-\(folder\|log\|plan\|a\|checkout\|file\|checkpoint\)\|no ledger here" "$WORK/stderr" ||
      fail "assay $command does not name its missing input"
    grep -q "no-such-key" "$WORK/stderr" && fail "assay $command reached the key before its input"
  done
  return 0
}
check "signing commands check their inputs before the key" inputs_before_the_key

# An eval log from a clone made without its LFS content is the pointer, not
# the log: refused as such, never as malformed JSON.
lfs_pointer_eval_log_refused() {
  printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 4096\n' \
    4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393 >"$WORK/samples_mmlu.jsonl"
  run "$ASSAY" compare-transcripts "$WORK/samples_mmlu.jsonl" "$WORK/samples_mmlu.jsonl"
  expect_code 2
  expect_one_line_error samples_mmlu.jsonl "Git LFS pointer" "not downloaded"
  [[ ! -s "$WORK/stdout" ]] || fail "printed a report despite the error"
}
check "an eval log that is a Git LFS pointer is refused as one" lfs_pointer_eval_log_refused

check "the default hash cache was not touched" expect_default_cache_untouched

finish
