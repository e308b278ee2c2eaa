#!/bin/bash
# End-to-end: every record type's spec page shows an example that is what
# the code writes (issue 15, item 5). The demo's ledger, with a plan and a
# revocation added, gives one record of each type; spec_examples.py compares
# each page's marked example with that record, the values that change from
# run to run in angle brackets. After a format change, regenerate the pages
# with `spec_examples.py write` on the same records.
source "$(dirname "$0")/lib.sh"
require_tool git
cd "$WORK"
run "$ASSAY" demo
expect_code 0
LEDGER=(--ledger "$WORK/assay-demo/ledger" --trust "$WORK/assay-demo/trust")
echo '{"model": {"name": "demo/vendor-model", "revision": "v1"}, "benchmarks": [{"name": "demo-qa", "metrics": ["acc"],
  "evalConfig": {"num_fewshot": 5}}], "margin": 2}' >"$WORK/plan.json"
run "$ASSAY" attest plan "$WORK/plan.json" --key "$WORK/assay-demo/keys/vendor.key" "${LEDGER[@]}"
expect_code 0
deployment=$("$ASSAY" log "${LEDGER[@]}" | awk '$4 == "deployment" {print $2; exit}')
run "$ASSAY" attest revocation "$deployment" --reason "wrong upload: the endpoint served v1 that day" \
  --key "$WORK/assay-demo/keys/host.key" "${LEDGER[@]}"
expect_code 0

every_record_type_has_its_example() {
  run "$PYTHON" "$E2E_DIR/spec_examples.py" collect "$ASSAY" "$WORK/assay-demo/ledger" "$WORK/statements"
  expect_code 0
  (( $(ls "$WORK/statements" | wc -l) >= 12 )) || fail "fewer record types than expected: $(ls "$WORK/statements")"
  local statement kind
  for statement in "$WORK/statements"/*.json; do  # assay's own records match their schemas
    kind=$(basename "$statement" .json)
    case "$kind" in
      claim*) expect_valid_record claim-statement-v2 "$statement" ;;
      reproduction) expect_valid_record reproduction-statement "$statement" ;;
      reproduction-*) expect_valid_record reproduction-statement-v2 "$statement" ;;
      model) expect_valid_record model-statement "$statement" ;;
      *) expect_valid_record "$kind-statement" "$statement" ;;
    esac
  done
  run "$PYTHON" "$E2E_DIR/spec_examples.py" check "$WORK/statements" "$SOURCE_DIR/docs"
  expect_code 0
}
check "every record type's spec page shows the record the code writes" every_record_type_has_its_example

finish
