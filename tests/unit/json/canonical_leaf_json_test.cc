#include "json/canonical_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace assay {
namespace {

using json = nlohmann::json;

std::string Canonical(const json& value) {
  Result<std::string> text = CanonicalLeafJson(value);
  EXPECT_TRUE(text.ok()) << text.status().message();
  return text.ok() ? *text : "";
}

TEST(CanonicalLeafJson, SortsKeysBytewiseAtEveryDepth) {
  const json value = json::parse(R"({"b":1,"a":{"z":[3,{"y":1,"x":2}],"m":null},"é":true,"Z":false,"":"e"})");
  EXPECT_EQ(Canonical(value), R"({"":"e","Z":false,"a":{"m":null,"z":[3,{"x":2,"y":1}]},"b":1,"é":true})");
}

TEST(CanonicalLeafJson, WritesNoInsignificantWhiteSpace) {
  const json value = json::parse("{ \"a\" : [ 1 , 2 ] ,\n \"b\" : \"x y\" }");
  EXPECT_EQ(Canonical(value), R"({"a":[1,2],"b":"x y"})");
}

TEST(CanonicalLeafJson, NamesNonFiniteNumbersAsStrings) {
  const double inf = std::numeric_limits<double>::infinity();
  const json value = {{"nan", std::nan("")}, {"list", {inf, -inf, 1.5}}};
  EXPECT_EQ(Canonical(value), R"({"list":["Infinity","-Infinity",1.5],"nan":"NaN"})");
  EXPECT_EQ(NumberJson(std::nan("")), "NaN");
  EXPECT_EQ(NumberJson(inf), "Infinity");
  EXPECT_EQ(NumberJson(-inf), "-Infinity");
  EXPECT_EQ(NumberJson(0.25), 0.25);
}

// Python's repr(float): shortest round-trip digits, fixed notation for
// d.ddd x 10^e with -4 <= e < 16, at least two exponent digits.
TEST(CanonicalLeafJson, WritesDoublesAsPythonRepr) {
  const std::vector<std::pair<double, std::string>> cases = {
      {1.0, "1.0"},
      {0.1, "0.1"},
      {0.792, "0.792"},
      {-0.0, "-0.0"},
      {0.0001, "0.0001"},
      {0.00001, "1e-05"},
      {1e15, "1000000000000000.0"},  // nlohmann alone writes "1e+15"
      {1234567890123456.5, "1234567890123456.5"},
      {1e16, "1e+16"},
      {1e23, "1e+23"},
      {1e100, "1e+100"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {77734751.57149825, "77734751.57149825"},  // nlohmann alone writes ...824
      {0.30000000000000004, "0.30000000000000004"},
  };
  for (const auto& [number, text] : cases) {
    EXPECT_EQ(Canonical(json(number)), text) << "for " << text;
    EXPECT_EQ(json::parse(text).get<double>(), number) << text << " does not read back";
  }
}

TEST(CanonicalLeafJson, KeepsIntegersAsIntegers) {
  EXPECT_EQ(Canonical(json(1)), "1");
  EXPECT_EQ(Canonical(json(-5)), "-5");
  EXPECT_EQ(Canonical(json(std::numeric_limits<uint64_t>::max())), "18446744073709551615");
  EXPECT_EQ(Canonical(json(std::numeric_limits<int64_t>::min())), "-9223372036854775808");
  // A number written with a point or an exponent is a double, as in Python.
  EXPECT_EQ(Canonical(json::parse("[1, 1.0, 1e2, -0]")), "[1,1.0,100.0,0]");
}

TEST(CanonicalLeafJson, EscapesOnlyQuoteBackslashAndControlCharacters) {
  const json value = std::string("q\"b\\s/\b\f\n\r\t\x01\x1f\x7f") + "é€😀\u2028";
  EXPECT_EQ(Canonical(value),
            "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f"
            "é€😀\u2028\"");
}

TEST(CanonicalLeafJson, RefusesInvalidUtf8) {
  for (const std::string bad : {"\xff", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "ok\xf4\x90\x80\x80"}) {
    Result<std::string> value = CanonicalLeafJson(json{{"text", bad}});
    ASSERT_FALSE(value.ok());
    EXPECT_EQ(value.status().kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(value.status().message().find("UTF-8"), std::string::npos);

    Result<std::string> key = CanonicalLeafJson(json{{bad, 1}});
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.status().kind(), ErrorKind::kInvalidInput);

    Result<std::string> nested = CanonicalLeafJson(json{{"a", json::array({1, bad})}});
    EXPECT_FALSE(nested.ok());
  }
}

TEST(CanonicalLeafJson, IsAFixedPointOfParsing) {
  const json value = json::parse(R"({"a":[0.1,1e-07,123456789.125,null,{"k":"\u00e9"}],"b":1e300})");
  const std::string once = Canonical(value);
  EXPECT_EQ(Canonical(json::parse(once)), once);
}

}  // namespace
}  // namespace assay
