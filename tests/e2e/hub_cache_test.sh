#!/bin/bash
# End-to-end: attesting a Hugging Face cache snapshot (DESIGN.md, Model
# folders; item 8 of "What it must show"). huggingface_hub lays a cached repo
# out as models--ORG--NAME/{blobs,refs/main,snapshots/REV/}, each snapshot file
# a relative symlink into blobs/; LFS blobs are named by their SHA-256, small
# files by their git blob id.
source "$(dirname "$0")/lib.sh"
require_tool git
require_tool sha256sum

# make_repo ROOT: writes models--acme--tiny under ROOT and prints the snapshot path.
REV=$(printf 'acme/tiny commit 1' | sha1sum | cut -c1-40)
make_repo() {
  local repo="$1/models--acme--tiny" staging="$1/staging"
  local snapshot="$repo/snapshots/$REV"
  mkdir -p "$repo/blobs" "$repo/refs" "$snapshot/tokenizer" "$staging/tokenizer"
  printf '%s' "$REV" >"$repo/refs/main"
  fixtures safetensors "$staging/model.safetensors"
  fixtures gguf "$staging/model.gguf"
  echo '{"model_type": "llama"}' >"$staging/config.json"
  echo '{"version": "1.0"}' >"$staging/tokenizer/tokenizer.json"
  echo '*.safetensors filter=lfs diff=lfs merge=lfs -text' >"$staging/.gitattributes"
  local path blob up
  for path in model.safetensors model.gguf config.json tokenizer/tokenizer.json .gitattributes; do
    case "$path" in
      *.safetensors | *.gguf) blob=$(sha256sum <"$staging/$path" | cut -d' ' -f1) ;;  # LFS: sha256
      *) blob=$(git hash-object "$staging/$path") ;;                                    # git blob id
    esac
    mv "$staging/$path" "$repo/blobs/$blob"
    up=$(sed 's|[^/]*/|../|g; s|[^/]*$||' <<<"$path")  # one ../ per folder below the snapshot
    ln -s "../../${up}blobs/$blob" "$snapshot/$path"
  done
  rm -r "$staging"
  echo "$snapshot"
}
SNAPSHOT=$(make_repo "$WORK/hub")

# The snapshot attests with the repo as its source and name, file paths as
# the snapshot names them (not blob names), and digests of the blobs' bytes;
# the statement is valid, and the summary says where it came from.
snapshot_records_hub_source() {
  attest "$SNAPSHOT" --json --cache-dir "$WORK/cache"
  expect_code 0
  cp "$WORK/stdout" "$WORK/hub.json"
  expect_valid_statement "$WORK/hub.json"
  "$PYTHON" - "$WORK/hub.json" "$REV" "$SNAPSHOT" <<'EOF' || fail "snapshot statement is wrong"
import hashlib, json, os, sys
s, rev, snapshot = json.load(open(sys.argv[1], encoding="utf-8"))["predicate"], sys.argv[2], sys.argv[3]
assert s["model"] == {"name": "acme/tiny", "revision": rev,
                      "source": {"hub": "huggingface", "repoId": "acme/tiny", "revision": rev}}, s["model"]
paths = [f["path"] for f in s["files"]]
assert paths == [".gitattributes", "config.json", "model.gguf", "model.safetensors", "tokenizer/tokenizer.json"], paths
for f in s["files"]:
    assert f["sha256"] == hashlib.sha256(open(os.path.join(snapshot, f["path"]), "rb").read()).hexdigest(), f["path"]
assert sorted(r["format"] for r in s["weightsRoots"]) == ["gguf", "safetensors"]
EOF
  attest "$SNAPSHOT" --cache-dir "$WORK/cache"
  expect_code 0
  expect_stdout_contains "model      acme/tiny @ $REV"
  expect_stdout_contains "source     huggingface cache acme/tiny @ $REV"
}
check "snapshot records hub acme/tiny at its revision" snapshot_records_hub_source

# --name and --revision name the model; the source stays what the cache says.
# A relative path to the snapshot finds the same repo.
flags_and_relative_path() {
  attest "$SNAPSHOT" --json --no-cache --name acme/tiny-instruct --revision v1
  expect_code 0
  cp "$WORK/stdout" "$WORK/named.json"
  [[ "$(json_get "$WORK/named.json" 's["predicate"]["model"]')" == \
    "{'name': 'acme/tiny-instruct', 'revision': 'v1', 'source': {'hub': 'huggingface', 'repoId': 'acme/tiny', 'revision': '$REV'}}" ]] ||
    fail "--name/--revision lost the hub source"
  cd "$WORK/hub"
  attest "models--acme--tiny/snapshots/$REV" --json --no-cache
  expect_code 0
  cmp -s "$WORK/stdout" "$WORK/hub.json" || fail "a relative path gives a different statement"
}
check "--name/--revision keep the source; a relative path gives the same statement" flags_and_relative_path

# A blob whose name is a SHA-256 its bytes do not have: the cache is corrupt.
# Also after the hash cache saw the good blob: the rewrite is noticed.
corrupt_blob_refused() {
  local snapshot blob
  snapshot=$(make_repo "$WORK/corrupt")
  attest "$snapshot" --cache-dir "$WORK/cache"
  expect_code 0
  blob=$(readlink -f "$snapshot/model.safetensors")
  fixtures safetensors "$WORK/flipped.safetensors" --flip step
  cp "$WORK/flipped.safetensors" "$blob"  # same size, one bit flipped, name unchanged
  expect_refused "$snapshot" 2 model.safetensors corrupt
  attest "$snapshot" --cache-dir "$WORK/cache"
  expect_code 2
  expect_one_line_error model.safetensors corrupt
}
check "a blob that does not match its sha256 name is refused as corrupt" corrupt_blob_refused

# Links are followed only inside models--acme--tiny: not to a file beside
# it, not into another cached repo's blobs.
links_leaving_the_repo_refused() {
  local snapshot other
  snapshot=$(make_repo "$WORK/escape")
  echo outside >"$WORK/escape/outside.txt"
  ln -s ../../../outside.txt "$snapshot/evil"
  expect_refused "$snapshot" 2 evil
  rm "$snapshot/evil"
  other="$WORK/escape/models--acme--other/blobs"
  mkdir -p "$other"
  echo other >"$other/0123456789abcdef0123456789abcdef01234567"
  ln -s ../../../models--acme--other/blobs/0123456789abcdef0123456789abcdef01234567 "$snapshot/borrowed"
  expect_refused "$snapshot" 2 borrowed
}
check "links leaving the cached repo are refused" links_leaving_the_repo_refused

check "the default hash cache was not touched" expect_default_cache_untouched
finish
