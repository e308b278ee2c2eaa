#!/bin/bash
# End-to-end: `assay diff A B` and `assay verify lfs DIR --record R` (issue
# "Audits", items 1 and 2, and their part of "What it must show"): re-sharded
# weights reported as such with equal roots, a changed tensor named, a dtype
# change and an added tensor called out, a Llama 3 against a Llama 3.1 config
# with rope_scaling and max_position_embeddings marked, LFS pointers written
# by the real `git lfs pointer` that match the record and that do not, and bad
# input (pointer garbage, a truncated safetensors file, bad config JSON)
# refused with exit 2 and one line naming the file.
source "$(dirname "$0")/lib.sh"
require_tool git
require_tool git-lfs  # the pointers must come from the real client: missing fails, never skips

export ASSAY_CONFIG_DIR="$WORK/config"
export ASSAY_CACHE_DIR="$WORK/cache"

# The standard tensors in one file and in three: the same weights.
fixtures weights "$WORK/one" --shards 1
fixtures weights "$WORK/three" --shards 3 --index

# diff A B ARGS...: runs `assay diff`, which is a report: exit 0 whatever differs.
diff_models() {
  run "$ASSAY" diff "$@"
  expect_code 0
}

resharded_same_weights() {
  diff_models "$WORK/one" "$WORK/three"
  [[ "$(head -n 1 "$WORK/stdout")" == "summary    same weights, re-sharded: weight files differ, every tensor is equal" ]] ||
    fail "the summary is not the first line: $(head -n 1 "$WORK/stdout")"
  expect_stdout_contains "file removed  model-00001-of-00001.safetensors"
  expect_stdout_contains "file added    model-00003-of-00003.safetensors"
  if grep -q '^tensor' "$WORK/stdout"; then fail "a tensor listed as different"; fi
  diff_models "$WORK/one" "$WORK/three" --json
  cp "$WORK/stdout" "$WORK/resharded.json"
  [[ "$(json_get "$WORK/resharded.json" 's["weights"]')" == re-sharded ]] || fail "weights is not re-sharded"
  [[ "$(json_get "$WORK/resharded.json" 's["a"]["weightsRoots"] == s["b"]["weightsRoots"] != []')" == True ]] ||
    fail "the weights roots differ"
  [[ "$(json_get "$WORK/resharded.json" 's["tensorsCompared"] and s["tensors"] == []')" == True ]] || fail "tensors"
}
check "re-sharded weights: roots equal, 're-sharded' reported first" resharded_same_weights

one_changed_tensor_named() {
  fixtures weights "$WORK/flipped" --shards 3 --index --flip layers.1.mlp.up.weight
  diff_models "$WORK/three" "$WORK/flipped"
  expect_stdout_contains "summary    weights changed: 1 tensor changed"
  expect_stdout_contains "file changed  model-00002-of-00003.safetensors"
  [[ "$(grep -c '^tensor' "$WORK/stdout")" == 1 ]] || fail "expected exactly one tensor line"
  expect_stdout_contains "tensor changed layers.1.mlp.up.weight (model-00002-of-00003.safetensors) bytes"
  # From the record side too: an unsigned statement of the original, and the ledger's signed record.
  attest_json "$WORK/three" "$WORK/three.json"
  diff_models "$WORK/three.json" "$WORK/flipped"
  expect_stdout_contains "A          record $WORK/three.json: three, record"
  expect_stdout_contains "signed by nobody: an unsigned statement"
  expect_stdout_contains "tensor changed layers.1.mlp.up.weight"
}
check "one changed tensor: named, with its file" one_changed_tensor_named

