#include "model/model_diff.h"

#include <gtest/gtest.h>

#include "model/weights_root.h"

namespace assay {
namespace {

TensorRecord Tensor(std::string name, std::string_view bytes, std::string dtype = "safetensors:BF16") {
  return {std::move(name), std::move(dtype), {2, 2}, 0, 8, Sha256::Of(bytes)};
}

FileRecord File(std::string path, std::string_view content, std::vector<TensorRecord> tensors = {}) {
  FileRecord file;
  file.path = std::move(path);
  file.size = content.size();
  file.sha256 = Sha256::Of(content);
  file.format = WeightFormatOfPath(file.path);
  file.tensors = std::move(tensors);
  return file;
}

// A view whose roots follow from its tensors, as a real manifest's do.
ModelView View(std::vector<FileRecord> files) {
  ModelView view;
  view.manifest.files = std::move(files);
  std::vector<WeightsLeaf> leaves;
  for (const FileRecord& file : view.manifest.files) {
    for (const TensorRecord& tensor : file.tensors) leaves.push_back({tensor.name, tensor.dtype, tensor.shape, *tensor.digest});
  }
  if (!leaves.empty()) {
    Result<Sha256Digest> root = ComputeWeightsRoot(std::move(leaves));
    view.manifest.weights_roots.push_back({WeightFormat::kSafetensors, *root, 2});
  }
  view.configs = ConfigFilesOf(view.manifest);
  return view;
}

ModelView Original() {
  return View({File("config.json", "{}"), File("model.safetensors", "ab", {Tensor("a", "1"), Tensor("b", "2")})});
}

TEST(ModelDiff, IdenticalViews) {
  ModelDiff diff = DiffModels(Original(), Original());
  EXPECT_TRUE(diff.identical());
  EXPECT_EQ(diff.weights, WeightsVerdict::kSame);
  EXPECT_TRUE(diff.tensors_compared);
}

TEST(ModelDiff, Resharded) {
  ModelView resharded = View({File("config.json", "{}"), File("m-1.safetensors", "a", {Tensor("a", "1")}),
                              File("m-2.safetensors", "b", {Tensor("b", "2")})});
  ModelDiff diff = DiffModels(Original(), resharded);
  EXPECT_EQ(diff.weights, WeightsVerdict::kResharded);
  EXPECT_EQ(WeightsVerdictName(diff.weights), "re-sharded");
  EXPECT_FALSE(diff.identical());
}

TEST(ModelDiff, ChangedAddedAndDtypeChangedTensors) {
  ModelView changed = View({File("config.json", "{}"),
                            File("model.safetensors", "abc", {Tensor("a", "1", "safetensors:F16"), Tensor("b", "3"),
                                                              Tensor("c", "4")})});
  ModelDiff diff = DiffModels(Original(), changed);
  EXPECT_EQ(diff.weights, WeightsVerdict::kChanged);
  ASSERT_EQ(diff.manifest.tensors.size(), 3u);
  EXPECT_TRUE(diff.manifest.tensors[0].dtype_changed);
  EXPECT_TRUE(diff.manifest.tensors[1].bytes_changed);
  EXPECT_EQ(diff.manifest.tensors[2].change, Change::kAdded);
}

TEST(ModelDiff, OnlyTheConfigChanged) {
  ModelView edited = Original();
  edited.manifest.files[0] = File("config.json", "{\"rope_theta\": 1}");
  edited.configs = ConfigFilesOf(edited.manifest);
  ModelDiff diff = DiffModels(Original(), edited);
  EXPECT_EQ(diff.weights, WeightsVerdict::kSame);
  ASSERT_EQ(diff.configs.files.size(), 1u);
  EXPECT_FALSE(diff.configs.files[0].keys_known);  // digests only in these views
  EXPECT_FALSE(diff.identical());
}

TEST(ModelDiff, PointerCheckoutsNeverClaimTensors) {
  ModelView checkout = View({File("config.json", "{}"), File("model.safetensors", "ab")});
  checkout.tensors_known = false;
  checkout.manifest.has_tensor_digests = false;
  ModelDiff same = DiffModels(Original(), checkout);
  EXPECT_EQ(same.weights, WeightsVerdict::kSame);  // the same file bytes
  EXPECT_TRUE(same.manifest.tensors.empty());
  EXPECT_FALSE(same.tensors_compared);

  ModelView reuploaded = View({File("config.json", "{}"), File("model.safetensors", "other bytes")});
  reuploaded.tensors_known = false;
  ModelDiff changed = DiffModels(Original(), reuploaded);
  EXPECT_EQ(changed.weights, WeightsVerdict::kUndetermined);  // re-sharded or changed: the bytes would tell
  EXPECT_TRUE(changed.manifest.tensors.empty());
}

TEST(ModelDiff, OpaqueWeightsAreUndetermined) {
  ModelView pickled = View({File("config.json", "{}"), File("pytorch_model.bin", "pickle")});
  ModelDiff diff = DiffModels(pickled, Original());
  // The safetensors tensors may be the pickle's, converted: not proof of a change.
  EXPECT_EQ(diff.weights, WeightsVerdict::kUndetermined);
}

}  // namespace
}  // namespace assay
