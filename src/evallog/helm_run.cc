#include "evallog/helm_run.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>
#include <vector>

#include "evallog/eval_log.h"
#include "json/canonical_json.h"
#include "json/json_fields.h"
#include "json/lenient_json.h"
#include "json/strict_json.h"

namespace assay {
namespace {

using nlohmann::json;

// The adapter_spec members that shape the prompt text: hashed together into
// prompt_template_sha256, as lm-eval's prompt fields are.
constexpr const char* kPromptFields[] = {"method",          "global_prefix",   "global_suffix",
                                         "instructions",    "input_prefix",    "input_suffix",
                                         "reference_prefix", "reference_suffix", "chain_of_thought_prefix",
                                         "chain_of_thought_suffix", "output_prefix", "output_suffix",
                                         "instance_prefix", "substitutions"};

class HelmFolder {
 public:
  HelmFolder(std::string folder, FileSystem& fs) : folder_(std::move(folder)), fs_(fs) {}

  // The file's JSON; `required` false gives null for a file that is absent.
  Result<json> Read(const std::string& name, bool required = true) {
    const std::string path = PathOf(name);
    if (!required && !fs_.FollowStatus(path).ok()) return json();
    ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(fs_, path, kMaxEvalLogDocumentBytes));
    Result<json> parsed = ParseLenientJson(text);
    if (!parsed.ok()) return parsed.status().WithContext(path);
    return parsed;
  }

  std::string PathOf(const std::string& name) const { return folder_ + "/" + name; }

  Status Invalid(const std::string& name, const std::string& problem) const {
    return Status::InvalidInput(PathOf(name) + ": " + problem);
  }

