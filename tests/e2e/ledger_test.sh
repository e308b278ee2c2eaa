#!/bin/bash
# End-to-end: the git-backed ledger (issue "The git-backed ledger"). Every
# attest appends one SSH-signed commit that stock git verifies; verify ledger
# proves the history was only appended to and catches each kind of rewrite;
# concurrent and killed writers never lose an acknowledged record.
source "$(dirname "$0")/lib.sh"
require_tool git
require_tool ssh-keygen

export ASSAY_CONFIG_DIR="$WORK/config"
export XDG_DATA_HOME="$WORK/data"
LEDGER="$WORK/ledger"
MODEL="$WORK/model"
fixtures weights "$MODEL" --shards 2 --index
run "$ASSAY" key generate --unencrypted
expect_code 0
run "$ASSAY" trust add acme --role vendor --key-file "$ASSAY_CONFIG_DIR/assay.pub"
expect_code 0
run "$ASSAY" trust export -o "$WORK/allowed_signers"
expect_code 0

# attest_into LEDGER NAME: a signed record of $MODEL named NAME, appended.
attest_into() { run "$ASSAY" attest model "$MODEL" --no-cache --name "$2" --ledger "$1"; }

init_and_append() {
  run "$ASSAY" init "$LEDGER"
  expect_code 0
  for name in acme/a acme/b acme/c; do
    attest_into "$LEDGER" "$name"
    expect_code 0
    expect_stdout_contains "appended in"
  done
  attest_into "$LEDGER" acme/a
  expect_code 0
  expect_stdout_contains "already recorded in"
  [[ "$(git -C "$LEDGER" rev-list --count ledger)" == 3 ]] || fail "expected 3 commits"
}
check "init, then one commit per new record; a repeated record is not added twice" init_and_append

stock_git_agrees() {
  local commit
  for commit in $(git -C "$LEDGER" rev-list ledger); do
    run git -C "$LEDGER" -c gpg.ssh.allowedSignersFile="$WORK/allowed_signers" verify-commit "$commit"
    expect_code 0
    expect_stderr_contains 'Good "git" signature for acme'
  done
  run git -C "$LEDGER" -c gpg.ssh.allowedSignersFile="$WORK/allowed_signers" log --show-signature
  expect_code 0
  expect_stdout_contains 'Good "git" signature for acme'
  run git -C "$LEDGER" fsck --strict
  expect_code 0
  run git -C "$LEDGER" ls-tree -r --name-only ledger
  grep -Eq '^records/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}\.json$' "$WORK/stdout" || fail "record paths are not fanned out"
}
check "git verify-commit and log --show-signature accept every commit; fsck --strict is clean" stock_git_agrees

verify_ledger_ok() {
  run "$ASSAY" verify ledger --ledger "$LEDGER"
  expect_code 0
  expect_stdout_contains "records    3"
}
check "verify ledger accepts an honest ledger" verify_ledger_ok

# A copy of the ledger with one rewrite applied by stock git plumbing.
# rewritten NAME: copies $LEDGER to $WORK/NAME and prints its path.
rewritten() { cp -r "$LEDGER" "$WORK/$1"; echo "$WORK/$1"; }

deleted_record() {
  local copy; copy=$(rewritten deleted)
  git -C "$copy" update-ref refs/heads/ledger "$(git -C "$copy" commit-tree 'ledger~1^{tree}' -p ledger -m drop)"
  run "$ASSAY" verify ledger --ledger "$copy"
  expect_code 1
  expect_one_line_error "does not only add records: it deletes records/"
}
check "a commit that deletes a record is caught" deleted_record

edited_record() {
  local copy; copy=$(rewritten edited)
  local path; path=$(git -C "$copy" ls-tree -r --name-only ledger | head -1)
  local blob; blob=$(echo '{"tampered":true}' | git -C "$copy" hash-object -w --stdin)
  GIT_INDEX_FILE="$WORK/edit-index" git -C "$copy" read-tree ledger
  GIT_INDEX_FILE="$WORK/edit-index" git -C "$copy" update-index --cacheinfo "100644,$blob,$path"
  local tree; tree=$(GIT_INDEX_FILE="$WORK/edit-index" git -C "$copy" write-tree)
  git -C "$copy" update-ref refs/heads/ledger "$(git -C "$copy" commit-tree "$tree" -p ledger -m edit)"
  run "$ASSAY" verify ledger --ledger "$copy"
  expect_code 1
  expect_one_line_error "does not only add records: it changes $path"
}
check "a commit that edits a record file is caught" edited_record

