#!/bin/bash
# End-to-end: score claims and reproductions (issue 5). A vendor claims a score
# backed by a transcript; a score the transcript does not support is refused;
# tampering with one sample is caught by `verify claim` and `verify sample`;
# an evaluator's reproduction on other weights is "different weights", never a
# score comparison; a lower re-run is "not reproduced"; the evidence bundle is
# checked offline; and real lm-eval logs (NaN, Infinity, "N/A", a 20-of-13812
# partial run) go through the same commands.
source "$(dirname "$0")/lib.sh"

export ASSAY_CONFIG_DIR="$WORK/config"
export ASSAY_CACHE_DIR="$WORK/cache"
export ASSAY_LEDGER="$WORK/ledger"
cd "$WORK"

run "$ASSAY" init "$ASSAY_LEDGER"
expect_code 0
for party in vendor evaluator; do
  run "$ASSAY" key generate --unencrypted --key "$WORK/$party.key"
  expect_code 0
  run "$ASSAY" trust add "acme-$party" --role "$party" --key-file "$WORK/$party.pub"
  expect_code 0
done
fixtures weights "$WORK/model" --shards 2 --index
run "$ASSAY" attest model "$WORK/model" --name acme/model --revision v1 --key "$WORK/vendor.key"
expect_code 0
fixtures weights "$WORK/other" --shards 1 --flip layers.1.mlp.up.weight
run "$ASSAY" attest model "$WORK/other" --name acme/model --revision v2 --key "$WORK/vendor.key"
expect_code 0

# transcript FILE N RIGHT [CLAIMED] [SEED]: an assay JSONL transcript of N
# questions, RIGHT of them answered right (chosen by SEED), reporting the mean
# (or CLAIMED) with the mean's standard error.
transcript() {
  "$PYTHON" - "$@" <<'PY'
import json, math, random, sys
path, n, right = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
claimed = float(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else None
seed = int(sys.argv[5]) if len(sys.argv) > 5 else 1
order = list(range(n)); random.Random(seed).shuffle(order)
good = set(order[:right])
values = [1.0 if i in good else 0.0 for i in range(n)]
mean = sum(values) / n
stderr = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1) / n)
header = {"assay_transcript": 1, "benchmark": {"name": "toy-qa", "version": "1"},
          "harness": {"name": "toy-harness", "version": "0.1"}, "model": {"name": "acme/model"},
          "metrics": [{"name": "acc", "value": claimed if claimed is not None else mean, "stderr": stderr,
                       "higher_is_better": True, "aggregation": "mean"}],
          "sample_count": n, "samples_used": n, "samples_total": n}
with open(path, "w") as out:
    out.write(json.dumps(header) + "\n")
    for i in range(n):
        target = str(i % 7)
        response = target if i in good else "x" + str(seed)
        out.write(json.dumps({"id": f"q{i:04d}", "input": f"question {i}", "target": target,
                              "response": response, "metrics": {"acc": values[i]}}) + "\n")
PY
}

ledger_size() { "$ASSAY" log --limit 1000 | wc -l; }

unsupported_score_refused() {
  transcript "$WORK/inflated.jsonl" 1000 792 0.899
  local before; before=$(ledger_size)
  run "$ASSAY" attest claim "$WORK/inflated.jsonl" --model acme/model@v1 --key "$WORK/vendor.key" \
    --transcript-out "$WORK/inflated.opening.jsonl"
  expect_code 1
  expect_one_line_error "79.2" "89.9" "--force"
  [[ ! -e "$WORK/inflated.opening.jsonl" ]] || fail "a refused claim wrote its transcript opening"
  [[ "$(ledger_size)" == "$before" ]] || fail "a refused claim reached the ledger"
  # An opening that cannot be written is named before the log is read.
  run "$ASSAY" attest claim "$WORK/inflated.jsonl" --model acme/model@v1 --key "$WORK/vendor.key" \
    --transcript-out "$WORK/no-such-folder/inflated.opening.jsonl" --force
  expect_code 2
  expect_one_line_error "--transcript-out" "no-such-folder is not a folder"
  [[ "$(ledger_size)" == "$before" ]] || fail "a claim without its opening reached the ledger"
  # Forced, the record says the score was not recomputable and why.
  run "$ASSAY" attest claim "$WORK/inflated.jsonl" --model acme/model@v1 --key "$WORK/vendor.key" \
    --transcript-out "$WORK/inflated.opening.jsonl" --force --json
  expect_code 0
  expect_stderr_contains "signed with --force"
  "$PYTHON" - "$WORK/stdout" <<'PY' || fail "forced claim does not say why"
import base64, json, sys
statement = json.loads(base64.b64decode(json.load(open(sys.argv[1]))["payload"]))
metric = statement["predicate"]["metrics"][0]
assert metric["recomputed"] is False and "79.2" in metric["notRecomputable"], metric
PY
}
check "a score its transcript does not support is refused, naming both numbers; --force records why" unsupported_score_refused

