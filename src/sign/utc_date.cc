#include "sign/utc_date.h"

#include <cstdio>

#include "utc_time.h"

namespace assay {

std::optional<UtcDate> UtcDate::Parse(std::string_view text) {
  if (text.size() != 8) return std::nullopt;
  int value[3] = {0, 0, 0};
  const size_t widths[3] = {4, 2, 2};
  size_t position = 0;
  for (int field = 0; field < 3; ++field) {
    for (size_t i = 0; i < widths[field]; ++i, ++position) {
      char c = text[position];
      if (c < '0' || c > '9') return std::nullopt;
      value[field] = value[field] * 10 + (c - '0');
    }
  }
  UtcDate date{value[0], value[1], value[2]};
  if (date.year < 1970 || !IsRealDate({date.year, date.month, date.day})) return std::nullopt;
  return date;
}

UtcDate UtcDate::FromUnixSeconds(int64_t unix_seconds) {
  const CivilDate date = CivilFromDays(unix_seconds / 86400 - (unix_seconds % 86400 < 0 ? 1 : 0));
  return UtcDate{static_cast<int>(date.year), date.month, date.day};
}

std::string UtcDate::ToCompact() const {
  char text[16];
  std::snprintf(text, sizeof text, "%04d%02d%02d", year, month, day);
  return text;
}

std::string UtcDate::ToIso() const {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
  return text;
}

int64_t UtcDate::ToUnixSeconds() const { return DaysFromCivil({year, month, day}) * 86400; }

}  // namespace assay
