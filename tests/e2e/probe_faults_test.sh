#!/bin/bash
# End-to-end: the faults an outside probe found (issue "What a forged bundle,
# a hostile config, a kill and a race break today"), one check per fault, each
# failing on the code before the fix. Hostile-input checks here run under the
# sanitizers too.
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
# The vendor's demo-qa claim about v1: the oldest (the log lists the newest first).
CLAIM=$("$ASSAY" log --long --ledger "$LEDGER" | awk '$4 == "claim" && $5 == "demo-qa" {id = $2} END {print id}')
[[ -n "$CLAIM" ]] || fail "the demo made no claim"

# rewrite_reproduction BUNDLE OUT: the bundle with its reproduction's payload
# edited, every reproduction of it (metric -> 0.8, verdict "reproduced" with an interval of -1 to
# +1) and its signature left as it was.
rewrite_reproduction() {
  "$PYTHON" - "$1" "$2" <<'PY'
import base64, json, sys
lines = open(sys.argv[1]).read().splitlines()
out = []
for line in lines:
    record = json.loads(line)
    if "payload" in record:
        statement = json.loads(base64.b64decode(record["payload"]))
        if "/reproduction/v" in statement["predicateType"]:
            predicate = statement["predicate"]
            for metric in predicate["metrics"]:
                metric["value"] = 0.8
            for verdict in predicate["verdicts"]:
                verdict.update({"verdict": "reproduced", "reproducedPoints": 80.0, "differencePoints": 0.0,
                                "intervalLow": -1.0, "intervalHigh": 1.0})
            record["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
            line = json.dumps(record)
    out.append(line)
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
}

forged_bundle_fails() {
  run "$ASSAY" export "$CLAIM" --bundle "$WORK/b.intoto.jsonl" --ledger "$LEDGER" --trust "$TRUST"
  expect_code 0
  rewrite_reproduction "$WORK/b.intoto.jsonl" "$WORK/forged.intoto.jsonl"
  run "$ASSAY" verify claim "$CLAIM" --bundle "$WORK/forged.intoto.jsonl" --trust "$TRUST"
  expect_code 1
  expect_stdout_contains "altered after signing"
  if grep -E '^ok +verdict' "$WORK/stdout"; then fail "a verdict of the forged reproduction passed"; fi
  run "$ASSAY" verify claim "$CLAIM" --bundle "$WORK/forged.intoto.jsonl" --trust "$TRUST" --json
  expect_code 1
  [[ "$(json_get "$WORK/stdout" 's["ok"]')" == False ]] || fail "--json says ok for a forged bundle"
  # The honest bundle still passes, with its verdicts recomputed.
  run "$ASSAY" verify claim "$CLAIM" --bundle "$WORK/b.intoto.jsonl" --trust "$TRUST"
  expect_code 0
  expect_stdout_contains "acc NOT REPRODUCED"
}
check "a reproduction altered after signing fails verify claim --bundle (exit 1, no verdict passed)" forged_bundle_fails

bundle_errors_name_the_bundle() {
  "$PYTHON" - "$WORK/b.intoto.jsonl" "$WORK/garbled.intoto.jsonl" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
lines[1] = '{"payloadType": "application/vnd.in-toto+json", "payload": "@@", "signatures": []}'
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PY
  run "$ASSAY" verify claim "$CLAIM" --bundle "$WORK/garbled.intoto.jsonl" --trust "$TRUST"
  expect_code 2
  expect_one_line_error "garbled.intoto.jsonl: line 2" "base64"
}
check "an error in a bundle names the bundle file and its line" bundle_errors_name_the_bundle

# Trusting the bundle's own keys is per key, by fingerprint.
bundle_keys_are_named_one_by_one() {
  run "$ASSAY" verify claim "$CLAIM" --bundle "$WORK/b.intoto.jsonl" --trust "$WORK/empty-trust" \
    --trust-bundle-key SHA256:nosuchkey
  expect_code 2
  expect_one_line_error "--trust-bundle-key" "SHA256:nosuchkey"
  run "$ASSAY" verify claim "$CLAIM" --bundle "$WORK/b.intoto.jsonl" --trust "$WORK/empty-trust"
  expect_code 1
  expect_stdout_contains "NOT COUNTED"
  if grep -E '^ok +verdict' "$WORK/stdout"; then fail "a verdict of an untrusted reproduction passed"; fi
  # The keys of the bundle's signers: the vendor's and the evaluator's.
  local args=() key
  for key in $("$ASSAY" trust list --trust "$TRUST" --json |
      "$PYTHON" -c 'import json, sys; print("\n".join(e["fingerprint"] for e in json.load(sys.stdin)["entries"]
                                                   if e["name"] in ("demo-vendor", "demo-evaluator")))'); do
    args+=(--trust-bundle-key "$key")
  done
  run "$ASSAY" verify claim "$CLAIM" --bundle "$WORK/b.intoto.jsonl" --trust "$WORK/empty-trust" "${args[@]}"
  expect_code 0
  expect_stdout_contains "acc NOT REPRODUCED"
}
check "--trust-bundle-key trusts the bundle keys it names, and only those" bundle_keys_are_named_one_by_one

