// A calendar date in UTC, as trust files and allowed_signers write validity
// limits (YYYYMMDD). A date stands for its first instant, 00:00:00 UTC.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace assay {

struct UtcDate {
  int year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31

  // Exactly eight digits naming a real date in years 1970-9999; nullopt otherwise.
  static std::optional<UtcDate> Parse(std::string_view yyyymmdd);
  // The date that contains `unix_seconds`.
  static UtcDate FromUnixSeconds(int64_t unix_seconds);

  std::string ToCompact() const;  // "20240131"
  std::string ToIso() const;      // "2024-01-31"
  // Seconds since the epoch at 00:00:00 UTC on this date.
  int64_t ToUnixSeconds() const;

  friend auto operator<=>(const UtcDate&, const UtcDate&) = default;
};

}  // namespace assay
