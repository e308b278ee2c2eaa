#include "model/forensics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <bit>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "bf16_rounding.h"
#include "model/forensics_summary.h"
#include "model/tensor_decode.h"
#include "model/tensor_matrix.h"
#include "test_support.h"

namespace assay {
namespace {

using ::testing::HasSubstr;

// A tensor to write: its values, and the dtype they are stored in.
struct PlantedTensor {
  std::string dtype = "BF16";
  std::vector<uint64_t> shape;
  std::vector<double> values;  // row-major
};
using Model = std::map<std::string, PlantedTensor>;

using model_testing::Bf16Bits;
using model_testing::RoundToBf16;

std::string Encode(const PlantedTensor& tensor) {
  std::string bytes;
  for (double x : tensor.values) {
    if (tensor.dtype == "BF16") {
      const uint16_t bits = Bf16Bits(x);
      bytes += static_cast<char>(bits & 0xFF);
      bytes += static_cast<char>(bits >> 8);
    } else if (tensor.dtype == "F32") {
      testing::AppendU32LE(bytes, std::bit_cast<uint32_t>(float(x)));
    } else if (tensor.dtype == "I32") {
      testing::AppendU32LE(bytes, static_cast<uint32_t>(int32_t(x)));
    } else {
      ADD_FAILURE() << "no encoder for " << tensor.dtype;
    }
  }
  return bytes;
}

// One model.safetensors holding `model`, in a fresh folder under `root`.
std::string WriteModel(const testing::ScratchDir& root, const std::string& name, const Model& model) {
  nlohmann::json header = nlohmann::json::object();
  std::string data;
  for (const auto& [tensor_name, tensor] : model) {
    std::string bytes = Encode(tensor);
    header[tensor_name] = {{"dtype", tensor.dtype}, {"shape", tensor.shape}, {"data_offsets", {data.size(), data.size() + bytes.size()}}};
    data += bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string file;
  testing::AppendU64LE(file, text.size());
  root.Write(name + "/model.safetensors", file + text + data);
  return (root.path() / name).string();
}

std::vector<double> Gaussian(size_t count, double scale, std::mt19937_64& random) {
  std::normal_distribution<double> normal(0.0, scale);
  std::vector<double> values(count);
  for (double& x : values) x = normal(random);
  return values;
}

PlantedTensor Weights(std::vector<uint64_t> shape, std::mt19937_64& random) {
  size_t count = 1;
  for (uint64_t d : shape) count *= d;
  PlantedTensor tensor{"BF16", shape, Gaussian(count, 0.02, random)};
  for (double& x : tensor.values) x = RoundToBf16(x);
  return tensor;
}

// A small Llama-shaped model: 2 layers, hidden 48.
Model BaseModel(std::mt19937_64& random) {
  Model model;
  model["model.embed_tokens.weight"] = Weights({100, 48}, random);
  model["lm_head.weight"] = Weights({100, 48}, random);
  model["model.norm.weight"] = PlantedTensor{"BF16", {48}, std::vector<double>(48, 1.0)};
  for (int layer = 0; layer < 2; ++layer) {
    std::string prefix = "model.layers." + std::to_string(layer) + ".";
    model[prefix + "self_attn.q_proj.weight"] = Weights({64, 48}, random);
    model[prefix + "self_attn.k_proj.weight"] = Weights({56, 48}, random);
    model[prefix + "self_attn.v_proj.weight"] = Weights({56, 48}, random);
    model[prefix + "input_layernorm.weight"] = PlantedTensor{"BF16", {48}, std::vector<double>(48, 1.0)};
  }
  return model;
}

// tensor + scale U V^T of rank `rank`, scaled to `relative` of its norm, in bf16.
void PlantLowRank(PlantedTensor& tensor, size_t rank, double relative, std::mt19937_64& random) {
  const size_t rows = tensor.shape[0], cols = tensor.values.size() / rows;
  std::vector<double> u = Gaussian(rows * rank, 1, random), v = Gaussian(cols * rank, 1, random);
  std::vector<double> update(tensor.values.size(), 0.0);
  double update_norm = 0, norm = 0;
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      for (size_t k = 0; k < rank; ++k) update[r * cols + c] += u[r * rank + k] * v[c * rank + k];
      update_norm += update[r * cols + c] * update[r * cols + c];
      norm += tensor.values[r * cols + c] * tensor.values[r * cols + c];
    }
  }
  const double scale = relative * std::sqrt(norm / update_norm);
  for (size_t i = 0; i < update.size(); ++i) tensor.values[i] = RoundToBf16(tensor.values[i] + scale * update[i]);
}

Result<ModelManifest> Manifest(const std::string& folder) {
  return BuildModelManifest(LocalFileSystem(), folder, ManifestOptions{});
}

Result<ForensicsReport> Compare(const std::string& a, const std::string& b, ForensicsOptions options = {}) {
  ASSAY_ASSIGN_OR_RETURN(ModelManifest manifest_a, Manifest(a));
  ASSAY_ASSIGN_OR_RETURN(ModelManifest manifest_b, Manifest(b));
  return CompareWeights(LocalFileSystem(), manifest_a, manifest_b, options);
}

const TensorForensics& Find(const ForensicsReport& report, const std::string& name) {
  for (const TensorForensics& tensor : report.tensors) {
    if (tensor.name == name) return tensor;
  }
  ADD_FAILURE() << "no tensor " << name;
  static const TensorForensics kNone;
  return kNone;
}

std::map<std::string, TensorVerdict> Verdicts(const ForensicsReport& report) {
  std::map<std::string, TensorVerdict> verdicts;
  for (const TensorForensics& tensor : report.tensors) verdicts[tensor.name] = tensor.verdict;
  return verdicts;
}

class ForensicsTest : public ::testing::Test {
 protected:
  testing::ScratchDir scratch_;
  std::mt19937_64 random_{2024};
  Model base_ = BaseModel(random_);
};

TEST_F(ForensicsTest, FindsALoraLikeUpdateAndSaysSo) {
  Model tuned = base_;
  for (const char* name : {"model.layers.0.self_attn.q_proj.weight", "model.layers.1.self_attn.q_proj.weight",
                           "model.layers.0.self_attn.v_proj.weight", "model.layers.1.self_attn.v_proj.weight"}) {
    PlantLowRank(tuned[name], 4, 0.05, random_);
  }
  Result<ForensicsReport> report = Compare(WriteModel(scratch_, "a", base_), WriteModel(scratch_, "b", tuned));
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->tensors.size(), base_.size());
  EXPECT_EQ(report->tensors_decoded, 4u);
  for (const TensorForensics& tensor : report->tensors) {
    bool planted = tensor.name.find("q_proj") != std::string::npos || tensor.name.find("v_proj") != std::string::npos;
    EXPECT_EQ(tensor.verdict, planted ? TensorVerdict::kLowRank : TensorVerdict::kIdentical) << tensor.name;
    if (!planted) continue;
    EXPECT_EQ(tensor.rank.rank, 4u) << tensor.name;
    EXPECT_NEAR(*tensor.relative_change, 0.05, 0.01) << tensor.name;
    EXPECT_GT(*tensor.cosine_similarity, 0.99);
    EXPECT_LT(*tensor.cosine_similarity, 1.0);
    EXPECT_GT(tensor.max_abs_difference, 0.0);
  }
  ForensicsSummary summary = SummarizeForensics(*report);
  EXPECT_EQ(summary.verdict, "low-rank");
  EXPECT_EQ(summary.sentence,
            "B = A plus a low-rank update on self_attn.q_proj and self_attn.v_proj of all 2 layers, rank <= 4 "
            "(LoRA-like); embeddings, norms and all other tensors identical");
}

