#!/bin/bash
# End-to-end: `assay forensics` and `assay lineage` on generated bf16 models
# (docs/forensics.md). A small Llama-shaped model A (2 layers, hidden 48) and
# variants of it written by the Python below, from the safetensors format
# description alone: B = A plus a rank-4 update on q_proj and v_proj of both
# layers (a merged LoRA, rounded to bf16); N = A plus full-rank noise on one
# k_proj; W = A with one more embedding row; C = an unrelated model.
source "$(dirname "$0")/lib.sh"

generate() {
  "$PYTHON" - "$WORK/models" <<'EOF'
import json, math, os, random, struct, sys

root = sys.argv[1]

def bf16_bits(x):
    bits = struct.unpack("<I", struct.pack("<f", x))[0]
    return ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) & 0xFFFF

def bf16(x):  # the value a bf16 file holds for x
    return struct.unpack("<f", struct.pack("<I", bf16_bits(x) << 16))[0]

def write(name, tensors, dtypes={}):
    os.makedirs(f"{root}/{name}", exist_ok=True)
    header, data = {}, bytearray()
    for tensor in sorted(tensors):
        shape, values = tensors[tensor]
        raw = struct.pack(f"<{len(values)}H", *map(bf16_bits, values))
        header[tensor] = {"dtype": dtypes.get(tensor, "BF16"), "shape": shape,
                          "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(f"{root}/{name}/model.safetensors", "wb") as out:
        out.write(struct.pack("<Q", len(text)) + text + data)

def model(seed):
    rng = random.Random(seed)
    def weights(rows, cols):
        return [rows, cols], [bf16(rng.gauss(0, 0.02)) for _ in range(rows * cols)]
    tensors = {"model.embed_tokens.weight": weights(100, 48), "lm_head.weight": weights(100, 48),
               "model.norm.weight": ([48], [1.0] * 48)}
    for layer in range(2):
        p = f"model.layers.{layer}."
        tensors[p + "self_attn.q_proj.weight"] = weights(64, 48)
        tensors[p + "self_attn.k_proj.weight"] = weights(32, 48)
        tensors[p + "self_attn.v_proj.weight"] = weights(32, 48)
        tensors[p + "input_layernorm.weight"] = ([48], [1.0] * 48)
    return tensors

def plant_low_rank(tensor, rank, relative, rng):
    (rows, cols), values = tensor
    u = [[rng.gauss(0, 1) for _ in range(rank)] for _ in range(rows)]
    v = [[rng.gauss(0, 1) for _ in range(rank)] for _ in range(cols)]
    update = [sum(u[r][k] * v[c][k] for k in range(rank)) for r in range(rows) for c in range(cols)]
    scale = relative * math.sqrt(sum(x * x for x in values) / sum(x * x for x in update))
    return [rows, cols], [bf16(x + scale * d) for x, d in zip(values, update)]

a = model(1)
write("a", a)
rng = random.Random(2)
b = dict(a)
for name in [n for n in a if "q_proj" in n or "v_proj" in n]:
    b[name] = plant_low_rank(a[name], 4, 0.05, rng)
write("b", b)
n = dict(a)
shape, values = a["model.layers.1.self_attn.k_proj.weight"]
n["model.layers.1.self_attn.k_proj.weight"] = shape, [bf16(x + rng.gauss(0, 0.002)) for x in values]
write("n", n)
w = dict(a)
w["model.embed_tokens.weight"] = [101, 48], a["model.embed_tokens.weight"][1] + [0.01] * 48
write("w", w)
write("c", model(3))
write("unknown-dtype", a, {"lm_head.weight": "F7"})
EOF
}
generate
M=$WORK/models

finds_the_planted_low_rank_update() {
  run "$ASSAY" forensics "$M/a" "$M/b"
  expect_code 0
  expect_stdout_contains "summary    B = A plus a low-rank update on self_attn.q_proj and self_attn.v_proj of all 2 layers, rank <= 4 (LoRA-like); embeddings, norms and all other tensors identical"
  expect_stdout_contains "verdict    low-rank"
  expect_stdout_contains "(7 identical tensors not listed)"
  [[ ! -s "$WORK/stderr" ]] || fail "stderr is not empty"
  run "$ASSAY" forensics "$M/a" "$M/b" --json --threads 1
  expect_code 0
  cp "$WORK/stdout" "$WORK/b.json"
  [[ "$(json_get "$WORK/b.json" 's["verdict"]')" == low-rank ]] || fail "verdict is not low-rank"
  [[ "$(json_get "$WORK/b.json" 'sorted(t["name"] for t in s["tensors"] if t["verdict"] == "low-rank")')" == \
     "$(printf '%s\n' model.layers.{0,1}.self_attn.q_proj.weight model.layers.{0,1}.self_attn.v_proj.weight | sort)" ]] \
    || fail "the low-rank tensors are not exactly the planted ones"
  [[ "$(json_get "$WORK/b.json" 'sorted(set(t["rank"]["value"] for t in s["tensors"] if "rank" in t))')" == 4 ]] \
    || fail "not every planted tensor has rank 4"
  [[ "$(json_get "$WORK/b.json" 'sum(1 for t in s["tensors"] if t["verdict"] == "identical")')" == 7 ]] \
    || fail "the other 7 tensors are not identical"
}
check "forensics finds the planted rank-4 update on q_proj and v_proj" finds_the_planted_low_rank_update

