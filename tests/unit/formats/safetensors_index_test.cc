#include "formats/safetensors_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "file_system.h"
#include "test_support.h"

namespace assay {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kPath[] = "model.safetensors.index.json";

// An index as transformers' save_pretrained writes one.
constexpr char kTwoShards[] = R"({
  "metadata": {
    "total_size": 28966928384
  },
  "weight_map": {
    "lm_head.weight": "model-00002-of-00002.safetensors",
    "model.embed_tokens.weight": "model-00001-of-00002.safetensors",
    "model.norm.weight": "model-00002-of-00002.safetensors"
  }
})";

std::string WithWeightMap(const std::string& members) {
  return "{\"weight_map\":{" + members + "}}";
}

// The message of a rejection, which must be kInvalidInput and name the file.
std::string IndexRejectionOf(const std::string& text) {
  Result<SafetensorsIndex> index = ParseSafetensorsIndex(text, kPath);
  EXPECT_FALSE(index.ok());
  EXPECT_EQ(index.status().kind(), ErrorKind::kInvalidInput) << index.status().message();
  EXPECT_THAT(index.status().message(), StartsWith(std::string(kPath) + ": "));
  return index.status().message();
}

TEST(SafetensorsIndex, ReadsWeightMapAndTotalSize) {
  Result<SafetensorsIndex> index = ParseSafetensorsIndex(kTwoShards, kPath);
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->total_size, 28966928384u);
  EXPECT_EQ(index->metadata, (std::map<std::string, std::string>{{"total_size", "28966928384"}}));
  EXPECT_EQ(index->weight_map.size(), 3u);
  EXPECT_EQ(index->weight_map.at("model.embed_tokens.weight"), "model-00001-of-00002.safetensors");
  EXPECT_THAT(index->ShardFiles(),
              ElementsAre("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"));
}

TEST(SafetensorsIndex, MetadataIsOptionalAndKeptAsJsonText) {
  Result<SafetensorsIndex> index =
      ParseSafetensorsIndex(WithWeightMap("\"a\":\"x.safetensors\""), kPath);
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_TRUE(index->metadata.empty());
  EXPECT_FALSE(index->total_size.has_value());

  index = ParseSafetensorsIndex(
      R"({"metadata":{"format":"pt","total_parameters":7,"nested":{"b":[1,2]}},)"
      R"("weight_map":{}})",
      kPath);
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->metadata,
            (std::map<std::string, std::string>{
                {"format", "\"pt\""}, {"nested", "{\"b\":[1,2]}"}, {"total_parameters", "7"}}));
  EXPECT_TRUE(index->weight_map.empty());
}

TEST(SafetensorsIndex, TotalSizeIsKeptOnlyWhenANonNegativeInteger) {
  const auto total_size = [](const std::string& value) {
    Result<SafetensorsIndex> index = ParseSafetensorsIndex(
        "{\"metadata\":{\"total_size\":" + value + "},\"weight_map\":{}}", kPath);
    EXPECT_TRUE(index.ok()) << index.status().message();
    return index.ok() ? index->total_size : std::nullopt;
  };
  EXPECT_EQ(total_size("0"), 0u);
  EXPECT_EQ(total_size("18446744073709551615"), 18446744073709551615u);
  EXPECT_EQ(total_size("14484373504.0"), 14484373504u);
  EXPECT_EQ(total_size("1.5e9"), 1500000000u);
  EXPECT_EQ(total_size("1.5"), std::nullopt);
  EXPECT_EQ(total_size("-1"), std::nullopt);
  EXPECT_EQ(total_size("1e30"), std::nullopt);
  EXPECT_EQ(total_size("\"123\""), std::nullopt);
  EXPECT_EQ(total_size("null"), std::nullopt);
}

TEST(SafetensorsIndex, IgnoresUnknownTopLevelMembers) {
  Result<SafetensorsIndex> index =
      ParseSafetensorsIndex(R"({"weight_map":{"a":"x.safetensors"},"extra":[1]})", kPath);
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->weight_map.size(), 1u);
}

TEST(SafetensorsIndex, AcceptsShardsInSubfoldersAndDotsInNames) {
  Result<SafetensorsIndex> index = ParseSafetensorsIndex(
      WithWeightMap(R"("a":"sub/dir/x.safetensors","b":"model..v2.safetensors","c":"..x")"), kPath);
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_THAT(index->ShardFiles(),
              ElementsAre("..x", "model..v2.safetensors", "sub/dir/x.safetensors"));
}