CLAIM=""
claim_verifies() {
  transcript "$WORK/vendor.jsonl" 1000 800
  run "$ASSAY" attest claim "$WORK/vendor.jsonl" --model acme/model@v1 --key "$WORK/vendor.key" \
    --transcript-out "$WORK/vendor.opening.jsonl"
  expect_code 0
  expect_stdout_contains "recomputed from 1000 samples"
  CLAIM=$(sed -n 's/^claim      //p' "$WORK/stdout")
  echo "$CLAIM" >"$WORK/claim.id"
  run "$ASSAY" verify claim "$CLAIM" --transcript "$WORK/vendor.opening.jsonl" --weights "$WORK/model"
  expect_code 0
  expect_stdout_contains "1000 samples hash to the committed root"
  expect_stdout_contains "hashes to the bound root"
  run "$ASSAY" verify claim "$CLAIM" --weights "$WORK/other"
  expect_code 1
}
check "a supported claim is signed, appended, and verify claim checks weights, transcript and score" claim_verifies
CLAIM=$(cat "$WORK/claim.id")

tampered_sample_caught() {
  # One answer in the opening flipped from wrong to right: the root no longer holds.
  "$PYTHON" - "$WORK/vendor.opening.jsonl" "$WORK/tampered.opening.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
for i in range(1, len(lines)):
    entry = json.loads(lines[i])
    if entry["leaf"]["metrics"]["acc"] == 0.0:
        lines[i] = lines[i].replace('"acc":0.0', '"acc":1.0')
        break
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
  run "$ASSAY" verify claim "$CLAIM" --transcript "$WORK/tampered.opening.jsonl"
  expect_code 1
  expect_stdout_contains "FAIL transcript"
  run "$ASSAY" prove sample "$CLAIM" q0007 --transcript "$WORK/vendor.opening.jsonl" -o "$WORK/q0007.proof.json"
  expect_code 0
  run "$ASSAY" verify sample "$WORK/q0007.proof.json"
  expect_code 0
  expect_stdout_contains "sample q0007 is leaf 7"
  sed 's/"response": "\([0-9]\)"/"response": "tampered"/; s/"response": "x1"/"response": "tampered"/' \
    "$WORK/q0007.proof.json" >"$WORK/bad.proof.json"
  ! cmp -s "$WORK/q0007.proof.json" "$WORK/bad.proof.json" || fail "the proof was not tampered"
  run "$ASSAY" verify sample "$WORK/bad.proof.json"
  expect_code 1
  expect_one_line_error "bad.proof.json" "altered"
  echo '{"assaySampleProof": 1, "claim": "zz"}' >"$WORK/garbage.proof.json"
  run "$ASSAY" verify sample "$WORK/garbage.proof.json"
  expect_code 2
  expect_one_line_error "garbage.proof.json"
}
check "tampering with one committed sample is caught by verify claim and verify sample" tampered_sample_caught

