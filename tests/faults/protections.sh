#!/bin/bash
# Each attack of docs/threat-model.md names a test that holds its protection
# in place. This script removes each protection in turn (one edit of the
# source), rebuilds, runs that test, expects it to FAIL, and puts the source
# back. Run by hand, in a clean checkout with a configured build/ (it refuses
# to touch a file with uncommitted changes):
#
#   bash tests/faults/protections.sh
#
# It prints one line per attack, "caught" or "NOT CAUGHT", and exits 1 if a
# test still passes without its protection. ONLY=WORDS runs the attacks whose
# name holds WORDS.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
failures=0

# mutate ATTACK FILE OLD NEW TARGET TEST...: with OLD replaced by NEW in FILE,
# TEST (a command) must fail.
mutate() {
  local attack=$1 file=$2 old=$3 new=$4 target=$5
  shift 5
  [[ -z "${ONLY:-}" || "$attack" == *"$ONLY"* ]] || return 0
  if ! git diff --quiet -- "$file"; then
    echo "protections.sh: $file has uncommitted changes; commit them first" >&2
    exit 2
  fi
  python3 - "$file" "$old" "$new" <<'PY'
import sys
path, old, new = sys.argv[1:]
text = open(path).read()
if text.count(old) != 1:
    sys.exit(f"{path}: the protection to remove is not there once: {old!r}")
open(path, "w").write(text.replace(old, new))
PY
  local verdict="NOT CAUGHT"
  if ! cmake --build "$BUILD" --target "$target" >/dev/null 2>"$BUILD/mutation.err"; then
    verdict="does not build"
  elif ! "$@" >"$BUILD/mutation.out" 2>&1; then
    verdict=caught
  fi
  git checkout -q -- "$file"
  # The build as the source is again, so that nothing after runs a mutant.
  cmake --build "$BUILD" --target "$target" >/dev/null
  printf '%-44s %s\n' "$attack" "$verdict"
  [[ "$verdict" == caught ]] || failures=$((failures + 1))
}

unit() {  # unit AREA TEST: one GoogleTest test of test_AREA
  "$BUILD/tests/test_$1" --gtest_filter="$2"
}
e2e() {  # e2e SCRIPT: one end-to-end script against the rebuilt binary
  ASSAY="$PWD/$BUILD/assay" ASSAY_SOURCE_DIR="$PWD" bash "tests/e2e/$1.sh"
}

mutate "weight swap" src/claim/reproduction_draft.cc \
  "reproduction.weights_match = !binding.bound_to_weights() ||" "reproduction.weights_match = true ||" \
  test_claim unit claim ReproductionDraft.DifferentWeightsAreNeverAScoreComparison
mutate "silent re-upload" src/ops/model_status.cc \
  "const bool same = !status.weights_root.empty() && upload.weights_root == status.weights_root;" \
  "const bool same = true;" assay e2e demo_test
mutate "Hub history rewrite" src/ops/observe_ops.cc \
  "if (head) observations.back().missing_revisions = outcome.gone;" "" assay e2e observe_test
mutate "pointer that lies about the bytes" src/ops/history_ops.cc \
  "observed->second.second == ToHex(file.sha256)) continue;" "true) continue;" assay e2e observe_test
mutate "transcript edit" src/claim/transcript_opening.cc \
  "if (root != *declared_root) {" "if (false) {" test_claim unit claim TranscriptOpening.ATamperedSampleFailsTheCheck
mutate "score inflation" src/claim/score_recompute.cc \
  "if (!result.value_matches) result.value_mismatch" "if (false) result.value_mismatch" \
  test_claim unit claim ClaimDraft.RefusesAScoreTheTranscriptDoesNotSupport
mutate "cherry-picked subset" src/record/eval_summary.h \
  "bool is_group() const { return !tasks.empty(); }
  bool partial() const { return samples_used && samples_total && *samples_used < *samples_total; }" \
  "bool is_group() const { return !tasks.empty(); }
  bool partial() const { return false; }" test_claim unit claim ClaimDraft.MarksAPartialRun
mutate "claim after seeing results" src/claim/plan_check.cc \
  "if (checkpoint.size <= position) continue;" "if (false && checkpoint.size <= position) continue;" test_claim unit claim Plan.OnlyAWitnessedCheckpointCoveringThePlanDatesIt
mutate "re-targeted countersignature" src/record/reproduction_statement.cc \
  'ASSAY_RETURN_IF_ERROR(CheckSubjects(statement, {{"claim", {"sha256", reproduction.claim_id}}}));' "" \
  test_claim unit claim ReproductionStatement.SubjectIsTheClaim
mutate "history rewrite of a ledger" src/ledger/ledger_store.cc \
  "if (change.kind != TreeChange::Kind::kAdded) {" "if (false) {" assay e2e ledger_test
mutate "split view of a ledger" src/ledger/ledger_checkpoint.cc \
  "    if (!extends) {" "    if (false && !extends) {" \
  test_ledger unit ledger LedgerCheckpointTest.AWitnessRefusesACheckpointItsPreviousOneIsNotAPrefixOf
mutate "key rotation and expiry" src/sign/trust_file.cc \
  "if (!entry->IsValidAt(unix_seconds)) {" "if (false) {" test_record unit record RecordCheck.AKeyOutsideItsRoleOrDatesDoesNotCount
mutate "malicious model file (header length)" src/formats/safetensors.cc \
  "if (header_length > kSafetensorsMaxHeaderLength) {" "if (false) {" assay e2e limits_test
mutate "escape sequences in records" src/printable.cc \
  "std::string Printable(std::string_view text) {" "std::string Printable(std::string_view text) { return std::string(text);" \
  test_render unit render "LedgerRender.*"

((failures == 0)) || { echo "protections.sh: $failures protection(s) not caught" >&2; exit 1; }
