#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "evallog/inspect_log.h"
#include "evallog/zip_archive.h"
#include "file_system.h"
#include "find_metric.h"
#include "json/lenient_json.h"
#include "test_support.h"

namespace assay {
namespace {

using ::assay::testing::AppendU32LE;
using ::assay::testing::ReadFileOrDie;
using ::assay::testing::RealDataDir;
using ::assay::testing::RunShell;
using ::assay::testing::ScratchDir;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string RealEvalZip() { return RealDataDir() + "/eval/inspect_ai__mmlu-summary-choices.eval"; }
std::string RealJsonLog() {
  return RealDataDir() +
         "/eval/inspect_ai__2024-11-05T13-31-45-05-00_input-task_8zXjbRzCWrL9GXiXo2vus9.json";
}

using evallog_testing::FindMetric;

// --- A zip writer for fixtures (PKWARE APPNOTE 6.3.10, sections 4.3.7, 4.3.12, 4.3.16).

void AppendU16LE(std::string& out, uint16_t value) {
  out.push_back(static_cast<char>(value & 0xff));
  out.push_back(static_cast<char>(value >> 8));
}

uint32_t Crc32(std::string_view bytes) {
  uint32_t crc = 0xffffffff;
  for (char c : bytes) {
    crc ^= static_cast<unsigned char>(c);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xedb88320 & (0 - (crc & 1)));
  }
  return ~crc;
}

struct ZipMember {
  ZipMember(std::string name_in, std::string content_in, uint16_t method_in = 0)
      : name(std::move(name_in)), content(std::move(content_in)), method(method_in) {}
  std::string name;
  std::string content;     // uncompressed
  uint16_t method = 0;     // 0 stored, 93 zstd
  std::string compressed;  // the member's data as stored, when method is not 0
};

std::string MakeZip(const std::vector<ZipMember>& members) {
  std::string out;
  std::string directory;
  for (const ZipMember& member : members) {
    const std::string& data = member.method == 0 ? member.content : member.compressed;
    const uint32_t offset = static_cast<uint32_t>(out.size());
    auto common = [&](std::string& header) {
      AppendU16LE(header, member.method == 93 ? 63 : 20);  // version needed
      AppendU16LE(header, 0x0800);                         // UTF-8 names
      AppendU16LE(header, member.method);
      AppendU16LE(header, 0);       // time
      AppendU16LE(header, 0x5821);  // date: 2024-01-01
      AppendU32LE(header, Crc32(member.content));
      AppendU32LE(header, static_cast<uint32_t>(data.size()));
      AppendU32LE(header, static_cast<uint32_t>(member.content.size()));
      AppendU16LE(header, static_cast<uint16_t>(member.name.size()));
      AppendU16LE(header, 0);  // extra field length
    };
    AppendU32LE(out, 0x04034b50);
    common(out);
    out += member.name + data;
    AppendU32LE(directory, 0x02014b50);
    AppendU16LE(directory, 0x031e);  // made by: Unix, 3.0
    common(directory);
    AppendU16LE(directory, 0);  // comment length
    AppendU16LE(directory, 0);  // disk
    AppendU16LE(directory, 0);  // internal attributes
    AppendU32LE(directory, 0100644u << 16);
    AppendU32LE(directory, offset);
    directory += member.name;
  }
  const uint32_t directory_offset = static_cast<uint32_t>(out.size());
  out += directory;
  AppendU32LE(out, 0x06054b50);
  AppendU16LE(out, 0);
  AppendU16LE(out, 0);
  AppendU16LE(out, static_cast<uint16_t>(members.size()));
  AppendU16LE(out, static_cast<uint16_t>(members.size()));
  AppendU32LE(out, static_cast<uint32_t>(directory.size()));
  AppendU32LE(out, directory_offset);
  AppendU16LE(out, 0);
  return out;
}

// `content` compressed by Debian's zstd tool, as one zstd frame.
std::string Zstd(const ScratchDir& dir, const std::string& content) {
  const std::string input = dir.Write("zstd-input", content);
  const std::string output = (dir.path() / "zstd-output").string();
  std::string log;
  EXPECT_EQ(RunShell("zstd -q -f -19 -o " + output + " " + input, &log), 0) << log;
  return ReadFileOrDie(output);
}

json Header(const std::string& status = "success") {
  Result<json> header = ParseLenientJson(R"({
    "version": 2, "status": ")" + status +
                                         R"(",
    "eval": {"task": "demo/qa", "task_version": "2", "model": "hf/org/model-7b",
             "model_args": {"revision": "0123abc"}, "model_generate_config": {"max_tokens": 64},
             "task_args": {"subset": "hard"},
             "dataset": {"name": "org/qa", "samples": 50, "sample_ids": ["a", 7]},
             "config": {"epochs": 2, "epochs_reducer": ["mean"], "limit": 2},
             "packages": {"inspect_ai": "0.3.210"}, "revision": {"type": "git", "commit": "f00d"}},
    "plan": {"name": "plan", "steps": [{"solver": "generate", "params": {}}], "config": {"temperature": 0.5, "seed": 42}},
    "results": {"total_samples": 2, "completed_samples": 2, "scores": [
      {"name": "match", "scorer": "match", "metrics": {
         "accuracy": {"name": "accuracy", "value": 0.625}, "stderr": {"name": "stderr", "value": 0.125}}},
      {"name": "x", "scorer": "multi", "reducer": "max", "metrics": {"mean": {"name": "mean", "value": 1.0}}},
      {"name": "judge", "scorer": "judge", "metrics": {"std": {"name": "std", "value": 0.5}, "stderr": {"name": "stderr", "value": NaN}}}
    ]}})");
  EXPECT_TRUE(header.ok()) << header.status().message();
  return header.ok() ? *header : json();
}

