#include "evallog/lm_eval_samples.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>

#include "digest/sha256.h"
#include "json/canonical_json.h"
#include "evallog/eval_log.h"
#include "evallog/json_lines.h"
#include "json/lenient_json.h"
#include "json/python_json.h"
#include "json/strict_json.h"

namespace assay {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// The fields lm-eval writes in every row; any other top-level member is a
// per-sample metric in rows of versions that have no "metrics" list.
constexpr std::string_view kRowFields[] = {
    "doc_id", "doc",     "target",   "arguments",   "resps",       "filtered_resps",
    "filter", "metrics", "doc_hash", "prompt_hash", "target_hash",
};

std::string Sha256Hex(std::string_view text) { return ToHex(Sha256::Of(text)); }

Result<std::string> DocIdText(const ordered_json& doc_id) {
  if (doc_id.is_number_unsigned()) return std::to_string(doc_id.get<uint64_t>());
  if (doc_id.is_number_integer()) return std::to_string(doc_id.get<int64_t>());
  if (doc_id.is_string() && !doc_id.get_ref<const std::string&>().empty()) {
    return doc_id.get<std::string>();
  }
  return Status::InvalidInput("doc_id " + QuoteUntrusted(doc_id.dump()) +
                              " is not an integer or a non-empty string");
}

// The first request's prompt: what lm-eval's prompt_hash hashes
// (requests[0].arguments[0]). Rows from 0.4.3 on write the arguments as
// {"gen_args_0": {"arg_0": PROMPT, "arg_1": ...}, ...}; earlier rows as
// [[PROMPT, ...], ...]. Chat API models log the prompt as a one-element list
// holding the chat JSON as a string; the hash is of that string.
Result<std::string> FirstPrompt(const ordered_json& arguments) {
  const ordered_json* prompt = nullptr;
  if (arguments.is_object()) {
    auto request = arguments.find("gen_args_0");
    if (request != arguments.end() && request->is_object()) {
      auto argument = request->find("arg_0");
      if (argument != request->end()) prompt = &*argument;
    }
  } else if (arguments.is_array() && !arguments.empty() && arguments[0].is_array() &&
             !arguments[0].empty()) {
    prompt = &arguments[0][0];
  }
  if (prompt == nullptr) return Status::InvalidInput("arguments hold no first request prompt");
  if (prompt->is_string()) return prompt->get<std::string>();
  if (prompt->is_array() && prompt->size() == 1 && (*prompt)[0].is_string()) {
    return (*prompt)[0].get<std::string>();
  }
  return Status::InvalidInput("the first request's prompt is not a string");
}

// A per-sample metric value as a number, if it is one (bools count: Python
// averages them); lm-eval's f1-style metrics log (gold, prediction) pairs.
std::optional<double> NumericValue(const ordered_json& value) {
  if (value.is_number()) return value.get<double>();
  if (value.is_boolean()) return value.get<bool>() ? 1.0 : 0.0;
  return std::nullopt;
}

std::vector<std::string> MetricNames(const ordered_json& row) {
  std::vector<std::string> names;
  auto listed = row.find("metrics");
  if (listed != row.end() && listed->is_array()) {
    for (const ordered_json& name : *listed) {
      if (name.is_string()) names.push_back(name.get<std::string>());
    }
    return names;
  }
  for (const auto& [key, unused] : row.items()) {
    if (std::find(std::begin(kRowFields), std::end(kRowFields), key) == std::end(kRowFields)) {
      names.push_back(key);
    }
  }
  return names;
}

// One row, read on its own (on any thread): the sample, and what its
// hashes say, for SamplesReader to take in file order.
struct ParsedRow {
  EvalSample sample;
  std::string prepared;  // what the sink's Prepare made of the sample
  std::string doc_id;
  std::string filter = "none";  // rows before 0.4.3 carry no filter name
  std::string hashes;     // recomputed doc_hash + prompt_hash + target_hash, 192 hex digits
  int logged_hashes = 0;  // how many of the three the row carries
  std::vector<std::string> hash_problems;  // one per logged hash that does not match
};

// The row's own doc_hash, prompt_hash and target_hash against what they should be.
void CheckLoggedHashes(const ordered_json& row, const std::string& doc_hash,
                       const std::string& prompt_hash, const std::string& target_hash,
                       ParsedRow& parsed) {
  struct Logged {
    const char* field;
    const std::string& recomputed;
    const char* what;
  };
  const Logged kLogged[] = {{"doc_hash", doc_hash, "the doc"},
                            {"prompt_hash", prompt_hash, "the first request's prompt"},
                            {"target_hash", target_hash, "the target"}};
  for (const Logged& logged : kLogged) {
    auto value = row.find(logged.field);
    if (value == row.end()) continue;
    ++parsed.logged_hashes;
    if (value->is_string() && value->get_ref<const std::string&>() == logged.recomputed) continue;
    parsed.hash_problems.push_back("sample " + parsed.doc_id + "/" + parsed.filter + ": " + logged.field +
                                   " does not match " + logged.what);
  }
}

Result<ParsedRow> ParseRow(std::string_view line, const std::string& task) {
  ASSAY_ASSIGN_OR_RETURN(ordered_json row, ParseLenientOrderedJson(line));
  if (!row.is_object()) return Status::InvalidInput("row is not a JSON object");
  for (const char* field : {"doc_id", "doc", "target", "arguments"}) {
    if (!row.contains(field)) return Status::InvalidInput("row has no " + std::string(field));
  }
  ParsedRow parsed;
  ASSAY_ASSIGN_OR_RETURN(parsed.doc_id, DocIdText(row["doc_id"]));
  if (auto found = row.find("filter"); found != row.end()) {
    if (!found->is_string()) return Status::InvalidInput("filter is not a string");
    parsed.filter = found->get<std::string>();
  }
  const std::string& filter = parsed.filter;
  EvalSample& sample = parsed.sample;
  sample.id = (task.empty() ? "" : task + "/") + parsed.doc_id + "/" + filter;
  ASSAY_ASSIGN_OR_RETURN(std::string prompt, FirstPrompt(row["arguments"]));

  // The three hashes of lm-eval's evaluator (since 0.4.3), from this row.
  const std::string doc_hash = Sha256Hex(PythonJsonDumps(row["doc"]));
  const std::string prompt_hash = Sha256Hex(prompt);
  const std::string target_hash = Sha256Hex(PythonStr(row["target"]));
  CheckLoggedHashes(row, doc_hash, prompt_hash, target_hash, parsed);
  parsed.hashes = doc_hash + prompt_hash + target_hash;

  json metrics = json::object();
  for (const std::string& name : MetricNames(row)) {
    auto value = row.find(name);
    if (value == row.end()) continue;
    const std::string key = name + "," + filter;  // joins EvalMetric::name
    if (std::optional<double> number = NumericValue(*value)) sample.metrics[key] = *number;
    metrics[key] = json(*value);
  }

  json response = row.contains("filtered_resps") ? json(row["filtered_resps"])
                  : row.contains("resps")        ? json(row["resps"])
                                                 : json();
  sample.input_digest = Sha256Hex(parsed.hashes);
  sample.output_digest = CanonicalJsonSha256(response);
  json& record = sample.record;
  record["id"] = sample.id;
  record["doc_id"] = json(row["doc_id"]);
  record["filter"] = filter;
  if (!task.empty()) record["task"] = task;
  record["doc"] = json(row["doc"]);
  record["prompt"] = std::move(prompt);
  record["target"] = json(row["target"]);
  record["response"] = std::move(response);
  record["metrics"] = std::move(metrics);
  for (const char* hash : {"doc_hash", "prompt_hash", "target_hash"}) {
    if (row.contains(hash)) record[hash] = json(row[hash]);
  }
  return parsed;
}

// Takes the rows in file order: the task hash and the problems depend on it.
class SamplesReader {
 public:
  explicit SamplesReader(SampleSink* sink) : sink_(sink) {}

