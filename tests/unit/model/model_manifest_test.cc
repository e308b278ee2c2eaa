#include "model/model_manifest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "memory_file_system.h"
#include "model/synthetic_model.h"
#include "test_support.h"

namespace assay {
namespace {

using ::testing::HasSubstr;

Result<ModelManifest> Build(const std::string& folder, ManifestOptions options = {}) {
  return BuildModelManifest(LocalFileSystem(), folder, options);
}

const TensorRecord* FindTensor(const ModelManifest& manifest, const std::string& name) {
  for (const FileRecord& file : manifest.files) {
    for (const TensorRecord& tensor : file.tensors) {
      if (tensor.name == name) return &tensor;
    }
  }
  return nullptr;
}

TEST(ModelManifest, ReshardingKeepsTheWeightsRootAndFilesChangeIt) {
  testing::ScratchDir dir;
  SyntheticModelSpec spec;
  spec.shards = 1;
  ASSERT_TRUE(WriteSyntheticModel((dir.path() / "one").string(), spec).ok());
  spec.shards = 3;
  ASSERT_TRUE(WriteSyntheticModel((dir.path() / "three").string(), spec).ok());
  Result<ModelManifest> one = Build((dir.path() / "one").string());
  Result<ModelManifest> three = Build((dir.path() / "three").string());
  ASSERT_TRUE(one.ok()) << one.status().message();
  ASSERT_TRUE(three.ok()) << three.status().message();
  ASSERT_EQ(one->weights_roots.size(), 1u);
  EXPECT_EQ(one->weights_roots[0].root, three->weights_roots[0].root);
  EXPECT_EQ(one->TensorCount(), three->TensorCount());
  EXPECT_EQ(three->files.size(), 5u);  // config, index, three shards
}

TEST(ModelManifest, AChangedTensorChangesTheRootAndOnlyThatTensorsDigest) {
  testing::ScratchDir dir;
  SyntheticModelSpec spec;
  spec.shards = 2;
  ASSERT_TRUE(WriteSyntheticModel((dir.path() / "a").string(), spec).ok());
  spec.changed_tensors = {"model.layers.1.self_attn.v_proj.weight"};
  ASSERT_TRUE(WriteSyntheticModel((dir.path() / "b").string(), spec).ok());
  Result<ModelManifest> a = Build((dir.path() / "a").string());
  Result<ModelManifest> b = Build((dir.path() / "b").string());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->weights_roots[0].root, b->weights_roots[0].root);
  std::vector<std::string> changed;
  for (const FileRecord& file : a->files) {
    for (const TensorRecord& tensor : file.tensors) {
      if (FindTensor(*b, tensor.name)->digest != tensor.digest) changed.push_back(tensor.name);
    }
  }
  EXPECT_THAT(changed, ::testing::ElementsAre("model.layers.1.self_attn.v_proj.weight"));
}

TEST(ModelManifest, TensorDigestsEqualTheTensorsBytes) {
  testing::ScratchDir dir;
  ASSERT_TRUE(WriteSyntheticModel(dir.path().string(), SyntheticModelSpec()).ok());
  Result<ModelManifest> manifest = Build(dir.path().string());
  ASSERT_TRUE(manifest.ok());
  std::string shard = testing::ReadFileOrDie((dir.path() / "model.safetensors").string());
  for (const FileRecord& file : manifest->files) {
    if (file.format != WeightFormat::kSafetensors) continue;
    EXPECT_EQ(file.sha256, Sha256::Of(shard));
    for (const TensorRecord& tensor : file.tensors) {
      EXPECT_EQ(tensor.digest, Sha256::Of(std::string_view(shard).substr(tensor.offset, tensor.size)));
      EXPECT_THAT(tensor.dtype, ::testing::StartsWith("safetensors:"));
    }
  }
}

TEST(ModelManifest, NoTensorDigestsMeansNoRoot) {
  testing::ScratchDir dir;
  ASSERT_TRUE(WriteSyntheticModel(dir.path().string(), SyntheticModelSpec()).ok());
  ManifestOptions options;
  options.tensor_digests = false;
  Result<ModelManifest> manifest = Build(dir.path().string(), options);
  ASSERT_TRUE(manifest.ok());
  EXPECT_TRUE(manifest->weights_roots.empty());
  EXPECT_FALSE(manifest->has_tensor_digests);
  EXPECT_FALSE(FindTensor(*manifest, "lm_head.weight")->digest.has_value());
}

TEST(ModelManifest, CacheAnswersAnUnchangedFolderAndMissesAChangedFile) {
  testing::ScratchDir dir;
  const std::string model = (dir.path() / "m").string();
  ASSERT_TRUE(WriteSyntheticModel(model, SyntheticModelSpec()).ok());
  FixedClock later(RealTimeClock().NowNanos() + 60'000'000'000);  // stamps are old enough to trust
  auto cache = HashCache::Open((dir.path() / "cache.sqlite3").string(), later);
  ASSERT_TRUE(cache.ok());
  ManifestOptions options;
  options.cache = cache->get();
  Result<ModelManifest> first = Build(model, options);
  Result<ModelManifest> second = Build(model, options);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->bytes_read, first->total_bytes);
  EXPECT_EQ(second->bytes_read, 0u);
  EXPECT_EQ(second->weights_roots[0].root, first->weights_roots[0].root);

  // Same size, different bytes: the stat identity changes, so the file is read again.
  std::string config = testing::ReadFileOrDie(model + "/config.json");
  config[config.size() - 2] = ' ';
  dir.Write("m/config.json", config);
  Result<ModelManifest> third = Build(model, options);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->bytes_read, config.size());
}

