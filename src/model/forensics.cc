#include "model/forensics.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

#include "digest/thread_pool.h"
#include "formats/tensor_entry.h"
#include "model/difference_stats.h"
#include "model/tensor_decode.h"
#include "model/tensor_matrix.h"

namespace assay {
namespace {

// A slice is what one task measures: about 8 Mi elements (16 MiB of bf16 a
// side), so a 8192 x 8192 matrix is spread over 8 tasks and every core.
constexpr uint64_t kSliceElements = uint64_t{1} << 23;
// A block is what one read decodes: 256 Ki elements, 2 MiB of doubles a side
// (enough rows per BLIS call for Z's product to run near its peak).
constexpr uint64_t kBlockElements = uint64_t{1} << 18;
// Reading by columns costs one read per row and block: keep segments long.
constexpr uint64_t kMinColumnsPerBlock = 64;
// A slice keeps (sketch size + 2) doubles per position along a line. Past
// this, a matrix wider than tall is streamed by columns instead, so what is
// kept grows with its number of rows.
constexpr uint64_t kMaxLineStateBytes = uint64_t{64} << 20;

struct TensorSide {
  const FileRecord* file = nullptr;
  const TensorRecord* tensor = nullptr;
};

// One tensor pair to decode, and the state its slices share while they run:
// opened by the first slice to start, released by the last to finish.
struct PairJob {
  TensorForensics* result = nullptr;
  TensorSide a, b;
  ElementTypeInfo type_a, type_b;
  MatrixShape shape;
  bool by_columns = false;
  uint32_t sketch_size = 0;  // 0 for vectors and scalars: no sketch
  uint64_t lines = 0, line_length = 0, lines_per_slice = 0, lines_per_block = 0, slices = 0;

  std::mutex mutex;
  bool opened = false;
  std::unique_ptr<RandomAccessFile> file_a, file_b;
  std::shared_ptr<const SketchTestMatrix> omega;
  std::unique_ptr<DifferenceAccumulator> total;
  uint64_t slices_done = 0;
};

// The test matrices of a comparison, one per line length and sketch size:
// Omega depends on nothing else (and the seed), and Llama-shaped models have
// a handful of shapes over hundreds of tensors.
class TestMatrices {
 public:
  explicit TestMatrices(uint64_t seed) : seed_(seed) {}

  std::shared_ptr<const SketchTestMatrix> Get(uint64_t cols, uint32_t size) {
    std::lock_guard lock(mutex_);
    std::shared_ptr<const SketchTestMatrix>& omega = matrices_[{cols, size}];
    if (!omega) omega = std::make_shared<const SketchTestMatrix>(cols, size, seed_);
    return omega;
  }

