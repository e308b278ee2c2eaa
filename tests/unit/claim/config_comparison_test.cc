#include "claim/config_comparison.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

namespace assay {
namespace {

using ::testing::ElementsAre;
using nlohmann::json;

RecordedMetric Metric(const std::string& name) {
  RecordedMetric metric;
  metric.metric.name = name;
  return metric;
}

// An lm-eval run as a claim records it, every compared field present.
EvalSummary LmEvalRun() {
  EvalSummary run;
  run.benchmark = "gsm8k";
  run.benchmark_version = "3.0";
  run.harness = "lm-evaluation-harness";
  run.harness_version = "0.4.8";
  run.config = {{"num_fewshot", 5},
                {"generation", {{"temperature", 0.0}, {"do_sample", false}, {"max_gen_toks", 256}}},
                {"prompt_template_sha256", std::string(64, 'a')},
                {"chat_template_sha256", std::string(64, 'b')},
                {"system_instruction_sha256", std::string(64, 'c')},
                {"dataset", {{"name", "openai/gsm8k"}, {"config", "main"}, {"split", "test"}}},
                {"limit", 100},
                {"task_hash", std::string(64, 'd')},
                {"seed", {{"random", 0}}},
                {"batch_size", 8}};
  run.metrics = {Metric("exact_match,strict-match")};
  return run;
}

TEST(ConfigComparison, TheSameConfigurationIsComparableAndFullyRecorded) {
  ConfigComparison comparison = CompareConfigurations(LmEvalRun(), LmEvalRun());
  EXPECT_TRUE(comparison.comparable());
  EXPECT_TRUE(comparison.unknown.empty());
  EXPECT_EQ(comparison.UnknownLine(), "");
}

TEST(ConfigComparison, EachScoreChangingFieldMakesTheRunsNotComparable) {
  struct Case {
    std::function<void(EvalSummary&)> change;
    std::string described;
  };
  const std::vector<Case> cases = {
      {[](EvalSummary& run) { run.config["num_fewshot"] = 0; }, "num_fewshot 5 vs 0"},
      {[](EvalSummary& run) { run.config["generation"]["temperature"] = 0.7; }, "generation.temperature 0.0 vs 0.7"},
      {[](EvalSummary& run) { run.config["generation"]["do_sample"] = true; }, "generation.do_sample false vs true"},
      {[](EvalSummary& run) { run.config["generation"]["max_gen_toks"] = 1024; }, "generation.max_gen_toks 256 vs 1024"},
      {[](EvalSummary& run) { run.config["prompt_template_sha256"] = std::string(64, 'e'); },
       "prompt_template_sha256 aaaaaaaaaaaa… vs eeeeeeeeeeee…"},
      {[](EvalSummary& run) { run.config["chat_template_sha256"] = std::string(64, 'e'); },
       "chat_template_sha256 bbbbbbbbbbbb… vs eeeeeeeeeeee…"},
      {[](EvalSummary& run) { run.config["system_instruction_sha256"] = std::string(64, 'e'); },
       "system_instruction_sha256 cccccccccccc… vs eeeeeeeeeeee…"},
      {[](EvalSummary& run) { run.config["dataset"]["split"] = "train"; }, "dataset.split test vs train"},
      {[](EvalSummary& run) { run.config["dataset"]["name"] = "gsm8k-fork"; }, "dataset.name openai/gsm8k vs gsm8k-fork"},
      {[](EvalSummary& run) { run.config["limit"] = 20; }, "limit 100 vs 20"},
      {[](EvalSummary& run) { run.config["task_hash"] = std::string(64, 'e'); }, "task_hash dddddddddddd… vs eeeeeeeeeeee…"},
      {[](EvalSummary& run) { run.benchmark_version = "2.0"; }, "task_version 3.0 vs 2.0"},
      {[](EvalSummary& run) { run.benchmark = "gsm8k_cot"; }, "benchmark gsm8k vs gsm8k_cot"},
      {[](EvalSummary& run) { run.harness_version = "0.3.0"; }, "harness_version 0.4.8 vs 0.3.0"},
      {[](EvalSummary& run) { run.metrics = {Metric("exact_match,flexible-extract")}; },
       "filter strict-match vs flexible-extract"},
  };
  for (const Case& c : cases) {
    EvalSummary rerun = LmEvalRun();
    c.change(rerun);
    ConfigComparison comparison = CompareConfigurations(LmEvalRun(), rerun);
    EXPECT_FALSE(comparison.comparable()) << c.described;
    ASSERT_EQ(comparison.differences.size(), 1u) << c.described << ": " << comparison.DifferencesLine();
    EXPECT_EQ(comparison.differences[0].Describe(), c.described);
    EXPECT_TRUE(comparison.unknown.empty()) << c.described;
  }
}

TEST(ConfigComparison, ReleasesOfOneHarnessFamilyAndUncomparedSettingsDoNotMatter) {
  EvalSummary rerun = LmEvalRun();
  rerun.harness_version = "0.4.13.dev0";  // 0.4, like 0.4.8
  rerun.config["seed"] = {{"random", 1234}};
  rerun.config["batch_size"] = 64;
  rerun.config["num_fewshot"] = 5.0;  // the same number
  EXPECT_TRUE(CompareConfigurations(LmEvalRun(), rerun).comparable());
}

TEST(ConfigComparison, AFieldOneLogLeavesOutIsUnknownNotADifference) {
  EvalSummary rerun = LmEvalRun();
  rerun.config.erase("chat_template_sha256");
  rerun.config["generation"].erase("max_gen_toks");
  rerun.harness_version.clear();
  ConfigComparison comparison = CompareConfigurations(LmEvalRun(), rerun);
  EXPECT_TRUE(comparison.comparable());
  EXPECT_THAT(comparison.unknown, ElementsAre("harness_version", "chat_template_sha256", "generation.max_gen_toks"));
  EXPECT_EQ(comparison.UnknownLine(),
            "configuration not fully recorded: harness_version, chat_template_sha256, generation.max_gen_toks");
}

TEST(ConfigComparison, EveryDifferenceIsNamedInOneLine) {
  EvalSummary rerun = LmEvalRun();
  rerun.config["num_fewshot"] = 0;
  rerun.metrics = {Metric("exact_match,flexible-extract")};
  EXPECT_EQ(CompareConfigurations(LmEvalRun(), rerun).DifferencesLine(),
            "num_fewshot 5 vs 0; filter strict-match vs flexible-extract");
}

TEST(ConfigComparison, AMetricMismatchSaysWhy) {
  EvalSummary rerun = LmEvalRun();
  EXPECT_EQ(ExplainMetricMismatch(LmEvalRun(), rerun), "");
  rerun.metrics = {Metric("exact_match,flexible-extract")};  // compared, as "not comparable"
  EXPECT_EQ(ExplainMetricMismatch(LmEvalRun(), rerun), "");
  EXPECT_EQ(FindCounterpart(rerun.metrics, "exact_match,strict-match"), &rerun.metrics[0]);
  rerun.metrics = {Metric("acc,none"), Metric("acc_norm,none")};
  EXPECT_EQ(ExplainMetricMismatch(LmEvalRun(), rerun),
            "the claim has exact_match,strict-match; your log has acc,none, acc_norm,none: other metrics");
  rerun.metrics.clear();
  EXPECT_EQ(ExplainMetricMismatch(LmEvalRun(), rerun),
            "the claim has exact_match,strict-match; your log has no metrics: other metrics");
}

}  // namespace
}  // namespace assay