TEST_F(ForensicsTest, CallsFullRankNoiseFullRank) {
  Model noisy = base_;
  PlantedTensor& k = noisy["model.layers.1.self_attn.k_proj.weight"];
  std::vector<double> noise = Gaussian(k.values.size(), 0.002, random_);
  for (size_t i = 0; i < k.values.size(); ++i) k.values[i] = RoundToBf16(k.values[i] + noise[i]);
  Result<ForensicsReport> report = Compare(WriteModel(scratch_, "a", base_), WriteModel(scratch_, "b", noisy));
  ASSERT_TRUE(report.ok()) << report.status().message();
  const TensorForensics& tensor = Find(*report, "model.layers.1.self_attn.k_proj.weight");
  EXPECT_EQ(tensor.verdict, TensorVerdict::kFullRank);
  EXPECT_TRUE(tensor.rank.saturated);
  EXPECT_EQ(SummarizeForensics(*report).sentence,
            "full-rank change on self_attn.k_proj of layer 1; embeddings, norms and all other tensors identical");
}

TEST_F(ForensicsTest, IdenticalFoldersAreIdenticalWithoutDecoding) {
  Result<ForensicsReport> report = Compare(WriteModel(scratch_, "a", base_), WriteModel(scratch_, "b", base_));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->tensors_decoded, 0u);
  EXPECT_EQ(report->bytes_read, 0u);
  ForensicsSummary summary = SummarizeForensics(*report);
  EXPECT_EQ(summary.verdict, "identical");
  EXPECT_EQ(summary.sentence, "identical weights: all 11 tensors are byte-identical");
}

