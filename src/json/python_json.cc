#include "json/python_json.h"

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "json/float_text.h"

namespace assay {
namespace {

using nlohmann::ordered_json;

constexpr char kHex[] = "0123456789abcdef";

void AppendHex(std::string& out, uint32_t value, int digits) {
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xf];
}

// json.dumps of a float: repr, except the three literals for the non-finite.
std::string JsonFloat(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value < 0 ? "-Infinity" : "Infinity";
  return PythonFloatRepr(value);
}

void AppendNewlineIndent(std::string& out, int level) {
  out += '\n';
  out.append(static_cast<size_t>(2 * level), ' ');
}

// Lib/json/encoder.py, _make_iterencode with indent=2: each item on its own
// line, "," ending all but the last, the closing bracket back at the parent's level.
void AppendDumps(std::string& out, const ordered_json& value, int level) {
  switch (value.type()) {
    case ordered_json::value_t::null:
      out += "null";
      return;
    case ordered_json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case ordered_json::value_t::number_integer:
      out += std::to_string(value.get<int64_t>());
      return;
    case ordered_json::value_t::number_unsigned:
      out += std::to_string(value.get<uint64_t>());
      return;
    case ordered_json::value_t::number_float:
      out += JsonFloat(value.get<double>());
      return;
    case ordered_json::value_t::string:
      AppendPythonJsonString(out, value.get_ref<const std::string&>());
      return;
    case ordered_json::value_t::array: {
      if (value.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      bool first = true;
      for (const ordered_json& item : value) {
        if (!first) out += ',';
        first = false;
        AppendNewlineIndent(out, level + 1);
        AppendDumps(out, item, level + 1);
      }
      AppendNewlineIndent(out, level);
      out += ']';
      return;
    }
    case ordered_json::value_t::object: {
      if (value.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ',';
        first = false;
        AppendNewlineIndent(out, level + 1);
        AppendPythonJsonString(out, key);
        out += ": ";
        AppendDumps(out, item, level + 1);
      }
      AppendNewlineIndent(out, level);
      out += '}';
      return;
    }
    case ordered_json::value_t::binary:
    case ordered_json::value_t::discarded:
      out += "null";
      return;  // no parser here makes them
  }
}

// Python's str.isprintable, as far as it can be known without the Unicode
// database: false for categories Cc, Cf, Zs (but U+0020), Zl, Zp, Co and
// their listed members; unassigned code points (Cn) are taken as printable.
bool IsPythonPrintable(uint32_t cp) {
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0)) return false;
  if (cp < 0x7f) return true;
  static constexpr std::pair<uint32_t, uint32_t> kNonPrintable[] = {
      {0xad, 0xad},        {0x600, 0x605},     {0x61c, 0x61c},     {0x6dd, 0x6dd},
      {0x70f, 0x70f},      {0x890, 0x891},     {0x8e2, 0x8e2},     {0x1680, 0x1680},
      {0x180e, 0x180e},    {0x2000, 0x200f},   {0x2028, 0x202f},   {0x205f, 0x2064},
      {0x2066, 0x206f},    {0x3000, 0x3000},   {0xd800, 0xf8ff},   {0xfeff, 0xfeff},
      {0xfff9, 0xfffb},    {0x110bd, 0x110bd}, {0x110cd, 0x110cd}, {0x13430, 0x1343f},
      {0x1bca0, 0x1bca3},  {0x1d173, 0x1d17a}, {0xe0001, 0xe0001}, {0xe0020, 0xe007f},
      {0xf0000, 0x10ffff},
  };
  for (const auto& [first, last] : kNonPrintable) {
    if (cp >= first && cp <= last) return false;
  }
  return true;
}

// Decodes one UTF-8 sequence at text[i] (valid: the JSON parser checked it)
// and advances i past it.
uint32_t NextCodePoint(std::string_view text, size_t& i) {
  auto byte = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<unsigned char>(text[at]));
  };
  uint32_t lead = byte(i);
  size_t length = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
  if (i + length > text.size()) length = 1;
  uint32_t cp = length == 1 ? lead : lead & (0xff >> (length + 1));
  for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (byte(i + k) & 0x3f);
  i += length;
  return cp;
}

// repr(str) (Objects/unicodeobject.c, unicode_repr): single quotes unless the
// text holds a single quote and no double quote.
void AppendStringRepr(std::string& out, std::string_view text) {
  const bool has_single = text.find('\'') != std::string_view::npos;
  const bool has_double = text.find('"') != std::string_view::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  out += quote;
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    const uint32_t cp = NextCodePoint(text, i);
    if (cp == static_cast<uint32_t>(quote) || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (IsPythonPrintable(cp)) {
      out.append(text.substr(start, i - start));
    } else if (cp <= 0xff) {
      out += "\\x";
      AppendHex(out, cp, 2);
    } else if (cp <= 0xffff) {
      out += "\\u";
      AppendHex(out, cp, 4);
    } else {
      out += "\\U";
      AppendHex(out, cp, 8);
    }
  }
  out += quote;
}

void AppendRepr(std::string& out, const ordered_json& value) {
  switch (value.type()) {
    case ordered_json::value_t::null:
      out += "None";
      return;
    case ordered_json::value_t::boolean:
      out += value.get<bool>() ? "True" : "False";
      return;
    case ordered_json::value_t::number_integer:
      out += std::to_string(value.get<int64_t>());
      return;
    case ordered_json::value_t::number_unsigned:
      out += std::to_string(value.get<uint64_t>());
      return;
    case ordered_json::value_t::number_float:
      out += PythonFloatRepr(value.get<double>());
      return;
    case ordered_json::value_t::string:
      AppendStringRepr(out, value.get_ref<const std::string&>());
      return;
    case ordered_json::value_t::array: {
      out += '[';
      bool first = true;
      for (const ordered_json& item : value) {
        if (!first) out += ", ";
        first = false;
        AppendRepr(out, item);
      }
      out += ']';
      return;
    }
    case ordered_json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ", ";
        first = false;
        AppendStringRepr(out, key);
        out += ": ";
        AppendRepr(out, item);
      }
      out += '}';
      return;
    }
    case ordered_json::value_t::binary:
    case ordered_json::value_t::discarded:
      out += "None";
      return;
  }
}

}  // namespace

void AppendPythonJsonString(std::string& out, std::string_view text) {
  // json's py_encode_basestring (Lib/json/encoder.py), used when ensure_ascii=False.
  out += '"';
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text, start, i - start);
    start = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u";
        AppendHex(out, c, 4);
    }
  }
  out.append(text, start, text.size() - start);
  out += '"';
}

std::string PythonJsonDumps(const ordered_json& value) {
  std::string out;
  AppendDumps(out, value, 0);
  return out;
}

std::string PythonStr(const ordered_json& value) {
  if (value.is_string()) return value.get<std::string>();
  std::string out;
  AppendRepr(out, value);
  return out;
}

}  // namespace assay
