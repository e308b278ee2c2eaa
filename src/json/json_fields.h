// Reading optional members of parsed logs, whose writers change their shape
// across versions: a member that is absent, null or of another type reads as
// null (or the fallback), so a reader states once what it accepts.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace assay {

// object[key] when `object` is an object holding `key`, else null.
inline const nlohmann::json& Member(const nlohmann::json& object, std::string_view key) {
  static const nlohmann::json kNull;
  if (!object.is_object()) return kNull;
  auto found = object.find(key);
  return found == object.end() ? kNull : *found;
}

// The string `value` holds, else `fallback`.
inline std::string StringOr(const nlohmann::json& value, std::string fallback = "") {
  return value.is_string() ? value.get<std::string>() : fallback;
}

}  // namespace assay
