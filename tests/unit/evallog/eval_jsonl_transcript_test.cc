#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "file_system.h"
#include "evallog/inspect_log.h"
#include "evallog/json_lines.h"
#include "evallog/jsonl_transcript.h"
#include "evallog/lm_eval_log.h"
#include "test_support.h"

namespace assay {
namespace {

using ::assay::testing::RealDataDir;
using ::assay::testing::RunShell;
using ::assay::testing::ScratchDir;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kHeader[] =
    R"({"assay_transcript": 1, "benchmark": {"name": "arith", "version": "3"},
        "harness": {"name": "my-harness", "version": "2.1", "commit": "abc123"},
        "model": {"name": "org/model", "revision": "r1", "source": "hf"},
        "config": {"num_fewshot": 5, "generation": {"temperature": 0}, "limit": 3, "seed": 1,
                   "dataset": {"name": "org/arith", "revision": "main"}},
        "metrics": [{"name": "acc", "value": 0.5, "stderr": 0.25, "higher_is_better": true, "aggregation": "mean"},
                    {"name": "loss", "value": Infinity, "stderr": "NaN", "aggregation": "median", "per_sample_key": "loss"}],
        "samples_used": 3, "samples_total": 1000, "sample_count": 3, "started": "2026-12-01T18:00:00Z"})";

std::string Transcript() {
  std::string text = kHeader;  // one line: its line breaks become spaces
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  return text + "\n" +
         R"({"id": "q1", "input": "1+1", "target": "2", "response": "2", "metrics": {"acc": 1, "loss": 0.5}})"
         "\n"
         R"({"id": "q2", "input": [{"role": "user", "content": "2+2"}], "target": 4, "response": "5", "metrics": {"acc": 0, "loss": Infinity}, "extra": {"latency_ms": 12}})"
         "\n"
         R"({"id": "q3", "input": "3+3", "response": null, "metrics": {"acc": 0.5, "loss": "-Infinity"}})"
         "\n";
}

// Checks every line of `path` against schema/transcript.schema.json with
// Debian's python3-jsonschema: the header against $defs/header, the rest
// against $defs/sample. Returns what the script printed.
std::string ValidateWithJsonSchema(const ScratchDir& dir, const std::string& path, bool* valid) {
  const std::string script = dir.Write("validate.py", R"(import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding='utf-8'))
jsonschema.Draft202012Validator.check_schema(schema)
def part(name):
    s = dict(schema); s.pop('oneOf'); s['$ref'] = '#/$defs/' + name
    return jsonschema.Draft202012Validator(s)
lines = open(sys.argv[2], encoding='utf-8').read().splitlines()
part('header').validate(json.loads(lines[0]))
for line in lines[1:]:
    part('sample').validate(json.loads(line))
print('valid', len(lines))
)");
  std::string output;
  *valid = RunShell("/usr/bin/python3 " + script +
                        " " ASSAY_SOURCE_DIR "/schema/transcript.schema.json " + path,
                    &output) == 0;
  return output;
}

TEST(JsonlTranscript, ReadsTheHeaderAndSamples) {
  ScratchDir dir;
  const std::string path = dir.Write("run.jsonl", Transcript());
  Result<EvalRun> run = ReadJsonlTranscript(path, LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->format, "jsonl");
  EXPECT_EQ(run->benchmark, "arith");
  EXPECT_EQ(run->benchmark_version, "3");
  EXPECT_EQ(run->harness, "my-harness");
  EXPECT_EQ(run->harness_version, "2.1");
  EXPECT_EQ(run->harness_commit, "abc123");
  EXPECT_EQ(run->model_name, "org/model");
  EXPECT_EQ(run->model_revision, "r1");
  EXPECT_EQ(run->model_source, "hf");
  EXPECT_EQ(run->config["num_fewshot"], 5);
  EXPECT_EQ(run->samples_used, std::optional<uint64_t>(3));
  EXPECT_EQ(run->samples_total, std::optional<uint64_t>(1000));
  EXPECT_TRUE(run->partial());
  EXPECT_EQ(run->started, std::optional<int64_t>(1796148000));  // 2026-12-01T18:00:00Z

  ASSERT_EQ(run->metrics.size(), 2u);
  EXPECT_EQ(run->metrics[0].name, "acc");
  EXPECT_EQ(run->metrics[0].stderr_value, std::optional<double>(0.25));
  EXPECT_EQ(run->metrics[0].higher_is_better, std::optional<bool>(true));
  EXPECT_EQ(run->metrics[0].per_sample_key, "acc");  // "mean" defaults to the metric's own name
  EXPECT_EQ(run->metrics[1].value, INFINITY);
  EXPECT_FALSE(run->metrics[1].stderr_value.has_value());
  EXPECT_FALSE(run->metrics[1].higher_is_better.has_value());

  ASSERT_EQ(run->samples.size(), 3u);
  EXPECT_EQ(run->samples[0].id, "q1");
  EXPECT_EQ(run->samples[0].metrics.at("acc"), 1.0);
  EXPECT_EQ(run->samples[1].metrics.at("loss"), INFINITY);
  EXPECT_EQ(run->samples[2].metrics.at("loss"), -INFINITY);
  EXPECT_EQ(run->samples[1].record["extra"]["latency_ms"], 12);
  EXPECT_TRUE(run->samples[2].record["target"].is_null());
  EXPECT_TRUE(run->samples[2].record["response"].is_null());
  EXPECT_NE(run->samples[0].input_digest, run->samples[1].input_digest);
  EXPECT_FALSE(run->hash_check.present);
}

