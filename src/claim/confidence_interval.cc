#include "claim/confidence_interval.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace assay {
namespace {

// The regularized incomplete beta function I_x(a, b) by its continued
// fraction, evaluated with the modified Lentz method. `x` and `one_minus_x`
// are both passed so neither loses digits near 1.
double RegularizedIncompleteBeta(double a, double b, double x, double one_minus_x) {
  if (x <= 0) return 0;
  if (one_minus_x <= 0) return 1;
  // The fraction converges quickly below (a + 1) / (a + b + 2); above it, use
  // I_x(a, b) = 1 - I_{1-x}(b, a).
  if (x > (a + 1) / (a + b + 2)) return 1 - RegularizedIncompleteBeta(b, a, one_minus_x, x);

  double log_front = a * std::log(x) + b * std::log1p(-x) + std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b);
  constexpr double kTiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double fraction = d;
  for (int m = 1; m <= 10000; ++m) {
    double dm = static_cast<double>(m);
    // Even step: m (b - m) x / ((a + 2m - 1)(a + 2m)).
    double numerator = dm * (b - dm) * x / ((a + 2 * dm - 1) * (a + 2 * dm));
    d = 1 + numerator * d;
    c = 1 + numerator / c;
    if (std::fabs(d) < kTiny) d = kTiny;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    fraction *= d * c;
    // Odd step: -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)).
    numerator = -(a + dm) * (a + b + dm) * x / ((a + 2 * dm) * (a + 2 * dm + 1));
    d = 1 + numerator * d;
    c = 1 + numerator / c;
    if (std::fabs(d) < kTiny) d = kTiny;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    double step = d * c;
    fraction *= step;
    if (std::fabs(step - 1) < 1e-16) break;
  }
  return std::exp(log_front) * fraction / a;
}

// P(|T| > t) for Student's t with nu degrees of freedom.
double TwoSidedTail(double t, double nu) {
  double t2 = t * t;
  return RegularizedIncompleteBeta(nu / 2, 0.5, nu / (nu + t2), t2 / (nu + t2));
}

double Mean(std::span<const double> values) {
  double sum = 0;
  for (double value : values) sum += value;
  return sum / static_cast<double>(values.size());
}

double SampleStandardDeviation(std::span<const double> values, double mean) {
  double squares = 0;
  for (double value : values) squares += (value - mean) * (value - mean);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

bool AllFinite(std::span<const double> values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

Interval Around(double estimate, double standard_error, double quantile) {
  return {estimate, estimate - quantile * standard_error, estimate + quantile * standard_error, standard_error};
}

}  // namespace

// Rejects the top partial block of 2^64 so every index is equally likely.
uint64_t UniformIndex(std::mt19937_64& generator, uint64_t bound) {
  uint64_t limit = std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % bound;
  uint64_t draw;
  do {
    draw = generator();
  } while (draw >= limit);
  return draw % bound;
}

double StudentTQuantile975(double nu) {
  if (!(nu >= 1)) return std::numeric_limits<double>::infinity();  // fewer than one: no bound worth giving
  if (nu > 1e7) {
    // Cornish-Fisher: the terms left out are below 1e-20 here.
    double z = kNormalQuantile975, z3 = z * z * z, z5 = z3 * z * z;
    return z + (z3 + z) / (4 * nu) + (5 * z5 + 16 * z3 + 3 * z) / (96 * nu * nu);
  }
  // The tail falls as t grows; t(0.975, 1) = 12.71 bounds every nu >= 1.
  double low = kNormalQuantile975, high = 13;
  for (int step = 0; step < 200 && high - low > 1e-15 * high; ++step) {
    double middle = (low + high) / 2;
    (TwoSidedTail(middle, nu) > 0.05 ? low : high) = middle;
  }
  return (low + high) / 2;
}

std::optional<Interval> PairedMeanInterval(std::span<const double> differences) {
  if (differences.size() < 2 || !AllFinite(differences)) return std::nullopt;
  double mean = Mean(differences);
  double n = static_cast<double>(differences.size());
  double standard_error = SampleStandardDeviation(differences, mean) / std::sqrt(n);
  return Around(mean, standard_error, StudentTQuantile975(n - 1));
}

std::optional<Interval> UnpairedDifferenceInterval(double estimate, double stderr_a, double stderr_b,
                                                   std::optional<uint64_t> n_a, std::optional<uint64_t> n_b) {
  auto usable = [](double s) { return std::isfinite(s) && s > 0; };
  if (!std::isfinite(estimate) || !usable(stderr_a) || !usable(stderr_b)) return std::nullopt;
  double variance_a = stderr_a * stderr_a, variance_b = stderr_b * stderr_b;
  double standard_error = std::sqrt(variance_a + variance_b);
  if (!n_a || !n_b || *n_a < 2 || *n_b < 2) return Around(estimate, standard_error, kNormalQuantile975);
  // Welch-Satterthwaite, written with the standard errors s_i^2 / n_i.
  double degrees = (variance_a + variance_b) * (variance_a + variance_b) /
                   (variance_a * variance_a / static_cast<double>(*n_a - 1) +
                    variance_b * variance_b / static_cast<double>(*n_b - 1));
  return Around(estimate, standard_error, StudentTQuantile975(degrees));
}

std::optional<Interval> PairedBootstrapInterval(std::span<const double> a, std::span<const double> b,
                                                const Statistic& statistic) {
  if (a.size() != b.size() || a.size() < 2) return std::nullopt;
  std::optional<double> stat_a = statistic(a), stat_b = statistic(b);
  if (!stat_a || !stat_b || !std::isfinite(*stat_b - *stat_a)) return std::nullopt;

  std::mt19937_64 generator(kBootstrapSeed);
  std::vector<double> replicates, resample_a(a.size()), resample_b(b.size());
  replicates.reserve(kBootstrapResamples);
  for (int r = 0; r < kBootstrapResamples; ++r) {
    for (size_t i = 0; i < a.size(); ++i) {
      uint64_t pick = UniformIndex(generator, a.size());
      resample_a[i] = a[pick];
      resample_b[i] = b[pick];
    }
    std::optional<double> replicate_a = statistic(resample_a), replicate_b = statistic(resample_b);
    if (!replicate_a || !replicate_b || !std::isfinite(*replicate_b - *replicate_a)) return std::nullopt;
    replicates.push_back(*replicate_b - *replicate_a);
  }
  double spread = SampleStandardDeviation(replicates, Mean(replicates));
  std::sort(replicates.begin(), replicates.end());
  constexpr size_t kTail = kBootstrapResamples / 40;  // 2.5 % of the replicates
  return Interval{*stat_b - *stat_a, replicates[kTail - 1], replicates[kBootstrapResamples - kTail], spread};
}

}  // namespace assay