std::string Sample(const std::string& id_json, int epoch, const std::string& match_value) {
  return R"({"id": )" + id_json + R"(, "epoch": )" + std::to_string(epoch) + R"(,
    "input": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "attachment://q1"}],
    "target": ["Paris", "paris"], "choices": null,
    "output": {"model": "org/model-7b", "choices": [], "completion": "attachment://a1"},
    "scores": {"match": {"value": )" +
         match_value + R"(}, "multi": {"value": {"x": true, "y": "yes", "z": [1]}},
               "judge": {"value": NaN}},
    "attachments": {"q1": "What is the capital of France?", "a1": "Paris."}})";
}

TEST(InspectRealData, EvalZipWithAttachmentsSummariesAndReductions) {
  ASSAY_REQUIRE_REALDATA();
  Result<EvalRun> run = ReadInspectEvalZip(RealEvalZip(), LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->format, "inspect");
  EXPECT_EQ(run->benchmark, "inspect_evals/mmlu_0_shot");
  EXPECT_EQ(run->benchmark_version, "0");
  EXPECT_EQ(run->harness, "inspect_ai");
  EXPECT_EQ(run->harness_version, "0.3.154.dev44+g32a84c8fe.d20251213");
  EXPECT_EQ(run->harness_commit, "de1d065be");
  EXPECT_EQ(run->model_source, "openai");
  EXPECT_EQ(run->model_name, "gpt-4o");
  EXPECT_EQ(run->samples_total, std::optional<uint64_t>(14042));
  EXPECT_EQ(run->samples_used, std::optional<uint64_t>(1));
  EXPECT_TRUE(run->partial());
  EXPECT_EQ(run->config["limit"], 1);
  EXPECT_EQ(run->config["epochs"], 1);
  EXPECT_EQ(run->config["generation"]["temperature"], 0.0);
  EXPECT_EQ(run->config["dataset"]["name"], "cais/mmlu");
  EXPECT_EQ(run->config["task_args"]["language"], "EN_US");

  ASSERT_EQ(run->metrics.size(), 1u);
  EXPECT_EQ(run->metrics[0].name, "choice/accuracy");
  EXPECT_EQ(run->metrics[0].value, 0.0);
  EXPECT_EQ(run->metrics[0].stderr_value, std::optional<double>(0.0));
  EXPECT_EQ(run->metrics[0].aggregation, "mean");
  EXPECT_EQ(run->metrics[0].per_sample_key, "choice");

  ASSERT_EQ(run->samples.size(), 1u);
  const EvalSample& sample = run->samples[0];
  EXPECT_EQ(sample.id, "1/1");
  EXPECT_EQ(sample.metrics.at("choice"), 0.0);  // "I"
  EXPECT_THAT(sample.record["input"].get<std::string>(), StartsWith("Positronium is an atom"));
  EXPECT_EQ(sample.record["target"], "A");
  EXPECT_EQ(sample.record["choices"].size(), 4u);
  EXPECT_EQ(sample.record["response"], "ANSWER: C");
  EXPECT_EQ(sample.record["scores"]["choice"], "I");
  EXPECT_EQ(sample.record["model"], "gpt-4o-2024-08-06");
  EXPECT_FALSE(run->hash_check.present);  // Inspect logs carry no content hash
}