TEST(JsonlTranscript, TheExampleOfTheSpecValidatesAgainstTheSchema) {
  ScratchDir dir;
  // The schema sees what Python's json module reads: its NaN literals as numbers.
  bool valid = false;
  std::string output = ValidateWithJsonSchema(dir, dir.Write("run.jsonl", Transcript()), &valid);
  EXPECT_TRUE(valid) << output;
  EXPECT_THAT(output, HasSubstr("valid 4"));

  // And the validator does refuse: an unknown header member.
  std::string bad = Transcript();
  bad.replace(bad.find("\"assay_transcript\": 1,"), 22, "\"assay_transcript\": 1, \"note\": 1,");
  std::string refused = ValidateWithJsonSchema(dir, dir.Write("bad.jsonl", bad), &valid);
  EXPECT_FALSE(valid) << refused;
  EXPECT_THAT(refused, HasSubstr("Additional properties are not allowed ('note'"));
}

TEST(JsonlTranscript, TheExampleOfTheSpecReadsWithItsDigests) {
  // The ```json block of docs/spec/eval-logs.md, "JSONL transcript".
  const std::string spec =
      ::assay::testing::ReadFileOrDie(ASSAY_SOURCE_DIR "/docs/spec/eval-logs.md");
  const size_t begin = spec.find("```json\n");
  ASSERT_NE(begin, std::string::npos);
  const size_t end = spec.find("```", begin + 8);
  ASSERT_NE(end, std::string::npos);
  ScratchDir dir;
  const std::string path = dir.Write("example.jsonl", spec.substr(begin + 8, end - begin - 8));
  bool valid = false;
  std::string output = ValidateWithJsonSchema(dir, path, &valid);
  EXPECT_TRUE(valid) << output;
  Result<EvalRun> run = ReadJsonlTranscript(path, LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_EQ(run->samples.size(), 2u);
  EXPECT_EQ(run->samples[0].input_digest,
            "1355624c129aac6c6d4bcaa72fa31dd53b7cf05981fef7a211f86047be64ca18");
  EXPECT_EQ(run->samples[0].output_digest,
            "cc11310c456c3690d5a74c23aa31cc25b4e74cdae146c71e54ad9dbc1d109fde");
  // Written back, the example is the same bytes: it is written canonically.
  EXPECT_EQ(FormatJsonlTranscript(*run), spec.substr(begin + 8, end - begin - 8));
}

// Real runs, written as transcripts: valid against the schema, and read back the same.
void CheckRoundTrip(const EvalRun& run) {
  ScratchDir dir;
  const std::string path = dir.Write("run.jsonl", FormatJsonlTranscript(run));
  bool valid = false;
  std::string output = ValidateWithJsonSchema(dir, path, &valid);
  EXPECT_TRUE(valid) << output;
  Result<EvalRun> back = ReadJsonlTranscript(path, LocalFileSystem());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->benchmark, run.benchmark);
  EXPECT_EQ(back->benchmark_version, run.benchmark_version);
  EXPECT_EQ(back->harness, run.harness);
  EXPECT_EQ(back->harness_version, run.harness_version);
  EXPECT_EQ(back->model_name, run.model_name);
  EXPECT_EQ(back->model_revision, run.model_revision);
  EXPECT_EQ(back->config, run.config);
  EXPECT_EQ(back->samples_used, run.samples_used);
  EXPECT_EQ(back->samples_total, run.samples_total);
  ASSERT_EQ(back->metrics.size(), run.metrics.size());
  for (size_t i = 0; i < run.metrics.size(); ++i) {
    EXPECT_EQ(back->metrics[i].name, run.metrics[i].name);
    EXPECT_EQ(back->metrics[i].value, run.metrics[i].value);
    EXPECT_EQ(back->metrics[i].stderr_value, run.metrics[i].stderr_value);
    EXPECT_EQ(back->metrics[i].aggregation, run.metrics[i].aggregation);
    EXPECT_EQ(back->metrics[i].per_sample_key, run.metrics[i].per_sample_key);
  }
  ASSERT_EQ(back->samples.size(), run.samples.size());
  for (size_t i = 0; i < run.samples.size(); ++i) {
    EXPECT_EQ(back->samples[i].id, run.samples[i].id);
    EXPECT_EQ(back->samples[i].metrics, run.samples[i].metrics);
    EXPECT_EQ(back->samples[i].output_digest, run.samples[i].output_digest);
  }
}