 private:
  const uint64_t seed_;
  std::mutex mutex_;
  std::map<std::pair<uint64_t, uint32_t>, std::shared_ptr<const SketchTestMatrix>> matrices_;
};

using TensorKey = std::pair<WeightFormat, std::string_view>;

std::map<TensorKey, TensorSide> TensorsOf(const ModelManifest& manifest) {
  std::map<TensorKey, TensorSide> tensors;
  for (const FileRecord& file : manifest.files) {
    for (const TensorRecord& tensor : file.tensors) tensors[{file.format, tensor.name}] = {&file, &tensor};
  }
  return tensors;
}

Status CheckOptions(const ForensicsOptions& options) {
  if (!(options.tolerance >= kMinTolerance && options.tolerance < 1)) {
    char tolerance[32];
    std::snprintf(tolerance, sizeof tolerance, "%g", options.tolerance);
    return Status::InvalidInput(std::string("tolerance ") + tolerance +
                                " is out of range: it must be at least 1e-06 and below 1");
  }
  if (options.max_rank < 1 || options.max_rank > kMaxSketchRank || options.oversampling > kMaxSketchRank) {
    return Status::InvalidInput("max rank " + std::to_string(options.max_rank) + " is out of range: 1 to " +
                                std::to_string(kMaxSketchRank));
  }
  return Status::Ok();
}

Result<std::unique_ptr<RandomAccessFile>> OpenTensorFile(FileSystem& fs, const ModelManifest& manifest,
                                                         const FileRecord& file) {
  const std::string path = manifest.folder + "/" + file.path;
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> opened, fs.OpenForRead(path));
  if (opened->size() != file.size) return Status::IoError(path + ": file changed since it was hashed");
  return opened;
}

// The verdict on a measured pair (docs/forensics.md, "Verdicts").
TensorVerdict Judge(const TensorForensics& measured, const DifferenceMeasures& measures, uint32_t max_rank) {
  if (measures.norm_difference == 0) return TensorVerdict::kSameValues;
  if (std::min(measured.rows, measured.cols) == 1) {
    // A vector's one singular value is its norm; within a factor 2 of the
    // floor is more than rounding produces (low_rank.h).
    return measures.norm_difference > measured.noise_floor / 2 ? TensorVerdict::kVectorChanged
                                                               : TensorVerdict::kRounding;
  }
  const RankEstimate& rank = measured.rank;
  if (rank.saturated || rank.rank > max_rank) return TensorVerdict::kFullRank;
  if (rank.rank == 0) return TensorVerdict::kRounding;
  if (measured.rank_exact && rank.rank == std::min(measured.rows, measured.cols)) return TensorVerdict::kFullRank;
  return TensorVerdict::kLowRank;
}

void Finish(PairJob& job, const ForensicsOptions& options) {
  TensorForensics& result = *job.result;
  const DifferenceMeasures measures = job.total->Measures();
  result.measured = true;
  result.rows = job.shape.rows;
  result.cols = job.shape.cols;
  result.max_abs_difference = measures.max_abs_difference;
  result.relative_change = measures.RelativeChange();
  result.cosine_similarity = measures.CosineSimilarity();
  result.nonfinite_elements = measures.nonfinite_elements;
  result.noise_floor =
      RoundingNoiseFloor(job.type_a.unit_roundoff, measures.max_line_norm_a, measures.max_cross_norm_a) +
      RoundingNoiseFloor(job.type_b.unit_roundoff, measures.max_line_norm_b, measures.max_cross_norm_b);
  const RankCriteria criteria{options.tolerance, result.noise_floor, options.max_rank};
  if (job.sketch_size > 0) {
    result.rank_exact = job.sketch_size == std::min(job.shape.rows, job.shape.cols);
    result.rank = CountRank(job.total->SingularValues(), criteria, job.sketch_size, result.rank_exact);
  } else {
    // A vector's one singular value is its norm: no sketch needed.
    result.rank_exact = true;
    result.rank = CountRank({measures.norm_difference}, criteria, 1, true);
  }
  result.verdict = Judge(result, measures, options.max_rank);
  job.file_a.reset();
  job.file_b.reset();
  job.omega.reset();
  job.total.reset();
}

// Measures lines [first, first + count) of one pair and adds them to the job.
Status RunSlice(FileSystem& fs, const ModelManifest& a, const ModelManifest& b, const ForensicsOptions& options,
                TestMatrices& omegas, ProgressSink* progress, PairJob& job, uint64_t first, uint64_t count) {
  {
    std::lock_guard lock(job.mutex);
    if (!job.opened) {
      ASSAY_ASSIGN_OR_RETURN(job.file_a, OpenTensorFile(fs, a, *job.a.file));
      ASSAY_ASSIGN_OR_RETURN(job.file_b, OpenTensorFile(fs, b, *job.b.file));
      if (job.sketch_size > 0) job.omega = omegas.Get(job.line_length, job.sketch_size);
      job.total = std::make_unique<DifferenceAccumulator>(job.line_length, job.omega.get());
      job.opened = true;
    }
  }
  TensorLineReader reader_a(*job.file_a, *job.a.tensor, job.type_a, job.shape, job.by_columns);
  TensorLineReader reader_b(*job.file_b, *job.b.tensor, job.type_b, job.shape, job.by_columns);
  DifferenceAccumulator partial(job.line_length, job.omega.get());
  std::vector<double> lines_a, lines_b;
  for (uint64_t line = first; line < first + count; line += job.lines_per_block) {
    const uint64_t n = std::min(job.lines_per_block, first + count - line);
    ASSAY_RETURN_IF_ERROR(reader_a.Read(line, n, lines_a));
    ASSAY_RETURN_IF_ERROR(reader_b.Read(line, n, lines_b));
    partial.Add(lines_a, lines_b, n);
    if (progress != nullptr) progress->AddHashedBytes(n * job.line_length * (job.type_a.bytes + job.type_b.bytes));
  }
  std::lock_guard lock(job.mutex);
  job.total->Merge(partial);
  if (++job.slices_done == job.slices) Finish(job, options);
  return Status::Ok();
}

// Fills in what the manifests alone decide; returns a job when the pair must be decoded.
std::unique_ptr<PairJob> Triage(TensorForensics& result, const TensorSide& a, const TensorSide& b,
                                const ForensicsOptions& options) {
  if (a.tensor == nullptr || b.tensor == nullptr) {
    result.verdict = a.tensor == nullptr ? TensorVerdict::kOnlyInB : TensorVerdict::kOnlyInA;
    return nullptr;
  }
  if (result.shape_a != result.shape_b) {
    result.verdict = TensorVerdict::kShapeChanged;
    return nullptr;
  }
  if (result.dtype_a == result.dtype_b && a.tensor->digest == b.tensor->digest) {
    result.verdict = TensorVerdict::kIdentical;
    return nullptr;
  }
  Result<ElementTypeInfo> type_a = DecodableElementType(result.dtype_a);
  Result<ElementTypeInfo> type_b = DecodableElementType(result.dtype_b);
  if (!type_a.ok() || !type_b.ok()) {
    result.verdict = TensorVerdict::kNotDecoded;
    result.reason = (!type_a.ok() ? type_a : type_b).status().message();
    return nullptr;
  }
  if (ElementCount(result.shape_a) == 0) {
    result.verdict = TensorVerdict::kSameValues;  // two empty tensors
    return nullptr;
  }
  auto job = std::make_unique<PairJob>();
  job->result = &result;
  job->a = a;
  job->b = b;
  job->type_a = *type_a;
  job->type_b = *type_b;
  job->shape = MatrixShapeOf(result.format, result.shape_a);
  const bool vector = std::min(job->shape.rows, job->shape.cols) == 1;
  job->sketch_size = vector ? 0 : SketchSize(job->shape.rows, job->shape.cols, options.max_rank, options.oversampling);
  job->by_columns = job->shape.rows < job->shape.cols &&
                    job->shape.cols * (job->sketch_size + 2) * sizeof(double) > kMaxLineStateBytes;
  job->lines = job->by_columns ? job->shape.cols : job->shape.rows;
  job->line_length = job->by_columns ? job->shape.rows : job->shape.cols;
  job->lines_per_block = std::max<uint64_t>(job->by_columns ? kMinColumnsPerBlock : 1, kBlockElements / job->line_length);
  job->lines_per_slice = std::max(job->lines_per_block, kSliceElements / job->line_length);
  job->slices = (job->lines + job->lines_per_slice - 1) / job->lines_per_slice;
  return job;
}

}  // namespace

