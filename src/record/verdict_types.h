// The verdict of a reproduction on one metric, as a reproduction record
// keeps it (docs/spec/claim.md, Reproduction; docs/verdicts.md): the kinds,
// the evidence tiers, and the comparison behind them. claim/verdict.h computes
// them; record readers and writers, and everything that shows them, use these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "record/points.h"

namespace assay {

// kNotComparable (reproduction/v2): the runs' configurations differ in a
// field that changes scores; the numbers are still recorded beside it.
enum class VerdictKind { kReproduced, kNotReproduced, kInconclusive, kDifferentWeights, kNotComparable };

enum class EvidenceTier {
  // Every sample of each run pairs with one of the other by id, with equal
  // input and output digests: the difference is exact (a zero-width interval).
  kIdenticalOutputs,
  // Every sample pairs by id with equal input digests, each side's aggregate
  // recomputes from its per-sample values: a paired interval (t for means,
  // the seeded bootstrap for other aggregates assay can compute).
  kSamePairedInputs,
  // Anything less: an unpaired interval from the two reported standard errors.
  kAggregatesOnly,
};

// The names records and output use, and their reverse (nullopt for others):
// "reproduced", "not reproduced", "inconclusive", "different weights", "not comparable";
// "identical outputs", "same inputs", "aggregates only".
std::string_view VerdictKindName(VerdictKind kind);
std::optional<VerdictKind> ParseVerdictKind(std::string_view name);
std::string_view EvidenceTierName(EvidenceTier tier);
std::optional<EvidenceTier> ParseEvidenceTier(std::string_view name);

inline constexpr double kDefaultMarginPoints = 2.0;

// How the two scores compare; everything here is in points on `scale`.
struct ScoreComparison {
  EvidenceTier tier = EvidenceTier::kAggregatesOnly;
  PointScale scale = PointScale::kProportion;
  bool higher_is_better = true;
  double claimed_points = 0;
  double reproduced_points = 0;
  double difference_points = 0;  // signed: positive = the reproducer did better
  // The 95 % interval of the difference; absent when the uncertainty is unknown.
  std::optional<double> low, high;
  // The difference over its standard error; absent when that is unknown or 0
  // (and for identical outputs, where the difference is exact).
  std::optional<double> difference_in_stderrs;
  uint64_t paired_samples = 0;  // 0 in the aggregates-only tier
};

// One configuration field in which a rerun differs from the claimed run
// (claim/config_comparison.h says which fields and how they are read).
struct ConfigDifference {
  // "num_fewshot", "generation.temperature", "dataset.split",
  // "harness_version", "task_version", "filter".
  std::string field;
  std::string claimed;  // each side's value as shown: "5", "none", "0.4", "3f2a9c1d04e7…"
  std::string reproduced;
  // A group's task it differs in ("mmlu_anatomy"); "" for the run as a whole.
  std::string task;
  // "num_fewshot 5 vs 0", "filter none vs get-answer", "mmlu_anatomy: num_fewshot 5 vs 0".
  std::string Describe() const;
  bool operator==(const ConfigDifference&) const = default;
};

// `--accept-difference FIELD=REASON`: the evaluator compared anyway, and why.
struct AcceptedDifference {
  std::string field;
  std::string reason;
  bool operator==(const AcceptedDifference&) const = default;
};

struct MetricVerdict {
  std::string metric;
  VerdictKind kind = VerdictKind::kInconclusive;
  double margin = kDefaultMarginPoints;
  // Absent exactly when kind is kDifferentWeights: build those with
  // DifferentWeightsVerdict, never by hand.
  std::optional<ScoreComparison> comparison;
  // One line saying why: the tier's evidence, and what was left out.
  std::string reason;
};

}  // namespace assay
