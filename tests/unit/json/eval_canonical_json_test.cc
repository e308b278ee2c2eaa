#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "json/canonical_json.h"
#include "json/lenient_json.h"
#include "test_support.h"

namespace assay {
namespace {

using ::assay::testing::ReadFileOrDie;
using ::assay::testing::RunShell;
using ::assay::testing::ScratchDir;
using nlohmann::json;

json ParseEvalJson(std::string_view text) {
  Result<json> parsed = ParseLenientJson(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return parsed.ok() ? *parsed : json();
}

TEST(CanonicalJson, SortsKeysDropsWhiteSpaceAndWritesNumbersAsPythonDoes) {
  EXPECT_EQ(
      CanonicalJson(ParseEvalJson(R"({ "b": [1.0, 1e-7, -0.0, 1e21, 1e15, 12345678901234567890, -3],
                                     "a": {"é": "x", "z": null, "B": true} })")),
      R"({"a":{"B":true,"z":null,"é":"x"},"b":[1.0,1e-07,-0.0,1e+21,1000000000000000.0,12345678901234567890,-3]})");
}

TEST(CanonicalJson, WritesNonFiniteNumbersAsStrings) {
  EXPECT_EQ(CanonicalJson(ParseEvalJson("[NaN, Infinity, -Infinity]")),
            R"(["NaN","Infinity","-Infinity"])");
}

TEST(CanonicalJson, EscapesOnlyWhatJsonRequires) {
  EXPECT_EQ(CanonicalJson(json("q\"b\\n\n\t\x01\x1f\x7f/é")),
            "\"q\\\"b\\\\n\\n\\t\\u0001\\u001f\x7f/é\"");
}

TEST(CanonicalJson, IsPythonsSortedCompactDump) {
  ScratchDir dir;
  const std::string document =
      R"({"z": [0.1, 1e16, 5e-324, 123.456, 100, -0.0, "\u00e9\ud83d\ude00\n\u0000"], "a": {"y": {}, "x": []},
          "é": 1, "E": false, "": null})";
  const std::string input = dir.Write("input.json", document);
  const std::string output = (dir.path() / "output.txt").string();
  std::string log;
  ASSERT_EQ(
      RunShell("/usr/bin/python3 -c \"import json,sys; open(sys.argv[2],'w',encoding='utf-8')"
               ".write(json.dumps(json.load(open(sys.argv[1],encoding='utf-8')),sort_keys=True,"
               "separators=(',',':'),ensure_ascii=False))\" " +
                   input + " " + output,
               &log),
      0)
      << log;
  EXPECT_EQ(CanonicalJson(ParseEvalJson(document)), ReadFileOrDie(output));
}

TEST(CanonicalJson, DigestIsOfTheCanonicalBytes) {
  EXPECT_EQ(CanonicalJsonSha256(json::object()),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");  // SHA-256 of "{}"
  // docs/spec/eval-logs.md, "The internal form".
  EXPECT_EQ(CanonicalJsonSha256(ParseEvalJson(R"({"target": "2", "input": "1+1"})")),
            "1355624c129aac6c6d4bcaa72fa31dd53b7cf05981fef7a211f86047be64ca18");
}

}  // namespace
}  // namespace assay
