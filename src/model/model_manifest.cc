#include "model/model_manifest.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "formats/gguf.h"
#include "formats/safetensors.h"
#include "model/safetensors_index_check.h"
#include "model/weights_root.h"

namespace assay {
namespace {

// Payload kind under which the hash cache keeps a file's tensor digests.
constexpr std::string_view kTensorDigestsKind = "tensor-digests/v1";

Result<std::vector<TensorEntry>> ReadTensorTable(const RandomAccessFile& file, WeightFormat format) {
  switch (format) {
    case WeightFormat::kSafetensors: {
      ASSAY_ASSIGN_OR_RETURN(SafetensorsHeader header, ReadSafetensorsHeader(file));
      return std::move(header.tensors);
    }
    case WeightFormat::kGguf: {
      ASSAY_ASSIGN_OR_RETURN(GgufFile gguf, ReadGguf(file));
      return std::move(gguf.tensors);
    }
    case WeightFormat::kOther:
      break;
  }
  return std::vector<TensorEntry>();
}

std::string EncodeDigests(const std::vector<Sha256Digest>& digests) {
  std::string hex;
  for (const Sha256Digest& digest : digests) hex += ToHex(digest);
  return hex;
}

std::optional<std::vector<Sha256Digest>> DecodeDigests(const std::string& hex, size_t count) {
  if (hex.size() != count * 64) return std::nullopt;
  std::vector<Sha256Digest> digests;
  for (size_t i = 0; i < count; ++i) {
    std::optional<Sha256Digest> digest = Sha256FromHex(std::string_view(hex).substr(i * 64, 64));
    if (!digest) return std::nullopt;
    digests.push_back(*digest);
  }
  return digests;
}

// One file on its way into the manifest.
struct PendingFile {
  const ModelFileRef* ref = nullptr;
  WeightFormat format = WeightFormat::kOther;
  std::vector<TensorEntry> tensors;
  FileRecord record;
};

// Answers a file from the hash cache; false when it must be read.
bool AnswerFromCache(HashCache& cache, PendingFile& pending, bool tensor_digests) {
  Result<std::optional<Sha256Digest>> digest = cache.Lookup(pending.ref->read_path, pending.ref->info);
  if (!digest.ok() || !digest->has_value()) return false;
  std::vector<Sha256Digest> tensor_digests_found;
  if (tensor_digests && !pending.tensors.empty()) {
    Result<std::optional<std::string>> payload = cache.LookupContent(**digest, kTensorDigestsKind);
    if (!payload.ok() || !payload->has_value()) return false;
    std::optional<std::vector<Sha256Digest>> decoded = DecodeDigests(**payload, pending.tensors.size());
    if (!decoded) return false;
    tensor_digests_found = std::move(*decoded);
  }
  pending.record.sha256 = **digest;
  pending.record.from_cache = true;
  for (size_t i = 0; i < tensor_digests_found.size(); ++i) {
    pending.record.tensors[i].digest = tensor_digests_found[i];
  }
  return true;
}

// Opens a listed file, checking it is still the size the listing saw.
Result<std::unique_ptr<RandomAccessFile>> OpenListedFile(FileSystem& fs, const ModelFileRef& ref) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(ref.read_path));
  if (file->size() != ref.info.size) {
    return Status::IoError(ref.read_path + ": file changed while the folder was being read");
  }
  return file;
}

// Files are opened one at a time here and in BuildModelManifest, so a folder
// of many thousand files never holds more descriptors than there are readers.
Status HashOneFile(FileSystem& fs, const FileHasher& hasher, const ManifestOptions& options,
                   int64_t stat_time_ns, PendingFile& pending) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, OpenListedFile(fs, *pending.ref));
  std::vector<ByteRange> ranges;
  if (options.tensor_digests) {
    for (const TensorEntry& tensor : pending.tensors) ranges.push_back({tensor.offset, tensor.size});
  }
  ASSAY_ASSIGN_OR_RETURN(FileDigests digests, hasher.Hash(*file, ranges, options.progress));
  pending.record.sha256 = digests.file;
  for (size_t i = 0; i < digests.ranges.size(); ++i) pending.record.tensors[i].digest = digests.ranges[i];
  if (options.cache != nullptr) {
    // A cache that fails to store is only a slower next run.
    (void)options.cache->Store(pending.ref->read_path, pending.ref->info, digests.file, stat_time_ns);
    if (!digests.ranges.empty()) {
      (void)options.cache->StoreContent(digests.file, kTensorDigestsKind, EncodeDigests(digests.ranges));
    }
  }
  return Status::Ok();
}

