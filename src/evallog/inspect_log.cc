#include "evallog/inspect_log.h"

#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "json/canonical_json.h"
#include "utc_time.h"
#include "json/json_fields.h"
#include "json/lenient_json.h"
#include "json/strict_json.h"

namespace assay {
namespace {

using nlohmann::json;

constexpr std::string_view kAttachmentPrefix = "attachment://";

// A sample id or version as text: integers in decimal, strings as they are.
std::string IdText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_unsigned()) return std::to_string(value.get<uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  return "";
}

// Inspect's value_to_float (inspect_ai/scorer/_metric.py) for one scalar:
// numbers as they are, booleans 1/0, the letter grades C 1, P 0.5, I 0, N 0,
// "yes"/"true" 1 and "no"/"false" 0 in any case, numeric strings as numbers,
// and any other string 0, as Inspect counts it. NaN is Inspect's "unscored"
// and lists are not scalars: both give nullopt (left out of the metrics).
std::optional<double> ScoreNumber(const json& value) {
  if (value.is_boolean()) return value.get<bool>() ? 1.0 : 0.0;
  if (value.is_number()) {
    double number = value.get<double>();
    return std::isnan(number) ? std::nullopt : std::optional<double>(number);
  }
  if (!value.is_string()) return std::nullopt;
  std::string text = value.get<std::string>();
  if (text == "C") return 1.0;
  if (text == "P") return 0.5;
  if (text == "I" || text == "N") return 0.0;
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (text == "yes" || text == "true") return 1.0;
  if (text == "no" || text == "false") return 0.0;
  char* end = nullptr;
  double number = std::strtod(text.c_str(), &end);
  if (!text.empty() && *end == '\0' && std::isfinite(number)) return number;
  return 0.0;
}

// Replaces every "attachment://HASH" string in `value` by the sample's attachment.
Status ResolveAttachments(json& value, const json& attachments) {
  if (value.is_string()) {
    std::string_view text = value.get_ref<const std::string&>();
    if (!text.starts_with(kAttachmentPrefix)) return Status::Ok();
    const json& content = Member(attachments, text.substr(kAttachmentPrefix.size()));
    if (!content.is_string()) {
      return Status::InvalidInput("attachment " + QuoteUntrusted(text) +
                                  " is not in the sample's attachments");
    }
    value = content;
    return Status::Ok();
  }
  if (value.is_array() || value.is_object()) {
    for (json& item : value) ASSAY_RETURN_IF_ERROR(ResolveAttachments(item, attachments));
  }
  return Status::Ok();
}

// ModelOutput.completion; logs that do not store it (before about 0.3.50)
// give it as the first choice's text: its content string, or the "text" of
// its text content parts.
std::string Completion(const json& output) {
  if (const json& completion = Member(output, "completion"); completion.is_string()) {
    return completion.get<std::string>();
  }
  const json& choices = Member(output, "choices");
  if (!choices.is_array() || choices.empty()) return "";
  const json& content = Member(Member(choices[0], "message"), "content");
  if (content.is_string()) return content.get<std::string>();
  std::string text;
  if (content.is_array()) {
    for (const json& part : content) {
      if (Member(part, "type") == "text") text += StringOr(Member(part, "text"));
    }
  }
  return text;
}

// One sample of samples/*.json, of the JSON log's "samples" or of
// summaries.json (which has no output: the response is then null).
Result<EvalSample> SampleFromInspect(json sample) {
  if (!sample.is_object()) return Status::InvalidInput("sample is not a JSON object");
  const std::string sample_id = IdText(Member(sample, "id"));
  if (sample_id.empty()) return Status::InvalidInput("sample has no id (a string or an integer)");
  const json& epoch = Member(sample, "epoch");
  if (!epoch.is_null() && !epoch.is_number_unsigned()) {
    return Status::InvalidInput("sample " + QuoteUntrusted(sample_id) +
                                " has an epoch that is not a non-negative integer");
  }
  EvalSample out;
  out.id = sample_id + "/" + (epoch.is_null() ? "1" : std::to_string(epoch.get<uint64_t>()));
  auto within = [&out](const Status& status) {
    return status.WithContext("sample " + QuoteUntrusted(out.id));
  };

  const json attachments = Member(sample, "attachments");
  json input = Member(sample, "input");
  json target = Member(sample, "target");
  json choices = Member(sample, "choices");
  if (!input.is_string() && !input.is_array()) {
    return within(Status::InvalidInput("input is not a string or a list of messages"));
  }
  for (json* field : {&input, &target, &choices}) {
    if (Status status = ResolveAttachments(*field, attachments); !status.ok()) {
      return within(status);
    }
  }
  const json& output = Member(sample, "output");
  json response = sample.contains("output") ? json(Completion(output)) : json();
  if (Status status = ResolveAttachments(response, attachments); !status.ok()) {
    return within(status);
  }

  json scores = json::object();
  json metrics = json::object();
  const json& sample_scores = Member(sample, "scores");
  if (!sample_scores.is_null() && !sample_scores.is_object()) {
    return within(Status::InvalidInput("scores are not an object"));
  }
  if (sample_scores.is_object()) {
    for (const auto& [scorer, score] : sample_scores.items()) {
      const json& value = Member(score, "value");
      scores[scorer] = value;
      if (value.is_object()) {
        for (const auto& [key, item] : value.items()) {
          if (auto number = ScoreNumber(item)) out.metrics[scorer + "/" + key] = *number;
        }
      } else if (auto number = ScoreNumber(value)) {
        out.metrics[scorer] = *number;
      }
    }
  }
  for (const auto& [key, value] : out.metrics) metrics[key] = value;

  json inputs = {{"input", input}, {"target", target}};
  if (!choices.is_null()) inputs["choices"] = choices;
  out.input_digest = CanonicalJsonSha256(inputs);
  out.output_digest = CanonicalJsonSha256(response);
  json& record = out.record;
  record["id"] = out.id;
  record["sample_id"] = Member(sample, "id");
  record["epoch"] = epoch.is_null() ? json(1) : epoch;
  record["input"] = std::move(input);
  record["target"] = std::move(target);
  if (!choices.is_null()) record["choices"] = std::move(choices);
  record["response"] = std::move(response);
  record["scores"] = std::move(scores);
  record["metrics"] = std::move(metrics);
  if (const json& model = Member(output, "model"); model.is_string()) record["model"] = model;
  return out;
}

// The key in EvalSample::metrics that a results score aggregates: the scorer's
// own for a scalar scorer; "SCORER/KEY" for one key of a dict-valued scorer,
// which Inspect reports as a score named KEY.
std::string PerSampleKey(const json& score) {
  const std::string name = StringOr(Member(score, "name"));
  const std::string scorer = StringOr(Member(score, "scorer"), name);
  return name == scorer ? scorer : scorer + "/" + name;
}

class HeaderReader {
 public:
  // `reductions` is the log's reductions list (reductions.json), or null.
  HeaderReader(const json& header, const json& reductions, std::string path)
      : header_(header), reductions_(reductions), path_(std::move(path)) {}

