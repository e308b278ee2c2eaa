#!/bin/bash
# End-to-end: `assay demo`, the README's main job (issue 5, item 7; the Hub,
# host and API of issue 14, item 8). It tells the whole story in a folder of
# its own, and the commands it prints at the end work exactly as printed.
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
  # The Hub, the host and the API: three uploads observed, the second served,
  # the endpoint a different model, and the history of it all.
  expect_stdout_contains "head       "
  expect_stdout_contains "(3 revisions reachable, 0 observed before)"
  expect_stdout_contains "serving    from 2026-01-02T16:00:00Z until your next deployment of it"
  expect_stdout_contains "verdict    different model: B matches A on 64.0% of the prompts, the baseline on"
  expect_stdout_contains "  weights    no weight change"
  expect_stdout_contains "  files      config.json changed"
  expect_stdout_contains "    key changed  max_position_embeddings: 8192 -> 32768  [identity]"
  expect_stdout_contains "  deployed   demo-host/vendor-model from 2026-01-02T16:00:00Z, still serving (asserted by host demo-host, record "
  expect_stdout_contains "             run on demo-host/vendor-model at 2026-01-02T18:00:00Z (asserted by its log), while deployment "
  [[ "$(grep -c '^  bytes      verified by demo-vendor' "$WORK/stdout")" == 2 ]] || fail "history does not say who hashed v1 and v2"
  [[ -d assay-demo/ledger && -f assay-demo/vendor-claim.transcript.jsonl ]] || fail "the demo folder is incomplete"
  [[ ! -e "$ASSAY_CONFIG_DIR" ]] || fail "the demo touched the user's config folder"
  "$PYTHON" -c 'import base64, json, sys
open(sys.argv[2], "wb").write(base64.b64decode(json.load(open(sys.argv[1]))["payload"]))' \
    assay-demo/vendor-model.record.json "$WORK/demo-statement.json" || fail "demo record is not a DSSE envelope"
  expect_valid_statement "$WORK/demo-statement.json"
  cp "$WORK/stdout" "$WORK/demo.out"
}
check "the demo runs the whole story: claim, re-upload, reproduction, status, the Hub's uploads, the endpoint" demo_tells_the_story

printed_commands_work() {
  local commands
  # Each command as one line: a line ending in " \\" continues on the next.
  commands=$(sed -n '/^explore further/,$p' "$WORK/demo.out" | sed -n 's/^  //p' |
    awk '{ if (sub(/ \\$/, "")) { held = held $0 " "; next } print held $0; held = "" }')
  [[ $(wc -l <<<"$commands") -ge 8 ]] || fail "too few commands printed: $commands"
  while IFS= read -r command; do
    run bash -c "$command"
    expect_code 0
  done <<<"$commands"
  grep -q '"assaySampleProof"' q00042.proof.json || fail "prove sample wrote no proof"
  [[ -s claim.intoto.jsonl ]] || fail "export wrote no bundle"
}
check "every command the demo prints works as printed" printed_commands_work

# Human output fits 80 columns (issue 15, item 2): every line of the demo and of
# the commands that read its ledger, but for a line that is one word too long
# to break (a path, a whole digest with its name).
fits_80_columns() {
  local ledger=(--ledger assay-demo/ledger --trust assay-demo/trust) claim
  claim=$("$ASSAY" log --long "${ledger[@]:0:2}" | awk '$4 == "claim" && $5 == "demo-qa" {id = $2} END {print id}')
  : >"$WORK/all.out"
  local command
  for command in \
    "status demo/vendor-model@v1" "status demo/vendor-model@v2" "history demo/vendor-model" "log" "verify ledger" \
    "verify claim $claim --transcript assay-demo/vendor-claim.transcript.jsonl" \
    "report demo/vendor-model@v1 -o $WORK/fit.html"; do
    # shellcheck disable=SC2086  # the command's words
    "$ASSAY" $command "${ledger[@]}" >>"$WORK/all.out" 2>/dev/null || fail "assay $command failed"
  done
  "$ASSAY" show "$claim" "${ledger[@]:0:2}" >>"$WORK/all.out" || fail "assay show failed"
  "$ASSAY" trust list "${ledger[@]:2:2}" >>"$WORK/all.out" || fail "assay trust list failed"
  "$ASSAY" diff assay-demo/vendor-model.record.json assay-demo/vendor-model-v2.record.json >>"$WORK/all.out" 2>/dev/null ||
    [[ $? == 1 ]] || fail "assay diff failed"
  "$ASSAY" verify model assay-demo/vendor-model.record.json assay-demo/evaluator-download --trust assay-demo/trust \
    >>"$WORK/all.out" || fail "assay verify model failed"
  cat "$WORK/demo.out" >>"$WORK/all.out"
  "$PYTHON" - "$WORK/all.out" <<'PY' || fail "a line is wider than 80 columns"
import sys
wide = [line for line in open(sys.argv[1], encoding="utf-8").read().splitlines()
        if len(line) > 80 and " " in line.strip()]
if wide:
    sys.exit("wider than 80 columns:\n" + "\n".join(wide))
PY
}
check "status, history, log, verify, show, diff and the demo fit 80 columns" fits_80_columns

rerun_refused() {
  run "$ASSAY" demo
  expect_code 2
  expect_one_line_error "assay-demo" "--dir"
  run "$ASSAY" demo --dir second
  expect_code 0
}
check "a second demo in the same folder is refused; --dir picks another" rerun_refused

finish
