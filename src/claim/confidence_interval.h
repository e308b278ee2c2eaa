// The 95 % confidence intervals a verdict rests on (DESIGN.md, Verdicts): for
// the mean of paired per-sample differences, for the difference of two
// independent reported scores, and a paired bootstrap for aggregates that are
// not means. Pure arithmetic: deterministic, no I/O, no global state.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <span>

namespace assay {

// A two-sided 95 % interval around `estimate`, with the standard error it
// came from (the bootstrap's: the standard deviation of its replicates).
struct Interval {
  double estimate = 0;
  double low = 0;
  double high = 0;
  double standard_error = 0;
};

// The 0.975 quantile of the standard normal distribution.
inline constexpr double kNormalQuantile975 = 1.959963984540054;

// The 0.975 quantile of Student's t with `degrees_of_freedom` (> 0, need not
// be whole: Welch's are not), to about 1e-12: 12.7062 for 1, 2.0930 for 19,
// 1.9623 for 1000. Tends to kNormalQuantile975.
double StudentTQuantile975(double degrees_of_freedom);

// The mean of `differences` with a t interval (n - 1 degrees of freedom) from
// their sample standard deviation. nullopt for fewer than two values or a
// value that is not finite.
std::optional<Interval> PairedMeanInterval(std::span<const double> differences);

// `estimate` = b - a for two independent estimates with standard errors.
// With both sample counts known (each >= 2) the quantile is Student's t with
// Welch-Satterthwaite degrees of freedom, otherwise the normal one. nullopt
// when a standard error is not finite and > 0, or the estimate not finite.
std::optional<Interval> UnpairedDifferenceInterval(double estimate, double stderr_a, double stderr_b,
                                                   std::optional<uint64_t> n_a, std::optional<uint64_t> n_b);

// The paired percentile bootstrap: resample indices 0..n-1 with replacement
// (the same indices for both sides, which keeps each pair together), and take
// statistic(resampled b) - statistic(resampled a) for each of
// kBootstrapResamples replicates. The interval is the 50th smallest and the
// 50th largest replicate (2.5 % in each tail). The generator is std::mt19937_64,
// whose output the C++ standard fixes, seeded with kBootstrapSeed, and indices
// are drawn by rejection (not std::uniform_int_distribution, whose algorithm
// each standard library chooses), so the interval is the same on every
// platform and every run. nullopt for fewer than two pairs, mismatched spans,
// or a replicate that is not finite.
// A uniform index below `bound` (> 0) from the generator, the same on every
// platform (std::uniform_int_distribution's algorithm is the library's own).
uint64_t UniformIndex(std::mt19937_64& generator, uint64_t bound);

inline constexpr uint64_t kBootstrapSeed = 0x6173736179;  // "assay" in ASCII
inline constexpr int kBootstrapResamples = 2000;
using Statistic = std::function<std::optional<double>(std::span<const double>)>;
std::optional<Interval> PairedBootstrapInterval(std::span<const double> a, std::span<const double> b,
                                                const Statistic& statistic);

}  // namespace assay