  Status Invalid(const std::string& problem) const {
    return Status::InvalidInput(path_ + ": " + problem);
  }

  Status FillRun(EvalRun& run) const {
    const json& version = Member(header_, "version");
    if (!version.is_number_unsigned() || version.get<uint64_t>() < 1 ||
        version.get<uint64_t>() > 2) {
      return Invalid("Inspect log version " + QuoteUntrusted(version.dump()) + " is not 1 or 2");
    }
    const json& status = Member(header_, "status");
    if (status != "success") {
      return Invalid("log status is " + QuoteUntrusted(StringOr(status, status.dump())) +
                     ", not 'success': the eval did not finish");
    }
    const json& eval = Member(header_, "eval");
    if (!eval.is_object()) return Invalid("\"eval\" is not an object");
    run.format = "inspect";
    run.benchmark = StringOr(Member(eval, "task"));
    if (run.benchmark.empty()) return Invalid("eval.task is not a non-empty string");
    run.benchmark_version = IdText(Member(eval, "task_version"));
    run.harness = "inspect_ai";
    run.harness_version = StringOr(Member(Member(eval, "packages"), "inspect_ai"));
    run.harness_commit = StringOr(Member(Member(eval, "revision"), "commit"));
    run.started = ParseIsoTime(StringOr(Member(eval, "created")));
    // "provider/model", e.g. "openai/gpt-4o", "hf/Qwen/Qwen3-8B".
    const std::string model = StringOr(Member(eval, "model"));
    const size_t slash = model.find('/');
    run.model_source = slash == std::string::npos ? "" : model.substr(0, slash);
    run.model_name = slash == std::string::npos ? model : model.substr(slash + 1);
    run.model_revision = StringOr(Member(Member(eval, "model_args"), "revision"));
    run.config = Config(eval);

    const json& dataset = Member(eval, "dataset");
    if (const json& total = Member(dataset, "samples"); total.is_number_unsigned()) {
      run.samples_total = total.get<uint64_t>();
    }
    if (const json& ids = Member(dataset, "sample_ids"); ids.is_array()) {
      run.samples_used = ids.size();
    } else if (const json& total = Member(Member(header_, "results"), "total_samples");
               total.is_number_unsigned()) {
      run.samples_used = total.get<uint64_t>();
    }
    ASSAY_ASSIGN_OR_RETURN(run.metrics, Metrics(eval));
    return Status::Ok();
  }

