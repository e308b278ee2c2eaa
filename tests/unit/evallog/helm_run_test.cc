#include "evallog/helm_run.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "evallog/eval_log.h"
#include "find_metric.h"
#include "test_support.h"

namespace assay {
namespace {

using ::testing::HasSubstr;
using evallog_testing::FindMetric;
using nlohmann::json;
using testing::ScratchDir;

constexpr const char* kHelmFiles[] = {"run_spec.json", "scenario.json", "scenario_state.json", "stats.json",
                                      "per_instance_stats.json"};

std::string RealHelmDir() { return testing::RealDataDir() + "/eval/helm__hellaswag_pythia-1b"; }

// The real run copied into `dir`/NAME, with `replace` changing one file's text.
std::string CopyOfRealRun(const ScratchDir& dir, const std::string& name, const std::string& file = "",
                          const std::string& replacement = "") {
  for (const char* each : kHelmFiles) {
    dir.Write(name + "/" + each,
              each == file ? replacement : testing::ReadFileOrDie(RealHelmDir() + "/" + each));
  }
  return (dir.path() / name).string();
}

Result<EvalRun> ReadHelm(const std::string& folder) { return ReadEvalLog({folder}, {}, LocalFileSystem()); }

TEST(HelmRunRealData, HellaSwagOnPythiaReadsAsOneRunOfTenInstances) {
  ASSAY_REQUIRE_REALDATA();
  Result<EvalRun> run = ReadHelm(RealHelmDir());
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->format, "helm");
  EXPECT_EQ(run->harness, "helm");
  EXPECT_EQ(run->benchmark, "hellaswag");
  EXPECT_EQ(run->model_name, "eleutherai/pythia-1b-v0");
  EXPECT_EQ(run->model_source, "huggingface/pythia-1b-v0");
  EXPECT_EQ(run->config["num_fewshot"], 5);
  EXPECT_EQ(run->config["limit"], 10);
  EXPECT_EQ(run->config["dataset"]["split"], "valid");
  EXPECT_EQ(run->config["dataset"]["name"], "helm.benchmark.scenarios.commonsense_scenario.HellaSwagScenario");
  EXPECT_EQ(run->config["generation"]["max_tokens"], 1);
  ASSERT_EQ(run->samples.size(), 10u);
  EXPECT_EQ(run->samples_used, 10u);
  EXPECT_EQ(run->samples[0].id, "id44874/0");
  EXPECT_EQ(run->samples[0].record["response"], json::array({json::array({" B"})}));