TEST(InspectRealData, JsonLogWithModelGradedScorer) {
  ASSAY_REQUIRE_REALDATA();
  Result<json> log = ParseLenientJson(ReadFileOrDie(RealJsonLog()));
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_TRUE(IsInspectJsonLog(*log));
  Result<EvalRun> run = InspectRunFromJsonLog(*log, RealJsonLog());
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->benchmark, "input_task");
  EXPECT_EQ(run->harness_version, "0.3.43.dev33+g6c96d92d");
  EXPECT_EQ(run->model_name, "gpt-4o-mini");
  const EvalMetric* accuracy = FindMetric(*run, "model_graded_fact/accuracy");
  ASSERT_NE(accuracy, nullptr);
  EXPECT_EQ(accuracy->value, 1.0);
  EXPECT_EQ(accuracy->per_sample_key, "model_graded_fact");
  ASSERT_EQ(run->samples.size(), 1u);
  EXPECT_EQ(run->samples[0].metrics.at("model_graded_fact"), 1.0);  // "C"
  // No "completion" in logs this old: the response is the first choice's text.
  EXPECT_THAT(run->samples[0].record["response"].get<std::string>(), StartsWith("Yo, in February"));
  EXPECT_EQ(run->config["generation"]["max_connections"], 4);
}

