#!/bin/bash
# End-to-end: `assay demo`, the README's main job (issue 5, item 7). It tells
# the whole story in a folder of its own, and the commands it prints at the end
# work exactly as printed.
source "$(dirname "$0")/lib.sh"
require_tool git
cd "$WORK"
export ASSAY_CONFIG_DIR="$WORK/config"  # the demo must not need (or touch) these
export ASSAY_CACHE_DIR="$WORK/cache"

demo_tells_the_story() {
  run "$ASSAY" demo
  expect_code 0
  expect_stdout_contains "acc NOT REPRODUCED"
  expect_stdout_contains "DIFFERENT WEIGHTS  demo/vendor-model @ v2"
  expect_stdout_contains "not reproduced"
  [[ -d assay-demo/ledger && -f assay-demo/vendor-claim.transcript.jsonl ]] || fail "the demo folder is incomplete"
  [[ ! -e "$ASSAY_CONFIG_DIR" ]] || fail "the demo touched the user's config folder"
  "$PYTHON" -c 'import base64, json, sys
open(sys.argv[2], "wb").write(base64.b64decode(json.load(open(sys.argv[1]))["payload"]))' \
    assay-demo/vendor-model.record.json "$WORK/demo-statement.json" || fail "demo record is not a DSSE envelope"
  expect_valid_statement "$WORK/demo-statement.json"
  cp "$WORK/stdout" "$WORK/demo.out"
}
check "the demo runs the whole story: claim, re-upload, reproduction, status" demo_tells_the_story

printed_commands_work() {
  local commands
  commands=$(sed -n '/^explore further/,$p' "$WORK/demo.out" | sed -n 's/^  //p')
  [[ $(wc -l <<<"$commands") -ge 8 ]] || fail "too few commands printed: $commands"
  while IFS= read -r command; do
    run bash -c "$command"
    expect_code 0
  done <<<"$commands"
  grep -q '"assaySampleProof"' q00042.proof.json || fail "prove sample wrote no proof"
  [[ -s claim.intoto.jsonl ]] || fail "export wrote no bundle"
}
check "every command the demo prints works as printed" printed_commands_work

rerun_refused() {
  run "$ASSAY" demo
  expect_code 2
  expect_one_line_error "assay-demo" "--dir"
  run "$ASSAY" demo --dir second
  expect_code 0
}
check "a second demo in the same folder is refused; --dir picks another" rerun_refused

finish