deep_config_is_refused() {
  fixtures weights "$WORK/good" --shards 1
  fixtures weights "$WORK/evil" --shards 1
  echo '{"model_type":"llama"}' >"$WORK/good/config.json"
  "$PYTHON" -c 'import sys; sys.stdout.write("{\"model_type\":\"llama\",\"x\":" + "[" * 100000 + "]" * 100000 + "}")' \
    >"$WORK/evil/config.json"
  run "$ASSAY" diff "$WORK/good" "$WORK/evil"
  expect_code 2
  expect_one_line_error "evil/config.json" "nested deeper than 64"
  "$PYTHON" -c 'import sys; sys.stdout.write("{\"model_type\":\"llama\",\"x\":" + "{\"a\":" * 30000 + "1" + "}" * 30000 + "}")' \
    >"$WORK/evil/config.json"
  run "$ASSAY" diff "$WORK/good" "$WORK/evil"
  expect_code 2
  expect_one_line_error "evil/config.json" "nested deeper than 64"
}
check "diff of a config.json nested 100,000 deep is a one-line error, exit 2, no crash" deep_config_is_refused

stale_ref_lock_is_removed() {
  local ledger="$WORK/lock-ledger"
  run "$ASSAY" init "$ledger"
  expect_code 0
  fixtures weights "$WORK/m1" --shards 1
  run "$ASSAY" attest model "$WORK/m1" --name lock/one --key "$DEMO/keys/vendor.key" --ledger "$ledger" --no-cache
  expect_code 0
  # What a kill between libgit2's lock and its rename leaves.
  git -C "$ledger" rev-parse refs/heads/ledger >"$ledger/refs/heads/ledger.lock"
  run "$ASSAY" attest model "$WORK/m1" --name lock/two --key "$DEMO/keys/vendor.key" --ledger "$ledger" --no-cache
  expect_code 0
  expect_stderr_contains "removed a stale lock refs/heads/ledger.lock"
  [[ ! -e "$ledger/refs/heads/ledger.lock" ]] || fail "the stale lock is still there"
  # Killed appends' temporary objects go too.
  touch "$ledger/objects/tmp_object_git2_AbCdEf"
  run "$ASSAY" attest model "$WORK/m1" --name lock/three --key "$DEMO/keys/vendor.key" --ledger "$ledger" --no-cache
  expect_code 0
  [[ ! -e "$ledger/objects/tmp_object_git2_AbCdEf" ]] || fail "a temporary object file is left"
  run "$ASSAY" verify ledger --ledger "$ledger" --trust "$TRUST"
  expect_code 0
}
check "a stale refs/heads/ledger.lock is removed under assay's lock, with a warning" stale_ref_lock_is_removed

