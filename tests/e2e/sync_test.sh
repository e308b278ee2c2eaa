#!/bin/bash
# End-to-end: two parties' ledgers on two local paths, shared through git
# remotes (issue "The git-backed ledger", item 4): pushes and pulls both ways
# end with the same records on both sides; a merge is signed by the party that
# pulls and stock git verifies it; a rewritten or untrusted remote is refused.
source "$(dirname "$0")/lib.sh"
require_tool git

MODEL="$WORK/model"
fixtures weights "$MODEL" --shards 1

# Each party has its own key, trust file (trusting both) and ledger.
for party in vendor evaluator; do
  mkdir -p "$WORK/$party"
  ASSAY_CONFIG_DIR="$WORK/$party" "$ASSAY" key generate --unencrypted >/dev/null 2>&1 || fail "key generate"
done
for party in vendor evaluator; do
  export_as() { ASSAY_CONFIG_DIR="$WORK/$party" "$ASSAY" "$@"; }
  export_as trust add vendor --role vendor --key-file "$WORK/vendor/assay.pub" >/dev/null || fail "trust add"
  export_as trust add evaluator --role evaluator --key-file "$WORK/evaluator/assay.pub" >/dev/null || fail "trust add"
  export_as init "$WORK/$party/ledger" >/dev/null || fail "init"
done
ASSAY_CONFIG_DIR="$WORK/vendor" "$ASSAY" trust export -o "$WORK/allowed_signers" >/dev/null

# as PARTY ARGS...: run assay as that party, on its own ledger.
as() { local party=$1; shift; run env ASSAY_CONFIG_DIR="$WORK/$party" ASSAY_LEDGER="$WORK/$party/ledger" "$ASSAY" "$@"; }
records() { git -C "$WORK/$1/ledger" ls-tree -r --name-only ledger | sort; }

appends_on_both_sides() {
  for name in v1 v2; do as vendor attest model "$MODEL" --no-cache --name "vendor/$name"; expect_code 0; done
  for name in e1 e2; do as evaluator attest model "$MODEL" --no-cache --name "evaluator/$name"; expect_code 0; done
}
check "each party appends its own records" appends_on_both_sides

pull_merges_both_ways() {
  as vendor remote add evaluator "$WORK/evaluator/ledger"
  expect_code 0
  as vendor pull evaluator
  expect_code 0
  expect_stdout_contains "merged, 2 new records verified"
  # The merge commit: two parents, signed by the vendor, accepted by stock git.
  [[ "$(git -C "$WORK/vendor/ledger" rev-list --parents -1 ledger | wc -w)" == 3 ]] || fail "head is not a merge"
  run git -C "$WORK/vendor/ledger" -c gpg.ssh.allowedSignersFile="$WORK/allowed_signers" verify-commit ledger
  expect_code 0
  expect_stderr_contains 'Good "git" signature for vendor'
  # Pushing would reorder the evaluator's own ledger: refused; the evaluator pulls instead.
  as vendor push evaluator
  expect_code 2
  expect_one_line_error "pull"
  as evaluator remote add vendor "file://$WORK/vendor/ledger"
  expect_code 0
  as evaluator pull vendor
  expect_code 0
  expect_stdout_contains "merged, 2 new records verified"
  [[ "$(records vendor)" == "$(records evaluator)" ]] || fail "the two ledgers hold different records"
  [[ "$(records vendor | wc -l)" == 4 ]] || fail "expected 4 records"
  as vendor pull evaluator
  expect_stdout_contains "already up to date"
}
check "pulls both ways merge (each signed by the puller); both sides end with the same records" pull_merges_both_ways

later_appends_and_a_mirror() {
  as evaluator attest model "$MODEL" --no-cache --name evaluator/e3
  as vendor pull evaluator
  expect_code 0
  expect_stdout_contains "1 new records verified"
  [[ "$(records vendor)" == "$(records evaluator)" ]] || fail "the two ledgers hold different records"
  # A mirror that only ever receives the vendor's pushes fast-forwards.
  as vendor init "$WORK/mirror"
  as vendor remote add mirror "$WORK/mirror"
  as vendor push mirror
  expect_code 0
  [[ "$(git -C "$WORK/mirror" rev-parse ledger)" == "$(git -C "$WORK/vendor/ledger" rev-parse ledger)" ]] ||
    fail "the mirror did not receive the vendor's head"
  for party in vendor evaluator; do
    as "$party" verify ledger
    expect_code 0
    expect_stdout_contains "records    5"
    run git -C "$WORK/$party/ledger" fsck --strict
    expect_code 0
    as "$party" reindex
    expect_stdout_contains "(identical)"
  done
}
check "later appends arrive; a mirror takes pushes; both ledgers verify, fsck clean, reindex identically" later_appends_and_a_mirror

force_pushed_remote_refused() {
  # The evaluator rewrites its history (reset and a different record), as a force push would.
  git -C "$WORK/evaluator/ledger" update-ref refs/heads/ledger ledger~1
  as evaluator attest model "$MODEL" --no-cache --name evaluator/rewritten
  local before; before=$(git -C "$WORK/vendor/ledger" rev-parse ledger)
  as vendor pull evaluator
  expect_code 1
  expect_one_line_error "rewrote its history"
  [[ "$(git -C "$WORK/vendor/ledger" rev-parse ledger)" == "$before" ]] || fail "the refused pull changed the ledger"
}
check "a remote that rewrote history the puller had seen is refused; nothing changes" force_pushed_remote_refused

untrusted_remote_refused() {
  mkdir -p "$WORK/mallory"
  ASSAY_CONFIG_DIR="$WORK/mallory" "$ASSAY" key generate --unencrypted >/dev/null 2>&1
  cp -r "$WORK/vendor/ledger" "$WORK/mallory/ledger"
  run env ASSAY_CONFIG_DIR="$WORK/mallory" "$ASSAY" attest model "$MODEL" --no-cache --name mallory/x \
    --ledger "$WORK/mallory/ledger"
  expect_code 0
  as vendor remote add mallory "$WORK/mallory/ledger"
  local before; before=$(git -C "$WORK/vendor/ledger" rev-parse ledger)
  as vendor pull mallory
  expect_code 1
  expect_one_line_error "no key in the trust file verifies"
  [[ "$(git -C "$WORK/vendor/ledger" rev-parse ledger)" == "$before" ]] || fail "an unverified pull changed the ledger"
}
check "a remote with a record by an untrusted key is refused before anything merges" untrusted_remote_refused

finish
