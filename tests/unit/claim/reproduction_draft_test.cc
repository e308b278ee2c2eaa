#include "claim/verdict.h"
#include "claim/reproduction_draft.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "claim/claim_draft.h"
#include "claim_test_fixtures.h"
#include "record/in_toto.h"
#include "record/model_statement.h"

namespace assay {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using claim_testing::AccuracyMetric;
using claim_testing::ChoiceSamples;
using claim_testing::MmluRun;

using claim_testing::kClaimId;
const std::string kClaimedRoot = ToHex(claim_testing::FilledDigest(0xab));

// The vendor's claim: 80 % on 100 samples, with a second metric.
EvalRun VendorRun() {
  EvalRun run = MmluRun(ChoiceSamples(100, 80), 0.8);
  run.metrics.push_back({.name = "acc_norm,none",
                         .value = 0.81,
                         .stderr_value = 0.039,
                         .higher_is_better = true,
                         .aggregation = "mean",
                         .per_sample_key = ""});
  return run;
}

Claim VendorClaim() {
  const ModelRecord record = claim_testing::WidgetRecord();
  ClaimDraftOptions options{.metrics = {}, .force = false, .new_salt = claim_testing::CountingSalts(), .derive_group_rule = ""};
  return DraftClaim(VendorRun(), BindToModelRecord(claim_testing::kModelRecordId, record), &record, options)->claim;
}

ReproductionDraftOptions DeterministicReproduction() {
  return ReproductionDraftOptions{.margin = 2.0, .force = false, .accepted = {}, .new_salt = claim_testing::CountingSalts(), .plan = ""};
}

// The evaluator's run: 70 % on the same 100 inputs.
EvalRun EvaluatorRun() {
  EvalRun run = VendorRun();
  run.samples = ChoiceSamples(100, 70);
  run.metrics[0].value = 0.7;
  run.metrics[1].value = 0.72;
  return run;
}

TEST(ReproductionDraft, DifferentWeightsAreNeverAScoreComparison) {
  const std::string other_root = ToHex(claim_testing::FilledDigest(0xcd));
  Result<ReproductionDraft> draft = DraftReproduction(kClaimId, VendorClaim(), VendorRun().samples, EvaluatorRun(),
                                                      other_root, "safetensors", DeterministicReproduction());
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  const Reproduction& reproduction = draft->reproduction;
  EXPECT_FALSE(reproduction.weights_match);
  EXPECT_EQ(reproduction.observed_weights_root, other_root);
  ASSERT_EQ(reproduction.verdicts.size(), 2u);
  for (const MetricVerdict& verdict : reproduction.verdicts) {
    EXPECT_EQ(verdict.kind, VerdictKind::kDifferentWeights) << verdict.metric;
    EXPECT_FALSE(verdict.comparison.has_value()) << verdict.metric;
    EXPECT_NE(verdict.reason.find(other_root), std::string::npos);
    EXPECT_NE(verdict.reason.find(kClaimedRoot), std::string::npos);
  }
  const json statement = ReproductionStatement(reproduction);
  EXPECT_EQ(statement.dump().find("differencePoints"), std::string::npos);
  EXPECT_TRUE(ParseReproductionStatement(*StatementBytes(statement)).ok());

  // The same root in another format is other weights too.
  Result<ReproductionDraft> gguf =
      DraftReproduction(kClaimId, VendorClaim(), {}, EvaluatorRun(), kClaimedRoot, "gguf", DeterministicReproduction());
  ASSERT_TRUE(gguf.ok());
  EXPECT_FALSE(gguf->reproduction.weights_match);
  EXPECT_EQ(gguf->reproduction.verdicts[0].kind, VerdictKind::kDifferentWeights);
}

TEST(ReproductionDraft, SameWeightsCompareEachMetric) {
  const Claim claim = VendorClaim();
  const EvalRun vendor = VendorRun(), evaluator = EvaluatorRun();
  Result<ReproductionDraft> draft =
      DraftReproduction(kClaimId, claim, vendor.samples, evaluator, kClaimedRoot, "safetensors", DeterministicReproduction());
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  const Reproduction& reproduction = draft->reproduction;
  EXPECT_TRUE(reproduction.weights_match);
  EXPECT_EQ(reproduction.claim_id, kClaimId);
  EXPECT_EQ(reproduction.margin, 2.0);
  ASSERT_EQ(reproduction.verdicts.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const MetricVerdict expected =
        CompareMetric(vendor.metrics[i], vendor.samples, evaluator.metrics[i], evaluator.samples, {.margin = 2.0});
    const MetricVerdict& verdict = reproduction.verdicts[i];
    EXPECT_EQ(verdict.metric, expected.metric);
    EXPECT_EQ(verdict.kind, expected.kind);
    EXPECT_EQ(verdict.reason, expected.reason);
    ASSERT_TRUE(verdict.comparison.has_value());
    EXPECT_EQ(verdict.comparison->tier, expected.comparison->tier);
    EXPECT_EQ(verdict.comparison->low, expected.comparison->low);
  }
  // Ten points below on 100 paired samples.
  EXPECT_EQ(reproduction.verdicts[0].comparison->tier, EvidenceTier::kSamePairedInputs);
  EXPECT_EQ(reproduction.verdicts[0].kind, VerdictKind::kNotReproduced);
  EXPECT_DOUBLE_EQ(reproduction.verdicts[0].comparison->difference_points, -10.0);
  // The evaluator's numbers are recorded, recomputed from their transcript.
  EXPECT_TRUE(reproduction.eval.metrics[0].recomputed);
  ASSERT_TRUE(draft->transcript.has_value());
  EXPECT_EQ(reproduction.eval.transcript->root, ToHex(draft->transcript->root()));
  Result<Reproduction> parsed = ParseReproductionStatement(*StatementBytes(ReproductionStatement(reproduction)));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->verdicts[0].kind, VerdictKind::kNotReproduced);
}

