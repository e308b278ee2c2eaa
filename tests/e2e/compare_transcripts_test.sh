#!/bin/bash
# End-to-end: assay compare-transcripts (docs/compare-transcripts.md). Two
# generic JSONL transcripts over the same 40 prompts, where side A (a "hosted
# API") starts most answers with "Certainly" and side B (the "local weights")
# never does; then bad input; then the real lm-eval samples file against
# itself, skipped (exit 77) only when ../shared/realdata/eval is absent.
source "$(dirname "$0")/lib.sh"

# write_transcript FILE MODEL POLITE: 40 samples q0..q39 in the JSONL
# transcript format (docs/spec/eval-logs.md); with POLITE=1, q0..q29 start
# with "Certainly!" and q0..q3 say it twice. q38 and q39 exist on one side each.
write_transcript() {
  "$PYTHON" - "$@" <<'EOF'
import json, sys
path, model, polite = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
ids = [i for i in range(38)] + [38 if polite else 39]
def line(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
with open(path, "w", encoding="utf-8") as out:
    out.write(line({"assay_transcript": 1, "benchmark": {"name": "arith", "version": "1"},
                    "harness": {"name": "test-harness", "version": "1", "commit": ""},
                    "model": {"name": model, "revision": "", "source": ""},
                    "metrics": [], "sample_count": len(ids)}))
    for i in ids:
        answer = f"the answer is {i} ✓"
        if polite and i < 30:
            answer = "Certainly! " + answer + (" Certainly." if i < 4 else "")
        out.write(line({"id": f"q{i}", "input": f"what is {i} + 0?", "target": str(i), "response": answer}))
EOF
}

write_transcript "$WORK/api.jsonl" acme/api 1
write_transcript "$WORK/local.jsonl" acme/local 0

# expect_verdict TEXT: the verdict's lines, joined with single spaces, start with TEXT.
expect_verdict() {
  local joined
  joined=$(awk '/^verdict /{on=1} on && /^[a-z]/ && !/^verdict /{exit} on' "$WORK/stdout" | tr -s ' \n' '  ')
  [[ "$joined" == "verdict $1"* ]] || fail "the verdict is not '$1': $joined"
}

reports_the_filtered_word() {
  run "$ASSAY" compare-transcripts "$WORK/api.jsonl" "$WORK/local.jsonl"
  expect_code 0
  [[ ! -s "$WORK/stderr" ]] || fail "a report printed on stderr"
  expect_stdout_contains "compared    38 samples with the same id and prompt"
  # q30..q37 are the same on both sides: 8 of 38.
  expect_stdout_contains "exact       8 of 38 (21.1%) equal after trimming white space"
  expect_stdout_contains "only in A   1 sample: q38"
  expect_stdout_contains "only in B   1 sample: q39"
  expect_stdout_contains "words A uses and B never does (in >= 3 samples): 1; 1 significant"
  grep -qE '^  certainly +30 samples, 34 times, p 9.3e-10 significant$' "$WORK/stdout" ||
    fail "'certainly' is not reported"
  expect_stdout_contains "words B uses and A never does (in >= 3 samples): 0; 0 significant"
  # The logs do not say how they decoded: no test runs.
  expect_verdict "inconclusive: neither log says how it decoded"
}
check "the word side B never says is reported, with the exact-match rate" reports_the_filtered_word

json_output() {
  run "$ASSAY" compare-transcripts --a "$WORK/api.jsonl" --b "$WORK/local.jsonl" --json --top 2
  expect_code 0
  cp "$WORK/stdout" "$WORK/report.json"
  "$PYTHON" - "$WORK/report.json" <<'EOF' || fail "the JSON report is not as expected"
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
assert s["a"] == {"files": [s["a"]["files"][0]], "format": "jsonl", "model": "acme/api", "samples": 39,
                  "decoding": "unknown"}, s["a"]
assert s["baseline"] is None and s["verdict"]["finding"] == "inconclusive" and s["verdict"]["test"] is None, s
assert s["a"]["files"][0].endswith("api.jsonl")
assert s["compared"] == 38 and s["exactMatches"] == 8 and s["identicalOutputs"] == 8, s
assert abs(s["exactMatchRate"] - 8 / 38) < 1e-12, s["exactMatchRate"]
assert s["onlyInA"] == ["q38"] and s["onlyInB"] == ["q39"] and s["differentPrompts"] == [], s
assert s["minSamples"] == 3
assert s["wordsOnlyInA"] == {"count": 1, "significant": 1, "words": [
    {"word": "certainly", "samples": 30, "occurrences": 34, "pValue": 2 ** -30, "significant": True}]}
assert s["wordsOnlyInB"] == {"count": 0, "significant": 0, "words": []}
# --top 2: the two least similar pairs, q0 and q1 ("Certainly" twice, 5 of 7 words shared).
assert [d["id"] for d in s["mostDifferent"]] == ["q0", "q1"], s["mostDifferent"]
assert abs(s["mostDifferent"][0]["similarity"] - 5 / 7) < 1e-12
assert s["mostDifferent"][0]["a"] == "Certainly! the answer is 0 ✓ Certainly."
assert s["mostDifferent"][0]["b"] == "the answer is 0 ✓"
assert 0 < s["meanSimilarity"] < 1 and s["meanWords"]["a"] > s["meanWords"]["b"]
EOF
}
check "--json gives the rate, the word and the most different samples" json_output

a_side_against_itself() {
  run "$ASSAY" compare-transcripts "$WORK/api.jsonl" "$WORK/api.jsonl" --json
  expect_code 0
  cp "$WORK/stdout" "$WORK/self.json"
  [[ "$(json_get "$WORK/self.json" 's["exactMatchRate"], s["compared"], s["mostDifferent"]')" == "(1.0, 39, [])" ]] ||
    fail "a transcript against itself: $(cat "$WORK/self.json")"
}
check "a transcript against itself matches exactly" a_side_against_itself

bad_input_exits_2() {
  printf 'not json at all\n' >"$WORK/garbage.jsonl"
  run "$ASSAY" compare-transcripts "$WORK/api.jsonl" "$WORK/garbage.jsonl"
  expect_code 2
  expect_one_line_error garbage.jsonl
  [[ ! -s "$WORK/stdout" ]] || fail "printed a report despite the error"

  head -n 3 "$WORK/local.jsonl" >"$WORK/truncated.jsonl"  # the header says 38 samples
  run "$ASSAY" compare-transcripts "$WORK/truncated.jsonl" "$WORK/api.jsonl" --json
  expect_code 2
  expect_one_line_error truncated.jsonl
  [[ ! -s "$WORK/stdout" ]] || fail "printed JSON despite the error"

  run "$ASSAY" compare-transcripts "$WORK/api.jsonl"
  expect_code 2
  expect_one_line_error "expected two transcripts"

  run "$ASSAY" compare-transcripts "$WORK/api.jsonl" --b "$WORK/local.jsonl"
  expect_code 2
  expect_one_line_error "not both"
}
check "bad input exits 2 with one line naming the file" bad_input_exits_2

missing_file_exits_3() {
  run "$ASSAY" compare-transcripts "$WORK/api.jsonl" "$WORK/absent.jsonl"
  expect_code 3
  expect_one_line_error absent.jsonl
}
check "a missing file is an I/O error, exit 3" missing_file_exits_3

# The real lm-eval run (results file and samples file) against itself.
REAL_EVAL="${ASSAY_REALDATA_DIR:-}/eval"
if [[ -z "${ASSAY_REALDATA_DIR:-}" || ! -d "$REAL_EVAL" ]]; then
  finish  # a skip must not hide an earlier failure
  echo "SKIP: real eval logs not found (ASSAY_REALDATA_DIR='${ASSAY_REALDATA_DIR:-}')"
  exit 77
fi

real_lm_eval_against_itself() {
  local results="$REAL_EVAL/lm-evaluation-harness__results_2025-06-30T19-40-09.461247.json"
  local samples="$REAL_EVAL/lm-evaluation-harness__samples_polymer_tg_prediction_2025-06-30T19-40-09.461247.jsonl"
  run "$ASSAY" compare-transcripts --a "$results" --a "$samples" --b "$samples" --b "$results" --json
  expect_code 0
  cp "$WORK/stdout" "$WORK/real.json"
  "$PYTHON" - "$WORK/real.json" <<'EOF' || fail "the real run against itself is not a perfect match"
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
assert s["a"]["format"] == "lm-eval" and s["a"]["samples"] == 24, s["a"]
assert s["compared"] == 24 and s["exactMatchRate"] == 1.0 and s["identicalOutputs"] == 24, s
assert s["meanSimilarity"] == 1.0 and s["mostDifferent"] == [], s
assert s["wordsOnlyInA"]["count"] == 0 and s["wordsOnlyInB"]["count"] == 0, s
EOF
  run "$ASSAY" compare-transcripts --a "$results" --a "$samples" --b "$samples" --b "$results"
  expect_code 0
  expect_stdout_contains "exact       24 of 24 (100.0%)"
}
check "the real lm-eval samples file against itself" real_lm_eval_against_itself

# Generated runs for the verdict: PROMPTS prompts, ANSWERS rows for each
# (ids "qP#E", the same input), decoding TEMPERATURE; KIND "same" answers as
# the published weights do (phrasings drawn with fixed odds per prompt),
# "other" with other odds, "filter" like "same" with 5% of the answers refused.
write_run() {  # write_run FILE PROMPTS ANSWERS TEMPERATURE KIND SEED
  "$PYTHON" - "$@" <<'EOF'
import json, random, sys
path, prompts, answers, temperature, kind, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5], int(sys.argv[6])
odds = random.Random(2 if kind == "other" else 1)
weights = [[0.05 + odds.random() for _ in range(4)] for _ in range(prompts)]
draw = random.Random(seed)
def line(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
with open(path, "w", encoding="utf-8") as out:
    out.write(line({"assay_transcript": 1, "benchmark": {"name": "doubling", "version": "1"},
                    "harness": {"name": "test-harness", "version": "1", "commit": ""},
                    "model": {"name": kind, "revision": "", "source": ""},
                    "config": {"generation": {"temperature": temperature}},
                    "metrics": [], "sample_count": prompts * answers}))
    for p in range(prompts):
        phrasings = [f"The answer is {2 * p}.", f"It is {2 * p}, since {p} plus {p} makes it.",
                     f"Adding {p} to itself gives {2 * p}.", f"Let me think: {p} + {p} = {2 * p}."]
        for e in range(answers):
            answer = draw.choices(phrasings, weights[p])[0]
            if kind == "filter" and draw.random() < 0.05:
                answer = "I cannot help with that."
            if temperature == 0:
                answer = phrasings[0] if kind != "other" or p % 3 else phrasings[1]
            out.write(line({"id": f"q{p}#{e}", "input": f"What is {p} doubled?", "target": str(2 * p),
                            "response": answer}))
EOF
}

sampled_verdicts() {
  write_run "$WORK/weights.jsonl" 200 4 0.8 same 10
  write_run "$WORK/endpoint-same.jsonl" 200 4 0.8 same 11
  write_run "$WORK/endpoint-filter.jsonl" 500 5 0.8 filter 12
  write_run "$WORK/weights-500.jsonl" 500 5 0.8 same 13
  write_run "$WORK/endpoint-few.jsonl" 20 4 0.8 other 14
  run "$ASSAY" compare-transcripts "$WORK/weights.jsonl" "$WORK/endpoint-same.jsonl"
  expect_code 0
  expect_verdict "consistent with the same model: no difference between the distributions"
  expect_stdout_contains "test        mmd-permutation, 200 prompts, sampled decoding (from the logs), alpha 0.01"
  run "$ASSAY" compare-transcripts "$WORK/weights-500.jsonl" "$WORK/endpoint-filter.jsonl" --json
  expect_code 0
  expect_valid_record cli/compare-transcripts "$WORK/stdout"
  "$PYTHON" -c 'import json, sys; v = json.load(open(sys.argv[1]))["verdict"]
assert v["finding"] == "different" and v["text"] == "different model" and v["pValue"] < 0.01, v
assert v["prompts"] == 500 and v["decoding"] == "sampled" and v["pooled"] > 0, v' "$WORK/stdout" ||
    fail "a filter on 5% of the answers is not a different model"
  run "$ASSAY" compare-transcripts "$WORK/weights.jsonl" "$WORK/endpoint-few.jsonl"
  expect_code 0
  expect_verdict "inconclusive: 20 prompts tested; a verdict needs at least 100"
}
check "sampled runs: same weights consistent, a 5% filter different, 20 prompts inconclusive" sampled_verdicts

greedy_verdicts() {
  write_run "$WORK/greedy-a.jsonl" 150 1 0 same 1
  write_run "$WORK/greedy-a2.jsonl" 150 1 0 same 2
  write_run "$WORK/greedy-other.jsonl" 150 1 0 other 3
  run "$ASSAY" compare-transcripts "$WORK/greedy-a.jsonl" "$WORK/greedy-other.jsonl" --baseline "$WORK/greedy-a2.jsonl"
  expect_code 0
  expect_stdout_contains "baseline    $WORK/greedy-a2.jsonl: jsonl, model same, 150 samples, greedy decoding"
  # "other" answers a third of the prompts in another phrasing; A2 matches A everywhere.
  expect_verdict "different model: B matches A on 66.7% of the prompts, the baseline on 100.0%"
  run "$ASSAY" compare-transcripts "$WORK/greedy-a.jsonl" "$WORK/greedy-a2.jsonl" --baseline "$WORK/greedy-a2.jsonl"
  expect_verdict "consistent with the same model: B matches A on 100.0%"
  # Without a baseline, 67% is above the floor: nothing follows.
  run "$ASSAY" compare-transcripts "$WORK/greedy-a.jsonl" "$WORK/greedy-other.jsonl"
  expect_verdict "inconclusive: the exact-match rate 66.7%"
  # The logs say greedy, --decoding says sampled: one answer a prompt cannot be tested so.
  run "$ASSAY" compare-transcripts "$WORK/greedy-a.jsonl" "$WORK/greedy-other.jsonl" --decoding sampled
  expect_verdict "inconclusive: no prompt has two or more answers on each side"
  run "$ASSAY" compare-transcripts "$WORK/greedy-a.jsonl" "$WORK/greedy-other.jsonl" --decoding warm
  expect_code 2
  expect_one_line_error "--decoding: expected greedy or sampled, got 'warm'"
  run "$ASSAY" compare-transcripts "$WORK/greedy-a.jsonl" "$WORK/weights.jsonl"
  expect_verdict "inconclusive: A's log says greedy decoding and B's sampled: not comparable"
}
check "greedy runs: a baseline decides, without one only a rate under the floor does" greedy_verdicts
finish