TEST(ModelManifest, ReadFailureIsAnIoErrorNamingTheFile) {
  testing::ScratchDir dir;
  ASSERT_TRUE(WriteSyntheticModel(dir.path().string(), SyntheticModelSpec()).ok());
  // The real disk, except that opening config.json fails as a failing disk would
  // (root ignores permissions, so an unreadable file cannot be made for real).
  testing::MemoryFileSystem failing;
  failing.PassThrough(dir.path().string());
  failing.FailOpens("config.json");
  Result<ModelManifest> manifest = BuildModelManifest(failing, dir.path().string(), {});
  EXPECT_EQ(manifest.status().kind(), ErrorKind::kIo);
  EXPECT_THAT(manifest.status().message(), HasSubstr("config.json: input/output error"));
}

TEST(ModelManifest, DuplicateTensorAcrossShardsIsRejected) {
  testing::ScratchDir dir;
  SyntheticModelSpec spec;
  ASSERT_TRUE(WriteSyntheticModel((dir.path() / "m").string(), spec).ok());
  std::filesystem::copy_file(dir.path() / "m/model.safetensors", dir.path() / "m/copy.safetensors");
  Result<ModelManifest> manifest = Build((dir.path() / "m").string());
  EXPECT_EQ(manifest.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(manifest.status().message(), HasSubstr("m/model.safetensors: tensor \"model.embed_tokens.weight\" appears more than once "
                                                   "(also in copy.safetensors)"));
}

TEST(ModelManifest, IndexNamingAMissingShardIsRejected) {
  testing::ScratchDir dir;
  SyntheticModelSpec spec;
  spec.shards = 2;
  ASSERT_TRUE(WriteSyntheticModel(dir.path().string(), spec).ok());
  std::filesystem::remove(dir.path() / "model-00002-of-00002.safetensors");
  Result<ModelManifest> manifest = Build(dir.path().string());
  EXPECT_EQ(manifest.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(manifest.status().message(),
              HasSubstr("model.safetensors.index.json: names shard \"model-00002-of-00002.safetensors\""));
}

TEST(ModelManifest, OtherFormatsAreHashedButNotItemised) {
  testing::ScratchDir dir;
  dir.Write("pytorch_model.bin", "not unpickled, only hashed");
  Result<ModelManifest> manifest = Build(dir.path().string());
  ASSERT_TRUE(manifest.ok());
  ASSERT_EQ(manifest->files.size(), 1u);
  EXPECT_EQ(manifest->files[0].format, WeightFormat::kOther);
  EXPECT_TRUE(manifest->files[0].tensors.empty());
  EXPECT_TRUE(IsOpaqueWeightFile(manifest->files[0].path));
  EXPECT_TRUE(manifest->weights_roots.empty());
}

}  // namespace
}  // namespace assay