 private:
  json Config(const json& eval) const {
    json config = json::object();
    const json& plan = Member(header_, "plan");
    json generation = Member(plan, "config");
    if (!generation.is_object()) generation = json::object();
    if (const json& model_config = Member(eval, "model_generate_config");
        model_config.is_object()) {
      generation.update(model_config);
    }
    if (!generation.empty()) config["generation"] = generation;
    // The solvers and their parameters shape the prompt (Inspect's templates live in them).
    if (const json& steps = Member(plan, "steps"); steps.is_array()) {
      config["prompt_template_sha256"] = CanonicalJsonSha256(steps);
    }
    const json& dataset = Member(eval, "dataset");
    json dataset_config = json::object();
    for (const char* key : {"name", "location", "revision"}) {
      if (const json& value = Member(dataset, key); !value.is_null()) dataset_config[key] = value;
    }
    if (!dataset_config.empty()) config["dataset"] = std::move(dataset_config);
    const json& eval_config = Member(eval, "config");
    if (const json& limit = Member(eval_config, "limit"); !limit.is_null()) config["limit"] = limit;
    if (const json& epochs = Member(eval_config, "epochs"); !epochs.is_null()) {
      config["epochs"] = epochs;
    }
    if (const json& seed = Member(generation, "seed"); !seed.is_null()) config["seed"] = seed;
    if (const json& args = Member(eval, "task_args"); args.is_object() && !args.empty()) {
      config["task_args"] = args;
    }
    return config;
  }

  // The reducer that turned epochs into one value per sample: the score's
  // own, else its scorer's in the reductions, else the run's first
  // epochs_reducer, else Inspect's default "mean".
  std::string Reducer(const json& score, const json& eval) const {
    if (const json& reducer = Member(score, "reducer"); reducer.is_string()) {
      return reducer.get<std::string>();
    }
    if (reductions_.is_array()) {
      for (const json& reduction : reductions_) {
        if (Member(reduction, "scorer") == Member(score, "scorer") &&
            Member(reduction, "reducer").is_string()) {
          return reduction["reducer"].get<std::string>();
        }
      }
    }
    const json& reducers = Member(Member(eval, "config"), "epochs_reducer");
    if (reducers.is_array() && !reducers.empty() && reducers[0].is_string()) {
      return reducers[0].get<std::string>();
    }
    return "mean";
  }

  Result<std::vector<EvalMetric>> Metrics(const json& eval) const {
    const json& scores = Member(Member(header_, "results"), "scores");
    if (!scores.is_null() && !scores.is_array()) return Invalid("results.scores is not a list");
    const json& epochs = Member(Member(eval, "config"), "epochs");
    const bool one_epoch = !epochs.is_number_unsigned() || epochs.get<uint64_t>() <= 1;
    std::vector<EvalMetric> out;
    for (const json& score : scores.is_array() ? scores : json::array()) {
      const std::string name = StringOr(Member(score, "name"));
      const json& metrics = Member(score, "metrics");
      if (name.empty() || !metrics.is_object()) {
        return Invalid("a results score has no name or metrics");
      }
      // The standard error Inspect's stderr() metric gives is of the mean of
      // the sample values: it belongs to this score's accuracy or mean.
      std::optional<double> stderr_value;
      if (const json& value = Member(Member(metrics, "stderr"), "value"); value.is_number()) {
        if (!std::isnan(value.get<double>())) stderr_value = value.get<double>();
      }
      bool stderr_used = false;
      const std::string reducer = Reducer(score, eval);
      for (const auto& [key, metric] : metrics.items()) {
        if (key == "stderr") continue;
        const json& value = Member(metric, "value");
        if (!value.is_number()) {
          return Invalid("value of metric " + QuoteUntrusted(name + "/" + key) +
                         " is not a number");
        }
        EvalMetric entry;
        entry.name = name + "/" + key;
        entry.value = value.get<double>();
        entry.aggregation = key;
        if (key == "accuracy" || key == "mean") {
          entry.stderr_value = stderr_value;
          stderr_used = true;
          entry.per_sample_key = PerSampleKey(score);
          // With several epochs, each sample's are reduced first ("accuracy
          // of epoch max"): not the mean of the rows (claim/epoch_reducers.h).
          entry.aggregation = one_epoch ? "mean" : key + " of epoch " + reducer;
        }
        out.push_back(std::move(entry));
      }
      if (!stderr_used && metrics.contains("stderr") && stderr_value) {
        out.push_back({name + "/stderr", *stderr_value, std::nullopt, std::nullopt, "stderr", ""});
      }
    }
    return out;
  }

