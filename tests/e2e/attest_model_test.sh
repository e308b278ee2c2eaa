#!/bin/bash
# End-to-end: `assay attest model DIR` on generated model folders.
# The numbers in the comments are the items of "What it must show" (issue "Foundation").
source "$(dirname "$0")/lib.sh"
require_tool sha256sum
require_tool git
require_tool git-lfs
git lfs version >/dev/null 2>&1 || fail "'git lfs' does not run"

# A model folder with every kind of entry: shards and their index, a GGUF
# file, a PyTorch pickle, config, hidden files, nested folders, names that
# sort differently as bytes than as text, and folders that must be skipped.
MODEL="$WORK/model"
fixtures weights "$MODEL" --shards 2 --index
fixtures gguf "$MODEL/model.gguf"
head -c 300 /dev/urandom >"$MODEL/pytorch_model.bin"
echo '{"model_type": "llama"}' >"$MODEL/config.json"
echo '*.safetensors filter=lfs diff=lfs merge=lfs -text' >"$MODEL/.gitattributes"
mkdir -p "$MODEL/.hidden" "$MODEL/nested/deeper" "$MODEL/nested/__pycache__" "$MODEL/a" \
  "$MODEL/.git/objects" "$MODEL/.cache/huggingface" "$MODEL/__pycache__"
echo x >"$MODEL/.hidden/x"
echo deep >"$MODEL/nested/deeper/file.txt"
echo b >"$MODEL/a/b"
for name in a.b B.txt Z _x é.txt; do echo "$name" >"$MODEL/$name"; done
echo 'ref: refs/heads/main' >"$MODEL/.git/HEAD"
echo meta >"$MODEL/.cache/huggingface/download.lock"
echo pyc >"$MODEL/__pycache__/m.cpython-311.pyc"
echo pyc >"$MODEL/nested/__pycache__/n.cpython-311.pyc"

attest_json "$MODEL" "$WORK/model.json"
attest "$MODEL" --no-cache
expect_code 0
cp "$WORK/stdout" "$WORK/model.summary"

# 1. Every file's digest equals what sha256sum prints and the oid that
# `git lfs pointer` reports, in the file table and in the subjects alike.
file_digests_match_sha256sum_and_lfs() {
  json_get "$WORK/model.json" '[f["path"] + " " + f["sha256"] for f in s["predicate"]["files"]]' >"$WORK/digests"
  json_get "$WORK/model.json" \
    '[x["name"] + " " + x["digest"]["sha256"] for x in s["subject"] if "sha256" in x["digest"]]' >"$WORK/subjects"
  cmp -s "$WORK/digests" "$WORK/subjects" || fail "file subjects differ from the file table"
  local path digest oid
  while read -r path digest; do
    [[ "$(sha256sum <"$MODEL/$path" | cut -d' ' -f1)" == "$digest" ]] || fail "$path: digest differs from sha256sum"
    oid=$(git lfs pointer --file="$MODEL/$path" 2>/dev/null | sed -n 's/^oid sha256://p')
    [[ "$oid" == "$digest" ]] || fail "$path: digest $digest differs from git-lfs oid '$oid'"
  done <"$WORK/digests"
}
check "file digests equal sha256sum and git-lfs oids" file_digests_match_sha256sum_and_lfs

# 4. Every file is listed, hidden ones too, as relative POSIX paths sorted
# bytewise; .git, .cache and __pycache__ (at any depth) are skipped and said so.
hidden_included_tool_folders_skipped() {
  "$PYTHON" - "$WORK/model.json" <<'EOF' || fail "file list or skipped list is wrong"
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))["predicate"]
paths = [f["path"] for f in s["files"]]
expected = [".gitattributes", ".hidden/x", "B.txt", "Z", "_x", "a.b", "a/b", "config.json",
            "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.gguf",
            "model.safetensors.index.json", "nested/deeper/file.txt", "pytorch_model.bin", "é.txt"]
assert paths == expected, paths
assert paths == sorted(paths, key=lambda p: p.encode()), "not sorted bytewise"
hidden = [f["path"] for f in s["files"] if f.get("hidden")]
assert hidden == [".gitattributes", ".hidden/x"], hidden
skipped = sorted(e["path"] for e in s["skipped"])
assert skipped == [".cache", ".git", "__pycache__", "nested/__pycache__"], skipped
EOF
  local line
  for line in "hidden     .gitattributes (included)" "hidden     .hidden/x (included)" \
    "skipped    .git (git metadata)" "skipped    .cache (" "skipped    __pycache__ (" \
    "skipped    nested/__pycache__ ("; do
    grep -qF -- "$line" "$WORK/model.summary" || fail "summary lacks '$line'"
  done
}
check "hidden files included, tool folders skipped, paths sorted bytewise" hidden_included_tool_folders_skipped