TEST_F(ForensicsTest, DtypeChangesAreEqualValuesOrRounding) {
  // lm_head: bf16 values stored as f32 hold the same numbers. q_proj of
  // layer 0: f32 weights saved as bf16 differ by rounding alone.
  Model a = base_, b = base_;
  a["lm_head.weight"].dtype = "BF16";
  b["lm_head.weight"].dtype = "F32";
  PlantedTensor& q = a["model.layers.0.self_attn.q_proj.weight"];
  q.dtype = "F32";
  for (double& x : q.values) x += 1e-4 * std::sin(x * 1e4);  // not representable in bf16
  b["model.layers.0.self_attn.q_proj.weight"] = q;
  b["model.layers.0.self_attn.q_proj.weight"].dtype = "BF16";
  Result<ForensicsReport> report = Compare(WriteModel(scratch_, "a", a), WriteModel(scratch_, "b", b));
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(Find(*report, "lm_head.weight").verdict, TensorVerdict::kSameValues);
  const TensorForensics& rounded = Find(*report, "model.layers.0.self_attn.q_proj.weight");
  EXPECT_EQ(rounded.verdict, TensorVerdict::kRounding);
  EXPECT_EQ(rounded.rank.rank, 0u);
  EXPECT_LT(*rounded.relative_change, 0x1p-8);
  EXPECT_EQ(SummarizeForensics(*report).verdict, "rounding");
}

TEST_F(ForensicsTest, ShapesAddedRemovedAndUndecodedTensorsAreVerdictsNotErrors) {
  Model a = base_, b = base_;
  b["model.embed_tokens.weight"] = Weights({101, 48}, random_);  // a token added
  b.erase("lm_head.weight");
  b["extra.bias"] = Weights({48}, random_);
  a["step"] = PlantedTensor{"I32", {}, {1}};
  b["step"] = PlantedTensor{"I32", {}, {2}};
  b["model.norm.weight"].values[3] = 1.5;
  Result<ForensicsReport> report = Compare(WriteModel(scratch_, "a", a), WriteModel(scratch_, "b", b));
  ASSERT_TRUE(report.ok()) << report.status().message();
  std::map<std::string, TensorVerdict> verdicts = Verdicts(*report);
  EXPECT_EQ(verdicts["model.embed_tokens.weight"], TensorVerdict::kShapeChanged);
  EXPECT_EQ(verdicts["lm_head.weight"], TensorVerdict::kOnlyInA);
  EXPECT_EQ(verdicts["extra.bias"], TensorVerdict::kOnlyInB);
  EXPECT_EQ(verdicts["step"], TensorVerdict::kNotDecoded);
  EXPECT_EQ(verdicts["model.norm.weight"], TensorVerdict::kVectorChanged);
  EXPECT_THAT(Find(*report, "step").reason, HasSubstr("safetensors:I32 is an integer type"));
  ForensicsSummary summary = SummarizeForensics(*report);
  EXPECT_EQ(summary.verdict, "changed");
  EXPECT_EQ(summary.sentence,
            "changed vectors: model.norm; shape changed on model.embed_tokens; only in A: lm_head; only in B: "
            "extra.bias; not compared (dtype not decoded): step; all other tensors identical");
}

TEST_F(ForensicsTest, ThreadCountDoesNotChangeTheFindings) {
  Model tuned = base_;
  PlantLowRank(tuned["model.layers.0.self_attn.q_proj.weight"], 3, 0.05, random_);
  PlantLowRank(tuned["lm_head.weight"], 6, 0.05, random_);
  const std::string a = WriteModel(scratch_, "a", base_), b = WriteModel(scratch_, "b", tuned);
  ForensicsOptions one, three;
  one.threads = 1;
  three.threads = 3;
  Result<ForensicsReport> serial = Compare(a, b, one), parallel = Compare(a, b, three);
  ASSERT_TRUE(serial.ok() && parallel.ok());
  EXPECT_EQ(Verdicts(*serial), Verdicts(*parallel));
  EXPECT_EQ(Find(*parallel, "lm_head.weight").rank.rank, 6u);
  EXPECT_EQ(Find(*parallel, "model.layers.0.self_attn.q_proj.weight").rank.rank, 3u);
}