 private:
  std::string folder_;
  FileSystem& fs_;
};

// A stat's name object: {"name", "split", optionally "perturbation", "sub_split"}.
// Only the unperturbed stats of the run's eval split are the run's scores.
bool IsPlainStatOf(const json& stat, const std::string& split) {
  const json& name = Member(stat, "name");
  return Member(name, "split") == split && Member(name, "perturbation").is_null() &&
         Member(name, "sub_split").is_null();
}

// The per-instance value of a stat: its mean, else sum / count.
std::optional<double> StatValue(const json& stat) {
  if (const json& mean = Member(stat, "mean"); mean.is_number()) return mean.get<double>();
  const json& sum = Member(stat, "sum");
  const json& count = Member(stat, "count");
  if (sum.is_number() && count.is_number() && count.get<double>() > 0) return sum.get<double>() / count.get<double>();
  return std::nullopt;
}

// The names run_spec.json's metric_specs list: HELM's main scores of the run.
std::vector<std::string> ListedMetricNames(const json& run_spec) {
  std::vector<std::string> names;
  const json& specs = Member(run_spec, "metric_specs");
  if (!specs.is_array()) return names;
  for (const json& spec : specs) {
    const json& listed = Member(Member(spec, "args"), "names");
    if (!listed.is_array()) continue;
    for (const json& name : listed) {
      if (name.is_string() && std::find(names.begin(), names.end(), name.get<std::string>()) == names.end()) {
        names.push_back(name.get<std::string>());
      }
    }
  }
  return names;
}

json HelmConfig(const json& adapter, const json& run_spec, const std::string& split) {
  json config = json::object();
  if (const json& shots = Member(adapter, "max_train_instances"); shots.is_number_unsigned()) {
    config["num_fewshot"] = shots;
  }
  json generation = json::object();
  for (const char* key : {"temperature", "max_tokens", "stop_sequences", "num_outputs"}) {
    if (const json& value = Member(adapter, key); !value.is_null()) generation[key] = value;
  }
  if (!generation.empty()) config["generation"] = std::move(generation);
  json prompt = json::object();
  for (const char* key : kPromptFields) {
    if (const json& value = Member(adapter, key); !value.is_null()) prompt[key] = value;
  }
  if (!prompt.empty()) config["prompt_template_sha256"] = CanonicalJsonSha256(prompt);
  json dataset = json::object();
  const json& scenario = Member(run_spec, "scenario_spec");
  if (const json& name = Member(scenario, "class_name"); name.is_string()) dataset["name"] = name;
  if (const json& args = Member(scenario, "args"); args.is_object() && !args.empty()) {
    dataset["config"] = CanonicalJson(args);
  }
  dataset["split"] = split;
  config["dataset"] = std::move(dataset);
  if (const json& limit = Member(adapter, "max_eval_instances"); limit.is_number_unsigned()) config["limit"] = limit;
  return config;
}

// The requests of one instance and trial (one for joint multiple choice and
// generation, one per answer choice for the "separate" methods).
struct InstanceRequests {
  json instance;
  json prompts = json::array();
  json completions = json::array();
};

using InstanceKey = std::pair<std::string, uint64_t>;  // instance id, train trial

Result<std::map<InstanceKey, InstanceRequests>> RequestsByInstance(const json& state, const HelmFolder& folder,
                                                                   std::string& split) {
  const json& request_states = Member(state, "request_states");
  if (!request_states.is_array()) {
    return folder.Invalid("scenario_state.json", "\"request_states\" is not a list");
  }
  std::map<InstanceKey, InstanceRequests> requests;
  for (const json& request_state : request_states) {
    const json& instance = Member(request_state, "instance");
    if (!Member(instance, "perturbation").is_null()) continue;  // a perturbed copy: not the run's score
    const json& id = Member(instance, "id");
    const json& trial = Member(request_state, "train_trial_index");
    const json& instance_split = Member(instance, "split");
    if (!id.is_string() || !trial.is_number_unsigned() || !instance_split.is_string()) {
      return folder.Invalid("scenario_state.json",
                            "a request state lacks its instance's id and split or its train_trial_index");
    }
    if (split.empty()) split = instance_split.get<std::string>();
    if (instance_split != split) {
      return folder.Invalid("scenario_state.json", "instances of more than one split (" + QuoteUntrusted(split) +
                                                       ", " + QuoteUntrusted(instance_split.get<std::string>()) + ")");
    }
    InstanceRequests& entry = requests[{id.get<std::string>(), trial.get<uint64_t>()}];
    entry.instance = instance;
    entry.prompts.push_back(Member(Member(request_state, "request"), "prompt"));
    json texts = json::array();
    const json& completions = Member(Member(request_state, "result"), "completions");
    if (completions.is_array()) {
      for (const json& completion : completions) texts.push_back(Member(completion, "text"));
    }
    entry.completions.push_back(std::move(texts));
  }
  if (requests.empty()) return folder.Invalid("scenario_state.json", "no unperturbed request states");
  return requests;
}

Result<EvalSample> SampleOf(const json& per_instance, const std::map<InstanceKey, InstanceRequests>& requests,
                            const std::vector<std::string>& metric_names, const std::string& split,
                            const HelmFolder& folder) {
  const json& id = Member(per_instance, "instance_id");
  const json& trial = Member(per_instance, "train_trial_index");
  if (!id.is_string() || !trial.is_number_unsigned()) {
    return folder.Invalid("per_instance_stats.json", "an entry lacks its instance_id or train_trial_index");
  }
  EvalSample sample;
  sample.id = id.get<std::string>() + "/" + std::to_string(trial.get<uint64_t>());
  auto found = requests.find({id.get<std::string>(), trial.get<uint64_t>()});
  if (found == requests.end()) {
    return folder.Invalid("per_instance_stats.json",
                          "instance " + QuoteUntrusted(sample.id) + " has no request in scenario_state.json");
  }
  const json& stats = Member(per_instance, "stats");
  if (!stats.is_array()) {
    return folder.Invalid("per_instance_stats.json", "instance " + QuoteUntrusted(sample.id) + ": stats is not a list");
  }
  json metrics = json::object();
  for (const json& stat : stats) {
    if (!IsPlainStatOf(stat, split)) continue;
    const json& name = Member(Member(stat, "name"), "name");
    if (!name.is_string() ||
        std::find(metric_names.begin(), metric_names.end(), name.get<std::string>()) == metric_names.end()) {
      continue;
    }
    if (std::optional<double> value = StatValue(stat)) {
      sample.metrics[name.get<std::string>()] = *value;
      metrics[name.get<std::string>()] = *value;
    }
  }
  const InstanceRequests& request = found->second;
  const json& input = Member(Member(request.instance, "input"), "text");
  const json& references = Member(request.instance, "references");
  sample.input_digest = CanonicalJsonSha256({{"input", input}, {"references", references}});
  sample.output_digest = CanonicalJsonSha256(request.completions);
  sample.record = {{"id", sample.id},       {"instance_id", id},       {"train_trial_index", trial},
                   {"input", input},        {"references", references}, {"prompts", request.prompts},
                   {"response", request.completions}, {"metrics", std::move(metrics)}};
  return sample;
}

}  // namespace