unsigned_commit() {
  local copy; copy=$(rewritten unsigned)
  # An honest-looking addition (a real record) in a commit nobody signed.
  run "$ASSAY" attest model "$MODEL" --no-cache --name acme/d --no-ledger -o "$WORK/d.json"
  local id; id=$("$PYTHON" -c 'import base64,hashlib,json,sys; print(hashlib.sha256(base64.b64decode(json.load(open(sys.argv[1]))["payload"])).hexdigest())' "$WORK/d.json")
  local blob; blob=$(git -C "$copy" hash-object -w "$WORK/d.json")
  GIT_INDEX_FILE="$WORK/unsigned-index" git -C "$copy" read-tree ledger
  GIT_INDEX_FILE="$WORK/unsigned-index" git -C "$copy" update-index --add --cacheinfo "100644,$blob,records/${id:0:2}/${id:2:2}/$id.json"
  local tree; tree=$(GIT_INDEX_FILE="$WORK/unsigned-index" git -C "$copy" write-tree)
  git -C "$copy" update-ref refs/heads/ledger "$(git -C "$copy" commit-tree "$tree" -p ledger -m unsigned)"
  run "$ASSAY" verify ledger --ledger "$copy"
  expect_code 1
  expect_one_line_error "is not signed"
}
check "an unsigned commit is caught, even when it adds a valid record" unsigned_commit

untrusted_signer() {
  run "$ASSAY" key generate --unencrypted --key "$WORK/mallory.key"
  local copy; copy=$(rewritten mallory)
  run "$ASSAY" attest model "$MODEL" --no-cache --name mallory/x --key "$WORK/mallory.key" --ledger "$copy"
  expect_code 0
  run "$ASSAY" verify ledger --ledger "$copy"
  expect_code 1
  expect_one_line_error "no key in the trust file verifies"
}
check "a record and commit by a key outside the trust file are caught" untrusted_signer

