#!/bin/bash
# End-to-end: every command's --json output matches its schema in
# schema/cli/ (issue "The missing middle": one schema per command that has
# --json). Each command that gains --json adds its check here.
source "$(dirname "$0")/lib.sh"
require_tool git
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

finish