TEST_F(ForensicsTest, AWideMatrixIsStreamedByColumnsAndStillMeasured) {
  // 4 x 1.5M: keeping per-column state for a row-wise sketch would take
  // more than the budget, so it is read by columns (a rank-1 change in it).
  Model a, b;
  a["wide.weight"] = Weights({4, 1'500'000}, random_);
  b["wide.weight"] = a["wide.weight"];
  PlantedTensor& wide = b["wide.weight"];
  for (size_t c = 0; c < 1'500'000; ++c) wide.values[2 * 1'500'000 + c] = RoundToBf16(wide.values[2 * 1'500'000 + c] + 0.01);
  Result<ForensicsReport> report = Compare(WriteModel(scratch_, "a", a), WriteModel(scratch_, "b", b));
  ASSERT_TRUE(report.ok()) << report.status().message();
  const TensorForensics& tensor = Find(*report, "wide.weight");
  EXPECT_EQ(tensor.rows, 4u);
  EXPECT_EQ(tensor.cols, 1'500'000u);
  EXPECT_EQ(tensor.verdict, TensorVerdict::kLowRank);
  EXPECT_EQ(tensor.rank.rank, 1u);
}

TEST_F(ForensicsTest, AFileChangedAfterHashingIsAnIoErrorNamingIt) {
  Model tuned = base_;
  PlantLowRank(tuned["lm_head.weight"], 2, 0.05, random_);
  const std::string a = WriteModel(scratch_, "a", base_), b = WriteModel(scratch_, "b", tuned);
  Result<ModelManifest> manifest_a = Manifest(a), manifest_b = Manifest(b);
  ASSERT_TRUE(manifest_a.ok() && manifest_b.ok());
  std::filesystem::resize_file(b + "/model.safetensors", 100);
  Result<ForensicsReport> report = CompareWeights(LocalFileSystem(), *manifest_a, *manifest_b, {});
  EXPECT_EQ(report.status().kind(), ErrorKind::kIo);
  EXPECT_THAT(report.status().message(), HasSubstr("b/model.safetensors: file changed since it was hashed"));
}

TEST_F(ForensicsTest, RefusesOptionsOutOfRangeAndManifestsWithoutTensorDigests) {
  ModelManifest empty;
  ForensicsOptions options;
  options.tolerance = 0;
  EXPECT_THAT(CompareWeights(LocalFileSystem(), empty, empty, options).status().message(),
              HasSubstr("tolerance 0 is out of range"));
  options = {};
  options.max_rank = 0;
  EXPECT_EQ(CompareWeights(LocalFileSystem(), empty, empty, options).status().kind(), ErrorKind::kInvalidInput);
  empty.has_tensor_digests = false;
  empty.folder = "/models/x";
  EXPECT_EQ(CompareWeights(LocalFileSystem(), empty, empty, {}).status().message(),
            "/models/x: the manifest has no tensor digests to compare");
}

TEST(TensorMatrixTest, FirstDimensionByTheRestOutermostFirst) {
  EXPECT_EQ(MatrixShapeOf(WeightFormat::kSafetensors, {8, 3, 4}).rows, 8u);
  EXPECT_EQ(MatrixShapeOf(WeightFormat::kSafetensors, {8, 3, 4}).cols, 12u);
  EXPECT_EQ(MatrixShapeOf(WeightFormat::kSafetensors, {5}).rows, 1u);
  EXPECT_EQ(MatrixShapeOf(WeightFormat::kSafetensors, {}).cols, 1u);
  // GGUF lists the innermost dimension first: [cols, rows].
  EXPECT_EQ(MatrixShapeOf(WeightFormat::kGguf, {48, 64}).rows, 64u);
  EXPECT_EQ(MatrixShapeOf(WeightFormat::kGguf, {48, 64}).cols, 48u);
  EXPECT_EQ(MatrixShapeOf(WeightFormat::kGguf, {4, 3, 8}).rows, 8u);
}

}  // namespace
}  // namespace assay