TEST(ReproductionDraft, WithoutTheClaimsSamplesOnlyAggregatesCompare) {
  Result<ReproductionDraft> draft =
      DraftReproduction(kClaimId, VendorClaim(), {}, EvaluatorRun(), kClaimedRoot, "safetensors", DeterministicReproduction());
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_EQ(draft->reproduction.verdicts[0].comparison->tier, EvidenceTier::kAggregatesOnly);
  // The claim committed to its samples: the reason is that they were not given, not that there are none.
  ASSERT_TRUE(VendorClaim().eval.transcript.has_value());
  EXPECT_THAT(draft->reproduction.verdicts[0].reason, HasSubstr("the claim's samples were not given"));
  EXPECT_THAT(draft->reproduction.verdicts[0].reason, Not(HasSubstr("the claim has no samples")));
}

TEST(ReproductionDraft, EndpointClaimNeedsNoRoot) {
  const ModelRecord* no_record = nullptr;
  ClaimBinding binding;
  binding.endpoint = Endpoint{.provider = "acme-api", .model = "widget-large"};
  ClaimDraftOptions options{.metrics = {}, .force = false, .new_salt = claim_testing::CountingSalts(), .derive_group_rule = ""};
  const Claim claim = DraftClaim(VendorRun(), binding, no_record, options)->claim;
  Result<ReproductionDraft> draft =
      DraftReproduction(kClaimId, claim, VendorRun().samples, EvaluatorRun(), "", "", DeterministicReproduction());
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_TRUE(draft->reproduction.weights_match);
  EXPECT_TRUE(draft->reproduction.observed_weights_root.empty());
  EXPECT_NE(draft->reproduction.verdicts[0].kind, VerdictKind::kDifferentWeights);
  EXPECT_FALSE(ReproductionStatement(draft->reproduction)["predicate"].contains("weightsRoot"));
}

