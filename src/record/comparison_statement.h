// A comparison record (docs/spec/comparison.md): an evaluator's signed
// finding on "is this endpoint the published model?", made by
// `assay attest comparison` from two transcripts over the same prompts: the
// published weights' run (a model record's) and the endpoint's. It names
// each transcript by its salted root (and the claim or reproduction that
// committed to it, when one did) and carries the test, its statistic and
// the verdict (claim/same_model_verdict.h), never a bare assertion.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "record/claim_statement.h"
#include "record/deployment_statement.h"
#include "status.h"

namespace assay {

// One compared transcript.
struct ComparedRun {
  std::string transcript_root;  // 64 lowercase hex, salted like every transcript root
  uint64_t samples = 0;
  std::string format;  // the log format, as EvalRun::format ("transcript-opening" when read from one)
  std::string record;  // the claim or reproduction that committed to the root; "" when none did
};

struct Comparison {
  Endpoint endpoint;
  ModelRecordRef model;  // whose weights the weights run ran
  ComparedRun weights_run;
  ComparedRun endpoint_run;
  std::optional<ComparedRun> baseline_run;  // a second run of the weights (greedy)
  uint64_t compared = 0;    // prompts paired on both sides
  double exact_match_rate = 0;
  std::string finding;  // "same", "different", "inconclusive" (FindingName)
  std::string reason;
  // The test, when one ran: its name (SameModelVerdict::test), the decoding,
  // the prompts it used, the statistic and what it gave.
  std::optional<std::string> test;
  std::string decoding;  // "greedy", "sampled", "unknown"
  uint64_t prompts = 0;
  std::optional<double> statistic;
  std::optional<double> p_value;
  std::optional<double> low, high;
  std::optional<double> baseline_rate;
  std::optional<double> pooled;
};

nlohmann::json ComparisonStatement(const Comparison& comparison);
// kInvalidInput naming the field; members a later version adds are passed over.
Result<Comparison> ParseComparisonStatement(std::string_view statement_bytes);

}  // namespace assay
