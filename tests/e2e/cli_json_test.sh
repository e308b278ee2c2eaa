#!/bin/bash
# End-to-end: every command's --json output matches its schema in
# schema/cli/ (issue "The missing middle": one schema per command that has
# --json). Each command that gains --json adds its check here.
source "$(dirname "$0")/lib.sh"
require_tool git
require_tool git-lfs  # verify lfs reads pointers from the real client
cd "$WORK"
export ASSAY_CONFIG_DIR="$WORK/config"
export ASSAY_CACHE_DIR="$WORK/cache"

run "$ASSAY" demo --dir "$WORK/demo"
expect_code 0
DEMO="$WORK/demo"
LEDGER="$DEMO/ledger"
TRUST="$DEMO/trust"
VENDOR_KEY="$DEMO/keys/vendor.key"

# json_check NAME SCHEMA CODE COMMAND...: runs COMMAND, expects exit CODE and
# stdout valid against schema/cli/SCHEMA.schema.json.
json_check() {
  local schema=$1 code=$2
  shift 2
  run "$@"
  expect_code "$code"
  cp "$WORK/stdout" "$WORK/$schema.json"
  expect_valid_cli_json "$schema" "$WORK/$schema.json"
}

model_commands() {
  fixtures weights "$WORK/model" --shards 2
  json_check attest-model 0 "$ASSAY" attest model "$WORK/model" --name json/model --key "$VENDOR_KEY" \
    --ledger "$LEDGER" --trust "$TRUST" --no-cache --json
  json_check attest-model 0 "$ASSAY" attest model "$WORK/model" --name json/model --unsigned --no-ledger --json
  "$ASSAY" attest model "$WORK/model" --name json/model --key "$VENDOR_KEY" --no-ledger -o "$WORK/model.record.json" \
    >/dev/null
  json_check verify-model 0 "$ASSAY" verify model "$WORK/model.record.json" "$WORK/model" --trust "$TRUST" --json
  fixtures weights "$WORK/other" --shards 1 --flip layers.1.mlp.up.weight
  json_check verify-model 1 "$ASSAY" verify model "$WORK/model.record.json" "$WORK/other" --trust "$TRUST" --json
  json_check verify-model 0 "$ASSAY" verify model json/model --ledger "$LEDGER" --trust "$TRUST" --json
}
check "attest model and verify model --json match their schemas" model_commands

claim_commands() {
  local claim evaluator_key="$DEMO/keys/evaluator.key" common=(--ledger "$LEDGER" --trust "$TRUST")
  claim=$("$ASSAY" log --long --ledger "$LEDGER" | awk '$4 == "claim" && $5 == "demo-qa" {id = $2} END {print id}')
  json_check attest-claim 0 "$ASSAY" attest claim "$DEMO/vendor-eval.jsonl" --model demo/vendor-model@v1 --again \
    --key "$VENDOR_KEY" "${common[@]}" --transcript-out "$WORK/claim.opening.jsonl" --json
  json_check attest-reproduction 0 "$ASSAY" attest reproduction "$claim" "$DEMO/evaluator-eval.jsonl" \
    --weights "$DEMO/evaluator-download" --claim-transcript "$DEMO/vendor-claim.transcript.jsonl" \
    --key "$evaluator_key" "${common[@]}" --transcript-out "$WORK/reproduction.opening.jsonl" --json
  json_check verify-claim 0 "$ASSAY" verify claim "$claim" "${common[@]}" \
    --transcript "$DEMO/vendor-claim.transcript.jsonl" --json
  "$ASSAY" export "$claim" --bundle "$WORK/claim.intoto.jsonl" "${common[@]}" >/dev/null
  json_check verify-claim 1 "$ASSAY" verify claim --bundle "$WORK/claim.intoto.jsonl" --trust "$WORK/empty-trust" --json
  json_check status 0 "$ASSAY" status demo/vendor-model@v1 "${common[@]}" --json
  json_check prove-sample 0 "$ASSAY" prove sample "$claim" q00042 --transcript "$DEMO/vendor-claim.transcript.jsonl" \
    --ledger "$LEDGER"
  json_check verify-sample 0 "$ASSAY" verify sample "$WORK/prove-sample.json" "${common[@]}" --json
}
check "attest claim, attest reproduction, verify claim, status, prove and verify sample --json match their schemas" \
  claim_commands

