// The 0-100 point scale verdicts are stated on (DESIGN.md, Verdicts), and the
// number formatting that recomputation and verdict messages share.
//
// A proportion metric (accuracy, exact match: the aggregate and every
// per-sample value lie in [0, 1]) is shown in points: its value times 100, so
// 0.792 is 79.2 points and a margin of 2 points is 0.02 of the proportion.
// Any other metric (mean absolute error, perplexity, a score already on 0-100)
// keeps its own units, and "points" then means units of the metric. The rule
// looks only at the values, so a metric whose values happen to lie in [0, 1]
// (bits per byte of 0.8) is read as a proportion too; the scale chosen is
// recorded with each verdict so a reader never has to guess it again.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace assay {

enum class PointScale {
  kProportion,   // value x 100
  kMetricUnits,  // value x 1
};

double PointsPerUnit(PointScale scale);
// "proportion", "metric units": the names records and output use.
std::string_view PointScaleName(PointScale scale);
std::optional<PointScale> ParsePointScale(std::string_view name);
// The word for a difference on the scale: "points", or "units" of the metric.
std::string_view PointUnit(PointScale scale);

// kProportion when every value of every set lies in [0, 1]; NaN values carry
// no scale and are skipped, ±Infinity makes the scale kMetricUnits.
PointScale ScaleOf(std::span<const double> aggregates, std::span<const double> per_sample_a = {},
                   std::span<const double> per_sample_b = {});

// `value` with `significant` significant digits, trailing zeros dropped:
// 0.792 -> "0.792", 79.2 -> "79.2", NaN -> "NaN", +Infinity -> "Infinity" (the
// spellings of DESIGN.md's canonical JSON).
std::string FormatNumber(double value, int significant = 6);

// The significant-digit count (from 6 up to 17) at which FormatNumber tells
// `a` and `b` apart, so a message never shows two different numbers as one.
int DigitsToDistinguish(double a, double b);

// Points with two decimals and an explicit sign for differences: "+0.50",
// "-10.70"; FormatPoints(x, false) omits the plus sign.
std::string FormatPoints(double points, bool signed_form = true);

}  // namespace assay
