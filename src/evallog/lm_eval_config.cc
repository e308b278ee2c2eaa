#include "evallog/lm_eval_config.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "json/canonical_json.h"
#include "json/json_fields.h"

namespace assay {
namespace {

using nlohmann::json;

// config.model_args: an object, or the command line's "pretrained=X,revision=Y".
json ModelArgs(const json& config) {
  const json& args = Member(config, "model_args");
  if (args.is_object()) return args;
  if (args.is_string()) return ParseLmEvalArgString(args.get_ref<const std::string&>());
  return json::object();
}

// The task's generation_kwargs updated with the run's gen_kwargs, as lm-eval
// applies them; null when neither says anything.
json Generation(const json& task_config, const json& run_config) {
  json generation = Member(task_config, "generation_kwargs");
  const json& overrides = Member(run_config, "gen_kwargs");
  json override_object = overrides.is_string()
                             ? ParseLmEvalArgString(overrides.get_ref<const std::string&>())
                             : overrides;
  if (override_object.is_object() && !override_object.empty()) {
    if (!generation.is_object()) generation = json::object();
    generation.update(override_object);
  }
  return generation;
}

// The members of the task config that shape the prompt text, hashed; null
// when the config has no doc_to_text.
json PromptTemplateSha256(const json& task_config) {
  json prompt = json::object();
  for (const char* key : {"description", "doc_to_text", "doc_to_target", "doc_to_choice",
                          "target_delimiter", "fewshot_delimiter", "gen_prefix", "use_prompt"}) {
    if (const json& value = Member(task_config, key); !value.is_null()) prompt[key] = value;
  }
  return prompt.contains("doc_to_text") ? json(CanonicalJsonSha256(prompt)) : json();
}

json Dataset(const json& task_config) {
  const json& test_split = Member(task_config, "test_split");
  const std::pair<const char*, const json&> kMembers[] = {
      {"name", Member(task_config, "dataset_path")},
      {"config", Member(task_config, "dataset_name")},
      {"split", test_split.is_null() ? Member(task_config, "validation_split") : test_split},
      {"revision", Member(Member(task_config, "dataset_kwargs"), "revision")},
  };
  json dataset = json::object();
  for (const auto& [key, value] : kMembers) {
    if (!value.is_null()) dataset[key] = value;
  }
  return dataset.empty() ? json() : dataset;
}

json Seeds(const json& run_config) {
  const std::pair<const char*, const char*> kSeeds[] = {{"random_seed", "random"},
                                                        {"numpy_seed", "numpy"},
                                                        {"torch_seed", "torch"},
                                                        {"fewshot_seed", "fewshot"}};
  json seed = json::object();
  for (const auto& [field, key] : kSeeds) {
    if (const json& value = Member(run_config, field); !value.is_null()) seed[key] = value;
  }
  return seed.empty() ? json() : seed;
}

}  // namespace

LmEvalModel LmEvalModelOf(const json& results) {
  const json& config = Member(results, "config");
  const json args = ModelArgs(config);
  LmEvalModel model;
  model.source = StringOr(Member(results, "model_source"), StringOr(Member(config, "model")));
  model.name = StringOr(Member(results, "model_name"));
  if (model.name.empty()) model.name = StringOr(Member(args, "pretrained"));
  if (model.name.empty()) model.name = StringOr(Member(args, "model"));
  // model_sha is the commit the weights came from; a revision may be a branch.
  model.revision = StringOr(Member(config, "model_sha"));
  if (model.revision.empty()) model.revision = StringOr(Member(args, "revision"));
  if (model.revision.empty()) model.revision = StringOr(Member(config, "model_revision"));
  return model;
}

json LmEvalConfigOf(const json& results, const std::string& task) {
  const json& task_config = Member(Member(results, "configs"), task);
  const json& run_config = Member(results, "config");
  const json& n_shot = Member(Member(results, "n-shot"), task);
  const std::pair<const char*, json> kEntries[] = {
      {"num_fewshot", n_shot.is_null() ? Member(task_config, "num_fewshot") : n_shot},
      {"fewshot_as_multiturn", Member(results, "fewshot_as_multiturn")},
      {"generation", Generation(task_config, run_config)},
      {"prompt_template_sha256", PromptTemplateSha256(task_config)},
      {"chat_template_sha256", Member(results, "chat_template_sha")},
      {"system_instruction_sha256", Member(results, "system_instruction_sha")},
      {"dataset", Dataset(task_config)},
      {"limit", Member(run_config, "limit")},
      {"seed", Seeds(run_config)},
      {"batch_size", Member(run_config, "batch_size")},
      {"task_hash", Member(Member(results, "task_hashes"), task)},
  };
  json config = json::object();
  for (const auto& [key, value] : kEntries) {
    if (!value.is_null()) config[key] = value;
  }
  return config;
}

json ParseLmEvalArgString(std::string_view text) {
  json out = json::object();
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view pair = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const size_t equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string key(pair.substr(0, equals));
    const std::string value(pair.substr(equals + 1));
    std::string lower = value;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    char* end = nullptr;
    if (lower == "true" || lower == "false") {
      out[key] = lower == "true";
    } else if (long long integer = std::strtoll(value.c_str(), &end, 10);
               !value.empty() && *end == '\0') {
      out[key] = integer;
    } else if (double number = std::strtod(value.c_str(), &end); !value.empty() && *end == '\0') {
      out[key] = number;
    } else {
      out[key] = value;
    }
  }
  return out;
}

}  // namespace assay