TEST(InspectEvalZip, ZstdMembersAsInspectWritesThemSince0_3_206) {
  ScratchDir dir;
  std::vector<ZipMember> members = {
      {"header.json", Header().dump(), 93},
      {"samples/a_epoch_1.json", Sample("\"a\"", 1, "\"C\""), 93},
      {"samples/a_epoch_2.json", Sample("\"a\"", 2, "\"P\""), 93},
      {"samples/7_epoch_1.json", Sample("7", 1, "0.25"), 93},
      {"reductions.json", R"([{"scorer": "match", "reducer": "mean", "samples": []}])", 93},
  };
  for (ZipMember& member : members) member.compressed = Zstd(dir, member.content);
  const std::string zip = MakeZip(members);
  ASSERT_EQ(static_cast<uint8_t>(zip[8]), 93);  // the first member's method really is zstd
  const std::string path = dir.Write("run.eval", zip);

  Result<EvalRun> run = ReadInspectEvalZip(path, LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->benchmark, "demo/qa");
  EXPECT_EQ(run->benchmark_version, "2");
  EXPECT_EQ(run->model_source, "hf");
  EXPECT_EQ(run->model_name, "org/model-7b");
  EXPECT_EQ(run->model_revision, "0123abc");
  EXPECT_EQ(run->harness_commit, "f00d");
  EXPECT_EQ(run->samples_used, std::optional<uint64_t>(2));
  EXPECT_EQ(run->samples_total, std::optional<uint64_t>(50));
  EXPECT_EQ(run->config["generation"],
            json({{"temperature", 0.5}, {"seed", 42}, {"max_tokens", 64}}));
  EXPECT_EQ(run->config["seed"], 42);
  EXPECT_EQ(run->config["epochs"], 2);
  EXPECT_TRUE(run->config.contains("prompt_template_sha256"));

  const EvalMetric* accuracy = FindMetric(*run, "match/accuracy");
  ASSERT_NE(accuracy, nullptr);
  EXPECT_EQ(accuracy->stderr_value, std::optional<double>(0.125));
  // Two epochs: each sample's are reduced (here by "mean") before the accuracy.
  EXPECT_EQ(accuracy->aggregation, "accuracy of epoch mean");
  EXPECT_EQ(accuracy->per_sample_key, "match");
  const EvalMetric* x_mean = FindMetric(*run, "x/mean");
  ASSERT_NE(x_mean, nullptr);
  EXPECT_EQ(x_mean->aggregation, "mean of epoch max");  // two epochs reduced by "max"
  EXPECT_EQ(x_mean->per_sample_key, "multi/x");
  const EvalMetric* judge_std = FindMetric(*run, "judge/std");
  ASSERT_NE(judge_std, nullptr);
  EXPECT_EQ(judge_std->aggregation, "std");
  EXPECT_EQ(FindMetric(*run, "judge/stderr"), nullptr);  // NaN: no value to report

  ASSERT_EQ(run->samples.size(), 3u);
  EXPECT_EQ(run->samples[0].id, "a/1");
  EXPECT_EQ(run->samples[1].id, "a/2");
  EXPECT_EQ(run->samples[2].id, "7/1");
  EXPECT_EQ(run->samples[0].metrics.at("match"), 1.0);
  EXPECT_EQ(run->samples[1].metrics.at("match"), 0.5);
  EXPECT_EQ(run->samples[2].metrics.at("match"), 0.25);
  EXPECT_EQ(run->samples[0].metrics.at("multi/x"), 1.0);
  EXPECT_EQ(run->samples[0].metrics.at("multi/y"), 1.0);
  EXPECT_FALSE(run->samples[0].metrics.contains("multi/z"));  // a list is not a score
  EXPECT_FALSE(run->samples[0].metrics.contains("judge"));    // NaN: unscored
  EXPECT_EQ(run->samples[0].record["input"][1]["content"], "What is the capital of France?");
  EXPECT_EQ(run->samples[0].record["response"], "Paris.");
  // Same inputs in both epochs, different scores: same input digest, same output digest.
  EXPECT_EQ(run->samples[0].input_digest, run->samples[1].input_digest);
  EXPECT_EQ(run->samples[0].output_digest, run->samples[1].output_digest);
}

