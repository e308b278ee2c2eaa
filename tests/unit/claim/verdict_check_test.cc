#include "claim/verdict.h"
#include "claim/verdict_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "claim/claim_draft.h"
#include "claim/reproduction_draft.h"
#include "claim_test_fixtures.h"

namespace assay {
namespace {

using ::testing::HasSubstr;
using claim_testing::ChoiceSamples;
using claim_testing::MmluRun;

using claim_testing::kClaimId;

Claim VendorClaim() {
  const ModelRecord record = claim_testing::WidgetRecord();
  ClaimDraftOptions options{.metrics = {}, .force = false, .new_salt = claim_testing::CountingSalts(), .derive_group_rule = ""};
  return DraftClaim(MmluRun(ChoiceSamples(100, 80), 0.8), BindToModelRecord(claim_testing::kModelRecordId, record),
                    &record, options)
      ->claim;
}

// An honest reproduction at 70 % of the claim's 80 %, paired over the same
// inputs when `paired`, from the aggregates only otherwise.
Reproduction HonestReproduction(const Claim& claim, bool paired) {
  EvalRun run = MmluRun(ChoiceSamples(100, 70), 0.7);
  const std::vector<EvalSample> claimed = paired ? ChoiceSamples(100, 80) : std::vector<EvalSample>();
  if (!paired) run.samples.clear();
  ReproductionDraftOptions options{.margin = 2.0, .force = false, .accepted = {}, .new_salt = claim_testing::CountingSalts(), .plan = ""};
  return DraftReproduction(kClaimId, claim, claimed, run, claim.binding.weights_root, claim.binding.weights_format,
                           options)
      ->reproduction;
}

TEST(VerdictCheck, AnHonestVerdictFollowsFromTheRecords) {
  const Claim claim = VendorClaim();
  for (bool paired : {true, false}) {
    const Reproduction reproduction = HonestReproduction(claim, paired);
    ASSERT_FALSE(reproduction.verdicts.empty());
    EXPECT_EQ(WeightsMatchProblem(claim, reproduction), std::nullopt);
    for (const MetricVerdict& verdict : reproduction.verdicts) {
      EXPECT_EQ(RecordedVerdictProblem(claim, reproduction, verdict), std::nullopt) << verdict.reason;
    }
  }
}

// A rerun 0-shot against a 5-shot claim: "not comparable" follows; hiding the
// difference, or writing a verdict over it, does not.
TEST(VerdictCheck, NotComparableFollowsFromTheConfigurationsAndCannotBeHidden) {
  const Claim claim = VendorClaim();  // num_fewshot 5
  EvalRun run = MmluRun(ChoiceSamples(100, 70), 0.7);
  run.config["num_fewshot"] = 0;
  ReproductionDraftOptions options{.margin = 2.0, .force = false, .accepted = {}, .new_salt = claim_testing::CountingSalts(), .plan = ""};
  const Reproduction honest = DraftReproduction(kClaimId, claim, {}, run, claim.binding.weights_root,
                                                claim.binding.weights_format, options)
                                  ->reproduction;
  ASSERT_EQ(honest.verdicts.at(0).kind, VerdictKind::kNotComparable);
  EXPECT_EQ(ComparabilityProblem(claim, honest), std::nullopt);
  EXPECT_EQ(RecordedVerdictProblem(claim, honest, honest.verdicts[0]), std::nullopt);

  Reproduction relabelled = honest;
  relabelled.verdicts[0].kind = VerdictKind::kNotReproduced;
  EXPECT_THAT(RecordedVerdictProblem(claim, relabelled, relabelled.verdicts[0]).value_or(""),
              HasSubstr("but the runs differ in num_fewshot 5 vs 0: not comparable"));

  Reproduction hidden = honest;  // the difference struck from the record, a verdict written over it
  hidden.differences.clear();
  hidden.verdicts[0].kind = VerdictKind::kNotReproduced;
  EXPECT_THAT(ComparabilityProblem(claim, hidden).value_or(""), HasSubstr("num_fewshot 5 vs 0"));

  Reproduction accepted = honest;  // accepted after signing, the verdict left "not comparable"
  accepted.accepted = {{"num_fewshot", "later"}};
  EXPECT_THAT(RecordedVerdictProblem(claim, accepted, accepted.verdicts[0]).value_or(""),
              HasSubstr("recorded not comparable, but every recorded difference of configuration is accepted"));

  // A version 1 reproduction recorded no comparability: its verdicts compared unlike runs.
  Reproduction v1 = honest;
  v1.differences.clear();
  v1.verdicts[0].kind = VerdictKind::kNotReproduced;
  v1.verdicts.resize(1);
  ASSERT_FALSE(v1.is_v2());
  EXPECT_THAT(ComparabilityProblem(claim, v1).value_or(""), HasSubstr("a version 1 reproduction"));
  // One whose rerun only leaves a setting out is as it always was.
  Reproduction v1_unrecorded = v1;
  v1_unrecorded.eval.config = claim.eval.config;
  v1_unrecorded.eval.config.erase("generation");
  ASSERT_FALSE(v1_unrecorded.is_v2());
  EXPECT_EQ(ComparabilityProblem(claim, v1_unrecorded), std::nullopt);
}

// The probe's forgery: the evaluator's 70 made 80 and "reproduced" written
// over "not reproduced", with a narrow interval; each part alone is caught.
TEST(VerdictCheck, AForgedVerdictDoesNotFollow) {
  const Claim claim = VendorClaim();
  const Reproduction honest = HonestReproduction(claim, /*paired=*/true);
  const MetricVerdict& original = honest.verdicts.front();
  ASSERT_EQ(original.kind, VerdictKind::kNotReproduced);

  MetricVerdict relabelled = original;
  relabelled.kind = VerdictKind::kReproduced;
  EXPECT_THAT(*RecordedVerdictProblem(claim, honest, relabelled),
              HasSubstr("recorded reproduced, but its interval and margin give not reproduced"));

  MetricVerdict narrowed = original;
  narrowed.kind = VerdictKind::kReproduced;
  narrowed.comparison->low = -1;
  narrowed.comparison->high = 1;
  EXPECT_THAT(*RecordedVerdictProblem(claim, honest, narrowed), HasSubstr("does not hold its own difference"));

  MetricVerdict rescored = narrowed;
  rescored.comparison->reproduced_points = 80;
  rescored.comparison->difference_points = 0;
  EXPECT_THAT(*RecordedVerdictProblem(claim, honest, rescored),
              HasSubstr("but the reproduction's own metric says 70"));

  // Rewritten through and through, its own metric included, the record agrees
  // with itself: that is why an altered record fails on its signature
  // (record/record_check.h), not on its numbers.
  Reproduction rewritten = honest;
  rewritten.eval.metrics.front().metric.value = 0.8;
  rewritten.verdicts.front() = rescored;
  EXPECT_EQ(RecordedVerdictProblem(claim, rewritten, rescored), std::nullopt);

  MetricVerdict claimed_up = original;
  claimed_up.comparison->claimed_points = 70;
  EXPECT_THAT(*RecordedVerdictProblem(claim, honest, claimed_up), HasSubstr("but the claim says 80"));
}

TEST(VerdictCheck, AnAggregatesOnlyIntervalIsRecomputedWhole) {
  const Claim claim = VendorClaim();
  const Reproduction honest = HonestReproduction(claim, /*paired=*/false);
  MetricVerdict verdict = honest.verdicts.front();
  ASSERT_EQ(verdict.comparison->tier, EvidenceTier::kAggregatesOnly);
  ASSERT_TRUE(verdict.comparison->low.has_value());
  // A wider interval that still holds the difference and still lies below -M.
  *verdict.comparison->low -= 1;
  EXPECT_THAT(*RecordedVerdictProblem(claim, honest, verdict),
              HasSubstr("its recorded interval is not the one its standard errors give"));
}

TEST(VerdictCheck, WeightsMatchFollowsFromTheRoots) {
  const Claim claim = VendorClaim();
  Reproduction reproduction = HonestReproduction(claim, /*paired=*/false);
  reproduction.observed_weights_root = claim_testing::HexSha256("other weights");
  EXPECT_THAT(*WeightsMatchProblem(claim, reproduction), HasSubstr("it says the weights match, but it observed root"));
  reproduction.weights_match = false;
  EXPECT_EQ(WeightsMatchProblem(claim, reproduction), std::nullopt);
  // On other weights every verdict must be "different weights".
  EXPECT_THAT(*RecordedVerdictProblem(claim, reproduction, reproduction.verdicts.front()),
              HasSubstr("on weights the reproduction says differ"));
  const MetricVerdict different = DifferentWeightsVerdict("acc,none", claim.binding.weights_root,
                                                          reproduction.observed_weights_root, VerdictOptions());
  EXPECT_EQ(RecordedVerdictProblem(claim, reproduction, different), std::nullopt);
}

}  // namespace
}  // namespace assay
