#include "digest/file_hasher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "memory_file_system.h"
#include "test_support.h"

namespace assay {
namespace {

std::string RandomBytes(size_t size, unsigned seed) {
  std::mt19937 generator(seed);
  std::string bytes(size, '\0');
  for (char& byte : bytes) byte = static_cast<char>(generator());
  return bytes;
}

class CountingProgress : public ProgressSink {
 public:
  void AddHashedBytes(uint64_t bytes) override { total += bytes; }
  std::atomic<uint64_t> total{0};
};

// Small chunks so that ranges cross chunk boundaries in every way.
constexpr FileHasher::Options kSmallChunks{1000, 3};

TEST(FileHasher, FileAndRangeDigestsEqualOneShotHashes) {
  testing::ScratchDir dir;
  const std::string bytes = RandomBytes(10007, 1);
  auto file = *LocalFileSystem().OpenForRead(dir.Write("w.bin", bytes));
  // Given out of order; zero-size, chunk-contained, chunk-spanning and whole-file-spanning ranges.
  const std::vector<ByteRange> ranges = {{5000, 4000}, {0, 10}, {10, 0}, {10, 990},
                                         {1000, 1}, {1001, 3999}, {9000, 1007}};
  ThreadPool pool(3);
  CountingProgress progress;
  Result<FileDigests> digests = FileHasher(pool, kSmallChunks).Hash(*file, ranges, &progress);
  ASSERT_TRUE(digests.ok()) << digests.status().message();
  EXPECT_EQ(digests->file, Sha256::Of(bytes));
  ASSERT_EQ(digests->ranges.size(), ranges.size());
  for (size_t i = 0; i < ranges.size(); ++i) {
    EXPECT_EQ(digests->ranges[i], Sha256::Of(std::string_view(bytes).substr(ranges[i].offset, ranges[i].size)))
        << "range " << i;
  }
  EXPECT_EQ(progress.total, bytes.size());
}

TEST(FileHasher, EmptyFile) {
  testing::ScratchDir dir;
  auto file = *LocalFileSystem().OpenForRead(dir.Write("empty", ""));
  ThreadPool pool(2);
  Result<FileDigests> digests = FileHasher(pool).Hash(*file, {});
  ASSERT_TRUE(digests.ok());
  EXPECT_EQ(digests->file, Sha256::Of(std::string_view()));
}

TEST(FileHasher, RejectsOverlappingAndOutOfFileRanges) {
  testing::ScratchDir dir;
  auto file = *LocalFileSystem().OpenForRead(dir.Write("w.bin", RandomBytes(100, 2)));
  ThreadPool pool(2);
  FileHasher hasher(pool, kSmallChunks);
  std::vector<ByteRange> overlapping = {{0, 50}, {40, 10}};
  EXPECT_THAT(hasher.Hash(*file, overlapping).status().message(), ::testing::HasSubstr("overlap"));
  std::vector<ByteRange> outside = {{90, 11}};
  Status status = hasher.Hash(*file, outside).status();
  EXPECT_EQ(status.kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(status.message(), ::testing::HasSubstr("outside the file"));
}

TEST(FileHasher, ReadErrorIsIoAndNamesTheFile) {
  // A disk whose reads of the file fail after its first chunk.
  testing::MemoryFileSystem fs;
  fs.AddFile("model/bad.bin", std::string(5000, '\7'));
  fs.FailReadsPast("model/bad.bin", kSmallChunks.chunk_bytes);
  std::unique_ptr<RandomAccessFile> file = std::move(fs.OpenForRead("model/bad.bin")).value();
  ThreadPool pool(2);
  std::vector<ByteRange> ranges = {{0, 5000}};
  Status status = FileHasher(pool, kSmallChunks).Hash(*file, ranges).status();
  EXPECT_EQ(status.kind(), ErrorKind::kIo);
  EXPECT_EQ(status.message(), "model/bad.bin: input/output error");
}

TEST(FileHasher, ManyFilesAtOnceShareOnePool) {
  testing::ScratchDir dir;
  ThreadPool pool(2);
  FileHasher hasher(pool, kSmallChunks);
  std::vector<std::string> contents;
  for (unsigned i = 0; i < 6; ++i) contents.push_back(RandomBytes(3000 + 777 * i, i));
  std::vector<std::thread> readers;
  std::atomic<int> correct{0};
  for (size_t i = 0; i < contents.size(); ++i) {
    readers.emplace_back([&, i] {
      auto file = *LocalFileSystem().OpenForRead(dir.Write("f" + std::to_string(i), contents[i]));
      std::vector<ByteRange> ranges = {{100, 2500}};
      Result<FileDigests> digests = hasher.Hash(*file, ranges);
      if (digests.ok() && digests->file == Sha256::Of(contents[i]) &&
          digests->ranges[0] == Sha256::Of(std::string_view(contents[i]).substr(100, 2500))) {
        ++correct;
      }
    });
  }
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(correct, 6);
}

}  // namespace
}  // namespace assay