bool IsHelmRunFolder(FileSystem& fs, const std::string& path) {
  Result<FileInfo> folder = fs.FollowStatus(path);
  if (!folder.ok() || folder->type != FileInfo::Type::kDirectory) return false;
  Result<FileInfo> run_spec = fs.FollowStatus(path + "/run_spec.json");
  return run_spec.ok() && run_spec->type == FileInfo::Type::kRegular;
}

Result<EvalRun> ReadHelmRun(const std::string& folder_path, FileSystem& fs) {
  HelmFolder folder(folder_path, fs);
  ASSAY_ASSIGN_OR_RETURN(json run_spec, folder.Read("run_spec.json"));
  if (!run_spec.is_object() || !Member(run_spec, "adapter_spec").is_object()) {
    return folder.Invalid("run_spec.json", "not a HELM run spec (no adapter_spec object)");
  }
  ASSAY_ASSIGN_OR_RETURN(json scenario, folder.Read("scenario.json", false));
  ASSAY_ASSIGN_OR_RETURN(json state, folder.Read("scenario_state.json"));
  ASSAY_ASSIGN_OR_RETURN(json per_instance_stats, folder.Read("per_instance_stats.json"));
  ASSAY_ASSIGN_OR_RETURN(json stats, folder.Read("stats.json"));
  if (!per_instance_stats.is_array()) return folder.Invalid("per_instance_stats.json", "not a list");
  if (!stats.is_array()) return folder.Invalid("stats.json", "not a list");

  const json& adapter = run_spec["adapter_spec"];
  EvalRun run;
  run.format = "helm";
  run.harness = "helm";
  run.benchmark = StringOr(Member(scenario, "name"));
  if (run.benchmark.empty() && Member(run_spec, "groups").is_array() && !run_spec["groups"].empty()) {
    run.benchmark = StringOr(run_spec["groups"][0]);
  }
  if (run.benchmark.empty()) {
    const std::string name = StringOr(Member(run_spec, "name"));
    run.benchmark = name.substr(0, name.find(':'));
  }
  if (run.benchmark.empty()) return folder.Invalid("run_spec.json", "names no scenario (no name or groups)");
  run.model_name = StringOr(Member(adapter, "model"));
  run.model_source = StringOr(Member(adapter, "model_deployment"));

  std::string split;
  ASSAY_ASSIGN_OR_RETURN(auto requests, RequestsByInstance(state, folder, split));
  run.config = HelmConfig(adapter, run_spec, split);

  const std::vector<std::string> listed = ListedMetricNames(run_spec);
  std::vector<std::string> metric_names;
  for (const json& stat : stats) {
    const json& name = Member(Member(stat, "name"), "name");
    if (!IsPlainStatOf(stat, split) || !name.is_string()) continue;
    if (std::find(listed.begin(), listed.end(), name.get<std::string>()) == listed.end()) continue;
    std::optional<double> value = StatValue(stat);
    if (!value) return folder.Invalid("stats.json", "the value of " + QuoteUntrusted(name.get<std::string>()) + " is not a number");
    EvalMetric metric;
    metric.name = name.get<std::string>();
    metric.value = *value;
    // HELM's exact-match family scores agreement: more is better.
    if (metric.name.find("exact_match") != std::string::npos) metric.higher_is_better = true;
    metric.aggregation = "mean";
    metric.per_sample_key = metric.name;
    metric_names.push_back(metric.name);
    run.metrics.push_back(std::move(metric));
  }
  if (run.metrics.empty()) {
    return folder.Invalid("stats.json", "holds none of the metrics run_spec.json's metric_specs name, for split " +
                                            QuoteUntrusted(split));
  }

  std::set<std::string> ids;
  std::set<std::string> instances;
  for (const json& entry : per_instance_stats) {
    if (!Member(entry, "perturbation").is_null()) continue;
    ASSAY_ASSIGN_OR_RETURN(EvalSample sample, SampleOf(entry, requests, metric_names, split, folder));
    if (!ids.insert(sample.id).second) {
      return folder.Invalid("per_instance_stats.json", "instance " + QuoteUntrusted(sample.id) + " is listed twice");
    }
    instances.insert(StringOr(Member(entry, "instance_id")));
    run.samples.push_back(std::move(sample));
  }
  if (run.samples.empty()) return folder.Invalid("per_instance_stats.json", "no unperturbed instances");
  run.samples_used = instances.size();
  return run;
}

}  // namespace assay
