#include "model/weights_root.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace assay {
namespace {

std::string FromHex(const std::string& hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

// docs/spec/weights-root-vectors.json is shared with the independent Python
// implementation in tests/independent/weights_root_check.py.
TEST(WeightsRoot, ReproducesSpecVectors) {
  auto vectors = nlohmann::json::parse(
      testing::ReadFileOrDie(std::string(ASSAY_SOURCE_DIR) + "/docs/spec/weights-root-vectors.json"));
  ASSERT_GE(vectors.size(), 5u);
  for (const auto& vector : vectors) {
    SCOPED_TRACE(vector["description"].get<std::string>());
    std::vector<WeightsLeaf> leaves;
    for (const auto& tensor : vector["tensors"]) {
      leaves.push_back({tensor["name"], tensor["dtype"], tensor["shape"].get<std::vector<uint64_t>>(),
                        Sha256::Of(FromHex(tensor["bytes_hex"]))});
    }
    Result<std::vector<WeightsLeaf>> sorted = SortWeightsLeaves(leaves);
    ASSERT_TRUE(sorted.ok());
    std::vector<std::string> encoded;
    for (const WeightsLeaf& leaf : *sorted) {
      std::string bytes = EncodeWeightsLeaf(leaf);
      encoded.push_back(ToHex(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size())));
    }
    EXPECT_EQ(encoded, vector["leaves_hex"].get<std::vector<std::string>>());
    EXPECT_EQ(ToHex(*ComputeWeightsRoot(leaves)), vector["weights_root"].get<std::string>());
  }
}

std::vector<WeightsLeaf> SampleLeaves() {
  return {{"a.weight", "safetensors:BF16", {4, 4}, Sha256::Of(std::string_view("a"))},
          {"b.weight", "safetensors:BF16", {4}, Sha256::Of(std::string_view("b"))},
          {"c.weight", "safetensors:F32", {2, 3}, Sha256::Of(std::string_view("c"))}};
}

TEST(WeightsRoot, DoesNotDependOnInputOrder) {
  std::vector<WeightsLeaf> leaves = SampleLeaves();
  std::vector<WeightsLeaf> reversed(leaves.rbegin(), leaves.rend());
  EXPECT_EQ(*ComputeWeightsRoot(leaves), *ComputeWeightsRoot(reversed));
}

TEST(WeightsRoot, ChangesWithEveryFieldOfEveryLeaf) {
  const Sha256Digest base = *ComputeWeightsRoot(SampleLeaves());
  auto changed = [&](auto mutate) {
    std::vector<WeightsLeaf> leaves = SampleLeaves();
    mutate(leaves[1]);
    return *ComputeWeightsRoot(leaves);
  };
  EXPECT_NE(changed([](WeightsLeaf& l) { l.name = "b.weigh"; }), base);
  EXPECT_NE(changed([](WeightsLeaf& l) { l.dtype = "safetensors:F16"; }), base);
  EXPECT_NE(changed([](WeightsLeaf& l) { l.shape = {2, 2}; }), base);
  EXPECT_NE(changed([](WeightsLeaf& l) { l.tensor_digest[31] ^= 1; }), base);
}

TEST(WeightsRoot, RejectsDuplicateNames) {
  std::vector<WeightsLeaf> leaves = SampleLeaves();
  leaves.push_back(leaves[0]);
  Status status = ComputeWeightsRoot(leaves).status();
  EXPECT_EQ(status.kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(status.message(), ::testing::HasSubstr("\"a.weight\" appears more than once"));
}

}  // namespace
}  // namespace assay
