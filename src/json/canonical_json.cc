#include "json/canonical_json.h"

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "digest/sha256.h"
#include "json/float_text.h"
#include "json/python_json.h"
#include "utf8.h"

namespace assay {
namespace {

using nlohmann::json;

void AppendNumber(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "\"NaN\"";
  } else if (std::isinf(value)) {
    out += value < 0 ? "\"-Infinity\"" : "\"Infinity\"";
  } else {
    out += PythonFloatRepr(value);
  }
}

void Append(std::string& out, const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      out += "null";
      return;
    case json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case json::value_t::number_integer:
      out += std::to_string(value.get<int64_t>());
      return;
    case json::value_t::number_unsigned:
      out += std::to_string(value.get<uint64_t>());
      return;
    case json::value_t::number_float:
      AppendNumber(out, value.get<double>());
      return;
    case json::value_t::string:
      AppendPythonJsonString(out, value.get_ref<const std::string&>());
      return;
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const json& item : value) {
        if (!first) out += ',';
        first = false;
        Append(out, item);
      }
      out += ']';
      return;
    }
    case json::value_t::object: {
      // nlohmann::json keeps objects in a std::map<std::string, ...>: already
      // in bytewise key order.
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ',';
        first = false;
        AppendPythonJsonString(out, key);
        out += ':';
        Append(out, item);
      }
      out += '}';
      return;
    }
    case json::value_t::binary:
    case json::value_t::discarded:
      out += "null";
      return;
  }
}

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

std::string CanonicalJson(const json& value) {
  std::string out;
  Append(out, value);
  return out;
}

std::string CanonicalJsonSha256(const json& value) {
  return ToHex(Sha256::Of(CanonicalJson(value)));
}

Result<std::string> CanonicalLeafJson(const json& value) {
  if (!AllTextIsUtf8(value)) return Status::InvalidInput("text is not valid UTF-8");
  return CanonicalJson(value);
}

json NumberJson(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

}  // namespace assay