  Status Accept(ParsedRow row) {
    HarnessHashCheck& check = samples_.hash_check;
    check.present |= row.logged_hashes > 0;
    if (row.logged_hashes == 3) ++check.rows_checked;
    for (std::string& problem : row.hash_problems) {
      if (check.problems.size() < kMaxHashProblems) {
        check.problems.push_back(std::move(problem));
      } else {
        ++hidden_problems_;
      }
    }
    task_hash_.Update(row.hashes);
    doc_ids_.push_back(std::move(row.doc_id));
    ids_.push_back(row.sample.id);
    ++samples_.rows;
    if (sink_ != nullptr) return sink_->Take(std::move(row.sample), std::move(row.prepared));
    samples_.samples.push_back(std::move(row.sample));
    return Status::Ok();
  }

  Result<LmEvalSamples> Finish() && {
    ASSAY_RETURN_IF_ERROR(CheckIdsUnique());
    if (hidden_problems_ > 0) {
      samples_.hash_check.problems.push_back("and " + std::to_string(hidden_problems_) +
                                             " more rows whose hashes do not match");
    }
    samples_.task_hash = ToHex(task_hash_.Finish());
    std::sort(doc_ids_.begin(), doc_ids_.end());
    samples_.documents =
        static_cast<uint64_t>(std::unique(doc_ids_.begin(), doc_ids_.end()) - doc_ids_.begin());
    return std::move(samples_);
  }

