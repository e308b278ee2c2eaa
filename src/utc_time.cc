#include "utc_time.h"

#include <cstdio>

namespace assay {
namespace {

bool IsLeap(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// `count` digits at `text[at]`, as a number; nullopt when they are not all digits.
std::optional<int> Digits(std::string_view text, size_t at, size_t count) {
  if (at + count > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

int64_t DaysFromCivil(const CivilDate& date) {
  const int64_t year = date.year - (date.month <= 2);
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (date.month + (date.month > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

CivilDate CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t day_of_era = z - era * 146097;
  const int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_index = (5 * day_of_year + 2) / 153;
  const int month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
  return CivilDate{year_of_era + era * 400 + (month <= 2), month,
                   static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1)};
}

bool IsRealDate(const CivilDate& date) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (date.month < 1 || date.month > 12 || date.day < 1) return false;
  return date.day <= (date.month == 2 && IsLeap(date.year) ? 29 : kDays[date.month - 1]);
}

std::string FormatUtcTime(int64_t unix_seconds) {
  const int64_t days = unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
  const int64_t second_of_day = unix_seconds - days * 86400;
  const CivilDate date = CivilFromDays(days);
  char text[96];  // room for any int64 year the compiler can imagine
  std::snprintf(text, sizeof text, "%04lld-%02d-%02dT%02lld:%02lld:%02lldZ", static_cast<long long>(date.year),
                date.month, date.day, static_cast<long long>(second_of_day / 3600),
                static_cast<long long>(second_of_day / 60 % 60), static_cast<long long>(second_of_day % 60));
  return text;
}

std::optional<int64_t> ParseIsoTime(std::string_view text) {
  const std::optional<int> year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
  const std::optional<int> hour = Digits(text, 11, 2), minute = Digits(text, 14, 2), second = Digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  if (!IsRealDate({*year, *month, *day}) || *hour > 23 || *minute > 59 || *second > 59) {
    return std::nullopt;
  }
  size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    const size_t start = ++at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    if (at == start) return std::nullopt;
  }
  int64_t offset = 0;
  if (at < text.size() && text[at] == 'Z') {
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    const std::optional<int> offset_hours = Digits(text, at + 1, 2), offset_minutes = Digits(text, at + 4, 2);
    if (!offset_hours || !offset_minutes || text[at + 3] != ':' || *offset_hours > 23 || *offset_minutes > 59) {
      return std::nullopt;
    }
    offset = (text[at] == '+' ? 1 : -1) * (*offset_hours * 3600 + *offset_minutes * 60);
    at += 6;
  } else {
    return std::nullopt;  // a time without its zone names no instant
  }
  if (at != text.size()) return std::nullopt;
  return DaysFromCivil({*year, *month, *day}) * 86400 + *hour * 3600 + *minute * 60 + *second - offset;
}

}  // namespace assay