index_queries() {
  run "$ASSAY" log --ledger "$LEDGER"
  expect_code 0
  [[ "$(wc -l <"$WORK/stdout")" == 3 ]] || fail "log should list 3 records"
  expect_stdout_contains "model acme/c"
  run "$ASSAY" log --ledger "$LEDGER" --model acme/b --json
  expect_code 0
  local id; id=$(json_get "$WORK/stdout" "s[0]['id']")
  run "$ASSAY" show "${id:0:12}" --ledger "$LEDGER"
  expect_code 0
  expect_stdout_contains "record     $id"
  local root; root=$("$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["predicate"]["weightsRoots"][0]["root"])' \
    < <("$ASSAY" show "$id" --ledger "$LEDGER" --json))
  run "$ASSAY" log --ledger "$LEDGER" --weights-root "$root"
  [[ "$(wc -l <"$WORK/stdout")" == 3 ]] || fail "the three records share one weights root"
  run "$ASSAY" show 0000000000 --ledger "$LEDGER"
  expect_code 2
  run "$ASSAY" reindex --ledger "$LEDGER"
  expect_code 0
  expect_stdout_contains "(identical)"
}
check "log, show, lookups by model and weights root; reindex gives an identical index" index_queries

rewrite_in_place_caught() {
  # The same ledger, reset and appended to behind assay's back (an amend): the
  # index remembers the head this machine saw, so verify and attest refuse.
  local copy; copy=$(rewritten in-place)
  run "$ASSAY" verify ledger --ledger "$copy"
  expect_code 0
  git -C "$copy" update-ref refs/heads/ledger ledger~1
  run "$ASSAY" verify ledger --ledger "$copy"
  expect_code 1
  expect_one_line_error "history rewritten"
  attest_into "$copy" acme/on-top
  expect_code 1
  run "$ASSAY" reindex --ledger "$copy"
  expect_code 0
  run "$ASSAY" verify ledger --ledger "$copy"
  expect_code 0
}
check "a rewrite of a ledger this machine saw is caught until reindex accepts it" rewrite_in_place_caught

checkpoints_and_witness() {
  run "$ASSAY" attest checkpoint --ledger "$LEDGER" --origin example.org/acme-ledger -o "$WORK/cp1.note"
  expect_code 0
  head -2 "$WORK/cp1.note" | tail -1 | grep -qx 3 || fail "checkpoint size is not 3"
  grep -q '^git-commit [0-9a-f]\{40\}$' "$WORK/cp1.note" || fail "no git-commit line"
  grep -q '^— example.org/acme-ledger ' "$WORK/cp1.note" || fail "no log signature line"
  run "$ASSAY" verify ledger --ledger "$LEDGER" --checkpoint "$WORK/cp1.note"
  expect_code 0
  expect_stdout_contains "signed by acme"

  # A witness with its own key and trust file cosigns, then cosigns a later one.
  local witness_env=(env ASSAY_CONFIG_DIR="$WORK/witness")
  run "${witness_env[@]}" "$ASSAY" key generate --unencrypted
  run "${witness_env[@]}" "$ASSAY" trust add acme --role vendor --key-file "$ASSAY_CONFIG_DIR/assay.pub"
  run "${witness_env[@]}" "$ASSAY" attest cosign "$WORK/cp1.note" --ledger "$LEDGER" -o "$WORK/cp1.cosigned"
  expect_code 0
  attest_into "$LEDGER" acme/after-checkpoint
  run "$ASSAY" attest checkpoint --ledger "$LEDGER" --origin example.org/acme-ledger -o "$WORK/cp2.note"
  run "${witness_env[@]}" "$ASSAY" attest cosign "$WORK/cp2.note" --ledger "$LEDGER" -o "$WORK/cp2.cosigned"
  expect_code 0
  # The vendor trusts the witness as a witness: verify shows the cosignature.
  run "$ASSAY" trust add witness --role witness --key-file "$WORK/witness/assay.pub"
  run "$ASSAY" verify ledger --ledger "$LEDGER" --checkpoint "$WORK/cp2.cosigned"
  expect_code 0
  expect_stdout_contains "cosigned   by witness"

  # History rewritten after the checkpoint (reset and a new commit): refused
  # by verify --checkpoint and by the witness.
  local copy; copy=$(rewritten reset)
  git -C "$copy" update-ref refs/heads/ledger ledger~1
  attest_into "$copy" acme/instead
  run "$ASSAY" verify ledger --ledger "$copy" --checkpoint "$WORK/cp2.note"
  expect_code 1
  expect_one_line_error "history rewritten"
  run "$ASSAY" attest checkpoint --ledger "$copy" --origin example.org/acme-ledger -o "$WORK/cp3.note"
  run "${witness_env[@]}" "$ASSAY" attest cosign "$WORK/cp3.note" --ledger "$copy"
  expect_code 1
  expect_one_line_error "history rewritten"
}
check "checkpoints: signed, verified, cosigned by a witness; a rewrite after one is refused" checkpoints_and_witness

concurrent_appends() {
  local i pids=()
  for i in 1 2 3 4 5 6; do
    "$ASSAY" attest model "$MODEL" --no-cache --name "acme/concurrent-$i" --ledger "$LEDGER" \
      >"$WORK/concurrent-$i.out" 2>&1 &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || fail "a concurrent append failed: $(cat "$WORK"/concurrent-*.out)"; done
  [[ "$(git -C "$LEDGER" rev-list --count ledger)" == 10 ]] || fail "expected 10 commits after 6 concurrent appends"
  run "$ASSAY" verify ledger --ledger "$LEDGER"
  expect_code 0
}
check "six processes appending at once all succeed, in turn" concurrent_appends

killed_writers() {
  # SIGKILL writers at random moments; every record a writer acknowledged
  # (exit 0, id printed) must be in a ledger that still verifies.
  local i pid acknowledged=0
  RANDOM=42
  for i in $(seq 1 30); do
    "$ASSAY" attest model "$MODEL" --no-cache --name "acme/killed-$i" --ledger "$LEDGER" >"$WORK/kill.out" 2>&1 &
    pid=$!
    sleep "$(printf "0.%03d" $((RANDOM % 300)))"
    kill -9 "$pid" 2>/dev/null || true  # it may have finished already
    if wait "$pid" && grep -q "appended in" "$WORK/kill.out"; then
      acknowledged=$((acknowledged + 1))
      awk '/^ledger/ {print $2}' "$WORK/kill.out" >>"$WORK/acknowledged"
    fi
  done
  run "$ASSAY" verify ledger --ledger "$LEDGER"
  expect_code 0
  run "$ASSAY" reindex --ledger "$LEDGER"
  expect_stdout_contains "(identical)"
  local id
  while read -r id; do
    git -C "$LEDGER" ls-tree -r --name-only ledger | grep -q "$id" || fail "acknowledged record $id was lost"
  done < <(cat "$WORK/acknowledged" 2>/dev/null || true)
  echo "  ($acknowledged of 30 writers finished before the kill)"
}
check "killed writers leave a ledger that verifies, and lose no acknowledged record" killed_writers

finish
