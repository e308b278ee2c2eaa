#include "json/float_text.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string_view>

namespace assay {
namespace {

// |value| = 0.DIGITS x 10^point, DIGITS the shortest round-trip digit string
// with no trailing zeros (one "0" for zero): `point` is CPython's "decpt".
struct ShortestDecimal {
  std::string digits;
  int point = 0;
};

ShortestDecimal Shortest(double value) {
  char text[64];
  // Scientific form: "D.DDDe+XX" or "De-XX"; shortest when no precision is given.
  auto [end, error] =
      std::to_chars(text, text + sizeof text, std::fabs(value), std::chars_format::scientific);
  ShortestDecimal out;
  const char* p = text;
  for (; p < end && *p != 'e'; ++p) {
    if (*p != '.') out.digits.push_back(*p);
  }
  // p points at 'e', then a sign and at least two digits.
  int exponent = 0;
  std::from_chars(p + 2, end, exponent);
  if (p[1] == '-') exponent = -exponent;
  out.point = exponent + 1;
  return out;
}

std::string Zeros(int count) {
  return std::string(count > 0 ? static_cast<size_t>(count) : 0, '0');
}

// "D.DDDe+XX": the exponent signed, with at least two digits ("1e-05", "1e+16").
std::string Scientific(const ShortestDecimal& decimal) {
  std::string out(1, decimal.digits[0]);
  if (decimal.digits.size() > 1) out += "." + decimal.digits.substr(1);
  const int exponent = decimal.point - 1;
  std::string magnitude = std::to_string(std::abs(exponent));
  if (magnitude.size() < 2) magnitude.insert(0, "0");
  return out + (exponent < 0 ? "e-" : "e+") + magnitude;
}

}  // namespace

std::string PythonFloatRepr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  const ShortestDecimal decimal = Shortest(value);
  const int digit_count = static_cast<int>(decimal.digits.size());
  const int point = decimal.point;
  std::string body;
  // CPython's float_repr_style 'short' (Python/pystrtod.c, format_float_short):
  // scientific when decpt <= -4 or decpt > 16, otherwise fixed with at least
  // one digit after the point.
  if (point <= -4 || point > 16) {
    body = Scientific(decimal);
  } else if (point <= 0) {
    body = "0." + Zeros(-point) + decimal.digits;
  } else if (point >= digit_count) {
    body = decimal.digits + Zeros(point - digit_count) + ".0";
  } else {
    body = decimal.digits.substr(0, static_cast<size_t>(point)) + "." +
           decimal.digits.substr(static_cast<size_t>(point));
  }
  return std::signbit(value) ? "-" + body : body;
}

}  // namespace assay