 private:
  // Repeated ids are looked for once, at the end: sorting views of the ids
  // costs less than hashing every id into a set as rows arrive. Row i is line i + 1.
  Status CheckIdsUnique() const {
    std::vector<std::string_view> sorted(ids_.begin(), ids_.end());
    std::sort(sorted.begin(), sorted.end());
    auto repeated = std::adjacent_find(sorted.begin(), sorted.end());
    if (repeated == sorted.end()) return Status::Ok();
    std::vector<size_t> lines;
    for (size_t i = 0; i < ids_.size() && lines.size() < 2; ++i) {
      if (ids_[i] == *repeated) lines.push_back(i + 1);
    }
    return Status::InvalidInput("sample id " + QuoteUntrusted(*repeated) + " is on lines " +
                                std::to_string(lines[0]) + " and " + std::to_string(lines[1]));
  }

  SampleSink* sink_;
  LmEvalSamples samples_;
  Sha256 task_hash_;
  std::vector<std::string> doc_ids_;  // one per row
  std::vector<std::string> ids_;      // one per row
  uint64_t hidden_problems_ = 0;
};

}  // namespace

Result<LmEvalSamples> ReadLmEvalSamples(const RandomAccessFile& file, const std::string& task, SampleSink* sink) {
  if (file.size() > kMaxEvalLogBytes) {
    return Status::InvalidInput(file.path() + ": " + std::to_string(file.size()) +
                                " bytes exceed the limit of " + std::to_string(kMaxEvalLogBytes));
  }
  SamplesReader reader(sink);
  ASSAY_RETURN_IF_ERROR(ForEachParsedLine<ParsedRow>(
      file, kMaxEvalLogLineBytes,
      [&](uint64_t, std::string_view line) -> Result<ParsedRow> {
        ASSAY_ASSIGN_OR_RETURN(ParsedRow row, ParseRow(line, task));
        if (sink != nullptr) {
          ASSAY_ASSIGN_OR_RETURN(row.prepared, sink->Prepare(row.sample));
          row.sample.record = nullptr;  // the sink has what it needs of the text, if it did not take it
        }
        return row;
      },
      [&reader](uint64_t, ParsedRow row) { return reader.Accept(std::move(row)); }));
  Result<LmEvalSamples> samples = std::move(reader).Finish();
  if (!samples.ok()) return samples.status().WithContext(file.path());
  if (samples->rows == 0) return Status::InvalidInput(file.path() + ": holds no rows");
  return samples;
}

bool IsLmEvalSamplesRow(const json& row) {
  return row.is_object() && row.contains("doc_id") && row.contains("doc") &&
         row.contains("arguments");
}

std::string LmEvalTaskOfSamplesFile(const std::string& path,
                                    const std::vector<std::string>& tasks) {
  std::string_view name = path;
  if (size_t slash = name.rfind('/'); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  // lm-eval writes "samples_<task>_<date>.jsonl"; copies often gain a prefix.
  constexpr std::string_view kPrefix = "samples_";
  const size_t start = name.find(kPrefix);
  if (start == std::string_view::npos) return "";
  name.remove_prefix(start + kPrefix.size());
  std::string best;
  for (const std::string& task : tasks) {
    // "<task>_<date>": the date begins with a digit, so "mmlu" does not take
    // "samples_mmlu_anatomy_2024-..." when the results name no "mmlu_anatomy".
    if (task.size() > best.size() && name.size() > task.size() + 1 && name.starts_with(task) &&
        name[task.size()] == '_' && name[task.size() + 1] >= '0' && name[task.size() + 1] <= '9') {
      best = task;
    }
  }
  return best;
}

std::string LmEvalRunTimestampOf(const std::string& path) {
  std::string_view name = path;
  if (size_t slash = name.rfind('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  for (std::string_view extension : {".jsonl", ".json"}) {
    if (name.ends_with(extension)) {
      name.remove_suffix(extension.size());
      break;
    }
  }
  const size_t underscore = name.rfind('_');
  if (underscore == std::string_view::npos) return "";
  const std::string_view stamp = name.substr(underscore + 1);
  // YYYY-MM-DDTHH-MM-SS, then optionally a fraction: digits where the pattern has 9.
  constexpr std::string_view kPattern = "9999-99-99T99-99-99";
  if (stamp.size() < kPattern.size()) return "";
  for (size_t i = 0; i < stamp.size(); ++i) {
    const char expected = i < kPattern.size() ? kPattern[i] : (i == kPattern.size() ? '.' : '9');
    const bool digit = stamp[i] >= '0' && stamp[i] <= '9';
    if (expected == '9' ? !digit : stamp[i] != expected) return "";
  }
  return std::string(stamp);
}

}  // namespace assay
