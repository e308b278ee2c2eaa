// The verdict of a reproduction on one metric of a claim (DESIGN.md,
// Verdicts; docs/verdicts.md gives the rules with worked examples).
//
// Both scores go on the 0-100 point scale (record/points.h) and their
// difference is signed in the metric's direction: positive means the
// reproducer did better. The difference gets a 95 % interval from the best
// evidence the two transcripts allow, and with a margin of M points:
//   reproduced      the whole interval lies within [-M, +M] (the edges count as within)
//   not reproduced  the interval lies wholly above +M or wholly below -M
//   inconclusive    otherwise, and whenever the uncertainty is unknown
// A reproduction on other weights gets "different weights" and no numbers.
//
// Pure functions: no I/O, deterministic (the bootstrap is seeded).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "record/points.h"
#include "record/verdict_types.h"
#include "evallog/eval_run.h"
#include "status.h"

namespace assay {


struct VerdictOptions {
  double margin = kDefaultMarginPoints;  // M, in points; recorded with every verdict
  // Why the claim's side holds no samples, when the caller knows better than
  // "the claim has no samples" (it committed to a transcript whose opening
  // was not given).
  std::string claim_samples_missing = {};
};

// The rule above, on a 95 % interval [low, high] of the difference in points.
VerdictKind DecideFromInterval(double low, double high, double margin);

// kInvalidInput unless `points` is a finite number >= 0: for the command that
// takes the margin from a flag. CompareMetric answers "inconclusive" for a bad one.
Status CheckMargin(double points);


// Compares one metric of a claim with the reproducer's, each with the samples
// of its run (either list may be empty: then the aggregates-only tier). How
// samples pair, and what happens when only some do, is in docs/verdicts.md:
// paired tiers need the two runs to cover the same samples; otherwise the
// comparison falls back to the aggregates and the reason says how many paired.
MetricVerdict CompareMetric(const EvalMetric& claimed, std::span<const EvalSample> claimed_samples,
                            const EvalMetric& reproduced, std::span<const EvalSample> reproduced_samples,
                            const VerdictOptions& options);

// One task of a group as a group comparison takes it: the task's metric that
// the group's score aggregates on each side (null when that side lacks it).
struct GroupTaskMetrics {
  const EvalMetric* claimed = nullptr;
  const EvalMetric* reproduced = nullptr;
};

// Gives one task's samples, the claim's and the reproduction's, to `look`;
// they need live only during that call, so that a group of any size is
// compared holding one task's samples at a time.
using TaskSamplesLook = std::function<void(std::span<const EvalSample> claimed, std::span<const EvalSample> reproduced)>;
using GroupSamples = std::function<void(const std::string& task, const TaskSamplesLook& look)>;

// Compares a group's score (docs/verdicts.md, "Groups"). `tasks` gives each
// task's metric on both sides, `samples` each task's samples, one task at a
// time. Paired tiers pair the samples of every task the group's score
// takes, task by task; each task's mean paired difference counts with
// `weights[task]`, its weight in the claimed group score (GroupTaskWeights,
// by the claim's rule), and the interval is a stratified one (the tasks'
// weighted paired variances summed, Welch-Satterthwaite degrees of freedom).
// Identical outputs on every pair make the difference of the reported group
// scores exact. Anything less is the aggregates tier, from the groups'
// reported scores and (pooled) standard errors, with `claimed_n` and
// `reproduced_n` the samples behind them.
MetricVerdict CompareGroupMetric(const EvalMetric& claimed, std::optional<uint64_t> claimed_n, const EvalMetric& reproduced,
                                 std::optional<uint64_t> reproduced_n, const std::map<std::string, GroupTaskMetrics>& tasks,
                                 const GroupSamples& samples, const std::map<std::string, double>& weights,
                                 const VerdictOptions& options);

// One side's numbers as a record keeps them.
struct ReportedScore {
  double value = 0;
  std::optional<double> stderr_value;
  std::optional<uint64_t> n;  // samples behind the value, when known
};

// What CompareMetric's aggregates tier uses of one side, for a record to keep:
// the reported value and standard error, and as n the number of per-sample
// values when every sample of the metric has one (unknown otherwise).
ReportedScore ReportedScoreOf(const EvalMetric& metric, std::span<const EvalSample> samples);

// The aggregates-only tier from recorded numbers alone: what a verifier runs
// to recompute a recorded aggregates-only verdict. `scale` is the recorded
// one (nullopt: chosen from the two values); `higher_is_better` nullopt is
// taken as true and said so in the reason.
MetricVerdict CompareAggregates(std::string metric, const ReportedScore& claimed, const ReportedScore& reproduced,
                                std::optional<bool> higher_is_better, std::optional<PointScale> scale,
                                const VerdictOptions& options);

// The verdict for a reproduction whose observed weights root differs from the
// one the claim binds (roots as hex): no score comparison at all.
MetricVerdict DifferentWeightsVerdict(std::string metric, std::string_view claimed_root, std::string_view observed_root,
                                      const VerdictOptions& options);

}  // namespace assay