dtype_change_and_added_tensor() {
  fixtures safetensors "$WORK/dtype-a/model.safetensors" embed.weight layers.0.norm.weight
  fixtures safetensors "$WORK/dtype-b/model.safetensors" embed.weight layers.0.norm.weight=F16:8 extra.bias=F32:4
  diff_models "$WORK/dtype-a" "$WORK/dtype-b"
  expect_stdout_contains "summary    weights changed: 1 tensor changed, 1 tensor added"
  expect_stdout_contains "tensor changed layers.0.norm.weight (model.safetensors) dtype safetensors:F32 -> safetensors:F16"
  expect_stdout_contains "tensor added   extra.bias (model.safetensors)"
  diff_models "$WORK/dtype-a" "$WORK/dtype-b" --json
  cp "$WORK/stdout" "$WORK/dtype.json"
  [[ "$(json_get "$WORK/dtype.json" '[t["change"] for t in s["tensors"]]' | tr '\n' ' ')" == "added changed " ]] ||
    fail "tensor changes"
  [[ "$(json_get "$WORK/dtype.json" 's["tensors"][1]["dtypeChanged"] and not s["tensors"][1]["shapeChanged"]')" == True ]] ||
    fail "dtype change not flagged"
}
check "a dtype change and an added tensor are called out" dtype_change_and_added_tensor

# A Llama 3 config against Llama 3.1's (the instruct models' published
# config.json, trimmed of keys that do not change): same weights, other model.
write_llama_config() {
  local dir=$1 version=$2
  "$PYTHON" - "$dir/config.json" "$version" <<'EOF'
import json, sys
config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4096,
          "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32,
          "num_key_value_heads": 8, "vocab_size": 128256, "rope_theta": 500000.0, "torch_dtype": "bfloat16",
          "bos_token_id": 128000, "eos_token_id": 128001, "max_position_embeddings": 8192,
          "tie_word_embeddings": False, "transformers_version": "4.40.0.dev0"}
if sys.argv[2] == "3.1":
    config.update({"eos_token_id": [128001, 128008, 128009], "max_position_embeddings": 131072,
                   "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                    "original_max_position_embeddings": 8192, "rope_type": "llama3"},
                   "transformers_version": "4.43.0.dev0"})
json.dump(config, open(sys.argv[1], "w"), indent=2)
EOF
}

llama3_against_llama31() {
  cp -r "$WORK/three" "$WORK/llama3"
  cp -r "$WORK/three" "$WORK/llama31"
  write_llama_config "$WORK/llama3" 3
  write_llama_config "$WORK/llama31" 3.1
  diff_models "$WORK/llama3" "$WORK/llama31"
  expect_stdout_contains "summary    same weights; identity keys changed: config.json eos_token_id, max_position_embeddings, rope_scaling"
  expect_stdout_contains "config     config.json changed"
  expect_stdout_contains "  key changed  max_position_embeddings: 8192 -> 131072  [identity]"
  expect_stdout_contains "  key added    rope_scaling: {\"factor\":8.0,\"high_freq_factor\":4.0,\"low_freq_factor\":1.0,\"original_max_position_embeddings\":8192,\"rope_type\":\"llama3\"}  [identity]"
  expect_stdout_contains "  key changed  eos_token_id: 128001 -> [128001,128008,128009]  [identity]"
  expect_stdout_contains "  key changed  transformers_version: \"4.40.0.dev0\" -> \"4.43.0.dev0\""
  if grep -q 'transformers_version.*identity' "$WORK/stdout"; then fail "transformers_version marked as identity"; fi
  diff_models "$WORK/llama3" "$WORK/llama31" --json
  cp "$WORK/stdout" "$WORK/llama.json"
  [[ "$(json_get "$WORK/llama.json" '[k["key"] for k in s["configs"][0]["keys"] if k["identity"]]' | tr '\n' ' ')" == \
    "eos_token_id max_position_embeddings rope_scaling " ]] || fail "identity keys in --json"
  [[ "$(json_get "$WORK/llama.json" 's["identityKeysChanged"] and s["weights"] == "same"')" == True ]] || fail "json verdict"
  [[ "$(json_get "$WORK/llama.json" '"before" not in s["configs"][0]["keys"][2]')" == True ]] ||
    fail "an added key has a before value"
  # A record has only the config's digest: it says so instead of guessing.
  attest_json "$WORK/llama3" "$WORK/llama3.json"
  diff_models "$WORK/llama3.json" "$WORK/llama31"
  expect_stdout_contains "config     config.json changed (digest only; give a folder to see keys)"
}
check "Llama 3 against Llama 3.1 config: rope_scaling and max_position_embeddings marked" llama3_against_llama31

