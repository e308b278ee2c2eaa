// The model manifest: every file of a model folder with its SHA-256, every
// tensor of every safetensors and GGUF file with dtype, shape, byte range and
// SHA-256, and the weights root of each format (DESIGN.md, Records: model).
// Files of other formats (PyTorch pickles, ONNX, ...) are hashed as files and
// never parsed, unpickled or run; their tensors are not itemised.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "digest/file_hasher.h"
#include "digest/hash_cache.h"
#include "file_system.h"
#include "model/folder_walk.h"
#include "status.h"

namespace assay {

enum class WeightFormat { kSafetensors, kGguf, kOther };

// "safetensors", "gguf" or "other": the prefix of dtypes and the key of roots.
std::string_view WeightFormatName(WeightFormat format);
// By file name: *.safetensors and *.gguf are parsed; anything else is kOther.
WeightFormat WeightFormatOfPath(std::string_view path);
// A file of some other weight format (PyTorch pickle, ONNX, ...), by name:
// hashed as a file like any other, and reported as holding tensors that are
// not itemised, so nobody mistakes "no tensors listed" for "no weights".
bool IsOpaqueWeightFile(std::string_view path);

struct TensorRecord {
  std::string name;
  std::string dtype;  // prefixed by the format: "safetensors:BF16"
  std::vector<uint64_t> shape;
  uint64_t offset = 0;  // absolute byte range in its file
  uint64_t size = 0;
  std::optional<Sha256Digest> digest;  // absent when tensor digests were turned off
};

struct FileRecord {
  std::string path;  // relative, POSIX
  uint64_t size = 0;
  Sha256Digest sha256{};  // equals the git-lfs oid
  WeightFormat format = WeightFormat::kOther;
  bool hidden = false;
  bool from_cache = false;  // the digests came from the hash cache, not a read
  std::vector<TensorRecord> tensors;
};

struct WeightsRootRecord {
  WeightFormat format = WeightFormat::kSafetensors;
  Sha256Digest root{};
  uint64_t tensor_count = 0;
};

struct ModelManifest {
  std::string folder;  // canonical path it was read from
  std::optional<HubSource> hub_source;
  std::vector<FileRecord> files;      // sorted by path
  std::vector<SkippedEntry> skipped;  // .git and tool caches
  std::vector<WeightsRootRecord> weights_roots;  // one per format with tensors; empty without tensor digests
  bool has_tensor_digests = true;
  uint64_t total_bytes = 0;
  uint64_t bytes_read = 0;  // total_bytes less what the cache answered

  uint64_t TensorCount() const;
};

struct ManifestOptions {
  bool tensor_digests = true;
  HashCache* cache = nullptr;  // null: hash everything
  ProgressSink* progress = nullptr;
  unsigned threads = 0;  // hashing threads; 0 = one per core
};

// Errors: kInvalidInput for a malformed weight file or index, a tensor name
// repeated within one format, a cache blob whose name is not its digest, or a
// bad symlink, each naming the file; kIo for read failures.
Result<ModelManifest> BuildModelManifest(FileSystem& fs, const std::string& folder,
                                         const ManifestOptions& options);

}  // namespace assay