different_weights_never_compared() {
  transcript "$WORK/evaluator-same.jsonl" 1000 800 "" 3
  # A weights folder that is not there is named before the key is read.
  run "$ASSAY" attest reproduction "$CLAIM" "$WORK/evaluator-same.jsonl" --weights "$WORK/no-such-folder" \
    --key "$WORK/no-such-key"
  expect_code 3
  expect_one_line_error "no-such-folder"
  grep -q "no-such-key" "$WORK/stderr" && fail "attest reproduction reached the key before its weights folder"
  run "$ASSAY" attest reproduction "$CLAIM" "$WORK/evaluator-same.jsonl" --weights "$WORK/other" \
    --key "$WORK/evaluator.key" --transcript-out "$WORK/evaluator-other.opening.jsonl"
  expect_code 0
  expect_stdout_contains "DIFFERENT WEIGHTS"
  expect_stdout_contains "acc DIFFERENT WEIGHTS"
  ! grep -q "points" "$WORK/stdout" || fail "a different-weights reproduction compared scores"
  run "$ASSAY" status acme/model@v1 --json
  expect_code 0
  "$PYTHON" - "$WORK/stdout" <<'PY' || fail "status compares scores across weights"
import json, sys
status = json.load(open(sys.argv[1]))
(claim,) = [c for c in status["claims"] if c["metrics"][0]["recomputed"]]
(reproduction,) = claim["reproductions"]
(verdict,) = reproduction["verdicts"]
assert reproduction["weightsMatch"] is False and verdict["verdict"] == "different weights", verdict
assert "differencePoints" not in verdict and "tier" not in verdict, verdict
assert claim["standing"] == "no reproduction yet", claim["standing"]
assert [u["name"] for u in status["differentWeights"]] == ["acme/model @ v2"], status["differentWeights"]
PY
}
check "a reproduction on different weights is never reported as a score comparison" different_weights_never_compared

lower_rerun_not_reproduced() {
  transcript "$WORK/evaluator-low.jsonl" 1000 700 "" 4
  run "$ASSAY" attest reproduction "$CLAIM" "$WORK/evaluator-low.jsonl" --weights "$WORK/model" \
    --claim-transcript "$WORK/vendor.opening.jsonl" --key "$WORK/evaluator.key" \
    --transcript-out "$WORK/evaluator-low.opening.jsonl"
  expect_code 0
  expect_stdout_contains "acc NOT REPRODUCED"
  expect_stdout_contains "same inputs over 1000 paired samples"
  run "$ASSAY" status acme/model@v1
  expect_code 0
  expect_stdout_contains "not reproduced"
  expect_stdout_contains "-10.00"
  expect_stdout_contains "DIFFERENT WEIGHTS  acme/model @ v2"
}
check "a ten-point lower re-run on the claim's weights is not reproduced, and status says so" lower_rerun_not_reproduced

bundle_checks_offline() {
  run "$ASSAY" export "$CLAIM" --bundle "$WORK/claim.intoto.jsonl"
  expect_code 0
  local lines; lines=$(wc -l <"$WORK/claim.intoto.jsonl")
  [[ "$lines" == 5 ]] || fail "bundle has $lines lines, not claim, model, 2 reproductions and keys"
  # Offline: no ledger, and a trust file that knows nobody.
  ASSAY_LEDGER="$WORK/nowhere" run "$ASSAY" verify claim "$CLAIM" --bundle "$WORK/claim.intoto.jsonl" --trust "$WORK/empty"
  expect_code 1
  expect_stdout_contains "FAIL signature"
  # The bundle's keys count once the reader names each one, by a fingerprint checked elsewhere.
  local named=() fingerprint
  for fingerprint in $("$ASSAY" trust list --json |
      "$PYTHON" -c 'import json, sys; print("\n".join(e["fingerprint"] for e in json.load(sys.stdin)["entries"]))'); do
    named+=(--trust-bundle-key "$fingerprint")
  done
  ASSAY_LEDGER="$WORK/nowhere" run "$ASSAY" verify claim "$CLAIM" --bundle "$WORK/claim.intoto.jsonl" \
    --trust "$WORK/empty" "${named[@]}" --transcript "$WORK/vendor.opening.jsonl"
  expect_code 0
  expect_stdout_contains "NOT REPRODUCED"
  [[ ! -e "$WORK/nowhere" ]] || fail "verify --bundle created a ledger"
  head -c 100 "$WORK/claim.intoto.jsonl" >"$WORK/truncated.intoto.jsonl"
  run "$ASSAY" verify claim "$CLAIM" --bundle "$WORK/truncated.intoto.jsonl"
  expect_code 2
  expect_one_line_error "truncated.intoto.jsonl"
}
check "export writes an evidence bundle that verify claim checks offline" bundle_checks_offline

