#include "json/python_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "digest/sha256.h"
#include "json/float_text.h"
#include "json/lenient_json.h"
#include "test_support.h"

namespace assay {
namespace {

using ::assay::testing::ReadFileOrDie;
using ::assay::testing::RunShell;
using ::assay::testing::ScratchDir;
using nlohmann::ordered_json;

ordered_json Parse(std::string_view text) {
  Result<ordered_json> parsed = ParseLenientOrderedJson(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return parsed.ok() ? *parsed : ordered_json();
}

// Runs Debian's python3 on `input_text` with `expression` (of the parsed value
// `v`) and returns what it printed, written as UTF-8 to a file so that the
// locale of the test cannot change the bytes.
std::string Python(const ScratchDir& dir, std::string_view input_text,
                   const std::string& expression) {
  const std::string input = dir.Write("input.json", input_text);
  const std::string script =
      dir.Write("run.py",
                "import json, sys\n"
                "v = json.load(open(sys.argv[1], encoding='utf-8'))\n"
                "open(sys.argv[2], 'w', encoding='utf-8', newline='').write(" +
                    expression + ")\n");
  const std::string output = (dir.path() / "output.txt").string();
  std::string log;
  EXPECT_EQ(RunShell("/usr/bin/python3 " + script + " " + input + " " + output, &log), 0) << log;
  return ReadFileOrDie(output);
}

TEST(PythonJsonDumps, WritesIndentTwoLayout) {
  EXPECT_EQ(PythonJsonDumps(Parse(R"({"b": 1, "a": [1.0, "x"], "e": [], "o": {}})")),
            "{\n  \"b\": 1,\n  \"a\": [\n    1.0,\n    \"x\"\n  ],\n  \"e\": [],\n  \"o\": {}\n}");
  EXPECT_EQ(PythonJsonDumps(Parse("[]")), "[]");
  EXPECT_EQ(PythonJsonDumps(Parse("{}")), "{}");
  EXPECT_EQ(PythonJsonDumps(Parse("[[], {}, [[]]]")), "[\n  [],\n  {},\n  [\n    []\n  ]\n]");
  EXPECT_EQ(PythonJsonDumps(Parse("\"caf\\u00e9 \\u0001\\n\\\"\\\\ \\u007f\"")),
            "\"café \\u0001\\n\\\"\\\\ \x7f\"");
  EXPECT_EQ(PythonJsonDumps(Parse("[NaN, Infinity, -Infinity, -0.0, 0, -0]")),
            "[\n  NaN,\n  Infinity,\n  -Infinity,\n  -0.0,\n  0,\n  0\n]");
}

TEST(PythonJsonDumps, TheVectorOfTheSpecHashesAsLmEvalsDocHash) {
  // docs/spec/eval-logs.md, "Hashes".
  const std::string dumped = PythonJsonDumps(
      Parse(R"({"q": "Caf\u00e9 \"x\"", "n": [1.0, 0.1, 1e-05, 1e16, null, true], "e": {}})"));
  EXPECT_EQ(ToHex(Sha256::Of(dumped)),
            "3c2c0878a62e5a2a65238e36e4e498b177549d6b50bc4b2b86187fbbe3c029d1");
  EXPECT_EQ(ToHex(Sha256::Of(PythonStr(Parse("3")))),
            "4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce");
}

TEST(PythonJsonDumps, MatchesPythonOnTrickyDocuments) {
  ScratchDir dir;
  const std::string documents[] = {
      R"({"b": 1, "a": [1.0, 0.1, 1e16, 1e15, 1e-7, 1e-5, 0.0001, 5e-324, -0.0, 1e22, 1.5e300,
          123.456, 100.0, 2.5e-8, 18446744073709551615, -9223372036854775808, 9007199254740993,
          NaN, Infinity, -Infinity], "c": "h\u00e9llo \"q\" \\ \n\t\r\b\f \u0001 \u001f \u007f \ud83d\ude00 \u2028 ✓",
          "d": [], "e": {}, "f": [[], {}, [[]], {"x": {}}, [{}]], "g": null, "h": true, "i": false,
          "": "", "日本": {"k": [1, [2, [3, {}]]]}})",
      R"([])",
      R"({})",
      R"("just a string")",
      R"(0.30000000000000004)",
      R"([1e308, 2.2250738585072014e-308, 4.9406564584124654e-324, 1.7976931348623157e308])",
  };
  for (const std::string& document : documents) {
    EXPECT_EQ(PythonJsonDumps(Parse(document)),
              Python(dir, document, "json.dumps(v, indent=2, ensure_ascii=False)"))
        << document;
  }
}

TEST(PythonStr, MatchesPythonsStrOfLoadedValues) {
  ScratchDir dir;
  const std::string documents[] = {
      R"("plain text, kept as it is: 'q' \"dq\" \n")",
      R"(3)",
      R"(-2.5e-07)",
      R"(true)",
      R"(null)",
      R"(["it's", "say \"hi\"", "both ' \"", "tab\t", "nl\n", "cr\r", "\u0001", "\u007f",
          "\u00a0nbsp", "\u00ad", "é", "😀", "\u200b", "\u2028", "\ue000", "back\\slash", 1.0, null, true,
          false, [], {}])",
      R"({"k": null, "n": 1.0, "s": "x", "nested": {"l": [1, "two", 3.5]}})",
  };
  for (const std::string& document : documents) {
    EXPECT_EQ(PythonStr(Parse(document)), Python(dir, document, "str(v)")) << document;
  }
}

TEST(PythonFloatRepr, MatchesPythonOnRandomDoubles) {
  ScratchDir dir;
  std::mt19937_64 random(20240917);
  std::vector<double> values = {0.0,
                                -0.0,
                                1.0,
                                0.1,
                                1e16,
                                1e-5,
                                1e-4,
                                5e-324,
                                1e22,
                                123456789.0,
                                std::numeric_limits<double>::max(),
                                std::numeric_limits<double>::min()};
  while (values.size() < 3000) {
    double value = std::bit_cast<double>(random());
    if (std::isfinite(value)) values.push_back(value);
    // Also short decimals, where the layout boundaries are.
    values.push_back(static_cast<double>(random() % 100000) *
                     std::pow(10.0, static_cast<int>(random() % 40) - 20));
  }
  std::string document = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", values[i]);
    std::string number = text;
    if (number.find_first_of(".e") == std::string::npos) number += ".0";  // a float for Python too
    document += (i ? "," : "") + number;
  }
  document += "]";
  std::istringstream lines(Python(dir, document, "'\\n'.join(repr(x) for x in v)"));
  std::string expected;
  for (double value : values) {
    ASSERT_TRUE(std::getline(lines, expected));
    EXPECT_EQ(PythonFloatRepr(value), expected);
  }
  EXPECT_EQ(PythonFloatRepr(NAN), "nan");
  EXPECT_EQ(PythonFloatRepr(-INFINITY), "-inf");
}

}  // namespace
}  // namespace assay
