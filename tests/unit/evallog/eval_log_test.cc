#include "evallog/eval_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "file_system.h"
#include "memory_file_system.h"
#include "test_support.h"

namespace assay {
namespace {

using ::assay::testing::ReadFileOrDie;
using ::assay::testing::RealDataDir;
using ::assay::testing::ScratchDir;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Real(const std::string& name) { return RealDataDir() + "/eval/" + name; }
const char kPolymerResults[] = "lm-evaluation-harness__results_2025-06-30T19-40-09.461247.json";
const char kPolymerSamples[] =
    "lm-evaluation-harness__samples_polymer_tg_prediction_2025-06-30T19-40-09.461247.jsonl";
const char kNegotiationResults[] = "lm-evaluation-harness__results_2026-07-08T16-04-34.219874.json";
const char kNegotiationSamples[] =
    "lm-evaluation-harness__samples_negotiationtom_belief_2026-07-08T16-04-34.219874.jsonl";
const char kInspectZip[] = "inspect_ai__mmlu-summary-choices.eval";
const char kInspectJson[] =
    "inspect_ai__2024-11-05T13-31-45-05-00_input-task_8zXjbRzCWrL9GXiXo2vus9.json";

constexpr char kTranscript[] =
    R"({"assay_transcript": 1, "benchmark": {"name": "arith"}, "harness": {"name": "h"}, "metrics": [{"name": "acc", "value": 0.5, "aggregation": "mean"}], "sample_count": 2})"
    "\n"
    R"({"id": "a", "input": "1+1", "target": "2", "response": "2", "metrics": {"acc": 1}})"
    "\n"
    R"({"id": "b", "input": "2+2", "target": "4", "response": "5", "metrics": {"acc": 0}})"
    "\n";

Result<EvalRun> Read(const std::vector<std::string>& paths, const std::string& task = "") {
  return ReadEvalLog(paths, EvalLogOptions{task}, LocalFileSystem());
}

TEST(EvalLogRealData, RecognisesEachFormatByContent) {
  ASSAY_REQUIRE_REALDATA();
  Result<EvalRun> lm_eval = Read({Real(kPolymerSamples), Real(kPolymerResults)});  // any order
  ASSERT_TRUE(lm_eval.ok()) << lm_eval.status().message();
  EXPECT_EQ(lm_eval->format, "lm-eval");
  EXPECT_EQ(lm_eval->samples.size(), 24u);
  EXPECT_TRUE(lm_eval->hash_check.ok());

  Result<EvalRun> zip = Read({Real(kInspectZip)});
  ASSERT_TRUE(zip.ok()) << zip.status().message();
  EXPECT_EQ(zip->format, "inspect");
  EXPECT_EQ(zip->samples.size(), 1u);

  Result<EvalRun> json_log = Read({Real(kInspectJson)}, "input_task");
  ASSERT_TRUE(json_log.ok()) << json_log.status().message();
  EXPECT_EQ(json_log->format, "inspect");

  Result<EvalRun> belief = Read({Real(kNegotiationResults), Real(kNegotiationSamples)});
  ASSERT_TRUE(belief.ok()) << belief.status().message();
  EXPECT_EQ(belief->benchmark, "negotiationtom_belief");
  EXPECT_TRUE(belief->hash_check.ok());
}

TEST(EvalLog, FileNamesDoNotDecideTheFormat) {
  ScratchDir dir;
  Result<EvalRun> transcript = Read({dir.Write("results_2024.json", kTranscript)});
  ASSERT_TRUE(transcript.ok()) << transcript.status().message();
  EXPECT_EQ(transcript->format, "jsonl");
  EXPECT_EQ(transcript->samples.size(), 2u);

  // A one-line (minified) results file is a document, not a JSON Lines file.
  Result<EvalRun> results = Read({dir.Write(
      "run.jsonl",
      R"({"results": {"t": {"acc,none": 0.5}}, "versions": {"t": 0}, "n-shot": {"t": 0}})")});
  ASSERT_TRUE(results.ok()) << results.status().message();
  EXPECT_EQ(results->format, "lm-eval");
  EXPECT_EQ(results->benchmark, "t");
}

TEST(EvalLog, RefusesWhatItCannotReadAsOneRun) {
  ScratchDir dir;
  const std::string transcript = dir.Write("t.jsonl", kTranscript);
  const std::string samples = dir.Write(
      "samples_t_2024-01-01T00-00-00.jsonl",
      R"({"doc_id": 0, "doc": {}, "target": "a", "arguments": {"gen_args_0": {"arg_0": "p"}}})");
  const std::string unknown =
      dir.Write("config.json", R"({"architectures": ["LlamaForCausalLM"]})");
  const std::string binary = dir.Write("weights.bin", std::string("\x01\x02\x03\x04\x05", 5));
  // What a clone without its LFS content holds in place of a samples file.
  const std::string pointer_text =
      "version https://git-lfs.github.com/spec/v1\n"
      "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
      "size 12345\n";
  const std::string pointer = dir.Write("samples_mmlu_2024-01-01T00-00-00.jsonl", pointer_text);
  const std::string results_pointer = dir.Write("results_2024-01-01T00-00-00.json", pointer_text);

  Result<EvalRun> none = Read({});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(), "no eval log files given");

