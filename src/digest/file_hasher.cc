#include "digest/file_hasher.h"

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>

namespace assay {
namespace {

// The fixed set of chunk buffers of one Hash call. The reader blocks in
// Acquire when all are in use, which is what bounds memory.
class ChunkBuffers {
 public:
  ChunkBuffers(size_t count, size_t bytes) {
    for (size_t i = 0; i < count; ++i) {
      owned_.push_back(std::make_unique<std::vector<uint8_t>>(bytes));
      free_.push_back(owned_.back().get());
    }
  }

  std::vector<uint8_t>* Acquire() {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [this] { return !free_.empty(); });
    std::vector<uint8_t>* buffer = free_.back();
    free_.pop_back();
    return buffer;
  }

  void Release(std::vector<uint8_t>* buffer) {
    std::lock_guard lock(mutex_);
    free_.push_back(buffer);
    returned_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<std::vector<uint8_t>>> owned_;
  std::vector<std::vector<uint8_t>*> free_;
};

// Counts the tasks a Hash call has posted so it can wait for all of them.
class PendingTasks {
 public:
  void Add() {
    std::lock_guard lock(mutex_);
    ++count_;
  }
  void Done() {
    std::lock_guard lock(mutex_);
    if (--count_ == 0) zero_.notify_all();
  }
  void WaitForAll() {
    std::unique_lock lock(mutex_);
    zero_.wait(lock, [this] { return count_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable zero_;
  size_t count_ = 0;
};

// One chunk of the file in a buffer, shared by the tasks that hash from it.
// The last task to drop it gives the buffer back and reports the bytes done.
struct Chunk {
  Chunk(ChunkBuffers& owner, std::vector<uint8_t>* bytes, uint64_t file_offset, size_t length,
        ProgressSink* sink)
      : buffers(owner), buffer(bytes), offset(file_offset), size(length), progress(sink) {}
  ~Chunk() {
    buffers.Release(buffer);
    if (progress != nullptr) progress->AddHashedBytes(size);
  }
  Chunk(const Chunk&) = delete;
  Chunk& operator=(const Chunk&) = delete;

  // The bytes of [from, to), in file offsets, that lie in this chunk.
  std::span<const uint8_t> Slice(uint64_t from, uint64_t to) const {
    return std::span<const uint8_t>(buffer->data() + (from - offset), to - from);
  }

  ChunkBuffers& buffers;
  std::vector<uint8_t>* buffer;
  uint64_t offset;
  size_t size;
  ProgressSink* progress;
};

// A range that crosses a chunk boundary: fed chunk by chunk, in order, by its own queue.
struct SpanningRange {
  explicit SpanningRange(ThreadPool& pool) : queue(pool) {}
  Sha256 hash;
  SerialQueue queue;
};

Status CheckRanges(const RandomAccessFile& file, std::span<const ByteRange> ranges,
                   const std::vector<size_t>& order) {
  uint64_t previous_end = 0;
  for (size_t index : order) {
    const ByteRange& range = ranges[index];
    if (range.offset > file.size() || range.size > file.size() - range.offset) {
      return Status::InvalidInput(file.path() + ": byte range " + std::to_string(range.offset) +
                                  "+" + std::to_string(range.size) + " lies outside the file");
    }
    if (range.offset < previous_end) {
      return Status::InvalidInput(file.path() + ": byte ranges overlap at offset " +
                                  std::to_string(range.offset));
    }
    previous_end = range.offset + range.size;
  }
  return Status::Ok();
}

}  // namespace

Result<FileDigests> FileHasher::Hash(const RandomAccessFile& file,
                                     std::span<const ByteRange> ranges,
                                     ProgressSink* progress) const {
  std::vector<size_t> order(ranges.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return ranges[a].offset < ranges[b].offset; });
  ASSAY_RETURN_IF_ERROR(CheckRanges(file, ranges, order));

  FileDigests digests;
  digests.ranges.resize(ranges.size());
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (ranges[i].size == 0) digests.ranges[i] = Sha256::Of(std::string_view());
  }

  ChunkBuffers buffers(options_.chunks_in_flight, options_.chunk_bytes);
  PendingTasks pending;
  Sha256 file_hash;
  SerialQueue file_queue(pool_);
  std::vector<std::unique_ptr<SpanningRange>> spanning(ranges.size());
  Status status;

  size_t first_open = 0;  // position in `order` of the first range not yet wholly read
  for (uint64_t offset = 0; offset < file.size(); offset += options_.chunk_bytes) {
    size_t length = static_cast<size_t>(std::min<uint64_t>(options_.chunk_bytes, file.size() - offset));
    std::vector<uint8_t>* buffer = buffers.Acquire();
    status = file.ReadExactly(offset, std::span<uint8_t>(buffer->data(), length));
    if (!status.ok()) {
      buffers.Release(buffer);
      break;
    }
    auto chunk = std::make_shared<const Chunk>(buffers, buffer, offset, length, progress);
    const uint64_t end = offset + length;

    pending.Add();
    file_queue.Post([&file_hash, &pending, chunk]() mutable {
      file_hash.Update(chunk->Slice(chunk->offset, chunk->offset + chunk->size));
      chunk.reset();  // before Done: the buffers must be back before Hash may return
      pending.Done();
    });

    // Ranges wholly inside this chunk need no ordering: one task hashes them all.
    std::vector<size_t> contained;
    for (size_t position = first_open; position < order.size(); ++position) {
      const size_t index = order[position];
      const ByteRange& range = ranges[index];
      if (range.offset >= end) break;
      if (range.size == 0) continue;
      const uint64_t from = std::max(range.offset, offset);
      const uint64_t to = std::min(range.offset + range.size, end);
      if (range.offset >= offset && range.offset + range.size <= end) {
        contained.push_back(index);
        continue;
      }
      if (!spanning[index]) spanning[index] = std::make_unique<SpanningRange>(pool_);
      SpanningRange* target = spanning[index].get();
      pending.Add();
      target->queue.Post([target, &pending, chunk, from, to]() mutable {
        target->hash.Update(chunk->Slice(from, to));
        chunk.reset();
        pending.Done();
      });
    }
    while (first_open < order.size() &&
           ranges[order[first_open]].offset + ranges[order[first_open]].size <= end) {
      ++first_open;
    }
    if (!contained.empty()) {
      pending.Add();
      pool_.Post([&digests, &pending, ranges, chunk, contained = std::move(contained)]() mutable {
        for (size_t index : contained) {
          digests.ranges[index] =
              Sha256::Of(chunk->Slice(ranges[index].offset, ranges[index].offset + ranges[index].size));
        }
        chunk.reset();
        pending.Done();
      });
    }
  }

  pending.WaitForAll();
  file_queue.WaitUntilIdle();
  for (auto& range : spanning) {
    if (range) range->queue.WaitUntilIdle();
  }
  if (!status.ok()) return status;

  digests.file = file_hash.Finish();
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (spanning[i]) digests.ranges[i] = spanning[i]->hash.Finish();
  }
  return digests;
}

}  // namespace assay
