#include "json/lenient_json.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "json/strict_json.h"

namespace assay {
namespace {

struct NonFiniteLiteral {
  size_t offset = 0;
  size_t length = 0;
  JsonNumberStandIn stand_in;
};

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Where the text holds NaN, Infinity or -Infinity outside strings, and the
// ordinal of each among the text's number tokens. A number token starts with
// '-' or a digit outside a string and runs over [0-9+-.eE]: in valid JSON
// that is exactly one number, so the ordinals match the order in which
// nlohmann reports numbers. (In invalid JSON they may not, but then the parse
// fails anyway.)
std::vector<NonFiniteLiteral> FindNonFiniteLiterals(std::string_view text) {
  struct Spelling {
    std::string_view text;
    double value;
  };
  static constexpr Spelling kSpellings[] = {
      {"-Infinity", -kInfinity},
      {"Infinity", kInfinity},
      {"NaN", std::numeric_limits<double>::quiet_NaN()},
  };
  std::vector<NonFiniteLiteral> found;
  // Nearly every text holds neither spelling anywhere: two substring searches
  // (which the library vectorises) settle it without the scan below.
  if (text.find("NaN") == std::string_view::npos && text.find("Infinity") == std::string_view::npos) return found;
  uint64_t numbers = 0;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      // To the closing quote; an escaped character cannot end the string.
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
      ++i;
      continue;
    }
    if (c == '-' || c == 'I' || c == 'N') {
      bool matched = false;
      for (const Spelling& spelling : kSpellings) {
        if (text.substr(i).starts_with(spelling.text)) {
          found.push_back({i, spelling.text.size(), {numbers++, spelling.value}});
          i += spelling.text.size();
          matched = true;
          break;
        }
      }
      if (matched) continue;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      ++numbers;
      constexpr std::string_view kNumberChars = "0123456789+-.eE";
      while (i < text.size() && kNumberChars.find(text[i]) != std::string_view::npos) ++i;
      continue;
    }
    ++i;
  }
  return found;
}

template <typename Json>
Result<Json> ParseLenient(std::string_view text) {
  std::vector<NonFiniteLiteral> literals = FindNonFiniteLiterals(text);
  if (literals.empty()) return ParseStrictJsonWithStandIns<Json>(text, {});
  // Each literal becomes " 0" padded with spaces to its own length: a number
  // token that cannot merge with its neighbours, at the same offsets, so the
  // parser's line and column numbers still point into the caller's text.
  std::string rewritten(text);
  std::vector<JsonNumberStandIn> stand_ins;
  stand_ins.reserve(literals.size());
  for (const NonFiniteLiteral& literal : literals) {
    rewritten.replace(literal.offset, literal.length, literal.length, ' ');
    rewritten[literal.offset + 1] = '0';
    stand_ins.push_back(literal.stand_in);
  }
  return ParseStrictJsonWithStandIns<Json>(rewritten, stand_ins);
}

}  // namespace

Result<nlohmann::json> ParseLenientJson(std::string_view text) {
  return ParseLenient<nlohmann::json>(text);
}

Result<nlohmann::ordered_json> ParseLenientOrderedJson(std::string_view text) {
  return ParseLenient<nlohmann::ordered_json>(text);
}

}  // namespace assay