  const std::pair<std::vector<std::string>, std::string> kCases[] = {
      {{transcript, transcript}, transcript + ": give one log per run"},
      {{samples}, samples + ": an lm-eval samples file needs its results_*.json given with it"},
      {{unknown}, unknown + ": not an eval log assay reads: neither"},
      {{binary}, binary + ": not an eval log assay reads (docs/spec/eval-logs.md): invalid JSON"},
      {{pointer}, pointer + ": the per-sample log is a Git LFS pointer: its content was not downloaded"},
      {{results_pointer}, results_pointer + ": a Git LFS pointer, not the eval log: its content was not downloaded"},
  };
  for (const auto& [paths, expected] : kCases) {
    Result<EvalRun> run = Read(paths);
    ASSERT_FALSE(run.ok()) << expected;
    EXPECT_EQ(run.status().kind(), ErrorKind::kInvalidInput);
    EXPECT_THAT(run.status().message(), StartsWith(expected));
  }

  Result<EvalRun> wrong_task = Read({transcript}, "mmlu");
  ASSERT_FALSE(wrong_task.ok());
  EXPECT_EQ(wrong_task.status().message(), transcript + ": holds task 'arith', not 'mmlu'");

  Result<EvalRun> missing = Read({dir.path().string() + "/absent.json"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().kind(), ErrorKind::kIo);
}

TEST(EvalLogRealData, ReadFailuresAreIoErrorsNamingTheFile) {
  ASSAY_REQUIRE_REALDATA();
  const std::pair<std::vector<std::string>, std::string> kCases[] = {
      {{Real(kInspectZip)}, Real(kInspectZip)},
      {{Real(kInspectJson)}, Real(kInspectJson)},
      {{Real(kPolymerResults), Real(kPolymerSamples)}, Real(kPolymerSamples)},
      {{Real(kPolymerResults), Real(kPolymerSamples)}, Real(kPolymerResults)},
  };
  for (const auto& [paths, failing] : kCases) {
    for (uint64_t readable : {uint64_t{0}, uint64_t{3000}}) {
      // The real disk, except that reads of `failing` past its first
      // `readable` bytes fail, as a failing disk would.
      testing::MemoryFileSystem fs;
      fs.PassThrough(RealDataDir());
      fs.FailReadsPast(failing, readable);
      Result<EvalRun> run = ReadEvalLog(paths, {}, fs);
      ASSERT_FALSE(run.ok()) << failing << " " << readable;
      EXPECT_EQ(run.status().kind(), ErrorKind::kIo) << run.status().message();
      EXPECT_THAT(run.status().message(), HasSubstr(failing));
    }
  }
}

// Every reader, fed each real file cut short and with bytes flipped: the
// result is either a run or kInvalidInput naming one of the files, never a
// crash, a hang or another kind of error.
void ExpectOkOrInvalidInput(const std::vector<std::string>& paths, const std::string& what) {
  Result<EvalRun> run = Read(paths);
  if (run.ok()) return;
  EXPECT_EQ(run.status().kind(), ErrorKind::kInvalidInput)
      << what << ": " << run.status().message();
  bool names_a_file = false;
  for (const std::string& path : paths) {
    names_a_file |= run.status().message().starts_with(path + ": ");
  }
  EXPECT_TRUE(names_a_file) << what << ": " << run.status().message();
  EXPECT_EQ(run.status().message().find('\n'), std::string::npos)
      << what << ": " << run.status().message();
}

struct HostileCase {
  std::string damaged;                // the real file to damage
  std::vector<std::string> partners;  // read with it, unchanged
};

TEST(EvalLogRealData, TruncatedAndFlippedFilesNeverCrashAnyReader) {
  ASSAY_REQUIRE_REALDATA();
  ScratchDir dir;
  const std::string transcript = dir.Write("transcript.jsonl", kTranscript);
  const HostileCase kCases[] = {
      {Real(kPolymerResults), {Real(kPolymerSamples)}},
      {Real(kPolymerSamples), {Real(kPolymerResults)}},
      {Real(kNegotiationResults), {}},
      {Real(kNegotiationSamples), {Real(kNegotiationResults)}},
      {Real(kInspectZip), {}},
      {Real(kInspectJson), {}},
      {transcript, {}},
  };
  std::mt19937 random(5);
  for (const HostileCase& hostile : kCases) {
    const std::string original = ReadFileOrDie(hostile.damaged);
    // Keep the name (it pairs lm-eval files); put it in a folder of its own.
    std::string name = hostile.damaged.substr(hostile.damaged.rfind('/') + 1);
    auto check = [&](const std::string& bytes, const std::string& what) {
      const std::string damaged = dir.Write("damaged/" + name, bytes);
      std::vector<std::string> paths = hostile.partners;
      paths.push_back(damaged);
      ExpectOkOrInvalidInput(paths, name + " " + what);
    };
    const size_t step = std::max<size_t>(1, original.size() / 60);
    for (size_t length = 0; length < original.size(); length += step) {
      check(original.substr(0, length), "cut to " + std::to_string(length));
    }
    for (int flip = 0; flip < 150; ++flip) {
      std::string bytes = original;
      const size_t at = random() % bytes.size();
      bytes[at] = static_cast<char>(bytes[at] ^ (1 << (random() % 8)));
      check(bytes, "bit flipped at " + std::to_string(at));
    }
  }
}

}  // namespace
}  // namespace assay
