#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <cmath>
#include <nlohmann/json.hpp>

#include "digest/sha256.h"
#include "evallog/eval_log.h"
#include "evallog/json_lines.h"
#include "evallog/lm_eval_log.h"
#include "evallog/lm_eval_samples.h"
#include "file_system.h"
#include "find_metric.h"
#include "test_support.h"

namespace assay {
namespace {

using ::assay::testing::ReadFileOrDie;
using ::assay::testing::RealDataDir;
using ::assay::testing::ScratchDir;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string EvalDir() { return RealDataDir() + "/eval/"; }
std::string PolymerResults() {
  return EvalDir() + "lm-evaluation-harness__results_2025-06-30T19-40-09.461247.json";
}
std::string PolymerSamples() {
  return EvalDir() +
         "lm-evaluation-harness__samples_polymer_tg_prediction_2025-06-30T19-40-09.461247.jsonl";
}
std::string NegotiationResults() {
  return EvalDir() + "lm-evaluation-harness__results_2026-07-08T16-04-34.219874.json";
}
std::string NegotiationSamples() {
  return EvalDir() +
         "lm-evaluation-harness__samples_negotiationtom_belief_2026-07-08T16-04-34.219874.jsonl";
}

using evallog_testing::FindMetric;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return lines;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

TEST(LmEvalRealData, ApiModelRunWithInfinityAndChatPrompts) {
  ASSAY_REQUIRE_REALDATA();
  Result<EvalRun> run = ReadLmEvalLog(PolymerResults(), {PolymerSamples()}, "", LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->format, "lm-eval");
  EXPECT_EQ(run->benchmark, "polymer_tg_prediction");
  EXPECT_EQ(run->benchmark_version, "Yaml");
  EXPECT_EQ(run->harness, "lm-evaluation-harness");
  EXPECT_EQ(run->harness_version, "0.4.8");
  EXPECT_EQ(run->harness_commit, "cffb9ad0");
  EXPECT_EQ(run->model_name, "gpt-4o-mini");
  EXPECT_EQ(run->model_source, "openai-chat-completions");
  EXPECT_EQ(run->model_revision, "");

  ASSERT_EQ(run->metrics.size(), 1u);
  const EvalMetric& mae = run->metrics[0];
  EXPECT_EQ(mae.name, "mae,none");
  EXPECT_EQ(mae.value, INFINITY);
  EXPECT_FALSE(mae.stderr_value.has_value());  // NaN in the log
  EXPECT_EQ(mae.higher_is_better, std::optional<bool>(false));
  EXPECT_EQ(mae.aggregation, "mean");
  EXPECT_EQ(mae.per_sample_key, "mae,none");

  EXPECT_EQ(run->samples_used, std::optional<uint64_t>(24));
  EXPECT_EQ(run->samples_total, std::optional<uint64_t>(24));
  EXPECT_FALSE(run->partial());
  EXPECT_EQ(run->config["num_fewshot"], 0);
  EXPECT_EQ(run->config["limit"], 200.0);
  EXPECT_EQ(run->config["task_hash"],
            "d6970cb15699e18d87aabfd47f8af7174267f578804ecdcdd25a764d8edf7333");
  EXPECT_EQ(run->config["generation"]["max_tokens"], 10);
  EXPECT_EQ(run->config["dataset"]["name"], "iamthomaspruyn/polymer-tg-prediction");
  EXPECT_EQ(run->config["seed"]["fewshot"], 1234);
  EXPECT_TRUE(run->config.contains("prompt_template_sha256"));
  EXPECT_FALSE(run->config.contains("chat_template_sha256"));  // null in the log

  ASSERT_EQ(run->samples.size(), 24u);
  const EvalSample& first = run->samples[0];
  EXPECT_EQ(first.id, "0/none");
  EXPECT_EQ(first.metrics.at("mae,none"), INFINITY);
  EXPECT_THAT(first.record["prompt"].get<std::string>(), StartsWith("[{\"role\": \"user\""));
  EXPECT_EQ(first.record["response"], json::array({"Tg: 200"}));
  EXPECT_EQ(first.record["target"], "42.35931484");
  EXPECT_EQ(first.record["doc_hash"],
            "f7ae71ef9c7318f26a28a707be7823db8cc3b44443de37c177a00029e7320cbe");
  EXPECT_EQ(first.input_digest.size(), 64u);
  EXPECT_EQ(first.output_digest.size(), 64u);
  EXPECT_EQ(run->samples[1].metrics.at("mae,none"), 259.6069226);

  EXPECT_TRUE(run->hash_check.present);
  EXPECT_EQ(run->hash_check.rows_checked, 24u);
  EXPECT_TRUE(run->hash_check.ok()) << ::testing::PrintToString(run->hash_check.problems);
}

TEST(LmEvalRealData, LocalModelRunWithGroupsNonAsciiDocsAndLimit) {
  ASSAY_REQUIRE_REALDATA();
  // No task named: the samples file's name chooses negotiationtom_belief.
  Result<EvalRun> run =
      ReadLmEvalLog(NegotiationResults(), {NegotiationSamples()}, "", LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->benchmark, "negotiationtom_belief");
  EXPECT_EQ(run->benchmark_version, "0");
  EXPECT_EQ(run->harness_version, "0.4.13.dev0");
  EXPECT_EQ(run->model_name, "Qwen/Qwen3-8B");
  EXPECT_EQ(run->model_source, "hf");
  EXPECT_EQ(run->model_revision,
            "b968826d9c46dd6066d109eabc6255188de91218");  // model_sha, not "main"
  EXPECT_EQ(run->config["chat_template_sha256"],
            "a55ee1b1660128b7098723e0abcd92caa0788061051c62d51cbe87d9cf1974d8");
  EXPECT_EQ(run->config["batch_size"], "auto");
  EXPECT_EQ(run->config["limit"], 20.0);
  EXPECT_EQ(run->config["dataset"]["split"], "test");

  // A partial run: 20 of 13812 documents.
  EXPECT_EQ(run->samples_used, std::optional<uint64_t>(20));
  EXPECT_EQ(run->samples_total, std::optional<uint64_t>(13812));
  EXPECT_TRUE(run->partial());

  const EvalMetric* acc = FindMetric(*run, "acc,none");
  ASSERT_NE(acc, nullptr);
  EXPECT_EQ(acc->value, 0.45);
  EXPECT_EQ(acc->stderr_value, std::optional<double>(0.11413288653790232));
  EXPECT_EQ(acc->higher_is_better, std::optional<bool>(true));
  EXPECT_EQ(acc->per_sample_key, "acc,none");

  ASSERT_EQ(run->samples.size(), 20u);
  double sum = 0;
  for (const EvalSample& sample : run->samples) sum += sample.metrics.at("acc,none");
  EXPECT_DOUBLE_EQ(sum / 20, 0.45);  // the per-sample values support the aggregate
  EXPECT_THAT(run->samples[0].record["doc"]["dialogue"][0].get<std::string>(), HasSubstr("🙂"));
  EXPECT_TRUE(run->hash_check.present);
  EXPECT_EQ(run->hash_check.rows_checked, 20u);
  EXPECT_TRUE(run->hash_check.ok()) << ::testing::PrintToString(run->hash_check.problems);
}

TEST(LmEvalRealData, SeveralTasksAndNoChoiceListsThem) {
  ASSAY_REQUIRE_REALDATA();
  Result<EvalRun> run = ReadLmEvalLog(NegotiationResults(), {}, "", LocalFileSystem());
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(run.status().message(), StartsWith(NegotiationResults() + ": holds several tasks ("));
  EXPECT_THAT(run.status().message(), HasSubstr("negotiationtom_belief, negotiationtom_desire"));

  Result<EvalRun> unknown = ReadLmEvalLog(NegotiationResults(), {}, "mmlu", LocalFileSystem());
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("holds no task 'mmlu'"));
}

TEST(LmEvalRealData, CustomAggregationsAndNotAvailableStderr) {
  ASSAY_REQUIRE_REALDATA();
  Result<EvalRun> run =
      ReadLmEvalLog(NegotiationResults(), {}, "negotiationtom_intention", LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  const EvalMetric* micro = FindMetric(*run, "micro_f1,none");
  ASSERT_NE(micro, nullptr);
  EXPECT_FALSE(micro->stderr_value.has_value());  // "N/A"
  EXPECT_EQ(micro->aggregation, "micro_f1_agg");
  EXPECT_EQ(micro->per_sample_key, "");
  const EvalMetric* exact = FindMetric(*run, "exact_match,none");
  ASSERT_NE(exact, nullptr);
  EXPECT_EQ(exact->aggregation, "mean");
  EXPECT_EQ(exact->stderr_value, std::optional<double>(0.0917662935482247));
  EXPECT_EQ(run->config["generation"]["max_gen_toks"], 48);
}

TEST(LmEvalRealData, AGroupHasItsMetricsAndItsSubtasksCounts) {
  ASSAY_REQUIRE_REALDATA();
  Result<EvalRun> run =
      ReadLmEvalLog(NegotiationResults(), {}, "negotiationtom", LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->benchmark_version, "0");
  const EvalMetric* acc = FindMetric(*run, "acc,none");
  ASSERT_NE(acc, nullptr);
  EXPECT_EQ(acc->value, 0.525);
  EXPECT_EQ(acc->aggregation, "");  // a group's score is not a mean over this run's rows
  EXPECT_EQ(run->samples_used, std::optional<uint64_t>(60));
  EXPECT_EQ(run->samples_total, std::optional<uint64_t>(13812 + 13812 + 4618));

  Result<EvalRun> with_samples = ReadLmEvalLog(NegotiationResults(), {NegotiationSamples()},
                                               "negotiationtom", LocalFileSystem());
  // A group is read with the samples of every task under it (tests/unit/claim/group_claim_test.cc).
  ASSERT_FALSE(with_samples.ok());
  EXPECT_THAT(with_samples.status().message(),
              HasSubstr("no samples file for task 'negotiationtom_desire' of group 'negotiationtom'"));
}

TEST(LmEvalRealData, ARenamedSamplesFileIsRecognisedByItsTaskHash) {
  ASSAY_REQUIRE_REALDATA();
  ScratchDir dir;
  const std::string renamed = dir.Write("rows.jsonl", ReadFileOrDie(NegotiationSamples()));
  Result<EvalRun> run = ReadLmEvalLog(NegotiationResults(), {renamed}, "", LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->benchmark, "negotiationtom_belief");
  EXPECT_TRUE(run->hash_check.ok());
}

TEST(LmEvalRealData, ATruncatedSamplesFileShowsInTheHashCheck) {
  ASSAY_REQUIRE_REALDATA();
  ScratchDir dir;
  std::vector<std::string> rows = Lines(ReadFileOrDie(PolymerSamples()));
  rows.pop_back();
  const std::string truncated =
      dir.Write("samples_polymer_tg_prediction_2025-06-30T19-40-09.461247.jsonl", JoinLines(rows));
  Result<EvalRun> run = ReadLmEvalLog(PolymerResults(), {truncated}, "", LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->samples.size(), 23u);
  EXPECT_EQ(run->hash_check.rows_checked, 23u);
  EXPECT_THAT(
      run->hash_check.problems,
      ElementsAre("task hash does not match the 23 rows read: samples file truncated or edited?",
                  "samples file holds 23 documents; n-samples says 24 were evaluated"));
}

TEST(LmEvalRealData, AnEditedDocShowsInTheHashCheck) {
  ASSAY_REQUIRE_REALDATA();
  ScratchDir dir;
  std::vector<std::string> rows = Lines(ReadFileOrDie(NegotiationSamples()));
  // Row 5's doc: change one answer choice letter, keep its logged doc_hash.
  size_t at = rows[5].find("\"choices\": [\"A\"");
  ASSERT_NE(at, std::string::npos);
  rows[5].replace(at, 15, "\"choices\": [\"Z\"");
  const std::string edited =
      dir.Write("samples_negotiationtom_belief_2026-07-08T16-04-34.219874.jsonl", JoinLines(rows));
  Result<EvalRun> run = ReadLmEvalLog(NegotiationResults(), {edited}, "", LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_THAT(
      run->hash_check.problems,
      ElementsAre("sample 5/none: doc_hash does not match the doc",
                  "task hash does not match the 20 rows read: samples file truncated or edited?"));
}

TEST(LmEvalRealData, SamplesOfAnotherRunAreRefused) {
  ASSAY_REQUIRE_REALDATA();
  ScratchDir dir;
  // The same task's samples, named for the run of another time.
  const std::string other = dir.Write("samples_negotiationtom_belief_2026-07-09T10-00-00.000001.jsonl",
                                      ReadFileOrDie(NegotiationSamples()));
  Result<EvalRun> run = ReadLmEvalLog(NegotiationResults(), {other}, "", LocalFileSystem());
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(run.status().message(), other + ": the samples of the run of 2026-07-09T10-00-00.000001, not of " +
                                        NegotiationResults() + "'s run of 2026-07-08T16-04-34.219874");
  // A name without a timestamp says nothing about the run: the task hash still checks the rows.
  const std::string renamed = dir.Write("samples_negotiationtom_belief.jsonl", ReadFileOrDie(NegotiationSamples()));
  EXPECT_TRUE(ReadLmEvalLog(NegotiationResults(), {renamed}, "", LocalFileSystem()).ok());
}

TEST(LmEvalRealData, ARunsFolderIsReadAsItsResultsAndSamples) {
  ASSAY_REQUIRE_REALDATA();
  ScratchDir dir;
  // lm-eval's layout: the model's folder, the run's results and samples, and
  // another run's samples beside them.
  dir.Write("Qwen__Qwen3-8B/results_2026-07-08T16-04-34.219874.json", ReadFileOrDie(NegotiationResults()));
  dir.Write("Qwen__Qwen3-8B/samples_negotiationtom_belief_2026-07-08T16-04-34.219874.jsonl",
            ReadFileOrDie(NegotiationSamples()));
  dir.Write("Qwen__Qwen3-8B/samples_negotiationtom_belief_2026-07-01T00-00-00.000000.jsonl", "not read");
  const std::string folder = (dir.path() / "Qwen__Qwen3-8B").string();
  Result<EvalRun> run = ReadEvalLog({folder}, {"negotiationtom_belief"}, LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->benchmark, "negotiationtom_belief");
  EXPECT_EQ(run->samples.size(), 20u);
  EXPECT_TRUE(run->hash_check.ok());

  dir.Write("Qwen__Qwen3-8B/results_2026-07-01T00-00-00.000000.json", "{}");
  Result<EvalRun> two = ReadEvalLog({folder}, {}, LocalFileSystem());
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.status().message(), folder + ": holds 2 lm-eval runs (results_2026-07-01T00-00-00.000000.json, "
                                             "results_2026-07-08T16-04-34.219874.json): give one results file "
                                             "and its samples files");
}

TEST(LmEvalLog, RunTimestampsAreReadFromEitherFileName) {
  EXPECT_EQ(LmEvalRunTimestampOf("out/m/results_2026-07-08T16-04-34.219874.json"), "2026-07-08T16-04-34.219874");
  EXPECT_EQ(LmEvalRunTimestampOf("samples_mmlu_anatomy_2024-01-01T00-00-00.jsonl"), "2024-01-01T00-00-00");
  for (const char* name : {"results.json", "samples_mmlu.jsonl", "samples_mmlu_2024-01-01.jsonl",
                           "results_2024-01-01T00-00-0x.json", "results_2024-01-01T00-00-00.12a.json"}) {
    EXPECT_EQ(LmEvalRunTimestampOf(name), "") << name;
  }
}

TEST(LmEvalRealData, ALargeSamplesFileIsReadOnEveryCoreInFileOrder) {
  ASSAY_REQUIRE_REALDATA();
  // The real rows again and again under new doc_ids: their hashes still hold
  // (they cover doc, prompt and target, not the doc_id), past the size from
  // which rows are parsed in parallel batches.
  const std::vector<std::string> real = Lines(ReadFileOrDie(PolymerSamples()));
  std::vector<std::string> rows;
  std::string expected_task_hash_input;
  size_t bytes = 0;
  for (size_t i = 0; bytes < kParallelLinesMinBytes + (1 << 20); ++i) {
    const std::string& row = real[i % real.size()];
    json parsed = json::parse(row.substr(0, row.rfind(", \"mae\"")) + "}");
    for (const char* hash : {"doc_hash", "prompt_hash", "target_hash"}) {
      expected_task_hash_input += parsed[hash].get<std::string>();
    }
    const size_t id_end = row.find(',');
    rows.push_back("{\"doc_id\": " + std::to_string(i) + row.substr(id_end));
    bytes += rows.back().size() + 1;
  }
  ScratchDir dir;
  const std::string path = dir.Write("samples_big_2025-01-01T00-00-00.jsonl", JoinLines(rows));
  std::unique_ptr<RandomAccessFile> file = std::move(LocalFileSystem().OpenForRead(path).value());
  Result<LmEvalSamples> samples = ReadLmEvalSamples(*file);
  ASSERT_TRUE(samples.ok()) << samples.status().message();
  ASSERT_EQ(samples->samples.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(samples->samples[i].id, std::to_string(i) + "/none");
  }
  EXPECT_EQ(samples->documents, rows.size());
  EXPECT_EQ(samples->hash_check.rows_checked, rows.size());
  EXPECT_TRUE(samples->hash_check.ok());
  EXPECT_EQ(samples->task_hash, ToHex(Sha256::Of(expected_task_hash_input)));

  // An error deep in the file names its line, whichever thread found it.
  rows[rows.size() - 7] = "{\"doc_id\": 1";
  const std::string broken = dir.Write("samples_big_2025-01-01T00-00-00.jsonl", JoinLines(rows));
  file = std::move(LocalFileSystem().OpenForRead(broken).value());
  Result<LmEvalSamples> refused = ReadLmEvalSamples(*file);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(),
              StartsWith(broken + ": line " + std::to_string(rows.size() - 6) + ": invalid JSON"));
}

// A results file built here: one task "t" with acc and stderr `stderr_value`.
std::string SyntheticResults(const std::string& stderr_value, const std::string& extra = "") {
  return R"({"results": {"t": {"alias": "t", "acc,none": 0.5, "acc_stderr,none": )" + stderr_value +
         R"(}}, "configs": {"t": {"task": "t", "metric_list": [{"metric": "acc", "aggregation": "mean"}]}},
            "versions": {"t": 1.0}, "n-samples": {"t": {"original": 10, "effective": 2}},
            "config": {"model": "hf", "model_args": "pretrained=org/m,revision=abc123,dtype=bfloat16",
                       "gen_kwargs": "temperature=0,do_sample=False,until=x"})" +
         extra + "}";
}

