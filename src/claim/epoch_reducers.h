// Inspect's epoch reducers (inspect_ai/scorer/_reducer/reducer.py): a run of
// several epochs scores each sample once per epoch, reduces each sample's
// epochs to one value, and only then takes the metric (accuracy, mean) over
// the samples. A metric so made is recorded with the aggregation
// "METRIC of epoch REDUCER" ("accuracy of epoch max"); docs/spec/eval-logs.md,
// "Inspect", and docs/verdicts.md say how it is recomputed.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "claim/score_recompute.h"

namespace assay {

// "accuracy of epoch max" -> "max"; nullopt for an aggregation of another form.
std::optional<std::string> EpochReducerOf(std::string_view aggregation);

// One sample's epoch values reduced as Inspect's reducer of that name does,
// after dropping unscored (NaN) epochs: "mean", "median", "mode" (the most
// common value, the first seen among ties), "max", "at_least_K" (1 when at
// least K values are >= 1, else 0), "pass_at_K" (Chen et al.'s unbiased
// pass@K) and "pass_k_K" (all K of K drawn succeed). NaN when every epoch is
// unscored (or, for the pass estimators, fewer than K are scored); nullopt for
// a reducer this does not know.
std::optional<double> ReduceEpochs(std::string_view reducer, std::span<const double> epochs);

// The values of `per_sample` (samples with Inspect ids "ID/EPOCH") reduced to
// one per sample id, in the order each id first appears; each kept sample
// pointer is its first epoch's. nullopt for an unknown reducer.
std::optional<PerSampleValues> ReducePerSampleEpochs(std::string_view reducer, const PerSampleValues& per_sample);

}  // namespace assay
