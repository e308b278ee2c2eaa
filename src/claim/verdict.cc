#include "claim/verdict.h"

#include <array>
#include <cmath>
#include <map>
#include <set>

#include "claim/confidence_interval.h"
#include "claim/score_recompute.h"

namespace assay {
namespace {

// Interval ends within this many points of ±M count as on it: 0.47 - 0.45
// scaled by 100 is 2.0000000000000018 in doubles, and the reader means 2.
constexpr double kEdgePoints = 1e-9;


// Whether the claimed side and the reproduced side can be compared sample by
// sample (docs/verdicts.md, "Pairing"): both runs must cover the same sample
// ids, each pair with the same non-empty input digest.
struct Pairing {
  uint64_t claimed = 0, reproduced = 0;  // samples the metric covers on each side
  uint64_t same_inputs = 0;              // ids on both sides with equal input digests
  uint64_t same_outputs = 0;             // ... and equal output digests
  std::string problem;                   // a repeated id makes pairing impossible

  bool complete() const {
    return problem.empty() && claimed > 0 && same_inputs == claimed && same_inputs == reproduced;
  }
  bool identical() const { return complete() && same_outputs == claimed; }
};

std::vector<const EvalSample*> Covered(const PerSampleValues& values) {
  std::vector<const EvalSample*> all = values.samples;
  all.insert(all.end(), values.lacking.begin(), values.lacking.end());
  return all;
}

Pairing Pair(const PerSampleValues& claimed, const PerSampleValues& reproduced) {
  Pairing pairing;
  std::map<std::string_view, const EvalSample*> by_id;
  for (const EvalSample* sample : Covered(reproduced)) {
    if (!by_id.emplace(sample->id, sample).second) {
      pairing.problem = "sample id '" + sample->id + "' repeats in the reproduction";
    }
  }
  pairing.reproduced = by_id.size();
  std::set<std::string_view> seen;
  for (const EvalSample* sample : Covered(claimed)) {
    if (!seen.insert(sample->id).second) pairing.problem = "sample id '" + sample->id + "' repeats in the claim";
    ++pairing.claimed;
    auto partner = by_id.find(sample->id);
    if (partner == by_id.end()) continue;
    const EvalSample& other = *partner->second;
    if (sample->input_digest.empty() || sample->input_digest != other.input_digest) continue;
    ++pairing.same_inputs;
    if (!sample->output_digest.empty() && sample->output_digest == other.output_digest) ++pairing.same_outputs;
  }
  return pairing;
}

std::string Count(uint64_t n) { return std::to_string(n); }

// The reproduction's value of each claimed sample, in the claim's order, for
// runs that pair completely (Pairing::complete).
std::vector<double> PairedValues(const PerSampleValues& claimed, const PerSampleValues& reproduced) {
  std::map<std::string_view, double> reproduced_by_id;
  for (size_t i = 0; i < reproduced.samples.size(); ++i) reproduced_by_id[reproduced.samples[i]->id] = reproduced.values[i];
  std::vector<double> values;
  values.reserve(claimed.samples.size());
  for (const EvalSample* sample : claimed.samples) values.push_back(reproduced_by_id.at(sample->id));
  return values;
}

std::string DecisionText(VerdictKind kind, double low, double high, double margin, PointScale scale) {
  std::string interval = "the 95% interval [" + FormatPoints(low) + ", " + FormatPoints(high) + "]";
  std::string m = FormatPoints(margin, false);
  std::string unit = " " + std::string(PointUnit(scale));
  if (kind == VerdictKind::kReproduced) return interval + " lies within ±" + m + unit;
  if (kind == VerdictKind::kNotReproduced) {
    return interval + (low > 0 ? " lies wholly above +" + m : " lies wholly below -" + m) + unit;
  }
  return interval + " is neither within ±" + m + unit + " nor wholly outside";
}

// What every tier starts from: the two reported values on the chosen scale,
// signed in the metric's direction. Returns a reason when no finite
// difference exists.
std::string Fill(ScoreComparison& comparison, double claimed_value, double reproduced_value) {
  double per_unit = PointsPerUnit(comparison.scale);
  comparison.claimed_points = claimed_value * per_unit;
  comparison.reproduced_points = reproduced_value * per_unit;
  double sign = comparison.higher_is_better ? 1.0 : -1.0;
  comparison.difference_points = sign * (comparison.reproduced_points - comparison.claimed_points);
  for (auto [side, value] : {std::pair{"claimed", claimed_value}, std::pair{"reproduced", reproduced_value}}) {
    if (!std::isfinite(value)) {
      return "the " + std::string(side) + " value is " + FormatNumber(value) + ": no finite difference";
    }
  }
  return "";
}

// Sets the interval (already in signed points) and the verdict it implies.
void Conclude(MetricVerdict& verdict, double low, double high, std::optional<double> standard_error,
              std::string prefix) {
  ScoreComparison& comparison = *verdict.comparison;
  comparison.low = low;
  comparison.high = high;
  if (standard_error && *standard_error > 0) {
    comparison.difference_in_stderrs = comparison.difference_points / *standard_error;
  }
  verdict.kind = DecideFromInterval(low, high, verdict.margin);
  verdict.reason = prefix + DecisionText(verdict.kind, low, high, verdict.margin, comparison.scale);
}

// A paired interval of reproduced minus claimed, in the metric's units, into
// signed points placed around the reported difference (the interval's own
// estimate differs from it by rounding only: both aggregates recomputed).
void ConcludePaired(MetricVerdict& verdict, const Interval& interval, const std::string& prefix) {
  const ScoreComparison& comparison = *verdict.comparison;
  double factor = PointsPerUnit(comparison.scale) * (comparison.higher_is_better ? 1.0 : -1.0);
  double low = interval.low * factor, high = interval.high * factor;
  if (low > high) std::swap(low, high);
  double shift = comparison.difference_points - interval.estimate * factor;
  Conclude(verdict, low + shift, high + shift, interval.standard_error * std::fabs(factor), prefix);
}

MetricVerdict Inconclusive(MetricVerdict verdict, std::string reason) {
  verdict.kind = VerdictKind::kInconclusive;
  verdict.reason = std::move(reason);
  return verdict;
}

std::optional<std::string> StderrProblem(std::string_view side, std::optional<double> standard_error) {
  if (!standard_error || std::isnan(*standard_error)) return std::string(side) + " gives no standard error";
  if (*standard_error == 0) return std::string(side) + " gives a standard error of 0";
  if (!(*standard_error > 0) || std::isinf(*standard_error)) {
    return std::string(side) + " gives a standard error of " + FormatNumber(*standard_error);
  }
  return std::nullopt;
}

// The aggregates-only tier. `note` says why no paired tier applied ("" when
// no samples were given).
MetricVerdict AggregatesVerdict(MetricVerdict verdict, const ReportedScore& claimed, const ReportedScore& reproduced,
                                const std::string& note) {
  ScoreComparison& comparison = *verdict.comparison;
  comparison.tier = EvidenceTier::kAggregatesOnly;
  std::string prefix = "aggregates only" + (note.empty() ? "" : " (" + note + ")") + ": ";
  std::string no_difference = Fill(comparison, claimed.value, reproduced.value);
  if (!no_difference.empty()) return Inconclusive(std::move(verdict), prefix + no_difference);
  // Unknown uncertainty is never a reason to call a score reproduced, even
  // when the two values are equal: small runs agree by chance.
  for (auto problem :
       {StderrProblem("the claim", claimed.stderr_value), StderrProblem("the reproduction", reproduced.stderr_value)}) {
    if (problem) return Inconclusive(std::move(verdict), prefix + *problem + ": uncertainty unknown");
  }
  double per_unit = PointsPerUnit(comparison.scale);
  std::optional<Interval> interval =
      UnpairedDifferenceInterval(comparison.difference_points, *claimed.stderr_value * per_unit,
                                 *reproduced.stderr_value * per_unit, claimed.n, reproduced.n);
  if (!interval) return Inconclusive(std::move(verdict), prefix + "no interval: uncertainty unknown");
  Conclude(verdict, interval->low, interval->high, interval->standard_error, prefix);
  return verdict;
}

MetricVerdict Start(std::string metric, const VerdictOptions& options) {
  MetricVerdict verdict;
  verdict.metric = std::move(metric);
  verdict.margin = options.margin;
  verdict.comparison.emplace();
  return verdict;
}

// The claim's direction rules; the reproduction's fills in when the claim is
// silent; neither saying anything means higher is better, and the reason says so.
bool Direction(std::optional<bool> claimed, std::optional<bool> reproduced, std::string& note) {
  if (claimed) return *claimed;
  if (reproduced) return *reproduced;
  note = "direction unknown, taken as higher is better; ";
  return true;
}

// Why the same-inputs tier cannot use these per-sample values ("" when it can).
std::string WhyNotPaired(const EvalMetric& claimed, const PerSampleValues& claimed_values, const EvalMetric& reproduced,
                         const PerSampleValues& reproduced_values) {
  if (claimed.aggregation != reproduced.aggregation) {
    return "the claim aggregates by '" + claimed.aggregation + "', the reproduction by '" + reproduced.aggregation +
           "'";
  }
  auto unsupported = [](std::string_view side, const EvalMetric& metric, const PerSampleValues& values) {
    ScoreRecomputation recomputation = RecomputeScoreFromValues(metric, values);
    if (!recomputation.recomputed) return std::string(side) + ": " + recomputation.why_not;
    if (!recomputation.value_matches) return std::string(side) + ": " + recomputation.value_mismatch;
    return std::string();
  };
  std::string why = unsupported("the claim", claimed, claimed_values);
  return why.empty() ? unsupported("the reproduction", reproduced, reproduced_values) : why;
}

ReportedScore Reported(const EvalMetric& metric, const PerSampleValues& values) {
  std::optional<uint64_t> n;
  if (!values.values.empty() && values.lacking.empty()) n = values.values.size();
  return {metric.value, metric.stderr_value, n};
}

// The identical-outputs tier: the difference of the reported values is exact.
MetricVerdict IdenticalOutputsVerdict(MetricVerdict verdict, const EvalMetric& claimed, const EvalMetric& reproduced,
                                      uint64_t samples) {
  ScoreComparison& comparison = *verdict.comparison;
  comparison.tier = EvidenceTier::kIdenticalOutputs;
  comparison.paired_samples = samples;
  std::string prefix = "identical outputs on all " + Count(samples) + " samples: ";
  std::string no_difference = Fill(comparison, claimed.value, reproduced.value);
  if (!no_difference.empty()) return Inconclusive(std::move(verdict), prefix + no_difference);
  double difference = comparison.difference_points;
  comparison.low = comparison.high = difference;
  verdict.kind = DecideFromInterval(difference, difference, verdict.margin);
  verdict.reason = prefix + "the difference is exactly " + FormatPoints(difference) + " " +
                   std::string(PointUnit(comparison.scale)) + ", " +
                   (verdict.kind == VerdictKind::kReproduced ? "within" : "beyond") + " ±" +
                   FormatPoints(verdict.margin, false);
  return verdict;
}

// The same-inputs tier, for runs that pair completely and whose aggregates
// both recompute: an interval over the per-sample values, pair by pair.
MetricVerdict SameInputsVerdict(MetricVerdict verdict, const EvalMetric& claimed, const PerSampleValues& claimed_values,
                                const EvalMetric& reproduced, const PerSampleValues& reproduced_values) {
  ScoreComparison& comparison = *verdict.comparison;
  comparison.tier = EvidenceTier::kSamePairedInputs;
  comparison.paired_samples = claimed_values.values.size();
  std::string prefix = Count(comparison.paired_samples) + " samples paired by input: ";
  std::string no_difference = Fill(comparison, claimed.value, reproduced.value);
  if (!no_difference.empty()) return Inconclusive(std::move(verdict), prefix + no_difference);

  const std::vector<double>& a = claimed_values.values;
  const std::vector<double> b = PairedValues(claimed_values, reproduced_values);
  std::vector<double> differences;
  for (size_t i = 0; i < a.size(); ++i) differences.push_back(b[i] - a[i]);
  std::optional<Interval> interval = claimed.aggregation == "mean"
                                         ? PairedMeanInterval(differences)
                                         : PairedBootstrapInterval(a, b, [&claimed](std::span<const double> v) {
                                             return Aggregate(claimed.aggregation, v);
                                           });
  if (!interval) return Inconclusive(std::move(verdict), prefix + "no interval from fewer than two finite pairs");
  ConcludePaired(verdict, *interval, prefix);
  return verdict;
}

// Which side has no samples, for a verdict that falls back to the aggregates;
// `claim_samples_missing`: the caller's better reason for the claim's side.
std::string NoSamplesReason(uint64_t claimed_covered, uint64_t reproduced_covered,
                            const std::string& claim_samples_missing) {
  if (claimed_covered > 0) return "the reproduction has no samples";
  if (claim_samples_missing.empty()) return reproduced_covered > 0 ? "the claim has no samples" : "neither run has samples";
  return reproduced_covered > 0 ? claim_samples_missing : "the reproduction has no samples, and " + claim_samples_missing;
}

// Picks the best tier the two runs allow (docs/verdicts.md, "Evidence tiers").
MetricVerdict Compare(MetricVerdict verdict, const EvalMetric& claimed, const PerSampleValues& claimed_values,
                      const EvalMetric& reproduced, const PerSampleValues& reproduced_values,
                      const std::string& claim_samples_missing) {
  if (Status margin = CheckMargin(verdict.margin); !margin.ok()) {
    Fill(*verdict.comparison, claimed.value, reproduced.value);
    return Inconclusive(std::move(verdict), margin.message());
  }
  ReportedScore claimed_score = Reported(claimed, claimed_values);
  ReportedScore reproduced_score = Reported(reproduced, reproduced_values);
  if (claimed_values.covered() == 0 || reproduced_values.covered() == 0) {
    return AggregatesVerdict(std::move(verdict), claimed_score, reproduced_score,
                             NoSamplesReason(claimed_values.covered(), reproduced_values.covered(), claim_samples_missing));
  }
  Pairing pairing = Pair(claimed_values, reproduced_values);
  if (!pairing.complete()) {
    std::string why = !pairing.problem.empty() ? pairing.problem
                                               : Count(pairing.same_inputs) + " of " + Count(pairing.claimed) +
                                                     " claimed samples pair by id and input digest with the "
                                                     "reproduction's " +
                                                     Count(pairing.reproduced);
    return AggregatesVerdict(std::move(verdict), claimed_score, reproduced_score, why);
  }
  if (pairing.identical()) return IdenticalOutputsVerdict(std::move(verdict), claimed, reproduced, pairing.claimed);
  std::string why_not = WhyNotPaired(claimed, claimed_values, reproduced, reproduced_values);
  if (!why_not.empty()) return AggregatesVerdict(std::move(verdict), claimed_score, reproduced_score, why_not);
  return SameInputsVerdict(std::move(verdict), claimed, claimed_values, reproduced, reproduced_values);
}

// One task of a group comparison, reduced while its samples are at hand to
// what the group's verdict needs of it: how its samples pair, why its
// paired values could not be used, and its paired difference.
struct TaskPairing {
  std::string task;
  double weight = 0;
  const EvalMetric* claimed = nullptr;
  const EvalMetric* reproduced = nullptr;
  uint64_t claimed_covered = 0, reproduced_covered = 0;
  Pairing pairing;
  std::string why_not_paired;      // when the pairing is complete
  std::optional<Interval> within;  // the task's paired mean difference, when complete
  uint64_t pairs = 0;
};

// Reduces one task, appending its per-sample values to each side's `all`.
void ReduceTask(TaskPairing& task, std::span<const EvalSample> claimed_samples,
                std::span<const EvalSample> reproduced_samples, std::vector<double>& claimed_all,
                std::vector<double>& reproduced_all) {
  const PerSampleValues claimed = CollectPerSampleValues(*task.claimed, claimed_samples);
  const PerSampleValues reproduced = CollectPerSampleValues(*task.reproduced, reproduced_samples);
  claimed_all.insert(claimed_all.end(), claimed.values.begin(), claimed.values.end());
  reproduced_all.insert(reproduced_all.end(), reproduced.values.begin(), reproduced.values.end());
  task.claimed_covered = claimed.covered();
  task.reproduced_covered = reproduced.covered();
  task.pairing = Pair(claimed, reproduced);
  if (!task.pairing.complete()) return;
  task.why_not_paired = WhyNotPaired(*task.claimed, claimed, *task.reproduced, reproduced);
  if (task.why_not_paired.empty() && task.claimed->aggregation != "mean") {
    task.why_not_paired =
        "it aggregates by '" + task.claimed->aggregation + "', and a group's paired interval weighs task means";
  }
  std::vector<double> differences = PairedValues(claimed, reproduced);
  for (size_t i = 0; i < differences.size(); ++i) differences[i] -= claimed.values[i];
  task.within = PairedMeanInterval(differences);
  task.pairs = differences.size();
}

// The paired difference of a group score: each task's mean paired difference
// weighed as the group's score weighs the task, with the variance of a
// stratified mean (the tasks' weighted paired variances summed) and
// Welch-Satterthwaite degrees of freedom; nullopt with `why` when a task has
// fewer than two pairs or a value that is not finite.
std::optional<Interval> StratifiedPairedInterval(const std::vector<TaskPairing>& tasks, std::string& why) {
  double estimate = 0, variance = 0, df_denominator = 0;
  uint64_t pairs = 0;
  for (const TaskPairing& task : tasks) {
    if (!task.within) {
      why = "task " + task.task + ": no interval from fewer than two finite pairs";
      return std::nullopt;
    }
    const double n = static_cast<double>(task.pairs);
    const double part = task.weight * task.weight * task.within->standard_error * task.within->standard_error;
    estimate += task.weight * task.within->estimate;
    variance += part;
    df_denominator += part * part / (n - 1);
    pairs += task.pairs;
  }
  const double degrees = df_denominator > 0 ? variance * variance / df_denominator
                                            : static_cast<double>(pairs - tasks.size());
  const double half = degrees > 0 ? StudentTQuantile975(degrees) * std::sqrt(variance) : 0;
  return Interval{estimate, estimate - half, estimate + half, std::sqrt(variance)};
}

}  // namespace

VerdictKind DecideFromInterval(double low, double high, double margin) {
  if (low >= -margin - kEdgePoints && high <= margin + kEdgePoints) return VerdictKind::kReproduced;
  if (low > margin + kEdgePoints || high < -margin - kEdgePoints) return VerdictKind::kNotReproduced;
  return VerdictKind::kInconclusive;
}

ReportedScore ReportedScoreOf(const EvalMetric& metric, std::span<const EvalSample> samples) {
  return Reported(metric, CollectPerSampleValues(metric, samples));
}

Status CheckMargin(double points) {
  if (std::isfinite(points) && points >= 0) return Status::Ok();
  return Status::InvalidInput("margin must be a finite number of points >= 0, not " + FormatNumber(points));
}

MetricVerdict CompareAggregates(std::string metric, const ReportedScore& claimed, const ReportedScore& reproduced,
                                std::optional<bool> higher_is_better, std::optional<PointScale> scale,
                                const VerdictOptions& options) {
  MetricVerdict verdict = Start(std::move(metric), options);
  std::string note;
  verdict.comparison->higher_is_better = Direction(higher_is_better, std::nullopt, note);
  std::array<double, 2> values = {claimed.value, reproduced.value};
  verdict.comparison->scale = scale ? *scale : ScaleOf(values);
  if (Status margin = CheckMargin(options.margin); !margin.ok()) {
    Fill(*verdict.comparison, claimed.value, reproduced.value);
    return Inconclusive(std::move(verdict), margin.message());
  }
  verdict = AggregatesVerdict(std::move(verdict), claimed, reproduced, "");
  verdict.reason = note + verdict.reason;
  return verdict;
}

MetricVerdict CompareMetric(const EvalMetric& claimed, std::span<const EvalSample> claimed_samples,
                            const EvalMetric& reproduced, std::span<const EvalSample> reproduced_samples,
                            const VerdictOptions& options) {
  MetricVerdict verdict = Start(claimed.name, options);
  std::string note;
  verdict.comparison->higher_is_better = Direction(claimed.higher_is_better, reproduced.higher_is_better, note);
  PerSampleValues claimed_values = CollectPerSampleValues(claimed, claimed_samples);
  PerSampleValues reproduced_values = CollectPerSampleValues(reproduced, reproduced_samples);
  std::array<double, 2> values = {claimed.value, reproduced.value};
  verdict.comparison->scale = ScaleOf(values, claimed_values.values, reproduced_values.values);
  verdict = Compare(std::move(verdict), claimed, claimed_values, reproduced, reproduced_values, options.claim_samples_missing);
  verdict.reason = note + verdict.reason;
  return verdict;
}

MetricVerdict DifferentWeightsVerdict(std::string metric, std::string_view claimed_root, std::string_view observed_root,
                                      const VerdictOptions& options) {
  MetricVerdict verdict;
  verdict.metric = std::move(metric);
  verdict.kind = VerdictKind::kDifferentWeights;
  verdict.margin = options.margin;
  verdict.reason = "the reproduction ran on weights root " + std::string(observed_root) + ", the claim binds " +
                   std::string(claimed_root) + ": no score comparison";
  return verdict;
}

MetricVerdict CompareGroupMetric(const EvalMetric& claimed, std::optional<uint64_t> claimed_n, const EvalMetric& reproduced,
                                 std::optional<uint64_t> reproduced_n, const std::map<std::string, GroupTaskMetrics>& tasks_metrics,
                                 const GroupSamples& samples, const std::map<std::string, double>& weights,
                                 const VerdictOptions& options) {
  MetricVerdict verdict = Start(claimed.name, options);
  std::string note;
  verdict.comparison->higher_is_better = Direction(claimed.higher_is_better, reproduced.higher_is_better, note);
  std::vector<TaskPairing> tasks;
  std::vector<double> claimed_all, reproduced_all;
  std::string missing;
  for (const auto& [task, weight] : weights) {
    const auto metrics = tasks_metrics.find(task);
    if (metrics == tasks_metrics.end() || metrics->second.claimed == nullptr || metrics->second.reproduced == nullptr) {
      missing = "task " + task + " is not scored on both sides";
      continue;
    }
    TaskPairing& pairing = tasks.emplace_back();
    pairing.task = task;
    pairing.weight = weight;
    pairing.claimed = metrics->second.claimed;
    pairing.reproduced = metrics->second.reproduced;
    samples(task, [&](std::span<const EvalSample> ours, std::span<const EvalSample> theirs) {
      ReduceTask(pairing, ours, theirs, claimed_all, reproduced_all);
    });
  }
  std::array<double, 2> values = {claimed.value, reproduced.value};
  verdict.comparison->scale = ScaleOf(values, claimed_all, reproduced_all);
  auto finish = [&note](MetricVerdict done) {
    done.reason = note + done.reason;
    return done;
  };
  if (Status margin = CheckMargin(verdict.margin); !margin.ok()) {
    Fill(*verdict.comparison, claimed.value, reproduced.value);
    return finish(Inconclusive(std::move(verdict), margin.message()));
  }
  auto aggregates = [&](const std::string& why) {
    return finish(AggregatesVerdict(std::move(verdict), {claimed.value, claimed.stderr_value, claimed_n},
                                    {reproduced.value, reproduced.stderr_value, reproduced_n}, why));
  };
  if (!missing.empty()) return aggregates(missing);
  if (tasks.empty()) return aggregates("no task has the metric");
  uint64_t claimed_covered = 0, reproduced_covered = 0, paired = 0;
  bool identical = true;
  for (const TaskPairing& task : tasks) {
    claimed_covered += task.claimed_covered;
    reproduced_covered += task.reproduced_covered;
  }
  if (claimed_covered == 0 || reproduced_covered == 0) {
    return aggregates(NoSamplesReason(claimed_covered, reproduced_covered, options.claim_samples_missing));
  }
  for (const TaskPairing& task : tasks) {
    const Pairing& pairing = task.pairing;
    if (!pairing.complete()) {
      return aggregates("task " + task.task + ": " +
                        (!pairing.problem.empty() ? pairing.problem
                                                  : Count(pairing.same_inputs) + " of " + Count(pairing.claimed) +
                                                        " claimed samples pair by id and input digest with the "
                                                        "reproduction's " + Count(pairing.reproduced)));
    }
    paired += pairing.claimed;
    identical = identical && pairing.identical();
  }
  if (identical) return finish(IdenticalOutputsVerdict(std::move(verdict), claimed, reproduced, paired));
  for (const TaskPairing& task : tasks) {
    if (!task.why_not_paired.empty()) return aggregates("task " + task.task + ": " + task.why_not_paired);
  }
  ScoreComparison& comparison = *verdict.comparison;
  comparison.tier = EvidenceTier::kSamePairedInputs;
  comparison.paired_samples = paired;
  const std::string prefix = Count(paired) + " samples of " + Count(tasks.size()) +
                             " tasks paired by input, each task weighed as the group's score weighs it: ";
  std::string no_difference = Fill(comparison, claimed.value, reproduced.value);
  if (!no_difference.empty()) return finish(Inconclusive(std::move(verdict), prefix + no_difference));
  std::string why;
  std::optional<Interval> interval = StratifiedPairedInterval(tasks, why);
  if (!interval) return finish(Inconclusive(std::move(verdict), prefix + why));
  ConcludePaired(verdict, *interval, prefix);
  return finish(std::move(verdict));
}

}  // namespace assay