TEST(ReproductionDraft, ClaimBoundToWeightsNeedsTheObservedRoot) {
  Result<ReproductionDraft> draft =
      DraftReproduction(kClaimId, VendorClaim(), {}, EvaluatorRun(), "", "", DeterministicReproduction());
  ASSERT_FALSE(draft.ok());
  EXPECT_EQ(draft.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(draft.status().message().find("--weights"), std::string::npos);
}

TEST(ReproductionDraft, ComparesOnlyMetricsBothHave) {
  EvalRun run = EvaluatorRun();
  run.metrics.erase(run.metrics.begin() + 1);
  Result<ReproductionDraft> draft =
      DraftReproduction(kClaimId, VendorClaim(), {}, run, kClaimedRoot, "safetensors", DeterministicReproduction());
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_EQ(draft->reproduction.verdicts.size(), 1u);
  EXPECT_EQ(draft->notes, std::vector<std::string>{"your log has no metric 'acc_norm,none': not compared"});

  run.metrics = {AccuracyMetric(0.7)};
  run.metrics[0].name = "exact_match,none";
  Result<ReproductionDraft> none =
      DraftReproduction(kClaimId, VendorClaim(), {}, run, kClaimedRoot, "safetensors", DeterministicReproduction());
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(none.status().message(),
            "your log (mmlu) has none of the claimed metrics: the claim has acc,none, acc_norm,none; your log has "
            "exact_match,none: other metrics");
}

// The vendor's run with every compared setting of lm-eval recorded.
EvalRun FullyRecorded(EvalRun run) {
  run.harness_version = "0.4.8";
  run.config = {{"num_fewshot", 5},
                {"fewshot_as_multiturn", false},
                {"generation", {{"temperature", 0.0}, {"top_p", 1.0}, {"do_sample", false}, {"max_gen_toks", 256}}},
                {"chat_template_sha256", std::string(64, 'b')},
                {"system_instruction_sha256", std::string(64, 'c')},
                {"dataset", {{"name", "cais/mmlu"}, {"split", "test"}}},
                {"limit", 100},
                {"task_hash", std::string(64, 'd')}};
  return run;
}

Claim FullyRecordedClaim() {
  const ModelRecord record = claim_testing::WidgetRecord();
  ClaimDraftOptions options{.metrics = {}, .force = false, .new_salt = claim_testing::CountingSalts(), .derive_group_rule = ""};
  return DraftClaim(FullyRecorded(VendorRun()), BindToModelRecord(claim_testing::kModelRecordId, record), &record,
                    options)
      ->claim;
}

TEST(ReproductionDraft, EachChangedSettingMakesTheVerdictsNotComparableNamingIt) {
  struct Case {
    std::function<void(EvalRun&)> change;
    std::string named;
  };
  const std::vector<Case> cases = {
      {[](EvalRun& run) { run.config["num_fewshot"] = 0; }, "num_fewshot 5 vs 0"},
      {[](EvalRun& run) { run.config["fewshot_as_multiturn"] = true; }, "fewshot_as_multiturn false vs true"},
      {[](EvalRun& run) { run.config["generation"]["temperature"] = 0.7; }, "generation.temperature 0.0 vs 0.7"},
      {[](EvalRun& run) { run.config["generation"]["top_p"] = 0.9; }, "generation.top_p 1.0 vs 0.9"},
      {[](EvalRun& run) { run.config["generation"]["do_sample"] = true; }, "generation.do_sample false vs true"},
      {[](EvalRun& run) { run.config["generation"]["max_gen_toks"] = 1024; }, "generation.max_gen_toks 256 vs 1024"},
      {[](EvalRun& run) { run.config["chat_template_sha256"] = std::string(64, 'e'); },
       "chat_template_sha256 bbbbbbbbbbbb… vs eeeeeeeeeeee…"},
      {[](EvalRun& run) { run.config["system_instruction_sha256"] = std::string(64, 'e'); },
       "system_instruction_sha256 cccccccccccc… vs eeeeeeeeeeee…"},
      {[](EvalRun& run) { run.config["dataset"]["split"] = "validation"; }, "dataset.split test vs validation"},
      {[](EvalRun& run) { run.config["limit"] = 20; }, "limit 100 vs 20"},
      {[](EvalRun& run) { run.config["task_hash"] = std::string(64, 'e'); }, "task_hash dddddddddddd… vs eeeeeeeeeeee…"},
      {[](EvalRun& run) { run.benchmark_version = "1"; }, "task_version 2 vs 1"},
      {[](EvalRun& run) { run.harness_version = "0.3.0"; }, "harness_version 0.4.8 vs 0.3.0"},
      {[](EvalRun& run) { run.metrics[0].name = run.metrics[0].per_sample_key = "acc,get-answer";
                          for (EvalSample& sample : run.samples) {
                            sample.metrics = {{"acc,get-answer", sample.metrics["acc,none"]}};
                          } },
       "filter none vs get-answer"},
  };
  for (const Case& c : cases) {
    EvalRun rerun = FullyRecorded(EvaluatorRun());
    c.change(rerun);
    Result<ReproductionDraft> draft = DraftReproduction(kClaimId, FullyRecordedClaim(), {}, rerun, kClaimedRoot,
                                                        "safetensors", DeterministicReproduction());
    ASSERT_TRUE(draft.ok()) << c.named << ": " << draft.status().message();
    const Reproduction& reproduction = draft->reproduction;
    ASSERT_EQ(reproduction.differences.size(), 1u) << c.named;
    EXPECT_EQ(reproduction.differences[0].Describe(), c.named);
    ASSERT_FALSE(reproduction.verdicts.empty());
    for (const MetricVerdict& verdict : reproduction.verdicts) {
      EXPECT_EQ(verdict.kind, VerdictKind::kNotComparable) << c.named;
      EXPECT_NE(verdict.reason.find("did not measure the same thing: " + c.named), std::string::npos) << verdict.reason;
      ASSERT_TRUE(verdict.comparison.has_value()) << "the numbers are still given";
    }
    EXPECT_TRUE(reproduction.is_v2());
    EXPECT_EQ(ReproductionStatement(reproduction)["predicateType"], kReproductionV2PredicateType);

    // Accepted with a reason, the interval verdict applies again, marked.
    ReproductionDraftOptions accepting = DeterministicReproduction();
    accepting.accepted = {{reproduction.differences[0].field, "the card's setting"}};
    Result<ReproductionDraft> accepted = DraftReproduction(kClaimId, FullyRecordedClaim(), {}, rerun, kClaimedRoot,
                                                           "safetensors", accepting);
    ASSERT_TRUE(accepted.ok()) << accepted.status().message();
    EXPECT_EQ(accepted->reproduction.verdicts[0].kind, VerdictKind::kNotReproduced) << c.named;  // 80 % vs 70 %
    for (const MetricVerdict& verdict : accepted->reproduction.verdicts) {
      EXPECT_NE(verdict.kind, VerdictKind::kNotComparable) << c.named;
      EXPECT_NE(verdict.reason.find("compared despite " + reproduction.differences[0].field + " (accepted: the card's setting)"),
                std::string::npos)
          << verdict.reason;
    }
  }
}

TEST(ReproductionDraft, AMatchingConfigurationGetsTheVerdictsOfBefore) {
  Result<ReproductionDraft> draft = DraftReproduction(kClaimId, FullyRecordedClaim(), {}, FullyRecorded(EvaluatorRun()),
                                                      kClaimedRoot, "safetensors", DeterministicReproduction());
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_TRUE(draft->reproduction.differences.empty());
  EXPECT_TRUE(draft->reproduction.unknown_fields.empty());
  EXPECT_EQ(draft->reproduction.verdicts[0].kind, VerdictKind::kNotReproduced);
  EXPECT_FALSE(draft->reproduction.is_v2());
  EXPECT_EQ(ReproductionStatement(draft->reproduction)["predicateType"], kReproductionPredicateType);
}

TEST(ReproductionDraft, AFieldOneLogLeavesOutIsNamedAndTheVerdictStands) {
  EvalRun rerun = FullyRecorded(EvaluatorRun());
  rerun.config.erase("chat_template_sha256");
  rerun.config["generation"].erase("top_p");
  Result<ReproductionDraft> draft = DraftReproduction(kClaimId, FullyRecordedClaim(), {}, rerun, kClaimedRoot,
                                                      "safetensors", DeterministicReproduction());
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  const MetricVerdict& verdict = draft->reproduction.verdicts[0];
  EXPECT_EQ(verdict.kind, VerdictKind::kNotReproduced);  // never turned into "not comparable"
  EXPECT_NE(verdict.reason.find("configuration not fully recorded: chat_template_sha256, generation.top_p"),
            std::string::npos)
      << verdict.reason;
  EXPECT_TRUE(draft->reproduction.is_v2());
}

TEST(ReproductionDraft, AnAcceptedDifferenceMustBeOneAndHaveAReason) {
  EvalRun rerun = FullyRecorded(EvaluatorRun());
  rerun.config["num_fewshot"] = 0;
  ReproductionDraftOptions options = DeterministicReproduction();
  options.accepted = {{"limit", "we ran it all"}};
  Result<ReproductionDraft> draft =
      DraftReproduction(kClaimId, FullyRecordedClaim(), {}, rerun, kClaimedRoot, "safetensors", options);
  ASSERT_FALSE(draft.ok());
  EXPECT_EQ(draft.status().message(),
            "--accept-difference limit: the runs do not differ in limit (they differ in: num_fewshot 5 vs 0)");
  options.accepted = {{"num_fewshot", ""}};
  EXPECT_EQ(DraftReproduction(kClaimId, FullyRecordedClaim(), {}, rerun, kClaimedRoot, "safetensors", options)
                .status()
                .kind(),
            ErrorKind::kInvalidInput);
}

TEST(ReproductionDraft, RefusesTheEvaluatorsOwnUnsupportedScoreUnlessForced) {
  EvalRun run = EvaluatorRun();
  run.metrics[0].value = 0.9;  // their samples say 0.7
  Result<ReproductionDraft> draft =
      DraftReproduction(kClaimId, VendorClaim(), {}, run, kClaimedRoot, "safetensors", DeterministicReproduction());
  ASSERT_FALSE(draft.ok());
  EXPECT_EQ(draft.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_NE(draft.status().message().find("70"), std::string::npos) << draft.status().message();
  ReproductionDraftOptions forced = DeterministicReproduction();
  forced.force = true;
  Result<ReproductionDraft> signed_anyway =
      DraftReproduction(kClaimId, VendorClaim(), {}, run, kClaimedRoot, "safetensors", forced);
  ASSERT_TRUE(signed_anyway.ok());
  EXPECT_FALSE(signed_anyway->reproduction.eval.metrics[0].recomputed);

  ReproductionDraftOptions bad_margin = DeterministicReproduction();
  bad_margin.margin = -1;
  EXPECT_EQ(DraftReproduction(kClaimId, VendorClaim(), {}, EvaluatorRun(), kClaimedRoot, "safetensors", bad_margin)
                .status()
                .kind(),
            ErrorKind::kInvalidInput);
}

}  // namespace
}  // namespace assay
