// What an lm-evaluation-harness results file says about the model and about
// the settings of one task that matter for reproduction: the model fields and
// EvalRun::config of docs/spec/eval-logs.md, "lm-evaluation-harness". Never
// fails: a member that is absent or of another type is left out.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace assay {

struct LmEvalModel {
  std::string name;      // model_name, else model_args pretrained or model
  std::string revision;  // config.model_sha, else model_args revision, else config.model_revision
  std::string source;    // model_source, else config.model ("hf", "vllm", ...)
};

LmEvalModel LmEvalModelOf(const nlohmann::json& results);

// EvalRun::config of `task`: only the keys eval_run.h lists.
nlohmann::json LmEvalConfigOf(const nlohmann::json& results, const std::string& task);

// "key=value,key=value" (the command line's --model_args and --gen_kwargs,
// which older results files keep as given) as lm-eval's
// simple_parse_args_string reads it: true/false in any case as booleans,
// integers and decimals as numbers, the rest as strings.
nlohmann::json ParseLmEvalArgString(std::string_view text);

}  // namespace assay