TEST(SafetensorsIndexRejects, MalformedJson) {
  EXPECT_THAT(IndexRejectionOf("{\"weight_map\":{"), HasSubstr("invalid JSON"));
  EXPECT_THAT(IndexRejectionOf(""), HasSubstr("invalid JSON"));
  EXPECT_THAT(IndexRejectionOf("{\"weight_map\":{}} x"), HasSubstr("invalid JSON"));
  EXPECT_THAT(IndexRejectionOf("{\"weight_map\":{}} // comment"), HasSubstr("invalid JSON"));
  EXPECT_THAT(IndexRejectionOf(std::string("{\"weight_map\":{}}\0{}", 19)),
              HasSubstr("invalid JSON: NUL byte at offset 17"));
}

TEST(SafetensorsIndexRejects, JsonThatIsNotAnObject) {
  EXPECT_THAT(IndexRejectionOf("[]"), HasSubstr("index is not a JSON object"));
  EXPECT_THAT(IndexRejectionOf("\"weight_map\""), HasSubstr("index is not a JSON object"));
}

TEST(SafetensorsIndexRejects, MissingOrMalformedWeightMap) {
  EXPECT_THAT(IndexRejectionOf("{\"metadata\":{}}"), HasSubstr("index has no 'weight_map'"));
  EXPECT_THAT(IndexRejectionOf("{\"weight_map\":[]}"), HasSubstr("'weight_map' is not a JSON object"));
  EXPECT_THAT(IndexRejectionOf(WithWeightMap("\"a\":1")),
              HasSubstr("weight_map value for tensor 'a' is not a string"));
  EXPECT_THAT(IndexRejectionOf(WithWeightMap("\"a\":[\"x.safetensors\"]")),
              HasSubstr("weight_map value for tensor 'a' is not a string"));
}

TEST(SafetensorsIndexRejects, MetadataThatIsNotAnObject) {
  EXPECT_THAT(IndexRejectionOf("{\"metadata\":[],\"weight_map\":{}}"),
              HasSubstr("'metadata' is not a JSON object"));
}

TEST(SafetensorsIndexRejects, DuplicateKeys) {
  EXPECT_THAT(IndexRejectionOf(WithWeightMap(R"("a":"x.safetensors","a":"y.safetensors")")),
              HasSubstr("duplicate key 'a' in 'weight_map'"));
  EXPECT_THAT(IndexRejectionOf(R"({"weight_map":{},"weight_map":{"a":"x.safetensors"}})"),
              HasSubstr("duplicate key 'weight_map'"));
  EXPECT_THAT(IndexRejectionOf(R"({"metadata":{"total_size":1,"total_size":2},"weight_map":{}})"),
              HasSubstr("duplicate key 'total_size' in 'metadata'"));
}

TEST(SafetensorsIndexRejects, ShardNamesThatLeaveTheModelFolder) {
  const std::pair<std::string, std::string> cases[] = {
      {"/etc/passwd", "is an absolute path"},
      {"../other/model.safetensors", "has a '..' component"},
      {"sub/../../x.safetensors", "has a '..' component"},
      {"sub/..", "has a '..' component"},
      {"..\\\\x.safetensors", "contains a backslash"},
      {"sub\\\\x.safetensors", "contains a backslash"},
      {"", "is empty"},
      {"sub//x.safetensors", "has an empty path component"},
      {"sub/", "has an empty path component"},
      {"./x.safetensors", "has a '.' component"},
      {"x\\u0000.safetensors", "contains a NUL byte"},
  };
  for (const auto& [shard, problem] : cases) {
    EXPECT_THAT(IndexRejectionOf(WithWeightMap("\"w\":\"" + shard + "\"")),
                HasSubstr("of tensor 'w' " + problem))
        << shard;
  }
}

TEST(SafetensorsIndex, ReadsAFileOnDisk) {
  testing::ScratchDir dir;
  std::string path = dir.Write(kPath, kTwoShards);
  Result<SafetensorsIndex> index = ReadSafetensorsIndex(LocalFileSystem(), path);
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->weight_map.size(), 3u);

  dir.Write("bad.json", "{}");
  index = ReadSafetensorsIndex(LocalFileSystem(), (dir.path() / "bad.json").string());
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().message(),
            (dir.path() / "bad.json").string() + ": index has no 'weight_map'");

  index = ReadSafetensorsIndex(LocalFileSystem(), (dir.path() / "missing.json").string());
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().kind(), ErrorKind::kIo);
}

}  // namespace
}  // namespace assay
