#include "json/lenient_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "json/strict_json.h"

namespace assay {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using ::testing::HasSubstr;

TEST(LenientJson, ReadsPythonsNonFiniteLiteralsAsDoubles) {
  Result<json> parsed = ParseLenientJson(
      R"({"mae,none": Infinity, "mae_stderr,none": NaN, "low": -Infinity, "list": [NaN, 1, -Infinity]})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_TRUE((*parsed)["mae,none"].is_number_float());
  EXPECT_EQ((*parsed)["mae,none"].get<double>(), INFINITY);
  EXPECT_TRUE(std::isnan((*parsed)["mae_stderr,none"].get<double>()));
  EXPECT_EQ((*parsed)["low"].get<double>(), -INFINITY);
  EXPECT_TRUE(std::isnan((*parsed)["list"][0].get<double>()));
  EXPECT_EQ((*parsed)["list"][1], 1);
  EXPECT_EQ((*parsed)["list"][2].get<double>(), -INFINITY);
}

TEST(LenientJson, LeavesTheLiteralsInsideStringsAlone) {
  Result<json> parsed = ParseLenientJson(
      R"({"NaN": "NaN Infinity -Infinity", "esc\"NaN": "\\", "n": [0.5, -2e3, NaN]})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ((*parsed)["NaN"], "NaN Infinity -Infinity");
  EXPECT_EQ((*parsed)["esc\"NaN"], "\\");
  EXPECT_EQ((*parsed)["n"][0], 0.5);
  EXPECT_EQ((*parsed)["n"][1], -2000.0);
  EXPECT_TRUE(std::isnan((*parsed)["n"][2].get<double>()));
}

TEST(LenientJson, RefusesWhatPythonRefusesToo) {
  for (const char* text : {"nan", "[inf]", "[+Infinity]", "[-NaN]", "[NaNx]", "[1NaN]", "[NaN1]",
                           "{NaN: 1}", "[Infinit]", "[-Infinityy]", "[1 NaN]", "NaN NaN"}) {
    Result<json> parsed = ParseLenientJson(text);
    EXPECT_FALSE(parsed.ok()) << text;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidInput) << text;
    }
  }
}

TEST(LenientJson, IsAsStrictAsTheStrictParserOtherwise) {
  Result<json> duplicate = ParseLenientJson(R"({"a": NaN, "a": 1})");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_THAT(duplicate.status().message(), HasSubstr("duplicate key 'a'"));

  Result<ordered_json> ordered_duplicate =
      ParseLenientOrderedJson(R"({"x": {"b": 1, "a": 2, "b": 3}})");
  ASSERT_FALSE(ordered_duplicate.ok());
  EXPECT_EQ(ordered_duplicate.status().message(), "duplicate key 'b' in 'x'");

  std::string deep(kMaxStrictJsonDepth + 1, '[');
  deep += std::string(kMaxStrictJsonDepth + 1, ']');
  Result<json> too_deep = ParseLenientJson(deep);
  ASSERT_FALSE(too_deep.ok());
  EXPECT_THAT(too_deep.status().message(), HasSubstr("nested deeper than 64"));

  using namespace std::string_literals;
  Result<json> nul = ParseLenientJson("[NaN]\0[1]"s);
  ASSERT_FALSE(nul.ok());
  EXPECT_THAT(nul.status().message(), HasSubstr("NUL byte at offset 5"));

  EXPECT_FALSE(ParseLenientJson("[NaN,]").ok());
  EXPECT_FALSE(ParseLenientJson("[NaN] // comment").ok());
  EXPECT_FALSE(ParseLenientJson("\"\xff\"").ok());
}

TEST(LenientJson, ErrorPositionsPointIntoTheCallersText) {
  // NaN is rewritten in place; the column of the error after it must not move.
  Result<json> parsed = ParseLenientJson("[NaN, Infinity, x]");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("column 17"));
}

TEST(LenientJson, OrderedParseKeepsTheDocumentsKeyOrder) {
  Result<ordered_json> parsed =
      ParseLenientOrderedJson(R"({"z": 1, "a": {"y": NaN, "b": 2}, "m": []})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  std::vector<std::string> keys;
  for (const auto& [key, unused] : parsed->items()) keys.push_back(key);
  EXPECT_THAT(keys, ::testing::ElementsAre("z", "a", "m"));
  std::vector<std::string> inner;
  for (const auto& [key, unused] : (*parsed)["a"].items()) inner.push_back(key);
  EXPECT_THAT(inner, ::testing::ElementsAre("y", "b"));
}

TEST(LenientJson, OrderedParseOfAWideObjectStaysFast) {
  // ordered_map's own insert is linear: 200,000 keys would take minutes through it.
  std::string text = "{";
  for (int i = 0; i < 200000; ++i) text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":NaN";
  text += "}";
  Result<ordered_json> parsed = ParseLenientOrderedJson(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->size(), 200000u);
}

TEST(StrictJson, StillRefusesTheNonFiniteLiterals) {
  EXPECT_FALSE(ParseStrictJson("[NaN]").ok());
  EXPECT_FALSE(ParseStrictOrderedJson("[Infinity]").ok());
  EXPECT_EQ(QuoteUntrusted("a\nb"), "'a\\x0ab'");
}

}  // namespace
}  // namespace assay
