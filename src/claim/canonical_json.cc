#include "claim/canonical_json.h"

#include <cmath>

#include "formats/canonical_json.h"
#include "utf8.h"

namespace assay {
namespace {

using json = nlohmann::json;

bool AllTextIsUtf8(const json& value) {
  switch (value.type()) {
    case json::value_t::string:
      return IsValidUtf8(value.get_ref<const std::string&>());
    case json::value_t::object:
      for (const auto& [key, item] : value.items()) {
        if (!IsValidUtf8(key) || !AllTextIsUtf8(item)) return false;
      }
      return true;
    case json::value_t::array:
      for (const json& item : value) {
        if (!AllTextIsUtf8(item)) return false;
      }
      return true;
    default:
      return true;
  }
}

}  // namespace

json NumberJson(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

Result<std::string> CanonicalLeafJson(const json& value) {
  if (!AllTextIsUtf8(value)) return Status::InvalidInput("text is not valid UTF-8");
  return CanonicalJson(value);
}

}  // namespace assay
