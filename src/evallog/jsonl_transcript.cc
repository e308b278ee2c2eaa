#include "evallog/jsonl_transcript.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <utility>

#include "json/canonical_json.h"
#include "evallog/eval_log.h"
#include "evallog/json_lines.h"
#include "json/lenient_json.h"
#include "json/strict_json.h"
#include "utc_time.h"

namespace assay {
namespace {

using nlohmann::json;

Status Invalid(const std::string& problem) { return Status::InvalidInput(problem); }

// A number, or one of the strings that stand for the non-finite ones.
Result<double> NumberOf(const json& value, const std::string& what) {
  if (value.is_number()) return value.get<double>();
  if (value == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (value == "Infinity") return std::numeric_limits<double>::infinity();
  if (value == "-Infinity") return -std::numeric_limits<double>::infinity();
  return Invalid(what + " is not a number");
}

Status CheckMembers(const json& object, std::initializer_list<std::string_view> allowed,
                    const std::string& what) {
  if (!object.is_object()) return Invalid(what + " is not an object");
  for (const auto& [key, unused] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Invalid(what + " has unknown member " + QuoteUntrusted(key));
    }
  }
  return Status::Ok();
}

// object[key] as a string: "" when absent; an error when present and not a
// string, or empty while `required`.
Result<std::string> StringMember(const json& object, const char* key, const std::string& what,
                                 bool required = false) {
  auto found = object.find(key);
  if (found == object.end()) {
    if (required) return Invalid(what + " has no " + key);
    return std::string();
  }
  if (!found->is_string() || (required && found->get_ref<const std::string&>().empty())) {
    return Invalid(what + "." + key + " is not a" + (required ? " non-empty" : "") + " string");
  }
  return found->get<std::string>();
}

Result<std::optional<uint64_t>> CountMember(const json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end()) return std::optional<uint64_t>();
  if (!found->is_number_unsigned()) {
    return Invalid(std::string(key) + " is not a non-negative integer");
  }
  return std::optional<uint64_t>(found->get<uint64_t>());
}

bool IsSha256Hex(const json& value) {
  if (!value.is_string()) return false;
  const std::string& text = value.get_ref<const std::string&>();
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The config keys of EvalRun::config, each with the type it must have.
Status CheckConfig(const json& config) {
  ASSAY_RETURN_IF_ERROR(
      CheckMembers(config,
                   {"num_fewshot", "fewshot_as_multiturn", "generation", "prompt_template_sha256", "chat_template_sha256",
                    "system_instruction_sha256", "dataset", "limit", "seed", "batch_size",
                    "task_hash", "epochs", "task_args"},
                   "config"));
  for (const auto& [key, value] : config.items()) {
    bool ok = true;
    if (key == "num_fewshot" || key == "epochs") ok = value.is_number_unsigned();
    if (key == "generation" || key == "task_args") ok = value.is_object();
    if (key == "fewshot_as_multiturn") ok = value.is_boolean();
    if (key.ends_with("_sha256")) ok = IsSha256Hex(value);
    if (key == "limit") ok = value.is_number() || value.is_array();  // Inspect: N or [start, end]
    if (key == "seed") ok = value.is_number_integer() || value.is_object();
    if (key == "batch_size") ok = value.is_number_unsigned() || value.is_string();
    if (key == "task_hash") ok = value.is_string();
    if (key == "dataset") {
      ASSAY_RETURN_IF_ERROR(CheckMembers(
          value, {"name", "config", "split", "revision", "location", "digest"}, "config.dataset"));
      ok = std::all_of(value.begin(), value.end(),
                       [](const json& item) { return item.is_string(); });
    }
    if (!ok) return Invalid("config." + key + " has the wrong type (docs/spec/eval-logs.md)");
  }
  return Status::Ok();
}

Result<EvalMetric> MetricOf(const json& entry) {
  ASSAY_RETURN_IF_ERROR(CheckMembers(
      entry, {"name", "value", "stderr", "higher_is_better", "aggregation", "per_sample_key"},
      "a metric"));
  EvalMetric metric;
  ASSAY_ASSIGN_OR_RETURN(metric.name, StringMember(entry, "name", "a metric", true));
  const std::string what = "metric " + QuoteUntrusted(metric.name);
  if (!entry.contains("value")) return Invalid(what + " has no value");
  ASSAY_ASSIGN_OR_RETURN(metric.value, NumberOf(entry["value"], what + " value"));
  if (const json& stderr_value = entry.value("stderr", json()); !stderr_value.is_null()) {
    ASSAY_ASSIGN_OR_RETURN(double number, NumberOf(stderr_value, what + " stderr"));
    if (!std::isnan(number)) metric.stderr_value = number;
  }
  if (const json& direction = entry.value("higher_is_better", json()); !direction.is_null()) {
    if (!direction.is_boolean()) {
      return Invalid(what + " higher_is_better is not true, false or null");
    }
    metric.higher_is_better = direction.get<bool>();
  }
  ASSAY_ASSIGN_OR_RETURN(metric.aggregation, StringMember(entry, "aggregation", what));
  ASSAY_ASSIGN_OR_RETURN(metric.per_sample_key, StringMember(entry, "per_sample_key", what));
  if (metric.aggregation == "mean" && metric.per_sample_key.empty()) {
    metric.per_sample_key = metric.name;
  }
  return metric;
}

struct Header {
  EvalRun run;
  std::optional<uint64_t> sample_count;
};

Result<Header> HeaderOf(const json& line) {
  ASSAY_RETURN_IF_ERROR(CheckMembers(line,
                                     {"assay_transcript", "benchmark", "harness", "model", "config",
                                      "metrics", "samples_used", "samples_total", "sample_count", "started"},
                                     "header"));
  const json& version = line.value("assay_transcript", json());
  if (version != kJsonlTranscriptVersion) {
    return Invalid("assay_transcript " + QuoteUntrusted(version.dump()) +
                   " is not 1, the version this reader knows");
  }
  Header header;
  EvalRun& run = header.run;
  run.format = "jsonl";
  if (!line.contains("benchmark")) return Invalid("header has no benchmark");
  if (!line.contains("harness")) return Invalid("header has no harness");
  const json& benchmark = line["benchmark"];
  ASSAY_RETURN_IF_ERROR(CheckMembers(benchmark, {"name", "version"}, "benchmark"));
  ASSAY_ASSIGN_OR_RETURN(run.benchmark, StringMember(benchmark, "name", "benchmark", true));
  ASSAY_ASSIGN_OR_RETURN(run.benchmark_version, StringMember(benchmark, "version", "benchmark"));
  const json& harness = line["harness"];
  ASSAY_RETURN_IF_ERROR(CheckMembers(harness, {"name", "version", "commit"}, "harness"));
  ASSAY_ASSIGN_OR_RETURN(run.harness, StringMember(harness, "name", "harness", true));
  ASSAY_ASSIGN_OR_RETURN(run.harness_version, StringMember(harness, "version", "harness"));
  ASSAY_ASSIGN_OR_RETURN(run.harness_commit, StringMember(harness, "commit", "harness"));
  if (line.contains("model")) {
    const json& model = line["model"];
    ASSAY_RETURN_IF_ERROR(CheckMembers(model, {"name", "revision", "source"}, "model"));
    ASSAY_ASSIGN_OR_RETURN(run.model_name, StringMember(model, "name", "model"));
    ASSAY_ASSIGN_OR_RETURN(run.model_revision, StringMember(model, "revision", "model"));
    ASSAY_ASSIGN_OR_RETURN(run.model_source, StringMember(model, "source", "model"));
  }
  if (line.contains("config")) {
    ASSAY_RETURN_IF_ERROR(CheckConfig(line["config"]));
    run.config = line["config"];
  }
  const json& metrics = line.value("metrics", json());
  if (!metrics.is_array()) return Invalid("header metrics is not a list");
  std::set<std::string> names;
  for (const json& entry : metrics) {
    ASSAY_ASSIGN_OR_RETURN(EvalMetric metric, MetricOf(entry));
    if (!names.insert(metric.name).second) {
      return Invalid("metric " + QuoteUntrusted(metric.name) + " appears twice");
    }
    run.metrics.push_back(std::move(metric));
  }
  ASSAY_ASSIGN_OR_RETURN(run.samples_used, CountMember(line, "samples_used"));
  ASSAY_ASSIGN_OR_RETURN(run.samples_total, CountMember(line, "samples_total"));
  ASSAY_ASSIGN_OR_RETURN(header.sample_count, CountMember(line, "sample_count"));
  ASSAY_ASSIGN_OR_RETURN(const std::string started, StringMember(line, "started", "header"));
  if (!started.empty()) {
    run.started = ParseIsoTime(started);
    if (!run.started) return Invalid("header started " + QuoteUntrusted(started) + " is not an RFC 3339 time");
  }
  return header;
}

Result<EvalSample> SampleOf(json line) {
  ASSAY_RETURN_IF_ERROR(
      CheckMembers(line, {"id", "input", "target", "response", "metrics", "extra"}, "sample"));
  EvalSample sample;
  ASSAY_ASSIGN_OR_RETURN(sample.id, StringMember(line, "id", "sample", true));
  if (!line.contains("input")) return Invalid("sample has no input");
  if (!line.contains("response")) return Invalid("sample has no response");
  json metrics = line.value("metrics", json::object());
  if (!metrics.is_object()) return Invalid("sample metrics is not an object");
  for (const auto& [key, value] : metrics.items()) {
    ASSAY_ASSIGN_OR_RETURN(double number, NumberOf(value, "sample metric " + QuoteUntrusted(key)));
    sample.metrics[key] = number;
    metrics[key] = number;
  }
  if (line.contains("extra") && !line["extra"].is_object()) {
    return Invalid("sample extra is not an object");
  }
  json target = line.value("target", json());
  sample.input_digest = CanonicalJsonSha256({{"input", line["input"]}, {"target", target}});
  sample.output_digest = CanonicalJsonSha256(line["response"]);
  sample.record = {{"id", sample.id},
                   {"input", std::move(line["input"])},
                   {"target", std::move(target)},
                   {"response", std::move(line["response"])},
                   {"metrics", std::move(metrics)}};
  if (line.contains("extra")) sample.record["extra"] = std::move(line["extra"]);
  return sample;
}

}  // namespace

bool IsJsonlTranscriptHeader(const json& first_line) {
  return first_line.is_object() && first_line.contains("assay_transcript");
}

Result<EvalRun> ReadJsonlTranscript(const std::string& path, FileSystem& fs) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(path));
  if (file->size() > kMaxEvalLogBytes) {
    return Status::InvalidInput(path + ": " + std::to_string(file->size()) +
                                " bytes exceed the limit of " + std::to_string(kMaxEvalLogBytes));
  }
  // Line 1 is the header, every other line a sample; each is read on its own
  // (on any thread), then taken in file order.
  struct Line {
    std::optional<Header> header;
    EvalSample sample;
  };
  auto parse = [](uint64_t number, std::string_view text) -> Result<Line> {
    ASSAY_ASSIGN_OR_RETURN(json parsed, ParseLenientJson(text));
    Line line;
    if (number == 1) {
      ASSAY_ASSIGN_OR_RETURN(line.header, HeaderOf(parsed));
    } else {
      ASSAY_ASSIGN_OR_RETURN(line.sample, SampleOf(std::move(parsed)));
    }
    return line;
  };
  std::optional<Header> header;
  std::set<std::string> ids;
  auto accept = [&](uint64_t, Line line) -> Status {
    if (line.header) {
      header = std::move(line.header);
      return Status::Ok();
    }
    if (!ids.insert(line.sample.id).second) {
      return Invalid("sample id " + QuoteUntrusted(line.sample.id) + " repeats an earlier line");
    }
    header->run.samples.push_back(std::move(line.sample));
    return Status::Ok();
  };
  Status status = ForEachParsedLine<Line>(*file, kMaxEvalLogLineBytes, parse, accept);
  ASSAY_RETURN_IF_ERROR(status);
  if (!header) return Status::InvalidInput(path + ": empty file: no transcript header");
  EvalRun& run = header->run;
  if (header->sample_count && *header->sample_count != run.samples.size()) {
    return Status::InvalidInput(
        path + ": header says sample_count " + std::to_string(*header->sample_count) + " but " +
        std::to_string(run.samples.size()) + " samples follow: file truncated or edited?");
  }
  return std::move(run);
}

