#include "claim/synthetic_lm_eval.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "claim/score_recompute.h"
#include "digest/sha256.h"
#include "evallog/lm_eval_groups.h"
#include "json/python_json.h"
#include "utc_time.h"

namespace assay {
namespace {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

std::string Sha256Hex(std::string_view text) { return ToHex(Sha256::Of(text)); }

// Which of `count` documents are right: exactly round(accuracy * count), at positions the seed shuffles.
std::vector<bool> RightAnswers(uint64_t count, double accuracy, uint64_t seed) {
  const auto right = static_cast<uint64_t>(std::llround(std::clamp(accuracy, 0.0, 1.0) * static_cast<double>(count)));
  std::vector<uint64_t> order(count);
  std::iota(order.begin(), order.end(), uint64_t{0});
  std::mt19937_64 random(seed);
  std::shuffle(order.begin(), order.end(), random);
  std::vector<bool> out(count, false);
  for (uint64_t i = 0; i < right; ++i) out[order[i]] = true;
  return out;
}

struct WrittenTask {
  double mean = 0;
  double stderr_value = 0;
  std::string task_hash;
};

// One task's samples file, row by row as lm-eval's evaluator writes a
// four-choice log-likelihood task.
Result<WrittenTask> WriteTask(FileSystem& fs, const std::string& path, const SyntheticLmEvalTask& task,
                              const SyntheticLmEvalSpec& spec, uint64_t seed) {
  static const char* const kChoices[] = {"A", "B", "C", "D"};
  const std::vector<bool> right = RightAnswers(task.documents, task.accuracy, seed);
  std::string rows;
  Sha256 task_hash;
  std::vector<double> values;
  for (uint64_t i = 0; i < task.documents; ++i) {
    const uint64_t answer = (i * 7919) % 4;
    std::string question = task.name + " question " + std::to_string(i) + ": which letter is " +
                           std::to_string(answer) + " places after A?";
    if (question.size() < spec.question_bytes) question += std::string(spec.question_bytes - question.size(), '.');
    ordered_json doc = {{"question", question}, {"choices", {"A", "B", "C", "D"}}, {"answer", answer}};
    const std::string prompt = question + "\nAnswer:";
    ordered_json arguments = ordered_json::object();
    ordered_json resps = ordered_json::array();
    const uint64_t chosen = right[i] ? answer : (answer + 1) % 4;
    for (uint64_t c = 0; c < 4; ++c) {
      arguments["gen_args_" + std::to_string(c)] = {{"arg_0", prompt}, {"arg_1", std::string(" ") + kChoices[c]}};
      resps.push_back(ordered_json::array({ordered_json::array({c == chosen ? -0.25 : -2.5, c == chosen})}));
    }
    ordered_json filtered = ordered_json::array();
    for (const ordered_json& resp : resps) filtered.push_back(resp[0]);
    const std::string doc_hash = Sha256Hex(PythonJsonDumps(doc));
    const std::string prompt_hash = Sha256Hex(prompt);
    const std::string target_hash = Sha256Hex(std::to_string(answer));
    task_hash.Update(doc_hash + prompt_hash + target_hash);
    const double value = right[i] ? 1.0 : 0.0;
    values.push_back(value);
    ordered_json row = {{"doc_id", i},         {"doc", std::move(doc)},       {"target", answer},
                        {"arguments", std::move(arguments)}, {"resps", std::move(resps)},
                        {"filtered_resps", std::move(filtered)}, {"filter", "none"}, {"metrics", {"acc"}},
                        {"doc_hash", doc_hash}, {"prompt_hash", prompt_hash}, {"target_hash", target_hash},
                        {"acc", value}};
    rows += row.dump() + "\n";
  }
  ASSAY_RETURN_IF_ERROR(fs.WriteFileAtomically(path, rows, 0644));
  WrittenTask out;
  out.mean = *Aggregate("mean", values);
  out.stderr_value = MeanStandardError(values).value_or(0);
  out.task_hash = ToHex(task_hash.Finish());
  return out;
}

// lm-eval's "date", the run's start, from its file stamp ("2026-01-01T12-00-00.000000"): the same instant.
double StampSeconds(const std::string& stamp) {
  std::string iso = stamp;
  if (iso.size() >= 19) iso[13] = iso[16] = ':';
  return static_cast<double>(ParseIsoTime(iso.substr(0, 19) + "Z").value_or(0));
}

}  // namespace

Result<std::string> WriteSyntheticLmEvalRun(FileSystem& fs, const std::string& folder, const SyntheticLmEvalSpec& spec) {
  ASSAY_RETURN_IF_ERROR(fs.CreateDirectories(folder));
  json results = json::object(), configs = json::object(), versions = json::object(), n_shot = json::object();
  json directions = json::object(), counts = json::object(), hashes = json::object();
  json subtasks = spec.group_subtasks;
  for (size_t t = 0; t < spec.tasks.size(); ++t) {
    const SyntheticLmEvalTask& task = spec.tasks[t];
    ASSAY_ASSIGN_OR_RETURN(WrittenTask written,
                           WriteTask(fs, folder + "/samples_" + task.name + "_" + spec.stamp + ".jsonl", task, spec,
                                     spec.seed * 1000003 + t));
    results[task.name] = {{"alias", task.name}, {"acc,none", written.mean}, {"acc_stderr,none", written.stderr_value}};
    configs[task.name] = {{"task", task.name},
                          {"output_type", "multiple_choice"},
                          {"num_fewshot", spec.num_fewshot},
                          {"metric_list", {{{"metric", "acc"}, {"aggregation", "mean"}, {"higher_is_better", true}}}}};
    versions[task.name] = 1.0;
    n_shot[task.name] = spec.num_fewshot;
    directions[task.name] = {{"acc", true}};
    counts[task.name] = {{"original", task.documents}, {"effective", task.documents}};
    hashes[task.name] = written.task_hash;
    if (!subtasks.contains(task.name)) subtasks[task.name] = json::array();
  }
  json file = {{"results", results},
               {"group_subtasks", subtasks},
               {"configs", configs},
               {"versions", versions},
               {"n-shot", n_shot},
               {"higher_is_better", directions},
               {"n-samples", counts},
               {"task_hashes", hashes},
               {"config", {{"model", "hf"}, {"model_args", "pretrained=" + spec.model_name}, {"batch_size", "auto"}}},
               {"model_name", spec.model_name},
               {"date", StampSeconds(spec.stamp)},
               {"lm_eval_version", "0.4.8"}};
  ASSAY_ASSIGN_OR_RETURN(LmEvalGroupTable table, LmEvalGroupTable::FromResults(file));
  for (const auto& [group, members] : spec.group_subtasks.items()) {
    std::optional<GroupMemberScore> score = table.Recompute(group, "acc,none", LmEvalGroupRules().front());
    if (!score) return Status::InvalidInput("synthetic lm-eval run: group " + group + " has no task with a score");
    file["results"][group] = {{"alias", group}, {"acc,none", score->value},
                              {"acc_stderr,none", score->stderr_value ? json(*score->stderr_value) : json("N/A")}};
    file["versions"][group] = 1.0;
    file["higher_is_better"][group] = {{"acc", true}};  // lm-eval gives a group its tasks' direction
  }
  const std::string path = folder + "/results_" + spec.stamp + ".json";
  ASSAY_RETURN_IF_ERROR(fs.WriteFileAtomically(path, file.dump(2), 0644));
  return path;
}

}  // namespace assay
