// The flags that name two transcripts and how to compare them, the same on
// compare-transcripts and attest comparison: A B, or --a FILE... --b FILE...,
// with --baseline, --decoding and --task.
#pragma once

#include <CLI/CLI.hpp>

#include "ops/audit_ops.h"

namespace assay::cli {

inline void AddTranscriptSideFlags(CLI::App* command, CompareTranscriptsRequest& request) {
  command->add_option("A", request.a_path, "side A's transcript, when it is one file");
  command->add_option("B", request.b_path, "side B's transcript, when it is one file");
  for (auto [flag, files, help] : {std::tuple{"--a", &request.a_files, "a file of side A (repeat for a run of several files)"},
                                   std::tuple{"--b", &request.b_files, "a file of side B (repeat for a run of several files)"},
                                   std::tuple{"--baseline", &request.baseline_files,
                                              "a second run of A's weights, for the greedy verdict (repeat for a run "
                                              "of several files)"}}) {
    command->add_option(flag, *files, help)->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  }
  command->add_option("--decoding", request.decoding, "greedy or sampled, when the logs do not say how both sides decoded");
  command->add_option("--task", request.task, "the lm-eval task to read from a results file holding several");
}

}  // namespace assay::cli
