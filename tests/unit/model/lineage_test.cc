#include "model/lineage.h"

#include <gtest/gtest.h>

namespace assay {
namespace {

// A tensor whose bytes are named by `content`: equal contents, equal digests.
TensorRecord LineageTensor(const std::string& name, const std::string& content, uint64_t size = 1000) {
  return TensorRecord{name, "safetensors:BF16", {size / 2}, 0, size, Sha256::Of(content)};
}

ModelManifest Manifest(std::vector<TensorRecord> tensors) {
  ModelManifest manifest;
  FileRecord file;
  file.path = "model.safetensors";
  file.format = WeightFormat::kSafetensors;
  file.tensors = std::move(tensors);
  manifest.files.push_back(std::move(file));
  return manifest;
}

// A 2-layer model whose tensor bytes are named "<version>/<tensor>".
std::vector<TensorRecord> Llama(const std::string& version) {
  std::vector<TensorRecord> tensors = {LineageTensor("model.embed_tokens.weight", version + "/embed", 100000),
                                       LineageTensor("lm_head.weight", version + "/head", 100000),
                                       LineageTensor("model.norm.weight", "ones", 10)};
  for (int layer = 0; layer < 2; ++layer) {
    for (const char* role : {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "input_layernorm"}) {
      std::string name = "model.layers." + std::to_string(layer) + "." + role + ".weight";
      tensors.push_back(LineageTensor(name, version + "/" + name, std::string(role).ends_with("norm") ? 10 : 5000));
    }
  }
  return tensors;
}

class LineageTest : public ::testing::Test {
 protected:
  ModelManifest llama3_ = Manifest(Llama("3"));
  ModelManifest llama31_ = Manifest(Llama("3.1"));
};

TEST_F(LineageTest, DerivedFromTheBaseWhoseTensorsItShares) {
  // Llama 3 with q_proj and v_proj of both layers changed (a merged LoRA).
  std::vector<TensorRecord> tensors = Llama("3");
  for (TensorRecord& tensor : tensors) {
    if (tensor.name.find("q_proj") != std::string::npos || tensor.name.find("v_proj") != std::string::npos) {
      tensor.digest = Sha256::Of("tuned/" + tensor.name);
    }
  }
  ModelManifest model = Manifest(tensors);
  Result<std::vector<LineageMatch>> matches = CompareLineage(model, {&llama31_, &llama3_}, {"3.1", "3"});
  ASSERT_TRUE(matches.ok());
  ASSERT_EQ(matches->size(), 2u);
  const LineageMatch& best = (*matches)[0];
  EXPECT_EQ(best.known_index, 1u);  // Llama 3, given second, comes first
  EXPECT_EQ(best.model_tensors, 11u);
  EXPECT_EQ(best.identical_tensors, 7u);
  EXPECT_EQ(best.identical_bytes, 100000u + 100000 + 10 + 2 * 5000 + 2 * 10);
  EXPECT_EQ(best.differing_roles, "self_attn.q_proj and self_attn.v_proj of all 2 layers");
  EXPECT_EQ(best.identical_roles,
            "model.embed_tokens, lm_head and model.norm; self_attn.k_proj and input_layernorm of all 2 layers");
  EXPECT_TRUE(best.only_in_model.empty());
  EXPECT_TRUE(best.only_in_known.empty());
  EXPECT_FALSE(best.SameWeights());

  // Against Llama 3.1 only the all-ones final norm agrees: 10 bytes of chance.
  const LineageMatch& other = (*matches)[1];
  EXPECT_EQ(other.known_index, 0u);
  EXPECT_EQ(other.identical_tensors, 1u);
  EXPECT_EQ(other.identical_bytes, 10u);
  EXPECT_EQ(other.identical, std::vector<std::string>{"model.norm.weight"});
}

TEST_F(LineageTest, SameWeightsAndMissingTensors) {
  Result<std::vector<LineageMatch>> same = CompareLineage(llama3_, {&llama3_}, {"3"});
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE((*same)[0].SameWeights());

  std::vector<TensorRecord> tensors = Llama("3");
  tensors.erase(tensors.begin() + 1);  // lm_head tied to the embeddings: not stored
  tensors.push_back(LineageTensor("score.weight", "classifier"));
  Result<std::vector<LineageMatch>> matches = CompareLineage(Manifest(tensors), {&llama3_}, {"3"});
  ASSERT_TRUE(matches.ok());
  EXPECT_EQ((*matches)[0].only_in_known, std::vector<std::string>{"lm_head.weight"});
  EXPECT_EQ((*matches)[0].only_in_model, std::vector<std::string>{"score.weight"});
  EXPECT_EQ((*matches)[0].only_in_model_roles, "score");
  EXPECT_FALSE((*matches)[0].SameWeights());
}

TEST_F(LineageTest, BytesKeptUnderAnotherNameAreReportedAsRenamed) {
  std::vector<TensorRecord> tensors = Llama("3");
  tensors[0].name = "transformer.wte.weight";
  Result<std::vector<LineageMatch>> matches = CompareLineage(Manifest(tensors), {&llama3_}, {"3"});
  ASSERT_TRUE(matches.ok());
  ASSERT_EQ((*matches)[0].renamed.size(), 1u);
  EXPECT_EQ((*matches)[0].renamed[0].first, "transformer.wte.weight");
  EXPECT_EQ((*matches)[0].renamed[0].second, "model.embed_tokens.weight");
}

TEST_F(LineageTest, RefusesManifestsWithoutTensorDigests) {
  ModelManifest files_only = llama3_;
  files_only.has_tensor_digests = false;
  EXPECT_EQ(CompareLineage(files_only, {&llama3_}, {"3"}).status().message(),
            "the model has no tensor digests to compare");
  EXPECT_EQ(CompareLineage(llama3_, {&files_only}, {"base.json"}).status().message(),
            "base.json: the record has no tensor digests to compare");
}

}  // namespace
}  // namespace assay