TEST(JsonlTranscriptRealData, LmEvalRunsWrittenAsTranscriptsValidateAndReadBack) {
  ASSAY_REQUIRE_REALDATA();
  const std::string dir = RealDataDir() + "/eval/";
  Result<EvalRun> polymer = ReadLmEvalLog(
      dir + "lm-evaluation-harness__results_2025-06-30T19-40-09.461247.json",
      {dir +
       "lm-evaluation-harness__samples_polymer_tg_prediction_2025-06-30T19-40-09.461247.jsonl"},
      "", LocalFileSystem());
  ASSERT_TRUE(polymer.ok()) << polymer.status().message();
  CheckRoundTrip(*polymer);  // Infinity in metrics and samples
  Result<EvalRun> belief = ReadLmEvalLog(
      dir + "lm-evaluation-harness__results_2026-07-08T16-04-34.219874.json",
      {dir +
       "lm-evaluation-harness__samples_negotiationtom_belief_2026-07-08T16-04-34.219874.jsonl"},
      "", LocalFileSystem());
  ASSERT_TRUE(belief.ok()) << belief.status().message();
  CheckRoundTrip(*belief);
}

TEST(JsonlTranscriptRealData, InspectRunsWrittenAsTranscriptsValidateAndReadBack) {
  ASSAY_REQUIRE_REALDATA();
  Result<EvalRun> run = ReadInspectEvalZip(
      RealDataDir() + "/eval/inspect_ai__mmlu-summary-choices.eval", LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  CheckRoundTrip(*run);
}

TEST(JsonlTranscript, ALargeTranscriptIsReadInFileOrder) {
  // Past the size from which lines are parsed in parallel batches.
  std::string text =
      R"({"assay_transcript": 1, "benchmark": {"name": "b"}, "harness": {"name": "h"}, "metrics": []})"
      "\n";
  size_t count = 0;
  while (text.size() < kParallelLinesMinBytes + (1 << 20)) {
    text += R"({"id": "s)" + std::to_string(count) + R"(", "input": "question )" +
            std::to_string(count) + R"(", "response": "answer", "metrics": {"acc": )" +
            std::to_string(count % 2) + "}}\n";
    ++count;
  }
  ScratchDir dir;
  Result<EvalRun> run = ReadJsonlTranscript(dir.Write("big.jsonl", text), LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_EQ(run->samples.size(), count);
  for (size_t i = 0; i < count; ++i) {
    ASSERT_EQ(run->samples[i].id, "s" + std::to_string(i));
    ASSERT_EQ(run->samples[i].metrics.at("acc"), static_cast<double>(i % 2));
  }
  // A repeated id at the end names the line it is on.
  const std::string path =
      dir.Write("big.jsonl", text + R"({"id": "s5", "input": 1, "response": 2})"
                                    "\n");
  Result<EvalRun> repeated = ReadJsonlTranscript(path, LocalFileSystem());
  ASSERT_FALSE(repeated.ok());
  EXPECT_EQ(repeated.status().message(), path + ": line " + std::to_string(count + 2) +
                                             ": sample id 's5' repeats an earlier line");
}

TEST(JsonlTranscript, RefusesMalformedLinesNamingFileAndLine) {
  ScratchDir dir;
  const std::string header =
      R"({"assay_transcript": 1, "benchmark": {"name": "b"}, "harness": {"name": "h"}, "metrics": []})";
  const std::string sample = R"({"id": "a", "input": "x", "response": "y"})";
  const std::pair<std::string, std::string> kCases[] = {
      {"", "empty file: no transcript header"},
      {"[1]", "line 1: header is not an object"},
      {R"({"assay_transcript": 2, "benchmark": {"name": "b"}, "harness": {"name": "h"}, "metrics": []})",
       "line 1: assay_transcript '2' is not 1"},
      {R"({"assay_transcript": 1, "harness": {"name": "h"}, "metrics": []})",
       "line 1: header has no benchmark"},
      {R"({"assay_transcript": 1, "benchmark": {"name": ""}, "harness": {"name": "h"}, "metrics": []})",
       "line 1: benchmark.name is not a non-empty string"},
      {R"({"assay_transcript": 1, "benchmark": {"name": "b"}, "harness": {"name": "h"}, "metrics": [], "extra": 1})",
       "line 1: header has unknown member 'extra'"},
      {R"({"assay_transcript": 1, "benchmark": {"name": "b"}, "harness": {"name": "h"}, "metrics": [{"name": "m", "value": "high"}]})",
       "line 1: metric 'm' value is not a number"},
      {R"({"assay_transcript": 1, "benchmark": {"name": "b"}, "harness": {"name": "h"}, "metrics": [{"name": "m", "value": 1}, {"name": "m", "value": 2}]})",
       "line 1: metric 'm' appears twice"},
      {R"({"assay_transcript": 1, "benchmark": {"name": "b"}, "harness": {"name": "h"}, "metrics": [], "started": "yesterday"})",
       "line 1: header started 'yesterday' is not an RFC 3339 time"},
      {R"({"assay_transcript": 1, "benchmark": {"name": "b"}, "harness": {"name": "h"}, "metrics": [], "started": 1796148000})",
       "line 1: header.started is not a string"},
      {R"({"assay_transcript": 1, "benchmark": {"name": "b"}, "harness": {"name": "h"}, "metrics": [], "config": {"shots": 5}})",
       "line 1: config has unknown member 'shots'"},
      {R"({"assay_transcript": 1, "benchmark": {"name": "b"}, "harness": {"name": "h"}, "metrics": [], "config": {"chat_template_sha256": "ABC"}})",
       "line 1: config.chat_template_sha256 has the wrong type"},
      {header + "\n" + sample + "\n" + sample, "line 3: sample id 'a' repeats an earlier line"},
      {header + "\n{\"id\": \"a\", \"response\": 1}", "line 2: sample has no input"},
      {header + "\n{\"id\": \"a\", \"input\": 1}", "line 2: sample has no response"},
      {header + "\n{\"id\": 7, \"input\": 1, \"response\": 1}",
       "line 2: sample.id is not a non-empty string"},
      {header + "\n{\"id\": \"a\", \"input\": 1, \"response\": 1, \"metrics\": {\"acc\": true}}",
       "line 2: sample metric 'acc' is not a number"},
      {header + "\n{\"id\": \"a\", \"input\": 1, \"response\": 1, \"score\": 1}",
       "line 2: sample has unknown member 'score'"},
      {header + "\n" + sample + "\n\n", "line 3: invalid JSON"},
      {header + "\n{\"id\": \"a\", \"input\": 1, \"response\": ", "line 2: invalid JSON"},
      {R"({"assay_transcript": 1, "benchmark": {"name": "b"}, "harness": {"name": "h"}, "metrics": [], "sample_count": 2})"
       "\n" +
           sample,
       "header says sample_count 2 but 1 samples follow: file truncated or edited?"},
  };
  for (const auto& [text, expected] : kCases) {
    const std::string path = dir.Write("bad.jsonl", text);
    Result<EvalRun> run = ReadJsonlTranscript(path, LocalFileSystem());
    ASSERT_FALSE(run.ok()) << text;
    EXPECT_EQ(run.status().kind(), ErrorKind::kInvalidInput) << text;
    EXPECT_THAT(run.status().message(), StartsWith(path + ": ")) << text;
    EXPECT_THAT(run.status().message(), HasSubstr(expected)) << text;
  }
}

}  // namespace
}  // namespace assay
