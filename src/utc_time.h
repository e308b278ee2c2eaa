// Instants as eval logs write them and records keep them: ISO 8601, in UTC
// when assay writes one. Whole seconds: the fraction a log may carry is
// dropped (the instant is floored), which no comparison assay makes needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace assay {

// The proleptic Gregorian calendar, by H. Hinnant's days_from_civil and
// civil_from_days (https://howardhinnant.github.io/date_algorithms.html).
struct CivilDate {
  int64_t year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31
};
int64_t DaysFromCivil(const CivilDate& date);  // days since 1970-01-01
CivilDate CivilFromDays(int64_t days);
bool IsRealDate(const CivilDate& date);  // the month has that day

// "2026-07-08T16:02:00Z".
std::string FormatUtcTime(int64_t unix_seconds);

// "YYYY-MM-DDTHH:MM:SS", then an optional fraction, then "Z" or "+HH:MM" /
// "-HH:MM" (a space for the "T" is accepted, as Python's str() writes one);
// nullopt for anything else or a date that does not exist.
std::optional<int64_t> ParseIsoTime(std::string_view text);

}  // namespace assay