# 6. The GGUF file gets its own weights root, apart from the safetensors one;
# the pickle is hashed but not itemised, and the summary says so.
gguf_root_apart_and_pickle_opaque() {
  "$PYTHON" - "$WORK/model.json" <<'EOF' || fail "weights roots or file formats are wrong"
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
roots = {r["format"]: r for r in s["predicate"]["weightsRoots"]}
assert sorted(roots) == ["gguf", "safetensors"], roots
assert roots["safetensors"]["tensorCount"] == 9 and roots["gguf"]["tensorCount"] == 2, roots
assert roots["safetensors"]["root"] != roots["gguf"]["root"]
subjects = {x["name"]: x["digest"] for x in s["subject"]}
for fmt, r in roots.items():
    assert subjects["weights-root:" + fmt] == {"rfc6962-sha256": r["root"]}, fmt
files = {f["path"]: f for f in s["predicate"]["files"]}
gguf = files["model.gguf"]
assert gguf["format"] == "gguf" and gguf["tensorsItemised"] is True
assert [(t["name"], t["dtype"], t["shape"]) for t in gguf["tensors"]] == [
    ("tok_embd.weight", "gguf:F16", [8, 4]), ("output_norm.weight", "gguf:F32", [8])], gguf["tensors"]
pickle = files["pytorch_model.bin"]
assert pickle["format"] == "other" and pickle["tensorsItemised"] is False and "tensors" not in pickle, pickle
assert files["config.json"]["format"] == "other"
assert s["predicate"]["configDigests"] == {"config.json": files["config.json"]["sha256"]}
EOF
  grep -qF "opaque     pytorch_model.bin: hashed as a file, tensors not itemised" "$WORK/model.summary" ||
    fail "summary does not list pytorch_model.bin as opaque"
  if grep -qF "opaque     config.json" "$WORK/model.summary"; then fail "config.json listed as opaque"; fi
  grep -qE "^weights    gguf, 2 tensors, rfc6962-sha256 root$" "$WORK/model.summary" ||
    fail "summary lacks the gguf weights root"
  grep -qE "^root       [0-9a-f]{64}$" "$WORK/model.summary" || fail "summary lacks the root's digest"
}
check "gguf root apart from safetensors root; .bin hashed, not itemised" gguf_root_apart_and_pickle_opaque

# Flags: --name and --revision name the model; --threads does not change the
# statement; --no-tensors gives file digests only (no root, no tensor digests).
naming_and_hashing_flags() {
  attest_json "$MODEL" "$WORK/named.json" --name acme/tiny --revision v2 --threads 1
  [[ "$(json_get "$WORK/named.json" 's["predicate"]["model"]')" == "{'name': 'acme/tiny', 'revision': 'v2'}" ]] ||
    fail "--name/--revision not recorded"
  "$PYTHON" - "$WORK/model.json" "$WORK/named.json" <<'EOF' || fail "--threads 1 changed more than the model name"
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:])
assert a["predicate"]["model"] == {"name": "model"}, a["predicate"]["model"]
del a["predicate"]["model"], b["predicate"]["model"]
assert a == b
EOF
  attest_json "$MODEL" "$WORK/no-tensors.json" --no-tensors
  "$PYTHON" - "$WORK/model.json" "$WORK/no-tensors.json" <<'EOF' || fail "--no-tensors output is wrong"
import json, sys
full, bare = (json.load(open(p, encoding="utf-8"))["predicate"] for p in sys.argv[1:])
assert bare["tensorDigests"] is False and bare["weightsRoots"] == []
assert [f["sha256"] for f in bare["files"]] == [f["sha256"] for f in full["files"]]
tensors = [t for f in bare["files"] for t in f.get("tensors", [])]
assert len(tensors) == 11 and not any("sha256" in t for t in tensors)
EOF
  attest "$MODEL" --no-cache --no-tensors
  expect_code 0
  expect_stdout_contains "weights    no root: tensor digests were turned off"
}
check "--name, --revision, --threads, --no-tensors" naming_and_hashing_flags

# 3. The statements validate against the schema (from --json, with and
# without tensor digests, and from -o); -o writes exactly what --json prints
# (in the same run and in another) and leaves no temporary file beside it.
statement_valid_and_output_equal() {
  mkdir "$WORK/out"
  attest "$MODEL" --no-cache --json -o "$WORK/out/both.json"
  expect_code 0
  cmp -s "$WORK/stdout" "$WORK/out/both.json" || fail "-o differs from --json in the same run"
  attest "$MODEL" --no-cache -o "$WORK/out/statement.json"
  expect_code 0
  expect_stdout_contains "written to $WORK/out/statement.json"
  expect_stdout_contains "signed by  nobody (--unsigned)"
  cmp -s "$WORK/model.json" "$WORK/out/statement.json" || fail "-o differs from an earlier --json"
  [[ "$(ls -A "$WORK/out")" == $'both.json\nstatement.json' ]] || fail "stray files beside -o: $(ls -A "$WORK/out")"
  local statements=("$WORK/model.json" "$WORK/out/statement.json")
  [[ -f "$WORK/no-tensors.json" ]] && statements+=("$WORK/named.json" "$WORK/no-tensors.json")
  expect_valid_statement "${statements[@]}"
}
check "statements match the schema; -o equals --json" statement_valid_and_output_equal

