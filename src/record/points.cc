#include "record/points.h"

#include <cmath>
#include <cstdio>

namespace assay {

double PointsPerUnit(PointScale scale) { return scale == PointScale::kProportion ? 100.0 : 1.0; }

std::string_view PointScaleName(PointScale scale) {
  return scale == PointScale::kProportion ? "proportion" : "metric units";
}

std::optional<PointScale> ParsePointScale(std::string_view name) {
  if (name == "proportion") return PointScale::kProportion;
  if (name == "metric units") return PointScale::kMetricUnits;
  return std::nullopt;
}

std::string_view PointUnit(PointScale scale) { return scale == PointScale::kProportion ? "points" : "units"; }

namespace {

bool WithinUnitInterval(std::span<const double> values) {
  for (double value : values) {
    if (std::isnan(value)) continue;
    if (!(value >= 0.0 && value <= 1.0)) return false;
  }
  return true;
}

}  // namespace

PointScale ScaleOf(std::span<const double> aggregates, std::span<const double> per_sample_a,
                   std::span<const double> per_sample_b) {
  bool proportion =
      WithinUnitInterval(aggregates) && WithinUnitInterval(per_sample_a) && WithinUnitInterval(per_sample_b);
  return proportion ? PointScale::kProportion : PointScale::kMetricUnits;
}

std::string FormatNumber(double value, int significant) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char text[64];
  std::snprintf(text, sizeof text, "%.*g", significant, value);
  return text;
}

int DigitsToDistinguish(double a, double b) {
  for (int digits = 6; digits < 17; ++digits) {
    if (FormatNumber(a, digits) != FormatNumber(b, digits)) return digits;
  }
  return 17;
}

std::string FormatPoints(double points, bool signed_form) {
  if (!std::isfinite(points)) return FormatNumber(points);
  // -0.004 would print as "-0.00": a difference that rounds to zero has no sign.
  if (std::fabs(points) < 0.005) points = 0.0;
  char text[64];
  std::snprintf(text, sizeof text, signed_form ? "%+.2f" : "%.2f", points);
  return text;
}

}  // namespace assay
