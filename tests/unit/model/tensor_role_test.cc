#include "model/tensor_role.h"

#include <gtest/gtest.h>

namespace assay {
namespace {

std::vector<std::string> LayerNames(const std::string& role, std::initializer_list<int> layers) {
  std::vector<std::string> names;
  for (int layer : layers) names.push_back("model.layers." + std::to_string(layer) + "." + role + ".weight");
  return names;
}

TEST(TensorRoleTest, ReadsLayerStackAndRoleFromTheName) {
  TensorRole hf = RoleOf("model.layers.7.self_attn.q_proj.weight");
  EXPECT_EQ(hf.stack, "model.layers");
  EXPECT_EQ(hf.layer, 7u);
  EXPECT_EQ(hf.role, "self_attn.q_proj");
  TensorRole gguf = RoleOf("blk.12.attn_q.weight");
  EXPECT_EQ(gguf.stack, "blk");
  EXPECT_EQ(gguf.layer, 12u);
  EXPECT_EQ(gguf.role, "attn_q");
  EXPECT_EQ(RoleOf("model.layers.3.mlp.experts.17.down_proj.weight").role, "mlp.experts.*.down_proj");
  EXPECT_EQ(RoleOf("model.layers.3.self_attn.q_proj.bias").role, "self_attn.q_proj.bias");
  TensorRole plain = RoleOf("model.embed_tokens.weight");
  EXPECT_FALSE(plain.layer.has_value());
  EXPECT_EQ(plain.role, "model.embed_tokens");
  EXPECT_EQ(RoleOf("lm_head.weight").role, "lm_head");
  EXPECT_EQ(RoleOf("weight").role, "weight");
}

TEST(TensorRoleTest, DescribesRolesByTheLayersTheyCover) {
  RoleIndex index;
  std::vector<std::string> all;
  for (const char* role : {"self_attn.q_proj", "self_attn.v_proj", "mlp.up_proj"}) {
    for (const std::string& name : LayerNames(role, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})) {
      index.Add(name);
      all.push_back(name);
    }
  }
  index.Add("lm_head.weight");

  std::vector<std::string> qv = LayerNames("self_attn.q_proj", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  std::vector<std::string> v = LayerNames("self_attn.v_proj", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  qv.insert(qv.end(), v.begin(), v.end());
  EXPECT_EQ(index.Describe(qv), "self_attn.q_proj and self_attn.v_proj of all 10 layers");

  std::vector<std::string> mixed = LayerNames("mlp.up_proj", {0, 1, 2, 5, 7, 8});
  mixed.push_back("lm_head.weight");
  std::vector<std::string> one = LayerNames("self_attn.q_proj", {3});
  mixed.insert(mixed.end(), one.begin(), one.end());
  EXPECT_EQ(index.Describe(mixed), "mlp.up_proj of layers 0-2, 5 and 7-8; lm_head; self_attn.q_proj of layer 3");
  EXPECT_EQ(index.Describe(mixed, 1), "mlp.up_proj of layers 0-2, 5 and 7-8; and 2 more");
  EXPECT_EQ(index.Describe({}), "");
}

TEST(TensorRoleTest, GroupsReportLayersAndWhetherAllAreCovered) {
  RoleIndex index;
  for (const std::string& name : LayerNames("mlp.up_proj", {0, 1, 2})) index.Add(name);
  std::vector<RoleSpan> spans = index.Group(LayerNames("mlp.up_proj", {0, 2}));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].label, "mlp.up_proj");
  EXPECT_EQ(spans[0].layers, (std::vector<uint64_t>{0, 2}));
  EXPECT_FALSE(spans[0].all_layers);
  EXPECT_EQ(spans[0].tensors, 2u);
  EXPECT_TRUE(index.Group(LayerNames("mlp.up_proj", {0, 1, 2}))[0].all_layers);
}

TEST(TensorRoleTest, TwoStacksWithOneRoleAreTold) {
  RoleIndex index;
  index.Add("model.layers.0.self_attn.q_proj.weight");
  index.Add("vision.layers.0.self_attn.q_proj.weight");
  EXPECT_EQ(index.Describe({"vision.layers.0.self_attn.q_proj.weight"}), "vision.layers.N.self_attn.q_proj of layer 0");
}

TEST(TensorRoleTest, JoinsWithAnd) {
  EXPECT_EQ(JoinWithAnd({}), "");
  EXPECT_EQ(JoinWithAnd({"a"}), "a");
  EXPECT_EQ(JoinWithAnd({"a", "b"}), "a and b");
  EXPECT_EQ(JoinWithAnd({"a", "b", "c"}), "a, b and c");
}

}  // namespace
}  // namespace assay
