#include "model/manifest_diff.h"

#include <gtest/gtest.h>

namespace assay {
namespace {

Sha256Digest DigestOf(std::string_view text) { return Sha256::Of(text); }

FileRecord Shard(std::string path, std::vector<TensorRecord> tensors) {
  FileRecord file;
  file.path = std::move(path);
  file.format = WeightFormat::kSafetensors;
  std::string content;
  for (const TensorRecord& tensor : tensors) content += tensor.name + ToHex(*tensor.digest) + tensor.dtype;
  file.sha256 = DigestOf(file.path + content);
  file.tensors = std::move(tensors);
  return file;
}

TensorRecord ShardTensor(std::string name, std::string bytes, std::string dtype = "safetensors:BF16",
                    std::vector<uint64_t> shape = {2, 2}) {
  return {std::move(name), std::move(dtype), std::move(shape), 0, 8, DigestOf(bytes)};
}

ModelManifest Manifest(std::vector<FileRecord> files, std::string root) {
  ModelManifest manifest;
  manifest.files = std::move(files);
  manifest.weights_roots.push_back({WeightFormat::kSafetensors, DigestOf(root), 0});
  return manifest;
}

TEST(ManifestDiff, IdenticalManifestsHaveNoDifference) {
  ModelManifest a = Manifest({Shard("m.safetensors", {ShardTensor("a", "1"), ShardTensor("b", "2")})}, "r");
  EXPECT_TRUE(DiffManifests(a, a).empty());
}

TEST(ManifestDiff, ReshardedWeightsAreSameWeights) {
  ModelManifest one = Manifest({Shard("m.safetensors", {ShardTensor("a", "1"), ShardTensor("b", "2")})}, "r");
  ModelManifest two = Manifest({Shard("x-1.safetensors", {ShardTensor("a", "1")}),
                                Shard("x-2.safetensors", {ShardTensor("b", "2")})}, "r");
  ManifestDiff diff = DiffManifests(one, two);
  EXPECT_TRUE(diff.SameWeightsResharded());
  EXPECT_EQ(diff.files.size(), 3u);  // one removed, two added
  EXPECT_TRUE(diff.tensors.empty());
}

TEST(ManifestDiff, AChangedConfigIsNotAResharding) {
  ModelManifest before = Manifest({Shard("m.safetensors", {ShardTensor("a", "1")})}, "r");
  FileRecord config;
  config.path = "config.json";
  config.sha256 = DigestOf("{}");
  before.files.push_back(config);
  ModelManifest after = before;
  after.files[1].sha256 = DigestOf("{\"rope_theta\": 1}");
  ManifestDiff diff = DiffManifests(before, after);
  EXPECT_TRUE(diff.WeightsUnchanged());
  EXPECT_FALSE(diff.SameWeightsResharded());
  ASSERT_EQ(diff.files.size(), 1u);
  EXPECT_FALSE(diff.files[0].weight_file);
}

TEST(ManifestDiff, NamesChangedAddedAndRemovedTensorsAndCallsOutDtypeAndShape) {
  ModelManifest before = Manifest({Shard("m.safetensors", {ShardTensor("a", "1"), ShardTensor("b", "2"),
                                                           ShardTensor("c", "3"), ShardTensor("gone", "4")})}, "r1");
  ModelManifest after = Manifest({Shard("m.safetensors", {ShardTensor("a", "1"), ShardTensor("b", "changed"),
                                                          ShardTensor("c", "3", "safetensors:F16", {4}),
                                                          ShardTensor("new", "5")})}, "r2");
  ManifestDiff diff = DiffManifests(before, after);
  EXPECT_FALSE(diff.weights_roots_equal);
  ASSERT_EQ(diff.files.size(), 1u);
  EXPECT_EQ(diff.files[0].change, Change::kChanged);
  ASSERT_EQ(diff.tensors.size(), 4u);
  EXPECT_EQ(diff.tensors[0].name, "b");
  EXPECT_TRUE(diff.tensors[0].bytes_changed);
  EXPECT_FALSE(diff.tensors[0].dtype_changed);
  EXPECT_EQ(diff.tensors[1].name, "c");
  EXPECT_TRUE(diff.tensors[1].dtype_changed);
  EXPECT_TRUE(diff.tensors[1].shape_changed);
  EXPECT_EQ(diff.tensors[2].name, "gone");
  EXPECT_EQ(diff.tensors[2].change, Change::kRemoved);
  EXPECT_EQ(diff.tensors[3].name, "new");
  EXPECT_EQ(diff.tensors[3].change, Change::kAdded);
}

TEST(ManifestDiff, WithoutTensorDigestsOnlyFilesAreCompared) {
  ModelManifest before = Manifest({Shard("m.safetensors", {ShardTensor("a", "1")})}, "r");
  ModelManifest after = before;
  after.has_tensor_digests = false;
  after.weights_roots.clear();
  after.files[0].tensors[0].digest.reset();
  ManifestDiff diff = DiffManifests(before, after);
  EXPECT_FALSE(diff.tensors_compared);
  EXPECT_TRUE(diff.empty());
}

}  // namespace
}  // namespace assay
