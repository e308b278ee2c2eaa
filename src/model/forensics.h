// Weight forensics: two model folders compared tensor by tensor, by name
// (docs/forensics.md). Tensors whose digests agree are identical without
// being read; every other pair with equal shapes is decoded (dtypes may
// differ) and streamed once, in blocks, to measure its difference D = B - A:
// the largest element difference, the relative change ||D||_F / ||A||_F, the
// cosine similarity of A and B, and the numerical rank of D (low_rank.h),
// counted above the larger of a relative tolerance and the rounding noise the
// two dtypes can produce.
//
// Work is split into slices of rows across a thread pool, so one large tensor
// uses every core; memory stays bounded by the thread count times one slice's
// sketch and block (docs/forensics.md gives the figures), whatever the tensor
// and model sizes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "file_system.h"
#include "model/low_rank.h"
#include "model/model_manifest.h"
#include "status.h"

namespace assay {

struct ForensicsOptions {
  double tolerance = 1e-3;    // relative to the largest singular value; at least kMinTolerance
  uint32_t max_rank = 32;     // k: the largest rank reported as such
  uint32_t oversampling = 8;  // p: the sketch has k + p columns
  unsigned threads = 0;       // 0: one per core
  uint64_t seed = 0x5EED;     // of the Gaussian test matrices: runs are reproducible
};

// Below this the sketch's double-precision arithmetic, not D, would decide.
inline constexpr double kMinTolerance = 1e-6;
inline constexpr uint32_t kMaxSketchRank = 1024;

enum class TensorVerdict {
  kIdentical,      // the same bytes (and dtype)
  kSameValues,     // other bytes (another dtype) but every value equal
  kRounding,       // D is within the rounding noise of the two dtypes
  kLowRank,        // D has rank 1..max_rank above the threshold (a matrix)
  kFullRank,       // D has more directions than the sketch resolves, or full rank
  kVectorChanged,  // a 1-D or scalar tensor changed beyond rounding
  kShapeChanged,   // not compared: the shapes differ
  kNotDecoded,     // not compared: a dtype is not decoded (tensor_decode.h)
  kOnlyInA,
  kOnlyInB,
};

// "identical", "same-values", "rounding", "low-rank", "full-rank",
// "vector-changed", "shape-changed", "not-decoded", "only-in-a", "only-in-b".
std::string_view TensorVerdictName(TensorVerdict verdict);

struct TensorForensics {
  std::string name;
  WeightFormat format = WeightFormat::kSafetensors;
  std::string dtype_a, dtype_b;  // empty on the side that lacks the tensor
  std::vector<uint64_t> shape_a, shape_b;
  TensorVerdict verdict = TensorVerdict::kIdentical;
  std::string reason;  // kNotDecoded: why

  // The rest is set only when the pair was decoded (`measured`).
  bool measured = false;
  uint64_t rows = 0, cols = 0;  // the matrix view (tensor_matrix.h)
  double max_abs_difference = 0;
  std::optional<double> relative_change;    // ||B-A||_F / ||A||_F
  std::optional<double> cosine_similarity;  // <A,B> / (||A||_F ||B||_F)
  uint64_t nonfinite_elements = 0;          // NaN or infinite in A or B: left out
  double noise_floor = 0;                   // what rounding to the two dtypes can produce
  RankEstimate rank;                        // of B - A; rank.singular_values are the sketch's
  bool rank_exact = false;  // the sketch spanned all of D (min(rows, cols) <= k + p)
};

struct ForensicsReport {
  std::vector<TensorForensics> tensors;  // by format, then name
  ForensicsOptions options;              // as used (tolerance clamped)
  uint64_t bytes_read = 0;               // tensor bytes decoded, both sides
  uint64_t tensors_decoded = 0;
};

// Compares the tensors of `a` and `b`, whose files are read from their
// folders (manifest.folder + "/" + path) through `fs`. Both manifests need
// tensor digests. Errors: kInvalidInput for options out of range or a
// manifest without tensor digests; kIo from reading, naming the file. Shape
// and dtype differences are verdicts, not errors. `progress`, when given, is
// told the bytes of both sides decoded.
Result<ForensicsReport> CompareWeights(FileSystem& fs, const ModelManifest& a, const ModelManifest& b,
                                       const ForensicsOptions& options,
                                       ProgressSink* progress = nullptr);

}  // namespace assay