  // The four exact-match scores run_spec.json names, 0.3 each, and each the
  // mean of the instances' values: what a claim recomputes.
  ASSERT_EQ(run->metrics.size(), 4u);
  for (const char* name : {"exact_match", "quasi_exact_match", "prefix_exact_match", "quasi_prefix_exact_match"}) {
    const EvalMetric* metric = FindMetric(*run, name);
    ASSERT_NE(metric, nullptr) << name;
    EXPECT_DOUBLE_EQ(metric->value, 0.3);
    EXPECT_EQ(metric->per_sample_key, name);
    EXPECT_EQ(metric->higher_is_better, true);
    EXPECT_FALSE(metric->stderr_value.has_value());
    double sum = 0;
    for (const EvalSample& sample : run->samples) sum += sample.metrics.at(name);
    EXPECT_DOUBLE_EQ(sum / 10, 0.3) << name;
  }
  // Inputs are identified by the instance's text and references, so a rerun pairs.
  EXPECT_EQ(run->samples[0].input_digest.size(), 64u);
  EXPECT_NE(run->samples[0].input_digest, run->samples[1].input_digest);
}

TEST(HelmRunRealData, AProblemInOneFileIsNamedWithThatFile) {
  ASSAY_REQUIRE_REALDATA();
  ScratchDir dir;
  json per_instance = json::parse(testing::ReadFileOrDie(RealHelmDir() + "/per_instance_stats.json"));
  per_instance[3]["instance_id"] = "id-nobody-asked";
  json twice = json::parse(testing::ReadFileOrDie(RealHelmDir() + "/per_instance_stats.json"));
  twice.push_back(twice[0]);
  const std::tuple<std::string, std::string, std::string> kCases[] = {
      {"per_instance_stats.json", per_instance.dump(), "'id-nobody-asked/0' has no request in scenario_state.json"},
      {"per_instance_stats.json", twice.dump(), "'id44874/0' is listed twice"},
      {"stats.json", "{}", "stats.json: not a list"},
      {"stats.json", "[]", "holds none of the metrics"},
      {"scenario_state.json", R"({"request_states": 3})", "\"request_states\" is not a list"},
      {"run_spec.json", "[1]", "run_spec.json: not a HELM run spec"},
      {"scenario_state.json", "{not json", "scenario_state.json"},
  };
  int n = 0;
  for (const auto& [file, text, message] : kCases) {
    Result<EvalRun> run = ReadHelm(CopyOfRealRun(dir, "case" + std::to_string(n++), file, text));
    ASSERT_FALSE(run.ok()) << message;
    EXPECT_EQ(run.status().kind(), ErrorKind::kInvalidInput) << message;
    EXPECT_THAT(run.status().message(), HasSubstr(message));
    EXPECT_THAT(run.status().message(), HasSubstr(file));
    EXPECT_EQ(run.status().message().find('\n'), std::string::npos);
  }
}

TEST(HelmRunRealData, PerturbedInstancesAreNotTheRunsScore) {
  ASSAY_REQUIRE_REALDATA();
  ScratchDir dir;
  json per_instance = json::parse(testing::ReadFileOrDie(RealHelmDir() + "/per_instance_stats.json"));
  json perturbed = per_instance[0];
  perturbed["perturbation"] = {{"name", "typos"}};
  per_instance.push_back(perturbed);
  Result<EvalRun> run = ReadHelm(CopyOfRealRun(dir, "perturbed", "per_instance_stats.json", per_instance.dump()));
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->samples.size(), 10u);
}

TEST(HelmRunRealData, AFolderIsAHelmRunOnlyWithItsRunSpec) {
  ASSAY_REQUIRE_REALDATA();
  ScratchDir dir;
  dir.Write("empty/notes.txt", "nothing here");
  EXPECT_FALSE(IsHelmRunFolder(LocalFileSystem(), (dir.path() / "empty").string()));
  Result<EvalRun> empty = ReadEvalLog({(dir.path() / "empty").string()}, {}, LocalFileSystem());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(empty.status().message(), HasSubstr("empty: a folder holding neither a HELM run (run_spec.json) nor an lm-eval run"));
  EXPECT_TRUE(IsHelmRunFolder(LocalFileSystem(), RealHelmDir()));
  EXPECT_FALSE(IsHelmRunFolder(LocalFileSystem(), RealHelmDir() + "/run_spec.json"));
  Result<EvalRun> two = ReadEvalLog({RealHelmDir(), RealHelmDir()}, {}, LocalFileSystem());
  ASSERT_FALSE(two.ok());
  EXPECT_THAT(two.status().message(), HasSubstr("a run's folder is a whole run: give it alone"));
}

TEST(HelmRunRealData, TruncatedAndFlippedFilesNeverCrash) {
  ASSAY_REQUIRE_REALDATA();
  ScratchDir dir;
  std::mt19937 random(11);
  int n = 0;
  for (const char* file : kHelmFiles) {
    const std::string original = testing::ReadFileOrDie(RealHelmDir() + "/" + file);
    std::vector<std::string> variants;
    for (size_t length = 0; length < original.size(); length += std::max<size_t>(1, original.size() / 12)) {
      variants.push_back(original.substr(0, length));
    }
    for (int flip = 0; flip < 12; ++flip) {
      std::string bytes = original;
      bytes[random() % bytes.size()] = static_cast<char>(random());
      variants.push_back(bytes);
    }
    for (const std::string& bytes : variants) {
      Result<EvalRun> run = ReadHelm(CopyOfRealRun(dir, "damaged" + std::to_string(n++), file, bytes));
      if (!run.ok()) {
        EXPECT_EQ(run.status().kind(), ErrorKind::kInvalidInput) << file << ": " << run.status().message();
        EXPECT_EQ(run.status().message().find('\n'), std::string::npos);
      }
    }
  }
}

}  // namespace
}  // namespace assay