bad_logs_refused() {
  printf '{"assay_transcript": 1, "benchmark": ' >"$WORK/broken.jsonl"
  run "$ASSAY" attest claim "$WORK/broken.jsonl" --model acme/model@v1 --key "$WORK/vendor.key"
  expect_code 2
  expect_one_line_error "broken.jsonl"
  run "$ASSAY" attest claim "$WORK/vendor.jsonl" --model acme/nosuch --key "$WORK/vendor.key"
  expect_code 2
  expect_one_line_error "acme/nosuch"
  run "$ASSAY" attest claim "$WORK/vendor.jsonl" --key "$WORK/vendor.key"
  expect_code 2
  expect_one_line_error "--model"
  # A claim that cannot reach its ledger leaves nothing behind, not even its transcript opening.
  ASSAY_LEDGER="$WORK/nowhere" run "$ASSAY" attest claim "$WORK/vendor.jsonl" --endpoint acme/api \
    --key "$WORK/vendor.key" --transcript-out "$WORK/orphan.opening.jsonl"
  [[ "$RUN_CODE" != 0 ]] || fail "a claim without a ledger succeeded"
  expect_one_line_error "nowhere"
  [[ ! -e "$WORK/orphan.opening.jsonl" ]] || fail "a failed claim wrote its transcript opening"
}
check "bad logs and unknown models get one-line errors, exit 2" bad_logs_refused

require_realdata
EVAL="$ASSAY_REALDATA_DIR/eval"
real_lm_eval_logs() {
  # An API model's run, 24 samples with Infinity and NaN: an endpoint claim.
  run "$ASSAY" attest claim "$EVAL/lm-evaluation-harness__results_2025-06-30T19-40-09.461247.json" \
    "$EVAL/lm-evaluation-harness__samples_polymer_tg_prediction_2025-06-30T19-40-09.461247.jsonl" \
    --endpoint openai/gpt-4o-mini --key "$WORK/vendor.key" --transcript-out "$WORK/polymer.opening.jsonl"
  expect_code 0
  expect_stdout_contains "NOT BOUND TO WEIGHTS"
  expect_stdout_contains "Infinity"
  # A local model's partial run (20 of 13812), stderr "N/A" on some metrics, bound to our model:
  # the log names Qwen/Qwen3-8B, so the mismatch is shown.
  run "$ASSAY" attest claim "$EVAL/lm-evaluation-harness__results_2026-07-08T16-04-34.219874.json" \
    "$EVAL/lm-evaluation-harness__samples_negotiationtom_belief_2026-07-08T16-04-34.219874.jsonl" \
    --model acme/model@v1 --key "$WORK/vendor.key" --transcript-out "$WORK/tom.opening.jsonl"
  expect_code 0
  expect_stdout_contains "20 of 13812 samples: PARTIAL RUN"
  expect_stdout_contains "MISMATCH"
  expect_stdout_contains "Qwen/Qwen3-8B"
  run "$ASSAY" status acme/model@v1
  expect_code 0
  expect_stdout_contains "PARTIAL RUN"
}
check "real lm-eval logs: endpoint claim with Infinity, partial run flagged, model mismatch shown" real_lm_eval_logs

real_helm_run() {
  # A HELM run folder: pythia-1b on 10 HellaSwag instances, four exact-match scores of 0.3.
  run "$ASSAY" attest claim "$EVAL/helm__hellaswag_pythia-1b" --endpoint huggingface/pythia-1b-v0 \
    --key "$WORK/vendor.key" --transcript-out "$WORK/helm.opening.jsonl" --json
  expect_code 0
  local id
  id=$(json_get "$WORK/stdout" "__import__('hashlib').sha256(__import__('base64').b64decode(s['payload'])).hexdigest()")
  run "$ASSAY" verify claim "$id" --transcript "$WORK/helm.opening.jsonl"
  expect_code 0
  expect_stdout_contains "exact_match 0.3 ± N/A recomputed from 10 samples"
  expect_stdout_contains "10 samples hash to the committed root"
}
check "a real HELM run folder is claimed, and its scores recompute from its instances" real_helm_run

