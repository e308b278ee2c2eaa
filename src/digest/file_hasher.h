// Hashes one file and byte ranges of it (its tensors) in a single read of the
// file: each chunk is read once into a buffer, then the file's SHA-256 and the
// SHA-256 of every range touching that chunk are updated from that buffer on
// the pool's cores at the same time. Memory is bounded by chunk_bytes *
// chunks_in_flight per call, whatever the file size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "digest/sha256.h"
#include "digest/thread_pool.h"
#include "file_system.h"
#include "status.h"

namespace assay {

struct ByteRange {
  uint64_t offset = 0;
  uint64_t size = 0;
};

struct FileDigests {
  Sha256Digest file{};
  std::vector<Sha256Digest> ranges;  // in the order the ranges were given
};

// Told how many bytes have been fully hashed; called from worker threads.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // How many bytes the work will hash in all, once the walk that finds them
  // knows; called at most once, before the first AddHashedBytes.
  virtual void SetTotal(uint64_t /*bytes*/) {}
  virtual void AddHashedBytes(uint64_t bytes) = 0;
};

class FileHasher {
 public:
  struct Options {
    size_t chunk_bytes = size_t{4} << 20;
    size_t chunks_in_flight = 4;
  };

  FileHasher(ThreadPool& pool, Options options) : pool_(pool), options_(options) {}
  explicit FileHasher(ThreadPool& pool) : FileHasher(pool, Options()) {}

  // Ranges must lie inside the file and must not overlap (kInvalidInput
  // otherwise); they may come in any order. Read errors are kIo. Several
  // threads may call Hash at once, each on its own file; the calling thread
  // reads, the pool hashes.
  Result<FileDigests> Hash(const RandomAccessFile& file, std::span<const ByteRange> ranges,
                           ProgressSink* progress = nullptr) const;

 private:
  ThreadPool& pool_;
  Options options_;
};

}  // namespace assay