# 2. The weights root depends on the tensors only: re-sharding, renaming the
# shards and reordering header keys (and the data area) keep it; flipping one
# bit of one tensor changes it, and the tensor tables differ in that tensor only.
weights_root_depends_on_tensors_only() {
  root_of() { json_get "$1" '[r["root"] for r in s["predicate"]["weightsRoots"] if r["format"] == "safetensors"][0]'; }
  fixtures weights "$WORK/one" --shards 1
  fixtures weights "$WORK/three" --shards 3 --names 'part-{i}.safetensors' --key-order shuffled --index
  fixtures weights "$WORK/reversed" --shards 2 --names 'w{i}.safetensors' --key-order reverse
  fixtures weights "$WORK/flipped" --shards 2 --flip layers.0.norm.weight
  local variant root
  for variant in one three reversed flipped; do attest_json "$WORK/$variant" "$WORK/$variant.json"; done
  root=$(root_of "$WORK/one.json")
  [[ "$root" == "$(root_of "$WORK/model.json")" ]] || fail "2 shards + index: root differs from 1 shard"
  [[ "$root" == "$(root_of "$WORK/three.json")" ]] || fail "3 renamed shards, shuffled keys: root differs"
  [[ "$root" == "$(root_of "$WORK/reversed.json")" ]] || fail "reversed header keys: root differs"
  [[ "$root" != "$(root_of "$WORK/flipped.json")" ]] || fail "one flipped bit did not change the root"
  "$PYTHON" - "$WORK/model.json" "$WORK/flipped.json" <<'EOF' || fail "tensor tables differ in more than the flipped tensor"
import json, sys
def tensors(path):
    files = json.load(open(path, encoding="utf-8"))["predicate"]["files"]
    return {t["name"]: t for f in files if f["format"] == "safetensors" for t in f["tensors"]}
before, after = tensors(sys.argv[1]), tensors(sys.argv[2])
assert before.keys() == after.keys()
changed = [n for n in before if before[n]["sha256"] != after[n]["sha256"]]
assert changed == ["layers.0.norm.weight"], changed
assert all(before[n]["dtype"] == after[n]["dtype"] and before[n]["shape"] == after[n]["shape"] for n in before)
EOF
}
check "weights root ignores sharding, names and key order; one flipped bit changes one tensor" \
  weights_root_depends_on_tensors_only

# 5. The hash cache: a second run reads nothing; files rewritten with the
# same size are read again and get their new digests (tensor digests too);
# a statement from the cache equals a full read; --no-cache reads everything.
hash_cache_skips_unchanged_files_only() {
  local cached="$WORK/cached" cache="$WORK/cache" shard=model-00001-of-00002.safetensors
  fixtures weights "$cached" --shards 2
  head -c 100 /dev/zero >"$cached/notes.txt"
  sleep 0.1  # files stamped within the racy window are not remembered (docs/spec/hash-cache.md)
  attest "$cached" --cache-dir "$cache"
  expect_code 0
  [[ -f "$cache/hash-cache.sqlite3" ]] || fail "no cache file in --cache-dir"
  attest "$cached" --cache-dir "$cache"
  expect_code 0
  expect_stdout_contains "(none read: every digest from the hash cache)"

  printf '%0100d' 7 >"$cached/notes.txt"
  fixtures weights "$WORK/cached-flipped" --shards 2 --flip embed.weight
  cp "$WORK/cached-flipped/$shard" "$cached/"  # same size, one bit of one tensor flipped
  attest "$cached" --cache-dir "$cache"
  expect_code 0
  local read_kib
  read_kib=$("$PYTHON" -c "print(f'{($(stat -c %s "$cached/$shard") + 100) / 1024:.2f}')")
  expect_stdout_contains "KiB ($read_kib KiB read"
  attest "$cached" --cache-dir "$cache" --json
  expect_code 0
  cp "$WORK/stdout" "$WORK/cached.json"
  attest_json "$cached" "$WORK/uncached.json"
  cmp -s "$WORK/cached.json" "$WORK/uncached.json" || fail "statement from the cache differs from a full read"
  [[ "$(json_get "$WORK/cached.json" '[f["sha256"] for f in s["predicate"]["files"] if f["path"] == "notes.txt"][0]')" == \
    "$(sha256sum <"$cached/notes.txt" | cut -d' ' -f1)" ]] || fail "rewritten notes.txt has a stale digest"

  attest "$cached" --no-cache
  expect_code 0
  local total
  total=$(sed -n 's/^bytes      \(.*\) (.*/\1/p' "$WORK/stdout")
  expect_stdout_contains "bytes      $total (all read)"
}
check "hash cache: nothing read when unchanged, rewritten files rehashed, --no-cache reads all" \
  hash_cache_skips_unchanged_files_only

# 9. `assay demo` has its own test: tests/e2e/demo_test.sh.

check "the default hash cache was not touched" expect_default_cache_untouched
finish