real_group_run() {
  # The whole negotiationtom run as lm-eval's --output_path folder: a group of three tasks.
  mkdir -p "$WORK/tom-run"
  for file in "$EVAL"/lm-evaluation-harness__*2026-07-08T16-04-34.219874*; do
    cp "$file" "$WORK/tom-run/$(basename "$file" | sed 's/^lm-evaluation-harness__//')"
  done
  run "$ASSAY" attest claim "$WORK/tom-run" --task negotiationtom --model acme/model@v1 --key "$WORK/vendor.key" \
    --transcript-out "$WORK/tom-group.opening.jsonl" --json
  expect_code 0
  local id
  id=$(json_get "$WORK/stdout" "__import__('hashlib').sha256(__import__('base64').b64decode(s['payload'])).hexdigest()")
  json_get "$WORK/stdout" "__import__('base64').b64decode(s['payload']).decode()" >"$WORK/tom-group.statement.json"
  "$PYTHON" - "$ASSAY_SOURCE_DIR/schema/claim-statement-v2.schema.json" "$WORK/tom-group.statement.json" <<'PY' ||
import json, sys
from jsonschema import Draft202012Validator
errors = list(Draft202012Validator(json.load(open(sys.argv[1]))).iter_errors(json.load(open(sys.argv[2]))))
for error in errors: print(error.message, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
    fail "the group claim does not match schema/claim-statement-v2.schema.json"
  run "$ASSAY" verify claim "$id" --transcript "$WORK/tom-group.opening.jsonl"
  expect_code 0
  expect_stdout_contains "60 samples hash to the committed root"
  expect_stdout_contains "negotiationtom_belief acc,none 0.45"
  expect_stdout_contains "negotiationtom acc,none 0.525 ± 0.0800904 recomputed from its tasks' samples by rule leaves/size/pooled"
  # One task's sample altered in the opening: its leaf no longer hashes to the root.
  sed '2s/"acc,none":0.0/"acc,none":1.0/' "$WORK/tom-group.opening.jsonl" >"$WORK/tom-group.altered.jsonl"
  ! cmp -s "$WORK/tom-group.opening.jsonl" "$WORK/tom-group.altered.jsonl" || fail "the sample was not altered"
  run "$ASSAY" verify claim "$id" --transcript "$WORK/tom-group.altered.jsonl"
  expect_code 1
  expect_stdout_contains "FAIL transcript"
  # The evaluator reruns the group (here: the same files, so every output is
  # identical) and pairs with the claim's opened samples: a group verdict
  # over the paired tasks, and each task's own verdicts.
  run "$ASSAY" attest reproduction "$id" "$WORK/tom-run" --weights "$WORK/model" \
    --claim-transcript "$WORK/tom-group.opening.jsonl" --key "$WORK/evaluator.key" --json
  expect_code 0
  json_get "$WORK/stdout" "__import__('base64').b64decode(s['payload']).decode()" >"$WORK/tom-repro.statement.json"
  "$PYTHON" - "$ASSAY_SOURCE_DIR/schema/reproduction-statement-v2.schema.json" "$WORK/tom-repro.statement.json" <<'PY' ||
import json, sys
from jsonschema import Draft202012Validator
statement = json.load(open(sys.argv[2]))
errors = list(Draft202012Validator(json.load(open(sys.argv[1]))).iter_errors(statement))
for error in errors: print(error.message, file=sys.stderr)
tasks = [entry["task"] for entry in statement["predicate"].get("taskVerdicts", [])]
if tasks != ["negotiationtom_belief", "negotiationtom_desire", "negotiationtom_intention"]:
    print("task verdicts of", tasks, file=sys.stderr)
    sys.exit(1)
sys.exit(1 if errors else 0)
PY
    fail "the group reproduction does not match schema/reproduction-statement-v2.schema.json, or lacks its tasks"
  run "$ASSAY" verify claim "$id"
  expect_code 0
  expect_stdout_contains "acc,none REPRODUCED"
  expect_stdout_contains "identical outputs over 40 paired samples"
  expect_stdout_contains "task negotiationtom_belief acc,none REPRODUCED"
  run "$ASSAY" status acme/model@v1
  expect_code 0
  expect_stdout_contains "task negotiationtom_desire, " "acc,none  0.6"
  # A group claim reproduced from one task's log is refused, naming the group.
  local before
  before=$(ledger_size)
  run "$ASSAY" attest reproduction "$id" "$WORK/tom-run" --task negotiationtom_belief --weights "$WORK/model" \
    --key "$WORK/evaluator.key"
  expect_code 2
  expect_one_line_error "the claim is of the group negotiationtom"
  [[ "$(ledger_size)" == "$before" ]] || fail "appended to the ledger despite the error"
}
check "a real lm-eval group run folder is claimed as a group (claim/v2), and verify recomputes task and group scores" real_group_run

# lm_eval_run DIR: an lm-eval output folder of one run: group G = [a, b] and task d, with samples.
lm_eval_run() {
  "$PYTHON" - "$1" <<'PY'
import json, math, os, sys
folder, stamp = sys.argv[1], "2026-03-04T05-06-07.000008"
os.makedirs(folder, exist_ok=True)
tasks = {"a": (40, 30), "b": (10, 4), "d": (20, 11)}
results, counts = {}, {}
for name, (n, right) in tasks.items():
    values = [1.0 if i < right else 0.0 for i in range(n)]
    mean = sum(values) / n
    stderr = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1) / n)
    results[name] = {"alias": name, "acc,none": mean, "acc_stderr,none": stderr}
    counts[name] = {"original": n, "effective": n}
    with open(f"{folder}/samples_{name}_{stamp}.jsonl", "w") as out:
        for i, value in enumerate(values):
            out.write(json.dumps({"doc_id": i, "doc": {"q": f"{name} {i}"}, "target": 0,
                                  "arguments": {"gen_args_0": {"arg_0": f"Q{i}", "arg_1": " A"}},
                                  "filtered_resps": [["-0.5", value == 1.0]], "filter": "none",
                                  "metrics": ["acc"], "acc": value}) + "\n")