TEST(LmEvalSynthetic, StderrMustBeANumberOrNotAvailable) {
  ScratchDir dir;
  const std::string path = dir.Write("results.json", SyntheticResults("\"oops\""));
  Result<EvalRun> run = ReadLmEvalLog(path, {}, "", LocalFileSystem());
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(run.status().message(), path + ": stderr of 'acc,none' is not a number or \"N/A\"");
}

TEST(LmEvalSynthetic, ModelArgsAsACommandLineString) {
  ScratchDir dir;
  const std::string path = dir.Write("results.json", SyntheticResults("0.25"));
  Result<EvalRun> run = ReadLmEvalLog(path, {}, "", LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->model_name, "org/m");
  EXPECT_EQ(run->model_revision, "abc123");
  EXPECT_EQ(run->model_source, "hf");
  EXPECT_EQ(run->benchmark_version, "1.0");
  EXPECT_EQ(run->metrics[0].stderr_value, std::optional<double>(0.25));
  EXPECT_EQ(run->config["generation"],
            json({{"temperature", 0}, {"do_sample", false}, {"until", "x"}}));
  EXPECT_TRUE(run->partial());
}

TEST(LmEvalSynthetic, RowsOfVersionsBeforeHashes) {
  // lm-eval before 0.4.3: arguments as lists, no filter, no metrics list, no hashes.
  ScratchDir dir;
  const std::string results = dir.Write("results.json", SyntheticResults("0.1"));
  const std::string samples = dir.Write(
      "samples_t_2024-01-01T00-00-00.000000.jsonl",
      R"({"doc_id": 0, "doc": {"q": "a"}, "target": 1, "arguments": [["ctx", " a"], ["ctx", " b"]], "resps": [[["-1.0", "False"]]], "filtered_resps": [["-1.0", "False"]], "acc": 1.0})"
      "\n"
      R"({"doc_id": 1, "doc": {"q": "b"}, "target": [0, "x"], "arguments": [["ctx2", " a"]], "resps": [], "filtered_resps": [], "acc": false})"
      "\n");
  Result<EvalRun> run = ReadLmEvalLog(results, {samples}, "", LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_EQ(run->samples.size(), 2u);
  EXPECT_EQ(run->samples[0].id, "0/none");
  EXPECT_EQ(run->samples[0].record["prompt"], "ctx");
  EXPECT_EQ(run->samples[0].metrics.at("acc,none"), 1.0);
  EXPECT_EQ(run->samples[1].metrics.at("acc,none"), 0.0);
  EXPECT_FALSE(run->hash_check.present);
  EXPECT_EQ(run->hash_check.rows_checked, 0u);
  EXPECT_TRUE(run->hash_check.ok());
}

TEST(LmEvalSynthetic, MalformedRowsAreErrorsNamingFileAndLine) {
  ScratchDir dir;
  const std::string results = dir.Write("results.json", SyntheticResults("0.1"));
  const std::string good =
      R"({"doc_id": 0, "doc": {}, "target": "a", "arguments": {"gen_args_0": {"arg_0": "p"}}})";
  const std::pair<std::string, std::string> kCases[] = {
      {good + "\n{\"doc_id\": 1", "line 2: invalid JSON"},
      {good + "\n[1, 2]", "line 2: row is not a JSON object"},
      {good + "\n" + good, "sample id '0/none' is on lines 1 and 2"},
      {R"({"doc": {}, "target": "a", "arguments": []})", "line 1: row has no doc_id"},
      {R"({"doc_id": 1.5, "doc": {}, "target": "a", "arguments": []})",
       "line 1: doc_id '1.5' is not an integer"},
      {R"({"doc_id": 1, "doc": {}, "target": "a", "arguments": {"gen_args_0": {"arg_0": 7}}})",
       "line 1: the first request's prompt is not a string"},
      {R"({"doc_id": 1, "doc": {}, "target": "a", "arguments": {}})",
       "line 1: arguments hold no first request prompt"},
      {R"({"doc_id": 1, "doc": {}, "target": "a", "filter": 3, "arguments": []})",
       "line 1: filter is not a string"},
      {"", "holds no rows"},
  };
  for (const auto& [text, expected] : kCases) {
    const std::string samples = dir.Write("samples_t_2024-01-01T00-00-00.jsonl", text);
    Result<EvalRun> run = ReadLmEvalLog(results, {samples}, "", LocalFileSystem());
    ASSERT_FALSE(run.ok()) << text;
    EXPECT_EQ(run.status().kind(), ErrorKind::kInvalidInput) << text;
    EXPECT_THAT(run.status().message(), StartsWith(samples + ": ")) << text;
    EXPECT_THAT(run.status().message(), HasSubstr(expected)) << text;
  }
}

TEST(LmEvalSynthetic, ResultsOfTheWrongShapeAreErrors) {
  ScratchDir dir;
  const std::pair<std::string, std::string> kCases[] = {
      {R"({"results": [], "versions": {}})", "not an lm-evaluation-harness results file"},
      {R"({"results": {"t": {"acc,none": "high"}}, "versions": {}})",
       "value of 'acc,none' is not a number"},
      {R"({"results": {"t": {"acc,none": 1}}, "versions": [], "configs": {}})",
       "\"versions\" is not an object"},
      {R"({"results": {"t": 7}, "versions": {}})", "results of 't' are not an object"},
      {R"({"results": {"t": {"alias": "t"}}, "versions": {}})", "task 't' has no metrics"},
      {R"({"results": {"t": {"acc,none": 1}}, "versions": {}, "n-samples": {"t": {"original": -1, "effective": 1}}})",
       "n-samples of 't' are not non-negative integers"},
      {R"({"results": {"t": {"acc,none": 1}}, "versions": {}, "results": {}})",
       "duplicate key 'results'"},
      {R"({"results": {"t": {"acc,none": 1}})", "invalid JSON"},
  };
  for (const auto& [text, expected] : kCases) {
    const std::string path = dir.Write("results.json", text);
    Result<EvalRun> run = ReadLmEvalLog(path, {}, "", LocalFileSystem());
    ASSERT_FALSE(run.ok()) << text;
    EXPECT_EQ(run.status().kind(), ErrorKind::kInvalidInput) << text;
    EXPECT_THAT(run.status().message(), StartsWith(path + ": ")) << text;
    EXPECT_THAT(run.status().message(), HasSubstr(expected)) << text;
  }
}

TEST(LmEvalSamplesFileName, NamesTheLongestTaskFollowedByADate) {
  const std::vector<std::string> tasks = {"mmlu", "mmlu_anatomy", "negotiationtom",
                                          "negotiationtom_belief"};
  EXPECT_EQ(LmEvalTaskOfSamplesFile("out/samples_mmlu_anatomy_2024-05-01T10-00-00.1.jsonl", tasks),
            "mmlu_anatomy");
  EXPECT_EQ(LmEvalTaskOfSamplesFile(
                "samples_negotiationtom_belief_2026-07-08T16-04-34.219874.jsonl", tasks),
            "negotiationtom_belief");
  EXPECT_EQ(LmEvalTaskOfSamplesFile("samples_mmlu_astronomy_2024-05-01T10-00-00.jsonl", tasks), "");
  EXPECT_EQ(LmEvalTaskOfSamplesFile("results_mmlu_2024.jsonl", tasks), "");
  EXPECT_EQ(LmEvalTaskOfSamplesFile("copy__samples_mmlu_2024-05-01T10-00-00.jsonl", tasks), "mmlu");
}

}  // namespace
}  // namespace assay
