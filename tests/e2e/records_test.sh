#!/bin/bash
# End-to-end: signed model records (issue "Keys, signatures and trust", item 3).
# `assay attest model` signs with the vendor's key; `assay verify model` checks
# the signature against the trust file and, given the folder, rehashes it and
# names what differs; tampering and strangers' keys are caught with exit 1.
source "$(dirname "$0")/lib.sh"

export ASSAY_CONFIG_DIR="$WORK/config"
export ASSAY_CACHE_DIR="$WORK/cache"
MODEL="$WORK/model"
fixtures weights "$MODEL" --shards 2 --index

# A vendor key (unencrypted: tests do not wait for scrypt) in the trust file.
run "$ASSAY" key generate --unencrypted --key "$WORK/vendor.key"
expect_code 0
run "$ASSAY" trust add acme --role vendor --key-file "$WORK/vendor.pub"
expect_code 0

signed_record_verifies() {
  run "$ASSAY" attest model "$MODEL" --key "$WORK/vendor.key" -o "$WORK/record.json"
  expect_code 0
  expect_stdout_contains "signed by  key"
  run "$ASSAY" verify model "$WORK/record.json" "$MODEL"
  expect_code 0
  expect_stdout_contains "signed by  acme (vendor), key"
  expect_stdout_contains "matches the record"
  # The envelope's payload is the statement, and it validates against the schema.
  "$PYTHON" - "$WORK/record.json" "$WORK/payload.json" <<'PY' || fail "envelope shape"
import base64, json, sys
envelope = json.load(open(sys.argv[1]))
assert envelope["payloadType"] == "application/vnd.in-toto+json"
assert len(envelope["signatures"]) == 1 and envelope["signatures"][0]["keyid"].startswith("SHA256:")
open(sys.argv[2], "wb").write(base64.b64decode(envelope["payload"]))
PY
  expect_valid_statement "$WORK/payload.json"
}
check "attest signs; verify model accepts the trusted vendor and the unchanged folder" signed_record_verifies

changed_folder_named() {
  fixtures weights "$WORK/changed" --shards 2 --index --flip layers.1.mlp.up.weight
  rm "$WORK/changed/model.safetensors.index.json"
  echo extra > "$WORK/changed/notes.txt"
  run "$ASSAY" verify model "$WORK/record.json" "$WORK/changed"
  expect_code 1
  expect_stdout_contains "file missing  model.safetensors.index.json"
  expect_stdout_contains "file extra    notes.txt"
  expect_stdout_contains "file changed  model-0000"
  expect_stdout_contains "tensor changed layers.1.mlp.up.weight (model-0000"
  expect_stderr_contains "does not match the record"
}
check "a changed folder: missing, extra and changed files and the changed tensor named, exit 1" changed_folder_named

tampered_record_refused() {
  "$PYTHON" - "$WORK/record.json" "$WORK/tampered.json" <<'PY'
import base64, json, sys
envelope = json.load(open(sys.argv[1]))
payload = base64.b64decode(envelope["payload"]).replace(b'"name":"', b'"name":"X', 1)
envelope["payload"] = base64.b64encode(payload).decode()
open(sys.argv[2], "w").write(json.dumps(envelope))
PY
  run "$ASSAY" verify model "$WORK/tampered.json"
  expect_code 1
  expect_one_line_error tampered.json altered
}
check "a record changed after signing: exit 1, says it was altered" tampered_record_refused

stranger_refused() {
  run "$ASSAY" key generate --unencrypted --key "$WORK/stranger.key"
  run "$ASSAY" attest model "$MODEL" --key "$WORK/stranger.key" -o "$WORK/stranger.json"
  expect_code 0
  run "$ASSAY" verify model "$WORK/stranger.json"
  expect_code 1
  expect_one_line_error stranger.json "no key in the trust file verifies"
  run "$ASSAY" verify model "$WORK/stranger.json" --allow-untrusted --public-key-file "$WORK/stranger.pub"
  expect_code 0
  expect_stdout_contains "UNTRUSTED key"
  expect_stderr_contains "warning: UNTRUSTED KEY"
}
check "a stranger's record: refused, unless --allow-untrusted with its key" stranger_refused

unsigned_statement() {
  run "$ASSAY" attest model "$MODEL" --unsigned -o "$WORK/unsigned.json"
  expect_code 0
  expect_stderr_contains "no signature"
  run "$ASSAY" verify model "$WORK/unsigned.json" "$MODEL"
  expect_code 1
  expect_one_line_error unsigned.json "unsigned statement"
  run "$ASSAY" verify model "$WORK/unsigned.json" "$MODEL" --allow-unsigned
  expect_code 0
}
check "--unsigned writes a bare statement, which verify refuses unless --allow-unsigned" unsigned_statement

garbled_record() {
  printf '{"payloadType":' > "$WORK/garbled.json"
  run "$ASSAY" verify model "$WORK/garbled.json"
  expect_code 2
  expect_one_line_error garbled.json
  run "$ASSAY" verify model "$WORK/nonexistent.json"
  expect_code 3
}
check "a garbled record: exit 2 naming it; a missing one: exit 3" garbled_record

missing_key() {
  run "$ASSAY" attest model "$MODEL" --key "$WORK/nokey.key" -o "$WORK/never.json"
  expect_code 3
  expect_one_line_error nokey.key "assay key generate"
  [[ ! -e "$WORK/never.json" ]] || fail "a record was written without a key"
}
check "attest without a key: exit 3 with a hint, nothing written" missing_key

finish
