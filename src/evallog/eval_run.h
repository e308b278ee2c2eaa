// The one internal form every eval log reader gives (lm-evaluation-harness,
// UK AISI Inspect, assay's generic JSONL transcript): what claims,
// reproductions and transcript comparison are built from, whatever harness
// wrote the log. docs/spec/eval-logs.md says how each format maps onto it.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace assay {

// One aggregate score as the harness reported it.
struct EvalMetric {
  // The harness's own name, kept whole so it joins EvalSample::metrics:
  // lm-eval "acc,none" (metric,filter); Inspect "SCORER/METRIC" ("match/accuracy").
  std::string name;
  double value = 0;  // may be NaN or ±Infinity: real logs hold them
  // Absent when the log gives none, "N/A", null or NaN.
  std::optional<double> stderr_value;
  // From the log (lm-eval's higher_is_better); nullopt when it does not say.
  std::optional<bool> higher_is_better;
  // How the harness aggregates per-sample values into `value`: "mean" when it
  // is the mean of EvalSample::metrics[per_sample_key]; otherwise the harness's
  // own name for it ("f1", "bleu", "median"), which assay does not recompute.
  std::string aggregation;
  // The key in EvalSample::metrics this metric aggregates ("" when none).
  std::string per_sample_key;
};

// One scored sample of the transcript.
struct EvalSample {
  // The harness's own id, unique within the run (DESIGN.md, transcript root):
  // lm-eval "DOC_ID/FILTER" ("17/none"), Inspect "ID/EPOCH" ("mmlu-3/1"),
  // generic JSONL its "id" field.
  std::string id;
  // The sample as the transcript root commits to it: an object holding the
  // id, the input (or its hash when the log keeps only that), the target, the
  // response and the per-sample scores, plus the harness's own hashes. Values
  // that were NaN or ±Infinity in the log are doubles here; canonical JSON
  // writes them as strings.
  nlohmann::json record;
  // Lowercase hex SHA-256 identifying the sample's inputs, equal across two
  // runs of the same benchmark (lm-eval: of doc_hash + prompt_hash +
  // target_hash; others: of the canonical JSON of input and target). Pairs
  // samples for the "same inputs" verdict tier.
  std::string input_digest;
  // Lowercase hex SHA-256 of the canonical JSON of the response: equal
  // digests on all paired samples give the "identical outputs" tier.
  std::string output_digest;
  // Numeric per-sample scores by key (lm-eval "acc,none"; Inspect scorer name;
  // letter grades mapped as Inspect maps them: C 1, P 0.5, I 0, N 0). Scores
  // that are not numbers (lm-eval's (gold, prediction) pairs for f1) are
  // left out of this map and kept in `record`.
  std::map<std::string, double> metrics;
};

// What the harness's own integrity hashes say, where the log carries them
// (lm-eval >= 0.4.3: doc_hash, prompt_hash, target_hash, task_hashes).
struct HarnessHashCheck {
  bool present = false;       // the log carries per-row hashes
  uint64_t rows_checked = 0;  // rows whose three hashes were recomputed
  // One line per problem ("doc 7: doc_hash does not match the doc"; "task
  // hash does not match the 20 rows read: samples file truncated or edited?").
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

// One task of a group run, with its own scores and settings; its samples are
// EvalRun::samples[first_sample, first_sample + sample_count).
struct EvalTask {
  std::string name;
  std::string version;
  nlohmann::json config = nlohmann::json::object();
  std::vector<EvalMetric> metrics;
  std::optional<uint64_t> samples_used;
  std::optional<uint64_t> samples_total;
  size_t first_sample = 0;
  size_t sample_count = 0;
};

// A group at any depth of a group run, with its members (tasks and groups)
// in group_subtasks order.
struct EvalGroup {
  std::string name;
  std::vector<std::string> members;
};

// How one of a group's logged scores follows from its tasks' logged scores:
// the lm-eval rule that gives it (LmEvalGroupRule::Name(),
// "leaves/size/pooled"), or, when none does, why not, naming the numbers.
struct GroupRuleFinding {
  std::string rule;
  std::string problem;
};

// A file the run was read from, as a claim names it.
struct EvalLogFile {
  std::string name;    // the file name, without its folder
  std::string sha256;  // lowercase hex of its bytes
  std::string role;    // "results", "samples" or "log"
  std::string task;    // a samples file's task; "" otherwise
};

// How sample ids are formed: the harness's own ("harness"), or, in a group
// run, "lm-eval-task": TASK/DOC_ID/FILTER, unique across the group's tasks.
inline constexpr char kHarnessIds[] = "harness";
inline constexpr char kLmEvalTaskIds[] = "lm-eval-task";

struct EvalRun {
  std::string format;  // "lm-eval", "inspect", "jsonl", "helm"
  std::string benchmark;          // lm-eval task; Inspect task
  std::string benchmark_version;  // as the log gives it; "" when absent
  std::string harness;            // "lm-evaluation-harness", "inspect_ai", or the JSONL's own
  std::string harness_version;
  std::string harness_commit;  // lm-eval git_hash; "" when absent
  // What the log says about the model: lm-eval model_name / pretrained,
  // model_sha (revision), model_source ("hf", "openai-chat-completions").
  std::string model_name;
  std::string model_revision;
  std::string model_source;
  // The settings that matter for reproduction, as an object with only these
  // keys when known: "num_fewshot", "generation" (gen kwargs / Inspect
  // GenerateConfig), "prompt_template_sha256", "chat_template_sha256",
  // "system_instruction_sha256", "dataset" (name, revision, digest), "limit",
  // "seed", "batch_size", "task_hash", and for Inspect "epochs" and "task_args"
  // (docs/spec/eval-logs.md gives each format's sources).
  nlohmann::json config = nlohmann::json::object();
  std::vector<EvalMetric> metrics;
  std::vector<EvalSample> samples;  // in the log's order; empty when no transcript was given
  // Documents evaluated of how many the benchmark has: 20 of 13812 is a
  // partial run (lm-eval n-samples effective/original; Inspect dataset
  // samples vs total). nullopt when the log does not say.
  std::optional<uint64_t> samples_used;
  std::optional<uint64_t> samples_total;
  HarnessHashCheck hash_check;
  std::string id_scheme = kHarnessIds;
  // When the run started, as its log records it (lm-eval "date", Inspect
  // eval.created), in seconds since the epoch; nullopt when it does not say.
  std::optional<int64_t> started;
  // A group run (lm-eval, read with its tasks' samples): `benchmark` is the
  // group, `metrics` its logged scores, `samples` every task's in task order.
  std::vector<EvalTask> tasks;    // every leaf task under the group, depth first
  std::vector<EvalGroup> groups;  // the group first, then its subgroups
  std::map<std::string, GroupRuleFinding> group_rules;  // by the group's metric key
  std::vector<EvalLogFile> files;  // group runs: every file read

  bool is_group() const { return !tasks.empty(); }
  bool partial() const { return samples_used && samples_total && *samples_used < *samples_total; }
};

}  // namespace assay
