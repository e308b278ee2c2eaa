// docs/verdicts.md's worked examples are this code's output: each example
// below is computed here and its ```text block must appear in the page
// exactly, so a number printed there cannot drift from what assay computes.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "claim/claim_draft.h"
#include "claim/reproduction_draft.h"
#include "claim/verdict.h"
#include "claim_test_fixtures.h"
#include "test_support.h"
#include "verdict_fixtures.h"

namespace assay {
namespace {

using verdict_fixtures::BinaryRuns;
using verdict_fixtures::MeanMetric;
using verdict_fixtures::PairedRuns;

std::string Line(const std::string& label, const std::string& text) {
  return label + std::string(12 - label.size(), ' ') + text + "\n";
}

std::string Side(const ReportedScore& score) {
  return FormatNumber(score.value) + ", stderr " + (score.stderr_value ? FormatNumber(*score.stderr_value) : "N/A") +
         ", n " + std::to_string(*score.n);
}

// The lines after the inputs: the same for every example.
std::string Outcome(const MetricVerdict& verdict) {
  const ScoreComparison& comparison = *verdict.comparison;
  std::string difference = FormatPoints(comparison.difference_points) + " " + std::string(PointUnit(comparison.scale));
  if (comparison.difference_in_stderrs) {
    difference += " (" + FormatPoints(*comparison.difference_in_stderrs) + " standard errors)";
  }
  std::string interval =
      comparison.low ? "[" + FormatPoints(*comparison.low) + ", " + FormatPoints(*comparison.high) + "]" : "none";
  return Line("scale", std::string(PointScaleName(comparison.scale)) +
                           (comparison.higher_is_better ? ", higher is better" : ", lower is better")) +
         Line("tier", std::string(EvidenceTierName(comparison.tier))) + Line("difference", difference) +
         Line("interval", interval + ", margin ±" + FormatPoints(verdict.margin, false)) +
         Line("verdict", std::string(VerdictKindName(verdict.kind))) + Line("reason", verdict.reason);
}

std::string FromRecords(const std::string& metric, const ReportedScore& claimed, const ReportedScore& reproduced,
                        bool higher_is_better) {
  MetricVerdict verdict = CompareAggregates(metric, claimed, reproduced, higher_is_better, std::nullopt, {});
  return Line("metric", metric) + Line("claimed", Side(claimed)) + Line("reproduced", Side(reproduced)) +
         Outcome(verdict);
}

// Two transcripts of a right-or-wrong benchmark over the same inputs.
std::string FromTranscripts(uint64_t n, uint64_t both_right, uint64_t claim_only, uint64_t reproduction_only,
                            bool identical_outputs) {
  PairedRuns runs = BinaryRuns(n, both_right, claim_only, reproduction_only, identical_outputs);
  MetricVerdict verdict = CompareMetric(MeanMetric(runs.claimed_mean, std::nullopt), runs.claimed,
                                        MeanMetric(runs.reproduced_mean, std::nullopt), runs.reproduced, {});
  std::string n_text = std::to_string(n);
  std::string flips = identical_outputs ? "every output identical"
                                        : std::to_string(claim_only) + " right only in the claim, " +
                                              std::to_string(reproduction_only) + " right only in the reproduction";
  return Line("metric", "acc,none") +
         Line("claimed", FormatNumber(runs.claimed_mean) + " over " + n_text + " samples") +
         Line("reproduced", FormatNumber(runs.reproduced_mean) + " over the same " + n_text + " inputs, " + flips) +
         Outcome(verdict);
}

// A claim and a rerun reported as aggregates (0.8 and 0.7 on 1,000 samples),
// whose configurations are `claimed` and `rerun`; `accepted` as
// --accept-difference gives it.
std::string FromConfigurations(const nlohmann::json& claimed, const nlohmann::json& rerun,
                               const std::vector<AcceptedDifference>& accepted) {
  auto run_of = [](double value, const nlohmann::json& config) {
    EvalRun run = claim_testing::MmluRun({}, value);
    run.metrics[0].stderr_value = std::sqrt(value * (1 - value) / 999);
    run.samples_used = run.samples_total = 1000;
    run.config = config;
    return run;
  };
  ClaimBinding binding;
  binding.endpoint = Endpoint{"acme", "widget"};
  ClaimDraftOptions claim_options{.metrics = {}, .force = false, .new_salt = claim_testing::CountingSalts(), .derive_group_rule = ""};
  const Claim claim = DraftClaim(run_of(0.8, claimed), binding, nullptr, claim_options)->claim;
  ReproductionDraftOptions options{.margin = 2.0, .force = false, .accepted = accepted,
                                   .new_salt = claim_testing::CountingSalts(), .plan = ""};
  const MetricVerdict verdict =
      DraftReproduction(claim_testing::kClaimId, claim, {}, run_of(0.7, rerun), "", "", options)->reproduction.verdicts[0];
  std::string accepting;
  for (const AcceptedDifference& one : accepted) accepting += " --accept-difference " + one.field + "='" + one.reason + "'";
  return Line("metric", "acc,none") + Line("claimed", "0.8 over 1000 samples, config " + claimed.dump()) +
         Line("reproduced", "0.7 over 1000 samples, config " + rerun.dump() + accepting) + Outcome(verdict);
}

struct Example {
  std::string name;
  std::string block;
};

std::vector<Example> Examples() {
  return {
      {"a Reflection-size gap", FromRecords("acc,none", {0.899, 0.009533, 1000}, {0.792, 0.012841, 1000}, true)},
      {"drift with the same inputs", FromTranscripts(14000, 9600, 200, 270, false)},
      {"the same drift from records alone",
       FromRecords("acc,none", {0.7, 0.003873, 14000}, {0.705, 0.003854, 14000}, true)},
      {"a 20-sample partial run", FromRecords("acc,none", {0.45, 0.1141, 20}, {0.55, 0.1141, 20}, true)},
      {"stderr N/A", FromRecords("micro_f1,none", {0.3019, std::nullopt, 20}, {0.3019, std::nullopt, 20}, true)},
      {"identical outputs", FromTranscripts(1000, 792, 0, 0, true)},
      {"exactly at the margin", FromTranscripts(100, 45, 2, 0, true)},
      {"lower is better", FromRecords("mae,none", {150.2, 3.1, 500}, {162.8, 3.4, 500}, false)},
      {"a 0-shot rerun of a 5-shot claim",
       FromConfigurations({{"num_fewshot", 5}, {"fewshot_as_multiturn", false}},
                          {{"num_fewshot", 0}, {"fewshot_as_multiturn", false}}, {})},
      {"the difference accepted",
       FromConfigurations({{"num_fewshot", 5}, {"fewshot_as_multiturn", false}},
                          {{"num_fewshot", 0}, {"fewshot_as_multiturn", false}},
                          {{"num_fewshot", "the model card reports 0-shot"}})},
      {"a setting one log leaves out",
       FromConfigurations({{"num_fewshot", 5}, {"generation", {{"temperature", 0.0}}}}, {{"num_fewshot", 5}}, {})},
  };
}

TEST(VerdictsDoc, EveryExampleIsWhatTheCodeComputes) {
  std::string page = testing::ReadFileOrDie(std::string(ASSAY_SOURCE_DIR) + "/docs/verdicts.md");
  for (const Example& example : Examples()) {
    std::string block = "```text\n" + example.block + "```\n";
    EXPECT_NE(page.find(block), std::string::npos) << example.name << ": docs/verdicts.md lacks\n" << block;
  }
}

}  // namespace
}  // namespace assay