std::string FormatJsonlTranscript(const EvalRun& run) {
  auto non_empty = [](json& object, const char* key, const std::string& value) {
    if (!value.empty()) object[key] = value;
  };
  json header = {{"assay_transcript", kJsonlTranscriptVersion}};
  json benchmark = {{"name", run.benchmark}};
  non_empty(benchmark, "version", run.benchmark_version);
  json harness = {{"name", run.harness}};
  non_empty(harness, "version", run.harness_version);
  non_empty(harness, "commit", run.harness_commit);
  json model = json::object();
  non_empty(model, "name", run.model_name);
  non_empty(model, "revision", run.model_revision);
  non_empty(model, "source", run.model_source);
  header["benchmark"] = std::move(benchmark);
  header["harness"] = std::move(harness);
  if (!model.empty()) header["model"] = std::move(model);
  if (run.config.is_object() && !run.config.empty()) header["config"] = run.config;
  json metrics = json::array();
  for (const EvalMetric& metric : run.metrics) {
    json entry = {{"name", metric.name}, {"value", metric.value}};
    if (metric.stderr_value) entry["stderr"] = *metric.stderr_value;
    if (metric.higher_is_better) entry["higher_is_better"] = *metric.higher_is_better;
    non_empty(entry, "aggregation", metric.aggregation);
    if (metric.per_sample_key != (metric.aggregation == "mean" ? metric.name : "")) {
      entry["per_sample_key"] = metric.per_sample_key;  // not the default the reader assumes
    }
    metrics.push_back(std::move(entry));
  }
  header["metrics"] = std::move(metrics);
  if (run.samples_used) header["samples_used"] = *run.samples_used;
  if (run.samples_total) header["samples_total"] = *run.samples_total;
  header["sample_count"] = run.samples.size();
  if (run.started) header["started"] = FormatUtcTime(*run.started);

  std::string out = CanonicalJson(header) + "\n";
  for (const EvalSample& sample : run.samples) {
    json extra = sample.record.is_object() ? sample.record : json::object();
    const char* input_key = extra.contains("input") ? "input" : "prompt";
    json line = {{"id", sample.id},
                 {"input", extra.value(input_key, json())},
                 {"target", extra.value("target", json())},
                 {"response", extra.value("response", json())},
                 {"metrics", json::object()}};
    for (const auto& [key, value] : sample.metrics) line["metrics"][key] = value;
    // The record's own metrics that are not numbers (lm-eval's f1 pairs) stay, under extra.
    json other_metrics = extra.value("metrics", json::object());
    if (!other_metrics.is_object()) other_metrics = json::object();
    for (const auto& [key, unused] : sample.metrics) other_metrics.erase(key);
    json nested = extra.value("extra", json::object());  // a transcript's own extra
    for (const char* used : {"id", input_key, "target", "response", "metrics", "extra"}) {
      extra.erase(used);
    }
    if (nested.is_object()) extra.update(nested);
    if (!other_metrics.empty()) extra["metrics"] = std::move(other_metrics);
    if (!extra.empty()) line["extra"] = std::move(extra);
    out += CanonicalJson(line) + "\n";
  }
  return out;
}

}  // namespace assay