# lm-eval 0.4.12 on: the size-weighted mean over the leaf tasks, pooled standard error.
(na, ma, sa), (nb, mb, sb) = [(tasks[t][0], results[t]["acc,none"], results[t]["acc_stderr,none"]) for t in "ab"]
pooled = ((na - 1) * sa * sa * na + (nb - 1) * sb * sb * nb) / (na + nb - 2)
results["G"] = {"alias": "G", "acc,none": (ma * na + mb * nb) / (na + nb), "acc_stderr,none": math.sqrt(pooled / (na + nb))}
json.dump({"results": results, "group_subtasks": {"G": ["a", "b"], "a": [], "b": [], "d": []},
           "configs": {t: {"task": t, "num_fewshot": 0} for t in tasks}, "versions": {t: 1 for t in list(tasks) + ["G"]},
           "n-samples": counts, "lm_eval_version": "0.4.8", "date": 1772600767.25},  # the stamp's instant
          open(f"{folder}/results_{stamp}.json", "w"))
PY
}

whole_run_all() {
  lm_eval_run "$WORK/whole-run"
  local before
  before=$(ledger_size)
  run "$ASSAY" attest claim "$WORK/whole-run" --all --model acme/model@v1 --key "$WORK/vendor.key"
  expect_code 0
  expect_stdout_contains " G (group of 2 tasks): 3 scores, 3 recomputed, opening claim-"
  expect_stdout_contains " d (task): 1 scores, 1 recomputed"
  expect_stdout_contains "signed     2 claims, 4 scores (4 recomputed from their samples)"
  [[ "$(ledger_size)" == "$((before + 2))" ]] || fail "expected two claims appended"
  run "$ASSAY" attest claim "$WORK/whole-run" --all --model acme/model@v1 --key "$WORK/vendor.key" --json
  expect_code 1
  expect_one_line_error "G in claim" "d in claim" "--again"
  [[ "$(ledger_size)" == "$((before + 2))" ]] || fail "a second --all appended"
  run "$ASSAY" attest claim "$WORK/whole-run" --all --again --model acme/model@v1 --key "$WORK/vendor.key" --json
  expect_code 0
  [[ "$(wc -l <"$WORK/stdout")" == 2 ]] || fail "--json prints one record a line"
  local line=0
  while IFS= read -r record; do
    line=$((line + 1))
    printf '%s\n' "$record" >"$WORK/whole-run-$line.json"
    expect_valid_cli_json attest-claim "$WORK/whole-run-$line.json"
  done <"$WORK/stdout"
}
check "attest claim --all claims each group and each task of a run once; a second --all names them and signs nothing" \
  whole_run_all