// Hashes the files the cache did not answer, biggest first, several at once:
// each reader thread takes the next file and feeds the shared hashing pool.
Status HashFiles(FileSystem& fs, std::vector<PendingFile*> to_hash, const ManifestOptions& options,
                 int64_t stat_time_ns) {
  std::sort(to_hash.begin(), to_hash.end(),
            [](const PendingFile* a, const PendingFile* b) { return a->record.size > b->record.size; });
  ThreadPool pool(options.threads);
  FileHasher hasher(pool);
  std::atomic<size_t> next{0};
  std::mutex failure_mutex;
  Status failure;
  auto read_files = [&] {
    for (size_t i = next++; i < to_hash.size(); i = next++) {
      Status status = HashOneFile(fs, hasher, options, stat_time_ns, *to_hash[i]);
      if (!status.ok()) {
        std::lock_guard lock(failure_mutex);
        if (failure.ok()) failure = status;
        next = to_hash.size();  // stop handing out files
      }
    }
  };
  // One reader per core keeps every core's hashing fed while bounding memory
  // to a few chunk windows; more readers than files would only idle.
  size_t readers = std::min<size_t>(to_hash.size(), std::max(2u, pool.size()));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < readers; ++i) threads.emplace_back(read_files);
  if (readers > 0) read_files();
  for (std::thread& thread : threads) thread.join();
  return failure;
}

Status CheckHubBlob(const PendingFile& pending) {
  const std::optional<std::string>& blob = pending.ref->hub_blob_name;
  // LFS blobs are named by their SHA-256; small files by their git blob id (40 hex), not checked.
  if (!blob || blob->size() != 64) return Status::Ok();
  if (*blob == ToHex(pending.record.sha256)) return Status::Ok();
  return Status::InvalidInput(pending.ref->relative_path + ": cache blob " + *blob +
                              " does not match its content (sha256 " + ToHex(pending.record.sha256) +
                              "); the Hugging Face cache is corrupt, download the file again");
}

// A tensor name may appear once per format (DESIGN.md, weights root). Checked
// before any hashing, naming both files, so a broken folder fails at once.
Status CheckTensorNamesUnique(const std::vector<PendingFile>& files, const std::string& display_folder) {
  std::map<std::pair<WeightFormat, std::string_view>, const std::string*> first_seen;
  for (const PendingFile& file : files) {
    for (const TensorEntry& tensor : file.tensors) {
      auto [seen, inserted] = first_seen.try_emplace({file.format, tensor.name}, &file.record.path);
      if (inserted) continue;
      std::string where = *seen->second == file.record.path ? "twice in that file"
                                                            : "also in " + *seen->second;
      return Status::InvalidInput(display_folder + "/" + file.record.path + ": tensor \"" + tensor.name +
                                  "\" appears more than once (" + where + ")");
    }
  }
  return Status::Ok();
}

Status ComputeWeightsRoots(ModelManifest& manifest) {
  std::map<WeightFormat, std::vector<WeightsLeaf>> leaves_by_format;
  for (const FileRecord& file : manifest.files) {
    for (const TensorRecord& tensor : file.tensors) {
      leaves_by_format[file.format].push_back({tensor.name, tensor.dtype, tensor.shape, *tensor.digest});
    }
  }
  for (auto& [format, leaves] : leaves_by_format) {
    uint64_t count = leaves.size();
    Result<Sha256Digest> root = ComputeWeightsRoot(std::move(leaves));
    if (!root.ok()) {
      return root.status().WithContext(manifest.folder + " (" + std::string(WeightFormatName(format)) + ")");
    }
    manifest.weights_roots.push_back({format, *root, count});
  }
  return Status::Ok();
}

}  // namespace