reindex_beside_appends() {
  local ledger="$WORK/race-ledger" failures=0 round
  run "$ASSAY" init "$ledger"
  expect_code 0
  fixtures weights "$WORK/race-model" --shards 1
  for round in $(seq 1 40); do
    "$ASSAY" reindex --ledger "$ledger" >/dev/null 2>"$WORK/reindex.err" &
    local reindex=$!
    if ! "$ASSAY" attest model "$WORK/race-model" --name "race/m$round" --key "$DEMO/keys/vendor.key" \
        --ledger "$ledger" >/dev/null 2>"$WORK/append.err"; then
      failures=$((failures + 1))
      cat "$WORK/append.err" >&2
    fi
    wait "$reindex" || { failures=$((failures + 1)); cat "$WORK/reindex.err" >&2; }
  done
  ((failures == 0)) || fail "$failures of 40 rounds failed"
  [[ $("$ASSAY" log --ledger "$ledger" --limit 100 | wc -l) == 40 ]] || fail "not every append is in the log"
}
check "reindex and appends take turns: 40 rounds, every command exits 0" reindex_beside_appends

half_made_ledger() {
  local data="$WORK/half-data"
  mkdir -p "$data/assay"
  # What an init killed before the atomic rename was made could leave: an
  # empty git skeleton.
  git init -q --bare "$data/assay/ledger"
  fixtures weights "$WORK/half-model" --shards 1
  XDG_DATA_HOME="$data" run "$ASSAY" attest model "$WORK/half-model" --name half/one --key "$DEMO/keys/vendor.key" \
    --no-cache
  expect_code 0
  expect_stderr_contains "half-made ledger"
  XDG_DATA_HOME="$data" run "$ASSAY" log
  expect_code 0
  expect_stdout_contains "half/one"
  # A killed init's temporary sibling is removed; an unrelated folder is refused with a hint.
  mkdir -p "$data/assay/.ledger.assay-init-999999999"
  XDG_DATA_HOME="$data" run "$ASSAY" log
  expect_code 0
  mkdir -p "$WORK/not-a-ledger" && echo mine >"$WORK/not-a-ledger/notes.txt"
  run "$ASSAY" init "$WORK/not-a-ledger"
  expect_code 2
  expect_one_line_error "$WORK/not-a-ledger" "not an assay ledger"
  [[ "$(cat "$WORK/not-a-ledger/notes.txt")" == mine ]] || fail "a user's folder was touched"
}
check "a half-made ledger is finished or refused with a hint naming the folder" half_made_ledger

control_characters() {
  fixtures weights "$WORK/cc-model" --shards 1
  run "$ASSAY" attest model "$WORK/cc-model" --name $'evil\nsigned by  demo-vendor (vendor)' --unsigned --no-ledger
  expect_code 2
  expect_one_line_error "--name" "control character"
  run "$ASSAY" attest model "$WORK/cc-model" --name ok --revision $'v1\e]0;pwned\a' --unsigned --no-ledger
  expect_code 2
  expect_one_line_error "--revision" "control character"
  # A record made by hand holds them: every human output escapes them.
  run "$ASSAY" attest model "$WORK/cc-model" --name plain --unsigned --json --no-ledger
  expect_code 0
  "$PYTHON" - "$WORK/stdout" "$WORK/hand-made.json" <<'PY'
import json, sys
statement = json.load(open(sys.argv[1]))
statement["predicate"]["model"]["name"] = "evil\nsigned by  demo-vendor (vendor)\x1b[2J\x1b]0;title\x07\x00cut"
open(sys.argv[2], "w").write(json.dumps(statement))
PY
  run "$ASSAY" diff "$WORK/hand-made.json" "$WORK/cc-model"
  expect_code 0
  if grep -q $'\e' "$WORK/stdout"; then fail "an escape sequence reached the terminal"; fi
  if grep -q '^signed by  demo-vendor' "$WORK/stdout"; then fail "a newline in a name forged an output line"; fi
  expect_stdout_contains 'evil\nsigned by'
  # An error quoting a name escapes it too.
  run "$ASSAY" status $'nosuch\e[2Jmodel' --ledger "$LEDGER" --trust "$TRUST"
  expect_code 2
  expect_one_line_error 'nosuch\x1b[2Jmodel'
}
check "control characters are refused in names and escaped in every output" control_characters

