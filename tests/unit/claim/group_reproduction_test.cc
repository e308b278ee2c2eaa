// Reproductions of a group claim (reproduction/v2): the group's score is
// compared pairing the samples of all its tasks, each task weighed as the
// claimed rule weighs it; each task gets its own verdicts; a difference of
// configuration in one task makes the group not comparable, naming the task;
// and every verdict reads back and rechecks from the two records.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "claim/claim_draft.h"
#include "claim/confidence_interval.h"
#include "claim/group_score.h"
#include "claim/reproduction_draft.h"
#include "claim/transcript_opening.h"
#include "claim/transcript_builder.h"
#include "claim/synthetic_lm_eval.h"
#include "claim/verdict_check.h"
#include "claim_test_fixtures.h"
#include "evallog/eval_log.h"
#include "record/in_toto.h"
#include "test_support.h"

namespace assay {
namespace {

using json = nlohmann::json;

// A group "mini" of a subgroup (mini_a, mini_b) and a task mini_c, of unequal sizes.
SyntheticLmEvalSpec MiniSpec(uint64_t seed, uint64_t num_fewshot = 5) {
  SyntheticLmEvalSpec spec;
  spec.tasks = {{"mini_a", 30, 0.7}, {"mini_b", 12, 0.5}, {"mini_c", 25, 0.9}};
  spec.group_subtasks = {{"mini", {"mini_ab", "mini_c"}}, {"mini_ab", {"mini_a", "mini_b"}}};
  spec.model_name = "acme/widget";
  spec.num_fewshot = num_fewshot;
  spec.seed = seed;
  return spec;
}

EvalRun ReadGroup(const testing::ScratchDir& dir, const std::string& name, const SyntheticLmEvalSpec& spec) {
  const std::string folder = (dir.path() / name).string();
  EXPECT_TRUE(WriteSyntheticLmEvalRun(LocalFileSystem(), folder, spec).ok());
  Result<EvalRun> run = ReadEvalLog({folder}, EvalLogOptions{.task = "mini"}, LocalFileSystem());
  EXPECT_TRUE(run.ok()) << run.status().message();
  return *run;
}

struct VendorSide {
  Claim claim;
  std::vector<EvalSample> opened;  // the claim's samples as its opening reveals them
};

VendorSide Claimed(const EvalRun& run) {
  ClaimBinding binding;
  binding.endpoint = Endpoint{"acme", "widget"};
  ClaimDraftOptions options{.metrics = {}, .force = false, .new_salt = claim_testing::CountingSalts(), .derive_group_rule = ""};
  Result<ClaimDraft> draft = DraftClaim(run, binding, nullptr, options);
  EXPECT_TRUE(draft.ok()) << draft.status().message();
  return {draft->claim, *SamplesOf(*draft->transcript->ToTranscript())};
}

Result<ReproductionDraft> Reproduce(const VendorSide& vendor, const EvalRun& rerun,
                                    std::vector<AcceptedDifference> accepted = {}) {
  return DraftReproduction(claim_testing::kClaimId, vendor.claim, vendor.opened, rerun, "", "",
                           ReproductionDraftOptions{.margin = 2.0,
                                                    .force = false,
                                                    .accepted = std::move(accepted),
                                                    .new_salt = claim_testing::CountingSalts(),
                                                    .plan = ""});
}

// The record as signed, read back.
Reproduction ReadBack(const Reproduction& reproduction) {
  Result<std::string> bytes = StatementBytes(ReproductionStatement(reproduction));
  Result<Reproduction> read = ParseReproductionStatement(*bytes);
  EXPECT_TRUE(read.ok()) << read.status().message();
  return *read;
}

// Every verdict of the record follows from the two records.
void ExpectEveryVerdictRechecks(const Claim& claim, const Reproduction& reproduction) {
  EXPECT_EQ(ComparabilityProblem(claim, reproduction), std::nullopt);
  for (const MetricVerdict& verdict : reproduction.verdicts) {
    EXPECT_EQ(RecordedVerdictProblem(claim, reproduction, verdict), std::nullopt) << verdict.metric;
  }
  for (const TaskVerdicts& task : reproduction.task_verdicts) {
    for (const MetricVerdict& verdict : task.verdicts) {
      EXPECT_EQ(RecordedVerdictProblem(claim, reproduction, verdict, task.task), std::nullopt) << task.task;
    }
  }
}

TEST(GroupReproduction, EachTaskWeighsAsTheClaimedRuleWeighsIt) {
  testing::ScratchDir dir;
  const VendorSide vendor = Claimed(ReadGroup(dir, "vendor", MiniSpec(1)));
  const RecordedMetric& acc = vendor.claim.eval.metrics[0];
  ASSERT_EQ(acc.rule, "leaves/size/pooled");
  Result<std::map<std::string, double>> weights = GroupTaskWeights(vendor.claim.eval, acc);
  ASSERT_TRUE(weights.ok()) << weights.status().message();
  EXPECT_DOUBLE_EQ(weights->at("mini_a"), 30.0 / 67);
  EXPECT_DOUBLE_EQ(weights->at("mini_b"), 12.0 / 67);
  EXPECT_DOUBLE_EQ(weights->at("mini_c"), 25.0 / 67);

  // Another rule weighs otherwise: members, equal weights: the subgroup and
  // mini_c count half each, and the subgroup's tasks a quarter each.
  RecordedMetric equal = acc;
  equal.rule = "members/equal/pooled";
  weights = GroupTaskWeights(vendor.claim.eval, equal);
  ASSERT_TRUE(weights.ok()) << weights.status().message();
  EXPECT_DOUBLE_EQ(weights->at("mini_a"), 0.25);
  EXPECT_DOUBLE_EQ(weights->at("mini_b"), 0.25);
  EXPECT_DOUBLE_EQ(weights->at("mini_c"), 0.5);
}

TEST(GroupReproduction, TheSameFilesGiveIdenticalOutputsOnTheGroupAndOnEachTask) {
  testing::ScratchDir dir;
  const EvalRun run = ReadGroup(dir, "vendor", MiniSpec(1));
  const VendorSide vendor = Claimed(run);
  Result<ReproductionDraft> draft = Reproduce(vendor, run);
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  const Reproduction& reproduction = draft->reproduction;
  ASSERT_EQ(reproduction.verdicts.size(), 1u);
  EXPECT_EQ(reproduction.verdicts[0].kind, VerdictKind::kReproduced);
  EXPECT_EQ(reproduction.verdicts[0].comparison->tier, EvidenceTier::kIdenticalOutputs);
  EXPECT_EQ(reproduction.verdicts[0].comparison->paired_samples, 67u);
  ASSERT_EQ(reproduction.task_verdicts.size(), 3u);
  EXPECT_EQ(reproduction.task_verdicts[1].task, "mini_b");
  EXPECT_EQ(reproduction.task_verdicts[1].verdicts[0].comparison->paired_samples, 12u);
  EXPECT_TRUE(reproduction.is_v2());
  const Reproduction read = ReadBack(reproduction);
  EXPECT_EQ(read.task_verdicts.size(), 3u);
  EXPECT_EQ(read.eval.tasks.size(), 3u);
  EXPECT_EQ(read.eval.metrics[0].rule, "leaves/size/pooled");
  ExpectEveryVerdictRechecks(vendor.claim, read);
}

TEST(GroupReproduction, PairedSamplesGiveTheStratifiedIntervalOfTheWeighedTaskDifferences) {
  testing::ScratchDir dir;
  const VendorSide vendor = Claimed(ReadGroup(dir, "vendor", MiniSpec(1)));
  const EvalRun rerun = ReadGroup(dir, "evaluator", MiniSpec(2));  // the same documents, other answers right
  Result<ReproductionDraft> draft = Reproduce(vendor, rerun);
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  const MetricVerdict& verdict = draft->reproduction.verdicts[0];
  ASSERT_EQ(verdict.comparison->tier, EvidenceTier::kSamePairedInputs) << verdict.reason;
  EXPECT_EQ(verdict.comparison->paired_samples, 67u);
  EXPECT_NE(verdict.reason.find("67 samples of 3 tasks paired by input"), std::string::npos) << verdict.reason;

  // Recomputed here from the samples: per task the paired differences' mean
  // and variance, weighed by the task's share of the group's documents.
  std::map<std::string, double> claimed_by_id;
  for (const EvalSample& sample : vendor.opened) claimed_by_id[sample.id] = sample.metrics.at("acc,none");
  double variance = 0, denominator = 0;
  for (const EvalTask& task : rerun.tasks) {
    std::vector<double> differences;
    for (size_t i = task.first_sample; i < task.first_sample + task.sample_count; ++i) {
      const EvalSample& sample = rerun.samples[i];
      differences.push_back(sample.metrics.at("acc,none") - claimed_by_id.at(sample.id));
    }
    const double weight = static_cast<double>(task.sample_count) / 67;
    const double se = PairedMeanInterval(differences)->standard_error;
    const double part = weight * weight * se * se;
    variance += part;
    denominator += part * part / static_cast<double>(differences.size() - 1);
  }
  const double half = StudentTQuantile975(variance * variance / denominator) * std::sqrt(variance) * 100;
  EXPECT_NEAR(*verdict.comparison->high - *verdict.comparison->low, 2 * half, 1e-9);
  // The accuracies are the same: the difference is 0 and the interval around it.
  EXPECT_NEAR(verdict.comparison->difference_points, 0, 1e-9);
  ExpectEveryVerdictRechecks(vendor.claim, ReadBack(draft->reproduction));
}

// What attest reproduction does for a run of any size (the rerun committed
// to as it is read, the claim's opening scanned, both held as ids, digests
// and scores) signs the record that the samples held whole give.
TEST(GroupReproduction, StreamedSidesGiveTheRecordOfTheHeldOnes) {
  testing::ScratchDir dir;
  const EvalRun vendor_run = ReadGroup(dir, "vendor", MiniSpec(1));
  ClaimBinding binding;
  binding.endpoint = Endpoint{"acme", "widget"};
  ClaimDraftOptions claim_options{.metrics = {}, .force = false, .new_salt = claim_testing::CountingSalts(), .derive_group_rule = ""};
  Result<ClaimDraft> claim = DraftClaim(vendor_run, binding, nullptr, claim_options);
  ASSERT_TRUE(claim.ok()) << claim.status().message();
  const std::string opening = dir.Write("vendor.opening.jsonl", FormatTranscriptOpening(*claim->transcript->ToTranscript()));
  Result<ScannedTranscript> scanned = ScanTranscriptOpening(LocalFileSystem(), opening, /*with_digests=*/true);
  ASSERT_TRUE(scanned.ok()) << scanned.status().message();

  const SyntheticLmEvalSpec rerun_spec = MiniSpec(2);
  const EvalRun held_rerun = ReadGroup(dir, "rerun", rerun_spec);
  const std::string rerun_folder = (dir.path() / "rerun").string();
  ReproductionDraftOptions options{.margin = 2.0, .force = false, .accepted = {}, .new_salt = claim_testing::CountingSalts(), .plan = ""};
  Result<ReproductionDraft> held =
      DraftReproduction(claim_testing::kClaimId, claim->claim, *SamplesOf(*claim->transcript->ToTranscript()),
                        held_rerun, "", "", options);
  ASSERT_TRUE(held.ok()) << held.status().message();

  ReproductionDraftOptions streamed_options = options;
  streamed_options.new_salt = claim_testing::CountingSalts();
  TranscriptBuilder builder(streamed_options.new_salt, dir.path().string(), /*with_digests=*/true);
  Result<EvalRun> rerun = ReadEvalLog({rerun_folder}, EvalLogOptions{.task = "mini"}, LocalFileSystem(), &builder);
  ASSERT_TRUE(rerun.ok()) << rerun.status().message();
  Result<CommittedSamples> rerun_samples = builder.Finish();
  ASSERT_TRUE(rerun_samples.ok()) << rerun_samples.status().message();
  Result<ReproductionDraft> streamed = DraftReproduction(claim_testing::kClaimId, claim->claim, scanned->scored, *rerun,
                                                         std::move(*rerun_samples), "", "", streamed_options);
  ASSERT_TRUE(streamed.ok()) << streamed.status().message();

  EXPECT_EQ(ReproductionStatement(streamed->reproduction).dump(), ReproductionStatement(held->reproduction).dump());
  ASSERT_FALSE(streamed->reproduction.verdicts.empty());
  EXPECT_EQ(streamed->reproduction.verdicts[0].comparison->tier, EvidenceTier::kSamePairedInputs);
  EXPECT_EQ(streamed->transcript->root(), held->transcript->root());
}

TEST(GroupReproduction, AnotherFewShotCountInOneTaskMakesTheGroupNotComparableNamingTheTask) {
  testing::ScratchDir dir;
  const VendorSide vendor = Claimed(ReadGroup(dir, "vendor", MiniSpec(1)));
  // The evaluator's run of mini_b was 0-shot; its other tasks 5-shot, as the vendor's.
  const std::string folder = (dir.path() / "evaluator").string();
  ASSERT_TRUE(WriteSyntheticLmEvalRun(LocalFileSystem(), folder, MiniSpec(1)).ok());
  const std::string results = folder + "/results_2026-01-01T00-00-00.000000.json";
  json file = json::parse(std::ifstream(results));
  file["configs"]["mini_b"]["num_fewshot"] = 0;
  file["n-shot"]["mini_b"] = 0;
  std::ofstream(results) << file.dump(2);
  Result<EvalRun> rerun = ReadEvalLog({folder}, EvalLogOptions{.task = "mini"}, LocalFileSystem());
  ASSERT_TRUE(rerun.ok()) << rerun.status().message();

  Result<ReproductionDraft> draft = Reproduce(vendor, *rerun);
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  const Reproduction& reproduction = draft->reproduction;
  ASSERT_EQ(reproduction.differences.size(), 1u);
  EXPECT_EQ(reproduction.differences[0].Describe(), "mini_b: num_fewshot 5 vs 0");
  EXPECT_EQ(reproduction.verdicts[0].kind, VerdictKind::kNotComparable);
  EXPECT_NE(reproduction.verdicts[0].reason.find("mini_b: num_fewshot 5 vs 0"), std::string::npos);
  // Only mini_b's own verdict is not comparable; the others measured alike.
  EXPECT_EQ(reproduction.task_verdicts[0].verdicts[0].kind, VerdictKind::kReproduced);
  EXPECT_EQ(reproduction.task_verdicts[1].verdicts[0].kind, VerdictKind::kNotComparable);
  EXPECT_EQ(reproduction.task_verdicts[2].verdicts[0].kind, VerdictKind::kReproduced);
  const Reproduction read = ReadBack(reproduction);
  EXPECT_EQ(read.differences[0].task, "mini_b");
  ExpectEveryVerdictRechecks(vendor.claim, read);

  // Accepted, the verdicts stand, marked; a record claiming otherwise fails.
  draft = Reproduce(vendor, *rerun, {{"num_fewshot", "the task card defines it 0-shot"}});
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_EQ(draft->reproduction.verdicts[0].kind, VerdictKind::kReproduced);
  EXPECT_NE(draft->reproduction.verdicts[0].reason.find("compared despite num_fewshot"), std::string::npos);
  Reproduction forged = ReadBack(draft->reproduction);
  ExpectEveryVerdictRechecks(vendor.claim, forged);
  forged.accepted.clear();
  EXPECT_NE(RecordedVerdictProblem(vendor.claim, forged, forged.task_verdicts[1].verdicts[0], "mini_b"), std::nullopt);
  EXPECT_EQ(RecordedVerdictProblem(vendor.claim, forged, forged.task_verdicts[0].verdicts[0], "mini_a"), std::nullopt);
}

TEST(GroupReproduction, ARerunLackingATaskIsNotComparableAndAOneTaskRerunIsRefused) {
  testing::ScratchDir dir;
  const VendorSide vendor = Claimed(ReadGroup(dir, "vendor", MiniSpec(1)));
  SyntheticLmEvalSpec fewer = MiniSpec(1);
  fewer.tasks.pop_back();
  fewer.group_subtasks["mini"] = {"mini_ab"};
  Result<ReproductionDraft> draft = Reproduce(vendor, ReadGroup(dir, "fewer", fewer));
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_EQ(draft->reproduction.verdicts[0].kind, VerdictKind::kNotComparable);
  EXPECT_NE(draft->reproduction.verdicts[0].reason.find("mini_c: task run vs not run"), std::string::npos)
      << draft->reproduction.verdicts[0].reason;
  EXPECT_EQ(draft->notes, std::vector<std::string>{"your run has no task mini_c: not compared"});

  const std::string folder = (dir.path() / "vendor").string();
  Result<EvalRun> one_task = ReadEvalLog({folder}, EvalLogOptions{.task = "mini_a"}, LocalFileSystem());
  ASSERT_TRUE(one_task.ok()) << one_task.status().message();
  draft = Reproduce(vendor, *one_task);
  ASSERT_FALSE(draft.ok());
  EXPECT_NE(draft.status().message().find("the claim is of the group mini"), std::string::npos);
}

TEST(GroupReproduction, ATamperedTaskVerdictFailsItsRecheck) {
  testing::ScratchDir dir;
  const VendorSide vendor = Claimed(ReadGroup(dir, "vendor", MiniSpec(1)));
  Result<ReproductionDraft> draft = Reproduce(vendor, ReadGroup(dir, "evaluator", MiniSpec(2)));
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  Reproduction tampered = ReadBack(draft->reproduction);
  MetricVerdict& verdict = tampered.task_verdicts[2].verdicts[0];
  verdict.comparison->reproduced_points += 10;
  EXPECT_NE(RecordedVerdictProblem(vendor.claim, tampered, verdict, "mini_c"), std::nullopt);
  EXPECT_NE(RecordedVerdictProblem(vendor.claim, tampered, verdict, "no_such_task"), std::nullopt);

  json statement = ReproductionStatement(draft->reproduction);
  statement["predicate"]["taskVerdicts"][0]["task"] = "mini_x";
  EXPECT_FALSE(ParseReproductionStatement(*StatementBytes(statement)).ok());
  statement["predicate"]["taskVerdicts"][0]["task"] = "mini_b";  // now twice
  EXPECT_FALSE(ParseReproductionStatement(*StatementBytes(statement)).ok());
}

}  // namespace
}  // namespace assay