std::string_view WeightFormatName(WeightFormat format) {
  switch (format) {
    case WeightFormat::kSafetensors:
      return "safetensors";
    case WeightFormat::kGguf:
      return "gguf";
    case WeightFormat::kOther:
      break;
  }
  return "other";
}

WeightFormat WeightFormatOfPath(std::string_view path) {
  if (path.ends_with(".safetensors")) return WeightFormat::kSafetensors;
  if (path.ends_with(".gguf")) return WeightFormat::kGguf;
  return WeightFormat::kOther;
}

bool IsOpaqueWeightFile(std::string_view path) {
  static const char* const kSuffixes[] = {".bin", ".pt", ".pth", ".ckpt", ".onnx", ".h5",
                                          ".msgpack", ".npz", ".pkl", ".pickle", ".nemo"};
  for (const char* suffix : kSuffixes) {
    if (path.ends_with(suffix)) return true;
  }
  return false;
}

uint64_t ModelManifest::TensorCount() const {
  uint64_t count = 0;
  for (const FileRecord& file : files) count += file.tensors.size();
  return count;
}

Result<ModelManifest> BuildModelManifest(FileSystem& fs, const std::string& folder,
                                         const ManifestOptions& options) {
  // Taken before any file is stat'ed: the cache's racy-timestamp rule needs a
  // time no later than the stat. Without a cache nothing is stored.
  const int64_t stat_time_ns = options.cache != nullptr ? options.cache->NowNanos() : 0;
  ASSAY_ASSIGN_OR_RETURN(FolderListing listing, ListModelFolder(fs, folder));

  std::vector<PendingFile> pending(listing.files.size());
  std::vector<PendingFile*> to_hash;
  std::map<std::string, const std::vector<TensorEntry>*> tensors_by_path;
  for (size_t i = 0; i < listing.files.size(); ++i) {
    PendingFile& file = pending[i];
    file.ref = &listing.files[i];
    file.format = WeightFormatOfPath(file.ref->relative_path);
    if (file.format != WeightFormat::kOther) {
      ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> opened, OpenListedFile(fs, *file.ref));
      ASSAY_ASSIGN_OR_RETURN(file.tensors, ReadTensorTable(*opened, file.format));
    }
    tensors_by_path[file.ref->relative_path] = &file.tensors;
    file.record.path = file.ref->relative_path;
    file.record.size = file.ref->info.size;
    file.record.format = file.format;
    file.record.hidden = file.ref->hidden;
    for (const TensorEntry& tensor : file.tensors) {
      file.record.tensors.push_back({tensor.name, std::string(WeightFormatName(file.format)) + ":" + tensor.dtype,
                                     tensor.shape, tensor.offset, tensor.size, std::nullopt});
    }
    if (options.cache == nullptr || !AnswerFromCache(*options.cache, file, options.tensor_digests)) {
      to_hash.push_back(&file);
    }
  }
  ASSAY_RETURN_IF_ERROR(CheckTensorNamesUnique(pending, folder));
  ASSAY_RETURN_IF_ERROR(CheckSafetensorsIndexes(fs, listing, folder, tensors_by_path));
  if (options.progress != nullptr) {
    uint64_t total = 0;
    for (const PendingFile* file : to_hash) total += file->record.size;
    options.progress->SetTotal(total);
  }
  ASSAY_RETURN_IF_ERROR(HashFiles(fs, to_hash, options, stat_time_ns));
  if (options.cache != nullptr) (void)options.cache->Flush();

  ModelManifest manifest;
  manifest.folder = listing.root;
  manifest.hub_source = listing.hub_source;
  manifest.skipped = listing.skipped;
  manifest.has_tensor_digests = options.tensor_digests;
  for (PendingFile& file : pending) {
    ASSAY_RETURN_IF_ERROR(CheckHubBlob(file));
    manifest.total_bytes += file.record.size;
    if (!file.record.from_cache) manifest.bytes_read += file.record.size;
    manifest.files.push_back(std::move(file.record));
  }
  if (options.tensor_digests) ASSAY_RETURN_IF_ERROR(ComputeWeightsRoots(manifest));
  return manifest;
}

}  // namespace assay