reports_full_rank_noise() {
  run "$ASSAY" forensics "$M/a" "$M/n"
  expect_code 0
  expect_stdout_contains "summary    full-rank change on self_attn.k_proj of layer 1;"
  expect_stdout_contains "verdict    full-rank"
}
check "forensics reports full-rank noise as full-rank" reports_full_rank_noise

identical_folders() {
  run "$ASSAY" forensics "$M/a" "$M/a"
  expect_code 0
  expect_stdout_contains "summary    identical weights: all 11 tensors are byte-identical"
  expect_stdout_contains "decoded    0 B of tensors (0 pairs)"
}
check "forensics on the same weights says identical and decodes nothing" identical_folders

mismatched_shapes_are_reported_not_errors() {
  run "$ASSAY" forensics "$M/a" "$M/w"
  expect_code 0
  expect_stdout_contains "shape changed on model.embed_tokens"
  expect_stdout_contains "shape [100,48] -> [101,48]"
}
check "a changed shape is reported per tensor with exit 0" mismatched_shapes_are_reported_not_errors

bad_input_exits_2() {
  run "$ASSAY" forensics "$M/a" "$M/unknown-dtype"
  expect_code 2
  expect_one_line_error "unknown-dtype/model.safetensors" "unknown dtype 'F7'"
  mkdir "$WORK/truncated"
  head -c -10 "$M/b/model.safetensors" >"$WORK/truncated/model.safetensors"
  run "$ASSAY" forensics "$M/a" "$WORK/truncated"
  expect_code 2
  expect_one_line_error "truncated/model.safetensors"
  run "$ASSAY" forensics "$M/a" "$M/b" --tolerance 0
  expect_code 2
  expect_one_line_error "tolerance"
  run "$ASSAY" forensics "$M/a" "$WORK/no-such-folder"
  expect_code 3
  expect_one_line_error "no-such-folder"
  [[ ! -s "$WORK/stdout" ]] || fail "printed a report despite the error"
}
check "unknown dtype and truncated file exit 2 naming the file" bad_input_exits_2

lineage_names_the_base() {
  attest_json "$M/a" "$WORK/base.json" --name acme/base --revision v1
  attest_json "$M/c" "$WORK/other.json" --name acme/other --revision v1
  attest_json "$M/b" "$WORK/tuned.json" --name acme/tuned --revision v1
  run "$ASSAY" lineage "$M/b" --against "$WORK/other.json" "$WORK/base.json"
  expect_code 0
  expect_stdout_contains "closest    acme/base@v1: shares 7 of 11 tensors ("
  expect_stdout_contains "  differ     4: self_attn.q_proj and self_attn.v_proj of all 2 layers"
  expect_stdout_contains "unsigned statement"
  # The record of the tuned model answers the same, without the folder.
  run "$ASSAY" lineage "$WORK/tuned.json" --against "$WORK/base.json" "$WORK/other.json" --json
  expect_code 0
  cp "$WORK/stdout" "$WORK/lineage.json"
  [[ "$(json_get "$WORK/lineage.json" '[m["record"] for m in s["matches"]]')" == $'acme/base@v1\nacme/other@v1' ]] \
    || fail "matches are not best first"
  [[ "$(json_get "$WORK/lineage.json" 's["matches"][0]["identicalTensors"]')" == 7 ]] || fail "expected 7 identical tensors"
  # Unrelated weights share only the all-ones norms: a few bytes of chance.
  [[ "$(json_get "$WORK/lineage.json" 's["matches"][1]["identical"]')" == \
     "$(printf '%s\n' model.layers.0.input_layernorm.weight model.layers.1.input_layernorm.weight model.norm.weight)" ]] \
    || fail "unexpected tensors shared with the unrelated model"
  run "$ASSAY" lineage "$WORK/tuned.json" --against "$M/a"
  expect_code 2
  expect_one_line_error "a folder; --against takes model records"
}
check "lineage names the base a tuned model shares its tensors with" lineage_names_the_base

lineage_from_the_ledger() {
  export ASSAY_CACHE_DIR="$WORK/index-cache"  # the ledger's index lives in the cache folder
  run "$ASSAY" key generate --unencrypted --key "$WORK/vendor.key"
  expect_code 0
  run "$ASSAY" trust add acme --role vendor --key-file "$WORK/vendor.pub"
  expect_code 0
  run "$ASSAY" attest model "$M/a" --name acme/base --revision v1 --key "$WORK/vendor.key" --no-cache
  expect_code 0
  run "$ASSAY" attest model "$M/c" --name acme/other --revision v1 --key "$WORK/vendor.key" --no-cache
  expect_code 0
  run "$ASSAY" lineage "$M/b" --against acme/other@v1 acme/base
  expect_code 0
  expect_stdout_contains "closest    acme/base@v1: shares 7 of 11 tensors ("
  expect_stdout_contains "signed by acme (vendor)"
  expect_stdout_contains "finding    shares 3 of 11 tensors, only 0.7% of the bytes: too little to show descent"
  run "$ASSAY" lineage "$M/b" --against acme/nobody
  expect_code 2
  expect_one_line_error "acme/nobody: no such folder or record file"
}
check "lineage reads signed records from the ledger by name" lineage_from_the_ledger

expect_default_cache_untouched
finish