ledger_commands() {
  local id kind
  json_check log 0 "$ASSAY" log --ledger "$LEDGER" --trust "$TRUST" --json
  json_check log 0 "$ASSAY" log --ledger "$LEDGER" --trust "$WORK/empty-trust" --json  # nothing counts
  "$PYTHON" -c 'import json,sys; sys.exit(0 if all("problem" in e for e in json.load(open(sys.argv[1]))) else 1)' \
    "$WORK/log.json" || fail "with an empty trust file every record should say why it does not count"
  json_check log 0 "$ASSAY" log --ledger "$LEDGER" --model demo/vendor-model --json
  for kind in model claim reproduction; do
    id=$("$ASSAY" log --long --ledger "$LEDGER" | awk -v kind="$kind" '$4 == kind {print $2; exit}')
    [[ -n "$id" ]] || fail "the demo ledger has no $kind record"
    json_check show 0 "$ASSAY" show "$id" --ledger "$LEDGER" --json
  done
}
check "log and show --json match their schemas" ledger_commands

key_commands() {
  json_check key-show 0 "$ASSAY" key show --key "$VENDOR_KEY" --json
  json_check key-show 0 "$ASSAY" key show --key "$DEMO/keys/evaluator.pub" --json
  json_check trust-list 0 "$ASSAY" trust list --trust "$TRUST" --json
  json_check trust-list 0 "$ASSAY" trust list --trust "$WORK/no-such-trust" --json
  echo "signed text" >"$WORK/signed.txt"
  "$ASSAY" sign "$WORK/signed.txt" --key "$VENDOR_KEY" >/dev/null
  json_check verify-signature 0 "$ASSAY" verify signature "$WORK/signed.txt" --trust "$TRUST" --role vendor --json
  json_check verify-signature 0 "$ASSAY" verify signature "$WORK/signed.txt" --trust "$WORK/no-such-trust" \
    --public-key-file "$DEMO/keys/vendor.pub" --allow-untrusted --json
}
check "key show, trust list and verify signature --json match their schemas" key_commands

audit_commands() {
  local v1="$DEMO/vendor-model" v2="$DEMO/vendor-model-v2" name
  json_check diff 0 "$ASSAY" diff "$v1.record.json" "$v2" --trust "$TRUST" --json
  json_check diff 0 "$ASSAY" diff demo/vendor-model@v1 "$v2.record.json" --ledger "$LEDGER" --trust "$WORK/no-such-trust" --json
  json_check forensics 0 "$ASSAY" forensics "$v1" "$v2" --json
  json_check lineage 0 "$ASSAY" lineage "$v2" --against "$v1.record.json" demo/vendor-model@v2 --ledger "$LEDGER" \
    --trust "$TRUST" --json
  json_check compare-transcripts 0 "$ASSAY" compare-transcripts "$DEMO/vendor-eval.jsonl" "$DEMO/evaluator-eval.jsonl" \
    --top 3 --json
  mkdir -p "$WORK/clone/.git"
  for file in "$v1"/*; do
    name=$(basename "$file")
    if [[ "$name" == *.safetensors ]]; then
      (cd "$v1" && git lfs pointer --file="$name") >"$WORK/clone/$name" 2>/dev/null || fail "git lfs pointer failed"
    else
      cp "$file" "$WORK/clone/$name"
    fi
  done
  json_check verify-lfs 0 "$ASSAY" verify lfs "$WORK/clone" --record "$v1.record.json" --trust "$TRUST" --json
  json_check verify-lfs 1 "$ASSAY" verify lfs "$WORK/clone" --record "$v2.record.json" --trust "$TRUST" --json
}
check "diff, forensics, lineage, compare-transcripts and verify lfs --json match their schemas" audit_commands

finish