  const json& header_;
  const json& reductions_;
  const std::string path_;
};

Status AddSample(json sample, const std::string& where, std::set<std::string>& ids, EvalRun& run) {
  Result<EvalSample> parsed = SampleFromInspect(std::move(sample));
  if (!parsed.ok()) return parsed.status().WithContext(where);
  if (!ids.insert(parsed->id).second) {
    return Status::InvalidInput(where + ": sample " + QuoteUntrusted(parsed->id) +
                                " appears twice");
  }
  run.samples.push_back(std::move(*parsed));
  return Status::Ok();
}

Result<json> ParseMember(const std::string& where, const std::string& bytes) {
  Result<json> parsed = ParseLenientJson(bytes);
  if (!parsed.ok()) return parsed.status().WithContext(where);
  return parsed;
}

}  // namespace

bool IsInspectJsonLog(const json& document) {
  return Member(document, "version").is_number() && Member(document, "eval").is_object();
}

Result<EvalRun> InspectRunFromJsonLog(const json& log, const std::string& path) {
  EvalRun run;
  ASSAY_RETURN_IF_ERROR(HeaderReader(log, Member(log, "reductions"), path).FillRun(run));
  const json& samples = Member(log, "samples");
  if (!samples.is_null() && !samples.is_array()) {
    return Status::InvalidInput(path + ": \"samples\" is not a list");
  }
  std::set<std::string> ids;
  for (const json& sample : samples.is_array() ? samples : json::array()) {
    ASSAY_RETURN_IF_ERROR(AddSample(sample, path, ids, run));
  }
  return run;
}

Result<EvalRun> ReadInspectEvalZip(const std::string& path, FileSystem& fs) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(path));
  std::optional<json> header;
  std::optional<json> summaries;
  json reductions;
  EvalRun run;  // samples only, until the header is read
  std::set<std::string> ids;
  auto wanted = [](std::string_view name) {
    return name == "header.json" || name == "summaries.json" || name == "reductions.json" ||
           (name.starts_with("samples/") && name.ends_with(".json"));
  };
  auto visit = [&](const std::string& name, std::string bytes) -> Status {
    const std::string where = path + ": " + name;
    ASSAY_ASSIGN_OR_RETURN(json document, ParseMember(where, bytes));
    if (name == "header.json") {
      header = std::move(document);
    } else if (name == "summaries.json") {
      summaries = std::move(document);
    } else if (name == "reductions.json") {
      reductions = std::move(document);
    } else {
      ASSAY_RETURN_IF_ERROR(AddSample(std::move(document), where, ids, run));
    }
    return Status::Ok();
  };
  ASSAY_RETURN_IF_ERROR(ForEachZipMember(*file, kInspectZipLimits, wanted, visit));
  if (!header) {
    return Status::InvalidInput(
        path +
        ": the zip has no header.json: not an Inspect .eval log, or one whose eval did not finish");
  }
  std::vector<EvalSample> samples = std::move(run.samples);
  run = EvalRun();
  ASSAY_RETURN_IF_ERROR(HeaderReader(*header, reductions, path + ": header.json").FillRun(run));
  run.samples = std::move(samples);
  if (run.samples.empty() && summaries) {
    const std::string where = path + ": summaries.json";
    if (!summaries->is_array()) return Status::InvalidInput(where + ": not a list");
    for (json& summary : *summaries) {
      ASSAY_RETURN_IF_ERROR(AddSample(std::move(summary), where, ids, run));
    }
  }
  return run;
}

}  // namespace assay
