// Recomputing a reported score from the per-sample values of its transcript
// (issue 5, item 3): a claim is signed only when its transcript supports its
// score, and verifiers recompute too. The verdict's paired tiers use the same
// per-sample values (claim/verdict.h).
//
// Pure functions over the internal eval form (evallog/eval_run.h): no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "evallog/eval_run.h"

namespace assay {

// The per-sample values one metric aggregates, in the run's sample order.
//
// Which samples a metric covers: lm-eval writes one row per document and
// filter, and its keys are "metric,filter", so the rows of another filter
// (gsm8k's "strict-match" rows for "exact_match,flexible-extract") carry keys
// of that filter only and are not this metric's samples. A sample is covered
// unless the metric's key names a filter and every key the sample carries
// names a different one. Keys without a comma (Inspect, generic JSONL) cover
// every sample.
struct PerSampleValues {
  // Pointers into the samples passed to CollectPerSampleValues: valid while it lives.
  std::vector<const EvalSample*> samples;  // covered samples that carry the key
  std::vector<double> values;              // values[i] is samples[i]'s value
  std::vector<const EvalSample*> lacking;  // covered samples without the key

  uint64_t covered() const { return samples.size() + lacking.size(); }
};

PerSampleValues CollectPerSampleValues(const EvalMetric& metric, std::span<const EvalSample> samples);

// The aggregations assay can compute from per-sample values alone, by the
// harness's own name: "mean"; "nanmean" (the mean of the values that are not
// NaN); "median" (of the sorted values, the mean of the middle two for an even
// count: lm-eval's own "median" takes the middle element of the unsorted list
// and so will not recompute); "perplexity" (lm-eval's exp(-mean) of per-sample
// log-likelihoods). nullopt for any other name ("f1", "bleu", "matthews_corrcoef":
// they need each sample's gold and prediction) or for no values.
std::optional<double> Aggregate(std::string_view aggregation, std::span<const double> values);
bool CanAggregate(std::string_view aggregation);

// The mean's standard error as both harnesses report it: the sample standard
// deviation (divisor n - 1) over sqrt(n). lm-eval's mean_stderr and Inspect's
// stderr metric (scorer/_metrics/std.py: np.std(ddof=1) / sqrt(n)) are this
// formula. nullopt for fewer than two values (lm-eval writes "N/A", Inspect 0)
// or when a value is not finite (the harness gets NaN).
std::optional<double> MeanStandardError(std::span<const double> values);

struct ScoreRecomputation {
  bool recomputed = false;
  // Why not, one line, when !recomputed: "aggregation 'f1' is not a mean of
  // per-sample values ...", "no per-sample values for 'acc,none'", "3 of 100
  // samples lack 'acc,none' (first: 17/none)".
  std::string why_not;

  uint64_t n = 0;                      // values aggregated
  double value = 0;                    // the recomputed aggregate
  std::optional<double> stderr_value;  // for "mean" only (MeanStandardError)

  // The reported value equals the recomputed one up to floating-point
  // summation order (see RecomputeScore). Equal infinities match; NaN matches
  // only NaN. A claim whose value does not match is not supported.
  bool value_matches = false;
  // One line giving both numbers, in the metric's scale and, for a
  // proportion, in points: "per-sample 'acc,none' values of 1000 samples
  // average to 0.792 (79.2 points), not the 0.899 (89.9 points) the log reports".
  std::string value_mismatch;

  // The reported standard error against the recomputed one, with the same
  // tolerance; nullopt when either is absent. Harnesses offer other estimators
  // (Inspect's clustered stderr, bootstrap), so a mismatch here is for the
  // caller to show, not a reason by itself to refuse a claim.
  std::optional<bool> stderr_matches;
  std::string stderr_mismatch;

  bool supported() const { return recomputed && value_matches; }
};

// Recomputes `metric` from the per-sample values of `samples` under
// metric.per_sample_key. Not recomputable when the aggregation is not one of
// Aggregate's, the metric has no per-sample key, no covered sample carries
// the key, or some covered samples lack it (a subset mean proves nothing
// about the reported one).
//
// Tolerance: Python's left-to-right sum of n values is exact to within
// (n - 1) u sum|x| (u = DBL_EPSILON / 2, the unit round-off), NumPy's pairwise
// sum to within log2(n) u sum|x|, and assay's compensated sum to within
// 2 u sum|x|; the division adds u. Two computations of the same mean may
// therefore differ by up to about (n + 2) u mean|x|. Values match when they
// differ by at most (n + 4) DBL_EPSILON mean|x|, twice that bound: for a
// proportion over 100,000 samples, 2e-11 points. Anything larger is a
// different score, not rounding.
ScoreRecomputation RecomputeScore(const EvalMetric& metric, std::span<const EvalSample> samples);
// The same from values already collected for `metric`.
ScoreRecomputation RecomputeScoreFromValues(const EvalMetric& metric, const PerSampleValues& per_sample);

}  // namespace assay
