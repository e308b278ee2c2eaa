#include "sign/utc_date.h"

#include <cstdio>

namespace assay {
namespace {

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to the date: Howard Hinnant's days_from_civil
// (https://howardhinnant.github.io/date_algorithms.html), public domain.
int64_t DaysFromCivil(int year, int month, int day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

}  // namespace

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
  if (date.year < 1970 || date.month < 1 || date.month > 12 || date.day < 1 ||
      date.day > DaysInMonth(date.year, date.month)) {
    return std::nullopt;
  }
  return date;
}

UtcDate UtcDate::FromUnixSeconds(int64_t unix_seconds) {
  // civil_from_days, from the same source.
  int64_t days = unix_seconds / 86400 - (unix_seconds % 86400 < 0 ? 1 : 0) + 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_index = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1);
  const int month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
  const int year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
  return UtcDate{year, month, day};
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

int64_t UtcDate::ToUnixSeconds() const { return DaysFromCivil(year, month, day) * 86400; }

}  // namespace assay