std::string_view TensorVerdictName(TensorVerdict verdict) {
  switch (verdict) {
    case TensorVerdict::kIdentical:
      return "identical";
    case TensorVerdict::kSameValues:
      return "same-values";
    case TensorVerdict::kRounding:
      return "rounding";
    case TensorVerdict::kLowRank:
      return "low-rank";
    case TensorVerdict::kFullRank:
      return "full-rank";
    case TensorVerdict::kVectorChanged:
      return "vector-changed";
    case TensorVerdict::kShapeChanged:
      return "shape-changed";
    case TensorVerdict::kNotDecoded:
      return "not-decoded";
    case TensorVerdict::kOnlyInA:
      return "only-in-a";
    case TensorVerdict::kOnlyInB:
      return "only-in-b";
  }
  return "unknown";
}

Result<ForensicsReport> CompareWeights(FileSystem& fs, const ModelManifest& a, const ModelManifest& b,
                                       const ForensicsOptions& options, ProgressSink* progress) {
  ASSAY_RETURN_IF_ERROR(CheckOptions(options));
  for (const ModelManifest* manifest : {&a, &b}) {
    if (!manifest->has_tensor_digests) {
      return Status::InvalidInput(manifest->folder + ": the manifest has no tensor digests to compare");
    }
  }
  std::map<TensorKey, TensorSide> tensors_a = TensorsOf(a), tensors_b = TensorsOf(b);
  std::map<TensorKey, std::pair<TensorSide, TensorSide>> pairs;
  for (const auto& [key, side] : tensors_a) pairs[key].first = side;
  for (const auto& [key, side] : tensors_b) pairs[key].second = side;

  ForensicsReport report;
  report.options = options;
  report.tensors.resize(pairs.size());
  std::vector<std::unique_ptr<PairJob>> jobs;
  size_t index = 0;
  for (const auto& [key, sides] : pairs) {
    TensorForensics& result = report.tensors[index++];
    result.format = key.first;
    result.name = std::string(key.second);
    if (const TensorRecord* tensor = sides.first.tensor) {
      result.dtype_a = tensor->dtype;
      result.shape_a = tensor->shape;
    }
    if (const TensorRecord* tensor = sides.second.tensor) {
      result.dtype_b = tensor->dtype;
      result.shape_b = tensor->shape;
    }
    if (std::unique_ptr<PairJob> job = Triage(result, sides.first, sides.second, options)) {
      report.bytes_read += sides.first.tensor->size + sides.second.tensor->size;
      jobs.push_back(std::move(job));
    }
  }
  report.tensors_decoded = jobs.size();
  if (progress != nullptr) progress->SetTotal(report.bytes_read);

  // Slices are posted in tensor order, so a pair's state lives only while its
  // own slices run: at most about one pair per worker at a time.
  std::mutex mutex;
  std::condition_variable all_done;
  uint64_t remaining = 0;
  Status failure;
  for (const auto& job : jobs) remaining += job->slices;
  TestMatrices omegas(options.seed);
  {
    ThreadPool pool(options.threads);
    for (const auto& job : jobs) {
      for (uint64_t first = 0; first < job->lines; first += job->lines_per_slice) {
        const uint64_t count = std::min(job->lines_per_slice, job->lines - first);
        pool.Post([&, job = job.get(), first, count] {
          bool skip;
          {
            std::lock_guard lock(mutex);
            skip = !failure.ok();
          }
          Status status = skip ? Status::Ok() : RunSlice(fs, a, b, options, omegas, progress, *job, first, count);
          std::lock_guard lock(mutex);
          if (!status.ok() && failure.ok()) failure = status;
          if (--remaining == 0) all_done.notify_all();
        });
      }
    }
    std::unique_lock lock(mutex);
    all_done.wait(lock, [&] { return remaining == 0; });
  }
  if (!failure.ok()) return failure;
  return report;
}

}  // namespace assay