no_leftovers_after_failed_append() {
  local ledger="$WORK/broken-ledger"
  run "$ASSAY" init "$ledger"
  expect_code 0
  chmod 000 "$ledger/refs/heads" 2>/dev/null || true
  # A ledger whose ref cannot move: made unwritable the way root cannot
  # bypass, by putting a file where the ref's folder must be.
  rm -rf "$ledger/refs/heads"
  echo blocked >"$ledger/refs/heads"
  fixtures weights "$WORK/left-model" --shards 1
  mkdir "$WORK/out"
  run "$ASSAY" attest model "$WORK/left-model" --name left/one --key "$DEMO/keys/vendor.key" --ledger "$ledger" \
    -o "$WORK/out/record.json" --no-cache
  [[ "$RUN_CODE" != 0 ]] || fail "the append was expected to fail"
  [[ -z "$(ls -A "$WORK/out")" ]] || fail "attest model left $(ls -A "$WORK/out") after a failed append"
  # --again: the demo claimed these files already; this claim is refused by the failed append alone.
  run "$ASSAY" attest claim "$DEMO/vendor-eval.jsonl" --model demo/vendor-model@v1 --key "$DEMO/keys/vendor.key" --again \
    --ledger "$ledger" -o "$WORK/out/claim.json" --transcript-out "$WORK/out/opening.jsonl"
  [[ "$RUN_CODE" != 0 ]] || fail "the claim was expected to fail"
  [[ -z "$(ls -A "$WORK/out")" ]] || fail "attest claim left $(ls -A "$WORK/out") after a failed append"
  # A retry with the same --transcript-out is not refused for a leftover.
  run "$ASSAY" attest claim "$DEMO/vendor-eval.jsonl" --model demo/vendor-model@v1 --key "$DEMO/keys/vendor.key" --again \
    --ledger "$LEDGER" --trust "$TRUST" -o "$WORK/out/claim.json" --transcript-out "$WORK/out/opening.jsonl"
  expect_code 0
  [[ -s "$WORK/out/claim.json" && -s "$WORK/out/opening.jsonl" ]] || fail "the retry wrote nothing"
}
check "a failed append leaves no -o file and no transcript opening behind" no_leftovers_after_failed_append

bad_blob_is_marked() {
  # A ledger holding one record whose blob is not a record: committed by
  # hand with stock git at a well-formed record path.
  local ledger="$WORK/bad-blob-ledger" clone="$WORK/bad-blob-clone" id
  git clone -q "$LEDGER" "$ledger" --bare
  git clone -q "$ledger" "$clone" 2>/dev/null
  git -C "$clone" checkout -q ledger
  id=$(printf 'x' | sha256sum | cut -c1-64)
  mkdir -p "$clone/records/${id:0:2}/${id:2:2}"
  echo 'not an envelope' >"$clone/records/${id:0:2}/${id:2:2}/$id.json"
  git -C "$clone" add -A && git -C "$clone" -c user.name=x -c user.email=x@y commit -qm "bad blob"
  git -C "$clone" push -q origin ledger
  run "$ASSAY" log --ledger "$ledger"
  expect_code 0
  expect_stdout_contains "INVALID"
  expect_stdout_contains "claim"
  run "$ASSAY" show "$id" --ledger "$ledger"
  expect_code 0
  expect_stdout_contains "not a well-formed record"
  run "$ASSAY" verify ledger --ledger "$ledger" --trust "$TRUST"
  expect_code 1
  expect_one_line_error "$ledger" "$id"
}
check "one bad blob in a ledger is marked; log and show still read the rest" bad_blob_is_marked

