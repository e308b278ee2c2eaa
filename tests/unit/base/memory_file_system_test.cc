#include "memory_file_system.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "test_support.h"

namespace assay {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MemoryFileSystem;

// What a test sees of a file system, as text: the same script run against
// the real disk and against the memory one must read the same.
class Transcript {
 public:
  explicit Transcript(std::string root) : root_(std::move(root)) {}

  void Add(const std::string& what, const Status& status) { lines_.push_back(what + " -> " + Text(status)); }
  template <typename T>
  void Add(const std::string& what, const Result<T>& result, const std::function<std::string(const T&)>& show) {
    lines_.push_back(what + " -> " + (result.ok() ? show(*result) : Text(result.status())));
  }
  void Note(const std::string& what, const std::string& text) { lines_.push_back(what + ": " + text); }
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::string Text(const Status& status) const {
    if (status.ok()) return "ok";
    std::string message = status.message();
    for (size_t at; (at = message.find(root_)) != std::string::npos;) message.replace(at, root_.size(), "ROOT");
    const char* kinds[] = {"ok", "check failed", "invalid input", "not found", "io"};
    return std::string(kinds[static_cast<int>(status.kind())]) + ": " + message;
  }

  std::string root_;
  std::vector<std::string> lines_;
};

std::string TypeName(FileInfo::Type type) {
  switch (type) {
    case FileInfo::Type::kRegular: return "file";
    case FileInfo::Type::kDirectory: return "folder";
    case FileInfo::Type::kSymlink: return "symlink";
    case FileInfo::Type::kOther: break;
  }
  return "other";
}

// Folders' sizes and modes depend on the disk and the umask; files' do not.
std::string ShowInfo(const FileInfo& info) {
  if (info.type == FileInfo::Type::kDirectory) return "folder";
  return TypeName(info.type) + " of " + std::to_string(info.size) + " mode " + std::to_string(info.mode);
}

// How each side makes what FileSystem cannot: symlinks and in-place rewrites.
struct Backdoor {
  std::function<void(const std::string& path, const std::string& target)> symlink;
  std::function<void(const std::string& path, const std::string& bytes)> overwrite_in_place;
};

std::vector<std::string> RunScript(FileSystem& fs, const std::string& root, const Backdoor& backdoor) {
  Transcript out(root);
  auto show_text = std::function<std::string(const std::string&)>([&](const std::string& text) {
    std::string shown = text;
    if (shown.starts_with(root)) shown.replace(0, root.size(), "ROOT");
    return shown;
  });
  auto show_info = std::function<std::string(const FileInfo&)>(ShowInfo);
  auto show_names = std::function<std::string(const std::vector<std::string>&)>([](std::vector<std::string> names) {
    std::sort(names.begin(), names.end());
    std::string text;
    for (const std::string& name : names) text += name + " ";
    return text;
  });
  auto read = [&](const std::string& relative) {
    out.Add("read " + relative, ReadWholeFile(fs, root + relative, 1000), show_text);
  };

  out.Add("mkdir a/b/c", fs.CreateDirectories(root + "/a/b/c"));
  out.Add("mkdir a/b again", fs.CreateDirectories(root + "/a/b"));
  out.Add("write a/f", fs.WriteFileAtomically(root + "/a/f", "first", 0640));
  out.Add("write new a/f", fs.WriteNewFileAtomically(root + "/a/f", "second", 0600));
  out.Add("write new a/g", fs.WriteNewFileAtomically(root + "/a/g", "gee", 0600));
  out.Add("write a/b", fs.WriteFileAtomically(root + "/a/b", "onto a folder"));
  out.Add("write a/missing/x", fs.WriteFileAtomically(root + "/a/missing/x", "x"));
  out.Add("write a/f/x", fs.WriteFileAtomically(root + "/a/f/x", "x"));
  out.Add("mkdir a/f/x", fs.CreateDirectories(root + "/a/f/x"));
  out.Add("mkdir a/f", fs.CreateDirectories(root + "/a/f"));
  read("/a/f");
  read("/a/b/../f");
  read("/a/b");
  read("/a/nothing");
  read("/a/f/x");
  out.Add("list a", fs.ListDirectory(root + "/a"), show_names);
  out.Add("list a/f", fs.ListDirectory(root + "/a/f"), show_names);
  out.Add("stat a/f", fs.LinkStatus(root + "/a/f"), show_info);
  out.Add("stat a/b", fs.FollowStatus(root + "/a/b"), show_info);

  backdoor.symlink(root + "/a/to-f", "f");
  backdoor.symlink(root + "/a/b/up", "..");
  backdoor.symlink(root + "/a/dangling", "nowhere");
  backdoor.symlink(root + "/a/loop", "loop");
  backdoor.symlink(root + "/a/absolute", root + "/a/b/c");
  out.Add("lstat a/to-f", fs.LinkStatus(root + "/a/to-f"), show_info);
  out.Add("stat a/to-f", fs.FollowStatus(root + "/a/to-f"), show_info);
  out.Add("stat a/dangling", fs.FollowStatus(root + "/a/dangling"), show_info);
  out.Add("lstat a/dangling", fs.LinkStatus(root + "/a/dangling"), show_info);
  out.Add("stat a/loop", fs.FollowStatus(root + "/a/loop"), show_info);
  out.Add("readlink a/to-f", fs.ReadSymlink(root + "/a/to-f"), show_text);
  out.Add("readlink a/f", fs.ReadSymlink(root + "/a/f"), show_text);
  out.Add("canonical a/b/up/to-f", fs.CanonicalPath(root + "/a/b/up/to-f"), show_text);
  out.Add("canonical a/absolute/../up", fs.CanonicalPath(root + "/a/absolute/../up"), show_text);
  out.Add("canonical a/dangling", fs.CanonicalPath(root + "/a/dangling"), show_text);
  read("/a/b/up/to-f");
  out.Add("write new a/dangling", fs.WriteNewFileAtomically(root + "/a/dangling", "x", 0600));
  out.Add("write a/to-f", fs.WriteFileAtomically(root + "/a/to-f", "replaces the link"));
  out.Add("lstat a/to-f", fs.LinkStatus(root + "/a/to-f"), show_info);
  read("/a/f");
  out.Add("list a", fs.ListDirectory(root + "/a"), show_names);
  out.Add("list a/absolute", fs.ListDirectory(root + "/a/absolute"), show_names);

  // One folder with an exact mode, and removing files and symlinks.
  out.Add("mkdir1 a/p", fs.CreateDirectory(root + "/a/p", 0700));
  Result<FileInfo> made = fs.LinkStatus(root + "/a/p");
  out.Note("a/p is a folder of mode 0700", made.ok() && made->type == FileInfo::Type::kDirectory &&
                                                   (made->mode & 0777) == 0700 ? "yes" : "no");
  out.Add("mkdir1 a/p again", fs.CreateDirectory(root + "/a/p", 0700));
  out.Add("mkdir1 a/f", fs.CreateDirectory(root + "/a/f", 0700));
  out.Add("mkdir1 a/none/q", fs.CreateDirectory(root + "/a/none/q", 0700));
  out.Add("rm a/to-f", fs.RemoveFile(root + "/a/to-f"));
  out.Add("rm a/dangling", fs.RemoveFile(root + "/a/dangling"));
  out.Add("rm a/dangling again", fs.RemoveFile(root + "/a/dangling"));
  out.Add("rm a/b", fs.RemoveFile(root + "/a/b"));
  out.Add("list a", fs.ListDirectory(root + "/a"), show_names);

  // Stat identity: an atomic write is a new inode; an in-place one is not.
  Result<FileInfo> before = fs.LinkStatus(root + "/a/g");
  Result<std::unique_ptr<RandomAccessFile>> open = fs.OpenForRead(root + "/a/g");
  out.Add("open a/g", open.status());
  out.Add("write a/g", fs.WriteFileAtomically(root + "/a/g", "replaced"));
  Result<FileInfo> replaced = fs.LinkStatus(root + "/a/g");
  out.Note("atomic write keeps the inode", before->inode == replaced->inode ? "yes" : "no");
  std::string old_bytes(3, '\0');
  out.Add("read the open a/g", (*open)->ReadExactly(0, std::span(reinterpret_cast<uint8_t*>(old_bytes.data()), 3)));
  out.Note("it holds", old_bytes);
  open = fs.OpenForRead(root + "/a/g");
  backdoor.overwrite_in_place(root + "/a/g", "ab");
  Result<FileInfo> in_place = fs.LinkStatus(root + "/a/g");
  out.Note("in-place write keeps the inode", replaced->inode == in_place->inode ? "yes" : "no");
  out.Add("stat a/g", in_place, show_info);
  std::string longer(8, '\0');
  out.Add("read the open a/g past its new end",
          (*open)->ReadExactly(0, std::span(reinterpret_cast<uint8_t*>(longer.data()), longer.size())));
  return out.lines();
}

TEST(MemoryFileSystem, BehavesAsTheRealDiskDoes) {
  testing::ScratchDir dir;
  std::filesystem::create_directory(dir.path() / "root");
  const std::string disk_root = std::filesystem::canonical(dir.path() / "root").string();
  Backdoor disk{[](const std::string& path, const std::string& target) {
                  std::filesystem::create_symlink(target, path);
                },
                [](const std::string& path, const std::string& bytes) {
                  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
                }};
  const std::vector<std::string> expected = RunScript(LocalFileSystem(), disk_root, disk);

  MemoryFileSystem memory;
  const std::string memory_root = memory.AddDirectory("/work/root");
  Backdoor inside{[&](const std::string& path, const std::string& target) { memory.AddSymlink(path, target); },
                  [&](const std::string& path, const std::string& bytes) { memory.OverwriteInPlace(path, bytes); }};
  const std::vector<std::string> actual = RunScript(memory, memory_root, inside);

  ASSERT_EQ(actual.size(), expected.size());
  if (std::getenv("ASSAY_SHOW_TRANSCRIPT") != nullptr) {
    for (const std::string& line : actual) std::printf("%s\n", line.c_str());
  }
  for (size_t i = 0; i < expected.size(); ++i) {
    // LocalFileSystem::CreateDirectories keeps std::filesystem's capitalised
    // message ("Not a directory"), unlike its other errors; compare it lower-cased.
    std::string disk_line = expected[i];
    if (const size_t reason = disk_line.rfind(": "); disk_line.starts_with("mkdir") && reason != std::string::npos) {
      std::transform(disk_line.begin() + static_cast<std::ptrdiff_t>(reason), disk_line.end(),
                     disk_line.begin() + static_cast<std::ptrdiff_t>(reason), ::tolower);
    }
    EXPECT_EQ(actual[i], disk_line) << "line " << i;
  }
}

TEST(MemoryFileSystem, StampsComeFromTheClock) {
  FixedClock clock(int64_t{1'750'000'000} * 1'000'000'000);
  MemoryFileSystem fs(&clock);
  fs.AddFile("/m/config.json", "{}");
  Result<FileInfo> first = fs.LinkStatus("/m/config.json");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->mtime_ns, clock.NowNanos());
  EXPECT_EQ(first->ctime_ns, clock.NowNanos());
  EXPECT_EQ(first->mode, 0644u);
  EXPECT_EQ(first->device, fs.LinkStatus("/m")->device);

  // Same clock, same size, other bytes: only the inode of an atomic write
  // tells the files apart; an in-place write keeps even that (the racy case).
  fs.OverwriteInPlace("/m/config.json", "[]");
  Result<FileInfo> same = fs.LinkStatus("/m/config.json");
  EXPECT_EQ(same->inode, first->inode);
  EXPECT_EQ(same->mtime_ns, first->mtime_ns);
  clock.Advance(5);
  ASSERT_TRUE(fs.WriteFileAtomically("/m/config.json", "{}").ok());
  Result<FileInfo> rewritten = fs.LinkStatus("/m/config.json");
  EXPECT_NE(rewritten->inode, first->inode);
  EXPECT_EQ(rewritten->mtime_ns, first->mtime_ns + 5);
  EXPECT_EQ(fs.LinkStatus("/m")->mtime_ns, first->mtime_ns + 5);  // the folder changed too

  MemoryFileSystem unclocked;
  unclocked.AddFile("a", "1");
  unclocked.AddFile("b", "2");
  EXPECT_LT(unclocked.LinkStatus("/a")->mtime_ns, unclocked.LinkStatus("/b")->mtime_ns);
}

TEST(MemoryFileSystem, ListsInReverseNameOrder) {
  MemoryFileSystem fs;
  for (const char* name : {"b", "a", "c"}) fs.AddFile(std::string("/d/") + name, name);
  EXPECT_THAT(*fs.ListDirectory("/d"), ElementsAre("c", "b", "a"));
  EXPECT_EQ(*fs.CanonicalPath("d/./a"), "/d/a");  // relative paths start at "/"
}

TEST(MemoryFileSystem, FailsOpensReadsAndWritesOfMatchingPaths) {
  MemoryFileSystem fs;
  fs.AddFile("/m/config.json", "{\"a\": 1}");
  fs.AddFile("/m/myconfig.json", "{}");
  fs.AddFile("/m/model.bin", std::string(100, 'w'));
  fs.FailOpens("config.json");
  Result<std::string> failed = ReadWholeFile(fs, "/m/config.json", 1000);
  EXPECT_EQ(failed.status().kind(), ErrorKind::kIo);
  EXPECT_EQ(failed.status().message(), "/m/config.json: input/output error");
  EXPECT_TRUE(ReadWholeFile(fs, "/m/myconfig.json", 1000).ok());  // a suffix matches whole components
  EXPECT_TRUE(fs.LinkStatus("/m/config.json").ok());               // only opening fails

  fs.FailReadsPast("/m/model.bin", 60);
  Result<std::unique_ptr<RandomAccessFile>> file = fs.OpenForRead("/m/model.bin");
  ASSERT_TRUE(file.ok());
  std::vector<uint8_t> buffer(40);
  EXPECT_TRUE((*file)->ReadExactly(20, buffer).ok());
  Status past = (*file)->ReadExactly(21, buffer);
  EXPECT_EQ(past.kind(), ErrorKind::kIo);
  EXPECT_EQ(past.message(), "/m/model.bin: input/output error");

  fs.FailWrites("/m/config.json");
  Status full = fs.WriteFileAtomically("/m/config.json", "new");
  EXPECT_EQ(full.kind(), ErrorKind::kIo);
  EXPECT_EQ(full.message(), "/m/config.json: no space left on device");
  EXPECT_EQ(fs.Contents("/m/config.json"), "{\"a\": 1}");  // nothing changed
  EXPECT_EQ(fs.RemoveFile("/m/config.json").message(), "/m/config.json: read-only file system");
  EXPECT_EQ(fs.CreateDirectory("/m/config.json", 0700).message(), "/m/config.json: no space left on device");
  EXPECT_TRUE(fs.LinkStatus("/m/config.json").ok());  // still there
  EXPECT_TRUE(fs.WriteFileAtomically("/m/other.json", "ok").ok());

  fs.FailWrites("");
  EXPECT_EQ(fs.CreateDirectories("/n").message(), "/n: no space left on device");
  EXPECT_EQ(fs.WriteNewFileAtomically("/m/key", "k", 0600).message(), "/m/key: no space left on device");
  EXPECT_FALSE(fs.LinkStatus("/n").ok());

  fs.ClearFaults();
  EXPECT_TRUE(ReadWholeFile(fs, "/m/config.json", 1000).ok());
  EXPECT_TRUE(fs.CreateDirectories("/n").ok());
}

TEST(MemoryFileSystem, PassesASubtreeThroughToTheDiskWithFaults) {
  testing::ScratchDir dir;
  const std::string on_disk = dir.Write("model/config.json", "{}");
  MemoryFileSystem fs;
  fs.PassThrough(dir.path().string() + "/");
  fs.AddFile("/elsewhere/config.json", "in memory");
  EXPECT_EQ(*ReadWholeFile(fs, on_disk, 100), "{}");
  EXPECT_EQ(*ReadWholeFile(fs, "/elsewhere/config.json", 100), "in memory");
  EXPECT_THAT(*fs.ListDirectory(dir.path().string() + "/model"), ElementsAre("config.json"));
  ASSERT_TRUE(fs.WriteFileAtomically(dir.path().string() + "/model/new.json", "[]").ok());
  EXPECT_EQ(testing::ReadFileOrDie(dir.path().string() + "/model/new.json"), "[]");
  EXPECT_FALSE(fs.Contents(dir.path().string() + "/model/new.json"));  // not in memory

  fs.FailReadsPast("config.json", 0);
  EXPECT_EQ(ReadWholeFile(fs, on_disk, 100).status().message(), on_disk + ": input/output error");
  fs.FailWrites("model/new.json");
  EXPECT_EQ(fs.WriteFileAtomically(dir.path().string() + "/model/new.json", "{}").kind(), ErrorKind::kIo);
  EXPECT_EQ(testing::ReadFileOrDie(dir.path().string() + "/model/new.json"), "[]");
}

TEST(MemoryFileSystem, SparseFilesAndReadStats) {
  MemoryFileSystem fs;
  fs.AddSparseFile("/huge.gguf", "GGUF", uint64_t{1} << 40);
  EXPECT_EQ(fs.LinkStatus("/huge.gguf")->size, uint64_t{1} << 40);
  Result<std::unique_ptr<RandomAccessFile>> file = fs.OpenForRead("/huge.gguf");
  ASSERT_TRUE(file.ok());
  std::vector<uint8_t> head(6, 0xff);
  ASSERT_TRUE((*file)->ReadExactly(0, head).ok());
  EXPECT_THAT(head, ElementsAre('G', 'G', 'U', 'F', 0, 0));
  ASSERT_TRUE((*file)->ReadExactly((uint64_t{1} << 40) - 6, head).ok());
  EXPECT_THAT(head, ElementsAre(0, 0, 0, 0, 0, 0));
  EXPECT_EQ((*file)->ReadExactly(uint64_t{1} << 40, head).message(),
            "/huge.gguf: file changed while reading (shorter than expected)");
  EXPECT_EQ(fs.StatsOf("/huge.gguf").bytes_read, 12u);
  EXPECT_EQ(fs.StatsOf("/huge.gguf").read_to, uint64_t{1} << 40);
  EXPECT_EQ(fs.StatsOf("/never-read").bytes_read, 0u);
}

TEST(MemoryFileSystem, OpenFilesReadFromManyThreads) {
  MemoryFileSystem fs;
  std::string bytes;
  for (int i = 0; i < 4096; ++i) bytes.push_back(static_cast<char>(i * 7));
  fs.AddFile("/w.bin", bytes);
  std::unique_ptr<RandomAccessFile> file = std::move(fs.OpenForRead("/w.bin")).value();
  std::atomic<int> good{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      for (int i = 0; i < 64; ++i) {
        std::string out(64, '\0');
        const uint64_t offset = static_cast<uint64_t>((t * 64 + i) * 16 % 4000);
        if (file->ReadExactly(offset, std::span(reinterpret_cast<uint8_t*>(out.data()), out.size())).ok() &&
            out == bytes.substr(offset, 64)) {
          ++good;
        }
        (void)fs.LinkStatus("/w.bin");
      }
    });
  }
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(good, 256);
  EXPECT_EQ(fs.StatsOf("/w.bin").bytes_read, 256u * 64);
}

}  // namespace
}  // namespace assay