TEST(InspectEvalZip, WithoutSampleMembersTheSummariesGiveTheSamples) {
  ScratchDir dir;
  const std::string path = dir.Write(
      "run.eval", MakeZip({{"header.json", Header().dump()},
                           {"summaries.json", R"([{"id": 1, "epoch": 1, "input": "q", "target": "t",
                              "scores": {"match": {"value": "C"}}}])"}}));
  Result<EvalRun> run = ReadInspectEvalZip(path, LocalFileSystem());
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_EQ(run->samples.size(), 1u);
  EXPECT_EQ(run->samples[0].id, "1/1");
  EXPECT_TRUE(run->samples[0].record["response"].is_null());
  EXPECT_EQ(run->samples[0].metrics.at("match"), 1.0);
}

TEST(InspectEvalZip, RefusesWhatItCannotTrust) {
  ScratchDir dir;
  const std::string header = Header().dump();
  const std::pair<std::string, std::string> kCases[] = {
      {MakeZip({{"header.json", header}, {"../header.json", "{}"}}),
       "zip member name '../header.json' is not a safe relative path"},
      {MakeZip({{"/etc/x.json", "{}"}}), "is not a safe relative path"},
      {MakeZip({{"header.json", header}, {"header.json", header}}),
       "zip member 'header.json' appears twice"},
      {MakeZip({{"reductions.json", "[]"}}), "the zip has no header.json"},
      {MakeZip({{"header.json", Header("error").dump()}}), "log status is 'error', not 'success'"},
      // Cancelled part way: some samples are scored, and still the run is not claimable.
      {MakeZip({{"header.json", Header("cancelled").dump()},
                {"samples/a_epoch_1.json", Sample("\"a\"", 1, "\"C\"")}}),
       "log status is 'cancelled', not 'success': the eval did not finish"},
      {MakeZip({{"header.json", "{\"version\": 3}"}}), "Inspect log version '3' is not 1 or 2"},
      {MakeZip({{"header.json", header},
                {"samples/1_epoch_1.json", "{\"id\": 1, \"input\": \"attachment://nope\"}"}}),
       "samples/1_epoch_1.json: sample '1/1': attachment 'attachment://nope' is not in the "
       "sample's attachments"},
      {MakeZip({{"header.json", header}, {"samples/1_epoch_1.json", "{\"id\": 1, \"input\": 5}"}}),
       "input is not a string or a list of messages"},
      {MakeZip({{"header.json", header},
                {"samples/1.json", "{\"id\": 1, \"input\": \"q\"}"},
                {"samples/2.json", "{\"id\": 1, \"input\": \"q\"}"}}),
       "sample '1/1' appears twice"},
      {MakeZip({{"header.json",
                 "{\"version\": 2, \"status\": \"success\", \"eval\": {\"task\": \"t\"}, "
                 "\"results\": {\"scores\": 4}}"}}),
       "results.scores is not a list"},
      {MakeZip({{"header.json", "{\"version\": 2, [}"}}), "header.json: invalid JSON"},
      {"PK\x03\x04 and then nothing a zip needs", "not a readable zip"},
      {std::string("PK\x05\x06", 4) + std::string(18, '\0'), ""},  // an empty zip: no header.json
  };
  for (const auto& [bytes, expected] : kCases) {
    const std::string path = dir.Write("bad.eval", bytes);
    Result<EvalRun> run = ReadInspectEvalZip(path, LocalFileSystem());
    ASSERT_FALSE(run.ok()) << expected;
    EXPECT_EQ(run.status().kind(), ErrorKind::kInvalidInput) << run.status().message();
    EXPECT_THAT(run.status().message(), StartsWith(path + ": "));
    EXPECT_THAT(run.status().message(), HasSubstr(expected));
  }
}

TEST(ZipArchive, LimitsCountsAndSizesAsBytesArrive) {
  ScratchDir dir;
  const std::string path =
      dir.Write("limits.zip",
                MakeZip({{"a", std::string(100, 'a')}, {"b", std::string(100, 'b')}, {"c", "c"}}));
  std::unique_ptr<RandomAccessFile> file = std::move(LocalFileSystem().OpenForRead(path).value());
  auto all = [](std::string_view) { return true; };
  auto ignore = [](const std::string&, std::string) { return Status::Ok(); };
  auto message = [&](ZipLimits limits) {
    Status status = ForEachZipMember(*file, limits, all, ignore);
    return status.ok() ? std::string("ok") : status.message();
  };
  EXPECT_EQ(message({3, 100, 201}), "ok");
  EXPECT_EQ(message({2, 100, 1000}), path + ": more than 2 zip members");
  EXPECT_EQ(message({3, 99, 1000}), path + ": zip member 'a' is larger than 99 bytes");
  EXPECT_EQ(message({3, 100, 150}), path + ": zip members hold more than 150 bytes uncompressed");
  // Members not wanted are neither read nor counted against the byte limits.
  Status skipped = ForEachZipMember(
      *file, {3, 1, 1}, [](std::string_view name) { return name == "c"; }, ignore);
  EXPECT_TRUE(skipped.ok()) << skipped.message();
}

}  // namespace
}  // namespace assay