corrupt_object_is_a_failed_check() {
  local ledger="$WORK/corrupt-ledger" records blob other
  cp -r "$LEDGER" "$ledger"
  # Replace one record's loose object with another object's valid bytes:
  # it inflates, but no longer hashes to its id.
  records=$(git -C "$ledger" ls-tree -r --name-only ledger)
  blob=$(git -C "$ledger" rev-parse "ledger:$(head -1 <<<"$records")")
  other=$(git -C "$ledger" rev-parse "ledger:$(tail -1 <<<"$records")")
  [[ -f "$ledger/objects/${blob:0:2}/${blob:2}" ]] || fail "expected loose objects in the demo ledger"
  chmod u+w "$ledger/objects/${blob:0:2}/${blob:2}"
  cp "$ledger/objects/${other:0:2}/${other:2}" "$ledger/objects/${blob:0:2}/${blob:2}"
  run "$ASSAY" verify ledger --ledger "$ledger" --trust "$TRUST"
  expect_code 1
  expect_one_line_error "$ledger"
}
check "a git object whose content was replaced is a failed check (exit 1) naming the ledger" corrupt_object_is_a_failed_check

long_samples_line() {
  "$PYTHON" - "$WORK/long" <<'PY'
import json, os, sys
folder = sys.argv[1]
os.makedirs(folder, exist_ok=True)
results = {"results": {"t": {"acc,none": 0.5, "acc_stderr,none": 0.1, "alias": "t"}},
           "configs": {"t": {"task": "t"}}, "versions": {"t": 1}, "n-samples": {"t": {"original": 2, "effective": 2}},
           "higher_is_better": {"t": {"acc": True}}, "config": {"model": "hf"}, "lm_eval_version": "0.4.8"}
json.dump(results, open(f"{folder}/results_2025-01-01T00-00-00.json", "w"))
with open(f"{folder}/samples_t_2025-01-01T00-00-00.jsonl", "w") as out:
    out.write('{"doc_id": 0, "pad": "' + "x" * (17 << 20) + '"}\n')
    out.write('{"doc_id": 1}\n')
PY
  run "$ASSAY" attest claim "$WORK/long/results_2025-01-01T00-00-00.json" "$WORK/long/samples_t_2025-01-01T00-00-00.jsonl" \
    --model demo/vendor-model@v1 --key "$DEMO/keys/vendor.key" --ledger "$LEDGER" --trust "$TRUST"
  expect_code 2
  expect_one_line_error "samples_t_2025-01-01T00-00-00.jsonl" "line 1 is longer than 16 MiB"
}
check "a samples line over 16 MiB is its own error naming the file and line" long_samples_line

unscored_claim_refused() {
  "$PYTHON" - "$WORK/unscored.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as out:
    out.write(json.dumps({"assay_transcript": 1, "benchmark": {"name": "none"}, "harness": {"name": "h"},
                          "metrics": [], "sample_count": 1}) + "\n")
    out.write(json.dumps({"id": "a", "input": "q", "response": "r", "metrics": {}}) + "\n")
PY
  local before; before=$("$ASSAY" log --ledger "$LEDGER" --limit 1000 | wc -l)
  run "$ASSAY" attest claim "$WORK/unscored.jsonl" --model demo/vendor-model@v1 --key "$DEMO/keys/vendor.key" \
    --ledger "$LEDGER" --trust "$TRUST"
  expect_code 2
  expect_one_line_error "unscored.jsonl" "no metric"
  [[ "$("$ASSAY" log --ledger "$LEDGER" --limit 1000 | wc -l)" == "$before" ]] || fail "an unscored claim was signed"
}
check "a claim with no metric at all is refused, naming the log" unscored_claim_refused

untrusted_records_are_marked() {
  # log and status mark a record whose signature does not count.
  local ledger="$WORK/marked-ledger"
  run "$ASSAY" init "$ledger"
  expect_code 0
  run "$ASSAY" key generate --unencrypted --key "$WORK/nobody.key"
  expect_code 0
  fixtures weights "$WORK/marked-model" --shards 1
  run "$ASSAY" attest model "$WORK/marked-model" --name marked/m --key "$WORK/nobody.key" --ledger "$ledger" --no-cache
  expect_code 0
  run "$ASSAY" log --ledger "$ledger" --trust "$TRUST"
  expect_code 0
  expect_stdout_contains "NOT COUNTED"
  run "$ASSAY" status marked/m --ledger "$ledger" --trust "$TRUST"
  expect_code 0
  expect_stdout_contains "UNTRUSTED"
}
check "log and status mark records whose signature does not count" untrusted_records_are_marked

finish