# pointer_checkout SRC DST: what `GIT_LFS_SKIP_SMUDGE=1 git clone` leaves: a
# pointer from the real `git lfs pointer` for each weight file, other files as they are.
pointer_checkout() {
  local src=$1 dst=$2 file name
  mkdir -p "$dst"
  for file in "$src"/*; do
    name=$(basename "$file")
    if [[ "$name" == *.safetensors ]]; then
      (cd "$src" && git lfs pointer --file="$name") >"$dst/$name" 2>/dev/null || fail "git lfs pointer failed"
    else
      cp "$file" "$dst/$name"
    fi
  done
  mkdir -p "$dst/.git"
  echo "ref: refs/heads/main" >"$dst/.git/HEAD"
}

# The vendor's signed record of "three", appended to the (embedded) ledger.
signed_record() {
  run "$ASSAY" key generate --unencrypted --key "$WORK/vendor.key"
  expect_code 0
  run "$ASSAY" trust add acme --role vendor --key-file "$WORK/vendor.pub"
  expect_code 0
  run "$ASSAY" attest model "$WORK/three" --name acme/three --revision v1 --key "$WORK/vendor.key" --no-cache \
    -o "$WORK/three.record.json"
  expect_code 0
}
check "the vendor signs a record" signed_record

lfs_pointers_match() {
  pointer_checkout "$WORK/three" "$WORK/clone"
  grep -qx "version https://git-lfs.github.com/spec/v1" "$WORK/clone/model-00001-of-00003.safetensors" ||
    fail "git lfs pointer did not write a pointer"
  run "$ASSAY" verify lfs "$WORK/clone" --record "$WORK/three.record.json"
  expect_code 0
  expect_stdout_contains "checkout   $WORK/clone: 4 files, 3 LFS pointers"
  expect_stdout_contains "signed by  acme (vendor), key"
  expect_stdout_contains "weights    root not recomputed"
  expect_stdout_contains "result     every file matches the record (3 pointers, 1 file hashed)"
  # The record by name and revision, through the ledger; and --json.
  run "$ASSAY" verify lfs "$WORK/clone" --record acme/three@v1 --json
  expect_code 0
  cp "$WORK/stdout" "$WORK/lfs.json"
  [[ "$(json_get "$WORK/lfs.json" 's["matches"] and s["identical"] and s["pointers"] == 3')" == True ]] || fail "json"
  [[ "$(json_get "$WORK/lfs.json" 'sorted(set(f["state"] for f in s["files"]))')" == same ]] || fail "json states"
  # A diff between the record and the checkout: the same weight files.
  diff_models "$WORK/three.record.json" "$WORK/clone"
  expect_stdout_contains "summary    identical: the same 4 files"
  expect_stdout_contains "B          lfs-checkout $WORK/clone: 4 files, 3 LFS pointers"
  expect_stdout_contains "weights root unknown: pointers give file digests, not tensors"
}
check "LFS pointers from git lfs pointer that match the record: exit 0" lfs_pointers_match

lfs_pointers_differ() {
  pointer_checkout "$WORK/flipped" "$WORK/clone-flipped"
  run "$ASSAY" verify lfs "$WORK/clone-flipped" --record "$WORK/three.record.json"
  expect_code 1
  expect_stdout_contains "file changed      model-00002-of-00003.safetensors (pointer): sha256 "
  expect_stdout_contains "result     DIFFERS"
  expect_one_line_error "clone-flipped: does not match the record"
  # Missing and extra weight files.
  cp -r "$WORK/clone" "$WORK/clone-moved"
  mv "$WORK/clone-moved/model-00003-of-00003.safetensors" "$WORK/clone-moved/model-00004-of-00004.safetensors"
  run "$ASSAY" verify lfs "$WORK/clone-moved" --record "$WORK/three.record.json"
  expect_code 1
  expect_stdout_contains "file missing      model-00003-of-00003.safetensors"
  expect_stdout_contains "file extra        model-00004-of-00004.safetensors (pointer)"
  # A changed README is reported but is not the model.
  cp -r "$WORK/clone" "$WORK/clone-readme"
  echo "# model card" >"$WORK/clone-readme/README.md"
  run "$ASSAY" verify lfs "$WORK/clone-readme" --record "$WORK/three.record.json"
  expect_code 0
  expect_stdout_contains "file extra        README.md"
  expect_stdout_contains "result     weights and configs match the record; 1 other file(s) differ"
  # diff cannot say whether the tensors changed: it says so.
  diff_models "$WORK/three.record.json" "$WORK/clone-flipped"
  expect_stdout_contains "summary    weight files differ, tensors not compared: B is an LFS pointer checkout"
  expect_stdout_contains "file changed  model-00002-of-00003.safetensors"
  if grep -q '^tensor' "$WORK/stdout"; then fail "tensors claimed from pointers"; fi
  # An unsigned statement needs --allow-unsigned, as for verify model.
  run "$ASSAY" verify lfs "$WORK/clone" --record "$WORK/three.json"
  expect_code 1
  expect_one_line_error three.json "unsigned statement"
  run "$ASSAY" verify lfs "$WORK/clone" --record "$WORK/three.json" --allow-unsigned
  expect_code 0
}
check "LFS pointers that do not match: changed, missing, extra named, exit 1" lfs_pointers_differ

# expect_bad CODE WORD... : the last run failed with CODE and one error line naming each WORD.
expect_bad() {
  local code=$1
  shift
  expect_code "$code"
  expect_one_line_error "$@"
  [[ ! -s "$WORK/stdout" ]] || fail "printed a result despite the error"
}

pointer_garbage_refused() {
  local pointer="$WORK/clone/model-00001-of-00003.safetensors" case
  for case in wrong-version uppercase-hex missing-size crlf oversized binary; do
    rm -rf "$WORK/garbage"
    cp -r "$WORK/clone" "$WORK/garbage"
    "$PYTHON" - "$pointer" "$WORK/garbage/model-00001-of-00003.safetensors" "$case" <<'EOF'
import sys
text = open(sys.argv[1], "rb").read()
case = sys.argv[3]
if case == "wrong-version":
    text = text.replace(b"spec/v1", b"spec/v2")
elif case == "uppercase-hex":
    head, _, rest = text.partition(b"sha256:")
    text = head + b"sha256:" + rest[:64].upper() + rest[64:]
elif case == "missing-size":
    text = text[:text.index(b"size ")]
elif case == "crlf":
    text = text.replace(b"\n", b"\r\n")
elif case == "oversized":
    text = text + b"x" * 2000
elif case == "binary":
    text = text.replace(b"oid", b"o\x00d")
open(sys.argv[2], "wb").write(text)
EOF
    run "$ASSAY" verify lfs "$WORK/garbage" --record "$WORK/three.record.json"
    expect_bad 2 "garbage/model-00001-of-00003.safetensors"
    run "$ASSAY" diff "$WORK/garbage" "$WORK/three"
    expect_bad 2 "garbage/model-00001-of-00003.safetensors"
  done
}
check "pointer garbage (version, hex, size, CRLF, oversized, binary): exit 2 naming the file" pointer_garbage_refused

other_bad_input_refused() {
  cp -r "$WORK/three" "$WORK/truncated"
  head -c 100 "$WORK/three/model-00002-of-00003.safetensors" >"$WORK/truncated/model-00002-of-00003.safetensors"
  run "$ASSAY" diff "$WORK/three" "$WORK/truncated"
  expect_bad 2 "model-00002-of-00003.safetensors"
  cp -r "$WORK/three" "$WORK/bad-config"
  printf '{"hidden_size": 64,' >"$WORK/bad-config/config.json"
  run "$ASSAY" diff "$WORK/bad-config" "$WORK/three"
  expect_bad 2 "bad-config/config.json" "invalid JSON"
  printf '{"payloadType":' >"$WORK/garbled.json"
  run "$ASSAY" diff "$WORK/garbled.json" "$WORK/three"
  expect_bad 2 "garbled.json"
  # A missing path is a missing file (exit 3), as for verify model; a name nothing matches is exit 2.
  run "$ASSAY" diff "$WORK/no-such-folder" "$WORK/three"
  expect_bad 3 "no-such-folder" "no such file"
  run "$ASSAY" diff acme/no-such-model "$WORK/three"
  expect_bad 2 "acme/no-such-model" "no model record"
  run "$ASSAY" verify lfs "$WORK/clone" --record "$WORK/three"
  expect_bad 2 "a folder, not a model record"
}
check "a truncated safetensors file, bad config JSON, a garbled record: exit 2 naming the file" other_bad_input_refused

finish
