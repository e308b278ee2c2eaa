// Generated lm-evaluation-harness runs for tests: a results file and one
// samples file per task, in lm-eval's --output_path layout and row format
// (without its per-row hashes), with every score the samples give and every
// group's score by a chosen lm-eval rule.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "claim/score_recompute.h"
#include "evallog/lm_eval_groups.h"
#include "test_support.h"

namespace assay::testing {

struct LmEvalTaskSpec {
  std::string name;
  uint64_t documents = 0;
  uint64_t right = 0;  // the first `right` documents are answered right
};

struct LmEvalRunSpec {
  std::vector<LmEvalTaskSpec> tasks;
  nlohmann::json group_subtasks = nlohmann::json::object();  // {"G": ["S1", "c"], "S1": ["a", "b"]}
  std::string stamp = "2026-01-02T03-04-05.000006";
};

// Writes FOLDER/results_STAMP.json and FOLDER/samples_TASK_STAMP.jsonl under
// `dir`; returns the results document as written.
inline nlohmann::json WriteLmEvalRun(const ScratchDir& dir, const std::string& folder, const LmEvalRunSpec& spec,
                                     const LmEvalGroupRule& rule) {
  using json = nlohmann::json;
  json results = json::object(), counts = json::object(), configs = json::object(), versions = json::object();
  json subtasks = spec.group_subtasks;
  for (const LmEvalTaskSpec& task : spec.tasks) {
    std::vector<double> values;
    std::string rows;
    for (uint64_t i = 0; i < task.documents; ++i) {
      const bool right = i < task.right;
      values.push_back(right ? 1.0 : 0.0);
      rows += json{{"doc_id", i},
                   {"doc", {{"question", task.name + " question " + std::to_string(i)}, {"answer", 0}}},
                   {"target", 0},
                   {"arguments", {{"gen_args_0", {{"arg_0", "Q" + std::to_string(i)}, {"arg_1", " A"}}}}},
                   {"resps", {{{"-0.5", right}}}},
                   {"filtered_resps", {{"-0.5", right}}},
                   {"filter", "none"},
                   {"metrics", {"acc"}},
                   {"acc", right ? 1.0 : 0.0}}
                  .dump() +
              "\n";
    }
    dir.Write(folder + "/samples_" + task.name + "_" + spec.stamp + ".jsonl", rows);
    results[task.name] = {{"alias", task.name},
                          {"acc,none", static_cast<double>(task.right) / static_cast<double>(task.documents)},
                          {"acc_stderr,none", *MeanStandardError(values)}};
    counts[task.name] = {{"original", task.documents * 2}, {"effective", task.documents}};
    configs[task.name] = {{"task", task.name}, {"num_fewshot", 0}};
    versions[task.name] = 1;
    if (!subtasks.contains(task.name)) subtasks[task.name] = json::array();
  }
  json file = {{"results", results},     {"group_subtasks", subtasks}, {"configs", configs},
               {"versions", versions},   {"n-samples", counts},        {"lm_eval_version", "0.4.8"}};
  Result<LmEvalGroupTable> table = LmEvalGroupTable::FromResults(file);
  for (const auto& [group, members] : spec.group_subtasks.items()) {
    std::optional<GroupMemberScore> score = table->Recompute(group, "acc,none", rule);
    file["results"][group] = {{"alias", group}, {"acc,none", score->value}, {"acc_stderr,none", *score->stderr_value}};
    file["versions"][group] = 1;
  }
  dir.Write(folder + "/results_" + spec.stamp + ".json", file.dump(2));
  return file;
}

}  // namespace assay::testing