# expect_valid_statement SCHEMA FILE: a signed record's statement (the --json
# envelope's payload, in FILE) matches schema/SCHEMA.schema.json.
expect_valid_statement() {
  json_get "$2" "__import__('base64').b64decode(s['payload']).decode()" >"$2.statement"
  "$PYTHON" - "$ASSAY_SOURCE_DIR/schema/$1.schema.json" "$2.statement" <<'PY' || fail "$2 does not match schema/$1.schema.json"
import json, sys
from jsonschema import Draft202012Validator
errors = list(Draft202012Validator(json.load(open(sys.argv[1]))).iter_errors(json.load(open(sys.argv[2]))))
for error in errors: print(error.message, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
}

planned_run() {
  lm_eval_run "$WORK/planned-run"
  # The vendor plans G as it will run it (0-shot) and d 5-shot; the run is 0-shot throughout.
  cat >"$WORK/plan.json" <<'JSON'
{"model": {"name": "acme/model", "revision": "v1"},
 "benchmarks": [{"name": "G", "metrics": ["acc,none"], "evalConfig": {"num_fewshot": 0}},
                {"name": "d", "metrics": ["acc,none"], "evalConfig": {"num_fewshot": 5}}],
 "margin": 2}
JSON
  local before
  before=$(ledger_size)
  sed 's/"num_fewshot": 5/"seed": 5/' "$WORK/plan.json" >"$WORK/bad-plan.json"
  run "$ASSAY" attest plan "$WORK/bad-plan.json" --key "$WORK/vendor.key"
  expect_code 2
  expect_one_line_error "bad-plan.json" "evalConfig.seed"
  [[ "$(ledger_size)" == "$before" ]] || fail "appended a refused plan"
  run "$ASSAY" attest plan "$WORK/plan.json" --key "$WORK/vendor.key" --json
  expect_code 0
  cp "$WORK/stdout" "$WORK/plan.record.json"
  expect_valid_statement plan-statement "$WORK/plan.record.json"
  local plan
  plan=$(json_get "$WORK/plan.record.json" "__import__('hashlib').sha256(__import__('base64').b64decode(s['payload'])).hexdigest()")
  run "$ASSAY" status acme/model@v1
  expect_code 0
  expect_stdout_contains "plans no claim names yet" "plan ${plan:0:16} by acme-vendor: G (acc,none; num_fewshot 0), d (acc,none; num_fewshot 5)"
  # --plan must name a plan, and one that names the benchmark claimed; both refused before anything is signed.
  local model_record
  model_record=$("$ASSAY" log --long --limit 1000 | awk '$4 == "model" {print $2; exit}')
  run "$ASSAY" attest claim "$WORK/planned-run" --task d --again --model acme/model@v1 --key "$WORK/vendor.key" \
    --plan "${model_record:0:16}"
  expect_code 2
  expect_one_line_error "is a model record, not a plan"
  run "$ASSAY" attest claim "$WORK/planned-run" --task a --again --model acme/model@v1 --key "$WORK/vendor.key" \
    --plan "${plan:0:12}"
  expect_code 2
  expect_one_line_error "does not plan a" "it plans G, d"
  [[ "$(ledger_size)" == "$((before + 1))" ]] || fail "appended a claim its plan does not name"
  run "$ASSAY" attest claim "$WORK/planned-run" --all --again --model acme/model@v1 --key "$WORK/vendor.key" \
    --plan "${plan:0:12}" --json
  expect_code 0
  head -1 "$WORK/stdout" >"$WORK/planned-G.json"
  expect_valid_statement claim-statement-v2 "$WORK/planned-G.json"
  local group task
  group=$(json_get "$WORK/planned-G.json" "__import__('hashlib').sha256(__import__('base64').b64decode(s['payload'])).hexdigest()")
  tail -1 "$WORK/stdout" >"$WORK/planned-d.json"
  task=$(json_get "$WORK/planned-d.json" "__import__('hashlib').sha256(__import__('base64').b64decode(s['payload'])).hexdigest()")
  run "$ASSAY" verify claim "$group"
  expect_code 0
  expect_stdout_contains "plan ${plan:0:16} by acme-vendor: followed; registration time not witnessed"
  run "$ASSAY" verify claim "$task"
  expect_code 1
  expect_stdout_contains "FAIL plan" "NOT FOLLOWED: num_fewshot 5 vs 0"
  run "$ASSAY" verify claim "$task" --json
  expect_code 1
  expect_valid_cli_json verify-claim "$WORK/stdout"
  run "$ASSAY" status acme/model@v1 --json
  expect_code 0
  expect_valid_cli_json status "$WORK/stdout"
  [[ "$(json_get "$WORK/stdout" "len(s['unclaimedPlans'])")" == 0 ]] || fail "the plan is still listed as unclaimed"
  # An evaluator's rerun may name the plan too: its margin is checked against the plan's.
  run "$ASSAY" attest reproduction "$task" "$WORK/planned-run" --task d --weights "$WORK/model" --key "$WORK/evaluator.key" \
    --plan "${plan:0:12}" --margin 1 --json
  expect_code 0
  expect_valid_statement reproduction-statement-v2 "$WORK/stdout"
  run "$ASSAY" status acme/model@v1
  expect_stdout_contains "NOT FOLLOWED: num_fewshot 5 vs 0; margin 2 vs 1"
  # An evidence bundle carries the plan, so a reader without the ledger sees the same.
  run "$ASSAY" export "$task" --bundle "$WORK/planned.intoto.jsonl"
  expect_code 0
  run "$ASSAY" verify claim --bundle "$WORK/planned.intoto.jsonl"
  expect_code 1
  expect_stdout_contains "FAIL plan" "NOT FOLLOWED: num_fewshot 5 vs 0"
  # Only a witness vouches for when the plan was there: one cosigns a
  # checkpoint now, long after the run's logged start.
  witnessed_checkpoint "$WORK/vendor.key" acme-vendor vendor "$WORK/plan-cp.cosigned"
  run "$ASSAY" verify claim "$group" --checkpoint "$WORK/plan-cp.cosigned"
  expect_code 1
  expect_stdout_contains "NOT REGISTERED BEFORE THE RUN: the earliest witnessed time is witness cosigned" \
    "and the run started at 2026-03-04T05:06:07Z"
  run "$ASSAY" status acme/model@v1 --checkpoint "$WORK/plan-cp.cosigned" --json
  expect_code 0
  expect_valid_cli_json status "$WORK/stdout"
}
check "a signed plan names what will run; claims and reruns that name it are checked against it" planned_run

derived_group_score() {
  # The leaderboard's groups log no score ({" ": " "}): one is derived only when asked, and says so.
  lm_eval_run "$WORK/no-score-run"
  "$PYTHON" - "$WORK/no-score-run/results_2026-03-04T05-06-07.000008.json" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
log["results"]["G"] = {" ": " ", "alias": "G"}
json.dump(log, open(sys.argv[1], "w"))
PY
  run "$ASSAY" attest claim "$WORK/no-score-run" --task G --again --model acme/model@v1 --key "$WORK/vendor.key" \
    --derive-group-score leaves/size/pooled --transcript-out "$WORK/derived.opening.jsonl" --json
  expect_code 0
  cp "$WORK/stdout" "$WORK/derived.json"
  expect_valid_statement claim-statement-v2 "$WORK/derived.json"
  local id
  id=$(json_get "$WORK/derived.json" "__import__('hashlib').sha256(__import__('base64').b64decode(s['payload'])).hexdigest()")
  run "$ASSAY" verify claim "$id" --transcript "$WORK/derived.opening.jsonl"
  expect_code 0
  expect_stdout_contains "DERIVED by assay: the log gives no group score" \
    "G acc,none 0.68 ± 0.0642262 recomputed from its tasks' samples by rule leaves/size/pooled"
  # The evaluator's rerun logs no group score either: its own is derived by the claim's rule.
  run "$ASSAY" attest reproduction "$id" "$WORK/no-score-run" --weights "$WORK/model" --key "$WORK/evaluator.key" \
    --claim-transcript "$WORK/derived.opening.jsonl"
  expect_code 0
  expect_stdout_contains "verdict    acc,none REPRODUCED" "verdict    task a acc,none REPRODUCED"
}
check "a group score the log does not give is derived only when asked, says so, and reruns derive theirs alike" \
  derived_group_score

samples_of_another_run_refused() {
  local before
  before=$(ledger_size)
  cp "$EVAL/lm-evaluation-harness__samples_negotiationtom_belief_2026-07-08T16-04-34.219874.jsonl" \
    "$WORK/samples_negotiationtom_belief_2026-07-09T10-00-00.000001.jsonl"
  run "$ASSAY" attest claim "$EVAL/lm-evaluation-harness__results_2026-07-08T16-04-34.219874.json" \
    "$WORK/samples_negotiationtom_belief_2026-07-09T10-00-00.000001.jsonl" --model acme/model@v1 \
    --key "$WORK/vendor.key" --transcript-out "$WORK/other-run.opening.jsonl"
  expect_code 2
  expect_one_line_error "2026-07-09T10-00-00.000001" "2026-07-08T16-04-34.219874"
  [[ ! -e "$WORK/other-run.opening.jsonl" ]] || fail "wrote a transcript opening despite the error"
  [[ "$(ledger_size)" == "$before" ]] || fail "appended to the ledger despite the error"
}
check "samples of another run of the task are refused, and nothing is written" samples_of_another_run_refused

finish
